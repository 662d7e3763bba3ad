"""Every report format on hand-built runs (no spaCy, no parser), and the HTML report in a
real headless Chromium. `sample_run()` and the browser helpers are shared with test_cli.py."""
from __future__ import annotations

import dataclasses
import datetime as dt
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from factcheck.run import reporting
from factcheck import report
from factcheck.model import DateValue, Entity, Evidence, Fact, Result, Run, Source, Subject
from factcheck.report import common, facts as facts_report, html as html_report, markdown, sarif

# --------------------------------------------------------------------------- a hand-built run

ARTICLE_A = (
    "Leaders will meet in Berlin.\n\n"
    "The Berlin summit will take place on Sunday, officials said. Germany hosts it.\n\n"
    "Russia backs the LNA, according to diplomats."
)
EVIL = "<script>document.title='pwned'</script>"
EVIL_ATTR = '"><img src=x onerror="document.title=\'pwned2\'">'
ARTICLE_B = (
    f"An opening line {EVIL} with markup.\n\n"
    f"The summit is on 20 January {EVIL_ATTR} in Berlin.\n\n"
    "France denies backing the LNA."
)
A_DATE = "The Berlin summit will take place on Sunday, officials said."
B_DATE = f"The summit is on 20 January {EVIL_ATTR} in Berlin."
A_BACK = "Russia backs the LNA, according to diplomats."
B_FRANCE = "France denies backing the LNA."
SRC_A, SRC_B = "a.txt", "b <evil>.txt"
RULES = "rules/demo.fc"
TEST_B = "Haftar's backers <b>"


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def ev(source: str, text: str, sentence: str, value: str, hedged: bool = False,
       resolution: str | None = None, polarity: bool = True) -> Evidence:
    return Evidence(source, sentence, *_span(text, sentence), value, hedged, resolution, polarity)


def sample_run(with_facts: bool = True) -> Run:
    """Two sources, five assertions (a consistent one, a warning, a skipped test), 10 results:
    4 pass, 2 fail, 2 unknown, 2 skipped. Source B's text and name carry HTML injections."""
    f = RULES
    date_a = ev(SRC_A, ARTICLE_A, A_DATE, "2020-01-19", resolution="on Sunday -> 2020-01-19 (future tense)")
    date_b = ev(SRC_B, ARTICLE_B, B_DATE, "2020-01-20")
    results = [
        Result(f, 3, 1, None, "date(Berlin summit) == 2020-01-19", SRC_A, "pass", "error", "== 2020-01-19",
               "2020-01-19", (date_a,)),
        Result(f, 3, 1, None, "date(Berlin summit) == 2020-01-19", SRC_B, "fail", "error", "== 2020-01-19",
               "2020-01-20", (date_b,)),
        Result(f, 6, 5, TEST_B, "backers(LNA) includes Russia", SRC_A, "pass", "error", "includes Russia",
               "Russia", (ev(SRC_A, ARTICLE_A, A_BACK, "Russia", hedged=True),)),
        Result(f, 6, 5, TEST_B, "backers(LNA) includes Russia", SRC_B, "unknown", "error", "includes Russia",
               None, (), message="b <evil>.txt says nothing about Russia"),
        Result(f, 7, 5, TEST_B, "backers(LNA) excludes France", SRC_A, "unknown", "warning", "excludes France",
               None, (), message="a.txt says nothing about France"),
        Result(f, 7, 5, TEST_B, "backers(LNA) excludes France", SRC_B, "pass", "warning", "excludes France",
               "not France", (ev(SRC_B, ARTICLE_B, B_FRANCE, "not France", polarity=False),)),
        Result(f, 10, 5, "Truce", "start(ceasefire) == 2020-01-12", SRC_A, "skipped", "error", "== 2020-01-12",
               message="waiting for the desk"),
        Result(f, 10, 5, "Truce", "start(ceasefire) == 2020-01-12", SRC_B, "skipped", "error", "== 2020-01-12",
               message="waiting for the desk"),
        Result(f, 12, 1, None, "consistent date(Berlin summit)", SRC_A, "pass", "error", "2020-01-19",
               "2020-01-19", (date_a,), consensus="2020-01-19", dissenters=(SRC_B,)),
        Result(f, 12, 1, None, "consistent date(Berlin summit)", SRC_B, "fail", "error", "2020-01-19",
               "2020-01-20", (date_b,), consensus="2020-01-19", dissenters=(SRC_B,)),
    ]
    sources = [
        Source(SRC_A, "tests/data/a.txt", ARTICLE_A, dt.date(2020, 1, 14), "Wire"),
        Source(SRC_B, "tests/data/b <evil>.txt", ARTICLE_B, dt.date(2020, 1, 14), "Blog <i>"),
    ]
    run = Run(results=results, sources=sources, rule_files=[f],
              errors=["tests/data/c.txt: is a directory, not a source file"])
    if with_facts:
        summit = Subject("event", "Berlin summit", "summit", ("Berlin",), "The Berlin summit")
        run.facts = {
            SRC_A: [Fact("date", summit, DateValue.day(dt.date(2020, 1, 19)), A_DATE, *_span(ARTICLE_A, A_DATE),
                         resolution="on Sunday -> 2020-01-19"),
                    Fact("backers", Subject("entity", "LNA"), Entity("Russia"), A_BACK, *_span(ARTICLE_A, A_BACK),
                         hedged=True)],
            SRC_B: [Fact("date", Subject("event", "", "summit", ("Berlin",), "The summit"),
                         DateValue.day(dt.date(2020, 1, 20)), B_DATE, *_span(ARTICLE_B, B_DATE)),
                    Fact("backers", Subject("entity", "LNA"), Entity("France"), B_FRANCE,
                         *_span(ARTICLE_B, B_FRANCE), polarity=False)],
        }
    return run


