"""Readers for the user's own CSV files: an internal list of parties, and relationships between records.

A party list needs a `name` column (or `names`); optional columns are `aliases` and `chinese_names`
(several separated by ";" or "|"), `country`, `list` (a list code or label, default USER),
`notes`/`remarks`, `id` and `kind`. Header names are case-insensitive; other columns are ignored.
Without an `id` column, ids are `USER-<slug of the name>`.
A relationship file has `subject,relation,object` (record ids) and optional `percentage`, `source`,
`source_date`, `source_url`, `note`. Cell text is taken literally: a name such as "=cmd|..." is a
name, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from screen.models import LIST_NAMES, Citation, ListInfo, Record, Relationship

from .clean import assign_id, clean_name, clean_text, country_code, dedupe_names, has_cjk, split_aliases
from .validate import REL_CODE, FileMeta, ReadResult

# header (lower-case, spaces as "_") -> record field it fills
USER_COLUMNS = {
    "name": "name", "names": "name",
    "aliases": "aliases", "alias": "aliases",
    "chinese_names": "chinese_names", "chinese_name": "chinese_names",
    "country": "countries", "countries": "countries",
    "list": "list", "notes": "remarks", "remarks": "remarks",
    "id": "id", "kind": "kind",
}
RELATIONSHIP_COLUMNS = ("subject", "relation", "object", "percentage", "source", "source_date", "source_url", "note")
_LABELS = {label.casefold(): code for code, label in LIST_NAMES.items()}
_MULTI = re.compile(r"\s*[;|]\s*")


def list_code(value: str) -> tuple[str, str]:
    """(code, note) for a `list` cell: a code ("EL") or label ("Entity List"); anything else is USER."""
    value = clean_text(value)
    if not value:
        return "USER", ""
    upper = value.upper()
    if upper in LIST_NAMES:
        return upper, ""
    if value.casefold() in _LABELS:
        return _LABELS[value.casefold()], ""
    return "USER", f"list: {value}"


def _columns(header: list[str], known: Iterable[str], result: ReadResult) -> dict[str, int] | None:
    """Column index of each known header name; a repeated known column is a problem."""
    known = set(known)
    index: dict[str, int] = {}
    ok = True
    for i, raw in enumerate(header):
        name = re.sub(r"\s+", "_", raw.strip().lower())
        if name not in known:
            continue
        if name in index:
            result.problem(f"column '{name}' appears twice in the header", 1, name)
            ok = False
        index[name] = i
    return index if ok else None


def _rows(header: list[str], rows: Iterable[tuple[int, list[str]]], result: ReadResult) -> list[tuple[int, list[str]]]:
    out = []
    for line, row in rows:
        if len(row) > len(header) and not any(cell.strip() for cell in row[len(header):]):
            row = row[: len(header)]  # trailing empty cells, as spreadsheets write them
        if len(row) != len(header):
            result.problem(f"row has {len(row)} fields, the header has {len(header)}", line)
            continue
        out.append((line, row))
    return out


def read_user_csv(header: list[str], rows: Iterable[tuple[int, list[str]]], result: ReadResult, meta: FileMeta) -> None:
    """A company's internal list: one record per row."""
    columns = _columns(header, USER_COLUMNS, result)
    if columns is None:
        return
    fields = {USER_COLUMNS[name]: i for name, i in columns.items()}
    data_rows = _rows(header, rows, result)
    if not data_rows and not result.problems:
        result.problem("file has a header but no rows", 1)
    taken: set[str] = set()
    counts: dict[str, int] = {}
    file_name = Path(meta.name).name
    for line, row in data_rows:
        def cell(field: str) -> str:
            return row[fields[field]] if field in fields else ""

        name = clean_name(cell("name"))
        code, list_note = list_code(cell("list"))
        countries = []
        for value in _MULTI.split(cell("countries").strip()):
            if not value.strip():
                continue
            found = country_code(value)
            if found:
                countries.append(found)
            else:
                result.problem(f"unknown country '{clean_text(value)}' (use an English name or an ISO 3166 alpha-2 "
                               "code)", line, "country")
        names = split_aliases(_MULTI.split(cell("aliases")))
        chinese = [n for n in split_aliases(_MULTI.split(cell("chinese_names")))]
        # Generated ids are USER-<slug> whatever the list, so a row never replaces a bundled record by
        # accident; an explicit id can (that is what the id column is for).
        record_id = clean_text(cell("id")) or assign_id("USER", name, countries[0] if countries else "", taken)
        taken.add(record_id)
        remarks = "; ".join(filter(None, (clean_text(cell("remarks")), list_note)))
        record = Record(
            id=record_id,
            list_code=code,
            name=name,
            aliases=dedupe_names(name, (n for n in names if not has_cjk(n))),
            chinese_names=dedupe_names(name, [*chinese, *(n for n in names if has_cjk(n))]),
            kind=clean_text(cell("kind")).lower(),
            countries=tuple(dict.fromkeys(countries)),
            remarks=remarks,
            sources=(Citation(f"user list {file_name}", meta.modified),),
        )
        result.add_record(record, line)
        counts[code] = counts.get(code, 0) + 1
    for code, count in counts.items():
        result.infos.append(ListInfo(
            code=code, title=LIST_NAMES[code], source=f"user list {file_name}", snapshot_date=meta.modified,
            records=count, sha256=meta.sha256, path=meta.name, note="snapshot date is the file's modification date",
        ))


def read_relationship_csv(
    header: list[str], rows: Iterable[tuple[int, list[str]]], result: ReadResult, meta: FileMeta
) -> None:
    """subject,relation,object[,percentage,source,source_date,source_url,note]: one edge per row."""
    columns = _columns(header, RELATIONSHIP_COLUMNS, result)
    if columns is None:
        return
    data_rows = _rows(header, rows, result)
    if not data_rows and not result.problems:
        result.problem("file has a header but no rows", 1)
    file_name = Path(meta.name).name
    for line, row in data_rows:
        def cell(field: str) -> str:
            return clean_text(row[columns[field]]) if field in columns else ""

        percentage = None
        if cell("percentage"):
            try:
                percentage = float(cell("percentage").rstrip("%"))
            except ValueError:
                result.problem(f"percentage '{cell('percentage')}' is not a number", line, "percentage")
                continue
        source = Citation(cell("source") or f"user relationships {file_name}", cell("source_date"), cell("source_url"))
        rel = Relationship(
            subject=cell("subject"), relation=cell("relation").lower(), object=cell("object"), source=source,
            percentage=percentage, note=cell("note"),
        )
        result.add_relationship(rel, line)
    if result.relationships:
        result.infos.append(ListInfo(
            code=REL_CODE, title="Relationships", source=f"user relationships {file_name}",
            snapshot_date=meta.modified, records=len(result.relationships), sha256=meta.sha256, path=meta.name,
            note="snapshot date is the file's modification date",
        ))
