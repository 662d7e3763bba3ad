"""Streaming evaluation: sources' facts arrive one at a time, in any order, and the results
are those of evaluating the whole corpus at once. The runner relies on this to keep memory
flat in the number of sources (see issue: speed at scale)."""
from __future__ import annotations

import pytest

import datetime as dt
import json
import random
from pathlib import Path

from factcheck.report import json_report
from factcheck.run import reporting
from factcheck import cli
from factcheck.run import runner
from factcheck.model import DateValue, Entity, Fact, Quantity, Source, Subject

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "libya.fc"


def _day(text: str) -> DateValue:
    return DateValue.day(dt.date.fromisoformat(text))


def _facts(i: int) -> list[Fact]:
    """A varied, hand-made source: backers, signatures, dates of two events, a leader."""
    rng = random.Random(i)

    def f(predicate, subject, value, polarity=True):
        return Fact(predicate, subject, value, f"Sentence {i} about {predicate}.", 10 * i, 10 * i + 9, polarity)

    lna, gna = Subject("entity", "LNA"), Subject("entity", "GNA")
    summit = Subject("event", "", "summit", ("Berlin", "Germany"), "the Berlin summit")
    talks = Subject("event", "", "talk", ("Moscow", "Russia"), "talks")
    truce = Subject("event", "ceasefire", "ceasefire", (), "ceasefire")
    out = [f("backers", lna, Entity(rng.choice(["Russia", "UAE", "Egypt", "France"])), polarity=rng.random() > 0.2),
           f("backers", gna, Entity(rng.choice(["Turkey", "Qatar"]))),
           f("signed", truce, Entity(rng.choice(["Serraj", "Haftar"])), polarity=rng.random() > 0.5),
           f("date", summit, _day(rng.choice(["2020-01-19", "2020-01-19", "2020-01-20"]))),
           f("date", talks, _day(rng.choice(["2020-01-13", "2020-01-12"]))),
           f("leader", gna, Entity("Serraj")),
           f("duration", Subject("event", "", "offensive", ("Tripoli",), "offensive"), Quantity(9, "month"))]
    rng.shuffle(out)
    return out[: rng.randint(0, len(out))]


def test_sources_in_any_order_give_the_results_of_the_whole_corpus_at_once():
    rules = runner.load_rules([str(RULES)])
    names = [f"s{i}.txt" for i in range(60)]
    facts = {n: _facts(i) for i, n in enumerate(names)}
    sources = [Source(n, n, "text") for n in names]
    batch = runner.evaluate(rules, sources, facts, {"s7.txt": "s7.txt: extraction failed"})

    stream = runner.Evaluation(rules, names, {"s7.txt": "s7.txt: extraction failed"})
    order = list(range(len(names)))
    random.Random(1).shuffle(order)
    for i in order:
        stream.add(i, facts[names[i]])
    streamed = stream.results()

    assert streamed == batch
    assert len(batch) == len(rules.assertions) * len(names)
    verdicts = {r.verdict for r in batch}
    assert {"pass", "fail", "unknown", "error"} <= verdicts  # the sample exercises every outcome
    assert all(r.verdict == "error" for r in batch if r.source == "s7.txt")
    consistent = [r for r in batch if r.assertion.startswith("consistent")]
    assert consistent and all(r.consensus == "2020-01-19" for r in consistent if r.verdict == "pass")


def test_a_source_never_added_is_an_error_not_a_gap():
    rules = runner.load_rules([str(RULES)])
    stream = runner.Evaluation(rules, ["a.txt", "b.txt"])
    stream.add(1, _facts(3))
    results = stream.results()
    assert len(results) == 2 * len(rules.assertions)
    assert {r.verdict for r in results if r.source == "a.txt"} == {"error"}


def test_a_large_json_report_is_written_in_pieces_and_is_one_valid_document(tmp_path, monkeypatch):
    from factcheck.model import Result, Run

    report_size = 1200
    results = [Result(file="r.fc", line=i, column=1, test=None, assertion=f"a{i}", source="s.txt",
                      verdict="pass" if i % 2 else "unknown", severity="error", expected="x", found=None)
               for i in range(report_size)]
    run = Run(results=results, sources=[Source("s.txt", "s.txt", "t")], errors=["e.txt: broken"])
    monkeypatch.setattr(json_report, "PIECE_LINES", 10)
    pieces = list(reporting.pieces(run, "json"))
    assert len(pieces) == report_size // 10 + 2  # a head, ten lines a piece, a tail
    assert all(p.count("\n") == 10 for p in pieces[1:-1])
    doc = json.loads("".join(pieces))
    assert [r["line"] for r in doc["results"]] == list(range(report_size))
    assert doc["summary"]["total"] == report_size and doc["summary"]["pass"] == report_size // 2
    assert doc["errors"] == ["e.txt: broken"]
    assert "".join(pieces) == reporting.render(run, "json")
    small = Run(results=results[:3], sources=run.sources)
    assert len(list(reporting.pieces(small, "json"))) == 1 and json.loads(reporting.render(small, "json"))


