"""Reading articles: files, front matter, `sources.yaml` manifests and text normalisation.

A source is a text file. `load_sources` expands the patterns it is given, reads every
file, and never stops at a bad one: the file is reported in one line and the run goes
on. `load_source` reads a single file and raises `SourceError` when it cannot.

**Metadata** (publication date, outlet, URL, language, and any other scalar keys kept in
`Source.meta`, e.g. `dateline`) comes from, highest precedence first:

1. YAML front matter at the top of the file, between two `---` lines;
2. the file's entry in a `sources.yaml` manifest in the file's folder
   (`sources: {filename: {...}}`);
3. that manifest's `defaults:`;
4. the project config's `metadata:` mapping (`config_meta`): keys are glob patterns
   matched against the file's name (or, when they contain a `/`, its absolute path);
   `defaults` or `*` apply to every file; later matching keys override earlier ones.

`published` accepts a YAML date, an ISO date or an ISO datetime (its date is kept). An
invalid date (`2020-02-30`, `yesterday`) gives a warning and `published=None`; a date
in the future gives a warning and is kept. `date` and `lang` are accepted as aliases of
`published` and `language`.

**Text normalisation.** Every character offset factcheck reports is an offset into
`Source.text`, the normalised text without front matter:

* UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is decoded as
  Windows-1252 with a warning. NUL bytes or many control bytes -> "binary file, not text".
* CRLF, CR, NEL, LINE SEPARATOR -> LF; PARAGRAPH SEPARATOR, form feed -> a blank line.
* NBSP and every other Unicode space -> a plain space; trailing spaces on lines removed.
* Zero-width and invisible characters (ZWSP, ZWNJ, ZWJ, WORD JOINER, soft hyphen, BOM,
  bidi marks) and stray control characters are removed.
* Curly single quotes, apostrophes, primes and single guillemets -> `'`; curly double
  quotes, double primes and guillemets -> `"`.
* Dashes: en dash and em dash are kept (they mean range and aside, and the tokenizer
  knows them); every hyphen- or minus-like character (HYPHEN, NON-BREAKING HYPHEN,
  FIGURE DASH, MINUS SIGN, small and full-width hyphen-minus) -> ASCII `-`; HORIZONTAL
  BAR -> em dash.
* Unicode NFC, so `Erdoğan` is one string however it was typed.
* An HTML document (starts with `<!doctype` or `<html`, or is mostly tags) is reduced to
  its text with `html.parser` (script and style dropped, entities unescaped, block
  elements become paragraph breaks), with a warning.

Files larger than `MAX_SOURCE_BYTES` are refused before they are read.
"""
from __future__ import annotations

import dataclasses

import datetime as _dt
import fnmatch
import glob
import os
import stat
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from factcheck import model
from factcheck.errors import SourceError
from factcheck.yamlio import key_positions, read_yaml, sub_node  # noqa: F401 - sub_node: part of this module's API
from factcheck.sources.text import (FRONT_MATTER_FIRST_LINE, decode, html_to_text, looks_like_html,
                           normalise, normalise_newlines, split_front_matter)

MAX_SOURCE_BYTES = 5 * 1024 * 1024
MANIFEST_NAME = "sources.yaml"
SOURCE_SUFFIXES = (".txt", ".md")
KNOWN_KEYS = ("published", "outlet", "url", "language")
KEY_ALIASES = {"date": "published", "lang": "language"}

# --------------------------------------------------------------------------- manifests


@dataclass(frozen=True, slots=True)
class Manifest:
    """A folder's `sources.yaml`: defaults, per-file entries, and its own warnings."""

    path: str
    defaults: Mapping[str, Any] = field(default_factory=dict)
    entries: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def meta_for(self, name: str) -> dict[str, Any]:
        """Defaults overlaid with the file's own entry."""
        return {**canonical(self.defaults), **canonical(self.entries.get(name, {}))}