def with_results(run: Run, results: list[Result]) -> Run:
    return Run(results=results, sources=run.sources, facts=run.facts, errors=run.errors, rule_files=run.rule_files)


# --------------------------------------------------------------------------- shared structure


def test_rows_form_a_matrix_in_rule_order():
    rows = common.rows(sample_run())
    assert [r.assertion for r in rows] == [
        "date(Berlin summit) == 2020-01-19", "backers(LNA) includes Russia", "backers(LNA) excludes France",
        "start(ceasefire) == 2020-01-12", "consistent date(Berlin summit)"]
    assert common.source_names(sample_run()) == [SRC_A, SRC_B]
    assert [c.verdict for c in rows[0].cells] == ["pass", "fail"]
    assert rows[4].consensus == "2020-01-19" and rows[4].dissenters == (SRC_B,)
    assert [name for name, _ in common.groups(rows)] == [
        "date(Berlin summit) == 2020-01-19", TEST_B, "Truce", "consistent date(Berlin summit)"]


def test_a_source_missing_from_results_leaves_an_empty_cell():
    run = sample_run()
    run.results = [r for r in run.results if not (r.line == 3 and r.source == SRC_B)]
    assert common.rows(run)[0].cells[1] is None


def test_paragraph_around_finds_the_blank_line_paragraph():
    start, end = _span(ARTICLE_A, A_DATE)
    para, s, e = common.paragraph_around(ARTICLE_A, start, end)
    assert para == "The Berlin summit will take place on Sunday, officials said. Germany hosts it."
    assert para[s:e] == A_DATE
    long_text = "x" * 5000 + " needle " + "y" * 5000
    i = long_text.index("needle")
    para, s, e = common.paragraph_around(long_text, i, i + 6, limit=100)
    assert para[s:e] == "needle" and len(para) <= 100
    assert common.paragraph_around("short", 10, 20) == ("", 0, 0)


@pytest.mark.parametrize("env, tty, expected", [({}, True, True), ({"NO_COLOR": "1"}, True, False), ({}, False, False)])
def test_colour_only_for_a_terminal_without_no_color(monkeypatch, env, tty, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)

    class Stream:
        def isatty(self):
            return tty

    assert common.use_color(Stream()) is expected


# --------------------------------------------------------------------------- exit codes


def test_exit_code_counts_failed_errors_only_by_default():
    run = sample_run()
    assert report.exit_code(run) == 1
    assert {(r.line, r.source) for r in report.counted_failures(run)} == {(3, SRC_B), (12, SRC_B)}


def _only(run: Run, verdict: str, severity: str, errors: tuple[str, ...] = ()) -> Run:
    """The run with one result and only the given refused-source lines (none: a clean run)."""
    only = with_results(run, [Result(RULES, 1, 1, None, "x", SRC_A, verdict, severity, "e")])
    only.errors = list(errors)
    return only


def test_exit_code_policies():
    run = sample_run()
    assert report.exit_code(_only(run, "fail", "warning")) == 0
    assert report.exit_code(_only(run, "fail", "warning"), min_severity="warning") == 1
    assert report.exit_code(_only(run, "fail", "info"), min_severity="warning") == 0
    assert report.exit_code(_only(run, "fail", "info"), min_severity="info") == 1
    assert report.exit_code(_only(run, "unknown", "error")) == 0
    assert report.exit_code(_only(run, "unknown", "error"), fail_on="unknown") == 1
    assert report.exit_code(_only(run, "unknown", "warning"), fail_on="unknown") == 0
    assert report.exit_code(_only(run, "pass", "error"), fail_on="unknown") == 0
    assert report.exit_code(_only(run, "skipped", "error"), fail_on="unknown") == 0


def test_exit_code_two_when_no_source_could_be_read():
    run = sample_run()
    assert report.exit_code(Run(errors=["x.txt: no such file"])) == 2
    all_errors = with_results(run, [Result(RULES, 1, 1, None, "x", s, "error", "error", "e", message="boom")
                                    for s in (SRC_A, SRC_B)])
    assert report.exit_code(all_errors) == 2
    one_error = with_results(run, [Result(RULES, 1, 1, None, "x", SRC_A, "error", "error", "e"),
                                   Result(RULES, 1, 1, None, "x", SRC_B, "pass", "error", "e")])
    one_error.errors = []
    assert report.exit_code(one_error) == 1  # SPEC 7: an `error` verdict is not skipped silently
    assert report.exit_code(one_error, allow_errors=True) == 0


