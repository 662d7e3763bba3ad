"""How the engine compares quotations (factcheck's `Comparator` protocol).

`~=`: pass when the source quotes the asserted statement with the same meaning, fail when
it quotes it with the opposite meaning or other numbers, unknown when it quotes something
else. `==` and `!=` stay the engine's (exact text).

`consistent quote(X)`: the quotations of all sources are grouped into statements (the same
statement by content words, linked transitively). In each statement quoted by two or more
sources, the meaning most sources give is the consensus; a source rendering it with the
opposite meaning (or other numbers) fails, with its quotation and a consensus quotation as
evidence. Sources quoting no shared statement are unknown.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from factcheck.model import FAIL, PASS, UNKNOWN, Fact, Verdict, evidence_of

from factcheck_quotes.compare import affirms, compare, numbers

EXPECTED = "the same words as the other sources"


class QuoteComparator:
    """Material differences between quotations; see the module docstring."""

    def compare(self, stated: object, op: str, asserted: str) -> str | None:
        if op != "~=" or not isinstance(stated, str):
            return None
        diff = compare(asserted, stated)
        if not diff.same_statement:
            return UNKNOWN
        return FAIL if diff.material else PASS

    def consistent(self, facts_by_source: Mapping[str, Sequence[Fact]]) -> dict[str, Verdict]:
        items = [_Item(name, f) for name, facts in facts_by_source.items() for f in facts if isinstance(f.value, str)]
        groups = _statements(items)
        verdicts: dict[str, Verdict] = {}
        dissent: dict[str, tuple[list[_Item], _Item, str]] = {}
        agree: dict[str, list[_Item]] = {}
        shown: str | None = None
        for group in groups:
            sources = {i.source for i in group}
            if len(sources) < 2:
                continue
            consensus = _consensus(group)
            if consensus is None:
                continue
            shown = shown or consensus.text
            for name in sources:
                mine = [i for i in group if i.source == name]
                bad = [i for i in mine if compare(consensus.text, i.text).material or _reading(i) != _reading(consensus)]
                if bad:
                    dissent.setdefault(name, (bad, consensus, compare(consensus.text, bad[0].text).describe(
                        consensus.text, bad[0].text)))
                else:
                    agree.setdefault(name, []).extend(mine)
        for name in facts_by_source:
            if name in dissent:
                bad, consensus, how = dissent[name]
                evidence = tuple(evidence_of(i.fact, name) for i in bad) + (evidence_of(consensus.fact, consensus.source),)
                verdicts[name] = Verdict(FAIL, f"“{consensus.text}”", f"“{bad[0].text}”", evidence,
                                         f"{name} quotes “{bad[0].text}”; {consensus.source} and most sources quote "
                                         f"“{consensus.text}”: {how}", consensus.text)
            elif name in agree:
                mine = agree[name]
                verdicts[name] = Verdict(PASS, EXPECTED, f"“{mine[0].text}”",
                                         tuple(evidence_of(i.fact, name) for i in mine))
            else:
                verdicts[name] = Verdict(UNKNOWN, EXPECTED,
                                         message=f"{name} quotes nothing that another source also quotes")
        dissenters = tuple(n for n in facts_by_source if n in dissent)
        return {n: Verdict(v.verdict, v.expected, v.found, v.evidence, v.message, shown, dissenters)
                for n, v in verdicts.items()}


@dataclass(frozen=True)
class _Item:
    source: str
    fact: Fact

    @property
    def text(self) -> str:
        return str(self.fact.value)


def _reading(item: _Item) -> tuple[bool, frozenset[str]]:
    return affirms(item.text), numbers(item.text)


def _statements(items: list[_Item]) -> list[list[_Item]]:
    """Quotations grouped by statement (transitively), in text order of their first quotation."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if compare(items[i].text, items[j].text).same_statement:
                parent[root(j)] = root(i)
    groups: dict[int, list[_Item]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    return list(groups.values())


def _consensus(group: list[_Item]) -> _Item | None:
    """A quotation giving the reading most sources give; None on a tie."""
    votes: dict[tuple[bool, frozenset[str]], set[str]] = {}
    for item in group:
        votes.setdefault(_reading(item), set()).add(item.source)
    ranked = sorted(votes.items(), key=lambda kv: -len(kv[1]))
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return None
    best = ranked[0][0]
    return next(i for i in group if _reading(i) == best)
