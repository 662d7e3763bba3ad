"""The fact cache: facts per source, in SQLite, keyed by everything extraction depends on
(`factcheck.run.cache_keys`), stored in the entry format of `factcheck.run.cache_format`.

Storage is a SQLite file (WAL mode, `.factcheck/cache.db` by default): table `facts` holds
each entry's header, `fact_parts` its facts, a row per predicate; the verdicts and sources
kept beside them are `cache_kept`'s and `cache_sources`'. A cache of an earlier schema has
its entries dropped once (`_upgrade`): their keys, which hold the schema, never match. Every
write is a short `INSERT OR REPLACE` transaction, with a busy timeout and retries, so
pytest-xdist workers or two CLI runs can share one file. A cache that cannot be used (a
corrupt or truncated file, garbage bytes, a read-only folder, a lock that never clears) never
stops a run: it is rebuilt, or bypassed, after one warning line on stderr.

This module must not import spaCy: a fully cached run never pays for spaCy.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from factcheck.config import DEFAULT_CACHE
from factcheck.model import Fact
from factcheck.run.cache_format import decode_entry, encode_entry
from factcheck.run.cache_kept import LEGACY_TABLES, KeptRows, transaction as _transaction
from factcheck.run.cache_sources import SourceRows
from factcheck.run.cache_file import APPLICATION_ID, NotOurs, identify, legacy_is_ours
from factcheck.run.cache_keys import CACHE_SCHEMA
from factcheck.safety import printable

ENV_CACHE = "FACTCHECK_CACHE"
OFF_VALUES = frozenset({"", "0", "off", "no", "none", "false"})
BUSY_TIMEOUT_MS = 10_000
RETRIES = 5

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)  # a path may hold terminal escapes


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

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a larger entry is not one factcheck wrote: a miss (UTF-8 bytes: counted at once)
_SANE = f"typeof(facts) = 'text' AND length(CAST(facts AS BLOB)) <= {MAX_ENTRY_BYTES}"  # a row worth decoding
ENTRY_TABLES = ("facts", "fact_parts", "kept_cells", "blocks", "sources_read")  # what `clear` empties
# An entry's facts, a row per predicate (`cache_format.encode_entry`; the header is in `facts`): made on first write.
FACT_PARTS_TABLE = ("CREATE TABLE IF NOT EXISTS fact_parts (key TEXT NOT NULL, predicate TEXT NOT NULL, "
                    "facts TEXT NOT NULL, PRIMARY KEY (key, predicate)) WITHOUT ROWID")


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What `factcheck cache info` shows."""

    path: str
    exists: bool
    entries: int
    size: int  # bytes on disk, the -wal and -shm files included
    note: str = ""  # why the file at `path` is not used, when it is not


