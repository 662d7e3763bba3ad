"""Verdicts kept from an earlier run, as the report's rows (issue 18: the warm run).

A kept verdict (`run.verdicts`, the `kept_cells` table of the fact cache) is stored in two forms:

- `shown`: the JSON text of its report fields (`model.verdict_fields`), exactly as the JSON
  report writes them. The JSON report splices it in as it is: a warm run neither decodes
  nor re-encodes the verdicts it did not evaluate.
- `row`: its compact form (`to_row`), which gives the Verdict back (`from_row`); empty when
  `shown` gives it back whole (`from_shown`), as it does for nearly every verdict.

A `KeptResult` is a Result whose place (file, line, test, assertion, source, severity) and
verdict word are known, and whose other fields are decoded (`Kept.verdict_of`) the first time
anything reads them (a text report, a summary of reasons, equality). It equals, hashes and
pickles as the Result it stands for.

An assertion kept for the whole corpus comes as one block (`KeptBlock`: every source's word and
texts). Its results are a `BlockResults` part of the run's `Results`, which makes a row only
when something reads it: the summary, the exit code (`model.verdict_counts`) and the compact
JSON report read the block itself, so a warm run makes no object per kept cell.
"""
from __future__ import annotations

import bisect
import collections
import itertools
import json
from dataclasses import dataclass, fields
from typing import Any, Iterable, Iterator, Mapping, Sequence, overload

from factcheck.model import Evidence, Outcome, Result, Verdict, verdict_counts, verdict_fields
from factcheck.safety import json_dumps


def shown(v: Verdict | Result) -> str:
    """The report fields of a verdict as the JSON report writes them: `{"expected": ...}`."""
    return json_dumps(verdict_fields(v))


def to_row(v: Verdict) -> str:
    """One verdict as one compact JSON array (fields by position, evidence as arrays). ASCII:
    a file name's escaped byte (a lone surrogate) is written as `\\udcff`, which SQLite
    can store and `from_row` gives back."""
    evidence = [[e.source, e.text, e.start, e.end, e.value, e.hedged, e.resolution, e.polarity] for e in v.evidence]
    return json.dumps([str(v.verdict), v.expected, v.found, evidence, v.message, v.consensus, list(v.dissenters),
                       list(v.why)], separators=(",", ":"))


def from_row(text: str) -> Verdict:
    """The Verdict `to_row` wrote. ValueError, TypeError or IndexError on another text."""
    verdict, expected, found, evidence, message, consensus, dissenters, why = json.loads(text)
    return Verdict(Outcome(verdict), expected, found, tuple(Evidence(*e) for e in evidence), message, consensus,
                   tuple(dissenters), tuple(why))


def from_shown(shown_text: str, verdict: str, source: str) -> Verdict:
    """The Verdict of source `source` whose report fields `shown` wrote, when that is all it
    says (`Kept.of` checks): its evidence is the source's own and affirmed."""
    d = json.loads(shown_text)
    evidence = tuple(Evidence(source, e["text"], e["start"], e["end"], e["value"], e["hedged"], e["resolution"], True)
                     for e in d["evidence"])
    return Verdict(Outcome(verdict), d["expected"], d["found"], evidence, d.get("message"), d.get("consensus"),
                   tuple(d.get("dissenters", ())), tuple(d["why"]))


@dataclass(frozen=True, slots=True)
class Kept:
    """A verdict as the cache keeps it: its word, `shown`, and `row` when `shown` does not
    give the Verdict back whole (evidence of another source or denied, a character `shown`
    had to replace); empty otherwise, which halves what a warm run reads."""

    verdict: Outcome
    shown: str
    row: str

    @classmethod
    def of(cls, v: Verdict, source: str) -> "Kept":
        text = shown(v)
        try:
            whole = from_shown(text, v.verdict, source) == v
        except (ValueError, TypeError, KeyError):
            whole = False
        return cls(Outcome(v.verdict), text, "" if whole else to_row(v))

    def verdict_of(self, source: str) -> Verdict:
        return from_row(self.row) if self.row else from_shown(self.shown, self.verdict, source)


_PLACE = ("file", "line", "column", "test", "assertion", "source", "verdict", "severity")
_DECODED = tuple(f.name for f in fields(Result) if f.name not in _PLACE)  # expected ... why
_set = object.__setattr__  # past the frozen dataclass's guard, as its own __init__ does


