"""SARIF 2.1.0, for code-scanning dashboards.

Every assertion is a reporting rule (`reportingDescriptor`, id `file:line:column`). Every
`fail` and `unknown` verdict is a `result`:

* `fail` has the level of its assertion's severity (error -> error, warning -> warning,
  info -> note) and is located in the source file, at the evidence sentence: a region
  with `charOffset`/`charLength` and the matching line and column. Further evidence
  sentences are `relatedLocations`.
* `unknown` is a `note` located at the assertion's line in the rule file.

Offsets are those of the article text factcheck read (`Source.text`). When the file on
disk differs (front matter, normalised line ends), the sentence is looked up in the file
so that the region points at the right characters; if it cannot be found, the offsets of
the read text are kept. The document is always valid UTF-8 (`safety.json_dumps`), and a
file name's undecodable bytes are percent-encoded in its URI (`%FF`). `sarif-schema-2.1.0.json` beside this module is the OASIS schema,
pinned for the tests.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from factcheck.model import FAIL, UNKNOWN, Evidence, Result, Run, Source
from factcheck.report.common import rows, source_by_name
from factcheck.safety import json_dumps

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SCHEMA_PATH = Path(__file__).with_name("sarif-schema-2.1.0.json")
FAIL_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("factcheck")
    except Exception:  # noqa: BLE001 - not installed: still a valid report
        return "0+unknown"


def artifact_uri(path: str) -> str:
    """A relative (or file:) URI for a path, percent-encoded (from the path's bytes, so a
    name that is not valid UTF-8 still has its URI)."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if rel.startswith(".."):
            return Path(path).as_uri()
        path = rel
    return quote(os.fsencode(Path(path).as_posix()))


def render(run: Run, **_: Any) -> str:
    return json_dumps(document(run), indent=2) + "\n"


def document(run: Run) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[tuple[str, int, int], int] = {}
    for row in rows(run):
        index[(row.file, row.line, row.column)] = len(rules)
        rule: dict[str, Any] = {
            "id": row.key,
            "name": row.test or row.assertion,
            "shortDescription": {"text": row.assertion},
            "defaultConfiguration": {"level": FAIL_LEVELS.get(row.severity, "error")},
            "properties": {"test": row.test, "severity": row.severity},
        }
        rules.append(rule)
    sources = source_by_name(run)
    locator = _Locator()
    results = []
    for r in run.results:
        if r.verdict not in (FAIL, UNKNOWN):
            continue
        results.append(_result(r, index[(r.file, r.line, r.column)], sources.get(r.source), locator))
    sarif_run: dict[str, Any] = {
        "tool": {"driver": {"name": "factcheck", "version": _version(), "rules": rules}},
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if run.errors or run.warnings:  # refused sources are errors: they were not checked
        sarif_run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in run.errors]
            + [{"level": "warning", "message": {"text": w}} for w in run.warnings],
        }]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}


def _result(r: Result, rule_index: int, source: Source | None, locator: "_Locator") -> dict[str, Any]:
    props: dict[str, Any] = {"verdict": r.verdict, "severity": r.severity, "source": r.source, "test": r.test,
                             "expected": r.expected, "found": r.found}
    if r.verdict == FAIL:
        found = r.found if r.found is not None else "a contradiction"
        text = f"{r.assertion}: expected {r.expected}, found {found} in {r.source}"
        if r.evidence:
            text += f': "{r.evidence[0].text}"'
        if r.message:
            text += f" ({r.message})"
        level = FAIL_LEVELS.get(r.severity, "error")
        locations = [locator.evidence_location(source, r.source, e) for e in r.evidence[:1]]
        related = [dict(locator.evidence_location(source, r.source, e), id=i)
                   for i, e in enumerate(r.evidence[1:], 1)]
        if not locations:
            locations = [_rule_location(r)]
        props["hedged"] = any(e.hedged for e in r.evidence)
    else:
        text = f"{r.assertion}: {r.message or 'no evidence'} in {r.source}"
        if r.why:
            extra = [w for w in r.why if w.rstrip(".") != (r.message or "")]
            text += (". " + " ".join(extra)) if extra else ""
        level = "note"
        locations, related = [_rule_location(r)], []
    out: dict[str, Any] = {
        "ruleId": f"{r.file}:{r.line}:{r.column}",
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        "locations": locations,
        "properties": props,
    }
    if related:
        out["relatedLocations"] = related
    return out


def _rule_location(r: Result) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(r.file)},
        "region": {"startLine": max(1, r.line), "startColumn": max(1, r.column)},
    }}


class _Locator:
    """Finds evidence sentences in the files on disk (each file read once)."""

    def __init__(self) -> None:
        self._files: dict[str, str | None] = {}

    def _disk_text(self, path: str) -> str | None:
        if path not in self._files:
            try:
                with open(path, encoding="utf-8-sig", newline="") as fh:
                    self._files[path] = fh.read()
            except (OSError, UnicodeDecodeError, ValueError):
                self._files[path] = None
        return self._files[path]

    def evidence_location(self, source: Source | None, name: str, e: Evidence) -> dict[str, Any]:
        path = source.path if source is not None else name
        start, text = e.start, source.text if source is not None else None
        disk = self._disk_text(path) if source is not None else None
        if disk is not None and disk[start:start + len(e.text)] != e.text:
            found = _nearest(disk, e.text, start)
            if found is not None:
                start, text = found, disk
        region: dict[str, Any] = {"charOffset": start, "charLength": len(e.text)}
        if text is not None and text[start:start + len(e.text)] == e.text:
            region.update(_line_columns(text, start, start + len(e.text)))
        region["snippet"] = {"text": e.text}
        return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}


    def position(self, source: Source | None, name: str, e: Evidence) -> tuple[str, int | None, int | None]:
        """(path, line, column) of an evidence sentence in the file on disk (1-based; None
        when the sentence cannot be placed): what an editor's `file:line:col` jumps to."""
        region = self.evidence_location(source, name, e)["physicalLocation"]["region"]
        path = source.path if source is not None else name
        return path, region.get("startLine"), region.get("startColumn")


Locator = _Locator  # the text report places evidence the same way


def _nearest(text: str, needle: str, near: int) -> int | None:
    """The occurrence of `needle` in `text` closest to offset `near`."""
    best, i = None, text.find(needle)
    while i >= 0:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        i = text.find(needle, i + 1)
    return best


def _line_columns(text: str, start: int, end: int) -> dict[str, int]:
    """1-based lines and columns (in code points) of text[start:end]."""
    start_line = text.count("\n", 0, start) + 1
    start_col = start - (text.rfind("\n", 0, start) + 1) + 1
    end_line = text.count("\n", 0, end) + 1
    end_col = end - (text.rfind("\n", 0, end) + 1) + 1
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}
