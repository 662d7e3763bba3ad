"""The fact cache's entry format: one source's facts as text, and back (a kept verdict's is `factcheck.kept`).

A fact is a compact JSON object (`fact_to_json`: short keys, the Subject as an array); one
source's entry is a header and one JSON array per predicate (`encode_entry`), each a row of
its own, so that a reader wanting a few predicates reads and decodes only theirs
(`decode_entry`). `CACHE_SCHEMA` in `factcheck.run.cache_keys` names this format: change it,
and bump that.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Mapping, Sequence, TypedDict, cast

from factcheck.model import JSON, DateValue, Entity, Fact, Quantity, Subject, Value

#: A Subject's fields in order (kind, name, head, places, text, generic, parties, how): its
#: memo key in `fact_from_json`, and (with lists for the tuples) its form in the fact cache.
SubjectKey = tuple[str, str, str, tuple[str, ...], str, bool, tuple[str, ...], str]


class FactJSON(TypedDict):
    """A fact as the fact cache stores it (`fact_to_json`). JSON arrays come back as lists:
    `s` is a sequence of the Subject's fields, unpacked by position."""

    p: str
    s: tuple[str, str, str, list[str], str, bool, list[str], str]
    v: JSON
    t: str
    a: int
    b: int
    pol: bool
    h: bool
    r: str | None


def value_to_json(value: Value) -> JSON:
    if isinstance(value, DateValue):
        return {"t": "date", "s": value.start.isoformat(), "e": value.end.isoformat(), "g": value.granularity}
    if isinstance(value, Quantity):
        return {"t": "qty", "a": value.amount, "u": value.unit, "x": value.approx, "b": value.bound}
    if isinstance(value, Entity):
        return {"t": "ent", "n": value.name}
    return value  # bool, float, str


def value_from_json(data: object) -> Value:
    """The Value of `value_to_json`'s JSON (decoded, so any JSON value may come in)."""
    if isinstance(data, dict):
        t = data["t"]
        if t == "date":
            return DateValue(_dt.date.fromisoformat(data["s"]), _dt.date.fromisoformat(data["e"]), data["g"])
        if t == "qty":
            return Quantity(float(data["a"]), data["u"], bool(data["x"]), str(data.get("b", "")))
        if t == "ent":
            return Entity(data["n"])
        raise ValueError(f"unknown value type {t!r}")
    return cast(Value, data)  # bool, float or str, as value_to_json wrote it


def fact_to_json(f: Fact) -> FactJSON:
    s = f.subject
    return {
        "p": f.predicate,
        "s": (s.kind, s.name, s.head, list(s.places), s.text, s.generic, list(s.parties), s.how),  # a JSON array
        "v": value_to_json(f.value),
        "t": f.sentence,
        "a": f.start,
        "b": f.end,
        "pol": f.polarity,
        "h": f.hedged,
        "r": f.resolution,
    }


def fact_from_json(d: FactJSON, subjects: dict[SubjectKey, Subject] | None = None) -> Fact:
    """The Fact of `fact_to_json`'s dict. `subjects`, a memo shared over many facts, makes
    the facts of one source share their (few, often repeated) Subject objects."""
    kind, name, head, places, text, generic, parties, how = d["s"]
    key = (kind, name, head, tuple(places), text, generic, tuple(parties), how)
    subject: Subject | None
    if subjects is None:
        subject = Subject(*key)
    else:
        subject = subjects.get(key)
        if subject is None:
            subject = subjects[key] = Subject(*key)
    # positional: the fields' order in Fact
    return Fact(d["p"], subject, value_from_json(d["v"]), d["t"], d["a"], d["b"], d["pol"], d["h"], d["r"])



def encode_entry(facts: Sequence[Fact]) -> tuple[str, dict[str, str]]:
    """One source's facts as its entry: a header and one JSON array per predicate, stored in
    rows of their own (`run.cache`), so that a reader wanting a few predicates reads and
    decodes only theirs: most facts are `mentions`, which few rules ask for.

    The header (`{"p": [predicate, ...], "o": [...]}`) names the predicates in order and, in
    `o`, which one each fact is of, in extraction order."""
    order: dict[str, int] = {}
    groups: list[list[FactJSON]] = []
    sequence = []
    for f in facts:
        k = order.setdefault(f.predicate, len(order))
        if k == len(groups):
            groups.append([])
        groups[k].append(fact_to_json(f))
        sequence.append(k)
    header = json.dumps({"p": list(order), "o": sequence}, ensure_ascii=False, separators=(",", ":"))
    return header, {p: json.dumps(groups[k], ensure_ascii=False, separators=(",", ":")) for p, k in order.items()}


def decode_entry(header: str, parts: Mapping[str, str], only: frozenset[str] | None = None) -> list[Fact]:
    """The facts `encode_entry` wrote, in extraction order (with `only`, just those predicates';
    `parts` needs only theirs). ValueError, KeyError, TypeError or IndexError on an entry in
    another format or a part missing."""
    head = json.loads(header)
    predicates: list[str] = head["p"]
    if not isinstance(predicates, list) or not all(isinstance(p, str) for p in predicates):
        raise TypeError("an entry's header of another format")
    subjects: dict[tuple, Any] = {}
    decoded = {p: [fact_from_json(d, subjects) for d in json.loads(parts[p])]
               for p in predicates if only is None or p in only}
    if len(decoded) <= 1:
        return next(iter(decoded.values()), [])
    streams = [iter(decoded.get(p, ())) for p in predicates]
    return [f for k in head["o"] for f in (next(streams[k], None),) if f is not None]
