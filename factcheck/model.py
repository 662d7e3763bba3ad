"""The data that flows through factcheck: values, facts, evidence, verdicts, results.

Frozen, slotted dataclasses. This module imports nothing of factcheck's own, so every
layer (extractors, engine, reporters, cache) can share it. Every value and fact turns
into plain JSON and back (`to_json` / `from_json`), which is what the fact cache stores.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Sequence, Union

# --------------------------------------------------------------------------- values

class Granularity(StrEnum):
    """How precisely a date is stated."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    MONTHDAY = "monthday"  # "March 3" with no year anywhere: compared at month-day precision (SPEC §3)


DAY, WEEK, MONTH, YEAR, RANGE, MONTHDAY = Granularity
MONTHDAY_YEAR = 4  # the (leap) year a month-day is stored in; never shown


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date stated at some granularity: the closed interval [start, end].

    A day has start == end; "January 2020" is 2020-01-01..2020-01-31 at month
    granularity; "this weekend" is a two-day range; "later this month" a range.
    """

    start: _dt.date
    end: _dt.date
    granularity: str = DAY

    @classmethod
    def day(cls, d: _dt.date) -> "DateValue":
        return cls(d, d, DAY)

    @classmethod
    def month(cls, year: int, month: int) -> "DateValue":
        last = calendar.monthrange(year, month)[1]
        return cls(_dt.date(year, month, 1), _dt.date(year, month, last), MONTH)

    @classmethod
    def year(cls, year: int) -> "DateValue":
        return cls(_dt.date(year, 1, 1), _dt.date(year, 12, 31), YEAR)

    @classmethod
    def month_day(cls, month: int, day: int) -> "DateValue":
        d = _dt.date(MONTHDAY_YEAR, month, day)
        return cls(d, d, MONTHDAY)

    @property
    def precise_day(self) -> bool:
        return self.start == self.end

    def __str__(self) -> str:
        if self.granularity == MONTHDAY:
            return f"--{self.start.month:02d}-{self.start.day:02d}"  # ISO 8601's month-day
        if self.granularity == DAY or self.start == self.end:
            return self.start.isoformat()
        if self.granularity == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.granularity == YEAR:
            return f"{self.start.year:04d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


TIME_UNITS = ("hour", "day", "week", "month", "year")


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount with a unit, singular and lower case: 9 months, 300 troops."""

    amount: float
    unit: str
    approx: bool = False
    bound: str = ""  # "min" for "a minimum of three years", "max" for "within nine months"; "" exact

    def __str__(self) -> str:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        unit = self.unit if amount == 1 else self.unit + "s"
        lead = {"min": "at least ", "max": "at most "}.get(self.bound, "about " if self.approx else "")
        return f"{lead}{amount} {unit}"


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity, by its canonical name (a KB name or a normalised surface name)."""

    name: str

    def __str__(self) -> str:
        return self.name


Value = Union[DateValue, Quantity, Entity, float, bool, str]

# --------------------------------------------------------------------------- facts


# The ways an event mention is resolved that are guesses, not naming: evidence on a guessed event
# may pass an assertion but not fail it (engine), and ranks below evidence that names it.
SALIENT_EVENT, EXACT_KIND = "the article's salient event", "kind named exactly"
GUESSES = frozenset({SALIENT_EVENT, EXACT_KIND})


@dataclass(frozen=True, slots=True)
class Subject:
    """What a fact is about.

    kind "entity": `name` is the canonical entity (LNA, Haftar).
    kind "event":  `name` is the KB event key when a KB alias matched, else "";
                   `generic` marks an indefinite mention: it matches an event by kind only where a
                   place confirms it (the engine's Linker decides);
                   `head` is the lemma of the event noun (summit, talks, agreement);
                   `places` are canonical places/actors qualifying the mention in its
                   sentence or paragraph (Berlin, Germany, Moscow); `text` the surface.
    """

    kind: str
    name: str = ""
    head: str = ""
    places: tuple[str, ...] = ()
    text: str = ""
    generic: bool = False  # an indefinite mention ("a deal", "two agreements") that introduces an event of its own
    parties: tuple[str, ...] = ()  # parties named in an event's own phrase: "Bahrain's announcement", "a deal between A and B"
    how: str = ""  # why an event mention was resolved to the KB event `name`: "KB alias", "kind + place", ...

    @property
    def guessed(self) -> bool:
        """Resolved to its KB event by a guess (GUESSES), not named by alias, phrase or place."""
        return self.how in GUESSES and not self.places


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing a source states: predicate(subject) = value, with its evidence."""

    predicate: str
    subject: Subject
    value: Value
    sentence: str
    start: int  # character offsets of the sentence in the normalised article text
    end: int
    polarity: bool = True  # False: a negative fact ("left without signing")
    hedged: bool = False  # attributed or hedged ("is suspected of", "according to")
    resolution: str | None = None  # how a relative expression was resolved

    def __hash__(self) -> int:
        # Equal facts have equal spans: hashing these three is enough, and far cheaper than
        # hashing the subject and the sentence (the engine keeps facts distinct by hash).
        return hash((self.predicate, self.start, self.end))


class PartialFacts(list):
    """The facts of a source that some third-party extractor failed on (its facts are
    missing): used like a list, never stored in the fact cache, so the next run asks again."""



@dataclass(frozen=True, slots=True)
class Evidence:
    """What a verdict relied on, as the JSON report shows it."""

    source: str
    text: str
    start: int
    end: int
    value: str
    hedged: bool = False
    resolution: str | None = None
    polarity: bool = True

    def to_json(self) -> dict[str, JSON]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "hedged": self.hedged,
            "resolution": self.resolution,
        }


