"""Linked-risk paths, notable links, neighbourhoods and the 50% ownership rule."""

from __future__ import annotations

import random

import pytest

from screen.graph import (
    DEFAULT_DEPTH,
    MAX_PATHS,
    STRENGTH,
    Graph,
    Ownership,
    RiskPath,
    format_pct,
)
from screen.models import RELATION_TYPES, Citation, Record, Relationship

K = Citation(
    "\"China's state-backed labs provide a lifeline for US-blacklisted chip suppliers\", Nikkei Asia (KrASIA)",
    "2025-02",
)
S = Citation(
    "\"Foreign collaboration continues in China's drive for technology self-reliance\", The Strategist (ASPI)",
    "2022-09-14",
    "https://www.aspistrategist.org.au/foreign-collaboration-continues-in-chinas-drive-for-technology-self-reliance/",
)
A = Citation("ASPI China Defence Universities Tracker", "2020")
SYN = Citation("synthetic")

HYML = Record(
    "affil-hyml", "AFFIL", "Hubei Yangtze Memory Laboratories",
    aliases=("Hubei Yangtze Pilot-Line Services", "Hubei Yangtze Memory Labs"), kind="pilot_line",
)
YMTC = Record(
    "el-ymtc", "EL", "Yangtze Memory Technologies Co., Ltd.", aliases=("YMTC",),
    federal_register=("87 FR 77508 (2022-12-19)",),
)
PMISH = Record(
    "el-pmish", "EL", "Shanghai Jingce Semiconductor Technology Co., Ltd.", aliases=("PMISH",),
    federal_register=("89 FR 96836 (2024-12-05)",),
)
NPU = Record(
    "el-npu", "EL", "Northwestern Polytechnical University", federal_register=("66 FR 24266 (2001-05-14)",)
)
SGJL = Record(
    "affil-npu-sgjl", "AFFIL",
    "Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical University",
    kind="laboratory",
)
BCI = Record(
    "affil-npu-bci", "AFFIL",
    "Shaanxi Provincial International Joint Research Center for Brain-Computer Integration and Its Unmanned "
    "System Applications",
    kind="research_institute",
)
TUB = Record("affil-tub", "AFFIL", "Technische Universität Berlin", kind="university")
HIT = Record("el-hit", "EL", "Harbin Institute of Technology", federal_register=("85 FR 34497 (2020-06-05)",))
HIT_LAB = Record(
    "affil-hit-welding", "AFFIL", "State Key Laboratory of Advanced Welding and Joining", kind="laboratory"
)

FACTS_RECORDS = (HYML, YMTC, PMISH, NPU, SGJL, BCI, TUB, HIT, HIT_LAB)
FACTS_RELATIONSHIPS = (
    Relationship(HYML.id, "shares_pilot_line_with", YMTC.id, K),
    Relationship(PMISH.id, "stakeholder_in", HYML.id, K),
    Relationship(SGJL.id, "laboratory_of", NPU.id, S),
    Relationship(SGJL.id, "joint_laboratory_with", TUB.id, S),
    Relationship(BCI.id, "joint_laboratory_with", NPU.id, S),
    Relationship(BCI.id, "joint_laboratory_with", TUB.id, S),
    Relationship(TUB.id, "research_partner_of", NPU.id, S, note="since 2002"),
    Relationship(HIT_LAB.id, "laboratory_of", HIT.id, A),
)

K_SOURCE = (
    " [source: \"China's state-backed labs provide a lifeline for US-blacklisted chip suppliers\", "
    "Nikkei Asia (KrASIA), 2025-02]"
)


@pytest.fixture(scope="module")
def facts() -> Graph:
    return Graph({r.id: r for r in FACTS_RECORDS}, FACTS_RELATIONSHIPS)


def rec(rid: str, list_code: str = "AFFIL", name: str | None = None, **kw) -> Record:
    return Record(rid, list_code, name or rid, **kw)


def rel(subject: str, relation: str, obj: str, percentage: float | None = None, note: str = "") -> Relationship:
    return Relationship(subject, relation, obj, SYN, percentage, note)


def graph(records, relationships) -> Graph:
    return Graph({r.id: r for r in records}, relationships)


def ends(paths: list[RiskPath]) -> list[str]:
    return [p.end.id for p in paths]


# The constants other modules rely on.


