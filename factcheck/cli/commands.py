"""One handler a command: `cmd_<command>(args) -> exit code`. Each reads its settings, calls
the runner (or the desk), and hands the result to a reporter and `output.emit`. Everything
heavy is imported inside the handler that needs it."""
from __future__ import annotations

import argparse
import glob
import os
import sys
from typing import Sequence

from factcheck.cli.output import emit
from factcheck.cli.terminal import ProgressBar, text_options, warn_run
from factcheck.errors import ExitCode

TERMINAL_FORMATS = ("text", "table")  # written for a person at a terminal (colour, width, --quiet)
_NO_SOURCES_HINT = "pass --sources GLOB, or set `sources:` in factcheck.yaml"


def cmd_check(args: argparse.Namespace) -> int:
    from factcheck import report
    from factcheck.run import reporting, runner

    config = _config(args)
    _check_format(args.format, reporting.formats(config))
    rule_paths = _rule_paths(args.rules, config)
    sources = _sources(args.sources, config, _NO_SOURCES_HINT)
    if getattr(args, "watch", False):
        return _watch_check(args, config, rule_paths, sources)
    with ProgressBar(enabled=not args.quiet) as progress:
        run = runner.check(rule_paths, sources, args.entities, config, progress.callback,
                           keep_facts=args.format in report.NEEDS_FACTS, cache=args.cache, scheduler=args.scheduler)
    warn_run(run)
    if report.nothing_read(run):
        print("factcheck: error: no source could be read; nothing was checked", file=sys.stderr)
        return ExitCode.USAGE
    options = text_options(args) if args.format in TERMINAL_FORMATS else {}
    emit(reporting.pieces(run, args.format, config, **options), args.output,
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
        warn_run(run)
        emit(reporting.pieces(run, "text", config, **text_options(args)), None)

    kb = [*args.entities, *config.entities]
    watch.watch(run_once, lambda: watch.targets(list(args.rules) or list(config.rules) or rule_paths, sources, kb),
                sys.stdout, first=first)
    return ExitCode.OK


def cmd_facts(args: argparse.Namespace) -> int:
    from factcheck.report import facts as facts_report
    from factcheck.run import runner

    config = _config(args)
    sources = _sources(args.sources, config, "name them, e.g. `factcheck facts 'seeds/*.txt'`")
    with ProgressBar(enabled=not args.quiet) as progress:
        run = runner.facts(sources, args.entities, config, progress.callback, cache=args.cache,
                           scheduler=args.scheduler)
    warn_run(run)
    if not run.sources:
        print("factcheck: error: no source could be read", file=sys.stderr)
        return ExitCode.USAGE
    emit(facts_report.render(run, format=args.format), args.output, document=args.format == "json")
    return ExitCode.OK


def cmd_lint(args: argparse.Namespace) -> int:
    """Every finding of the rule files, their knowledge base and (with --sources) the
    sources' metadata: exit 2 on an error, 1 on a warning with --strict, else 0."""
    from factcheck.run import lint

    config = _config(args)
    report = lint.lint(_rule_paths(args.rules, config), list(args.entities), config, list(args.sources))
    if args.format == "json":
        _lint_json(report, args.output)
    else:
        _lint_text(report, args.output)
    if report.count(lint.ERROR):
        return ExitCode.USAGE
    return ExitCode.FAILED if args.strict and report.count(lint.WARNING) else ExitCode.OK


def _lint_json(report, output: str | None) -> None:
    from factcheck.run import lint
    from factcheck.safety import json_dumps

    doc = {"findings": [f.to_json() for f in report.findings],
           "summary": {s: report.count(s) for s in (lint.ERROR, lint.WARNING, lint.INFO)},
           "files": [{"file": path, "assertions": n} for path, n in report.assertions.items()]}
    emit(json_dumps(doc, indent=2) + "\n", output, document=True)


def _lint_text(report, output: str | None) -> None:
    """Diagnostics on stderr as compilers write them, the files that are clean on stdout;
    with --output, all of it in the file."""
    from factcheck.run import lint
    from factcheck.safety import printable

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
    if output:
        everything = found + lines
        emit("\n".join(everything) + ("\n" if everything else ""), output)
        return
    if found:
        print("\n".join(found), file=sys.stderr)
    if lines:
        emit("\n".join(lines) + "\n", None)


def cmd_explain(args: argparse.Namespace) -> int:
    from factcheck.run import explain
    from factcheck.safety import printable

    config = _config(args)
    rule_paths = _rule_paths(args.rules, config)
    sources = _sources(args.sources, config, _NO_SOURCES_HINT)
    with ProgressBar(enabled=not args.quiet) as progress:
        run, cells = explain.explain(rule_paths, sources, args.entities, config, assertion=args.assertion,
                                     source=args.source, progress=progress.callback, cache=args.cache,
                                     scheduler=args.scheduler)
    warn_run(run)
    empty = "no cell matches"
    if not (args.all or args.assertion or args.source):
        empty = "every cell passes (--all explains them too)" if cells else empty
        cells = [c for c in cells if c.result.verdict != "pass"]
    emit(printable(explain.render(cells, run, empty), multiline=True), args.output)
    return ExitCode.OK


def cmd_predicates(args: argparse.Namespace) -> int:
    from factcheck.run import reference
    from factcheck.safety import json_dumps, printable

    entries = reference.predicate_reference(list(args.entities), _config(args))
    if args.format == "json":
        emit(json_dumps({"predicates": entries}, indent=2) + "\n", args.output, document=True)
    else:
        emit(printable(reference.render_text(entries), multiline=True), args.output)
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
    emit(printable("\n".join(lines), multiline=True) + "\n", None)
    return ExitCode.OK


def cmd_cache(args: argparse.Namespace) -> int:
    from factcheck.run import runner
    from factcheck.safety import printable

    config = _config(args)
    if args.action == "clear":
        removed = runner.cache_clear(config, args.cache)
        emit(f"removed {removed} entr{'y' if removed == 1 else 'ies'}\n", None)
        return ExitCode.OK
    info = runner.cache_info(config, args.cache)
    note = f"{printable(info.note)}\n" if info.note else ""
    emit(f"path: {printable(str(info.path))}\nentries: {info.entries}\nsize: {info.size} bytes\n{note}", None)
    return ExitCode.OK


def cmd_init(args: argparse.Namespace) -> int:
    from factcheck.desk import scaffold
    from factcheck.safety import printable

    done = scaffold.init(args.dir)
    lines = [f"wrote {printable(os.path.join(done.root, rel))}" for rel in done.files]
    where = "" if os.path.abspath(done.root) == os.getcwd() else f"cd {printable(done.root)} && "
    lines.append(f"next: {where}factcheck check   (and `pytest` for the same checks as tests)")
    emit("\n".join(lines) + "\n", None)
    return ExitCode.OK


def cmd_lsp(args: argparse.Namespace) -> int:
    from factcheck.desk import lsp

    return lsp.main()


# --------------------------------------------------------------------------- settings from the arguments


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


def _sources(given: Sequence[str], config, hint: str) -> list[str]:
    """The sources named on the command line, else the config's; none at all is a ConfigError."""
    sources = list(given) or list(config.sources)
    if not sources:
        from factcheck.errors import ConfigError

        raise ConfigError("no sources given", hint=hint)
    return sources


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
