"""Date expressions resolved against a publication date, by tense (no parsing needed)."""
from __future__ import annotations

import datetime as dt

import pytest

from factcheck.extract.dates import is_duration, resolve
from factcheck.extract.tense import FUTURE, PAST, PRESENT, UNKNOWN
from factcheck.model import DAY, MONTH, RANGE, WEEK, YEAR, DateValue
from factcheck.engine.values import date_test

pytestmark = pytest.mark.nlp  # imports the extraction modules, which import spaCy

PUB = dt.date(2020, 1, 14)  # a Tuesday


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


@pytest.mark.parametrize("text,tense,start,end,gran", [
    ("Sunday", FUTURE, "2020-01-19", "2020-01-19", DAY),
    ("on Sunday", PAST, "2020-01-12", "2020-01-12", DAY),
    ("Sunday", UNKNOWN, "2020-01-12", "2020-01-19", RANGE),
    ("Tuesday", PAST, "2020-01-14", "2020-01-14", DAY),
    ("Tuesday", UNKNOWN, "2020-01-14", "2020-01-14", DAY),
    ("Monday evening", PAST, "2020-01-13", "2020-01-13", DAY),
    ("last Friday", UNKNOWN, "2020-01-10", "2020-01-10", DAY),
    ("next Monday", UNKNOWN, "2020-01-20", "2020-01-20", DAY),
    ("yesterday", PAST, "2020-01-13", "2020-01-13", DAY),
    ("today", PRESENT, "2020-01-14", "2020-01-14", DAY),
    ("tomorrow", FUTURE, "2020-01-15", "2020-01-15", DAY),
    ("last week", PAST, "2020-01-06", "2020-01-12", WEEK),
    ("next week", FUTURE, "2020-01-20", "2020-01-26", WEEK),
    ("this weekend", FUTURE, "2020-01-18", "2020-01-19", RANGE),
    ("last weekend", UNKNOWN, "2020-01-11", "2020-01-12", RANGE),
    ("the weekend", PAST, "2020-01-11", "2020-01-12", RANGE),
    ("next weekend", UNKNOWN, "2020-01-25", "2020-01-26", RANGE),
    ("Jan. 12", PAST, "2020-01-12", "2020-01-12", DAY),
    ("Jan. 12", UNKNOWN, "2020-01-12", "2020-01-12", DAY),
    ("December 21", PAST, "2019-12-21", "2019-12-21", DAY),
    ("December 21", UNKNOWN, "2019-12-21", "2019-12-21", DAY),
    ("December 21", FUTURE, "2020-12-21", "2020-12-21", DAY),
    ("21 December", PAST, "2019-12-21", "2019-12-21", DAY),
    ("January 19", FUTURE, "2020-01-19", "2020-01-19", DAY),
    ("in April", PAST, "2019-04-01", "2019-04-30", MONTH),
    ("April", FUTURE, "2020-04-01", "2020-04-30", MONTH),
    ("November last year", UNKNOWN, "2019-11-01", "2019-11-30", MONTH),
    ("earlier this month", PAST, "2020-01-01", "2020-01-13", RANGE),
    ("later this month", FUTURE, "2020-01-15", "2020-01-31", RANGE),
    ("this month", PAST, "2020-01-01", "2020-01-31", MONTH),
    ("last month", PAST, "2019-12-01", "2019-12-31", MONTH),
    ("next month", FUTURE, "2020-02-01", "2020-02-29", MONTH),
    ("last year", PAST, "2019-01-01", "2019-12-31", YEAR),
    ("next year", FUTURE, "2021-01-01", "2021-12-31", YEAR),
    ("earlier this year", PAST, "2020-01-01", "2020-01-13", RANGE),
    ("later this year", FUTURE, "2020-01-15", "2020-12-31", RANGE),
    ("two months ago", PAST, "2019-11-01", "2019-11-30", MONTH),
    ("three years ago", PAST, "2017-01-01", "2017-12-31", YEAR),
    ("three days ago", PAST, "2020-01-11", "2020-01-11", DAY),
    ("two weeks ago", PAST, "2019-12-30", "2020-01-05", WEEK),
    ("January 19, 2020", UNKNOWN, "2020-01-19", "2020-01-19", DAY),
    ("19 January 2020", UNKNOWN, "2020-01-19", "2020-01-19", DAY),
    ("February 2019", UNKNOWN, "2019-02-01", "2019-02-28", MONTH),
    ("in 2011", UNKNOWN, "2011-01-01", "2011-12-31", YEAR),
    ("2020-01-19", UNKNOWN, "2020-01-19", "2020-01-19", DAY),
])
def test_resolve(text, tense, start, end, gran):
    value, _ = resolve(text, PUB, tense)
    assert (value.start, value.end, value.granularity) == (d(start), d(end), gran)


def test_absolute_dates_are_not_relative():
    assert resolve("January 19, 2020", PUB, UNKNOWN)[1] is False
    assert resolve("Sunday", PUB, FUTURE)[1] is True


def test_following_day_needs_a_previous_date():
    prev, _ = resolve("January 19, 2020", PUB, UNKNOWN)
    assert resolve("the following day", PUB, PAST, prev)[0].start == d("2020-01-20")
    assert resolve("the following day", PUB, PAST, None) is None
    assert resolve("the day before", PUB, PAST, prev)[0].start == d("2020-01-18")
    assert resolve("the day before", PUB, PAST, resolve("January 2020", PUB, UNKNOWN)[0]) is None  # no day to count from


def test_relative_dates_need_a_publication_date():
    assert resolve("Sunday", None, FUTURE) is None
    assert resolve("19 January 2020", None, PAST)[0].start == d("2020-01-19")


def test_a_month_day_without_any_year_stays_a_month_day():
    """SPEC §3: no year and no publication date: the article's year, else month-day precision."""
    md = resolve("December 21", None, PAST)[0]
    assert str(md) == "--12-21" and md.granularity == "monthday"
    assert resolve("December 21", None, PAST, year=2019)[0] == DateValue.day(d("2019-12-21"))
    assert date_test(md, "==", DateValue.day(d("2020-12-21"))) == "pass"
    assert date_test(md, "==", DateValue.day(d("2020-12-22"))) == "fail"
    assert date_test(md, "<", DateValue.day(d("2020-12-22"))) == "unknown"  # no year: no order
    assert date_test(md, "==", DateValue.month(2020, 12)) == "unknown"


def test_a_time_of_day_is_part_of_the_date():
    pub = d("2020-10-20")
    assert resolve("October 10, 12:00", pub, PAST)[0] == DateValue.day(d("2020-10-10"))
    assert resolve("midnight of October 18", pub, PAST)[0] == DateValue.day(d("2020-10-18"))


def test_durations_are_not_dates():
    assert is_duration("nine months")
    assert is_duration("nine-month")
    assert not is_duration("two weeks ago")
    assert not is_duration("last week")
    assert not is_duration("Sunday")


def test_impossible_dates_are_dropped():
    assert resolve("February 30, 2020", PUB, UNKNOWN) is None


@pytest.mark.parametrize("text", ["February 29", "February 30", "3000 years ago", "99999999 days ago", "January 0000"])
def test_impossible_relative_dates_are_dropped_not_raised(text):
    assert resolve(text, dt.date(2022, 3, 1), UNKNOWN) is None
