"""Linked risk: how a record is tied to restricted parties, and how much of it they own.

The graph holds the typed, sourced relationships between list records (mostly the affiliated-lab records)
and answers three questions for the screening result:

- `paths_to_listed`: which restricted parties a record reaches in a few steps, each step with its source;
- `notable_links`: every direct link of a record, listed or not (for a listed party: what points at it);
- `ownership`: the BIS Affiliates Rule ("50% rule"): do restricted parties own 50% or more of it?

Ownership cascades, as under OFAC's 50% rule, which the Affiliates Rule follows; it is not multiplied. A
record is *covered* when the stakes held in it by restricted parties and by covered records add up to 50% or
more, and a covered owner's stake counts in full: listed X owns 55% of A (A is covered), A owns 60% of B, so
B is covered with 60%. A stake held through an owner that is not covered counts for nothing: listed X owns
40% of A, A owns 100% of B, and neither A nor B is covered.

Edges are undirected for reachability, but every sentence reads in the edge's own direction, subject first.
A record counts as a restricted target when its list is restricted (`Record.restricted`; AFFIL is not) and it
has no `removed` date. Nothing here does I/O or rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from screen.models import Record, Relationship

# How strongly a relation ties two parties; lower is stronger. Rank 0 is the record itself being listed.
STRENGTH: dict[str, int] = {
    "owned_by": 1,
    "subsidiary_of": 1,
    "operated_by": 2,
    "shares_pilot_line_with": 2,
    "laboratory_of": 2,
    "subordinate_institution_of": 2,
    "affiliated_entity_of": 2,
    "stakeholder_in": 2,
    "joint_laboratory_with": 2,
    "backed_by": 2,
    "research_partner_of": 3,
}
LISTED_RANK = 0
# A relation the table does not know (a user list ahead of this module) ranks with the weakest.
UNKNOWN_RANK = max(STRENGTH.values())

DEFAULT_DEPTH = 2
# Bounds on the path search, so a hub with hundreds of edges answers at once: at most MAX_PATHS paths are
# returned, and at most MAX_EXPANSIONS edges are examined per search (the search goes level by level, so
# when the budget runs out every shorter path has already been found).
MAX_PATHS = 200
MAX_EXPANSIONS = 20_000
# A neighbourhood is for display; past this many records it is no longer readable anyway.
MAX_NEIGHBOURHOOD = 1_000

# BIS Affiliates Rule: an entity owned 50% or more by restricted parties and entities they cover (see above).
COVERED_SHARE = 50.0
OWNERSHIP_DEPTH = 5
OWNERSHIP_RELATIONS = frozenset({"owned_by", "subsidiary_of"})

PHRASES: dict[str, str] = {
    "shares_pilot_line_with": "shares its pilot line with",
    "stakeholder_in": "is a key stakeholder in",
    "laboratory_of": "is a laboratory of",
    "subsidiary_of": "is a subsidiary of",
    "owned_by": "is owned by",  # with a percentage: "is owned 60% by"
    "operated_by": "is operated by",
    "joint_laboratory_with": "is a joint laboratory with",
    "affiliated_entity_of": "is an affiliated entity of",
    "subordinate_institution_of": "is a subordinate institution of",
    "research_partner_of": "is a research partner of",
    "backed_by": "is backed by",
}

_FR_CITE = re.compile(r"\b(\d+)\s*FR\s*(\d+)")
_WHOLLY_OWNED = re.compile(r"\bwholly[\s-]owned\b", re.IGNORECASE)


def rank(relation: str) -> int:
    """The strength rank of a relation (1 ownership, 2 operational, 3 research)."""
    return STRENGTH.get(relation, UNKNOWN_RANK)


def is_target(record: Record) -> bool:
    """A restricted party still on its list: the end of a risk path, an owner that counts for the 50% rule."""
    return record.restricted and not record.removed


def format_pct(value: float, decimals: int = 2) -> str:
    """60.0 -> "60", 33.333 -> "33.33": at most `decimals` decimals, no trailing zeros."""
    return f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")


def first_fr_citation(record: Record) -> str:
    """The first Federal Register cite of a record, without its date: "87 FR 77508"; "" when there is none."""
    for text in record.federal_register:
        found = _FR_CITE.search(text)
        if found:
            return f"{found.group(1)} FR {found.group(2)}"
    return ""


def describe(record: Record) -> str:
    """A record's name as a sentence names it: restricted parties carry their list and citation."""
    if is_target(record):
        cite = first_fr_citation(record)
        return f"{record.name} ({record.list_name}, {cite})" if cite else f"{record.name} ({record.list_name})"
    if record.restricted and record.removed:
        return f"{record.name} (removed from {record.list_name} {record.removed})"
    return record.name


