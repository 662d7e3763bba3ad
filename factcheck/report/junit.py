"""JUnit XML, for CI systems that draw test results.

One `<testsuite>` per rule file; one `<testcase>` per assertion per source, with
`classname` = rule file + test name and `name` = `assertion [source]`. A `fail` is a
`<failure>` (expected, found and the sentences), `unknown` and `skipped` are `<skipped>`,
`error` is an `<error>`. The `file` and `line` attributes point at the assertion. A source
that could not be read is an `<error>` case of its own in a `sources` suite (as the pytest
plugin reports it), and its line is repeated in `<system-err>` with the warnings.
Characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are dropped, and so are DEL and
the C1 controls, which a terminal showing the file would obey; a file name's undecodable
byte is written `\\xff` and any other lone surrogate U+FFFD (`safety.unicode`), so the
file is always well-formed UTF-8.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from factcheck.model import ERROR, FAIL, SKIPPED, UNKNOWN, Result, Run
from factcheck.safety import unicode

# XML 1.0 forbids most control characters even as references; DEL and C1 drive terminals.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", unicode(text))


def classname(result: Result) -> str:
    return f"{result.file}::{result.test}" if result.test is not None else result.file


def case_name(result: Result) -> str:
    return f"{result.assertion} [{result.source}]"


def render(run: Run, suite_name: str = "factcheck", **_: Any) -> str:
    root = ET.Element("testsuites", name=suite_name)
    by_file: dict[str, list[Result]] = {}
    for r in run.results:
        by_file.setdefault(r.file, []).append(r)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for file, results in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(file))
        counts = {"tests": len(results), "failures": 0, "errors": 0, "skipped": 0}
        for r in results:
            case = ET.SubElement(suite, "testcase", classname=_clean(classname(r)), name=_clean(case_name(r)),
                                 file=_clean(r.file), line=str(r.line), time="0")
            kind = _outcome(case, r)
            if kind:
                counts[kind] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    if run.errors:  # each refused source is an error case of its own, as pytest reports it
        suite = ET.SubElement(root, "testsuite", name="sources", tests=str(len(run.errors)), failures="0",
                              errors=str(len(run.errors)), skipped="0", time="0")
        for line in run.errors:
            case = ET.SubElement(suite, "testcase", classname="sources", name=_clean(line.split(": ", 1)[0]),
                                 time="0")
            el = ET.SubElement(case, "error", message=_clean(line), type="source")
            el.text = _clean(line)
        totals["tests"] += len(run.errors)
        totals["errors"] += len(run.errors)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")
    if run.errors or run.warnings:
        out = ET.SubElement(root, "system-err")
        out.text = _clean("\n".join([*run.errors, *run.warnings]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _outcome(case: ET.Element, r: Result) -> str | None:
    """Add the child that says how the case went; the name of the counter it bumps."""
    if r.verdict == FAIL:
        message = f"[{r.severity}] expected {r.expected}, found {r.found if r.found is not None else 'nothing'}"
        el = ET.SubElement(case, "failure", message=_clean(message), type="fail")
        lines = [r.message] if r.message else []
        for e in r.evidence:
            marks = " (hedged)" if e.hedged else ""
            resolved = f"\n  resolved: {e.resolution}" if e.resolution else ""
            lines.append(f"{e.source} [{e.start}:{e.end}]{marks}: {e.text}{resolved}")
        el.text = _clean("\n".join([message, *lines, *r.why]))
        return "failures"
    if r.verdict in (UNKNOWN, SKIPPED):
        reason = r.message or ("no evidence" if r.verdict == UNKNOWN else "skipped")
        el = ET.SubElement(case, "skipped", message=_clean(f"{r.verdict}: {reason}"))
        if r.why:  # the reasons an editor can act on (`factcheck explain`)
            el.text = _clean("\n".join(r.why))
        return "skipped"
    if r.verdict == ERROR:
        el = ET.SubElement(case, "error", message=_clean(r.message or "error"), type="error")
        el.text = _clean(r.message or "")
        return "errors"
    return None