class KeptResult(Result):
    """A Result whose verdict came from the cache: `shown` is its report fields' JSON text;
    the fields themselves are decoded on first use (until then their slots are empty, and
    `__getattr__`, which Python calls only for an attribute it did not find, fills them)."""

    __slots__ = ("shown", "_row")
    shown: str
    _row: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Result's own signature (so that `dataclasses.replace` works): a full one."""
        super().__init__(*args, **kwargs)
        _set(self, "shown", shown(self))
        _set(self, "_row", "")

    @classmethod
    def placed(cls, file: str, line: int, column: int, test: str | None, assertion: str, source: str,
               severity: str, kept: Kept) -> "KeptResult":
        """A kept verdict placed in its rule file and source; nothing is decoded."""
        self = object.__new__(cls)
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "test", test)
        _set(self, "assertion", assertion)
        _set(self, "source", source)
        _set(self, "verdict", kept.verdict)
        _set(self, "severity", severity)
        _set(self, "shown", kept.shown)
        _set(self, "_row", kept.row)
        return self

    def __getattr__(self, name: str) -> Any:
        if name not in _DECODED:
            raise AttributeError(name)
        v = Kept(Outcome(self.verdict), self.shown, self._row).verdict_of(self.source)
        for field in _DECODED:
            _set(self, field, getattr(v, field))
        return getattr(v, name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Result))

    def __hash__(self) -> int:
        return Result.__hash__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Result, tuple(getattr(self, f.name) for f in fields(Result)))


@dataclass(frozen=True, slots=True)
class KeptBlock:
    """One assertion's kept verdicts on every source of a corpus, in order, as a block of the
    cache gives them (`run.cache_kept`): each source's verdict word (None: not evaluated) and
    `shown` text, in pieces of UTF-8 (`parts`, which the sources share: a `consistent`
    assertion's consensus and dissenters are one piece; the JSON report writes them as they
    are), and the `row`s that are not empty, by source."""

    words: Sequence[Outcome | None]
    parts: Sequence[Sequence[bytes]]
    rows: Mapping[int, bytes]

    def kept(self, i: int) -> Kept | None:
        word = self.words[i]
        if word is None:
            return None
        return Kept(word, b"".join(self.parts[i]).decode("utf-8", "surrogatepass"),
                    self.rows.get(i, b"").decode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class Place:
    """Where an assertion's results stand: its rule file, position, test, text and severity."""

    file: str
    line: int
    column: int
    test: str | None
    assertion: str
    severity: str


class _Rows(Sequence[Result]):
    """Results read as a list is: by index (a negative one too) or by slice (a list)."""

    __slots__ = ()

    def _at(self, i: int) -> Result:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> Result: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Result]: ...

    def __getitem__(self, i: int | slice) -> Result | Sequence[Result]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        return self._at(range(len(self))[i])


class BlockResults(_Rows):
    """An assertion's results on every source (`names`) from a KeptBlock: a source's result is
    made (a KeptResult) only when something reads it, and kept from then on. `made` holds
    those given instead of the block's: a source not evaluated this run (an `error`)."""

    __slots__ = ("place", "names", "block", "made")

    def __init__(self, place: Place, names: Sequence[str], block: KeptBlock, made: Mapping[int, Result]) -> None:
        self.place, self.names, self.block, self.made = place, names, block, dict(made)

    def __len__(self) -> int:
        return len(self.names)

    def _at(self, i: int) -> Result:
        r = self.made.get(i)
        if r is None:
            kept = self.block.kept(i)
            assert kept is not None, "a source not evaluated has its result in `made`"
            p = self.place
            r = self.made[i] = KeptResult.placed(p.file, p.line, p.column, p.test, p.assertion, self.names[i],
                                                 p.severity, kept)
        return r

    def __iter__(self) -> Iterator[Result]:
        return (self[i] for i in range(len(self)))

    def counts(self) -> dict[tuple[str, str], int]:
        """How many sources have each verdict word and severity (`model.verdict_counts`), nothing made."""
        severity, words = self.place.severity, self.block.words
        out = {(str(w), severity): n for w, n in collections.Counter(words).items() if w is not None}
        for i, r in self.made.items():  # instead of the block's word (a result read since: the same)
            if words[i] is not None:
                out[(str(words[i]), severity)] -= 1
            out[(r.verdict, r.severity)] = out.get((r.verdict, r.severity), 0) + 1
        return {key: n for key, n in out.items() if n}


class Results(_Rows):
    """A run's results, assertion by assertion, as parts one after the other: lists, and the
    BlockResults of assertions whose verdicts a block of the cache gave. It reads (and equals)
    as the list of them all; `counts` and the JSON report read a block without making its rows."""

    __slots__ = ("parts", "_ends")

    def __init__(self, parts: Iterable[Sequence[Result]] = ()) -> None:
        self.parts = [p for p in parts if len(p)]
        self._ends = list(itertools.accumulate(len(p) for p in self.parts))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def _at(self, i: int) -> Result:
        k = bisect.bisect_right(self._ends, i)
        return self.parts[k][i - (self._ends[k - 1] if k else 0)]

    def __iter__(self) -> Iterator[Result]:
        return itertools.chain.from_iterable(self.parts)

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for part in self.parts:
            for key, n in verdict_counts(part).items():
                out[key] = out.get(key, 0) + n
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a list is

    def __repr__(self) -> str:
        return f"Results({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Results, ([list(self)],))
