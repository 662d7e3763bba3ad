"""The terminal report: one rich table per test, verdicts coloured, a summary line.

Each row is one assertion on one source: expected and found values, and the evidence
sentence when the verdict is `fail` (with `verbose`, for `pass` too); `unknown`, `error`
and `skipped` rows show why. A `consistent` assertion also names the consensus value and
the dissenting sources. Without colour (not a terminal, or NO_COLOR) the same table is
printed in plain characters. Every text from a file (names, tests, assertions, evidence)
is shown through `safety.printable`: a control character is an escape such as `\\x1b`,
never a command to the terminal, and rich markup is never read in it.
"""
from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from factcheck.model import ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Evidence, Result, Run
from factcheck.report.common import Row, groups, rows, source_names
from factcheck.safety import printable

STYLES: dict[str, str] = {PASS: "bold green", FAIL: "bold red", UNKNOWN: "yellow", ERROR: "bold magenta",
                          SKIPPED: "dim"}
QUIET_VERDICTS = frozenset({FAIL, ERROR})


def render(run: Run, color: bool = False, width: int | None = None, quiet: bool = False,
           verbose: bool = False, **_: Any) -> str:
    """The report as text. `quiet` keeps only failing and erroneous rows; `verbose` also
    quotes the evidence of passing rows."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, color_system="standard" if color else None,
                      width=width or 120, highlight=False, emoji=False, soft_wrap=False)
    names = source_names(run)
    shown_any = False
    for name, members in groups(rows(run)):
        table = _table(name, members, names, quiet, verbose, color,
                       max((len(printable(n)) for n in names), default=6))
        if table is not None:
            console.print(table)
            shown_any = True
    if not shown_any:
        console.print(Text("no failing assertion" if quiet and run.results else "no assertion was checked"))
    for line in refused_lines(run):
        console.print(Text(line, style="bold magenta" if color else ""))
    console.print(_summary(run, color))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _table(name: str, members: list[Row], names: list[str], quiet: bool, verbose: bool, color: bool,
           source_width: int) -> Table | None:
    first = members[0]
    where = f"{first.file}:{first.line}"
    title = f"test \"{name}\" ({where})" if first.test is not None else where
    table = Table(title=Text(printable(title)), title_justify="left", box=box.SIMPLE_HEAD if color else box.ASCII2,
                  show_lines=False, expand=True, title_style="bold" if color else "")
    table.add_column("assertion", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", min_width=min(28, source_width), max_width=28)
    table.add_column("verdict", no_wrap=True)
    table.add_column("expected", overflow="fold", ratio=2)
    table.add_column("found", overflow="fold", ratio=2)
    table.add_column("evidence", overflow="fold", ratio=6)
    added = 0
    for row in members:
        label_shown = False
        for source, cell in zip(names, row.cells):
            if cell is None or (quiet and cell.verdict not in QUIET_VERDICTS):
                continue
            label = "" if label_shown else _assertion_label(row)
            label_shown = True
            table.add_row(_text(label), _text(source), _text(cell.verdict, STYLES.get(cell.verdict, "")),
                          _text(cell.expected or ""), _text(cell.found or ""), _text(_evidence(cell, verbose)))
            added += 1
    return table if added else None


def _text(text: str, style: str = "") -> Text:
    """A table cell: the text escaped (its own line breaks kept), never read as markup."""
    return Text(printable(text, multiline=True), style=style)


def _assertion_label(row: Row) -> str:
    label = row.assertion
    if row.severity != "error":
        label += f"  @{row.severity}"
    if row.consensus is not None:
        label += f"\nconsensus: {row.consensus}"
        label += "\ndissenters: " + (", ".join(row.dissenters) if row.dissenters else "none")
    return label


def _evidence(cell: Result, verbose: bool) -> str:
    if cell.verdict == FAIL or (verbose and cell.verdict == PASS):
        quoted = [_quote(e) for e in cell.evidence]
        if cell.message and cell.verdict == FAIL:
            quoted.insert(0, cell.message)
        return "\n".join(quoted)
    if cell.verdict == UNKNOWN:
        return "\n".join(reasons(cell))
    if cell.verdict in (ERROR, SKIPPED):
        return cell.message or ""
    return ""


def reasons(cell: Result, limit: int = 3) -> list[str]:
    """The first reasons of a non-passing cell (`Result.why`), else its message."""
    shown = list(dict.fromkeys([*(w.rstrip(".") for w in cell.why)]))[:limit]
    if not shown and cell.message:
        shown = [cell.message]
    return shown


def _quote(e: Evidence) -> str:
    marks = []
    if e.hedged:
        marks.append("hedged")
    if e.resolution:
        marks.append(e.resolution)
    suffix = f" ({'; '.join(marks)})" if marks else ""
    return f"\u201c{e.text}\u201d{suffix}"


def refused_lines(run: Run) -> list[str]:
    """The block naming the sources that were not checked (each line escaped)."""
    if not run.errors:
        return []
    lines = [f"{len(run.errors)} source{'' if len(run.errors) == 1 else 's'} not checked:"]
    return lines + [f"  {printable(e)}" for e in dict.fromkeys(run.errors)]


def _summary(run: Run, color: bool) -> Text:
    counts = run.summary()
    text = Text()
    for i, verdict in enumerate((PASS, FAIL, UNKNOWN, ERROR, SKIPPED)):
        if i:
            text.append(", ")
        text.append(f"{counts.get(verdict, 0)} {verdict}", style=STYLES[verdict] if color else "")
    text.append(f" ({counts['total']} results)")
    return text
