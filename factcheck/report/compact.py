"""The compact text report, in the style of Vale and ruff: one grep-able line per finding.

    seeds/b.txt:7:12: error fail backers(LNA) excludes France: found France, expected excludes France [rules/libya.fc:14]
        “Haftar is also supported by Egypt, the UAE and France.”
    seeds/c.txt: note unknown date(Berlin summit) == 2020-01-19: states no `date` of anything: ... [rules/libya.fc:5]

Each line is `source:line:col: severity verdict assertion: found X, expected Y [rule:line]`
(X: the values the deciding sentences state),
where `source:line:col` is the evidence sentence in the article as it is on disk (no line
when there is no evidence) and `severity` the assertion's (`note` for an unknown cell, which
fails nothing); an unknown cell shows its first reason instead of found/expected. Failures and errors come first,
then the unknown cells with their first reason (`--quiet` leaves those out), then a block
naming the dissenting sources of each `consistent` assertion, the sources that were not
checked, and the summary. Passing cells are not listed (`verbose` lists them last). Every
text from a file is shown through `safety.printable`.
"""
from __future__ import annotations

from typing import Any

from factcheck.model import ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Result, Run
from factcheck.report.common import SEVERITY_RANK, rows, source_by_name
from factcheck.report.sarif import Locator
from factcheck.report.text import refused_lines
from factcheck.safety import printable

ORDER: dict[str, int] = {FAIL: 0, ERROR: 1, UNKNOWN: 2, SKIPPED: 3, PASS: 4}
COLORS: dict[str, str] = {PASS: "32", FAIL: "1;31", UNKNOWN: "33", ERROR: "1;35", SKIPPED: "2"}
QUOTE = 200


def render(run: Run, color: bool = False, quiet: bool = False, verbose: bool = False, **_: Any) -> str:
    shown = {FAIL, ERROR} if quiet else {FAIL, ERROR, UNKNOWN}
    if verbose:
        shown |= {PASS, SKIPPED}
    cells = sorted((r for r in run.results if r.verdict in shown),
                   key=lambda r: (ORDER.get(r.verdict, 9), SEVERITY_RANK.get(r.severity, 3), r.file, r.line,
                                  r.column, r.source))
    sources = source_by_name(run)
    locator = Locator()
    lines: list[str] = []
    for r in cells:
        lines += finding(r, sources, locator, color)
    if not cells:
        lines.append("no failing assertion" if run.results else "no assertion was checked")
    lines += dissent(run)
    lines += refused_lines(run)
    unknown = sum(1 for r in run.results if r.verdict == UNKNOWN)
    if unknown and not quiet:
        lines.append(f"{unknown} unknown cell{'' if unknown == 1 else 's'}: `factcheck explain` shows why each "
                     "gave no fact and what to edit")
    lines.append(summary(run, color))
    return "\n".join(lines) + "\n"


def finding(r: Result, sources, locator: Locator, color: bool = False) -> list[str]:
    """The line of one cell (and, for a failure, the sentence that decided it)."""
    source = sources.get(r.source)
    where = printable(_relative(source.path)) if source is not None else printable(r.source)
    if r.evidence:
        _path, line, col = locator.position(sources.get(r.source), r.source, r.evidence[0])
        where = printable(_relative(_path)) + (f":{line}:{col}" if line else "")
    verdict = _paint(r.verdict, COLORS.get(r.verdict, ""), color)
    severity = r.severity if r.verdict in (FAIL, ERROR, PASS) else "note"  # an unknown fails nothing
    head = f"{where}: {severity} {verdict} {printable(r.assertion)}: {printable(detail(r))} " \
           f"[{printable(r.file)}:{r.line}]"
    out = [head]
    if r.verdict == FAIL:
        out += [f"    \u201c{printable(_cut(e.text))}\u201d" for e in r.evidence[:2]]
    return out


def detail(r: Result) -> str:
    if r.verdict in (FAIL, PASS):
        deciding = list(dict.fromkeys(e.value for e in r.evidence))  # what decided, not all it states
        found = ", ".join(deciding) if deciding else r.found if r.found is not None else "a contradiction"
        text = f"found {found}, expected {r.expected}"
        if r.verdict == FAIL and r.message:
            text += f" ({r.message})"
        return text
    reasons = [w for w in r.why if not w.startswith("not stated in ")] or list(r.why)
    reason = reasons[0].rstrip(".") if reasons else (r.message or r.verdict)
    reason = _without_source(reason, r.source)
    if r.verdict == UNKNOWN and r.found is not None and r.found not in reason:
        reason += f" (found {r.found})"
    return reason


def _without_source(reason: str, source: str) -> str:
    """`b.txt says nothing about X; b.txt says nothing about Y` -> `says nothing about X; says
    nothing about Y`: the line names the source once."""
    reason = reason.replace(f"; {source} ", "; ")
    if reason.startswith(source + " "):
        return reason[len(source) + 1:]
    return reason.removesuffix(f" in {source}")


def dissent(run: Run) -> list[str]:
    """Per `consistent` assertion: the consensus and the sources that state otherwise."""
    out: list[str] = []
    for row in rows(run):
        cells = [c for c in row.cells if c is not None]
        if not cells or cells[0].consensus is None and not any(c.dissenters for c in cells):
            continue
        consensus = next((c.consensus for c in cells if c.consensus is not None), None)
        dissenters = [c for c in cells if c.verdict == FAIL]
        if not out:
            out.append("consistent:")
        names = ", ".join(f"{printable(c.source)} ({printable(c.found or '?')})" for c in dissenters) or "none"
        out.append(f"  {printable(row.assertion)} [{printable(row.file)}:{row.line}]: consensus "
                   f"{printable(consensus or '?')}; dissenting: {names}")
    return out


def summary(run: Run, color: bool = False) -> str:
    counts = run.summary()
    parts = [_paint(f"{counts.get(v, 0)} {v}", COLORS[v], color) for v in (PASS, FAIL, UNKNOWN, ERROR, SKIPPED)]
    return ", ".join(parts) + f" ({counts['total']} results)"


def _relative(path: str) -> str:
    import os

    if not os.path.isabs(path):
        return path
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE else text[: QUOTE - 1].rstrip() + "\u2026"
