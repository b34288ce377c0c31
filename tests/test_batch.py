"""screen.batch without the CLI: encoding detection, column finding, cell safety, and the invariants
(one output row per input row, in order; nothing left behind by a failed run), on a fake screener."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screen.batch import (
    RESULT_COLUMNS,
    RUN_KEY,
    BatchOptions,
    Outcome,
    detect_encoding,
    find_country_column,
    find_name_column,
    json_keys,
    neutralise,
    result_column_names,
    run_batch,
    scan_file,
)
from screen.errors import InputError
from screen.models import Explanation, ListInfo, Match, Record
from screen.screening import Finding

RESULTS = [name for name, _ in RESULT_COLUMNS]
LISTED = Record("EL-acme", "EL", "Acme Listed Corp", countries=("CN",))


class FakeScreener:
    """Alerts on names containing "listed"; a name of only spaces is an error, as in the real one."""

    threshold = 80.0
    lists = (ListInfo("EL", "Entity List", "test", "2022-04-21", 1, "0" * 64),)

    def __init__(self, fail_after: int | None = None, exc: BaseException | None = None) -> None:
        self.calls = 0
        self.fail_after = fail_after
        self.exc = exc or RuntimeError("boom")

    def screen(self, name: str, country: str | None = None) -> Finding:
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise self.exc
        if not name.strip():
            return Finding(name, country, "error", error="empty name")
        if "listed" in name.lower():
            match = Match(LISTED, 91.0, LISTED.name, "name", Explanation())
            return Finding(name, country, "alert", (match,), 1, risk="listed", risk_summary="listed: Acme Listed Corp")
        return Finding(name, country, "clear")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# ------------------------------------------------------------------------------------- encodings


def detect(data: bytes) -> str:
    return detect_encoding(scan_file(io.BytesIO(data)))


@pytest.mark.parametrize(
    "data, encoding",
    [
        (b"name\nAcme\n", "utf-8"),
        ("name\nMüller\n".encode(), "utf-8"),
        ("name\nMüller\n".encode("utf-8-sig"), "utf-8-sig"),
        ("name\nMüller\n".encode("utf-16"), "utf-16"),
        ("name\nMüller\n".encode("utf-32"), "utf-32"),
        ("名称\n华为技术有限公司\n哈尔滨工业大学\n".encode("gb18030"), "gb18030"),
        ("名称\n北京大学\n".encode("gbk"), "gb18030"),
        ("name\nSociété Générale\nMüller GmbH\nCrème Brûlée\n".encode("cp1252"), "cp1252"),
        ("name\nZürich AG\nMüller\n".encode() + b"Caf\xe9\n", "utf-8"),  # mostly UTF-8: the bad byte is reported
        # The evidence comes from the whole file, not only the first megabyte.
        (b"name\n" + b"Acme\n" * 300_000 + "北京大学\n".encode("gbk"), "gb18030"),
        (b"name\n" + b"Acme\n" * 300_000 + "Société\n".encode("cp1252"), "cp1252"),
    ],
)
def test_detect_encoding(data, encoding):
    assert detect(data) == encoding


@pytest.mark.parametrize(
    "headers, index",
    [
        (["id", "name"], 1),
        (["NAME", "Company"], 0),
        (["id", "Company Name", "country"], 1),
        (["supplier_name"], 0),
        (["Vendor Legal Name", "Name of contact"], 0),
        (["Contact Name", "Customer"], 1),
        (["First Name", "Last Name"], None),
        (["编号", "客户名称"], 1),
        (["名称"], 0),
        (["ID", "Counterparty", "Organisation"], 1),
        (["\ufeffname"], 0),
        (["id", "foo"], None),
    ],
)
def test_find_name_column(headers, index):
    assert find_name_column(headers) == index


def test_find_country_column():
    assert find_country_column(["name", "Country Code"]) == 1
    assert find_country_column(["名称", "国家"]) == 1
    assert find_country_column(["名称", "国家/地区"]) == 1
    assert find_country_column(["Name", "Country/Region"]) == 1
    assert find_country_column(["name", "city"]) is None


def test_result_columns_all_prefixed_on_any_collision():
    assert result_column_names(["name", "country"]) == RESULTS
    assert result_column_names(["name", " STATUS "]) == ["ecscreen_" + c for c in RESULTS]
    assert result_column_names(["status", "ecscreen_status"]) == ["ecscreen_ecscreen_" + c for c in RESULTS]


def test_outcome_fields_are_the_result_columns():
    assert Outcome._fields[: len(RESULT_COLUMNS)] == tuple(RESULTS)


def test_json_keys_unique():
    assert json_keys(["name", "name", "", "name_2"]) == ["name", "name_2", "column_3", "name_2_2"]


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("Acme", "Acme"), ("", ""), ("a=b", "a=b"), (" =1", " =1"),
    ],
)
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


# ------------------------------------------------------------------------------------ invariants

# Text as exports hold it: any printable character, delimiters, quotes and line breaks; not control
# bytes, which make a file look binary (refused, see test_cli_batch).
cell_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters='\t\n\r",;'), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell_text, min_size=0, max_size=4), max_size=25))
def test_every_row_gives_one_output_row_in_order(tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("prop")
    source = tmp / "in.csv"
    write_csv(source, [["id", "name", "notes"], *[[str(i), *r] for i, r in enumerate(rows)]])
    out = tmp / "out.csv"
    summary = run_batch(str(source), str(out), FakeScreener, BatchOptions(chunk_size=7))
    written = read_csv(out)
    assert summary.rows == len(rows) == len(written) - 1
    assert summary.clear + summary.alert + summary.error == len(rows)
    for i, (given_row, out_row) in enumerate(zip(rows, written[1:])):
        cells = [str(i), *given_row]
        assert out_row[0] == str(i)
        assert len(out_row) == 3 + len(RESULTS)
        status = out_row[3]
        assert status in ("clear", "alert", "error")
        if len(cells) <= 3:  # short rows are padded, cells kept (made spreadsheet-safe)
            assert out_row[: len(cells)] == [neutralise(c) for c in cells]
        elif any(c.strip() for c in cells[3:]):  # long rows are errors, extra cells kept
            assert status == "error"


def test_utf16_without_bom_is_refused_with_the_fix(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("name\nMüller GmbH\nListed Acme\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 without a BOM needs --encoding utf-16-le"):
        run_batch(str(source), str(tmp_path / "out.csv"), FakeScreener)
    summary = run_batch(str(source), str(tmp_path / "out.csv"), FakeScreener, BatchOptions(encoding="utf-16-le"))
    assert (summary.rows, summary.alert) == (2, 1)


def test_failure_mid_run_leaves_no_output(tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, [["name"], *[[f"name {i}"] for i in range(1000)]])
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError, match="boom"):
        run_batch(str(source), str(out), lambda: FakeScreener(fail_after=600), BatchOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_interrupt_keeps_the_previous_output(tmp_path, fmt):
    source = tmp_path / "in.csv"
    write_csv(source, [["name"], *[[f"name {i}"] for i in range(600)]])
    out = tmp_path / f"out.{fmt}"
    out.write_text("previous run")
    with pytest.raises(KeyboardInterrupt):
        run_batch(str(source), str(out), lambda: FakeScreener(fail_after=300, exc=KeyboardInterrupt()), BatchOptions())
    assert out.read_text() == "previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", f"out.{fmt}"]


def test_unusable_input_raises_before_any_output(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"\n\n")
    opened = []
    with pytest.raises(InputError, match="the file is empty"):
        run_batch(str(source), str(tmp_path / "out.csv"), lambda: opened.append(1), BatchOptions())
    assert opened == []  # the lists are not even loaded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_stdin_and_stdout_streams(tmp_path):
    data = "name,country\nListed Acme,CN\nPlain Co,US\n".encode("utf-16")
    stdout = io.BytesIO()
    summary = run_batch("-", None, FakeScreener, BatchOptions(output_format="jsonl"), stdin=io.BytesIO(data), stdout=stdout)
    lines = [json.loads(line) for line in stdout.getvalue().decode().splitlines()]
    assert lines[0][RUN_KEY]["input"]["path"] == "<stdin>"
    assert lines[0][RUN_KEY]["input"]["encoding"] == "utf-16"
    assert [(r["row"], r["input"]["name"], r["status"], r["result"]["best_match_list"]) for r in lines[1:]] == [
        (1, "Listed Acme", "alert", "EL"), (2, "Plain Co", "clear", ""),
    ]
    assert (summary.rows, summary.alert, dict(summary.alerts_by_list)) == (2, 1, {"EL": 1})


def test_one_column_file_keeps_commas_in_names(tmp_path):
    source = tmp_path / "names.txt"
    source.write_text("Company\nListed Acme, Inc.\nPlain Co., Ltd.\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run_batch(str(source), str(out), FakeScreener)
    assert [r[:2] for r in read_csv(out)] == [["Company", "status"], ["Listed Acme, Inc.", "alert"], ["Plain Co., Ltd.", "clear"]]


def test_progress_reports_rows_and_fraction(tmp_path):
    source = tmp_path / "in.csv"
    write_csv(source, [["name"], *[[f"name {i}"] for i in range(100)]])
    seen = []
    run_batch(str(source), str(tmp_path / "o.csv"), FakeScreener, BatchOptions(chunk_size=40),
              progress=lambda rows, fraction: seen.append((rows, fraction)))
    assert [r for r, _ in seen] == [40, 80, 100]
    assert seen[-1][1] == 1.0


def test_excel_sep_line_names_the_delimiter(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("sep=;\r\nName;Land\r\nListed Acme, Inc.;CN\r\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = run_batch(str(source), str(out), FakeScreener)
    assert [r[:3] for r in read_csv(out)] == [["Name", "Land", "status"], ["Listed Acme, Inc.", "CN", "alert"]]
    assert summary.meta[RUN_KEY]["input"]["country_column"] == "Land"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("in.json", b'[{"name": "Acme"}]', "a JSON array is not read; give JSON Lines"),
        ("in.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls workbook"),
        ("in.xlsx", b"name\nAcme\n", "not an .xlsx workbook"),
        ("in.csv", b"PK\x03\x04garbage", "cannot open as an .xlsx workbook"),
    ],
)
def test_wrong_kinds_of_file(tmp_path, name, data, message):
    source = tmp_path / name
    source.write_bytes(data)
    with pytest.raises(InputError, match=message):
        run_batch(str(source), str(tmp_path / "out.csv"), FakeScreener)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
