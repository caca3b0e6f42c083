"""A rep's row for a longer span of the plan against their rows inside it (rule
``plan_rep_parts_differ``): a year plan's rep has a row per quarter, the sum of their
months; edited on one side only, the two disagree, and ``xlsales new --from`` takes one
of them (:func:`~xlsales.plan.rep_months.rep_month_revenue`)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.spec.declarations import PLAN_METRICS
from xlsales.validation.plan_sums import RATE_METRICS


def plan_rep_sum_findings(book: ReadWorkbook, plan: ReadTable) -> Iterator[Finding]:
    """A warning at each rep's row of a month or longer span (a year plan's quarter) that
    their rows of shorter spans inside it, of the same metric, do not add up to, naming
    the one the next period's workbook takes."""
    from xlsales.plan.rep_months import dated, month_of, rep_month_revenue, span

    f = plan.frame
    if not {"period_label", "kpi", "value", "scope", "rep"} <= set(plan.columns):
        return
    if "period" not in plan.columns:
        f = f.assign(period=pd.NaT)
    value = pd.to_numeric(f["value"], errors="coerce")
    label = f["period_label"].astype(object).map(str)
    part = f["scope"].eq("part") & f["rep"].notna() & value.notna()
    total = f["scope"].eq("total") & value.notna()
    for metric in pd.unique(f["kpi"][part]):
        if metric in RATE_METRICS:
            continue
        rows = dated(f[part & f["kpi"].eq(metric)].assign(value=value))
        totals = dict(zip(label[total & f["kpi"].eq(metric)],
                          value[total & f["kpi"].eq(metric)], strict=True))
        starts = pd.to_datetime(rows["period"])
        months = sorted({month_of(d) for d in starts})
        carried = rep_month_revenue(rows, months, totals)  # as new --from takes them
        for pos, row in rows.iterrows():
            period = span(row["period_label"])
            if period is None:
                continue
            mine = rows[rows["rep"].eq(row["rep"]) & rows.index.to_series().ne(pos)]
            if mine.empty:
                continue
            within = starts[mine.index].map(lambda d, p=period: p.contains(d.date()))
            shorter = mine["period_label"].map(
                lambda k, p=period: (s := span(k)) is None or s.months < p.months)
            inside = mine[within & shorter]
            if inside.empty:
                continue  # a row standing for a rep without any inside it
            summed = float(inside["value"].sum())
            if abs(summed - float(row["value"])) <= 0.5:
                continue
            taken = sum(v for m, v in zip(months, carried[row["rep"]], strict=True)
                        if period.contains(m))
            yield _finding(book, plan, f.index.get_loc(pos), float(row["value"]), summed,
                           this_row=abs(taken - summed) > 0.5)


def _finding(book: ReadWorkbook, plan: ReadTable, pos: int, total: float, parts: float,
             this_row: bool) -> Finding:
    row = plan.frame.iloc[pos]
    names = PLAN_METRICS.get(str(row.get("kpi")))
    metric = row.get("metric") or row.get("kpi")
    return finding(
        "plan_rep_parts_differ", sheet=plan.sheet, cell=plan.cell("value", pos),
        row=plan.rows[pos], column="value", value=total, table=plan.spec.name,
        label=plan.spec.column("value").label.get(book.lang),
        target_id=row.get("target_id"), rep=row.get("rep"), period=row.get("period_label"),
        metric_zh=names[0].zh if names else metric, metric_en=names[0].en if names else metric,
        total=f"{total:,.0f}", parts=f"{parts:,.0f}",
        taken_zh=(f"这一行的 {total:,.0f}（按其内各行的比例分摊）" if this_row
                  else f"其内各行（合计 {parts:,.0f}）"),
        taken_en=(f"this row's {total:,.0f}, spread as the rows inside it are" if this_row
                  else f"the rows inside it ({parts:,.0f})"))
