"""One stated value against the asserted one: dates, numbers, quantities, strings, and what a
plugin's comparator says; several facts on one scalar agree, decide or contradict."""
from __future__ import annotations

from collections.abc import Sequence

from factcheck.dsl import ast
from factcheck.engine import values
from factcheck.engine.core import CONTRADICTION, Context, Outcome, found_text, kleene_or
from factcheck.engine.sets import compare_set
from factcheck.model import FAIL, Fact, PASS, UNKNOWN
from factcheck.predicates import BOOLEAN, Comparator, ENTITIES, EVENT, PredicateSpec


def prefer_named(spec: PredicateSpec, facts: list[Fact]) -> list[Fact]:
    """For one value of an event (its date, start, duration): mentions that name the event
    without doubt (by KB alias, apposition or place) outweigh those resolved by a weaker guess
    (the article's salient event, the kind named exactly), which outweigh mentions that only
    share its kind ("talks" on Monday does not contradict "the talks in Moscow" on Monday); and
    among the sure ones, the precise values decide: a vaguer mention ("in January") that names
    the event does not outrank them."""
    if spec.argument != EVENT or spec.value_type == ENTITIES:
        return facts
    sure = [f for f in facts if (f.subject.name and not f.subject.guessed) or f.subject.places]
    precise = [f for f in sure if values.width(f.value) == 0]
    named = [f for f in facts if f.subject.name or f.subject.places]
    return precise or sure or named or facts


def compare(cmp: ast.Comparison, ctx: Context) -> Outcome:
    spec, facts = ctx.relevant(cmp.fact)
    if spec.value_type == ENTITIES:
        return compare_set(cmp, facts, ctx)
    shown = found_text([f for f in facts if f.polarity and values.fits(spec.value_type, f.value)])  # all it states
    facts = prefer_named(spec, facts)
    if spec.value_type == BOOLEAN:
        raise values.Unsupported(f"`{spec.name}` is boolean: it stands alone, as in `{spec.name}(X)`")
    if cmp.op == "in":
        members = cmp.value.items if isinstance(cmp.value, ast.SetLit) else (cmp.value,)
    elif isinstance(cmp.value, ast.SetLit):
        raise values.Unsupported(f"`{cmp.op}` takes a single value; use `in {{..}}` for a set")
    else:
        members = (cmp.value,)
    stated = [f for f in facts if f.polarity and values.fits(spec.value_type, f.value)]
    decided: list[tuple[Fact, str]] = []
    plugged = (ctx.comparators or {}).get(spec.name)
    for fact in stated:
        verdict = _plugged_test(plugged, fact.value, cmp.op, members)
        if verdict is not None:
            pass
        elif cmp.op == "in":
            tests = [values.scalar_test(spec.value_type, fact.value, "==", m) for m in members]
            verdict = kleene_or([Outcome(t) for t in tests]).verdict
        else:
            verdict = values.scalar_test(spec.value_type, fact.value, cmp.op, members[0])
        decided.append((fact, verdict))
    if plugged is not None and decided and all(v == UNKNOWN for _, v in decided):  # not "too imprecise"
        return Outcome(UNKNOWN, (), shown, f"nothing {ctx.source} states bears on it")
    out = aggregate(decided, shown, ctx)
    if out.verdict == FAIL and spec.argument == EVENT and all(f.subject.guessed for f, _ in decided):
        return Outcome(UNKNOWN, out.evidence, shown, f"{ctx.source} states {shown} only where the event is a guess "
                        "(the article's salient event, or the kind named exactly): not enough to fail")
    return out


def _plugged_test(comparator: Comparator | None, stated: object, op: str, members: Sequence[ast.Scalar]) -> str | None:
    """A plugin comparator's verdict for one stated value (`in`: any member), or None."""
    if comparator is None:
        return None
    verdicts = [comparator.compare(stated, "==" if op == "in" else op, _literal_value(m))
                for m in members]
    answers = [v for v in verdicts if v is not None]
    if len(answers) < len(verdicts):  # one None: the engine decides
        return None
    return kleene_or([Outcome(v) for v in answers]).verdict if op == "in" else answers[0]


def _literal_value(lit: ast.Scalar) -> str:
    return lit.name if isinstance(lit, ast.EntityLit) else lit.text


def aggregate(decided: list[tuple[Fact, str]], found: str | None, ctx: Context) -> Outcome:
    """Several facts on one scalar: agreeing ones decide; disagreeing ones contradict."""
    passes = [f for f, v in decided if v == PASS]
    fails = [f for f, v in decided if v == FAIL]
    if passes and fails:
        deciders = [f for f, v in decided if v in (PASS, FAIL)]
        return Outcome(FAIL, ctx.evidence(deciders), found, CONTRADICTION)
    if passes:
        return Outcome(PASS, ctx.evidence(passes), found)
    if fails:
        return Outcome(FAIL, ctx.evidence(fails), found)
    if decided:
        return Outcome(UNKNOWN, ctx.evidence([f for f, _ in decided]), found,
                        f"{ctx.source} states {found}: too imprecise (or in units that do not convert) to decide")
    return Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")
