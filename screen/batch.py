"""Batch screening: a file of names in, one result row per input row out, streamed, in order, audited.

    summary = run_batch("suppliers.csv", "screened.csv", open_screener, BatchOptions(workers=2))

Input: CSV or TSV (delimiter: the one of , tab ; | found most in the header line, an Excel "sep=;"
line, or given; a header with none of them is a one-column file), Excel .xlsx (first sheet or the one
named), JSON Lines (columns: every key, in order of first appearance); "-" reads standard input
(spooled to a temporary file, so every reader can seek). The file is read once first for its sha256
and its encoding, then row by row: memory stays flat however long the file.
Encodings: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise UTF-8 when the file's non-ASCII bytes are
mostly well-formed UTF-8, else GB18030 when they read as two-byte Chinese, else Windows-1252. A byte
that does not decode stops the run with the row, the line and the fix (--encoding).

Rows: every data row gives exactly one output row, in input order (--only-alerts keeps the alert and
error rows only). Blank lines are not rows. A row that cannot be screened (empty or overlong name, more
fields than the header, a JSON line that is not an object) gets status "error" and a message, and the
run goes on. A short row is padded with empty cells; a long row keeps its extra fields, joined with the
delimiter, in its last cell. An exception from the screener itself is a bug, not a data problem: the
run stops, exit 3, and no output is left behind.

Output: every input column as it came, then RESULT_COLUMNS. If any input header already has one of
those names (compared case-insensitively), *all* result columns are prefixed with "ecscreen_", so a
script finds them as one set either way. Files are written to a temporary file in the output's
directory and renamed into place at the end: an interrupted run leaves no output. CSV files get a
UTF-8 BOM (Excel reads BOM-less UTF-8 as Windows-1252 and garbles Chinese names; standard output gets
none). The audit record (RUN_KEY: tool and list versions, thresholds, input sha256, counts, timing) is
the first record of JSON and JSON Lines output and the sidecar OUTPUT.meta.json of CSV and XLSX output;
JSON rows carry "row", "id" (with --id-column), "input" (the fields; a repeated header becomes
"name_2"), "result" (the result columns) and report.finding_json without its "screening" block, which
the run record holds once. JSON rows are spooled and written after the run record at the end.

Spreadsheet safety (OWASP, CSV injection): in CSV and XLSX output every text cell, input cells and
headers included, that begins with "=", "+", "-", "@", a tab or a carriage return gets a leading
single quote. That includes negative numbers held as text ("-2" becomes "'-2"), as OWASP advises;
numeric cells of an .xlsx input stay numbers in .xlsx output. JSON output is left as it came.

No click and no rich here: the CLI passes a progress callback in.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from screen.errors import EcscreenError, ExitCode, InputError

# The result columns, in output order, with what each holds. Documented in `ecscreen batch --help`.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("status", "clear, alert or error"),
    ("risk_level", "listed, linked, affiliated, clear or error"),
    ("best_match_name", "primary name of the best-scoring listed party"),
    ("best_match_list", "its list code (EL, SDN, UVL, ...)"),
    ("best_match_record_id", "its record id"),
    ("best_match_score", "its score, 0-100"),
    ("matched_name", "the listed name or alias that matched"),
    ("linked_risk", "one line: why this risk level, with the linked party"),
    ("alert_count", "how many listed parties scored at or above the threshold"),
    ("error_message", "why the row could not be screened"),
)
RESULT_PREFIX = "ecscreen_"
RUN_KEY = "ecscreen_run"
FORMATS = ("csv", "jsonl", "json", "xlsx")

# Headers that name the column to screen, best first; compared after casefolding and turning "_", "-",
# ".", "/" and runs of spaces into one space. "Company Name", "supplier_name", "Vendor Legal Name" are found
# by NAME_QUALIFIERS: a header with the word "name" and one of these words.
NAME_HEADERS = (
    "name", "company", "company name", "counterparty", "counterparty name", "entity", "entity name",
    "organisation", "organization", "supplier", "customer", "institution", "vendor", "party", "partner",
    "legal name", "名称", "公司名称", "企业名称", "单位名称", "客户名称", "供应商名称", "机构名称", "名字",
)
NAME_QUALIFIERS = frozenset({
    "company", "counterparty", "entity", "organisation", "organization", "org", "supplier", "customer",
    "institution", "vendor", "party", "partner", "legal", "business", "firm", "university", "full",
    "official", "registered", "english", "en", "consignee", "buyer", "seller", "beneficiary",
})
COUNTRY_HEADERS = (
    "country", "country code", "country iso", "iso country", "countries", "nation", "ctry",
    "country region", "land", "pays", "país", "pais", "国家", "国家 地区", "国家地区", "国别",
)

# Rows per chunk sent to a worker: large enough that pickling and queueing are a small share of the
# time, small enough that results come back often for the progress bar.
CHUNK_SIZE = 256
# Chunks in flight per worker: keeps workers busy while the parent reads and writes, and bounds memory.
CHUNKS_IN_FLIGHT = 4
# Bytes kept from the start of the file to find a BOM, binary content and the delimiter. (The evidence
# for an encoding comes from the whole file.)
SAMPLE_BYTES = 1 << 20
# Share of control bytes (other than tab, newline, CR, form feed) above which a file is not text, and
# the lower share that suffices when NUL is among them. A few stray control bytes in a text export are
# common (vertical tabs for line breaks); random binary data has about 10%, NUL included.
BINARY_CONTROL_SHARE = 0.10
BINARY_CONTROL_SHARE_WITH_NUL = 0.02
# Excel holds at most this many characters in a cell and this many rows in a sheet.
XLSX_MAX_CELL = 32_767
XLSX_MAX_ROWS = 1_048_576
# Errors kept for the summary; the output has all of them.
ERRORS_SHOWN = 10

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HEADER_SPACES = re.compile(r"[\s_.\-/]+")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: same first bytes
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ENCODING_HINT = "--encoding cp1252 (Windows, Western Europe), --encoding gb18030 (Chinese) or --encoding latin-1"


class ScreenerLike(Protocol):
    """What batch needs of a screener (screen.screening.Screener; a fake one in tests)."""

    threshold: float

    @property
    def lists(self) -> Sequence[Any]: ...

    def screen(self, name: str, country: str | None = None) -> Any: ...


@dataclass(frozen=True)
class BatchOptions:
    name_column: str | None = None
    country_column: str | None = None
    id_column: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    output_format: str | None = None  # from the output's extension when not given; csv on stdout
    only_alerts: bool = False
    workers: int = 1
    chunk_size: int = CHUNK_SIZE


@dataclass
class BatchSummary:
    rows: int = 0
    clear: int = 0
    alert: int = 0
    error: int = 0
    written: int = 0
    alerts_by_list: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    output: str | None = None
    meta_path: str | None = None
    first_errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, id, message
    lists: Sequence[Any] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def names_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> ExitCode:
        """Error rows alone do not change the exit code: they are counted in the summary."""
        return ExitCode.ALERT if self.alert else ExitCode.CLEAR


Progress = Callable[[int, "float | None"], None]  # rows done, fraction of the input read (None: unknown)


def run_batch(
    input_path: str,
    output: str | None,
    open_screener: Callable[[], ScreenerLike],
    options: BatchOptions = BatchOptions(),
    *,
    stdin: IO[bytes] | None = None,
    stdout: IO[bytes] | None = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Screen every row of `input_path` ("-" for `stdin`) into `output` (None for `stdout`).

    `open_screener` is called once here, after the input has been checked, and once in each worker
    process when options.workers > 1 (so it must then be picklable, e.g. a functools.partial).
    Raises InputError (exit 2) for an unusable input, before any output exists.
    """
    fmt = output_format(output, options.output_format)
    if fmt == "xlsx" and output is None:
        raise InputError("xlsx output needs a file: give -o OUTPUT.xlsx", field="--format")
    if options.workers < 1:
        raise InputError("--workers must be at least 1", field="--workers")
    if output is not None and input_path != "-" and _same_file(input_path, output):
        raise InputError("the output would overwrite the input; give another -o path", field="--output")
    with open_source(input_path, options, stdin=stdin) as source:
        columns = resolve_columns(source.headers, options)
        source.info.update(
            name_column=source.headers[columns.name],
            country_column=None if columns.country is None else source.headers[columns.country],
            id_column=None if columns.id is None else source.headers[columns.id],
        )
        result_names = result_column_names(source.headers)
        writer = _make_writer(fmt, output, stdout, source.headers, result_names)
        try:
            screener = open_screener()
            summary = _screen_all(source, columns, screener, open_screener, writer, options, fmt, progress)
            summary.meta = _run_record(screener, source, summary, fmt, output, options, result_names)
            summary.output = output
            summary.meta_path = writer.commit(summary.meta)
        except BaseException:
            writer.discard()
            raise
    return summary


