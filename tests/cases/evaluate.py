"""Reading tests/cases/names.csv and judging a Finding against one labelled row.

Shared by the test suite (tests/test_cases.py) and the quality benchmark (bench/eval_quality.py).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from screen.screening import Finding

CASES = Path(__file__).with_name("names.csv")
_PAREN = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class Case:
    id: str
    query: str
    country: str
    expect: str  # match | no_match
    target: str
    target_list: str
    against: str  # csl2022 | bundled
    category: str
    note: str


def load_cases(path: Path = CASES) -> list[Case]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [Case(**row) for row in csv.DictReader(fh)]


def name_key(name: str) -> str:
    """Loose identity of a listed name: case, punctuation and a trailing parenthetical ignored."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _keys(names) -> set[str]:
    keys = set()
    for name in names:
        keys.add(name_key(name))
        keys.add(name_key(_PAREN.sub(" ", name)))
    keys.discard("")
    return keys


def alerted_on_target(case: Case, finding: Finding) -> bool:
    wanted = _keys([case.target])
    return any(wanted & _keys(match.record.names()) for match in finding.alerts)


def case_passes(case: Case, finding: Finding) -> bool:
    if case.expect == "match":
        return alerted_on_target(case, finding)
    if not case.target:
        return finding.status == "clear"
    return not alerted_on_target(case, finding)
