"""Match quality on the labelled cases (tests/cases/names.csv): the tricky rows one by one, the rest in aggregate.

The aggregate floors sit a little under what bench/eval_quality.py measures today, so a change that
costs recall or lets generic names through fails here. The issue's targets (recall 0.98, at most 5%
of hard negatives alerting) are reported by the benchmark, not faked here.
"""

from __future__ import annotations

import pytest

from tests.cases.evaluate import alerted_on_target, case_passes, load_cases

CASES = load_cases()
BY_ID = {case.id: case for case in CASES}

# Rows that carry the product's promises (PRODUCT.md, "What good means"); each must pass on its own.
TRICKY = [
    case.id
    for case in CASES
    if case.against == "bundled"
    and case.category in {"homoglyph", "chinese", "traditional", "pinyin", "acronym", "spelling", "legal_form"}
] + ["b-neg-bift", "b-neg-tsmc", "b-neg-china-railway-group"]
# The issue's own hard negatives, against the full 2022 CSL.
TRICKY_CSL = ["neg-bift", "neg-northwestern-univ", "neg-nanjing-univ", "neg-tsmc", "neg-china-railway-group"]

# Known misses of the current matcher, tracked in the benchmark rather than hidden: an acronym that
# is not the initials of the name, a Cyrillic name that differs from the listed transliteration.
KNOWN_MISSES = {"b-acr-sustech-derived"}


@pytest.mark.parametrize("case_id", TRICKY)
def test_tricky_case(bundled_screener, case_id):
    case = BY_ID[case_id]
    if case_id in KNOWN_MISSES:
        pytest.xfail("known miss, counted in bench/eval_quality.py")
    finding = bundled_screener.screen(case.query, case.country or None)
    assert case_passes(case, finding), (case.query, [(m.record.name, m.score) for m in finding.alerts[:3]])


@pytest.mark.slow
@pytest.mark.parametrize("case_id", TRICKY_CSL)
def test_tricky_case_against_full_2022_csl(csl_screener, case_id):
    case = BY_ID[case_id]
    finding = csl_screener.screen(case.query, case.country or None)
    assert finding.status == "clear", [(m.record.name, m.score) for m in finding.alerts[:3]]


def _aggregate(screener, against):
    rows = [c for c in CASES if c.against == against]
    positives = [c for c in rows if c.expect == "match"]
    negatives = [c for c in rows if c.expect == "no_match"]
    findings = {c.id: screener.screen(c.query, c.country or None) for c in rows}
    recall = sum(alerted_on_target(c, findings[c.id]) for c in positives) / len(positives)
    alerting = sum(findings[c.id].status == "alert" for c in negatives) / len(negatives)
    return recall, alerting


def test_aggregate_quality_on_bundled_lists(bundled_screener):
    recall, alerting = _aggregate(bundled_screener, "bundled")
    assert recall >= 0.95  # measured 0.962
    assert alerting <= 0.06  # measured 0.050


@pytest.mark.slow
def test_aggregate_quality_against_full_2022_csl(csl_screener):
    recall, alerting = _aggregate(csl_screener, "csl2022")
    assert recall >= 0.97  # measured 0.979
    assert alerting <= 0.045  # measured 0.035
