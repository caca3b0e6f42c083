"""A year plan's quarters (year → quarter → month): each quarter's target for the whole
and for each person, the sums of their months' targets, so that a person's four quarters
sum exactly to their year, a quarter's parts to its whole, and a person's months in a
quarter to their quarter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from xlsales.periods import Period, PeriodType
from xlsales.plan.rounding import in_units

#: The basis of a year plan's quarter targets, the whole's and each person's (zh, en).
QUARTER_BASIS = ("本季度各月目标之和", "sum of the quarter's monthly targets")


@dataclass(frozen=True)
class QuarterTargets:
    """One quarter of a year plan: its whole and each person's part (in the order of the
    grid's columns)."""

    quarter: Period
    total: float
    parts: list[float]


def _summed(values: Sequence[float], unit: float) -> float:
    """The sum of multiples of ``unit``, without floating-point residue."""
    return in_units(sum(round(v / unit) for v in values), unit)


def year_quarters(plan: Period, starts: Sequence[date], part_totals: Sequence[float],
                  grid: Sequence[Sequence[float]], unit: float) -> dict[date, QuarterTargets]:
    """For a year plan (else empty), each quarter by its first day: the sum of its months'
    totals (``part_totals``, months starting on ``starts``) and, per column of ``grid``
    (a row per month, a column per person), the sum of that person's months."""
    if plan.type is not PeriodType.YEAR:
        return {}
    quarters: dict[date, QuarterTargets] = {}
    for i in range(0, len(starts), 3):
        rows = grid[i:i + 3]
        quarters[starts[i]] = QuarterTargets(
            Period(starts[i], PeriodType.QUARTER), _summed(part_totals[i:i + 3], unit),
            [_summed(column, unit) for column in zip(*rows, strict=True)])
    return quarters
