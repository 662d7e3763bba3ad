"""One self-contained HTML file built around disagreement: what needs a decision, the verdict
matrix with every cell's reason, evidence on click, filters, facts.

At the top, a panel lists what an editor has to decide on (`common.decisions`): failed
assertions first (errors before warnings), then sources that dissent from a `consistent`
consensus, then sources that could not be read. Each item links to its cell. Below it the
matrix (assertions as rows, sources as columns headed by outlet and publication date, each
cell coloured by verdict and carrying its reasons, `common.reasons`, in plain words) is
rendered by jinja2 with autoescaping on, so it reads even without JavaScript and in print.
Arrow keys move between cells; Enter opens a cell's evidence. The data
behind the clicks (evidence sentences inside their paragraphs, resolutions, every fact
per source) travels as JSON inside `<script type="application/json">`, with `<`, `>`
and `&` written as `\\u003c`-style escapes so no article text can close the element; the
page's script puts it on screen with `textContent` only. A Content-Security-Policy
forbids every network fetch and any script without this page's nonce. Every string on the
page first goes through `safety.printable`: control characters (ESC, BEL, C1) become
visible escapes such as `\\x1b`, a file name's undecodable byte `\\xff`, and a lone
surrogate U+FFFD, so the page is valid UTF-8 and inert even when printed to a terminal.

Opening the file with the hash `#selftest` makes the page exercise itself (open a cell,
apply filters) and write what it saw into `<pre id="selftest">`, for the browser test.
"""
from __future__ import annotations

import datetime as _dt
import json
import secrets
from functools import lru_cache
from typing import Any

from factcheck.model import PASS, FAIL, UNKNOWN, ERROR, SKIPPED, Evidence, Result, Run, Source
from factcheck.report.common import (Column, columns, decisions, fact_json, groups, paragraph_around, reasons, rows,
                                     source_by_name)
from factcheck.safety import deep, printable

VERDICT_ORDER = (PASS, FAIL, UNKNOWN, ERROR, SKIPPED)


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("factcheck.report", "templates"),
        autoescape=True,  # every {{ }} is escaped, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` characters, and no
    line separators that old parsers would read as line ends."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def render(run: Run, title: str = "factcheck report", **_: Any) -> str:
    import markupsafe

    data = page_data(run)
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=printable(title),
        data=data,
        data_json=markupsafe.Markup(script_json(data)),
        nonce=secrets.token_urlsafe(16),
        verdicts=VERDICT_ORDER,
        generated=_dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
    )


def page_data(run: Run) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data, every string made printable
    (article text keeps its line breaks and tabs, so offsets into it still hold)."""
    known = source_by_name(run)
    sources = [_source_json(col, known.get(col.name), run) for col in columns(run)]
    all_rows = rows(run)
    out_rows = []
    group_names = []
    label = {s["name"]: s["label"] for s in sources}
    for gindex, (group, members) in enumerate(groups(all_rows)):
        group_names.append(group)
        for row in members:
            out_rows.append({
                "key": row.key, "file": row.file, "line": row.line, "test": row.test, "group": gindex,
                "assertion": row.assertion, "severity": row.severity,
                "consensus": row.consensus, "dissenters": list(row.dissenters),
                "dissenter_labels": [label.get(d, d) for d in row.dissenters],
                "cells": [_cell_json(c, known.get(c.source)) if c is not None else None for c in row.cells],
            })
    todo = decisions(run, all_rows)
    decide = {
        "fails": [{"row": r, "col": c, "severity": row.severity, "verdict": cell.verdict,
                   "assertion": row.assertion, "test": row.test, "rule": f"{row.file}:{row.line}",
                   "expected": cell.expected, "found": cell.found, "why": list(reasons(cell)),
                   "quote": cell.evidence[0].text if cell.evidence else None}
                  for r, c, row, cell in todo.fails],
        "dissents": [{"row": d.index, "col": d.column, "assertion": d.row.assertion, "consensus": d.consensus,
                      "severity": d.row.severity, "rule": f"{d.row.file}:{d.row.line}",
                      "found": d.cell.found if d.cell is not None else None,
                      "why": list(reasons(d.cell)) if d.cell is not None else [],
                      "quote": d.cell.evidence[0].text if d.cell is not None and d.cell.evidence else None}
                     for d in todo.dissents],
        "refused": list(todo.refused),
    }
    data = {
        "decide": decide,
        "sources": sources,
        "rows": out_rows,
        "groups": group_names,
        "summary": run.summary(),
        "errors": list(run.errors),
        "rule_files": list(run.rule_files),
        "has_facts": bool(run.facts),
    }
    return deep(data, _printable)


def _printable(text: str) -> str:
    return printable(text, multiline=True)


def _source_json(col: Column, source: Source | None, run: Run) -> dict[str, Any]:
    facts = run.facts.get(col.name, [])
    return {
        "name": col.name,
        "label": col.label,
        "path": source.path if source else None,
        "outlet": col.outlet,
        "published": col.published,
        "title": col.title,
        "url": source.url if source else None,
        "facts": [fact_json(f) for f in facts],
    }


def _cell_json(cell: Result, source: Source | None) -> dict[str, Any]:
    return {
        "verdict": cell.verdict,
        "expected": cell.expected,
        "found": cell.found,
        "message": cell.message,
        "why": list(reasons(cell)),
        "evidence": [_evidence_json(e, source) for e in cell.evidence],
    }


def _evidence_json(e: Evidence, source: Source | None) -> dict[str, Any]:
    para, start, end = e.text, 0, len(e.text)
    if source is not None:
        text = source.text
        if text[e.start:e.end] != e.text:  # offsets off: find the sentence itself
            at = text.find(e.text)
            begin, finish = (at, at + len(e.text)) if at >= 0 else (-1, -1)
        else:
            begin, finish = e.start, e.end
        if begin >= 0:
            para, start, end = paragraph_around(text, begin, finish)
    return {"text": e.text, "start": e.start, "end": e.end, "value": e.value, "hedged": e.hedged,
            "resolution": e.resolution, "polarity": e.polarity, "para": para, "pstart": start, "pend": end}