def test_strength_ranks_every_relation_type():
    assert set(STRENGTH) == RELATION_TYPES
    assert STRENGTH["owned_by"] == STRENGTH["subsidiary_of"] == 1
    assert STRENGTH["research_partner_of"] == 3
    operational = RELATION_TYPES - {"owned_by", "subsidiary_of", "research_partner_of"}
    assert {r for r, v in STRENGTH.items() if v == 2} == operational
    assert DEFAULT_DEPTH == 2


@pytest.mark.parametrize(
    "value, text",
    [(60.0, "60"), (33.3, "33.3"), (50, "50"), (49.9, "49.9"), (100 / 3, "33.33"), (0.6 * 0.5 * 100, "30")],
)
def test_format_pct_has_no_trailing_zeros(value, text):
    assert format_pct(value) == text


# The facts: pilot line, stakeholder, laboratories.


def test_pilot_line_lab_reaches_both_listed_parties_with_citation_and_source(facts):
    paths = facts.paths_to_listed(HYML.id)
    assert ends(paths) == [PMISH.id, YMTC.id]  # same strength and length: by target name
    assert [p.sentences() for p in paths] == [
        [
            "Shanghai Jingce Semiconductor Technology Co., Ltd. (Entity List, 89 FR 96836) "
            "is a key stakeholder in Hubei Yangtze Memory Laboratories" + K_SOURCE
        ],
        [
            "Hubei Yangtze Memory Laboratories shares its pilot line with "
            "Yangtze Memory Technologies Co., Ltd. (Entity List, 87 FR 77508)" + K_SOURCE
        ],
    ]
    pmish, ymtc = paths
    assert pmish.steps[0].forward is False and ymtc.steps[0].forward is True
    assert pmish.strength == ymtc.strength == 2
    assert pmish.records == (HYML, PMISH)
    assert ymtc.text() == ymtc.sentences()[0]


@pytest.mark.parametrize("relationship", FACTS_RELATIONSHIPS, ids=lambda r: f"{r.subject}-{r.relation}-{r.object}")
def test_every_fact_is_reached_from_both_ends(facts, relationship):
    for start, other, forward in ((relationship.subject, relationship.object, True),
                                  (relationship.object, relationship.subject, False)):
        links = facts.notable_links(start)
        hits = [p for p in links if p.end.id == other and p.steps[0].relationship == relationship]
        assert len(hits) == 1 and hits[0].steps[0].forward is forward
        if FACTS_RECORDS[[r.id for r in FACTS_RECORDS].index(other)].restricted:
            assert any(p.steps == hits[0].steps for p in facts.paths_to_listed(start))


def test_laboratory_of_a_listed_university(facts):
    (path,) = facts.paths_to_listed(HIT_LAB.id)
    assert path.text() == (
        "State Key Laboratory of Advanced Welding and Joining is a laboratory of "
        "Harbin Institute of Technology (Entity List, 85 FR 34497) "
        "[source: ASPI China Defence Universities Tracker, 2020]"
    )
    # From the university's side the sentence still reads lab first.
    (link,) = facts.notable_links(HIT.id)
    assert link.sentences() == path.sentences() and link.steps[0].forward is False
    assert facts.paths_to_listed(HIT.id) == []


def test_joint_laboratory_leads_to_its_listed_university(facts):
    paths = facts.paths_to_listed(SGJL.id)
    assert [(p.end.id, p.strength, len(p.steps)) for p in paths] == [(NPU.id, 2, 1), (NPU.id, 3, 2)]
    assert paths[0].sentences()[0].startswith(
        "Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical University is a laboratory "
        "of Northwestern Polytechnical University (Entity List, 66 FR 24266) [source: \"Foreign collaboration"
    )
    assert paths[1].text() == (
        f"Sino-German Joint Laboratory of Neuroinformatics of Northwestern Polytechnical University is a joint "
        f"laboratory with Technische Universität Berlin [source: {S}]; Technische Universität Berlin is a research "
        f"partner of Northwestern Polytechnical University (Entity List, 66 FR 24266) [source: {S}]"
    )


def test_operational_paths_outrank_a_direct_research_partnership(facts):
    paths = facts.paths_to_listed(TUB.id)
    assert [(tuple(r.id for r in p.records), p.strength) for p in paths] == [
        ((TUB.id, BCI.id, NPU.id), 2),
        ((TUB.id, SGJL.id, NPU.id), 2),
        ((TUB.id, NPU.id), 3),
    ]


