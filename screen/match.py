"""Scoring and explanation of one query against the candidates the index hands back.

The score is a weighted overlap of words (a Dice coefficient in which each word weighs by its
rarity in the loaded lists): words both names share count for them, words either name has alone
count against. "Beijing Institute of Fashion Technology" shares beijing, institute, technology with
"Beijing Institute of Technology", but "fashion" is rare and weighs more than the three together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

import re

from rapidfuzz.distance import OSA

from screen.index import (
    FUZZY_TOKEN_MIN,
    GENERIC_WORDS,
    MIN_FUZZY_LENGTH,
    PARENTHETICAL_NOTE,
    ROMANIZATION_SIMILARITY,
    NameIndex,
    Variant,
)
from screen.models import LIST_PRIORITY, Explanation, Match, Record, TokenPair
from screen.normalize import PARENTHETICAL, PLACE_WORDS, Normalized, normalize, romanization_fold

# What a generic word (index.GENERIC_WORDS) in the query costs when the listed name lacks it: about
# a distinctive word's weight. Chosen on tests/cases/names.csv: from 2.5 (no extra cost) up to 5 the
# generic-word negatives with an alert fall from 10.7% to 9.1% (bundled) and 5.8% to 4.7% (CSL) at
# unchanged recall; above 6 nothing more changes.
EXTRA_GENERIC_COST = 5.0
# Words that name a unit of an organisation, and what the extra words of such a query cost.
SUBUNIT_WORDS = frozenset(
    "school department branch office hospital campus faculty division headquarter procurement purchasing "
    "representative subsidiary".split()
)
SUBUNIT_EXTRA_FACTOR = 0.25
# A partial match whose shared words are all generic or places ("Beijing Technology" against
# "Beijing Institute of Technology") scores at most this: below any usual threshold, still visible
# as a near miss with --threshold 70.
GENERIC_ONLY_CAP = 0.75
# Words shorter than this count a typo at half strength (see token_similarity).
SHORT_WORD_LENGTH = 6
# Alert at or above this score (0-100). Chosen on tests/cases/names.csv: the lowest value that keeps
# the generic-word negatives (Northwestern University, China Railway Group ...) below it while typos
# in the one distinctive word of a two-word name stay above it.
DEFAULT_THRESHOLD = 80.0
# Candidates are fetched down to this far below the threshold, so near misses can be reported.
RETRIEVAL_MARGIN = 0.10
# Initials derived from a long name are weaker evidence than an acronym the list itself gives.
DERIVED_ACRONYM_FACTOR = 0.9
# A match that needed the listed name's parenthetical dropped ("... Technologies (Japan) Inc.") ranks
# just below the same match on a name that has none.
PARENTHETICAL_FACTOR = 0.98
# Country is evidence, not a filter: agreement lifts a score a little, disagreement lowers it more.
COUNTRY_AGREES = 3.0
COUNTRY_DIFFERS = -5.0
# An initial ("J") paired with the word it begins ("Joachim") counts this much of a full match.
INITIAL_SIMILARITY = 0.7
# How far below the retrieval floor a candidate's word-only estimate may be when the query holds
# initials or unit words, which only the detailed alignment credits.
ESTIMATE_SLACK = 0.3
# Whole names that differ by one edit once spaces are gone ("Kim Jong-uun") are a typo of each other,
# if long enough for one edit to be small. Short words are matched exactly word by word, so this
# catches typos inside them.
COMPACT_MIN_LENGTH = 8
_DIGITS = re.compile(r"\d+")
# Alerts reported per query at most; the rest are counted.
MAX_ALERTS = 25
# Records scored in detail per query form, best estimates first: well above MAX_ALERTS, so the cut
# never drops an alert the estimate ranked a little low.
DETAILED_CANDIDATES = 80


def token_similarity(a: str, b: str) -> float:
    """1.0 for the same word, OSA similarity for a typo of a long enough word, else 0.

    In words of four or five letters one changed letter is as often another name as a typo
    ("Peng" / "Pang", "Asif" / "Arif"): there a same-length change is squared, so it counts about
    half. A dropped or doubled letter ("Megvi" / "Megvii") stays a typo.
    """
    if a == b:
        return 1.0
    if len(a) < MIN_FUZZY_LENGTH or len(b) < MIN_FUZZY_LENGTH or a.isdigit() or b.isdigit():
        return 0.0
    if _direction(a) != _direction(b):  # "Northwestern" is not a typo of "Northeastern"
        return 0.0
    sim = OSA.normalized_similarity(a, b, score_cutoff=FUZZY_TOKEN_MIN)
    if not sim:
        # Romanisation variants ("Alexey" / "Aleksey", "Rostekh" / "Rostec"): compared folded, a
        # little below the plain comparison.
        fa, fb = romanization_fold(a), romanization_fold(b)
        if fa == fb:
            return ROMANIZATION_SIMILARITY
        return ROMANIZATION_SIMILARITY * OSA.normalized_similarity(fa, fb, score_cutoff=FUZZY_TOKEN_MIN)
    return sim * sim if len(a) == len(b) < SHORT_WORD_LENGTH else sim


_DIRECTIONS = ("northeast", "northwest", "southeast", "southwest", "north", "south", "east", "west")


def _direction(word: str) -> str:
    return next((d for d in _DIRECTIONS if word.startswith(d)), "")


def align(
    query: tuple[str, ...], listed: tuple[str, ...], weight: Callable[[str], float]
) -> tuple[float, tuple[TokenPair, ...], tuple[str, ...], tuple[str, ...]]:
    """Pair the words one to one, best pairs first; return score 0-1, pairs, extra and missing words."""
    if not query or not listed:
        return 0.0, (), query, listed
    scored = []
    for i, q in enumerate(query):
        for j, c in enumerate(listed):
            sim = token_similarity(q, c)
            if sim:
                scored.append((sim, weight(q) + weight(c), i, j))
    scored.sort(reverse=True)
    free_q = set(range(len(query)))
    free_c = set(range(len(listed)))
    pairs: list[tuple[int, TokenPair]] = []
    gained = 0.0
    for sim, w, i, j in scored:
        if i in free_q and j in free_c:
            free_q.discard(i)
            free_c.discard(j)
            pairs.append((i, TokenPair(query[i], listed[j], sim)))
            gained += sim * w
    # An initial stands for a free word it begins ("Hans J Friedrich" / "Hans Joachim Friedrich").
    for i in sorted(free_q):
        if len(query[i]) == 1 and query[i].isalpha():
            j = next((j for j in sorted(free_c) if listed[j].startswith(query[i])), None)
            if j is not None:
                free_q.discard(i)
                free_c.discard(j)
                pairs.append((i, TokenPair(query[i], listed[j], INITIAL_SIMILARITY)))
                gained += INITIAL_SIMILARITY * (weight(query[i]) + weight(listed[j]))
    for j in sorted(free_c):
        if len(listed[j]) == 1 and listed[j].isalpha():
            i = next((i for i in sorted(free_q) if query[i].startswith(listed[j])), None)
            if i is not None:
                free_q.discard(i)
                free_c.discard(j)
                pairs.append((i, TokenPair(query[i], listed[j], INITIAL_SIMILARITY)))
                gained += INITIAL_SIMILARITY * (weight(query[i]) + weight(listed[j]))
    # Words run together on one side ("sinotech" / "sino tech") pair with two free neighbours.
    for i, j in _joined(query, listed, free_q, free_c):
        pairs.append((i, TokenPair(f"{query[i]} {query[i + 1]}", listed[j], 1.0)))
        gained += weight(query[i]) + weight(query[i + 1]) + weight(listed[j])
    for j, i in _joined(listed, query, free_c, free_q):
        pairs.append((i, TokenPair(query[i], f"{listed[j]} {listed[j + 1]}", 1.0)))
        gained += weight(listed[j]) + weight(listed[j + 1]) + weight(query[i])
    # A generic word carries little when shared. A listed name's generic tail is often left out
    # ("Huawei" for "Huawei Technologies"), so a missing one costs little; but a query that adds one
    # the listed name lacks usually names another body ("Tianjin University of Technology").
    # A query that holds the whole listed name plus words naming a unit of it ("... School of
    # Automation", "... Hamburg Branch", "... - Purchasing Dept") names a part of the listed party.
    unit = not free_c and any(query[k] in SUBUNIT_WORDS for k in free_q)
    total = sum(map(weight, listed))
    for k, token in enumerate(query):
        w = weight(token)
        if k in free_q:
            w = w * SUBUNIT_EXTRA_FACTOR if unit else max(w, EXTRA_GENERIC_COST) if token in GENERIC_WORDS else w
        total += w
    extra = tuple(query[i] for i in sorted(free_q))
    missing = tuple(listed[j] for j in sorted(free_c))
    return min(1.0, gained / total), tuple(p for _, p in sorted(pairs, key=lambda x: x[0])), extra, missing


def _joined(a: tuple[str, ...], b: tuple[str, ...], free_a: set[int], free_b: set[int]) -> list[tuple[int, int]]:
    """(i, j) where free a[i] + a[i+1] spell free b[j]; marks them used."""
    lookup = {b[j]: j for j in free_b}
    found = []
    for i in sorted(free_a):
        if i in free_a and i + 1 in free_a and (j := lookup.pop(a[i] + a[i + 1], None)) is not None:
            free_a -= {i, i + 1}
            free_b.discard(j)
            found.append((i, j))
    return found




def query_forms(name: str) -> tuple[Normalized, ...]:
    """The normalised query, and also without a parenthetical ("... (HIT)")."""
    norm = normalize(name)
    forms = [norm]
    if "(" in name:
        bare = normalize(PARENTHETICAL.sub(" ", name))
        if bare.tokens and bare.tokens != norm.tokens:
            forms.append(bare)
    return tuple(forms)


def compare_names(query: str, candidate: str, index: NameIndex) -> tuple[float, Explanation]:
    """Score two names against each other (0-100), word weights taken from the index's lists."""
    best = (0.0, Explanation())
    for form in query_forms(query):
        for cform in query_forms(candidate):
            if form.tokens and cform.tokens:
                base, explanation = _score_variant(form, cform, "name", index)
                if base > best[0]:
                    best = (base, explanation)
    return round(best[0] * 100, 1), best[1]


