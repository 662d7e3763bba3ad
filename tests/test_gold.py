"""Every cell of the reference table: rules/libya.fc on the five sample articles.

The table (tests/data/libya.expected.yaml) was read off the articles by hand; a list of
verdicts means each is acceptable. The run goes through the same runner as the CLI.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factcheck.run import runner

pytestmark = pytest.mark.nlp  # every test here reads articles with the spaCy model

ROOT = Path(__file__).resolve().parent.parent
TABLE = yaml.safe_load((ROOT / "tests/data/libya.expected.yaml").read_text(encoding="utf-8"))
CELLS = [(a, s, v if isinstance(v, list) else [v]) for a, per in TABLE["expected"].items() for s, v in per.items()]


@pytest.fixture(scope="module")
def results():
    run = runner.check([str(ROOT / "rules/libya.fc")], [str(ROOT / "seeds/*.txt")])
    return {(r.assertion, r.source): r for r in run.results}


def test_every_cell_is_reported(results):
    assert len(CELLS) == 65
    assert set(results) == {(a, s) for a, s, _ in CELLS}


@pytest.mark.parametrize("assertion,source,acceptable", CELLS, ids=[f"{s[:3]}:{a}" for a, s, _ in CELLS])
def test_cell(results, assertion, source, acceptable):
    r = results[(assertion, source)]
    assert r.verdict in acceptable, f"{assertion} on {source}: got {r.verdict}, found {r.found}, {r.message}"
    if r.verdict in ("pass", "fail"):
        assert r.evidence, "every pass and fail carries evidence"
        for e in r.evidence:
            text = (ROOT / "seeds" / source).read_text(encoding="utf-8")
            assert e.text and 0 <= e.start < e.end


def test_france_fail_quotes_the_sentence(results):
    r = results[("backers(LNA) excludes France", "001_f50bdbc25bb1aa5c.txt")]
    assert r.verdict == "fail" and r.severity == "warning"
    assert any("supported by Egypt, the UAE and France" in e.text for e in r.evidence)


def test_relative_dates_are_explained(results):
    r = results[("date(Berlin summit) == 2020-01-19", "000_4685feae2b63dc6e.txt")]
    assert any(e.resolution and "2020-01-19" in e.resolution and "will participate" in e.resolution for e in r.evidence)


def test_consistent_names_consensus(results):
    r = results[("consistent date(Berlin summit)", "004_d388445fb82a0fa1.txt")]
    assert r.consensus == "2020-01-19" and r.dissenters == ()


def test_hedged_backing_is_marked(results):
    r = results[("backers(LNA) includes Russia", "004_d388445fb82a0fa1.txt")]
    assert r.verdict == "pass" and all(e.hedged for e in r.evidence)