def test_listed_start_reaches_other_listed_parties_and_depth_cuts(facts):
    (path,) = facts.paths_to_listed(YMTC.id)
    assert path.records == (YMTC, HYML, PMISH)
    assert [s.forward for s in path.steps] == [False, False]
    assert path.text() == (
        "Hubei Yangtze Memory Laboratories shares its pilot line with Yangtze Memory Technologies Co., Ltd. "
        "(Entity List, 87 FR 77508)" + K_SOURCE + "; Shanghai Jingce Semiconductor Technology Co., Ltd. "
        "(Entity List, 89 FR 96836) is a key stakeholder in Hubei Yangtze Memory Laboratories" + K_SOURCE
    )
    assert facts.paths_to_listed(YMTC.id, depth=1) == []
    assert facts.paths_to_listed(YMTC.id, depth=0) == []


def test_notable_links_of_a_listed_party_show_what_points_at_it(facts):
    (link,) = facts.notable_links(YMTC.id)
    assert link.records == (YMTC, HYML)
    assert link.steps[0].forward is False
    assert link.sentences()[0].startswith("Hubei Yangtze Memory Laboratories shares its pilot line with Yangtze")
    assert [p.end.id for p in facts.notable_links(NPU.id)] == [BCI.id, SGJL.id, TUB.id]


def test_unknown_record_gives_empty_answers(facts):
    assert facts.edges("nope") == []
    assert facts.paths_to_listed("nope") == []
    assert facts.notable_links("nope") == []
    assert facts.neighbourhood("nope") == ([], [])
    assert facts.ownership("nope") is None


# Neighbourhood.


def test_neighbourhood_goes_both_ways_by_depth(facts):
    records, relationships = facts.neighbourhood(HYML.id, depth=1)
    assert records == [HYML, PMISH, YMTC]
    assert set(relationships) == set(FACTS_RELATIONSHIPS[:2])

    records, relationships = facts.neighbourhood(NPU.id, depth=1)
    assert records == [NPU, BCI, SGJL, TUB]  # all three point at NPU
    assert len(relationships) == 5  # the edges among the neighbours (both labs with TU Berlin) too

    records, _ = facts.neighbourhood(HIT_LAB.id, depth=2)
    assert records == [HIT_LAB, HIT]

    chain = [rec(f"n{i}") for i in range(5)]
    g = graph(chain, [rel(f"n{i}", "backed_by", f"n{i + 1}") for i in range(4)])
    assert [r.id for r in g.neighbourhood("n2", depth=1)[0]] == ["n2", "n1", "n3"]
    records, relationships = g.neighbourhood("n2", depth=2)
    assert [r.id for r in records] == ["n2", "n1", "n3", "n0", "n4"]
    assert len(relationships) == 4
    assert g.neighbourhood("n2", depth=0) == ([chain[2]], [])


# Synthetic graphs: cycles, hubs, ranking, removals, bad edges.


def test_cycles_terminate_with_simple_paths():
    records = [rec("a"), rec("b"), rec("c"), rec("x", "EL")]
    g = graph(records, [rel("a", "backed_by", "b"), rel("b", "backed_by", "c"), rel("c", "backed_by", "a"),
                        rel("c", "operated_by", "x")])
    paths = g.paths_to_listed("a", depth=6)
    assert [tuple(r.id for r in p.records) for p in paths] == [("a", "c", "x"), ("a", "b", "c", "x")]
    for p in paths:
        assert len({r.id for r in p.records}) == len(p.records) == len(p.steps) + 1
    no_target = graph(records[:3], [rel("a", "backed_by", "b"), rel("b", "backed_by", "c"), rel("c", "backed_by", "a")])
    assert no_target.paths_to_listed("a", depth=10) == []


def test_path_stops_at_the_first_listed_party():
    records = [rec("a"), rec("x", "EL"), rec("y", "EL")]
    g = graph(records, [rel("a", "backed_by", "x"), rel("x", "backed_by", "y")])
    assert [tuple(r.id for r in p.records) for p in g.paths_to_listed("a", depth=3)] == [("a", "x")]
    assert [tuple(r.id for r in p.records) for p in g.paths_to_listed("x", depth=3)] == [("x", "y")]


