"""The plan's targets add up: each total equals its parts (the reps' rows of the same
sub-period and metric), and the whole period's total — a quarter's in a year plan too —
equals the totals of its sub-periods. A generated plan always does; an edited one may
not, and ``xlsales new --from`` takes the next period's targets from the reps' rows, so
a total changed alone would be silently dropped."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.spec.declarations import PLAN_METRICS

#: Plan metrics that are rates (the same on every row): they do not add up.
RATE_METRICS = frozenset({"collection_rate"})


def _differs(total: float, parts: float) -> bool:
    """More than rounding apart (targets are whole numbers, a rate is not summed)."""
    return abs(total - parts) > 0.5 + 1e-9 * abs(total)


def _finding(book: ReadWorkbook, plan: ReadTable, pos: int, total: float,
             parts: float) -> Finding:
    row = plan.frame.iloc[pos]
    names = PLAN_METRICS.get(str(row.get("kpi")))  # the book may name it in another language
    metric = row.get("metric") or row.get("kpi")
    return finding("plan_parts_differ", sheet=plan.sheet, cell=plan.cell("value", pos),
                   row=plan.rows[pos], column="value", value=total, table=plan.spec.name,
                   label=plan.spec.column("value").label.get(book.lang),
                   target_id=row.get("target_id"), period=row.get("period_label"),
                   metric_zh=names[0].zh if names else metric,
                   metric_en=names[0].en if names else metric, parts=f"{parts:,.0f}",
                   total=f"{total:,.0f}")


def plan_sum_findings(book: ReadWorkbook, plan: ReadTable) -> Iterator[Finding]:
    """A warning at every total of the PlanTargets table that the reps' rows it covers do
    not add up to: those of its sub-period (a week) and metric, or, for a month, quarter or
    the whole period, the reps' targets of its months as ``new --from`` takes them
    (:func:`~xlsales.plan.rep_months.rep_month_revenue`: a rep's row for a longer span
    stands for their rows inside it)."""
    # here, not at the top: the plan package is imported only for a book holding a plan
    from xlsales.plan.rep_months import dated, month_of, rep_month_revenue, span

    f = plan.frame
    if not {"period_label", "kpi", "value", "scope"} <= set(plan.columns):
        return
    value = pd.to_numeric(f["value"], errors="coerce")
    kpi, label = f["kpi"].astype(object), f["period_label"].astype(object).map(str)
    total, part = f["scope"].eq("total"), f["scope"].eq("part")
    if "period" not in plan.columns:
        f = f.assign(period=pd.NaT)  # starts from the labels (:func:`dated`)
    for metric in pd.unique(kpi[total & value.notna()]):
        if metric in RATE_METRICS:
            continue
        of_metric = kpi.eq(metric) & value.notna()
        parts = (of_metric & part).to_numpy().nonzero()[0]
        if not len(parts):
            continue  # a total the plan does not split
        by_label = value.iloc[parts].groupby(label.iloc[parts]).sum()
        rows = dated(f.iloc[parts].assign(value=value.iloc[parts]))
        months = sorted({month_of(d) for d in rows["period"]})
        by_month = [sum(v) for v in zip(*rep_month_revenue(rows, months).values(),
                                         strict=True)] if len(rows) else []
        for pos in (of_metric & total).to_numpy().nonzero()[0]:
            period = span(label.iat[pos])
            if period is not None and months:  # a month or longer: the reps' months
                summed = float(sum(v for m, v in zip(months, by_month, strict=True)
                                   if period.contains(m)))
            elif label.iat[pos] in by_label.index:  # a week: its reps' rows
                summed = float(by_label[label.iat[pos]])
            else:
                continue
            if _differs(value.iat[pos], summed):
                yield _finding(book, plan, pos, value.iat[pos], summed)
