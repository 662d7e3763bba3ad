"""What every reporter needs: results arranged as a matrix, labels, counts, paragraphs.

A report reads a `model.Run` as a matrix: one row per assertion (in rule-file order),
one column per source (in the run's order). `rows()` builds it; `source_names()` gives
the columns. Nothing here writes or colours anything.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence, TextIO

from factcheck.model import (ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Entity, Fact, Result, Run, Severity,
                             Source, Subject, format_value)

SEVERITY_RANK = {str(s): s.rank for s in Severity}
VERDICT_WORDS = {PASS: "pass", FAIL: "fail", UNKNOWN: "unknown", ERROR: "error", SKIPPED: "skipped"}


@dataclass(frozen=True, slots=True)
class Row:
    """One assertion of one rule file, with its result on each source (None: not evaluated there)."""

    file: str
    line: int
    column: int
    test: str | None
    assertion: str
    severity: str
    cells: tuple[Result | None, ...]

    @property
    def key(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def group(self) -> str:
        """The test this row belongs to; a bare assertion is a test of its own."""
        return self.test if self.test is not None else self.assertion

    @property
    def consensus(self) -> str | None:
        return next((c.consensus for c in self.cells if c is not None and c.consensus is not None), None)

    @property
    def dissenters(self) -> tuple[str, ...]:
        for c in self.cells:
            if c is not None and c.dissenters:
                return c.dissenters
        return ()

    @property
    def is_consistency(self) -> bool:
        return self.assertion.startswith("consistent ") or self.consensus is not None


def source_names(run: Run) -> list[str]:
    """The columns: the run's sources in order, then any source only results name."""
    names = [s.name for s in run.sources]
    seen = set(names)
    for r in run.results:
        if r.source not in seen:
            seen.add(r.source)
            names.append(r.source)
    return names


def rows(run: Run) -> list[Row]:
    """One Row per assertion, in the order the results first name them."""
    columns = {name: i for i, name in enumerate(source_names(run))}
    order: dict[tuple[str, int, int], list[Result | None]] = {}
    first: dict[tuple[str, int, int], Result] = {}
    for r in run.results:
        key = (r.file, r.line, r.column)
        if key not in order:
            order[key] = [None] * len(columns)
            first[key] = r
        order[key][columns[r.source]] = r
    out = []
    for key, cells in order.items():
        r = first[key]
        out.append(Row(r.file, r.line, r.column, r.test, r.assertion, r.severity, tuple(cells)))
    return out


def groups(all_rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    """Rows grouped by test name, in first-appearance order."""
    out: dict[tuple[str, str], list[Row]] = {}
    for row in all_rows:
        out.setdefault((row.file, row.group), []).append(row)
    return [(name, members) for (_, name), members in out.items()]


def source_by_name(run: Run) -> dict[str, Source]:
    return {s.name: s for s in run.sources}


def subject_label(subject: Subject) -> str:
    """How a fact's subject reads to a person: the entity, the KB event, or `Berlin summit`."""
    if subject.name:
        return subject.name
    if subject.kind == "event" and subject.head:
        return " ".join([*subject.places, subject.head])
    return subject.text or subject.head or "?"


def fact_value(fact: Fact) -> str:
    shown = format_value(fact.value)
    return shown if fact.polarity else f"not {shown}"


def fact_json(fact: Fact) -> dict:
    """A fact as the `facts` command and the HTML report show it."""
    return {
        "predicate": fact.predicate,
        "subject": subject_label(fact.subject),
        "subject_kind": fact.subject.kind,
        "value": format_value(fact.value),
        "value_type": "entity" if isinstance(fact.value, Entity) else type(fact.value).__name__.lower(),
        "polarity": fact.polarity,
        "hedged": fact.hedged,
        "resolution": fact.resolution,
        "event": ({"name": fact.subject.name, "how": fact.subject.how}
                  if fact.subject.kind == "event" and fact.subject.name else None),
        "sentence": fact.sentence,
        "start": fact.start,
        "end": fact.end,
    }


def paragraph_around(text: str, start: int, end: int, limit: int = 1200) -> tuple[str, int, int]:
    """The paragraph (blank-line delimited) holding text[start:end], and the span's offsets
    inside it. Long paragraphs are cut to about `limit` characters around the span. When the
    offsets do not fit the text, the span itself is the paragraph."""
    if not (0 <= start <= end <= len(text)):
        return "", 0, 0
    left = text.rfind("\n\n", 0, start)
    left = 0 if left < 0 else left + 2
    right = text.find("\n\n", end)
    right = len(text) if right < 0 else right
    if right - left > limit:
        room = max(0, (limit - (end - start)) // 2)
        left, right = max(left, start - room), min(right, end + room)
    return text[left:right], start - left, end - left


def use_color(stream: TextIO | None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False
