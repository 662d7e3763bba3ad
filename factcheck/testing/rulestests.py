"""Rule tests: small articles next to a rule file, with the verdict each assertion must give.

Editors test their rules the way Semgrep users test theirs: beside `libya.fc` lives
`libya.tests.yaml`, a list of short articles written for the purpose, each with the
verdicts the rule file must give on it. The pytest plugin turns every (case, assertion)
pair into a test item; a different verdict fails with the expected and the actual one.

```yaml
cases:
  - name: wire report on the Moscow talks      # unique; names the test item
    published: 2020-01-14                      # resolves "on Monday", "on Sunday"
    text: >
      Fayez al-Serraj signed the ceasefire in Moscow on Monday ...
    expect:                                    # assertion as written in the rule file: verdict
      "signed(ceasefire) includes Serraj": pass
      "date(Berlin summit) == 2020-01-19": unknown
    otherwise: unknown                         # optional: the verdict of every unlisted assertion
```

Verdicts are pass, fail, unknown, error and skipped. `outlet`, `url` and `language` are
accepted next to `published`. Every mistake is a `RuleTestError` naming the file, line and
column of the offending key, with a hint.

Running the cases goes through `factcheck.run.runner` (extract, then evaluate), so rule tests
see exactly what `factcheck check` would say about the same article.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import yaml

from factcheck import model
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.yamlio import sub_node

TESTS_SUFFIXES = (".tests.yaml", ".tests.yml")
CASE_KEYS = ("name", "text", "published", "outlet", "url", "language", "expect", "otherwise")
META_KEYS = ("published", "outlet", "url", "language")


class RuleTestError(FactcheckError):
    """A malformed rule-test file, or one that names an assertion the rule file lacks."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """`assertion: verdict` in a case, with the position of the key in the YAML file."""

    assertion: str
    verdict: str
    line: int | None  # None when the YAML does not say (an `expect` merged in with `<<:`)
    column: int | None


@dataclass(frozen=True, slots=True)
class Case:
    """One short article and what the rule file must say about it."""

    name: str
    source: model.Source
    expect: tuple[Expectation, ...]
    otherwise: str | None
    line: int


@dataclass(frozen=True, slots=True)
class RuleTests:
    path: str
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """One item to run: the verdict `assertion` must give on `case`."""

    case: Case
    assertion: ast.Assertion
    verdict: str
    line: int | None  # where the expectation is written (the case's line for `otherwise`)


def tests_path_for(rule_path: str | os.PathLike[str]) -> Path | None:
    """`rules/libya.fc` -> `rules/libya.tests.yaml` (or `.tests.yml`) when it exists."""
    path = Path(rule_path)
    for suffix in TESTS_SUFFIXES:
        candidate = path.with_name(path.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------- reading


def load_rule_tests(path: str | os.PathLike[str]) -> RuleTests:
    """Read and validate a rule-test file. Raises RuleTestError."""
    from factcheck.yamlio import read_yaml

    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleTestError(f"cannot read rule tests: {exc}", shown) from None
    data, node = read_yaml(text, shown, error=RuleTestError)
    if not isinstance(data, dict) or "cases" not in data:
        raise RuleTestError("a rule-test file is a mapping with a `cases:` list", shown, 1, 1,
                            hint="see `factcheck.testing.rulestests` for the format")
    extra = [k for k in data if k != "cases"]
    if extra:
        line, col = _key_pos(node, extra[0])
        raise RuleTestError(f"unknown key `{extra[0]}`", shown, line, col, hint="the only top-level key is `cases`")
    cases_node = sub_node(node, "cases")
    if not isinstance(data["cases"], list) or not data["cases"]:
        line, col = _key_pos(node, "cases")
        raise RuleTestError("`cases` must be a non-empty list of articles", shown, line, col)
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for raw, item_node in zip(data["cases"], cases_node.value):
        case = _case(raw, item_node, shown)
        if case.name in seen:
            raise RuleTestError(f"two cases are named `{case.name}`", shown, case.line, _mark(item_node)[1],
                                hint=f"the first is on line {seen[case.name]}; names must be unique")
        seen[case.name] = case.line
        cases.append(case)
    return RuleTests(shown, tuple(cases))


def _case(raw: Any, node: yaml.Node, file: str) -> Case:
    from factcheck.sources.files import build_source
    from factcheck.sources.text import normalise

    line, col = _mark(node)
    if not isinstance(raw, dict):
        raise RuleTestError("each case must be a mapping with `name`, `text` and `expect`", file, line, col)
    for key in raw:
        if key not in CASE_KEYS:
            kl, kc = _key_pos(node, key)
            close = difflib.get_close_matches(str(key), CASE_KEYS, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(CASE_KEYS)
            raise RuleTestError(f"unknown key `{key}` in a case", file, kl, kc, hint=hint)
    for key in ("name", "text", "expect"):
        if key not in raw:
            raise RuleTestError(f"case without `{key}`", file, line, col)
    name, text = raw["name"], raw["text"]
    if not isinstance(name, str) or not name.strip() or "::" in name:
        raise RuleTestError("`name` must be a non-empty string without `::`", file, *_key_pos(node, "name"))
    if not isinstance(text, str) or not text.strip():
        raise RuleTestError("`text` must be the article's text", file, *_key_pos(node, "text"))
    expect_node = sub_node(node, "expect")
    if not isinstance(raw["expect"], dict):
        raise RuleTestError("`expect` must map assertions (as written) to verdicts", file, *_key_pos(node, "expect"))
    expect = []
    for key, verdict in raw["expect"].items():
        kl, kc = _key_pos(expect_node, str(key))
        expect.append(Expectation(" ".join(str(key).split()), _verdict(verdict, file, kl, kc), kl, kc))
    otherwise = raw.get("otherwise")
    if otherwise is not None:
        otherwise = _verdict(otherwise, file, *_key_pos(node, "otherwise"))
    meta = {k: raw[k] for k in META_KEYS if k in raw}
    source = build_source(name.strip(), file, normalise(text), meta)
    if source.warnings:
        raise RuleTestError(source.warnings[0].replace(f"{file}: ", ""), file, line, col)
    return Case(name.strip(), source, tuple(expect), otherwise, line)


def _verdict(value: Any, file: str, line: int | None, col: int | None) -> str:
    if value == "skip":
        value = model.SKIPPED
    if value not in model.VERDICTS:
        raise RuleTestError(f"`{value}` is not a verdict", file, line, col,
                            hint="one of " + ", ".join(model.VERDICTS))
    return str(value)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _key_pos(node: Any, key: str) -> tuple[int | None, int | None]:
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return _mark(k)
        return _mark(node)
    return None, None



# --------------------------------------------------------------------------- planning & running


def plan(tests: RuleTests, assertions: Sequence[ast.Assertion]) -> list[Check]:
    """Match each expectation to the rule file's assertions (by text as written).

    An assertion written twice is expected to give the same verdict both times. A key
    that names no assertion is a RuleTestError with a close match as hint."""
    by_text: dict[str, list[ast.Assertion]] = {}
    for a in assertions:
        by_text.setdefault(" ".join(a.text.split()), []).append(a)
    checks: list[Check] = []
    for case in tests.cases:
        listed: set[str] = set()
        for exp in case.expect:
            found = by_text.get(exp.assertion)
            if not found:
                close = difflib.get_close_matches(exp.assertion, list(by_text), n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else "write it exactly as in the rule file"
                raise RuleTestError(f"no assertion `{exp.assertion}` in the rule file", tests.path,
                                    exp.line, exp.column, hint=hint)
            listed.add(exp.assertion)
            checks.extend(Check(case, a, exp.verdict, exp.line) for a in found)
        if case.otherwise is not None:
            for text, found in by_text.items():
                if text not in listed:
                    checks.extend(Check(case, a, case.otherwise, case.line) for a in found)
    return checks


def run(tests: RuleTests, rules: Any, model_name: str) -> dict[tuple[str, int, int], model.Result]:
    """Every case through the runner: (case name, assertion line, column) -> Result.

    `rules` is a `factcheck.run.runner.Rules`. Extraction of all cases happens in one batch;
    each case is then evaluated as the only source, as if checked on its own."""
    from factcheck.run import runner

    sources = [c.source for c in tests.cases]
    facts, errors = runner.rule_facts(rules, sources, model_name)
    out: dict[tuple[str, int, int], model.Result] = {}
    for source in sources:  # each case alone: `consistent` must not compare one case with another
        for r in runner.evaluate(rules, [source], facts, errors):
            out[(r.source, r.line, r.column)] = r
    return out
