"""Verdicts kept across runs (`factcheck.run.verdicts`): after a rule edit, only the new or
changed assertions are evaluated; everything a verdict depends on is in its key; the kept
verdicts are those a fresh evaluation gives."""
from __future__ import annotations

import sqlite3

import pytest

from factcheck import engine
from factcheck.run import runner

from cache_fixtures import KB, backed_project

ADDED = "backers(LNA) includes any {Egypt, France}\n"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    rules, pattern = backed_project(tmp_path, monkeypatch, 12)
    return tmp_path, rules, pattern


def _counting(monkeypatch, name: str) -> list[str]:
    """The assertions engine.`name` is called with, in order, from now on."""
    seen: list[str] = []
    real = getattr(engine, name)

    def counting(assertion, *args, **kwargs):
        seen.append(assertion.text)
        return real(assertion, *args, **kwargs)

    monkeypatch.setattr(engine, name, counting)
    return seen


@pytest.fixture()
def evaluated(monkeypatch):
    """The assertions the engine evaluates, one entry per cell."""
    return _counting(monkeypatch, "evaluate")


def _cells(run) -> list[dict]:
    return [r.to_json() for r in run.results]


def test_after_a_rule_edit_only_the_new_assertion_is_evaluated(project, evaluated):
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    assert len(evaluated) == 2 * 12  # the two per-source assertions on every source
    evaluated.clear()
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write(ADDED)
    warm = runner.check([rules], [pattern], jobs=1)
    assert evaluated == [ADDED.strip()] * 12
    fresh = runner.check([rules], [pattern], jobs=1, no_cache=True)
    assert _cells(warm) == _cells(fresh)
    assert {"pass", "fail", "unknown"} <= {r.verdict for r in warm.results}


@pytest.mark.parametrize("change", ["knowledge base", "rename", "text", "skip"])
def test_what_a_verdict_depends_on_is_in_its_key(project, evaluated, change):
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    evaluated.clear()
    if change == "knowledge base":
        (root / "tiny.entities.yaml").write_text(KB + "  Egypt:\n    aliases: [Cairo]\n", encoding="utf-8")
    elif change == "rename":
        (root / "articles" / "a000.txt").rename(root / "articles" / "z000.txt")
    elif change == "text":
        (root / "articles" / "a001.txt").write_text("Egypt backs the LNA, officials said.\n", encoding="utf-8")
    else:
        text = (root / "tiny.fc").read_text(encoding="utf-8")
        (root / "tiny.fc").write_text(text.replace("backers(LNA) excludes Turkey",
                                                   '@skip "under review"\ntest "Turkey":\n    backers(LNA) excludes Turkey'),
                                      encoding="utf-8")
    warm = runner.check([rules], [pattern], jobs=1)
    expected = {"knowledge base": 24, "rename": 2, "text": 2, "skip": 12}[change]
    assert len(evaluated) == expected
    assert _cells(warm) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))


@pytest.mark.parametrize("column, damaged", [("shown", '"expected": "Russia", "found": null}'),
                                             ("row", '["pass"'), ("verdict", "passed"), ("checksum", "1")])
def test_a_damaged_verdict_is_a_miss_and_cache_clear_removes_verdicts(project, evaluated, column, damaged):
    """A kept verdict's text is spliced into the JSON report unread: a row whose checksum
    does not match its texts, or whose verdict word is not one, is evaluated again."""
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        conn.execute("DELETE FROM blocks")  # as after a change to another source: cell by cell
        source, assertion = conn.execute("SELECT source, assertion FROM kept_cells LIMIT 1").fetchone()
        conn.execute(f"UPDATE kept_cells SET {column} = ? WHERE source = ? AND assertion = ?", (damaged, source, assertion))
        assert conn.execute("SELECT COUNT(*) FROM kept_cells").fetchone()[0] == 24
    evaluated.clear()
    warm = runner.check([rules], [pattern], jobs=1)
    assert len(evaluated) == 1  # the one cell whose kept verdict is damaged
    assert _cells(warm) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))
    runner.cache_clear(cache=str(root / "cache.db"))
    with sqlite3.connect(root / "cache.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM kept_cells").fetchone()[0] == 0