def test_hub_with_500_edges_stays_bounded():
    spokes = [rec(f"el-{i:03d}", "EL", f"Listed {i:03d}") for i in range(500)]
    hub = rec("hub")
    leaf = rec("leaf")
    edges = [rel(s.id, "laboratory_of", "hub") for s in spokes] + [rel("leaf", "backed_by", "hub")]
    g = graph([hub, leaf, *spokes], edges)
    paths = g.paths_to_listed("hub")
    assert len(paths) == MAX_PATHS
    assert ends(paths) == [f"el-{i:03d}" for i in range(MAX_PATHS)]
    assert len(g.paths_to_listed("leaf")) == MAX_PATHS
    assert len(g.paths_to_listed("hub", limit=5)) == 5
    assert len(g.notable_links("hub")) == MAX_PATHS
    assert len(g.edges("hub")) == 501

    # A dense graph at a large depth has millions of simple paths: the search budget stops it.
    clique = [rec(f"c{i:02d}") for i in range(60)]
    target = rec("t", "EL")
    edges = [rel(a.id, "backed_by", b.id) for i, a in enumerate(clique) for b in clique[i + 1:]]
    edges += [rel(c.id, "operated_by", "t") for c in clique]
    g = graph([*clique, target], edges)
    paths = g.paths_to_listed("c00", depth=6)
    assert len(paths) == MAX_PATHS
    assert [len(p.steps) for p in paths[:2]] == [1, 2]  # breadth-first: the shortest is never lost


def test_ranking_ownership_then_operational_then_research_shorter_first():
    records = [rec("s"), rec("a", "EL", "Alpha"), rec("b", "EL", "Bravo"), rec("c", "EL", "Charlie"),
               rec("d", "EL", "Delta"), rec("m", name="Middle")]
    relationships = [
        rel("s", "research_partner_of", "a"),
        rel("s", "operated_by", "b"),
        rel("s", "owned_by", "c", 10),
        rel("s", "subsidiary_of", "m"),
        rel("m", "owned_by", "d", 100),
    ]
    for seed in range(3):  # the order of the input does not matter
        random.Random(seed).shuffle(relationships)
        paths = graph(records, relationships).paths_to_listed("s")
        assert [(p.end.id, p.strength, len(p.steps)) for p in paths] == [
            ("c", 1, 1), ("d", 1, 2), ("b", 2, 1), ("a", 3, 1)
        ]


def test_removed_record_is_not_a_target_but_can_be_walked_through():
    records = [rec("s"), rec("r", "EL", "Gone Ltd.", removed="2024-01-01", federal_register=("80 FR 1",)),
               rec("t", "EL", "Target Ltd.")]
    g = graph(records, [rel("s", "operated_by", "r"), rel("r", "backed_by", "t")])
    (path,) = g.paths_to_listed("s")
    assert path.end.id == "t"
    assert path.sentences()[0] == "s is operated by Gone Ltd. (removed from Entity List 2024-01-01) [source: synthetic]"
    assert path.sentences()[1] == (
        "Gone Ltd. (removed from Entity List 2024-01-01) is backed by Target Ltd. (Entity List) [source: synthetic]"
    )
    assert g.paths_to_listed("s", depth=1) == []


def test_edges_to_unknown_records_self_loops_and_repeats_are_ignored():
    records = [rec("s"), rec("t", "EL")]
    good = rel("s", "backed_by", "t")
    g = graph(records, [rel("s", "backed_by", "ghost"), rel("ghost", "owned_by", "t", 90), rel("s", "backed_by", "s"),
                        good, good])
    assert g.edges("s") == g.edges("s")[:1] and g.edges("s")[0].relationship == good
    assert len(g.paths_to_listed("s")) == 1
    assert g.ownership("t") is None


def test_other_restricted_lists_and_records_without_citation():
    records = [rec("s"), rec("u", "UVL", "Unverified Co.", federal_register=("89 FR 1234 (2024-01-02)",)),
               rec("m", "MEU", "End User Co.")]
    g = graph(records, [rel("s", "affiliated_entity_of", "u"), rel("m", "subordinate_institution_of", "s")])
    assert [p.text() for p in g.paths_to_listed("s")] == [
        "End User Co. (Military End-User List) is a subordinate institution of s [source: synthetic]",
        "s is an affiliated entity of Unverified Co. (Unverified List, 89 FR 1234) [source: synthetic]",
    ]


