"""The engine on hand-built facts and AST nodes: no spaCy, no parser."""
from __future__ import annotations

import datetime as dt

import pytest

from factcheck import engine
from factcheck.dsl import ast
from factcheck.model import DateValue, Entity, Fact, Quantity, Subject
from factcheck.predicates import BUILTIN_PREDICATES, NUMBER, STRING, THING, PredicateSpec

P = ast.Pos(1, 1)
SRC = "a.txt"


class FakeLinker:
    """Case-insensitive names, a few aliases, and part_of links."""

    def __init__(self, aliases=None, part_of=None):
        self.aliases = {k.casefold(): v for k, v in (aliases or {}).items()}
        self.part_of = part_of or {}

    def canonical(self, name):
        return self.aliases.get(name.casefold(), name)

    def value_matches(self, asserted, stated):
        a, s = self.canonical(asserted), self.canonical(stated)
        return a.casefold() == s.casefold() or any(p.casefold() == a.casefold() for p in self.part_of.get(s, ()))

    def subject_matches(self, spec, argument, subject):
        return self.value_matches(argument, subject.name)


class RaisingLinker(FakeLinker):
    def subject_matches(self, spec, argument, subject):
        raise RuntimeError("linker broke")


LINKER = FakeLinker(aliases={"Moscow": "Russia", "Sarraj": "Serraj", "Emiratis": "UAE"},
                    part_of={"Haftar": ["LNA"], "Serraj": ["GNA"]})
PREDICATES = dict(BUILTIN_PREDICATES)
PREDICATES["casualties"] = PredicateSpec("casualties", "event", NUMBER)
PREDICATES["venue"] = PredicateSpec("venue", "event", STRING)
PREDICATES["sanctioned"] = PredicateSpec("sanctioned", THING, "boolean")


# ----------------------------------------------------------------------------- builders


def ref(pred, arg, quoted=False):
    return ast.FactRef(pred, arg, quoted, P, P)


def day(text):
    return ast.DateLit(DateValue.day(dt.date.fromisoformat(text)), text, P)


def month(text):
    y, m = map(int, text.split("-"))
    return ast.DateLit(DateValue.month(y, m), text, P)


def year(text):
    return ast.DateLit(DateValue.year(int(text)), text, P)


def qty(amount, unit, text=None):
    return ast.QuantityLit(Quantity(float(amount), unit), text or f"{amount} {unit}s", P)


def num(x):
    return ast.NumberLit(float(x), str(x), P)


def ent(name, quoted=False):
    return ast.EntityLit(name, quoted, P)


def setlit(*items):
    return ast.SetLit(tuple(ent(i) if isinstance(i, str) else i for i in items), P)


def comp(pred, arg, op, value):
    return ast.Comparison(ref(pred, arg), op, ent(value) if isinstance(value, str) else value, P, P)


def mentions(x):
    return ast.BoolFact(ref("mentions", x), P)


def assertion(body, skip=None):
    return ast.Assertion(body, "text", P, None, "error", skip)


def run(body, facts, source=SRC, linker=LINKER, skip=None):
    return engine.evaluate(assertion(body, skip), facts, source, linker, PREDICATES)


def d(text):
    return DateValue.day(dt.date.fromisoformat(text))


def fact(pred, subject, value, polarity=True, hedged=False, sentence=None, start=0, resolution=None):
    subj = Subject("entity", subject)
    return Fact(pred, subj, value, sentence or f"{pred} {subject} {value}", start, start + 10,
                polarity=polarity, hedged=hedged, resolution=resolution)


def date_fact(value, subject="Berlin summit", **kw):
    return fact("date", subject, value, **kw)


def backer(name, polarity=True, subject="LNA", **kw):
    return fact("backers", subject, Entity(name), polarity=polarity, **kw)


SUMMIT_IS = lambda lit: comp("date", "Berlin summit", "==", lit)  # noqa: E731


# ----------------------------------------------------------------------------- dates


def test_date_equal_day_passes_with_evidence():
    f = date_fact(d("2020-01-19"), sentence="The summit is on Sunday.", start=40, resolution="Sunday -> 2020-01-19")
    v = run(SUMMIT_IS(day("2020-01-19")), [f])
    assert v.verdict == "pass"
    assert v.expected == "== 2020-01-19" and v.found == "2020-01-19"
    (e,) = v.evidence
    assert (e.source, e.text, e.start, e.end, e.value) == (SRC, "The summit is on Sunday.", 40, 50, "2020-01-19")
    assert e.resolution == "Sunday -> 2020-01-19" and e.hedged is False