# ----------------------------------------------------------------------------------------- the loop


@dataclass(frozen=True)
class Columns:
    name: int
    country: int | None = None
    id: int | None = None


def _screen_all(
    source: Source, columns: Columns, screener: ScreenerLike, open_screener: Callable[[], ScreenerLike],
    writer: _Writer, options: BatchOptions, fmt: str, progress: Progress | None,
) -> BatchSummary:
    from screen.report import finding_json

    with_json = fmt in ("json", "jsonl")
    summary = BatchSummary(lists=tuple(screener.lists))
    width = len(source.headers)
    started = time.perf_counter()
    countries: dict[str, str | None] = {}

    def jobs_for(chunk: list[Row]) -> list[tuple[str, str | None] | str]:
        """(name, country) to screen, or the reason the row cannot be screened."""
        jobs: list[tuple[str, str | None] | str] = []
        for row in chunk:
            if row.problem:
                jobs.append(row.problem)
                continue
            name = cell_text(row.cells[columns.name])
            country = None
            if columns.country is not None:
                raw = cell_text(row.cells[columns.country]).strip()
                if raw not in countries:
                    countries[raw] = _country(raw)
                country = countries[raw]
            jobs.append((name, country))
        return jobs

    def problem_outcome(message: str, name: str) -> Outcome:
        from screen.screening import Finding

        return _outcome(Finding(query=name, country=None, status="error", error=message), with_json, finding_json)

    chunks = _fit_rows(source.rows, width, source.delimiter, columns, options.chunk_size)
    with _Screening(screener, open_screener, options.workers, with_json) as screening:
        for chunk, outcomes in screening.run(chunks, jobs_for):
            for row, outcome in zip(chunk, outcomes):
                if outcome is None:  # a row problem found while reading
                    outcome = problem_outcome(row.problem, cell_text(row.cells[columns.name]))
                status = outcome.status
                summary.rows += 1
                if status == "alert":
                    summary.alert += 1
                    summary.alerts_by_list.update(outcome.lists)
                elif status == "error":
                    summary.error += 1
                    if len(summary.first_errors) < ERRORS_SHOWN:
                        row_id = "" if columns.id is None else cell_text(row.cells[columns.id])
                        summary.first_errors.append((row.number, row_id, outcome.error_message))
                else:
                    summary.clear += 1
                if options.only_alerts and status == "clear":
                    continue
                writer.write(row, outcome, None if columns.id is None else row.cells[columns.id])
                summary.written += 1
            if progress:
                progress(summary.rows, source.fraction())
    summary.seconds = time.perf_counter() - started
    return summary


