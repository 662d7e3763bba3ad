"""The `factcheck` command: parse the arguments, call the runner, call a reporter, exit.

    factcheck check [RULES...] [--sources GLOB...] [--entities FILE...] [--format F]
                    [--output PATH] [--fail-on unknown|fail] [--min-severity S] [--allow-errors] [--quiet]
    factcheck facts [SOURCE...] [--entities FILE...] [--format text|json] [--output PATH]
    factcheck explain [RULES...] [--sources GLOB...] [--assertion TEXT|LINE] [--source NAME] [--all]
    factcheck lint [RULES...] [--entities FILE...] [--sources GLOB...] [--format text|json] [--strict]
    factcheck predicates [--entities FILE...] [--format text|json]
    factcheck plugins [--config FILE]
    factcheck init [DIR]
    factcheck lsp

Exit codes (SPEC section 7): 0 nothing counted failed, 1 an assertion failed or (unless
`--allow-errors`) a source could not be read or an assertion ended `error`, 2 a usage,
configuration or rule-file error (one clear line and the caret context on stderr), or a
report that could not be written (an unwritable `--output`, a full disk, a closed or full
standard output such as `| head` or `> /dev/full`: one line on stderr), 3 an internal error
(one line; `--debug` shows the traceback). Everything heavy (the runner, spaCy, rich,
jinja2) is imported inside the command that needs it, so `--help`, `--version` and `lint`
stay fast.

Nothing read from files reaches the terminal raw: every line written to stderr goes through
`safety.printable` (control characters shown as `\\x1b`-style escapes), and standard output
never fails on an encoding that cannot show a character (`\\u201c` instead). A report written
with `--output` replaces the previous one only once it is complete (`safety.atomic_write`).
"""
from __future__ import annotations

import argparse
import glob
import io
import os
import sys
from typing import TYPE_CHECKING, Callable, Iterable, Sequence, cast

from factcheck.errors import ExitCode
from factcheck.model import Severity

if TYPE_CHECKING:  # pragma: no cover - rich is imported when a progress bar is shown
    from rich.progress import Progress, TaskID

FORMATS = ("text", "table", "json", "junit", "html", "markdown", "sarif")
TERMINAL_FORMATS = ("text", "table")  # written for a person at a terminal (colour, width, --quiet)


