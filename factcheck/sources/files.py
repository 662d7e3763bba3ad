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
import os
from typing import Any, Callable, Mapping, Sequence

from factcheck import model
from factcheck.errors import SourceError
from factcheck.safety import UnreadableFile, read_regular
from factcheck.yamlio import read_yaml
from factcheck.sources.memo import Recall, SourceMemo
from factcheck.sources.meta import Manifest, build_source, canonical, config_meta_for, manifest_for
from factcheck.sources.paths import expand_patterns
from factcheck.sources.text import (FRONT_MATTER_FIRST_LINE, decode, html_to_text, looks_like_html,
                           normalise, normalise_newlines, split_front_matter)

MAX_SOURCE_BYTES = 5 * 1024 * 1024

# --------------------------------------------------------------------------- reading files


def read_bytes(path: str, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """A source file's bytes (`safety.read_regular`); SourceError when missing, not a file, or
    over `max_bytes` (checked before reading, and never more than max_bytes + 1 bytes are read)."""
    try:
        return read_regular(path, max_bytes)
    except UnreadableFile as exc:
        if exc.missing:
            raise SourceError("no such file", path) from None
        if exc.special == "a directory":
            raise SourceError("is a directory, not a source file", path) from None
        if exc.special:
            raise SourceError("is not a regular file", path) from None
        if exc.too_large:
            size = f"is {_megabytes(exc.size)} MB, over" if exc.size is not None else "is over"
            raise SourceError(f"{size} the {_megabytes(max_bytes)} MB limit", path,
                              hint="split it into smaller files") from None
        raise SourceError(f"cannot read: {exc}", path) from None


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
        manifest = manifest_for(path, {})
        manifest_meta = manifest.meta_for(os.path.basename(path)) if manifest else {}
    meta = {**config_meta_for(path, config_meta), **canonical(manifest_meta), **canonical(front)}
    return build_source(os.path.basename(path), path, body, meta, warnings, today)


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
    sources, lines, _ = read_all(patterns, base, config_meta, max_bytes=max_bytes, today=today,
                                 plugin_loader=plugin_loader)
    return sources, lines


def read_all(patterns: Sequence[str], base: str = ".", config_meta: Mapping[str, Mapping] | None = None, *,
             max_bytes: int = MAX_SOURCE_BYTES, today: _dt.date | None = None,
             plugin_loader: Callable[[str, Mapping[str, Any]], model.Source | None] | None = None,
             memo: SourceMemo | None = None) -> tuple[list[model.Source], list[str], dict[str, str]]:
    """`load_sources`, and which files matched but could not be read: path -> its error line.
    With `memo`, a file whose stamp is that of a reading remembered there is not read again
    (`factcheck.sources.memo`); nor is it when a plugin may read sources."""
    paths, lines = expand_patterns(patterns, base)
    refused: dict[str, str] = {}
    manifests: dict[str, Manifest | None] = {}
    seen_manifests: set[str] = set()
    sources: list[model.Source] = []
    metas = [(path, manifest, manifest.meta_for(os.path.basename(path)) if manifest else {})
             for path in paths for manifest in (manifest_for(path, manifests),)]
    recall = Recall(memo, today, max_bytes) if memo is not None and plugin_loader is None else None
    if recall is not None:
        for path, manifest, meta in metas:
            recall.stamp(path, [config_meta_for(path, config_meta), canonical(meta)])  # its reading's metadata
    recalled = recall.recall() if recall is not None else {}
    for path, manifest, meta in metas:
        if manifest is not None and manifest.path not in seen_manifests:
            seen_manifests.add(manifest.path)
            lines.extend(manifest.warnings)
        source = recalled.get(path)
        if source is None:
            try:
                source = _from_plugin(plugin_loader, path, meta) if plugin_loader is not None else None
                if source is None:
                    source = load_source(path, meta, config_meta=config_meta, max_bytes=max_bytes, today=today)
            except SourceError as exc:
                refused[path] = exc.headline()
                lines.append(refused[path])
                continue
            if recall is not None:
                recall.remember(path, source)
        sources.append(source)
        lines.extend(source.warnings)
    if recall is not None:
        recall.flush()
    return _unique_names(sources), lines, refused


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