def _score_variant(form: Normalized, vnorm: Normalized, kind: str, index: NameIndex) -> tuple[float, Explanation]:
    notes = list(dict.fromkeys((*form.notes, *vnorm.notes)))
    if form.compact and form.compact in (vnorm.compact, vnorm.compact_all) or (
        form.legal and form.compact_all == vnorm.compact
    ):
        base = 1.0
        pairs = tuple(TokenPair(t, t, 1.0) for t in form.tokens) if form.tokens == vnorm.tokens else ()
        extra = missing = ()
        if not pairs:
            notes.append("same letters once spaces and punctuation are ignored")
    else:
        base, pairs, extra, missing = align(form.tokens, vnorm.tokens, index.weight)
        if missing and pairs and all(p.listed in GENERIC_WORDS or p.listed in PLACE_WORDS for p in pairs):
            base = min(base, GENERIC_ONLY_CAP)
            notes.append("only generic and place words shared")
        one_edit = _one_edit_apart(form.compact, vnorm.compact) if extra or missing else 0.0
        if one_edit > base:
            base, pairs, extra, missing = one_edit, (), (), ()
            notes.append(f"one letter apart once spaces are ignored ({form.compact} / {vnorm.compact})")
    if kind == "acronym":
        base *= DERIVED_ACRONYM_FACTOR
        notes.append("initials of the listed name")
    if PARENTHETICAL_NOTE in vnorm.notes:
        base *= PARENTHETICAL_FACTOR
    legal = tuple(dict.fromkeys((*form.legal, *vnorm.legal)))
    return base, Explanation(pairs=pairs, extra=extra, missing=missing, legal_forms=legal, notes=tuple(notes))


