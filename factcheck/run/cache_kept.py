"""The fact cache's kept verdicts (the `kept` table, `run.verdicts`), mixed into
`run.cache.FactCache`, whose `_select` and `_run` they use; and the transaction both write in."""
from __future__ import annotations

import contextlib
import sqlite3
import time
import zlib
from typing import Any, Callable, Iterable, Sequence

from factcheck.kept import Kept
from factcheck.model import Outcome

# Verdicts per cell (source and assertion), made on first use: older caches (schema 2) have no such table
# (those of one version had a `verdicts` table instead, which `cache clear` drops).
KEPT_TABLE = ("CREATE TABLE IF NOT EXISTS kept (source TEXT NOT NULL, assertion TEXT NOT NULL, verdict TEXT NOT NULL, "
              "shown TEXT NOT NULL, row TEXT NOT NULL, checksum INTEGER NOT NULL, created REAL NOT NULL, "
              "PRIMARY KEY (source, assertion)) WITHOUT ROWID")
OUTCOMES = {str(o): o for o in Outcome}


def kept_checksum(verdict: str, shown: str, row: str) -> int:
    """CRC-32 of a kept verdict's three texts: a damaged row is a miss, not a broken report."""
    return zlib.crc32(row.encode("utf-8", "surrogatepass"),
                      zlib.crc32(shown.encode("utf-8", "surrogatepass"), zlib.crc32(verdict.encode())))


@contextlib.contextmanager
def transaction(c: sqlite3.Connection):
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


class _Store:
    """What the mixin uses of FactCache."""

    def _select(self, sql: str, keys: Sequence[str], table: str | None = None) -> list[Any]:
        raise NotImplementedError

    def _run(self, op: Callable[[sqlite3.Connection], Any], default: Any, writes: bool = False) -> Any:
        raise NotImplementedError


class KeptRows(_Store):
    """Kept verdicts by (cell, assertion digest)."""

    def get_kept(self, cells: Sequence[str], assertions: set[str]) -> dict[tuple[str, str], Kept]:
        """The kept verdicts of these cells (`run.verdicts`: a cell is a source's fact key with
        its name) for these assertion digests, by (cell, assertion). A row whose checksum or
        verdict word is wrong is a miss (its text would be spliced into reports unread)."""
        rows = self._select("SELECT source, assertion, verdict, shown, row, checksum FROM kept WHERE source IN ({})",
                            cells, table="kept")
        out: dict[tuple[str, str], Kept] = {}
        for cell, assertion, verdict, shown, row, checksum in rows:
            if assertion in assertions and verdict in OUTCOMES and isinstance(shown, str) and isinstance(row, str) \
                    and checksum == kept_checksum(verdict, shown, row):
                out[(cell, assertion)] = Kept(OUTCOMES[verdict], shown, row)
        return out

    def put_kept(self, items: Iterable[tuple[str, str, Kept]]) -> None:
        """Keep verdicts by (cell, assertion digest), one short transaction for the lot."""
        now = time.time()
        rows = [(cell, assertion, str(k.verdict), k.shown, k.row, kept_checksum(str(k.verdict), k.shown, k.row), now)
                for cell, assertion, k in items]
        if not rows:
            return

        def write(c: sqlite3.Connection) -> None:
            with transaction(c):
                c.execute(KEPT_TABLE)
                c.executemany("INSERT OR REPLACE INTO kept (source, assertion, verdict, shown, row, checksum, created) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

        self._run(write, None, writes=True)
