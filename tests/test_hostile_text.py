"""Nothing lost, nothing leaked (issue 17): hostile text is inert in every output, reports
written with --output are atomic, stdout that cannot take the report (another encoding, a
full disk, a closed pipe) is one line on stderr and exit code 2, and a stray bad byte in a
UTF-8 article costs one character, not the whole file's encoding.

The hostile project: sources whose file names hold terminal escapes (`ESC ] 0 ; title BEL`
sets a terminal's title, `ESC [ 2 J` clears its screen) and a byte that is not UTF-8
(`\\xff`, which Python hands over as the lone surrogate U+DCFF), an article whose front matter
writes a lone surrogate as a YAML escape (`"\\ud800"`) and ESC as `"\\e"`, a rule file with
ESC in a test name, and an unreadable source with a hostile name for a warning on stderr.
Each case asserts its message, its exit code, that no traceback was printed and that the
good sources were still checked.
"""
from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.run import reporting
from factcheck import cli
from factcheck.cli.terminal import ProgressBar
from factcheck.run import runner
from factcheck.safety import atomic_write, printable, unicode
from factcheck.sources.files import load_source
from factcheck.sources.text import decode, normalise
from factcheck.yamlio import read_yaml
from test_reports import embedded_data, sample_run

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # anything a terminal obeys; \t and \n allowed
SUMMIT = "Diplomats confirmed that the Berlin summit was held on 19 January 2020.\n"
RULES = textwrap.dedent("""\
    date(Berlin summit) == 2020-01-19
    mentions(Berlin)

    @warning
    test "Desk \x1b[31mred\x1b[0m check":
        date(Berlin summit) == 2020-01-20
    """)
# The names as bytes (what the file system holds) and as Python sees them (surrogateescape).
TITLE = b"title\x1b]0;owned\x07.txt"
CLEAR = b"clear\x1b[2J.txt"
BYTE = b"byte\xff.txt"
JUNK = b"junk\x1b[2J\xff.txt"
SHOWN = {TITLE: "title\\x1b]0;owned\\x07.txt", CLEAR: "clear\\x1b[2J.txt", BYTE: "byte\\xff.txt"}
FRONT = ('---\noutlet: "Desk \\ud800 wire"\nurl: "https://example.org/\\e[2J"\npublished: 2020-01-18\n---\n'
         + SUMMIT)
CHECK = ["check", "checks.fc", "--sources", "*.txt", "--no-cache", "--jobs", "1", "-q"]


def write_project(root: Path, junk: bool = True) -> None:
    (root / "checks.fc").write_text(RULES, encoding="utf-8")
    (root / "good.txt").write_text(SUMMIT, encoding="utf-8")
    (root / "meta.txt").write_text(FRONT, encoding="utf-8")
    for name in (TITLE, CLEAR, BYTE):
        Path(os.fsdecode(os.path.join(os.fsencode(root), name))).write_text(SUMMIT, encoding="utf-8")
    if junk:  # unreadable: its name reaches stderr in a warning
        Path(os.fsdecode(os.path.join(os.fsencode(root), JUNK))).write_bytes(bytes(range(256)) * 8)


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    return tmp_path


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_inert(text: str, what: str) -> None:
    found = CONTROL.search(text)
    assert found is None, (what, text[max(0, found.start() - 40):found.end() + 40])
    assert not re.search("[\ud800-\udfff]", text), what


def assert_warned_about_junk(err: str) -> None:
    assert err.splitlines() == ["factcheck: error: junk\\x1b[2J\\xff.txt: binary file, not text; "
                                "factcheck reads UTF-8 text, Markdown or HTML files"], err


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# --------------------------------------------------------------------------- the helpers


def test_printable_and_unicode():
    assert printable("a\x1b]0;t\x07b") == "a\\x1b]0;t\\x07b"
    assert printable("one\ntwo\tthree\r") == "one\\ntwo\\tthree\\r"
    assert printable("one\ntwo\tthree\r", multiline=True) == "one\ntwo\tthree\\r"
    assert printable("csi\x9b2J del\x7f bidi\u202e") == "csi\\x9b2J del\\x7f bidi\\u202e"
    assert printable("byte" + os.fsdecode(b"\xff") + " lone\ud800 Erdo\u011fan \u201cok\u201d") == \
        "byte\\xff lone\ufffd Erdo\u011fan \u201cok\u201d"
    assert unicode("byte" + os.fsdecode(b"\xfe") + "\ud800\x1b") == "byte\\xfe\ufffd\x1b"  # JSON escapes ESC itself


