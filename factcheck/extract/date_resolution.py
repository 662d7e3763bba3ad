"""Date expressions resolved to values: absolute forms ("January 19, 2020", "Jan. 12",
"December 21", "in April", "2011") and relative ones ("on Sunday", "yesterday", "last week",
"this weekend", "earlier this month", "three days ago", "the following day").

A form without a year, or a weekday, is placed by the tense given (of its governing verb):
the past picks the last occurrence on or before the publication date, the future the next
one on or after it. When the tense says nothing, a weekday stays a range (too vague to pass
or fail) and a month-day takes the nearest occurrence. Granularity is kept: day, week,
month, year, range. Without a publication date, relative expressions stay unresolved (None).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from factcheck.extract.quantities import parse_number
from factcheck.extract.tense import FUTURE, PAST, UNKNOWN
from factcheck.model import RANGE, WEEK, DateValue

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
PARTS_OF_DAY = r"(?:morning|afternoon|evening|night)"
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)


def resolve(text: str, published: dt.date | None, tense: str = UNKNOWN, previous: DateValue | None = None,
            year: int | None = None):
    """(DateValue, relative?) for a date expression, or None when it cannot be placed
    (including impossible ones: "February 30", "3000 years ago")."""
    try:
        return _resolve(text, published, tense, previous, year)
    except (ValueError, OverflowError):
        return None


def _resolve(text: str, published: dt.date | None, tense: str, previous: DateValue | None, year: int | None = None):
    low = re.sub(r"\s+", " ", text.lower()).strip(" ,.")
    low = re.sub(r"^(?:on|in|since|until|by|from|the|of)\s+", "", low)
    low = re.sub(r"^(?:the )", "", low)
    # a time of day says nothing more about the day: "October 10, 12:00", "midnight of October 18"
    low = re.sub(r",?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|gmt|utc|local time))?$", "", low)
    low = re.sub(r"^(?:(?:at|on)\s+)?(?:midnight|noon|dawn|dusk)\s+(?:of|on)\s+", "", low)
    got = absolute_date(low)
    if got is not None:
        return got, False
    got = _partial(low, published, tense, year)
    if got is not None:
        return got, True
    if published is None:
        return None
    got = _relative(low, published, tense, previous)
    return (got, True) if got is not None else None


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MDY = re.compile(rf"^({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})$")
_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_RE})\.?,? (\d{{4}})$")
_MY = re.compile(rf"^(?:(?:early|mid|late|the end of|end of|the beginning of|beginning of) )?({_MONTH_RE})\.?,? (\d{{4}})$")
_Y = re.compile(r"^(?:(?:early|mid|late) )?(1[89]\d\d|20\d\d)$")
_MD = re.compile(rf"^(?:{_WEEKDAY_RE},? )?({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?$")
_DM = re.compile(rf"^(?:{_WEEKDAY_RE},? )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_RE})\.?$")
_M = re.compile(rf"^(?:(?:early|mid|late|the end of|end of|the beginning of|beginning of) )?({_MONTH_RE})\.?(?: (last|this|next) year)?$")
_WD = re.compile(rf"^(?:(last|this|next|past|coming) )?({_WEEKDAY_RE})(?: {PARTS_OF_DAY})?$")


def _day(y: int, m: int, d: int) -> DateValue | None:
    try:
        return DateValue.day(dt.date(y, m, d))
    except ValueError:
        return None


def absolute_date(low: str) -> DateValue | None:
    if m := _ISO.match(low):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if m := _MDY.match(low):
        return _day(int(m[3]), MONTHS[m[1]], int(m[2]))
    if m := _DMY.match(low):
        return _day(int(m[3]), MONTHS[m[2]], int(m[1]))
    if m := _MY.match(low):
        return DateValue.month(int(m[2]), MONTHS[m[1]])
    if m := _Y.match(low):
        return DateValue.year(int(m[1]))
    if re.search(r"\d{4}", low) and re.search(_MONTH_RE, low):
        return _dateparser(low)
    return None


@functools.lru_cache(maxsize=4096)
def _dateparser(low: str) -> DateValue | None:
    """dateparser for the absolute forms the patterns above miss (English only: fast)."""
    import dateparser

    got = dateparser.parse(low, languages=["en"], settings={"REQUIRE_PARTS": ["year", "month"]})
    if got is None:
        return None
    return DateValue.day(got.date()) if re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", low.replace(str(got.year), "")) else DateValue.month(got.year, got.month)


def _pick_year(month: int, day: int | None, published: dt.date, tense: str) -> int:
    """The year of a month(-day) without one: by tense, else the nearest occurrence."""
    y = published.year
    cands = []
    for year in (y - 1, y, y + 1):
        try:
            cands.append(dt.date(year, month, day or 1))
        except ValueError:
            continue
    if not cands:  # "February 30": no year has it
        return y
    ref = published if day else published.replace(day=1)
    if tense == PAST:
        past = [c for c in cands if c <= ref]
        return max(past).year if past else y
    if tense == FUTURE:
        fut = [c for c in cands if c >= ref]
        return min(fut).year if fut else y
    return min(cands, key=lambda c: abs((c - ref).days)).year


def _partial(low: str, published: dt.date | None, tense: str, year: int | None = None) -> DateValue | None:
    """Month-day or month without a year: placed by tense against the publication date;
    without one, in the article's own `year`; with neither, a month-day stays a month-day."""
    if published is None:
        m = _MD.match(low) or _DM.match(low)
        if m is None:
            return DateValue.month(year, MONTHS[mm[1]]) if year and (mm := _M.match(low)) and not mm[2] else None
        month, day = (MONTHS[m[1]], int(m[2])) if _MD.match(low) else (MONTHS[m[2]], int(m[1]))
        try:
            return _day(year, month, day) if year else DateValue.month_day(month, day)
        except ValueError:
            return None
    if m := _MD.match(low):
        month, day = MONTHS[m[1]], int(m[2])
        return _day(_pick_year(month, day, published, tense), month, day)
    if m := _DM.match(low):
        month, day = MONTHS[m[2]], int(m[1])
        return _day(_pick_year(month, day, published, tense), month, day)
    if m := _M.match(low):
        month = MONTHS[m[1]]
        if m[2]:
            return DateValue.month(published.year + {"last": -1, "this": 0, "next": 1}[m[2]], month)
        return DateValue.month(_pick_year(month, None, published, tense), month)
    return None


