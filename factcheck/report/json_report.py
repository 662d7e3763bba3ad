"""The JSON report (SPEC section 7): `{"results": [...], "summary": {...}, "errors": [...]}`.

Each result is `Result.to_json()`: file, line, test, assertion, source, verdict, severity,
expected, found, evidence (text, start, end, value, hedged, resolution), plus `message`,
`consensus` and `dissenters` when they exist. `summary` counts each verdict and the total;
`errors` lists the lines about sources that could not be read (refused: binary, over the
size limit, unreadable; or whose extraction failed), `warnings` the other lines about
sources (a pattern that matched nothing, HTML stripped, ...). The report is always valid
UTF-8 (`safety.json_dumps`): a file name's undecodable byte is written as the text `\\xff`,
any other lone surrogate as U+FFFD; control characters are JSON escapes (`\\u001b`).
"""
from __future__ import annotations

from typing import Any, Iterator, Sequence

from factcheck.kept import BlockResults, KeptResult, Results, shown
from factcheck.model import Result, Run
from factcheck.safety import json_dumps, text_of


def document(run: Run) -> dict[str, Any]:
    return {
        "results": [r.to_json() for r in run.results],
        "summary": run.summary(),
        "errors": list(run.errors),
        "warnings": list(run.warnings),
    }


PRETTY_UP_TO = 500  # results; larger reports are written compact by the C encoder (~10x faster)
PIECE_LINES = 256  # the compact report is written this many results at a time


def render(run: Run, indent: int | None = None, **_: Any) -> str:
    return text_of(chunks(run, indent))


def chunks(run: Run, indent: int | None = None, **_: Any) -> Iterator[str | bytes]:
    """The report in pieces, for writing as it is made: indented for a report a person may
    read; compact past PRETTY_UP_TO results (one result per line, PIECE_LINES lines a piece),
    where Python's indenting encoder would dominate a cached run and one big string would hold
    the whole report in memory. A piece is text, or UTF-8 bytes: the lines of a block of kept
    verdicts, made of the block's own bytes (`kept.KeptBlock`)."""
    if indent is None and len(run.results) <= PRETTY_UP_TO:
        indent = 2
    if indent is not None:
        yield json_dumps(document(run), indent=indent) + "\n"
        return
    line = _Lines()
    yield '{"results": ['
    comma = "\n"
    for part in run.results.parts if isinstance(run.results, Results) else [run.results]:
        if isinstance(part, BlockResults):
            for block_piece in line.block(part):
                yield _utf8(comma) + block_piece
                comma = ",\n"
            continue
        for piece in line.pieces(part):
            yield comma + piece
            comma = ",\n"
    tail = json_dumps({"summary": run.summary(), "errors": list(run.errors), "warnings": list(run.warnings)})
    yield "\n], " + tail[1:] + "\n"


class _Lines:
    """One result's line of the compact report, `json_dumps(result.to_json())` to the byte,
    made of pieces: its place in the rule file, its source, its verdict word and severity
    (each encoded once a run) and its report fields (`kept.shown`; a verdict kept from an
    earlier run brings them already encoded)."""

    def __init__(self) -> None:
        self.places: dict[tuple[str, int, str | None, str], str] = {}
        self.sources: dict[str, str] = {}
        self.byte_sources: dict[str, bytes] = {}  # the same, UTF-8, for `block`
        self.words: dict[tuple[str, str], str] = {}

    def __call__(self, r: Result) -> str:
        fields = r.shown if type(r) is KeptResult else shown(r)
        return (f'{self.head(r.file, r.line, r.test, r.assertion)}, "source": {self.source(r.source)}, '
                f'{self.word(r.verdict, r.severity)}, {fields[1:]}')

    def head(self, file: str, line: int, test: str | None, assertion: str) -> str:
        """`{"file": ..., "line": ..., "test": ..., "assertion": ...` (open)."""
        place = (file, line, test, assertion)
        got = self.places.get(place)
        if got is None:
            got = self.places[place] = json_dumps(dict(zip(("file", "line", "test", "assertion"), place)))[:-1]
        return got

    def source(self, name: str) -> str:
        got = self.sources.get(name)
        if got is None:
            got = self.sources[name] = json_dumps(name)
        return got

    def word(self, verdict: str, severity: str) -> str:
        """`"verdict": ..., "severity": ...`."""
        got = self.words.get((verdict, severity))
        if got is None:
            got = self.words[(verdict, severity)] = json_dumps({"verdict": verdict, "severity": severity})[1:-1]
        return got

    def pieces(self, results: Sequence[Result]) -> Iterator[str]:
        """The lines of these results, PIECE_LINES at a time."""
        for start in range(0, len(results), PIECE_LINES):
            yield ",\n".join(map(self, results[start:start + PIECE_LINES]))

    def block(self, part: BlockResults) -> Iterator[bytes]:
        """The lines of an assertion's results that a kept block gave, PIECE_LINES at a time, as
        UTF-8: made of the block's bytes (no result is made, nothing decoded, each piece copied
        once into its line's piece), but for the sources whose result was made otherwise."""
        p = part.place
        head = _utf8(self.head(p.file, p.line, p.test, p.assertion))
        words = {w: _utf8(self.word(w, p.severity)) for w in set(part.block.words) if w is not None}
        parts, made, sources, names = part.block.parts, part.made, self.byte_sources, part.names
        all_words = part.block.words
        for start in range(0, len(names), PIECE_LINES):
            out: list[bytes] = []
            for i in range(start, min(len(names), start + PIECE_LINES)):
                if i > start:
                    out.append(b",\n")
                w = all_words[i]
                if i in made or w is None:
                    out.append(_utf8(self(part[i])))
                    continue
                name = names[i]
                source = sources.get(name) or sources.setdefault(name, _utf8(self.source(name)))
                pieces = parts[i]
                out += (head, b', "source": ', source, b", ", words[w], b", ", pieces[0][1:])
                out += pieces[1:]
            yield b"".join(out)


def _utf8(text: str) -> bytes:
    """As a report file is written (`safety.atomic_write`)."""
    return text.encode("utf-8", "backslashreplace")