@pytest.mark.parametrize(
    "relation, percentage, phrase",
    [
        ("owned_by", 60.0, "is owned 60% by"),
        ("owned_by", 33.30, "is owned 33.3% by"),
        ("owned_by", None, "is owned by"),
        ("subsidiary_of", None, "is a subsidiary of"),
        ("operated_by", None, "is operated by"),
        ("backed_by", None, "is backed by"),
        ("joint_laboratory_with", None, "is a joint laboratory with"),
        ("research_partner_of", None, "is a research partner of"),
    ],
)
def test_wording_of_each_relation(relation, percentage, phrase):
    g = graph([rec("a", name="Alpha"), rec("b", name="Beta")], [rel("a", relation, "b", percentage)])
    (link,) = g.notable_links("b")
    assert link.sentences() == [f"Alpha {phrase} Beta [source: synthetic]"]


# Ownership: the 50% rule. Ownership cascades through covered owners; it is never multiplied.


def owned(target_pcts: dict[str, float], extra=()) -> Graph:
    records = [rec("a", name="Alpha"), rec("acme", "EL", "Acme"), rec("beta", name="Beta Holdings"),
               rec("gamma", "EL", "Gamma"), rec("delta", "EL", "Delta")]
    return graph(records, [rel("a", "owned_by", k, v) for k, v in target_pcts.items()] + list(extra))


def test_direct_fifty_percent_is_covered_and_just_under_is_not():
    o = owned({"acme": 50}).ownership("a")
    assert (o.listed_share, o.covered) == (50.0, True)
    assert o.arithmetic() == "50% (Acme, Entity List) >= 50%"
    (path, share), = o.contributions
    assert [r.id for r in path.records] == ["a", "acme"] and share == 50.0
    o = owned({"acme": 49.9}).ownership("a")
    assert (o.listed_share, o.covered) == (49.9, False)
    assert o.arithmetic() == "49.9% (Acme, Entity List) < 50%"
    # A total that would print as "50%" is never shown on the wrong side of the threshold.
    o = owned({"acme": 49.999}).ownership("a")
    assert o.arithmetic() == "49.999% (Acme, Entity List) < 50%"


def test_restricted_owners_add_up():
    o = owned({"acme": 30, "delta": 25}).ownership("a")
    assert (o.listed_share, o.covered) == (55.0, True)
    assert o.arithmetic() == "30% (Acme, Entity List) + 25% (Delta, Entity List) = 55% >= 50%"
    assert [(p.end.id, s) for p, s in o.contributions] == [("acme", 30.0), ("delta", 25.0)]
    o = owned({"acme": 30, "delta": 19.9}).ownership("a")
    assert (o.listed_share, o.covered) == (49.9, False)
    assert o.arithmetic() == "30% (Acme, Entity List) + 19.9% (Delta, Entity List) = 49.9% < 50%"
    # Float noise cannot push a sum across the threshold.
    assert owned({"acme": 0.1, "delta": 0.2}).ownership("a").listed_share == 0.3


def test_covered_owner_counts_with_its_full_stake():
    # Beta is 55% owned by listed Gamma, so Beta is covered; Alpha is 60% owned by Beta: 60%, not 33%.
    o = owned({"beta": 60}, [rel("beta", "owned_by", "gamma", 55)]).ownership("a")
    assert (o.listed_share, o.covered) == (60.0, True)
    assert o.arithmetic() == "60% (Beta Holdings, covered: owned 55% by Gamma, Entity List) >= 50%"
    (path, share), = o.contributions
    assert [r.id for r in path.records] == ["a", "beta", "gamma"] and share == 60.0
    assert path.text() == (
        "Alpha is owned 60% by Beta Holdings [source: synthetic]; "
        "Beta Holdings is owned 55% by Gamma (Entity List) [source: synthetic]"
    )
    (holding,) = o.holdings
    assert holding.owner.id == "beta" and holding.basis.listed_share == 55.0 and holding.basis.covered
    # Exactly 50% covers the owner; just under does not, and then its stake counts for nothing.
    assert owned({"beta": 60}, [rel("beta", "owned_by", "gamma", 50)]).ownership("a").listed_share == 60.0
    o = owned({"beta": 60}, [rel("beta", "owned_by", "gamma", 49.9)]).ownership("a")
    assert (o.listed_share, o.covered, o.contributions) == (0.0, False, ())


