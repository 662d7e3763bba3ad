"""The rule language: every grammar form, the AST it builds, the type checker, unparse."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factcheck.dsl import check, check_all, parse_file, parse_text, strip_positions, unparse
from factcheck.dsl.ast import (
    And, BoolFact, Comparison, Consistent, DateLit, EntityLit, Not, NumberLit, Or, Pos, QuantityLit, SetLit,
)
from factcheck.errors import RuleTypeError
from factcheck.model import DateValue, Quantity
from factcheck.predicates import BUILTIN_PREDICATES, NUMBER, STRING, THING, PredicateSpec

ROOT = Path(__file__).resolve().parents[1]
LIBYA = ROOT / "rules" / "libya.fc"


def body(text: str):
    """The body of the only assertion of `text`."""
    (a,) = parse_text(text).assertions
    return a.body


# Every form of the language, written in the canonical spacing unparse produces.
EVERY_FORM = '''\
use "libya.entities.yaml"
use "extra kb.yaml"

date(Berlin summit) == 2020-01-19
start(ceasefire) != 2020-01
date(Moscow talks) < 2021
date(Moscow talks) <= 2020-01-13
duration(Tripoli offensive) > 9 months
duration(war) >= -1.5
duration("the siege") in {2 weeks, 3 days}
backers(LNA) includes Haftar's forces
backers(LNA) excludes "United States"
backers(U.N.) includes all {UAE, Egypt, "United States"}
backers(LNA) includes any {Russia, al-Sarraj}
leader(GNA) == Serraj
leader(GNA) == {Serraj, Maiteeq}
headline(story) ~= "Libya"
mentions(Jordan)
not mentions(France)
mentions(A) and mentions(B) or not mentions(C)
(mentions(A) or mentions(B)) and not (mentions(C) and mentions(D))
date(talks in Moscow) in {2019, 2020-01} or not not mentions(x)
consistent date(Berlin summit)

test "Who signed the ceasefire":
    signed(ceasefire) includes Serraj
    signed(ceasefire) excludes Haftar

@warning
test "Haftar's backers":
    backers(LNA) includes all {UAE, Egypt, Jordan}

@info
@skip "waiting for the desk to confirm"
test "Start of the truce":
    start(ceasefire) == 2020-01-12
    consistent start(ceasefire)

@skip "not yet"
mentions(Jordan)
@warning
backers(LNA) includes Russia
'''


# ----------------------------------------------------------------------------- the sample file


def test_libya_rule_file_parses_into_the_expected_tests():
    rf = parse_file(LIBYA)
    assert rf.path == str(LIBYA)
    assert [u.path for u in rf.uses] == ["libya.entities.yaml"]
    assert rf.uses[0].pos == Pos(3, 1)
    assert [t.name for t in rf.tests] == [
        None, "Haftar's foreign backers", "France denies backing Haftar", "Who signed the ceasefire in Moscow",
        "The Moscow talks", "The two camps", "Length of the offensive", None,
    ]
    assert len(rf.assertions) == 13
    warning = rf.tests[2]
    assert [d.name for d in warning.decorators] == ["warning"]
    assert warning.assertions[0].severity == "warning"
    assert {a.severity for t in rf.tests if t is not warning for a in t.assertions} == {"error"}
    assert rf.assertions[0].text == "date(Berlin summit) == 2020-01-19"
    assert rf.assertions[0].test is None
    assert rf.assertions[1].test == "Haftar's foreign backers"
    assert rf.assertions[1].pos == Pos(8, 5)
    assert isinstance(rf.assertions[-1].body, Consistent)
    duration = rf.tests[6].assertions[0].body
    assert duration.value == QuantityLit(Quantity(9.0, "month"), "9 months", Pos(29, 36))


def test_libya_rule_file_type_checks():
    rf = parse_file(LIBYA)
    assert check(rf, BUILTIN_PREDICATES) == rf  # nothing to normalise
    assert check_all([rf], BUILTIN_PREDICATES) == []


def test_unparse_round_trips_the_libya_file():
    rf = parse_file(LIBYA)
    again = parse_text(unparse(rf), rf.path)
    assert strip_positions(again) == strip_positions(rf)


def test_unparse_round_trips_every_form():
    rf = parse_text(EVERY_FORM)
    text = unparse(rf)
    assert text == EVERY_FORM
    assert strip_positions(parse_text(text)) == strip_positions(rf)


def test_unparse_adds_the_parentheses_precedence_needs():
    a, b, c = (BoolFact(body(f"mentions({x})").fact, Pos(0, 0)) for x in "abc")
    p = Pos(0, 0)
    rf = parse_text("mentions(a)")
    cases = {
        "mentions(a) or mentions(b) or mentions(c)": Or(Or(a, b, p), c, p),
        "mentions(a) or (mentions(b) or mentions(c))": Or(a, Or(b, c, p), p),
        "(mentions(a) or mentions(b)) and mentions(c)": And(Or(a, b, p), c, p),
        "mentions(a) and (mentions(b) and mentions(c))": And(a, And(b, c, p), p),
        "not (mentions(a) and mentions(b))": Not(And(a, b, p), p),
        "not mentions(a) and mentions(b)": And(Not(a, p), b, p),
    }
    for expected, tree in cases.items():
        test = rf.tests[0]
        assertion = test.assertions[0].__class__(tree, expected, p, None, "error", None)
        rule = rf.__class__(rf.path, (), (test.__class__(None, (), (assertion,), p),))
        printed = unparse(rule)
        assert printed == expected + "\n"
        assert strip_positions(body(printed)) == strip_positions(tree)


def test_strip_positions_zeroes_every_position():
    rf = strip_positions(parse_text(EVERY_FORM))
    text = repr(rf)
    assert "Pos(line=0, column=0)" in text
    assert "line=1," not in text and "column=5" not in text


# ----------------------------------------------------------------------------- values


def test_day_month_and_year_dates():
    day = body("date(x) == 2020-01-19").value
    assert day == DateLit(DateValue.day(dt.date(2020, 1, 19)), "2020-01-19", Pos(1, 12))
    month = body("date(x) == 2020-02").value
    assert month.value == DateValue(dt.date(2020, 2, 1), dt.date(2020, 2, 29), "month")
    assert month.text == "2020-02"
    year = body("date(x) == 2011").value
    assert year == NumberLit(2011.0, "2011", Pos(1, 12))  # the type checker makes it a year


def test_checker_turns_a_year_compared_with_a_date_into_a_year_date():
    rf = check(parse_text("date(x) == 2011"), BUILTIN_PREDICATES)
    assert rf.assertions[0].body.value == DateLit(DateValue.year(2011), "2011", Pos(1, 12))
    rf = check(parse_text("date(x) in {2019, 2020-01-19}"), BUILTIN_PREDICATES)
    first, second = rf.assertions[0].body.value.items
    assert first.value == DateValue.year(2019) and isinstance(second, DateLit)


def test_numbers_int_decimal_negative():
    spec = {"count": PredicateSpec("count", THING, NUMBER)}
    for text, value in (("300", 300.0), ("2.5", 2.5), ("-4", -4.0), ("-0.75", -0.75)):
        v = body(f"count(troops) == {text}").value
        assert v == NumberLit(value, text, Pos(1, 18))
        check(parse_text(f"count(troops) == {text}"), spec)


@pytest.mark.parametrize("written, unit", [
    ("9 months", "month"), ("1 year", "year"), ("300 troops", "troop"), ("12 Casualties", "casualty"),
    ("2 weeks", "week"), ("3 boxes", "box"), ("4 hours", "hour"), ("2 days", "day"),
])
def test_quantities_store_a_singular_lower_case_unit(written, unit):
    v = body(f"duration(x) == {written}").value
    assert isinstance(v, QuantityLit)
    assert v.value.unit == unit
    assert v.text == written


def test_entity_names_bare_quoted_and_multi_word():
    assert body("backers(LNA) includes Haftar's forces").value == EntityLit("Haftar's forces", False, Pos(1, 23))
    assert body("backers(LNA) includes U.N.").value.name == "U.N."
    assert body("backers(LNA) includes al-Sarraj").value.name == "al-Sarraj"
    assert body("backers(LNA) includes   United    Arab  Emirates").value.name == "United Arab Emirates"
    assert body('backers(LNA) includes "Bosnia and Herzegovina"').value == EntityLit(
        "Bosnia and Herzegovina", True, Pos(1, 23))
    assert body(r'backers(LNA) includes "say \"hi\" \\ bye"').value.name == 'say "hi" \\ bye'


def test_keywords_inside_names_and_arguments():
    """`in`, `not`, `all`, `test`... are words where an operator cannot come."""
    fact = body("date(talks in Moscow and not all test use) == 2020").fact
    assert fact.argument == "talks in Moscow and not all test use"
    assert body("backers(x) includes Saint Vincent in the Grenadines").value.name == \
        "Saint Vincent in the Grenadines"
    assert body("backers(x) includes Andorra").value.name == "Andorra"  # not `and` + `orra`
    assert body("backers(x) includes Notre Dame").value.name == "Notre Dame"


def test_sets():
    v = body('backers(LNA) includes all {UAE, Egypt, "United States", 2011, 2020-01, 9 months}').value
    assert isinstance(v, SetLit) and v.pos == Pos(1, 27)
    assert [type(i).__name__ for i in v.items] == ["EntityLit", "EntityLit", "EntityLit", "NumberLit", "DateLit",
                                                   "QuantityLit"]
    assert [i.pos.column for i in v.items] == [28, 33, 40, 57, 63, 72]
    assert body("backers(x) in {Russia}").value.items == (EntityLit("Russia", False, Pos(1, 16)),)


# ----------------------------------------------------------------------------- operators and expressions


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">=", "includes", "excludes", "includes all",
                                "includes any", "in", "~="])
def test_every_operator(op):
    c = body(f"f(x) {op} {{A}}")
    assert isinstance(c, Comparison)
    assert c.op == op
    assert c.op_pos == Pos(1, 6)
    assert c.pos == Pos(1, 1)


def test_operators_without_spaces():
    c = body("date(x)<=2020-01-19")
    assert (c.op, c.value.text, c.op_pos, c.value.pos) == ("<=", "2020-01-19", Pos(1, 8), Pos(1, 10))


def test_fact_reference_positions_and_quoting():
    f = body("date( Berlin  summit ) == 2020").fact
    assert (f.predicate, f.argument, f.quoted, f.pos, f.arg_pos) == ("date", "Berlin summit", False, Pos(1, 1),
                                                                    Pos(1, 7))
    f = body('date("Berlin, the summit") == 2020').fact
    assert (f.argument, f.quoted, f.arg_pos) == ("Berlin, the summit", True, Pos(1, 6))


def test_boolean_predicates_stand_alone():
    b = body("mentions(Jordan)")
    assert b == BoolFact(b.fact, Pos(1, 1)) and b.fact.argument == "Jordan"
    n = body("not mentions(France)")
    assert isinstance(n, Not) and n.pos == Pos(1, 1) and n.operand.fact.argument == "France"


def test_precedence_not_over_and_over_or():
    e = body("mentions(a) or mentions(b) and not mentions(c)")
    assert isinstance(e, Or) and isinstance(e.right, And) and isinstance(e.right.right, Not)
    assert e.left.fact.argument == "a"
    e = body("not mentions(a) and mentions(b)")
    assert isinstance(e, And) and isinstance(e.left, Not)
    e = body("not backers(LNA) includes France")
    assert isinstance(e, Not) and isinstance(e.operand, Comparison)


def test_and_or_are_left_associative_and_parentheses_group():
    e = body("mentions(a) or mentions(b) or mentions(c)")
    assert isinstance(e.left, Or) and e.right.fact.argument == "c"
    e = body("(mentions(a) or mentions(b)) and mentions(c)")
    assert isinstance(e, And) and isinstance(e.left, Or)
    assert e.pos == Pos(1, 2)  # And and Or take the position of their left operand


def test_comparisons_combine_with_and():
    e = body("date(x) == 2020-01-19 and backers(LNA) includes Russia")
    assert isinstance(e, And)
    assert e.left.value.text == "2020-01-19" and e.right.value.name == "Russia"
    assert e.right.pos == Pos(1, 27)


def test_consistent():
    c = body("consistent date(Berlin summit)")
    assert isinstance(c, Consistent) and c.pos == Pos(1, 1)
    assert (c.fact.predicate, c.fact.argument, c.fact.pos) == ("date", "Berlin summit", Pos(1, 12))


# ----------------------------------------------------------------------------- structure


def test_comments_blank_lines_and_assertion_text():
    rf = parse_text(
        "# heading\n\n   \n"
        "backers(LNA)   includes  all {UAE,  Egypt, \"United  States\"}   # a comment\n"
        "# trailing comment\n"
    )
    (a,) = rf.assertions
    assert a.text == 'backers(LNA) includes all {UAE, Egypt, "United  States"}'
    assert a.pos == Pos(4, 1)


def test_assertion_text_keeps_a_hash_inside_quotes():
    (a,) = parse_text('backers("#1 party")   includes "C#"  # the comment').assertions
    assert a.text == 'backers("#1 party") includes "C#"'
    assert a.body.value.name == "C#"


def test_assertion_text_keeps_parentheses_and_not():
    (a,) = parse_text("  (mentions(a) or not mentions(b))  and mentions(c)").assertions
    assert a.text == "(mentions(a) or not mentions(b)) and mentions(c)"
    assert a.pos == Pos(1, 3)


def test_bare_assertions_are_tests_of_their_own():
    rf = parse_text("mentions(a)\nmentions(b)\n")
    assert [(t.name, len(t.assertions), t.pos) for t in rf.tests] == [(None, 1, Pos(1, 1)), (None, 1, Pos(2, 1))]
    assert all(a.test is None and a.severity == "error" and a.skip is None for a in rf.assertions)


def test_test_blocks_and_decorators():
    rf = parse_text(
        'test "plain":\n'
        "    mentions(a)\n"
        "\n"
        "    # a comment between assertions\n"
        "    mentions(b)\n"
        "@warning\n"
        '@skip "waiting"\n'
        'test "decorated":\n'
        "\tmentions(c)\n"
        "@info\n"
        "mentions(d)\n"
    )
    plain, decorated, bare = rf.tests
    assert plain.name == "plain" and plain.pos == Pos(1, 1)
    assert [a.text for a in plain.assertions] == ["mentions(a)", "mentions(b)"]
    assert [a.pos for a in plain.assertions] == [Pos(2, 5), Pos(5, 5)]
    assert [(d.name, d.arg, d.pos) for d in decorated.decorators] == [("warning", None, Pos(6, 1)),
                                                                      ("skip", "waiting", Pos(7, 1))]
    (c,) = decorated.assertions
    assert (c.test, c.severity, c.skip, c.pos) == ("decorated", "warning", "waiting", Pos(9, 2))
    (d,) = bare.assertions
    assert (bare.name, d.severity, d.skip) == (None, "info", None)
    assert bare.decorators[0].pos == Pos(10, 1)


def test_use_statements():
    rf = parse_text('use "a.yaml"\nuse "kb/b c.entities.yaml"  # second\nmentions(x)\n')
    assert [(u.path, u.pos) for u in rf.uses] == [("a.yaml", Pos(1, 1)), ("kb/b c.entities.yaml", Pos(2, 1))]


def test_windows_line_endings_and_no_final_newline():
    rf = parse_text('test "t":\r\n    mentions(a)\r\n    mentions(b)')
    assert [a.text for a in rf.tests[0].assertions] == ["mentions(a)", "mentions(b)"]


def test_parse_file_reads_utf8_with_bom(tmp_path):
    path = tmp_path / "r.fc"
    path.write_bytes("\ufeffmentions(Erdoğan)\n".encode("utf-8"))
    rf = parse_file(path)
    assert rf.path == str(path) and rf.assertions[0].body.fact.argument == "Erdoğan"


# ----------------------------------------------------------------------------- type checker (good files)


def test_checker_accepts_well_typed_rules_and_plugin_predicates():
    preds = dict(BUILTIN_PREDICATES)
    preds["headline"] = PredicateSpec("headline", THING, STRING)
    rf = parse_text(EVERY_FORM.replace("duration(\"the siege\") in {2 weeks, 3 days}\n", "")
                    .replace("duration(war) >= -1.5\n", "")
                    .replace("leader(GNA) == {Serraj, Maiteeq}\n", "leader(GNA) == {Serraj, \"Maiteeq\"}\n")
                    .replace("mentions(x)", "mentions(X)"))
    checked = check(rf, preds)
    years = [a.body.left.value.items[0] for a in checked.assertions if a.text.startswith("date(talks")]
    assert years == [DateLit(DateValue.year(2019), "2019", years[0].pos)]
    assert check_all([rf, parse_file(LIBYA)], preds) == []


def test_check_all_collects_every_error_of_every_file():
    bad = parse_text("backer(x) includes Russia\ndate(x) includes Russia\nmentions(x) and date(y) == Monday\n",
                     "bad.fc")
    errors = check_all([parse_file(LIBYA), bad], BUILTIN_PREDICATES)
    assert [type(e) for e in errors] == [RuleTypeError] * 3
    assert [(e.file, e.line, e.column) for e in errors] == [("bad.fc", 1, 1), ("bad.fc", 2, 9), ("bad.fc", 3, 28)]
