"""Verdicts kept from an earlier run as report rows (`factcheck.kept`): a KeptResult stands
for its Result in every way a caller can see, and a warm run's reports are byte for byte
those of a run without a cache."""
from __future__ import annotations

import dataclasses
import json
import pickle
import sqlite3

import pytest

from factcheck.kept import BlockResults, Kept, KeptBlock, KeptResult, Place, Results, from_row, shown, to_row
from factcheck.model import ERROR, FAIL, PASS, Evidence, Result, Run, Verdict, verdict_counts
from factcheck.report import json_report
from factcheck.safety import text_of
from factcheck.run import reporting, runner

from cache_fixtures import backed_project

EVIDENCE = (Evidence("a.txt", "Moscow backs the LNA, \u00e9lite officials said.", 0, 6, "Russia", True, "alias", True),
            Evidence("a.txt", "Turkey does not back the LNA.", 40, 46, "not Turkey", False, None, False))
VERDICT = Verdict(FAIL, "Russia", "Turkey", EVIDENCE, "a message", "Russia", ("b.txt",), ("one reason", "another"))


def _full(v: Verdict = VERDICT) -> Result:
    return Result("r.fc", 3, 5, "t", "backers(LNA) includes Russia", "a.txt", v.verdict, "warning", v.expected,
                  v.found, v.evidence, v.message, v.consensus, v.dissenters, v.why)


def _kept(v: Verdict = VERDICT) -> KeptResult:
    return KeptResult.placed("r.fc", 3, 5, "t", "backers(LNA) includes Russia", "a.txt", "warning", Kept.of(v, "a.txt"))


def test_a_kept_result_is_the_result_it_stands_for():
    kept, full = _kept(), _full()
    assert kept.verdict == FAIL and kept.shown == shown(VERDICT)
    assert kept == full and full == kept and hash(kept) == hash(full)
    assert kept.evidence == EVIDENCE and kept.evidence[1].polarity is False and kept.why == VERDICT.why
    assert kept.to_json() == full.to_json()
    assert json.loads(kept.shown) == {k: v for k, v in full.to_json().items() if k in json.loads(kept.shown)}
    assert pickle.loads(pickle.dumps(_kept())) == full  # pickles as a plain Result
    assert type(pickle.loads(pickle.dumps(_kept()))) is Result
    assert dataclasses.asdict(_kept()) == dataclasses.asdict(full)
    moved = dataclasses.replace(_kept(), line=9)
    assert moved.line == 9 and moved.why == VERDICT.why and moved.shown == kept.shown
    assert _kept() != _full(dataclasses.replace(VERDICT, why=("another reason",)))
    with pytest.raises(AttributeError):
        _kept().not_a_field  # noqa: B018


@pytest.mark.parametrize("evidence, whole", [
    (EVIDENCE[:1], True),  # the source's own, affirmed: `shown` says it all
    (EVIDENCE, False),  # one denied: its polarity is not in `shown`
    ((dataclasses.replace(EVIDENCE[0], source="b.txt"),), False),  # another source's
    ((dataclasses.replace(EVIDENCE[0], text="caf\udce9"),), False),  # a character `shown` replaces
])
def test_a_kept_verdict_stores_its_compact_form_only_when_shown_does_not_say_it_all(evidence, whole):
    v = dataclasses.replace(VERDICT, evidence=evidence)
    kept = Kept.of(v, "a.txt")
    assert (kept.row == "") is whole
    assert kept.verdict_of("a.txt") == v
    assert KeptResult.placed("r.fc", 3, 5, "t", "x", "a.txt", "error", kept).evidence == evidence


def test_the_compact_form_gives_the_verdict_back():
    assert from_row(to_row(VERDICT)) == VERDICT
    bare = Verdict(PASS, "Russia")
    assert from_row(to_row(bare)) == bare
    with pytest.raises((ValueError, TypeError)):
        from_row('["pass"')


