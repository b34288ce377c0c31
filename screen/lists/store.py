"""The list store: bundled lists and user list files loaded into one set of records and relationships.

Also home of the project's own list format, JSONL: one JSON object a line, either a record (the
fields of `Record`, `sources` as [{title, date, url}]) or a relationship (subject, relation,
object, source {title, date, url}, percentage?, note?). Keys sorted, empty fields omitted, records
sorted by id and relationships by (subject, relation, object), so the same data always gives the
same bytes and a diff shows exactly what changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gc
import gzip
import hashlib
import importlib.resources
import io
import json
import os
import pickle
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import screen
from screen.errors import EcscreenError, InputError, ListDataError
from screen.models import LIST_NAMES, Citation, ListInfo, Record, Relationship

from .validate import REL_CODE, FileMeta, ReadResult, check_result

BUNDLED_PACKAGE = "screen.bundled"
MANIFEST = "manifest.json"

_TUPLE_FIELDS = ("aliases", "chinese_names", "countries", "addresses", "federal_register")
_STR_FIELDS = ("id", "list_code", "name", "kind", "added", "removed", "license_requirement", "license_policy",
               "source_url", "remarks")
_RECORD_FIELDS = frozenset(f.name for f in fields(Record))
_RELATIONSHIP_FIELDS = frozenset({"subject", "relation", "object", "source", "percentage", "note"})
_CITATION_FIELDS = frozenset({"title", "date", "url"})


class LazyRecords(Mapping[str, Record]):
    """Records by id, each kept pickled until first read.

    The screener cache loads tens of thousands of records in milliseconds this way, and a screening
    unpickles only the few records it alerts on or walks through.
    """

    __slots__ = ("_blobs", "_loaded")

    def __init__(self, blobs: dict[str, bytes]) -> None:
        self._blobs = blobs
        self._loaded: dict[str, Record] = {}

    @classmethod
    def of(cls, records: Mapping[str, Record]) -> LazyRecords:
        if isinstance(records, LazyRecords):
            return records
        return cls({rid: pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL) for rid, record in records.items()})

    def __getitem__(self, record_id: str) -> Record:
        record = self._loaded.get(record_id)
        if record is None:
            record = self._loaded[record_id] = pickle.loads(self._blobs[record_id])
        return record

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __reduce__(self) -> tuple:
        return (LazyRecords, (self._blobs,))


class ListStore:
    """All loaded records by id, the relationships between them, and the provenance of every list."""

    __slots__ = ("records", "relationships", "lists")

    def __init__(
        self,
        records: Mapping[str, Record],
        relationships: tuple[Relationship, ...],
        lists: tuple[ListInfo, ...],
    ) -> None:
        self.records = records
        self.relationships = relationships
        self.lists = lists

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def checksum(self) -> str:
        """Identifies this exact list data and tool version: a cache key and an audit stamp."""
        h = hashlib.sha256()
        for info in self.lists:
            h.update(info.sha256.encode("ascii") + b"\n")
        h.update(screen.__version__.encode("ascii"))
        return h.hexdigest()

    def __reduce__(self) -> tuple:
        # Pickled (in the screener cache) with its records kept one blob each: see LazyRecords.
        return (ListStore, (LazyRecords.of(self.records), self.relationships, self.lists))

    def __repr__(self) -> str:
        return f"ListStore({len(self.records)} records, {len(self.relationships)} relationships, {len(self.lists)} lists)"


def load_store(paths: Sequence[str | os.PathLike[str]] = (), *, bundled: bool = True) -> ListStore:
    """Bundled lists (unless `bundled=False`), then each file of `paths` in order.

    A later record replaces an earlier one with the same id. Relationships whose endpoints are not
    both loaded are dropped (a user list may replace bundled data); `validate_path` reports them.
    Raises InputError for a missing or unreadable path, ListDataError with every problem of every
    broken file (never a half-loaded store).
    """
    records: dict[str, Record] = {}
    relationships: list[Relationship] = []
    infos: list[ListInfo] = []
    if bundled:
        b_records, b_relationships, b_infos = _bundled()
        records.update((r.id, r) for r in b_records)
        relationships.extend(b_relationships)
        infos.extend(b_infos)
    results = [read_file(path) for path in paths]
    problems = [p for result in results for p in result.problems]
    if problems:
        broken = {result.path for result in results if result.problems}
        raise ListDataError(problems, file=broken.pop() if len(broken) == 1 else None)
    for result in results:
        records.update((r.id, r) for r in result.records)
        relationships.extend(result.relationships)
        infos.extend(result.infos)
    kept = tuple(
        dict.fromkeys(rel for rel in relationships if rel.subject in records and rel.object in records)
    )
    return ListStore(records, kept, tuple(infos))


# --- reading one file -----------------------------------------------------------------------------

def read_list_file(path: str | os.PathLike[str]) -> tuple[list[Record], list[Relationship], list[ListInfo]]:
    """Records, relationships and provenance of one list file; ListDataError listing every problem."""
    result = read_file(path)
    if result.problems:
        raise ListDataError(result.problems, file=result.path)
    return result.records, result.relationships, result.infos


_FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv"}


def read_file(path: str | os.PathLike[str], *, csl_codes: Collection[str] | None = None) -> ReadResult:
    """Read and check one list file of any supported format; problems are collected, not raised.

    `csl_codes` keeps only those lists of a Consolidated Screening List CSV (used by the build).
    """
    name = str(path)
    lower = Path(name).name.lower()
    inner = lower[:-3] if lower.endswith(".gz") else lower
    fmt = next((f for ext, f in _FORMATS.items() if inner.endswith(ext)), None)
    if fmt is None or (fmt == "jsonl" and inner != lower):
        raise InputError(
            "unrecognised list file type: expected .csv, .csv.gz, .json, .json.gz (Consolidated Screening List "
            "download) or .jsonl (ecscreen list format)",
            file=name,
        )
    data = _read_bytes(path)
    result = ReadResult(path=name)
    meta = FileMeta(name=name, sha256=hashlib.sha256(data).hexdigest(), modified=_modified_date(path))
    if inner != lower:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as err:
            result.problem(f"not a valid gzip file ({err})")
            return result
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        result.problem("file is empty")
        return result
    text = decode_utf8(data, result)
    if fmt == "jsonl":
        read_jsonl_text(text, result, meta)
    elif fmt == "json":
        from . import csl  # readers load when a file is read; a cached screener needs none

        csl.read_csl_json(text, result, meta)
    else:
        _read_csv(text, result, meta, csl_codes)
    check_result(result)
    return result


def _read_bytes(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("list file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a list file", file=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read list file: {err.strerror or err}", file=str(path)) from None


def _modified_date(path: str | os.PathLike[str]) -> str:
    try:
        stamp = os.stat(path).st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc).date().isoformat()


def decode_utf8(data: bytes, result: ReadResult) -> str:
    """UTF-8 text without a BOM; each line with undecodable bytes becomes a problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as err:
            result.problem(
                f"bytes are not valid UTF-8 (byte 0x{raw[err.start]:02x} at column {err.start + 1}); "
                "re-save the file as UTF-8 (in Excel: Save As > 'CSV UTF-8')",
                lineno,
            )
    return data.decode("utf-8", errors="replace")