def test_date_equal_other_day_fails():
    v = run(SUMMIT_IS(day("2020-01-19")), [date_fact(d("2020-01-20"))])
    assert v.verdict == "fail" and v.found == "2020-01-20" and len(v.evidence) == 1


def test_date_stated_month_against_day_is_unknown():
    v = run(SUMMIT_IS(day("2020-01-19")), [date_fact(DateValue.month(2020, 1))])
    assert v.verdict == "unknown" and v.found == "2020-01"
    assert "imprecise" in v.message


def test_date_stated_range_later_this_month_is_unknown():
    later = DateValue(dt.date(2020, 1, 15), dt.date(2020, 1, 31), "range")
    assert run(SUMMIT_IS(day("2020-01-19")), [date_fact(later)]).verdict == "unknown"


def test_date_stated_day_in_asserted_month_passes():
    assert run(SUMMIT_IS(month("2020-01")), [date_fact(d("2020-01-19"))]).verdict == "pass"


def test_date_disjoint_month_fails():
    assert run(SUMMIT_IS(month("2020-01")), [date_fact(DateValue.month(2020, 2))]).verdict == "fail"
    assert run(SUMMIT_IS(month("2020-01")), [date_fact(d("2020-02-01"))]).verdict == "fail"


def test_date_year_asserted_day_stated_passes():
    assert run(SUMMIT_IS(year("2020")), [date_fact(d("2020-01-19"))]).verdict == "pass"
    assert run(SUMMIT_IS(year("2011")), [date_fact(d("2020-01-19"))]).verdict == "fail"


@pytest.mark.parametrize("stated, verdict", [
    (d("2020-01-20"), "pass"), (d("2020-01-19"), "fail"), (DateValue.month(2020, 1), "unknown"),
])
def test_date_not_equal(stated, verdict):
    assert run(comp("date", "Berlin summit", "!=", day("2020-01-19")), [date_fact(stated)]).verdict == verdict


@pytest.mark.parametrize("op, lit, stated, verdict", [
    ("<", day("2020-01-19"), d("2020-01-13"), "pass"),
    ("<", day("2020-01-19"), d("2020-01-19"), "fail"),
    ("<", day("2020-01-19"), d("2020-01-25"), "fail"),
    ("<", day("2020-01-19"), DateValue.month(2020, 1), "unknown"),
    ("<", month("2020-01"), d("2020-01-15"), "fail"),
    ("<", month("2020-01"), d("2019-12-31"), "pass"),
    ("<=", day("2020-01-19"), d("2020-01-19"), "pass"),
    ("<=", month("2020-01"), d("2020-01-31"), "pass"),
    ("<=", month("2020-01"), d("2020-02-01"), "fail"),
    (">", day("2020-01-13"), d("2020-01-19"), "pass"),
    (">", day("2020-01-19"), d("2020-01-19"), "fail"),
    (">", month("2020-01"), d("2020-01-31"), "fail"),
    (">", year("2019"), DateValue.month(2020, 1), "pass"),
    (">=", day("2020-01-19"), d("2020-01-19"), "pass"),
    (">=", month("2020-01"), d("2020-01-01"), "pass"),
    (">=", day("2020-01-19"), d("2020-01-18"), "fail"),
    (">=", day("2020-01-19"), DateValue.month(2020, 1), "unknown"),
])
def test_date_ordering(op, lit, stated, verdict):
    assert run(comp("date", "Berlin summit", op, lit), [date_fact(stated)]).verdict == verdict


@pytest.mark.parametrize("stated, verdict", [
    (d("2020-01-20"), "pass"), (d("2020-01-21"), "fail"), (DateValue.month(2020, 1), "unknown"),
])
def test_date_in_set(stated, verdict):
    body = comp("date", "Berlin summit", "in", setlit(day("2020-01-19"), day("2020-01-20")))
    v = run(body, [date_fact(stated)])
    assert v.verdict == verdict
    assert v.expected == "in {2020-01-19, 2020-01-20}"


