"""YAML that would take minutes or gigabytes is refused before anything is built (issue 18's
first cases): an alias bomb, and nesting deep enough to exhaust the parser's recursion. Both
are read off the YAML event stream, which expands nothing and recurses nowhere. Also: a
knowledge base that is a FIFO or a device is refused without a read."""
from __future__ import annotations

import os
import time

import pytest

from factcheck.errors import ConfigError, KnowledgeBaseError
from factcheck.kb import load_kb
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
