"""The KPI vocabulary of the declarative spec: a KPI's formula over the spec's tables
(:class:`Aggregate`, :class:`Ratio`, :class:`Difference`, :class:`Product`,
:class:`Total`, :class:`Growth`), its unit and direction. The KPIs themselves are declared
in :mod:`xlsales.spec.kpi_catalog`; :mod:`xlsales.spec.model` holds the rest of the
vocabulary (sheets, tables, columns)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xlsales.spec.model import ColumnType, Label

# --- KPIs --------------------------------------------------------------------------

#: Reporting windows relative to the period; ``to_date`` is every date up to the
#: period's last day (a snapshot such as the open pipeline).
Window = Literal["current", "previous", "year_ago", "to_date"]
Unit = Literal["money", "count", "quantity", "percent", "ratio", "days"]
#: How a value of each unit is typed and formatted wherever xlsales shows one (the KPI
#: sheet, the KPI report, the plan sheets' targets, the roll-up's ranking): money with
#: thousands separators, percentages as %, counts as integers, the rest to two decimals.
UNIT_TYPES: dict[Unit, ColumnType] = {
    "money": ColumnType.MONEY, "count": ColumnType.INTEGER, "quantity": ColumnType.NUMBER,
    "percent": ColumnType.PERCENT, "ratio": ColumnType.NUMBER, "days": ColumnType.NUMBER,
}
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Above:
    """A row condition value: a number above ``bound`` (``SUMIFS(…, ">0")``): a quantity
    given, where an empty cell, text or 0 is none."""

    bound: float = 0.0


#: A row condition value: a choice key, any of several choice keys, a number, or
#: :class:`Above` a number.
WhereValue = str | tuple[str, ...] | int | Above


@dataclass(frozen=True)
class Aggregate:
    """Sum of ``field`` (or a row count when ``field`` is None) over the rows of
    ``table`` dated in the window, restricted to rows whose ``where`` column
    holds the given choice key (a str, e.g. ``(("stage", "won"),)``), any of
    several keys (a tuple of str; at most one such condition), number (an
    int, for flag columns) or a number above a bound (:class:`Above`). With
    ``average`` it is the mean of the numeric values of ``field`` instead (empty
    when there are none)."""

    table: str
    field: str | None
    where: tuple[tuple[str, WhereValue], ...] = ()
    date_field: str = "date"
    window: Window = "current"
    integer: bool = False  # round the result (sums of 1/n weights)
    average: bool = False

    def __post_init__(self) -> None:
        if self.average and self.field is None:
            raise ValueError("an average needs a field")
        if sum(isinstance(v, tuple) for _, v in self.where) > 1:
            raise ValueError("at most one condition may list several values")


@dataclass(frozen=True)
class Ratio:
    """``numerator / denominator`` of two other KPIs; empty when the denominator is 0."""

    numerator: str
    denominator: str


@dataclass(frozen=True)
class Difference:
    """``minuend - subtrahend`` of two other KPIs (empty values count as 0).

    ``floor`` clips the result from below (``MAX(floor, …)``); the result is
    empty when any KPI in ``requires`` is empty, and when any KPI in ``nonzero`` is 0 or
    empty (a gap to a target that was never set is no gap)."""

    minuend: str
    subtrahend: str
    floor: float | None = None
    requires: tuple[str, ...] = ()
    nonzero: tuple[str, ...] = ()


@dataclass(frozen=True)
class Product:
    """``left × right`` of two other KPIs, plus the KPI ``plus`` when given (empty counting
    as 0); empty when ``left`` or ``right`` is empty."""

    left: str
    right: str
    plus: str | None = None


@dataclass(frozen=True)
class Total:
    """Sum of other KPIs."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class Growth:
    """``current / earlier - 1`` of two KPIs (the same measure over two windows);
    empty when the earlier value is 0 or empty."""

    current: str
    earlier: str


KpiFormula = Aggregate | Ratio | Difference | Product | Total | Growth


@dataclass(frozen=True)
class Kpi:
    """A KPI: stable key (used by finance and ``--json``), labels, 口径 and formula."""

    key: str
    label: Label
    definition: Label
    unit: Unit
    direction: Direction
    formula: KpiFormula
