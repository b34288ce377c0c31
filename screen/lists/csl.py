"""Readers for the official Consolidated Screening List downloads: consolidated.csv and consolidated.json.

Format and quirks: ../shared/data/csl-2022-04/SOURCE.md. Each row becomes one record of the list its
`source` names; names embedding a parent ("Huawei Technologies Co., Ltd. (Huawei).  Affiliated
Entity:  ...") become the child's record plus an edge to the parent's record in the same list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from screen.models import LIST_NAMES, Citation, ListInfo, Record, Relationship

from .clean import (
    address_country,
    assign_id,
    citation_texts,
    clean_license_requirement,
    clean_name,
    clean_text,
    country_code,
    dedupe_names,
    guess_kind,
    is_acronym,
    iso_date,
    match_key,
    parenthetical_aliases,
    split_addresses,
    split_aliases,
    split_aka,
    take_embedded_parent,
    split_successor_clause,
)
from .validate import FileMeta, ReadResult

CSL_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign", "vessel_type",
    "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "source_information_url",
    "ids",
)

# `source` values of the CSL and the list codes they stand for (SOURCE.md).
CSL_SOURCES: dict[str, str] = {
    "Entity List (EL) - Bureau of Industry and Security": "EL",
    "Unverified List (UVL) - Bureau of Industry and Security": "UVL",
    "Military End User (MEU) List - Bureau of Industry and Security": "MEU",
    "Denied Persons List (DPL) - Bureau of Industry and Security": "DPL",
    "ITAR Debarred (DTC) - State Department": "DTC",
    "Nonproliferation Sanctions (ISN) - State Department": "ISN",
    "Specially Designated Nationals (SDN) - Treasury Department": "SDN",
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": "SSI",
    "Foreign Sanctions Evaders (FSE) - Treasury Department": "FSE",
    "Capta List (CAP) - Treasury Department": "CAP",
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": "CMIC",
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": "MBS",
    "Palestinian Legislative Council List (PLC) - Treasury Department": "PLC",
}
CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"

_TYPE_KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}
# Columns with no Record field of their own, kept readable in the remarks.
_REMARK_COLUMNS = (
    ("programs", "Programs"), ("title", "Title"), ("dates_of_birth", "Born"), ("places_of_birth", "Place of birth"),
    ("end_date", "End date"),
)


@dataclass
class CslRow:
    """One CSL row, every field as text, with the line it started on."""

    line: int
    values: dict[str, str]
    position: str = ""  # "results[12]" for JSON rows, to locate them in a one-line file


@dataclass
class PendingRecord:
    """A record whose embedded parent (if any) is still to be looked up in its list."""

    record: Record
    line: int
    parent: tuple[str, str] | None  # (parent name, relation)
    notes: list[str] = field(default_factory=list)


def read_csl_csv(
    header: list[str], rows: Iterable[tuple[int, list[str]]], result: ReadResult, meta: FileMeta,
    codes: Collection[str] | None = None,
) -> None:
    """consolidated.csv: the official 29-column header, in any order; every other header is refused.

    `codes` keeps only the rows of those lists (the bundled build needs the EL and UVL rows only).
    """
    columns = [h.strip().lower() for h in header]
    missing = [c for c in CSL_COLUMNS if c not in columns]
    unexpected = [c for c in columns if c not in CSL_COLUMNS]
    if missing or unexpected or len(set(columns)) != len(columns):
        detail = "; ".join(filter(None, (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(unexpected)}" if unexpected else "",
            "duplicate columns" if len(set(columns)) != len(columns) else "",
        )))
        result.problem(f"not the official Consolidated Screening List header ({detail})", 1)
        return
    csl_rows = []
    for line, row in rows:
        if len(row) != len(columns):
            result.problem(f"row has {len(row)} fields, the header has {len(columns)}", line)
            continue
        csl_rows.append(CslRow(line, dict(zip(columns, row))))
    if not csl_rows and not result.problems:
        result.problem("file has a header but no rows", 1)
    if codes is not None:
        csl_rows = [r for r in csl_rows if CSL_SOURCES.get(clean_text(r.values["source"])) in codes]
    build(csl_rows, result, meta, snapshots={})


def read_csl_json(text: str, result: ReadResult, meta: FileMeta) -> None:
    """consolidated.json: {results: [...], sources_used: [{source, source_last_updated}, ...]}."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        result.problem(f"invalid JSON: {err.msg} at column {err.colno}", err.lineno)
        return
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        result.problem("not a Consolidated Screening List JSON download: no 'results' list", 1)
        return
    lines = _result_lines(text) or [1] * len(doc["results"])
    rows = []
    for index, (line, item) in enumerate(zip(lines, doc["results"])):
        where = f"results[{index}]"
        if not isinstance(item, dict):
            result.problem(f"{where} is not an object", line)
            continue
        values = {}
        for column in CSL_COLUMNS:
            key = "id" if column == "_id" and "_id" not in item else column
            value = _flatten(item.get(key))
            if value is None:
                result.problem(f"{where}: unexpected type {type(item.get(key)).__name__}", line, column)
                value = ""
            values[column] = value
        rows.append(CslRow(line, values, where))
    if not rows and not result.problems:
        result.problem("no results in the file", 1)
    snapshots: dict[str, str] = {}
    for used in doc.get("sources_used") or []:
        if isinstance(used, dict) and used.get("source") in CSL_SOURCES:
            snapshots[CSL_SOURCES[used["source"]]] = iso_date(str(used.get("source_last_updated") or ""))
    build(rows, result, meta, snapshots=snapshots)


