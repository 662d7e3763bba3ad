"""Sources read before, recalled by their files' stamps (issue 18: the warm run).

Reading a source (its bytes decoded, normalised, its front matter and metadata settled) is a
pure function of the file's bytes, its metadata from the manifest and the config, the day
(a publication date in the future is a warning) and this package's code (with the Python and
PyYAML the run has, which, as for the fact cache's keys, are taken to stay the same). A run that has a
memo (`SourceMemo`: the fact cache) remembers each source it read under its file's stamp:
size, modification and change times (in nanoseconds), inode and device, as git's index and
make do. A later run recalls the source of a file whose stamp and context are the same, and
reads only the others.

The change time cannot be set back by any program: every write, rename over the file or
`touch` moves it (on the file systems Linux and macOS use; one that makes its change time up
from the modification time is only as safe as make is). A file is remembered only when its stamp is settled: both times at least
RACY_SECONDS old when it was read, and the same stamp after the read as before it. A file
written within the same tick as its stamp was taken (or during the read) is read again the
next time, never recalled with its old text (git's "racy" entries). Each remembered source
carries a CRC-32: a damaged entry is read again, not trusted.
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
import stat
import time
import zlib
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

from factcheck import model

RACY_SECONDS = 2.0
# The code a source's reading depends on: this package, YAML and file reading, the Source model.
_CODE = ("sources/*.py", "yamlio.py", "safety.py", "model.py", "errors.py")


class SourceMemo(Protocol):
    """Where sources are remembered (`run.cache.FactCache`): by key, a stamp and a text."""

    def recall_sources(self, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
        """key -> (stamp, text) of those remembered; a damaged entry is left out."""

    def remember_sources(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Remember (key, stamp, text) rows."""


def files_digest(folder: Path, globs: Iterable[str]) -> str:
    """sha256 over the files of `folder` that these globs name: their paths and bytes (the
    code a cached result depends on; `run.cache_keys` digests its own globs with it)."""
    h = hashlib.sha256()
    for pattern in globs:
        for path in sorted(folder.glob(pattern)):
            h.update(str(path.relative_to(folder)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def code_digest() -> str:
    return files_digest(Path(__file__).resolve().parent.parent, _CODE)


def entry_checksum(stamp: str, text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"), zlib.crc32(stamp.encode("utf-8", "surrogatepass")))


class Recall:
    """One reading's use of a memo: `stamp` the files (before reading them), `recall` those
    remembered (one look-up), `remember` those read here (written by `flush`)."""

    def __init__(self, memo: SourceMemo, today: _dt.date | None, max_bytes: int) -> None:
        self.memo = memo
        self.context = [code_digest(), (today or _dt.date.today()).isoformat(), max_bytes]
        self.stamps: dict[str, str] = {}  # path -> its stamp now
        self.taken: dict[str, float] = {}  # path -> when its stamp was taken
        self.metas: dict[str, Any] = {}  # path -> the metadata it was stamped with
        self._rows: list[tuple[str, str, str]] = []

    def stamp(self, path: str, meta: Any) -> None:
        """Take the file's stamp with the context of its reading (`meta`: its merged metadata
        from the config and the manifest); a file that cannot be stamped is read as usual."""
        try:
            info = os.stat(path)
        except OSError:
            return
        stamp = _stamp(info, self.context, meta) if stat.S_ISREG(info.st_mode) else None
        if stamp is not None:
            self.taken[path] = time.time()
            self.stamps[path] = stamp
            self.metas[path] = meta

    def recall(self) -> dict[str, model.Source]:
        """The remembered sources of the stamped files whose stamp is the same."""
        keys = {_key(path): path for path in self.stamps}
        out: dict[str, model.Source] = {}
        for key, (stamp, text) in self.memo.recall_sources(list(keys)).items():
            path = keys.get(key)
            if path is not None and stamp == self.stamps[path]:
                try:
                    out[path] = source_from_json(text)
                except (ValueError, TypeError, KeyError):
                    continue
        return out

    def remember(self, path: str, source: model.Source) -> None:
        """Remember a source read here, if its file's stamp was settled and did not move."""
        before = self.stamps.get(path)
        if before is None:
            return
        try:
            info = os.stat(path)
        except OSError:
            return
        taken = self.taken.get(path, 0.0)
        settled = max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 < taken - RACY_SECONDS
        if settled and _stamp(info, self.context, self.metas[path]) == before:
            self._rows.append((_key(path), before, source_to_json(source)))

    def flush(self) -> None:
        if self._rows:
            self.memo.remember_sources(self._rows)
            self._rows = []


def _key(path: str) -> str:
    """A file as a run names it (Source.path), and where it is: the same relative path from
    another working folder is another file. ASCII: a file name's undecodable byte is escaped."""
    return json.dumps([os.path.abspath(path), path])


def _stamp(info: os.stat_result, context: Iterable[Any], meta: Any) -> str | None:
    """The stamp, or None when the metadata has no canonical text (a mapping with keys other
    than text, a YAML alias that contains itself): such a file is read every time. A value
    JSON has no type for is written with its type (a date and the text of it differ)."""
    try:
        return json.dumps([info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev, list(context),
                           meta], sort_keys=True, default=lambda value: [type(value).__name__, str(value)])
    except (TypeError, ValueError, RecursionError):
        return None


def source_to_json(s: model.Source) -> str:
    return json.dumps([s.name, s.path, s.text, s.published.isoformat() if s.published else None, s.outlet, s.url,
                       s.language, [list(kv) for kv in s.meta], list(s.warnings)])  # ASCII: a lone surrogate is escaped


def source_from_json(text: str) -> model.Source:
    name, path, body, published, outlet, url, language, meta, warnings = json.loads(text)
    return model.Source(name, path, body, _dt.date.fromisoformat(published) if published else None, outlet, url,
                        language, tuple((str(k), str(v)) for k, v in meta), tuple(warnings))
