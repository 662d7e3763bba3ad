"""The fact cache: facts per source, in SQLite, keyed by everything extraction depends on.

Extracting facts from one source is a pure function of (text, metadata, knowledge base,
model, extractor code, extra event heads, settings). `extraction_context` digests all but
the source; `source_key` adds the source. Change any part and the key changes, so the entry
is recomputed; change only a rule file and every key stays the same.

Storage is one table in a SQLite file (WAL mode, `.factcheck/cache.db` by default). Every
write is a short `INSERT OR REPLACE` transaction, with a busy timeout and retries, so
pytest-xdist workers or two CLI runs can share one file. A cache that cannot be used (a
corrupt or truncated file, garbage bytes, a read-only folder, a lock that never clears) never
stops a run: it is rebuilt, or bypassed, after one warning line on stderr.

This module must not import spaCy: a fully cached run never pays for spaCy. The extractor
version comes from `factcheck.extract` (whose package module is light; spaCy is imported by
its submodules), and the model version from package metadata.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from factcheck.config import DEFAULT_CACHE, MODEL_PACKAGES
from factcheck.model import Fact, FactJSON, Source, fact_from_json, fact_to_json
from factcheck.safety import printable

CACHE_SCHEMA = "2"
ENV_CACHE = "FACTCHECK_CACHE"
OFF_VALUES = frozenset({"", "0", "off", "no", "none", "false"})
BUSY_TIMEOUT_MS = 10_000
RETRIES = 5
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # factcheck/
# The code and data extraction depends on; their bytes go into every key.
CODE_GLOBS = ("extract/*.py", "extract/*.yaml", "kb/*.py", "kb/data/*.yaml", "model.py")

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)  # a path may hold terminal escapes


# --------------------------------------------------------------------------- keys


@functools.cache
def code_digest() -> str:
    """sha256 over the extraction code and pattern data files (names and bytes)."""
    h = hashlib.sha256()
    for pattern in CODE_GLOBS:
        for path in sorted(PACKAGE_DIR.glob(pattern)):
            h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def extractor_version() -> str:
    """The extractor's version (part of every key)."""
    from factcheck.extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


@functools.cache
def model_version(name: str) -> str:
    """`package==version` of a spaCy model without importing spaCy: from the installed
    package's metadata, or from `meta.json` (plus its digest) when `name` is a folder."""
    from importlib import metadata

    folder = Path(name).expanduser()
    meta = folder / "meta.json"
    if meta.is_file():
        data = meta.read_bytes()
        try:
            info = json.loads(data)
            label = f"{info.get('lang', '')}_{info.get('name', '')}=={info.get('version', '')}"
        except ValueError:
            label = "?"
        return f"{folder.resolve()}:{label}:{hashlib.sha256(data).hexdigest()[:16]}"
    for package in MODEL_PACKAGES.get(name, (name,)):
        try:
            if importlib.util.find_spec(package) is None:
                continue
        except (ImportError, ValueError):
            continue
        for dist in (package.replace("_", "-"), package):
            try:
                return f"{package}=={metadata.version(dist)}"
            except metadata.PackageNotFoundError:
                continue
        return package
    return name  # not installed: extraction will say so; the key only has to be stable


def extraction_context(kb_digest: str, model: str, extra_heads: Iterable[str] = (),
                       settings: Mapping[str, Any] | None = None) -> str:
    """Digest of everything but the source that extraction depends on."""
    parts = {
        "schema": CACHE_SCHEMA,
        "extractor": extractor_version(),
        "code": code_digest(),
        "kb": kb_digest,
        "model": model,
        "model_version": model_version(model),
        "heads": sorted(set(extra_heads)),
        "settings": dict(settings or {}),
    }
    return _sha(json.dumps(parts, sort_keys=True, default=str))


def source_key(source: Source, context: str) -> str:
    """The cache key of one source's facts: its text and metadata (not its file name or
    path: a renamed file keeps its facts) within an extraction context."""
    parts = [context, source.text, source.published.isoformat() if source.published else None,
             source.outlet, source.url, source.language, [list(kv) for kv in source.meta]]
    return _sha(json.dumps(parts, ensure_ascii=False, default=str))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- entry format