def test_exit_code_one_when_a_source_was_refused_unless_errors_are_allowed():
    refused = ("c.txt: is binary, not text",)
    assert report.exit_code(_only(sample_run(), "pass", "error", refused)) == 1
    assert report.exit_code(_only(sample_run(), "pass", "error", refused), allow_errors=True) == 0
    assert report.exit_code(_only(sample_run(), "pass", "error")) == 0
    # an allowed error never hides a failure
    assert report.exit_code(_only(sample_run(), "fail", "error", refused), allow_errors=True) == 1
    assert report.exit_code(_only(sample_run(), "unknown", "error", refused), fail_on="unknown",
                            allow_errors=True) == 1


@pytest.mark.parametrize("fmt", ["text", "table", "json", "junit", "markdown", "sarif", "html"])
def test_every_format_lists_the_refused_sources(fmt):
    run = sample_run()
    run.errors = ["seeds/photo.txt: is binary, not text", "seeds/huge.txt: is 60 MB, over the 50 MB limit"]
    run.warnings = ["seeds/page.txt: HTML document; tags stripped, text kept"]
    out = reporting.render(run, fmt)
    for line in run.errors:
        assert line in out, (fmt, line)
    if fmt == "json":
        doc = json.loads(out)
        assert doc["errors"] == run.errors and doc["warnings"] == run.warnings
    if fmt == "junit":
        root = ET.fromstring(out)
        cases = root.findall("./testsuite[@name='sources']/testcase")
        assert [c.get("name") for c in cases] == ["seeds/photo.txt", "seeds/huge.txt"]
        assert all(c.find("error") is not None for c in cases)
        assert int(root.get("errors")) == 2
    if fmt == "sarif":
        notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        assert [n["level"] for n in notes] == ["error", "error", "warning"]


# --------------------------------------------------------------------------- text


def _line_col(text: str, needle: str) -> str:
    at = text.index(needle)
    return f"{text.count(chr(10), 0, at) + 1}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def test_compact_text_is_one_line_per_finding_failures_first():
    run = sample_run()
    out = reporting.render(run, "text")
    assert "\x1b[" not in out
    lines = out.splitlines()
    where_b = f"tests/data/b <evil>.txt:{_line_col(ARTICLE_B, B_DATE)}"
    assert lines[0] == (f"{where_b}: error fail date(Berlin summit) == 2020-01-19: found 2020-01-20, "
                        f"expected == 2020-01-19 [{RULES}:3]")
    assert lines[1].strip().startswith("\u201cThe summit is on 20 January")
    assert lines[2].startswith(f"{where_b}: error fail consistent date(Berlin summit): found 2020-01-20")
    unknown = [line for line in lines if " note unknown " in line]
    assert unknown == [f"tests/data/b <evil>.txt: note unknown backers(LNA) includes Russia: says nothing about Russia "
                       f"[{RULES}:6]",
                       f"tests/data/a.txt: note unknown backers(LNA) excludes France: says nothing about France "
                       f"[{RULES}:7]"]
    assert lines.index(unknown[0]) > 2  # after the failures
    assert "  consistent date(Berlin summit) [rules/demo.fc:12]: consensus 2020-01-19; dissenting: " \
           "b <evil>.txt (2020-01-20)" in lines
    assert "1 source not checked:" in lines and "  tests/data/c.txt: is a directory, not a source file" in lines
    assert lines[-1] == "4 pass, 2 fail, 2 unknown, 0 error, 2 skipped (10 results)"
    assert not any(" pass " in line.split(": ", 1)[-1][:20] for line in lines[:-1])  # passing cells are not listed


def test_compact_text_quiet_colour_and_verbose():
    quiet = reporting.render(sample_run(), "text", quiet=True)
    assert " note unknown " not in quiet and " error fail " in quiet
    coloured = reporting.render(sample_run(), "text", color=True)
    assert "\x1b[1;31mfail\x1b[0m" in coloured
    verbose = reporting.render(sample_run(), "text", verbose=True)
    assert " error pass backers(LNA) includes Russia: found Russia, expected includes Russia" in verbose