def csv_rows(text: str, result: ReadResult) -> Iterable[tuple[int, list[str]]]:
    """(physical line of the row start, fields) for each non-blank CSV row, header included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            result.problem(f"malformed CSV: {err}", line)
            return
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield start, row


def _read_csv(text: str, result: ReadResult, meta: FileMeta, csl_codes: Collection[str] | None = None) -> None:
    from . import csl, usercsv

    rows = csv_rows(text, result)
    first = next(iter(rows), None)
    if first is None:
        result.problem("file is empty")
        return
    line, header = first
    columns = [h.strip().lower() for h in header]
    if "_id" in columns and "source" in columns:
        csl.read_csl_csv(header, rows, result, meta, csl_codes)
    elif {"subject", "relation", "object"} <= set(columns):
        usercsv.read_relationship_csv(header, rows, result, meta)
    elif {"name", "names"} & {c.replace(" ", "_") for c in columns}:
        usercsv.read_user_csv(header, rows, result, meta)
    else:
        result.problem(
            "unrecognised CSV header: expected a 'name' column (a list of parties), 'subject,relation,object' "
            "(relationships) or the Consolidated Screening List header"
            + (f"; the header {header[0][:60]!r} looks separated by {sep!r}: list files must be comma-separated "
               "UTF-8 (re-save as 'CSV UTF-8')" if len(header) == 1 and (sep := _other_separator(header[0])) else ""),
            line,
        )


def _other_separator(header: str) -> str:
    return next((sep for sep in (";", "\t", "|") if sep in header), "")


# --- the JSONL format -----------------------------------------------------------------------------

def citation_to_json(citation: Citation) -> dict[str, str]:
    return {k: v for k, v in (("title", citation.title), ("date", citation.date), ("url", citation.url)) if v}


def record_to_json(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sorted(_RECORD_FIELDS):
        value = getattr(record, name)
        if name == "sources":
            value = [citation_to_json(c) for c in value]
        elif isinstance(value, tuple):
            value = list(value)
        if value:
            out[name] = value
    return out


def relationship_to_json(rel: Relationship) -> dict[str, Any]:
    out: dict[str, Any] = {
        "subject": rel.subject,
        "relation": rel.relation,
        "object": rel.object,
        "source": citation_to_json(rel.source),
    }
    if rel.percentage is not None:
        out["percentage"] = rel.percentage
    if rel.note:
        out["note"] = rel.note
    return out


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def jsonl_bytes(records: Iterable[Record] = (), relationships: Iterable[Relationship] = ()) -> bytes:
    """The canonical JSONL text: records by id, then relationships by (subject, relation, object)."""
    lines = [_dumps(record_to_json(r)) for r in sorted(records, key=lambda r: r.id)]
    rel_sorted = sorted(relationships, key=lambda r: (r.subject, r.relation, r.object, r.source.title, r.note))
    lines.extend(_dumps(relationship_to_json(r)) for r in rel_sorted)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def write_jsonl(
    path: str | os.PathLike[str], records: Iterable[Record] = (), relationships: Iterable[Relationship] = ()
) -> str:
    """Write records and relationships as canonical JSONL, atomically; returns the file's sha256."""
    data = jsonl_bytes(records, relationships)
    atomic_write(path, data)
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write via a temporary file beside `path`, then rename: never a half-written file under that name."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; an output file is not
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_jsonl_text(text: str, result: ReadResult, meta: FileMeta) -> None:
    """Parse and type-check ecscreen JSONL; a file may hold records, relationships or both."""
    for lineno, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 may sit in a name
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            result.problem(f"invalid JSON: {err.msg} at column {err.colno}", lineno)
            continue
        if not isinstance(obj, dict):
            result.problem(f"expected a JSON object, got {_json_type(obj)}", lineno)
            continue
        if "relation" in obj or "subject" in obj:
            rel = _relationship_from_json(obj, result, lineno)
            if rel is not None:
                result.add_relationship(rel, lineno)
        else:
            result.add_record(_record_from_json(obj, result, lineno), lineno)
    if not result.records and not result.relationships and not result.problems:
        result.problem("file has no records")
    counts: dict[str, int] = {}
    for record in result.records:
        counts[record.list_code] = counts.get(record.list_code, 0) + 1
    for code, count in counts.items():
        dates = [r.added for r in result.records if r.list_code == code and r.added]
        result.infos.append(ListInfo(
            code=code, title=LIST_NAMES.get(code, code), source=f"ecscreen list file {Path(meta.name).name}",
            snapshot_date=max(dates, default=meta.modified), records=count, sha256=meta.sha256, path=meta.name,
            note="" if dates else "snapshot date is the file's modification date",
        ))
    if result.relationships:
        result.infos.append(ListInfo(
            code=REL_CODE, title="Relationships", source=f"ecscreen list file {Path(meta.name).name}",
            snapshot_date=meta.modified, records=len(result.relationships), sha256=meta.sha256, path=meta.name,
            note="snapshot date is the file's modification date",
        ))


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _citation_from_json(value: Any, result: ReadResult, line: int, field_name: str) -> Citation | None:
    if not isinstance(value, dict):
        result.problem(f"expected an object {{title, date, url}}, got {_json_type(value)}", line, field_name)
        return None
    unknown = sorted(set(value) - _CITATION_FIELDS)
    if unknown:
        result.problem(f"unknown citation field(s) {', '.join(unknown)}", line, field_name)
    parts = {}
    for key in ("title", "date", "url"):
        item = value.get(key, "")
        if not isinstance(item, str):
            result.problem(f"citation {key} must be a string, got {_json_type(item)}", line, field_name)
            item = ""
        parts[key] = item
    return Citation(**parts)


