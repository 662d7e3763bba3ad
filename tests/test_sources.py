"""Reading sources: normalisation, metadata precedence, manifests, bad files."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from factcheck.errors import SourceError
from factcheck.sources.files import MAX_SOURCE_BYTES, load_source, load_sources
from factcheck.sources.text import html_to_text, looks_like_html, normalise

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TODAY = dt.date(2024, 6, 1)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("a\r\nb\rc\n", "a\nb\nc\n"),
        ("10\u00a0km and\u202fthe\u2009end\u3000.", "10 km and the end ."),
        ("Ser\u200braj\u200c\u200d\u2060 co\u00adoperate\ufeff", "Serraj cooperate"),
        ("\u201cteach\u201d \u2018lesson\u2019 Haftar\u2019s \u00abnon\u00bb", "\"teach\" 'lesson' Haftar's \"non\""),
        ("\u22125 \u2010 x\u2011y \u2212", "-5 - x-y -"),
        ("2019\u20132020 \u2014 aside \u2015 bar", "2019\u20132020 \u2014 aside \u2014 bar"),
        ("line one   \nline two\t\n", "line one\nline two\n"),
        ("Erdog\u0306an", "Erdo\u011fan"),
        ("a\u2028b\u2029c", "a\nb\n\nc"),
        ("bell\x07 here", "bell here"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_is_idempotent() -> None:
    text = "\u201cHi\u201d\u00a0 \r\n\u2212 x\u200b  \n"
    assert normalise(normalise(text)) == normalise(text)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    src = load_source(str(write(tmp_path / "a.txt", "\ufeffHello.\n".encode("utf-8"))), {})
    assert src.text == "Hello.\n"
    assert src.warnings == ()


def test_cp1252_is_decoded_with_a_warning(tmp_path: Path) -> None:
    data = "\u201cCaf\u00e9\u201d \u2013 na\u00efve".encode("cp1252") + b" \x81"
    src = load_source(str(write(tmp_path / "w.txt", data)), {})
    assert src.text.startswith('"Caf\u00e9" \u2013 na\u00efve')
    assert any("not UTF-8; decoded as Windows-1252" in w for w in src.warnings)


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    src = load_source(str(write(tmp_path / "u.txt", "Tripoli talks".encode("utf-16"))), {})
    assert src.text == "Tripoli talks"


@pytest.mark.parametrize("data", [b"abc\x00def", bytes(range(0, 32)) * 20 + b"text"])
def test_binary_files_are_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "bin.txt", data)
    with pytest.raises(SourceError, match="binary file, not text") as info:
        load_source(str(path), {})
    assert info.value.file == str(path)


def test_binary_file_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Fine text.")
    write(tmp_path / "b.txt", b"\x89PNG\x00\x00")
    sources, lines = load_sources([str(tmp_path / "*.txt")])
    assert [s.name for s in sources] == ["a.txt"]
    assert lines == [f"{tmp_path / 'b.txt'}: binary file, not text; "
                     "factcheck reads UTF-8 text, Markdown or HTML files"]


def test_empty_file_gives_empty_source_and_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", "")
    src = load_source(str(path), {})
    assert src.text == ""
    assert src.warnings == (f"{path}: empty file, no text to check",)


def test_size_limit_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:  # sparse: no 6 MB written
        fh.seek(6 * 1024 * 1024 - 1)
        fh.write(b"x")
    with pytest.raises(SourceError) as info:
        load_source(str(path), {})
    assert "is 6 MB, over the 5 MB limit; split it" in str(info.value)
    assert MAX_SOURCE_BYTES == 5 * 1024 * 1024


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = write(tmp_path / "s.txt", "x" * 200)
    with pytest.raises(SourceError, match="over the"):
        load_source(str(path), {}, max_bytes=100)
    assert load_source(str(path), {}, max_bytes=200).text == "x" * 200


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_source(str(tmp_path / "nope.txt"), {})
    with pytest.raises(SourceError, match="is a directory"):
        load_source(str(tmp_path), {})


# --------------------------------------------------------------------------- HTML


def test_html_document_is_stripped_with_a_warning(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Talks</title><style>p {color: red}</style>"
        "<script>var x = '<p>no</p>';</script></head><body>"
        "<h1>Haftar  leaves</h1><p>Putin &amp; Erdo&#287;an met\n on <b>Monday</b>.</p>"
        "<div>Line one<br>Line two</div></body></html>"
    )
    src = load_source(str(write(tmp_path / "page.txt", html)), {})
    assert src.text == "Talks\n\nHaftar leaves\n\nPutin & Erdo\u011fan met on Monday.\n\nLine one\nLine two"
    assert any("HTML document; tags stripped" in w for w in src.warnings)


def test_html_detection() -> None:
    assert looks_like_html("<html><body>x</body></html>")
    assert looks_like_html("<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>")
    assert not looks_like_html("The index <rises> when a < b and c > d.")
    assert not looks_like_html("Plain <b>bold</b> word in a long article " + "text " * 200)
    assert html_to_text("<pre>a  b\nc</pre>") == "a  b\nc"
    assert html_to_text("<p>a  b\n c</p>") == "a b c"


# --------------------------------------------------------------------------- metadata


def test_seeds_manifest() -> None:
    sources, lines = load_sources([str(SEEDS / "*.txt")], today=TODAY)
    assert lines == []
    assert len(sources) == 5
    assert all(s.published == dt.date(2020, 1, 14) for s in sources)
    assert all(s.language == "en" for s in sources)
    by_name = {s.name: s for s in sources}
    assert by_name["002_117367800fd07705.txt"].outlet == "Defenseweek"
    assert by_name["003_a128b121165ca596.txt"].outlet == "Reuters"
    assert dict(by_name["003_a128b121165ca596.txt"].meta) == {"dateline": "ANKARA"}
    assert by_name["000_4685feae2b63dc6e.txt"].outlet.startswith("unknown (translated")
    assert [s.name for s in sources] == sorted(by_name)


def test_load_source_alone_reads_the_folder_manifest() -> None:
    src = load_source(str(SEEDS / "003_a128b121165ca596.txt"))
    assert (src.published, src.outlet) == (dt.date(2020, 1, 14), "Reuters")
    assert src.path == str(SEEDS / "003_a128b121165ca596.txt")
    assert src.name == "003_a128b121165ca596.txt"


def test_precedence_front_matter_over_manifest_over_defaults_over_config(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml",
          "defaults:\n  published: 2020-01-10\n  outlet: Default Wire\n  url: http://d\n"
          "sources:\n  a.txt:\n    outlet: Entry Outlet\n    published: '2020-01-11'\n  b.txt:\n")
    write(tmp_path / "a.txt", "---\npublished: 2020-01-12T08:30:00+01:00\ndateline: BERLIN\n---\n\nBody of a.\n")
    write(tmp_path / "b.txt", "Body of b.\n")
    config_meta = {"defaults": {"language": "de", "outlet": "Config"}, "b.*": {"region": "north"}}
    sources, lines = load_sources([str(tmp_path)], config_meta=config_meta, today=TODAY)
    assert lines == []
    a, b = sources
    assert a.text == "Body of a.\n"  # front matter removed
    assert (a.published, a.outlet, a.url, a.language) == (dt.date(2020, 1, 12), "Entry Outlet", "http://d", "de")
    assert dict(a.meta) == {"dateline": "BERLIN"}
    assert (b.published, b.outlet, b.language) == (dt.date(2020, 1, 10), "Default Wire", "de")
    assert dict(b.meta) == {"region": "north"}


def test_date_alias_in_front_matter_beats_manifest(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", "defaults:\n  published: 2020-01-10\n")
    write(tmp_path / "a.md", "---\ndate: 2020-03-04\n---\nText.")
    (src,), _ = load_sources([str(tmp_path / "a.md")], today=TODAY)
    assert src.published == dt.date(2020, 3, 4)


def test_missing_published_date_is_fine(tmp_path: Path) -> None:
    src = load_source(str(write(tmp_path / "a.txt", "On Sunday they met.")), today=TODAY)
    assert src.published is None
    assert src.warnings == ()
    assert src.language == "en"


@pytest.mark.parametrize("value", ["2020-02-30", "yesterday", "'2020-13-01'", "[2020]"])
def test_invalid_publication_date_warns_and_is_dropped(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "a.txt", f"---\npublished: {value}\n---\nText.")
    src = load_source(str(path), today=TODAY)
    assert src.published is None
    assert len(src.warnings) == 1
    assert str(path) in src.warnings[0] and "invalid publication date" in src.warnings[0]
    assert value.strip("'[]") in src.warnings[0]


def test_future_publication_date_warns_and_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "---\npublished: 2030-05-01\n---\nText.")
    src = load_source(str(path), today=TODAY)
    assert src.published == dt.date(2030, 5, 1)
    assert src.warnings == (f"{path}: publication date 2030-05-01 is in the future; kept",)


def test_manifest_naming_a_missing_file_warns_once(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", "sources:\n  a.txt: {outlet: A}\n  gone.txt:\n    outlet: G\n")
    write(tmp_path / "a.txt", "Text a.")
    write(tmp_path / "c.txt", "Text c.")
    sources, lines = load_sources([str(tmp_path / "*.txt")], today=TODAY)
    assert [s.name for s in sources] == ["a.txt", "c.txt"]
    assert len(lines) == 1
    assert "`gone.txt` is listed in sources.yaml but there is no such file" in lines[0]
    assert ":3:3:" in lines[0]


def test_malformed_manifest_is_an_error_with_position(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", "defaults:\n  published: 2020-01-14\n sources: [\n")
    write(tmp_path / "a.txt", "Text.")
    with pytest.raises(SourceError) as info:
        load_sources([str(tmp_path / "a.txt")])
    err = info.value
    assert err.file.endswith("sources.yaml") and err.line == 3 and err.column is not None
    assert "malformed YAML" in err.message


def test_malformed_front_matter_reports_the_file_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "---\noutlet: ok\nurl: x\n  bad: y\n---\nText.")
    with pytest.raises(SourceError) as info:
        load_source(str(path), {})
    assert (info.value.file, info.value.line, info.value.column) == (str(path), 4, 6)
    assert info.value.message.startswith("front matter: malformed YAML")


def test_yaml_tags_are_not_constructed(tmp_path: Path) -> None:
    write(tmp_path / "sources.yaml", "defaults: !!python/object/apply:os.system ['echo hi']\n")
    write(tmp_path / "a.txt", "Text.")
    with pytest.raises(SourceError):
        load_sources([str(tmp_path / "a.txt")])


def test_front_matter_only_at_the_top(tmp_path: Path) -> None:
    text = "Intro.\n---\noutlet: X\n---\nMore."
    src = load_source(str(write(tmp_path / "a.txt", text)), {})
    assert src.text == text and src.outlet is None


# --------------------------------------------------------------------------- patterns


def test_patterns_sorted_deduplicated_and_directories(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "c.txt", "notes.csv"):
        write(tmp_path / "d" / name, f"Text {name}.")
    write(tmp_path / "d" / "sources.yaml", "defaults: {outlet: O}\n")
    patterns = ["d/*", "d", "d/c.txt", "./d/b.txt"]
    sources, lines = load_sources(patterns, base=str(tmp_path))
    names = [s.name for s in sources]
    assert names == ["a.md", "b.txt", "c.txt", "notes.csv"]  # the glob chose the csv; the folder did not
    assert lines == []
    assert all(s.outlet == "O" for s in sources)
    assert sources[0].path == os.path.join(str(tmp_path), "d", "a.md")


def test_missing_paths_and_empty_globs_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Text.")
    sources, lines = load_sources(["a.txt", "missing.txt", "*.md"], base=str(tmp_path))
    assert [s.name for s in sources] == ["a.txt"]
    assert any("missing.txt: no such file" in line for line in lines)
    assert any("*.md: pattern matches no source file" in line for line in lines)


def test_recursive_glob(tmp_path: Path) -> None:
    write(tmp_path / "x" / "y" / "deep.txt", "Deep.")
    sources, _ = load_sources(["**/*.txt"], base=str(tmp_path))
    assert [s.name for s in sources] == ["deep.txt"]


def test_same_file_name_in_two_folders_keeps_both_apart(tmp_path, monkeypatch):
    from factcheck.sources.files import load_sources

    for folder, text in (("a", "First."), ("b", "Second.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "y.txt").write_text("Third.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sources, _ = load_sources(["a/*.txt", "b/*.txt", "y.txt"])
    assert sorted(s.name for s in sources) == ["a/x.txt", "b/x.txt", "y.txt"]
