"""The KPI engine: every KPI of the spec, computed with pandas (no Excel).

It evaluates the same declarations (:mod:`xlsales.spec.declarations`) the
template compiles into native formulas, so the two agree; the tests prove it
against LibreOffice's recalculation of the KPI sheet. Input frames use field
keys and choice keys (as produced by the reader or the sample generator).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xlsales.groupings import GROUPINGS, MEMBER_GROUPING, PERIOD_GROUPINGS, period_parts
from xlsales.kpis_arrays import is_in, text_codes
from xlsales.kpis_calculated import (
    CALCULATED,
    PERIOD_FREE,
    PREREQUISITES,
    ROW_LOCAL,
    WHOLE_HISTORY,
    _in_window,
    _number,
    is_new_customer,
)
from xlsales.kpis_calculated import window_bounds as window_bounds
from xlsales.kpis_derived import KpiValue as KpiValue
from xlsales.kpis_derived import derived_value
from xlsales.kpis_masks import RowMasks, SharedMasks
from xlsales.kpis_parsed import parsed_tables, tables_read
from xlsales.kpis_table import KpiTable
from xlsales.periods import Period
from xlsales.spec import (
    SPEC,
    Aggregate,
    WorkbookSpec,
)
from xlsales.spec.declarations import OPEN_STAGES
from xlsales.spec.subset import tables_behind
from xlsales.values import tidy


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
    require_twins(spec, needed)
    return needed & set(CALCULATED)


def require_twins(spec: WorkbookSpec, columns: set[tuple[str, str]]) -> None:
    """Fail loudly, naming where to add it, when one of ``columns`` (table, key) is a
    calculated column of ``spec`` without its pandas counterpart: the KPIs over it would
    be 0 here while the workbook's formula counts."""
    missing = sorted((t, k) for t, k in columns if (t, k) not in CALCULATED
                     and not spec.table(t).column(k).is_input)
    if missing:
        names = ", ".join(f"{t}.{k}" for t, k in missing)
        raise NotImplementedError(
            f"calculated column {names} has a formula in the spec but no pandas counterpart: "
            "add a function computing it to CALCULATED in xlsales/kpis_calculated.py "
            "(and to PREREQUISITES when it reads another calculated column)")


