"""`use` reads knowledge bases from the rule file's folder tree, or the ones the command line
or config names, and nothing else: a path that climbs out, a symlink to a secret, a FIFO, a
device or a directory is refused with one located line that never shows the target's content.
"""
from __future__ import annotations

import os

import pytest

from factcheck import cli

KB = "entities:\n  Lisbon: {aliases: [Lisboa]}\n"


@pytest.fixture
def desk(tmp_path, monkeypatch):
    (tmp_path / "desk" / "kbs").mkdir(parents=True)
    (tmp_path / "desk" / "kbs" / "places.entities.yaml").write_text(KB, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("root:x:0:0:the secret first line\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _lint(capsys, rules: str, *extra: str) -> tuple[int, str, str]:
    path = "desk/r.fc"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(rules)
    capsys.readouterr()
    code = cli.main(["lint", path, *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_a_knowledge_base_below_the_rule_file_is_read(desk, capsys):
    code, out, err = _lint(capsys, 'use "kbs/places.entities.yaml"\nmentions(Lisbon)\n')
    assert (code, out, err) == (0, "desk/r.fc: ok (1 assertion)\n", "")


@pytest.mark.parametrize("target", ["../secret.txt", "../../../../../../../../etc/passwd", "/etc/passwd"])
def test_a_path_out_of_the_folder_is_refused_without_its_content(desk, capsys, target):
    code, out, err = _lint(capsys, f'use "{target}"\nmentions(Lisbon)\n')
    assert code == 2 and out == ""
    assert err.startswith(f"desk/r.fc:1:1: error: `use` of `{target}` outside the rule file's folder")
    assert "root:" not in err and "secret first line" not in err


def test_a_symlink_to_a_secret_is_refused(desk, capsys):
    os.symlink(desk / "secret.txt", desk / "desk" / "kbs" / "link.entities.yaml")
    code, _, err = _lint(capsys, 'use "kbs/link.entities.yaml"\nmentions(Lisbon)\n')
    assert code == 2 and "outside the rule file's folder" in err and "secret first line" not in err


def test_a_knowledge_base_named_on_the_command_line_may_live_elsewhere(desk, capsys):
    (desk / "shared.entities.yaml").write_text(KB, encoding="utf-8")
    code, _, err = _lint(capsys, 'use "../shared.entities.yaml"\nmentions(Lisbon)\n',
                         "--entities", "shared.entities.yaml")
    assert code == 0, err


@pytest.mark.parametrize("make, what", [
    (lambda p: os.mkfifo(p), "a named pipe (FIFO)"),
    (lambda p: os.mkdir(p), "a directory"),
])
def test_special_files_are_named_as_such(desk, capsys, make, what):
    make(desk / "desk" / "kbs" / "odd.yaml")
    code, _, err = _lint(capsys, 'use "kbs/odd.yaml"\nmentions(Lisbon)\n')
    assert code == 2 and err.startswith(f"desk/r.fc:1:1: error: `use` of `kbs/odd.yaml`, which is {what}, not a knowledge")


def test_a_device_is_named_as_such(desk, capsys):
    os.symlink("/dev/zero", desk / "desk" / "zero.yaml")
    code, _, err = _lint(capsys, 'use "zero.yaml"\nmentions(Lisbon)\n')
    assert code == 2 and "which is a device" in err


def test_a_name_too_long_for_the_file_system_is_one_line(desk, capsys):
    code, _, err = _lint(capsys, f'use "{"k" * 300}.yaml"\nmentions(Lisbon)\n')
    assert code == 2 and err.count("\n") <= 3 and "cannot be read (file name too long)" in err