def _fit_rows(
    rows: Iterator[Row], width: int, delimiter: str, columns: Columns, size: int
) -> Iterator[list[Row]]:
    """Rows padded or folded to the header's width, in chunks; a long row is marked as a problem."""
    chunk: list[Row] = []
    for row in rows:
        cells = row.cells
        if len(cells) > width:
            extra = cells[width:]
            if any(cell_text(c).strip() for c in extra):
                joined = delimiter.join(cell_text(c) for c in cells[width - 1:])
                row = Row(row.number, [*cells[: width - 1], joined], row.problem or (
                    f"row has {len(cells)} fields, the header has {width}: not screened, the columns may be "
                    "shifted (an unquoted delimiter inside a field?); the extra fields are kept in the last column"
                ))
            else:  # trailing empty cells, as spreadsheets write them
                row = Row(row.number, cells[:width], row.problem)
        elif len(cells) < width:
            problem = row.problem
            if len(cells) <= columns.name and not problem:
                problem = f"row has {len(cells)} field{'s' if len(cells) != 1 else ''}, the header has {width}: no name"
            row = Row(row.number, [*cells, *([""] * (width - len(cells)))], problem)
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Outcome(NamedTuple):
    """What a worker sends back for one row: plain values, cheap to pickle. The first fields are
    RESULT_COLUMNS, in order (`outcome[:RESULT_WIDTH]`)."""

    status: str
    risk_level: str
    best_match_name: str
    best_match_list: str
    best_match_record_id: str
    best_match_score: float | None
    matched_name: str
    linked_risk: str
    alert_count: int
    error_message: str
    lists: tuple[str, ...]  # list codes among the alerts
    finding: dict[str, Any] | None  # report.finding_json, for JSON output


RESULT_WIDTH = len(RESULT_COLUMNS)


def _outcome(finding: Any, with_json: bool, finding_json: Callable[..., dict] | None = None) -> Outcome:
    best = finding.alerts[0] if finding.alerts else None
    data = None
    if with_json:
        data = finding_json(finding, {})
        data.pop("screening", None)  # once, in the run record, rather than in every row
    return Outcome(
        status=finding.status,
        risk_level="error" if finding.status == "error" else finding.risk,
        best_match_name=best.record.name if best else "",
        best_match_list=best.record.list_code if best else "",
        best_match_record_id=best.record.id if best else "",
        best_match_score=round(best.score, 1) if best else None,
        matched_name=best.matched_name if best else "",
        linked_risk=finding.risk_summary,
        alert_count=finding.total_alerts,
        error_message=finding.error,
        lists=tuple(sorted({m.record.list_code for m in finding.alerts})),
        finding=data,
    )


def _screen_jobs(
    screener: ScreenerLike, jobs: list[tuple[str, str | None] | str], with_json: bool
) -> list[Outcome | None]:
    finding_json = None
    if with_json:
        from screen.report import finding_json
    return [None if isinstance(job, str) else _outcome(screener.screen(*job), with_json, finding_json) for job in jobs]


class _Screening:
    """Screens chunks in this process, or in worker processes with results kept in input order.

    Workers get chunks through a bounded window rather than Pool.imap: imap reads its whole input
    ahead into the task queue, which would hold a large file in memory.
    """

    def __init__(self, screener: ScreenerLike, open_screener: Callable[[], ScreenerLike], workers: int,
                 with_json: bool) -> None:
        self.screener = screener
        self.open_screener = open_screener
        self.workers = workers
        self.with_json = with_json
        self.executor = None

    def __enter__(self) -> _Screening:
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the parent may run a progress-bar thread, and fork copies its locks.
            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(self.open_screener, self.with_json),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=exc[0] is None, cancel_futures=True)

    def run(
        self, chunks: Iterable[list[Row]], jobs_for: Callable[[list[Row]], list]
    ) -> Iterator[tuple[list[Row], list[Outcome | None]]]:
        if self.executor is None:
            for chunk in chunks:
                yield chunk, _screen_jobs(self.screener, jobs_for(chunk), self.with_json)
            return
        from concurrent.futures.process import BrokenProcessPool

        window = self.workers * CHUNKS_IN_FLIGHT
        pending: deque = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, self.executor.submit(_screen_in_worker, jobs_for(chunk))))
                if len(pending) >= window:
                    chunk, future = pending.popleft()
                    yield chunk, future.result()
            while pending:
                chunk, future = pending.popleft()
                yield chunk, future.result()
        except BrokenProcessPool as exc:
            raise EcscreenError(f"a worker process died ({exc}); try fewer --workers") from exc


_worker: dict[str, Any] = {}


