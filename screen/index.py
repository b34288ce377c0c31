"""Candidate index over every name variant of the loaded records: built once, cached on disk.

A query is scored in detail only against the variants this index hands back, a few dozen out of
tens of thousands. The index keeps, for every token of every listed name, its weight (rarer tokens
weigh more), the variants that hold it, and its one-deletion neighbours, so a typo still finds it.
Variants are stored as flat lists of plain values: the cache then loads in a fraction of a second.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

from screen.models import Record
from screen.normalize import PARENTHETICAL, Normalized, acronym, normalize, romanization_fold

# Two tokens are the same word misspelt when they differ by at most one edit in four letters
# (OSA distance, a swap counts once). Shorter tokens must match exactly. Tuned on tests/cases.
FUZZY_TOKEN_MIN = 0.75
MIN_FUZZY_LENGTH = 4
# Two spellings of one romanised Russian word ("Aleksey" / "Alexey") count as nearly the same word.
ROMANIZATION_SIMILARITY = 0.95
# Weight floor, so that a token present in every name still counts a little.
MIN_WEIGHT = 0.1
# Words that name what kind of body a party is, not which one. However rare one is in the loaded
# lists (the CSL has few universities, so "university" looks rare there), it weighs at most this,
# about what "technology" weighs in the bundled lists: such words cannot carry a match on their own.
GENERIC_WEIGHT = 2.5
GENERIC_WORDS = frozenset(
    """university institute technology group international industry trading science research academy
    college school center laboratory engineering development holding enterprise service system
    electronic national general global import export department factory plant work branch office
    agency association foundation organization federation union committee council bureau
    administration authority commission project manufacturing equipment product solution
    investment commercial business partner limited new""".split()
)
# Patronymics ("Romanovich") are often left out when a person's name is typed: a missing one costs little.
PATRONYMIC_WEIGHT = 2.0
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:ovich|evich|ovna|evna|ichna|ogly|oglu)$")

CACHE_FORMAT = 4
NEIGHBOUR_CACHE_SIZE = 200_000
PARENTHETICAL_NOTE = "listed name's parenthetical ignored"


@dataclass(frozen=True, slots=True)
class Variant:
    """One name of one record, as the index compares it."""

    record_id: str
    text: str  # as written in the list
    kind: str  # name, alias, chinese_name, acronym
    norm: Normalized


class NameIndex:
    """Token postings, typo neighbours and compact forms over all variants of all records."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.record_ids: list[str] = []
        self.texts: list[str] = []
        self.kinds: list[str] = []
        self.tokens: list[tuple[str, ...]] = []
        self.legal: list[tuple[str, ...]] = []
        self.notes: list[tuple[str, ...]] = []
        df: dict[str, int] = defaultdict(int)
        n_records = 0
        for record in records:
            n_records += 1
            seen: set[str] = set()
            for text, kind, norm in _record_variants(record):
                self.record_ids.append(record.id)
                self.texts.append(text)
                self.kinds.append(kind)
                self.tokens.append(norm.tokens)
                self.legal.append(norm.legal)
                self.notes.append(norm.notes)
                seen.update(norm.tokens)
            for token in seen:
                df[token] += 1
        self.n_records = n_records
        self.weights = {t: _weight(t, c, n_records) for t, c in df.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        compacts: dict[str, list[int]] = defaultdict(list)
        for i, (tokens, legal) in enumerate(zip(self.tokens, self.legal)):
            for token in dict.fromkeys(tokens):
                postings[token].append(i)
            compact = "".join(tokens)
            compacts[compact].append(i)
            if legal:
                compacts[compact + "".join(legal)].append(i)
        self.postings = dict(postings)
        # Most compact forms belong to one variant: a bare int unpickles far faster than a list.
        self.compacts = {k: v[0] if len(v) == 1 else tuple(v) for k, v in compacts.items()}
        weight = self.weight
        self.variant_weight = [sum(map(weight, tokens)) for tokens in self.tokens]
        deletes: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if len(token) >= MIN_FUZZY_LENGTH and not token.isdigit():
                for d in _deletions(token):
                    deletes[d].append(token)
        # Space-joined strings unpickle far faster than tuples.
        self.deletes = {k: " ".join(v) for k, v in deletes.items()}
        # Listed words whose romanisation has a common variant ("alexey" is also "aleksey").
        folds: dict[str, list[str]] = defaultdict(list)
        for token in self.postings:
            if (folded := romanization_fold(token)) != token:
                folds[folded].append(token)
        self.folds = {k: " ".join(v) for k, v in folds.items()}
        self._neighbour_cache: dict[str, tuple[tuple[str, float], ...]] = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_neighbour_cache"] = {}
        return state

    def __len__(self) -> int:
        return len(self.texts)

    def variant(self, vid: int) -> Variant:
        return Variant(
            self.record_ids[vid],
            self.texts[vid],
            self.kinds[vid],
            Normalized(self.texts[vid], self.tokens[vid], self.legal[vid], self.notes[vid], self.kinds[vid] == "chinese_name"),
        )

    def weight(self, token: str) -> float:
        w = self.weights.get(token)
        return _weight(token, 0, self.n_records) if w is None else w

    def neighbours(self, token: str) -> tuple[tuple[str, float], ...]:
        """Listed tokens within one edit of `token` (itself included when listed), with similarity."""
        hit = self._neighbour_cache.get(token)
        if hit is not None:
            return hit
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 1.0
        if len(token) >= MIN_FUZZY_LENGTH and not token.isdigit():
            pool: set[str] = set()
            for key in (token, *_deletions(token)):
                if key != token and key in self.postings:
                    pool.add(key)
                if joined := self.deletes.get(key):
                    pool.update(joined.split(" "))
            pool.discard(token)
            for listed in sorted(pool):
                if len(listed) >= MIN_FUZZY_LENGTH:
                    sim = OSA.normalized_similarity(token, listed, score_cutoff=FUZZY_TOKEN_MIN)
                    if sim:
                        found[listed] = sim
            folded = romanization_fold(token)
            for listed in (folded, *self.folds.get(folded, "").split()):
                if listed != token and listed in self.postings and listed not in found:
                    found[listed] = ROMANIZATION_SIMILARITY
        result = tuple(found.items())
        if len(self._neighbour_cache) < NEIGHBOUR_CACHE_SIZE:
            self._neighbour_cache[token] = result
        return result

    def candidates(self, query: Normalized, min_score: float) -> dict[int, float]:
        """Variants that could score at least `min_score` (0-1), each with an estimate of its score.

        Tokens are looked up rarest first; once the tokens not yet looked up could not lift a variant
        that shares none of the others to `min_score`, they only add to the variants already found
        (prefix filtering). The estimate counts exact words fully and typos by their similarity.
        """
        tokens = query.tokens
        if not tokens:
            return {}
        weight = self.weight
        total = sum(map(weight, tokens))
        gained: dict[int, float] = {}
        taken = 0.0
        # Rarest first; equal weights by spelling, so the same query always adds up in the same order.
        order = sorted(set(tokens), key=lambda t: (-weight(t), t))
        for n, token in enumerate(order):
            wq = weight(token)
            for listed, sim in self.neighbours(token):
                gain = sim * (wq + self.weights[listed])
                for vid in self.postings[listed]:
                    gained[vid] = gained.get(vid, 0.0) + gain
            taken += wq * tokens.count(token)
            rest = total - taken
            if rest <= 0 or 2 * rest / (2 * total - rest) < min_score:
                break
        for token in order[n + 1 :]:
            gain = 2 * weight(token)
            for vid in gained:
                if token in self.tokens[vid]:
                    gained[vid] += gain
        vweight = self.variant_weight
        estimate = {vid: g / (total + vweight[vid]) for vid, g in gained.items()}
        for key in dict.fromkeys((query.compact, query.compact_all)):
            found = self.compacts.get(key, ())
            for vid in (found,) if isinstance(found, int) else found:
                estimate[vid] = 1.0
        return estimate


def _record_variants(record: Record) -> list[tuple[str, str, Normalized]]:
    out: list[tuple[str, str, Normalized]] = []
    seen: set[tuple[str, ...]] = set()

    def add(text: str, kind: str, norm: Normalized) -> None:
        if norm.tokens and norm.tokens not in seen:
            seen.add(norm.tokens)
            out.append((text, kind, norm))

    for text, kind in (
        [(record.name, "name")]
        + [(a, "alias") for a in record.aliases]
        + [(c, "chinese_name") for c in record.chinese_names]
    ):
        norm = normalize(text)
        add(text, kind, norm)
        if "(" in text:  # "... Corporation (SMIC)": the name without its parenthetical is a name too
            bare = normalize(PARENTHETICAL.sub(" ", text))
            inside = {t for part in PARENTHETICAL.findall(text) for t in normalize(part[1:-1]).tokens}
            # "(Huawei)" repeats the name and loses nothing; "(Japan)" says which one it is.
            if not inside <= set(bare.tokens):
                bare = replace(bare, notes=(*bare.notes, PARENTHETICAL_NOTE))
            add(text, kind, bare)
    initials = acronym(normalize(PARENTHETICAL.sub(" ", record.name)))
    if initials:
        add(record.name, "acronym", Normalized(text=record.name, tokens=(initials,)))
    return out


def _weight(token: str, df: int, n_records: int) -> float:
    """Inverse document frequency over records, capped for generic words and patronymics."""
    w = max(MIN_WEIGHT, math.log((n_records + 1) / (df + 0.5)))
    if token in GENERIC_WORDS:
        return min(w, GENERIC_WEIGHT)
    if _PATRONYMIC.match(token):
        return min(w, PATRONYMIC_WEIGHT)
    return w


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}
