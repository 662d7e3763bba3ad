"""Report formats: one module per format, each a function `render(run, **options) -> str`.

`render(run, "json")` picks the module by name and imports it only then, so a text report
never loads jinja2 and `lint` never loads a reporter at all. `exit_code` turns a run into
the CLI's exit status (SPEC section 7), so the CLI itself holds no policy.
"""
from __future__ import annotations

from typing import Callable, Iterable

from factcheck.model import ERROR, FAIL, UNKNOWN, Result, Run
from factcheck.report.common import SEVERITY_RANK

FORMATS: dict[str, str] = {
    "text": "factcheck.report.text",
    "json": "factcheck.report.json_report",
    "junit": "factcheck.report.junit",
    "html": "factcheck.report.html",
    "markdown": "factcheck.report.markdown",
    "sarif": "factcheck.report.sarif",
}
NEEDS_FACTS = frozenset({"html"})  # formats that show every extracted fact (runner keep_facts=True)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def formats(config=None) -> dict[str, Callable[..., str]]:
    """Every report format, as plugins register them (`factcheck_report_formats`): the
    built-in ones (`FORMATS`, through `factcheck.builtin`) and third-party ones."""
    from factcheck import plugins

    return plugins.report_formats(plugins.get_plugin_manager(config))


def reporter(fmt: str, config=None) -> Callable[..., str]:
    """The `render` function of a format; KeyError for an unknown name."""
    return formats(config)[fmt]


def render(run: Run, fmt: str, config=None, **options) -> str:
    return reporter(fmt, config)(run, **options)


def pieces(run: Run, fmt: str, config=None, **options) -> Iterable[str]:
    """The report as pieces of text to write one after the other: a format whose render
    function has a `chunks` attribute (the built-in JSON one) makes them as it goes, so a
    large report is never one string in memory; any other format is one piece."""
    render_fn = reporter(fmt, config)
    chunked = getattr(render_fn, "chunks", None)
    return chunked(run, **options) if callable(chunked) else [render_fn(run, **options)]


def counted_failures(run: Run, fail_on: str = "fail", min_severity: str = "error") -> list[Result]:
    """The results that fail the run: verdict `fail` (with fail_on="unknown" also `unknown`
    and `error`, i.e. no usable evidence) of an assertion at least as severe as min_severity."""
    verdicts = {FAIL} if fail_on == "fail" else {FAIL, UNKNOWN, ERROR}
    limit = SEVERITY_RANK[min_severity]
    return [r for r in run.results if r.verdict in verdicts and SEVERITY_RANK.get(r.severity, 0) <= limit]


def nothing_read(run: Run) -> bool:
    """True when no source could be read or evaluated at all (and something went wrong)."""
    if not run.sources:
        return True
    return bool(run.errors) and bool(run.results) and all(r.verdict == ERROR for r in run.results)


def exit_code(run: Run, fail_on: str = "fail", min_severity: str = "error") -> int:
    """0 no counted failure, 1 at least one, 2 when every source failed to be read."""
    if nothing_read(run):
        return EXIT_USAGE
    return EXIT_FAILED if counted_failures(run, fail_on, min_severity) else EXIT_OK