class KpiData:
    """The tables the KPIs read, parsed once; the KPIs of any period from them.

    The calculated columns depend on the period (new customers, churn, last period's
    prices), the parsing does not: a caller needing several periods (the plan's trailing
    months, the report's monthly trend) parses the tables once."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], spec: WorkbookSpec = SPEC,
                 calculated: set[tuple[str, str]] | None = None) -> None:
        self.spec = spec
        #: (table, key) of the calculated columns computed: those the KPIs read, unless
        #: told (then with their prerequisites)
        if calculated is not None:
            require_twins(spec, calculated)
        self._calculated = calculated_for(spec) if calculated is None else calculated
        self._parsed = parsed_tables(tables, spec, self._calculated)
        #: the calculated columns the same in every period (row-local), once computed
        self._fixed: dict[tuple[str, str], pd.Series] = {}
        #: masks and numbers of the whole tables, kept across periods (see
        #: :class:`~xlsales.kpis_masks.RowMasks`): but for the columns computed per period
        self._shared: SharedMasks = {}
        self._varying = self._calculated - PERIOD_FREE

    def prepared(self, period: Period) -> dict[str, KpiTable]:
        """The parsed tables with the calculated columns of ``period`` (set beside the
        parsed frame, which stays as it is)."""
        out = {}
        for name, parsed in self._parsed.items():
            frame = parsed.copy()
            for c in self.spec.table(name).columns:  # in the spec's order: prerequisites first
                key = (name, c.key)
                if c.is_input or key not in self._calculated:
                    continue
                if key not in PERIOD_FREE:
                    frame[c.key] = CALCULATED[key](frame, period)
                    continue
                if key not in self._fixed:
                    self._fixed[key] = CALCULATED[key](frame, period)
                frame[c.key] = self._fixed[key]
            out[name] = frame
        return out

    def _masks(self, prepared: Mapping[str, KpiTable], period: Period) -> RowMasks:
        """Masks of the whole tables of ``period``, kept across periods."""
        return RowMasks(period, prepared, self._shared, self._varying)

    def compute(self, period: Period, by: str | None = None,
                group_spec: WorkbookSpec | None = None,
                named: Collection[str] = ()) -> KpiResult:
        """KPIs of ``period``, overall and by ``by`` (see :func:`compute_kpis`); each
        group's KPIs are those of ``group_spec`` (a subset of this data's spec, such as
        the revenue a plan splits by) when given, else all. The ``named`` groups (a listed
        rep asked for by name) are computed too, from their rows, when the period has
        none of theirs: what they sold is 0, their ratios empty, as a period's without
        rows, where the breakdown itself lists only the groups with rows."""
        if by is not None and by not in GROUPINGS:
            raise ValueError(f"by must be one of {GROUPINGS}")
        prepared = self.prepared(period)
        whole = self._masks(prepared, period)
        result = KpiResult(period, evaluate(prepared, period, self.spec, whole), by)
        if by is None:
            return result
        spec = group_spec or self.spec
        if by in PERIOD_GROUPINGS:  # each month (quarter) a period of its own: growth on
            for part in period_parts(period, by):  # the one before, its own targets
                tables = self.prepared(part)
                result.groups[part.label] = evaluate(tables, part, spec,
                                                     self._masks(tables, part))
            return result
        if by == "customer_type":  # as the new-customer KPIs see it: derived when blank
            sales = prepared["Sales"] = prepared["Sales"].copy(deep=False)
            sales["_customer_type"] = np.where(is_new_customer(sales, period), "new",
                                               "existing")
        calculated = self._calculated & calculated_for(spec)  # recounted within a group
        read = tables_read(spec)
        tables = {n: f for n, f in prepared.items() if n in read}
        rows = {name: _group_rows(frame, by) for name, frame in tables.items()}
        # a table without the grouping column (targets by product, visits by region)
        # cannot be split: the KPIs computed from it are empty in the breakdown
        unsplit = {name for name, frame in tables.items() if _group_column(frame, by) is None}
        behind = tables_behind(spec)
        kept = ROW_LOCAL if by == MEMBER_GROUPING else WHOLE_HISTORY
        recounted = {k for k in calculated if k not in kept}
        for key in sorted({*_group_keys(prepared, by, period), *named}):
            subset, positions = {}, {}
            for name, frame in tables.items():
                positions[name] = rows[name].get(key, _NO_ROWS)
                part = frame.take(positions[name])
                subset[name] = _recount_within(part, name, period, calculated, kept)
            values = evaluate(subset, period, spec, RowMasks(
                period, subset, varying=recounted, parent=whole, rows=positions),
                targets_unset=by != MEMBER_GROUPING)
            for kpi, sources in behind.items():
                if sources & unsplit:
                    values[kpi] = None
            result.groups[str(key)] = values
        return result


def prepare(tables: Mapping[str, pd.DataFrame], period: Period,
            spec: WorkbookSpec = SPEC) -> dict[str, pd.DataFrame]:
    """Copies of the tables KPIs read, with parsed dates and calculated columns."""
    return {n: t.to_frame() for n, t in KpiData(tables, spec).prepared(period).items()}


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


#: The table of the targets: a sum of its values over no row is no target, not 0 (in a
#: breakdown: see :func:`evaluate`).
TARGETS_TABLE = "Targets"


def _aggregate(agg: Aggregate, masks: RowMasks, targets_unset: bool = False) -> float | None:
    mask = masks.window(agg.table, agg.date_field, agg.window)
    for key, value in agg.where:
        mask = mask & masks.where(agg.table, key, value)
    if agg.field is None:
        return float(mask.sum())
    values = masks.number(agg.table, agg.field)[mask]
    if targets_unset and agg.table == TARGETS_TABLE and np.isnan(values).all():
        return None  # a rep without a target row (or value) in the period: no target
    if agg.average:
        present = values[~np.isnan(values)]
        return None if present.size == 0 else float(present.mean())
    result = float(np.nansum(values))
    return float(np.round(result)) if agg.integer else result


def evaluate(prepared: Mapping[str, KpiTable], period: Period,
             spec: WorkbookSpec = SPEC, masks: RowMasks | None = None,
             targets_unset: bool = False) -> dict[str, KpiValue]:
    """Every KPI of ``spec`` over prepared tables (see :func:`prepare`), with ``masks``
    of them when given (kept across periods, or taken from the whole tables': see
    :class:`~xlsales.kpis_masks.RowMasks`). With ``targets_unset`` (a rep of a
    breakdown), a target no target row of the period sets is empty, not 0; the whole's
    stays 0, as the KPI sheet's SUMIFS gives it."""
    values: dict[str, KpiValue] = {}
    if masks is None:
        masks = RowMasks(period, prepared)
    for kpi in spec.kpis:
        f = kpi.formula
        values[kpi.key] = (_aggregate(f, masks, targets_unset) if isinstance(f, Aggregate)
                           else derived_value(f, values))
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


