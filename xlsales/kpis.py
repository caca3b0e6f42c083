"""The KPI engine: every KPI of the spec, computed with pandas (no Excel).

It evaluates the same declarations (:mod:`xlsales.spec.declarations`) the
template compiles into native formulas, so the two agree; the tests prove it
against LibreOffice's recalculation of the KPI sheet. Input frames use field
keys and choice keys (as produced by the reader or the sample generator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xlsales.periods import Period
from xlsales.spec import SPEC, Aggregate, Difference, Growth, Ratio, Total, WorkbookSpec
from xlsales.spec.model import Window

KpiValue = float | int | None
GROUPINGS = ("rep", "region", "product", "customer_type", "month")


def window_bounds(period: Period, window: Window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of ``window`` relative to ``period``."""
    p = {"current": period, "previous": period.previous, "year_ago": period.year_ago}[window]
    return pd.Timestamp(p.start), pd.Timestamp(p.end)


def _in_window(dates: pd.Series, period: Period, window: Window) -> pd.Series:
    lo, hi = window_bounds(period, window)
    return (dates >= lo) & (dates <= hi)


def _won_in_period(sales: pd.DataFrame, period: Period) -> pd.Series:
    return sales["stage"].eq("won") & _in_window(sales["_date"], period, "current")


def customer_key(sales: pd.DataFrame) -> pd.Series:
    """Customer identity as Excel's COUNTIFS compares it: ignoring case; blank is None."""
    names = sales["customer"]
    return names.where(names.isna(), names.astype(str).str.casefold()).replace("", None)


def _customer_weight(sales: pd.DataFrame, period: Period) -> pd.Series:
    """1 / (won rows of the customer in the period) on won-in-period rows: sums to
    the number of distinct customers (blank customers count for nothing)."""
    key = customer_key(sales)
    mask = _won_in_period(sales, period) & key.notna()
    counts = key[mask].map(key[mask].value_counts())
    weight = pd.Series(0.0, index=sales.index)
    weight[mask] = 1.0 / counts
    return weight


def _new_customer_flag(sales: pd.DataFrame, period: Period) -> pd.Series:
    """1 on won-in-period rows of new customers: the row's customer type when
    filled, else no won row of the customer before the period."""
    won = sales["stage"].eq("won")
    key = customer_key(sales)
    first_won = sales.loc[won, "_date"].groupby(key[won]).min()
    first = pd.Series(first_won.reindex(key).to_numpy(), index=sales.index)
    derived = ~(first < pd.Timestamp(period.start))  # no earlier won row (NaT counts as none)
    typed = sales["customer_type"]
    is_new = np.where(typed.notna(), typed.eq("new"), derived)
    return (_won_in_period(sales, period) & is_new).astype(float)


#: pandas counterparts of the spec's calculated columns (table, column key) → function
CALCULATED: dict[tuple[str, str], Callable[[pd.DataFrame, Period], pd.Series]] = {
    ("Sales", "customer_weight"): _customer_weight,
    ("Sales", "new_customer_flag"): _new_customer_flag,
}


