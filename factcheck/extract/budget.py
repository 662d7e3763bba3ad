"""The per-article budgets of time and memory: extraction of one article that runs past
either stops, and that article alone is reported (with a warning line), never the run.

The clock and the memory gauge are per process (extraction reads one article at a time in
a process). The extraction loop starts them for each article (`start`) and the long loops
check them (`check`): between the segments of a long article's parse, per sentence of the
built-in extractors, between extractors. Each check is one clock read; the process's
resident memory is read at most every MEMORY_EVERY seconds (one small /proc read on Linux).
Memory is counted as growth over what the process held when the article started, so the
model's own size (about 250 MB) is not charged to any article.
"""
from __future__ import annotations

import os
import resource
import sys
import time

DEFAULT_SECONDS = 120.0  # per article; ordinary news (a few KB) takes well under a second
DEFAULT_MEGABYTES = 1024.0  # growth per article; ordinary news needs a few MB, a 1 MB article about 100
PER_CHARS = 100_000  # the time budget is for an article of this size or less; a longer one gets proportionally more
MEMORY_EVERY = 0.05  # seconds between two readings of the resident memory


class OverBudget(Exception):
    """An article's extraction ran past its time or memory budget."""

    def __init__(self, seconds: float, megabytes: float | None = None) -> None:
        if megabytes is None:
            what = f"took more than {seconds:.3g} s to read (the time budget per article, `article_seconds`)"
        else:
            what = (f"needed more than {megabytes:.4g} MB of memory to read "
                    "(the memory budget per article, `article_megabytes`)")
        super().__init__(f"{what}; skipped")
        self.seconds = seconds
        self.megabytes = megabytes


_deadline: float | None = None
_seconds: float = 0.0
_megabytes: float | None = DEFAULT_MEGABYTES  # the memory budget of every article of this process (`limit_memory`)
_memory_ceiling: int | None = None  # bytes of resident memory the current article may bring the process to
_next_reading: float = 0.0


def for_length(seconds: float | None, chars: int) -> float | None:
    """The budget of an article of `chars` characters: `seconds` for up to PER_CHARS, and
    proportionally more beyond (the budget stops blow-ups, not long articles)."""
    return seconds * max(1.0, chars / PER_CHARS) if seconds else None


def limit_memory(megabytes: float | None) -> None:
    """Set the memory budget of each article this process reads from now on (None or 0: none)."""
    global _megabytes
    _megabytes = megabytes or None


def resident_bytes() -> int:
    """This process's resident memory now (Linux: /proc/self/statm), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB elsewhere


def start(seconds: float | None) -> None:
    """Start the clock and the memory gauge of one article (seconds None or 0: no time budget)."""
    global _deadline, _seconds, _memory_ceiling, _next_reading
    now = time.monotonic()
    _seconds = seconds or 0.0
    _deadline = now + seconds if seconds else None
    _memory_ceiling = resident_bytes() + int(_megabytes * 2**20) if _megabytes else None
    _next_reading = now + MEMORY_EVERY


def stop() -> None:
    global _deadline, _memory_ceiling
    _deadline = None
    _memory_ceiling = None


def check() -> None:
    """Raise OverBudget when the current article's time is up or its memory is spent."""
    global _next_reading
    if _deadline is None and _memory_ceiling is None:
        return
    now = time.monotonic()
    if _deadline is not None and now > _deadline:
        seconds = _seconds
        stop()
        raise OverBudget(seconds)
    if _memory_ceiling is not None and now >= _next_reading:
        _next_reading = now + MEMORY_EVERY
        if resident_bytes() > _memory_ceiling:
            megabytes = _megabytes or 0.0
            stop()
            raise OverBudget(_seconds, megabytes)