def test_the_officers_working_names_each_owner_and_why_it_counts():
    records = [rec("r", name="Rho Ltd."), rec("x", "EL", "X"), rec("alpha", name="Alpha"),
               rec("hw", "EL", "Huawei Technologies Co., Ltd.")]
    edges = [rel("r", "owned_by", "x", 30), rel("r", "owned_by", "alpha", 60), rel("alpha", "owned_by", "hw", 55)]
    o = graph(records, edges).ownership("r")
    assert (o.listed_share, o.covered) == (90.0, True)
    assert o.arithmetic() == (
        "30% (X, Entity List) + 60% (Alpha, covered: owned 55% by Huawei Technologies Co., Ltd., Entity List) "
        "= 90% >= 50%"
    )
    # Restricted owners first, then covered ones.
    assert [([r.id for r in p.records], s) for p, s in o.contributions] == [
        (["r", "x"], 30.0), (["r", "alpha", "hw"], 60.0)
    ]


def test_cascade_over_several_levels_and_several_owners():
    records = [rec("r", name="Rho"), rec("beta", name="Beta"), rec("alpha", name="Alpha"),
               rec("x", "EL", "X"), rec("y", "EL", "Y")]
    edges = [rel("r", "owned_by", "beta", 50), rel("beta", "owned_by", "alpha", 60),
             rel("alpha", "owned_by", "x", 30), rel("alpha", "owned_by", "y", 25)]
    o = graph(records, edges).ownership("r")
    assert (o.listed_share, o.covered) == (50.0, True)
    assert o.arithmetic() == (
        "50% (Beta, covered: owned 60% by Alpha (covered: owned 30% by X, Entity List + 25% by Y, Entity List "
        "= 55%)) >= 50%"
    )
    # The path shows one chain to a restricted party: through the largest stake at each level.
    (path, share), = o.contributions
    assert [r.id for r in path.records] == ["r", "beta", "alpha", "x"] and share == 50.0


def test_no_cascade_through_an_owner_that_is_not_covered():
    # Gamma (listed) owns 40% of Beta, Beta owns 100% of Alpha: neither Beta nor Alpha is covered.
    forty = [rel("beta", "owned_by", "gamma", 40)]
    o = owned({"beta": 100}, forty).ownership("a")
    assert (o.listed_share, o.covered, o.contributions, o.unquantified) == (0.0, False, (), ())
    assert o.arithmetic() == "0% < 50%; not counted: Beta Holdings (owned 40% by Gamma, Entity List; under 50%)"
    (skipped,) = o.not_counted
    assert skipped.owner.id == "beta" and skipped.share == 100.0
    assert [r.id for r in skipped.path.records] == ["a", "beta", "gamma"]
    o = owned({"beta": 100}, forty).ownership("beta")
    assert (o.listed_share, o.covered) == (40.0, False)
    # A direct listed stake still counts next to an owner that does not.
    o = owned({"acme": 30, "beta": 60}, forty).ownership("a")
    assert (o.listed_share, o.covered) == (30.0, False)
    assert o.arithmetic() == (
        "30% (Acme, Entity List) < 50%; not counted: Beta Holdings (owned 40% by Gamma, Entity List; under 50%)"
    )
    # Two levels down: the owner that is not covered names its own owner that is not covered.
    records = [rec("top", name="Top"), rec("a", name="Alpha"), rec("beta", name="Beta Holdings"),
               rec("gamma", "EL", "Gamma")]
    edges = [*forty, rel("a", "owned_by", "beta", 100), rel("top", "owned_by", "a", 100)]
    o = graph(records, edges).ownership("top")
    assert (o.listed_share, o.covered) == (0.0, False)
    assert o.arithmetic() == (
        "0% < 50%; not counted: Alpha (not counted: Beta Holdings (owned 40% by Gamma, Entity List; under 50%); "
        "under 50%)"
    )


def test_user_relationships_example_cascades():
    # acme owned 30% by listed YMTC and 50% by Beta; Beta owned 60% by listed PMISH: Beta is covered.
    records = [rec("acme", name="Acme Photonics Holdings"), rec("beta", name="Beta Optics Trading"), YMTC, PMISH]
    edges = [rel("acme", "owned_by", YMTC.id, 30), rel("acme", "owned_by", "beta", 50),
             rel("beta", "owned_by", PMISH.id, 60)]
    o = graph(records, edges).ownership("acme")
    assert (o.listed_share, o.covered) == (80.0, True)
    assert o.arithmetic() == (
        "30% (Yangtze Memory Technologies Co., Ltd., Entity List) + 50% (Beta Optics Trading, covered: owned 60% "
        "by Shanghai Jingce Semiconductor Technology Co., Ltd., Entity List) = 80% >= 50%"
    )