def test_a_cache_of_before_kept_verdicts_is_read_and_written(project, evaluated):
    """A fact cache made before verdicts were kept has no `kept_cells` table: it is made on the
    first write, and a run on it evaluates everything once. The table of an earlier layout
    (`kept`, by source first, which only caches of schema 2 have) is dropped then."""
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        conn.execute("DROP TABLE kept_cells")
        conn.execute("DROP TABLE blocks")
        conn.execute("CREATE TABLE kept (source TEXT, assertion TEXT, verdict TEXT, PRIMARY KEY (source, assertion))")
        conn.execute("PRAGMA user_version=2")
    evaluated.clear()
    runner.check([rules], [pattern], jobs=1)
    assert len(evaluated) == 24
    with sqlite3.connect(root / "cache.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "kept" not in tables and "kept_cells" in tables
    evaluated.clear()
    runner.check([rules], [pattern], jobs=1)
    assert evaluated == []


def test_an_assertion_written_twice_is_kept_once_and_answered_twice(project, evaluated):
    root, rules, pattern = project
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write('test "again":\n    backers(LNA) includes Russia\n')
    first = runner.check([rules], [pattern], jobs=1)
    evaluated.clear()
    again = runner.check([rules], [pattern], jobs=1)
    assert evaluated == []
    assert _cells(again) == _cells(first)


@pytest.fixture()
def decided(monkeypatch):
    """The `consistent` assertions decided across sources, one entry per decision."""
    return _counting(monkeypatch, "evaluate_consistent")


@pytest.mark.parametrize("change", ["rule edit", "text", "removed", "added"])
def test_consistent_verdicts_are_kept_for_the_corpus_as_a_whole(project, decided, change):
    """A rule edit leaves the corpus as it was: `consistent` is not decided again. Any change
    to a source (its text, a source removed or added) decides it again, on every source."""
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    assert decided == ["consistent backers(LNA)"]
    decided.clear()
    if change == "rule edit":
        with open(rules, "a", encoding="utf-8") as fh:
            fh.write(ADDED)
    elif change == "text":
        (root / "articles" / "a001.txt").write_text("Egypt backs the LNA, officials said.\n", encoding="utf-8")
    elif change == "removed":
        (root / "articles" / "a004.txt").unlink()
    else:
        (root / "articles" / "a100.txt").write_text("Chad backs the LNA, officials said.\n", encoding="utf-8")
    warm = runner.check([rules], [pattern], jobs=1)
    assert decided == ([] if change == "rule edit" else ["consistent backers(LNA)"])
    assert _cells(warm) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))
    decided.clear()
    runner.check([rules], [pattern], jobs=1)
    assert decided == []


def test_a_source_failing_now_has_consistent_decided_again_without_it(project, decided, monkeypatch):
    """The kept `consistent` verdicts counted every source. When one of them fails this time
    (its cached facts gone, its extraction failing), they are decided again on the sources
    read, whose facts are read once more for it."""
    from factcheck.run import backends

    from cache_fixtures import CountingExtractor

    class FailingOnEgypt(CountingExtractor):
        def __call__(self, sources, request):
            for i, facts, error in super().__call__(sources, request):
                yield (i, None, "extraction failed") if sources[i].text.startswith("Egypt") else (i, facts, error)

    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        conn.execute("DELETE FROM facts WHERE key IN (SELECT key FROM fact_parts WHERE facts LIKE '%Egypt backs%')")
    monkeypatch.setattr(backends, "iter_extract", FailingOnEgypt())
    decided.clear()
    warm = runner.check([rules], [pattern], jobs=1)
    assert decided == ["consistent backers(LNA)"]
    fresh = runner.check([rules], [pattern], jobs=1, no_cache=True)
    assert _cells(warm) == _cells(fresh)
    egypt = {r.source for r in warm.results if r.verdict == "error"}
    assert len(egypt) == 2 and {r.verdict for r in warm.results if r.source not in egypt} >= {"pass", "fail"}


