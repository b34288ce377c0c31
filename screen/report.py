"""Renderers: rich tables and plain JSON, from the same Finding and ListInfo objects.

Only this module imports rich. Every string from a list or a user is escaped before it reaches
rich markup: entity names contain "[" and "]".
"""

from __future__ import annotations

import datetime as dt
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from screen import __version__
from screen.graph import RiskPath, describe, is_target, phrase
from screen.models import ListInfo, Match, Record, Relationship
from screen.screening import Finding

# A list snapshot older than this is shown as stale: restricted-party lists change every few weeks.
STALE_AFTER_DAYS = 30


def snapshot_age(info: ListInfo, today: dt.date | None = None) -> int | None:
    """Days since the list's snapshot date, or None when the date is unknown."""
    try:
        snapshot = dt.date.fromisoformat(info.snapshot_date[:10])
    except ValueError:
        return None
    return ((today or dt.date.today()) - snapshot).days


def lists_table(lists: Sequence[ListInfo], today: dt.date | None = None) -> RenderableType:
    """The loaded lists, one row each, then each list's source and notes below the table."""
    table = Table(title="Loaded lists", title_justify="left")
    table.add_column("List", no_wrap=True)
    table.add_column("Title")
    table.add_column("Records", justify="right", no_wrap=True)
    table.add_column("Snapshot", no_wrap=True)
    table.add_column("Age", justify="right", no_wrap=True)
    table.add_column("sha256", no_wrap=True)
    sources = Text()
    for info in lists:
        age = snapshot_age(info, today)
        age_text = Text("unknown", style="yellow") if age is None else Text(
            f"{age} days", style="bold red" if age > STALE_AFTER_DAYS else "green"
        )
        table.add_row(info.code, info.title, f"{info.records:,}", info.snapshot_date or "?", age_text, info.sha256[:12])
        sources.append(f"{info.code}: ", style="bold")
        sources.append(info.source)
        if info.note:
            sources.append(f" ({info.note})", style="dim")
        sources.append("\n")
    return Group(table, Text("Sources", style="bold"), sources)


def stale_warning(lists: Sequence[ListInfo], today: dt.date | None = None) -> str:
    """One line naming lists older than STALE_AFTER_DAYS, or "" when all are fresh."""
    old = [(i.code, age) for i in lists if (age := snapshot_age(i, today)) is not None and age > STALE_AFTER_DAYS]
    if not old:
        return ""
    listed = ", ".join(f"{code} {age} days" for code, age in old)
    return f"Stale lists ({listed} old): results do not reflect later additions; load a current download with --list."


def _record_lines(match: Match) -> Text:
    record = match.record
    text = Text()
    text.append(record.name, style="bold")
    text.append(f"\n{record.list_name} · {record.id}", style="dim")
    if record.federal_register:
        text.append("\nFederal Register: " + "; ".join(record.federal_register))
    if record.license_requirement:
        text.append("\nLicence requirement: " + record.license_requirement)
    if record.license_policy:
        text.append("\nLicence policy: " + record.license_policy)
    if record.countries:
        text.append("\nCountry: " + ", ".join(record.countries))
    return text


# Paths shown per alerted record in the table view; JSON carries all that were kept.
PATHS_SHOWN = 4

# A query longer than this is shown cut, with its length: it is an error row anyway.
SHOWN_NAME_LENGTH = 120


def shown_name(text: str) -> str:
    """User text made safe to print: control characters (an ESC would drive the terminal) as U+FFFD,
    an overlong name cut with its length."""
    safe = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text[: SHOWN_NAME_LENGTH + 1])
    if len(text) > SHOWN_NAME_LENGTH:
        return f"{safe[:SHOWN_NAME_LENGTH]}… ({len(text):,} characters)"
    return safe


RISK_STYLES = {"listed": "bold white on red", "linked": "bold black on yellow", "affiliated": "bold cyan",
               "clear": "bold green", "error": "bold red"}


