"""Why a verdict came out as it did: reasons in plain sentences an editor can act on.

Pure, like the rest of the engine: it reads the assertion, the verdict, the facts the source
states for the assertion's predicates (those that bear on it and those that do not) and the
`Linker`. For `pass` and `fail` it names the deciding facts and the ones set aside (negative,
a guessed event, less precise than another); for `unknown` it names the near misses: facts of
the same predicate about an event or entity that did not link to the assertion's, with the
concrete knowledge-base edit that would link them ("add `ceremony` to the aliases of `signing
ceremony`"). Reasons that need the article's own sentences (a modal, a verb that is no trigger)
come from the run layer (`factcheck.run.explain`), which reads source text.

A Linker that is a `KnowledgeBase` also offers `event_spec`, `events`, `link`; the functions
here use them when they are there and say less when they are not.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from factcheck.dsl import ast
from factcheck.engine import values
from factcheck.model import FAIL, PASS, UNKNOWN, Entity, Evidence, Fact, Verdict, format_value
from factcheck.predicates import ENTITIES, EVENT, Linker, PredicateSpec

MAX_SHOWN = 3  # near misses / set-aside facts named per reference
QUOTE_CHARS = 160
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"})

FactsByRef = Mapping[tuple[str, str], Sequence[Fact]]


def reasons(assertion: ast.Assertion, verdict: Verdict, by_predicate: Mapping[str, Sequence[Fact]],
            relevant: FactsByRef, source: str, linker: Linker, predicates: Mapping[str, PredicateSpec]) -> tuple[str, ...]:
    """The reasons for `verdict` of `assertion` on `source`. `by_predicate`: every fact the
    source states, by predicate (only the assertion's predicates are read); `relevant`: those
    that bear on each `(predicate, argument)` (missing refs are matched here)."""
    if verdict.verdict not in (PASS, FAIL, UNKNOWN):
        return (verdict.message,) if verdict.message else ()
    out: list[str] = []
    if verdict.verdict in (PASS, FAIL):
        out += deciding(verdict)
    elif verdict.message:
        out.append(_sentence(verdict.message))
    for ref in _unique(ast.fact_refs(assertion.body)):
        spec = predicates.get(ref.predicate)
        if spec is None:
            continue
        stated = by_predicate.get(ref.predicate, ())
        mine = relevant.get((ref.predicate, ref.argument))
        if mine is None:
            mine = [f for f in stated if _matches(linker, spec, ref.argument, f)]
        if verdict.verdict == UNKNOWN:
            out += unstated(assertion, spec, ref, mine, stated, source, linker)
        out += set_aside(spec, mine, verdict.evidence)
    if len(out) > 1 and verdict.message and out[0] == _sentence(verdict.message) \
            and verdict.message.startswith("not stated in "):
        out = out[1:]  # the generic "not stated" says less than the reasons after it
    return tuple(_unique(out))



def deciding(verdict: Verdict) -> list[str]:
    """What decided a pass or a fail, in one short sentence: the values the deciding facts
    state (their sentences are the verdict's evidence, which every report quotes), and a
    contradiction or another detail the engine gave."""
    values_ = _unique(e.value for e in verdict.evidence) or ([verdict.found] if verdict.found else [])
    found = ", ".join(values_) if values_ else "nothing comparable"
    hedged = " (hedged)" if verdict.evidence and all(e.hedged for e in verdict.evidence) else ""
    if verdict.verdict == PASS:
        out = [f"Found {found}{hedged}."]
    else:
        out = [f"Expected {verdict.expected}, found {found}{hedged}."]
        if verdict.message:
            out.append(_sentence(verdict.message))
    return out


def set_aside(spec: PredicateSpec, facts: Sequence[Fact], used: Sequence[Evidence]) -> list[str]:
    """Facts that bear on the reference but did not decide, and why each was set aside. (For
    a set of entities every fact is about some member; those about others are not set aside.)"""
    if spec.value_type == ENTITIES:
        return []
    keys = {(e.start, e.end, e.value.removeprefix("not ")) for e in used}
    named = any((f.subject.name and not f.subject.guessed) or f.subject.places for f in facts)
    precise = any(values.width(f.value) == 0 for f in facts if _fits(spec, f))
    out = []
    for f in facts:
        if (f.start, f.end, format_value(f.value)) in keys:
            continue
        if spec.argument == EVENT and f.subject.guessed and named:
            why = f"the event is only a guess there ({f.subject.how}), and other sentences name it"
        elif not _fits(spec, f):
            why = f"`{format_value(f.value)}` is not a {spec.value_type}"
        elif spec.value_type != ENTITIES and precise and values.width(f.value) > 0:
            why = "less precise than another sentence's value"
        elif not f.polarity:
            why = "it is stated negatively"
        else:
            continue
        out.append(f"Set aside: {format_value(f.value)} in \u201c{_cut(f.sentence)}\u201d: {why}.")
        if len(out) == MAX_SHOWN:
            break
    return out


def unstated(assertion: ast.Assertion, spec: PredicateSpec, ref: ast.FactRef, mine: Sequence[Fact],
             stated: Sequence[Fact], source: str, linker: Linker, consensus: str | None = None) -> list[str]:
    """Why `ref` gave no deciding fact on this source: what it says instead, and what to edit.
    `consensus`: for `consistent`, the value most sources state (a mention stating it is a
    likely alias)."""
    out: list[str] = []
    if mine:
        out += _imprecise(assertion, spec, mine)
        if spec.value_type == ENTITIES:
            out += _other_values(assertion, mine, linker)
        return out
    others = [f for f in stated if not _matches(linker, spec, ref.argument, f)]
    if not others:
        out.append(f"{source} states no `{ref.predicate}` of anything: no sentence reports "
                   f"{spec.description or ref.predicate}.")
        return out
    if spec.argument == EVENT:
        out += _event_near_misses(spec, ref, others, linker, assertion, consensus)
    else:
        out += _entity_near_misses(spec, ref, others, source, linker)
    return out


# ----------------------------------------------------------------------------- events


def _event_near_misses(spec: PredicateSpec, ref: ast.FactRef, others: Sequence[Fact], linker: Linker,
                       assertion: ast.Assertion | None = None, consensus: str | None = None) -> list[str]:
    """Mentions of events that did not link to `ref`'s event and plausibly are it: their
    words share a word with the event's names, or what they state would decide the
    assertion (a date equal to the asserted one); and mentions of its kind that nothing
    placed. Unrelated events (an election, another deal) are not listed."""
    event_spec = getattr(linker, "event_spec", None)
    ev = event_spec(ref.argument) if event_spec is not None else None
    key: str = getattr(ev, "key", "") if ev is not None else ""
    kinds: frozenset[str] = getattr(ev, "kinds", frozenset()) if ev is not None else frozenset()
    place: str = getattr(ev, "place", "") if ev is not None else ""
    names = {ref.argument, key, *getattr(ev, "aliases", ())}
    target_words = {w for n in names for w in _words(n)} - _DETERMINERS
    ranked: list[tuple[int, str]] = []
    seen: set[tuple[str, str]] = set()
    for f in others:
        s = f.subject
        label = (s.text or s.head or s.name).strip()
        if s.kind != "event" or (s.name, label.lower()) in seen:
            continue
        seen.add((s.name, label.lower()))
        decides = (assertion is not None and _would_pass(assertion, ref, spec, f, linker)) or \
            (consensus is not None and f.polarity and format_value(f.value) == consensus)
        shares = bool(_words(label) & target_words)
        said = f"\u201c{_cut(label, 60)}\u201d ({ref.predicate} {format_value(f.value)}, in \u201c{_cut(f.sentence)}\u201d)"
        alias = _phrase(label)
        if s.name and s.name != key:
            if not (decides or shares):
                continue
            how = f" by {s.how}" if s.how else ""
            edit = (f"; if it is the same event, add `{alias}` to the aliases of `{key}`" if key and decides else "")
            text = f"{said} was resolved{how} to the KB event `{s.name}`, not `{ref.argument}`{edit}."
        elif kinds and s.head and not _kind_in(s.head, kinds):
            if not (decides or shares):
                continue
            if key:
                text = (f"{said} resolved to no KB event: `{s.head}` is not a kind of `{key}`; "
                        f"add `{alias}` to the aliases of `{key}` to link it.")
            else:
                text = (f"{said} is a `{s.head}`, not a `{_head_of(ref.argument)}`; write `{ref.predicate}"
                        f"({alias})`, or declare the event in the knowledge base with both names.")
        elif s.places and place:
            text = f"{said} is placed at {', '.join(s.places)}, not at {place}."
        elif s.generic:
            text = (f"{said} is indefinite (a new event) and names no place or party that says it is "
                    f"`{ref.argument}`.")
        else:
            target = f"`{key}`" if key else f"`{ref.argument}`"
            text = (f"{said} fits the kind of {target}, but nothing in its sentence says which event it is "
                    f"(no place, and other events fit too); a KB `place:` or an alias would decide.")
        ranked.append((0 if decides else 1 if shares else 2, text))
    ranked.sort(key=lambda rt: rt[0])  # stable: the source's order within a rank
    return [text for _, text in ranked[:MAX_SHOWN]]


def _words(text: str) -> set[str]:
    return {w.strip("\"'\u201c\u201d\u2018\u2019.,;:()").lower().removesuffix("'s") for w in text.split()} - {""}


def _would_pass(assertion: ast.Assertion, ref: ast.FactRef, spec: PredicateSpec, fact: Fact, linker: Linker) -> bool:
    """Would this fact, were it about `ref`'s event, make one of the assertion's comparisons
    of `ref` pass? (A date equal to the asserted one makes a mention a likely alias.)"""
    for cmp in ast.comparisons(assertion.body):
        if cmp.fact != ref:
            continue
        members = cmp.value.items if isinstance(cmp.value, ast.SetLit) else (cmp.value,)
        try:
            if spec.value_type == ENTITIES:
                stated = fact.value.name if isinstance(fact.value, Entity) else str(fact.value)
                if fact.polarity and any(isinstance(m, ast.EntityLit) and linker.value_matches(m.name, stated)
                                         for m in members):
                    return True
                continue
            if not values.fits(spec.value_type, fact.value):
                continue
            op = "==" if cmp.op == "in" else cmp.op
            if any(values.scalar_test(spec.value_type, fact.value, op, m) == PASS for m in members):
                return True
        except Exception:  # noqa: BLE001 - a value the engine cannot compare decides nothing
            continue
    return False



def _kind_in(head: str, kinds: Iterable[str]) -> bool:
    h = head.lower().rstrip("s")
    return any(k.lower().rstrip("s") == h for k in kinds)


def _head_of(argument: str) -> str:
    words = argument.split()
    return words[-1] if words else argument


def _phrase(label: str) -> str:
    """The mention as an alias: no quotes, no leading determiner or possessive ("Monday's",
    "Trump's"), at most its last three words."""
    words = [w.strip("\"'\u201c\u201d\u2018\u2019,;:()") for w in label.split()]
    words = [w for w in words if w]
    while len(words) > 1 and (words[0].lower() in _DETERMINERS or words[0].endswith(("'s", "\u2019s"))):
        words = words[1:]
    return " ".join(words[-3:]) if words else label


# ----------------------------------------------------------------------------- entities


def _entity_near_misses(spec: PredicateSpec, ref: ast.FactRef, others: Sequence[Fact], source: str,
                        linker: Linker) -> list[str]:
    subjects = _unique(f.subject.name for f in others if f.subject.kind == "entity" and f.subject.name)
    if not subjects:
        return []
    out = []
    link = getattr(linker, "link", None)
    if link is not None and link(ref.argument) is None:
        out.append(f"`{ref.argument}` is a name neither the knowledge base nor the gazetteer knows.")
    alike = [n for n in subjects if _same_name(ref.argument, n)]
    for name in alike[:MAX_SHOWN]:
        fact = next(f for f in others if f.subject.name == name)
        out.append(f"{source} states `{ref.predicate}({name})` ({format_value(fact.value)}, in "
                   f"\u201c{_cut(fact.sentence)}\u201d); if `{ref.argument}` is `{name}`, add `{ref.argument}` "
                   f"to the aliases of `{name}` in the knowledge base.")
    if not alike:
        shown = ", ".join(subjects[:6]) + (", ..." if len(subjects) > 6 else "")
        out.append(f"{source} states `{ref.predicate}` only of {shown}.")
    return out


def _same_name(short: str, long: str) -> bool:
    """An acronym (`RSF` for Rapid Support Forces) or one name inside the other."""
    letters = "".join(w[0] for w in long.replace("-", " ").split() if w[:1].isupper())
    s, l_ = short.lower(), long.lower()
    return (short.isupper() and len(short) >= 2 and letters == short) or (len(s) >= 4 and (s in l_ or l_ in s))


def _other_values(assertion: ast.Assertion, mine: Sequence[Fact], linker: Linker) -> list[str]:
    """`includes X` with no word on X: the values the source does state."""
    body = assertion.body
    while isinstance(body, ast.Not):
        body = body.operand
    if not isinstance(body, ast.Comparison):
        return []
    stated = _unique(f"{'' if f.polarity else 'not '}{format_value(f.value)}" for f in mine)
    if not stated:
        return []
    return [f"It names for `{body.fact.predicate}({body.fact.argument})`: {', '.join(stated[:8])}"
            f"{', ...' if len(stated) > 8 else ''}."]


def _imprecise(assertion: ast.Assertion, spec: PredicateSpec, mine: Sequence[Fact]) -> list[str]:
    if spec.value_type == ENTITIES:
        return []
    vague = [f for f in mine if _fits(spec, f) and values.width(f.value) > 0]
    return [f"\u201c{_cut(f.sentence)}\u201d states {format_value(f.value)}, less precise than the assertion."
            for f in vague[:MAX_SHOWN]]


# ----------------------------------------------------------------------------- helpers


def _matches(linker: Linker, spec: PredicateSpec, argument: str, fact: Fact) -> bool:
    try:
        return bool(linker.subject_matches(spec, argument, fact.subject))
    except Exception:  # noqa: BLE001 - a Linker's failure is the engine's `error`, not a reason
        return False


def _fits(spec: PredicateSpec, f: Fact) -> bool:
    return spec.value_type in ("boolean", ENTITIES) or values.fits(spec.value_type, f.value)


def _cut(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    return text if text.endswith((".", "!", "?")) else text + "."


def _unique(items: Iterable) -> list:
    return list(dict.fromkeys(items))