def _record_from_json(obj: dict[str, Any], result: ReadResult, line: int) -> Record:
    for key in sorted(set(obj) - _RECORD_FIELDS):
        result.problem("unknown field", line, key)
    values: dict[str, Any] = {}
    for key in _STR_FIELDS:
        value = obj.get(key, "")
        if not isinstance(value, str):
            result.problem(f"expected a string, got {_json_type(value)}", line, key)
            value = ""
        values[key] = value
    for key in ("id", "list_code", "name"):
        if key not in obj:
            result.problem(f"{key} is missing", line, key)
    for key in _TUPLE_FIELDS:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            result.problem("expected a list of strings", line, key)
            value = []
        values[key] = tuple(value)
    sources = obj.get("sources", [])
    if not isinstance(sources, list):
        result.problem(f"expected a list of citations, got {_json_type(sources)}", line, "sources")
        sources = []
    citations = (_citation_from_json(s, result, line, "sources") for s in sources)
    values["sources"] = tuple(c for c in citations if c is not None)
    return Record(**values)


def _relationship_from_json(obj: dict[str, Any], result: ReadResult, line: int) -> Relationship | None:
    ok = True
    for key in sorted(set(obj) - _RELATIONSHIP_FIELDS):
        result.problem("unknown field", line, key)
    values: dict[str, Any] = {}
    for key in ("subject", "relation", "object", "note"):
        value = obj.get(key, "")
        if not isinstance(value, str):
            result.problem(f"expected a string, got {_json_type(value)}", line, key)
            ok, value = False, ""
        values[key] = value
    for key in ("subject", "relation", "object"):
        if key not in obj:
            result.problem(f"{key} is missing", line, key)
            ok = False
    if "source" not in obj:
        result.problem("source is missing", line, "source")
        ok = False
    source = _citation_from_json(obj.get("source"), result, line, "source") if "source" in obj else None
    percentage = obj.get("percentage")
    if percentage is not None and (isinstance(percentage, bool) or not isinstance(percentage, (int, float))):
        result.problem(f"expected a number, got {_json_type(percentage)}", line, "percentage")
        ok, percentage = False, None
    if not ok or source is None:
        return None
    return Relationship(
        subject=values["subject"], relation=values["relation"], object=values["object"], source=source,
        percentage=None if percentage is None else float(percentage), note=values["note"],
    )


