"""A date written in a readable form whose day its month does not have (``31/09/2026``,
``2026-02-30``): the message says the month's length, rather than that the format
cannot be read, so a rep checks the day instead of retyping a format that is right."""

from __future__ import annotations

import calendar
import re

from xlsales.date_text import MONTH_NAMES
from xlsales.values import fold

_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?$")
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")


def _month_and_day(value: object) -> tuple[int, int, int] | None:
    """(year, month, day) of a date text whose day is past its month's end, else None.
    ``a/b/yyyy`` is taken in the one order where ``a`` or ``b`` can be the month."""
    if not isinstance(value, str):
        return None
    text = fold(value).strip()
    if m := _YEAR_FIRST.match(text):
        pairs = [(int(m[2]), int(m[3]))]
        year = int(m[1])
    elif m := _YEAR_LAST.match(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        pairs = [(a, b), (b, a)]
    else:
        return None
    months = [(month, day) for month, day in pairs if 1 <= month <= 12 and 1 <= day <= 31]
    if len(months) != 1:
        return None  # no month, or two readings (one of them a real date)
    month, day = months[0]
    if day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


def impossible_day_why(value: object, lang: str) -> str:
    """Why ``value`` is not a date when its month has no such day (``""`` otherwise), in
    ``lang``: ``（2026 年 9 月只有 30 天…）`` / `` (September 2026 has 30 days…)``."""
    found = _month_and_day(value)
    if found is None:
        return ""
    year, month, day = found
    days = calendar.monthrange(year, month)[1]
    if lang == "zh":
        return f"（{year} 年 {month} 月只有 {days} 天，没有 {day} 日：请核对日期）"
    return (f" ({MONTH_NAMES[month - 1]} {year} has {days} days, no day {day}: "
            "check the date)")