def evidence_of(fact: Fact, source: str) -> Evidence:
    shown = format_value(fact.value)
    return Evidence(
        source=source,
        text=fact.sentence,
        start=fact.start,
        end=fact.end,
        value=shown if fact.polarity else f"not {shown}",
        hedged=fact.hedged,
        resolution=fact.resolution,
        polarity=fact.polarity,
    )


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True, slots=True)
class Source:
    """One article: its name (file name), path, normalised text and metadata."""

    name: str
    path: str
    text: str
    published: _dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"
    meta: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- verdicts

class Outcome(StrEnum):
    """A verdict's word: what one assertion came to on one source (SPEC section 4)."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    ERROR = "error"
    SKIPPED = "skipped"


PASS, FAIL, UNKNOWN, ERROR, SKIPPED = Outcome
VERDICTS = tuple(Outcome)


class Severity(StrEnum):
    """How much an assertion's failure matters (`@warning`, `@info`; `error` by default)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info: lower is more severe."""
        return list(Severity).index(self)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer for one assertion on one source."""

    verdict: str
    expected: str
    found: str | None = None
    evidence: tuple[Evidence, ...] = ()
    message: str | None = None
    consensus: str | None = None
    dissenters: tuple[str, ...] = ()
    why: tuple[str, ...] = ()  # the reasons, in plain words, each a sentence (see `factcheck explain`)

    def with_why(self, why: tuple[str, ...]) -> "Verdict":
        """The same verdict with these reasons (`dataclasses.replace` costs four times as much,
        and a run makes one per cell)."""
        return Verdict(self.verdict, self.expected, self.found, self.evidence, self.message, self.consensus,
                       self.dissenters, why)


@dataclass(frozen=True, slots=True)
class Result:
    """A verdict placed in its rule file and source: one row of the report."""

    file: str
    line: int
    column: int
    test: str | None
    assertion: str
    source: str
    verdict: str
    severity: str
    expected: str
    found: str | None = None
    evidence: tuple[Evidence, ...] = ()
    message: str | None = None
    consensus: str | None = None
    dissenters: tuple[str, ...] = ()
    why: tuple[str, ...] = ()  # why the verdict came out as it did: reasons an editor can act on

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {
            "file": self.file,
            "line": self.line,
            "test": self.test,
            "assertion": self.assertion,
            "source": self.source,
            "verdict": self.verdict,
            "severity": self.severity,
        }
        out.update(verdict_fields(self))
        return out


def verdict_fields(v: Verdict | Result) -> dict[str, JSON]:
    """The report fields of a verdict, in the report's order: expected, found, evidence, why,
    and `message`, `consensus` and `dissenters` when they exist."""
    out: dict[str, JSON] = {
        "expected": v.expected,
        "found": v.found,
        "evidence": [e.to_json() for e in v.evidence],
        "why": list(v.why),
    }
    if v.message is not None:
        out["message"] = v.message
    if v.consensus is not None or v.dissenters:
        out["consensus"] = v.consensus
        out["dissenters"] = list(v.dissenters)
    return out


@dataclass(slots=True)
class Run:
    """Everything one check produced, for the reporters."""

    results: Sequence[Result] = field(default_factory=list)  # a list, or `kept.Results`
    sources: list[Source] = field(default_factory=list)
    facts: dict[str, list[Fact]] = field(default_factory=dict)  # source name -> facts
    errors: list[str] = field(default_factory=list)  # one line per source that could not be read or extracted
    rule_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # lines about sources that were read (HTML stripped, ...)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {v: 0 for v in VERDICTS}
        for (verdict, _), n in verdict_counts(self.results).items():
            counts[verdict] = counts.get(verdict, 0) + n
        counts["total"] = len(self.results)
        return counts


def verdict_counts(results: Sequence[Result]) -> dict[tuple[str, str], int]:
    """How many results have each (verdict word, severity). Results that make their rows only
    when read (`kept.Results`) are counted without making them."""
    counted = getattr(results, "counts", None)
    if callable(counted):
        return counted()
    out: dict[tuple[str, str], int] = {}
    for r in results:
        key = (r.verdict, r.severity)
        out[key] = out.get(key, 0) + 1
    return out


# --------------------------------------------------------------------------- formatting

#: What `json.dumps` writes and `json.loads` reads.
JSON = Union[None, bool, int, float, str, list["JSON"], dict[str, "JSON"]]
def format_value(value: Value) -> str:
    kind = type(value)
    if kind is Entity:  # the most common by far: a run formats each stated value many times
        return value.name  # type: ignore[union-attr]
    if kind is str:
        return value  # type: ignore[return-value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)