def path_tree(finding: Finding) -> Tree | None:
    """Linked risk as a tree: per alerted record, each path step by step with its source."""
    if not (finding.paths or finding.links or finding.ownership):
        return None
    tree = Tree(Text("Linked risk", style="bold"))
    for match in finding.alerts:
        rid = match.record.id
        paths, links, owned = finding.paths.get(rid, ()), finding.links.get(rid, ()), finding.ownership.get(rid)
        if not (paths or links or owned):
            continue
        branch = tree.add(Text(f"{match.record.name} ({match.record.list_name})", style="bold"))
        if owned is not None:
            label = "covered by the BIS Affiliates Rule" if owned.covered else "not covered by the BIS Affiliates Rule"
            branch.add(Text(f"Ownership, {label}: {owned.arithmetic()}", style="red" if owned.covered else ""))
        for title, group in (("Paths to listed parties", paths), ("Its own links", links)):
            if not group:
                continue
            if group is links:  # a link already shown as a path is not repeated
                shown = {s.relationship for path in paths for s in path.steps}
                group = [p for p in group if not {s.relationship for s in p.steps} <= shown]
                if not group:
                    continue
            node = branch.add(Text(title, style="italic"))
            for path in group[:PATHS_SHOWN]:
                _add_path(node, path)
            if len(group) > PATHS_SHOWN:
                node.add(Text(f"... and more: ecscreen explain {match.record.id}", style="dim"))
    return tree


def _add_path(node: Tree, path: RiskPath) -> None:
    for sentence in path.sentences():
        text, _, source = sentence.partition(" [source: ")
        node = node.add(Text(text))
        if source:
            node.add(Text("source: " + source.rstrip("]"), style="dim"))


def finding_renderable(finding: Finding) -> RenderableType:
    """The result for one name: risk level first, then one row per alert, then the linked-risk tree."""
    head = Text()
    if finding.status != "error":
        head.append(f" {finding.risk.upper()} ", style=RISK_STYLES.get(finding.risk, "bold"))
        head.append(" ")
    head.append(shown_name(finding.query) or "(empty)", style="bold")
    if finding.country:
        head.append(f" [{finding.country}]")
    if finding.status == "error":
        head.append("  ERROR: ", style="bold red")
        head.append(finding.error)
        return head
    if not finding.alerts:
        head.append("  clear", style="bold green")
        head.append(" (no listed name scored at or above the threshold)", style="dim")
        return head
    more = f", {finding.total_alerts - len(finding.alerts)} more not shown" if finding.total_alerts > len(finding.alerts) else ""
    label = "ALERT" if finding.status == "alert" else "for information"
    head.append(f"  {label}: {finding.total_alerts} match{'es' if finding.total_alerts != 1 else ''}{more}",
                style="bold red" if finding.status == "alert" else "bold cyan")
    table = Table(show_lines=True, expand=True)
    table.add_column("Score", justify="right", width=6)
    table.add_column("Record (list)", ratio=3)
    table.add_column("Matched name", ratio=2)
    table.add_column("Why", ratio=3)
    for match in finding.alerts:
        matched = Text(match.matched_name)
        matched.append(f"\n({match.matched_kind.replace('_', ' ')})", style="dim")
        table.add_row(f"{match.score:.0f}", _record_lines(match), matched, Text(match.explanation.text()))
    parts: list[RenderableType] = [head]
    if finding.risk_summary:
        parts.append(Text(finding.risk_summary))
    parts.append(table)
    if (tree := path_tree(finding)) is not None:
        parts.append(tree)
    return Group(*parts)


def _record_json(record: Record) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "list": record.list_code, "list_name": record.list_name}


def path_json(path: RiskPath) -> dict[str, Any]:
    """A path as data: its records in order and each edge with relation, direction and source."""
    return {
        "strength": path.strength,
        "text": path.text(),
        "nodes": [_record_json(r) for r in path.records],
        "edges": [
            {
                "subject": step.relationship.subject,
                "relation": step.relationship.relation,
                "object": step.relationship.object,
                "percentage": step.relationship.percentage,
                "traversed": "forward" if step.forward else "backward",
                "source": {"title": step.relationship.source.title, "date": step.relationship.source.date,
                           "url": step.relationship.source.url},
                "text": sentence,
            }
            for step, sentence in zip(path.steps, path.sentences())
        ],
    }


