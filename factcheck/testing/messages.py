"""The words of an item's outcome: the failure text (`describe`), the skip reason of an
`unknown`, and the xfail reason of a failed `@warning` or `@info` assertion."""
from __future__ import annotations

from typing import Any


def describe(r: Any, rule_file: str) -> str:
    """A failed (or mismatched) result as the editor needs it: what was asserted, what was
    expected and found, and the sentences that say so."""
    where = f"{rule_file}:{r.line}"
    test = f', test "{r.test}"' if r.test else ""
    lines = [f"{r.assertion}    ({where}{test}, severity {r.severity})",
             f"  source:     {r.source}",
             f"  expected:   {r.expected}",
             f"  found:      {r.found if r.found is not None else '(nothing)'}"]
    if r.consensus is not None or r.dissenters:
        lines.append(f"  consensus:  {r.consensus}")
        lines.append(f"  dissenters: {', '.join(r.dissenters) or '(none)'}")
    for ev in r.evidence:
        marks = ", hedged" if ev.hedged else ""
        lines.append(f"  evidence:   {ev.source}, characters {ev.start}-{ev.end}{marks}: value {ev.value}")
        lines.append(f'      "{ev.text}"')
        if ev.resolution:
            lines.append(f"      resolved: {ev.resolution}")
    if r.message:
        lines.append(f"  note:       {r.message}")
    return "\n".join(lines)


def unknown_reason(r: Any) -> str:
    """"no evidence in S", and the first reason of the cell (`why`, else the engine's message)
    without repeating the source's name."""
    detail = next((w.rstrip(".") for w in r.why if not w.startswith("not stated in ")), r.message or "")
    detail = detail.replace(f"; {r.source} ", "; ")
    if detail.startswith(r.source + " "):
        detail = detail[len(r.source) + 1:]
    elif detail.endswith(f" in {r.source}"):
        detail = ""
    return f"no evidence in {r.source}" + (f": {detail}" if detail else "")


def xfail_reason(r: Any) -> str:
    quote = f': "{r.evidence[0].text}"' if r.evidence else ""
    return f"@{r.severity} {r.assertion} fails on {r.source}{quote}"
