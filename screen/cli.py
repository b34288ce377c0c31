"""click commands only: parse options, call the core, render, exit with a documented code."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click

from screen import __version__
from screen.errors import EcscreenError, ExitCode, InputError, ListDataError
from screen.graph import DEFAULT_DEPTH
from screen.match import DEFAULT_THRESHOLD

MAX_PROBLEMS_SHOWN = 20


class EcscreenGroup(click.Group):
    """The one place that turns exceptions into exit codes; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EcscreenError as exc:
            if isinstance(exc, ListDataError):
                _err(f"Error: {len(exc.problems)} problem(s) in list data:")
                for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
                    _err("  " + (problem.located() if isinstance(problem, EcscreenError) else str(problem)))
                if len(exc.problems) > MAX_PROBLEMS_SHOWN:
                    _err(f"  ... and {len(exc.problems) - MAX_PROBLEMS_SHOWN} more (ecscreen lists validate shows all)")
            else:
                _err(f"Error: {exc.located()}")
            ctx.exit(int(exc.exit_code))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _err("Interrupted.")
            ctx.exit(130)
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, as command-line tools do on SIGPIPE.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            else:
                _err(f"Internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
            ctx.exit(int(ExitCode.DATA_ERROR))


def _err(message: str) -> None:
    click.echo(message, err=True)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _stdout_console():
    from rich.console import Console

    return Console(highlight=False)


def list_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--list PATH (repeatable) and --no-bundled, shared by every command that loads lists."""
    func = click.option(
        "--no-bundled",
        is_flag=True,
        help="Screen against the --list files only, not the lists bundled with ecscreen.",
    )(func)
    func = click.option(
        "--list",
        "list_paths",
        multiple=True,
        type=click.Path(dir_okay=False),
        metavar="PATH",
        help="Also load this list: the official CSL download (consolidated.csv or .json), a CSV of "
        "your own (name, aliases, country, list, notes columns), a relationships CSV, or ecscreen "
        "JSONL. Repeatable.",
    )(func)
    return func


def screening_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--threshold",
        type=click.FloatRange(0, 100),
        default=DEFAULT_THRESHOLD,
        show_default=True,
        help="Alert on scores at or above this (0-100).",
    )(func)
    return list_options(func)


def risk_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--depth and --affiliates-rule: how far linked risk is followed, and whether the 50% rule applies."""
    func = click.option(
        "--affiliates-rule",
        type=click.Choice(["on", "off"]),
        default="on",
        show_default=True,
        help="Apply the BIS Affiliates Rule (50% ownership by listed parties). In effect from 2025-09-29, "
        "suspended from 2025-11-10 for one year: confirm its status. Every result states the setting.",
    )(func)
    func = click.option(
        "--depth",
        type=click.IntRange(1, 6),
        default=DEFAULT_DEPTH,
        show_default=True,
        help="How many relationship steps to follow from a matched record to a listed party.",
    )(func)
    return func


def _require_lists(list_paths: tuple[str, ...], no_bundled: bool) -> None:
    if no_bundled and not list_paths:
        raise InputError("--no-bundled needs at least one --list PATH", field="--no-bundled")


def _open_screener(list_paths: tuple[str, ...], no_bundled: bool, threshold: float, *,
                   depth: int = DEFAULT_DEPTH, affiliates_rule: str = "on"):
    from screen.screening import Screener

    _require_lists(list_paths, no_bundled)
    return Screener.open(list_paths, bundled=not no_bundled, threshold=threshold, depth=depth,
                         affiliates_rule=affiliates_rule == "on")


def _country(value: str | None) -> str | None:
    if not value:
        return None
    from screen.lists.clean import country_code

    code = country_code(value)
    if not code:
        raise InputError(f"unknown country {value!r}; give an ISO code such as CN or a country name", field="--country")
    return code


@click.group(cls=EcscreenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecscreen")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def cli(debug: bool) -> None:
    """Screen counterparties against US restricted-party lists and explain every alert.

    \b
    Examples:
      ecscreen check "Hubei Yangtze Memory Labs"
      ecscreen lists

    \b
    Exit codes: 0 screened and clear, 1 screened with alerts,
                2 bad usage or bad input, 3 list/data or internal error.
    """


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--country", help="Country of the counterparty (ISO code or name): evidence, not a filter.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table for people; json prints one JSON object per name on stdout.")
@risk_options
@screening_options
def check(names: tuple[str, ...], country: str | None, fmt: str, depth: int, affiliates_rule: str,
          threshold: float, list_paths: tuple[str, ...], no_bundled: bool) -> None:
    """Screen one or more names; with no NAME (or "-"), read names one per line from stdin.

    \b
    Examples:
      ecscreen check "Hubei Yangtze Memory Labs"
      ecscreen check "Harbin Inst. of Tech." "长江存储" --format json
      ecscreen check "Acme Trading LLC" --country AE --list consolidated.csv --no-bundled
      cut -d, -f1 partners.csv | ecscreen check
    """
    from screen import report

    queries = list(_names_from(names))
    if not queries:
        raise InputError("no names to screen: give NAME arguments or names on standard input", field="NAME")
    code = _country(country)
    screener = _open_screener(list_paths, no_bundled, threshold, depth=depth, affiliates_rule=affiliates_rule)
    findings = [screener.screen(q, code) for q in queries]
    if fmt == "json":
        screening = report.screening_json(screener.lists, screener.describe_settings())
        for finding in findings:
            click.echo(json.dumps(report.finding_json(finding, screening), ensure_ascii=False))
    else:
        console = _stdout_console()
        for finding in findings:
            console.print(report.finding_renderable(finding))
            console.print()
        settings = screener.describe_settings()
        console.print(report.screening_footer(report.screening_json(screener.lists, settings)))
        _stderr_console().print(
            f"[dim]Threshold {threshold:g}; linked risk to depth {depth}; {settings['affiliates_rule_note']}.[/dim]"
        )
        if warning := report.stale_warning(screener.lists):
            _stderr_console().print(f"[yellow]{warning}[/yellow]")
    if any(f.status == "alert" for f in findings):
        sys.exit(int(ExitCode.ALERT))
    if findings and all(f.status == "error" for f in findings):
        sys.exit(int(ExitCode.BAD_INPUT))


def _names_from(names: tuple[str, ...]) -> Iterable[str]:
    """NAME arguments, or names one per line on stdin, decoded as batch decodes files (UTF-8, UTF-16
    with BOM, GB18030, cp1252): a Chinese ERP export piped in must not come back "clear" as mojibake."""
    if names and names != ("-",):
        # An argument that is not valid UTF-8 arrives with surrogate escapes: show them as U+FFFD.
        yield from (name.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for name in names)
        return
    if sys.stdin is None or (not names and sys.stdin.isatty()):
        return
    from screen.batch import decode_text

    for line in decode_text(sys.stdin.buffer.read()).splitlines():
        if line.strip():
            yield line


@cli.group(invoke_without_command=True)
@list_options
@click.pass_context
def lists(ctx: click.Context, list_paths: tuple[str, ...], no_bundled: bool) -> None:
    """Show the loaded lists: source, snapshot date and age, record count, checksum.

    \b
    Examples:
      ecscreen lists
      ecscreen lists --list consolidated.csv
      ecscreen lists validate my-restricted-parties.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from screen import report
    from screen.lists import load_store

    _require_lists(list_paths, no_bundled)
    store = load_store(list_paths, bundled=not no_bundled)
    _stdout_console().print(report.lists_table(store.lists))
    click.echo(f"{len(store.records):,} records, {len(store.relationships):,} relationships.")
    if warning := report.stale_warning(store.lists):
        _stderr_console().print(f"[yellow]{warning}[/yellow]")


@lists.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Check list files and report every problem with file, line and field.

    Files given together are checked together (a relationships file may point at
    records of a list file given beside it, or at bundled records). Exits 0 when
    every file is sound, 3 when any has a problem.

    \b
    Example:
      ecscreen lists validate consolidated.csv my-list.csv relationships.csv
    """
    from screen.lists import validate_path
    from screen.lists.store import bundled_record_ids, read_file

    # Files given together are checked together: an edge may point at a record of another file.
    known = set(bundled_record_ids())
    for path in paths:
        try:
            known.update(r.id for r in read_file(path).records)
        except EcscreenError:
            pass  # reported below, file by file
    failed = False
    for path in paths:
        try:
            infos, problems = validate_path(path, known_ids=known)
        except EcscreenError as exc:  # not a list file at all, or unreadable: a problem of that file
            infos, problems = [], [exc]
        if problems:
            failed = True
            for problem in problems:
                click.echo(problem.located() if isinstance(problem, EcscreenError) else str(problem))
            click.echo(f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
        else:
            total = sum(i.records for i in infos)
            lists_in = ", ".join(f"{i.code} {i.records:,}" for i in infos)
            click.echo(f"{path}: OK, {total:,} records ({lists_in})")
    if failed:
        sys.exit(int(ExitCode.DATA_ERROR))


@cli.command()
@click.argument("name_or_id")
@risk_options
@screening_options
def explain(name_or_id: str, depth: int, affiliates_rule: str, threshold: float,
            list_paths: tuple[str, ...], no_bundled: bool) -> None:
    """Show one record in full and its relationships, both directions, to --depth.

    NAME_OR_ID is a record id (as printed by check) or a name; a name shows
    the best-matching record.

    \b
    Examples:
      ecscreen explain "Hubei Yangtze Memory Laboratories"
      ecscreen explain EL-harbin-institute-of-technology --depth 1
    """
    from screen import report

    screener = _open_screener(list_paths, no_bundled, threshold, depth=depth, affiliates_rule=affiliates_rule)
    record = screener.resolve(name_or_id)
    records, relationships = screener.graph.neighbourhood(record.id, depth=depth)
    console = _stdout_console()
    console.print(report.record_renderable(record, records, relationships))
    finding_paths = screener.graph.paths_to_listed(record.id, depth=depth)
    if finding_paths:
        console.print(f"Paths to listed parties ({len(finding_paths)}):")
        for path in finding_paths:
            console.print("  " + path.text(), markup=False, highlight=False)
    if affiliates_rule == "on" and (owned := screener.graph.ownership(record.id)) is not None:
        console.print("Ownership by listed parties: " + owned.arithmetic(), markup=False)


@cli.command()
@click.argument("name_or_id")
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid"]), default="dot", show_default=True,
              help="dot for Graphviz (dot -Tsvg), mermaid for Markdown viewers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@risk_options
@screening_options
def graph(name_or_id: str, fmt: str, output: str | None, depth: int, affiliates_rule: str, threshold: float,
          list_paths: tuple[str, ...], no_bundled: bool) -> None:
    """Write a record's neighbourhood as a graph a person can render.

    \b
    Examples:
      ecscreen graph "Hubei Yangtze Memory Laboratories" | dot -Tsvg > hyml.svg
      ecscreen graph EL-northwestern-polytechnical-university --format mermaid -o npu.mmd
    """
    from screen import report
    from screen.lists.store import atomic_write

    screener = _open_screener(list_paths, no_bundled, threshold, depth=depth, affiliates_rule=affiliates_rule)
    record = screener.resolve(name_or_id)
    records, relationships = screener.graph.neighbourhood(record.id, depth=depth)
    render = report.graph_dot if fmt == "dot" else report.graph_mermaid
    text = render(records, relationships, record.id)
    if output:
        try:
            atomic_write(output, text.encode("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}", field="--output") from None
        _err(f"Wrote {output}: {len(records)} records, {len(relationships)} relationships.")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (atomically) instead of "
              "standard output; the format follows the extension (.csv, .jsonl, .json, .xlsx).")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "json", "xlsx"]),
              help="Output format. [default: from the -o extension, else csv]")
