"""Sources remembered by their files' stamps (`factcheck.sources.memo`, the fact cache's
`sources_read`): a run reads again only the files that changed, and a source recalled is the
source a fresh reading gives."""
from __future__ import annotations

import os
import sqlite3
import time

import pytest

from factcheck.run.cache import FactCache
from factcheck.sources import files, memo
from factcheck.sources.files import read_all

ARTICLES = {
    "a.txt": "---\npublished: 2020-01-14\noutlet: Wire\n---\nRussia backs the LNA,\u00a0officials said.\n",
    "b.txt": "<html><body><p>Turkey backs the GNA.</p></body></html>\n",
    "caf\udce9.txt": "Egypt backs the LNA \u201cfirmly\u201d.\n",
}


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """Articles whose stamps count as settled (RACY_SECONDS below zero); `reads` lists the
    files read (not recalled), run after run."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(memo, "RACY_SECONDS", -60.0)
    (tmp_path / "articles").mkdir()
    for name, text in ARTICLES.items():
        (tmp_path / "articles" / name).write_bytes(text.encode("utf-8"))
    reads: list[str] = []
    real = files.load_source

    def counting(path, *args, **kwargs):
        reads.append(os.path.basename(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(files, "load_source", counting)
    return tmp_path, reads


def _read(root, **options):
    with FactCache(str(root / "cache.db")) as cache:
        return read_all(["articles/*.txt"], memo=cache, **options)


def test_an_unchanged_file_is_recalled_as_read_and_a_changed_one_is_read_again(project):
    root, reads = project
    first = _read(root)
    assert len(reads) == 3 and len(first[0]) == 3 and any("HTML document" in line for line in first[1])
    reads.clear()
    assert _read(root) == first and reads == []  # sources, warning lines, refusals: the same
    path = root / "articles" / "a.txt"
    before = os.stat(path)
    path.write_bytes(ARTICLES["a.txt"].replace("Russia", "Rossia").encode())  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old modification time
    again = _read(root)
    assert reads == ["a.txt"] and "Rossia" in again[0][0].text
    assert again[0][1:] == first[0][1:] and again[0][0].published == first[0][0].published


def test_a_file_written_just_now_is_not_remembered(project, monkeypatch):
    root, reads = project
    monkeypatch.setattr(memo, "RACY_SECONDS", 2.0)
    _read(root)
    reads.clear()
    _read(root)
    assert sorted(reads) == sorted(ARTICLES)  # written under two seconds before: read again


@pytest.mark.parametrize("change", ["manifest", "config", "day", "damaged", "plugin"])
def test_what_a_reading_depends_on_besides_the_bytes_reads_it_again(project, change):
    import datetime as dt

    root, reads = project
    _read(root)
    reads.clear()
    options: dict = {}
    if change == "manifest":
        (root / "articles" / "sources.yaml").write_text("defaults:\n  outlet: Other\n", encoding="utf-8")
    elif change == "config":
        options["config_meta"] = {"*": {"language": "fr"}}
    elif change == "day":
        options["today"] = dt.date(2020, 1, 1)  # a.txt's date is in the future then: a warning
    elif change == "damaged":
        with sqlite3.connect(root / "cache.db") as conn:
            conn.execute("UPDATE sources_read SET source = replace(source, 'Russia', 'Rossia')")
    else:
        options["plugin_loader"] = lambda path, meta: None
    sources, lines, _ = _read(root, **options)
    assert sorted(reads) == (["a.txt"] if change == "damaged" else sorted(ARTICLES))  # damaged: only a.txt's entry
    assert "Russia" in sources[0].text
    if change == "day":
        assert any("is in the future" in line for line in lines)
    if change == "manifest":
        assert {s.outlet for s in sources} == {"Wire", "Other"}


def test_a_refused_file_is_read_again_each_time_and_cache_clear_forgets_the_rest(project):
    root, reads = project
    (root / "articles" / "bin.txt").write_bytes(b"\x00\x01binary")
    _, _, refused = _read(root)
    assert list(refused) == ["articles/bin.txt"]
    reads.clear()
    _read(root)
    assert reads == ["bin.txt"]
    FactCache(str(root / "cache.db")).clear()
    reads.clear()
    _read(root)
    assert len(reads) == 4


def test_a_remembered_file_moved_elsewhere_or_replaced_is_read_again(project):
    root, reads = project
    _read(root)
    reads.clear()
    target = root / "articles" / "b.txt"
    replacement = root / "b.new"
    replacement.write_bytes(target.read_bytes())
    time.sleep(0.01)
    os.replace(replacement, target)  # the same bytes, another inode
    os.replace(root / "articles" / "a.txt", root / "articles" / "moved.txt")  # the same file, another path
    sources, _, _ = _read(root)
    assert sorted(reads) == ["b.txt", "moved.txt"] and {s.name for s in sources} == {"b.txt", "moved.txt", "caf\udce9.txt"}


def test_metadata_with_no_canonical_text_reads_the_file_every_time_and_never_fails(project):
    """A manifest value with keys that are not text, or a YAML alias that contains itself,
    has no stamp text: those files are read as without a memo (its warnings included)."""
    root, reads = project
    (root / "articles" / "sources.yaml").write_text(
        "defaults:\n  tags: {1: a, b: c}\n  loop: &a [1, *a]\n", encoding="utf-8")
    for _ in range(2):
        reads.clear()
        sources, lines, refused = _read(root)
        assert sorted(reads) == sorted(ARTICLES) and not refused and len(sources) == 3
        assert any("metadata `tags` must be a single value" in line for line in lines)


def test_a_date_and_its_text_are_different_contexts(project):
    """A manifest date and the same date quoted give different metadata text: not one stamp."""
    import datetime as dt

    root, reads = project
    _read(root, config_meta={"*": {"seen": dt.datetime(2020, 1, 14, 9, 30)}})
    reads.clear()
    sources, _, _ = _read(root, config_meta={"*": {"seen": "2020-01-14 09:30:00"}})
    assert sorted(reads) == sorted(ARTICLES) and dict(sources[0].meta)["seen"] == "2020-01-14 09:30:00"
