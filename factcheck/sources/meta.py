"""Where a source's metadata comes from, and what is kept of it: a folder's `sources.yaml`
manifest, the config's `metadata:` globs, and the checks on each value (publication date,
lengths, how many keys) that make a `Source`. The precedence of the layers is described in
`factcheck.sources.files`."""
from __future__ import annotations

import datetime as _dt
import fnmatch
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from factcheck import model
from factcheck.errors import SourceError
from factcheck.yamlio import key_positions, read_yaml, sub_node

MANIFEST_NAME = "sources.yaml"
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


def manifest_for(path: str, cache: dict[str, Manifest | None]) -> Manifest | None:
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
