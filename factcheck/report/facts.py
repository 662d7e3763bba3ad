"""The `factcheck facts` listing: every fact each source states, with its evidence.

Text groups facts by source, one block per fact: `predicate(subject) = value` with its
marks (negative, hedged), the sentence and its offsets, and how a relative expression was
resolved. JSON is `{"sources": [{"name", "path", "published", "outlet", "facts": [...]}],
"errors": [...]}` where each fact has predicate, subject, value, polarity, hedged,
resolution, event (the KB event an event fact was resolved to, and how: alias, kind + place,
the article's salient event...), sentence, start and end. JSON is always valid UTF-8 (`safety.json_dumps`);
the text listing shows control characters as escapes (`safety.printable`).
"""
from __future__ import annotations

from typing import Any

from factcheck.model import Run
from factcheck.report.common import fact_json, source_by_name
from factcheck.safety import json_dumps, printable


def document(run: Run) -> dict[str, Any]:
    known = source_by_name(run)
    names = [s.name for s in run.sources] + [n for n in run.facts if n not in known]
    out = []
    for name in names:
        src = known.get(name)
        out.append({
            "name": name,
            "path": src.path if src else None,
            "published": src.published.isoformat() if src and src.published else None,
            "outlet": src.outlet if src else None,
            "facts": [fact_json(f) for f in run.facts.get(name, [])],
        })
    return {"sources": out, "errors": list(run.errors)}


def render(run: Run, format: str = "text", **_: Any) -> str:  # noqa: A002 - the CLI's word
    doc = document(run)
    if format == "json":
        return json_dumps(doc, indent=2) + "\n"
    lines: list[str] = []
    for src in doc["sources"]:
        about = ", ".join(x for x in (src["outlet"], src["published"] and f"published {src['published']}") if x)
        lines.append(f"== {src['name']}" + (f" ({about})" if about else "") + f": {len(src['facts'])} facts")
        for f in src["facts"]:
            marks = [m for m, on in (("negative", not f["polarity"]), ("hedged", f["hedged"])) if on]
            value = f["value"] if f["polarity"] else f"not {f['value']}"
            head = f"{f['predicate']}({f['subject']}) = {value}"
            lines.append(f"  {head}" + (f"  [{', '.join(marks)}]" if marks else ""))
            lines.append(f"      \u201c{' '.join(f['sentence'].split())}\u201d  @{f['start']}-{f['end']}")
            if f["resolution"]:
                lines.append(f"      resolved: {f['resolution']}")
            if f["event"] and f["event"]["how"]:
                lines.append(f"      event: {f['event']['name']} ({f['event']['how']})")
        lines.append("")
    total = sum(len(s["facts"]) for s in doc["sources"])
    lines.append(f"{total} facts from {len(doc['sources'])} sources")
    return printable("\n".join(lines), multiline=True) + "\n"