def stated_share(relationship: Relationship) -> float | None:
    """The percentage an ownership edge carries in the 50% arithmetic, or None when it carries none.

    `owned_by` and `subsidiary_of` count with their stated percentage. A `subsidiary_of` without one counts
    as 100% only when its note says "wholly owned"; otherwise it ranks as ownership but adds nothing to the
    sum. Any other relation carries no share.
    """
    if relationship.relation not in OWNERSHIP_RELATIONS:
        return None
    if relationship.percentage is not None:
        return float(relationship.percentage)
    if relationship.relation == "subsidiary_of" and _WHOLLY_OWNED.search(relationship.note):
        return 100.0
    return None


def _edge_key(rel: Relationship) -> tuple:
    pct = rel.percentage
    return (rel.relation, rel.subject, rel.object, str(rel.source), rel.note, pct is None, pct or 0.0)


@dataclass(frozen=True)
class Step:
    """One edge as traversed: `forward` when walked from its subject to its object."""

    relationship: Relationship
    forward: bool

    @property
    def from_id(self) -> str:
        return self.relationship.subject if self.forward else self.relationship.object

    @property
    def to_id(self) -> str:
        return self.relationship.object if self.forward else self.relationship.subject

    @property
    def rank(self) -> int:
        return rank(self.relationship.relation)


@dataclass(frozen=True)
class RiskPath:
    """A walk from the screened record to another one, each step a sourced relationship."""

    records: tuple[Record, ...]  # start ... end
    steps: tuple[Step, ...]  # len(records) - 1
    strength: int  # the weakest (highest) rank of its steps; 0 for a path without steps

    @classmethod
    def of(cls, records: Iterable[Record], steps: Iterable[Step]) -> RiskPath:
        steps = tuple(steps)
        return cls(tuple(records), steps, max((s.rank for s in steps), default=LISTED_RANK))

    @property
    def start(self) -> Record:
        return self.records[0]

    @property
    def end(self) -> Record:
        return self.records[-1]

    def sentences(self) -> list[str]:
        """One sentence a step, in the edge's own direction, with the source of the edge."""
        out = []
        for i, step in enumerate(self.steps):
            near, far = self.records[i], self.records[i + 1]
            subject, obj = (near, far) if step.forward else (far, near)
            rel = step.relationship
            out.append(f"{describe(subject)} {phrase(rel)} {describe(obj)} [source: {rel.source}]")
        return out

    def text(self) -> str:
        return "; ".join(self.sentences())

    def sort_key(self) -> tuple:
        return (
            self.strength,
            len(self.steps),
            self.end.name.casefold(),
            self.end.id,
            tuple(r.id for r in self.records),
            tuple((_edge_key(s.relationship), not s.forward) for s in self.steps),
        )


def phrase(rel: Relationship) -> str:
    if rel.relation == "owned_by" and rel.percentage is not None:
        return f"is owned {format_pct(rel.percentage)}% by"
    return PHRASES.get(rel.relation) or "is " + rel.relation.replace("_", " ")


@dataclass(frozen=True)
class Holding:
    """One direct owner's stake in a record, and why it counts for the 50% rule (or why it does not)."""

    owner: Record
    share: float | None  # the stake the owner holds, as stated on the edge; None when not stated
    # From the owned record through the owner (and its covered owners) to a restricted party: the reason.
    path: RiskPath
    # The owner's own working when it is not itself restricted (how it is covered, or why it is not);
    # None for a restricted owner, which counts in full.
    basis: Ownership | None = None


