"""Working days (Monday to Friday) of a plan: when actions start and fall due, and when
its checks and reviews are held."""

from __future__ import annotations

from datetime import date, timedelta


def is_workday(d: date) -> bool:
    """Monday to Friday."""
    return d.weekday() < 5


def _nearest(d: date, step: int, first: date, last: date) -> date | None:
    """The first working day from ``d`` on in the direction of ``step`` (±1) within
    ``first`` … ``last``; None when there is none."""
    while first <= d <= last:
        if is_workday(d):
            return d
        d += timedelta(days=step)
    return None


def workday(d: date, first: date, last: date, later: bool = False) -> date:
    """``d``, or when it falls on a Saturday or Sunday the working day before it (after
    it, ``later``) within ``first`` … ``last``, else the one the other way (a check in a
    period starting on a weekend: its first working day); ``d`` itself when the span
    has no working day."""
    if is_workday(d):
        return d
    step = 1 if later else -1
    return _nearest(d, step, first, last) or _nearest(d, -step, first, last) or d
