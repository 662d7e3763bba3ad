"""`factcheck init`: a starter project that `check` and `pytest` pass at once, never written
over existing files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import cli
from factcheck.desk import scaffold

PY = sys.executable


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    assert cli.main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "README.md: already exists" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]  # nothing else written
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "mine\n"
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    assert cli.main(["init", str(target)]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_init_writes_every_file_once(tmp_path, capsys):
    root = tmp_path / "desk"
    assert cli.main(["init", str(root)]) == 0
    out = capsys.readouterr().out
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == sorted(
        rel for rel, _ in scaffold.FILES)
    assert out.count("wrote ") == len(scaffold.FILES)
    assert 'test "' in (root / "rules/port.fc").read_text(encoding="utf-8")  # a named test
    assert cli.main(["init", str(root)]) == 2  # the second time: refused
    assert "already exists (and 5 more)" in capsys.readouterr().err
    assert cli.main(["lint", str(root / "rules/port.fc")]) == 0  # parses and type-checks
    capsys.readouterr()


@pytest.mark.nlp
def test_init_then_check_and_pytest_pass_at_once(tmp_path):
    root = tmp_path / "desk"
    proc = subprocess.run([PY, "-m", "factcheck.cli", "init", str(root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run([PY, "-m", "factcheck.cli", "check", "-q", "--format", "json"], cwd=root,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stderr
    results = json.loads(check.stdout)["results"]
    assert len(results) == 6 and {r["verdict"] for r in results} == {"pass"}, results
    tests = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=root,
                           capture_output=True, text=True, timeout=600)
    assert tests.returncode == 0, tests.stdout[-3000:]
    tail = tests.stdout.strip().splitlines()[-1]
    assert "passed" in tail and "failed" not in tail and "skipped" not in tail and "error" not in tail
    assert "port.fc::tests::the port authority signs too" in subprocess.run(
        [PY, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider"], cwd=root,
        capture_output=True, text=True, timeout=600).stdout
