"""Linked risk end to end: names as users type them, through matching, to sourced paths and risk levels."""

from __future__ import annotations

import json

import pytest

from screen.screening import Screener

YMTC = "Yangtze Memory Technologies Co., Ltd. (Entity List, 87 FR 77508)"
PMISH = "Shanghai Jingce Semiconductor Technology Co., Ltd. (Entity List, 89 FR 96836)"
NPU = "Northwestern Polytechnical University (Entity List, 66 FR 24266)"
HIT = "Harbin Institute of Technology (Entity List, 85 FR 34497)"


def path_texts(finding) -> list[str]:
    return [p.text() for paths in finding.paths.values() for p in paths]


@pytest.mark.parametrize("spelling", [
    "Hubei Yangtze Memory Laboratories", "Hubei Yangtze Memory Labs", "HUBEI YANGTZE PILOT-LINE SERVICES",
    "Hubei Yangtze Pilot Line Services Co., Ltd.", "Hubei Yangtze Memory Laboratory",
])
def test_pilot_line_lab_leads_to_ymtc_and_pmish(bundled_screener, spelling):
    finding = bundled_screener.screen(spelling)
    assert finding.risk == "linked" and finding.status == "alert"
    texts = " | ".join(path_texts(finding))
    assert f"Hubei Yangtze Memory Laboratories shares its pilot line with {YMTC}" in texts
    assert f"{PMISH} is a key stakeholder in Hubei Yangtze Memory Laboratories" in texts
    assert "[source: Nikkei Asia, republished by KrASIA" in texts


@pytest.mark.parametrize("spelling", [
    "State Key Laboratory of Advanced Welding and Joining", "State Key Lab of Advanced Welding & Joining",
    "state key laboratory advanced welding joining",
])
def test_university_laboratory_leads_to_its_listed_university(bundled_screener, spelling):
    finding = bundled_screener.screen(spelling)
    assert finding.risk == "linked"
    assert finding.risk_summary == f"State Key Laboratory of Advanced Welding and Joining is a laboratory of {HIT}"


@pytest.mark.parametrize("spelling", [
    "Sino-German Joint Laboratory of Neuroinformatics", "Sino German Joint Lab of Neuroinformatics",
    "Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical University",
])
def test_joint_laboratory_leads_to_npu(bundled_screener, spelling):
    finding = bundled_screener.screen(spelling)
    assert finding.risk == "linked"
    assert any(NPU in text for text in path_texts(finding))


@pytest.mark.parametrize("spelling", ["Technische Universität Berlin", "TU Berlin", "Technische Universitat Berlin"])
def test_research_partner_is_linked_directly_and_through_the_joint_labs(bundled_screener, spelling):
    finding = bundled_screener.screen(spelling)
    assert finding.risk == "linked"
    texts = path_texts(finding)
    assert f"Technische Universität Berlin is a research partner of {NPU}" in " | ".join(texts)
    assert any(len(p.steps) == 2 for paths in finding.paths.values() for p in paths)  # via a joint lab


def test_brain_computer_center_is_a_joint_laboratory_with_npu(bundled_screener):
    finding = bundled_screener.screen(
        "Shaanxi Provincial International Joint Research Center for Brain-Computer Integration "
        "and Its Unmanned System Applications")
    assert finding.risk == "linked"
    assert any(f"is a joint laboratory with {NPU}" in t for t in path_texts(finding))


@pytest.mark.parametrize("name", ["JFS Laboratory", "Yongjiang Laboratory", "Y-LAB", "UGTC", "Siemens AG"])
def test_affiliated_records_without_a_listed_link_are_information(bundled_screener, name):
    finding = bundled_screener.screen(name)
    assert finding.risk == "affiliated"
    assert finding.status == "clear" and finding.alerts  # shown, but not an alert
    assert finding.risk_summary.startswith("affiliated record with no listed link")


def test_ugtc_subsidiary_link_is_shown(bundled_screener):
    finding = bundled_screener.screen("China United Heavy-Duty Gas Turbine Company")
    links = [p.text() for paths in finding.links.values() for p in paths]
    assert any("is a subsidiary of State Power Investment Corporation" in t for t in links)


def test_listed_party_shows_its_own_links(bundled_screener):
    finding = bundled_screener.screen("Yangtze Memory Technologies Co., Ltd.")
    assert finding.risk == "listed"
    record_id = finding.alerts[0].record.id
    assert record_id == "EL-yangtze-memory-technologies-co-ltd"
    assert any("shares its pilot line with" in p.text() for p in finding.links[record_id])


def test_depth_one_cuts_two_step_paths():
    screener = Screener.open(depth=1)
    finding = screener.screen("TU Berlin")
    assert all(len(p.steps) == 1 for paths in finding.paths.values() for p in paths)


def test_an_edge_to_a_record_a_user_list_marks_removed_is_no_longer_a_path(tmp_path, bundled_screener):
    ymtc = bundled_screener.store.get("EL-yangtze-memory-technologies-co-ltd")
    removed = {"id": ymtc.id, "list_code": "EL", "name": ymtc.name, "aliases": list(ymtc.aliases),
               "removed": "2026-10-01", "federal_register": list(ymtc.federal_register)}
    mine = tmp_path / "removals.jsonl"
    mine.write_text(json.dumps(removed) + "\n", encoding="utf-8")
    finding = Screener.open([mine]).screen("Hubei Yangtze Memory Laboratories")
    texts = " | ".join(path_texts(finding))
    assert "shares its pilot line with" not in texts  # YMTC is no longer a restricted target
    assert "is a key stakeholder in" in texts  # PMISH still is


def test_user_relationships_file_and_the_fifty_percent_rule(tmp_path):
    # Context parties (AFFIL), not restricted themselves: a user CSV would make them restricted (USER).
    parties = tmp_path / "parties.jsonl"
    parties.write_text(
        '{"id": "USER-acme", "list_code": "AFFIL", "name": "Acme Photonics Holdings", "countries": ["HK"]}\n'
        '{"id": "USER-beta", "list_code": "AFFIL", "name": "Beta Optics Trading", "countries": ["HK"]}\n',
        encoding="utf-8")
    edges = tmp_path / "edges.csv"
    edges.write_text(
        "subject,relation,object,percentage,source,source_date,source_url,note\n"
        "USER-acme,owned_by,EL-yangtze-memory-technologies-co-ltd,30,Company registry extract,2026-10-01,,\n"
        "USER-acme,owned_by,USER-beta,50,Company registry extract,2026-10-01,,\n"
        "USER-beta,owned_by,EL-shanghai-jingce-semiconductor-technology-co-ltd,60,Company registry extract,2026-10-01,,\n",
        encoding="utf-8")
    screener = Screener.open([parties, edges])
    finding = screener.screen("Acme Photonics Holdings")
    owned = finding.ownership["USER-acme"]
    # Beta is 60% owned by a listed party, so Beta is covered and its 50% stake counts in full.
    assert owned.covered and owned.listed_share == pytest.approx(80.0)
    assert owned.arithmetic() == (
        "30% (Yangtze Memory Technologies Co., Ltd., Entity List) + 50% (Beta Optics Trading, covered: owned "
        "60% by Shanghai Jingce Semiconductor Technology Co., Ltd., Entity List) = 80% >= 50%")
    assert finding.risk == "listed"
    assert "covered by the BIS Affiliates Rule" in finding.risk_summary

    off = Screener.open([parties, edges], affiliates_rule=False).screen("Acme Photonics Holdings")
    assert off.ownership == {} and off.risk == "linked"
