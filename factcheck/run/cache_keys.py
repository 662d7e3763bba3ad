"""The fact cache's keys: everything extraction depends on, digested.

Extracting facts from one source is a pure function of (text, metadata, knowledge base,
model, extractor code, extra event heads, settings). `extraction_context` digests all but
the source; `source_key` adds the source. Change any part and the key changes, so the entry
is recomputed; change only a rule file and every key stays the same.

This module must not import spaCy: a fully cached run never pays for spaCy. The extractor
version comes from `factcheck.extract` (whose package module is light; spaCy is imported by
its submodules), and the model version from package metadata.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from factcheck.config import MODEL_PACKAGES
from factcheck.model import Source
from factcheck.sources.memo import files_digest

CACHE_SCHEMA = "3"  # the entry format (`factcheck.run.cache_format`) and the tables' layout
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # factcheck/
# The code and data extraction depends on; their bytes go into every key.
CODE_GLOBS = ("extract/*.py", "extract/*.yaml", "kb/*.py", "kb/data/*.yaml", "model.py", "run/cache_format.py")
# The code a verdict depends on besides the facts (the engine, the rule language, the linking).
EVALUATION_GLOBS = ("engine/*.py", "dsl/*.py", "dsl/*.lark", "kb/*.py", "kb/data/*.yaml", "model.py", "predicates.py",
                    "run/evaluation.py", "run/cache_format.py", "kept.py", "safety.py")



@functools.cache
def code_digest() -> str:
    """sha256 over the extraction code and pattern data files (names and bytes)."""
    return _files_digest(CODE_GLOBS)


@functools.cache
def evaluation_code_digest() -> str:
    """sha256 over the code a verdict depends on besides the facts (names and bytes)."""
    return _files_digest(EVALUATION_GLOBS)


def _files_digest(globs: tuple[str, ...]) -> str:
    return files_digest(PACKAGE_DIR, globs)


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
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # a file name may hold an escaped byte


def evaluation_context(predicates: Mapping[str, Any], comparators: Mapping[str, Any]) -> str:
    """Digest of everything a verdict depends on besides the source's facts (whose key already
    holds the knowledge base and the plugins), the source's name and the assertion: the
    evaluation code, the predicate specs and the plugins' comparators."""
    parts = {
        "schema": CACHE_SCHEMA,
        "code": evaluation_code_digest(),
        "predicates": sorted(repr(spec) for spec in predicates.values()),
        "comparators": sorted(f"{name}={_comparator_id(c)}" for name, c in comparators.items()),
    }
    return _sha(json.dumps(parts, sort_keys=True, default=str))


def _comparator_id(c: Any) -> str:
    """A plugin's comparator (as the plugin host wraps it: `.plugin`, `.comparator`): the
    plugin's name, the comparator's class and the digest of the file that defines it, so that
    swapping or upgrading the plugin changes every verdict's key."""
    inner = getattr(c, "comparator", c)
    kind = type(inner)
    return f"{getattr(c, 'plugin', '')}:{kind.__module__}.{kind.__qualname__}:{_module_digest(kind.__module__)}"


@functools.cache
def _module_digest(module: str) -> str:
    path = getattr(sys.modules.get(module), "__file__", None)
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16] if path else ""
    except OSError:
        return ""


def assertion_digest(context: str, text: str, skip: str | None) -> str:
    """One assertion, as written (with its `@skip` reason, if any), within an evaluation context."""
    return _sha(json.dumps([context, text, skip]))


def cell_key(fact_key: str, name: str) -> str:
    """A source's row of kept verdicts: its fact key and its name (verdicts quote it)."""
    return _sha(f"{fact_key}\0{name}")


def corpus_key(cells: Sequence[str], unread: Iterable[str]) -> str:
    """Every source of a run, in order (their cells), and those not evaluated (empty): what a
    `consistent` verdict depends on besides its assertion."""
    return _sha(json.dumps([list(cells), sorted(unread)], ensure_ascii=False))