def test_yaml_surrogate_escapes_are_replaced_at_reading():
    """Front matter, manifests, config, rule tests and knowledge bases: every YAML string
    (keys too) comes back without a lone surrogate; an escaped pair is its one character."""
    def meta(line: str) -> dict:
        return read_yaml(line + "\n", "f.yaml")[0]

    assert meta('outlet: "Desk \\ud800 wire"') == {"outlet": "Desk \ufffd wire"}
    assert meta('outlet: "\\U0000DFFF"') == {"outlet": "\ufffd"}
    assert meta('outlet: "\\ud83d\\udcf0 news"') == {"outlet": "\U0001f4f0 news"}  # a pair is one character
    assert meta('outlet: "C:\\\\ud800"') == {"outlet": "C:\\ud800"}  # an escaped backslash is not an escape
    assert meta('"k\\udc00": [a, {b: "\\ud800"}]') == {"k\ufffd": ["a", {"b": "\ufffd"}]}
    shared = meta('a: &a ["\\ud800"]\nb: [*a, *a, *a]')  # an alias is cleaned once, wherever it is used
    assert shared == {"a": ["\ufffd"], "b": [["\ufffd"]] * 3}


# --------------------------------------------------------------------------- every format


@pytest.mark.nlp
@pytest.mark.parametrize("fmt", ["text", "table", "json", "junit", "html", "markdown", "sarif"])
def test_every_format_is_valid_and_inert_on_hostile_names_and_metadata(project, capsys, fmt):
    out_file = project / f"report.{fmt}"
    code, out, err = run_cli(CHECK + ["--format", fmt, "-o", str(out_file)], capsys)
    assert code == 1, err  # only the @warning test fails, and the binary junk file was refused
    assert out == ""
    assert "Traceback" not in err and "internal error" not in err
    assert_warned_about_junk(err)
    assert_inert(err, "stderr")
    text = out_file.read_bytes().decode("utf-8")  # strict: valid UTF-8 or this raises
    assert_inert(text, fmt)
    shown = set(SHOWN.values())
    if fmt == "json":
        doc = json.loads(text)
        verdicts: dict[str, set[str]] = {}
        for r in doc["results"]:
            verdicts.setdefault(r["source"], set()).add(r["verdict"])
        assert verdicts["good.txt"] == {"pass", "fail"} and verdicts["meta.txt"] == {"pass", "fail"}
        assert "byte\\xff.txt" in verdicts  # the undecodable byte, escaped
        assert "title\x1b]0;owned\x07.txt" in verdicts  # JSON writes ESC as \u001b: inert, and the name is kept
        assert any("junk" in e for e in doc["errors"])
    elif fmt == "sarif":
        doc = json.loads(text)
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
                for res in doc["runs"][0]["results"] for loc in res["locations"]}
        assert {"byte%FF.txt", "clear%1B%5B2J.txt", "title%1B%5D0%3Bowned%07.txt", "good.txt"} <= uris
    elif fmt == "junit":
        root = ET.fromstring(text)
        names = [c.get("name") for c in root.iter("testcase")]
        assert "mentions(Berlin) [byte\\xff.txt]" in names and "mentions(Berlin) [good.txt]" in names
        assert "mentions(Berlin) [title]0;owned.txt]" in names  # XML 1.0 cannot hold ESC or BEL: dropped
        assert root.get("failures") == "5"
    elif fmt == "html":
        parser = _Collect()
        parser.feed(text)
        parser.close()
        page = "".join(parser.text)
        assert all(name in page for name in shown), page
        assert "Desk \ufffd wire" in page
        data = embedded_data(text)
        meta = next(s for s in data["sources"] if s["name"] == "meta.txt")
        assert (meta["outlet"], meta["url"]) == ("Desk \ufffd wire", "https://example.org/\\x1b[2J")
        assert 'Desk \\x1b[31mred\\x1b[0m check' in page
    elif fmt == "text":  # one line per failing cell: every source fails the @warning test
        assert all(name in text for name in shown), text
        assert "good.txt" in text and " warning fail " in text
    else:  # the table and markdown show the same escapes
        flat = text.replace("\\\\", "\\").replace("\\[", "[").replace("\\]", "]")  # undo Markdown's escaping
        assert all(name in flat for name in shown), text
        assert "Desk \\x1b[31mred\\x1b[0m check" in flat
        assert "good.txt" in text


