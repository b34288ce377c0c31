"""`ecscreen batch` on hostile files: exact output rows, exit codes, messages and written files.

Screened against tests/fixtures/batch/small-list.csv (thirteen real listed names) with --no-bundled,
so no large index is built. The fixture files are made by tests/fixtures/batch/make_fixtures.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from screen.batch import RESULT_COLUMNS, RUN_KEY
from screen.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
SMALL_LIST = str(FIXTURES / "small-list.csv")
LISTS = ("--no-bundled", "--list", SMALL_LIST)
RESULTS = [name for name, _ in RESULT_COLUMNS]

HUAWEI = "EL-huawei"
HIT = "EL-hit"
YMTC = "EL-ymtc"
MAHAN = "SDN-mahan-air"
ROSOBORON = "SDN-rosoboronexport"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _cache(monkeypatch, cache_dir):
    monkeypatch.setenv("ECSCREEN_CACHE_DIR", str(cache_dir))


def batch(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, ["batch", *args, *LISTS], input=input, catch_exceptions=False)


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def brief(rows: list[list[str]]) -> list[list[str]]:
    """Input cells, then status, best_match_record_id and error_message: what each test pins down."""
    width = len(rows[0]) - len(RESULTS)
    out = []
    for row in rows[1:]:
        result = dict(zip(RESULTS, row[width:]))
        out.append([*row[:width], result["status"], result["best_match_record_id"], result["error_message"]])
    return out


def run_csv(tmp_path: Path, fixture: str, *args: str, code: int = 1) -> list[list[str]]:
    out = tmp_path / "out.csv"
    result = batch(str(FIXTURES / fixture), "-o", str(out), *args)
    assert result.exit_code == code, result.output
    return read_csv(out)


# ---------------------------------------------------------------------------------------- encodings

UTF8_EXPECTED = [
    ["1", "Huawei Technologies Co., Ltd.", "CN", "alert", HUAWEI, ""],
    ["2", "Acme Widgets Ltd", "US", "clear", "", ""],
    ["3", "Müller Maschinenbau GmbH", "DE", "clear", "", ""],
    ["4", "华为技术有限公司", "CN", "alert", HUAWEI, ""],
]


@pytest.mark.parametrize("fixture", ["utf8.csv", "utf8-bom.csv"])
def test_utf8_with_and_without_bom(tmp_path, fixture):
    rows = run_csv(tmp_path, fixture)
    assert rows[0] == ["id", "name", "country", *RESULTS]
    assert brief(rows) == UTF8_EXPECTED


def test_utf16_with_bom_tab_separated(tmp_path):
    rows = run_csv(tmp_path, "utf16-bom.txt")
    assert rows[0][:2] == ["Supplier Name", "Country"]
    assert brief(rows) == [
        ["Mahan Air", "IR", "alert", MAHAN, ""],
        ["Zürich Instruments AG", "CH", "clear", "", ""],
        ["哈尔滨工业大学", "CN", "alert", HIT, ""],
    ]


def test_gb18030_chinese_export(tmp_path):
    rows = run_csv(tmp_path, "gb18030.csv")
    assert rows[0][:3] == ["编号", "客户名称", "国家"]
    assert brief(rows) == [
        ["1", "华为技术有限公司", "中国", "alert", HUAWEI, ""],
        ["2", "北京大学", "中国", "clear", "", ""],
        ["3", "哈尔滨工业大学", "中国", "alert", HIT, ""],
        ["4", "长江存储科技有限责任公司", "中国", "alert", YMTC, ""],
    ]
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())[RUN_KEY]
    assert meta["input"]["encoding"] == "gb18030"
    assert meta["input"]["name_column"] == "客户名称"


def test_windows_1252_semicolons(tmp_path):
    rows = run_csv(tmp_path, "cp1252.csv")
    assert brief(rows) == [
        ["Société Générale", "FR", "clear", "", ""],
        ["Müller Maschinenbau GmbH", "DE", "clear", "", ""],
        ["Rosoboronexport", "RU", "alert", ROSOBORON, ""],
        ["Crème Brûlée SARL", "FR", "clear", "", ""],
    ]
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())[RUN_KEY]
    assert (meta["input"]["encoding"], meta["input"]["delimiter"]) == ("cp1252", ";")


def test_invalid_utf8_byte_names_the_row_and_the_fix(tmp_path):
    out = tmp_path / "out.csv"
    path = FIXTURES / "utf8-invalid-byte.csv"
    result = batch(str(path), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: row 3 (line 4) cannot be read as utf-8: byte e9 (byte 6 of the line) is not utf-8. "
        "If the file is in another encoding, give it, e.g. --encoding cp1252 (Windows, Western Europe), "
        "--encoding gb18030 (Chinese) or --encoding latin-1; if only this row is damaged, fix it in the file\n"
    )
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file

    rows = run_csv(tmp_path, "utf8-invalid-byte.csv", "--encoding", "cp1252")
    assert [r[:2] for r in rows[1:]] == [
        ["1", "MÃ¼ller Maschinenbau GmbH"], ["2", "ZÃ¼rich Instruments AG"], ["3", "Café Export SARL"], ["4", "Mahan Air"],
    ]
    assert brief(rows)[2:] == [["3", "Café Export SARL", "clear", "", ""], ["4", "Mahan Air", "alert", MAHAN, ""]]


def test_unknown_encoding(tmp_path):
    result = batch(str(FIXTURES / "utf8.csv"), "-o", str(tmp_path / "out.csv"), "--encoding", "klingon")
    assert result.exit_code == 2
    assert result.stderr == "Error: field '--encoding': unknown text encoding 'klingon'; try utf-8, utf-16, gb18030 or cp1252\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("codec", ["hex", "base64", "rot13", "idna"])
def test_codecs_that_are_not_text_encodings_are_refused(tmp_path, codec):
    result = batch(str(FIXTURES / "utf8.csv"), "-o", str(tmp_path / "out.csv"), "--encoding", codec)
    assert result.exit_code == 2
    assert f"unknown text encoding '{codec}'" in result.stderr


def test_utf16_without_bom_is_a_clear_error_not_a_crash(tmp_path):
    result = batch(str(FIXTURES / "utf8.csv"), "-o", str(tmp_path / "out.csv"), "--encoding", "utf-16")
    assert result.exit_code == 2
    assert "cannot be read as utf-16" in result.stderr


# ------------------------------------------------------------------------------------- messy rows


def test_ragged_rows(tmp_path):
    rows = run_csv(tmp_path, "ragged.csv")
    assert brief(rows) == [
        ["1", "Mahan Air", "", "", "alert", MAHAN, ""],
        ["2", "", "", "", "error", "", "row has 1 field, the header has 4: no name"],
        ["3", "Acme Widgets Ltd", "US", "", "clear", "", ""],
        ["4", "Huawei Technologies Co.", " Ltd.", "CN,note", "error", "",
         "row has 5 fields, the header has 4: not screened, the columns may be shifted (an unquoted delimiter "
         "inside a field?); the extra fields are kept in the last column"],
        ["5", "Rosoboronexport", "RU", "ok", "alert", ROSOBORON, ""],
    ]


def test_quoted_newlines_kept(tmp_path):
    rows = run_csv(tmp_path, "quoted-newlines.csv")
    assert brief(rows) == [
        ["1", "Huawei Technologies\nCo., Ltd.", "line one\r\nline two", "alert", HUAWEI, ""],
        ["2", "Acme Widgets Ltd", 'a "quoted" word, and a comma', "clear", "", ""],
        ["3", "Mahan Air", "", "alert", MAHAN, ""],
    ]


def test_duplicate_headers_first_name_column_screened(tmp_path):
    rows = run_csv(tmp_path, "duplicate-headers.csv")
    assert rows[0][:3] == ["name", "name", "country"]
    assert brief(rows) == [
        ["Mahan Air", "Acme Widgets Ltd", "IR", "alert", MAHAN, ""],
        ["Northwind Traders", "Rosoboronexport", "RU", "clear", "", ""],
    ]


def test_ten_thousand_character_name_is_an_error_row(tmp_path):
    rows = run_csv(tmp_path, "long-name.csv")
    long_name = ("Acme Widgets " * 770)[:10_000]
    assert brief(rows) == [
        ["1", "Mahan Air", "alert", MAHAN, ""],
        ["2", long_name, "error", "", "name is 10,000 characters long; the limit is 1,000"],
        ["3", "Acme Widgets Ltd", "clear", "", ""],
    ]


def test_tsv_sniffed_from_header(tmp_path):
    rows = run_csv(tmp_path, "tabs.txt")
    assert brief(rows) == [
        ["Rosoboronexport", "RU", "1", "alert", ROSOBORON, ""],
        ["Northwind Traders, Inc.", "US", "2", "clear", "", ""],
    ]


def test_delimiter_override(tmp_path):
    # Forcing a comma on the tab file: one column, "Company\tCountry\tid", which is no name header.
    result = batch(str(FIXTURES / "tabs.txt"), "-o", str(tmp_path / "o.csv"), "--delimiter", ",")
    assert result.exit_code == 2
    assert "no name column found; the header has 'Company\\tCountry\\tid'" in result.stderr
    rows = run_csv(tmp_path, "tabs.txt", "--delimiter", "tab")
    assert brief(rows)[0] == ["Rosoboronexport", "RU", "1", "alert", ROSOBORON, ""]


# ------------------------------------------------------------------------------ spreadsheet safety

FORMULA_EXPECTED = [
    ["id", "name", "notes", "'@remark"],
    ["1", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1", "x"],
    ["2", "Acme Widgets Ltd", "'-2", "'=1+1"],
    ["3", "'@SUM(A1:A2)", "'\tTAB", "y"],
    ["4", "Mahan Air", "'\rCR", "z"],
    ["5", "Northwind Traders", "plain", "'-"],
]


def test_formula_injection_neutralised_in_csv(tmp_path):
    rows = run_csv(tmp_path, "formula.csv")
    assert [r[:4] for r in rows] == FORMULA_EXPECTED
    assert [r[4] for r in rows[1:]] == ["clear", "clear", "clear", "alert", "clear"]


def test_formula_injection_neutralised_in_xlsx(tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    result = batch(str(FIXTURES / "formula.csv"), "-o", str(out))
    assert result.exit_code == 1
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    expected = [[c.replace("\r", "\n") for c in r] for r in FORMULA_EXPECTED]  # XML reads CR as LF
    assert [r[:4] for r in cells] == expected
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert cells[0][4:] == RESULTS
    assert (tmp_path / "out.xlsx.meta.json").exists()


# --------------------------------------------------------------------------------- unusable input


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("empty.csv", "the file is empty: expected a header row, then one row per name"),
        ("garbage.csv", "does not look like a text file (it has control bytes such as NUL); give a CSV, TSV, "
                        "JSON Lines or .xlsx file (UTF-16 without a BOM needs --encoding utf-16-le)"),
    ],
)
def test_unusable_input_exit_2_and_no_output(tmp_path, fixture, message):
    path = FIXTURES / fixture
    result = batch(str(path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: {message}\n"
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_missing_name_column_lists_headers(tmp_path):
    result = batch(str(FIXTURES / "no-name-column.csv"), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: field '--name-column': no name column found; the header has 'id', 'foo', 'bar'. "
        "Say which column holds the names with --name-column\n"
    )
    assert list(tmp_path.iterdir()) == []
    rows = run_csv(tmp_path, "no-name-column.csv", "--name-column", "FOO")
    assert brief(rows) == [["1", "Mahan Air", "x", "alert", MAHAN, ""]]


def test_given_column_that_does_not_exist(tmp_path):
    result = batch(str(FIXTURES / "utf8.csv"), "--country-column", "nation")
    assert result.exit_code == 2
    assert result.stderr == "Error: field '--country-column': no column 'nation'; the header has 'id', 'name', 'country'\n"


def test_missing_input_file(tmp_path):
    result = batch(str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.csv'}: cannot read: No such file or directory\n"


def test_header_only_gives_empty_output(tmp_path):
    out = tmp_path / "out.csv"
    result = batch(str(FIXTURES / "header-only.csv"), "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes() == ("\ufeffid,name,country," + ",".join(RESULTS) + "\r\n").encode()
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())[RUN_KEY]
    assert meta["counts"] == {"rows": 0, "clear": 0, "alert": 0, "error": 0, "written": 0, "alerts_by_list": {}}


def test_xlsx_output_needs_a_file():
    result = batch(str(FIXTURES / "utf8.csv"), "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr == "Error: field '--format': xlsx output needs a file: give -o OUTPUT.xlsx\n"


def test_output_directory_missing(tmp_path):
    result = batch(str(FIXTURES / "utf8.csv"), "-o", str(tmp_path / "no" / "out.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: field '--output': the output directory '{tmp_path / 'no'}' does not exist\n"


def test_output_may_not_overwrite_input(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes((FIXTURES / "utf8.csv").read_bytes())
    result = batch(str(path), "-o", str(path))
    assert result.exit_code == 2
    assert path.read_bytes() == (FIXTURES / "utf8.csv").read_bytes()


# ------------------------------------------------------------------------------------ other inputs


def test_jsonl_input(tmp_path):
    rows = run_csv(tmp_path, "input.jsonl")
    assert rows[0][:4] == ["id", "counterparty", "country", "amount"]
    assert brief(rows) == [
        ["1", "Mahan Air", "IR", "", "alert", MAHAN, ""],
        ["2", "Acme Widgets Ltd", "US", "'-2", "clear", "", ""],
        ["", "", "", "", "error", "", "line 4 is not valid JSON: Expecting ',' delimiter at character 39"],
        ["", "", "", "", "error", "", "line 5 is a JSON list, not an object"],
        ["5", "", "", "", "error", "", "empty name"],
    ]


def test_xlsx_input_first_sheet_and_named_sheet(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Suppliers"
    first.append(["Supplier Name", "Country", "Since", "Amount"])
    first.append(["Mahan Air", "IR", dt.date(2020, 1, 2), -2])
    first.append([None, None, None, None])  # a blank row is not a row
    first.append(["Acme Widgets Ltd", "US", None, 1250.0])
    second = book.create_sheet("Partners")
    second.append(["institution"])
    second.append(["哈尔滨工业大学"])
    path = tmp_path / "in.xlsx"
    book.save(path)

    rows = run_csv(tmp_path, str(path))
    assert brief(rows) == [
        ["Mahan Air", "IR", "2020-01-02 00:00:00", "'-2", "alert", MAHAN, ""],
        ["Acme Widgets Ltd", "US", "", "1250", "clear", "", ""],
    ]
    rows = run_csv(tmp_path, str(path), "--sheet", "Partners")
    assert brief(rows) == [["哈尔滨工业大学", "alert", HIT, ""]]

    out = tmp_path / "out.xlsx"
    assert batch(str(path), "-o", str(out)).exit_code == 1
    cells = [[c.value for c in r] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows()]
    assert cells[1][:4] == ["Mahan Air", "IR", dt.datetime(2020, 1, 2), -2]  # numbers stay numbers

    result = batch(str(path), "--sheet", "Nope")
    assert result.exit_code == 2
    assert result.stderr == "Error: field '--sheet': no sheet 'Nope'; the workbook has 'Suppliers', 'Partners'\n"


def test_stdin_input_to_stdout():
    result = batch("-", input=(FIXTURES / "utf8.csv").read_bytes())
    assert result.exit_code == 1
    assert not result.stdout.startswith("\ufeff")  # no BOM on standard output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert brief(rows) == UTF8_EXPECTED
    assert "Batch screening" in result.stderr


# --------------------------------------------------------------------------------------- outputs


def test_sidecar_records_the_run(tmp_path):
    out = tmp_path / "out.csv"
    result = batch(str(FIXTURES / "ragged.csv"), "-o", str(out), "--threshold", "85")
    assert result.exit_code == 1
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())
    run = meta[RUN_KEY]
    assert run["tool"] == "ecscreen"
    assert run["threshold"] == 85
    assert [(i["code"], i["records"]) for i in run["lists"]] == [("EL", 9), ("SDN", 4)]
    assert all(len(i["sha256"]) == 64 for i in run["lists"])
    data = (FIXTURES / "ragged.csv").read_bytes()
    import hashlib

    assert run["input"] == {
        "path": str((FIXTURES / "ragged.csv").resolve()), "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data), "format": "csv", "encoding": "utf-8", "delimiter": ",",
        "name_column": "name", "country_column": "country", "id_column": None,
    }
    assert run["output"] == {"path": str(out.resolve()), "format": "csv", "only_alerts": False, "result_columns": RESULTS}
    assert run["counts"] == {
        "rows": 5, "clear": 1, "alert": 2, "error": 2, "written": 5, "alerts_by_list": {"SDN": 2},
    }
    assert run["seconds"] >= 0 and run["names_per_second"] >= 0
    assert {"started_at", "finished_at", "workers"} <= set(run)


def test_jsonl_output_has_run_record_then_full_findings(tmp_path):
    out = tmp_path / "out.jsonl"
    result = batch(str(FIXTURES / "utf8.csv"), "-o", str(out), "--id-column", "id")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert list(lines[0]) == [RUN_KEY]
    assert lines[0][RUN_KEY]["counts"]["rows"] == 4
    assert [(r["row"], r["id"], r["status"]) for r in lines[1:]] == [
        (1, "1", "alert"), (2, "2", "clear"), (3, "3", "clear"), (4, "4", "alert"),
    ]
    first = lines[1]
    assert first["input"] == {"id": "1", "name": "Huawei Technologies Co., Ltd.", "country": "CN"}
    assert first["result"]["best_match_record_id"] == HUAWEI
    assert first["result"]["best_match_score"] == 100.0
    assert first["query"] == "Huawei Technologies Co., Ltd."
    assert first["alerts"][0]["record_id"] == HUAWEI
    assert not (tmp_path / "out.jsonl.meta.json").exists()


def test_json_output_is_one_array(tmp_path):
    out = tmp_path / "out.json"
    assert batch(str(FIXTURES / "duplicate-headers.csv"), "-o", str(out)).exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data[0]) == [RUN_KEY]
    assert [r["input"] for r in data[1:]] == [
        {"name": "Mahan Air", "name_2": "Acme Widgets Ltd", "country": "IR"},
        {"name": "Northwind Traders", "name_2": "Rosoboronexport", "country": "RU"},
    ]


def test_only_alerts_keeps_alerts_and_errors(tmp_path):
    rows = run_csv(tmp_path, "ragged.csv", "--only-alerts")
    assert [r[0] for r in brief(rows)] == ["1", "2", "4", "5"]
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text())[RUN_KEY]
    assert (meta["counts"]["rows"], meta["counts"]["written"], meta["output"]["only_alerts"]) == (5, 4, True)


def test_result_columns_prefixed_when_input_has_one(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name,Status\nMahan Air,open\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert batch(str(path), "-o", str(out)).exit_code == 1
    rows = read_csv(out)
    assert rows[0] == ["name", "Status", *("ecscreen_" + c for c in RESULTS)]
    assert rows[1][:3] == ["Mahan Air", "open", "alert"]


def test_all_clear_exits_0_and_errors_do_not_change_it(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name\nAcme Widgets Ltd\n\n   \nNorthwind Traders\n", encoding="utf-8")
    result = batch(str(path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0
    assert brief(read_csv(tmp_path / "out.csv")) == [
        ["Acme Widgets Ltd", "clear", "", ""], ["   ", "error", "", "empty name"], ["Northwind Traders", "clear", "", ""],
    ]


def test_workers_keep_input_order(tmp_path):
    names = ["Mahan Air", "Acme Widgets Ltd", "Rosoboronexport", "", "Northwind Traders", "哈尔滨工业大学"]
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name"])
        for i in range(1500):  # several chunks per worker
            writer.writerow([i, names[i % len(names)]])
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert batch(str(path), "-o", str(one)).exit_code == 1
    assert batch(str(path), "-o", str(two), "--workers", "2").exit_code == 1
    rows = read_csv(two)
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1500)]
    assert rows == read_csv(one)
    assert json.loads((tmp_path / "two.csv.meta.json").read_text())[RUN_KEY]["workers"] == 2


def test_failure_mid_run_leaves_no_output(tmp_path, monkeypatch):
    from screen.screening import Screener

    real = Screener.screen
    calls = []

    def failing(self, name, country=None):
        calls.append(name)
        if len(calls) == 3:  # the last row of the file
            raise RuntimeError("disk on fire")
        return real(self, name, country)

    monkeypatch.setattr(Screener, "screen", failing)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["batch", str(FIXTURES / "ragged.csv"), "-o", str(out), *LISTS])
    assert result.exit_code == 3
    assert result.stderr == "Internal error: RuntimeError: disk on fire (run with --debug for the traceback)\n"
    assert list(tmp_path.iterdir()) == []


def test_help_documents_every_result_column_and_an_example():
    result = CliRunner().invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0
    for name, description in RESULT_COLUMNS:
        assert f"{name:<22}{description}" in result.output
    assert "ecscreen batch suppliers.csv -o screened.csv" in result.output


def test_broken_list_exit_3_and_no_output(tmp_path):
    broken = tmp_path / "broken-list.csv"
    broken.write_text("name,country\nAcme,CN,extra\n", encoding="utf-8")
    out = tmp_path / "out" / "out.csv"
    out.parent.mkdir()
    result = CliRunner().invoke(cli, ["batch", str(FIXTURES / "utf8.csv"), "-o", str(out), "--no-bundled", "--list", str(broken)])
    assert result.exit_code == 3
    assert "problem(s) in list data" in result.stderr
    assert list(out.parent.iterdir()) == []


def test_no_bundled_needs_a_list():
    result = CliRunner().invoke(cli, ["batch", str(FIXTURES / "utf8.csv"), "--no-bundled"])
    assert result.exit_code == 2
    assert result.stderr == "Error: field '--no-bundled': --no-bundled needs at least one --list PATH\n"
