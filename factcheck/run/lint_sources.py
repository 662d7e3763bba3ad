"""`factcheck lint --sources`: sources that cannot be read, metadata keys factcheck does not
read, sources with no publication date; each found where it is written."""
from __future__ import annotations

import difflib
import os
import re
from typing import Sequence

from factcheck.config import Config
from factcheck.errors import FactcheckError
from factcheck.run.lint_findings import ERROR, INFO, WARNING, Finding, from_error


def source_findings(patterns: Sequence[str], config: Config | None) -> list[Finding]:
    """Sources that cannot be read (errors), metadata keys factcheck does not read (a
    did-you-mean when one is close: `publised`), sources with no publication date."""
    from factcheck.run.runner import read_sources_split
    from factcheck.sources.meta import KEY_ALIASES, KNOWN_KEYS, MANIFEST_NAME

    out: list[Finding] = []
    try:
        got = read_sources_split(patterns, config)
    except FactcheckError as exc:
        return [from_error(exc, "source")]
    for path, line in got.refused.items():
        out.append(Finding(path, None, None, ERROR, "source", line.removeprefix(path + ": ")))
    for line in got.warnings:
        out.append(_located(line, WARNING, "source"))
    keys = (*KNOWN_KEYS, *KEY_ALIASES)
    for s in got.sources:
        for key, _value in s.meta:
            close = difflib.get_close_matches(key.lower(), keys, n=1, cutoff=0.7)
            where, line_no, col = _key_position(s.path, key, MANIFEST_NAME)
            if close:
                out.append(Finding(where, line_no, col, WARNING, "metadata-key",
                                   f"unknown metadata key `{key}`: factcheck does not read it",
                                   f"did you mean `{close[0]}`?"))
            else:
                out.append(Finding(where, line_no, col, INFO, "metadata-key",
                                   f"metadata key `{key}` is kept but factcheck does not read it",
                                   f"the keys it reads: {', '.join(KNOWN_KEYS)}"))
        if s.published is None:
            out.append(Finding(s.path, 1, 1, WARNING, "no-date",
                               "no publication date: relative dates (`on Monday`, `last week`) cannot be resolved",
                               "add `published: YYYY-MM-DD` to its front matter or its folder's sources.yaml"))
    return out


_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.+)$")


def _located(text: str, severity: str, code: str) -> Finding:
    """A reading's `path:line:col: message` line (or `path: message`) as a finding."""
    m = _LOCATED.match(text)
    if m:
        return Finding(m["file"], int(m["line"]), int(m["col"]) if m["col"] else None, severity, code, m["msg"])
    path, sep, rest = text.partition(": ")
    if sep and os.path.exists(path):
        return Finding(path, None, None, severity, code, rest)
    return Finding(None, None, None, severity, code, text)


def _key_position(path: str, key: str, manifest: str) -> tuple[str, int | None, int | None]:
    """Where `key:` is written: the source's front matter, else its folder's manifest."""
    for candidate in (path, os.path.join(os.path.dirname(path), manifest)):
        try:
            with open(candidate, encoding="utf-8-sig", errors="replace") as fh:
                lines = fh.read(200_000).split("\n")
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith(f"{key}:"):
                return candidate, number, len(line) - len(stripped) + 1
    return path, None, None
