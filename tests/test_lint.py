"""`factcheck lint` reads meaning, not just syntax: names no one knows, values of the wrong
kind, event kinds and places the engine cannot use, metadata keys it does not read, sources
with no date; every mistake of a file in one run, each `file:line:col: severity: message`
with the text to write. No article is read and spaCy is never imported."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.run.lint import lint

KB = """\
entities:
  Burhan:
    aliases: [Abdel Fattah al-Burhan]
    type: person
  Rapid Support Forces:
    aliases: [paramilitary forces]
  Saudi Arabia: {}
events:
  Juba agreement:
    kind: agreement
    place: Juba
  signing ceremony:
    kind: ceremony
  Jeddah talks:
    kind: tallks
    place: Jeda
"""

RULES = """\
use "kb.yaml"
backers(Rapid Support Forces) includes Saudi Arabai
leader(RSF) == Burhan
date(Burhan) == 2019-08-17
date(Sudan) == 2019-08-17
backers(Juba agreement) includes Egypt
backers(Rapid Support Forces) includes Egipt
date(resolution 2202) == 2015-02-17
attendees(G20 summit) includes Turkey
date(Flight 17 crash) == 2014-07-17
"""


@pytest.fixture
def desk(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "kb.yaml").write_text(KB, encoding="utf-8")
    (tmp_path / "r.fc").write_text(RULES, encoding="utf-8")
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text("---\npublised: 2019-08-17\noutlet: Wire\n---\nThe talks went on.\n", encoding="utf-8")
    (news / "b.txt").write_text("The talks went on without a date.\n", encoding="utf-8")
    (news / "c.txt").write_text("---\npublished: 2019-08-18\n---\nThe talks went on.\n", encoding="utf-8")
    (news / "photo.txt").write_bytes(bytes(range(256)) * 4)
    (news / "sources.yaml").write_text("sources:\n  c.txt:\n    outlt: Desk\nsorces: {}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(desk: Path, sources=("news",)) -> dict[tuple[str, int | None], list]:
    report = lint(["r.fc"], (), None, list(sources))
    out: dict[tuple[str, int | None], list] = {}
    for f in report.findings:
        out.setdefault((Path(f.file).name if f.file else "", f.line), []).append(f)
    return out


def _one(found, file: str, line: int | None, code: str):
    hits = [f for f in found.get((file, line), []) if f.code == code]
    assert len(hits) == 1, (file, line, code, found.get((file, line)))
    return hits[0]


def test_a_near_spelling_of_a_kb_name(desk):
    f = _one(_findings(desk), "r.fc", 2, "near-name")
    assert (f.severity, f.column) == ("warning", 40)
    assert "`Saudi Arabai`" in f.message and f.hint == "did you mean `Saudi Arabia`?"


def test_a_name_no_one_knows_with_the_kb_edit(desk):
    f = _one(_findings(desk), "r.fc", 3, "unknown-name")
    assert (f.severity, f.column) == ("warning", 8)
    assert "`RSF` is a name neither the knowledge base nor the gazetteer knows" in f.message
    assert "entities: {RSF: {aliases: [...]}}" in f.hint


def test_a_misspelt_country_gets_the_gazetteer_spelling(desk):
    f = _one(_findings(desk), "r.fc", 7, "unknown-name")
    assert f.column == 40 and f.hint == "did you mean `Egypt`?"


def test_a_person_used_as_an_event(desk):
    f = _one(_findings(desk), "r.fc", 4, "not-an-event")
    assert (f.severity, f.column) == ("error", 6)
    assert f.message == "`Burhan` is a person, not an event: `date` takes an event"
    assert f.hint.startswith("write the event, e.g. `date(")


def test_a_country_used_as_an_event(desk):
    f = _one(_findings(desk), "r.fc", 5, "not-an-event")
    assert f.message.startswith("`Sudan` is a country")


def test_an_event_used_as_an_entity(desk):
    f = _one(_findings(desk), "r.fc", 6, "not-an-entity")
    assert f.severity == "error" and "`Juba agreement` is an event in the knowledge base" in f.message


def test_names_with_numbers_are_names(desk):
    found = _findings(desk)
    for line in (8, 9, 10):
        assert not [f for f in found.get(("r.fc", line), []) if f.severity == "error"], found.get(("r.fc", line))


def test_an_event_kind_the_engine_does_not_know(desk):
    f = _one(_findings(desk), "kb.yaml", 13, "event-kind")
    assert (f.severity, f.column) == ("warning", 11)
    assert "kind `ceremony`, which is no event kind factcheck knows" in f.message


def test_a_misspelt_event_kind(desk):
    f = _one(_findings(desk), "kb.yaml", 15, "event-kind")
    assert f.hint == "did you mean `talks`?"


def test_a_place_that_cannot_be_resolved(desk):
    f = _one(_findings(desk), "kb.yaml", 16, "place")
    assert "placed at `Jeda`" in f.message and f.hint == "did you mean `Jeddah`?"


def test_a_misspelt_front_matter_key(desk):
    f = _one(_findings(desk), "a.txt", 2, "metadata-key")
    assert (f.severity, f.column) == ("warning", 1)
    assert f.message.startswith("unknown metadata key `publised`") and f.hint == "did you mean `published`?"


def test_a_misspelt_manifest_key(desk):
    f = _one(_findings(desk), "sources.yaml", 3, "metadata-key")
    assert f.column == 5 and f.hint == "did you mean `outlet`?"


def test_an_unknown_manifest_key_is_located(desk):
    f = _one(_findings(desk), "sources.yaml", 4, "source")
    assert (f.severity, f.column) == ("warning", 1) and "unknown key `sorces`" in f.message


def test_sources_without_a_publication_date(desk):
    found = _findings(desk)
    assert _one(found, "a.txt", 1, "no-date").hint.startswith("add `published: YYYY-MM-DD`")
    _one(found, "b.txt", 1, "no-date")
    assert not [f for f in found.get(("c.txt", 1), []) if f.code == "no-date"]


def test_a_source_that_cannot_be_read(desk):
    f = _one(_findings(desk), "photo.txt", None, "source")
    assert f.severity == "error" and "binary" in f.message


def test_no_sources_no_source_findings(desk):
    assert not [f for fs in _findings(desk, ()).values() for f in fs if f.code in ("no-date", "metadata-key")]


HINTS = [
    ("date(Berlin summit) == 17/08/2019", 24, "write the ISO form: `date(Berlin summit) == 2019-08-17`"),
    ("date(Berlin summit) == 17 August 2019", 24, "write the ISO form: `date(Berlin summit) == 2019-08-17`"),
    ("date(Berlin summit) == August 17, 2019", 24, "write the ISO form: `date(Berlin summit) == 2019-08-17`"),
    ("date(Berlin summit) < August 2019", 23, "write the ISO form: `date(Berlin summit) < 2019-08`"),
    ("date(Berlin summit) == 05/04/2019", 24, "ambiguous: `date(Berlin summit) == 2019-04-05` or "
                                              "`date(Berlin summit) == 2019-05-04`"),
    ("backers(LNA) includes Saudi Arabia, UAE", 23,
     "write `backers(LNA) includes all {Saudi Arabia, UAE}` (or `includes any {Saudi Arabia, UAE}` if one is enough)"),
    ("backers(LNA) excludes France, Italy", 23,
     "write one `excludes` assertion per name: `backers(LNA) excludes France`, `backers(LNA) excludes Italy`"),
    ("consistent date(Berlin summit) == 2020-01-19", 32,
     "to check a value write `date(Berlin summit) == 2020-01-19`"),
]


@pytest.mark.parametrize("line,column,hint", HINTS)
def test_common_value_mistakes_say_what_to_write(tmp_path, line, column, hint):
    (tmp_path / "h.fc").write_text(line + "\n", encoding="utf-8")
    [f] = lint([str(tmp_path / "h.fc")]).findings
    assert (f.severity, f.line, f.column) == ("error", 1, column)
    assert hint in f.hint, f.hint


FIVE = """\
# five mistakes, one run
date(Berlin summit) == 17/08/2019
backer(LNA) includes Russia