def _one_edit_apart(a: str, b: str) -> float:
    if min(len(a), len(b)) < COMPACT_MIN_LENGTH or abs(len(a) - len(b)) > 1:
        return 0.0
    if _DIGITS.findall(a) != _DIGITS.findall(b):  # "Brigade 5" / "Brigade 6" are two brigades
        return 0.0
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return 0.0
    return 1.0 - 1.0 / max(len(a), len(b))


def _country_adjustment(country: str | None, record: Record) -> tuple[float, str]:
    if not country or not record.countries:
        return 0.0, ""
    if country in record.countries:
        return COUNTRY_AGREES, f"country {country} agrees"
    return COUNTRY_DIFFERS, f"country {country} differs from listed {', '.join(record.countries)}"


def match_name(
    name: str,
    index: NameIndex,
    records: Mapping[str, Record],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    country: str | None = None,
) -> tuple[list[Match], int]:
    """Score `name` against the index; return the alerts (best first, at most MAX_ALERTS) and how many."""
    floor = max(0.0, threshold / 100 - RETRIEVAL_MARGIN)
    best: dict[str, tuple[float, Variant, Explanation]] = {}
    for form in query_forms(name):
        if not form.tokens:
            continue
        # The estimate counts whole words at full weight; initials ("O. V. Deripaska") and the words
        # of a unit ("... School of Automation") change that in detail, so such queries look deeper.
        deeper = any(len(t) == 1 or t in SUBUNIT_WORDS for t in form.tokens)
        cutoff = max(0.0, floor - ESTIMATE_SLACK) if deeper else floor
        estimates = index.candidates(form, cutoff)
        # The best-estimated variant of each record is scored in detail (plus any exact compact form).
        per_record: dict[str, tuple[float, int]] = {}
        for vid, estimate in estimates.items():
            if estimate < cutoff:
                continue
            rid = index.record_ids[vid]
            held = per_record.get(rid)
            # Ties go to the lower variant number (the primary name comes first): same answer every run.
            if held is None or estimate > held[0] or (estimate == held[0] and vid < held[1]):
                per_record[rid] = (estimate, vid)
        ranked = sorted(per_record.values(), key=lambda ev: (-ev[0], ev[1]))[:DETAILED_CANDIDATES]
        for _, vid in ranked:
            variant = index.variant(vid)
            base, explanation = _score_variant(form, variant.norm, variant.kind, index)
            held = best.get(variant.record_id)
            if base >= floor and (held is None or base > held[0]):
                best[variant.record_id] = (base, variant, explanation)
    alerts: list[Match] = []
    for record_id, (base, variant, explanation) in best.items():
        record = records[record_id]
        shift, country_note = _country_adjustment(country, record)
        score = round(max(0.0, min(100.0, base * 100 + shift)), 1)
        if score < threshold:
            continue
        if country_note:
            explanation = replace(explanation, country=country_note)
        alerts.append(Match(record, score, variant.text, variant.kind, explanation))
    alerts.sort(key=lambda m: (-m.score, LIST_PRIORITY.get(m.record.list_code, len(LIST_PRIORITY)), m.record.name, m.record.id))
    return alerts[:MAX_ALERTS], len(alerts)
