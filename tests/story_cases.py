"""Machinery shared by the story fixtures (test_event_identity, test_relations_news): a
`Case` is one short article and one assertion with the verdict an editor reads off it; a
story is a knowledge base and its cases; `check_stories` checks each story's articles in
one run (one spaCy pass) and returns every case's result."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from factcheck.run import runner


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    assertion: str
    verdict: str
    published: str | None = None


Stories = dict[str, tuple[str, str, list[Case]]]  # story -> (KB YAML, file slug, cases)


def check_stories(stories: Stories, mktemp) -> dict[tuple[str, str], object]:
    """(story/case name, assertion) -> Result; `mktemp` makes a fresh folder per story."""
    out = {}
    for story, (kb, slug, cases) in stories.items():
        root = mktemp(story)
        (root / f"{slug}.entities.yaml").write_text(kb, encoding="utf-8")
        assertions = list(dict.fromkeys(c.assertion for c in cases))
        (root / f"{slug}.fc").write_text(f'use "{slug}.entities.yaml"\n' + "\n".join(assertions) + "\n", encoding="utf-8")
        paths = []
        for i, case in enumerate(cases):
            front = f"---\npublished: {case.published}\n---\n" if case.published else ""
            path = root / f"{i:02d}.txt"
            path.write_text(front + textwrap.dedent(case.text).strip() + "\n", encoding="utf-8")
            paths.append(str(path))
        run = runner.check([str(root / f"{slug}.fc")], paths, no_cache=True)
        for r in run.results:
            i = int(r.source.split(".")[0])
            if cases[i].assertion == r.assertion:
                out[(f"{story}/{cases[i].name}", r.assertion)] = r
    return out


def all_cases(stories: Stories) -> list[tuple[str, Case]]:
    return [(f"{story}/{c.name}", c) for story, (_, _, cases) in stories.items() for c in cases]


def assert_verdict(cells, name: str, case: Case) -> None:
    got = cells[(name, case.assertion)]
    assert got.verdict == case.verdict, (f"{name}: {case.assertion} is {got.verdict}, found {got.found}; "
                                         f"{got.message}; evidence {[e.text for e in got.evidence]}")