def test_nothing_stated_is_unknown_without_evidence():
    v = run(SUMMIT_IS(day("2020-01-19")), [])
    assert v.verdict == "unknown" and v.evidence == () and v.found is None
    assert v.message == "not stated in a.txt"


def test_facts_about_other_subjects_or_predicates_are_ignored():
    facts = [date_fact(d("2020-01-13"), subject="Moscow talks"), fact("start", "Berlin summit", d("2020-01-01"))]
    assert run(SUMMIT_IS(day("2020-01-19")), facts).verdict == "unknown"


def test_negative_date_fact_is_ignored():
    assert run(SUMMIT_IS(day("2020-01-19")), [date_fact(d("2020-01-20"), polarity=False)]).verdict == "unknown"


def test_precise_fact_decides_over_imprecise_one():
    facts = [date_fact(DateValue.month(2020, 1)), date_fact(d("2020-01-19"), start=99)]
    v = run(SUMMIT_IS(day("2020-01-19")), facts)
    assert v.verdict == "pass" and [e.start for e in v.evidence] == [99]
    assert v.found == "2020-01, 2020-01-19"


def test_two_agreeing_facts_both_are_evidence():
    facts = [date_fact(d("2020-01-19"), start=0), date_fact(d("2020-01-19"), start=50)]
    assert [e.start for e in run(SUMMIT_IS(day("2020-01-19")), facts).evidence] == [0, 50]


def test_scalar_contradiction_fails_with_both_sides():
    facts = [date_fact(d("2020-01-19"), start=0), date_fact(d("2020-01-20"), start=50)]
    v = run(SUMMIT_IS(day("2020-01-19")), facts)
    assert v.verdict == "fail" and v.message == "the source contradicts itself"
    assert [e.value for e in v.evidence] == ["2020-01-19", "2020-01-20"]


def test_hedged_fact_counts_and_is_marked():
    v = run(SUMMIT_IS(day("2020-01-19")), [date_fact(d("2020-01-19"), hedged=True)])
    assert v.verdict == "pass" and v.evidence[0].hedged is True


# ----------------------------------------------------------------------------- quantities, numbers, strings


def duration(value):
    return fact("duration", "Tripoli offensive", value)


def dur(op, lit):
    return comp("duration", "Tripoli offensive", op, lit)


@pytest.mark.parametrize("stated, lit, verdict", [
    (Quantity(9, "month"), qty(9, "month"), "pass"),
    (Quantity(10, "month"), qty(9, "month"), "fail"),
    (Quantity(1, "year"), qty(12, "month"), "pass"),
    (Quantity(2, "year"), qty(12, "month"), "fail"),
    (Quantity(2, "week"), qty(14, "day"), "pass"),
    (Quantity(3, "day"), qty(72, "hour"), "pass"),
    (Quantity(30, "day"), qty(1, "month"), "unknown"),
    (Quantity(9, "month", approx=True), qty(9, "month"), "pass"),
    (Quantity(300, "troop"), qty(9, "month"), "unknown"),
])
def test_quantity_equality_and_units(stated, lit, verdict):
    assert run(dur("==", lit), [duration(stated)]).verdict == verdict


@pytest.mark.parametrize("op, stated, verdict", [
    (">", Quantity(1, "year"), "pass"), (">", Quantity(9, "month"), "fail"),
    ("<=", Quantity(9, "month"), "pass"), ("<", Quantity(2, "year"), "fail"),
    (">=", Quantity(40, "week"), "unknown"), ("!=", Quantity(8, "month"), "pass"),
])
def test_quantity_ordering(op, stated, verdict):
    assert run(dur(op, qty(9, "month")), [duration(stated)]).verdict == verdict


def test_quantity_in_set_and_expected_text():
    v = run(dur("in", setlit(qty(8, "month"), qty(9, "month"))), [duration(Quantity(9, "month"))])
    assert v.verdict == "pass" and v.expected == "in {8 months, 9 months}" and v.found == "9 months"
    assert run(dur("in", setlit(qty(8, "month"))), [duration(Quantity(9, "month"))]).verdict == "fail"


@pytest.mark.parametrize("op, value, verdict", [
    ("==", 30, "pass"), ("==", 31, "fail"), ("<", 31, "pass"), (">=", 31, "fail"), (">", 29.5, "pass"),
])
def test_numbers(op, value, verdict):
    v = run(comp("casualties", "attack", op, num(value)), [fact("casualties", "attack", 30.0)])
    assert v.verdict == verdict


