"""pytest plugin: rule files (`*.fc`) become tests, one item per assertion per source.

Registered by the `pytest11` entry point, so `pytest rules/` just works. The chain is
pytest's own: `pytest_collect_file -> FcFile -> FcTest -> FcItem`.

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
import glob
import os
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal

import pytest

from factcheck.errors import FactcheckError

if TYPE_CHECKING:  # pragma: no cover - types only
    from _pytest._code.code import TerminalRepr, TracebackStyle
    from _pytest.nodes import Node as _NodeBase  # what `_RendersErrors` is mixed into
else:
    _NodeBase = object

DEFAULT_PATTERN = "*.fc"


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


_STATE = pytest.StashKey["_State"]()


def _state(config: pytest.Config) -> "_State":
    state = config.stash.get(_STATE, None)
    if state is None:
        state = config.stash[_STATE] = _State(config)
    return state


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = _state(parent.config)
    if fnmatch.fnmatch(file_path.name, state.pattern()) and (parent.session.isinitpath(file_path)
                                                              or state.under_roots(file_path)):
        return FcFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Setup errors of our items (an `error` verdict, a failed extraction) print their
    message, not a traceback into the plugin."""
    report = yield
    if not isinstance(item, (_VerdictItem, SourceErrorItem)) or call.excinfo is None:
        return report
    if call.when == "setup" and isinstance(call.excinfo.value, FactcheckError):
        report.longrepr = call.excinfo.value.render()
    elif report.skipped and isinstance(report.longrepr, tuple):  # point at the assertion, not at us
        path, line, _ = item.reportinfo()
        report.longrepr = (str(path), line + 1, report.longrepr[2])
    return report


# --------------------------------------------------------------------------- session state