def test_ownership_cycle_terminates():
    # Beta is owned 50% by Alpha and 50% by listed Gamma; Alpha is owned 60% by Beta.
    cycle = [rel("beta", "owned_by", "a", 50), rel("beta", "owned_by", "gamma", 50)]
    o = owned({"beta": 60}, cycle).ownership("a")
    assert (o.listed_share, o.covered) == (60.0, True)  # Alpha, on the chain, counts as not covered for Beta
    assert [r.id for r in o.contributions[0][0].records] == ["a", "beta", "gamma"]
    o = owned({"beta": 60}, cycle).ownership("beta")
    assert (o.listed_share, o.covered) == (50.0, True)
    assert o.arithmetic() == "50% (Gamma, Entity List) >= 50%"
    # A cycle cannot lift a record over the threshold by itself.
    mutual = [rel("beta", "owned_by", "a", 60), rel("beta", "owned_by", "gamma", 40)]
    o = owned({"beta": 60}, mutual).ownership("a")
    assert (o.listed_share, o.covered) == (0.0, False)
    assert owned({"beta": 60}, mutual).ownership("beta").listed_share == 40.0
    # Mutual ownership with no restricted party anywhere is no ownership finding at all.
    assert owned({"beta": 60}, [rel("beta", "owned_by", "a", 60)]).ownership("a") is None


def test_chain_stops_at_the_first_listed_owner_and_total_is_capped():
    o = owned({"acme": 60}, [rel("acme", "owned_by", "gamma", 100)]).ownership("a")
    assert [p.end.id for p, _ in o.contributions] == ["acme"] and o.listed_share == 60.0
    o = owned({"acme": 70, "delta": 60}).ownership("a")
    assert (o.listed_share, o.covered) == (100.0, True)
    assert o.arithmetic() == "70% (Acme, Entity List) + 60% (Delta, Entity List) = 100% (sum 130%, capped) >= 50%"


def test_several_edges_to_one_owner_count_once_with_the_largest_stake():
    records = [rec("a", name="Alpha"), rec("p", "EL", "Parent")]
    edges = [rel("a", "owned_by", "p", 30), rel("a", "owned_by", "p", 40, note="later filing"),
             rel("a", "owned_by", "p", note="no share")]
    o = graph(records, edges).ownership("a")
    assert (o.listed_share, o.covered, o.unquantified) == (40.0, False, ())
    assert o.arithmetic() == "40% (Parent, Entity List) < 50%"


def test_subsidiary_counts_only_with_a_share_or_when_wholly_owned():
    records = [rec("a", name="Alpha"), rec("p", "EL", "Parent")]
    o = graph(records, [rel("a", "subsidiary_of", "p")]).ownership("a")
    assert (o.listed_share, o.covered, o.contributions) == (0.0, False, ())
    assert o.arithmetic() == "0% < 50%; share not stated: Parent (Entity List)"
    o = graph(records, [rel("a", "subsidiary_of", "p", note="Wholly owned subsidiary")]).ownership("a")
    assert (o.listed_share, o.covered) == (100.0, True)
    o = graph(records, [rel("a", "subsidiary_of", "p", 51)]).ownership("a")
    assert (o.listed_share, o.covered) == (51.0, True)
    # An owned_by without a percentage ranks as ownership but is not counted.
    o = graph(records, [rel("a", "owned_by", "p", note="wholly owned")]).ownership("a")
    assert o.listed_share == 0.0 and len(o.unquantified) == 1


def test_unstated_stakes_are_shown_not_counted():
    covered_beta = [rel("beta", "owned_by", "gamma", 55)]
    # A wholly-owned subsidiary of a covered owner is covered with 100%.
    o = owned({}, [*covered_beta, rel("a", "subsidiary_of", "beta", note="wholly-owned")]).ownership("a")
    assert (o.listed_share, o.covered) == (100.0, True)
    assert o.arithmetic() == "100% (Beta Holdings, covered: owned 55% by Gamma, Entity List) >= 50%"
    # A covered owner with an unstated stake.
    o = owned({}, [*covered_beta, rel("a", "subsidiary_of", "beta")]).ownership("a")
    assert (o.listed_share, o.covered, o.contributions) == (0.0, False, ())
    assert o.arithmetic() == "0% < 50%; share not stated: Gamma (Entity List, via Beta Holdings)"
    assert [r.id for r in o.unquantified[0].records] == ["a", "beta", "gamma"]
    # An unstated stake further up leaves the owner's cover open: the chain is shown.
    o = owned({"acme": 20, "beta": 60}, [rel("beta", "owned_by", "gamma")]).ownership("a")
    assert (o.listed_share, o.covered) == (20.0, False)
    assert o.arithmetic() == "20% (Acme, Entity List) < 50%; share not stated: Gamma (Entity List, via Beta Holdings)"