@dataclass(frozen=True)
class Ownership:
    """What restricted and covered parties own of a record, owner by owner, under the BIS Affiliates Rule."""

    record: Record
    listed_share: float  # sum of the stakes of restricted and covered direct owners, capped at 100
    # One entry a counted direct owner, restricted owners first, then covered ones, each largest first: the
    # path from the record through the owner (and its covered owners) to a restricted party, and the
    # owner's own stated stake.
    contributions: tuple[tuple[RiskPath, float], ...]
    covered: bool  # listed_share >= COVERED_SHARE
    # Chains to a restricted party with a stake that is not stated: shown, not counted.
    unquantified: tuple[RiskPath, ...] = ()
    # The counted direct owners in full (the same order as `contributions`), for the working.
    holdings: tuple[Holding, ...] = ()
    # Direct owners that lead to a restricted party but are not covered themselves: they count for nothing.
    not_counted: tuple[Holding, ...] = ()

    def arithmetic(self) -> str:
        """The sum as an officer would check it by hand.

        "30% (X, Entity List) + 60% (Alpha, covered: owned 55% by Huawei Technologies Co., Ltd., Entity List)
        = 90% >= 50%"; a non-covered owner is named after the sum: "; not counted: Alpha (owned 40% by X,
        Entity List; under 50%)", and chains of unstated stake after that: "; share not stated: ...".
        """
        if self.holdings:
            terms = [f"{_share_text(h.share or 0.0)}% ({_holder(h)})" for h in self.holdings]
        else:  # built by hand from contributions alone: read each owner's working off its path
            terms = [_term_from_path(path, share) for path, share in self.contributions]
        raw_total = sum(share for _, share in self.contributions)
        sign = ">=" if self.covered else "<"
        threshold = f"{format_pct(COVERED_SHARE)}%"
        if not terms:
            text = f"0% {sign} {threshold}"
        elif len(terms) == 1 and raw_total <= 100.0:
            text = f"{terms[0]} {sign} {threshold}"
        else:
            text = f"{' + '.join(terms)} = {_total_text(self.listed_share, raw_total)} {sign} {threshold}"
        if self.not_counted:
            text += "; not counted: " + "; ".join(_not_counted(h) for h in self.not_counted)
        if self.unquantified:
            text += "; share not stated: " + "; ".join(_unstated(path) for path in self.unquantified)
        return text


def _holder(holding: Holding) -> str:
    """The owner as a term of the sum names it: "X, Entity List" or "Alpha, covered: owned 55% by ..."."""
    owner = holding.owner
    if holding.basis is None:
        return f"{owner.name}, {owner.list_name}"
    return f"{owner.name}, covered: {_owned_by(holding.basis)}"


def _owned_by(basis: Ownership) -> str:
    """How a covered owner is covered: "owned 55% by H, Entity List", or with several owners
    "owned 30% by X, Entity List + 25% by Y, Entity List = 55%". A covered owner of a covered owner is
    bracketed: "owned 60% by Alpha (covered: owned 55% by H, Entity List)"."""
    parts = []
    for h in basis.holdings:
        owner = h.owner
        who = f"{owner.name}, {owner.list_name}" if h.basis is None else f"{owner.name} (covered: {_owned_by(h.basis)})"
        parts.append(f"{_share_text(h.share or 0.0)}% by {who}")
    text = "owned " + " + ".join(parts)
    if len(parts) > 1:
        text += " = " + _total_text(basis.listed_share, sum(h.share or 0.0 for h in basis.holdings))
    return text


