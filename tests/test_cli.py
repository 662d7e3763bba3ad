"""The command line: arguments, exit codes, error output, formats, files; then end to end
on the seed articles (spaCy) with a golden Markdown report and the HTML in Chromium."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from factcheck.run import reporting
from factcheck import cli
from factcheck.cli.terminal import ProgressBar
from factcheck.run import runner
from factcheck.model import Result, Run
from test_reports import (RULES, SRC_A, SRC_B, browser_selftest, check_html_static, check_json_report, check_sarif,
                          sample_run, with_results)

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "data" / "seeds.md"
PY = sys.executable


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def fake_check(monkeypatch, in_repo):
    """runner.check replaced by the hand-built run; records its arguments."""
    calls = []

    def check(rule_paths, source_patterns, entities=(), config=None, progress=None, keep_facts=False, **overrides):
        calls.append({"rules": list(rule_paths), "sources": list(source_patterns), "entities": list(entities),
                      "progress": progress, "keep_facts": keep_facts, "config": config})
        return calls[-1].get("run") or state["run"]

    state = {"run": sample_run()}
    monkeypatch.setattr(runner, "check", check)
    return calls, state


# --------------------------------------------------------------------------- basics


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.startswith("factcheck 0.")
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and "check" in out and "lint" in out and "facts" in out
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert all(opt in out for opt in ("--sources", "--format", "--fail-on", "--min-severity", "--output"))


def test_usage_errors_exit_2(capsys):
    assert cli.main([]) == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "--format", "pdf"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["frobnicate"])
    assert exc.value.code == 2


def test_console_script_entry_point():
    proc = subprocess.run([PY, "-c", "import sys; from factcheck.cli import main; sys.exit(main(['--version']))"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and proc.stdout.startswith("factcheck ")


def test_the_command_process_runs_exit_functions_and_keeps_its_output_and_code():
    """`cli.run` (the console script) ends with `os._exit`: before that, what was written is
    flushed, the exit functions have run, and the exit code is the command's."""
    code = ("import atexit, sys; atexit.register(lambda: print('exit functions ran')); "
            "sys.argv = ['factcheck', 'lint', 'rules/libya.fc', 'no-such.fc']; "
            "from factcheck.cli import run; print('before', end=' '); run()")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 2
    assert proc.stdout.startswith("before ") and proc.stdout.endswith("exit functions ran\n")
    assert "no-such.fc" in proc.stderr


# --------------------------------------------------------------------------- lint


def test_lint_ok_without_spacy(in_repo):
    code = ("import sys; from factcheck.cli import main; rc = main(['lint', 'rules/libya.fc']); "
            "assert 'spacy' not in sys.modules, 'lint imported spaCy'; "
            "assert 'jinja2' not in sys.modules; sys.exit(rc)")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "rules/libya.fc: ok (13 assertions)\n"


def test_lint_error_is_one_line_and_a_caret(tmp_path, capsys):
    bad = tmp_path / "bad.fc"
    bad.write_text("date(Berlin summit) == 2020-01-19\nbacker(LNA) includes Russia\n", encoding="utf-8")
    assert cli.main(["lint", str(bad)]) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:2:") and "backers" in lines[0]
    assert any(line.strip().startswith("^") for line in lines[1:])
    assert "Traceback" not in err


