"""`factcheck check --watch`: one re-run per change, printing only the verdicts that changed."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from factcheck.desk import watch
from factcheck.errors import RuleSyntaxError
from factcheck.model import Result, Run

PY = sys.executable


def result(assertion: str, verdict: str, line: int, source: str = "a.txt", file: str = "r.fc") -> Result:
    return Result(file, line, 1, None, assertion, source, verdict, "error", "x", message=f"{verdict} here")


def test_diff_keeps_rows_that_did_not_change_out():
    before = [result("p(A) == 1", "pass", 1), result("p(B) == 2", "unknown", 2), result("p(C) == 3", "pass", 3)]
    # B's verdict changes; C's assertion is edited in place; Z is new
    after = [result("p(A) == 1", "pass", 1), result("p(B) == 2", "fail", 2), result("p(C) == 4", "fail", 3),
             result("p(Z) == 0", "pass", 4)]
    changes = watch.diff(before, after)
    assert [(c.before and c.before.assertion, c.after and c.after.assertion) for c in changes] == [
        ("p(B) == 2", "p(B) == 2"), ("p(C) == 3", "p(C) == 4"), (None, "p(Z) == 0")]
    # a line inserted above moves every row: only the new one is a change
    moved = [result("p(Y) == 9", "unknown", 1)] + [result(r.assertion, r.verdict, r.line + 1) for r in before]
    assert [(c.before, c.after.assertion) for c in watch.diff(before, moved)] == [(None, "p(Y) == 9")]
    changes = [changes[2], changes[0]]
    assert watch.change_line(changes[1]) == ("  r.fc:2 p(B) == 2 on a.txt: unknown -> fail: "
                                             "Expected x, found nothing comparable. Fail here.")
    assert watch.change_line(changes[0]) == "  r.fc:4 p(Z) == 0 on a.txt: new -> pass: Holds."
    gone = watch.diff(after, after[:2])
    assert [watch.change_line(c) for c in gone] == ["  r.fc:3 p(C) == 4 on a.txt: gone (was fail)",
                                                    "  r.fc:4 p(Z) == 0 on a.txt: gone (was pass)"]
    assert watch.diff(after, list(after)) == []


def test_targets_know_which_files_matter(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "src" / "deep").mkdir(parents=True)
    (tmp_path / ".factcheck").mkdir()
    t = watch.targets([str(tmp_path / "rules")], [str(tmp_path / "src" / "*.txt")], [], [str(tmp_path / "factcheck.yaml")])
    assert t.folders == (str(tmp_path / "rules"), str(tmp_path / "src"))  # not the root: no .venv, no .git
    assert t.relevant(str(tmp_path / "rules" / "x.fc")) and t.relevant(str(tmp_path / "rules" / "x.entities.yaml"))
    assert t.relevant(str(tmp_path / "src" / "a.txt")) and t.relevant(str(tmp_path / "factcheck.yaml"))
    assert not t.relevant(str(tmp_path / "rules" / ".x.fc.swp"))
    assert not t.relevant(str(tmp_path / "src" / "a.md"))
    assert not t.relevant(str(tmp_path / ".factcheck" / "cache.db"))
    only_src = watch.targets([], [str(tmp_path / "src" / "**" / "*.txt")])
    assert only_src.folders == (str(tmp_path / "src"),) and only_src.relevant(str(tmp_path / "src" / "deep" / "b.txt"))


def _fake_project(tmp_path: Path):
    """A rule file whose lines are `assertion = verdict`: the fake check reads it (no spaCy)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    fc = rules / "r.fc"
    fc.write_text("p(A) == 1 = pass\np(B) == 2 = unknown\np(C) == 3 = pass\n", encoding="utf-8")
    runs = []

    def run_once() -> Run:
        text = fc.read_text(encoding="utf-8")
        if "!" in text:
            raise RuleSyntaxError("unexpected `!`", str(fc), 1, 1)
        out = [result(a.strip(), v.strip(), n, file=str(fc))
               for n, ln in enumerate(text.splitlines(), 1) for a, v in [ln.rsplit("=", 1)]]
        runs.append(out)
        return Run(results=out, rule_files=[str(fc)])

    return fc, run_once, runs


class Lines(io.StringIO):
    def lines(self) -> list[str]:
        return self.getvalue().splitlines()


