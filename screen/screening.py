"""screen(name) -> Finding: composes the list store, the index and the matcher. No click, no rich."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screen import __version__
from screen.errors import InputError
from screen.graph import DEFAULT_DEPTH, Graph, Ownership, RiskPath, describe, is_target
from screen.index import CACHE_FORMAT, NameIndex
from screen.lists import ListStore, load_store
from screen.lists.store import atomic_write, bundled_manifest
from screen.match import DEFAULT_THRESHOLD, match_name
from screen.models import ListInfo, Match, Record
from screen.normalize import normalize

# Paths and links kept per alert: the strongest few are what a person reads.
MAX_PATHS_PER_ALERT = 10
# Longer than any listed name (the longest are about 300 characters); a longer "name" is a pasted
# paragraph or a broken export, and is reported as an error for that name.
MAX_NAME_LENGTH = 1000


# Risk levels, most serious first. A finding's level comes from its evidence (see _assess).
RISK_LEVELS = ("listed", "linked", "affiliated", "clear", "error")
# The BIS Affiliates Rule took effect 2025-09-29 and was suspended from 2025-11-10 for a year; its
# status after that is for the user to confirm, hence an option, stated in every result.
AFFILIATES_RULE_NOTE = (
    "BIS Affiliates Rule (50% rule) applied: in effect from 2025-09-29, suspended from 2025-11-10 for one "
    "year; confirm its current status"
)


@dataclass(frozen=True)
class Finding:
    """The outcome for one screened name, with the evidence for its risk level."""

    query: str
    country: str | None
    status: str  # clear, alert (listed or linked risk), error
    alerts: tuple[Match, ...] = ()  # every record scored at or above the threshold, best first
    total_alerts: int = 0  # may exceed len(alerts) when the list was cut
    error: str = ""
    risk: str = "clear"  # one of RISK_LEVELS
    risk_summary: str = ""  # one line: why this risk level
    # By alerted record id: paths to restricted parties, direct links of listed parties, ownership.
    paths: dict[str, tuple[RiskPath, ...]] = field(default_factory=dict)
    links: dict[str, tuple[RiskPath, ...]] = field(default_factory=dict)
    ownership: dict[str, Ownership] = field(default_factory=dict)


@dataclass
class Screener:
    """Loaded lists plus their index; screens names one at a time."""

    store: ListStore
    index: NameIndex
    threshold: float = DEFAULT_THRESHOLD
    depth: int = DEFAULT_DEPTH
    affiliates_rule: bool = True
    graph: Graph = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.depth < 1:
            raise InputError(f"depth must be 1 or more, not {self.depth}", field="--depth")
        self.graph = Graph(self.store.records, self.store.relationships)

    @classmethod
    def open(
        cls,
        paths: Sequence[str | os.PathLike[str]] = (),
        *,
        bundled: bool = True,
        threshold: float = DEFAULT_THRESHOLD,
        depth: int = DEFAULT_DEPTH,
        affiliates_rule: bool = True,
        cache_dir: Path | None = None,
    ) -> Screener:
        """Load lists and index, from the on-disk cache when the same list files were indexed before."""
        if not 0 <= threshold <= 100:
            raise InputError(f"threshold must be between 0 and 100, not {threshold:g}", field="--threshold")
        cache = (cache_dir or default_cache_dir()) / f"screener-{_cache_key(paths, bundled)}.pickle"
        loaded = _load_cache(cache)
        if loaded is None:
            store = load_store(paths, bundled=bundled)
            index = NameIndex(store.records.values())
            _save_cache(cache, (store, index))
        else:
            store, index = loaded
        return cls(store, index, threshold, depth, affiliates_rule)

    @property
    def lists(self) -> tuple[ListInfo, ...]:
        return self.store.lists

    def screen(self, name: str, country: str | None = None) -> Finding:
        """Screen one name; a name that cannot be screened gives status "error", never an exception."""
        problem = name_problem(name)
        if problem:
            return Finding(query=name, country=country, status="error", error=problem, risk="error")
        alerts, total = match_name(
            name, self.index, self.store.records, threshold=self.threshold, country=country
        )
        paths: dict[str, tuple[RiskPath, ...]] = {}
        links: dict[str, tuple[RiskPath, ...]] = {}
        owned: dict[str, Ownership] = {}
        for match in alerts:
            rid = match.record.id
            if not self.graph.has_edges(rid):
                continue
            if found := self.graph.paths_to_listed(rid, depth=self.depth, limit=MAX_PATHS_PER_ALERT):
                paths[rid] = tuple(found)
            if direct := self.graph.notable_links(rid, limit=MAX_PATHS_PER_ALERT):
                links[rid] = tuple(direct)
            if self.affiliates_rule and (share := self.graph.ownership(rid)) is not None:
                owned[rid] = share
        risk, summary = _assess(alerts, paths, owned)
        return Finding(
            query=name,
            country=country,
            # An affiliated record with no listed link is information, not an alert: it is shown, but
            # it does not raise the status or the exit code.
            status="alert" if risk in ("listed", "linked") else "clear",
            alerts=tuple(alerts),
            total_alerts=total,
            risk=risk,
            risk_summary=summary,
            paths=paths,
            links=links,
            ownership=owned,
        )

    def resolve(self, name_or_id: str) -> Record:
        """The record with this id, or else the best-scoring record for this name."""
        record = self.store.get(name_or_id.strip())
        if record is not None:
            return record
        finding = self.screen(name_or_id)
        if finding.status == "error":
            raise InputError(f"cannot look up {name_or_id!r}: {finding.error}", field="NAME_OR_ID")
        if not finding.alerts:
            raise InputError(
                f"no record id or name matches {name_or_id!r} at threshold {self.threshold:g}; "
                "try ecscreen check to see near matches, or a lower --threshold",
                field="NAME_OR_ID",
            )
        return finding.alerts[0].record

    def describe_settings(self) -> dict[str, object]:
        """The settings a result depends on, for its audit record."""
        return {
            "threshold": self.threshold,
            "depth": self.depth,
            "affiliates_rule": "on" if self.affiliates_rule else "off",
            "affiliates_rule_note": AFFILIATES_RULE_NOTE if self.affiliates_rule else "BIS Affiliates Rule not applied",
        }


def _assess(
    alerts: Sequence[Match], paths: dict[str, tuple[RiskPath, ...]], owned: dict[str, Ownership]
) -> tuple[str, str]:
    """Risk level and its one-line reason, from the strongest evidence among the alerts."""
    if not alerts:
        return "clear", ""
    for match in alerts:
        if is_target(match.record):
            return "listed", f"listed: {describe(match.record)}, score {match.score:g}"
    for match in alerts:
        share = owned.get(match.record.id)
        if share is not None and share.covered:
            return "listed", (
                f"{match.record.name} is covered by the BIS Affiliates Rule: {share.arithmetic()}"
            )
    linked = [(p.sort_key(), m, p) for m in alerts for p in paths.get(m.record.id, ())]
    if linked:
        _, match, path = min(linked, key=lambda x: x[0])
        return "linked", _plain(path)
    names = ", ".join(m.record.name for m in alerts[:3])
    return "affiliated", f"affiliated record with no listed link: {names}"


def _plain(path: RiskPath) -> str:
    """A path's sentences without their sources: the one-line summary of a linked finding."""
    return "; ".join(sentence.split(" [source: ")[0] for sentence in path.sentences())


