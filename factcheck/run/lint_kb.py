"""`factcheck lint` on the knowledge base: event kinds the engine does not know, and event
places it cannot resolve."""
from __future__ import annotations

import difflib
from functools import cache
from typing import Sequence

from factcheck.kb.store import KnowledgeBase
from factcheck.run.lint_findings import WARNING, Finding
from factcheck.run.lint_meaning import gazetteer_names


@cache
def city_names() -> tuple[str, ...]:
    from factcheck.kb import gazetteer

    return tuple(name for name, _ in gazetteer.city_forms())


def kb_findings(kb: KnowledgeBase) -> list[Finding]:
    """Event kinds the engine does not know (only the word itself will report the event)
    and event places it cannot resolve (the event cannot be told apart by place)."""
    from factcheck.kb.kinds import is_known_kind, synonym_sets

    out: list[Finding] = []
    kinds = sorted({w for s in synonym_sets() for w in s})
    for name, ev in kb.events.items():
        if ev.kind and not is_known_kind(ev.kind):
            line, col = _yaml_position(ev.file, ("events", name, "kind"))
            close = difflib.get_close_matches(ev.kind.lower(), kinds, n=1, cutoff=0.75)
            hint = f"did you mean `{close[0]}`?" if close else (
                f"use a known kind ({', '.join(kinds[:6])}, ...), or add `{ev.kind}` to a synonym set")
            out.append(Finding(ev.file or None, line, col, WARNING, "event-kind",
                               f"event `{name}` has kind `{ev.kind}`, which is no event kind factcheck knows: only "
                               f"the noun `{ev.kind}` itself will report it, none of its synonyms", hint))
        if ev.place and kb.canonical_place(ev.place) == kb.canonical(ev.place) \
                and not _resolves_as_place(kb, ev.place):
            line, col = _yaml_position(ev.file, ("events", name, "place"))
            close = difflib.get_close_matches(ev.place, [*city_names(), *gazetteer_names()], n=1, cutoff=0.8)
            out.append(Finding(ev.file or None, line, col, WARNING, "place",
                               f"event `{name}` is placed at `{ev.place}`, which is no city, country or KB place "
                               "factcheck can resolve: mentions cannot be matched to it by place",
                               f"did you mean `{close[0]}`?" if close else "write the city or country as the "
                               "gazetteer spells it, or declare it in `entities:` with `type: place`"))
    return out


def _resolves_as_place(kb: KnowledgeBase, place: str) -> bool:
    from factcheck.kb import gazetteer

    name = kb.link(place)
    if name is not None and name in kb.entities:
        entry = kb.entities[name]
        return entry.type in ("place", "country") or any(
            gazetteer.is_country(n) or gazetteer.is_city(n) for n in (name, *entry.aliases))
    return bool(gazetteer.is_country(place) or gazetteer.city_name(place) or kb.country_of(place))


def _yaml_position(path: str | None, keys: Sequence[str]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the value at `keys` in a YAML file."""
    import yaml

    if not path:
        return None, None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            node = yaml.compose(fh.read(), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, None
    mark = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if k.value == key), None)
        if pair is None:
            break
        node = pair[1]
        mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