def test_strings_compare_case_insensitively_and_by_pattern():
    facts = [fact("venue", "Berlin summit", "the Chancellery")]
    assert run(comp("venue", "Berlin summit", "==", ent("The  chancellery", quoted=True)), facts).verdict == "pass"
    assert run(comp("venue", "Berlin summit", "!=", ent("Bundestag")), facts).verdict == "pass"
    assert run(comp("venue", "Berlin summit", "~=", ent("chancel")), facts).verdict == "pass"
    assert run(comp("venue", "Berlin summit", "~=", ent("^bund")), facts).verdict == "fail"


# ----------------------------------------------------------------------------- sets: includes / excludes


def test_includes_stated_passes_and_found_lists_values():
    v = run(comp("backers", "LNA", "includes", "Russia"), [backer("Russia"), backer("UAE", start=30)])
    assert v.verdict == "pass" and v.expected == "includes Russia" and v.found == "Russia, UAE"
    assert [e.value for e in v.evidence] == ["Russia"]


def test_includes_absent_is_unknown():
    v = run(comp("backers", "LNA", "includes", "France"), [backer("Russia")])
    assert v.verdict == "unknown" and v.evidence == ()


def test_excludes_absent_is_unknown_absence_is_no_evidence():
    v = run(comp("backers", "LNA", "excludes", "France"), [backer("Russia")])
    assert v.verdict == "unknown" and v.expected == "excludes France"


def test_excludes_denied_passes_with_negative_evidence():
    f = fact("signed", "ceasefire", Entity("Haftar"), polarity=False, sentence="Haftar left without signing.")
    v = run(comp("signed", "ceasefire", "excludes", "Haftar"), [f])
    assert v.verdict == "pass" and v.found == "not Haftar"
    assert v.evidence[0].value == "not Haftar" and v.evidence[0].polarity is False


def test_includes_denied_fails():
    f = fact("signed", "ceasefire", Entity("Haftar"), polarity=False)
    v = run(comp("signed", "ceasefire", "includes", "Haftar"), [f])
    assert v.verdict == "fail" and len(v.evidence) == 1


def test_excludes_stated_fails():
    v = run(comp("backers", "LNA", "excludes", "France"), [backer("France")])
    assert v.verdict == "fail" and v.evidence[0].value == "France"


@pytest.mark.parametrize("op", ["includes", "excludes"])
def test_set_contradiction_fails_both_ways(op):
    facts = [backer("France", start=0), backer("France", polarity=False, start=60)]
    v = run(comp("backers", "LNA", op, "France"), facts)
    assert v.verdict == "fail" and v.message == "the source contradicts itself"
    assert [e.value for e in v.evidence] == ["France", "not France"]


def test_values_link_through_aliases_and_case():
    assert run(comp("backers", "LNA", "includes", "russia"), [backer("Moscow")]).verdict == "pass"
    assert run(comp("signed", "ceasefire", "includes", "Sarraj"),
               [fact("signed", "ceasefire", Entity("Serraj"))]).verdict == "pass"


def test_subjects_link_through_part_of():
    # facts about Haftar count for the LNA
    assert run(comp("backers", "LNA", "includes", "UAE"), [backer("UAE", subject="Haftar")]).verdict == "pass"
    assert run(comp("backers", "GNA", "includes", "UAE"), [backer("UAE", subject="Haftar")]).verdict == "unknown"


def test_hedged_set_fact_still_passes_and_is_marked():
    v = run(comp("backers", "LNA", "includes", "Russia"), [backer("Russia", hedged=True)])
    assert v.verdict == "pass" and v.evidence[0].hedged is True


@pytest.mark.parametrize("facts, verdict", [
    ([backer("UAE"), backer("Egypt")], "pass"),
    ([backer("UAE"), backer("Egypt", polarity=False)], "fail"),
    ([backer("UAE")], "unknown"),
    ([backer("Egypt", polarity=False)], "fail"),
    ([], "unknown"),
])
def test_includes_all_is_three_valued(facts, verdict):
    v = run(comp("backers", "LNA", "includes all", setlit("UAE", "Egypt")), facts)
    assert v.verdict == verdict
    assert v.expected == "includes all {UAE, Egypt}"


