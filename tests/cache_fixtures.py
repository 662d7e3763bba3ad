"""Small corpus, knowledge base and rules shared by test_cache, test_jobs and test_cluster."""
from __future__ import annotations

from pathlib import Path

from factcheck.model import Entity, Fact, Subject

ARTICLES = {
    "a.txt": "Russia backs the LNA, officials in Moscow said on Monday.\n\nHaftar left the talks.\n",
    "b.txt": "Turkey backs the GNA. Serraj signed the ceasefire in Moscow on Monday.\n",
    "c.txt": "The Berlin summit on Libya will open on Sunday, German officials said.\n",
}

KB = """entities:
  LNA:
    aliases: [Libyan National Army]
  Haftar:
    part_of: [LNA]
  GNA: {}
  Serraj:
    part_of: [GNA]
  Russia:
    aliases: [Moscow]
  Turkey: {}
"""

RULES = """use "tiny.entities.yaml"

backers(LNA) includes Russia
"""


def write_project(root: Path, articles: dict[str, str] | None = None, rules: str = RULES) -> tuple[str, str]:
    """Write articles, a KB and a rule file under `root`; (rule path, sources glob)."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    for name, text in (articles or ARTICLES).items():
        (root / "articles" / name).write_text(text, encoding="utf-8")
    (root / "tiny.entities.yaml").write_text(KB, encoding="utf-8")
    (root / "tiny.fc").write_text(rules, encoding="utf-8")
    return str(root / "tiny.fc"), str(root / "articles" / "*.txt")


class CountingExtractor:
    """Stands in for `factcheck.run.backends.iter_extract`: no spaCy, records which sources it
    was asked to read, and states one fact per source (the article's first word backs the LNA)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, sources, request):
        for i, src in enumerate(sources):
            self.calls.append(src.name)
            first = src.text.split()[0]
            yield i, [Fact("backers", Subject("entity", "LNA"), Entity(first), src.text.split("\n")[0], 0, 10)], None


BACKERS = ["Russia", "Turkey", "Egypt", "France", "Italy"]
SET_RULES = """use "tiny.entities.yaml"

backers(LNA) includes Russia
backers(LNA) excludes Turkey
consistent backers(LNA)
"""


def backed_project(root: Path, monkeypatch, n: int, rules: str = SET_RULES) -> tuple[str, str]:
    """`n` one-line articles, each naming one backer of the LNA, with SET_RULES and the fact
    cache in `root`; extraction is a CountingExtractor (no spaCy). (rule path, sources glob)."""
    from factcheck.run import backends

    monkeypatch.setattr(backends, "iter_extract", CountingExtractor())
    monkeypatch.setenv("FACTCHECK_CACHE", str(root / "cache.db"))
    articles = {f"a{i:03}.txt": f"{BACKERS[i % 5]} backs the LNA, officials said.\n" for i in range(n)}
    return write_project(root, articles, rules)
