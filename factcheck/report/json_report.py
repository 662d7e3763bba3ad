"""The JSON report (SPEC section 7): `{"results": [...], "summary": {...}, "errors": [...]}`.

Each result is `Result.to_json()`: file, line, test, assertion, source, verdict, severity,
expected, found, evidence (text, start, end, value, hedged, resolution), plus `message`,
`consensus` and `dissenters` when they exist. `summary` counts each verdict and the total;
`errors` lists the lines about sources that could not be read.
"""
from __future__ import annotations

import json
from typing import Any

from factcheck.model import Run


def document(run: Run) -> dict[str, Any]:
    return {
        "results": [r.to_json() for r in run.results],
        "summary": run.summary(),
        "errors": list(run.errors),
    }


PRETTY_UP_TO = 500  # results; larger reports are written compact by the C encoder (~10x faster)


def render(run: Run, indent: int | None = None, **_: Any) -> str:
    """Indented for a report a person may read; compact (one result per line) past
    PRETTY_UP_TO results, where Python's indenting encoder would dominate a cached run."""
    doc = document(run)
    if indent is None and len(run.results) <= PRETTY_UP_TO:
        indent = 2
    if indent is not None:
        return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"
    head = json.dumps({k: v for k, v in doc.items() if k != "results"}, ensure_ascii=False)
    rows = ",\n".join(json.dumps(r, ensure_ascii=False) for r in doc["results"])
    return '{"results": [\n' + rows + "\n], " + head[1:] + "\n"