@pytest.mark.nlp
@pytest.mark.parametrize("fmt", ["text", "table", "markdown"])
def test_terminal_formats_on_stdout_are_inert(project, capsys, fmt):
    code, out, err = run_cli(CHECK + ["--format", fmt], capsys)
    assert code == 1 and "Traceback" not in err  # the junk file was refused
    assert_warned_about_junk(err)
    assert_inert(out, fmt)
    assert "good.txt" in out and "byte\\" in out


@pytest.mark.nlp
def test_facts_command_survives_a_lone_surrogate_in_front_matter(project, capsys):
    """Used to exit 3 (UnicodeEncodeError) on the `"\\ud800"` outlet."""
    code, out, err = run_cli(["facts", "*.txt", "--no-cache", "--jobs", "1", "-q"], capsys)
    assert code == 0 and "Traceback" not in err and "internal error" not in err
    assert_warned_about_junk(err)
    assert_inert(out, "facts")
    assert "== meta.txt (Desk \ufffd wire, published 2020-01-18): " in out
    assert "== byte\\xff.txt: " in out and "== good.txt: " in out
    code, out, err = run_cli(["facts", "*.txt", "--no-cache", "--jobs", "1", "-q", "--format", "json"], capsys)
    assert code == 0 and "Traceback" not in err
    doc = json.loads(out)
    by_name = {s["name"]: s for s in doc["sources"]}
    assert by_name["meta.txt"]["outlet"] == "Desk \ufffd wire"
    assert by_name["good.txt"]["facts"] and by_name["byte\\xff.txt"]["facts"]