def _wait(cond, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("poll", [False, True], ids=["watchfiles", "polling"])
def test_watch_reruns_once_per_edit_and_prints_only_changed_rows(tmp_path, poll):
    fc, run_once, runs = _fake_project(tmp_path)
    out, stop = Lines(), threading.Event()
    target = lambda: watch.targets([str(fc.parent)], [str(tmp_path / "src" / "*.txt")])  # noqa: E731
    thread = threading.Thread(target=watch.watch, args=(run_once, target, out),
                              kwargs={"stop": stop, "poll": poll, "interval": 0.1, "clock": lambda: "T"}, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: any(ln.startswith("watching ") for ln in out.lines()))
        time.sleep(0.3)
        fc.write_text("p(A) == 1 = pass\np(B) == 2 = fail\np(C) == 3 = pass\n", encoding="utf-8")
        assert _wait(lambda: any("results)" in ln and ln.startswith("  ") for ln in out.lines()))
        time.sleep(1.0)  # no second run comes of one edit
        block = out.lines()[out.lines().index(next(ln for ln in out.lines() if ln.startswith("---"))):]
        assert block[0] == "--- T rules/r.fc changed: run 2" or block[0].endswith("r.fc changed: run 2")
        assert block[1].endswith("r.fc:2 p(B) == 2 on a.txt: unknown -> fail: Expected x, found nothing comparable. "
                                 "Fail here.")
        assert block[2].startswith("  2 pass, 1 fail, 0 unknown") and len(block) == 3
        assert len(runs) == 2
        # a half-typed rule file: one error line, the watch goes on; fixed, it compares with the last good run
        fc.write_text("p(A) == 1 = pass\n!\n", encoding="utf-8")
        assert _wait(lambda: any("unexpected `!`" in ln for ln in out.lines()))
        fc.write_text("p(A) == 1 = pass\np(B) == 2 = fail\np(C) == 3 = fail\n", encoding="utf-8")
        assert _wait(lambda: sum(ln.startswith("  ") and "results)" in ln for ln in out.lines()) == 2)
        assert out.lines()[-2].endswith("r.fc:3 p(C) == 3 on a.txt: pass -> fail: Expected x, found nothing "
                                        "comparable. Fail here.")
        # a file nobody reads changes: no run
        (tmp_path / "rules" / "notes.md").write_text("x", encoding="utf-8")
        time.sleep(0.8)
        assert len(runs) == 3
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.nlp
def test_check_watch_on_a_starter_project(tmp_path):
    """The real command in a subprocess: edit a rule, see one re-run with the one changed row, stop with Ctrl-C."""
    root = tmp_path / "desk"
    assert subprocess.run([PY, "-m", "factcheck.cli", "init", str(root)], capture_output=True).returncode == 0
    log = tmp_path / "watch.log"
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([PY, "-u", "-m", "factcheck.cli", "check", "--watch", "-q"], cwd=root, stdout=fh,
                                stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
    try:
        text = lambda: log.read_text(encoding="utf-8")  # noqa: E731
        assert _wait(lambda: "watching " in text(), timeout=300), text()
        assert "6 pass, 0 fail" in text()
        time.sleep(0.5)
        fc = root / "rules" / "port.fc"
        fc.write_text(fc.read_text(encoding="utf-8").replace("== 2024-03-11", "== 2024-03-12"), encoding="utf-8")
        assert _wait(lambda: "in " in text().split("--- ")[-1] and " s\n" in text().split("--- ")[-1], timeout=120), text()
        time.sleep(1.5)
        blocks = text().split("\n--- ")[1:]
        assert len(blocks) == 1, text()
        lines = blocks[0].splitlines()
        assert lines[0].endswith("rules/port.fc changed: run 2")
        assert lines[1] == ("  rules/port.fc:5 date(Rotterdam talks) == 2024-03-12 on harbour-gazette.txt: pass -> fail: "
                            "Expected == 2024-03-12, found 2024-03-11.")
        assert lines[2].startswith("  5 pass, 1 fail, 0 unknown, 0 error, 0 skipped (6 results) in ")
        assert len(lines) == 3
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    assert code == 0, log.read_text(encoding="utf-8")


def test_watch_prints_text_only(tmp_path, capsys, monkeypatch):
    repo = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo)
    assert cli_main(["check", "rules/libya.fc", "--watch", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "--watch prints text to the terminal; drop --format and --output" in err


def cli_main(argv):
    from factcheck import cli

    return cli.main(argv)
