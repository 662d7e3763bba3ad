"""pytest plugin: rule files (`*.fc`) become tests, one item per assertion per source.

Registered by the `pytest11` entry point, so `pytest rules/` just works. The chain is
pytest's own: `pytest_collect_file -> FcFile -> FcTest -> FcItem` (the nodes are in
`factcheck.testing.nodes`, what the session knows in `factcheck.testing.session`, the words
of failures, skips and xfails in `factcheck.testing.messages`).

* **Inert elsewhere.** Only files matching the rule-file pattern (ini `fc_pattern`, else
  the project config's `pattern`, else `*.fc`) are collected, and only under the config's
  `rules` (files, folders or globs), else under pytest's `testpaths`, else anywhere; a file
  named on the command line is always collected. So `data/solver.fc` of another tool is
  left alone. Nothing heavy is imported before a rule file is collected: collecting parses
  rules and reads sources, and spaCy is loaded only when the first item runs.
* **Settings** come from the command line (`--fc-sources`, `--fc-entities`), else the ini
  options (`fc_sources`, `fc_entities`), else `factcheck.yaml` / `[tool.factcheck]` found
  from the rootdir (`factcheck.config.load_config`).
* **Once per session.** The first item of a rule file to run extracts facts from every
  source through `factcheck.run.runner` and evaluates the whole file; the results are kept on
  the pytest config, so every other item only looks its verdict up. Each xdist worker does
  the same for itself; extraction is deterministic, so they all agree.
* **Plugin warnings** (a plugin skipped at load, an extractor failing on an article) become
  pytest warnings, shown in the summary instead of lost in captured output.
* **Unreadable sources.** A source that cannot be read (a malformed front matter...) is an
  error item of its own in each rule file, `source[name]`, with the reason; the other
  sources' items run as usual.
* **Verdicts -> outcomes.** pass passes; fail fails with the evidence (`repr_failure`);
  unknown and `@skip` skip with a reason; error is a test error without a traceback; a
  failed `@warning` (or `@info`) assertion is an xfail unless `--fc-strict`.
* **Rule tests.** `libya.tests.yaml` beside `libya.fc` (see `factcheck.testing.rulestests`)
  becomes `libya.fc::tests::<case>::<assertion>` items that compare verdicts.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Generator
from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.testing.nodes import FcFile, SourceErrorItem, VerdictItem
from factcheck.testing.session import state


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("factcheck", "factcheck: rule files as tests")
    group.addoption("--fc-sources", action="append", default=None, metavar="GLOB",
                    help="articles to check (repeatable); overrides fc_sources and the project config")
    group.addoption("--fc-entities", action="append", default=None, metavar="PATH",
                    help="knowledge-base files to load (repeatable); overrides fc_entities and the config")
    group.addoption("--fc-strict", action="store_true", default=False,
                    help="a failed @warning or @info assertion fails instead of being an xfail")
    parser.addini("fc_pattern", "which files are rule files (default: the config's `pattern`, else *.fc)",
                  default=None)
    parser.addini("fc_sources", "articles to check (globs, relative to the ini file)", type="linelist", default=[])
    parser.addini("fc_entities", "knowledge-base files (relative to the ini file)", type="linelist", default=[])


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    session = state(parent.config)
    if fnmatch.fnmatch(file_path.name, session.pattern()) and (parent.session.isinitpath(file_path)
                                                                or session.under_roots(file_path)):
        return FcFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Setup errors of our items (an `error` verdict, a failed extraction) print their
    message, not a traceback into the plugin."""
    report = yield
    if not isinstance(item, (VerdictItem, SourceErrorItem)) or call.excinfo is None:
        return report
    if call.when == "setup" and isinstance(call.excinfo.value, FactcheckError):
        report.longrepr = call.excinfo.value.render()
    elif report.skipped and isinstance(report.longrepr, tuple):  # point at the assertion, not at us
        path, line, _ = item.reportinfo()
        report.longrepr = (str(path), line + 1, report.longrepr[2])
    return report