def _init_worker(open_screener: Callable[[], ScreenerLike], with_json: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    _worker["with_json"] = with_json
    try:
        _worker["screener"] = open_screener()
    except BaseException as exc:  # noqa: BLE001 - reported by the first task, not lost in a pool restart
        _worker["failed"] = exc


def _screen_in_worker(jobs: list) -> list[Outcome | None]:
    if "failed" in _worker:
        raise _worker["failed"]
    return _screen_jobs(_worker["screener"], jobs, _worker["with_json"])


# --------------------------------------------------------------------------------------- columns


def _header_key(header: str) -> str:
    return _HEADER_SPACES.sub(" ", str(header).replace("\ufeff", "").strip().casefold()).strip()


def _find_column(headers: Sequence[str], given: str, option: str) -> int:
    for match in (lambda h: h == given, lambda h: _header_key(h) == _header_key(given)):
        for i, header in enumerate(headers):
            if match(header):
                return i
    raise InputError(f"no column {given!r}; the header has {_list_headers(headers)}", field=option)


def _list_headers(headers: Sequence[str]) -> str:
    return ", ".join(repr(h) for h in headers) if headers else "no columns"


def find_name_column(headers: Sequence[str]) -> int | None:
    """The column to screen, by header: a NAME_HEADERS entry, else "<qualifier> name" (leftmost wins)."""
    keys = [_header_key(h) for h in headers]
    for wanted in NAME_HEADERS:
        if wanted in keys:
            return keys.index(wanted)
    for i, key in enumerate(keys):
        words = set(re.split(r"[^\w]+", key))
        if "name" in words and words & NAME_QUALIFIERS:
            return i
    for i, key in enumerate(keys):
        if "名称" in key:
            return i
    return None


def find_country_column(headers: Sequence[str]) -> int | None:
    keys = [_header_key(h) for h in headers]
    for wanted in COUNTRY_HEADERS:
        if wanted in keys:
            return keys.index(wanted)
    return None


def resolve_columns(headers: Sequence[str], options: BatchOptions) -> Columns:
    """Name, country and id columns, given or found; InputError listing the headers when absent."""
    if options.name_column:
        name = _find_column(headers, options.name_column, "--name-column")
    else:
        found = find_name_column(headers)
        if found is None:
            raise InputError(
                f"no name column found; the header has {_list_headers(headers)}. Say which column holds "
                "the names with --name-column", field="--name-column",
            )
        name = found
    if options.country_column:
        country = _find_column(headers, options.country_column, "--country-column")
    else:
        country = find_country_column(headers)
    row_id = _find_column(headers, options.id_column, "--id-column") if options.id_column else None
    return Columns(name, country, row_id)


def result_column_names(headers: Sequence[str]) -> list[str]:
    """RESULT_COLUMNS names; all prefixed with "ecscreen_" (again, if need be) when one collides."""
    taken = {str(h).strip().casefold() for h in headers}
    prefix = ""
    while any((prefix + name).casefold() in taken for name, _ in RESULT_COLUMNS):
        prefix += RESULT_PREFIX
    return [prefix + name for name, _ in RESULT_COLUMNS]


def json_keys(headers: Sequence[str]) -> list[str]:
    """Object keys for the input fields: an empty header is "column_N", a repeated one gets "_2", "_3"."""
    keys: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(headers, start=1):
        key = str(header) or f"column_{i}"
        base, n = key, 1
        while key in seen:
            n += 1
            key = f"{base}_{n}"
        seen.add(key)
        keys.append(key)
    return keys


def _country(value: str) -> str | None:
    if not value:
        return None
    from screen.lists.clean import country_code

    return country_code(value) or None  # unknown countries are dropped: country is evidence, not a filter


# ----------------------------------------------------------------------------------------- reading


@dataclass
class Row:
    number: int  # 1-based, data rows only (the header and blank lines are not rows)
    cells: list[Any]
    problem: str = ""


@dataclass
class Source:
    headers: list[str]
    rows: Iterator[Row]
    info: dict[str, Any]
    fraction: Callable[[], float | None]
    delimiter: str = ","


class _DecodeFailure(Exception):
    def __init__(self, line: int | None, raw: bytes, exc: UnicodeDecodeError) -> None:
        super().__init__(str(exc))
        self.line, self.raw, self.exc = line, raw, exc


@dataclass
class Scan:
    """What one pass over the input tells: checksum, size, a sample, and evidence for its encoding."""

    sha256: str
    size: int
    sample: bytes
    utf8_ok: int = 0  # well-formed non-ASCII UTF-8 characters
    utf8_bad: int = 0  # bytes that are not UTF-8
    gb_pairs: int = 0  # two high bytes in the GB2312 range (0xA1-0xFE): a Chinese character in GBK
    latin_marks: int = 0  # a high byte before an ASCII one: an accented letter in Windows-1252


_SURROGATE_ESCAPES = re.compile("[\udc80-\udcff]")
_GB_PAIR = re.compile(rb"[\xa1-\xfe][\xa1-\xfe]")
_LATIN_MARK = re.compile(rb"[\x80-\xff][\x00-\x7f]")


def scan_file(fh: IO[bytes]) -> Scan:
    """Read the file once, in blocks; leaves it at the start."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    sample = b""
    size = ok = bad = pairs = marks = 0
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
        if len(sample) < SAMPLE_BYTES:
            sample += chunk[: SAMPLE_BYTES - len(sample)]
        text = decoder.decode(chunk)
        if not text.isascii():
            invalid = len(_SURROGATE_ESCAPES.findall(text))
            ok += len(text) - len(text.encode("ascii", "ignore")) - invalid
            bad += invalid
            pairs += len(_GB_PAIR.findall(chunk))
            marks += len(_LATIN_MARK.findall(chunk))
    fh.seek(0)
    return Scan(digest.hexdigest(), size, sample, ok, bad, pairs, marks)


def detect_encoding(scan: Scan) -> str:
    """A BOM decides; else UTF-8 when most non-ASCII bytes are well-formed UTF-8 (a few bad bytes are
    then reported with their row, not guessed away); else GB18030 when two-byte Chinese characters
    outnumber accented Latin letters; else Windows-1252."""
    for bom, name in _BOMS:
        if scan.sample.startswith(bom):
            return name
    if scan.utf8_ok >= scan.utf8_bad:
        return "utf-8"
    return "gb18030" if scan.gb_pairs > scan.latin_marks else "cp1252"


def _is_binary(sample: bytes) -> bool:
    if not sample:
        return False
    share = (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)
    return share > BINARY_CONTROL_SHARE or (b"\x00" in sample and share > BINARY_CONTROL_SHARE_WITH_NUL)


def _check_encoding(name: str) -> str:
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    # hex, base64, rot13 ... are codecs but not text encodings; idna is for host names only.
    if info is None or not getattr(info, "_is_text_encoding", True) or info.name == "idna":
        raise InputError(f"unknown text encoding {name!r}; try utf-8, utf-16, gb18030 or cp1252", field="--encoding")
    return info.name


def decode_text(data: bytes) -> str:
    """Bytes of names from a pipe, decoded as batch decodes a file: BOM, UTF-8, GB18030 or cp1252."""
    encoding = detect_encoding(scan_file(io.BytesIO(data)))
    return data.decode(encoding, errors="replace").lstrip("\ufeff")


def input_format(path: str, sample: bytes) -> str:
    """xlsx, jsonl or delimited: ZIP content is a workbook whatever its name; else by extension and content."""
    suffix = Path(path).suffix.lower()
    if sample.startswith(b"PK\x03\x04"):
        return "xlsx"
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("this is an old Excel .xls workbook; save it as .xlsx or CSV and screen that", file=path)
    if suffix in (".xlsx", ".xlsm"):
        raise InputError("not an .xlsx workbook (it is not a ZIP file); if it is CSV, rename it", file=path)
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "delimited"


@contextlib.contextmanager
def open_source(path: str, options: BatchOptions, *, stdin: IO[bytes] | None = None) -> Iterator[Source]:
    """Open the input and read its header: InputError for anything that makes it unusable."""
    label = "<stdin>" if path == "-" else path
    with contextlib.ExitStack() as stack:
        if path == "-":
            if stdin is None:
                raise InputError("no standard input to read", file=label)
            fh = stack.enter_context(tempfile.TemporaryFile(prefix="ecscreen-stdin-"))
            shutil.copyfileobj(stdin, fh, 1 << 20)
            fh.seek(0)
        else:
            try:
                fh = stack.enter_context(open(path, "rb"))
            except IsADirectoryError:
                raise InputError("is a directory, not a file to screen", file=label) from None
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror or exc}", file=label) from None
        scan = scan_file(fh)
        info: dict[str, Any] = {
            "path": label if path == "-" else str(Path(path).resolve()),
            "sha256": scan.sha256,
            "bytes": scan.size,
        }
        if not scan.sample.strip().strip(codecs.BOM_UTF8).strip():
            raise InputError("the file is empty: expected a header row, then one row per name", file=label)
        fmt = input_format(path, scan.sample)
        info["format"] = "csv" if fmt == "delimited" else fmt
        if fmt == "xlsx":
            yield _xlsx_source(fh, label, options, info)
            return
        if options.encoding:
            encoding = _check_encoding(options.encoding)
        else:
            if _is_binary(scan.sample) and not scan.sample.startswith(_UTF16_32_BOMS):
                raise InputError(
                    "does not look like a text file (it has control bytes such as NUL); give a CSV, TSV, "
                    "JSON Lines or .xlsx file (UTF-16 without a BOM needs --encoding utf-16-le)", file=label,
                )
            encoding = detect_encoding(scan)
        info["encoding"] = encoding
        lines = _decoded_lines(fh, encoding)
        size = scan.size or 1

        def fraction() -> float | None:
            try:
                return min(1.0, fh.tell() / size)
            except (OSError, ValueError):
                return None

        first = _first_text(scan.sample, encoding).lstrip("\ufeff \t\r\n")
        if fmt == "delimited" and first.startswith("{"):
            fmt = info["format"] = "jsonl"
        if fmt == "delimited" and first.startswith("["):
            raise InputError("a JSON array is not read; give JSON Lines (one object per line) or CSV", file=label)
        if fmt == "jsonl":
            headers, rows = _jsonl_rows(lines, fh, label, encoding)
            yield Source(headers, rows, info, fraction, delimiter=",")
            return
        # Excel's "sep=;" first line names the delimiter.
        sep_line = _SEP_LINE.match(first)
        delimiter = _delimiter(options.delimiter or (sep_line and sep_line[1]), path, first)
        info["delimiter"] = None if delimiter == _ONE_COLUMN else delimiter
        headers, rows = _delimited_rows(lines, delimiter, label, encoding, skip_first=bool(sep_line))
        yield Source(headers, rows, info, fraction, delimiter=delimiter if delimiter != _ONE_COLUMN else ",")


_UTF16_32_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SEP_LINE = re.compile(r"sep=(.)\r?\n")
# A header with no delimiter at all is a one-column file: every line is one name, commas included.
_ONE_COLUMN = "\x1f"


def _first_text(sample: bytes, encoding: str) -> str:
    return sample[:65536].decode(encoding, errors="replace")


def _delimiter(given: str | None, path: str, text: str) -> str:
    if given:
        value = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(given.lower(), given)
        if len(value) != 1 or value in "\r\n\"":
            raise InputError(f"--delimiter must be one character (or tab), not {given!r}", field="--delimiter")
        return value
    if Path(path).suffix.lower() in (".tsv", ".tab"):
        return "\t"
    header = _first_record_line(text)
    counts = {d: header.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])  # ties go to the first: , then tab
    return best if counts[best] else _ONE_COLUMN


def _first_record_line(text: str) -> str:
    """The first non-blank line, with quoted parts taken out (they may hold delimiters)."""
    text = text.lstrip("\ufeff\r\n \t")
    line = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            break
        elif not quoted:
            line.append(ch)
    return "".join(line)


class _LineCounter:
    line = 0


def _decoded_lines(fh: IO[bytes], encoding: str) -> tuple[Iterator[str], _LineCounter]:
    """Lines decoded one at a time, so a bad byte is reported with its line; newlines kept for csv."""
    counter = _LineCounter()
    ascii_lines = "\n".encode(encoding) == b"\n" and not encoding.startswith(("utf-16", "utf-32"))

    def by_bytes() -> Iterator[str]:
        decode = codecs.getdecoder(encoding)
        for raw in fh:
            counter.line += 1
            try:
                yield decode(raw)[0]
            except UnicodeDecodeError as exc:
                raise _DecodeFailure(counter.line, raw, exc) from None
            except UnicodeError as exc:  # e.g. UTF-16 without a BOM
                raise _DecodeFailure(counter.line, raw, UnicodeDecodeError(encoding, raw, 0, 1, str(exc))) from None

    def by_text() -> Iterator[str]:
        text = io.TextIOWrapper(fh, encoding=encoding, newline="")
        try:
            while True:
                try:
                    line = text.readline()
                except UnicodeDecodeError as exc:
                    raise _DecodeFailure(None, b"", exc) from None
                except UnicodeError as exc:  # e.g. UTF-16 without a BOM
                    raise _DecodeFailure(None, b"", UnicodeDecodeError(encoding, b"", 0, 0, str(exc))) from None
                if not line:
                    return
                counter.line += 1
                yield line
        finally:
            text.detach()

    return (by_bytes() if ascii_lines else by_text()), counter


def _decode_error(failure: _DecodeFailure, row: int, label: str, encoding: str) -> InputError:
    where = f"row {row}" + (f" (line {failure.line})" if failure.line else "")
    bad = failure.raw[failure.exc.start: failure.exc.end] if failure.raw else b""
    what = f"byte {bad.hex(' ')}" if bad else "a byte"
    column = f" (byte {failure.exc.start + 1} of the line)" if failure.raw else ""
    return InputError(
        f"{where} cannot be read as {encoding}: {what}{column} is not {encoding}. If the file is in another "
        f"encoding, give it, e.g. {_ENCODING_HINT}; if only this row is damaged, fix it in the file",
        file=label,
    )


def _delimited_rows(
    source: tuple[Iterator[str], _LineCounter], delimiter: str, label: str, encoding: str, *, skip_first: bool = False,
) -> tuple[list[str], Iterator[Row]]:
    lines, counter = source
    if skip_first:
        next(lines)
    csv.field_size_limit(1 << 26)  # a 10,000-character name is an error row, not a crash
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0

    def records() -> Iterator[list[str]]:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except _DecodeFailure as failure:
                raise _decode_error(failure, number + 1, label, encoding) from None
            except csv.Error as exc:
                raise InputError(f"row {number + 1} (line {counter.line}): {exc}", file=label) from None
            if record:  # a blank line is not a row
                yield record

    def first() -> list[str]:
        for record in records():
            record[0] = record[0].lstrip("\ufeff")  # a BOM the encoding given with --encoding kept
            return record
        return []

    headers = first()
    if not any(h.strip() for h in headers):
        raise InputError("the header row has no column names: expected a header row, then one row per name",
                         file=label)

    def rows() -> Iterator[Row]:
        nonlocal number
        for record in records():
            number += 1
            yield Row(number, record)

    return headers, rows()


def _jsonl_rows(
    source: tuple[Iterator[str], _LineCounter], fh: IO[bytes], label: str, encoding: str
) -> tuple[list[str], Iterator[Row]]:
    """Headers are every key, in order of first appearance (one pass over the file first)."""
    lines, counter = source
    keys: dict[str, None] = {}
    number = 0
    try:
        for line in lines:
            if line.strip():
                number += 1
                with contextlib.suppress(ValueError):
                    obj = json.loads(line)
                    if isinstance(obj, dict):
                        keys.update(dict.fromkeys(obj))
    except _DecodeFailure as failure:
        raise _decode_error(failure, number + 1, label, encoding) from None
    if not keys:
        raise InputError("no JSON objects found: JSON Lines input needs one object per line", file=label)
    headers = list(keys)
    fh.seek(0)
    lines, counter = _decoded_lines(fh, encoding)

    def rows() -> Iterator[Row]:
        number = 0
        try:
            for line in lines:
                if not line.strip():
                    continue
                number += 1
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Row(number, [], f"line {counter.line} is not valid JSON: {exc.msg} at character {exc.pos + 1}")
                    continue
                if not isinstance(obj, dict):
                    yield Row(number, [], f"line {counter.line} is a JSON {type(obj).__name__}, not an object")
                    continue
                yield Row(number, [obj.get(k) for k in headers])
        except _DecodeFailure as failure:
            raise _decode_error(failure, number + 1, label, encoding) from None

    return headers, rows()


def _xlsx_source(fh: IO[bytes], label: str, options: BatchOptions, info: dict[str, Any]) -> Source:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(f"cannot open as an .xlsx workbook: {exc}", file=label) from None
    if options.sheet:
        names = book.sheetnames
        if options.sheet in names:
            sheet = book[options.sheet]
        elif options.sheet.isdigit() and 1 <= int(options.sheet) <= len(names):
            sheet = book.worksheets[int(options.sheet) - 1]
        else:
            raise InputError(
                f"no sheet {options.sheet!r}; the workbook has {', '.join(map(repr, names))}", field="--sheet"
            )
    else:
        sheet = book.worksheets[0]
    info["sheet"] = sheet.title
    values = sheet.iter_rows(values_only=True)
    headers: list[str] = []
    for record in values:
        cells = _trim(record)
        if cells:
            headers = [cell_text(c) for c in cells]
            break
    if not headers:
        raise InputError(f"sheet {sheet.title!r} is empty: expected a header row, then one row per name", file=label)
    total = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
    seen = 0

    def rows() -> Iterator[Row]:
        nonlocal seen
        number = 0
        for record in values:
            seen += 1
            cells = _trim(record)
            if cells:
                number += 1
                yield Row(number, cells)
        book.close()

    return Source(headers, rows(), info, lambda: min(1.0, seen / total) if total else None, delimiter=",")


def _trim(record: Sequence[Any]) -> list[Any]:
    cells = list(record)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


# ----------------------------------------------------------------------------------------- writing


def cell_text(value: Any) -> str:
    """A cell value as text: "" for None, ISO dates, integral floats without ".0", JSON for lists."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def neutralise(text: str) -> str:
    """Make a cell safe to open in a spreadsheet: a leading quote before =, +, -, @, tab or CR (OWASP)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def output_format(output: str | None, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}; use one of {', '.join(FORMATS)}", field="--format")
        return given
    suffix = Path(output).suffix.lower() if output else ""
    return {".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}.get(suffix, "csv")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class _Atomic:
    """A temporary file next to `path`, renamed over it on commit and removed on discard."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent or ".", prefix=f".{self.path.name}.", suffix=".tmp")
        except FileNotFoundError:
            raise InputError(f"the output directory {str(self.path.parent)!r} does not exist", field="--output") from None
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror or exc}", field="--output") from None
        os.close(fd)
        self.tmp = tmp

    def commit(self) -> None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp makes it private; give it a normal file's mode
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


