"""`factcheck check --watch`: check once, then again whenever a rule file, a knowledge base or
a source changes, printing only what changed since the last run.

The first run prints the usual report. Each later run prints one block: what changed on disk,
then one line per result whose verdict changed (a new assertion or source counts as changed,
a removed one is listed as gone), then the counts. Results are matched across runs by rule
file, assertion text and source, and, for an assertion whose text was edited, by its place in
the file; so an edit that moves lines does not make every row look new. A run that fails (a
rule file half typed, a broken KB) prints its one error line and the watch goes on, comparing
the next good run with the last good one. The fact cache makes a re-run cost only the
sources that changed (and the spaCy model stays loaded between runs).

Changes are seen with `watchfiles` (inotify, FSEvents, ...); where it is missing or cannot
watch (`FACTCHECK_WATCH_POLL=1`, some network file systems) the folders are polled for
modification times instead. Writes to the cache folder (`.factcheck/`) never trigger a run.
The folders watched are the rule files' (and named KBs') and the sources' own; a change to the
config file is not seen: restart the watch after editing it.
"""
from __future__ import annotations

import fnmatch
import glob
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TextIO

from factcheck.errors import FactcheckError
from factcheck.model import Result, Run
from factcheck.report.common import reasons
from factcheck.safety import printable

RULE_SUFFIXES = (".fc", ".yaml", ".yml")
IGNORED_PARTS = (".factcheck", ".git", "__pycache__", ".venv", "node_modules")
Key = tuple[str, str, str, int]  # rule file, assertion, source, occurrence


# --------------------------------------------------------------------------- what to watch


@dataclass(frozen=True, slots=True)
class Targets:
    """The folders to watch and which files in them matter."""

    folders: tuple[str, ...]
    rule_folders: tuple[str, ...]  # a .fc or .yaml file under one of these is a rule file or a KB
    files: frozenset[str]  # named files (rule files, KBs, the config)
    source_patterns: tuple[str, ...]  # absolute globs

    def relevant(self, path: str) -> bool:
        path = os.path.abspath(path)
        parts = path.split(os.sep)
        if any(p in IGNORED_PARTS for p in parts):
            return False
        if path in self.files:
            return True
        if path.endswith(RULE_SUFFIXES) and any(_under(path, d) for d in self.rule_folders):
            return True
        # fnmatch's `*` crosses folders, so `**/` can go: a little too wide, never too narrow
        return any(fnmatch.fnmatch(path, pat.replace("**/", "")) for pat in self.source_patterns)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _base(pattern: str) -> str:
    """The folder a glob starts from: its longest leading part without wildcards."""
    parts = []
    for part in os.path.normpath(pattern).split(os.sep):
        if glob.has_magic(part):
            break
        parts.append(part)
    base = os.sep.join(parts) or "."
    if pattern.startswith(os.sep) and not base.startswith(os.sep):
        base = os.sep + base
    return base if os.path.isdir(base) else (os.path.dirname(base) or ".")


def targets(rule_paths: Sequence[str], source_patterns: Sequence[str], kb_paths: Sequence[str] = (),
            extra_files: Sequence[str] = ()) -> Targets:
    """What to watch for these rule files (or folders), source globs and KB files; `extra_files`
    count when they change inside a watched folder."""
    rule_folders = {os.path.abspath(p if os.path.isdir(p) else (os.path.dirname(p) or ".")) for p in rule_paths}
    rule_folders |= {os.path.abspath(os.path.dirname(p) or ".") for p in kb_paths}
    files = {os.path.abspath(p) for p in (*rule_paths, *kb_paths, *extra_files) if not os.path.isdir(p)}
    patterns = []
    source_folders = set()
    for pattern in source_patterns:
        if os.path.isdir(pattern):
            source_folders.add(os.path.abspath(pattern))
            patterns.append(os.path.join(os.path.abspath(pattern), "*"))
            continue
        source_folders.add(os.path.abspath(_base(pattern)))
        patterns.append(os.path.abspath(pattern))
    # the named files' own folders are not watched (a config at the project root would mean
    # watching .venv and .git too); a rule file or KB lives in a rule folder anyway
    folders = _outermost(rule_folders | source_folders)
    return Targets(tuple(sorted(folders)), tuple(sorted(rule_folders)), frozenset(files), tuple(patterns))


def _outermost(folders: Iterable[str]) -> set[str]:
    ordered = sorted(set(folders), key=len)
    kept: list[str] = []
    for f in ordered:
        if not any(_under(f, k) for k in kept):
            kept.append(f)
    return set(kept)


# --------------------------------------------------------------------------- seeing changes


def changes(folders: Sequence[str], stop: threading.Event, *, poll: bool | None = None,
            interval: float = 0.3) -> Iterator[set[str]]:
    """Sets of changed paths under `folders`, until `stop` is set. watchfiles when it is there
    (and `poll` is not asked for), else polling every `interval` seconds."""
    if poll is None:
        poll = bool(os.environ.get("FACTCHECK_WATCH_POLL"))
    if not poll:
        try:
            from watchfiles import watch as watch_files
        except ImportError:  # pragma: no cover - a dependency, but a missing one only costs speed
            watch_files = None  # type: ignore[assignment]
        if watch_files is not None:
            for batch in watch_files(*folders, stop_event=stop, debounce=200, step=50, rust_timeout=500,
                                          yield_on_timeout=False, raise_interrupt=True):
                yield {path for _, path in batch}
            return
    yield from _poll(folders, stop, interval)


