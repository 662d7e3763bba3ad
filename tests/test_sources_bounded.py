"""Sources that would take forever or flood a report (issue 18): `**` over a folder with
symbolic links back to itself finishes and finds each file once, and it matches what glob
matches elsewhere; metadata values, keys and their number are capped, with a warning."""
from __future__ import annotations

import glob
import os
import time

import pytest

from factcheck.sources.files import load_sources
from factcheck.sources.meta import META_KEYS_CAP, META_VALUE_CAP
from factcheck.sources.paths import expand


def _tree(root):
    for path in ["d/a.txt", "d/b.md", "d/sub/c.txt", "d/sub/deep/e.txt", "d/.hidden/x.txt", "d/sub/.h.txt",
                 "top.txt", "d/x1/y.txt"]:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("Qatar hosted talks.\n", encoding="utf-8")


def test_two_self_links_do_not_loop(tmp_path, monkeypatch):
    _tree(tmp_path)
    os.symlink(".", tmp_path / "d" / "loop1")
    os.symlink("..", tmp_path / "d" / "sub" / "loop2")
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    sources, lines = load_sources(["d/**/*.txt"])
    assert time.monotonic() - started < 10  # glob never finished
    assert sorted(s.name for s in sources) == ["a.txt", "c.txt", "e.txt", "y.txt"]
    assert lines == []


@pytest.mark.parametrize("pattern", ["d/**/*.txt", "d/**", "**/*.txt", "d/**/sub/*.txt", "d/*/*.txt", "d*/**/*.t?t",
                                     "d/**/deep", "d/sub/**/*.txt", "**", "d/**/[cx]*.txt", "d/**/*.md"])
def test_expand_matches_what_glob_matches_without_loops(tmp_path, monkeypatch, pattern):
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    norm = lambda paths: sorted({os.path.normpath(p) for p in paths})  # noqa: E731
    assert norm(expand(pattern)) == norm(glob.glob(pattern, recursive=True))
    absolute = str(tmp_path / pattern)
    assert norm(expand(absolute)) == norm(glob.glob(absolute, recursive=True))


def test_metadata_values_keys_and_their_number_are_capped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    keys = "".join(f"k{i}: v{i}\n" for i in range(META_KEYS_CAP + 50))
    front = f"---\noutlet: {'W' * 50_000}\n{'q' * 500}: 1\npublished: '{'9' * 5_000}'\n{keys}---\nQatar hosted talks.\n"
    (tmp_path / "a.txt").write_text(front, encoding="utf-8")
    [source], lines = load_sources(["a.txt"])
    assert len(source.outlet) == META_VALUE_CAP + 1 and source.outlet.endswith("…")
    assert len(source.meta) == META_KEYS_CAP
    assert max(len(line) for line in lines) < 300
    assert any("metadata `outlet` is 50,000 characters; the first 1,000 are kept" in line for line in lines)
    assert any(f"more than {META_KEYS_CAP} metadata keys" in line for line in lines)
    assert any("a metadata key of 500 characters" in line for line in lines)
    assert any("invalid publication date" in line and "(5,000 characters)" in line for line in lines)


def test_a_front_matter_number_of_5000_digits_is_one_line_and_the_others_are_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(f"---\npublished: {'9' * 5_000}\n---\nQatar hosted talks.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Qatar hosted talks.\n", encoding="utf-8")
    sources, lines = load_sources(["*.txt"])
    assert [s.name for s in sources] == ["b.txt"]
    assert lines == ["a.txt: front matter: malformed YAML: a number too long to read"]
