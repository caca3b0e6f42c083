"""Dates written ``10/20/2026`` (a US CRM export: month first) or ``20/10/2026`` (day
first), told apart by the dates written beside them.

One such date alone may be either order (``11/1/2026``: 1 November or 11 January); a
column is read in the one order all its dates allow, as soon as one of them rules the
other out (``10/20/2026``: no 20th month). A file (an export, a table of a workbook) is
written in one order, so a column whose every date allows both is read in the order
another date column of the same file proves (:func:`shared_order`), or the one the user
names (``xlsales import --date-order mdy``). Where nothing decides, such a date stays
unread and says why (:func:`ambiguous`): xlsales never guesses a day for a month. A date
that reads the same either way (``11/11/2026``) needs no order, nor one written with dots
(``03.11.2026``), which is day first wherever dates are written so."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from xlsales.date_text import without_weekday

Order = Literal["month_first", "day_first"]

#: ``xlsales import --date-order`` → the order it names
ORDER_OPTIONS: dict[str, Order] = {"mdy": "month_first", "dmy": "day_first"}

# a time of day after it, as CRMs export (``14:30``, ``2:30:00 PM``, ``下午 2:30``),
# is allowed and dropped
_SLASH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"
                    r"(?:(?:[ T]\s*|(?=[上下]午))(?:[上下]午\s*)?\d{1,2}:\d{2}.*)?\s*$")


def _parts(value: object) -> tuple[int, int, int] | None:
    m = _SLASH.match(without_weekday(value)[0]) if isinstance(value, str) else None
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def _weekday(value: object) -> int | None:
    """The day of the week written beside the date ``value`` (``11/03/2026 Tue``; 0 is
    Monday), which tells its order when one alone has that day; None without one."""
    return without_weekday(value)[1] if isinstance(value, str) else None


def column_order(values: Sequence[object], weekdays: bool = True) -> Order | None:
    """The order the ``a/b/yyyy`` dates among ``values`` are written in: month first when
    one has a day past 12 in second place and none a month past 12 there, day first the
    other way round; None when every one allows both, or they contradict each other.
    With ``weekdays``, a date whose day of the week fits one reading only
    (``11/03/2026 Tue``: 3 November) proves that order as a day past 12 does."""
    found: set[Order] = set()
    for value in values:
        found |= _proves(value, weekdays)
    return found.pop() if len(found) == 1 else None


def _proves(value: object, weekdays: bool = True) -> set[Order]:
    """The orders ``value`` alone says it is written in: one by a day past 12 (both when
    both numbers are: no order fits), or (with ``weekdays``) by the day of the week
    beside it fitting one reading only; none when it may be either."""
    parts = _parts(value)
    if parts is None:
        return set()
    a, b, year = parts
    if a > 12 or b > 12:
        return {o for o, past in (("day_first", a > 12), ("month_first", b > 12)) if past}
    weekday = _weekday(value) if weekdays and a != b else None
    fits: set[Order] = {order for order, d in (("month_first", _date(year, a, b)),
                                               ("day_first", _date(year, b, a)))
                        if d is not None and d.weekday() == weekday}
    return fits if len(fits) == 1 else set()


def by_weekday(values: Sequence[object]) -> bool:
    """Whether the order of ``values`` (:func:`column_order`) is settled by a day of the
    week beside a date, no date's numbers proving one."""
    return column_order(values) is not None and column_order(values, False) is None


def shared_order(columns: Iterable[Sequence[object]]) -> Order | None:
    """The order the date columns of one file prove, when those that prove one agree;
    None when none proves one or two prove different orders (then nothing is borrowed:
    each column is read as its own dates allow)."""
    orders = {order for values in columns
              if (order := column_order(values, False)) is not None}
    return orders.pop() if len(orders) == 1 else None


def all_slash_dates(values: Sequence[object]) -> bool:
    """Whether ``values`` are ``a/b/yyyy`` dates and blanks, one date at least: an export
    column that is a date column whatever it is mapped to (or left unmapped)."""
    found = False
    for value in values:
        if value is None or value != value or (isinstance(value, str) and not value.strip()):
            continue
        if _parts(value) is None:
            return False
        found = True
    return found


def dotted(value: object) -> bool:
    """Whether ``value`` is a date written with dots (``03.11.2026``): day first, as every
    country writing dates so (Germany, Russia, Switzerland …) writes them; no export
    writes the month first with dots."""
    return isinstance(value, str) and _DOTTED.match(value) is not None


_DOTTED = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{4}")


def parse_slash(value: object, order: Order | None) -> date | None:
    """``value`` (``10/20/2026``) as a date in ``order``; None when it is not one. With no
    order, only a date that reads the same either way (``11/11/2026``), or one written
    with dots (:func:`dotted`: day first)."""
    parts = _parts(value)
    if parts is None:
        return None
    a, b, year = parts
    if order is None and dotted(value):
        order = "day_first"
    weekday = _weekday(value)
    if order is None and a != b:  # the day of the week beside it may tell which
        fits = [d for d in (_date(year, a, b), _date(year, b, a))
                if d is not None and d.weekday() == weekday]
        return fits[0] if len(fits) == 1 else None
    month, day = (a, b) if order != "day_first" else (b, a)
    found = _date(year, month, day)
    return None if found is None or weekday not in (None, found.weekday()) else found


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def ambiguous(value: object) -> tuple[date, date] | None:
    """The two dates ``value`` may be (month first, day first) when it reads as both and
    they differ: ``11/1/2026`` → (1 November, 11 January); else None (a date written with
    dots is day first: :func:`dotted`)."""
    if dotted(value):
        return None
    month_first, day_first = parse_slash(value, "month_first"), parse_slash(value, "day_first")
    if month_first is None or day_first is None or month_first == day_first:
        return None
    return month_first, day_first



def proof(values: Sequence[object], order: Order) -> object:
    """The first of ``values`` that can only be in ``order`` (``10/20/2026`` for month
    first, or ``11/03/2026 Tue``), or None."""
    return next((value for value in values if _proves(value) == {order}), None)