def test_includes_all_pass_has_evidence_of_every_member():
    v = run(comp("backers", "LNA", "includes all", setlit("UAE", "Egypt")), [backer("UAE"), backer("Egypt")])
    assert sorted(e.value for e in v.evidence) == ["Egypt", "UAE"]


@pytest.mark.parametrize("facts, verdict", [
    ([backer("Egypt")], "pass"),
    ([backer("UAE", polarity=False), backer("Egypt", polarity=False)], "fail"),
    ([backer("UAE", polarity=False)], "unknown"),
    ([backer("UAE", polarity=False), backer("Egypt")], "pass"),
])
def test_includes_any_is_three_valued(facts, verdict):
    assert run(comp("backers", "LNA", "includes any", setlit("UAE", "Egypt")), facts).verdict == verdict


# ----------------------------------------------------------------------------- sets: closed world ==, !=, in


def leader(name, polarity=True):
    return fact("leader", "GNA", Entity(name), polarity=polarity)


def test_closed_world_exact_set_passes():
    v = run(comp("backers", "LNA", "==", setlit("UAE", "Egypt")), [backer("Egypt"), backer("UAE")])
    assert v.verdict == "pass" and len(v.evidence) == 2


def test_closed_world_single_value():
    v = run(comp("leader", "GNA", "==", "Serraj"), [leader("Sarraj")])
    assert v.verdict == "pass" and v.expected == "== Serraj"


def test_closed_world_extra_value_fails():
    v = run(comp("backers", "LNA", "==", setlit("UAE")), [backer("UAE"), backer("Russia", start=40)])
    assert v.verdict == "fail" and [e.value for e in v.evidence] == ["Russia"]
    assert "Russia" in v.message


def test_closed_world_missing_member_fails():
    v = run(comp("backers", "LNA", "==", setlit("UAE", "Egypt")), [backer("UAE")])
    assert v.verdict == "fail" and "Egypt" in v.message and v.evidence


def test_closed_world_nothing_stated_is_unknown():
    assert run(comp("backers", "LNA", "==", setlit("UAE")), []).verdict == "unknown"


def test_closed_world_denied_member_fails_even_if_nothing_else_stated():
    v = run(comp("backers", "LNA", "==", setlit("UAE")), [backer("UAE", polarity=False)])
    assert v.verdict == "fail" and v.evidence[0].value == "not UAE"


def test_closed_world_member_both_stated_and_denied_is_a_contradiction():
    v = run(comp("backers", "LNA", "==", setlit("UAE")), [backer("UAE"), backer("UAE", polarity=False, start=9)])
    assert v.verdict == "fail" and v.message == "the source contradicts itself" and len(v.evidence) == 2


def test_closed_world_part_of_value_counts_for_member():
    assert run(comp("leader", "GNA", "==", "GNA"), [leader("Serraj")]).verdict == "pass"


@pytest.mark.parametrize("facts, verdict", [
    ([leader("Serraj")], "fail"), ([leader("Haftar")], "pass"), ([], "unknown"),
])
def test_closed_world_not_equal_negates(facts, verdict):
    assert run(comp("leader", "GNA", "!=", "Serraj"), facts).verdict == verdict


@pytest.mark.parametrize("facts, verdict", [
    ([backer("UAE"), backer("Egypt")], "pass"),
    ([backer("UAE"), backer("France")], "fail"),
    ([backer("France", polarity=False)], "unknown"),
])
def test_set_in(facts, verdict):
    assert run(comp("backers", "LNA", "in", setlit("UAE", "Egypt", "Russia")), facts).verdict == verdict


# ----------------------------------------------------------------------------- booleans


def mention(name, start=0):
    return Fact("mentions", Subject("entity", name), True, f"{name} was there.", start, start + 5)


def test_mentions_passes_with_first_mention_as_evidence():
    v = run(mentions("Jordan"), [mention("Jordan", 5), mention("Jordan", 50)])
    assert v.verdict == "pass" and v.expected == "mentioned"
    assert [e.start for e in v.evidence] == [5]


def test_mentions_absent_fails_without_evidence():
    v = run(mentions("Jordan"), [mention("Egypt")])
    assert v.verdict == "fail" and v.evidence == ()
    assert v.message == "not mentioned in a.txt"


def test_not_mentions():
    v = run(ast.Not(mentions("France"), P), [mention("Egypt")])
    assert v.verdict == "pass" and v.expected == "not mentioned"
    assert run(ast.Not(mentions("Egypt"), P), [mention("Egypt")]).verdict == "fail"