def _not_counted(holding: Holding) -> str:
    """A direct owner that reaches restricted parties but is not covered: "Alpha (owned 40% by X, Entity
    List; under 50%)"; one whose own owners are not covered either names them: "A (not counted: B (...);
    under 50%)"."""
    basis = holding.basis
    if basis is None:  # not built by `Graph.ownership`, which counts a restricted owner
        return holding.owner.name
    if basis.holdings:
        why = _owned_by(basis)
    else:
        why = "not counted: " + "; ".join(_not_counted(h) for h in basis.not_counted)
    return f"{holding.owner.name} ({why}; under {format_pct(COVERED_SHARE)}%)"


def _term_from_path(path: RiskPath, share: float) -> str:
    owner = path.records[1] if len(path.records) > 1 else path.end
    if len(path.steps) <= 1:
        return f"{_share_text(share)}% ({owner.name}, {owner.list_name})"
    chain = []
    for step, holder in zip(path.steps[1:], path.records[2:]):
        chain.append(f"owned {format_pct(stated_share(step.relationship) or 0.0)}% by {holder.name}")
    return f"{_share_text(share)}% ({owner.name}, covered: {', '.join(chain)}, {path.end.list_name})"


def _total_text(total: float, raw_total: float) -> str:
    capped = f" (sum {format_pct(raw_total)}%, capped)" if raw_total > 100.0 else ""
    return f"{_share_text(total)}%{capped}"


def _unstated(path: RiskPath) -> str:
    via = ", ".join(r.name for r in path.records[1:-1])
    return f"{path.end.name} ({path.end.list_name}{', via ' + via if via else ''})"


def _share_text(value: float) -> str:
    # Never print "50%" for 49.999: add decimals until the printed share sits on its side of the threshold.
    for decimals in (2, 4, 6):
        text = format_pct(value, decimals)
        if (float(text) >= COVERED_SHARE) == (value >= COVERED_SHARE):
            return text
    return repr(value)


@dataclass
class _Evaluated:
    """One record's ownership as worked out on one chain, and what the result depends on (for reuse)."""

    ownership: Ownership
    cut: bool  # an owner was skipped because it is on the chain: the result depends on the chain
    touched: frozenset[str]  # every owner examined below the record


@dataclass
class _Walk:
    budget: int
    memo: dict[tuple[str, int], _Evaluated]


