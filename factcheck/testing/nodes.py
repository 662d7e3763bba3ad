"""The pytest nodes a rule file becomes: `FcFile` (the rule file) -> `FcTest` (a named test)
-> `FcItem` (one assertion on one source); `SourceErrorItem` for a source that cannot be
read; and for a rule-test file beside it, `RuleTestsCollector` -> `RuleCase` ->
`RuleTestItem` (the verdict one assertion must give on one rule-test article)."""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

from factcheck.errors import FactcheckError
from factcheck.testing.messages import describe, unknown_reason, xfail_reason
from factcheck.testing.session import state

if TYPE_CHECKING:  # pragma: no cover - types only
    from _pytest._code.code import TerminalRepr, TracebackStyle
    from _pytest.nodes import Node as _NodeBase  # what `_RendersErrors` is mixed into
else:
    _NodeBase = object


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

        session = state(self.config)
        path = self.rule_path()
        rules = session.rules(path)
        sources, messages, unread = session.sources()
        if not session.warned:
            session.warned = True
            for line in messages:
                self.warn(pytest.PytestWarning(f"factcheck: {line}"))
        for warning in session.plugin_warnings():
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
        label = _unique_name(a, seen)
        for source, shown in names.items():
            item = FcItem.from_parent(parent, name=f"{label}[{shown}]", assertion=a, source=source)
            if a.skip is not None:
                item.add_marker(pytest.mark.skip(reason=a.skip or "skipped"))
            yield item


def _unique_name(assertion: Any, seen: set[str]) -> str:
    """An assertion's name among its siblings: its text, with its line when the text came
    before (`seen` keeps the texts so far)."""
    name = assertion.text if assertion.text not in seen else f"{assertion.text} (line {assertion.pos.line})"
    seen.add(assertion.text)
    return name


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


class VerdictItem(pytest.Item):
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


class FcItem(VerdictItem):
    """One assertion on one source."""

    def __init__(self, *, assertion: Any, source: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assertion, self.source = assertion, source
        self.result: Any = None

    def setup(self) -> None:
        session = state(self.config)
        results = session.results(self.fc_file.rule_path())
        for warning in session.plugin_warnings():
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
            pytest.skip(unknown_reason(r))
        if r.verdict == "fail":
            if r.severity != "error" and not self.config.getoption("fc_strict"):
                pytest.xfail(xfail_reason(r))
            raise FcFailure(describe(r, self.fc_file.rule_path()))


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
        rules = state(self.config).rules(fc.rule_path())
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
            yield RuleTestItem.from_parent(self, name=_unique_name(check.assertion, seen), check=check,
                                           tests=self.tests)


class RuleTestItem(VerdictItem):
    """The verdict one assertion must give on one rule-test article."""

    def __init__(self, *, check: Any, tests: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check, self.tests, self.assertion = check, tests, check.assertion

    def setup(self) -> None:
        results = state(self.config).rule_tests(self.fc_file.rule_path(), self.tests)
        self.result = results[(self.check.case.name, self.assertion.pos.line, self.assertion.pos.column)]
        self.record(self.result)

    def runtest(self) -> None:
        r, want = self.result, self.check.verdict
        if r.verdict != want:
            head = (f"expected verdict {want}, got {r.verdict}    "
                    f"({self.tests.path}:{self.check.line}, case `{self.check.case.name}`)")
            raise FcFailure(head + "\n" + describe(r, self.fc_file.rule_path()))
