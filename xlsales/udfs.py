"""Python UDFs for people's own Excel formulas, registered with xlwings (``@xw.func``).

They call the same engine as the CLI and the KPI sheet, and are plain Python
functions too (tested as such; on Linux xlwings' decorators record nothing). A
ratio with a zero denominator is the empty string, as on the KPI sheet.

    =XS_ATTAINMENT(B2, C2)
    =XS_KPI("revenue", "2026-10", Sales[#All], Targets[#All], Activities[#All], "张伟")
    =XS_FORECAST(B2:B13, 3)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

import pandas as pd

from xlsales.date_text import SERIAL_RANGE, serial_to_date
from xlsales.kpis import KpiData
from xlsales.normalise import clean_text, normalise_column
from xlsales.periods import Period, PeriodType
from xlsales.plan.targets import linear_forecast
from xlsales.said import said
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import REPS
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank, tidy

try:  # the classic xlwings route (Windows UDFs); absent or a no-op elsewhere
    import xlwings as xw
except ImportError:  # pragma: no cover - xlwings is optional
    xw = None


#: xlwings makes a converter of each type hint of a UDF (on Windows and in xlwings Lite) and has
#: none for a union (``float | str``) or ``collections.abc.Sequence``: the formula would show
#: "type object 'types.UnionType' has no attribute 'router'". ``convert: None`` keeps xlwings'
#: default converter (values as Excel gives them); the hint stays exact for type checkers.
AS_GIVEN: dict[str, Any] = {"convert": None}
#: A ratio, or "" (an empty cell) when its denominator is 0, as on the KPI sheet.
Ratio = Annotated[float | str, AS_GIVEN]
#: A range's rows (a table with its header row), 2-D even for one cell.
Rows = Annotated[Sequence[Sequence[object]], {**AS_GIVEN, "ndim": 2}]


def _udf(*ranges: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@xw.func`` with the named arguments received as 2-D ranges, when xlwings is here."""

    def wrap(f: Callable[..., Any]) -> Callable[..., Any]:
        if xw is None:
            return f
        for name in ranges:
            f = xw.arg(name, ndim=2)(f)
        return xw.func(f)

    return wrap


def _ratio(num: object, den: object) -> float | str:
    n = 0.0 if is_blank(num) else float(num)  # type: ignore[arg-type]
    d = 0.0 if is_blank(den) else float(den)  # type: ignore[arg-type]
    return "" if d == 0 else n / d


@_udf()
def XS_ATTAINMENT(actual: float, target: float) -> Ratio:
    """Actual ÷ target; empty when the target is 0."""
    return _ratio(actual, target)


@_udf()
def XS_GROWTH(current: float, previous: float) -> Ratio:
    """Current ÷ previous − 1; empty when there is no previous value."""
    ratio = _ratio(current, previous)
    return ratio if ratio == "" else ratio - 1  # type: ignore[operator]


@_udf()
def XS_CONVERSION(converted: float, total: float) -> Ratio:
    """Converted ÷ total (e.g. won ÷ (won + lost)); empty when the total is 0."""
    return _ratio(converted, total)


@_udf()
def XS_COLLECTION_RATE(collected: float, invoiced: float) -> Ratio:
    """Collected ÷ invoiced; empty when nothing was invoiced."""
    return _ratio(collected, invoiced)


@_udf("history")
def XS_FORECAST(history: Rows, periods_ahead: int = 1) -> float:
    """The value ``periods_ahead`` periods after the last value of a column (or row) of
    history, by its linear trend (never below 0; with fewer than 3 values, their mean, as
    the plan's trend), without floating-point noise (400, not 400.0000000000001). A blank
    cell between values is a month of 0 (nothing sold), not left out of the timeline;
    blanks before the first value and after the last (months to come) are no months."""
    cells = [None if is_blank(v) else float(v) for row in history for v in row]
    filled = [i for i, v in enumerate(cells) if v is not None]
    values = [0.0 if v is None else v
              for v in (cells[filled[0]:filled[-1] + 1] if filled else [])]
    ahead = max(1, int(periods_ahead))
    return tidy(linear_forecast(values, ahead)[-1])  # type: ignore[return-value]


def table_frame(name: str, values: Sequence[Sequence[object]] | None) -> pd.DataFrame:
    """A spec table's rows from a range with its header row (labels in either language)
    as a typed frame with field keys, as the reader would make it."""
    table = SPEC.table(name)
    if not values:
        return pd.DataFrame(columns=table.keys)
    index = table.header_index()
    header = [index.get(name_key(h)) if not is_blank(h) else None for h in values[0]]
    rows = [r for r in values[1:] if not all(is_blank(v) for v in r)]
    data = {}
    for i, key in enumerate(header):
        if key is None or key in data or not table.column(key).is_input:
            continue
        typed, _ = normalise_column(table.column(key), [r[i] if i < len(r) else None
                                                        for r in rows])
        data[key] = typed
    return pd.DataFrame(data, columns=list(data) or table.keys)