class _State:
    """What the session knows: settings, parsed rules, sources, and results, each computed
    once. A failure is kept too, so it is reported once per item, not retried."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._settings: Any = None
        self._pattern: str | None = None
        self._roots: tuple[Path, ...] | None | Literal[False] = False  # False: not known yet
        self._cache: dict[tuple[str, str], Any] = {}
        self.warned = False
        self.plugin_lines: set[str] = set()

    def pattern(self) -> str:
        if self._pattern is None:
            ini = self.config.getini("fc_pattern")
            if ini:
                self._pattern = str(ini)
            else:
                try:
                    self._pattern = self.settings().fc_pattern
                except FactcheckError:  # reported when a rule file is collected, never before
                    self._pattern = DEFAULT_PATTERN
        return self._pattern

    def under_roots(self, path: Path) -> bool:
        """Is `path` under the config's `rules`, else under a folder named on the command line
        (`pytest rules/`) or pytest's `testpaths` (anywhere when none of these is set)?"""
        if self._roots is False:
            try:
                given = list(self.settings().rules)
            except FactcheckError:  # reported when a rule file is collected, never before
                given = []
            named = [str(Path(self.config.invocation_params.dir) / a.split("::")[0])
                     for a in self.config.invocation_params.args if not a.startswith("-")]
            testpaths = [str(self.config.rootpath / p) for p in self.config.getini("testpaths")]
            roots: list[str] = []
            for folder in (a for a in named if Path(a).is_dir()):  # `pytest .`: its testpaths, not all of it
                inside = [t for t in testpaths if Path(folder).resolve() in (Path(t).resolve(), *Path(t).resolve().parents)]
                roots += inside or [folder]
            given = given or roots or testpaths
            found = [m for g in given for m in (glob.glob(g, recursive=True) if glob.has_magic(g) else [g])]
            self._roots = tuple(Path(p).resolve() for p in found) if given else None
        if self._roots is None:
            return True
        real = path.resolve()
        return any(real == root or root in real.parents for root in self._roots)

    def plugin_warnings(self) -> list[pytest.PytestWarning]:
        """The plugin managers' warnings not shown yet."""
        from factcheck.plugin import host as plugins

        managers = (plugins.get_plugin_manager(self.settings()), plugins.extraction_manager())
        lines = [line for pm in managers for line in pm.warnings if line not in self.plugin_lines]
        self.plugin_lines.update(lines)
        return [pytest.PytestWarning(line) for line in dict.fromkeys(lines)]

    def settings(self) -> Any:
        """The merged `factcheck.config.Config`; raises its ConfigError."""
        if self._settings is None:
            self._settings = _outcome(self._load_settings)
        return _value(self._settings)

    def _load_settings(self) -> Any:
        from factcheck.config import load_config

        cfg = load_config(str(self.config.rootpath))
        ini_dir = self.config.inipath.parent if self.config.inipath else self.config.rootpath
        here = self.config.invocation_params.dir
        overrides = {}
        for name in ("sources", "entities"):
            given = self.config.getoption(f"fc_{name}")
            if given:
                overrides[name] = [str(here / p) for p in given]
            elif self.config.getini(f"fc_{name}"):
                overrides[name] = [str(ini_dir / p) for p in self.config.getini(f"fc_{name}")]
        return cfg.merged(**overrides)

    def cached(self, kind: str, key: str, compute: Any) -> Any:
        slot = (kind, key)
        if slot not in self._cache:
            self._cache[slot] = _outcome(compute)
        return _value(self._cache[slot])

    def rules(self, path: str) -> Any:
        from factcheck.run import runner

        return self.cached("rules", path, lambda: runner.load_rules([path], (), self.settings()))

    def sources(self) -> tuple[list[Any], list[str], dict[str, str]]:
        """The sources read, the warnings about them, and each unreadable source's path with
        its error line."""
        from factcheck.run import runner
        from factcheck.sources.files import expand_patterns

        def read() -> tuple[list[Any], list[str], dict[str, str]]:
            cfg = self.settings()
            if not cfg.sources:
                raise FactcheckError("no sources to check", hint="set `sources` in factcheck.yaml or "
                                     "[tool.factcheck], the `fc_sources` ini option, or pass --fc-sources")
            found, messages = runner.read_sources(cfg.sources, cfg)
            read_paths = {os.path.realpath(s.path) for s in found}
            unread = {p: next((m for m in messages if m.startswith(p + ":")), f"{p}: cannot be read")
                      for p in expand_patterns(list(cfg.sources))[0] if os.path.realpath(p) not in read_paths}
            if not found and not unread:
                raise FactcheckError("no source could be read: " + "; ".join(messages or cfg.sources))
            return found, [m for m in messages if m not in unread.values()], unread

        return self.cached("sources", "", read)

    def results(self, path: str) -> dict[tuple[int, int, str], Any]:
        """(line, column, source name) -> Result for every assertion of one rule file."""
        from factcheck.run import runner

        def run() -> dict[tuple[int, int, str], Any]:
            rules, sources = self.rules(path), self.sources()[0]
            facts, errors = runner.rule_facts(rules, sources, self.settings().model)
            return {(r.line, r.column, r.source): r for r in runner.evaluate(rules, sources, facts, errors)}

        return self.cached("results", path, run)

    def rule_tests(self, path: str, tests: Any) -> dict[tuple[str, int, int], Any]:
        from factcheck.testing import rulestests

        return self.cached("rule-tests", str(tests.path),
                           lambda: rulestests.run(tests, self.rules(path), self.settings().model))


def _outcome(compute: Any) -> tuple[bool, Any]:
    try:
        return True, compute()
    except FactcheckError as exc:
        return False, exc


def _value(outcome: tuple[bool, Any]) -> Any:
    ok, value = outcome
    if not ok:
        raise value
    return value


# --------------------------------------------------------------------------- collectors


