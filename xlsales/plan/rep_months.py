"""Each rep's revenue target per month, as a plan's rows give it — the one reading that
``xlsales new --from`` carries (:mod:`xlsales.carry_over`) and validation checks the
plan's totals against (:mod:`xlsales.validation.plan_sums`).

A plan splits revenue per rep over its sub-periods (the weeks of a month, the months of a
quarter or year). A rep's row for a longer span holding such rows — a whole month beside
the weeks, a quarter beside the months: one added by hand, for a new rep say — stands for
that rep's rows inside it, spread over its months as those rows are (else as everyone's,
else evenly). A year plan gives each rep a row per quarter, the sum of their months: where
the two disagree, the one edited counts — the rep's months when the quarter's rows still
add up to the quarter's total (the quarter's were left as written), else the quarter."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from xlsales.errors import XlsalesError
from xlsales.periods import Period
from xlsales.plan.rounding import split_exact


def span(label: object) -> Period | None:
    """The period a plan row's label names (a year, quarter or month: ``2027`` that Excel
    turned into the number 2027.0 too; None for a week or text that names no period)."""
    if isinstance(label, float) and label.is_integer():
        label = int(label)
    try:
        return Period.parse(str(label))
    except (XlsalesError, ValueError):
        return None


def month_of(d: object) -> date:
    """The first day of the month of ``d`` (a date or date-like value)."""
    ts = pd.Timestamp(d)
    return date(ts.year, ts.month, 1)


def dated(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with each missing start (a row typed by hand without it) taken from its
    label's period (``2027-02``, ``2027-Q1``); a row whose start cannot be told (a week
    without one) is left out."""
    starts = pd.to_datetime(rows["period"], errors="coerce")
    missing = starts.isna()
    if missing.any():
        from_label = rows.loc[missing, "period_label"].map(
            lambda label: pd.Timestamp(p.start) if (p := span(label)) is not None else pd.NaT)
        starts = starts.where(~missing, pd.to_datetime(from_label, errors="coerce"))
    return rows.assign(period=starts)[starts.notna()]


def _coarse(rows: pd.DataFrame) -> dict[str, Period]:
    """The labels (with their spans) of rows whose span holds rows of a shorter one."""
    starts = rows.groupby(rows["period_label"].map(str))["period"].min()
    spans = {label: span(label) for label in starts.index}
    out = {}
    for label, period in spans.items():
        if period is None:
            continue
        for other, start in starts.items():
            inner = spans[other]
            if other != label and pd.notna(start) and \
                    period.contains(pd.Timestamp(start).date()) and \
                    (inner is None or inner.months < period.months):
                out[label] = period
                break
    return out


def _subtotals(rows: pd.DataFrame, coarse: dict[str, Period],
               totals: Mapping[str, float]) -> set[str]:
    """The labels of ``coarse`` whose rows still add up to their total in ``totals``: each
    rep's row there is the sum of their rows inside it, as written, not a row that stands
    for them."""
    summed = rows.groupby(rows["period_label"].map(str))["value"].sum()
    return {label for label in coarse if label in totals and label in summed.index
            and abs(float(summed[label]) - float(totals[label])) <= 0.5}


def rep_month_revenue(rows: pd.DataFrame, months: list[date],
                      totals: Mapping[str, float] | None = None) -> dict[str, list[float]]:
    """Rep → revenue target of each of ``months`` from a plan's per-rep revenue rows
    (columns ``rep``, ``period``, ``period_label``, ``value``), reps in order of their
    first row; ``totals``: the plan's total per period label, which tell a rep's quarter
    row left as written (their months count) from one edited (it counts)."""
    rows = dated(rows[rows["rep"].notna()])
    if rows.empty:
        return {}
    labels = rows["period_label"].map(str)
    coarse = _coarse(rows)
    subtotals = _subtotals(rows, coarse, totals or {})
    fine = rows[~labels.isin(list(coarse))]
    by_rep_month = fine.assign(month=fine["period"].map(month_of)).groupby(
        ["rep", "month"])["value"].sum()
    everyone = fine.assign(month=fine["period"].map(month_of)).groupby("month")["value"].sum()
    out: dict[str, list[float]] = {}
    for rep in dict.fromkeys(rows["rep"]):
        monthly = [float(by_rep_month.get((rep, m), 0.0)) for m in months]
        own = rows[rows["rep"].eq(rep) & labels.isin(list(coarse))]
        for label in sorted(set(own["period_label"].map(str)),
                            key=lambda k: coarse[k].months):
            inside = [i for i, m in enumerate(months)
                      if coarse[label].contains(m)]
            shape = [monthly[i] for i in inside]
            if label in subtotals and sum(shape) > 0:
                continue  # their months, as edited (the quarter's rows as written)
            if sum(shape) <= 0:
                shape = [float(everyone.get(months[i], 0.0)) for i in inside]
            total = float(own[own["period_label"].map(str) == label]["value"].sum())
            for i, value in zip(inside, split_exact(total, shape), strict=True):
                monthly[i] = value
        out[rep] = monthly
    return out