def test_stderr_messages_and_usage_errors_are_escaped(project, capsys):
    code, out, err = run_cli(["lint", "gone\x1b]0;x\x07.fc"], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith("gone\\x1b]0;x\\x07.fc: error: cannot read rule file"), err
    assert_inert(err, "stderr")
    code, out, err = run_cli(["check", "checks.fc", "--bogus\x1b[2J"], capsys)
    assert code == 2 and "unrecognized arguments: --bogus\\x1b[2J" in err
    assert_inert(err, "stderr")


def test_progress_bar_shows_names_escaped(monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # room for the whole name beside the bar
    monkeypatch.setattr(sys, "stderr", screen)
    with ProgressBar(enabled=True) as progress:
        assert progress.callback is not None
        progress.callback(1, 2, "title\x1b]0;owned\x07[bold]x[/bold].txt")
        progress._bar.refresh()
    drawn = screen.getvalue()
    assert "title\\x1b]0;owned\\x07[bold]x[/bold].txt" in drawn  # escaped, and not read as markup
    assert "\x1b]0;" not in drawn and "\x07" not in drawn


# --------------------------------------------------------------------------- atomic reports


SAMPLE_WARNING = "factcheck: error: tests/data/c.txt: is a directory, not a source file\n"  # in sample_run()


@pytest.fixture
def fake_check(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(runner, "check", lambda *args, **kwargs: sample_run())


def test_a_report_that_fails_midway_leaves_the_previous_one(fake_check, tmp_path, capsys, monkeypatch):
    target = tmp_path / "report.html"
    code, _, err = run_cli(["check", "rules/libya.fc", "--format", "html", "-o", str(target), "-q"], capsys)
    assert code == 1 and err == SAMPLE_WARNING
    before = target.read_bytes()
    target.chmod(0o640)

    def broken(run, fmt, config=None, **options):
        yield "<!doctype html><p>half a report"
        raise RuntimeError("reporter exploded")

    real = reporting.pieces
    monkeypatch.setattr(reporting, "pieces", broken)
    code, out, err = run_cli(["check", "rules/libya.fc", "--format", "html", "-o", str(target), "-q"], capsys)
    assert code == 3 and out == "" and "Traceback" not in err
    assert err == (SAMPLE_WARNING + "factcheck: internal error: RuntimeError: reporter exploded; "
                   "run with --debug for the traceback\n")
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["report.html"]  # the temporary file is gone
    monkeypatch.setattr(reporting, "pieces", real)
    code, _, err = run_cli(["check", "rules/libya.fc", "--format", "json", "-o", str(target), "-q"], capsys)
    assert code == 1 and err == SAMPLE_WARNING
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["total"] == 10  # replaced when complete
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and os.listdir(tmp_path) == ["report.html"]


KILLED_MIDWAY = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from factcheck import cli
from factcheck.run import reporting, runner
from test_reports import sample_run

runner.check = lambda *args, **kwargs: sample_run()
real = reporting.pieces

def pieces(run, fmt, config=None, **options):
    text = "".join(real(run, fmt, config, **options))
    yield text[: len(text) // 2]
    os.kill(os.getpid(), signal.SIGKILL)  # as if the machine went away mid-write
    yield text[len(text) // 2:]

reporting.pieces = pieces
sys.exit(cli.main(["check", "rules/libya.fc", "--format", {fmt!r}, "-o", {out!r}, "-q"]))
"""


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_a_run_killed_while_writing_leaves_the_previous_report(tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    previous = b"the report of yesterday\n"
    target.write_bytes(previous)
    script = KILLED_MIDWAY.format(tests=str(REPO / "tests"), fmt=fmt, out=str(target))
    proc = subprocess.run([PY, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == previous
    partial = [p.name for p in tmp_path.iterdir() if p != target]  # SIGKILL leaves the temporary file, beside it
    assert len(partial) == 1 and partial[0].startswith(f".report.{fmt}.") and partial[0].endswith(".tmp"), partial


def test_output_to_a_device_is_written_in_place(fake_check, capsys):
    code, out, err = run_cli(["check", "rules/libya.fc", "--format", "json", "-o", os.devnull, "-q"], capsys)
    assert code == 1 and out == "" and err == SAMPLE_WARNING
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # still the device, never renamed over


def test_atomic_write_follows_a_symlink(tmp_path):
    (tmp_path / "real.txt").write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    atomic_write(str(tmp_path / "link.txt"), ["new ", "text"])
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "real.txt").read_text(encoding="utf-8") == "new text"
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "real.txt"]


# --------------------------------------------------------------------------- stdout that cannot take it


def cli_process(root: Path, argv: list[str], env: dict[str, str] | None = None,
                **kwargs) -> tuple[int, bytes | None, str]:
    """The command line in a process of its own: (exit code, stdout bytes, stderr text)."""
    code = "import sys; from factcheck.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([PY, "-c", code, *argv], cwd=root, env={**os.environ, **(env or {})},
                          stderr=subprocess.PIPE, **kwargs)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8")


@pytest.mark.nlp
def test_ascii_stdout_escapes_text_and_keeps_documents_utf8(tmp_path):
    """PYTHONIOENCODING=ascii: the text report shows what ASCII cannot as escapes; a JSON
    report stays UTF-8, as JSON must be."""
    write_project(tmp_path)
    env = {"PYTHONIOENCODING": "ascii", "NO_COLOR": "1"}
    code, out, err = cli_process(tmp_path, CHECK + ["--format", "text", "--min-severity", "warning"], env,
                                 stdout=subprocess.PIPE)
    assert code == 1, err  # the @warning test fails, and now counts
    assert "Traceback" not in err
    assert_warned_about_junk(err)
    text = out.decode("ascii")  # nothing but ASCII
    assert "\\u201c" in text  # the quote marks around the evidence, escaped
    assert "good.txt" in text and "byte\\xff.txt" in text
    assert_inert(text, "text")
    code, out, err = cli_process(tmp_path, CHECK + ["--format", "table", "--min-severity", "warning"], env,
                                 stdout=subprocess.PIPE)
    table = out.decode("ascii")
    assert "\\u201c" in table and "Desk \\x1b[31mred\\x1b[0m check" in table
    assert_inert(table, "table")
    code, out, err = cli_process(tmp_path, CHECK + ["--format", "json"], env, stdout=subprocess.PIPE)
    assert code == 1 and "Traceback" not in err  # the junk file was refused
    assert_warned_about_junk(err)
    doc = json.loads(out.decode("utf-8"))
    assert {r["verdict"] for r in doc["results"] if r["source"] == "good.txt"} == {"pass", "fail"}
    assert {r["source"] for r in doc["results"]} >= {"meta.txt", "byte\\xff.txt", "good.txt"}


@pytest.mark.nlp
@pytest.mark.parametrize("how", ["/dev/full", "closed pipe", "closed descriptor"])
def test_stdout_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, how):
    write_project(tmp_path, junk=False)
    argv = CHECK + ["--format", "json"]
    if how == "/dev/full":
        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full here")
        with open("/dev/full", "wb") as full:
            code, _, err = cli_process(tmp_path, argv, stdout=full)
        expected = "cannot write the report to standard output: No space left on device"
    elif how == "closed pipe":
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before a byte is written, like `| head -c 0`
        try:
            code, _, err = cli_process(tmp_path, argv, stdout=write_end)
        finally:
            os.close(write_end)
        expected = "cannot write the report to standard output: Broken pipe"
    else:  # `factcheck check ... >&-`
        code, _, err = cli_process(tmp_path, argv, preexec_fn=lambda: os.close(1))
        expected = "cannot write the report: standard output is closed"
    assert code == 2, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert err.splitlines() == [expected]
    # every source was read and checked: the same run into a file has all five
    code, _, err = cli_process(tmp_path, argv + ["-o", "r.json"])
    assert code == 0 and err == ""
    sources = {r["source"] for r in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"]}
    assert sources == {"good.txt", "meta.txt", "byte\\xff.txt", "clear\x1b[2J.txt", "title\x1b]0;owned\x07.txt"}


# --------------------------------------------------------------------------- one stray byte


STRAY = "Erdo\u011fan and Serraj met in Moscow; the \u201ctalks\u201d went on, said a M\u00fcnchen paper.\n"


def test_a_stray_byte_in_utf8_is_replaced_where_it_stands(tmp_path):
    good = STRAY.encode("utf-8")
    at = good.index(b"Moscow") + len(b"Moscow")
    data = b"Headline\n\n" + good[:at] + b"\x92" + good[at:]  # one Windows-1252 apostrophe in UTF-8
    text, warnings = decode(data, "stray.txt")
    assert text == "Headline\n\n" + STRAY.replace("Moscow", "Moscow\ufffd")
    assert warnings == ["stray.txt:3: an invalid UTF-8 byte replaced with U+FFFD"]
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    src = load_source(str(path), {})
    assert src.text == normalise(text) and "Moscow\ufffd; the \"talks\"" in src.text and "M\u00fcnchen" in src.text
    assert src.warnings == (f"{path}:3: an invalid UTF-8 byte replaced with U+FFFD",)


def test_a_real_windows_1252_file_is_still_read_as_such():
    data = "\u201cCaf\u00e9 M\u00fcller\u201d \u2013 na\u00efve, isn\u2019t it?".encode("cp1252")
    text, warnings = decode(data, "w.txt")
    assert text == "\u201cCaf\u00e9 M\u00fcller\u201d \u2013 na\u00efve, isn\u2019t it?"
    assert warnings == ["w.txt: not UTF-8; decoded as Windows-1252"]
    text, warnings = decode(b"All ASCII but one \xe9 byte", "a.txt")  # nothing says UTF-8: Windows-1252
    assert text == "All ASCII but one \u00e9 byte" and warnings == ["a.txt: not UTF-8; decoded as Windows-1252"]


@pytest.mark.nlp
def test_a_stray_byte_through_the_command_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "checks.fc").write_text("date(Berlin summit) == 2020-01-19\nmentions(Moscow)\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Officials in Moscow said the Berlin summit was held on 19 January 2020.\n",
                                       encoding="utf-8")
    body = ("M\u00fcnchen desk. Officials in Moscow said the \u201cBerlin summit\u201d was held on "
            "19 January 2020.\n").encode("utf-8")
    (tmp_path / "stray.txt").write_bytes(b"---\npublished: 2020-01-20\n---\n" + body.replace(b"desk.", b"desk\xff."))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(CHECK + ["--format", "json"], capsys)
    assert code == 0 and "Traceback" not in err
    assert err == "factcheck: warning: stray.txt:4: an invalid UTF-8 byte replaced with U+FFFD\n"
    doc = json.loads(out)
    verdicts = {(r["source"], r["assertion"]): r["verdict"] for r in doc["results"]}
    assert set(verdicts.values()) == {"pass"} and {s for s, _ in verdicts} == {"good.txt", "stray.txt"}
    evidence = [e["text"] for r in doc["results"] if r["source"] == "stray.txt" for e in r["evidence"]]
    assert any('the "Berlin summit" was held' in t for t in evidence), evidence  # UTF-8 quotes, not mojibake


def test_a_streamed_json_report_is_valid_utf8_too(monkeypatch):
    """Past json_report.PRETTY_UP_TO results the report is written a few lines at a time."""
    from factcheck.model import Result
    from factcheck.report import json_report

    run = sample_run()
    name = os.fsdecode(b"byte\xff\x1b[2J.txt")
    run.results = [Result("r.fc", 1, 1, "t\ud800", "mentions(Berlin)", name, "pass", "error", "mentioned")
                   ] * (json_report.PRETTY_UP_TO + 1)
    monkeypatch.setattr(json_report, "PIECE_LINES", 10)
    pieces = list(reporting.pieces(run, "json"))
    assert len(pieces) > 2  # streamed
    text = "".join(pieces).encode("utf-8").decode("utf-8")  # encodable: no lone surrogate left
    doc = json.loads(text)
    assert doc["results"][0]["source"] == "byte\\xff\x1b[2J.txt" and doc["results"][0]["test"] == "t\ufffd"
    assert "\x1b" not in text  # JSON writes it \u001b
