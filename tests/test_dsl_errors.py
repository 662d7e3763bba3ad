"""Rule-file mistakes: each one's exact message, position, hint and caret context.

Syntax errors come from the parser (`RuleSyntaxError`), type errors from the checker
(`RuleTypeError`), both as `file:line:col: message; hint` plus the line and a caret.
"""
from __future__ import annotations

import pytest

from factcheck.dsl import check, check_all, parse_file, parse_text
from factcheck.errors import FactcheckError, RuleSyntaxError, RuleTypeError
from factcheck.predicates import BUILTIN_PREDICATES

VALUE_HINT = "write a date (2020-01-19), a number, a quantity (9 months), a name or a set {A, B}"
INDENT_HINT = "only the assertions of a test block are indented, all by the same amount; start this line at column 1"

MISTAKES = [
    ('missing_paren_before_op', 'date(Berlin summit == 2020-01-19',
     RuleSyntaxError, 'missing `)` to close `date(`', 1, 20,
     'close the argument before the operator, e.g. `date(Berlin summit) == 2020-01-19`',
     'date(Berlin summit == 2020-01-19\n                   ^'),
    ('missing_paren_end_of_line', 'backers(LNA\n',
     RuleSyntaxError, 'missing `)` to close `backers(`', 1, 12,
     'close the argument before the operator, e.g. `date(Berlin summit) == 2020-01-19`',
     'backers(LNA\n           ^'),
    ('unterminated_string', 'use "libya.yaml\nmentions(x)\n',
     RuleSyntaxError, 'unterminated string: the closing `"` is missing', 1, 5,
     'close the string on the same line: "Berlin summit"',
     'use "libya.yaml\n    ^'),
    ('single_equals', 'date(Berlin summit) = 2020-01-19',
     RuleSyntaxError, '`=` is not an operator', 1, 21,
     'did you mean `==`?',
     'date(Berlin summit) = 2020-01-19\n                    ^'),
    ('reversed_le', 'date(x) =< 2020-01-19',
     RuleSyntaxError, '`=<` is not an operator', 1, 9,
     'did you mean `<=`?',
     'date(x) =< 2020-01-19\n        ^'),
    ('missing_value', 'date(Berlin summit) ==',
     RuleSyntaxError, 'missing value after `==`', 1, 23,
     VALUE_HINT,
     'date(Berlin summit) ==\n                      ^'),
    ('missing_value_before_and', 'date(x) < and mentions(y)',
     RuleSyntaxError, 'missing value after `<`', 1, 11,
     VALUE_HINT,
     'date(x) < and mentions(y)\n          ^'),
    ('test_without_colon', 'test "Who signed"\n    signed(ceasefire) includes Serraj\n',
     RuleSyntaxError, 'missing `:` after the test name', 1, 18,
     'end the line with a colon: test "name":',
     'test "Who signed"\n                 ^'),
    ('empty_test_block_at_end', 'mentions(a)\ntest "Empty":\n',
     RuleSyntaxError, 'test "Empty" has no assertions', 2, 1,
     'indent its assertions under it, e.g. `    date(Berlin summit) == 2020-01-19`',
     'test "Empty":\n^'),
    ('empty_test_block_followed_by_bare', 'test "Empty":\n\nmentions(a)\n',
     RuleSyntaxError, 'test "Empty" has no assertions', 1, 1,
     'indent its assertions under it, e.g. `    date(Berlin summit) == 2020-01-19`',
     'test "Empty":\n^'),
    ('unquoted_test_name', 'test Who signed:\n    mentions(a)\n',
     RuleSyntaxError, '`test` needs a quoted string, found `Who`', 1, 6,
     'write test "Who signed the ceasefire":',
     'test Who signed:\n     ^'),
    ('unclosed_set', 'backers(LNA) includes all {UAE, Egypt',
     RuleSyntaxError, 'missing `}`: the set opened at column 27 is not closed', 1, 38,
     'close it: {UAE, Egypt, Jordan}',
     'backers(LNA) includes all {UAE, Egypt\n                                     ^'),
    ('stray_words', 'date(x) == 2020-01-19 extra words',
     RuleSyntaxError, 'unexpected `extra` after the assertion', 1, 23,
     'one assertion per line; to combine two, put `and` or `or` between them; a name with several words goes in quotes',
     'date(x) == 2020-01-19 extra words\n                      ^'),
    ('misspelt_and', 'date(x) == 2020-01-19 adn mentions(y)',
     RuleSyntaxError, 'unexpected `adn` after the assertion', 1, 23,
     'did you mean `and`?',
     'date(x) == 2020-01-19 adn mentions(y)\n                      ^'),
    ('misspelt_operator', '    backers(LNA) includs Russia',
     RuleSyntaxError, 'unknown operator `includs`', 1, 18,
     'did you mean `includes`?',
     '    backers(LNA) includs Russia\n                 ^'),
    ('english_operator', 'leader(GNA) is Serraj',
     RuleSyntaxError, 'unknown operator `is`', 1, 13,
     'did you mean `==`?',
     'leader(GNA) is Serraj\n            ^'),
    ('unknown_operator', 'backers(LNA) frobnicates Russia',
     RuleSyntaxError, 'expected an operator, found `frobnicates`', 1, 14,
     'the operators are ==, !=, <, <=, >, >=, includes, excludes, in',
     'backers(LNA) frobnicates Russia\n             ^'),
    ('unknown_decorator', '@warn\nmentions(x)\n',
     RuleSyntaxError, 'unknown decorator `@warn`', 1, 1,
     'did you mean `@warning`?',
     '@warn\n^'),
    ('skip_without_reason', '@skip\nmentions(x)\n',
     RuleSyntaxError, '`@skip` needs a reason', 1, 1,
     'say why in quotes: @skip "waiting for the desk to confirm"',
     '@skip\n^'),
    ('decorator_with_argument', '@warning "why"\nmentions(x)\n',
     RuleSyntaxError, '`@warning` takes no argument', 1, 10,
     'write `@warning` alone on its line',
     '@warning "why"\n         ^'),
    ('invalid_month', 'start(ceasefire) == 2020-13-01',
     RuleSyntaxError, 'invalid date `2020-13-01`: month must be 01..12', 1, 21,
     'dates are written YYYY-MM-DD, e.g. 2020-01-19',
     'start(ceasefire) == 2020-13-01\n                    ^'),
    ('invalid_day', 'start(ceasefire) == 2021-02-29',
     RuleSyntaxError, 'invalid date `2021-02-29`: day must be 01..28 in 2021-02', 1, 21,
     'dates are written YYYY-MM-DD, e.g. 2020-01-19',
     'start(ceasefire) == 2021-02-29\n                    ^'),
    ('unpadded_date', 'start(ceasefire) == 2020-1-5',
     RuleSyntaxError, 'date `2020-1-5` is not written YYYY-MM-DD', 1, 21,
     'write it with two-digit month and day: `2020-01-05`',
     'start(ceasefire) == 2020-1-5\n                    ^'),
    ('bad_dedent', 'test "t":\n    mentions(a)\n  mentions(b)\n',
     RuleSyntaxError, 'bad indentation: 2 columns matches no block around this line (expected 0 or 4)', 3, 3,
     'indent every assertion of a test block by the same amount',
     '  mentions(b)\n  ^'),
    ('unexpected_indent', 'mentions(a)\n    mentions(b)\n',
     RuleSyntaxError, 'unexpected indentation', 2, 5,
     INDENT_HINT,
     '    mentions(b)\n    ^'),
    ('deeper_indent_in_block', 'test "t":\n    mentions(a)\n        mentions(b)\n',
     RuleSyntaxError, 'unexpected indentation', 3, 9,
     INDENT_HINT,
     '        mentions(b)\n        ^'),
    ('empty_argument', 'date() == 2020',
     RuleSyntaxError, '`date()` needs an argument', 1, 6,
     'name what it is about, e.g. `date(Berlin summit)`',
     'date() == 2020\n     ^'),
    ('predicate_without_parentheses', 'date Berlin summit == 2020',
     RuleSyntaxError, 'expected `(` after `date`', 1, 6,
     'a fact is written predicate(argument), e.g. `date(Berlin summit)`',
     'date Berlin summit == 2020\n     ^'),
    ('consistent_without_fact', 'consistent 2020',
     RuleSyntaxError, 'expected a fact after `consistent`, found `2020`', 1, 12,
     'write `consistent date(Berlin summit)`',
     'consistent 2020\n           ^'),
    ('assertion_starting_with_value', '2020-01-19 == date(x)',
     RuleSyntaxError, 'an assertion cannot start with `2020-01-19`', 1, 1,
     'start with a fact: `date(Berlin summit) == 2020-01-19`',
     '2020-01-19 == date(x)\n^'),
    ('decorator_inside_block', 'test "t":\n    mentions(a)\n    @warning\n    mentions(b)\n',
     RuleSyntaxError, 'a decorator inside a test block', 3, 5,
     'put decorators on the lines before `test`, they apply to all its assertions',
     '    @warning\n    ^'),
    ('decorator_at_end', 'mentions(a)\n@warning\n',
     RuleSyntaxError, 'a decorator must be followed by a test or an assertion', 2, 9,
     'put the test or the assertion on the next line, e.g. `date(Berlin summit) == 2020-01-19`',
     '@warning\n        ^'),
    ('two_severities', '@warning\n@info\nmentions(x)\n',
     RuleSyntaxError, 'two severities: `@warning` and `@info`', 2, 1,
     'a test has one severity; keep one',
     '@info\n^'),
    ('skip_twice', '@skip "a"\n@skip "b"\nmentions(x)\n',
     RuleSyntaxError, '`@skip` given twice', 2, 1,
     'keep one; the first is on line 1',
     '@skip "b"\n^'),
    ('duplicate_test_name', 'test "a":\n    mentions(a)\n\ntest "a":\n    mentions(b)\n',
     RuleSyntaxError, 'duplicate test name "a"', 4, 1,
     'the first test of that name is on line 1; give each test its own name',
     'test "a":\n^'),
    ('empty_set', 'backers(LNA) includes any {}',
     RuleSyntaxError, 'empty set `{}`', 1, 27,
     'list at least one member, e.g. {UAE, Egypt}',
     'backers(LNA) includes any {}\n                          ^'),
    ('missing_operator', 'date(x) 2020-01-19',
     RuleSyntaxError, 'missing operator before `2020-01-19`', 1, 9,
     'e.g. `date(Berlin summit) == 2020-01-19`',
     'date(x) 2020-01-19\n        ^'),
    ('curly_quotes', 'mentions(“Jordan”)',
     RuleSyntaxError, 'curly quote `“`', 1, 10,
     'use straight double quotes: "Berlin summit"',
     'mentions(“Jordan”)\n         ^'),
    ('unclosed_group', '(mentions(x) or mentions(y)',
     RuleSyntaxError, 'missing `)`: the `(` at column 1 is not closed', 1, 28,
     'close it on the same line',
     '(mentions(x) or mentions(y)\n                           ^'),
    ('keyword_in_bare_name', 'backers(LNA) includes Bosnia and Herzegovina',
     RuleSyntaxError, 'expected `(` after `Herzegovina`', 1, 45,
     '`and` joins two assertions; if this is one name, put it in quotes: "Bosnia and Herzegovina"',
     'backers(LNA) includes Bosnia and Herzegovina\n                                            ^'),
    ('unquoted_use_path', 'use libya.entities.yaml',
     RuleSyntaxError, '`use` needs a quoted string, found `libya.entities.yaml`', 1, 5,
     'write use "libya.entities.yaml"',
     'use libya.entities.yaml\n    ^'),
    ('at_without_name', '@\nmentions(x)',
     RuleSyntaxError, '`@` without a decorator name', 1, 1,
     'the decorators are @warning, @info and @skip "reason"',
     '@\n^'),
    ('dangling_not', 'not',
     RuleSyntaxError, '`not` needs an assertion after it', 1, 4,
     'e.g. `not mentions(France)`',
     'not\n   ^'),
    ('dangling_or', 'mentions(x) or',
     RuleSyntaxError, '`or` needs an assertion after it', 1, 15,
     'e.g. `mentions(Jordan) or mentions(Egypt)`',
     'mentions(x) or\n              ^'),
    ('decorated_use', '@warning\nuse "kb.yaml"\nmentions(x)\n',
     RuleSyntaxError, '`@warning` cannot decorate `use`', 1, 1,
     'decorators go before a test or an assertion',
     '@warning\n^'),
    ('empty_test_name', 'test "":\n    mentions(x)\n',
     RuleSyntaxError, 'a test needs a name', 1, 6,
     'describe what it checks: test "Who signed the ceasefire":',
     'test "":\n     ^'),
    ('unknown_predicate', 'backer(LNA) includes Russia',
     RuleTypeError, 'unknown predicate `backer`', 1, 1,
     'did you mean `backers`?',
     'backer(LNA) includes Russia\n^'),
    ('unknown_predicate_far', 'frobnicate(LNA) includes Russia',
     RuleTypeError, 'unknown predicate `frobnicate`', 1, 1,
     'the predicates are attendees, backers, date, duration, hosts, leader, mentions, signed, start',
     'frobnicate(LNA) includes Russia\n^'),
    ('operator_does_not_fit', 'date(x) includes 2020-01-19',
     RuleTypeError, 'operator `includes` does not fit `date`, which yields a date', 1, 9,
     'use one of: ==, !=, <, <=, >, >=, in',
     'date(x) includes 2020-01-19\n        ^'),
    ('number_for_entities', 'backers(x) includes 2011',
     RuleTypeError, '`2011` is a number, but `backers` compares with entities', 1, 21,
     'e.g. `backers(LNA) includes Russia`',
     'backers(x) includes 2011\n                    ^'),
    ('entity_for_date', 'date(Berlin summit) == Sunday',
     RuleTypeError, '`Sunday` is a name, but `date` compares with dates', 1, 24,
     'e.g. `date(Berlin summit) == 2020-01-19`',
     'date(Berlin summit) == Sunday\n                       ^'),
    ('non_time_duration', 'duration(Tripoli offensive) == 300 troops',
     RuleTypeError, '`300 troops` is not a duration: `duration` compares with time', 1, 32,
     'use a unit of time: hours, days, weeks, months or years',
     'duration(Tripoli offensive) == 300 troops\n                               ^'),
    ('number_for_duration', 'duration(Tripoli offensive) == 9',
     RuleTypeError, '`9` is a number, but `duration` compares with durations', 1, 32,
     'e.g. `duration(Tripoli offensive) == 9 months`',
     'duration(Tripoli offensive) == 9\n                               ^'),
    ('includes_all_without_set', 'backers(LNA) includes all Russia',
     RuleTypeError, '`includes all` needs a set', 1, 27,
     'write the members in braces: `includes all {Russia, ...}`',
     'backers(LNA) includes all Russia\n                          ^'),
    ('in_without_set', 'leader(GNA) in Serraj',
     RuleTypeError, '`in` needs a set', 1, 16,
     'write the members in braces: `in {Serraj, ...}`',
     'leader(GNA) in Serraj\n               ^'),
    ('includes_a_set', 'backers(LNA) includes {UAE, Egypt}',
     RuleTypeError, '`includes` takes one member, not a set', 1, 23,
     'write `includes all {UAE, Egypt}` or `includes any {UAE, Egypt}`',
     'backers(LNA) includes {UAE, Egypt}\n                      ^'),
    ('ordered_op_with_set', 'date(x) < {2019, 2020}',
     RuleTypeError, '`<` compares with one value, not a set', 1, 11,
     'to accept any of several values write `in {2019, 2020}`',
     'date(x) < {2019, 2020}\n          ^'),
    ('boolean_with_operator', 'mentions(Jordan) == Jordan',
     RuleTypeError, '`mentions` stands alone: it is true or false and takes no operator', 1, 18,
     'write `mentions(Jordan)` or `not mentions(Jordan)`',
     'mentions(Jordan) == Jordan\n                 ^'),
    ('value_predicate_alone', 'not backers(LNA)',
     RuleTypeError, '`backers` yields a set of entities, so it needs an operator and a value', 1, 5,
     'e.g. `backers(LNA) includes Russia`',
     'not backers(LNA)\n    ^'),
    ('consistent_boolean', 'consistent mentions(Jordan)',
     RuleTypeError, '`consistent` needs a predicate with a value, but `mentions` is true or false', 1, 12,
     'consistent compares the value each source states, e.g. `consistent date(Berlin summit)`',
     'consistent mentions(Jordan)\n           ^'),
    ('wrong_item_in_set', 'date(x) in {2019, Monday}',
     RuleTypeError, '`Monday` is a name, but `date` compares with dates', 1, 19,
     'e.g. `date(Berlin summit) == 2020-01-19`',
     'date(x) in {2019, Monday}\n                  ^'),
]


