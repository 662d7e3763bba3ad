"""The command line's grammar, all in one place: every command, its arguments and options
(those several commands share are written once, in `_OPTIONS`), and the handler it calls
(`args.handler`, from `factcheck.cli.commands`)."""
from __future__ import annotations

import argparse
import copy
from typing import Any, Sequence

from factcheck.cli import commands
from factcheck.model import Severity

FORMATS = ("text", "table", "json", "junit", "html", "markdown", "sarif")


def positive(text: str) -> int:
    """A whole number of at least 1 (`--jobs`), else argparse's usage error."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


# Options (and arguments) several commands take: name -> (flags, add_argument settings).
_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "rules": (("rules",), {"nargs": "*", "metavar": "RULES", "help": "rule files or folders (default: the config's `rules`)"}),
    "sources": (("--sources", "-s"), {"nargs": "+", "action": "extend", "default": [], "metavar": "GLOB",
                                      "help": "source files, folders or globs (default: the config's `sources`)"}),
    "entities": (("--entities",), {"nargs": "+", "action": "extend", "default": [], "metavar": "FILE",
                                   "help": "knowledge-base YAML files, added to those the rule files `use`"}),
    "config": (("--config",), {"metavar": "FILE",
                               "help": "use this factcheck.yaml / pyproject.toml instead of searching"}),
    "output": (("--output", "-o"), {"metavar": "PATH", "help": "write the report to PATH instead of standard output"}),
    "quiet": (("--quiet", "-q"), {"action": "store_true", "help": "no progress bar; text reports only failures"}),
    "debug": (("--debug",), {"action": "store_true", "help": "show tracebacks of internal errors"}),
    "text-or-json": (("--format", "-f"), {"choices": ("text", "json"), "default": "text"}),
    "jobs": (("--jobs", "-j"), {"type": positive, "metavar": "N", "help": "extract with N processes"}),
    "no-cache": (("--no-cache",), {"action": "store_true", "help": "neither read nor write the fact cache"}),
    "cache": (("--cache",), {"metavar": "PATH", "help": "the fact cache's location (default: .factcheck/cache.db)"}),
    "scheduler": (("--scheduler",), {"metavar": "ADDRESS",
                                     "help": "extract on a running Dask cluster, e.g. tcp://HOST:8786 (see the README)"}),
}


class Parser(argparse.ArgumentParser):
    """argparse, whose messages (which quote the command line) go out escaped like the rest."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            from factcheck.safety import printable

            super()._print_message(printable(message, multiline=True), file)


def _options(parser: argparse.ArgumentParser, *names: str, **helps: str) -> argparse.ArgumentParser:
    """Add the shared options `names` to `parser`, in that order; `helps` rewords an option's
    help for this command (keyword: the option's name, `-` as `_`)."""
    for name in names:
        flags, settings = _OPTIONS[name]
        settings = copy.deepcopy(settings)  # a list default of its own for every command
        reworded = helps.get(name.replace("-", "_"))
        if reworded is not None:
            settings["help"] = reworded
        parser.add_argument(*flags, **settings)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="factcheck",
        description="Check news articles against what an editor knows, assertion by assertion.",
        epilog="exit codes: 0 ok, 1 an assertion failed, a source could not be read or a verdict is `error`, "
               "2 usage/config/rule-file error or the report could not be written, 3 internal error",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = _options(Parser(add_help=False), "entities", "config", "output", "quiet", "debug")
    reading = _options(Parser(add_help=False), "jobs", "no-cache", "cache", "scheduler")
    _add_check(sub, [common, reading])
    _add_facts(sub, [common, reading])
    _add_lint(sub, [common])
    _add_explain(sub, [common, reading])
    _add_predicates(sub)
    _add_plugins(sub)
    _add_cache(sub)
    _add_init(sub)
    _add_lsp(sub)
    return parser


def _version() -> str:
    from factcheck import __version__

    return __version__


# --------------------------------------------------------------------------- the commands