@click.option("--name-column", metavar="C", help="Column holding the names. [default: found by header]")
@click.option("--country-column", metavar="C", help="Column holding countries (evidence, not a filter). "
              "[default: a header such as country]")
@click.option("--id-column", metavar="C", help="Column identifying rows, repeated in JSON output and the summary.")
@click.option("--delimiter", help="CSV delimiter, e.g. ';' or tab. [default: from the header line]")
@click.option("--encoding", help="Input encoding, e.g. cp1252 or gb18030. [default: detected]")
@click.option("--sheet", help="Sheet of an .xlsx input, by name or number. [default: the first]")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes screening in parallel.")
@click.option("--only-alerts", is_flag=True, help="Write only the rows that need a look: alerts and errors.")
@risk_options
@screening_options
def batch(input_path: str, output: str | None, fmt: str | None, name_column: str | None,
          country_column: str | None, id_column: str | None, delimiter: str | None, encoding: str | None,
          sheet: str | None, workers: int, only_alerts: bool, depth: int, affiliates_rule: str, threshold: float,
          list_paths: tuple[str, ...], no_bundled: bool) -> None:
    """Screen every row of a CSV, TSV, .xlsx or JSON Lines file ("-" for standard input).

    Every input row gives one output row, in order: the input columns as they
    came, then these result columns (all prefixed "ecscreen_" if an input column
    already has one of the names):

    \b
      status                clear, alert or error
      risk_level            listed, linked, affiliated, clear or error
      best_match_name       primary name of the best-scoring listed party
      best_match_list       its list code (EL, SDN, UVL, ...)
      best_match_record_id  its record id
      best_match_score      its score, 0-100
      matched_name          the listed name or alias that matched
      linked_risk           one line: why this risk level, with the linked party
      alert_count           how many listed parties scored at or above the threshold
      error_message         why the row could not be screened

    A row that cannot be screened (empty or overlong name, more fields than the
    header) gets status error and the run goes on. JSON and JSON Lines rows carry
    the full finding as `check --format json` does; their first record is the run
    record (tool and list versions, thresholds, input sha256, counts, timing),
    which CSV and XLSX outputs get as OUTPUT.meta.json. CSV and XLSX cells starting
    with = + - @ tab or CR get a leading ' (OWASP; negative numbers too). Files
    are written atomically: an interrupted run leaves no output.

    \b
    Examples:
      ecscreen batch suppliers.csv -o screened.csv
      ecscreen batch partners.xlsx --sheet Partners -o screened.xlsx --only-alerts
      ecscreen batch erp-export.csv --encoding gb18030 --name-column 客户名称 -o out.jsonl
      ecscreen batch names.csv --no-bundled --list consolidated.csv --workers 2 -o out.csv

    \b
    Exit codes: 0 all rows clear (error rows are counted, not failed), 1 any alert,
                2 unusable input (no output written), 3 list data or internal error.
    """
    import functools

    from rich.markup import escape

    from screen import report
    from screen.batch import BatchOptions, run_batch

    _require_lists(list_paths, no_bundled)
    options = BatchOptions(
        name_column=name_column, country_column=country_column, id_column=id_column, delimiter=delimiter,
        encoding=encoding, sheet=sheet, output_format=fmt, only_alerts=only_alerts, workers=workers,
    )
    console = _stderr_console()
    bar, progress = report.batch_progress(console) if console.is_terminal else (None, None)
    with bar or contextlib.nullcontext():
        summary = run_batch(
            input_path, output,
            functools.partial(_open_screener, list_paths, no_bundled, threshold, depth=depth,
                              affiliates_rule=affiliates_rule),
            options,
            stdin=sys.stdin.buffer, stdout=sys.stdout.buffer, progress=progress,
        )
    console.print(report.batch_summary_table(summary))
    for row, row_id, message in summary.first_errors:
        console.print(f"  row {row}{f' ({escape(row_id)})' if row_id else ''}: {escape(message)}", style="yellow")
    if summary.error > len(summary.first_errors):
        console.print(f"  ... and {summary.error - len(summary.first_errors):,} more error rows in the output",
                      style="yellow")
    if summary.output:
        console.print(f"Wrote {escape(summary.output)}" + (f" and {escape(summary.meta_path)}" if summary.meta_path else ""))
    if warning := report.stale_warning(summary.lists):
        console.print(f"[yellow]{escape(warning)}[/yellow]")
    sys.exit(int(summary.exit_code))


def main() -> None:
    cli(prog_name="ecscreen")