def _week(d: dt.date) -> DateValue:
    monday = d - dt.timedelta(days=d.weekday())
    return DateValue(monday, monday + dt.timedelta(days=6), WEEK)



def _relative(low: str, pub: dt.date, tense: str, previous: DateValue | None) -> DateValue | None:
    """A date said from the publication date ("yesterday", "on Sunday", "last week", "earlier
    this month", "next year", "three days ago") or from the date said before it ("the next day")."""
    got = _relative_day(low, pub, tense)
    if got is None:
        got = _relative_week(low, pub, tense)
    if got is None:
        got = _relative_month(low, pub)
    if got is None:
        got = _relative_year(low, pub)
    if got is None:
        got = _day_next_to(low, previous)
    return got if got is not None else _ago(low, pub)


def _relative_day(low: str, pub: dt.date, tense: str) -> DateValue | None:
    one = dt.timedelta(days=1)
    simple = {
        "today": pub, "tonight": pub, "this morning": pub, "this evening": pub, "this afternoon": pub,
        "yesterday": pub - one, "last night": pub - one, "yesterday morning": pub - one, "yesterday evening": pub - one,
        "tomorrow": pub + one, "tomorrow morning": pub + one, "the day before yesterday": pub - 2 * one,
    }
    if low in simple:
        return DateValue.day(simple[low])
    if m := _WD.match(low):
        return _weekday(WEEKDAYS[m[2]], pub, tense, m[1])
    return None