def name_problem(name: str) -> str:
    """Why a name cannot be screened, or "" when it can."""
    if not name or not name.strip():
        return "empty name"
    if len(name) > MAX_NAME_LENGTH:
        return f"name is {len(name):,} characters long; the limit is {MAX_NAME_LENGTH:,}"
    if not normalize(name).tokens:
        return "name has no letters or digits to match"
    return ""


def default_cache_dir() -> Path:
    if env := os.environ.get("ECSCREEN_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ecscreen"


def _cache_key(paths: Sequence[str | os.PathLike[str]], bundled: bool) -> str:
    """Changes whenever a list file's bytes, the bundled data or the tool version change."""
    digest = hashlib.sha256(f"{__version__}|{CACHE_FORMAT}|{bundled}".encode())
    # The code that built the cache: an edited checkout must not reuse an index built by older code.
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    if bundled:
        digest.update(json.dumps(bundled_manifest(), sort_keys=True).encode())
    for path in paths:
        digest.update(str(Path(path).resolve()).encode())
        try:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")  # load_store reports it properly
    return digest.hexdigest()[:24]


def _load_cache(path: Path) -> tuple[ListStore, NameIndex] | None:
    # The collector would walk the half-built object graph again and again: off while unpickling
    # halves the load time.
    gc.disable()
    try:
        with open(path, "rb") as fh:
            store, index = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    finally:
        gc.enable()
    if isinstance(store, ListStore) and isinstance(index, NameIndex):
        return store, index
    return None


def _save_cache(path: Path, payload: tuple[ListStore, NameIndex]) -> None:
    """Write atomically; a cache that cannot be written is skipped, never fatal."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        return