class _RendersErrors(_NodeBase):
    """A collector whose FactcheckError prints as `file:line:col: message` and its context."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: TracebackStyle | None = None) -> str | TerminalRepr:
        if isinstance(excinfo.value, FactcheckError):
            return excinfo.value.render()
        return super().repr_failure(excinfo)


class FcFile(_RendersErrors, pytest.File):
    """A rule file: one FcTest per named test, one item per bare assertion per source."""

    def rule_path(self) -> str:
        rel = os.path.relpath(self.path)
        return str(self.path) if rel.startswith("..") else rel

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        from factcheck.testing import rulestests

        state = _state(self.config)
        path = self.rule_path()
        rules = state.rules(path)
        sources, messages, unread = state.sources()
        if not state.warned:
            state.warned = True
            for line in messages:
                self.warn(pytest.PytestWarning(f"factcheck: {line}"))
        for warning in state.plugin_warnings():
            self.warn(warning)
        labels = _source_labels([s.name for s in sources] + [os.path.basename(p) for p in unread])
        for path, error in unread.items():
            yield SourceErrorItem.from_parent(self, name=f"source[{labels[os.path.basename(path)]}]", error=error)
        names = {s.name: labels[s.name] for s in sources}
        for test in rules.files[0].tests:
            if test.name is None:
                yield from _items(self, test.assertions, names)
            else:
                yield FcTest.from_parent(self, name=test.name, assertions=test.assertions, names=names)
        tests_path = rulestests.tests_path_for(self.path)
        if tests_path is not None:
            yield RuleTestsCollector.from_parent(self, name="tests", tests_path=tests_path)


class FcTest(pytest.Collector):
    """`test "name":` in a rule file."""

    def __init__(self, *, assertions: tuple[Any, ...], names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assertions, self.names = assertions, names

    def collect(self) -> Iterator[pytest.Item]:
        yield from _items(self, self.assertions, self.names)


def _source_labels(names: list[str]) -> dict[str, str]:
    """Source name -> its label in node ids: the file name without extension, unless two
    sources would then look alike."""
    stems = [Path(n).stem for n in names]
    return {n: (s if stems.count(s) == 1 else n) for n, s in zip(names, stems)}


def _items(parent: pytest.Collector, assertions: tuple[Any, ...], names: dict[str, str]) -> Iterator[pytest.Item]:
    seen: set[str] = set()
    for a in assertions:
        label = a.text if a.text not in seen else f"{a.text} (line {a.pos.line})"
        seen.add(a.text)
        for source, shown in names.items():
            item = FcItem.from_parent(parent, name=f"{label}[{shown}]", assertion=a, source=source)
            if a.skip is not None:
                item.add_marker(pytest.mark.skip(reason=a.skip or "skipped"))
            yield item


# --------------------------------------------------------------------------- items


class SourceErrorItem(_RendersErrors, pytest.Item):
    """A source that cannot be read: an error of its own, with the reason and no traceback."""

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def setup(self) -> None:
        raise FactcheckError(self.error)

    def runtest(self) -> None:  # pragma: no cover - setup always raises
        pass

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class FcFailure(Exception):
    """An assertion that does not hold; `repr_failure` prints `text`."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _VerdictItem(pytest.Item):
    assertion: Any

    @property
    def fc_file(self) -> FcFile:
        node = self.parent
        while not isinstance(node, FcFile):
            assert node is not None  # our items sit under their rule file
            node = node.parent
        return node

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.assertion.pos.line - 1, self.nodeid.split("::", 1)[-1]

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, FcFailure):
            return excinfo.value.text
        if isinstance(excinfo.value, FactcheckError):
            return excinfo.value.render()
        return super().repr_failure(excinfo, style=style)

    def record(self, result: Any) -> None:
        self.user_properties.append(("verdict", str(result.verdict)))  # plain text: xdist serialises it
        for ev in result.evidence[:3]:
            self.user_properties.append(("evidence", f"{ev.source}[{ev.start}:{ev.end}] {ev.text}"))


