"""`consistent FACT`: the value most sources state, and who dissents from it."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factcheck.dsl import ast
from factcheck.dsl.unparse import fact as fact_text
from factcheck.engine import values
from factcheck.engine.core import CONTRADICTION, Context, in_order, unique
from factcheck.engine.scalar import prefer_named
from factcheck.engine.sets import stated_members
from factcheck.model import FAIL, Fact, PASS, UNKNOWN, Verdict, evidence_of, format_value
from factcheck.predicates import BOOLEAN, Comparator, DATE, ENTITIES, Linker, PredicateSpec


@dataclass(frozen=True, slots=True)
class _Stated:
    """What one source states for a `consistent` fact: one value, or a self-contradiction."""

    key: object
    text: str
    width: int
    facts: tuple[Fact, ...]
    conflict: bool = False


def consistent(ref: ast.FactRef, facts_by_source: Mapping[str, Sequence[Fact]], linker: Linker,
                predicates: Mapping[str, PredicateSpec], comparators: Mapping[str, Comparator]) -> dict[str, Verdict]:
    names = list(facts_by_source)
    stated: dict[str, _Stated | None] = {}
    relevant: dict[str, list[Fact]] = {}
    spec = None
    for name in names:
        ctx = Context(facts_by_source[name], name, linker, predicates)
        spec, facts = ctx.relevant(ref)
        relevant[name] = [f for f in facts if f.polarity]
    if spec is None:
        return {}
    plugged = comparators.get(spec.name)
    if plugged is not None:
        verdicts = plugged.consistent(relevant)
        if verdicts is not None:
            return {n: verdicts.get(n) or Verdict(UNKNOWN, "consistent", message=f"{n} does not state {fact_text(ref)}")
                    for n in names}
    for name in names:
        stated[name] = _stated_value(spec, relevant[name], linker)
    voters = [(n, s) for n, s in stated.items() if s is not None and not s.conflict]
    consensus: _Stated | None = None
    best: tuple[int, int, int] | None = None
    # Votes are counted per distinct value (few), not voter against voter (quadratic in sources).
    votes: dict[object, int] = {}
    first: dict[object, tuple[int, _Stated]] = {}  # value key -> its first voter (order, stated)
    for order, (_, s) in enumerate(voters):
        votes[s.key] = votes.get(s.key, 0) + 1
        first.setdefault(s.key, (order, s))
    for order, candidate in first.values():
        support = sum(n for key, n in votes.items() if _contains(spec.value_type, first[key][1], candidate))
        rank = (support, -candidate.width, -order)
        if best is None or rank > best:
            consensus, best = candidate, rank
    verdicts = {n: _consistent_verdict(n, stated[n], consensus, spec, ref) for n in names}
    dissenters = tuple(n for n in names if verdicts[n].verdict == FAIL)
    shown = consensus.text if consensus else None
    return {n: Verdict(v.verdict, v.expected, v.found, v.evidence, v.message, shown, dissenters)
            for n, v in verdicts.items()}


def _consistent_verdict(name: str, mine: _Stated | None, consensus: _Stated | None, spec: PredicateSpec,
                        ref: ast.FactRef) -> Verdict:
    expected = consensus.text if consensus else "agreement between sources"
    if mine is None:
        return Verdict(UNKNOWN, expected, message=f"{name} does not state {fact_text(ref)}")
    evidence = tuple(evidence_of(f, name) for f in mine.facts)
    if mine.conflict:
        return Verdict(FAIL, expected, mine.text, evidence, CONTRADICTION)
    assert consensus is not None  # a non-conflicting source always votes
    if mine.key == consensus.key:
        return Verdict(PASS, expected, mine.text, evidence)
    if _contains(spec.value_type, mine, consensus):
        return Verdict(UNKNOWN, expected, mine.text, evidence,
                       f"{name} states it less precisely ({mine.text}) than the consensus ({consensus.text})")
    return Verdict(FAIL, expected, mine.text, evidence,
                   f"{name} states {mine.text}; most sources state {consensus.text}")


def _stated_value(spec: PredicateSpec, facts: list[Fact], linker: Linker) -> _Stated | None:
    """The most precise value a source states positively, or its conflicting values."""
    if spec.value_type == ENTITIES:
        pairs = stated_members(facts)
        if not pairs:
            return None
        canon = unique(linker.canonical(v) for _, v in pairs)
        return _Stated(frozenset(canon), ", ".join(canon), 0, tuple(f for f, _ in pairs))
    groups: dict[object, list[Fact]] = {}
    for f in prefer_named(spec, facts):
        if spec.value_type == BOOLEAN or values.fits(spec.value_type, f.value):
            groups.setdefault(values.value_key(spec.value_type, f.value), []).append(f)
    if not groups:
        return None
    width = min(values.width(fs[0].value) for fs in groups.values())
    precise = [fs for fs in groups.values() if values.width(fs[0].value) == width]
    text = ", ".join(format_value(fs[0].value) for fs in precise)
    if len(precise) > 1:
        return _Stated(None, text, width, tuple(in_order(facts, [f for fs in precise for f in fs])), True)
    return _Stated(values.value_key(spec.value_type, precise[0][0].value), text, width, tuple(precise[0]))


def _contains(value_type: str, outer: _Stated, inner: _Stated) -> bool:
    """Does `outer` agree with `inner`, being equal to it or (dates) a wider interval around it?"""
    if outer.key == inner.key:
        return True
    if value_type == DATE and isinstance(outer.key, tuple) and isinstance(inner.key, tuple):  # (start, end)
        (o_start, o_end), (i_start, i_end) = outer.key, inner.key
        return o_start <= i_start and i_end <= o_end
    return False
