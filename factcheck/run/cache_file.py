"""What is at the fact cache's path, told without opening it as a database: nothing, a
factcheck cache (its SQLite application id), a cache of before the id, or something else,
which is never touched (`NotOurs` says what it is)."""
from __future__ import annotations

import os
import sqlite3

from factcheck.run.cache_keys import CACHE_SCHEMA

APPLICATION_ID = 0x6663_6B31  # "fck1" in the SQLite header: this file is a factcheck cache
SQLITE_MAGIC = b"SQLite format 3\x00"
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


def legacy_is_ours(conn: sqlite3.Connection) -> bool:
    """A SQLite file without an application id is taken as factcheck's only when its one
    table is exactly the `facts` table earlier versions made."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger', "
                                         "'index') AND name NOT LIKE 'sqlite_%'")]
    if tables != ["facts"]:
        return False
    return [r[1] for r in conn.execute("PRAGMA table_info(facts)")] == LEGACY_COLUMNS
