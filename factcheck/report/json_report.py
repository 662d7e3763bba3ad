"""The JSON report (SPEC section 7): `{"results": [...], "summary": {...}, "errors": [...]}`.

Each result is `Result.to_json()`: file, line, test, assertion, source, verdict, severity,
expected, found, evidence (text, start, end, value, hedged, resolution), plus `message`,
`consensus` and `dissenters` when they exist. `summary` counts each verdict and the total;
`errors` lists the lines about sources that could not be read (refused: binary, over the
size limit, unreadable; or whose extraction failed), `warnings` the other lines about
sources (a pattern that matched nothing, HTML stripped, ...). The report is always valid
UTF-8 (`safety.json_dumps`): a file name's undecodable byte is written as the text `\\xff`,
any other lone surrogate as U+FFFD; control characters are JSON escapes (`\\u001b`).
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from factcheck.model import Run
from factcheck.safety import deep, has_surrogates, json_dumps, unicode


def document(run: Run) -> dict[str, Any]:
    return {
        "results": [r.to_json() for r in run.results],
        "summary": run.summary(),
        "errors": list(run.errors),
        "warnings": list(run.warnings),
    }


PRETTY_UP_TO = 500  # results; larger reports are written compact by the C encoder (~10x faster)


def render(run: Run, indent: int | None = None, **_: Any) -> str:
    return "".join(chunks(run, indent))


def chunks(run: Run, indent: int | None = None, **_: Any) -> Iterator[str]:
    """The report in pieces, for writing as it is made: indented for a report a person may
    read; compact past PRETTY_UP_TO results (one result per line, one line at a time), where
    Python's indenting encoder would dominate a cached run and one big string would hold the
    whole report in memory."""
    if indent is None and len(run.results) <= PRETTY_UP_TO:
        indent = 2
    if indent is not None:
        yield json_dumps(document(run), indent=indent) + "\n"
        return
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps makes one per call
    yield '{"results": ['
    for k, r in enumerate(run.results):
        data = r.to_json()
        line = encode(data)
        if has_surrogates(line):
            line = encode(deep(data, unicode))
        yield ("\n" if k == 0 else ",\n") + line
    tail = json_dumps({"summary": run.summary(), "errors": list(run.errors), "warnings": list(run.warnings)})
    yield "\n], " + tail[1:] + "\n"
