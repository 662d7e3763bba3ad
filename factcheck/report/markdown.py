"""A compact Markdown report, fit for a ticket or a pull-request comment.

The same content as the HTML report, in the same order: a summary line; what needs a decision
(failed assertions, errors before warnings; sources that dissent from a `consistent`
consensus, with the consensus value; sources that could not be read); then the matrix, one
row per assertion (with its test) and one column per source headed by its outlet and
publication date, each cell a verdict (a warning's failure marked apart from an error's, an
unknown left quiet); then, folded, every cell's reason in plain words, and which file each
column is. Article and rule text is escaped so that it cannot turn into Markdown or HTML when
GitHub renders the comment, and control characters are shown as escapes (`\\x1b`, see
`safety.printable`) so that it cannot drive a terminal either.
"""
from __future__ import annotations

import re
from typing import Any

from factcheck.model import ERROR, FAIL, PASS, SKIPPED, UNKNOWN, VERDICTS, Outcome, Result, Run
from factcheck.report.common import Column, Decisions, Row, columns, decisions, reasons, rows
from factcheck.safety import printable

EMOJI = {PASS: "\u2705", FAIL: "\u274c", UNKNOWN: "\u2754", ERROR: "\u26a0\ufe0f", SKIPPED: "\u23ed\ufe0f"}
_SPECIAL = re.compile(r"([\\`*\[\]|~]|(?<!\w)_|_(?!\w))")


def escape(text: str) -> str:
    """Inline-safe Markdown: HTML entities for <, > and &, a backslash before Markdown
    punctuation, and line breaks flattened (a table cell is one line); control characters
    as visible escapes."""
    text = printable(text, multiline=True)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def code(text: str) -> str:
    """Inline code that survives backticks and pipes inside it; control characters escaped."""
    text = " ".join(printable(text, multiline=True).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


WARNED = "\U0001f7e0"  # a failure of a warning (or info) assertion: orange, not the red of an error


def render(run: Run, title: str = "factcheck report", **_: Any) -> str:
    cols = columns(run)
    table_rows = rows(run)
    counts = run.summary()
    out = [f"### {escape(title)}", ""]
    out.append(" \u00b7 ".join(f"{EMOJI[v]} {counts.get(v, 0)} {v}" for v in (PASS, FAIL, UNKNOWN, ERROR, SKIPPED))
               + f" \u00b7 {counts['total']} results")
    out.append("")
    out.extend(_decisions(decisions(run, table_rows), cols))
    if table_rows:
        out.append("#### All verdicts")
        out.append("")
        out.append("| test | assertion | " + " | ".join(_head(c) for c in cols) + " |")
        out.append("| --- | --- | " + " | ".join(":---:" for _ in cols) + " |")
        last_group = None
        for row in table_rows:
            group = (row.file, row.group)
            test = "" if group == last_group or row.test is None else escape(row.test)
            last_group = group
            out.append(f"| {test} | {_assertion(row)} | " + " | ".join(_cell(c, row) for c in row.cells) + " |")
        out.append("")
        out.extend(_consensus(table_rows, cols))
        out.extend(_why(table_rows, cols))
    return "\n".join(out).rstrip("\n") + "\n"


def _where(col: Column | None) -> str:
    if col is None:
        return "?"
    return f"**{escape(col.label)}**" + (f", {escape(col.published)}" if col.published else "")


def _head(col: Column) -> str:
    return escape(col.label) + (f"<br>{escape(col.published)}" if col.published else "")


def _decisions(todo: Decisions, cols: list[Column]) -> list[str]:
    total = len(todo.fails) + len(todo.dissents) + len(todo.refused)
    out = [f"#### Needs a decision ({total})", ""]
    if not todo:
        return out + ["Nothing needs a decision: no assertion failed, no source dissents from a consensus, "
                      "every source was read.", ""]
    if todo.fails:
        out += ["**Failed**", ""]
        for n, (_, c, row, cell) in enumerate(todo.fails, 1):
            if cell.verdict == ERROR:
                mark = f"{EMOJI[ERROR]} could not check"
            else:
                mark = f"{EMOJI[FAIL] if row.severity == 'error' else WARNED} {row.severity}"
            test = f"{escape(row.test)} \u00b7 " if row.test else ""
            out.append(f"{n}. {mark} {code(row.assertion)} in {_where(cols[c] if c < len(cols) else None)} "
                       f"({test}{escape(row.file)}:{row.line}): {escape(' '.join(reasons(cell)))}")
            out.extend(f"   > {escape(e.text)}" + (" *(hedged)*" if e.hedged else "") for e in cell.evidence[:1])
        out.append("")
    if todo.dissents:
        out += ["**Disagrees with the other sources**", ""]
        for n, d in enumerate(todo.dissents, 1):
            col = cols[d.column] if 0 <= d.column < len(cols) else None
            found = escape(d.cell.found) if d.cell is not None and d.cell.found else "something else"
            why = f" {escape(' '.join(reasons(d.cell)))}" if d.cell is not None else ""
            out.append(f"{n}. {code(d.row.assertion)}: {_where(col)} says **{found}**; "
                       f"the consensus is **{escape(d.consensus)}** ({escape(d.row.file)}:{d.row.line}).{why}")
            if d.cell is not None:
                out.extend(f"   > {escape(e.text)}" for e in d.cell.evidence[:1])
        out.append("")
    if todo.refused:
        out += ["**Sources that could not be read**", ""]
        out.extend(f"- {escape(e)}" for e in todo.refused)
        out.append("")
    return out


def _assertion(row: Row) -> str:
    text = code(row.assertion)
    if row.severity != "error":
        text += f" *{row.severity}*"
    return text


def _cell(cell: Result | None, row: Row) -> str:
    if cell is None:
        return ""
    if cell.verdict == UNKNOWN:
        return "unknown"  # quiet: most cells are unknown, and they need no decision
    if cell.verdict == FAIL and row.severity != "error":
        return f"{WARNED} fail ({row.severity})"
    return f"{EMOJI.get(Outcome(cell.verdict), '') if cell.verdict in VERDICTS else ''} {cell.verdict}"


def _consensus(table_rows: list[Row], cols: list[Column]) -> list[str]:
    label = {c.name: c.label for c in cols}
    lines = []
    for row in table_rows:
        if row.consensus is None:
            continue
        who = ", ".join(escape(label.get(d, d)) for d in row.dissenters) or "none"
        lines.append(f"- {code(row.assertion)}: consensus **{escape(row.consensus)}**; dissenters: {who}")
    return lines + [""] if lines else []


def _why(table_rows: list[Row], cols: list[Column]) -> list[str]:
    """Every cell's reason, one line per assertion, folded; then which file each column is."""
    items = []
    for row in table_rows:
        said = [f"**{escape(col.label)}**: {_cell(cell, row)}, {escape(' '.join(reasons(cell)))}"
                for col, cell in zip(cols, row.cells) if cell is not None]
        items.append(f"- {code(row.assertion)} \u2014 " + " \u00b7 ".join(said))
    files = [f"- {_where(col)}: {escape(col.name)}" + (f" \u2014 {escape(col.title)}" if col.title else "")
             for col in cols]
    return ["<details><summary>Why, cell by cell</summary>", "", *items, "", "</details>", "",
            "<details><summary>Sources</summary>", "", *files, "", "</details>", ""]
