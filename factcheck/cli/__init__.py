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

The package: `parser` (every command's arguments, in one place), `commands` (one small
handler per command), `output` (writing a report to `--output` or standard output) and
`terminal` (stderr made inert, warnings, the progress bar, colour and width).

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

import atexit
import gc
import os
import sys
from typing import NoReturn, Sequence

from factcheck.cli.output import silence_stdout, tolerant_stdout
from factcheck.cli.parser import build_parser
from factcheck.cli.terminal import InertStream
from factcheck.errors import ExitCode

__all__ = ["build_parser", "main", "run"]

#: The collector's first threshold for the command (Python's is 700): a run makes hundreds of
#: thousands of objects that live to its end, and each young collection would walk them again.
YOUNG_COLLECTION_EVERY = 100_000


def run() -> NoReturn:
    """The `factcheck` command as a process (the console script and `python -m factcheck.cli`):
    `main`, with the collector's thresholds raised, then the exit. Once the streams are
    flushed, no child process is left and the exit functions have run (`atexit`), the process
    ends at once (`os._exit`) instead of freeing, one object at a time, tables and reports
    that the operating system reclaims whole (a third of a second after a large cached run). `main` itself is what tests and
    other Python callers use: it changes nothing of the process."""
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
    code = main()
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        sys.exit(code)
    atexit._run_exitfuncs()  # what the interpreter would run at exit (plugins', multiprocessing's); run once
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)  # let the interpreter report what it reports at exit
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command with stderr made inert (see `InertStream`) and stdout unable to
    fail on an encoding; the streams are restored afterwards."""
    raw_stderr = sys.stderr
    if raw_stderr is not None and not isinstance(raw_stderr, InertStream):
        sys.stderr = InertStream(raw_stderr)
    tolerant_stdout()
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
        _traceback_if(args.debug)
        print(err.render(), file=sys.stderr)
        return getattr(err, "exit_code", ExitCode.USAGE)
    except KeyboardInterrupt:
        print("factcheck: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError as exc:  # a pipe closed under a write that `output.emit` does not make
        silence_stdout()
        print(f"factcheck: error: {exc.strerror or 'broken pipe'}", file=sys.stderr)
        return ExitCode.USAGE
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into exit code 3
        _traceback_if(args.debug)
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        print(f"factcheck: internal error: {detail}; run with --debug for the traceback", file=sys.stderr)
        return ExitCode.INTERNAL


def _traceback_if(debug: bool) -> None:
    """With --debug, the traceback of the exception being handled, on stderr."""
    if debug:
        import traceback

        traceback.print_exc()