def read_manifest(path: str) -> Manifest:
    """Read one `sources.yaml`. Malformed YAML or a wrong shape -> SourceError."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read manifest: {exc}", path) from None
    data, node = read_yaml(text, path)
    if data is None:
        return Manifest(path)
    if not isinstance(data, dict):
        raise SourceError("a sources.yaml must be a mapping with `defaults:` and `sources:`", path, 1, 1)
    pos = key_positions(node)
    warnings: list[str] = []
    for key in data:
        if key not in ("defaults", "sources"):
            line, col = pos.get(str(key), (None, None))
            warnings.append(SourceError(f"unknown key `{key}` ignored (expected `defaults` or `sources`)",
                                        path, line, col).headline())
    defaults = data.get("defaults") or {}
    entries = data.get("sources") or {}
    for key, value in (("defaults", defaults), ("sources", entries)):
        if not isinstance(value, dict):
            line, col = pos.get(key, (None, None))
            raise SourceError(f"`{key}` must be a mapping", path, line, col)
    entry_pos = key_positions(sub_node(node, "sources"))
    clean: dict[str, dict[str, Any]] = {}
    folder = os.path.dirname(path)
    for name, meta in entries.items():
        line, col = entry_pos.get(str(name), (None, None))
        if name is None or not str(name).strip():
            line, col = next((p for k, p in entry_pos.items() if k in ("", "~", "null", "Null", "NULL")),
                             (None, None))
            warnings.append(SourceError("an entry under `sources:` names no file; ignored", path, line, col,
                                        hint="each key is a file name in this folder").headline())
            continue
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise SourceError(f"the entry for `{name}` must be a mapping of metadata", path, line, col)
        clean[str(name)] = meta
        if not os.path.isfile(os.path.join(folder, str(name))):
            warnings.append(SourceError(
                f"`{name}` is listed in {MANIFEST_NAME} but there is no such file", path, line, col
            ).headline())
    return Manifest(path, defaults, clean, tuple(warnings))


def _manifest_for(path: str, cache: dict[str, Manifest | None]) -> Manifest | None:
    """The manifest of the file's folder, read once per `cache`."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in cache:
        candidate = os.path.join(folder, MANIFEST_NAME)
        cache[folder] = read_manifest(_display(candidate)) if os.path.isfile(candidate) else None
    return cache[folder]


def _display(path: str) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def config_meta_for(path: str, config_meta: Mapping[str, Mapping] | None) -> dict[str, Any]:
    """The config's `metadata:` that applies to this file (see the module docstring)."""
    if not config_meta:
        return {}
    name, full = os.path.basename(path), os.path.abspath(path)
    out: dict[str, Any] = {}
    for key in ("defaults", "*"):
        out.update(canonical(config_meta.get(key) or {}))
    for pattern, meta in config_meta.items():
        if pattern in ("defaults", "*"):
            continue
        target = full if ("/" in pattern or os.sep in pattern) else name
        if fnmatch.fnmatch(target, os.path.abspath(pattern) if target is full else pattern):
            out.update(canonical(meta or {}))
    return out


# --------------------------------------------------------------------------- metadata values