def encode_facts(facts: Sequence[Fact]) -> str:
    """One source's facts as text: a header line, then one JSON array per predicate.

    The header (`{"p": {predicate: [start, end]}, "o": [...]}`) gives where each predicate's
    array lies in the rest and, in `o`, which array each fact came from, in extraction order.
    A reader that wants a few predicates slices and decodes only their arrays: most facts are
    `mentions`, which few rules ask for."""
    order: dict[str, int] = {}
    groups: list[list[FactJSON]] = []
    sequence = []
    for f in facts:
        k = order.setdefault(f.predicate, len(order))
        if k == len(groups):
            groups.append([])
        groups[k].append(fact_to_json(f))
        sequence.append(k)
    spans: dict[str, list[int]] = {}
    parts: list[str] = []
    at = 0
    for predicate, k in order.items():
        text = json.dumps(groups[k], ensure_ascii=False, separators=(",", ":"))
        spans[predicate] = [at, at + len(text)]
        parts.append(text)
        at += len(text)
    header = json.dumps({"p": spans, "o": sequence}, ensure_ascii=False, separators=(",", ":"))
    return header + "\n" + "".join(parts)


def decode_facts(blob: str, only: frozenset[str] | None = None) -> list[Fact]:
    """The facts `encode_facts` wrote, in extraction order (with `only`, just those
    predicates'). ValueError, KeyError, TypeError or IndexError on an entry in another format."""
    newline = blob.index("\n")
    header = json.loads(blob[:newline])
    body = blob[newline + 1:]
    spans: dict[str, list[int]] = header["p"]
    wanted = [p for p in spans if only is None or p in only]
    subjects: dict[tuple, Any] = {}
    decoded = {p: [fact_from_json(d, subjects) for d in json.loads(body[spans[p][0]:spans[p][1]])] for p in wanted}
    if len(wanted) == 1:
        return decoded[wanted[0]]
    streams = [iter(decoded.get(p, ())) for p in spans]
    return [f for k in header["o"] for f in (next(streams[k], None),) if f is not None]


# --------------------------------------------------------------------------- location


def resolve_path(config_cache: str | None = None, explicit: str | None = None,
                 no_cache: bool = False) -> str | None:
    """Where the cache lives, or None for no cache. Precedence: `no_cache`, then `explicit`
    (the command line), then $FACTCHECK_CACHE (a path, or off/0/none to disable), then the
    config's `cache`, then `.factcheck/cache.db`."""
    if no_cache:
        return None
    if explicit:
        return explicit
    env = os.environ.get(ENV_CACHE)
    if env is not None:
        return None if env.strip().lower() in OFF_VALUES else os.path.expanduser(env)
    return config_cache or DEFAULT_CACHE


# --------------------------------------------------------------------------- storage

APPLICATION_ID = 0x6663_6B31  # "fck1" in the SQLite header: this file is a factcheck cache
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_ENTRY_CHARS = 64 * 1024 * 1024  # a larger entry is not one factcheck wrote: a miss
LEGACY_COLUMNS = ["key", "facts", "created"]  # the one table of caches made before APPLICATION_ID


class NotOurs(Exception):
    """The path holds something factcheck did not create: it is left as it is."""


def identify(path: str) -> str:
    """What is at `path`, read without opening it as a database: "missing", "ours" (a
    factcheck cache by its application id), "legacy" (a SQLite file that may be one of
    before the id), or raise NotOurs saying what it is."""
    from factcheck.safety import special_file

    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"  # nothing there (making it says why it cannot be)
    except OSError as exc:
        raise NotOurs(f"it cannot be read ({exc.strerror or exc})") from None
    kind = special_file(path)
    if kind is not None:
        raise NotOurs(f"it is {kind}")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise NotOurs(f"it cannot be read ({exc.strerror or exc})") from None
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise NotOurs("it is not a factcheck cache" + (" (an empty file)" if not header else ""))
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        version = int.from_bytes(header[60:64], "big")
        if version > int(CACHE_SCHEMA):
            raise NotOurs(f"it was written by a newer factcheck (cache schema {version}, this one reads "
                          f"{CACHE_SCHEMA})")
        return "ours"
    if app_id != 0:
        raise NotOurs("it is another application's SQLite database")
    return "legacy"


def _legacy_is_ours(conn: sqlite3.Connection) -> bool:
    """A SQLite file without an application id is taken as factcheck's only when its one
    table is exactly the `facts` table earlier versions made."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger', "
                                         "'index') AND name NOT LIKE 'sqlite_%'")]
    if tables != ["facts"]:
        return False
    return [r[1] for r in conn.execute("PRAGMA table_info(facts)")] == LEGACY_COLUMNS


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What `factcheck cache info` shows."""

    path: str
    exists: bool
    entries: int
    size: int  # bytes on disk, the -wal and -shm files included
    note: str = ""  # why the file at `path` is not used, when it is not


