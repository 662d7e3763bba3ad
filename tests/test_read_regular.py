"""`safety.read_regular`, the one reader of a regular file: the bytes of a file, or an
`UnreadableFile` that says why not in words its callers put in their own located errors
(rule files, knowledge bases; sources with a limit). No spaCy."""
from __future__ import annotations

import os

import pytest

from factcheck import safety
from factcheck.dsl.parser import parse_file
from factcheck.errors import KnowledgeBaseError, RuleSyntaxError
from factcheck.kb.loader import load_entries
from factcheck.safety import UnreadableFile, read_regular


def test_a_regular_file_is_read_whole_and_a_symbolic_link_followed(tmp_path):
    path = tmp_path / "a.fc"
    path.write_bytes(b"mentions(Jordan)\n\xff")
    (tmp_path / "link.fc").symlink_to(path)
    assert read_regular(str(path)) == b"mentions(Jordan)\n\xff"
    assert read_regular(str(tmp_path / "link.fc")) == b"mentions(Jordan)\n\xff"
    assert read_regular(str(path), limit=18) == b"mentions(Jordan)\n\xff"  # exactly the limit is fine


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        read_regular(str(tmp_path / "nowhere.fc"))
    assert caught.value.missing and caught.value.special is None and not caught.value.too_large
    assert str(caught.value) == caught.value.reason == "No such file or directory"


def test_a_directory_a_fifo_and_a_device_are_refused_unread(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # reading it would block forever
    for path, kind in ((tmp_path, "a directory"), (tmp_path / "pipe", "a named pipe (FIFO)"),
                       ("/dev/zero", "a device")):  # /dev/zero would never end
        with pytest.raises(UnreadableFile) as caught:
            read_regular(str(path))
        assert caught.value.special == kind and not caught.value.missing
        assert str(caught.value) == f"it is {kind}, not a file"


def test_what_the_system_refuses_is_said_in_its_words(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        read_regular(str(tmp_path / ("x" * 300)))
    assert str(caught.value) == "File name too long"
    assert not caught.value.missing and caught.value.special is None
    (tmp_path / "file").write_text("x")
    with pytest.raises(UnreadableFile) as caught:
        read_regular(str(tmp_path / "file" / "below"))
    assert str(caught.value) == "Not a directory"


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(UnreadableFile) as caught:
        read_regular(str(path), limit=100)
    assert caught.value.too_large and caught.value.size == 101
    assert read_regular(str(path), limit=101) == b"x" * 101
    assert read_regular(str(path)) == b"x" * 101  # no limit: read to the end


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 500)
    real_stat = os.stat

    def smaller(p, *args, **kwargs):  # what stat said before the file grew to 500 bytes
        st = real_stat(p, *args, **kwargs)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(safety.os, "stat", smaller)
    assert read_regular(str(path), limit=500) == b"x" * 500  # grew, but not past the limit
    with pytest.raises(UnreadableFile) as caught:
        read_regular(str(path), limit=100)
    assert caught.value.too_large and caught.value.size is None


def test_rule_files_and_knowledge_bases_word_it_in_their_own_located_errors(tmp_path):
    os.mkfifo(tmp_path / "pipe.fc")
    with pytest.raises(RuleSyntaxError) as rule:
        parse_file(tmp_path / "pipe.fc")
    assert rule.value.headline() == f"{tmp_path / 'pipe.fc'}: cannot read rule file: it is a named pipe (FIFO), not a file"
    with pytest.raises(RuleSyntaxError) as rule:
        parse_file(tmp_path / "missing.fc")
    assert rule.value.message == "cannot read rule file: No such file or directory"
    assert rule.value.hint == "check the path and its permissions"
    with pytest.raises(KnowledgeBaseError) as kb:
        load_entries([str(tmp_path)])
    assert kb.value.headline() == f"{tmp_path}: cannot read knowledge base: it is a directory, not a file"
