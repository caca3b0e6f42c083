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

from xlsales.date_columns import parse_dates
from xlsales.groupings import GROUPINGS, MEMBER_GROUPING, PERIOD_GROUPINGS, period_parts
from xlsales.periods import Period
from xlsales.rollup_rank import member_column
from xlsales.spec import (
    SPEC,
    Aggregate,
    ColumnType,
    Difference,
    Growth,
    Product,
    Ratio,
    Total,
    WorkbookSpec,
)
from xlsales.spec.declarations import OPEN_STAGES, STAGE_PROBABILITY
from xlsales.spec.model import Window
from xlsales.spec.subset import kpi_tables, tables_behind
from xlsales.values import tidy

KpiValue = float | int | None


#: First day of the ``to_date`` window (the KPI sheet writes DATE(1901,1,1)).
EARLIEST = pd.Timestamp(1901, 1, 1)


def window_bounds(period: Period, window: Window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of ``window`` relative to ``period``."""
    if window == "to_date":
        return EARLIEST, pd.Timestamp(period.end)
    p = {"current": period, "previous": period.previous, "year_ago": period.year_ago}[window]
    return pd.Timestamp(p.start), pd.Timestamp(p.end)


def _in_window(dates: pd.Series, period: Period, window: Window) -> pd.Series:
    lo, hi = window_bounds(period, window)
    return (dates >= lo) & (dates <= hi)


def _won_in_period(sales: pd.DataFrame, period: Period,
                   window: Window = "current") -> pd.Series:
    return sales["stage"].eq("won") & _in_window(sales["_date"], period, window)


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce")


def _identity(names: pd.Series) -> pd.Series:
    """Identity codes of names compared as Excel does (ignoring case): one integer per
    distinct name, the same for names that differ only in case; -1 for a blank. Each
    distinct name is folded once (a sales table repeats a few thousand customers over
    many rows), and the calculated columns count with the codes (bincount, take)."""
    codes, uniques = pd.factorize(names)
    folded = np.array([str(u).casefold() for u in uniques], dtype=object)
    merged, _ = pd.factorize(folded)  # case variants share a code
    merged = np.where(folded == "", -1, merged).astype(np.int64)
    out = merged.take(codes) if len(merged) else np.full(len(codes), -1, dtype=np.int64)
    out[codes < 0] = -1
    return pd.Series(out, index=names.index)


def customer_key(sales: pd.DataFrame) -> np.ndarray:
    """Customer identity as Excel's COUNTIFS compares it (ignoring case): an integer
    code per customer, -1 for a blank one."""
    key = sales["_customer"] if "_customer" in sales else _identity(sales["customer"])
    return key.to_numpy(dtype=np.int64)


def _bool(mask: pd.Series) -> np.ndarray:
    return mask.to_numpy(dtype=bool, na_value=False)


def _per_row_share(key: np.ndarray, mask: np.ndarray, index: pd.Index) -> pd.Series:
    """1 / (rows of the same key in ``mask``) on the ``mask`` rows, 0 elsewhere: sums to
    the number of distinct keys there (``mask`` holds no blank key)."""
    weight = np.zeros(len(key))
    if mask.any():
        counts = np.bincount(key[mask])
        weight[mask] = 1.0 / counts[key[mask]]
    return pd.Series(weight, index=index)


def _customer_weight(sales: pd.DataFrame, period: Period) -> pd.Series:
    """1 / (won rows of the customer in the period) on won-in-period rows: sums to
    the number of distinct customers (blank customers count for nothing)."""
    key = customer_key(sales)
    return _per_row_share(key, _bool(_won_in_period(sales, period)) & (key >= 0),
                          sales.index)


def is_new_customer(sales: pd.DataFrame, period: Period) -> np.ndarray:
    """Per row, whether its customer counts as new in ``period``: the row's customer type
    when filled, else no won row of the customer before the period (a blank customer is
    new). The new-customer KPIs and the breakdown by customer type both read it."""
    key = customer_key(sales)
    dates = sales["_date"].to_numpy()
    ticks = dates.view(np.int64)
    known = _bool(sales["stage"].eq("won")) & (key >= 0) & ~np.isnat(dates)
    first = np.full(int(key.max()) + 1 if len(key) else 0, np.iinfo(np.int64).max)
    np.minimum.at(first, key[known], ticks[known])  # each customer's first won row
    start = np.datetime64(pd.Timestamp(period.start)).astype(dates.dtype).view(np.int64)
    earlier = np.zeros(len(key), dtype=bool)  # a won row before the period
    earlier[key >= 0] = first[key[key >= 0]] < start
    typed = sales["customer_type"]
    return np.where(typed.notna(), typed.eq("new"), ~earlier).astype(bool)


def _new_customer_flag(sales: pd.DataFrame, period: Period) -> pd.Series:
    """1 on won-in-period rows of new customers (see :func:`is_new_customer`)."""
    return (_won_in_period(sales, period) & is_new_customer(sales, period)).astype(float)


def _new_customer_weight(sales: pd.DataFrame, period: Period) -> pd.Series:
    """1 / (rows of the customer flagged new) on flagged rows: sums to the number of
    distinct new customers (a customer with any row flagged new counts once)."""
    key = customer_key(sales)
    return _per_row_share(key, _bool(sales["new_customer_flag"].eq(1)) & (key >= 0),
                          sales.index)


def _cycle_days(sales: pd.DataFrame, period: Period) -> pd.Series:
    """Won date − created date on won rows having both; empty elsewhere."""
    days = (sales["_date"] - sales["_created"]).dt.days.astype(float)
    return days.where(sales["stage"].eq("won"))


def _weighted_amount(sales: pd.DataFrame, period: Period) -> pd.Series:
    """Open rows: amount × probability (the stage default when empty); else 0."""
    stage = sales["stage"]
    default = np.select([stage.eq(k).to_numpy(dtype=bool, na_value=False)
                         for k in STAGE_PROBABILITY], list(STAGE_PROBABILITY.values()), np.nan)
    probability = _number(sales["probability"]).fillna(pd.Series(default, index=sales.index))
    weighted = _number(sales["amount"]).fillna(0.0) * probability
    return weighted.where(sales["stage"].isin(OPEN_STAGES), 0.0).fillna(0.0)


def _previous_customer_weight(sales: pd.DataFrame, period: Period, retained: bool) -> pd.Series:
    """1 / (won rows of the customer last period) on last period's won rows of customers
    that are (``retained``) or are not won again this period: sums to a customer count."""
    key = customer_key(sales)
    previous = _bool(_won_in_period(sales, period, "previous")) & (key >= 0)
    now = _bool(_won_in_period(sales, period)) & (key >= 0)
    won_now = np.zeros(int(key.max()) + 1 if len(key) else 0, dtype=bool)
    won_now[key[now]] = True
    again = np.zeros(len(key), dtype=bool)
    again[key >= 0] = won_now[key[key >= 0]]
    share = _per_row_share(key, previous, sales.index)
    return share.where(again if retained else ~again, 0.0)


def _churn_weight(sales: pd.DataFrame, period: Period) -> pd.Series:
    return _previous_customer_weight(sales, period, retained=False)


def _retained_weight(sales: pd.DataFrame, period: Period) -> pd.Series:
    """Last period's won customers counted once (1 / their rows then), less the churned:
    whoever is not churned is retained (reads ``churn_weight``, a prerequisite)."""
    key = customer_key(sales)
    previous = _bool(_won_in_period(sales, period, "previous")) & (key >= 0)
    share = _per_row_share(key, previous, sales.index)
    return share - sales["churn_weight"].where(pd.Series(previous, index=sales.index), 0.0)


def _baseline_value(sales: pd.DataFrame, period: Period) -> pd.Series:
    """Won-in-period rows valued at the product's previous-period average price
    (amount ÷ quantity over last period's won rows); the row's amount when the
    product, the quantity or the previous price is missing."""
    product = (sales["_product"] if "_product" in sales
               else _identity(sales["product"])).to_numpy(dtype=np.int64)
    quantity, amount = _number(sales["quantity"]), _number(sales["amount"])
    previous = _bool(_won_in_period(sales, period, "previous")) & (product >= 0)
    size = int(product.max()) + 1 if len(product) else 0
    q = np.bincount(product[previous], quantity[previous].fillna(0.0).to_numpy(), size)
    a = np.bincount(product[previous], amount[previous].fillna(0.0).to_numpy(), size)
    with np.errstate(divide="ignore", invalid="ignore"):
        price_of = np.where(q > 0, a / q, np.nan)  # last period's average price
    price = np.full(len(product), np.nan)
    price[product >= 0] = price_of[product[product >= 0]]
    at_previous = quantity * price
    usable = (quantity > 0) & pd.notna(at_previous)
    value = at_previous.where(usable, amount.fillna(0.0))
    return value.where(_won_in_period(sales, period), 0.0)


#: pandas counterparts of the spec's calculated columns (table, column key) → function
CALCULATED: dict[tuple[str, str], Callable[[pd.DataFrame, Period], pd.Series]] = {
    ("Sales", "customer_weight"): _customer_weight,
    ("Sales", "new_customer_flag"): _new_customer_flag,
    ("Sales", "new_customer_weight"): _new_customer_weight,
    ("Sales", "cycle_days"): _cycle_days,
    ("Sales", "weighted_amount"): _weighted_amount,
    ("Sales", "churn_weight"): _churn_weight,
    ("Sales", "retained_weight"): _retained_weight,
    ("Sales", "baseline_value"): _baseline_value,
}
#: Calculated columns that read other calculated columns: those are computed first.
PREREQUISITES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Sales", "new_customer_weight"): ("new_customer_flag",),
    ("Sales", "retained_weight"): ("churn_weight",),
}
#: Calculated columns kept as they are within a group: the new-customer flag keeps the
#: whole team's history (a customer new to the team is new to the rep too), and row-local
#: columns do not depend on other rows; the others are recomputed on the group's rows.
WHOLE_HISTORY = {("Sales", "new_customer_flag"), ("Sales", "cycle_days"),
                 ("Sales", "weighted_amount")}
#: By member, each member is computed as its own book: a customer new to the member is
#: new in its figures even when another member won it before; row-local columns as they are.
ROW_LOCAL = WHOLE_HISTORY - {("Sales", "new_customer_flag")}


@dataclass
class KpiResult:
    """KPI values for a period, overall and (optionally) by group."""

    period: Period
    kpis: dict[str, KpiValue]
    by: str | None = None
    groups: dict[str, dict[str, KpiValue]] = field(default_factory=dict)

    def to_json(self, currency: str | None = None) -> dict[str, object]:
        """``{"period": ..., "kpis": {key: value}, "by": {group: {key: value}}}``, numbers
        without floating-point noise (:func:`~xlsales.values.tidy`); with ``currency``
        (the book's ISO code), ``"currency"`` after ``"end"``: what the amounts are in."""
        named = {"currency": currency} if currency is not None else {}
        return {"period": self.period.label, "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(), **named, "kpis": tidy_kpis(self.kpis),
                "by": {g: tidy_kpis(v) for g, v in self.groups.items()} if self.by else {}}


def tidy_kpis(kpis: Mapping[str, KpiValue]) -> dict[str, KpiValue]:
    """``kpis`` with each number :func:`~xlsales.values.tidy`: what leaves xlsales as data."""
    return {k: tidy(v) for k, v in kpis.items()}  # type: ignore[misc]


def _tables_read(spec: WorkbookSpec) -> set[str]:
    """The tables ``spec``'s KPIs read, and the sales table always (the groups of a
    breakdown are found there)."""
    return {"Sales", *kpi_tables(spec)}


def _parsed(tables: Mapping[str, pd.DataFrame], spec: WorkbookSpec) -> dict[str, pd.DataFrame]:
    """Copies of the tables KPIs read, with every spec column, parsed dates and folded
    identities: what does not depend on the period."""
    out = {}
    for name in _tables_read(spec):
        table = spec.table(name)
        frame = tables.get(name)
        # shallow: columns are only added or replaced, and copy-on-write keeps the caller's
        frame = (frame.copy(deep=False) if frame is not None
                 else pd.DataFrame(columns=table.keys))
        for c in table.columns:
            if c.key not in frame.columns:
                frame[c.key] = None
        for c in table.columns:
            if c.type in (ColumnType.DATE, ColumnType.MONTH):
                frame["_" + c.key] = parse_dates(frame[c.key])
            if c.key in ("customer", "product"):  # identities, folded once
                frame["_" + c.key] = _identity(frame[c.key])
        member = member_column([c for c in frame.columns if c not in table.key_set])
        if member is not None:  # a roll-up's rows: the member each names (--by member)
            frame[MEMBER_GROUPING] = frame[member]
        out[name] = frame
    return out


def calculated_for(spec: WorkbookSpec) -> set[tuple[str, str]]:
    """The calculated columns ``spec``'s KPIs read, with their prerequisites: only these
    are computed (the report's trend needs three KPIs, not the churn weights)."""
    needed = set()
    for kpi in spec.kpis:
        f = kpi.formula
        if isinstance(f, Aggregate):
            needed |= {(f.table, k) for k in (f.field, *(w for w, _ in f.where)) if k}
    todo = list(needed)
    while todo:
        table, key = todo.pop()
        for other in PREREQUISITES.get((table, key), ()):
            if (table, other) not in needed:
                needed.add((table, other))
                todo.append((table, other))
    return needed & set(CALCULATED)


class KpiData:
    """The tables the KPIs read, parsed once; the KPIs of any period from them.

    The calculated columns depend on the period (new customers, churn, last period's
    prices), the parsing does not: a caller needing several periods (the plan's trailing
    months, the report's monthly trend) parses the tables once."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], spec: WorkbookSpec = SPEC,
                 calculated: set[tuple[str, str]] | None = None) -> None:
        self.spec = spec
        self._parsed = _parsed(tables, spec)
        #: (table, key) of the calculated columns computed: those the KPIs read, unless
        #: told (then with their prerequisites)
        self._calculated = calculated_for(spec) if calculated is None else calculated

    def prepared(self, period: Period) -> dict[str, pd.DataFrame]:
        """The parsed tables with the calculated columns of ``period``."""
        out = {}
        for name, parsed in self._parsed.items():
            frame = parsed.copy(deep=False)  # copy-on-write: the parsed frame stays as it is
            for c in self.spec.table(name).columns:  # in the spec's order: prerequisites first
                if not c.is_input and (name, c.key) in self._calculated:
                    frame[c.key] = CALCULATED[(name, c.key)](frame, period)
            out[name] = frame
        return out

    def compute(self, period: Period, by: str | None = None,
                group_spec: WorkbookSpec | None = None) -> KpiResult:
        """KPIs of ``period``, overall and by ``by`` (see :func:`compute_kpis`); each
        group's KPIs are those of ``group_spec`` (a subset of this data's spec, such as
        the revenue a plan splits by) when given, else all."""
        if by is not None and by not in GROUPINGS:
            raise ValueError(f"by must be one of {GROUPINGS}")
        prepared = self.prepared(period)
        result = KpiResult(period, evaluate(prepared, period, self.spec), by)
        if by is None:
            return result
        spec = group_spec or self.spec
        if by in PERIOD_GROUPINGS:  # each month (quarter) a period of its own: growth on
            for part in period_parts(period, by):  # the one before, its own targets
                result.groups[part.label] = evaluate(self.prepared(part), part, spec)
            return result
        if by == "customer_type":  # as the new-customer KPIs see it: derived when blank
            sales = prepared["Sales"] = prepared["Sales"].copy(deep=False)
            sales["_customer_type"] = np.where(is_new_customer(sales, period), "new",
                                               "existing")
        calculated = self._calculated & calculated_for(spec)  # recounted within a group
        read = _tables_read(spec)
        tables = {n: f for n, f in prepared.items() if n in read}
        rows = {name: _group_rows(frame, by) for name, frame in tables.items()}
        # a table without the grouping column (targets by product, visits by region)
        # cannot be split: the KPIs computed from it are empty in the breakdown
        unsplit = {name for name, frame in tables.items() if _group_column(frame, by) is None}
        behind = tables_behind(spec)
        kept = ROW_LOCAL if by == MEMBER_GROUPING else WHOLE_HISTORY
        for key in _group_keys(prepared, by, period):
            subset = {}
            for name, frame in tables.items():
                part = frame.take(rows[name].get(key, _NO_ROWS))
                subset[name] = _recount_within(part, name, period, calculated, kept)
            values = evaluate(subset, period, spec)
            for kpi, sources in behind.items():
                if sources & unsplit:
                    values[kpi] = None
            result.groups[str(key)] = values
        return result


def prepare(tables: Mapping[str, pd.DataFrame], period: Period,
            spec: WorkbookSpec = SPEC) -> dict[str, pd.DataFrame]:
    """Copies of the tables KPIs read, with parsed dates and calculated columns."""
    return KpiData(tables, spec).prepared(period)


def calculated_columns(frame: pd.DataFrame, period: Period, table: str = "Sales",
                       spec: WorkbookSpec = SPEC) -> pd.DataFrame:
    """Every calculated column of ``table`` for ``period`` over the rows of ``frame``
    (input columns by field key), as the workbook's formulas compute them: one column
    per calculated key, in the spec's order, NaN where the formula gives an empty cell.
    A roll-up stores these values instead of the formulas."""
    keys = [c.key for c in spec.table(table).columns if not c.is_input]
    prepared = KpiData({table: frame}, spec, {(table, k) for k in keys}).prepared(period)[table]
    return pd.DataFrame({k: _number(prepared[k]).to_numpy(dtype=np.float64)
                         for k in keys}, index=frame.index)


class _Masks:
    """Row masks and numeric columns of one evaluation, each computed once (many KPIs
    share the same window or condition)."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self._cache: dict[tuple[object, ...], np.ndarray] = {}

    def _get(self, key: tuple[object, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def window(self, frame: pd.DataFrame, field: str, window: Window) -> np.ndarray:
        return self._get((id(frame), "w", field, window), lambda: _in_window(
            frame["_" + field], self.period, window).to_numpy(dtype=bool))

    def where(self, frame: pd.DataFrame, key: str, value: object) -> np.ndarray:
        def make() -> np.ndarray:
            column = frame[key]
            if isinstance(value, str):
                return column.eq(value).to_numpy(dtype=bool, na_value=False)
            if isinstance(value, tuple):
                return column.isin(value).to_numpy(dtype=bool)
            return (_number(column) == value).to_numpy(dtype=bool, na_value=False)
        return self._get((id(frame), "q", key, value), make)

    def number(self, frame: pd.DataFrame, key: str) -> np.ndarray:
        return self._get((id(frame), "n", key),
                         lambda: _number(frame[key]).to_numpy(dtype=float, na_value=np.nan))


def _aggregate(agg: Aggregate, frame: pd.DataFrame, masks: _Masks) -> float | None:
    mask = masks.window(frame, agg.date_field, agg.window)
    for key, value in agg.where:
        mask = mask & masks.where(frame, key, value)
    if agg.field is None:
        return float(mask.sum())
    values = masks.number(frame, agg.field)[mask]
    if agg.average:
        present = values[~np.isnan(values)]
        return None if present.size == 0 else float(present.mean())
    result = float(np.nansum(values))
    return float(np.round(result)) if agg.integer else result


def _n(v: KpiValue) -> float:
    return 0.0 if v is None else v


def evaluate(prepared: Mapping[str, pd.DataFrame], period: Period,
             spec: WorkbookSpec = SPEC) -> dict[str, KpiValue]:
    """Every KPI of ``spec`` over prepared tables (see :func:`prepare`)."""
    values: dict[str, KpiValue] = {}
    masks = _Masks(period)
    for kpi in spec.kpis:
        f = kpi.formula
        if isinstance(f, Aggregate):
            values[kpi.key] = _aggregate(f, prepared[f.table], masks)
        elif isinstance(f, Ratio):
            den = _n(values[f.denominator])
            values[kpi.key] = None if den == 0 else _n(values[f.numerator]) / den
        elif isinstance(f, Difference):
            diff = _n(values[f.minuend]) - _n(values[f.subtrahend])
            if f.floor is not None:
                diff = max(f.floor, diff)
            values[kpi.key] = None if any(values[k] is None for k in f.requires) else diff
        elif isinstance(f, Product):
            left, right = values[f.left], values[f.right]
            values[kpi.key] = None if left is None or right is None else left * right
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
    """KPIs of ``period`` over ``tables``, overall and by ``by`` (one of
    :data:`~xlsales.groupings.GROUPINGS`) when given; by month or quarter, each part of
    the period is computed as a period of its own. A group's figures use only its rows; a KPI
    computed from a table without the grouping column (targets by product, visits by
    region) is empty in the breakdown: it cannot be split."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    return KpiData(tables, spec).compute(period, by)


def _group_column(frame: pd.DataFrame, by: str) -> pd.Series | None:
    if by == "customer_type" and "_customer_type" in frame.columns:
        return frame["_customer_type"]  # the sales rows' type as the KPIs derive it
    return frame[by] if by in frame.columns else None


def _dates_of(frame: pd.DataFrame) -> pd.Series:
    """The parsed date a table's KPIs filter by: a target's month, else the row's date."""
    return frame["_period"] if "_period" in frame.columns else frame["_date"]


_NO_ROWS = np.empty(0, dtype=np.intp)


def _group_rows(frame: pd.DataFrame, by: str) -> dict[object, np.ndarray]:
    """Positions of the rows of each group (rows whose group column equals the key),
    found in one pass instead of comparing the column with every key."""
    column = _group_column(frame, by)
    if column is None or column.empty:
        return {}
    return column.groupby(column.to_numpy(dtype=object), sort=False, dropna=True).indices


def _group_keys(prepared: Mapping[str, pd.DataFrame], by: str, period: Period) -> list[str]:
    """The groups of a breakdown: those with sales rows this period or last (churn) or
    open opportunities (pipeline), and those with a target or an activity in the period
    (a rep with a target and no sales yet is in the breakdown, at 0)."""
    keys: set[str] = set()
    for name, frame in prepared.items():
        column = _group_column(frame, by)
        if column is None:
            continue
        dates = _dates_of(frame)
        relevant = _in_window(dates, period, "current")
        if name == "Sales":
            relevant |= (_in_window(dates, period, "previous")
                         | (frame["stage"].isin(OPEN_STAGES)
                            & _in_window(dates, period, "to_date")))
        keys.update(column[relevant].dropna().astype(str))
    return sorted(keys)


def _recount_within(part: pd.DataFrame, name: str, period: Period,
                    calculated: set[tuple[str, str]],
                    kept: set[tuple[str, str]] = WHOLE_HISTORY) -> pd.DataFrame:
    """Distinct counts are recounted within the group; the ``kept`` columns keep the
    whole history: by default the new-customer flags (a customer new to the team is new
    to the rep too), by member not (a member's figures are those of its own book)."""
    if part.empty:
        return part
    part = part.copy(deep=False)  # copy-on-write: only columns are replaced
    for (table, key), function in CALCULATED.items():  # prerequisites first
        if table == name and (table, key) in calculated and (table, key) not in kept:
            part[key] = function(part, period)
    return part