def test_a_run_whose_every_cell_is_kept_decodes_no_fact(project, evaluated, decided, monkeypatch):
    """Nothing to evaluate: the cache is asked which entries it holds, not for their facts."""
    from factcheck.run import cache

    root, rules, pattern = project
    cold = runner.check([rules], [pattern], jobs=1)
    decoded: list[str] = []
    real = cache.decode_entry
    monkeypatch.setattr(cache, "decode_entry", lambda *args: decoded.append(args[0]) or real(*args))
    evaluated.clear()
    decided.clear()
    warm = runner.check([rules], [pattern], jobs=1)
    assert evaluated == [] and decided == [] and decoded == []
    assert _cells(warm) == _cells(cold)


def test_a_run_on_the_same_corpus_reads_each_assertion_as_one_block(project, evaluated, decided):
    """After a rule edit (the corpus unchanged), the kept assertions come in blocks; a block
    that is damaged is a miss: its per-source verdicts come cell by cell, `consistent`
    (kept in blocks only) is decided again."""
    root, rules, pattern = project
    runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == 3
        conn.execute("DELETE FROM kept_cells")  # only the blocks can answer now
    evaluated.clear()
    decided.clear()
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write(ADDED)
    warm = runner.check([rules], [pattern], jobs=1)
    assert evaluated == [ADDED.strip()] * 12 and decided == []
    assert _cells(warm) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))
    with sqlite3.connect(root / "cache.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == 4
        conn.execute("UPDATE blocks SET cells = substr(cells, 1, length(cells) - 1)")  # every block damaged
    evaluated.clear()
    decided.clear()
    again = runner.check([rules], [pattern], jobs=1)
    # cell by cell now: the added assertion's cells were kept by the warm run, the first two's deleted above
    assert sorted(evaluated) == ["backers(LNA) excludes Turkey"] * 12 + ["backers(LNA) includes Russia"] * 12
    assert decided == ["consistent backers(LNA)"]
    assert _cells(again) == _cells(warm)


def test_a_block_too_large_is_not_kept(project, decided, monkeypatch):
    """A block over MAX_BLOCK_BYTES (its distinct pieces: the `consistent` one here, about
    2,400 bytes, the others about 1,500) is not kept: that assertion is read cell by cell, or
    decided again."""
    from factcheck.run import cache_kept

    monkeypatch.setattr(cache_kept, "MAX_BLOCK_BYTES", 2000)
    root, rules, pattern = project
    first = runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        kept = conn.execute("SELECT COUNT(*) FROM blocks").fetchone()[0]
    decided.clear()
    again = runner.check([rules], [pattern], jobs=1)
    assert kept == 2 and decided == ["consistent backers(LNA)"]  # the two per-source assertions' blocks fit
    assert _cells(again) == _cells(first)


class _TwoPredicates:
    """Extraction stand-in: each article's first word backs the LNA, its second leads it; the
    articles starting with `failing` cannot be read."""

    def __init__(self, failing: str | None = None) -> None:
        self.failing = failing

    def __call__(self, sources, request):
        from factcheck.model import Entity, Fact, Subject

        for i, src in enumerate(sources):
            if self.failing and src.text.startswith(self.failing):
                yield i, None, "extraction failed"
                continue
            first, second = src.text.split()[:2]
            line = src.text.split("\n")[0]
            yield i, [Fact("backers", Subject("entity", "LNA"), Entity(first), line, 0, 10),
                      Fact("leader", Subject("entity", "LNA"), Entity(second), line, 0, 10)], None


def test_a_source_failing_decides_every_consistent_assertion_again(tmp_path, monkeypatch):
    """One `consistent` assertion kept in a block, another new; a source fails: both are
    decided on the sources read, as a run without a cache decides them."""
    from factcheck.run import backends

    from cache_fixtures import write_project

    monkeypatch.setattr(backends, "iter_extract", _TwoPredicates())
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path / "cache.db"))
    articles = {f"a{i:03}.txt": f"{['Russia', 'Turkey', 'Egypt'][i % 3]} {['Haftar', 'Serraj'][i % 2]} backs the LNA.\n"
                for i in range(9)}
    rules, pattern = write_project(tmp_path, articles, 'use "tiny.entities.yaml"\n\nconsistent backers(LNA)\n')
    runner.check([rules], [pattern], jobs=1)
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write("consistent leader(LNA)\n")
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        conn.execute("UPDATE fact_parts SET facts = 'not facts' WHERE facts LIKE '%Egypt%'")
    monkeypatch.setattr(backends, "iter_extract", _TwoPredicates(failing="Egypt"))
    warm = runner.check([rules], [pattern], jobs=1)
    fresh = runner.check([rules], [pattern], jobs=1, no_cache=True)
    assert _cells(warm) == _cells(fresh)
    assert {r.verdict for r in warm.results if "leader" in r.assertion} >= {"pass", "error"}


