"""Report formats: one module per format, each a function `render(run, **options) -> str`.

`FORMATS` names the built-in modules; the plugin host registers them (imported only when
they render, so a text report never loads jinja2) and `factcheck.run.reporting` looks a
format up by name. `exit_code` turns a run into the CLI's exit status (SPEC section 7), so
the CLI itself holds no policy; the pytest plugin reaches the same answer (a refused
source and an `error` verdict are test errors there).
"""
from __future__ import annotations

from typing import Callable

from factcheck.model import ERROR, FAIL, UNKNOWN, Result, Run, verdict_counts
from factcheck.errors import ExitCode
from factcheck.report.common import SEVERITY_RANK

FORMATS: dict[str, str] = {
    "text": "factcheck.report.compact",  # one line per finding, failures first (the default)
    "table": "factcheck.report.text",  # the table per test
    "json": "factcheck.report.json_report",
    "junit": "factcheck.report.junit",
    "html": "factcheck.report.html",
    "markdown": "factcheck.report.markdown",
    "sarif": "factcheck.report.sarif",
}
NEEDS_FACTS = frozenset({"html"})  # formats that show every extracted fact (runner keep_facts=True)


def counted_failures(run: Run, fail_on: str = "fail", min_severity: str = "error") -> list[Result]:
    """The results that fail the run: verdict `fail` (with fail_on="unknown" also `unknown`
    and `error`, i.e. no usable evidence) of an assertion at least as severe as min_severity."""
    counts = _counting(fail_on, min_severity)
    return [r for r in run.results if counts(r.verdict, r.severity)]


def counts_against(run: Run, fail_on: str = "fail", min_severity: str = "error") -> bool:
    """Does some result fail the run (`counted_failures`)? Asked of the verdict words alone."""
    counts = _counting(fail_on, min_severity)
    return any(counts(v, s) for v, s in verdict_counts(run.results))


def _counting(fail_on: str, min_severity: str) -> Callable[[str, str], bool]:
    """Does a (verdict, severity) count as a failure?"""
    verdicts = {FAIL} if fail_on == "fail" else {FAIL, UNKNOWN, ERROR}
    limit = SEVERITY_RANK[min_severity]
    return lambda verdict, severity: verdict in verdicts and SEVERITY_RANK.get(severity, 0) <= limit


def nothing_read(run: Run) -> bool:
    """True when no source could be read or evaluated at all (and something went wrong)."""
    if not run.sources:
        return True
    return bool(run.errors) and bool(run.results) and all(v == ERROR for v, _ in verdict_counts(run.results))


def erroneous(run: Run) -> bool:
    """True when something was not checked: a source was refused or could not be extracted,
    or an assertion's verdict is `error` (SPEC section 7: nothing is skipped silently in CI)."""
    return bool(run.errors) or any(v == ERROR for v, _ in verdict_counts(run.results))


def exit_code(run: Run, fail_on: str = "fail", min_severity: str = "error", allow_errors: bool = False) -> int:
    """0 no counted failure, 1 at least one, or (unless `allow_errors`) a source that could
    not be read or an `error` verdict; 2 when no source could be read at all."""
    if nothing_read(run):
        return ExitCode.USAGE
    if counts_against(run, fail_on, min_severity):
        return ExitCode.FAILED
    return ExitCode.FAILED if erroneous(run) and not allow_errors else ExitCode.OK
