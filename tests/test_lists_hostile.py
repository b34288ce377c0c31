"""Hostile list files (tests/fixtures/lists/): every problem reported, with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from screen.errors import ExitCode, InputError, ListDataError
from screen.lists import load_store, read_list_file, validate_path
from screen.lists.store import read_file

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
RELATIONS = ("affiliated_entity_of, backed_by, joint_laboratory_with, laboratory_of, operated_by, owned_by, "
             "research_partner_of, shares_pilot_line_with, stakeholder_in, subordinate_institution_of, subsidiary_of")
KINDS = ("aircraft, company, government_body, laboratory, military, organization, person, pilot_line, "
         "research_institute, university, vessel")
UTF8_HINT = "re-save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8')"


def problems(name: str) -> list[str]:
    """validate_path's problems for a fixture, file name relative to the fixtures directory."""
    _, found = validate_path(FIXTURES / name, known_ids=[])
    return [p.located().replace(str(FIXTURES) + "/", "") for p in found]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cp1252.csv", [
            f"cp1252.csv:3: bytes are not valid UTF-8 (byte 0xe9 at column 5); {UTF8_HINT}",
            f"cp1252.csv:4: bytes are not valid UTF-8 (byte 0xfc at column 9); {UTF8_HINT}",
        ]),
        ("ragged.csv", [
            "ragged.csv:3: row has 2 fields, the header has 3",
            "ragged.csv:4: row has 4 fields, the header has 3",
        ]),
        ("newline.csv", ["newline.csv:7: field 'name': name is empty"]),
        ("empty.csv", ["empty.csv: file is empty"]),
        ("header_only.csv", ["header_only.csv:1: file has a header but no rows"]),
        ("duplicate_ids.csv", ["duplicate_ids.csv:4: field 'id': duplicate record id 'X-1' (first on line 2)"]),
        ("unknown_edge.csv", ["unknown_edge.csv:2: field 'subject': unknown record id 'EL-huawei-technologies-co-ltd'",
                              "unknown_edge.csv:2: field 'object': unknown record id 'USER-nobody'"]),
        ("bad_relations.csv", [
            f"bad_relations.csv:2: field 'relation': unknown relation type 'owns' (expected one of: {RELATIONS})",
            "bad_relations.csv:2: field 'subject': unknown record id 'A'",
            "bad_relations.csv:2: field 'object': unknown record id 'B'",
            "bad_relations.csv:3: field 'percentage': percentage 150 is outside 0-100",
            "bad_relations.csv:3: field 'subject': unknown record id 'A'",
            "bad_relations.csv:3: field 'object': unknown record id 'B'",
            "bad_relations.csv:4: field 'percentage': percentage is only allowed on owned_by, not on subsidiary_of",
            "bad_relations.csv:4: field 'subject': unknown record id 'A'",
            "bad_relations.csv:4: field 'object': unknown record id 'B'",
            "bad_relations.csv:5: field 'percentage': percentage 'abc' is not a number",
            "bad_relations.csv:6: field 'object': a record cannot be related to itself",
            "bad_relations.csv:6: field 'subject': unknown record id 'A'",
            "bad_relations.csv:6: field 'object': unknown record id 'A'",
        ]),
        ("invalid.jsonl", [
            "invalid.jsonl:2: invalid JSON: Expecting ',' delimiter at column 53",
            "invalid.jsonl:3: invalid JSON: Expecting value at column 1",
            "invalid.jsonl:4: expected a JSON object, got a list",
            "invalid.jsonl:5: field 'colour': unknown field",
            "invalid.jsonl:5: field 'name': expected a string, got a number",
            "invalid.jsonl:5: field 'aliases': expected a list of strings",
            f"invalid.jsonl:5: field 'kind': unknown kind 'spaceship' (expected one of: {KINDS})",
            "invalid.jsonl:6: field 'name': name is empty",
            "invalid.jsonl:6: field 'id': duplicate record id 'USER-a' (first on line 1)",
        ]),
        ("bad_values.csv", [
            f"bad_values.csv:2: field 'kind': unknown kind 'spaceship' (expected one of: {KINDS})",
            "bad_values.csv:3: field 'country': unknown country 'Atlantis' (use an English name or an ISO 3166 "
            "alpha-2 code)",
        ]),
        ("unrecognised.csv", [
            "unrecognised.csv:1: unrecognised CSV header: expected a 'name' column (a list of parties), "
            "'subject,relation,object' (relationships) or the Consolidated Screening List header",
        ]),
        ("not_csl.json", ["not_csl.json:1: not a Consolidated Screening List JSON download: no 'results' list"]),
        ("broken.csv.gz", ["broken.csv.gz: not a valid gzip file (Not a gzipped file (b'th'))"]),
        ("csl_bad_source.csv", [
            "csl_bad_source.csv:3: field 'source': unknown source 'Made Up List (MUL) - Nowhere' (not a Consolidated "
            "Screening List source)",
        ]),
        ("csl_short_header.csv", [
            "csl_short_header.csv:1: not the official Consolidated Screening List header (missing entity_number, type, "
            "programs, title, addresses, federal_register_notice, start_date, end_date, standard_order, "
            "license_requirement, license_policy, call_sign, vessel_type, gross_tonnage, gross_registered_tonnage, "
            "vessel_flag, vessel_owner, remarks, source_list_url, alt_names, citizenships, dates_of_birth, "
            "nationalities, places_of_birth, source_information_url, ids)",
        ]),
        ("bom.csv", []),
        ("formula.csv", []),
        ("huge_name.csv", []),
    ],
)
def test_every_problem_is_reported_exactly(name, expected):
    assert problems(name) == expected


