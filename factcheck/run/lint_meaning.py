"""`factcheck lint` on what rule files mean: names neither the knowledge base nor the
gazetteer knows (with a did-you-mean), near spellings, and entities where an event is meant
(or events where an entity is)."""
from __future__ import annotations

import difflib
from functools import cache
from typing import Iterable

from factcheck.dsl import ast
from factcheck.kb.store import KnowledgeBase
from factcheck.predicates import ENTITIES, ENTITY, EVENT, THING, PredicateSpec
from factcheck.run.lint_findings import ERROR, WARNING, Finding


def meaning(rf: ast.RuleFile, kb: KnowledgeBase, predicates: dict[str, PredicateSpec], text: str) -> list[Finding]:
    """Names no one knows, and values of the wrong kind for their predicate."""
    from factcheck.dsl.diagnostics import context

    out: list[Finding] = []

    def add(severity: str, code: str, message: str, at: ast.Pos, hint: str | None = None) -> None:
        out.append(Finding(rf.path, at.line, at.column, severity, code, message, hint,
                           context(text, at.line, at.column)))

    for a in rf.assertions:
        for ref in ast.fact_refs(a.body):
            spec = predicates.get(ref.predicate)
            if spec is None or not ref.argument:
                continue
            at = ref.arg_pos or ref.pos
            if spec.argument == EVENT:
                _event_argument(ref, spec, kb, at, add)
            elif spec.argument == ENTITY:
                if kb.event_spec(ref.argument).key and not kb.link(ref.argument):
                    add(ERROR, "not-an-entity", f"`{ref.argument}` is an event in the knowledge base, but "
                        f"`{spec.name}` takes an entity (a person, a country, an organisation)", at,
                        f"e.g. `{spec.example}`" if spec.example else None)
                else:
                    _known_name(ref.argument, kb, at, add)
            elif spec.argument == THING and not kb.event_spec(ref.argument).key and not _event_like(ref.argument):
                _known_name(ref.argument, kb, at, add)
        for cmp in ast.comparisons(a.body):
            spec = predicates.get(cmp.fact.predicate)
            if spec is None or spec.value_type != ENTITIES:
                continue
            items = cmp.value.items if isinstance(cmp.value, ast.SetLit) else (cmp.value,)
            for item in items:
                if isinstance(item, ast.EntityLit):
                    _known_name(item.name, kb, item.pos, add)
    return out


def _event_argument(ref: ast.FactRef, spec: PredicateSpec, kb: KnowledgeBase, at: ast.Pos, add) -> None:
    """An event argument that is no KB event and has no event noun, but names an entity."""
    if kb.event_spec(ref.argument).key or _event_like(ref.argument):
        return
    name = kb.link(ref.argument)
    if name is None:
        return  # free text with a noun of its own ("marathon"): extraction looks for it
    entry = kb.entities.get(name)
    what = f"a {entry.type}" if entry is not None and entry.type else ("a country" if _is_country(name)
                                                                        else "an entity")
    events = sorted(kb.events)[:3]
    hint = (f"write the event, e.g. `{spec.name}({events[0]})`" if events
            else f"write the event by its noun, e.g. `{spec.example}`" if spec.example else None)
    called = f" (`{name}`)" if name != ref.argument else ""
    add(ERROR, "not-an-event", f"`{ref.argument}` is {what}{called}, not an event: `{spec.name}` takes an event",
        at, hint)


def _event_like(argument: str) -> bool:
    """Does the argument have an event noun (`summit`, `talks`) as its head?"""
    from factcheck.kb.kinds import is_known_kind
    from factcheck.kb.events import event_head

    head = event_head(argument)
    return bool(head) and is_known_kind(head)


def _is_country(name: str) -> bool:
    from factcheck.kb import gazetteer

    return gazetteer.is_country(name)


def _known_name(name: str, kb: KnowledgeBase, at: ast.Pos, add) -> None:
    from factcheck.kb import gazetteer

    if _exactly_known(name, kb) or kb.event_spec(name).key:
        return
    linked = kb.link(name)
    if linked:  # read as a near spelling of a KB name: works, but say so
        add(WARNING, "near-name", f"`{name}` is no name the knowledge base knows; it is read as `{linked}`, "
            "a near spelling", at, f"did you mean `{linked}`?")
        return
    if gazetteer.city_name(name):
        return
    guess = did_you_mean(name, kb)
    if guess:
        add(WARNING, "unknown-name", f"`{name}` is a name neither the knowledge base nor the gazetteer knows",
            at, f"did you mean `{guess}`?")
    else:
        add(WARNING, "unknown-name", f"`{name}` is a name neither the knowledge base nor the gazetteer knows; "
            "it matches only an article that writes it exactly so", at,
            f"add it to the knowledge base with the names articles use, e.g. `entities: {{{name}: "
            f"{{aliases: [...]}}}}`")


def _exactly_known(name: str, kb: KnowledgeBase) -> bool:
    """A KB name or alias (folded), a country the gazetteer names, or a group of one
    ("Haftar's forces"): not a fuzzy match."""
    from factcheck.kb import gazetteer
    from factcheck.kb.names import fold

    from factcheck.kb.vocabulary import word_lists

    forms = _kb_forms(kb)
    f = fold(name)
    if f in forms or gazetteer.country_for(name):
        return True
    words = name.replace("\u2019", "'").split()
    if len(words) > 1 and words[-1].lower() in word_lists().group_nouns:  # "Israeli delegation", "Haftar's forces"
        inner = " ".join(words[:-1])
        inner = inner[:-2] if inner.endswith("'s") else inner
        return _exactly_known(inner.removeprefix("pro-").removeprefix("pro "), kb)
    return False


_FORMS: dict[int, tuple[KnowledgeBase, frozenset[str]]] = {}  # id -> (the KB, its folded names)


def _kb_forms(kb: KnowledgeBase) -> frozenset[str]:
    from factcheck.kb.names import fold

    held = _FORMS.get(id(kb))
    if held is None or held[0] is not kb:
        _FORMS.clear()  # one KB per lint run
        held = _FORMS[id(kb)] = (kb, frozenset(fold(form) for form, _c, _k in kb.surface_forms()))
    return held[1]


def did_you_mean(name: str, kb: KnowledgeBase, extra: Iterable[str] = ()) -> str | None:
    """The closest name the KB or the gazetteer knows (case-blind), or None."""
    candidates = {c.lower(): c for c in (*gazetteer_names(), *extra)}
    for form, _canon, _kind in kb.surface_forms():
        candidates[form.lower()] = form
    hit = difflib.get_close_matches(name.lower(), list(candidates), n=1, cutoff=0.8)
    return candidates[hit[0]] if hit else None


@cache
def gazetteer_names() -> tuple[str, ...]:
    from factcheck.kb import gazetteer

    return tuple(dict.fromkeys(form for form, _ in gazetteer.surface_forms() if len(form) > 3))