class FcItem(_VerdictItem):
    """One assertion on one source."""

    def __init__(self, *, assertion: Any, source: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assertion, self.source = assertion, source
        self.result: Any = None

    def setup(self) -> None:
        state = _state(self.config)
        results = state.results(self.fc_file.rule_path())
        for warning in state.plugin_warnings():
            warnings.warn(warning)
        self.result = results[(self.assertion.pos.line, self.assertion.pos.column, self.source)]
        self.record(self.result)
        if self.result.verdict == "error":
            message = self.result.message or "could not be evaluated"
            raise FactcheckError(message if self.source in message else f"{self.source}: {message}")

    def runtest(self) -> None:
        r = self.result
        if r.verdict == "skipped":
            pytest.skip(r.message or "skipped")
        if r.verdict == "unknown":
            pytest.skip(_unknown_reason(r))
        if r.verdict == "fail":
            if r.severity != "error" and not self.config.getoption("fc_strict"):
                pytest.xfail(_xfail_reason(r))
            raise FcFailure(describe(r, self.fc_file.rule_path()))


def _unknown_reason(r: Any) -> str:
    """"no evidence in S", and the first reason of the cell (`why`, else the engine's message)
    without repeating the source's name."""
    detail = next((w.rstrip(".") for w in r.why if not w.startswith("not stated in ")), r.message or "")
    detail = detail.replace(f"; {r.source} ", "; ")
    if detail.startswith(r.source + " "):
        detail = detail[len(r.source) + 1:]
    elif detail.endswith(f" in {r.source}"):
        detail = ""
    return f"no evidence in {r.source}" + (f": {detail}" if detail else "")


def _xfail_reason(r: Any) -> str:
    quote = f': "{r.evidence[0].text}"' if r.evidence else ""
    return f"@{r.severity} {r.assertion} fails on {r.source}{quote}"


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


# --------------------------------------------------------------------------- rule tests


class RuleTestsCollector(_RendersErrors, pytest.Collector):
    """`libya.tests.yaml` beside `libya.fc`: one collector per case."""

    def __init__(self, *, tests_path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tests_path = tests_path

    def collect(self) -> Iterator[pytest.Collector]:
        from factcheck.testing import rulestests

        rel = os.path.relpath(self.tests_path)
        tests = rulestests.load_rule_tests(str(self.tests_path) if rel.startswith("..") else rel)
        fc = self.parent
        assert isinstance(fc, FcFile)
        rules = _state(self.config).rules(fc.rule_path())
        checks = rulestests.plan(tests, rules.files[0].assertions)
        for case in tests.cases:
            mine = [c for c in checks if c.case is case]
            yield RuleCase.from_parent(self, name=case.name, tests=tests, checks=mine)


class RuleCase(pytest.Collector):
    def __init__(self, *, tests: Any, checks: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tests, self.checks = tests, checks

    def collect(self) -> Iterator[pytest.Item]:
        seen: set[str] = set()
        for check in self.checks:
            a = check.assertion
            name = a.text if a.text not in seen else f"{a.text} (line {a.pos.line})"
            seen.add(a.text)
            yield RuleTestItem.from_parent(self, name=name, check=check, tests=self.tests)


class RuleTestItem(_VerdictItem):
    """The verdict one assertion must give on one rule-test article."""

    def __init__(self, *, check: Any, tests: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check, self.tests, self.assertion = check, tests, check.assertion

    def setup(self) -> None:
        state = _state(self.config)
        results = state.rule_tests(self.fc_file.rule_path(), self.tests)
        self.result = results[(self.check.case.name, self.assertion.pos.line, self.assertion.pos.column)]
        self.record(self.result)

    def runtest(self) -> None:
        r, want = self.result, self.check.verdict
        if r.verdict != want:
            head = (f"expected verdict {want}, got {r.verdict}    "
                    f"({self.tests.path}:{self.check.line}, case `{self.check.case.name}`)")
            raise FcFailure(head + "\n" + describe(r, self.fc_file.rule_path()))