def _flatten(value: Any) -> str | None:
    """A JSON field as the CSV download writes it: lists joined by "; ", address parts by ", "."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                keys = ("address", "city", "state", "postal_code", "country") if "address" in item else item.keys()
                part = ", ".join(str(item[k]).strip() for k in keys if item.get(k) not in (None, ""))
            else:
                part = _flatten(item)
                if part is None:
                    return None
            if part:
                parts.append(part)
        return "; ".join(parts)
    return None


def _result_lines(text: str) -> list[int] | None:
    """Line of the start of each element of the top-level "results" array (None if not found)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")
    try:
        i = ws.match(text, 0).end() + 1  # past "{"
        while True:
            i = ws.match(text, i).end()
            if text[i] == "}":
                return None
            key, i = decoder.raw_decode(text, i)
            i = ws.match(text, ws.match(text, i).end() + 1).end()  # past ":"
            if key != "results":
                i = ws.match(text, decoder.raw_decode(text, i)[1]).end() + 1  # past the value and ","
                continue
            starts, i = [], i + 1  # past "["
            while True:
                i = ws.match(text, i).end()
                if text[i] == "]":
                    break
                starts.append(i)
                i = ws.match(text, decoder.raw_decode(text, i)[1]).end()
                if text[i] == ",":
                    i += 1
            lines, line, pos = [], 1, 0
            for start in starts:
                line += text.count("\n", pos, start)
                pos = start
                lines.append(line)
            return lines
    except (IndexError, ValueError):
        return None


def build(rows: list[CslRow], result: ReadResult, meta: FileMeta, *, snapshots: dict[str, str]) -> None:
    """Records (ids `f"{code}-{_id}"`), parent edges and one ListInfo per source list of the file."""
    taken: set[str] = set()
    pending: list[PendingRecord] = []
    start_dates: dict[str, list[str]] = {}
    for row in rows:
        source = clean_text(row.values["source"])
        code = CSL_SOURCES.get(source)
        if code is None:
            where = f"{row.position}: " if row.position else ""
            result.problem(f"{where}unknown source '{source}' (not a Consolidated Screening List source)",
                           row.line, "source")
            continue
        item = row_to_record(row.values, code, lambda name, country: _csl_id(code, row.values, name, country, taken))
        pending.append(PendingRecord(item.record, row.line, item.parent, item.notes))
        if item.record.added:
            start_dates.setdefault(code, []).append(item.record.added)
    records, relationships = resolve_parents(pending)
    for p, record in zip(pending, records):
        result.add_record(record, p.line)
    for rel, line in relationships:
        result.add_relationship(rel, line)
    file_date = max((d for dates in start_dates.values() for d in dates), default="")
    counts: dict[str, int] = {}
    for p in pending:
        counts[p.record.list_code] = counts.get(p.record.list_code, 0) + 1
    for code, source in ((c, s) for s, c in CSL_SOURCES.items() if c in counts):
        if code in snapshots and snapshots[code]:
            snapshot, note = snapshots[code], "snapshot date is the source's last update in sources_used"
        elif start_dates.get(code):
            snapshot, note = max(start_dates[code]), "snapshot date is the latest start_date of this list"
        else:
            snapshot, note = file_date, "this list has no start dates; snapshot date is the latest start_date in the file"
        result.infos.append(ListInfo(
            code=code, title=LIST_NAMES[code], source=f"Consolidated Screening List ({source})",
            snapshot_date=snapshot, records=counts[code], sha256=meta.sha256, path=meta.name, note=note,
        ))


def _csl_id(code: str, values: dict[str, str], name: str, country: str, taken: set[str]) -> str:
    raw = clean_text(values["_id"])
    if not raw:
        return assign_id(code, name, country, taken)
    base = f"{code}-{raw}"
    n, candidate = 1, base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


@dataclass
class RowRecord:
    """A CSL row as a record, the parent its name embeds, and notes for its remarks."""

    record: Record
    parent: tuple[str, str] | None
    notes: list[str]