def test_verdicts_given_while_a_linker_raised_are_not_kept(tmp_path, monkeypatch):
    from factcheck.kb.store import KnowledgeBase

    rules, pattern = backed_project(tmp_path, monkeypatch, 5, 'use "tiny.entities.yaml"\n\nbackers(LNA) includes Russia\n')
    real = KnowledgeBase.subject_matches

    def down(self, *args, **kwargs):
        raise RuntimeError("the linker is down")

    monkeypatch.setattr(KnowledgeBase, "subject_matches", down)
    assert {r.verdict for r in runner.check([rules], [pattern], jobs=1).results} == {"error"}
    monkeypatch.setattr(KnowledgeBase, "subject_matches", real)
    with open(rules, "a", encoding="utf-8") as fh:
        fh.write("backers(LNA) excludes Turkey\n")
    warm = runner.check([rules], [pattern], jobs=1)
    assert _cells(warm) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))
    assert "error" not in {r.verdict for r in warm.results}


def test_blocks_used_stay_and_old_versions_of_an_assertion_go(project, monkeypatch, evaluated, decided):
    """An assertion edited again and again leaves a block a version; a corpus keeps only its
    freshest blocks, and the blocks a run reads count as fresh."""
    from factcheck.run import verdicts

    root, rules, pattern = project
    monkeypatch.setattr(verdicts, "MIN_BLOCKS", 4)
    monkeypatch.setattr(verdicts, "BLOCKS_PER_ASSERTION", 1)  # 4 blocks a corpus
    text = (root / "tiny.fc").read_text(encoding="utf-8")
    runner.check([rules], [pattern], jobs=1)  # three blocks
    for country in ("Chad", "Niger", "Sudan"):
        (root / "tiny.fc").write_text(text + f"backers(LNA) excludes {country}\n", encoding="utf-8")
        runner.check([rules], [pattern], jobs=1)
    with sqlite3.connect(root / "cache.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] == 4  # the rules' three and Sudan's
    (root / "tiny.fc").write_text(text, encoding="utf-8")
    with sqlite3.connect(root / "cache.db") as conn:
        conn.execute("DELETE FROM kept_cells")  # only blocks can answer
    evaluated.clear()
    decided.clear()
    first = runner.check([rules], [pattern], jobs=1)
    assert evaluated == [] and decided == []  # the rules' three blocks were kept: they were read on every run
    assert _cells(first) == _cells(runner.check([rules], [pattern], jobs=1, no_cache=True))
