"""The fact cache's kept verdicts (`run.verdicts`), mixed into `run.cache.FactCache`, whose
`_select` and `_run` they use; and the transaction and `_write` (a batch of rows) every table
of the cache is written with.

Two tables: `kept_cells`, a verdict per cell (a source, an assertion), and `blocks`, an
assertion's verdicts on every source of a corpus at once. A run whose sources are those of
an earlier run (a rule edit) reads a block per assertion instead of a row per cell."""
from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zlib
from typing import Any, Callable, Collection, Iterable, Mapping, Sequence

from factcheck.kept import Kept, KeptBlock
from factcheck.model import Outcome

# Verdicts per cell (source and assertion), made on first use: older caches (schema 2) have no such table.
# By assertion first: the cells a run evaluates are mostly a few (new) assertions' on every source, which
# then go in side by side, not one into each source's page (2,000 cells: 1 MB written, not 37). Earlier
# versions kept them in a `kept` table by source first, or a `verdicts` table: a cache that has them is of
# an earlier schema, and `cache._upgrade` drops them.
KEPT_TABLE = ("CREATE TABLE IF NOT EXISTS kept_cells (assertion TEXT NOT NULL, source TEXT NOT NULL, "
              "verdict TEXT NOT NULL, shown TEXT NOT NULL, row TEXT NOT NULL, checksum INTEGER NOT NULL, "
              "created REAL NOT NULL, PRIMARY KEY (assertion, source)) WITHOUT ROWID")
LEGACY_TABLES = ("verdicts", "kept")
ASSERTIONS_PER_QUERY = 250  # of SQLite's 500 variables, the rest for sources
# One assertion's verdicts on every source of a corpus (`cache_keys.corpus_key`), in order.
# `cells` is `encode_block`'s text, UTF-8, compressed (zlib).
BLOCKS_TABLE = ("CREATE TABLE IF NOT EXISTS blocks (corpus TEXT NOT NULL, assertion TEXT NOT NULL, cells BLOB NOT NULL, "
                "checksum INTEGER NOT NULL, created REAL NOT NULL, PRIMARY KEY (corpus, assertion))")
KEEP_CORPORA = 4  # the blocks of this many corpora (the latest written) are kept; older ones are dropped
# A larger block (its distinct pieces and rows, as stored) is not kept. A `consistent` assertion's verdicts
# name its dissenters on every source (35 MB at 2,000 news articles), but that list is one piece, stored
# once: its block is about 1 MB.
MAX_BLOCK_BYTES = 64 * 1024 * 1024
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


# Where `shown` is cut into pieces (before its `why`, `message` and `consensus` fields, and between the
# reasons of `why`): the pieces that repeat from source to source (a `consistent` assertion's consensus and
# dissenters, 9 KB at 2,000 sources, and the reason that names them) are stored once a block. A JSON string
# holds no unescaped quote, so these occur only between fields and items; and the pieces joined are `shown`
# wherever it is cut.
SHOWN_CUTS = (', "why": ', ', "message": ', ', "consensus": ')
REASONS_CUT = '", "'
BLOCK_FORMAT = 3  # 2 gave sizes in characters


def shown_pieces(shown: str) -> list[str]:
    """`shown` cut before each of SHOWN_CUTS that it has, and its `why` between reasons;
    "".join gives it back."""
    out: list[str] = []
    at = 0
    for cut in SHOWN_CUTS:
        k = shown.find(cut, at)
        if k > at:
            out.append(shown[at:k])
            at = k
    out.append(shown[at:])
    for n, piece in enumerate(out):
        if piece.startswith(SHOWN_CUTS[0]):
            reasons = piece.split(REASONS_CUT)
            out[n:n + 1] = [reasons[0]] + [REASONS_CUT + r for r in reasons[1:]]
            break
    return out