def error_of(source: str) -> FactcheckError:
    with pytest.raises(FactcheckError) as info:
        check(parse_text(source, "r.fc"), BUILTIN_PREDICATES, text=source)
    return info.value


@pytest.mark.parametrize("name, source, kind, message, line, column, hint, context", MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_mistake_is_reported_with_position_hint_and_caret(name, source, kind, message, line, column, hint,
                                                          context):
    err = error_of(source)
    assert type(err) is kind
    assert (err.message, err.file, err.line, err.column) == (message, "r.fc", line, column)
    assert err.hint == hint
    assert err.context == context


def test_mistakes_are_distinct():
    assert len({m[0] for m in MISTAKES}) == len(MISTAKES)
    assert len({m[3] for m in MISTAKES}) >= 50


def test_rendered_error_is_one_headline_then_the_caret():
    err = error_of("backer(LNA) includes Russia")
    assert err.render() == ("r.fc:1:1: unknown predicate `backer`; did you mean `backers`?\n"
                            "backer(LNA) includes Russia\n^")


def test_error_on_a_later_line_of_a_larger_file():
    source = "# header\nuse \"kb.yaml\"\n\ntest \"t\":\n    mentions(a)\n    date(x) == 2020-00-10  # c\n"
    err = error_of(source)
    assert (err.line, err.column, err.message) == (6, 16, "invalid date `2020-00-10`: month must be 01..12")
    assert err.context == "    date(x) == 2020-00-10  # c\n               ^"


def test_caret_counts_tabs_as_four_columns():
    err = error_of('test "t":\n\tbackers(LNA) includs Russia\n')
    assert (err.line, err.column) == (2, 15)
    assert err.context == "    backers(LNA) includs Russia\n                 ^"


def test_type_error_context_is_read_from_the_rule_file(tmp_path):
    path = tmp_path / "r.fc"
    path.write_text("mentions(a)\nbackers(x) includes 2011\n", encoding="utf-8")
    with pytest.raises(RuleTypeError) as info:
        check(parse_file(path), BUILTIN_PREDICATES)
    assert info.value.render() == (
        f"{path}:2:21: `2011` is a number, but `backers` compares with entities; "
        "e.g. `backers(LNA) includes Russia`\nbackers(x) includes 2011\n                    ^")
    assert [e.line for e in check_all([parse_file(path)], BUILTIN_PREDICATES)] == [2]


# ----------------------------------------------------------------------------- whole files


@pytest.mark.parametrize("source", ["", "\n\n   \n", "# only a comment\n", 'use "kb.yaml"\n# nothing else\n'])
def test_a_file_without_assertions_is_an_error_with_a_hint(source):
    with pytest.raises(RuleSyntaxError) as info:
        parse_text(source, "empty.fc")
    err = info.value
    assert err.message == "rule file has no assertions"
    assert err.hint == ('write one per line, e.g. `date(Berlin summit) == 2020-01-19`, '
                        'or group them under test "name":')
    assert err.file == "empty.fc" and err.line is None


def test_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.fc"
    path.write_bytes("mentions(a)\nmentions(Erdo\u011fan)\n".encode("utf-8")[:12] + b"mentions(Caf\xe9)\n")
    with pytest.raises(RuleSyntaxError) as info:
        parse_file(path)
    err = info.value
    assert (err.message, err.file, err.line, err.column) == ("rule file is not UTF-8 (byte 24)", str(path), 2, 13)
    assert err.hint == "save the file with UTF-8 encoding"


def test_a_missing_rule_file(tmp_path):
    path = tmp_path / "nope.fc"
    with pytest.raises(RuleSyntaxError) as info:
        parse_file(path)
    assert info.value.message == "cannot read rule file: No such file or directory"
    assert info.value.file == str(path)
    assert info.value.hint == "check the path and its permissions"


def test_a_directory_is_not_a_rule_file(tmp_path):
    with pytest.raises(RuleSyntaxError) as info:
        parse_file(tmp_path)
    assert info.value.message == "cannot read rule file: it is a directory, not a file"


def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path):
    """A named pipe would hang the read forever, /dev/zero never end: both refused at once."""
    import os

    os.mkfifo(tmp_path / "pipe.fc")
    with pytest.raises(RuleSyntaxError) as info:
        parse_file(tmp_path / "pipe.fc")
    assert info.value.message == "cannot read rule file: it is a named pipe (FIFO), not a file"
    with pytest.raises(RuleSyntaxError) as info:
        parse_file("/dev/zero")
    assert info.value.message == "cannot read rule file: it is a device, not a file"


def test_syntax_errors_are_factcheck_errors_with_exit_code_2():
    with pytest.raises(FactcheckError) as info:
        parse_text("date(x) = 2020")
    assert info.value.exit_code == 2
    assert str(info.value) == "<string>:1:9: `=` is not an operator; did you mean `==`?"
