"""Every reader on real rows: the CSL downloads (CSV, JSON, the full 2022 file), user lists, JSONL."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from screen.lists import read_list_file, write_jsonl
from screen.models import Citation, Record, Relationship

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
# Written from the 13 rows of csl-fixtures/consolidated-13-rows.csv in the JSON shape of SOURCE.md
# (addresses as objects, lists as lists, "id" for "_id"), by a one-off script.
CSL_JSON = FIXTURES / "consolidated-13-rows.json"


@pytest.fixture(scope="module")
def csl_13(shared_data):
    return read_list_file(shared_data / "csl-fixtures" / "consolidated-13-rows.csv")


def test_csl_csv_13_rows(csl_13):
    records, relationships, infos = csl_13
    assert len(records) == 13
    assert relationships == []
    assert {i.code: i.records for i in infos} == {
        "EL": 1, "UVL": 1, "MEU": 1, "DPL": 1, "DTC": 1, "ISN": 1, "SDN": 1, "SSI": 3, "FSE": 1, "PLC": 2}
    el = next(r for r in records if r.list_code == "EL")
    assert el.id == "EL-99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"
    assert el.name == "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"
    assert el.aliases[-3:] == ("CETC Research Institute 13", "CETC 13",
                               "China Electronics Technology Group Corporation 13th Research Institute")
    assert el.federal_register == ("83 FR 37423", "87 FR 77505")
    assert el.added == "2018-08-01"
    assert el.countries == ("CN",)
    assert el.license_requirement == (
        "For all items subject to the EAR. (See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR)")
    assert el.license_policy.startswith("Policy of denial for all items subject to the EAR")
    info = next(i for i in infos if i.code == "EL")
    assert info.snapshot_date == "2018-08-01"
    assert len(info.sha256) == 64


def test_csl_csv_kinds_countries_and_remarks(csl_13):
    by_id = {r.id: r for r in csl_13[0]}
    rim = by_id["SDN-52291"]
    assert (rim.name, rim.kind, rim.countries) == ("RIM, Ryong Nam", "person", ("CN", "KP"))
    assert rim.addresses == ("Shenyang, CN", "Pyongyang, KP")
    sinobright = by_id["ISN-233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"]
    assert sinobright.name == "Sinobright Import and Export Company"
    assert "Listing includes any successor, sub-unit, or subsidiary thereof" in sinobright.remarks
    ash = by_id["DPL-b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"]
    assert ash.federal_register == ("67 FR 10890 (2002-03-11)", "67 FR 56530 (2002-09-04)", "71 FR 38843 (2006-07-10)")
    dtc = by_id["DTC-34d6611355974b0ba70eba9a096971f8"]
    assert dtc.source_url.endswith("ddtc_public?id=ddtc_kb_article_page&sys_id=c22d1833dbb8d300d0a370131f9619f0")


def test_csl_json_gives_the_same_records_as_the_csv(csl_13):
    records, relationships, infos = read_list_file(CSL_JSON)
    assert records == csl_13[0]
    assert relationships == []
    assert {i.code for i in infos} == {i.code for i in csl_13[2]}
    assert {i.snapshot_date for i in infos} == {"2023-08-08"}  # sources_used.source_last_updated


@pytest.mark.slow
def test_full_2022_csl_loads_every_row(shared_data):
    records, relationships, infos = read_list_file(shared_data / "csl-2022-04" / "consolidated.csv.gz")
    assert len(records) == 14160
    assert len({r.id for r in records}) == 14160
    counts = {i.code: i.records for i in infos}
    assert counts == {"SDN": 10026, "EL": 2001, "DTC": 727, "DPL": 462, "SSI": 290, "UVL": 201, "ISN": 163,
                      "PLC": 78, "MEU": 71, "CMIC": 68, "CAP": 53, "MBS": 17, "FSE": 3}
    assert next(i for i in infos if i.code == "EL").snapshot_date == "2022-04-07"
    by_id = {r.id: r for r in records}
    # every embedded parent of the 2022 file is found in the same list
    assert len(relationships) == 50
    assert "no record of it on this list" not in " ".join(r.remarks for r in records)
    names = {(by_id[r.subject].name, r.relation, by_id[r.object].name) for r in relationships}
    assert ("Hangzhou Huawei Communication Technology Co., Ltd.", "affiliated_entity_of",
            "Huawei Technologies Co., Ltd. (Huawei)") in names
    assert ("MT Microsystems", "subordinate_institution_of",
            "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)") in names
    hpstar = next(r for r in records if r.name == "Center for High Pressure Science and Technology Advanced Research"
                  and r.list_code == "EL")
    assert hpstar.aliases[0] == "HPSTAR"
    assert not any(a.startswith("and ") or a.endswith(" and") for r in records for a in r.aliases)


def test_user_csv_columns(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text(
        "Names,Aliases,Chinese_Names,Country,List,Remarks,Kind\n"
        "Harbin Institute of Technology,HIT | Hagongda,哈尔滨工业大学,China,Entity List,known,university\n"
        "Acme Widgets,,,,,,\n"
        "Beta Labs,Beta Laboratory; 贝塔实验室,,Germany;CN,Internal blocklist,,laboratory\n",
        encoding="utf-8",
    )
    records, relationships, infos = read_list_file(path)
    hit, acme, beta = records
    assert (hit.id, hit.list_code, hit.aliases, hit.chinese_names, hit.countries, hit.kind, hit.remarks) == (
        "USER-harbin-institute-of-technology", "EL", ("HIT", "Hagongda"), ("哈尔滨工业大学",), ("CN",), "university",
        "known")
    assert (acme.id, acme.list_code, acme.countries) == ("USER-acme-widgets", "USER", ())
    assert (beta.list_code, beta.aliases, beta.chinese_names, beta.countries, beta.remarks) == (
        "USER", ("Beta Laboratory",), ("贝塔实验室",), ("DE", "CN"), "list: Internal blocklist")
    assert {i.code: i.records for i in infos} == {"EL": 1, "USER": 2}
    assert all(i.source == "user list partners.csv" for i in infos)


def test_relationship_csv(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(
        "subject,relation,object,percentage,source,source_date,source_url,note\n"
        "USER-acme,owned_by,EL-huawei-technologies-co-ltd,51%,Registry extract,2025-01-02,https://example.org/r,\n"
        "USER-acme,research_partner_of,AFFIL-jfs-laboratory,,,,,MoU\n",
        encoding="utf-8",
    )
    records, relationships, infos = read_list_file(path)
    assert records == []
    assert relationships == [
        Relationship("USER-acme", "owned_by", "EL-huawei-technologies-co-ltd",
                     Citation("Registry extract", "2025-01-02", "https://example.org/r"), 51.0),
        Relationship("USER-acme", "research_partner_of", "AFFIL-jfs-laboratory",
                     Citation("user relationships links.csv"), None, "MoU"),
    ]
    assert [(i.code, i.records) for i in infos] == [("REL", 2)]


SAMPLE = [
    Record(id="USER-b", list_code="USER", name="Beta 贝塔", aliases=("B",), countries=("CN",),
           sources=(Citation("our list", "2025-01-01"),)),
    Record(id="USER-a", list_code="USER", name="Alpha\u2028Line", kind="company", remarks="x"),
]
EDGES = [
    Relationship("USER-b", "owned_by", "USER-a", Citation("registry", url="https://example.org"), 50.0, "half"),
    Relationship("USER-a", "research_partner_of", "USER-b", Citation("press")),
]


def test_jsonl_round_trip_and_canonical_bytes(tmp_path):
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    sha = write_jsonl(first, SAMPLE, EDGES)
    write_jsonl(second, reversed(SAMPLE), reversed(EDGES))
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text(encoding="utf-8").split("\n")
    assert json.loads(lines[0]) == {"id": "USER-a", "kind": "company", "list_code": "USER", "name": "Alpha\u2028Line",
                                    "remarks": "x"}
    assert "贝塔" in lines[1]  # ensure_ascii=False
    assert lines[0].startswith('{"id": "USER-a"')  # keys sorted, empty fields omitted
    assert json.loads(lines[2])["subject"] == "USER-a"  # relationships after records, sorted
    records, relationships, infos = read_list_file(first)
    assert sorted(records, key=lambda r: r.id) == sorted(SAMPLE, key=lambda r: r.id)
    assert sorted(relationships, key=lambda r: r.subject) == sorted(EDGES, key=lambda r: r.subject)
    assert {i.code: i.records for i in infos} == {"USER": 2, "REL": 2}
    assert infos[0].sha256 == sha


def test_jsonl_rewrite_of_read_records_is_identical(tmp_path):
    path = tmp_path / "one.jsonl"
    write_jsonl(path, SAMPLE, EDGES)
    records, relationships, _ = read_list_file(path)
    again = tmp_path / "again.jsonl"
    write_jsonl(again, records, relationships)
    assert again.read_bytes() == path.read_bytes()
    changed = tmp_path / "changed.jsonl"
    write_jsonl(changed, [replace(SAMPLE[0], name="Gamma"), SAMPLE[1]], EDGES)
    assert changed.read_bytes() != path.read_bytes()
