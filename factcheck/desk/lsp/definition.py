"""Go to definition: from a name under the cursor (a predicate's argument, or one name of a
value) to its entry in the knowledge base file (`events:` or `entities:`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from factcheck.desk.lsp.project import Project


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    line: int  # 0-based
    start: int
    end: int


def name_at(text: str, line: int, character: int) -> str | None:
    """The KB name under the cursor: a predicate's argument, or one name of a value."""
    lines = text.splitlines()
    if line >= len(lines):
        return None
    row = lines[line]
    for m in re.finditer(r"\w+\(([^()]*)\)", row):
        if m.start(1) <= character <= m.end(1):
            return m.group(1).strip().strip('"') or None
    for m in re.finditer(r'"[^"]*"|[^\s,{}()=!<>~"][^,{}()=!<>~"]*', row):
        if m.start() <= character <= m.end():
            word = m.group().strip().strip('"')
            for op in ("includes all", "includes any", "includes", "excludes", "in"):
                if word.startswith(op + " "):
                    word = word[len(op) + 1:].strip()
            return word or None
    return None


def definition(text: str, path: str, line: int, character: int, project: Project) -> Place | None:
    name = name_at(text, line, character)
    if not name:
        return None
    kb = project.kb(path, text)
    event = kb.event_spec(name).key if kb.events else None
    if event and event in kb.events:
        return _key_place(kb.events[event].file, "events", event)
    canonical = kb.link(name)
    if canonical and canonical in kb.entities:
        return _key_place(kb.entities[canonical].file, "entities", canonical)
    return None


def _key_place(file: str, section: str, name: str) -> Place | None:
    import yaml

    try:
        node = yaml.compose(Path(file).read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, body in node.value:
        if key.value == section and isinstance(body, yaml.MappingNode):
            for k, _ in body.value:
                if k.value == name:
                    return Place(file, k.start_mark.line, k.start_mark.column, k.end_mark.column)
    return None
