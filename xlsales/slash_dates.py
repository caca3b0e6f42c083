"""Dates written ``10/20/2026`` (a US CRM export: month first) or ``20/10/2026`` (day
first), told apart by the column they are in.

One such date alone may be either order (``9/3/2026``); a column is read in the one
order all its dates allow, as soon as one of them rules the other out (``10/20/2026``:
no 20th month). A column whose every date allows both stays unread, as it was: xlsales
never guesses a day for a month."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal

Order = Literal["month_first", "day_first"]

# a time of day after it, as CRMs export, is allowed and dropped
_SLASH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]\s*\d{1,2}:\d{2}.*)?\s*$")


def _parts(value: object) -> tuple[int, int, int] | None:
    if not isinstance(value, str):
        return None
    m = _SLASH.match(value)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def column_order(values: Sequence[object]) -> Order | None:
    """The order the ``a/b/yyyy`` dates among ``values`` are written in: month first when
    one has a day past 12 in second place and none a month past 12 there, day first the
    other way round; None when every one allows both, or they contradict each other."""
    firsts = seconds = False
    for value in values:
        parts = _parts(value)
        if parts is None:
            continue
        a, b, _ = parts
        firsts |= a > 12
        seconds |= b > 12
    if seconds and not firsts:
        return "month_first"
    if firsts and not seconds:
        return "day_first"
    return None


def parse_slash(value: object, order: Order) -> date | None:
    """``value`` (``10/20/2026``) as a date in ``order``; None when it is not one."""
    parts = _parts(value)
    if parts is None:
        return None
    a, b, year = parts
    month, day = (a, b) if order == "month_first" else (b, a)
    try:
        return date(year, month, day)
    except ValueError:
        return None