# --- bundled lists --------------------------------------------------------------------------------

def _bundled_root() -> Any:
    """The installed `screen.bundled` package, or lists/ of a source checkout."""
    try:
        return importlib.resources.files(BUNDLED_PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "lists"


def bundled_manifest() -> dict[str, Any]:
    """The manifest of the bundled lists (what scripts/build_lists.py wrote)."""
    try:
        return json.loads(_bundled_root().joinpath(MANIFEST).read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        raise ListDataError(
            [EcscreenError("bundled lists are missing: run scripts/build_lists.py or reinstall ecscreen", file=MANIFEST)],
            file=MANIFEST,
        ) from None


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[Record, ...], tuple[Relationship, ...], tuple[ListInfo, ...]]:
    # Tens of thousands of short-lived containers would trigger the cyclic GC over and over: it costs
    # more than the parsing itself. Nothing built here can form a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_bundled()
    finally:
        if enabled:
            gc.enable()


def _read_bundled() -> tuple[tuple[Record, ...], tuple[Relationship, ...], tuple[ListInfo, ...]]:
    """Bundled records, relationships and list infos; parsed once a process (they are immutable).

    The files were validated by the build; here their sha256 is checked against the manifest, which
    is cheaper than re-validating and also catches a corrupted or hand-edited installation.
    """
    root = _bundled_root()
    records: list[Record] = []
    relationships: list[Relationship] = []
    infos: list[ListInfo] = []
    problems: list[EcscreenError] = []
    citations: dict[tuple[str, str, str], Citation] = {}  # thousands of records share a few citations
    for entry in bundled_manifest()["lists"]:
        data = root.joinpath(entry["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(EcscreenError(
                "bundled list file does not match its sha256 in manifest.json: rebuild lists/ or reinstall ecscreen",
                file=entry["file"],
            ))
            continue
        body = data.decode("utf-8").strip("\n").replace("\n", ",")  # canonical files: no blank lines
        for obj in json.loads(f"[{body}]"):  # one parse a file: much faster than one a line
            if "relation" in obj:
                relationships.append(_trusted_relationship(obj, citations))
            else:
                records.append(_trusted_record(obj, citations))
        infos.append(ListInfo(
            code=entry["code"], title=entry["title"], source=entry["source"], snapshot_date=entry["snapshot_date"],
            records=entry["records"], sha256=entry["sha256"], path=entry["file"], note=entry.get("note", ""),
        ))
    if problems:
        raise ListDataError(problems)
    return tuple(records), tuple(relationships), tuple(infos)


def bundled_record_ids() -> frozenset[str]:
    return frozenset(r.id for r in _bundled()[0])


def _citation(obj: dict[str, str], cache: dict[tuple[str, str, str], Citation]) -> Citation:
    key = (obj["title"], obj.get("date", ""), obj.get("url", ""))
    citation = cache.get(key)
    if citation is None:
        citation = cache[key] = Citation(*key)
    return citation


_EMPTY: tuple[str, ...] = ()


def _trusted_record(obj: dict[str, Any], cache: dict[tuple[str, str, str], Citation]) -> Record:
    get = obj.get
    return Record(
        obj["id"], obj["list_code"], obj["name"], tuple(get("aliases", _EMPTY)), tuple(get("chinese_names", _EMPTY)),
        get("kind", ""), tuple(get("countries", _EMPTY)), tuple(get("addresses", _EMPTY)),
        tuple(get("federal_register", _EMPTY)), get("added", ""), get("removed", ""), get("license_requirement", ""),
        get("license_policy", ""), get("source_url", ""), get("remarks", ""),
        tuple(_citation(c, cache) for c in get("sources", _EMPTY)),
    )


def _trusted_relationship(obj: dict[str, Any], cache: dict[tuple[str, str, str], Citation]) -> Relationship:
    return Relationship(
        obj["subject"], obj["relation"], obj["object"], _citation(obj["source"], cache), obj.get("percentage"),
        obj.get("note", ""),
    )
