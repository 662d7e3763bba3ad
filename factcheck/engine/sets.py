"""Sets of entities: `includes`, `excludes`, `includes all/any`, `==` on a closed set, `in`; a
member stated both ways is a contradiction."""
from __future__ import annotations

from collections.abc import Sequence

from factcheck.dsl import ast
from factcheck.dsl.unparse import value as value_text
from factcheck.engine import values
from factcheck.engine.core import CONTRADICTION, Context, Outcome, found_text, in_order, kleene_and, kleene_or, unique
from factcheck.model import Entity, FAIL, Fact, PASS, UNKNOWN


def _entity_name(value: object) -> str | None:
    if isinstance(value, Entity):
        return value.name
    if isinstance(value, str):
        return value
    return None


def _status(name: str, facts: Sequence[Fact], ctx: Context) -> tuple[list[Fact], list[Fact]]:
    """The facts stating `name` among the values, and those denying it."""
    stated: list[Fact] = []
    denied: list[Fact] = []
    for f in facts:
        value = _entity_name(f.value)
        if value is not None and ctx.linker.value_matches(name, value):
            (stated if f.polarity else denied).append(f)
    return stated, denied


def _member(name: str, mode: str, facts: Sequence[Fact], ctx: Context) -> Outcome:
    """`includes name` (mode "includes") or `excludes name` (mode "excludes")."""
    stated, denied = _status(name, facts, ctx)
    if stated and denied:
        return Outcome(FAIL, ctx.evidence(in_order(facts, stated + denied)), None, CONTRADICTION)
    if stated:
        return Outcome(PASS if mode == "includes" else FAIL, ctx.evidence(stated))
    if denied:
        return Outcome(FAIL if mode == "includes" else PASS, ctx.evidence(denied))
    return Outcome(UNKNOWN, (), None, f"{ctx.source} says nothing about {name}")


def compare_set(cmp: ast.Comparison, facts: list[Fact], ctx: Context) -> Outcome:
    names = _entity_names(cmp.value)
    found = found_text([f for f in facts if _entity_name(f.value) is not None])
    op = cmp.op
    if op in ("includes", "excludes", "includes all"):
        out = kleene_and([_member(n, "excludes" if op == "excludes" else "includes", facts, ctx) for n in names])
    elif op == "includes any":
        out = kleene_or([_member(n, "includes", facts, ctx) for n in names])
    elif op in ("==", "!="):
        out = _closed_world(names, facts, ctx)
        if op == "!=":
            out = Outcome(values.negate(out.verdict), out.evidence, None, out.message)
    elif op == "in":
        out = _within(names, facts, ctx)
    else:
        raise values.Unsupported(f"operator `{op}` does not apply to a set of entities")
    return Outcome(out.verdict, out.evidence, found, out.message)


def _entity_names(value: ast.ValueNode) -> tuple[str, ...]:
    items = value.items if isinstance(value, ast.SetLit) else (value,)
    names = []
    for item in items:
        if not isinstance(item, ast.EntityLit):
            raise values.Unsupported(f"`{value_text(item)}` is not an entity name")
        names.append(item.name)
    return tuple(names)


def stated_members(facts: Sequence[Fact]) -> list[tuple[Fact, str]]:
    return [(f, n) for f in facts if f.polarity and (n := _entity_name(f.value)) is not None]


def _closed_world(names: Sequence[str], facts: Sequence[Fact], ctx: Context) -> Outcome:
    """`== {..}`: the stated set must be exactly the given set; unknown if nothing is stated."""
    statuses = {n: _status(n, facts, ctx) for n in names}
    denied = [f for n in names for f in statuses[n][1]]
    if denied:
        refused = [n for n in names if statuses[n][1]]
        both = [f for n in refused for f in statuses[n][0]]
        message = CONTRADICTION if both else f"{ctx.source} states not {', '.join(refused)}"
        return Outcome(FAIL, ctx.evidence(in_order(facts, denied + both)), None, message)
    positives = stated_members(facts)
    if not positives:
        return Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")
    # a value that contains an asserted one ("the UAE signed" for {.., Mohammed bin Zayed}) is
    # less precise than the assertion: it neither adds a member nor confirms one
    vague = [(f, v) for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)
             and any(ctx.linker.value_matches(v, n) for n in names)]
    extra = [(f, v) for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)
             and (f, v) not in vague]
    if extra:
        shown = unique(ctx.linker.canonical(v) for _, v in extra)
        return Outcome(FAIL, ctx.evidence([f for f, _ in extra]), None,
                        f"{ctx.source} also states {', '.join(shown)}")
    missing = [n for n in names if not statuses[n][0]]
    if missing and vague:
        return Outcome(UNKNOWN, (), None, f"{ctx.source} states {', '.join(unique(v for _, v in vague))}, "
                        f"less precise than {', '.join(missing)}")
    if missing:
        return Outcome(FAIL, ctx.evidence([f for f, _ in positives]), None,
                        f"{ctx.source} does not state {', '.join(missing)}")
    return Outcome(PASS, ctx.evidence([f for f, _ in positives]))


def _within(names: Sequence[str], facts: Sequence[Fact], ctx: Context) -> Outcome:
    """`in {..}`: every stated value is one of the given ones."""
    positives = stated_members(facts)
    if not positives:
        return Outcome(UNKNOWN, (), None, f"not stated in {ctx.source}")
    outside = [f for f, v in positives if not any(ctx.linker.value_matches(n, v) for n in names)]
    if outside:
        return Outcome(FAIL, ctx.evidence(outside))
    return Outcome(PASS, ctx.evidence([f for f, _ in positives]))