def test_junit_and_sarif_carry_the_reasons_of_unknown_and_failed_cells():
    run = sample_run()
    run.results[3] = dataclasses.replace(run.results[3], why=("b <evil>.txt states no `backers` of anything.",))
    run.results[1] = dataclasses.replace(run.results[1], why=("Failed on 2020-01-20 in \u201cThe summit\u201d.",))
    root = ET.fromstring(reporting.render(run, "junit"))
    skipped = [c.find("skipped") for c in root.iter("testcase") if c.find("skipped") is not None]
    assert any(s.text == "b <evil>.txt states no `backers` of anything." for s in skipped)
    failures = [c.find("failure") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failures[0].text.endswith("Failed on 2020-01-20 in \u201cThe summit\u201d.")
    notes = [r["message"]["text"] for r in json.loads(reporting.render(run, "sarif"))["runs"][0]["results"]
             if r["level"] == "note"]
    assert any(t.endswith("says nothing about Russia in b <evil>.txt. b <evil>.txt states no `backers` of anything.")
               for t in notes), notes


def test_compact_text_found_is_what_decided():
    run = sample_run()
    france = ev(SRC_B, ARTICLE_B, B_FRANCE, "France")
    run.results[5] = dataclasses.replace(run.results[5], verdict="fail", found="Russia, France", evidence=(france,))
    out = reporting.render(run, "text")
    assert " warning fail backers(LNA) excludes France: found France, expected excludes France [rules/demo.fc:7]" in out


def test_compact_text_shows_the_first_reason_of_an_unknown_cell():
    run = sample_run()
    run.results[3] = dataclasses.replace(run.results[3], why=("not stated in b <evil>.txt.",
                                                              "b <evil>.txt states no `backers` of anything."))
    out = reporting.render(run, "text")
    assert "note unknown backers(LNA) includes Russia: states no `backers` of anything [rules/demo.fc:6]" in out


def test_compact_text_names_the_source_once_in_a_joined_reason():
    run = sample_run()
    run.results[3] = dataclasses.replace(run.results[3], why=(
        "b <evil>.txt says nothing about Chile; b <evil>.txt says nothing about Kenya.",))
    out = reporting.render(run, "text")
    assert "unknown backers(LNA) includes Russia: says nothing about Chile; says nothing about Kenya" in out


def test_text_report_plain():
    out = reporting.render(sample_run(), "table", width=220)
    assert "\x1b[" not in out
    for needle in (SRC_A, SRC_B, f'test "{TEST_B}"', "rules/demo.fc:3", "consensus: 2020-01-19",
                   "dissenters: b <evil>.txt", "waiting for the desk", "@warning"):
        assert needle in out, needle
    flat = " ".join(out.replace("|", " ").split())
    assert "20 January" in flat  # the evidence sentence of a fail is quoted
    assert "will take place" not in flat  # ... but not that of a pass
    assert out.rstrip().splitlines()[-1] == "4 pass, 2 fail, 2 unknown, 0 error, 2 skipped (10 results)"
    assert out.count("date(Berlin summit)") >= 2


def test_text_report_colour_and_no_markup_injection():
    run = sample_run()
    run.results[2] = Result(RULES, 6, 5, "[bold red]styled[/]", "backers(LNA) includes Russia", SRC_A, "pass",
                            "error", "includes Russia", "[link=x]Russia[/link]")
    coloured = reporting.render(run, "table", color=True)
    assert "\x1b[" in coloured
    plain = reporting.render(run, "table", width=220)
    assert "[bold red]styled[/]" in plain and "[link=x]Russia[/link]" in plain


def test_text_report_quiet_keeps_failures_only():
    out = reporting.render(sample_run(), "table", quiet=True, width=220)
    body = out.rstrip().rsplit("\n", 1)[0]
    assert body.count("| fail ") == 2 and "| pass " not in body and "| unknown " not in body
    assert "waiting for the desk" not in out and "Truce" not in out
    assert out.rstrip().endswith("(10 results)")


def test_text_report_verbose_quotes_passing_evidence():
    assert "officials said" in " ".join(reporting.render(sample_run(), "table", verbose=True, width=200).split())


# --------------------------------------------------------------------------- json

JSON_SCHEMA = {
    "type": "object",
    "required": ["results", "summary"],
    "additionalProperties": False,
    "properties": {
        "results": {"type": "array", "items": {
            "type": "object",
            "required": ["file", "line", "test", "assertion", "source", "verdict", "severity", "expected", "found",
                         "evidence"],
            "additionalProperties": False,
            "properties": {
                "file": {"type": "string"}, "line": {"type": "integer", "minimum": 1},
                "test": {"type": ["string", "null"]}, "assertion": {"type": "string"},
                "source": {"type": "string"},
                "verdict": {"enum": ["pass", "fail", "unknown", "error", "skipped"]},
                "severity": {"enum": ["error", "warning", "info"]},
                "expected": {"type": "string"}, "found": {"type": ["string", "null"]},
                "message": {"type": "string"},
                "consensus": {"type": ["string", "null"]},
                "dissenters": {"type": "array", "items": {"type": "string"}},
                "why": {"type": "array", "items": {"type": "string"}},
                "evidence": {"type": "array", "items": {
                    "type": "object",
                    "required": ["text", "start", "end", "value", "hedged", "resolution"],
                    "additionalProperties": False,
                    "properties": {"text": {"type": "string"}, "start": {"type": "integer", "minimum": 0},
                                   "end": {"type": "integer", "minimum": 0}, "value": {"type": "string"},
                                   "hedged": {"type": "boolean"}, "resolution": {"type": ["string", "null"]}},
                }},
            },
        }},
        "summary": {"type": "object", "required": ["pass", "fail", "unknown", "error", "skipped", "total"],
                    "additionalProperties": False,
                    "properties": {k: {"type": "integer", "minimum": 0}
                                   for k in ("pass", "fail", "unknown", "error", "skipped", "total")}},
        "errors": {"type": "array", "items": {"type": "string"}},
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}


def check_json_report(doc: dict, run: Run) -> None:
    jsonschema.validate(doc, JSON_SCHEMA)
    assert doc["summary"] == run.summary()
    assert doc["summary"]["total"] == len(doc["results"]) == len(run.results)
    for r in doc["results"]:
        if r["verdict"] in ("pass", "fail"):
            assert r["evidence"], r


def test_json_report_matches_the_spec_schema():
    run = sample_run()
    doc = json.loads(reporting.render(run, "json"))
    check_json_report(doc, run)
    assert doc["summary"] == {"pass": 4, "fail": 2, "unknown": 2, "error": 0, "skipped": 2, "total": 10}
    first = doc["results"][0]
    assert first["evidence"][0]["text"] == A_DATE
    assert ARTICLE_A[first["evidence"][0]["start"]:first["evidence"][0]["end"]] == A_DATE
    assert doc["results"][9]["dissenters"] == [SRC_B]
    assert doc["errors"] == ["tests/data/c.txt: is a directory, not a source file"]


# --------------------------------------------------------------------------- markdown


def test_markdown_table_shape_and_content():
    out = reporting.render(sample_run(), "markdown")
    lines = out.splitlines()
    table = [ln for ln in lines if ln.startswith("| ")]
    # columns headed by outlet and date, not by file name
    assert table[0] == "| test | assertion | Wire<br>2020-01-14 | Blog &lt;i&gt;<br>2020-01-14 |"
    assert len(table) == 2 + 5  # header, alignment line, one row per assertion
    assert all(ln.count(" | ") == 3 for ln in table)
    assert "| \u2705 pass | \u274c fail |" in table[2]
    assert "| \u2705 pass | unknown |" in table[3]  # unknown is quiet: no emoji
    assert "`backers(LNA) excludes France` *warning*" in out
    assert "consensus **2020-01-19**; dissenters: Blog &lt;i&gt;" in out  # by outlet, like the columns
    assert "2 fail" in lines[2] and "10 results" in lines[2]
    # which file each column is, and every cell's reason, the file's name read as "this article"
    assert "- **Blog &lt;i&gt;**, 2020-01-14: b &lt;evil&gt;.txt" in out
    assert "unknown, This article says nothing about Russia." in out


def test_markdown_opens_with_what_needs_a_decision():
    out = reporting.render(sample_run(), "markdown")
    top = out[:out.index("#### All verdicts")]
    assert "#### Needs a decision (3)" in top
    fails = top[top.index("**Failed**"):top.index("**Disagrees")]
    assert fails.count("\n1. ") == 1 and "\n2. " not in fails
    assert ("\u274c error `date(Berlin summit) == 2020-01-19` in **Blog &lt;i&gt;**, 2020-01-14 (rules/demo.fc:3): "
            "Expected == 2020-01-19, found 2020-01-20.") in fails
    assert "> The summit is on 20 January" in fails
    dissent = top[top.index("**Disagrees"):top.index("**Sources that")]
    assert ("`consistent date(Berlin summit)`: **Blog &lt;i&gt;**, 2020-01-14 says **2020-01-20**; "
            "the consensus is **2020-01-19**") in dissent
    assert "- tests/data/c.txt: is a directory, not a source file" in top[top.index("**Sources that"):]


def test_markdown_marks_a_warnings_failure_apart_and_says_when_nothing_needs_deciding():
    run = sample_run()
    warned = [r if (r.line, r.source) != (7, SRC_A) else
              Result(r.file, r.line, r.column, r.test, r.assertion, r.source, "fail", "warning", r.expected,
                     "France", message=None) for r in run.results]
    out = reporting.render(with_results(run, warned), "markdown")
    row = next(ln for ln in out.splitlines() if ln.startswith("|") and "excludes France" in ln)
    assert f"| {markdown.WARNED} fail (warning) |" in row and "\u274c" not in row
    top = out[:out.index("#### All verdicts")]
    # errors first, then warnings
    assert top.index("\u274c error `date(Berlin") < top.index(f"{markdown.WARNED} warning `backers(LNA) excludes")
    calm = Run(results=[r for r in run.results if r.verdict != "fail" and r.consensus is None], sources=run.sources,
               rule_files=run.rule_files)
    out = reporting.render(calm, "markdown")
    assert "#### Needs a decision (0)" in out and "Nothing needs a decision" in out


def test_markdown_escapes_article_text():
    out = reporting.render(sample_run(), "markdown")
    assert "<img" not in out and "<script" not in out and "<evil>" not in out
    assert "&lt;img src=x" in out
    assert markdown.escape("a|b *c* [d](e) _f_ snake_case") == r"a\|b \*c\* \[d\](e) \_f\_ snake_case"
    assert markdown.code("x | y") == "`x \\| y`"


# --------------------------------------------------------------------------- junit


def test_junit_parses_and_counts():
    root = ET.fromstring(reporting.render(sample_run(), "junit"))
    assert root.tag == "testsuites"
    # 10 results and the refused source, an error case of its own
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("11", "2", "1", "4")
    cases = root.findall("./testsuite[@name='rules/demo.fc']/testcase")
    assert len(cases) == 10
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["date(Berlin summit) == 2020-01-19 [b <evil>.txt]",
                                               "consistent date(Berlin summit) [b <evil>.txt]"]
    failure = failed[0].find("failure")
    assert "expected == 2020-01-19, found 2020-01-20" in failure.get("message")
    assert B_DATE in failure.text
    named = [c for c in cases if c.get("classname") == f"{RULES}::{TEST_B}"]
    assert len(named) == 4
    skipped = [c.find("skipped").get("message") for c in cases if c.find("skipped") is not None]
    assert "skipped: waiting for the desk" in skipped and any(m.startswith("unknown:") for m in skipped)
    assert "directory" in root.find("system-err").text


def test_junit_error_verdict_and_control_characters():
    run = with_results(sample_run(), [
        Result(RULES, 1, 1, "t\x01", "x", SRC_A, "error", "error", "e", message="extraction failed\x07"),
        Result(RULES, 1, 1, "t\x01", "x", SRC_B, "pass", "error", "e")])
    run.errors = []
    root = ET.fromstring(reporting.render(run, "junit"))
    assert root.get("errors") == "1" and root.get("tests") == "2"
    assert root.find(".//error").get("message") == "extraction failed"


# --------------------------------------------------------------------------- sarif


def sarif_validator():
    schema = json.loads(sarif.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def check_sarif(doc: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_sarif_schema_is_pinned_and_small():
    assert sarif.SCHEMA_PATH.stat().st_size < 200_000


def test_sarif_validates_and_locates_evidence():
    run = sample_run()
    doc = json.loads(reporting.render(run, "sarif"))
    check_sarif(doc)
    assert doc["version"] == "2.1.0"
    results = doc["runs"][0]["results"]
    assert len(results) == 4  # 2 fail + 2 unknown
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == 5 and rules[0]["id"] == "rules/demo.fc:3:1"
    fail = results[0]
    assert fail["level"] == "error" and fail["ruleIndex"] == 0
    region = fail["locations"][0]["physicalLocation"]["region"]
    start, end = _span(ARTICLE_B, B_DATE)
    assert (region["charOffset"], region["charLength"]) == (start, end - start)
    assert region["startLine"] == 3 and region["snippet"]["text"] == B_DATE
    assert fail["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/data/b%20%3Cevil%3E.txt"
    unknown = [r for r in results if r["properties"]["verdict"] == "unknown"]
    assert {r["level"] for r in unknown} == {"note"}
    loc = unknown[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "rules/demo.fc" and loc["region"]["startLine"] == 6


def test_sarif_level_follows_severity():
    run = sample_run()
    base = run.results[1]
    fails = [Result(RULES, 3, 1, None, "a", SRC_B, "fail", sev, "e", "f", base.evidence)
             for sev in ("error", "warning", "info")]
    fails = [Result(r.file, i + 1, 1, r.test, r.assertion, r.source, r.verdict, r.severity, r.expected, r.found,
                    r.evidence) for i, r in enumerate(fails)]
    doc = json.loads(reporting.render(with_results(run, fails), "sarif"))
    check_sarif(doc)
    assert [r["level"] for r in doc["runs"][0]["results"]] == ["error", "warning", "note"]


def test_sarif_region_points_into_the_file_on_disk(tmp_path):
    """With front matter the file differs from the text read: the sentence is found on disk."""
    path = tmp_path / "fm.txt"
    path.write_text("---\npublished: 2020-01-14\n---\n" + ARTICLE_A, encoding="utf-8")
    run = sample_run()
    run.sources = [Source(SRC_A, str(path), ARTICLE_A)]
    start, end = _span(ARTICLE_A, A_DATE)
    run.results = [Result(RULES, 3, 1, None, "x", SRC_A, "fail", "error", "e", "f",
                          (Evidence(SRC_A, A_DATE, start, end, "v"), Evidence(SRC_A, A_BACK, *_span(ARTICLE_A, A_BACK), "w")))]
    doc = json.loads(reporting.render(run, "sarif"))
    check_sarif(doc)
    result = doc["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    disk = path.read_text(encoding="utf-8")
    assert disk[region["charOffset"]:region["charOffset"] + region["charLength"]] == A_DATE
    assert region["startLine"] == 6 and region["startColumn"] == 1
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["snippet"]["text"] == A_BACK


# --------------------------------------------------------------------------- facts listing


def test_facts_text_and_json():
    run = sample_run()
    text = facts_report.render(run)
    assert text.index("== a.txt") < text.index("== b <evil>.txt")
    assert "date(Berlin summit) = 2020-01-19" in text and "resolved: on Sunday -> 2020-01-19" in text
    assert "backers(LNA) = Russia  [hedged]" in text and "backers(LNA) = not France  [negative]" in text
    assert "date(Berlin summit) = 2020-01-20" in text  # an event without KB name reads as places + head
    assert text.rstrip().endswith("4 facts from 2 sources")
    doc = json.loads(facts_report.render(run, format="json"))
    fact = doc["sources"][1]["facts"][1]
    assert {k: fact[k] for k in ("predicate", "subject", "value", "polarity", "hedged")} == {
        "predicate": "backers", "subject": "LNA", "value": "France", "polarity": False, "hedged": False}
    assert ARTICLE_B[fact["start"]:fact["end"]] == fact["sentence"]


# --------------------------------------------------------------------------- html, static checks


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="fc-data">(.*?)</script>', page, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def check_html_static(page: str) -> None:
    """Self-contained and inert: no fetch of anything, no raw article markup."""
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", page, re.I)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(https?:|//)", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    block = re.search(r'<script type="application/json" id="fc-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert len(re.findall(r"<script\b", page)) == 2


def test_html_escapes_everything_and_embeds_safe_json():
    run = sample_run()
    page = reporting.render(run, "html")
    check_html_static(page)
    assert EVIL not in page and "<img" not in page and "<evil>" not in page and TEST_B not in page
    assert "b &lt;evil&gt;.txt" in page and "Blog &lt;i&gt;" in page and "backers &lt;b&gt;" in page
    data = embedded_data(page)
    assert [s["name"] for s in data["sources"]] == [SRC_A, SRC_B]
    assert len(data["rows"]) == 5 and all(len(r["cells"]) == 2 for r in data["rows"])
    evidence = data["rows"][0]["cells"][0]["evidence"][0]
    assert evidence["para"] == "The Berlin summit will take place on Sunday, officials said. Germany hosts it."
    assert evidence["para"][evidence["pstart"]:evidence["pend"]] == A_DATE
    assert data["rows"][4]["consensus"] == "2020-01-19" and data["rows"][4]["dissenters"] == [SRC_B]
    assert data["sources"][1]["facts"][1]["polarity"] is False
    assert page.count('class="cell v-') == 10 and page.count('class="arow"') == 5


def test_html_facts_panel_and_without_facts():
    page = reporting.render(sample_run(), "html")
    assert page.count('<details class="source-facts"') == 2
    assert "Russia backs the LNA, according to diplomats." in page
    bare = reporting.render(sample_run(with_facts=False), "html")
    assert "made without the extracted facts" in bare


def test_script_json_escapes_html_significant_characters():
    out = html_report.script_json({"a": "</script><b>&\u2028"})
    assert out == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\\u2028"}'
    assert json.loads(out) == {"a": "</script><b>&\u2028"}


# --------------------------------------------------------------------------- html, in a browser

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(profile: Path) -> list[str]:
    return [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--virtual-time-budget=5000"]


def browser_selftest(page: str, tmp_path: Path, screenshot: Path | None = None) -> tuple[dict, str]:
    """Load the page with #selftest in headless Chromium; the self-test's findings and the DOM."""
    if chromium() is None:
        pytest.skip("no chromium binary found (apt-get install -y chromium)")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    url = path.as_uri() + "#selftest"
    proc = subprocess.run([*chromium_args(tmp_path / "profile"), "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    m = re.search(r'<pre id="fc-selftest"[^>]*>(.*?)</pre>', dom, re.S)
    assert m and m.group(1), "the page's self-test did not run"
    if screenshot is not None:
        shot = subprocess.run([*chromium_args(tmp_path / "profile2"), "--window-size=1400,1000",
                               f"--screenshot={screenshot}", url], capture_output=True, text=True, timeout=120)
        assert shot.returncode == 0, shot.stderr[-2000:]
        assert screenshot.stat().st_size > 10_000
    return json.loads(htmllib.unescape(m.group(1))), dom


def test_html_in_chromium(tmp_path):
    page = reporting.render(sample_run(), "html")
    state, dom = browser_selftest(page, tmp_path, screenshot=tmp_path / "report.png")
    assert state["title"] == "factcheck report"
    assert "<title>factcheck report</title>" in dom  # the injected scripts did not rename the page
    assert (state["rows"], state["columns"]) == (5, 2)
    assert state["clicked"] == {"row": 0, "col": 1, "verdict": "fail"}
    assert state["mark"] == B_DATE  # the injected markup is shown as text, highlighted
    assert "expected== 2020-01-19found2020-01-20" in state["detail"]
    assert state["rowsFailOnly"] == 2  # the two rows with a failing cell
    assert state["columnsOneSource"] == 1
    assert state["rowsFirstTest"] == 1
    assert state["rowsAll"] == 5
    assert state["images"] == 0 and state["scripts"] == 2
    assert "<img" not in dom
    # the top panel, as the page has it before any click: the failure, the dissenter, the refused file
    assert [(d["kind"], d["row"], d["col"]) for d in state["decide"]] == [
        ("fail", 0, 1), ("dissent", 4, 1), ("refused", None, None)]
    assert "Blog <i>, 2020-01-14" in state["decide"][0]["text"]
    assert "Expected == 2020-01-19, found 2020-01-20." in state["decide"][0]["text"]
    assert "says 2020-01-20; the consensus is 2020-01-19" in state["decide"][1]["text"]
    assert "tests/data/c.txt: is a directory" in state["decide"][2]["text"]
    # columns headed by outlet and date
    assert state["headers"] == [{"outlet": "Wire", "date": "2020-01-14"}, {"outlet": "Blog <i>", "date": "2020-01-14"}]
    # every cell's reason is on screen without a click
    reasons = {(c["row"], c["col"]): c for c in state["reasons"]}
    assert len(reasons) == 10 and all(c["shown"] and c["why"] for c in reasons.values())
    assert reasons[(1, 1)]["why"] == "This article says nothing about Russia."
    assert reasons[(0, 1)]["why"] == "Expected == 2020-01-19, found 2020-01-20."
    # keyboard: right, down, End, Home, up from the first cell; then `n` opens the first item to decide
    assert state["keys"] == ["c-0-1", "c-1-1", "c-1-1", "c-1-0", "c-0-0"]
    assert state["nextItem"] == {"focused": "c-0-1", "detail": "fail"}


def test_html_top_panel_and_cells_carry_reasons_in_the_markup():
    """Without any script (printed, mailed, or read with JavaScript off) the page says what needs a
    decision and why each cell is what it is; a warning's failure is coloured apart from an error's."""
    run = sample_run()
    warned = [r if (r.line, r.source) != (7, SRC_A) else
              Result(r.file, r.line, r.column, r.test, r.assertion, r.source, "fail", "warning", r.expected,
                     "France", why=("The article names France among the LNA's backers.",)) for r in run.results]
    warned = [r if (r.line, r.source) != (10, SRC_B) else
              Result(r.file, r.line, r.column, r.test, r.assertion, r.source, "error", "error", r.expected,
                     message="the extractor crashed on b <evil>.txt") for r in warned]
    page = reporting.render(with_results(run, warned), "html")
    check_html_static(page)
    panel = page[page.index('<section class="decide'):page.index('<section class="overview"')]
    items = re.findall(r'<li class="item [a-z]+" data-kind="([a-z]+)"(?: data-row="(\d+)" data-col="(\d+)")?', panel)
    # errors before warnings, then what could not be checked, then the dissent, then the refused source
    assert items == [("fail", "0", "1"), ("fail", "2", "0"), ("unchecked", "3", "1"), ("dissent", "4", "1"),
                     ("refused", "", "")]
    assert "could not check</span>" in panel and "The extractor crashed on this article." in panel
    assert 'class="tag warning">warning<' in panel and 'class="tag error">error<' in panel
    assert "The article names France among the LNA&#39;s backers." in panel  # `why` wins over the fallback
    cell = re.search(r'<td class="cell v-fail sev-warning" id="c-2-0"[^>]*>(.*?)</td>', page, re.S).group(1)
    assert "fail (warning)" in cell and "The article names France among the LNA&#39;s backers." in cell
    assert re.search(r'<td class="cell v-fail sev-error" id="c-0-1"', page)
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert '<div class="outlet">Wire</div><div class="date">2020-01-14</div><div class="file">a.txt</div>' in head
    assert "@media print" in page and "-webkit-print-color-adjust" in page
    # which file each column is, for print and for a mailed copy
    assert ('Columns: <span class="col"><b>Wire</b>, 2020-01-14: <code>a.txt</code></span>; '
            '<span class="col"><b>Blog &lt;i&gt;</b>, 2020-01-14: <code>b &lt;evil&gt;.txt</code></span>.') in page


def test_reasons_fall_back_to_message_expected_and_found():
    run = sample_run()
    by = {(r.line, r.source): r for r in run.results}
    assert common.reasons(by[(3, SRC_B)]) == ("Expected == 2020-01-19, found 2020-01-20.",)
    assert common.reasons(by[(3, SRC_A)]) == ("Found 2020-01-19.",)
    assert common.reasons(by[(6, SRC_B)]) == ("This article says nothing about Russia.",)
    assert common.reasons(by[(6, SRC_B)], itself=None) == ("B <evil>.txt says nothing about Russia.",)
    assert common.reasons(by[(10, SRC_A)]) == ("Waiting for the desk.",)
    given = Result(RULES, 1, 1, None, "x", SRC_A, "unknown", "error", "== 1", why=("One.", "Two."))
    assert common.reasons(given) == ("One.", "Two.")
    todo = common.decisions(run)
    assert [(r, c) for r, c, _, _ in todo.fails] == [(0, 1)]
    assert [(d.index, d.column, d.consensus) for d in todo.dissents] == [(4, 1, "2020-01-19")]
    assert todo.refused == ["tests/data/c.txt: is a directory, not a source file"]
    assert [c.short for c in common.columns(run)] == ["Wire, 2020-01-14", "Blog <i>, 2020-01-14"]