def _relative_week(low: str, pub: dt.date, tense: str) -> DateValue | None:
    one = dt.timedelta(days=1)
    if low in ("this week",):
        return _week(pub)
    if low in ("last week", "past week", "previous week"):
        return _week(pub - 7 * one)
    if low in ("next week", "coming week"):
        return _week(pub + 7 * one)
    if low in ("this weekend", "the weekend", "weekend", "last weekend", "next weekend", "coming weekend"):
        sat = pub + dt.timedelta(days=(5 - pub.weekday()) % 7)
        if low == "last weekend" or (low in ("the weekend", "weekend") and tense == PAST):
            sat = pub - dt.timedelta(days=(pub.weekday() - 5) % 7 or 7)
        elif low in ("next weekend",):
            sat += 7 * one
        return DateValue(sat, sat + one, RANGE)
    return None


def _relative_month(low: str, pub: dt.date) -> DateValue | None:
    one = dt.timedelta(days=1)
    month_start = pub.replace(day=1)
    month_end = pub.replace(day=calendar.monthrange(pub.year, pub.month)[1])
    if low in ("this month",):
        return DateValue.month(pub.year, pub.month)
    if low in ("earlier this month",):
        return DateValue(month_start, max(month_start, pub - one), RANGE)
    if low in ("later this month", "later in the month", "at the end of the month", "end of the month"):
        return DateValue(min(month_end, pub + one), month_end, RANGE)
    if low in ("last month", "past month", "previous month"):
        prev = month_start - one
        return DateValue.month(prev.year, prev.month)
    if low in ("next month", "coming month"):
        nxt = month_end + one
        return DateValue.month(nxt.year, nxt.month)
    return None


def _relative_year(low: str, pub: dt.date) -> DateValue | None:
    one = dt.timedelta(days=1)
    if low in ("this year",):
        return DateValue.year(pub.year)
    if low in ("earlier this year",):
        return DateValue(dt.date(pub.year, 1, 1), max(dt.date(pub.year, 1, 1), pub - one), RANGE)
    if low in ("later this year",):
        return DateValue(min(pub + one, dt.date(pub.year, 12, 31)), dt.date(pub.year, 12, 31), RANGE)
    if low in ("last year", "past year", "previous year"):
        return DateValue.year(pub.year - 1)
    if low in ("next year", "coming year"):
        return DateValue.year(pub.year + 1)
    return None


def _day_next_to(low: str, previous: DateValue | None) -> DateValue | None:
    """"the following day", "the day before": a day from the date the article said before."""
    one = dt.timedelta(days=1)
    if low in ("following day", "next day", "a day later", "day after") and previous is not None and previous.precise_day:
        return DateValue.day(previous.start + one)
    if low in ("day before", "previous day", "a day earlier") and previous is not None and previous.precise_day:
        return DateValue.day(previous.start - one)
    return None


def _ago(low: str, pub: dt.date) -> DateValue | None:
    """"three days ago", "two weeks ago", "a year ago"."""
    one = dt.timedelta(days=1)
    if m := re.match(r"^(\S+(?: \S+)?) (day|week|month|year)s? ago$", low):
        n = parse_number(m[1])
        if n is None or n != int(n):
            return None
        n = int(n)
        if m[2] == "day":
            return DateValue.day(pub - n * one)
        if m[2] == "week":
            return _week(pub - 7 * n * one)
        if m[2] == "month":
            y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
            return DateValue.month(y, mo + 1)
        return DateValue.year(pub.year - n)
    return None


def _weekday(wd: int, pub: dt.date, tense: str, qualifier: str | None) -> DateValue:
    back = (pub.weekday() - wd) % 7
    last = pub - dt.timedelta(days=back)
    nxt = pub + dt.timedelta(days=(wd - pub.weekday()) % 7)
    if qualifier in ("last", "past"):
        return DateValue.day(last if back else last - dt.timedelta(days=7))
    if qualifier in ("next", "coming"):
        return DateValue.day(nxt if nxt != pub else nxt + dt.timedelta(days=7))
    if tense == PAST:
        return DateValue.day(last)
    if tense == FUTURE:
        return DateValue.day(nxt)
    if last == nxt:
        return DateValue.day(pub)
    # No tense to decide: the last or the coming one. Kept as a range, never precise enough to pass or fail.
    return DateValue(last, nxt, RANGE)