test "Signers":
    signed(ceasefire) includes Saudi Arabia, UAE
    date(Moscow talks) == 2020-13-01

@warn
date(Moscow talks) == 2020-01-13
backers(LNA) includes Russia
"""


def test_every_mistake_of_a_file_in_one_run(tmp_path, capsys):
    path = tmp_path / "five.fc"
    path.write_text(FIVE, encoding="utf-8")
    assert cli.main(["lint", str(path)]) == 2
    err = capsys.readouterr().err
    heads = [line for line in err.splitlines() if line.startswith(str(path)) and ": error: " in line]
    assert [h[len(str(path)) + 1:].split(": ")[0] for h in heads] == ["2:24", "3:1", "6:32", "7:27", "9:1"]
    assert "did you mean `backers`?" in heads[1] and "did you mean `@warning`?" in heads[4]
    assert err.splitlines()[-1] == "5 errors, 1 warning"  # and `LNA`, which no KB names


def test_lint_json(desk, capsys):
    assert cli.main(["lint", "r.fc", "--sources", "news", "--format", "json"]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["error"] == 4 and doc["summary"]["warning"] >= 8
    first = doc["findings"][0]
    assert set(first) == {"file", "line", "column", "severity", "code", "message", "hint"}
    assert {"file": "r.fc", "assertions": 9} in doc["files"]


def test_warnings_alone_pass_unless_strict(tmp_path, capsys):
    (tmp_path / "w.fc").write_text("backers(LNA) includes Egipt\n", encoding="utf-8")
    assert cli.main(["lint", str(tmp_path / "w.fc")]) == 0
    assert cli.main(["lint", str(tmp_path / "w.fc"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'w.fc'}:1:23: warning: `Egipt`" in err


def test_lint_with_sources_never_imports_spacy(desk):
    code = ("import sys; from factcheck.cli import main; rc = main(['lint', 'r.fc', '--sources', 'news']); "
            "assert 'spacy' not in sys.modules, 'lint imported spaCy'; sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=desk)
    assert proc.returncode == 2, proc.stderr
    assert "lint imported spaCy" not in proc.stderr


def test_a_kb_that_does_not_load_is_one_error_and_names_are_not_guessed(tmp_path):
    (tmp_path / "kb.yaml").write_text("entities:\n  LNA: {alias: [x]}\n", encoding="utf-8")
    (tmp_path / "r.fc").write_text('use "kb.yaml"\nbackers(LNA) includes Egipt\n', encoding="utf-8")
    findings = lint([str(tmp_path / "r.fc")]).findings
    assert [(f.severity, f.code) for f in findings] == [("error", "kb")]
    assert findings[0].line == 2 and "did you mean `aliases`?" in (findings[0].hint or "")


def test_recovery_keeps_blocks_decorators_and_cross_statement_checks(tmp_path):
    from factcheck.dsl.recovery import parse_all

    text = ('use "kb.yaml"\n'
            '@warning\n'
            'test "A":\n'
            '    backers(LNA) includes Russia\n'
            '    backers(LNA) includes 17/08/2019\n'
            'test "A":\n'
            '    backers(LNA) includes Egypt\n'
            'date(Berlin summit) == 2020-13-40\n'
            'mentions(Jordan)\n'
            'use "more.yaml"\n')
    rf, errors = parse_all(text, "r.fc")
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (5, "date `17/08/2019` is not written as YYYY-MM-DD"),
        (6, 'duplicate test name "A"'),
        (8, "invalid date `2020-13-40`")]
    assert rf is not None and [u.path for u in rf.uses] == ["kb.yaml", "more.yaml"]
    assert [(a.text, a.severity, a.test) for a in rf.assertions] == [
        ("backers(LNA) includes Russia", "warning", "A"), ("backers(LNA) includes Egypt", "error", "A"),
        ("mentions(Jordan)", "error", None)]


def test_a_long_file_with_many_mistakes_stops_at_a_hundred(tmp_path):
    good = ["date(Berlin summit) == 2020-01-19"] * 2000
    bad = [f"date(Berlin summit == 2020-01-{d:02d}" for d in range(1, 29)] * 5
    (tmp_path / "long.fc").write_text("\n".join(good + bad) + "\n", encoding="utf-8")
    findings = lint([str(tmp_path / "long.fc")]).findings
    assert len(findings) == 101 and findings[-1].message.startswith("more than 100 mistakes")
    assert findings[0].line == 2001 and "missing `)`" in findings[0].message


def test_a_group_of_a_known_name_is_known(tmp_path):
    (tmp_path / "kb.yaml").write_text("entities:\n  Haftar: {}\n", encoding="utf-8")
    (tmp_path / "r.fc").write_text('use "kb.yaml"\nattendees(Berlin summit) includes Israeli delegation\n'
                                   "attendees(Berlin summit) includes Haftar's forces\n"
                                   "attendees(Berlin summit) includes Egyptian officials\n", encoding="utf-8")
    assert lint([str(tmp_path / "r.fc")]).findings == []


def test_lint_output_file_holds_every_finding(tmp_path, capsys):
    (tmp_path / "w.fc").write_text("backers(LNA) includes Egipt\nbacker(LNA) includes Egypt\n", encoding="utf-8")
    out = tmp_path / "lint.txt"
    assert cli.main(["lint", str(tmp_path / "w.fc"), "-o", str(out)]) == 2
    assert capsys.readouterr().err == ""
    text = out.read_text(encoding="utf-8")
    assert f"{tmp_path / 'w.fc'}:1:23: warning: `Egipt`" in text and "did you mean `backers`?" in text
    assert text.endswith("1 error, 2 warnings\n")
