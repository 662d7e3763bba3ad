"""The per-article time budget: extraction of one article that runs past it stops, and that
article alone is reported (with a warning line), never the run.

The clock is per process (extraction reads one article at a time in a process). The
extraction loop starts it for each article (`start`) and the long loops check it (`check`):
between the segments of a long article's parse, per sentence of the built-in extractors,
between extractors. Each check is one clock read.
"""
from __future__ import annotations

import time

DEFAULT_SECONDS = 120.0  # per article; ordinary news (a few KB) takes well under a second


class OverBudget(Exception):
    """An article's extraction ran past its time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took more than {seconds:g} s to read (the per-article budget); skipped")
        self.seconds = seconds


_deadline: float | None = None
_seconds: float = 0.0


def start(seconds: float | None) -> None:
    """Start the clock of one article (None or 0: no budget)."""
    global _deadline, _seconds
    _seconds = seconds or 0.0
    _deadline = time.monotonic() + seconds if seconds else None


def stop() -> None:
    global _deadline
    _deadline = None


def check() -> None:
    """Raise OverBudget when the current article's time is up."""
    if _deadline is not None and time.monotonic() > _deadline:
        seconds = _seconds
        stop()
        raise OverBudget(seconds)
