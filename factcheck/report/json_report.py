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


def render(run: Run, indent: int | None = 2, **_: Any) -> str:
    return json.dumps(document(run), indent=indent, ensure_ascii=False) + "\n"