def _poll(folders: Sequence[str], stop: threading.Event, interval: float) -> Iterator[set[str]]:
    before = _snapshot(folders)
    while not stop.wait(interval):
        now = _snapshot(folders)
        changed = {p for p in before.keys() | now.keys() if before.get(p) != now.get(p)}
        before = now
        if changed:
            yield changed


def _snapshot(folders: Sequence[str]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in IGNORED_PARTS]
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


# --------------------------------------------------------------------------- what changed


@dataclass(frozen=True, slots=True)
class Change:
    before: Result | None  # None: a new row
    after: Result | None  # None: a row that is gone


def _keyed(results: Iterable[Result]) -> dict[Key, Result]:
    seen: dict[tuple[str, str, str], int] = {}
    out: dict[Key, Result] = {}
    for r in results:
        base = (r.file, r.assertion, r.source)
        n = seen[base] = seen.get(base, -1) + 1
        out[(*base, n)] = r
    return out


def diff(before: Sequence[Result], after: Sequence[Result]) -> list[Change]:
    """The results whose verdict changed between two runs, in the new run's order (rows that
    are gone at the end)."""
    old, new = _keyed(before), _keyed(after)
    unmatched_old = {k: r for k, r in old.items() if k not in new}
    by_place = {(r.file, r.line, r.column, r.source): r for r in unmatched_old.values()}
    out: list[Change] = []
    for key, r in new.items():
        prev = old.get(key)
        if prev is None:  # an edited assertion: the old one at the same place
            prev = by_place.pop((r.file, r.line, r.column, r.source), None)
            if prev is not None:
                unmatched_old.pop(next(k for k, v in unmatched_old.items() if v is prev))
        if prev is None or prev.verdict != r.verdict:
            out.append(Change(prev, r))
    out.extend(Change(r, None) for r in unmatched_old.values())
    return out


def change_line(change: Change) -> str:
    r = change.after or change.before
    assert r is not None
    where = f"{_shown(r.file)}:{r.line}"
    if change.after is None:
        return printable(f"  {where} {r.assertion} on {r.source}: gone (was {r.verdict})")
    was = change.before.verdict if change.before is not None else "new"
    why = " ".join(reasons(change.after))
    return printable(f"  {where} {r.assertion} on {r.source}: {was} -> {change.after.verdict}"
                     + (f": {why}" if why else ""))


def _shown(path: str) -> str:
    """A path under the working folder as a relative one."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith(os.pardir) else rel


def counts(run: Run) -> str:
    s = run.summary()
    return ", ".join(f"{s[v]} {v}" for v in ("pass", "fail", "unknown", "error", "skipped")) + f" ({s['total']} results)"


# --------------------------------------------------------------------------- the loop


def watch(run_once: Callable[[], Run], target: Callable[[], Targets], out: TextIO, *,
          first: Callable[[Run], None] | None = None, stop: threading.Event | None = None,
          poll: bool | None = None, interval: float = 0.3, clock: Callable[[], str] | None = None) -> int:
    """Run, then re-run on every relevant change until `stop` is set (or Ctrl-C). `first`
    prints the first run's report; later runs print only what changed. Returns the number of
    runs made."""
    stop = stop or threading.Event()
    clock = clock or (lambda: time.strftime("%H:%M:%S"))
    last: Run | None = None
    runs = 0

    def attempt() -> Run | None:
        nonlocal runs
        runs += 1
        try:
            return run_once()
        except FactcheckError as err:
            out.write(printable(err.render(), multiline=True) + "\n")
            return None

    last = attempt()
    if last is not None:
        if first is not None:
            first(last)
        else:
            out.write(counts(last) + "\n")
    where = target()
    out.write(f"watching {', '.join(printable(f) for f in where.folders)} for changes (Ctrl-C stops)\n")
    out.flush()
    try:
        for changed in changes(where.folders, stop, poll=poll, interval=interval):
            relevant = sorted(p for p in changed if where.relevant(p))
            if not relevant:
                continue
            names = ", ".join(printable(os.path.relpath(p)) for p in relevant[:3])
            more = f" and {len(relevant) - 3} more" if len(relevant) > 3 else ""
            out.write(f"--- {clock()} {names}{more} changed: run {runs + 1}\n")
            started = time.perf_counter()
            now = attempt()
            if now is not None:
                found = diff(last.results if last is not None else [], now.results)
                for line in (change_line(c) for c in found):
                    out.write(line + "\n")
                for error in now.errors:
                    if last is None or error not in last.errors:
                        out.write(printable(f"  not read: {error}") + "\n")
                if not found:
                    out.write("  no verdict changed\n")
                out.write(f"  {counts(now)} in {time.perf_counter() - started:.1f} s\n")
                last = now
                where = target()  # a new rule folder or KB may have come with the change
            out.flush()
    except KeyboardInterrupt:
        pass
    return runs