class Graph:
    """Records and the relationships between them, indexed for walking in both directions."""

    def __init__(self, records: Mapping[str, Record], relationships: Iterable[Relationship]) -> None:
        """Edges with an unknown endpoint, self-loops and repeated relationships are ignored."""
        self._records = records
        adjacency: dict[str, list[Step]] = {}
        for rel in dict.fromkeys(relationships):
            if rel.subject == rel.object or rel.subject not in records or rel.object not in records:
                continue
            adjacency.setdefault(rel.subject, []).append(Step(rel, True))
            adjacency.setdefault(rel.object, []).append(Step(rel, False))
        for steps in adjacency.values():
            steps.sort(key=self._step_key)
        self._adjacency: dict[str, tuple[Step, ...]] = {k: tuple(v) for k, v in adjacency.items()}

    def _step_key(self, step: Step) -> tuple:
        other = self._records[step.to_id]
        return (step.rank, other.name.casefold(), other.id, _edge_key(step.relationship), not step.forward)

    def _target(self, record_id: str) -> bool:
        return is_target(self._records[record_id])

    def has_edges(self, record_id: str) -> bool:
        """Whether any relationship touches the record: most do not, and then there is nothing to walk."""
        return record_id in self._adjacency

    def edges(self, record_id: str) -> list[Step]:
        """Every edge touching the record, both directions: strongest first, then by neighbour name."""
        return list(self._adjacency.get(record_id, ()))

    def paths_to_listed(
        self, record_id: str, *, depth: int = DEFAULT_DEPTH, limit: int = MAX_PATHS
    ) -> list[RiskPath]:
        """Simple paths of 1..depth steps, edges walked either way, that end at a restricted party.

        A path stops at the first restricted party it reaches (it does not walk through a listed party to
        that party's neighbours); a listed start record still gets paths to other listed parties. Records
        with a `removed` date are not targets (they can be walked through like any other record). Paths
        come strongest first, then shortest, then by target name and ids.

        Bounded: at most `limit` paths (MAX_PATHS, 200) and at most MAX_EXPANSIONS edges examined; the
        search is breadth-first, so a cut-off never drops a shorter path in favour of a longer one.
        """
        if record_id not in self._records or depth < 1:
            return []
        found: list[tuple[tuple[str, ...], tuple[Step, ...]]] = []
        frontier: list[tuple[tuple[str, ...], tuple[Step, ...]]] = [((record_id,), ())]
        budget = MAX_EXPANSIONS
        for level in range(1, depth + 1):
            extended = []
            for ids, steps in frontier:
                for step in self._adjacency.get(ids[-1], ()):
                    budget -= 1
                    if budget < 0:
                        break
                    other = step.to_id
                    if other in ids:
                        continue
                    if self._target(other):
                        found.append((ids + (other,), steps + (step,)))
                    elif level < depth:
                        extended.append((ids + (other,), steps + (step,)))
                if budget < 0:
                    break
            if budget < 0:
                break
            frontier = extended
        return self._ranked(found, limit)

    def notable_links(self, record_id: str, *, limit: int = MAX_PATHS) -> list[RiskPath]:
        """One-step paths to every neighbour, listed or not, in `edges` order (at most `limit`).

        For a listed party this shows what is tied to it, including the edges that point at it.
        """
        return self._ranked((((record_id, s.to_id), (s,)) for s in self.edges(record_id)), limit)

    def _ranked(self, found: Iterable[tuple[tuple[str, ...], tuple[Step, ...]]], limit: int) -> list[RiskPath]:
        unique = {
            (ids, steps): RiskPath.of((self._records[i] for i in ids), steps) for ids, steps in found
        }
        return sorted(unique.values(), key=RiskPath.sort_key)[: max(limit, 0)]

    def neighbourhood(
        self, record_id: str, *, depth: int = DEFAULT_DEPTH
    ) -> tuple[list[Record], list[Relationship]]:
        """The records within `depth` steps (both directions, breadth-first, the start first) and every
        relationship among them. At most MAX_NEIGHBOURHOOD records."""
        if record_id not in self._records:
            return [], []
        seen = {record_id: None}
        frontier = [record_id]
        for _ in range(max(depth, 0)):
            extended = []
            for rid in frontier:
                for step in self._adjacency.get(rid, ()):
                    if step.to_id not in seen and len(seen) < MAX_NEIGHBOURHOOD:
                        seen[step.to_id] = None
                        extended.append(step.to_id)
            frontier = extended
        relationships = {
            step.relationship: None
            for rid in seen
            for step in self._adjacency.get(rid, ())
            if step.to_id in seen
        }
        return [self._records[rid] for rid in seen], sorted(relationships, key=_edge_key_by_subject)

    def ownership(self, record_id: str) -> Ownership | None:
        """Whether restricted parties own 50% or more of the record under the BIS Affiliates Rule.

        Ownership cascades and is not multiplied (OFAC's 50% rule, which the BIS Affiliates Rule follows):
        a record is *covered* when the stakes held in it by restricted parties and by covered records add
        up to COVERED_SHARE (50%) or more. A covered owner's stake counts in full, at its own stated
        percentage; a stake held through an owner that is not covered counts for nothing (listed X owns 40%
        of A and A owns 100% of B: neither A nor B is covered).

        Follows `owned_by` and `subsidiary_of` edges from owned to owner. A stake counts with its stated
        percentage; a `subsidiary_of` without one counts as 100% only when its note says "wholly owned".
        When several edges join the same owner and record, the largest stated stake is taken (they are
        reports of one holding, not holdings to add up). A restricted owner is not looked through. A record
        already on the chain counts as not covered (ownership data has cycles), and a restricted party
        further than OWNERSHIP_DEPTH links from the record does not count.

        Each contribution is one counted direct owner: the path from the record through it (and its
        covered owners) to a restricted party, and its stated stake; `listed_share` is their sum, capped at
        100. A counted owner whose stake is not stated, and a chain of unstated stake through an owner that
        is not covered, are reported in `unquantified` and add nothing. Owners that lead to restricted
        parties but are not covered are in `not_counted`. None when no ownership chain of at most
        OWNERSHIP_DEPTH links reaches a restricted party.

        Bounded: at most MAX_EXPANSIONS edges are examined; an owner's result is reused wherever its
        working does not touch the current chain, so shared owners (diamonds) are worked out once.
        """
        if record_id not in self._records:
            return None
        found = self._owners(record_id, (record_id,), OWNERSHIP_DEPTH, _Walk(MAX_EXPANSIONS, {})).ownership
        if not (found.holdings or found.not_counted or found.unquantified):
            return None
        return found

    def _owners(self, record_id: str, chain: tuple[str, ...], depth: int, walk: _Walk) -> _Evaluated:
        """The ownership of a record reached along `chain` (which ends with it), `depth` links left."""
        key = (record_id, depth)
        known = walk.memo.get(key)
        if known is not None and known.touched.isdisjoint(chain):
            return known
        # The edge to each direct owner, in edge order: the one with the largest stated stake.
        picked: dict[str, Step] = {}
        cut = False
        touched: set[str] = set()
        for step in self._adjacency.get(record_id, ()):
            walk.budget -= 1
            if walk.budget < 0:
                break
            if not step.forward or step.relationship.relation not in OWNERSHIP_RELATIONS:
                continue
            owner = step.to_id
            touched.add(owner)
            if owner in chain:
                cut = True
                continue
            if owner not in picked or _stake_order(step) > _stake_order(picked[owner]):
                picked[owner] = step

        record = self._records[record_id]
        holdings: list[Holding] = []
        not_counted: list[Holding] = []
        unquantified: list[RiskPath] = []
        for owner_id, step in picked.items():
            owner = self._records[owner_id]
            share = stated_share(step.relationship)
            through = partial(_through, record, step)
            basis: Ownership | None = None
            if is_target(owner):
                path = RiskPath.of((record, owner), (step,))
            elif depth > 1:
                sub = self._owners(owner_id, chain + (owner_id,), depth - 1, walk)
                cut = cut or sub.cut
                touched |= sub.touched
                basis = sub.ownership
                if not basis.covered:
                    unquantified.extend(through(p) for p in basis.unquantified)
                    reason = basis.holdings or basis.not_counted
                    if reason:
                        not_counted.append(Holding(owner, share, through(reason[0].path), basis))
                    continue
                path = through(basis.holdings[0].path)
            else:
                continue
            if share is None:
                unquantified.append(path)
            else:
                holdings.append(Holding(owner, share, path, basis))

        # Restricted owners first, then covered ones; each by stake, largest first.
        holdings.sort(key=lambda h: (h.basis is not None, -(h.share or 0.0), h.path.sort_key()))
        not_counted.sort(key=lambda h: h.path.sort_key())
        unquantified.sort(key=RiskPath.sort_key)
        # Rounded so that float noise (0.1 + 0.2) cannot push a sum across the threshold.
        total = min(round(sum((h.share or 0.0 for h in holdings), 0.0), 9), 100.0)
        found = _Evaluated(
            Ownership(
                record,
                total,
                tuple((h.path, h.share or 0.0) for h in holdings),
                total >= COVERED_SHARE,
                tuple(unquantified),
                tuple(holdings),
                tuple(not_counted),
            ),
            cut,
            frozenset(touched),
        )
        if not cut:
            walk.memo[key] = found
        return found


def _stake_order(step: Step) -> float:
    """Orders the edges to one owner: a stated stake, the larger the better, before an unstated one."""
    share = stated_share(step.relationship)
    return -1.0 if share is None else share


def _through(record: Record, step: Step, path: RiskPath) -> RiskPath:
    """`path` (from the owner on) with the record and its edge to the owner in front."""
    return RiskPath.of((record, *path.records), (step, *path.steps))


def _edge_key_by_subject(rel: Relationship) -> tuple:
    return (rel.subject, rel.relation, rel.object, str(rel.source), rel.note)
