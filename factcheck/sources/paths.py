"""Which files a run's source patterns name: globs (with a `**` that walks each folder once,
so symbolic link loops end), plain paths and folders."""
from __future__ import annotations

import fnmatch
import glob
import os
from typing import Sequence

from factcheck.sources.meta import MANIFEST_NAME

SOURCE_SUFFIXES = (".txt", ".md")


def expand_patterns(patterns: Sequence[str], base: str = ".") -> tuple[list[str], list[str]]:
    """Globs, plain paths and directories (-> their *.txt and *.md files, not recursive)
    -> sorted, de-duplicated file paths, and a line for each pattern that found nothing.
    A path given plainly is kept even when missing, so that reading it reports the error.
    Paths are relative to `base` unless absolute; `sources.yaml` files are never sources."""
    found: dict[str, str] = {}
    problems: list[str] = []
    folders: dict[str, str] = {}  # a folder -> its real path: most files share a few folders

    def add(path: str) -> None:
        folder, name = os.path.split(path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder or os.curdir)
        real = os.path.join(folders[folder], name)
        found.setdefault(real if name not in ("", os.curdir, os.pardir) and not os.path.islink(real)
                         else os.path.realpath(path), path)

    def add_dir(path: str) -> int:
        names = [n for n in sorted(os.listdir(path))
                 if n.endswith(SOURCE_SUFFIXES) and not n.startswith(".")
                 and os.path.isfile(os.path.join(path, n))]
        for n in names:
            add(os.path.join(path, n))
        return len(names)

    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) or base in ("", ".") else os.path.join(base, pattern)
        if not glob.has_magic(pattern):
            if os.path.isdir(full):
                if add_dir(full) == 0:
                    problems.append(f"{full}: folder has no .txt or .md files")
            else:
                add(full)
            continue
        matches = expand(full)
        count = 0
        for match in matches:
            if os.path.isdir(match):
                count += add_dir(match)
            elif os.path.basename(match) != MANIFEST_NAME:
                add(match)
                count += 1
        if count == 0:
            problems.append(f"{full}: pattern matches no source file")
    return sorted(found.values()), problems


def expand(pattern: str) -> list[str]:
    """The paths a glob pattern matches, sorted, as `glob.glob(pattern, recursive=True)` gives
    them, except that `**` walks each folder once: glob follows a symbolic link back to a
    folder above it again and again (two such links and it never ends), this walk remembers
    the folders it has been in (device and inode). Hidden names are skipped, as glob does."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = pattern.split(os.sep)
    k = next(i for i, part in enumerate(parts) if "**" in part)
    prefix = os.sep.join(parts[:k]) or (os.sep if pattern.startswith(os.sep) else os.curdir)
    roots = glob.glob(prefix) if glob.has_magic(prefix) else [prefix]
    rest = [part if part == "**" else part.replace("**", "*") for part in parts[k:] if part]
    out: list[str] = []
    for root in roots:
        if not os.path.isdir(root):
            continue
        seen: set[tuple[int, int]] = set()
        for folder, dirs, files in os.walk(root, followlinks=True):
            try:
                st = os.stat(folder)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already walked
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel = os.path.relpath(folder, root)
            names = [] if rel == os.curdir else rel.split(os.sep)
            shown = folder if parts[:k] else os.path.relpath(folder)
            if _matches(rest, names) and (names or parts[:k]):  # glob gives `d/` for `d/**`, nothing for `**`
                out.append(os.path.join(shown, ""))
            for name in sorted(files):
                if not name.startswith(".") and _matches(rest, names + [name]):
                    out.append(os.path.join(shown, name) if shown != os.curdir else name)
    return sorted(dict.fromkeys(out))


def _matches(parts: Sequence[str], names: Sequence[str]) -> bool:
    """Do path components `names` match glob components `parts` (`**` alone: any number of
    folders; `*`, `?`, `[...]` within one name)?"""
    if not parts:
        return not names
    if parts[0] == "**":
        return any(_matches(parts[1:], names[i:]) for i in range(len(names) + 1))
    return bool(names) and fnmatch.fnmatchcase(names[0], parts[0]) and _matches(parts[1:], names[1:])
