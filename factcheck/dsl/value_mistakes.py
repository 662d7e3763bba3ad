"""The common ways of writing a value that the rule language does not take, each with the
exact text to write instead: a date as 17/08/2019 or 17 August 2019, several names after
`includes` without a set, `consistent` with a value. `diagnostics.syntax_error` asks here
first, since these read better than what the parser expected."""
from __future__ import annotations

import re

MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                      "september", "october", "november", "december"), 1)}
_MONTH = r"(?P<month>" + "|".join(sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept"}, key=len, reverse=True)) \
    + r")\.?"
_NUMERIC_DATE = re.compile(r"(?<![\w-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\w.])")
_DAY_MONTH = re.compile(r"(?<![\w-])(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})(?!\w)",
                        re.IGNORECASE)
_MONTH_DAY = re.compile(r"(?<![\w-])" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\w)",
                        re.IGNORECASE)
_MONTH_YEAR = re.compile(r"(?<![\w-])" + _MONTH + r"\s+(?P<year>\d{4})(?!\w)", re.IGNORECASE)
_LIST_AFTER_SET_OP = re.compile(r"\b(?P<op>includes all|includes any|includes|excludes)\s+(?P<items>[^{}\s#][^{}#]*,[^{}#]*)$")
_CONSISTENT_WITH_VALUE = re.compile(r"^(?P<indent>\s*)consistent\s+(?P<fact>[^\W\d_][\w'’.&-]*\s*\([^()]*\))\s*"
                                    r"(?P<rest>(?:==|!=|<=|>=|<|>|~=|includes|excludes|in\b).*)$")


def value_mistake(line: str) -> tuple[str, str, int] | None:
    """(message, hint with the exact text to write, column) for the common ways of writing a
    value that the language does not take: a date as 17/08/2019 or 17 August 2019, a list of
    names without a set, `consistent` with a value. None when the line has none of them."""
    code = line.split("#", 1)[0] if '"' not in line else line
    m = _CONSISTENT_WITH_VALUE.match(code.rstrip())
    if m:
        fact = " ".join(m.group("fact").split())
        return (f"`consistent` takes a fact alone, not `{m.group('rest').strip()}`",
                f"`consistent {fact}` checks that the sources agree with each other; to check a value write "
                f"`{fact} {m.group('rest').strip()}`", m.start("rest") + 1)
    for rx in (_NUMERIC_DATE, _DAY_MONTH, _MONTH_DAY, _MONTH_YEAR):
        m = rx.search(code)
        if m:
            options = _iso(m)
            if options:
                fixed = " or ".join(f"`{code[:m.start()].strip()} {o}`".replace("` ", "`") for o in options)
                written = m.group(0)
                what = "the ISO form" if len(options) == 1 else "the ISO form; the day and month are ambiguous"
                return (f"date `{written}` is not written as YYYY-MM-DD",
                        f"write {what}: {fixed}", m.start() + 1)
    m = _LIST_AFTER_SET_OP.search(code.rstrip())
    if m:
        items = ", ".join(i.strip() for i in m.group("items").split(",") if i.strip())
        op = m.group("op")
        if op == "includes":
            fixed, other = f"includes all {{{items}}}", f"includes any {{{items}}}"
            hint = f"write `{code[:m.start()].strip()} {fixed}` (or `{other}` if one is enough)"
        elif op == "excludes":
            fact = code[:m.start()].strip()
            hint = "write one `excludes` assertion per name: " + ", ".join(
                f"`{fact} excludes {i.strip()}`" for i in m.group("items").split(",") if i.strip())
        else:
            hint = f"write `{code[:m.start()].strip()} {op} {{{items}}}`"
        return f"several names after `{op}` need a set in braces", hint, m.start("items") + 1
    return None


def _iso(m: re.Match) -> list[str]:
    """The ISO forms a matched date may stand for (two when 05/04/2020 is ambiguous)."""
    import datetime as _dt

    year = int(m.group("year"))
    groups = m.groupdict()
    if "a" in groups and groups.get("a"):
        a, b = int(m.group("a")), int(m.group("b"))
        pairs = [(b, a), (a, b)] if a != b else [(b, a)]  # day-first (most of the world) first
    elif groups.get("day"):
        pairs = [(MONTHS[_month_word(m.group("month"))], int(m.group("day")))]
    else:
        month = MONTHS[_month_word(m.group("month"))]
        return [f"{year:04d}-{month:02d}"]
    out = []
    for month, day in pairs:
        try:
            out.append(_dt.date(year, month, day).isoformat())
        except ValueError:
            continue
    return out


def _month_word(word: str) -> str:
    w = word.lower().rstrip(".")
    return next(name for name in MONTHS if name.startswith(w[:3]))