def row_to_record(values: dict[str, str], code: str, make_id: Callable[[str, str], str]) -> RowRecord:
    """One CSL row (all fields text) as a Record, with the embedded parent it names, if any.

    `make_id(name, country)` gives the record id; the build uses readable slugs, user files `_id`.
    """
    notes: list[str] = []
    name, clause = split_successor_clause(clean_name(values.get("name")))
    if clause:
        notes.append(clause)
    aliases = split_aliases(values.get("alt_names"), notes)
    name, parent = take_embedded_parent(name, aliases)
    name, akas = split_aka(name)
    aliases = [*akas, *(a for alias in aliases for a in _with_akas(alias))]
    aliases.extend(parenthetical_aliases(name))
    addresses = split_addresses(values.get("addresses"), notes)
    countries = [address_country(a) for a in addresses]
    for column in ("citizenships", "nationalities"):
        countries.extend(country_code(c) for c in (values.get(column) or "").split(";"))
    row_type = (values.get("type") or "").strip().lower()
    kind = _TYPE_KINDS.get(row_type) or guess_kind(name) or ("company" if row_type == "entity" else "")
    remarks = [clean_text(values.get("remarks"))]
    for column, label in _REMARK_COLUMNS:
        if values.get(column):
            remarks.append(f"{label}: {clean_text(values[column])}")
    country_list = tuple(dict.fromkeys(c for c in countries if c))
    source = clean_text(values.get("source"))
    list_url = clean_text(values.get("source_list_url"))
    record = Record(
        id=make_id(name, country_list[0] if country_list else ""),
        list_code=code,
        name=name,
        aliases=dedupe_names(name, aliases),
        kind=kind,
        countries=country_list,
        addresses=addresses,
        federal_register=citation_texts(values.get("federal_register_notice")),
        added=iso_date(values.get("start_date")),
        license_requirement=clean_license_requirement(values.get("license_requirement")),
        license_policy=clean_text(values.get("license_policy")),
        source_url=clean_text(values.get("source_information_url")) or list_url,
        remarks="; ".join(r for r in remarks if r),
        sources=(Citation(f"Consolidated Screening List: {source}", "", list_url or CSL_URL),),
    )
    return RowRecord(record, parent, notes)


def _with_akas(alias: str) -> list[str]:
    base, akas = split_aka(alias)
    return [base, *akas]


def resolve_parents(pending: list[PendingRecord]) -> tuple[list[Record], list[tuple[Relationship, int]]]:
    """Edges from split-out children to their parent's record in the same list; nothing invented.

    When the parent is not a record of the list, the child keeps the parent's name in its remarks.
    """
    by_name: dict[tuple[str, str], list[Record]] = {}
    by_alias: dict[tuple[str, str], list[Record]] = {}
    codes = {p.record.list_code for p in pending if p.parent}
    for p in pending:
        if p.record.list_code not in codes:
            continue
        by_name.setdefault((p.record.list_code, match_key(p.record.name)), []).append(p.record)
        for alias in p.record.aliases:
            by_alias.setdefault((p.record.list_code, match_key(alias)), []).append(p.record)
    records, relationships = [], []
    for p in pending:
        record, notes = p.record, list(p.notes)
        if p.parent:
            parent_name, relation = p.parent
            parent = find_parent(record, parent_name, by_name, by_alias)
            if parent is not None:
                relationships.append((Relationship(
                    subject=record.id, relation=relation, object=parent.id, source=record.sources[0],
                    note=f"named in the list entry as {_RELATION_WORDS[relation]} {parent_name}",
                ), p.line))
            else:
                notes.append(f"Listed as {_RELATION_WORDS[relation]} {parent_name} (no record of it on this list)")
        if notes:
            remarks = "; ".join(filter(None, (record.remarks, *notes)))
            record = replace(record, remarks=remarks)
        records.append(record)
    return records, relationships


_RELATION_WORDS = {
    "affiliated_entity_of": "an affiliated entity of",
    "subordinate_institution_of": "a subordinate institution of",
}


def find_parent(
    child: Record,
    parent_name: str,
    by_name: dict[tuple[str, str], list[Record]],
    by_alias: dict[tuple[str, str], list[Record]],
) -> Record | None:
    """The parent's record: exact normalised name first, then an alias; same country preferred."""
    keys = [match_key(parent_name)]
    keys.extend(match_key(a) for a in parenthetical_aliases(parent_name) if not is_acronym(a))
    for index in (by_name, by_alias):
        for key in keys:
            found = [r for r in index.get((child.list_code, key), []) if r.id != child.id]
            if found:
                same_country = [r for r in found if set(r.countries) & set(child.countries)]
                return (same_country or found)[0]
    return None