def test_a_block_of_kept_verdicts_reads_as_the_list_of_its_results(monkeypatch):
    """An assertion's results from a block (`BlockResults`) within a run's `Results`: a list
    in every way a reader sees (length, indices, slices, equality, pickling); the verdict
    words are read without making a row; a source not evaluated has the result given."""
    verdicts = [VERDICT, Verdict(PASS, "Russia"), VERDICT]
    names = ["a.txt", "b.txt", "c.txt"]
    kept = [Kept.of(v, n) for v, n in zip(verdicts, names)]
    block = KeptBlock([k.verdict for k in kept[:2]] + [None],
                      [[k.shown[:9].encode(), k.shown[9:].encode()] for k in kept[:2]] + [[]],
                      {i: k.row.encode() for i, k in enumerate(kept) if k.row})
    error = Result("r.fc", 3, 5, "t", "backers(LNA) includes Russia", "c.txt", ERROR, "warning", "", message="gone")
    place = Place("r.fc", 3, 5, "t", "backers(LNA) includes Russia", "warning")
    part = BlockResults(place, names, block, {2: error})
    other = _full(Verdict(PASS, "x"))
    results = Results([[other], part, []])
    monkeypatch.setattr(json_report, "PRETTY_UP_TO", 0)  # the compact report, which splices the block's texts
    report = text_of(json_report.chunks(Run(results=results)))
    expected = [other, _full(), dataclasses.replace(_full(verdicts[1]), source="b.txt"), error]
    assert part.made.keys() == {2}  # the report made no row
    assert verdict_counts(results) == {(PASS, "warning"): 2, (FAIL, "warning"): 1, (ERROR, "warning"): 1}
    assert len(results) == 4 and results == expected and expected == results and results != expected[:3]
    assert results[1] == _full() and type(results[1]) is KeptResult and results[-1] is error
    assert results[1:3] == expected[1:3] and part[::2] == [expected[1], error]
    with pytest.raises(IndexError):
        results[4]  # noqa: B018
    assert verdict_counts(results) == verdict_counts(expected)  # every row made by now
    assert pickle.loads(pickle.dumps(results)) == expected
    run = Run(results=results)
    assert run.summary() == Run(results=expected).summary() == {**run.summary(), "pass": 2, "fail": 1, "error": 1}
    assert report == "".join(json_report.chunks(Run(results=expected)))
    assert json.loads(report)["results"] == [r.to_json() for r in expected]


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "junit", "sarif"])
def test_a_warm_runs_report_is_byte_for_byte_a_fresh_ones(tmp_path, monkeypatch, fmt):
    """Compact JSON (the spliced one: every result past PRETTY_UP_TO) and the reports that
    read the decoded fields. A file name with an undecodable byte goes through the escaping
    of lone surrogates in both."""
    monkeypatch.setattr(json_report, "PRETTY_UP_TO", 0)
    rules, pattern = backed_project(tmp_path, monkeypatch, 12)
    odd = tmp_path / "articles" / "caf\udce9.txt"
    odd.write_bytes("Russia backs the LNA, caf\u00e9 owners said.\n".encode())

    def report(**options) -> str:
        run = runner.check([rules], [pattern], jobs=1, **options)
        return text_of(reporting.pieces(run, fmt, None))

    cold = report()
    warm = report()
    fresh = report(no_cache=True)
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM kept_cells").fetchone()[0] == 2 * 13  # `consistent`: in blocks only
        assert conn.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == 3
    assert warm == fresh == cold
    if fmt == "json":
        lines = warm.splitlines()[1:-1]
        assert len(lines) == 3 * 13 and "caf\\\\xe9.txt" in warm
        results = [json.loads(line.rstrip(",")) for line in lines]
        assert {r["verdict"] for r in results} >= {"pass", "fail"}


def test_cache_clear_drops_the_kept_verdicts_of_the_version_before(tmp_path, monkeypatch):
    rules, pattern = backed_project(tmp_path, monkeypatch, 3)
    runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        conn.execute("CREATE TABLE verdicts (source TEXT, assertion TEXT, verdict TEXT, created REAL)")
        conn.execute("CREATE TABLE kept (source TEXT, assertion TEXT, verdict TEXT, PRIMARY KEY (source, assertion))")
    runner.cache_clear(cache=str(tmp_path / "cache.db"))
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert not {"verdicts", "kept"} & tables
        assert conn.execute("SELECT COUNT(*) FROM kept_cells").fetchone()[0] == 0


def test_a_block_stores_each_repeated_piece_once_and_gives_every_verdict_back():
    """`encode_block` cuts each `shown` before why, message and consensus, and between the
    reasons: a `consistent` assertion's dissenters and the reason naming them, the same on
    every source, are stored once; decoding gives each verdict back whole, and a source not
    evaluated stays None."""
    import zlib

    from factcheck.run.cache_kept import decode_block, encode_block, shown_pieces

    dissenters = tuple(f"{n:05}.txt" for n in range(300))
    consensus = f"The consensus of the sources is Russia; dissenting: {', '.join(dissenters)}."
    verdicts = [Verdict(FAIL if n % 2 else PASS, "Russia", "Turkey" if n % 2 else "Russia", EVIDENCE[:1],
                        consensus="Russia", dissenters=dissenters,
                        why=(f"a{n}.txt says {n}", consensus) if n % 2 else (f"Found {n}.",))
                for n in range(40)]
    block = [Kept.of(v, "a.txt") for v in verdicts] + [None, Kept.of(VERDICT, "a.txt")]
    data = zlib.decompress(encode_block(block))
    head = json.loads(data[:data.index(b"\n")])
    assert data.count(consensus.encode()) == 1 and data.count(b'"00299.txt"') == 1
    assert len(head["p"]) < 2 * 41  # the evidence and first reason of each, and the few pieces they share
    back = decode_block(data)
    assert [back.kept(i) for i in range(len(block))] == block
    assert [back.kept(i).verdict_of("a.txt") for i in range(40)] == verdicts
    for k in block:
        if k is not None:
            assert "".join(shown_pieces(k.shown)) == k.shown
    with pytest.raises((ValueError, KeyError, TypeError, IndexError)):
        decode_block(data[:-3])