def test_lint_missing_file_and_folder_expansion(tmp_path, capsys):
    assert cli.main(["lint", str(tmp_path / "nope.fc")]) == 2
    err = capsys.readouterr().err
    assert "nope.fc" in err and "Traceback" not in err and len(err.strip().splitlines()) <= 3
    (tmp_path / "one.fc").write_text("date(Berlin summit) == 2020-01-19\n", encoding="utf-8")
    (tmp_path / "two.fc").write_text("consistent date(Berlin summit)\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a rule file", encoding="utf-8")
    assert cli.main(["lint", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'one.fc'}: ok (1 assertion)\n{tmp_path / 'two.fc'}: ok (1 assertion)\n"
    assert cli.main(["lint", str(tmp_path / "*.fc")]) == 0
    assert cli.main(["lint", str(tmp_path / "z*.fc")]) == 2
    assert "matches no rule file" in capsys.readouterr().err


# --------------------------------------------------------------------------- check, with a fake runner


def test_check_exit_codes_follow_the_policy(fake_check, capsys):
    calls, state = fake_check
    assert cli.main(["check", "rules/libya.fc", "-q"]) == 1  # an error-severity assertion failed
    assert calls[0]["rules"] == ["rules/libya.fc"] and calls[0]["progress"] is None
    assert calls[0]["sources"] and calls[0]["sources"][0].endswith("seeds/*.txt")  # from [tool.factcheck]
    state["run"] = with_results(sample_run(), [Result(RULES, 1, 1, None, "x", SRC_A, "fail", "warning", "e")])
    assert cli.main(["check", "rules/libya.fc", "-q"]) == 1  # the sample run refused a source
    assert cli.main(["check", "rules/libya.fc", "-q", "--allow-errors"]) == 0
    state["run"].errors = []
    assert cli.main(["check", "rules/libya.fc", "-q"]) == 0
    assert cli.main(["check", "rules/libya.fc", "-q", "--min-severity", "warning"]) == 1
    state["run"] = with_results(sample_run(), [Result(RULES, 1, 1, None, "x", SRC_A, "unknown", "error", "e")])
    state["run"].errors = []
    assert cli.main(["check", "rules/libya.fc", "-q"]) == 0
    assert cli.main(["check", "rules/libya.fc", "-q", "--fail-on", "unknown"]) == 1
    state["run"] = with_results(sample_run(), [Result(RULES, 1, 1, None, "x", SRC_A, "error", "error", "e"),
                                               Result(RULES, 1, 1, None, "x", SRC_B, "pass", "error", "e")])
    state["run"].errors = []
    assert cli.main(["check", "rules/libya.fc", "-q"]) == 1  # an `error` verdict
    assert cli.main(["check", "rules/libya.fc", "-q", "--allow-errors"]) == 0
    capsys.readouterr()


def test_check_warns_once_per_error_line_and_reports_the_rest(fake_check, capsys):
    _, state = fake_check
    run = sample_run()
    run.errors = ["x.txt: no such file", "x.txt: no such file", "y.txt: is binary"]
    state["run"] = run
    assert cli.main(["check", "rules/libya.fc", "--format", "json", "-q"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["factcheck: error: x.txt: no such file",
                                         "factcheck: error: y.txt: is binary"]
    assert json.loads(captured.out)["summary"]["total"] == 10


def test_check_every_source_failed_exits_2(fake_check, capsys):
    _, state = fake_check
    state["run"] = Run(errors=["a.txt: no such file"], rule_files=[RULES])
    assert cli.main(["check", "rules/libya.fc", "--sources", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "a.txt: no such file" in err and "no source could be read" in err


def test_check_internal_error_is_one_line_unless_debug(monkeypatch, in_repo, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(runner, "check", broken)
    assert cli.main(["check", "rules/libya.fc"]) == 3
    err = capsys.readouterr().err
    assert err == ("factcheck: internal error: RuntimeError: engine exploded; "
                   "run with --debug for the traceback\n")
    assert cli.main(["check", "rules/libya.fc", "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "engine exploded" in err


def test_check_without_sources_anywhere_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.fc").write_text("date(Berlin summit) == 2020-01-19\n", encoding="utf-8")
    assert cli.main(["check", "r.fc"]) == 2
    assert "no sources given" in capsys.readouterr().err
    assert cli.main(["check"]) == 2
    assert "no rule files given" in capsys.readouterr().err


def test_bad_config_is_exit_2(tmp_path, capsys):
    cfg = tmp_path / "factcheck.yaml"
    cfg.write_text("sorces: [x]\n", encoding="utf-8")
    assert cli.main(["check", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "unknown key `sorces`" in err and "sources" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["text", "table", "json", "junit", "html", "markdown", "sarif"])
def test_every_format_to_a_file(fake_check, tmp_path, capsys, fmt):
    calls, _ = fake_check
    out = tmp_path / f"report.{fmt}"
    assert cli.main(["check", "rules/libya.fc", "--format", fmt, "--output", str(out), "-q"]) == 1
    assert capsys.readouterr().out == ""
    text = out.read_text(encoding="utf-8")
    assert calls[-1]["keep_facts"] is (fmt == "html")
    if fmt == "json":
        check_json_report(json.loads(text), sample_run())
    elif fmt == "junit":
        assert ET.fromstring(text).get("tests") == "11"  # 10 results and the refused source
    elif fmt == "sarif":
        check_sarif(json.loads(text))
    elif fmt == "html":
        check_html_static(text)
    elif fmt == "markdown":
        assert text.startswith("### factcheck report")
    else:
        assert "\x1b[" not in text and text.rstrip().endswith("(10 results)")


def test_output_to_an_unwritable_place_is_exit_2(fake_check, tmp_path, capsys):
    assert cli.main(["check", "rules/libya.fc", "-q", "-o", str(tmp_path / "no" / "dir" / "r.txt")]) == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_progress_only_on_a_terminal(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    assert ProgressBar(enabled=True).callback is not None
    assert ProgressBar(enabled=False).callback is None  # --quiet
    monkeypatch.setenv("NO_COLOR", "1")
    assert ProgressBar(enabled=True).callback is None


# --------------------------------------------------------------------------- end to end on the seeds (spaCy)


@pytest.fixture(scope="module")
def seeds_run():
    """One real run over the seeds, facts kept (reused by the HTML test)."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        from factcheck.config import load_config

        return runner.check(["rules/libya.fc"], ["seeds/*.txt"], [], load_config("."), keep_facts=True)
    finally:
        os.chdir(cwd)


@pytest.mark.nlp
def test_e2e_markdown_matches_the_golden_file(seeds_run, in_repo, tmp_path, capsys):
    out = tmp_path / "seeds.md"
    code = cli.main(["check", "rules/libya.fc", "--sources", "seeds/*.txt", "--format", "markdown", "-o", str(out)])
    got = out.read_text(encoding="utf-8")
    if os.environ.get("FACTCHECK_REGEN_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8"), "set FACTCHECK_REGEN_GOLDEN=1 to accept a new report"
    failed_errors = [r for r in seeds_run.results if r.verdict == "fail" and r.severity == "error"]
    assert code == (1 if failed_errors else 0)
    capsys.readouterr()


@pytest.mark.nlp
def test_e2e_exit_codes_and_json(seeds_run, in_repo, capsys):
    assert cli.main(["check", "rules/libya.fc", "--format", "json", "-q", "--fail-on", "unknown"]) == 1
    doc = json.loads(capsys.readouterr().out)
    check_json_report(doc, seeds_run)
    assert {r["source"] for r in doc["results"]} == {s.name for s in seeds_run.sources}
    assert len(seeds_run.sources) == 5 and doc["summary"]["total"] == 13 * 5


@pytest.mark.nlp
def test_e2e_facts_command(in_repo, capsys):
    assert cli.main(["facts", "seeds/000_4685feae2b63dc6e.txt", "--entities", "rules/libya.entities.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== 000_4685feae2b63dc6e.txt (")
    assert "signed(" in out and "@" in out
    assert cli.main(["facts", "seeds/000_4685feae2b63dc6e.txt", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    fact = doc["sources"][0]["facts"][0]
    assert set(fact) >= {"predicate", "subject", "value", "polarity", "hedged", "resolution", "sentence", "start", "end"}


@pytest.mark.nlp
def test_e2e_unreadable_source_is_reported_and_others_checked(in_repo, tmp_path, capsys):
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    code = cli.main(["check", "rules/libya.fc", "--sources", "seeds/000_4685feae2b63dc6e.txt", str(binary),
                     "--format", "json", "-q"])
    captured = capsys.readouterr()
    assert code == 1  # a refused source fails CI (SPEC 7)
    assert "junk.txt" in captured.err and captured.err.startswith("factcheck: error: ")
    assert {r["source"] for r in json.loads(captured.out)["results"]} == {"000_4685feae2b63dc6e.txt"}
    assert cli.main(["check", "rules/libya.fc", "--sources", str(binary), "-q"]) == 2


@pytest.mark.nlp
def test_e2e_html_in_chromium(seeds_run, tmp_path):

    page = reporting.render(seeds_run, "html")
    check_html_static(page)
    shot = tmp_path / "seeds.png"
    state, _ = browser_selftest(page, tmp_path, screenshot=shot)
    assert (state["rows"], state["columns"]) == (13, 5)
    assert state["rowsAll"] == 13 and state["columnsOneSource"] == 1
    # the top panel lists every failure and every dissenter of the run, and nothing else
    keys = list(dict.fromkeys((r.file, r.line, r.column) for r in seeds_run.results))
    names = [s.name for s in seeds_run.sources]
    failed = {(keys.index((r.file, r.line, r.column)), names.index(r.source)) for r in seeds_run.results
              if r.verdict in ("fail", "error") and r.source not in r.dissenters}
    dissent = {(keys.index((r.file, r.line, r.column)), names.index(d)) for r in seeds_run.results for d in r.dissenters}
    listed = [(d["kind"], d["row"], d["col"]) for d in state["decide"]]
    assert {(r, c) for k, r, c in listed if k in ("fail", "unchecked")} == failed and failed
    assert {(r, c) for k, r, c in listed if k == "dissent"} == dissent
    assert len(listed) == len(failed) + len(dissent) + len(seeds_run.errors)
    # headed by outlet and date, every cell's reason in the DOM before any click
    assert state["headers"] == [{"outlet": s.outlet, "date": s.published.isoformat()} for s in seeds_run.sources]
    assert len(state["reasons"]) == 65 and all(c["why"] and c["shown"] for c in state["reasons"])
    if state["clicked"]["verdict"] == "fail":
        assert state["mark"] and state["mark"] in state["paragraph"]
    try:
        Path("/tmp/factcheck-report.png").write_bytes(shot.read_bytes())
    except OSError:
        pass


def test_jobs_and_no_cache_reach_the_config(fake_check, capsys):
    calls, _ = fake_check
    cli.main(["check", "rules/libya.fc", "-q", "-j", "2", "--no-cache", "--format", "json"])
    assert calls[-1]["config"].jobs == 2 and calls[-1]["config"].no_cache is True
    cli.main(["check", "rules/libya.fc", "-q", "--format", "json"])
    assert calls[-1]["config"].no_cache is False
    with pytest.raises(SystemExit) as exc:
        cli.main(["check", "-j", "0"])
    assert exc.value.code == 2
    capsys.readouterr()


@pytest.mark.nlp
def test_cache_path_flag_and_cache_command(tmp_path, capsys):
    """--cache PATH fills that cache; `factcheck cache info|clear` report and empty it."""
    repo = Path(__file__).resolve().parent.parent
    db = tmp_path / "facts.db"
    argv = ["check", str(repo / "rules/libya.fc"), "--sources", str(repo / "seeds/001_f50bdbc25bb1aa5c.txt"),
            "--format", "json", "--cache", str(db), "--quiet"]
    assert cli.main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert cli.main(["cache", "info", "--cache", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"path: {db}" in out and "entries: 1" in out
    assert cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["results"] == first["results"]
    assert cli.main(["cache", "clear", "--cache", str(db)]) == 0
    assert "removed 1 entry" in capsys.readouterr().out
    assert cli.main(["cache", "info", "--cache", str(db)]) == 0
    assert "entries: 0" in capsys.readouterr().out


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys):
    repo = Path(__file__).resolve().parent.parent
    code = cli.main(["check", str(repo / "rules/libya.fc"), "--sources", str(repo / "seeds/002_117367800fd07705.txt"),
                     "--no-cache", "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
