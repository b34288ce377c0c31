"""The bundled lists (lists/*.jsonl): what the build promised is there, and every file validates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from screen.lists import load_store, validate_path
from screen.models import RECORD_KINDS

LISTS = Path(__file__).resolve().parents[1] / "lists"
ASPI = "ASPI China Defence Universities Tracker"


@pytest.fixture(scope="module")
def store():
    return load_store()


def one(store, code, name):
    found = [r for r in store.records.values() if r.list_code == code and r.name == name]
    assert len(found) == 1, (code, name, [r.id for r in found])
    return found[0]


def edges(store, subject=None, relation=None, obj=None):
    return [r for r in store.relationships
            if (subject is None or r.subject == subject) and (relation is None or r.relation == relation)
            and (obj is None or r.object == obj)]


def test_manifest_lists_every_file_with_its_checksum():
    manifest = json.loads((LISTS / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["lists"]
    assert [e["code"] for e in entries] == sorted(e["code"] for e in entries)
    for entry in entries:
        data = (LISTS / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data.count(b"\n") == entry["records"]
        assert set(entry) == {"code", "title", "source", "source_url", "snapshot_date", "records", "sha256", "file",
                              "note"}
    uvl = next(e for e in entries if e["code"] == "UVL")
    assert uvl["note"] == "newest Unverified List available: April 2022 CSL"
    assert (LISTS / "__init__.py").exists()


@pytest.mark.parametrize("file", sorted(p.name for p in LISTS.glob("*.jsonl")))
def test_every_bundled_file_validates(file):
    infos, problems = validate_path(LISTS / file)
    assert problems == []
    assert infos


def test_list_sizes(store):
    counts = {info.code: info.records for info in store.lists}
    assert counts["EL"] >= 3409  # every entity of the July 2026 extract, plus restored affiliates
    assert counts["UVL"] == 201
    assert (counts["MEU"], counts["DPL"], counts["1260H"], counts["1286"], counts["CMIC"]) == (70, 564, 80, 134, 68)
    assert all(r.kind in RECORD_KINDS for r in store.records.values() if r.kind)


def test_entity_list_cleaning(store):
    ymtc = one(store, "EL", "Yangtze Memory Technologies Co., Ltd.")
    assert "Changjiang Cunchu" in ymtc.aliases
    assert ymtc.federal_register[0].startswith("87 FR 77508")
    hpstar = one(store, "EL", "Center for High Pressure Science and Technology Advanced Research")
    assert hpstar.aliases[0] == "HPSTAR"
    assert not any(a.endswith((" and", ";")) or a.startswith("and ") or "; and" in a
                   for r in store.records.values() for a in r.aliases)
    hit = one(store, "EL", "Harbin Institute of Technology")
    assert "哈尔滨工业大学" in hit.chinese_names
    assert hit.license_policy == "Presumption of denial"  # from the April 2022 CSL
    assert hit.license_requirement == "For all items subject to the EAR. (See § 744.11 of the EAR)"
    cetc13 = one(store, "EL", "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)")
    assert {"CETC 13", "China Electronics Technology Group Corporation 13th Research Institute"} <= set(cetc13.aliases)
    assert not any("§§ 734.9(g),3" in r.license_requirement for r in store.records.values())


def test_embedded_parents_became_edges(store):
    cetc13 = one(store, "EL", "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)")
    brightway = one(store, "EL", "Hebei Brightway International")  # the entry with nothing after the colon
    assert edges(store, brightway.id, "subordinate_institution_of", cetc13.id)
    subordinates = edges(store, relation="subordinate_institution_of", obj=cetc13.id)
    assert len(subordinates) == 12
    huawei = one(store, "EL", "Huawei Technologies Co., Ltd.")
    hangzhou = one(store, "EL", "Hangzhou Huawei Communication Technology Co., Ltd.")
    assert edges(store, hangzhou.id, "affiliated_entity_of", huawei.id)
    assert not any("Hangzhou Huawei" in a for a in huawei.addresses)


def test_chinese_names_and_acronyms_from_the_tracker_go_to_every_listed_record(store):
    for code in ("EL", "1286"):
        npu = one(store, code, "Northwestern Polytechnical University")
        assert "西北工业大学" in npu.chinese_names
        assert {"NPU", "NWPU"} <= set(npu.aliases)
    assert "国防科技大学" not in one(store, "EL", "National University of Defense Technology (NUDT)").chinese_names
    assert "中国人民解放军国防科技大学" in one(store, "EL", "National University of Defense Technology (NUDT)").chinese_names


def test_facts_records_and_their_relationships(store):
    lab = one(store, "AFFIL", "Hubei Yangtze Memory Laboratories")
    assert lab.kind == "pilot_line"
    assert set(lab.aliases) == {"Hubei Yangtze Pilot-Line Services", "Hubei Yangtze Memory Labs"}
    for name in ("JFS Laboratory", "Chip Hub for Integrated Photonics Xplore", "Yongjiang Laboratory",
                 "Shaanxi Provincial International Joint Research Center for Brain-Computer Integration and Its "
                 "Unmanned System Applications",
                 "Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical University",
                 "Technische Universität Berlin", "China United Heavy Duty Gas Turbine Technology Co., Ltd.",
                 "State Power Investment Corporation", "Siemens", "Shanghai Sinyang Semiconductor Materials",
                 "Heraeus Group"):
        record = one(store, "AFFIL", name)
        assert record.sources and all(c.title for c in record.sources)
    assert "Y-LAB" in one(store, "AFFIL", "Yongjiang Laboratory").aliases
    assert "UGTC" in one(store, "AFFIL", "China United Heavy Duty Gas Turbine Technology Co., Ltd.").aliases

    ymtc = one(store, "EL", "Yangtze Memory Technologies Co., Ltd.")
    pilot = edges(store, lab.id, "shares_pilot_line_with", ymtc.id)
    assert len(pilot) == 1 and "87 FR 77508" in pilot[0].note and "Nikkei" in pilot[0].source.title
    pmish = one(store, "EL", "Shanghai Jingce Semiconductor Technology Co., Ltd.")
    assert edges(store, pmish.id, "stakeholder_in", lab.id)
    chipx = one(store, "AFFIL", "Chip Hub for Integrated Photonics Xplore")
    sjtu = one(store, "AFFIL", "Shanghai Jiao Tong University")
    assert edges(store, chipx.id, "operated_by", sjtu.id)
    npu = one(store, "EL", "Northwestern Polytechnical University")
    tub = one(store, "AFFIL", "Technische Universität Berlin")
    assert edges(store, tub.id, "research_partner_of", npu.id)
    sino = one(store, "AFFIL", "Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical "
                               "University")
    assert edges(store, sino.id, "laboratory_of", npu.id) and edges(store, sino.id, "joint_laboratory_with", tub.id)
    ugtc = one(store, "AFFIL", "China United Heavy Duty Gas Turbine Technology Co., Ltd.")
    assert edges(store, ugtc.id, "subsidiary_of", one(store, "AFFIL", "State Power Investment Corporation").id)
    assert edges(store, one(store, "AFFIL", "Siemens").id, "research_partner_of", ugtc.id)
    assert edges(store, one(store, "AFFIL", "Shanghai Sinyang Semiconductor Materials").id, "research_partner_of",
                 one(store, "AFFIL", "Heraeus Group").id)
    for quiet in ("JFS Laboratory", "Yongjiang Laboratory"):
        rid = one(store, "AFFIL", quiet).id
        assert not [r for r in store.relationships if rid in (r.subject, r.object)]


def test_defence_laboratories_of_the_tracker(store):
    aspi_labs = [r for r in store.records.values()
                 if r.list_code == "AFFIL" and r.kind == "laboratory" and r.sources[0].title == ASPI]
    # 298 entries in the tracker's laboratory lists, of which about 65 are annotations of the lab before
    # them ("Jointly run with AVIC", "Hosts the PLA's Tianhe-1A supercomputer"), not laboratories.
    assert len(aspi_labs) > 215
    lab_of = {r.subject for r in edges(store, relation="laboratory_of")}
    # every one is linked to its institution: as a laboratory, or (one lab the tracker lists among
    # Information Engineering University's subsidiaries) as a subsidiary
    unit_of = lab_of | {r.subject for r in edges(store, relation="subsidiary_of")}
    assert all(r.id in unit_of for r in aspi_labs)
    assert sum(r.id in lab_of for r in aspi_labs) == len(aspi_labs) - 1
    assert len(edges(store, relation="laboratory_of")) > 225
    welding = one(store, "AFFIL", "State Key Laboratory of Advanced Welding and Joining")
    assert "先进焊接与连接国家重点实验室" in welding.chinese_names
    hit = one(store, "EL", "Harbin Institute of Technology")
    assert edges(store, welding.id, "laboratory_of", hit.id)
    ai = one(store, "AFFIL", "Artificial Intelligence Research Center")
    assert ai.chinese_names == ("人工智能研究中心",)  # the tracker's unclosed bracket
    shared = one(store, "AFFIL", "National Key Laboratory of Science and Technology on Micro/Nano Fabrication")
    owners = {store.get(r.object).name for r in edges(store, shared.id, "laboratory_of")}
    assert owners == {"Peking University", "Shanghai Jiao Tong University"}


def test_subsidiaries_of_the_tracker(store):
    subsidiary_of = edges(store, relation="subsidiary_of")
    assert len(subsidiary_of) > 140
    amms = one(store, "EL", "Academy of Military Medical Sciences")  # a listed record, not a duplicate
    assert "军事医学研究院" in amms.chinese_names
    ams = one(store, "AFFIL", "Academy of Military Science")
    assert edges(store, amms.id, "subsidiary_of", ams.id) and edges(store, amms.id, "laboratory_of", ams.id)


def test_every_relationship_has_a_source_and_known_endpoints(store):
    for rel in store.relationships:
        assert rel.source.title
        assert store.get(rel.subject) and store.get(rel.object)
        assert rel.percentage is None