# Each command's one line in `factcheck --help`, and its description in `factcheck COMMAND --help`.
_COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check rule files against sources", "The consistency report: every assertion on every source."),
    "facts": ("list every fact extracted from sources",
              "Every fact the sources state, with its evidence, grouped by source."),
    "lint": ("every mistake of rule files, KB and metadata",
             "Parse and type-check rule files, and check what their names, knowledge base and sources' metadata "
             "mean, without reading any article: every finding as `file:line:col: severity: message`."),
    "explain": ("why each verdict came out as it did",
                "Every cell's verdict with its reasons: the deciding facts, the ones set aside, and for `unknown` "
                "the near misses, the sentences that gave no fact and the knowledge-base edit that would link them."),
    "predicates": ("the predicate reference: arguments, values, examples",
                   "Every predicate the engine knows (built-in, the knowledge base's and plugins'), with what it "
                   "takes, what it yields, its operators and an example."),
    "plugins": ("list the plugins loaded and what each registers",
                "Every plugin: version, status, hooks, predicates and formats."),
    "cache": ("show or empty the fact cache",
              "The fact cache keeps the facts of every article read, keyed by all that extraction depends on."),
    "init": ("write a starter project (config, rules, KB, a sample article, rule tests)",
             "A starter project that `factcheck check` and `pytest` pass at once. Nothing existing is overwritten."),
    "lsp": ("a language server for rule files and knowledge bases (stdio)",
            "Speak the Language Server Protocol over stdin/stdout: diagnostics, completion, hover with cached "
            "verdicts, go to definition (docs/editors.md)."),
}


def _command(sub, name: str, handler, parents: Sequence[argparse.ArgumentParser] = ()) -> argparse.ArgumentParser:
    """The subcommand `name`, with its help and description from `_COMMANDS`, calling `handler`."""
    line, description = _COMMANDS[name]
    parser = sub.add_parser(name, parents=list(parents), help=line, description=description)
    parser.set_defaults(handler=handler)
    return parser


def _add_check(sub, parents: list[argparse.ArgumentParser]) -> None:
    check = _command(sub, "check", commands.cmd_check, parents)
    _options(check, "rules", "sources")
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


def _add_facts(sub, parents: list[argparse.ArgumentParser]) -> None:
    facts = _command(sub, "facts", commands.cmd_facts, parents)
    facts.add_argument("sources", nargs="*", metavar="SOURCE", help="source files, folders or globs")
    _options(facts, "text-or-json")


def _add_lint(sub, parents: list[argparse.ArgumentParser]) -> None:
    lint = _command(sub, "lint", commands.cmd_lint, parents)
    _options(lint, "rules", "sources", "text-or-json",
             sources="also check these sources' metadata (front matter, sources.yaml); no article is read")
    lint.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")


def _add_explain(sub, parents: list[argparse.ArgumentParser]) -> None:
    explain = _command(sub, "explain", commands.cmd_explain, parents)
    _options(explain, "rules", "sources")
    explain.add_argument("--assertion", "-a", metavar="TEXT|LINE",
                         help="only this assertion: its text as written, or its line in the rule file")
    explain.add_argument("--source", metavar="NAME", help="only this source (its file name)")
    explain.add_argument("--all", action="store_true", help="passing cells too (default: only the others)")


def _add_predicates(sub) -> None:
    predicates = _command(sub, "predicates", commands.cmd_predicates)
    _options(predicates, "entities", "config", "text-or-json", "output", "debug",
             entities="knowledge-base YAML files whose `predicates:` to include",
             output="write the reference to PATH")


def _add_plugins(sub) -> None:
    _options(_command(sub, "plugins", commands.cmd_plugins), "config", "debug")


def _add_cache(sub) -> None:
    cache = _command(sub, "cache", commands.cmd_cache)
    cache.add_argument("action", choices=("info", "clear"))
    _options(cache, "cache", "config", "debug")


def _add_init(sub) -> None:
    init = _command(sub, "init", commands.cmd_init)
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="where to write it (default: here)")
    _options(init, "debug")


def _add_lsp(sub) -> None:
    lsp = _command(sub, "lsp", commands.cmd_lsp)
    lsp.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default, and the only way)")
    _options(lsp, "debug")