def match_json(match: Match) -> dict[str, Any]:
    record = match.record
    e = match.explanation
    return {
        "record_id": record.id,
        "name": record.name,
        "list": record.list_code,
        "list_name": record.list_name,
        "score": match.score,
        "matched_name": match.matched_name,
        "matched_kind": match.matched_kind,
        "explanation": e.text(),
        "evidence": {
            "pairs": [{"query": p.query, "listed": p.listed, "similarity": round(p.similarity, 3)} for p in e.pairs],
            "extra_words": list(e.extra),
            "missing_words": list(e.missing),
            "legal_forms_ignored": list(e.legal_forms),
            "notes": list(e.notes),
            "country": e.country,
        },
        "federal_register": list(record.federal_register),
        "license_requirement": record.license_requirement,
        "license_policy": record.license_policy,
        "countries": list(record.countries),
        "source_url": record.source_url,
    }


def _links_json(finding: Finding, match: Match) -> dict[str, Any]:
    rid = match.record.id
    owned = finding.ownership.get(rid)
    return {
        "linked_risk": [path_json(p) for p in finding.paths.get(rid, ())],
        "links": [path_json(p) for p in finding.links.get(rid, ())],
        "ownership": None if owned is None else {
            "listed_share": owned.listed_share,
            "covered_by_affiliates_rule": owned.covered,
            "arithmetic": owned.arithmetic(),
            "chains": [path_json(p) for p, _ in owned.contributions],
        },
    }


def screening_json(lists: Iterable[ListInfo], settings: dict[str, Any]) -> dict[str, Any]:
    """What a result must carry to be reproduced later: tool, settings (threshold ...), list versions."""
    return {
        "tool": "ecscreen",
        "tool_version": __version__,
        **settings,
        "lists": [
            {"code": i.code, "title": i.title, "snapshot_date": i.snapshot_date, "records": i.records, "sha256": i.sha256}
            for i in lists
        ],
    }


def finding_json(finding: Finding, screening: dict[str, Any]) -> dict[str, Any]:
    return {
        "query": finding.query,
        "country": finding.country,
        "status": finding.status,
        "error": finding.error or None,
        "total_alerts": finding.total_alerts,
        "risk_level": finding.risk,
        "risk_summary": finding.risk_summary,
        "alerts": [{**match_json(m), **_links_json(finding, m)} for m in finding.alerts],
        "screening": screening,
    }


def record_renderable(record: Record, records: list[Record], relationships: list[Relationship]) -> RenderableType:
    """One record in full, then every relationship of its neighbourhood with its source."""
    details = Table.grid(padding=(0, 2))
    details.add_column(style="bold")
    details.add_column()
    rows = [
        ("Record", f"{record.id} ({record.list_name})"),
        ("Aliases", "; ".join(record.aliases)),
        ("Chinese names", "; ".join(record.chinese_names)),
        ("Kind", record.kind),
        ("Countries", ", ".join(record.countries)),
        ("Addresses", "\n".join(record.addresses)),
        ("Federal Register", "; ".join(record.federal_register)),
        ("Added", record.added),
        ("Removed", record.removed),
        ("Licence requirement", record.license_requirement),
        ("Licence policy", record.license_policy),
        ("Remarks", record.remarks),
        ("Source", "\n".join([record.source_url] * bool(record.source_url) + [str(c) for c in record.sources])),
    ]
    for label, value in rows:
        if value:
            details.add_row(label, Text(value))
    title = Text(record.name, style="bold")
    by_id = {r.id: r for r in records}
    tree = Tree(Text(f"Relationships within the neighbourhood ({len(records) - 1} other records)", style="bold"))
    for rel in relationships:
        subject, obj = by_id[rel.subject], by_id[rel.object]
        node = tree.add(Text(f"{describe(subject)} {phrase(rel)} {describe(obj)}"))
        node.add(Text(f"source: {rel.source}", style="dim"))
    if not relationships:
        tree.add(Text("none recorded", style="dim"))
    return Group(title, details, tree)