@pytest.mark.nlp
def test_the_command_line_streams_the_report_to_its_output_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_CACHE", "off")
    (tmp_path / "r.fc").write_text("mentions(Berlin)\n", encoding="utf-8")
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Leaders met in Berlin on day {i}.\n" if i else "Nothing.\n",
                                            encoding="utf-8")
    code = cli.main(["check", "r.fc", "--sources", "*.txt", "--format", "json", "--output", "out.json", "--quiet"])
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert code == 1  # a0 fails: mentions is closed-world per source
    assert [(r["source"], r["verdict"]) for r in doc["results"]] == [("a0.txt", "fail"), ("a1.txt", "pass"),
                                                                     ("a2.txt", "pass")]


def test_a_format_with_chunks_is_written_piece_by_piece_and_one_without_in_one(monkeypatch):
    from factcheck.model import Run

    def render(run, **options):
        return "whole"

    def chunked(run, **options):
        yield "a"
        yield "b"

    render.chunks = chunked
    monkeypatch.setattr(reporting, "reporter", lambda fmt, config=None: render)
    assert list(reporting.pieces(Run(), "x")) == ["a", "b"]
    del render.chunks
    assert list(reporting.pieces(Run(), "x")) == ["whole"]


@pytest.mark.parametrize("encoding, document", [("utf-8", True), ("utf-8", False), ("ascii", True), ("ascii", False),
                                                (None, True)])
def test_text_and_utf8_pieces_reach_stdout_in_order(monkeypatch, encoding, document):
    """A report's pieces are text or UTF-8 bytes (a kept block's lines): on a UTF-8 stdout or
    for a document the bytes go as they are; on another encoding they are text again, each
    character the stream cannot hold escaped; on a stream with no buffer, text."""
    import io
    import sys

    from factcheck.cli import output

    raw = io.BytesIO()
    stream = io.StringIO() if encoding is None else io.TextIOWrapper(raw, encoding=encoding, errors="backslashreplace")
    monkeypatch.setattr(sys, "stdout", stream)
    output.emit(iter(['{"a": "caf\u00e9", ', '"b": "\u00e9l\u00e8ve", '.encode(), '"c": 1}\n']), None, document)
    stream.flush()
    got = stream.getvalue() if encoding is None else raw.getvalue().decode("utf-8")
    if encoding == "ascii" and not document:
        assert got == '{"a": "caf\\xe9", "b": "\\xe9l\\xe8ve", "c": 1}\n'
    else:
        assert got == '{"a": "caf\u00e9", "b": "\u00e9l\u00e8ve", "c": 1}\n'


def test_text_and_utf8_pieces_are_written_to_the_output_file_in_order(tmp_path):
    from factcheck.safety import atomic_write

    path = tmp_path / "report.json"
    atomic_write(str(path), ['{"a": "caf\u00e9", ', '"b": "\u00e9l\u00e8ve", '.encode(), '"c": 1}\n'])
    assert path.read_text(encoding="utf-8") == '{"a": "caf\u00e9", "b": "\u00e9l\u00e8ve", "c": 1}\n'


def test_utf8_pieces_reach_an_unbuffered_stdout_whole(monkeypatch):
    """`python -u`: stdout's buffer is a raw file whose write takes what one system call does."""
    import io
    import sys

    from factcheck.cli import output

    class Raw(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:  # three bytes a call, as a pipe under pressure may take
            self.data += bytes(b[:3])
            return len(b[:3])

    raw = Raw()
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", stream)
    output.emit(iter(["{", '"b": "\u00e9l\u00e8ve", '.encode() * 50, '"c": 1}\n'.encode()]), None, True)
    assert raw.data.decode("utf-8") == "{" + '"b": "\u00e9l\u00e8ve", ' * 50 + '"c": 1}\n'