def test_broken_file_raises_list_data_error_carrying_every_problem():
    with pytest.raises(ListDataError) as caught:
        read_list_file(FIXTURES / "ragged.csv")
    err = caught.value
    assert err.exit_code == ExitCode.DATA_ERROR
    assert err.file == str(FIXTURES / "ragged.csv")
    assert [(p.line, p.field) for p in err.problems] == [(3, None), (4, None)]
    assert str(err) == f"{FIXTURES / 'ragged.csv'}:3: row has 2 fields, the header has 3 (and 1 more problems)"


def test_load_store_reports_the_problems_of_every_broken_file_and_loads_nothing():
    with pytest.raises(ListDataError) as caught:
        load_store([FIXTURES / "bom.csv", FIXTURES / "ragged.csv", FIXTURES / "duplicate_ids.csv"], bundled=False)
    assert [(Path(p.file).name, p.line) for p in caught.value.problems] == [
        ("ragged.csv", 3), ("ragged.csv", 4), ("duplicate_ids.csv", 4)]
    assert caught.value.file is None  # several files are broken


def test_missing_and_unreadable_paths_are_input_errors(tmp_path):
    with pytest.raises(InputError) as caught:
        load_store([tmp_path / "nope.csv"], bundled=False)
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    assert caught.value.located() == f"{tmp_path / 'nope.csv'}: list file not found"
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_list_file(tmp_path / "dir.csv")
    with pytest.raises(InputError) as caught:
        validate_path(FIXTURES / "notes.txt")
    assert "unrecognised list file type: expected .csv, .csv.gz, .json, .json.gz" in caught.value.message


def test_bom_is_stripped_and_headers_are_case_insensitive():
    records, _, _ = read_list_file(FIXTURES / "bom.csv")
    assert [(r.name, r.aliases, r.countries) for r in records] == [
        ("Acme Trading Co.", ("Acme", "ACME Ltd", "Acme HK"), ("CN",))]


def test_quoted_newlines_keep_physical_line_numbers():
    _, found = validate_path(FIXTURES / "newline.csv")
    assert [(p.line, p.field) for p in found] == [(7, "name")]
    result = read_file(FIXTURES / "newline.csv")
    assert list(zip(result.record_lines, (r.name for r in result.records))) == [
        (2, "Acme Holdings"), (4, "Beta"), (7, "")]


def test_formula_looking_names_load_as_text():
    records, _, _ = read_list_file(FIXTURES / "formula.csv")
    assert [(r.name, r.aliases) for r in records] == [
        ("=cmd|' /C calc'!A0", ("+SUM(A1,A2)",)),
        ('@HYPERLINK("http://evil.example","click")', ("-2+3",)),
    ]


def test_a_10000_character_name_loads_whole():
    records, _, _ = read_list_file(FIXTURES / "huge_name.csv")
    assert len(records[0].name) == 10000
    assert len(records[0].id) <= len("USER-") + 60


def test_an_edge_to_an_unknown_record_is_dropped_at_load_but_reported_by_validate():
    store = load_store([FIXTURES / "unknown_edge.csv"])
    assert store.get("EL-huawei-technologies-co-ltd") is not None
    assert not [r for r in store.relationships if r.object == "USER-nobody"]
    _, found = validate_path(FIXTURES / "unknown_edge.csv")  # endpoints checked against the bundled records
    assert [p.located().rsplit("/", 1)[-1] for p in found] == [
        "unknown_edge.csv:2: field 'object': unknown record id 'USER-nobody'"]
