"""What a pytest session knows about factcheck: the settings (command line, ini, project
config), which files are rule files and where, the parsed rules, the sources, and the
results, each computed once and kept on the pytest config (`state(config)`). A failure is
kept too, so it is reported once per item, not retried."""
from __future__ import annotations

import glob
from pathlib import Path
from typing import Any, Literal

import pytest

from factcheck.errors import FactcheckError

DEFAULT_PATTERN = "*.fc"


def state(config: pytest.Config) -> "SessionState":
    """The session's state, made on first use."""
    found = config.stash.get(_STATE, None)
    if found is None:
        found = config.stash[_STATE] = SessionState(config)
    return found


class SessionState:
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
            self._roots = self._find_roots()
        if self._roots is None:
            return True
        real = path.resolve()
        return any(real == root or root in real.parents for root in self._roots)

    def _find_roots(self) -> tuple[Path, ...] | None:
        """The folders and files rule files are collected under; None: anywhere."""
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
        return tuple(Path(p).resolve() for p in found) if given else None

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
        return self.cached("sources", "", self._read_sources)

    def _read_sources(self) -> tuple[list[Any], list[str], dict[str, str]]:
        from factcheck.run import runner

        cfg = self.settings()
        if not cfg.sources:
            raise FactcheckError("no sources to check", hint="set `sources` in factcheck.yaml or "
                                 "[tool.factcheck], the `fc_sources` ini option, or pass --fc-sources")
        got = runner.read_sources_split(cfg.sources, cfg)
        if not got.sources and not got.refused:
            raise FactcheckError("no source could be read: " + "; ".join(got.lines or cfg.sources))
        return got.sources, got.warnings, got.refused

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


_STATE = pytest.StashKey[SessionState]()


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
