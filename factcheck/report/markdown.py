"""A compact Markdown report, fit for a pull-request comment.

A summary line, then one table: a row per assertion (with its test), a column per source,
each cell a verdict emoji and word. Below it, the consensus of each `consistent`
assertion, and a folded list of every failure with the expected value, the value found and
the quoted sentence. Article and rule text is escaped so that it cannot turn into Markdown
or HTML when GitHub renders the comment, and control characters are shown as escapes
(`\\x1b`, see `safety.printable`) so that it cannot drive a terminal either.
"""
from __future__ import annotations

import re
from typing import Any

from factcheck.model import ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Run
from factcheck.report.common import Row, rows, source_names
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


def render(run: Run, title: str = "factcheck report", **_: Any) -> str:
    names = source_names(run)
    table_rows = rows(run)
    counts = run.summary()
    out = [f"### {escape(title)}", ""]
    out.append(" \u00b7 ".join(f"{EMOJI[v]} {counts.get(v, 0)} {v}" for v in (PASS, FAIL, UNKNOWN, ERROR, SKIPPED))
               + f" \u00b7 {counts['total']} results")
    out.append("")
    if table_rows:
        out.append("| test | assertion | " + " | ".join(escape(n) for n in names) + " |")
        out.append("| --- | --- | " + " | ".join(":---:" for _ in names) + " |")
        last_group = None
        for row in table_rows:
            group = (row.file, row.group)
            test = "" if group == last_group or row.test is None else escape(row.test)
            last_group = group
            out.append(f"| {test} | {_assertion(row)} | " + " | ".join(_cell(c) for c in row.cells) + " |")
        out.append("")
    out.extend(_consensus(table_rows))
    out.extend(_failures(table_rows, names))
    if run.errors:
        out.append("**Sources with problems**")
        out.append("")
        out.extend(f"- {escape(e)}" for e in run.errors)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _assertion(row: Row) -> str:
    text = code(row.assertion)
    if row.severity != "error":
        text += f" *{row.severity}*"
    return text


def _cell(cell) -> str:
    if cell is None:
        return ""
    return f"{EMOJI.get(cell.verdict, '')} {cell.verdict}"


def _consensus(table_rows: list[Row]) -> list[str]:
    lines = []
    for row in table_rows:
        if row.consensus is None:
            continue
        who = ", ".join(escape(d) for d in row.dissenters) or "none"
        lines.append(f"- {code(row.assertion)}: consensus **{escape(row.consensus)}**; dissenters: {who}")
    return lines + [""] if lines else []


def _failures(table_rows: list[Row], names: list[str]) -> list[str]:
    items = []
    for row in table_rows:
        for name, cell in zip(names, row.cells):
            if cell is None or cell.verdict not in (FAIL, ERROR):
                continue
            if cell.verdict == ERROR:
                items.append(f"- {EMOJI[ERROR]} {code(row.assertion)} on {escape(name)}: {escape(cell.message or 'error')}")
                continue
            found = escape(cell.found) if cell.found else "?"
            items.append(f"- {EMOJI[FAIL]} {code(row.assertion)} on {escape(name)}: expected "
                         f"{escape(cell.expected)}, found {found}")
            for e in cell.evidence:
                mark = " *(hedged)*" if e.hedged else ""
                items.append(f"  > {escape(e.text)}{mark}")
    if not items:
        return []
    return ["<details><summary>Failures and errors</summary>", "", *items, "", "</details>", ""]