def graph_dot(records: list[Record], relationships: list[Relationship], focus: str) -> str:
    """Graphviz DOT: listed parties red, the record asked about bold, each edge labelled with its relation."""
    lines = ["digraph ecscreen {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for record in records:
        style = ["filled"] if is_target(record) else []
        colour = ', fillcolor="#f4cccc"' if is_target(record) else ""
        if record.id == focus:
            style.append("bold")
        label = f"{_dot(record.name)}\\n{_dot(record.list_name)}"  # DOT's own line break
        lines.append(f'  "{_dot(record.id)}" [label="{label}", style="{",".join(style)}"{colour}];')
    for rel in relationships:
        lines.append(f'  "{_dot(rel.subject)}" -> "{_dot(rel.object)}" [label="{_dot(phrase(rel))}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def graph_mermaid(records: list[Record], relationships: list[Relationship], focus: str) -> str:
    """Mermaid flowchart: listed parties styled as such; names quoted so brackets survive."""
    ids = {record.id: f"n{i}" for i, record in enumerate(records)}
    lines = ["flowchart LR"]
    for record in records:
        label = _mermaid(f"{record.name} ({record.list_name})")
        lines.append(f'  {ids[record.id]}["{label}"]')
    for rel in relationships:
        lines.append(f'  {ids[rel.subject]} -- "{_mermaid(phrase(rel))}" --> {ids[rel.object]}')
    listed = [ids[r.id] for r in records if is_target(r)]
    lines.append("  classDef listed fill:#f4cccc,stroke:#990000")
    if listed:
        lines.append(f"  class {','.join(listed)} listed")
    lines.append(f"  style {ids[focus]} stroke-width:3px")
    return "\n".join(lines) + "\n"


def _mermaid(text: str) -> str:
    return text.replace('"', "#quot;")


def batch_summary_table(summary: Any) -> Table:
    """The end-of-run table of `ecscreen batch`: rows by outcome, alerts by list, speed."""
    table = Table(title="Batch screening", title_justify="left")
    table.add_column("")
    table.add_column("rows", justify="right")
    table.add_row("rows", f"{summary.rows:,}")
    table.add_row("clear", f"{summary.clear:,}")
    table.add_row("alert", f"{summary.alert:,}", style="bold red" if summary.alert else None)
    for code, count in sorted(summary.alerts_by_list.items()):
        table.add_row(f"  alerts on {escape(code)}", f"{count:,}")
    table.add_row("error", f"{summary.error:,}", style="yellow" if summary.error else None)
    table.add_row("seconds", f"{summary.seconds:,.1f}")
    table.add_row("names per second", f"{summary.names_per_second:,.0f}")
    return table


def batch_progress(console: Any) -> tuple[Any, Callable[[int, float | None], None]]:
    """A progress bar with rate and ETA for a terminal, and the callback that moves it."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("Screening"), BarColumn(), TaskProgressColumn(),
                   TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]:,.0f} names/s"),
                   TimeRemainingColumn(), console=console, transient=True)
    task = bar.add_task("screen", total=1.0, rows=0, rate=0.0)
    clock = time.perf_counter()

    def progress(rows: int, fraction: float | None) -> None:
        rate = rows / max(time.perf_counter() - clock, 1e-9)
        bar.update(task, completed=fraction if fraction is not None else 0.0, rows=rows, rate=rate)

    return bar, progress


def screening_footer(screening: dict[str, Any], when: dt.datetime | None = None) -> Text:
    """The audit line under a printed screening: when, tool version, settings, each list's date and checksum."""
    when = when or dt.datetime.now(dt.timezone.utc)
    lists = "; ".join(f"{i['code']} {i['snapshot_date']} ({i['sha256'][:12]})" for i in screening["lists"])
    return Text(
        f"Screened {when:%Y-%m-%d %H:%M} UTC with ecscreen {screening['tool_version']}, threshold "
        f"{screening['threshold']:g}, depth {screening['depth']}, Affiliates Rule {screening['affiliates_rule']}. "
        f"Lists: {lists}.",
        style="dim",
    )
