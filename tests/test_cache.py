"""The fact cache: what invalidates an entry, what does not, and how a broken cache is survived."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factcheck.extract import ExtractionRequest
from factcheck.run import cache as cache_mod
from factcheck.run import backends as cluster
from factcheck.run import runner
from factcheck.run import cache_format, cache_keys
from factcheck.run.cache import FactCache, cache_info, clear_cache, resolve_path
from factcheck.run.cache_keys import extraction_context
from factcheck.config import Config
from factcheck.kb.store import load_kb
from factcheck.model import Entity, Fact, Source, Subject

from cache_fixtures import KB, CountingExtractor, write_project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def counting(monkeypatch):
    fake = CountingExtractor()
    monkeypatch.setattr(cluster, "iter_extract", fake)
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    monkeypatch.delenv("FACTCHECK_SCHEDULER", raising=False)
    return fake


@pytest.fixture()
def kb(tmp_path):
    path = tmp_path / "kb.yaml"
    path.write_text(KB, encoding="utf-8")
    return load_kb([str(path)])


def _sources() -> list[Source]:
    return [Source("a.txt", "a.txt", "Russia backs the LNA.", published=dt.date(2020, 1, 14)),
            Source("b.txt", "b.txt", "Turkey backs the GNA.", published=dt.date(2020, 1, 14))]


def _fact(name: str) -> Fact:
    return Fact("backers", Subject("entity", "LNA"), Entity(name), "x", 0, 1)


def _run(sources, kb, db, counting, model="en_core_web_sm", heads=()):
    counting.calls.clear()
    with FactCache(str(db)) as c:
        facts, errors = runner.extract_all(sources, ExtractionRequest(kb, model, heads), cache=c)
    assert errors == {}
    return facts, list(counting.calls)


# --------------------------------------------------------------------------- hits and misses


def test_second_run_reads_nothing_and_returns_the_same_facts(tmp_path, kb, counting):
    first, calls = _run(_sources(), kb, tmp_path / "c.db", counting)
    assert calls == ["a.txt", "b.txt"]
    again, calls = _run(_sources(), kb, tmp_path / "c.db", counting)
    assert calls == []
    assert again == first and list(again) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("change", [
    lambda s: dataclasses.replace(s, text=s.text + " More."),
    lambda s: dataclasses.replace(s, published=dt.date(2020, 1, 15)),
    lambda s: dataclasses.replace(s, outlet="Reuters"),
    lambda s: dataclasses.replace(s, url="https://example.org/a"),
    lambda s: dataclasses.replace(s, language="de"),
    lambda s: dataclasses.replace(s, meta=(("section", "world"),)),
], ids=["text", "published", "outlet", "url", "language", "meta"])
def test_a_changed_article_or_its_metadata_is_read_again_alone(tmp_path, kb, counting, change):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    a, b = _sources()
    _, calls = _run([change(a), b], kb, tmp_path / "c.db", counting)
    assert calls == ["a.txt"]


def test_a_renamed_file_keeps_its_facts(tmp_path, kb, counting):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    a, b = _sources()
    facts, calls = _run([dataclasses.replace(a, name="renamed.txt", path="x/renamed.txt"), b], kb,
                        tmp_path / "c.db", counting)
    assert calls == [] and list(facts) == ["renamed.txt", "b.txt"]


def test_another_knowledge_base_misses(tmp_path, kb, counting):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    other = tmp_path / "other.yaml"
    other.write_text(KB + "  Egypt: {}\n", encoding="utf-8")
    _, calls = _run(_sources(), load_kb([str(other)]), tmp_path / "c.db", counting)
    assert calls == ["a.txt", "b.txt"]


def test_the_same_knowledge_base_in_another_file_hits(tmp_path, kb, counting):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    copy = tmp_path / "copy.yaml"
    copy.write_text("# a comment\n" + KB, encoding="utf-8")
    _, calls = _run(_sources(), load_kb([str(copy)]), tmp_path / "c.db", counting)
    assert calls == []


def test_other_extra_event_heads_miss(tmp_path, kb, counting):
    _run(_sources(), kb, tmp_path / "c.db", counting, heads=["summit"])
    assert _run(_sources(), kb, tmp_path / "c.db", counting, heads=["summit"])[1] == []
    assert _run(_sources(), kb, tmp_path / "c.db", counting, heads=["summit", "talks"])[1] == ["a.txt", "b.txt"]


def test_another_model_name_misses(tmp_path, kb, counting):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    _, calls = _run(_sources(), kb, tmp_path / "c.db", counting, model="en_core_web_md")
    assert calls == ["a.txt", "b.txt"]


@pytest.mark.parametrize("part", ["model_version", "extractor_version", "code_digest"])
def test_a_new_model_version_extractor_version_or_code_misses(tmp_path, kb, counting, monkeypatch, part):
    _run(_sources(), kb, tmp_path / "c.db", counting)
    original = getattr(cache_keys, part)
    monkeypatch.setattr(cache_keys, part, lambda *a: original(*a) + "-changed")
    _, calls = _run(_sources(), kb, tmp_path / "c.db", counting)
    assert calls == ["a.txt", "b.txt"]


def test_settings_are_part_of_the_key(kb):
    base = extraction_context(kb.digest(), "en_core_web_sm", (), {"ner": True})
    assert extraction_context(kb.digest(), "en_core_web_sm", (), {"ner": True}) == base
    assert extraction_context(kb.digest(), "en_core_web_sm", (), {"ner": False}) != base
    assert extraction_context(kb.digest(), "en_core_web_sm", ["summit"], {"ner": True}) != base


def test_code_digest_covers_extraction_code_and_pattern_data(tmp_path, monkeypatch):
    for rel in ("extract/__init__.py", "extract/patterns.yaml", "kb/data/kinds.yaml", "kb/store.py", "kb/names.py",
                "kb/gazetteer.py", "cli.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(cache_keys, "PACKAGE_DIR", tmp_path)
    digest = cache_keys.code_digest.__wrapped__
    base = digest()
    for rel in ("extract/__init__.py", "extract/patterns.yaml", "kb/data/kinds.yaml", "kb/store.py", "kb/names.py",
                "kb/gazetteer.py"):
        (tmp_path / rel).write_text("x = 2\n", encoding="utf-8")
        assert digest() != base, rel
        (tmp_path / rel).write_text("x = 1\n", encoding="utf-8")
        assert digest() == base
    (tmp_path / "cli.py").write_text("changed = True\n", encoding="utf-8")
    assert digest() == base  # the command line does not change facts


def test_extractor_version_is_read_without_importing_spacy():
    code = ("import sys; from factcheck.run import cache, cache_keys; v = cache_keys.extractor_version(); "
            "print(v, 'spacy' in sys.modules, 'factcheck.extract.pipeline' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    from factcheck.extract import EXTRACTOR_VERSION

    assert out == [EXTRACTOR_VERSION, "False", "False"]


def test_changing_only_the_rules_reads_no_article_again(tmp_path, counting):
    rules, sources = write_project(tmp_path)
    db = str(tmp_path / "c.db")
    first = runner.check([rules], [sources], cache=db)
    assert sorted(counting.calls) == ["a.txt", "b.txt", "c.txt"]
    assert {r.source: r.verdict for r in first.results} == {"a.txt": "pass", "b.txt": "unknown", "c.txt": "unknown"}
    Path(rules).write_text('use "tiny.entities.yaml"\n\nbackers(LNA) includes Turkey\nbackers(LNA) excludes Egypt\n',
                           encoding="utf-8")
    counting.calls.clear()
    second = runner.check([rules], [sources], cache=db)
    assert counting.calls == []
    assert {(r.source, r.assertion): r.verdict for r in second.results}[("b.txt", "backers(LNA) includes Turkey")] == "pass"


def test_failures_are_not_cached(tmp_path, kb, monkeypatch):
    calls = []

    def flaky(sources, request):
        for i, s in enumerate(sources):
            calls.append(s.name)
            yield (i, None, f"{s.path}: extraction failed: boom") if s.name == "a.txt" else (i, [_fact("X")], None)

    monkeypatch.setattr(cluster, "iter_extract", flaky)
    with FactCache(str(tmp_path / "c.db")) as c:
        facts, errors = runner.extract_all(_sources(), ExtractionRequest(kb, "en_core_web_sm"), cache=c)
        assert list(facts) == ["b.txt"] and errors == {"a.txt": "a.txt: extraction failed: boom"}
        runner.extract_all(_sources(), ExtractionRequest(kb, "en_core_web_sm"), cache=c)
    assert calls == ["a.txt", "b.txt", "a.txt"]


def test_no_cache_reads_every_time(tmp_path, counting):
    rules, sources = write_project(tmp_path)
    runner.check([rules], [sources], cache=str(tmp_path / "c.db"))
    counting.calls.clear()
    runner.check([rules], [sources], cache=str(tmp_path / "c.db"), no_cache=True)
    assert len(counting.calls) == 3


# --------------------------------------------------------------------------- where the cache lives


def test_cache_location_precedence(monkeypatch):
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    assert resolve_path(None) == os.path.join(".factcheck", "cache.db")
    assert resolve_path("/p/config.db") == "/p/config.db"
    monkeypatch.setenv("FACTCHECK_CACHE", "/env.db")
    assert resolve_path("/p/config.db") == "/env.db"
    assert resolve_path("/p/config.db", explicit="/cli.db") == "/cli.db"
    assert resolve_path("/p/config.db", explicit="/cli.db", no_cache=True) is None
    monkeypatch.setenv("FACTCHECK_CACHE", "off")
    assert resolve_path("/p/config.db") is None


def test_config_cache_false_turns_it_off_unless_a_path_is_given(monkeypatch):
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    assert runner.cache_path(Config(no_cache=True)) is None
    assert runner.cache_path(Config(no_cache=True), cache="/x.db") == "/x.db"
    assert runner.cache_path(Config(cache="/c.db")) == "/c.db"


# --------------------------------------------------------------------------- info and clear


def test_info_and_clear(tmp_path):
    db = str(tmp_path / "sub" / "c.db")
    assert cache_info(db).entries == 0 and not cache_info(db).exists
    with FactCache(db) as c:
        c.put_many([("k1", [_fact("A")]), ("k2", [_fact("B"), _fact("C")])])
    info = cache_info(db)
    assert (info.path, info.exists, info.entries) == (db, True, 2) and info.size > 0
    assert clear_cache(db) == 2
    assert cache_info(db).entries == 0


def test_runner_cache_commands_follow_the_config(tmp_path, monkeypatch):
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([("k", [_fact("A")])])
    assert runner.cache_info(Config(cache=db)).entries == 1
    assert runner.cache_clear(Config(cache=db)) == 1
    assert runner.cache_info(Config(no_cache=True)).entries == 0


def test_facts_round_trip_through_the_cache(tmp_path):
    facts = [Fact("date", Subject("event", "berlin summit", "summit", ("Berlin",), "the Berlin summit"),
                  Entity("Berlin"), "The summit.", 3, 14, polarity=False, hedged=True, resolution="tense")]
    with FactCache(str(tmp_path / "c.db")) as c:
        c.put_many([("k", facts)])
        assert c.get_many(["k", "missing"]) == {"k": facts}


def test_only_some_predicates_are_read_out_of_each_entry(tmp_path):
    """`get_many(only=...)` decodes just those predicates' parts of each entry (non-ASCII text
    included): the same facts, in the same order, as decoding the whole entry and keeping
    theirs; a damaged entry is a miss."""
    def fact(predicate: str, k: int) -> Fact:
        return Fact(predicate, Subject("entity", "LNA"), Entity(f"Caf\u00e9 \u201c{k}\u201d \U0001f600"),
                    f"Sentence {k} \u2014 na\u00efve.", k, k + 5)

    facts = [fact(p, k) for k, p in enumerate(["backers", "date", "mentions", "backers", "date", "leader"] * 3)]
    entries = [(f"k{i}", facts[i % 5:]) for i in range(300)]  # more than one SQL statement's worth
    with FactCache(str(tmp_path / "c.db")) as c:
        c.put_many(entries)
        for only in ({"backers"}, {"date", "backers"}, {"leader", "mentions", "date"}, {"absent"}):
            wanted = frozenset(only)
            got = c.get_many([k for k, _ in entries] + ["missing"], wanted)
            assert got == {k: [f for f in fs if f.predicate in wanted] for k, fs in entries}
            assert got["k7"] == cache_format.decode_entry(*cache_format.encode_entry(entries[7][1]), wanted)
    with sqlite3.connect(tmp_path / "c.db") as conn:
        conn.execute("UPDATE facts SET facts = 'no header' WHERE key = 'k1'")
        conn.execute("UPDATE fact_parts SET facts = substr(facts, 1, length(facts) - 4) WHERE key = 'k2' "
                     "AND predicate = 'leader'")
        conn.execute("DELETE FROM fact_parts WHERE key = 'k3' AND predicate = 'backers'")
        conn.execute("DELETE FROM fact_parts WHERE key = 'k4' AND predicate = 'mentions'")  # not asked for
    with FactCache(str(tmp_path / "c.db")) as c:
        got = c.get_many(["k0", "k1", "k2", "k3", "k4"], frozenset({"backers", "leader"}))
        assert set(got) == {"k0", "k4"}  # a header or a part asked for that is damaged or missing: a miss
        assert got["k0"] == [f for f in entries[0][1] if f.predicate in ("backers", "leader")]


# --------------------------------------------------------------------------- broken caches


def _warnings():
    lines: list[str] = []
    return lines, lines.append


def _works(db: str, warn) -> None:
    c = FactCache(db, warn)
    assert c.get_many(["k"]) == {}
    c.put_many([("k", [_fact("A")])])
    assert c.get_many(["k"]) == {"k": [_fact("A")]}
    c.close()


def test_garbage_bytes_are_left_untouched_with_one_warning(tmp_path):
    db = tmp_path / "c.db"
    garbage = os.urandom(4096) + b"not sqlite at all" * 100
    db.write_bytes(garbage)
    lines, warn = _warnings()
    c = FactCache(str(db), warn)
    c.put_many([("k", [_fact("A")])])
    assert c.get_many(["k"]) == {}
    c.close()
    assert lines == [f"factcheck: warning: the fact cache path {db} is not used (it is not a factcheck cache; "
                     "it is left untouched); running without it"]
    assert db.read_bytes() == garbage


def test_a_truncated_cache_is_survived(tmp_path):
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([(f"k{i}", [_fact("A" * 500)] * 20) for i in range(200)])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(db)
    with open(db, "r+b") as fh:
        fh.truncate(size // 3)
    lines, warn = _warnings()
    c = FactCache(db, warn)
    got = c.get_many([f"k{i}" for i in range(200)])
    assert len(got) < 200  # what is lost is recomputed
    c.put_many([("new", [_fact("B")])])
    assert c.get_many(["new"]) == {"new": [_fact("B")]}
    c.close()
    assert len(lines) == 1 and lines[0].endswith("is unreadable (database disk image is malformed); rebuilding it")


def test_an_empty_file_is_not_taken(tmp_path):
    db = tmp_path / "c.db"
    db.write_bytes(b"")
    lines, warn = _warnings()
    with FactCache(str(db), warn) as c:
        c.put_many([("k", [_fact("A")])])
    assert len(lines) == 1 and "it is not a factcheck cache (an empty file)" in lines[0]
    assert db.read_bytes() == b""


def test_an_unwritable_location_is_bypassed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    db = str(blocker / "cache.db")
    lines, warn = _warnings()
    c = FactCache(db, warn)
    assert c.get_many(["k"]) == {}
    c.put_many([("k", [_fact("A")])])
    assert c.get_many(["k"]) == {}
    assert len(lines) == 1 and lines[0].startswith(f"factcheck: warning: the fact cache at {db} is unusable (")


def test_a_read_only_cache_of_an_earlier_schema_is_read_as_it_is(tmp_path, monkeypatch):
    """Its entries cannot be dropped (nor do they match): looking up is no failure."""
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([("k", [_fact("A")])])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version=2")
    conn.close()
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda path, *a, **kw: real(f"file:{path}?mode=ro", *a, uri=True, **kw))
    lines, warn = _warnings()
    with FactCache(db, warn) as c:
        assert c.get_many(["k"]) == {"k": [_fact("A")]} and lines == []  # (a real old entry would not decode)
    monkeypatch.setattr(sqlite3, "connect", real)
    with FactCache(db) as c:  # writable again: dropped once
        assert c.get_many(["k"]) == {}


def test_a_read_only_database_is_bypassed(tmp_path, monkeypatch):
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([("k", [_fact("A")])])
    real = sqlite3.connect

    def read_only(path, *args, **kwargs):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    lines, warn = _warnings()
    c = FactCache(db, warn)
    c.put_many([("k2", [_fact("B")])])
    c.close()
    assert len(lines) == 1 and "unusable" in lines[0] and "readonly" in lines[0].replace("-", "").replace(" ", "")
    monkeypatch.setattr(sqlite3, "connect", real)
    with FactCache(db) as again:  # the file was left alone
        assert again.get_many(["k", "k2"]) == {"k": [_fact("A")]}


def test_a_lock_that_never_clears_is_bypassed(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(cache_mod, "RETRIES", 1)
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([("k", [_fact("A")])])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        lines, warn = _warnings()
        c = FactCache(db, warn)
        c.put_many([("k2", [_fact("B")])])
        c.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(lines) == 1 and "locked" in lines[0]


def test_a_broken_cache_never_breaks_a_run(tmp_path, counting, capsys):
    rules, sources = write_project(tmp_path)
    db = tmp_path / "c.db"
    db.write_bytes(b"\x00garbage" * 1000)
    run = runner.check([rules], [sources], cache=str(db))
    assert len(run.results) == 3
    err = capsys.readouterr().err
    assert err.count("factcheck: warning: the fact cache path") == 1 and "left untouched" in err
    assert db.read_bytes() == b"\x00garbage" * 1000


# --------------------------------------------------------------------------- processes


WRITER = textwrap.dedent("""
    import sys
    from factcheck.run.cache import FactCache
    from factcheck.model import Entity, Fact, Subject
    db, tag = sys.argv[1], sys.argv[2]
    c = FactCache(db)
    for i in range(150):
        c.put_many([(f"{tag}{i}", [Fact("backers", Subject("entity", "LNA"), Entity(tag), "s", 0, 1)])])
        assert f"{tag}{i}" in c.get_many([f"{tag}{i}"])
    c.close()
