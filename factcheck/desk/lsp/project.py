"""The project around a file the editor has open: the config that governs it (the nearest
`factcheck.yaml` / `[tool.factcheck]` above it), the knowledge base its text uses, the
predicates, and the sources (kept between hovers, read again only when a file changed)."""
from __future__ import annotations

import glob
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError

_USE = re.compile(r'^\s*use\s+"([^"\n]+)"', re.M)


@dataclass(slots=True)
class Project:
    """The config that governs a file, and what the hover keeps between requests."""

    root: str
    config: Any = None
    _sources_sig: tuple = ()
    _sources: list = field(default_factory=list)
    _source_errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def for_file(cls, path: str, cache: dict[str, "Project"]) -> "Project":
        from factcheck.config import find_config, load_config

        folder = os.path.dirname(os.path.abspath(path))
        found = find_config(folder)
        root = os.path.dirname(found[0]) if found else folder
        if root not in cache:
            project = cls(root)
            try:
                project.config = load_config(root)
            except FactcheckError:
                project.config = None  # a broken config: the file is still checked alone
            cache[root] = project
        return cache[root]

    def kb_paths(self, rule_path: str, text: str) -> list[str]:
        folder = os.path.dirname(os.path.abspath(rule_path))
        paths = [os.path.join(folder, used) for used in _USE.findall(text)]
        if not paths:  # a rule file that names no KB yet: the ones beside it
            paths = sorted(glob.glob(os.path.join(glob.escape(folder), "*.entities.y*ml")))
        if self.config is not None:
            paths += [str(p) for p in self.config.entities]
        return list(dict.fromkeys(paths))

    def kb(self, rule_path: str, text: str):
        """The KB a rule file's text uses (plus the config's); an empty one when it does not load."""
        from factcheck.kb.store import KnowledgeBase, load_kb

        paths = [p for p in self.kb_paths(rule_path, text) if os.path.isfile(p)]
        try:
            return load_kb(paths)
        except (FactcheckError, OSError, ValueError):
            return KnowledgeBase()

    def predicates(self, kb=None) -> dict:
        from factcheck.run.rules import predicates_registry

        try:
            return predicates_registry(kb, self.config)
        except Exception:  # noqa: BLE001 - a broken plugin must not take the editor down
            from factcheck.predicates import BUILTIN_PREDICATES

            return dict(BUILTIN_PREDICATES)

    def sources(self) -> tuple[list, list[str]]:
        """The config's sources, read again only when a file's size or time changed."""
        from factcheck.run.runner import read_sources

        patterns = [str(p) for p in (self.config.sources if self.config is not None else ())]
        files = sorted({f for p in patterns for f in (glob.glob(p, recursive=True) if glob.has_magic(p) else [p])})
        sig = []
        for f in files:
            try:
                st = os.stat(f)
                sig.append((f, st.st_mtime_ns, st.st_size))
            except OSError:
                sig.append((f, 0, -1))
        if tuple(sig) != self._sources_sig:
            self._sources, self._source_errors = read_sources(patterns, self.config) if patterns else ([], [])
            self._sources_sig = tuple(sig)
        return self._sources, self._source_errors