@dataclass
class KpiResult:
    """KPI values for a period, overall and (optionally) by group."""

    period: Period
    kpis: dict[str, KpiValue]
    by: str | None = None
    groups: dict[str, dict[str, KpiValue]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """``{"period": ..., "kpis": {key: value}, "by": {group: {key: value}}}``."""
        return {"period": self.period.label, "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(), "kpis": self.kpis,
                "by": self.groups if self.by else {}}


def prepare(tables: Mapping[str, pd.DataFrame], period: Period,
            spec: WorkbookSpec = SPEC) -> dict[str, pd.DataFrame]:
    """Copies of the tables KPIs read, with parsed dates and calculated columns."""
    out = {}
    for name in {k.formula.table for k in spec.kpis if isinstance(k.formula, Aggregate)}:
        table = spec.table(name)
        frame = tables.get(name)
        frame = (frame.copy() if frame is not None else pd.DataFrame(columns=table.keys))
        for c in table.columns:
            if c.key not in frame.columns:
                frame[c.key] = None
        date_fields = {k.formula.date_field for k in spec.kpis
                       if isinstance(k.formula, Aggregate) and k.formula.table == name}
        for key in date_fields:
            frame["_" + key] = pd.to_datetime(frame[key], errors="coerce")
        for c in table.columns:
            if not c.is_input and (name, c.key) in CALCULATED:
                frame[c.key] = CALCULATED[(name, c.key)](frame, period)
        out[name] = frame
    return out


def _aggregate(agg: Aggregate, frame: pd.DataFrame, period: Period) -> float:
    mask = _in_window(frame["_" + agg.date_field], period, agg.window)
    for key, value in agg.where:
        column = frame[key]
        mask &= column.eq(value) if isinstance(value, str) else (
            pd.to_numeric(column, errors="coerce") == value)
    if agg.field is None:
        result = float(mask.sum())
    else:
        result = float(pd.to_numeric(frame.loc[mask, agg.field], errors="coerce").sum())
    return float(np.round(result)) if agg.integer else result


def _n(v: KpiValue) -> float:
    return 0.0 if v is None else v


def evaluate(prepared: Mapping[str, pd.DataFrame], period: Period,
             spec: WorkbookSpec = SPEC) -> dict[str, KpiValue]:
    """Every KPI of ``spec`` over prepared tables (see :func:`prepare`)."""
    values: dict[str, KpiValue] = {}
    for kpi in spec.kpis:
        f = kpi.formula
        if isinstance(f, Aggregate):
            values[kpi.key] = _aggregate(f, prepared[f.table], period)
        elif isinstance(f, Ratio):
            den = _n(values[f.denominator])
            values[kpi.key] = None if den == 0 else _n(values[f.numerator]) / den
        elif isinstance(f, Difference):
            values[kpi.key] = _n(values[f.minuend]) - _n(values[f.subtrahend])
        elif isinstance(f, Total):
            values[kpi.key] = sum(_n(values[p]) for p in f.parts)
        elif isinstance(f, Growth):
            earlier = _n(values[f.earlier])
            values[kpi.key] = None if earlier == 0 else _n(values[f.current]) / earlier - 1
    for kpi in spec.kpis:  # counts as integers (JSON shows 78, not 78.0)
        value = values[kpi.key]
        if kpi.unit == "count" and value is not None:
            values[kpi.key] = round(value)
    return values


def compute_kpis(tables: Mapping[str, pd.DataFrame], period: Period, by: str | None = None,
                 spec: WorkbookSpec = SPEC) -> KpiResult:
    """KPIs of ``period`` over ``tables``, overall and by ``by`` (rep, region, product,
    customer_type or month) when given. A group's figures use only its rows (a
    table without the grouping column, such as targets by product, counts as 0)."""
    prepared = prepare(tables, period, spec)
    result = KpiResult(period, evaluate(prepared, period, spec), by)
    if by is None:
        return result
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    keys = _group_keys(prepared, by, period)
    for key in keys:
        subset = {}
        for name, frame in prepared.items():
            column = _group_column(frame, by)
            part = frame[column == key] if column is not None else frame.iloc[0:0]
            subset[name] = _recount_within(part, name, period)
        result.groups[str(key)] = evaluate(subset, period, spec)
    return result


def _group_column(frame: pd.DataFrame, by: str) -> pd.Series | None:
    if by == "month":
        dates = frame["_date"] if "_date" in frame else frame.get("_period")
        return None if dates is None else dates.dt.strftime("%Y-%m")
    return frame[by] if by in frame.columns else None


def _group_keys(prepared: Mapping[str, pd.DataFrame], by: str, period: Period) -> list[str]:
    sales = prepared["Sales"]
    column = _group_column(sales, by)
    if by == "month":
        return [m.label for m in period.months_in()]
    in_period = _in_window(sales["_date"], period, "current")
    return sorted(column[in_period].dropna().astype(str).unique())


def _recount_within(part: pd.DataFrame, name: str, period: Period) -> pd.DataFrame:
    """Distinct counts are recounted within the group; new-customer flags keep the
    whole history (a customer new to the team is new to the rep too)."""
    if name == "Sales" and not part.empty:
        part = part.copy()
        part["customer_weight"] = _customer_weight(part, period)
    return part