def test_other_boolean_predicates_treat_absence_as_unknown():
    body = ast.BoolFact(ref("sanctioned", "Wagner"), P)
    yes = fact("sanctioned", "Wagner", True)
    no = fact("sanctioned", "Wagner", True, polarity=False, start=40)
    assert run(body, []).verdict == "unknown"
    assert run(body, [yes]).verdict == "pass"
    assert run(body, [no]).verdict == "fail"
    assert run(body, [yes, no]).message == "the source contradicts itself"


# ----------------------------------------------------------------------------- and / or / not


RUSSIA = comp("backers", "LNA", "includes", "Russia")  # pass on FACTS
FRANCE = comp("backers", "LNA", "includes", "France")  # fail on FACTS
TURKEY = comp("backers", "LNA", "includes", "Turkey")  # unknown on FACTS
BROKEN = comp("nosuch", "LNA", "includes", "Russia")  # error
FACTS = [backer("Russia", start=0), backer("France", polarity=False, start=40)]


def both(kind, left, right):
    return kind(left, right, P)


@pytest.mark.parametrize("left, right, verdict", [
    (RUSSIA, RUSSIA, "pass"), (RUSSIA, FRANCE, "fail"), (RUSSIA, TURKEY, "unknown"),
    (FRANCE, TURKEY, "fail"), (TURKEY, TURKEY, "unknown"), (FRANCE, BROKEN, "error"),
])
def test_and_is_kleene(left, right, verdict):
    assert run(both(ast.And, left, right), FACTS).verdict == verdict


@pytest.mark.parametrize("left, right, verdict", [
    (RUSSIA, FRANCE, "pass"), (FRANCE, FRANCE, "fail"), (FRANCE, TURKEY, "unknown"),
    (TURKEY, RUSSIA, "pass"), (RUSSIA, BROKEN, "error"),
])
def test_or_is_kleene(left, right, verdict):
    assert run(both(ast.Or, left, right), FACTS).verdict == verdict


def test_and_fail_keeps_only_deciding_evidence():
    v = run(both(ast.And, RUSSIA, FRANCE), FACTS)
    assert [e.value for e in v.evidence] == ["not France"]


def test_and_pass_unions_evidence_and_names_both_sides():
    v = run(both(ast.And, RUSSIA, ast.Not(FRANCE, P)), FACTS)
    assert v.verdict == "pass" and [e.value for e in v.evidence] == ["Russia", "not France"]
    assert v.expected == "backers(LNA) includes Russia and not backers(LNA) includes France"


def test_or_pass_keeps_passing_side_evidence():
    v = run(both(ast.Or, FRANCE, RUSSIA), FACTS)
    assert [e.value for e in v.evidence] == ["Russia"]


@pytest.mark.parametrize("inner, verdict", [(RUSSIA, "fail"), (FRANCE, "pass"), (TURKEY, "unknown"),
                                            (BROKEN, "error")])
def test_not(inner, verdict):
    v = run(ast.Not(inner, P), FACTS)
    assert v.verdict == verdict
    if verdict in ("pass", "fail"):
        assert v.evidence


def test_nested_expected_text_parenthesises():
    body = ast.Not(both(ast.Or, RUSSIA, mentions("Jordan")), P)
    assert run(body, FACTS).expected == "not (backers(LNA) includes Russia or mentions(Jordan))"


# ----------------------------------------------------------------------------- skip and errors


def test_skip_returns_skipped_with_reason():
    v = run(RUSSIA, FACTS, skip="waiting for the desk")
    assert v.verdict == "skipped" and v.message == "waiting for the desk" and v.evidence == ()


def test_raising_linker_gives_error_not_exception():
    v = run(RUSSIA, FACTS, linker=RaisingLinker())
    assert v.verdict == "error" and "linker broke" in v.message


def test_unknown_predicate_is_error():
    v = run(BROKEN, FACTS)
    assert v.verdict == "error" and "nosuch" in v.message


def test_wrong_literal_type_is_error():
    assert run(comp("date", "Berlin summit", "==", "Russia"), [date_fact(d("2020-01-19"))]).verdict == "error"
    assert run(comp("backers", "LNA", "includes", day("2020-01-19")), FACTS).verdict == "error"