#: The group of the rows that leave a breakdown's optional column empty (no region, no
#: product): a group of its own, keyed by an empty name, so the groups add up to the whole.
BLANK_GROUP = ""
#: The breakdown columns a sales row may leave empty (the customer type is derived then).
_MAY_BE_BLANK = frozenset(c.key for c in SPEC.table("Sales").columns
                          if c.breakdown and not c.required and c.key != "customer_type")


def _group_column(frame: KpiTable, by: str) -> pd.Series | None:
    if by == "customer_type" and "_customer_type" in frame:
        return frame["_customer_type"]  # the sales rows' type as the KPIs derive it
    if by not in frame:
        return None
    column = frame[by]
    if by in _MAY_BE_BLANK:  # an empty cell (None, NaN or "") names the blank group
        column = column.astype(object).where(column.notna(), BLANK_GROUP)
    return column


def _dates_of(frame: KpiTable) -> pd.Series:
    """The parsed date a table's KPIs filter by: a target's month, else the row's date."""
    return frame["_period"] if "_period" in frame else frame["_date"]


_NO_ROWS = np.empty(0, dtype=np.intp)


def _group_rows(frame: KpiTable, by: str) -> dict[object, np.ndarray]:
    """Positions of the rows of each group (rows whose group column equals the key),
    found in one pass instead of comparing the column with every key."""
    column = _group_column(frame, by)
    if column is None or column.empty:
        return {}
    return column.groupby(column.to_numpy(dtype=object), sort=False, dropna=True).indices


def _group_keys(prepared: Mapping[str, KpiTable], by: str, period: Period) -> list[str]:
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
            relevant = relevant | _in_window(dates, period, "previous") | (
                is_in(*frame.codes("stage"), OPEN_STAGES)
                & _in_window(dates, period, "to_date"))
        codes, uniques = text_codes(column)  # each distinct value named once, not per row
        keys.update(str(u) for u in uniques[np.unique(codes[relevant & (codes >= 0)])])
    return sorted(keys)


def _recount_within(part: KpiTable, name: str, period: Period,
                    calculated: set[tuple[str, str]],
                    kept: set[tuple[str, str]] = WHOLE_HISTORY) -> KpiTable:
    """Distinct counts are recounted within the group; the ``kept`` columns keep the
    whole history: by default the new-customer flags (a customer new to the team is new
    to the rep too), by member not (a member's figures are those of its own book)."""
    if part.empty:
        return part
    part = part.copy()  # only columns are replaced
    for (table, key), function in CALCULATED.items():  # prerequisites first
        if table == name and (table, key) in calculated and (table, key) not in kept:
            part[key] = function(part, period)
    return part