def test_ownership_follows_five_links_and_ignores_other_relations():
    chain = [rec(f"o{i}") for i in range(6)]
    for length, expected in ((5, 100.0), (6, None)):
        g = graph([*chain, rec("x", "EL")],
                  [rel(f"o{i}", "owned_by", f"o{i + 1}", 100) for i in range(length - 1)]
                  + [rel(f"o{length - 1}", "owned_by", "x", 100)])
        o = g.ownership("o0")
        assert (o.listed_share if o else None) == expected
        if o:
            assert [r.id for r in o.contributions[0][0].records] == ["o0", "o1", "o2", "o3", "o4", "x"]
    g = graph([rec("a"), rec("x", "EL")], [rel("a", "operated_by", "x"), rel("x", "owned_by", "a", 100)])
    assert g.ownership("a") is None


def test_removed_owner_is_not_restricted_but_can_be_covered():
    records = [rec("a", name="Alpha"), rec("r", "EL", "Gone Ltd.", removed="2024-01-01"), rec("x", "EL", "X")]
    assert graph(records, [rel("a", "owned_by", "r", 100)]).ownership("a") is None
    o = graph(records, [rel("a", "owned_by", "r", 100), rel("r", "owned_by", "x", 50)]).ownership("a")
    assert (o.listed_share, o.covered) == (100.0, True)


def test_dense_ownership_lattice_is_answered_in_full():
    # Four layers of ten owners, each record owned 10% by each owner of the next layer: 10,000 chains.
    layers = [["start"]] + [[f"l{k}-{i}" for i in range(10)] for k in range(1, 5)]
    records = [rec(r) for layer in layers for r in layer] + [rec("x", "EL", "X")]
    edges = [rel(low, "owned_by", high, 10) for k in range(4) for low in layers[k] for high in layers[k + 1]]
    edges += [rel(top, "owned_by", "x", 100) for top in layers[4]]
    o = graph(records, edges).ownership("start")
    assert (o.listed_share, o.covered, len(o.contributions)) == (100.0, True, 10)


def _reference_share(edges: dict[str, dict[str, float]], listed: set[str], rid: str, chain: tuple, depth: int):
    total = 0.0
    for owner, pct in edges.get(rid, {}).items():
        if owner in chain:
            continue
        if owner in listed or (depth > 1 and _reference_share(edges, listed, owner, chain + (owner,), depth - 1) >= 50):
            total += pct
    return min(total, 100.0)


@pytest.mark.parametrize("seed", range(40))
def test_ownership_agrees_with_the_rule_written_out_on_random_graphs(seed):
    rng = random.Random(seed)
    ids = [f"n{i}" for i in range(8)]
    listed = {"n6", "n7"}
    records = [rec(i, "EL" if i in listed else "AFFIL") for i in ids]
    stakes: dict[str, dict[str, float]] = {}
    for _ in range(14):
        low, high = rng.sample(ids, 2)
        stakes.setdefault(low, {})[high] = max(stakes.get(low, {}).get(high, 0), rng.choice([10, 25, 40, 50, 60, 100]))
    g = graph(records, [rel(low, "owned_by", high, pct)
                        for low, owners in stakes.items() for high, pct in owners.items()])
    for rid in ids:
        o = g.ownership(rid)
        expected = _reference_share(stakes, listed, rid, (rid,), 5)
        assert (o.listed_share if o else 0.0) == expected
        if o:
            assert o.covered == (expected >= 50)
            for path, _ in o.contributions:
                assert path.end.id in listed and len({r.id for r in path.records}) == len(path.records)


def test_arithmetic_of_an_ownership_built_from_contributions_alone():
    o = owned({"acme": 30, "beta": 60}, [rel("beta", "owned_by", "gamma", 55)]).ownership("a")
    by_hand = Ownership(o.record, o.listed_share, o.contributions, o.covered)
    assert by_hand.arithmetic() == o.arithmetic() == (
        "30% (Acme, Entity List) + 60% (Beta Holdings, covered: owned 55% by Gamma, Entity List) = 90% >= 50%"
    )


def test_no_ownership_chain_gives_none(facts):
    assert facts.ownership(HYML.id) is None
    assert facts.ownership(YMTC.id) is None
