"""What the person at the terminal sees besides the report: stderr made inert, warnings one
line each, the progress bar while articles are read, and the colour and width text reports
use."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:  # pragma: no cover - rich is imported when a progress bar is shown
    import argparse

    from rich.progress import Progress, TaskID


class InertStream:
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


def warn(lines: Sequence[str], severity: str = "warning") -> None:
    from factcheck.safety import printable

    for line in dict.fromkeys(lines):  # one line each, even for a file name with a newline in it
        print(f"factcheck: {severity}: {printable(line)}", file=sys.stderr)


def warn_run(run) -> None:
    """A run's warnings, then its errors (sources that could not be read...)."""
    warn(run.warnings)
    warn(run.errors, "error")


def text_options(args: argparse.Namespace) -> dict:
    """Colour, width and --quiet for a text or table report."""
    from factcheck.report.common import use_color

    to_terminal = args.output is None and use_color(sys.stdout)
    width = None
    if args.output is None and sys.stdout is not None and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    return {"color": to_terminal, "width": width, "quiet": args.quiet}


class ProgressBar:
    """A rich progress bar on stderr while articles are read: only for a terminal, never
    with --quiet or NO_COLOR. `callback` is what the runner calls: (done, total, name); the
    name is shown escaped and never read as rich markup."""

    def __init__(self, enabled: bool) -> None:
        from factcheck.report.common import use_color

        self.enabled = enabled and use_color(sys.stderr)
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> "ProgressBar":
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