class FactCache(KeptRows, SourceRows):
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
        those predicates are read and decoded (most facts are `mentions`, which few rules ask
        for), and with an empty `only`, only the entries' headers: every entry is a hit with no
        facts (`only=None` reads every predicate). An entry that is too large, lacks a part or
        does not decode is a miss."""
        headers = {key: header for key, header in self._select(
            f"SELECT key, facts FROM facts WHERE key IN ({{}}) AND {_SANE}", keys) if isinstance(key, str)}
        if only is not None and not only:  # no predicate wanted (kept verdicts answer every cell): a hit is all
            return {key: [] for key in headers}
        wanted = sorted(only) if only is not None else []
        which = f"predicate IN ({','.join('?' * len(wanted))}) AND " if wanted else ""
        parts: dict[str, dict[str, str]] = {}
        for key, predicate, text in self._select(f"SELECT key, predicate, facts FROM fact_parts WHERE {which}"
                                                 f"key IN ({{}}) AND {_SANE}", list(headers), table="fact_parts",
                                                 first=wanted):
            parts.setdefault(key, {})[predicate] = text
        out: dict[str, list[Fact]] = {}
        for key, header in headers.items():
            try:
                facts = decode_entry(header, parts.get(key, {}), only)
            except Exception:  # noqa: BLE001 - whatever a poisoned entry raises, it is a miss
                continue  # another version's entry, or a poisoned one: recomputed and replaced
            if all(isinstance(f, Fact) for f in facts):
                out[key] = facts
        return out

    def present(self, keys: Sequence[str]) -> set[str]:
        """Which of these keys have facts (nothing is read or decoded: a quick look)."""
        return {row[0] for row in self._select("SELECT key FROM facts WHERE key IN ({})", keys)}

    def put_many(self, items: Iterable[tuple[str, list[Fact]]]) -> None:
        """Store facts, one short transaction for the lot: per entry its header and a part
        per predicate (those of an entry stored before are replaced)."""
        now = time.time()
        entries = [(key, *encode_entry(facts)) for key, facts in items]
        if not entries:
            return

        def write(c: sqlite3.Connection) -> None:
            with _transaction(c):
                c.execute(FACT_PARTS_TABLE)
                c.executemany("DELETE FROM fact_parts WHERE key = ?", [(key,) for key, _, _ in entries])
                c.executemany("INSERT OR REPLACE INTO facts (key, facts, created) VALUES (?, ?, ?)",
                              [(key, header, now) for key, header, _ in entries])
                c.executemany("INSERT OR REPLACE INTO fact_parts (key, predicate, facts) VALUES (?, ?, ?)",
                              [(key, p, text) for key, _, parts in entries for p, text in parts.items()])

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
                return _empty(c)
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

    def _select(self, sql: str, keys: Sequence[str], table: str | None = None, first: Sequence[Any] = ()) -> list[Any]:
        """The rows of `sql` (its `{}` is the list of placeholders, which come after those of
        the values `first`) for these keys, asked in chunks within SQLite's limit of 500
        variables; none when `table` does not exist yet."""
        rows: list[Any] = []
        unique = list(dict.fromkeys(keys))
        before = list(first)
        step = max(1, 500 - len(before))
        for i in range(0, len(unique), step):
            chunk = unique[i:i + step]

            def select(c: sqlite3.Connection, chunk: list[str] = chunk) -> list[Any]:
                if table is not None and not _has_table(c, table):
                    return []  # e.g. no run has kept verdicts in this cache yet
                return c.execute(sql.format(",".join("?" * len(chunk))), before + chunk).fetchall()

            rows += self._run(select, [])
        return rows

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
                if kind == "legacy" and not legacy_is_ours(conn):
                    raise NotOurs("it is another application's SQLite database")
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":
                    raise sqlite3.OperationalError(f"cannot use WAL mode (journal mode {mode and mode[0]})")
                conn.execute("PRAGMA synchronous=NORMAL")
                if kind == "legacy":  # one of ours from before the id: mark it
                    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                _upgrade(conn)
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


def _upgrade(c: sqlite3.Connection) -> None:
    """A cache of an earlier schema: its entries are never read again (their keys hold the
    schema, and so do those of the verdicts and sources kept beside them), so they are
    dropped, once, and the cache is marked as of this schema."""
    if c.execute("PRAGMA user_version").fetchone()[0] >= int(CACHE_SCHEMA):
        return
    try:
        with _transaction(c):
            if c.execute("PRAGMA user_version").fetchone()[0] >= int(CACHE_SCHEMA):
                return  # another process did it first
            _empty(c)
            c.execute(f"PRAGMA user_version={int(CACHE_SCHEMA)}")
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc).lower():
            raise  # a read-only cache stays as it is: its entries never match, nothing is written


def _empty(c: sqlite3.Connection) -> int:
    """Delete every entry (and what is kept beside them) and drop the tables of kept verdicts
    as earlier versions stored them; the number of entries deleted."""
    for legacy in LEGACY_TABLES:
        c.execute(f"DROP TABLE IF EXISTS {legacy}")
    for table in ENTRY_TABLES[1:]:
        if _has_table(c, table):
            c.execute(f"DELETE FROM {table}")
    return c.execute("DELETE FROM facts").rowcount


def _has_table(c: sqlite3.Connection, name: str) -> bool:
    return c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


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
