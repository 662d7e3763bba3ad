"""Synthetic corpora for the benchmarks: N realistic articles varied from the seed articles.

Article i starts from seed i mod 5 and is varied by a generator seeded with i: the paragraphs
after the headline are shuffled, country names are permuted among themselves, weekdays are
permuted, and small numbers move a little. The text stays English news prose of the same
length and shape, so spaCy and the extractors do the same kind of work as on real articles,
while no two articles are the same (no cache hit, no memo hit inside one run).

Corpora are written into a temporary folder and never committed.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
COUNTRIES = ["Russia", "Turkey", "Egypt", "France", "Germany", "Italy", "Greece", "Algeria", "Tunisia",
             "Qatar", "Sudan", "Chad", "Jordan", "Britain"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MANIFEST = "defaults:\n  published: 2020-01-14\n  language: en\n"
_COUNTRY = re.compile(r"\b(" + "|".join(COUNTRIES) + r")\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_SMALL_NUMBER = re.compile(r"(?<![\d.,-])\b([1-9]\d{0,2})\b(?![\d.,-])")


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def vary(text: str, rng: random.Random) -> str:
    """One realistic variant of `text`."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    head, body = paragraphs[:1], paragraphs[1:]
    rng.shuffle(body)
    text = "\n\n".join(head + body) + "\n"
    countries = COUNTRIES[:]
    rng.shuffle(countries)
    swap_country = dict(zip(COUNTRIES, countries))
    days = WEEKDAYS[:]
    rng.shuffle(days)
    swap_day = dict(zip(WEEKDAYS, days))
    text = _COUNTRY.sub(lambda m: swap_country[m.group(1)], text)
    text = _WEEKDAY.sub(lambda m: swap_day[m.group(1)], text)
    return _SMALL_NUMBER.sub(lambda m: str(max(1, int(m.group(1)) + rng.randint(-3, 3))), text)


def build(folder: Path, n: int) -> list[Path]:
    """Write n articles (and a sources.yaml giving their publication date) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_texts()
    paths = []
    for i in range(n):
        path = folder / f"{i:05}.txt"
        path.write_text(vary(seeds[i % len(seeds)], random.Random(i)), encoding="utf-8")
        paths.append(path)
    (folder / "sources.yaml").write_text(MANIFEST, encoding="utf-8")
    return paths


def word_count(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