def parse_published(value: Any) -> _dt.date:
    """A YAML date, datetime, ISO date or ISO datetime string -> date; else ValueError."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
        return _dt.datetime.fromisoformat(text.replace("z", "Z")).date()
    raise ValueError(f"not a date: {value!r}")


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)):
        return str(value)
    return None


def canonical(layer: Mapping[str, Any]) -> dict[str, Any]:
    """One metadata layer with aliases renamed (`date` -> `published`); the real key wins."""
    out = {str(k): v for k, v in layer.items() if str(k) not in KEY_ALIASES}
    for alias, key in KEY_ALIASES.items():
        if alias in layer and key not in out:
            out[key] = layer[alias]
    return out


META_VALUE_CAP = 1_000  # characters of one metadata value (reports print them all)
META_KEY_CAP = 100
META_KEYS_CAP = 100  # metadata keys of one source besides the known ones


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def build_source(name: str, path: str, text: str, meta: Mapping[str, Any],
                 warnings: Sequence[str] = (), today: _dt.date | None = None) -> model.Source:
    """Validate merged metadata and make the Source; bad values become warnings."""
    warns = list(warnings)
    fields: dict[str, Any] = {}
    extra: dict[str, str] = {}
    too_many = False
    for key, value in canonical(meta).items():
        if value is None:
            continue
        if len(str(key)) > META_KEY_CAP:
            warns.append(f"{path}: a metadata key of {len(str(key)):,} characters (`{str(key)[:40]}…`); ignored")
            continue
        if key not in KNOWN_KEYS and key != "published" and len(extra) >= META_KEYS_CAP:
            if not too_many:
                warns.append(f"{path}: more than {META_KEYS_CAP} metadata keys; `{_short(str(key), 40)}` and "
                             "the later ones are ignored")
            too_many = True
            continue
        if key == "published":
            try:
                day = parse_published(value)
            except ValueError:
                warns.append(f"{path}: invalid publication date `{_short(str(value))}`; relative dates stay unresolved")
                continue
            if day > (today or _dt.date.today()):
                warns.append(f"{path}: publication date {day.isoformat()} is in the future; kept")
            fields["published"] = day
            continue
        text_value = _scalar_text(value)
        if text_value is not None and len(text_value) > META_VALUE_CAP:  # it is printed in every report
            warns.append(f"{path}: metadata `{key}` is {len(text_value):,} characters; "
                         f"the first {META_VALUE_CAP:,} are kept")
            text_value = text_value[:META_VALUE_CAP] + "…"
        if text_value is None:
            warns.append(f"{path}: metadata `{key}` must be a single value, not {type(value).__name__}; ignored")
        elif key in KNOWN_KEYS:
            fields[key] = text_value
        else:
            extra[key] = text_value
    return model.Source(
        name=name, path=path, text=text,
        published=fields.get("published"), outlet=fields.get("outlet"), url=fields.get("url"),
        language=fields.get("language") or "en",
        meta=tuple(sorted(extra.items())), warnings=tuple(warns),
    )


# --------------------------------------------------------------------------- reading files


def read_bytes(path: str, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """A source file's bytes; SourceError when missing, not a file, or over `max_bytes`
    (checked before reading, and never more than max_bytes + 1 bytes are read)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SourceError("no such file", path) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("is a directory, not a source file", path)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("is not a regular file", path)
    if info.st_size > max_bytes:
        raise SourceError(f"is {_megabytes(info.st_size)} MB, over the {_megabytes(max_bytes)} MB limit",
                          path, hint="split it into smaller files")
    try:
        with open(path, "rb") as fh:
            data = fh.read(info.st_size + 1)  # not max_bytes + 1: read() allocates what it is asked for
            if len(data) > info.st_size:  # grew since stat: read on, up to the limit
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from None
    if len(data) > max_bytes:  # grew since stat
        raise SourceError(f"is over the {_megabytes(max_bytes)} MB limit", path, hint="split it into smaller files")
    return data


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def parse_source_text(data: bytes, path: str) -> tuple[str, dict[str, Any], list[str]]:
    """Bytes -> (normalised body text, front-matter metadata, warnings)."""
    text, warnings = decode(data, path)
    text = normalise_newlines(text).lstrip("\ufeff")
    yaml_text, body = split_front_matter(text)
    front: dict[str, Any] = {}
    if yaml_text is not None:
        try:
            data_, _ = read_yaml(yaml_text, path)
        except SourceError as exc:
            line = exc.line + FRONT_MATTER_FIRST_LINE - 1 if exc.line else None
            raise SourceError(f"front matter: {exc.message}", path, line, exc.column) from None
        if data_ is not None and not isinstance(data_, dict):
            raise SourceError("front matter must be a mapping of `key: value` lines",
                              path, FRONT_MATTER_FIRST_LINE, 1)
        front = data_ or {}
    if looks_like_html(body):
        body = html_to_text(body)
        warnings.append(f"{path}: HTML document; tags stripped, text kept")
    body = normalise(body)
    if not body.strip():
        warnings.append(f"{path}: empty file, no text to check")
    return body, front, warnings