def test_operator_not_for_sets_is_error():
    assert run(comp("backers", "LNA", "<", "Russia"), FACTS).verdict == "error"


def test_boolean_with_operator_and_non_boolean_alone_are_errors():
    assert run(comp("mentions", "Jordan", "==", "Jordan"), []).verdict == "error"
    assert run(ast.BoolFact(ref("backers", "LNA"), P), FACTS).verdict == "error"


def test_quoted_entity_expected_keeps_quotes():
    assert run(comp("backers", "LNA", "includes", ent("Wagner Group", quoted=True)), []).expected == \
        'includes "Wagner Group"'


# ----------------------------------------------------------------------------- consistent


CONSISTENT = assertion(ast.Consistent(ref("date", "Berlin summit"), P))


def consistent(facts_by_source, linker=LINKER, skip=None):
    a = assertion(ast.Consistent(ref("date", "Berlin summit"), P), skip)
    return engine.evaluate_consistent(a, facts_by_source, linker, PREDICATES)


def test_consistent_majority_consensus_and_dissenter():
    out = consistent({
        "a": [date_fact(d("2020-01-19"))], "b": [date_fact(d("2020-01-19"))], "c": [date_fact(d("2020-01-20"))],
    })
    assert list(out) == ["a", "b", "c"]
    assert [v.verdict for v in out.values()] == ["pass", "pass", "fail"]
    for v in out.values():
        assert v.consensus == "2020-01-19" and v.dissenters == ("c",) and v.expected == "2020-01-19"
    assert out["c"].found == "2020-01-20" and out["c"].evidence[0].source == "c"
    assert out["a"].evidence[0].source == "a"


def test_consistent_less_precise_source_is_unknown_silent_source_unknown():
    out = consistent({
        "a": [date_fact(d("2020-01-19"))], "b": [date_fact(DateValue.month(2020, 1))], "c": [],
    })
    assert [v.verdict for v in out.values()] == ["pass", "unknown", "unknown"]
    assert out["b"].found == "2020-01" and out["b"].evidence
    assert out["c"].evidence == () and out["a"].dissenters == ()


def test_consistent_month_sources_support_a_day_inside_them():
    out = consistent({
        "a": [date_fact(DateValue.month(2020, 1))], "b": [date_fact(DateValue.month(2020, 1))],
        "c": [date_fact(d("2020-01-19"))],
    })
    assert out["c"].verdict == "pass" and out["c"].consensus == "2020-01-19"
    assert out["a"].verdict == "unknown"


def test_consistent_source_uses_its_most_precise_value():
    out = consistent({"a": [date_fact(DateValue.month(2020, 1)), date_fact(d("2020-01-19"))],
                      "b": [date_fact(d("2020-01-19"))]})
    assert [v.verdict for v in out.values()] == ["pass", "pass"]


def test_consistent_self_contradicting_source_fails():
    out = consistent({"a": [date_fact(d("2020-01-19")), date_fact(d("2020-01-20"))],
                      "b": [date_fact(d("2020-01-19"))]})
    assert out["a"].verdict == "fail" and out["a"].message == "the source contradicts itself"
    assert len(out["a"].evidence) == 2 and out["b"].dissenters == ("a",)


def test_consistent_ties_go_to_the_first_source():
    out = consistent({"a": [date_fact(d("2020-01-20"))], "b": [date_fact(d("2020-01-19"))]})
    assert out["a"].consensus == "2020-01-20" and out["b"].verdict == "fail"


def test_consistent_ties_prefer_the_more_precise_value():
    out = consistent({"a": [date_fact(DateValue.month(2020, 2))], "b": [date_fact(d("2020-01-19"))]})
    assert out["a"].consensus == "2020-01-19"
    assert out["a"].verdict == "fail" and out["b"].verdict == "pass"


def test_consistent_negative_facts_do_not_count():
    out = consistent({"a": [date_fact(d("2020-01-19"), polarity=False)]})
    assert out["a"].verdict == "unknown" and out["a"].consensus is None


def test_consistent_entities_compare_as_sets():
    a = assertion(ast.Consistent(ref("backers", "LNA"), P))
    out = engine.evaluate_consistent(a, {
        "a": [backer("UAE"), backer("Russia")], "b": [backer("Moscow"), backer("UAE")], "c": [backer("Egypt")],
    }, LINKER, PREDICATES)
    assert [v.verdict for v in out.values()] == ["pass", "pass", "fail"]
    assert out["a"].consensus == "UAE, Russia" and out["a"].dissenters == ("c",)


