"""What every reporter needs: results arranged as a matrix, labels, counts, paragraphs.

A report reads a `model.Run` as a matrix: one row per assertion (in rule-file order),
one column per source (in the run's order). `rows()` builds it; `source_names()` gives
the columns. Nothing here writes or colours anything.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence, TextIO

from factcheck.kept import Place
from factcheck.model import (ERROR, FAIL, PASS, SKIPPED, UNKNOWN, Entity, Fact, Result, Run, Severity,
                             Source, Subject, format_value)

SEVERITY_RANK = {str(s): s.rank for s in Severity}
VERDICT_WORDS = {PASS: "pass", FAIL: "fail", UNKNOWN: "unknown", ERROR: "error", SKIPPED: "skipped"}


@dataclass(frozen=True, slots=True)
class Row(Place):
    """One assertion of one rule file (its Place), with its result on each source (None: not
    evaluated there)."""

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


# --------------------------------------------------------------------------- what needs a decision


def reasons(result: Result, itself: str | None = "this article") -> tuple[str, ...]:
    """Why a cell came out as it did, in plain sentences: the engine's `why` when it gave one,
    else sentences made from the message, the expected and the found value. Where the source is
    already named (a cell under its column), `itself` stands for the source's file name."""
    said = _reasons(result)
    if itself and result.source:
        name = result.source
        said = tuple(_sentence(s.replace(name, itself).replace(name[:1].upper() + name[1:], itself.capitalize()))
                     for s in said)
    return said


def _reasons(result: Result) -> tuple[str, ...]:
    if result.why:
        return tuple(result.why)
    out: list[str] = []
    if result.verdict == FAIL:
        found = result.found if result.found else "nothing comparable"
        out.append(f"Expected {result.expected}, found {found}.")
        if result.message:
            out.append(_sentence(result.message))
    elif result.verdict == PASS:
        out.append(f"Found {result.found}." if result.found else "Holds.")
    elif result.message:
        out.append(_sentence(result.message))
    elif result.verdict == UNKNOWN:
        out.append("Not stated.")
    elif result.verdict == SKIPPED:
        out.append("Skipped.")
    else:
        out.append("Could not be checked.")
    return tuple(out)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


@dataclass(frozen=True, slots=True)
class Column:
    """How a source heads its column: the outlet (or the file name when there is none) and
    the publication date; `title` is the article's headline when its metadata has one."""

    name: str
    outlet: str | None
    published: str | None
    title: str | None

    @property
    def label(self) -> str:
        return self.outlet or self.name

    @property
    def short(self) -> str:
        """One line: `Reuters, 2020-01-14`."""
        return ", ".join(part for part in (self.label, self.published) if part)


def columns(run: Run) -> list[Column]:
    known = source_by_name(run)
    out = []
    for name in source_names(run):
        s = known.get(name)
        meta = dict(s.meta) if s is not None else {}
        out.append(Column(name, s.outlet if s is not None else None,
                          s.published.isoformat() if s is not None and s.published else None,
                          str(meta["title"]) if meta.get("title") else None))
    return out


@dataclass(frozen=True, slots=True)
class Dissent:
    """A source that disagrees with a `consistent` assertion's consensus."""

    row: Row
    index: int  # the row's position in rows()
    column: int
    consensus: str
    cell: Result | None


@dataclass(frozen=True, slots=True)
class Decisions:
    """What an editor has to decide on, in the order to read it: failed assertions (errors before
    warnings before info; cells that could not be evaluated after them), sources that dissent from
    a consensus, and sources that could not be read at all."""

    fails: list[tuple[int, int, Row, Result]]  # (row index, column, row, cell)
    dissents: list[Dissent]
    refused: list[str]

    def __bool__(self) -> bool:
        return bool(self.fails or self.dissents or self.refused)


def decisions(run: Run, table: Sequence[Row] | None = None) -> Decisions:
    table = list(rows(run) if table is None else table)
    names = source_names(run)
    column_of = {name: i for i, name in enumerate(names)}
    fails: list[tuple[int, int, Row, Result]] = []
    dissents: list[Dissent] = []
    for index, row in enumerate(table):
        dissenting = set(row.dissenters)
        for col, cell in enumerate(row.cells):
            if cell is None or cell.verdict not in (FAIL, ERROR):
                continue
            if row.consensus is not None and cell.source in dissenting:
                continue  # listed with the dissent, with the consensus it departs from
            fails.append((index, col, row, cell))
        if row.consensus is not None:
            for name in row.dissenters:
                col = column_of.get(name, -1)
                cell = row.cells[col] if 0 <= col < len(row.cells) else None
                dissents.append(Dissent(row, index, col, row.consensus, cell))
    fails.sort(key=lambda f: (f[3].verdict == ERROR, SEVERITY_RANK.get(f[2].severity, 3), f[0], f[1]))
    return Decisions(fails, dissents, list(run.errors))