def _version() -> str:
    from factcheck import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--entities", nargs="+", action="extend", default=[], metavar="FILE",
                        help="knowledge-base YAML files, added to those the rule files `use`")
    common.add_argument("--config", metavar="FILE", help="use this factcheck.yaml / pyproject.toml instead of searching")
    common.add_argument("--output", "-o", metavar="PATH", help="write the report to PATH instead of standard output")
    common.add_argument("--quiet", "-q", action="store_true", help="no progress bar; text reports only failures")
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    reading = _Parser(add_help=False)
    reading.add_argument("--jobs", "-j", type=_positive, metavar="N", help="extract with N processes")
    reading.add_argument("--no-cache", action="store_true", help="neither read nor write the fact cache")
    reading.add_argument("--cache", metavar="PATH", help="the fact cache's location (default: .factcheck/cache.db)")
    reading.add_argument("--scheduler", metavar="ADDRESS",
                         help="extract on a running Dask cluster, e.g. tcp://HOST:8786 (see the README)")

    parser = _Parser(
        prog="factcheck",
        description="Check news articles against what an editor knows, assertion by assertion.",
        epilog="exit codes: 0 ok, 1 an assertion failed, a source could not be read or a verdict is `error`, "
               "2 usage/config/rule-file error or the report could not be written, 3 internal error",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", parents=[common, reading], help="check rule files against sources",
                           description="The consistency report: every assertion on every source.")
    check.add_argument("rules", nargs="*", metavar="RULES", help="rule files or folders (default: the config's `rules`)")
    check.add_argument("--sources", "-s", nargs="+", action="extend", default=[], metavar="GLOB",
                       help="source files, folders or globs (default: the config's `sources`)")
    check.add_argument("--format", "-f", default="text", metavar="FORMAT",
                       help=f"report format: {', '.join(FORMATS)} or one a plugin adds (default: text, one line "
                            "per finding, failures first; `table` is the table per test)")
    check.add_argument("--fail-on", choices=("fail", "unknown"), default="fail",
                       help="`unknown`: missing evidence fails the run too (default: fail)")
    check.add_argument("--min-severity", choices=[str(s) for s in Severity], default="error",
                       help="lowest severity whose failures fail the run (default: error)")
    check.add_argument("--allow-errors", action="store_true",
                       help="a source that could not be read or an `error` verdict does not fail the run")
    check.add_argument("--watch", "-w", action="store_true",
                       help="check, then again whenever a rule file, KB or source changes, printing only "
                            "the verdicts that changed (Ctrl-C stops)")
    check.set_defaults(handler=cmd_check)

    facts = sub.add_parser("facts", parents=[common, reading], help="list every fact extracted from sources",
                           description="Every fact the sources state, with its evidence, grouped by source.")
    facts.add_argument("sources", nargs="*", metavar="SOURCE", help="source files, folders or globs")
    facts.add_argument("--format", "-f", choices=("text", "json"), default="text")
    facts.set_defaults(handler=cmd_facts)

    lint = sub.add_parser("lint", parents=[common], help="every mistake of rule files, KB and metadata",
                          description="Parse and type-check rule files, and check what their names, knowledge "
                                      "base and sources' metadata mean, without reading any article: every "
                                      "finding as `file:line:col: severity: message`.")
    lint.add_argument("rules", nargs="*", metavar="RULES", help="rule files or folders (default: the config's `rules`)")
    lint.add_argument("--sources", "-s", nargs="+", action="extend", default=[], metavar="GLOB",
                      help="also check these sources' metadata (front matter, sources.yaml); no article is read")
    lint.add_argument("--format", "-f", choices=("text", "json"), default="text")
    lint.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    lint.set_defaults(handler=cmd_lint)

    explain = sub.add_parser("explain", parents=[common, reading], help="why each verdict came out as it did",
                             description="Every cell's verdict with its reasons: the deciding facts, the ones set "
                                         "aside, and for `unknown` the near misses, the sentences that gave no fact "
                                         "and the knowledge-base edit that would link them.")
    explain.add_argument("rules", nargs="*", metavar="RULES", help="rule files or folders (default: the config's `rules`)")
    explain.add_argument("--sources", "-s", nargs="+", action="extend", default=[], metavar="GLOB",
                         help="source files, folders or globs (default: the config's `sources`)")
    explain.add_argument("--assertion", "-a", metavar="TEXT|LINE",
                         help="only this assertion: its text as written, or its line in the rule file")
    explain.add_argument("--source", metavar="NAME", help="only this source (its file name)")
    explain.add_argument("--all", action="store_true", help="passing cells too (default: only the others)")
    explain.set_defaults(handler=cmd_explain)

    predicates = sub.add_parser("predicates", help="the predicate reference: arguments, values, examples",
                                description="Every predicate the engine knows (built-in, the knowledge base's "
                                            "and plugins'), with what it takes, what it yields, its operators "
                                            "and an example.")
    predicates.add_argument("--entities", nargs="+", action="extend", default=[], metavar="FILE",
                            help="knowledge-base YAML files whose `predicates:` to include")
    predicates.add_argument("--config", metavar="FILE", help="use this factcheck.yaml / pyproject.toml instead of searching")
    predicates.add_argument("--format", "-f", choices=("text", "json"), default="text")
    predicates.add_argument("--output", "-o", metavar="PATH", help="write the reference to PATH")
    predicates.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    predicates.set_defaults(handler=cmd_predicates)

    plugins = sub.add_parser("plugins", help="list the plugins loaded and what each registers",
                             description="Every plugin: version, status, hooks, predicates and formats.")
    plugins.add_argument("--config", metavar="FILE", help="use this factcheck.yaml / pyproject.toml instead of searching")
    plugins.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    plugins.set_defaults(handler=cmd_plugins)

    cache = sub.add_parser("cache", help="show or empty the fact cache",
                           description="The fact cache keeps the facts of every article read, keyed by all that "
                                       "extraction depends on.")
    cache.add_argument("action", choices=("info", "clear"))
    cache.add_argument("--cache", metavar="PATH", help="the fact cache's location (default: .factcheck/cache.db)")
    cache.add_argument("--config", metavar="FILE", help="use this factcheck.yaml / pyproject.toml instead of searching")
    cache.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    cache.set_defaults(handler=cmd_cache)

    init = sub.add_parser("init", help="write a starter project (config, rules, KB, a sample article, rule tests)",
                          description="A starter project that `factcheck check` and `pytest` pass at once. "
                                      "Nothing existing is overwritten.")
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="where to write it (default: here)")
    init.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    init.set_defaults(handler=cmd_init)

    lsp = sub.add_parser("lsp", help="a language server for rule files and knowledge bases (stdio)",
                         description="Speak the Language Server Protocol over stdin/stdout: diagnostics, "
                                     "completion, hover with cached verdicts, go to definition (docs/editors.md).")
    lsp.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default, and the only way)")
    lsp.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    lsp.set_defaults(handler=cmd_lsp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command with stderr made inert (see `_InertStream`) and stdout unable to
    fail on an encoding; the streams are restored afterwards."""
    raw_stderr = sys.stderr
    if raw_stderr is not None and not isinstance(raw_stderr, _InertStream):
        sys.stderr = _InertStream(raw_stderr)
    _tolerant_stdout()
    try:
        return _main(argv)
    finally:
        sys.stderr = raw_stderr


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    from factcheck.errors import FactcheckError

    try:
        return args.handler(args)
    except FactcheckError as err:
        if args.debug:
            import traceback

            traceback.print_exc()
        print(err.render(), file=sys.stderr)
        return getattr(err, "exit_code", ExitCode.USAGE)
    except KeyboardInterrupt:
        print("factcheck: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError as exc:  # a pipe closed under a write that `_emit` does not make
        _silence_stdout()
        print(f"factcheck: error: {exc.strerror or 'broken pipe'}", file=sys.stderr)
        return ExitCode.USAGE
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit code 3
        if args.debug:
            import traceback

            traceback.print_exc()
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        print(f"factcheck: internal error: {detail}; run with --debug for the traceback", file=sys.stderr)
        return ExitCode.INTERNAL


# --------------------------------------------------------------------------- commands


def cmd_check(args: argparse.Namespace) -> int:
    from factcheck import report
    from factcheck.run import reporting, runner

    config = _config(args)
    _check_format(args.format, reporting.formats(config))
    rule_paths = _rule_paths(args.rules, config)
    sources = list(args.sources) or list(config.sources)
    if not sources:
        from factcheck.errors import ConfigError

        raise ConfigError("no sources given", hint="pass --sources GLOB, or set `sources:` in factcheck.yaml")
    if getattr(args, "watch", False):
        return _watch_check(args, config, rule_paths, sources)
    with _Progress(enabled=not args.quiet) as progress:
        run = runner.check(rule_paths, sources, args.entities, config, progress.callback,
                           keep_facts=args.format in report.NEEDS_FACTS, cache=args.cache, scheduler=args.scheduler)
    _warn(run.warnings)
    _warn(run.errors, "error")
    if report.nothing_read(run):
        print("factcheck: error: no source could be read; nothing was checked", file=sys.stderr)
        return ExitCode.USAGE
    options = _text_options(args) if args.format in TERMINAL_FORMATS else {}
    _emit(reporting.pieces(run, args.format, config, **options), args.output,
          document=args.format not in TERMINAL_FORMATS)
    return report.exit_code(run, args.fail_on, args.min_severity, args.allow_errors)


def _watch_check(args: argparse.Namespace, config, rule_paths: list[str], sources: list[str]) -> int:
    """`check --watch`: the text report once, then only the verdicts that change (factcheck.desk.watch)."""
    from factcheck.desk import watch
    from factcheck.errors import ConfigError
    from factcheck.run import reporting, runner

    if args.format != "text" or args.output is not None:
        raise ConfigError("--watch prints text to the terminal", hint="drop --format and --output")

    def run_once():
        return runner.check(_rule_paths(args.rules, config), sources, args.entities, config, None,
                            cache=args.cache, scheduler=args.scheduler)

    def first(run) -> None:
        _warn(run.warnings)
        _warn(run.errors, "error")
        _emit(reporting.pieces(run, "text", config, **_text_options(args)), None)

    kb = [*args.entities, *config.entities]
    watch.watch(run_once, lambda: watch.targets(list(args.rules) or list(config.rules) or rule_paths, sources, kb),
                sys.stdout, first=first)
    return ExitCode.OK


def cmd_facts(args: argparse.Namespace) -> int:
    from factcheck.run import runner
    from factcheck.report import facts as facts_report

    config = _config(args)
    sources = list(args.sources) or list(config.sources)
    if not sources:
        from factcheck.errors import ConfigError

        raise ConfigError("no sources given", hint="name them, e.g. `factcheck facts 'seeds/*.txt'`")
    with _Progress(enabled=not args.quiet) as progress:
        run = runner.facts(sources, args.entities, config, progress.callback, cache=args.cache,
                           scheduler=args.scheduler)
    _warn(run.warnings)
    _warn(run.errors, "error")
    if not run.sources:
        print("factcheck: error: no source could be read", file=sys.stderr)
        return ExitCode.USAGE
    _emit(facts_report.render(run, format=args.format), args.output, document=args.format == "json")
    return ExitCode.OK


def cmd_lint(args: argparse.Namespace) -> int:
    """Every finding of the rule files, their knowledge base and (with --sources) the
    sources' metadata: exit 2 on an error, 1 on a warning with --strict, else 0."""
    from factcheck.run import lint
    from factcheck.safety import json_dumps, printable

    config = _config(args)
    report = lint.lint(_rule_paths(args.rules, config), list(args.entities), config, list(args.sources))
    if args.format == "json":
        doc = {"findings": [f.to_json() for f in report.findings],
               "summary": {s: report.count(s) for s in (lint.ERROR, lint.WARNING, lint.INFO)},
               "files": [{"file": path, "assertions": n} for path, n in report.assertions.items()]}
        _emit(json_dumps(doc, indent=2) + "\n", args.output, document=True)
    else:  # diagnostics on stderr as compilers write them, the files that are clean on stdout;
        # with --output, all of it in the file
        found: list[str] = []
        for f in report.findings:
            found.append(printable(f.headline()))
            if f.context and f.severity == lint.ERROR:
                found.append("\n".join("    " + printable(c) for c in f.context.split("\n")))
        if report.findings:
            counts = [f"{report.count(s)} {s}{'' if report.count(s) == 1 else 's'}"
                      for s in (lint.ERROR, lint.WARNING, lint.INFO) if report.count(s)]
            found.append(", ".join(counts))
        flagged = {f.file for f in report.findings if f.severity != lint.INFO}
        lines = [f"{printable(path)}: ok ({n} assertion{'' if n == 1 else 's'})"
                 for path, n in report.assertions.items() if path not in flagged]
        if args.output:
            everything = found + lines
            _emit("\n".join(everything) + ("\n" if everything else ""), args.output)
        else:
            if found:
                print("\n".join(found), file=sys.stderr)
            if lines:
                _emit("\n".join(lines) + "\n", None)
    if report.count(lint.ERROR):
        return ExitCode.USAGE
    return ExitCode.FAILED if args.strict and report.count(lint.WARNING) else ExitCode.OK


def cmd_explain(args: argparse.Namespace) -> int:
    from factcheck.run import explain

    config = _config(args)
    rule_paths = _rule_paths(args.rules, config)
    sources = list(args.sources) or list(config.sources)
    if not sources:
        from factcheck.errors import ConfigError

        raise ConfigError("no sources given", hint="pass --sources GLOB, or set `sources:` in factcheck.yaml")
    with _Progress(enabled=not args.quiet) as progress:
        run, cells = explain.explain(rule_paths, sources, args.entities, config, assertion=args.assertion,
                                     source=args.source, progress=progress.callback, cache=args.cache,
                                     scheduler=args.scheduler)
    _warn(run.warnings)
    _warn(run.errors, "error")
    empty = "no cell matches"
    if not (args.all or args.assertion or args.source):
        empty = "every cell passes (--all explains them too)" if cells else empty
        cells = [c for c in cells if c.result.verdict != "pass"]
    from factcheck.safety import printable

    _emit(printable(explain.render(cells, run, empty), multiline=True), args.output)
    return ExitCode.OK


def cmd_predicates(args: argparse.Namespace) -> int:
    from factcheck.run import reference
    from factcheck.safety import json_dumps, printable

    entries = reference.predicate_reference(list(args.entities), _config(args))
    if args.format == "json":
        _emit(json_dumps({"predicates": entries}, indent=2) + "\n", args.output, document=True)
    else:
        _emit(printable(reference.render_text(entries), multiline=True), args.output)
    return ExitCode.OK


def cmd_plugins(args: argparse.Namespace) -> int:
    from factcheck.plugin import host as plugins
    from factcheck.safety import printable

    listing = plugins.listing(_config(args))
    lines = []
    for p in listing.plugins:
        lines.append(f"{p.name} {p.version} ({p.origin}): {p.status}{' - ' + p.message if p.message else ''}")
        for label, names in (("predicates", p.predicates), ("formats", p.formats), ("hooks", p.hooks)):
            if names:
                lines.append(f"    {label}: {', '.join(names)}")
    _emit(printable("\n".join(lines), multiline=True) + "\n", None)
    return ExitCode.OK


def cmd_cache(args: argparse.Namespace) -> int:
    from factcheck.run import runner

    config = _config(args)
    if args.action == "clear":
        removed = runner.cache_clear(config, args.cache)
        _emit(f"removed {removed} entr{'y' if removed == 1 else 'ies'}\n", None)
        return ExitCode.OK
    info = runner.cache_info(config, args.cache)
    from factcheck.safety import printable

    note = f"{printable(info.note)}\n" if info.note else ""
    _emit(f"path: {printable(str(info.path))}\nentries: {info.entries}\nsize: {info.size} bytes\n{note}", None)
    return ExitCode.OK


def cmd_init(args: argparse.Namespace) -> int:
    from factcheck.desk import scaffold
    from factcheck.safety import printable

    done = scaffold.init(args.dir)
    lines = [f"wrote {printable(os.path.join(done.root, rel))}" for rel in done.files]
    where = "" if os.path.abspath(done.root) == os.getcwd() else f"cd {printable(done.root)} && "
    lines.append(f"next: {where}factcheck check   (and `pytest` for the same checks as tests)")
    _emit("\n".join(lines) + "\n", None)
    return ExitCode.OK


def cmd_lsp(args: argparse.Namespace) -> int:
    from factcheck.desk import lsp

    return lsp.main()


# --------------------------------------------------------------------------- plumbing


def _check_format(fmt: str, known) -> None:
    """Formats come from plugins, so argparse cannot list them: the same usage error by hand."""
    if fmt not in known:
        choices = ", ".join(repr(k) for k in sorted(known))
        print(f"factcheck check: error: argument --format/-f: invalid choice: {fmt!r} (choose from {choices})",
              file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)


def _config(args: argparse.Namespace):
    """The project's config, with the command line's --jobs / --no-cache on top."""
    from factcheck.config import load_config

    config = load_config(".", args.config)
    return config.merged(jobs=getattr(args, "jobs", None), no_cache=True if getattr(args, "no_cache", False) else None)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _rule_paths(given: Sequence[str], config) -> list[str]:
    """Rule files from the command line, else the config: folders become their files that
    match the config's pattern (`*.fc`), globs are expanded. (Candidate for the runner.)"""
    from factcheck.errors import ConfigError

    patterns = list(given) or list(config.rules)
    if not patterns:
        raise ConfigError("no rule files given", hint="name one, e.g. `factcheck check rules/libya.fc`, "
                                                      "or set `rules:` in factcheck.yaml")
    paths: list[str] = []
    for pattern in patterns:
        if os.path.isdir(pattern):
            found = sorted(glob.glob(os.path.join(pattern, config.fc_pattern)))
        elif glob.has_magic(pattern):
            found = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
        else:
            found = [pattern]
        if not found:
            raise ConfigError(f"`{pattern}` matches no rule file", hint=f"rule files match `{config.fc_pattern}`")
        paths.extend(found)
    return list(dict.fromkeys(paths))


def _text_options(args: argparse.Namespace) -> dict:
    from factcheck.report.common import use_color

    to_terminal = args.output is None and use_color(sys.stdout)
    width = None
    if args.output is None and sys.stdout is not None and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    return {"color": to_terminal, "width": width, "quiet": args.quiet}


def _emit(text: str | Iterable[str], output: str | None, document: bool = False) -> None:
    """Write a report (one string, or pieces written as they are made) to `output` or stdout.

    `output` is replaced atomically (`safety.atomic_write`). A `document` (JSON, XML, HTML,
    Markdown: files that say or assume UTF-8) goes to stdout as UTF-8 bytes whatever the
    locale; other text goes through stdout's own encoding (non-encodable characters as
    `\\u2019` escapes, see `_tolerant_stdout`). A stdout that cannot be written (closed pipe,
    full disk, closed descriptor) is one error line and exit code 2, like an unwritable
    `--output`."""
    from factcheck.errors import ConfigError

    pieces = [text] if isinstance(text, str) else text
    if output is not None:
        from factcheck.safety import atomic_write

        try:
            atomic_write(output, pieces)
        except OSError as exc:
            raise ConfigError(f"cannot write the report: {exc.strerror or exc}", output) from None
        return
    stream = sys.stdout
    if stream is None:
        raise ConfigError("cannot write the report: standard output is closed")
    binary = getattr(stream, "buffer", None) if document and not _is_utf8(stream) else None
    try:
        if binary is not None:
            stream.flush()
        for piece in pieces:  # a reporter's own failure propagates as it is, only writes are caught
            try:
                if binary is not None:
                    binary.write(piece.encode("utf-8", "backslashreplace"))
                else:
                    stream.write(piece)
            except OSError as exc:
                raise _StdoutFailed(exc) from None
        try:
            (binary or stream).flush()
        except OSError as exc:
            raise _StdoutFailed(exc) from None
    except _StdoutFailed as failed:
        _silence_stdout()
        reason = failed.args[0].strerror or str(failed.args[0]) or type(failed.args[0]).__name__
        raise ConfigError(f"cannot write the report to standard output: {reason}") from None


class _StdoutFailed(Exception):
    """A write to stdout failed with the OSError it carries."""


def _is_utf8(stream) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def _tolerant_stdout() -> None:
    """Characters stdout's encoding cannot hold (`PYTHONIOENCODING=ascii`, a Latin-1
    terminal) are written as backslash escapes instead of failing the run; lone surrogates
    likewise (never raw bytes that would make the output invalid UTF-8)."""
    stream = sys.stdout
    if stream is None or getattr(stream, "errors", "backslashreplace") == "backslashreplace":
        return
    try:  # a stream without `reconfigure` (not a TextIOWrapper) raises AttributeError: left as it is
        cast(io.TextIOWrapper, stream).reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError, OSError):
        pass