""")


def test_two_processes_writing_at_once(tmp_path):
    db = str(tmp_path / "c.db")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, tag], stderr=subprocess.PIPE, text=True)
             for tag in ("x", "y")]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert errs == ["", ""]
    with FactCache(db) as c:
        got = c.get_many([f"{t}{i}" for t in "xy" for i in range(150)])
    assert len(got) == 300 and got["y7"][0].value == Entity("y")


CACHED_RUN = textwrap.dedent("""
    import sys
    from factcheck.run import runner
    run = runner.check([sys.argv[1]], [sys.argv[2]], cache=sys.argv[3])
    print(len(run.results), sorted({str(r.verdict) for r in run.results}))
    print("spacy" in sys.modules, "factcheck.extract.pipeline" in sys.modules)
""")


def test_a_fully_cached_check_never_imports_spacy(tmp_path, counting):
    rules, sources = write_project(tmp_path)
    db = str(tmp_path / "c.db")
    runner.check([rules], [sources], cache=db)  # fills the cache (fake extraction, real keys)
    out = subprocess.run([sys.executable, "-c", CACHED_RUN, rules, sources, db], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "FACTCHECK_CACHE": db})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["3 ['pass', 'unknown']", "False False"]


def test_get_many_decodes_only_the_predicates_asked_for(tmp_path):
    from factcheck.run.cache import FactCache
    from factcheck.model import Entity, Fact, Subject

    facts = [Fact("mentions", Subject("entity", "Chad"), True, "Chad.", 0, 5),
             Fact("backers", Subject("entity", "RSF"), Entity("Chad"), "Chad backs the RSF.", 6, 24)]
    with FactCache(str(tmp_path / "c.db")) as cache:
        cache.put_many([("k", facts)])
        assert cache.get_many(["k"])["k"] == facts
        assert cache.get_many(["k"], frozenset({"backers"}))["k"] == facts[1:]


def test_an_entry_decodes_only_the_predicates_asked_for_in_extraction_order(tmp_path):
    def fact(predicate, name):
        return Fact(predicate, Subject("entity", "LNA"), Entity(name), f"{name} backs it.", 0, 10)

    facts = [fact("mentions", "A"), fact("backers", "B"), fact("date", "C"), fact("backers", "D"),
             fact("mentions", "E"), fact("date", "F")]
    header, parts = cache_format.encode_entry(facts)
    assert cache_format.decode_entry(header, parts) == facts
    assert cache_format.decode_entry(header, parts, frozenset({"backers"})) == [facts[1], facts[3]]
    assert cache_format.decode_entry(header, parts, frozenset({"date", "backers"})) == [facts[1], facts[2], facts[3],
                                                                                       facts[5]]
    assert cache_format.decode_entry(header, parts, frozenset({"leader"})) == []
    assert cache_format.decode_entry(*cache_format.encode_entry([])) == []
    # a part per predicate: `mentions` is neither read nor parsed for `backers`
    assert cache_format.decode_entry(header, {"backers": parts["backers"]}, frozenset({"backers"})) == [facts[1],
                                                                                                        facts[3]]
    assert header == '{"p":["mentions","backers","date"],"o":[0,1,2,1,0,2]}' and sorted(parts) == sorted(
        ["mentions", "backers", "date"])
    with pytest.raises(KeyError):
        cache_format.decode_entry(header, {"backers": parts["backers"]}, frozenset({"date"}))
    with FactCache(str(tmp_path / "c.db")) as c:
        c.put_many([("k", facts)])
        assert c.get_many(["k"], frozenset({"date"})) == {"k": [facts[2], facts[5]]}
        assert c.get_many(["k"]) == {"k": facts}


def test_an_entry_in_an_older_format_is_a_miss_not_a_crash(tmp_path):
    db = str(tmp_path / "c.db")
    with FactCache(db) as c:
        c.put_many([("k", [_fact("A")])])
    with sqlite3.connect(db) as conn:  # schema 1 stored a bare JSON list of facts
        conn.execute("UPDATE facts SET facts = '[{\"p\": \"date\"}]' WHERE key = 'k'")
    with FactCache(db) as c:
        assert c.get_many(["k"]) == {}


def test_a_comparator_plugin_swapped_changes_every_verdicts_key():
    """The plugin host wraps every comparator alike (`KeptComparator`): the key names the
    plugin, the comparator's own class and the digest of the file that defines it."""
    from factcheck.plugin.calls import KeptComparator

    class Lenient:
        pass

    class Strict:
        pass

    def context(plugin: str, comparator: object) -> str:
        return cache_keys.evaluation_context({}, {"date": KeptComparator(None, plugin, comparator)})  # type: ignore[arg-type]

    assert context("dates", Lenient()) == context("dates", Lenient())
    assert context("dates", Lenient()) != context("dates", Strict())
    assert context("dates", Lenient()) != context("other-dates", Lenient())
