"""Stated values against asserted ones: dates at their granularity, numbers, quantities with
convertible units, strings. Three-valued: pass, fail, or unknown when the stated value is
too imprecise (a month against a day) or in units that do not convert.

Pure and shared by the engine (one source) and `consistent` (across sources).
"""
from __future__ import annotations

import math
import re

from factcheck.dsl import ast
from factcheck.dsl.unparse import value as value_text
from factcheck.model import FAIL, MONTHDAY, PASS, UNKNOWN, DateValue, Quantity
from factcheck.predicates import DATE, NUMBER, QUANTITY, STRING


UNIT_SIZES: dict[str, tuple[str, float]] = {
    "second": ("hour", 1 / 3600), "minute": ("hour", 1 / 60), "hour": ("hour", 1.0),
    "day": ("hour", 24.0), "week": ("hour", 168.0),
    "month": ("month", 1.0), "year": ("month", 12.0), "decade": ("month", 120.0),
}


class Unsupported(Exception):
    """An assertion the engine cannot evaluate (wrong value for the type, operator...)."""


def fits(value_type: str, value: object) -> bool:
    """Does a stated value have the predicate's type? Facts that do not are ignored."""
    if value_type == DATE:
        return isinstance(value, DateValue)
    if value_type == QUANTITY:
        return isinstance(value, Quantity)
    if value_type == NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if value_type == STRING:
        return isinstance(value, str)
    return False


def scalar_test(value_type: str, stated: object, op: str, lit: ast.Scalar) -> str:
    """pass / fail / unknown for one stated value (one that `fits` the type) against one literal."""
    if value_type == DATE and isinstance(lit, ast.DateLit) and isinstance(stated, DateValue):
        return date_test(stated, op, lit.value)
    if value_type == QUANTITY and isinstance(lit, ast.QuantityLit) and isinstance(stated, Quantity):
        return quantity_test(stated, op, lit.value)
    if value_type == QUANTITY and isinstance(lit, ast.NumberLit) and isinstance(stated, Quantity):
        return number_test(stated.amount, op, lit.value)
    if value_type == NUMBER and isinstance(lit, ast.NumberLit) and isinstance(stated, (int, float)):
        return number_test(float(stated), op, lit.value)
    if value_type == STRING:
        return string_test(str(stated), op, lit.name if isinstance(lit, ast.EntityLit) else lit.text)
    raise Unsupported(f"cannot compare a {value_type} with {value_text(lit)}")


def date_test(stated: DateValue, op: str, asserted: DateValue) -> str:
    """Compare intervals at the asserted granularity.

    Each operator is a condition on a single stated day d: `==` d within A, `<` d before A
    starts, `<=` d no later than A ends, `>` d after A ends, `>=` d no earlier than A starts
    (so `< 2020-01` means before January). Pass when every stated day meets it, fail when
    none does, unknown otherwise. The conditions are monotone in d, so the ends suffice.

    A month-day with no year ("March 3", SPEC §3) equals an asserted single day with the same
    month and day, contradicts one with another, and decides nothing else."""
    if stated.granularity == MONTHDAY:
        if op not in ("==", "!=") or asserted.start != asserted.end:
            return UNKNOWN
        same = (stated.start.month, stated.start.day) == (asserted.start.month, asserted.start.day)
        return (PASS if same else FAIL) if op == "==" else (FAIL if same else PASS)
    if op in ("==", "!="):
        if asserted.start <= stated.start and stated.end <= asserted.end:
            verdict = PASS
        elif stated.end < asserted.start or stated.start > asserted.end:
            verdict = FAIL
        else:
            verdict = UNKNOWN
        return verdict if op == "==" else negate(verdict)
    conditions = {
        "<": lambda d: d < asserted.start, "<=": lambda d: d <= asserted.end,
        ">": lambda d: d > asserted.end, ">=": lambda d: d >= asserted.start,
    }
    if op not in conditions:
        raise Unsupported(f"operator `{op}` does not apply to dates")
    first, last = conditions[op](stated.start), conditions[op](stated.end)
    return PASS if first and last else FAIL if not (first or last) else UNKNOWN


def number_test(stated: float, op: str, asserted: float) -> str:
    equal = math.isclose(stated, asserted, rel_tol=1e-9, abs_tol=1e-9)
    results = {
        "==": equal, "!=": not equal,
        "<": stated < asserted and not equal, "<=": stated < asserted or equal,
        ">": stated > asserted and not equal, ">=": stated > asserted or equal,
    }
    if op not in results:
        raise Unsupported(f"operator `{op}` does not apply to numbers")
    return PASS if results[op] else FAIL


def quantity_test(stated: Quantity, op: str, asserted: Quantity) -> str:
    """Same unit, or time units convertible exactly; otherwise unknown (months vs days)."""
    stated_family, stated_amount = base_amount(stated)
    asserted_family, asserted_amount = base_amount(asserted)
    if stated_family != asserted_family:
        return UNKNOWN
    if stated.bound:
        return _bound_test(stated.bound, stated_amount, op, asserted_amount)
    return number_test(stated_amount, op, asserted_amount)


def _bound_test(bound: str, a: float, op: str, x: float) -> str:
    """A stated bound ("at least a", "at most a") against `op x`: pass when every value the
    bound allows meets it, fail when none does, unknown otherwise."""
    if bound == "max":  # the stated value v lies in (-inf, a]: mirror it as "at least -a"
        a, x = -a, -x
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
    # v in [a, +inf)
    if op == "==":
        return FAIL if x < a else UNKNOWN
    if op == "!=":
        return PASS if x < a else UNKNOWN
    if op in (">", ">="):
        return PASS if (a > x if op == ">" else a >= x) else UNKNOWN
    if op in ("<", "<="):
        return FAIL if (a >= x if op == "<" else a > x) else UNKNOWN
    raise Unsupported(f"operator `{op}` does not apply to quantities")


def base_amount(q: Quantity) -> tuple[str, float]:
    unit = q.unit.strip().lower()
    if unit not in UNIT_SIZES and unit.endswith("s"):
        unit = unit[:-1]
    family, size = UNIT_SIZES.get(unit, (unit, 1.0))
    return family, q.amount * size


def string_test(stated: str, op: str, asserted: str) -> str:
    if op == "~=":
        return PASS if re.search(asserted, stated, re.IGNORECASE) else FAIL
    equal = norm(stated) == norm(asserted)
    if op in ("==", "!="):
        return PASS if equal == (op == "==") else FAIL
    raise Unsupported(f"operator `{op}` does not apply to strings")


def negate(verdict: str) -> str:
    flipped: dict[str, str] = {PASS: FAIL, FAIL: PASS}
    return flipped.get(verdict, verdict)


def norm(text: str) -> str:
    return " ".join(text.casefold().split())



def value_key(value_type: str, value: object) -> object:
    if isinstance(value, DateValue):
        return (value.start, value.end)
    if isinstance(value, Quantity):
        family, amount = base_amount(value)
        return (family, round(amount, 6))
    if value_type == NUMBER and isinstance(value, (int, float)):  # what `fits` a number
        return round(float(value), 9)
    if isinstance(value, str):
        return norm(value)
    return value


def width(value: object) -> int:
    """How imprecise a value is: days covered by a date, 1 for an approximate quantity."""
    if isinstance(value, DateValue):
        return (value.end - value.start).days
    if isinstance(value, Quantity):
        return 1 if value.approx or value.bound else 0
    return 0
