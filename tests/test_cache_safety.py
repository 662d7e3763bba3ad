"""The fact cache never deletes, truncates or alters what it did not create.

Each case points the cache (by --cache, $FACTCHECK_CACHE or the config's `cache:`) at
something that is not a factcheck cache, runs the real command line, and asserts the one
warning, the exit code, no traceback, that every source is still checked, and that the
thing at the path is byte for byte as it was. Then the cases of factcheck's own database:
a newer schema is refused, a failing constraint is not a reason to wipe it, a poisoned
entry is a miss, and a corrupt one is replaced by a new file renamed over it.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.run.cache import FactCache
from factcheck.run.cache_file import APPLICATION_ID, NotOurs, identify
from factcheck.run.cache_keys import CACHE_SCHEMA
from factcheck.model import Fact, Subject

RULES = 'use "kb.entities.yaml"\ndate(Geneva conference) == 2021-03-04\nmentions(Portugal)\n'
KB = "events:\n  Geneva conference:\n    kind: conference\n    place: Geneva\n"
ARTICLES = {
    "a.txt": "The Geneva conference opened on 4 March 2021, officials from Portugal said.\n",
    "b.txt": "Delegates flew from Portugal to the Geneva conference on 4 March 2021.\n",
}
CHECK = ["check", "checks.fc", "--sources", "*.txt", "--format", "json", "--jobs", "1"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "checks.fc").write_text(RULES, encoding="utf-8")
    (tmp_path / "kb.entities.yaml").write_text(KB, encoding="utf-8")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    return tmp_path


def _run(capsys, argv):
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _checked(out: str) -> set[str]:
    return {r["source"] for r in json.loads(out)["results"]}


def _snapshot(path: Path) -> bytes:
    return path.read_bytes()


def _another_apps_db(path: Path, app_id: int = 0) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
        if app_id:
            conn.execute(f"PRAGMA application_id={app_id}")
    conn.close()


WAYS = {
    "flag": lambda path, mp: ["--cache", str(path)],
    "env": lambda path, mp: mp.setenv("FACTCHECK_CACHE", str(path)) or [],
    "config": lambda path, mp: Path("factcheck.yaml").write_text(f"cache: {path.name}\n", encoding="utf-8") and [],
}


@pytest.mark.nlp
@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_text_file_at_the_cache_path_is_left_untouched(project, capsys, monkeypatch, way):
    notes = project / "notes.txt.bak"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    before = _snapshot(notes)
    code, out, err = _run(capsys, CHECK + WAYS[way](notes, monkeypatch))
    assert code == 0
    assert err.count("\n") == 1 and "the fact cache path" in err and "is not used (it is not a factcheck cache; " \
        "it is left untouched); running without it" in err
    assert _checked(out) == {"a.txt", "b.txt"}
    assert _snapshot(notes) == before


@pytest.mark.nlp
def test_a_typo_naming_the_rule_file_keeps_the_rule_file(project, capsys):
    before = _snapshot(project / "checks.fc")
    code, out, err = _run(capsys, CHECK + ["--cache", "checks.fc"])
    assert code == 0 and "checks.fc is not used (it is not a factcheck cache" in err
    assert _snapshot(project / "checks.fc") == before
    assert _checked(out) == {"a.txt", "b.txt"}


@pytest.mark.parametrize("action", ["info", "clear"])
def test_cache_commands_leave_a_foreign_file_alone(project, capsys, action):
    notes = project / "notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    code, out, err = _run(capsys, ["cache", action, "--cache", "notes.txt"])
    assert code == 0
    assert notes.read_text(encoding="utf-8") == "keep me\n"
    if action == "info":
        assert "entries: 0" in out and "not used: it is not a factcheck cache" in out
    else:
        assert out == "removed 0 entries\n" and "is not used (it is not a factcheck cache" in err


@pytest.mark.nlp
def test_a_directory_and_a_fifo_are_named_and_left(project, capsys):
    folder = project / "adir"
    folder.mkdir()
    (folder / "inside.txt").write_text("x", encoding="utf-8")
    code, out, err = _run(capsys, CHECK + ["--cache", "adir"])
    assert code == 0 and "(it is a directory; it is left untouched)" in err
    assert (folder / "inside.txt").read_text(encoding="utf-8") == "x" and _checked(out) == {"a.txt", "b.txt"}
    os.mkfifo(project / "pipe")
    code, out, err = _run(capsys, CHECK + ["--cache", "pipe"])
    assert code == 0 and "(it is a named pipe (FIFO); it is left untouched)" in err
    assert stat.S_ISFIFO(os.stat(project / "pipe").st_mode)


def test_a_character_device_is_never_opened_as_a_cache():
    with pytest.raises(NotOurs, match="it is a device"):
        identify("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.nlp
@pytest.mark.parametrize("app_id", [0, 0x12345678])
def test_another_applications_sqlite_file_gets_no_table_and_no_wal(project, capsys, app_id):
    db = project / "other.db"
    _another_apps_db(db, app_id)
    before = _snapshot(db)
    code, out, err = _run(capsys, CHECK + ["--cache", "other.db"])
    assert code == 0 and "(it is another application's SQLite database; it is left untouched)" in err
    assert _snapshot(db) == before and not (project / "other.db-wal").exists()
    assert _checked(out) == {"a.txt", "b.txt"}


def _own_cache(path: Path) -> None:
    with FactCache(str(path)) as c:
        c.put_many([("k", [_fact()])])


def _fact() -> Fact:
    return Fact("mentions", Subject("entity", "Lisbon"), True, "a.txt", 0, 6, "Lisbon")


@pytest.mark.nlp
def test_a_cache_of_a_newer_schema_is_refused_not_wiped(project, capsys):
    db = project / "newer.db"
    _own_cache(db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version={int(CACHE_SCHEMA) + 7}")
    conn.close()
    before = _snapshot(db)
    code, out, err = _run(capsys, CHECK + ["--cache", "newer.db"])
    assert code == 0 and f"written by a newer factcheck (cache schema {int(CACHE_SCHEMA) + 7}" in err
    assert _snapshot(db) == before and _checked(out) == {"a.txt", "b.txt"}


@pytest.mark.nlp
def test_a_failing_constraint_is_not_a_reason_to_wipe(project, capsys):
    db = project / "strict.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={CACHE_SCHEMA}")
        conn.execute("CREATE TABLE facts (key TEXT PRIMARY KEY, facts TEXT NOT NULL CHECK (length(facts) < 3), "
                     "created REAL NOT NULL)")
        conn.execute("INSERT INTO facts VALUES ('kept', 'xy', 0)")
    conn.close()
    code, out, err = _run(capsys, CHECK + ["--cache", "strict.db"])
    assert code == 0 and "CHECK constraint failed" in err and _checked(out) == {"a.txt", "b.txt"}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT key, facts FROM facts").fetchall() == [("kept", "xy")]
    conn.close()


@pytest.mark.nlp
def test_a_poisoned_entry_is_a_miss(project, capsys):
    code, out, err = _run(capsys, CHECK + ["--cache", "c.db"])
    assert code == 0 and err == ""
    clean = json.loads(out)["results"]
    deep = "[" * 100_000 + "]" * 100_000
    with sqlite3.connect(project / "c.db") as conn:
        conn.execute("UPDATE fact_parts SET facts = ?", (deep,))
        conn.execute("DELETE FROM blocks")  # else the kept verdicts answer every cell: no fact is read
        conn.execute("DELETE FROM kept_cells")
    conn.close()
    code, out, err = _run(capsys, CHECK + ["--cache", "c.db"])
    assert code == 0 and err == "" and json.loads(out)["results"] == clean


def test_a_new_cache_is_made_beside_and_marked_as_ours(project):
    db = project / "fresh" / "c.db"
    _own_cache(db)
    header = db.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == int(CACHE_SCHEMA)
    assert sorted(p.name for p in db.parent.iterdir() if not p.name.startswith("c.db")) == []  # no temp left


def test_a_cache_of_an_earlier_schema_drops_its_entries_once(project):
    """Its entries' keys hold the schema: never read again, they are deleted on first use
    (and the verdicts and sources kept beside them), and the file is marked as of this schema."""
    db = project / "older.db"
    _own_cache(db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version=2")
        conn.execute("INSERT INTO facts VALUES ('old', '{\"p\": {}}', 0)")
        conn.execute("CREATE TABLE kept (source TEXT, assertion TEXT)")
    conn.close()
    with FactCache(str(db)) as c:
        assert c.get_many(["old"]) == {}
        c.put_many([("k", [_fact()])])
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == int(CACHE_SCHEMA)
        assert [k for (k,) in conn.execute("SELECT key FROM facts")] == ["k"]
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'kept'").fetchone() is None
    conn.close()
    with FactCache(str(db)) as c:
        assert c.get_many(["k"]) == {"k": [_fact()]}  # deleted once only


def test_a_cache_of_an_earlier_version_is_adopted(project):
    db = project / "legacy.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE facts (key TEXT PRIMARY KEY, facts TEXT NOT NULL, created REAL NOT NULL)")
    conn.close()
    lines: list[str] = []
    with FactCache(str(db), lines.append) as c:
        c.put_many([("k", [_fact()])])
        assert c.get_many(["k"]) == {"k": [_fact()]}
    assert lines == [] and identify(str(db)) == "ours"


def test_a_corrupt_cache_of_our_own_is_replaced_by_a_renamed_new_file(project):
    db = project / "c.db"
    _own_cache(db)
    data = bytearray(db.read_bytes())
    data[100:] = b"\xee" * (len(data) - 100)  # the header (ours) intact, every page garbage
    db.write_bytes(bytes(data))
    inode = os.stat(db).st_ino
    lines: list[str] = []
    with FactCache(str(db), lines.append) as c:
        assert c.get_many(["k"]) == {}
        c.put_many([("k2", [_fact()])])
        assert c.get_many(["k2"]) == {"k2": [_fact()]}
    assert len(lines) == 1 and "rebuilding it" in lines[0]
    assert os.stat(db).st_ino != inode  # a new file, renamed into place
