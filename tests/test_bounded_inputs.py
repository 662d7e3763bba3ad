"""Inputs that would take minutes, gigabytes or forever are refused with one line (the first
cases of issue 18): YAML whose aliases expand it past 200,000 values (an alias bomb) or that
nests past 100 levels, both read off the YAML event stream, which expands nothing and recurses
nowhere; a knowledge base that is a FIFO or a device, refused without a read; an article longer
than the spaCy model reads at once."""
from __future__ import annotations

import os
import time

import pytest

from factcheck.extract import ExtractionRequest
from factcheck.errors import ConfigError, KnowledgeBaseError
from factcheck.kb.store import load_kb
from factcheck.yamlio import MAX_DEPTH, read_yaml

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


def test_an_alias_bomb_is_refused_in_no_time():
    started = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        read_yaml(BOMB, "bomb.yaml", error=ConfigError)
    assert time.perf_counter() - started < 1
    assert str(err.value) == ("bomb.yaml: YAML that expands to more than 200,000 values through its aliases (*name): "
                              "refused, as a YAML alias bomb would be")


def test_a_few_aliases_are_fine():
    data, _ = read_yaml("a: &x [1, 2]\nb: *x\n", "ok.yaml")
    assert data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_deep_nesting_is_refused_not_a_recursion_error(depth):
    with pytest.raises(ConfigError) as err:
        read_yaml("[" * depth + "]" * depth, "deep.yaml", error=ConfigError)
    assert f"YAML nested more than {MAX_DEPTH} levels deep" in str(err.value)


def test_a_knowledge_base_bomb_or_fifo_is_refused(tmp_path):
    (tmp_path / "bomb.entities.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="through its aliases"):
        load_kb([str(tmp_path / "bomb.entities.yaml")])
    os.mkfifo(tmp_path / "pipe.entities.yaml")
    with pytest.raises(KnowledgeBaseError, match="it is a named pipe \\(FIFO\\), not a file"):
        load_kb([str(tmp_path / "pipe.entities.yaml")])


@pytest.mark.nlp
def test_an_article_past_the_models_length_is_read_in_parts(monkeypatch):
    """spaCy reads at most `max_length` characters at once (1,000,000; its E088 message is a
    paragraph): an article is parsed in segments well under it, so even one past it is read
    (the limit is made small here to keep the test fast)."""
    from factcheck.extract import nlp as nlp_mod
    from factcheck.run import runner
    from factcheck.model import Source

    nlp = nlp_mod.load("en_core_web_sm")
    monkeypatch.setattr(nlp, "max_length", 5_000)
    long = Source("long.txt", "long.txt", "Talks went on in the capital. " * 1_000 + "\n\nQatar hosted the talks in Doha.\n")
    short = Source("short.txt", "short.txt", "Qatar hosted the talks in Doha.")
    facts, errors = runner.extract_all([long, short], ExtractionRequest(load_kb([]), "en_core_web_sm"))
    assert errors == {}
    assert "Qatar" in {f.subject.name for f in facts["long.txt"] if f.predicate == "mentions"}
    qatar = [f for f in facts["long.txt"] if f.subject.name == "Qatar"]
    assert qatar and all(long.text[f.start:f.end] == f.sentence for f in qatar) and qatar[0].start > 30_000


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                out |= {int(x) for x in fh.read().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.nlp
def test_sigterm_ends_the_pool_workers_too(tmp_path):
    """What `timeout` and a CI cancel send: the run stops with 143 and leaves no worker behind."""
    import signal
    import subprocess
    import sys

    (tmp_path / "r.fc").write_text("mentions(Qatar)\n", encoding="utf-8")
    for i in range(40):
        (tmp_path / f"{i:02d}.txt").write_text("Qatar hosted talks in Doha on Monday. " * 200, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "factcheck.cli", "check", "r.fc", "--sources", "*.txt",
                             "--jobs", "2", "--no-cache", "--format", "json"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = {c for c in _children(proc.pid) if _alive(c)}
        time.sleep(0.1)
    assert len(workers) >= 2, "the pool never started"
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == "factcheck: terminated"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]


def test_an_error_quoting_a_huge_value_is_one_capped_line(tmp_path, capsys):
    from factcheck import cli

    huge = "x" * 1_000_000
    (tmp_path / "kb.entities.yaml").write_text(f"entities:\n  Qatar: {{{huge}: 1}}\n", encoding="utf-8")
    (tmp_path / "r.fc").write_text('use "kb.entities.yaml"\nmentions(Qatar)\n', encoding="utf-8")
    assert cli.main(["lint", str(tmp_path / "r.fc")]) == 2
    err = capsys.readouterr().err
    assert "characters in all)" in err and max(len(line) for line in err.splitlines()) < 2_100
