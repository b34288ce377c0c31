"""Validation of list data: every problem in a file, each with its file, line and field.

The readers build records and relationships and remember the line each came from; the checks here
turn what is wrong with them into `EcscreenError`s. Loading a file raises `ListDataError` with all of
them; `validate_path` returns them, and also reports relationships whose endpoints are unknown (at
load those are dropped silently, since a user list may legitimately replace bundled data).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from screen.errors import EcscreenError
from screen.models import LIST_NAMES, RECORD_KINDS, RELATION_TYPES, ListInfo, Record, Relationship


# Relations that may carry an ownership share.
PERCENTAGE_RELATIONS = frozenset({"owned_by"})
REL_CODE = "REL"  # ListInfo code of a relationships file


@dataclass
class ReadResult:
    """What one file gave: records and relationships with their lines, provenance, problems."""

    path: str
    records: list[Record] = field(default_factory=list)
    record_lines: list[int] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    relationship_lines: list[int] = field(default_factory=list)
    infos: list[ListInfo] = field(default_factory=list)
    problems: list[EcscreenError] = field(default_factory=list)

    def problem(self, message: str, line: int | None = None, field_name: str | None = None) -> None:
        self.problems.append(EcscreenError(message, file=self.path, line=line, field=field_name))

    def add_record(self, record: Record, line: int) -> None:
        self.records.append(record)
        self.record_lines.append(line)

    def add_relationship(self, relationship: Relationship, line: int) -> None:
        self.relationships.append(relationship)
        self.relationship_lines.append(line)


@dataclass(frozen=True)
class FileMeta:
    """What the format readers need to know about the file itself."""

    name: str  # the path as given
    sha256: str  # of the file's bytes as given (compressed or not)
    modified: str  # ISO date of the file's modification, the snapshot date of a user's own list


def check_result(result: ReadResult) -> None:
    """Append the problems of the records and relationships in `result` (not endpoint checks)."""
    reported = {(p.line, p.field) for p in result.problems}  # a wrong type already said what is wrong
    first_line: dict[str, int] = {}
    for record, line in zip(result.records, result.record_lines):
        for message, field_name in record_problems(record):
            if (line, field_name) not in reported:
                result.problem(message, line, field_name)
        if record.id in first_line:
            result.problem(f"duplicate record id '{record.id}' (first on line {first_line[record.id]})", line, "id")
        else:
            first_line[record.id] = line
    for rel, line in zip(result.relationships, result.relationship_lines):
        for message, field_name in relationship_problems(rel):
            if (line, field_name) not in reported:
                result.problem(message, line, field_name)
    result.problems.sort(key=lambda p: (p.line or 0))


def record_problems(record: Record) -> list[tuple[str, str]]:
    """(message, field) for what is wrong with one record on its own."""
    out = []
    if not record.id.strip():
        out.append(("record id is empty", "id"))
    if not record.name.strip():
        out.append(("name is empty", "name"))
    if record.list_code not in LIST_NAMES:
        out.append((f"unknown list code '{record.list_code}' (expected one of: {', '.join(LIST_NAMES)})", "list_code"))
    if record.kind and record.kind not in RECORD_KINDS:
        out.append((f"unknown kind '{record.kind}' (expected one of: {', '.join(sorted(RECORD_KINDS))})", "kind"))
    from .clean import ISO_ALPHA2  # clean.py is large; loading a cached screener never needs it

    bad = [c for c in record.countries if c not in ISO_ALPHA2]
    if bad:
        out.append((f"unknown country code {', '.join(repr(c) for c in bad)} (expected ISO 3166 alpha-2)", "countries"))
    return out


def relationship_problems(rel: Relationship) -> list[tuple[str, str]]:
    """(message, field) for what is wrong with one relationship on its own."""
    out = []
    for field_name in ("subject", "object"):
        if not getattr(rel, field_name).strip():
            out.append((f"{field_name} is empty", field_name))
    if rel.relation not in RELATION_TYPES:
        out.append((f"unknown relation type '{rel.relation}' (expected one of: {', '.join(sorted(RELATION_TYPES))})",
                    "relation"))
    if rel.subject and rel.subject == rel.object:
        out.append(("a record cannot be related to itself", "object"))
    if rel.percentage is not None:
        if rel.relation not in PERCENTAGE_RELATIONS:
            out.append((f"percentage is only allowed on owned_by, not on {rel.relation}", "percentage"))
        elif not 0 <= rel.percentage <= 100:
            out.append((f"percentage {rel.percentage:g} is outside 0-100", "percentage"))
    if not rel.source.title.strip():
        out.append(("source title is empty", "source"))
    return out


def endpoint_problems(result: ReadResult, known_ids: Iterable[str]) -> list[EcscreenError]:
    """Relationships of `result` whose subject or object is not a known record id."""
    known = set(known_ids)
    out = []
    for rel, line in zip(result.relationships, result.relationship_lines):
        for field_name in ("subject", "object"):
            value = getattr(rel, field_name)
            if value and value not in known:
                out.append(EcscreenError(f"unknown record id '{value}'", file=result.path, line=line, field=field_name))
    return out


def validate_path(
    path: str | os.PathLike[str], *, known_ids: Iterable[str] | None = None
) -> tuple[list[ListInfo], list[EcscreenError]]:
    """Every problem in one list file, with file, line and field; nothing raised for bad content.

    Relationship endpoints must be records of the same file or of `known_ids` (default: the
    bundled records). A missing or unreadable path raises InputError, as at load.
    """
    from .store import bundled_record_ids, read_file

    result = read_file(path)  # InputError for a missing or unreadable path
    problems = list(result.problems)
    if result.relationships:
        extra = bundled_record_ids() if known_ids is None else known_ids
        known = {r.id for r in result.records} | set(extra)
        problems.extend(endpoint_problems(result, known))
        problems.sort(key=lambda p: (p.line or 0))
    return result.infos, problems


__all__ = ["ReadResult", "validate_path", "check_result", "record_problems", "relationship_problems", "REL_CODE"]