def encode_block(block: Sequence[Kept | None]) -> bytes | None:
    """An assertion's kept verdicts on every source, in order, as UTF-8 bytes compressed piece
    by piece (never whole in memory): a header line (`{"v": BLOCK_FORMAT, "p": [the size in
    bytes of each distinct piece of `shown`], "c": [per source, its verdict word, its pieces'
    numbers and the size of its `row`; null for a source not evaluated]}`), then the pieces
    and the rows, one after the other. None when those are over MAX_BLOCK_BYTES."""
    numbers: dict[str, int] = {}
    rows = [b"" if k is None else k.row.encode("utf-8", "surrogatepass") for k in block]
    cells = [None if k is None else [str(k.verdict), [numbers.setdefault(p, len(numbers)) for p in shown_pieces(k.shown)],
                                     len(row)] for k, row in zip(block, rows)]
    pieces = [p.encode("utf-8", "surrogatepass") for p in numbers]
    if sum(map(len, pieces)) + sum(map(len, rows)) > MAX_BLOCK_BYTES:
        return None
    head = {"v": BLOCK_FORMAT, "p": [len(p) for p in pieces], "c": cells}
    z = zlib.compressobj(1)
    out = [z.compress(json.dumps(head, separators=(",", ":")).encode() + b"\n")]
    out += [z.compress(p) for p in pieces]
    out += [z.compress(row) for row in rows if row]
    out.append(z.flush())
    return b"".join(out)


def decode_block(data: bytes) -> KeptBlock:
    """The verdicts `encode_block` wrote (decompressed), per source index (a word of None: not
    evaluated); its pieces stay UTF-8 bytes, decoded only when something reads them.
    ValueError, KeyError, TypeError or IndexError on bytes that do not add up (or a block of
    another format)."""
    newline = data.index(b"\n")
    head = json.loads(data[:newline])
    if head["v"] != BLOCK_FORMAT:
        raise ValueError(f"a block of format {head['v']!r}")
    at = newline + 1
    pieces: list[bytes] = []
    for size in head["p"]:
        pieces.append(data[at:at + size])
        at += size
    words: list[Outcome | None] = []
    parts: list[list[bytes]] = []
    rows: dict[int, bytes] = {}
    for i, cell in enumerate(head["c"]):
        if cell is None:
            words.append(None)
            parts.append([])
            continue
        verdict, numbers, row = cell
        words.append(OUTCOMES[verdict])
        parts.append([pieces[n] for n in numbers])
        if row:
            rows[i] = data[at:at + row]
            at += row
    if at != len(data) or any(len(p) != n for p, n in zip(pieces, head["p"])):
        raise ValueError("a block's pieces do not add up")
    return KeptBlock(words, parts, rows)


