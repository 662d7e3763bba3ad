"""`factcheck explain`: every cell's verdict with its reasons, plus a look at the article.

The engine's reasons (`Result.why`, from `factcheck.engine.why`) name the deciding facts and
the near misses among the facts. For an `unknown` cell this module adds what only the
article's text can tell: the sentences that mention the assertion's subject, its value or
its event noun without giving a fact, and why each gave none (a modal or a condition states
no fact; a weekday with no tense to place it; no verb in it that reports the predicate).
It reads the source text with a light sentence split and the extractors' word lists
(`extract.lexicon`, plain YAML): spaCy is not loaded for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.kb.events import event_head
from factcheck.model import UNKNOWN, Evidence, Fact, Result, Run, Source
from factcheck.predicates import DATE, EVENT, PredicateSpec
from factcheck.run.rules import Rules, load_rules

MAX_SENTENCES = 4
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'\u201d\u2019)]*|\n|$)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_REPORTED = frozenset({"said", "says", "told", "reported", "according"})


@dataclass(frozen=True, slots=True)
class Explained:
    """One cell: its result (with every reason in `why`)."""

    result: Result

    def lines(self) -> list[str]:
        r = self.result
        head = f"{r.file}:{r.line}:{r.column}: {r.assertion}  [{r.source}]  {r.verdict}"
        if r.found is not None and r.verdict != "pass":
            head += f" (found {r.found}, expected {r.expected})"
        lines = [head] + [f"    - {w}" for w in r.why]
        if r.evidence and r.verdict in ("pass", "fail"):
            lines.append("    decided by:")
            lines += [f"      {_quoted(e)}" for e in r.evidence[:MAX_SENTENCES]]
            if len(r.evidence) > MAX_SENTENCES:
                lines.append(f"      and {len(r.evidence) - MAX_SENTENCES} more sentence(s)")
        return lines


def explain(rule_paths: Sequence[str], source_patterns: Sequence[str], entities: Sequence[str] = (),
            config: Config | None = None, *, assertion: str | None = None, source: str | None = None,
            **settings) -> tuple[Run, list[Explained]]:
    """Check, keeping the facts, and explain the selected cells: `assertion` is its text or
    its line number in a rule file; `source` a source's name (or file name)."""
    from factcheck.run import runner

    run = runner.check(rule_paths, source_patterns, entities, config, keep_facts=True, **settings)
    rules = load_rules(rule_paths, entities, config)
    sources = {s.name: s for s in run.sources}
    out = []
    for r in select(run.results, assertion, source):
        s = sources.get(r.source)
        extra = text_reasons(r, s, run.facts.get(r.source, []), rules) if s is not None else []
        out.append(Explained(replace(r, why=tuple(dict.fromkeys([*r.why, *extra])))))
    return run, out


def select(results: Iterable[Result], assertion: str | None, source: str | None) -> list[Result]:
    def wanted(r: Result) -> bool:
        if source is not None and source not in (r.source, r.source.rsplit("/", 1)[-1]) \
                and not r.source.startswith(source):
            return False
        if assertion is None:
            return True
        if assertion.isdigit():
            return r.line == int(assertion)
        return " ".join(assertion.split()) == " ".join(r.assertion.split())
    return [r for r in results if wanted(r)]


_ALIAS_EDIT = re.compile(r"add `([^`]+)` to the aliases of `([^`]+)`")


def render(cells: Sequence[Explained], run: Run, empty: str = "no cell matches") -> str:
    lines: list[str] = [] if cells else [empty]
    for cell in cells:
        lines += cell.lines()
    edits = suggested_edits(cells)
    if edits:
        lines.append("suggested knowledge-base edits (cells each would concern):")
        lines += [f"  add `{alias}` to the aliases of `{name}` ({n})" for (alias, name), n in edits]
    for e in run.errors:
        lines.append(f"not checked: {e}")
    return "\n".join(lines) + "\n"