def load_source(path: str, manifest_meta: Mapping[str, Any] | None = None, *,
                config_meta: Mapping[str, Mapping] | None = None,
                max_bytes: int = MAX_SOURCE_BYTES, today: _dt.date | None = None) -> model.Source:
    """Read one source file. `manifest_meta` is the metadata from its manifest (defaults
    and entry already merged); when None, the folder's `sources.yaml` is read if there is
    one. Front matter overrides it, and it overrides `config_meta`. Raises SourceError."""
    data = read_bytes(path, max_bytes)
    body, front, warnings = parse_source_text(data, path)
    if manifest_meta is None:
        manifest = _manifest_for(path, {})
        manifest_meta = manifest.meta_for(os.path.basename(path)) if manifest else {}
    meta = {**config_meta_for(path, config_meta), **canonical(manifest_meta), **canonical(front)}
    return build_source(os.path.basename(path), path, body, meta, warnings, today)


def expand_patterns(patterns: Sequence[str], base: str = ".") -> tuple[list[str], list[str]]:
    """Globs, plain paths and directories (-> their *.txt and *.md files, not recursive)
    -> sorted, de-duplicated file paths, and a line for each pattern that found nothing.
    A path given plainly is kept even when missing, so that reading it reports the error.
    Paths are relative to `base` unless absolute; `sources.yaml` files are never sources."""
    found: dict[str, str] = {}
    problems: list[str] = []

    def add(path: str) -> None:
        found.setdefault(os.path.realpath(path), path)

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


def load_sources(patterns: Sequence[str], base: str = ".",
                 config_meta: Mapping[str, Mapping] | None = None, *,
                 max_bytes: int = MAX_SOURCE_BYTES,
                 today: _dt.date | None = None,
                 plugin_loader: Callable[[str, Mapping[str, Any]], model.Source | None] | None = None,
                 ) -> tuple[list[model.Source], list[str]]:
    """Expand `patterns` and read every file.

    `plugin_loader(path, manifest_meta)` (the plugins' `factcheck_load_source` hook) is asked
    first; when it returns None the file is read as text here.

    Returns (sources, lines): the sources that could be read, in path order, and every
    line the user should see: an error headline for each file that could not be read
    (the others are still read), manifest warnings, patterns matching nothing, and each
    source's own warnings (which are also in `Source.warnings`). A malformed
    `sources.yaml` raises SourceError: it would silently change every date in its folder.
    """
    paths, lines = expand_patterns(patterns, base)
    manifests: dict[str, Manifest | None] = {}
    seen_manifests: set[str] = set()
    sources: list[model.Source] = []
    for path in paths:
        manifest = _manifest_for(path, manifests)
        if manifest is not None and manifest.path not in seen_manifests:
            seen_manifests.add(manifest.path)
            lines.extend(manifest.warnings)
        meta = manifest.meta_for(os.path.basename(path)) if manifest else {}
        try:
            source = _from_plugin(plugin_loader, path, meta) if plugin_loader is not None else None
            if source is None:
                source = load_source(path, meta, config_meta=config_meta, max_bytes=max_bytes, today=today)
        except SourceError as exc:
            lines.append(exc.headline())
            continue
        sources.append(source)
        lines.extend(source.warnings)
    return _unique_names(sources), lines


def _from_plugin(loader: Callable[[str, Mapping[str, Any]], model.Source | None], path: str,
                 meta: Mapping[str, Any]) -> model.Source | None:
    """A plugin loader's Source; its unexpected failure is that file's SourceError."""
    try:
        return loader(path, meta)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a plugin's bug sinks only its file
        raise SourceError(f"a source plugin failed to read it: {type(exc).__name__}: {exc}", path) from None


def _unique_names(sources: list[model.Source]) -> list[model.Source]:
    """A source is named by its file name; two files of one name in different folders
    (`a/x.txt`, `b/x.txt`) are named by their paths instead, so reports never merge them."""
    counts: dict[str, int] = {}
    for s in sources:
        counts[s.name] = counts.get(s.name, 0) + 1
    if all(n == 1 for n in counts.values()):
        return sources
    return [dataclasses.replace(s, name=os.path.relpath(s.path)) if counts[s.name] > 1 else s for s in sources]