class _Store:
    """What the mixin uses of FactCache."""

    def _select(self, sql: str, keys: Sequence[str], table: str | None = None, first: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def _run(self, op: Callable[[sqlite3.Connection], Any], default: Any, writes: bool = False) -> Any:
        raise NotImplementedError

    def _write(self, table: str, insert: str, rows: list[tuple[Any, ...]], *after: str) -> None:
        """Insert these rows (the table made first if need be), then run the statements
        `after`, in one transaction."""
        if not rows:
            return

        def write(c: sqlite3.Connection) -> None:
            with transaction(c):
                c.execute(table)
                c.executemany(insert, rows)
                for statement in after:
                    c.execute(statement)

        self._run(write, None, writes=True)


class KeptRows(_Store):
    """Kept verdicts by (cell, assertion digest)."""

    def get_kept(self, cells: Sequence[str], assertions: set[str]) -> dict[tuple[str, str], Kept]:
        """The kept verdicts of these cells (`run.verdicts`: a cell is a source's fact key with
        its name) for these assertion digests, by (cell, assertion). A row whose checksum or
        verdict word is wrong is a miss (its text would be spliced into reports unread)."""
        wanted = sorted(assertions)
        rows: list[Any] = []
        for i in range(0, len(wanted), ASSERTIONS_PER_QUERY):
            chunk = wanted[i:i + ASSERTIONS_PER_QUERY]
            rows += self._select(f"SELECT source, assertion, verdict, shown, row, checksum FROM kept_cells WHERE "
                                 f"assertion IN ({','.join('?' * len(chunk))}) AND source IN ({{}})", cells,
                                 table="kept_cells", first=chunk)
        out: dict[tuple[str, str], Kept] = {}
        for cell, assertion, verdict, shown, row, checksum in rows:
            if assertion in assertions and verdict in OUTCOMES and isinstance(shown, str) and isinstance(row, str) \
                    and checksum == kept_checksum(verdict, shown, row):
                out[(cell, assertion)] = Kept(OUTCOMES[verdict], shown, row)
        return out

    def get_blocks(self, corpus: str, assertions: Collection[str], size: int) -> dict[str, KeptBlock]:
        """The kept verdicts of these assertion digests on a corpus of `size` sources, each
        assertion's as one block (`encode_block`). A block whose checksum or shape is wrong is
        a miss."""
        rows = self._select("SELECT assertion, cells, checksum FROM blocks WHERE corpus = ? AND assertion IN ({})",
                            list(assertions), table="blocks", first=[corpus])
        out: dict[str, KeptBlock] = {}
        for assertion, cells, checksum in rows:
            if isinstance(cells, bytes) and checksum == zlib.crc32(cells):
                try:
                    block = decode_block(zlib.decompress(cells))
                except (ValueError, TypeError, KeyError, IndexError, RecursionError, zlib.error):
                    continue
                if len(block.words) == size:
                    out[assertion] = block
        return out

    def put_blocks(self, corpus: str, blocks: Mapping[str, Sequence[Kept | None]], used: Collection[str] = (),
                   keep: int = 64) -> None:
        """Keep each assertion's block of verdicts on a corpus (but one too large,
        `encode_block`), and mark the blocks `used` this run as fresh. Of a corpus, the `keep`
        freshest blocks are kept (an assertion edited again and again leaves one block a
        version); of all corpora, the KEEP_CORPORA freshest."""
        now = time.time()
        rows = [(corpus, assertion, cells, zlib.crc32(cells), now) for assertion, block in blocks.items()
                for cells in (encode_block(block),) if cells is not None]
        if not rows and not used:
            return
        touched = sorted(used)

        def write(c: sqlite3.Connection) -> None:
            with transaction(c):
                c.execute(BLOCKS_TABLE)
                c.executemany("INSERT OR REPLACE INTO blocks (corpus, assertion, cells, checksum, created) "
                              "VALUES (?, ?, ?, ?, ?)", rows)
                for i in range(0, len(touched), 400):
                    chunk = touched[i:i + 400]
                    c.execute(f"UPDATE blocks SET created = ? WHERE corpus = ? AND assertion IN "
                              f"({','.join('?' * len(chunk))})", [now, corpus, *chunk])
                c.execute("DELETE FROM blocks WHERE corpus = ? AND assertion NOT IN (SELECT assertion FROM blocks "
                          "WHERE corpus = ? ORDER BY created DESC LIMIT ?)", (corpus, corpus, keep))
                c.execute("DELETE FROM blocks WHERE corpus NOT IN (SELECT corpus FROM blocks GROUP BY corpus "
                          f"ORDER BY max(created) DESC LIMIT {KEEP_CORPORA})")

        self._run(write, None, writes=True)

    def put_kept(self, items: Iterable[tuple[str, str, Kept]]) -> None:
        """Keep verdicts by (cell, assertion digest), one short transaction for the lot."""
        now = time.time()
        rows = [(cell, assertion, str(k.verdict), k.shown, k.row, kept_checksum(str(k.verdict), k.shown, k.row), now)
                for cell, assertion, k in items]
        self._write(KEPT_TABLE, "INSERT OR REPLACE INTO kept_cells (source, assertion, verdict, shown, row, "
                    "checksum, created) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