def suggested_edits(cells: Sequence[Explained]) -> list[tuple[tuple[str, str], int]]:
    """Every `add X to the aliases of Y` the reasons suggest, with the number of cells that
    suggest it, most first: one alias often settles several unknown cells."""
    counts: dict[tuple[str, str], int] = {}
    for cell in cells:
        for edit in {(m.group(1), m.group(2)) for w in cell.result.why for m in _ALIAS_EDIT.finditer(w)}:
            counts[edit] = counts.get(edit, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ----------------------------------------------------------------------------- the article


def text_reasons(r: Result, source: Source, facts: Sequence[Fact], rules: Rules) -> list[str]:
    """For an `unknown` cell: the sentences that mention the subject, the value or the
    event noun but gave no fact of the predicate, each with why it gave none."""
    if r.verdict != UNKNOWN:
        return []
    a = _assertion(rules, r)
    if a is None:
        return []
    out: list[str] = []
    for ref in dict.fromkeys(ast.fact_refs(a.body)):
        spec = rules.predicates.get(ref.predicate)
        if spec is None:
            continue
        terms = _terms(rules, spec, ref, a)
        if not terms:
            continue
        gave = {(f.start, f.end) for f in facts if f.predicate == ref.predicate}
        found = mentioned = 0
        for start, end, sentence in sentences(source.text):
            hit = _mentions(sentence, terms)
            if hit is None:
                continue
            mentioned += 1
            if (start, end) in gave or any(s <= start < e for s, e in gave):
                continue  # this sentence gave a fact: the reasons above cover it
            out.append(f"\u201c{_cut(sentence)}\u201d mentions {hit} but gives no `{ref.predicate}` fact: "
                       f"{_why_no_fact(sentence, spec)}.")
            found += 1
            if found == MAX_SENTENCES:
                break
        if not mentioned:
            shown = ", ".join(f"`{t}`" for t in terms[:6])
            out.append(f"No sentence of {r.source} mentions {shown}.")
    return out


def sentences(text: str) -> Iterable[tuple[int, int, str]]:
    for m in _SENTENCE.finditer(text):
        body = m.group(0).strip()
        if len(body) > 3:
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            yield start, start + len(body), body


def _assertion(rules: Rules, r: Result) -> ast.Assertion | None:
    for rf, a in rules.assertions:
        if rf.path == r.file and a.pos.line == r.line and a.pos.column == r.column:
            return a
    return None


def _terms(rules: Rules, spec: PredicateSpec, ref: ast.FactRef, a: ast.Assertion) -> list[str]:
    """The words that would name the subject (its KB names, or for an event its KB names and
    kind words) and the asserted entity values: the names as written first, synonyms last."""
    kb = rules.kb
    terms: list[str] = []
    synonyms: list[str] = []
    if spec.argument == EVENT:
        ev = kb.event_spec(ref.argument)
        terms.append(ref.argument)
        if ev.key:
            terms += [ev.key, *kb.events[ev.key].aliases]
        own = event_head(ref.argument)
        terms += [own] if own else []
        synonyms += sorted(k for k in ev.kinds if len(k) > 2)
    else:
        name = kb.canonical(ref.argument)
        terms += [ref.argument, name]
        entry = kb.entities.get(name)
        if entry is not None:
            terms += list(entry.aliases)
    body = a.body
    while isinstance(body, ast.Not):
        body = body.operand
    if isinstance(body, ast.Comparison):
        items = body.value.items if isinstance(body.value, ast.SetLit) else (body.value,)
        for item in items:
            if isinstance(item, ast.EntityLit):
                name = kb.canonical(item.name)
                terms += [item.name, name]
                entry = kb.entities.get(name)
                if entry is not None:
                    terms += list(entry.aliases)
    return [t for t in dict.fromkeys(terms + synonyms) if t and len(t) > 1]


def _mentions(sentence: str, terms: Sequence[str]) -> str | None:
    low = sentence.lower()
    for t in sorted(terms, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(t.lower())}(?:s|es)?(?![\w-])", low):
            return f"`{t}`"
    return None


def _why_no_fact(sentence: str, spec: PredicateSpec) -> str:
    """The first reason that holds, looking only at words: a verb that reports the predicate
    is needed; then a modal, a condition or an intention just before it states no fact."""
    from factcheck.extract.lexicon import lexicon

    lex = lexicon()
    words = [w.lower() for w in _WORD.findall(sentence)]
    lemmas = [_lemmas(w) for w in words]
    if spec.value_type == DATE:
        day = next((w for w in words if w in _WEEKDAYS), None)
        months = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december"}
        has_date = day or any(w in months for w in words) or re.search(r"\b(1[89]|20)\d\d\b", sentence)
        if not has_date:
            return "it states no date"
        blocker = _blocker(words, lemmas, range(len(words)), lex)
        if blocker:
            return blocker
        if day:
            return (f"`{day.capitalize()}` is a weekday with no tense or publication date to place it "
                    f"(check the source's `published:` date)")
        return "its date is not tied to the event by a verb that dates it"
    relations = [rel for rel in lex.relations if rel.predicate == spec.name]
    if not relations:
        if set(words) & _REPORTED:
            return "it reports what someone said without stating it"
        return f"nothing in it states `{spec.name}`"
    at = [i for i, ls in enumerate(lemmas) if any(rel.triggers(lemma) for rel in relations for lemma in ls)
          or any(ls & rel.nouns for rel in relations)]
    if not at:
        verbs = sorted({v for rel in relations for v in rel.verbs})[:8]
        return (f"no word in it reports `{spec.name}` (its verbs: {', '.join(verbs)}, ...); "
                f"a KB predicate pattern or a plugin can add one")
    near = {j for i in at for j in range(max(0, i - 4), i)}
    blocker = _blocker(words, lemmas, sorted(near), lex)
    if blocker:
        return blocker
    return (f"`{words[at[0]]}` reports `{spec.name}`, but not between these names in a way the relation "
            f"patterns read")


def _blocker(words: list[str], lemmas: list[frozenset[str]], where: Iterable[int], lex) -> str | None:
    for i in where:
        w, ls = words[i], lemmas[i]
        if w in lex.possibility_aux:
            return f"the modal `{w}` makes it a possibility, which states no fact"
        if w in lex.condition_marks:
            return f"`{w}` makes it a condition, which states no fact"
        if ls & lex.intention_governors:
            return f"`{w}` makes it an intention, which states no fact"
        if ls & lex.hedge_governors:
            return f"`{w}` hedges it"
    return None


def _lemmas(word: str) -> frozenset[str]:
    """The forms a word's lemma may take, by stripping inflections (no parser needed)."""
    out = {word}
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out |= {stem, stem + "e"}
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "planned" -> plan
    if word.endswith("ied"):
        out.add(word[:-3] + "y")
    return frozenset(out)


def _quoted(e: Evidence) -> str:
    """An evidence sentence with the value it gave, and how a relative date was read."""
    tail = " (hedged)" if e.hedged else ""
    if e.resolution:
        tail += f"; resolved {e.resolution}"
    return f"{e.value}: \u201c{_cut(e.text)}\u201d{tail}"


def _cut(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