@_udf("sales", "targets", "activities", "reps")
def XS_KPI(key: str, period: str, sales: Rows, targets: Rows = (), activities: Rows = (),
           rep: str = "", reps: Rows = ()) -> Ratio:
    """A KPI of the spec by key (``revenue``, ``attainment`` …) for a period
    (``2026-10``, ``2026-Q4``, ``2026``) over the workbook's tables, for one rep if given
    (no ``None`` defaults: Python 3.10 would make their hints unions, which xlwings cannot
    convert). The period and the rep may be cells: :func:`cell_period`; a rep read as the
    table's names are (a staff number 1001, which Excel passes as 1001.0; spaces around).
    A rep of the tables (any period) or of ``reps`` (the team's list, ``ListRep[#All]``)
    with no rows in the period sold 0 (its ratios empty, as a period's without rows); a rep
    of neither raises an error naming the rep, which Excel shows as an error value."""
    SPEC.kpi(str(key))  # unknown keys raise, which Excel shows as an error value
    tables = {"Sales": table_frame("Sales", sales), "Targets": table_frame("Targets", targets),
              "Activities": table_frame("Activities", activities)}
    name = "" if is_blank(rep) else str(clean_text(rep)[0] or "")
    if name and name not in _known_reps(tables, reps):
        raise ValueError(_unknown_rep(name, _header_lang(sales)))
    result = KpiData(tables).compute(cell_period(period), by="rep" if name else None,
                                     named=(name,) if name else ())
    values = result.groups[name] if name else result.kpis
    value = values.get(str(key))
    return "" if value is None else tidy(float(value))  # type: ignore[return-value]


def _known_reps(tables: dict[str, pd.DataFrame], reps: Sequence[Sequence[object]]) -> set[str]:
    """The reps named in the tables' rep column (any period) or in ``reps``, the team's
    list (``ListRep[#All]``: names in its first column, below its header; or the
    ``list_rep`` names alone), read as the tables' names are."""
    listed = [row[0] for row in reps or () if row and not is_blank(row[0])]
    if listed and name_key(listed[0]) in {name_key(REPS.label.zh), name_key(REPS.label.en)}:
        listed = listed[1:]  # the list's header
    names = {str(n) for n in normalise_column(SPEC.table("Sales").column("rep"), listed)[0]
             if n is not None}
    for frame in tables.values():
        if "rep" in frame:
            names.update(str(n) for n in frame["rep"].dropna())
    return names


def _header_lang(values: Sequence[Sequence[object]]) -> Lang | None:
    """The language of a Sales range's header row (labels only one language has), None
    when it shows none."""
    header = {name_key(h) for h in (values[0] if values else ()) if not is_blank(h)}
    labels = {lang: {name_key(c.label.get(lang)) for c in SPEC.table("Sales").columns}
              for lang in ("zh", "en")}
    if header & (labels["zh"] - labels["en"]):
        return "zh"
    return "en" if header & (labels["en"] - labels["zh"]) else None


def _unknown_rep(name: str, lang: Lang | None) -> str:
    """What XS_KPI says of a rep named nowhere: check the name, or pass the team's list."""
    return said(f"XS_KPI：销售人员“{name}”不在销售记录、目标和活动记录中，也不在所给的名单中。"
                "请检查名字的写法；若是名单上还没有记录的代表，请把名单（ListRep[#All]）作为第 7 个"
                "参数传入。",
                f"XS_KPI: the rep '{name}' is in none of the Sales, Targets and Activities "
                "rows, nor in a rep list given: check the spelling; for a listed rep with no "
                "rows yet, pass the team's list (ListRep[#All]) as the 7th argument.", lang)


def cell_period(value: object) -> Period:
    """The period a formula's argument names, as a cell holds it: text (``2026-10``,
    ``2026-Q4``, ``2026``), a year typed as a number (2026, which Excel passes as
    2026.0), or a date — Excel turns ``2026-10`` typed in a cell into 1 Oct 2026, which
    xlwings passes as a date (Windows) or as its serial number (xlwings Lite): its month."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and (
            SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]):
        value = serial_to_date(value)
    if isinstance(value, date):  # a datetime too
        return Period(date(value.year, value.month, 1), PeriodType.MONTH)
    return Period.parse(str(value))
