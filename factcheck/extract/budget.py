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
PER_CHARS = 100_000  # the budget is for an article of this size or less; a longer one gets proportionally more


class OverBudget(Exception):
    """An article's extraction ran past its time budget."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took more than {seconds:.3g} s to read (the time budget per article, `article_seconds`); skipped")
        self.seconds = seconds


_deadline: float | None = None
_seconds: float = 0.0


def for_length(seconds: float | None, chars: int) -> float | None:
    """The budget of an article of `chars` characters: `seconds` for up to PER_CHARS, and
    proportionally more beyond (the budget stops blow-ups, not long articles)."""
    return seconds * max(1.0, chars / PER_CHARS) if seconds else None


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