def _warn(lines: Sequence[str], severity: str = "warning") -> None:
    from factcheck.safety import printable

    for line in dict.fromkeys(lines):  # one line each, even for a file name with a newline in it
        print(f"factcheck: {severity}: {printable(line)}", file=sys.stderr)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages (which quote the command line) go out escaped like the rest."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            from factcheck.safety import printable

            super()._print_message(printable(message, multiline=True), file)


class _InertStream:
    """Stands for sys.stderr while a command runs: every write is escaped with
    `safety.printable` (newlines and tabs kept), so no file name, test name or article text
    in a warning, an error or a plugin's message can drive the terminal. Everything else
    (isatty, fileno, encoding...) is the real stream's; `raw` is the stream itself."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        from factcheck.safety import capped, printable

        self.raw.write(capped(printable(text, multiline=True)))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


class _Progress:
    """A rich progress bar on stderr while articles are read: only for a terminal, never
    with --quiet or NO_COLOR. `callback` is what the runner calls: (done, total, name); the
    name is shown escaped and never read as rich markup."""

    def __init__(self, enabled: bool) -> None:
        from factcheck.report.common import use_color

        self.enabled = enabled and use_color(sys.stderr)
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> "_Progress":
        return self

    @property
    def callback(self) -> Callable[[int, int, str], None] | None:
        return self._update if self.enabled else None

    def _update(self, done: int, total: int, name: str) -> None:
        from factcheck.safety import printable

        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            stream = getattr(sys.stderr, "raw", sys.stderr)  # rich's own escapes must reach the terminal
            self._bar = Progress(TextColumn("reading articles"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.description}", markup=False),
                                 console=Console(file=stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        assert self._task is not None  # made with the bar
        self._bar.update(self._task, completed=done, total=total, description=printable(name))

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