class _Writer:
    """Writes the header and the rows of one output; commit() puts it (and its run record) in place."""

    def __init__(self, headers: list[str], result_names: list[str]) -> None:
        self.headers = headers
        self.result_names = result_names
        self.keys = json_keys(headers)
        self.files: list[_Atomic] = []

    def write(self, row: Row, outcome: Outcome, row_id: Any) -> None:
        raise NotImplementedError

    def commit(self, meta: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def discard(self) -> None:
        self.close()
        for f in self.files:
            f.discard()

    def close(self) -> None:
        pass

    def _sidecar(self, output: str, meta: dict[str, Any]) -> str:
        path = output + ".meta.json"
        side = _Atomic(path)
        self.files.append(side)
        with open(side.tmp, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        side.commit()
        return path


def _result_texts(outcome: Outcome) -> list[str]:
    score = outcome.best_match_score
    text = outcome._replace(best_match_score="" if score is None else f"{score:.1f}", alert_count=str(outcome.alert_count))
    return list(text[:RESULT_WIDTH])


class _CsvWriter(_Writer):
    def __init__(self, output: str | None, stdout: IO[bytes] | None, headers: list[str], result_names: list[str]):
        super().__init__(headers, result_names)
        self.output = output
        if output is None:
            if stdout is None:
                raise InputError("no output: give -o OUTPUT", field="--output")
            self.binary, self.encoding = stdout, "utf-8"
        else:
            self.files.append(_Atomic(output))
            self.binary, self.encoding = open(self.files[0].tmp, "wb"), "utf-8-sig"
        self.text = io.TextIOWrapper(self.binary, encoding=self.encoding, newline="", write_through=False)
        self.csv = csv.writer(self.text)
        self.started = False

    def _start(self) -> None:
        # Not in __init__: standard output gets nothing until the lists have loaded.
        self.started = True
        self.csv.writerow([neutralise(h) for h in [*self.headers, *self.result_names]])

    def write(self, row: Row, outcome: Outcome, row_id: Any) -> None:
        if not self.started:
            self._start()
        self.csv.writerow([neutralise(cell_text(c)) for c in row.cells] + [neutralise(v) for v in _result_texts(outcome)])

    def close(self) -> None:
        if self.text is not None:
            self.text.flush()
            self.text.detach()
            self.text = None
            if self.output is not None:
                self.binary.close()

    def commit(self, meta: dict[str, Any]) -> str | None:
        if not self.started:
            self._start()
        self.close()
        if self.output is None:
            return None
        meta_path = self._sidecar(self.output, meta)
        self.files[0].commit()
        return meta_path


class _XlsxWriter(_Writer):
    def __init__(self, output: str, headers: list[str], result_names: list[str]):
        super().__init__(headers, result_names)
        from openpyxl import Workbook

        self.output = output
        self.files.append(_Atomic(output))
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("screened")
        self.sheet.append([self._cell(h) for h in [*headers, *result_names]])
        self.rows = 1

    @staticmethod
    def _cell(value: Any) -> Any:
        if isinstance(value, (int, float, dt.datetime, dt.date)) and not isinstance(value, bool):
            return value  # numbers and dates are never formulas
        text = _XLSX_ILLEGAL.sub("\ufffd", neutralise(cell_text(value)))
        return text[:XLSX_MAX_CELL]

    def write(self, row: Row, outcome: Outcome, row_id: Any) -> None:
        self.rows += 1
        if self.rows > XLSX_MAX_ROWS:
            raise InputError(f"an .xlsx sheet holds at most {XLSX_MAX_ROWS:,} rows; write csv or jsonl", field="--format")
        if outcome.best_match_score is None:
            outcome = outcome._replace(best_match_score="")
        result = outcome[:RESULT_WIDTH]
        self.sheet.append([self._cell(c) for c in row.cells] + [self._cell(v) for v in result])

    def close(self) -> None:
        if self.sheet is not None and not self.sheet.closed:
            with contextlib.suppress(Exception):  # openpyxl's own temporary file for the rows
                self.sheet.close()
                self.sheet._writer.cleanup()
        self.book = self.sheet = None

    def commit(self, meta: dict[str, Any]) -> str | None:
        self.book.save(self.files[0].tmp)
        self.book = self.sheet = None
        meta_path = self._sidecar(self.output, meta)
        self.files[0].commit()
        return meta_path


class _JsonWriter(_Writer):
    """Rows go to a spool file first: the run record, which leads the output, is known only at the end."""

    def __init__(self, fmt: str, output: str | None, stdout: IO[bytes] | None, headers: list[str],
                 result_names: list[str]):
        super().__init__(headers, result_names)
        self.fmt = fmt
        self.output = output
        self.stdout = stdout
        where = str(Path(output).parent) if output else None
        if output is not None:
            self.files.append(_Atomic(output))
        elif stdout is None:
            raise InputError("no output: give -o OUTPUT", field="--output")
        try:
            self.spool = tempfile.TemporaryFile("w+", encoding="utf-8", dir=where, prefix=".ecscreen-rows-")
        except OSError as exc:
            raise InputError(f"cannot write the output: {exc.strerror or exc}", field="--output") from None
        self.separator = ",\n" if fmt == "json" else "\n"

    def write(self, row: Row, outcome: Outcome, row_id: Any) -> None:
        record: dict[str, Any] = {"row": row.number}
        if row_id is not None:
            record["id"] = row_id
        record["input"] = dict(zip(self.keys, row.cells))
        record["result"] = dict(zip(self.result_names, outcome[:RESULT_WIDTH]))
        record.update(outcome.finding)
        self.spool.write(self.separator)
        self.spool.write(json.dumps(record, ensure_ascii=False, default=cell_text))

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None

    def commit(self, meta: dict[str, Any]) -> str | None:
        self.spool.flush()
        self.spool.seek(0)
        if self.output is None:
            target = io.TextIOWrapper(self.stdout, encoding="utf-8", newline="")
        else:
            target = open(self.files[0].tmp, "w", encoding="utf-8", newline="")
        try:
            target.write(("[\n" if self.fmt == "json" else "") + json.dumps(meta, ensure_ascii=False))
            shutil.copyfileobj(self.spool, target, 1 << 20)
            target.write("\n]\n" if self.fmt == "json" else "\n")
        finally:
            if self.output is None:
                target.flush()
                target.detach()
            else:
                target.close()
        self.close()
        if self.output is not None:
            self.files[0].commit()
        return None


def _make_writer(fmt: str, output: str | None, stdout: IO[bytes] | None, headers: list[str],
                 result_names: list[str]) -> _Writer:
    if fmt == "csv":
        return _CsvWriter(output, stdout, headers, result_names)
    if fmt == "xlsx":
        assert output is not None
        return _XlsxWriter(output, headers, result_names)
    return _JsonWriter(fmt, output, stdout, headers, result_names)


def _run_record(
    screener: ScreenerLike, source: Source, summary: BatchSummary, fmt: str, output: str | None,
    options: BatchOptions, result_names: list[str],
) -> dict[str, Any]:
    """The audit record of the run: what was screened, against what, with what result."""
    from screen.report import screening_json

    now = dt.datetime.now(dt.timezone.utc)
    describe = getattr(screener, "describe_settings", None)
    record = screening_json(screener.lists, describe() if describe else {"threshold": screener.threshold})
    record.update(
        input=source.info,
        output={
            "path": str(Path(output).resolve()) if output else "<stdout>",
            "format": fmt,
            "only_alerts": options.only_alerts,
            "result_columns": result_names,
        },
        counts={
            "rows": summary.rows,
            "clear": summary.clear,
            "alert": summary.alert,
            "error": summary.error,
            "written": summary.written,
            "alerts_by_list": dict(sorted(summary.alerts_by_list.items())),
        },
        workers=options.workers,
        started_at=(now - dt.timedelta(seconds=summary.seconds)).isoformat(timespec="seconds"),
        finished_at=now.isoformat(timespec="seconds"),
        seconds=round(summary.seconds, 3),
        names_per_second=round(summary.names_per_second, 1),
    )
    return {RUN_KEY: record}