def test_consistent_quantities_convert_units():
    a = assertion(ast.Consistent(ref("duration", "Tripoli offensive"), P))
    out = engine.evaluate_consistent(a, {"a": [duration(Quantity(1, "year"))], "b": [duration(Quantity(12, "month"))]},
                                     LINKER, PREDICATES)
    assert [v.verdict for v in out.values()] == ["pass", "pass"]


def test_consistent_skip_and_error():
    out = consistent({"a": [], "b": []}, skip="later")
    assert [v.verdict for v in out.values()] == ["skipped", "skipped"] and out["a"].message == "later"
    out = consistent({"a": [date_fact(d("2020-01-19"))], "b": []}, linker=RaisingLinker())
    assert [v.verdict for v in out.values()] == ["error", "error"]


def test_evaluate_on_consistent_body_uses_the_one_source():
    v = engine.evaluate(CONSISTENT, [date_fact(d("2020-01-19"))], "a", LINKER, PREDICATES)
    assert v.verdict == "pass" and v.consensus == "2020-01-19"


def test_evaluate_consistent_on_plain_body_evaluates_each_source():
    out = engine.evaluate_consistent(assertion(RUSSIA), {"x": FACTS, "y": []}, LINKER, PREDICATES)
    assert [v.verdict for v in out.values()] == ["pass", "unknown"]


def test_named_mentions_outweigh_kind_only_ones():
    """A date on a mention that names the event (by place or KB key) is not contradicted by a
    date on a mention that only shares its kind."""
    placed = Fact("date", Subject("event", "", "talk", ("Moscow",), "talks in Moscow"),
                  DateValue.day(dt.date(2020, 1, 13)), "Talks in Moscow on Monday.", 0, 26)
    bare = Fact("date", Subject("event", "", "talk", (), "talks"),
                DateValue.day(dt.date(2020, 1, 8)), "Talks on January 8.", 30, 49)
    spec = BUILTIN_PREDICATES["date"]

    class KindLinker:
        def subject_matches(self, spec, argument, subject):
            return subject.head == "talk" and (not subject.places or "Moscow" in subject.places)

        def value_matches(self, asserted, stated):
            return asserted == stated

        def canonical(self, name):
            return name

    from factcheck.dsl.ast import Assertion, Comparison, DateLit, FactRef, Pos
    p = Pos(1, 1)
    cmp = Comparison(FactRef("date", "Moscow talks", False, p, p), "==",
                     DateLit(DateValue.day(dt.date(2020, 1, 13)), "2020-01-13", p), p, p)
    a = Assertion(cmp, "date(Moscow talks) == 2020-01-13", p, None, "error", None)
    v = engine.evaluate(a, [placed, bare], "s.txt", KindLinker(), {"date": spec})
    assert v.verdict == "pass"
    v = engine.evaluate(a, [bare], "s.txt", KindLinker(), {"date": spec})
    assert v.verdict == "fail"


def test_consistent_counts_votes_per_value_over_many_sources():
    # 3,000 sources: votes are counted per distinct value, so this stays fast; the consensus
    # is the most supported value, and a month supports every day inside it.
    facts = {f"s{i}": [date_fact(d("2020-01-19") if i % 3 else d("2020-01-20"))] for i in range(3000)}
    facts.update({f"m{i}": [date_fact(DateValue.month(2020, 1))] for i in range(10)})
    out = consistent(facts)
    assert out["s1"].consensus == "2020-01-19" and out["s1"].verdict == "pass"
    assert out["s0"].verdict == "fail" and len(out["s1"].dissenters) == 1000
    assert out["m0"].verdict == "unknown"


def test_facts_already_found_per_reference_are_used_as_given():
    a = assertion(comp("backers", "LNA", "includes", "Russia"))
    found = {("backers", "LNA"): [backer("Russia")]}
    assert engine.evaluate(a, [], "s", LINKER, PREDICATES, by_ref=found).verdict == "pass"
    assert engine.evaluate(a, [backer("Russia")], "s", LINKER, PREDICATES, by_ref={}).verdict == "pass"
    assert engine.evaluate(a, [], "s", LINKER, PREDICATES).verdict == "unknown"