class FactCache:
    """Facts per source key in one SQLite file. Every method is safe to call on an
    unusable cache: it warns once and behaves as an empty cache that forgets writes.

    It never deletes, truncates or alters a file it did not create: the database is
    recognised by its application id (or, for caches of earlier versions, by its one
    `facts` table); anything else at the path is left byte for byte as it was and the run
    goes on without a cache. A new cache is made in a temporary file beside the path and
    renamed into place; only a cache of its own proven corrupt is replaced, the same way."""

    def __init__(self, path: str, warn: Warn = _stderr) -> None:
        self.path = str(path)
        self._warn = warn
        self._conn: sqlite3.Connection | None = None
        self._disabled = False
        self._rebuilt = False
        self._warned = False

    # -- public

    def get_many(self, keys: Sequence[str], only: frozenset[str] | None = None) -> dict[str, list[Fact]]:
        """The cached facts of those keys that have an entry; with `only`, just the facts of
        those predicates are decoded (most facts are `mentions`, which few rules ask for).
        An entry that is too large or does not decode is a miss."""
        out: dict[str, list[Fact]] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):  # stay under SQLite's variable limit
            chunk = unique[i:i + 500]
            sql = (f"SELECT key, facts FROM facts WHERE key IN ({','.join('?' * len(chunk))}) "
                   f"AND typeof(facts) = 'text' AND length(facts) <= {MAX_ENTRY_CHARS}")

            def select(c: sqlite3.Connection, sql: str = sql, chunk: list[str] = chunk) -> list[Any]:
                return c.execute(sql, chunk).fetchall()

            rows = self._run(select, [])
            for key, blob in rows:
                try:
                    facts = decode_facts(blob, only)
                except Exception:  # noqa: BLE001 - whatever a poisoned entry raises, it is a miss
                    continue  # another version's entry, or a poisoned one: recomputed and replaced
                if isinstance(key, str) and all(isinstance(f, Fact) for f in facts):
                    out[key] = facts
        return out

    def present(self, keys: Sequence[str]) -> set[str]:
        """Which of these keys have an entry (nothing is read or decoded: a quick look)."""
        found: set[str] = set()
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            chunk = unique[i:i + 500]
            sql = f"SELECT key FROM facts WHERE key IN ({','.join('?' * len(chunk))})"

            def select(c: sqlite3.Connection, sql: str = sql, chunk: list[str] = chunk) -> list[Any]:
                return c.execute(sql, chunk).fetchall()

            found.update(row[0] for row in self._run(select, []))
        return found

    def put_many(self, items: Iterable[tuple[str, list[Fact]]]) -> None:
        """Store facts, one short transaction for the lot."""
        rows = [(key, encode_facts(facts), time.time()) for key, facts in items]
        if not rows:
            return

        def write(c: sqlite3.Connection) -> None:
            with _transaction(c):
                c.executemany("INSERT OR REPLACE INTO facts (key, facts, created) VALUES (?, ?, ?)", rows)

        self._run(write, None, writes=True)

    def info(self) -> CacheInfo:
        try:
            kind = identify(self.path)
        except NotOurs as exc:
            return CacheInfo(self.path, True, 0, 0, f"not used: {exc}")
        if kind == "missing":
            return CacheInfo(self.path, False, 0, 0)
        entries = self._run(lambda c: c.execute("SELECT COUNT(*) FROM facts").fetchone()[0], 0)
        size = sum(os.path.getsize(p) for p in self._files() if os.path.exists(p))
        return CacheInfo(self.path, True, entries, size, "not used: " + self._reason if self._disabled else "")

    def clear(self) -> int:
        """Delete every entry; the number deleted. Anything that is not a factcheck cache is
        left alone (with a warning)."""
        def wipe(c: sqlite3.Connection) -> int:
            with _transaction(c):
                return c.execute("DELETE FROM facts").rowcount
        n = self._run(wipe, 0, writes=True)
        self._run(lambda c: c.execute("VACUUM"), None, writes=True)
        return max(n, 0)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def __enter__(self) -> FactCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- machinery

    _reason = ""

    def _files(self) -> list[str]:
        return [self.path, self.path + "-wal", self.path + "-shm", self.path + "-journal"]

    def _open(self, path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _create(self) -> None:
        """Make a new, empty cache in a temporary file beside the path and move it into place:
        without replacing anything (a link, which fails if another process got there first),
        or, when rebuilding a corrupt cache of our own, over it."""
        import tempfile

        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".factcheck-cache-", suffix=".tmp", dir=folder)
        os.close(fd)
        try:
            conn = self._open(tmp)
            try:
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version={int(CACHE_SCHEMA)}")
                conn.execute("CREATE TABLE facts (key TEXT PRIMARY KEY, facts TEXT NOT NULL, created REAL NOT NULL)")
                conn.execute("PRAGMA journal_mode=WAL")
            finally:
                conn.close()
            if self._rebuilt:
                for p in self._files()[1:]:  # the corrupt cache's own journal files
                    if os.path.exists(p):
                        os.remove(p)
                os.replace(tmp, self.path)
            else:
                try:
                    os.link(tmp, self.path)
                except FileExistsError:
                    pass  # another run made it first: use theirs
        finally:
            for p in (tmp, tmp + "-wal", tmp + "-shm"):
                if os.path.exists(p):
                    os.remove(p)

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            kind = identify(self.path)
            if kind == "missing":
                self._create()
                kind = identify(self.path)
            conn = self._open(self.path)
            try:
                if kind == "legacy" and not _legacy_is_ours(conn):
                    raise NotOurs("it is another application's SQLite database")
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot use WAL mode (journal mode {mode and mode[0]})")
                conn.execute("PRAGMA synchronous=NORMAL")
                if kind == "legacy":  # one of ours from before the id: mark it
                    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version={int(CACHE_SCHEMA)}")
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _run(self, op: Callable[[sqlite3.Connection], Any], fallback: Any, writes: bool = False) -> Any:
        """Run `op` on the connection: retry while locked, rebuild once when our own file is
        corrupt, and otherwise warn once and return `fallback`."""
        if self._disabled:
            return fallback
        delay = 0.05
        for attempt in range(RETRIES + 1):
            try:
                return op(self._connect())
            except NotOurs as exc:
                self.close()
                self._give_up(f"{exc}; it is left untouched", f"the fact cache path {self.path} is not used")
                return fallback
            except (sqlite3.DatabaseError, OSError) as exc:
                self.close()
                text = str(exc)
                if _is_locked(exc) and attempt < RETRIES:
                    time.sleep(delay)
                    delay *= 2
                    continue
                if _is_corrupt(exc) and not self._rebuilt and self._rebuild(text):
                    continue
                self._give_up(text)
                return fallback
        return fallback

    def _rebuild(self, reason: str) -> bool:
        """Replace a cache of our own that SQLite finds corrupt with a new one (made beside
        it and renamed over it). Anything not provably ours is never replaced."""
        try:
            if identify(self.path) != "ours":
                return False
        except NotOurs:
            return False
        self._rebuilt = True
        self._say(f"factcheck: warning: the fact cache at {self.path} is unreadable ({reason}); rebuilding it")
        try:
            self._create()
        except (OSError, sqlite3.Error):
            return False
        return True

    def _give_up(self, reason: str, what: str = "") -> None:
        self._disabled = True
        self._reason = reason
        what = what or f"the fact cache at {self.path} is unusable"
        self._say(f"factcheck: warning: {what} ({reason}); running without it")

    def _say(self, message: str) -> None:
        if not self._warned:  # one line per run, however many things go wrong
            self._warned = True
            self._warn(message)


@contextlib.contextmanager
def _transaction(c: sqlite3.Connection):
    """One explicit transaction: the connection is in autocommit mode (isolation_level=None),
    where `with connection:` would commit each row of an executemany on its own, so a process
    killed mid-write could leave part of a batch."""
    c.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        c.execute("ROLLBACK")
        raise
    c.execute("COMMIT")


def _is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _is_corrupt(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return False
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "not a database", "corrupt", "no such table"))


# --------------------------------------------------------------------------- commands


def open_cache(path: str | None, warn: Warn = _stderr) -> FactCache | None:
    """A FactCache at `path`, or None when caching is off."""
    return FactCache(path, warn) if path else None


def cache_info(path: str) -> CacheInfo:
    """Path, entries and size of the cache at `path` (`factcheck cache info`)."""
    if not os.path.exists(path):
        return CacheInfo(path, False, 0, 0)
    with FactCache(path) as c:
        return c.info()


def clear_cache(path: str) -> int:
    """Empty the cache at `path` (`factcheck cache clear`); the number of entries removed."""
    if not os.path.exists(path):
        return 0
    with FactCache(path) as c:
        return c.clear()
