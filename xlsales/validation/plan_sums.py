"""The plan's targets add up: each total equals its parts (the reps' rows of the same
sub-period and metric), and the whole period's total — a quarter's in a year plan too —
equals the totals of its sub-periods. A generated plan always does; an edited one may
not, and ``xlsales new --from`` takes the next period's targets from the reps' rows, so
a total changed alone would be silently dropped."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.periods import Period
from xlsales.spec.declarations import PLAN_METRICS

#: Plan metrics that are rates (the same on every row): they do not add up.
RATE_METRICS = frozenset({"collection_rate"})


def _differs(total: float, parts: float) -> bool:
    """More than rounding apart (targets are whole numbers, a rate is not summed)."""
    return abs(total - parts) > 0.5 + 1e-9 * abs(total)


@dataclass(frozen=True)
class _Total:
    """A total of the plan that its reps' rows do not add up to."""

    pos: int
    period: Period | None  # None: a week
    start: date | None
    value: float
    summed: float

    @property
    def gap(self) -> float:
        return self.value - self.summed

    def holds(self, other: _Total) -> bool:
        """``other`` is a total of a shorter span inside this one's."""
        if self.period is None or other is self:
            return False
        if other.period is None:
            return other.start is not None and self.period.contains(other.start)
        return other.period.months < self.period.months and \
            self.period.contains(other.period.start)


def _grouped(differing: list[_Total]) -> Iterator[tuple[_Total, list[_Total]]]:
    """Each differing total with the longer ones it alone explains: one row added or
    changed by hand in a year plan makes its month's, its quarter's and the year's totals
    differ by the same amount; one finding (at the month) names the others."""
    explained: dict[int, list[_Total]] = {}
    for outer in differing:
        inner = [t for t in differing if outer.holds(t)]
        leaves = [t for t in inner if not any(t.holds(u) for u in inner)]
        if len(leaves) == 1 and not _differs(outer.gap, leaves[0].gap):
            explained.setdefault(leaves[0].pos, []).append(outer)
    hidden = {t.pos for group in explained.values() for t in group}
    for t in differing:
        if t.pos not in hidden:
            yield t, sorted(explained.get(t.pos, []), key=lambda o: o.period.months)  # type: ignore[union-attr]


def _finding(book: ReadWorkbook, plan: ReadTable, pos: int, total: float,
             parts: float, containers: Sequence[_Total] = ()) -> Finding:
    row = plan.frame.iloc[pos]
    labels = [str(plan.frame["period_label"].iat[t.pos]) for t in containers]
    cells = [plan.cell("value", t.pos) for t in containers]
    also_zh = "".join(f"{label}（{cell}）" if i == 0 else f"、{label}（{cell}）"
                      for i, (label, cell) in enumerate(zip(labels, cells, strict=True)))
    also_en = ", ".join(f"{label} ({cell})" for label, cell in zip(labels, cells, strict=True))
    names = PLAN_METRICS.get(str(row.get("kpi")))  # the book may name it in another language
    metric = row.get("metric") or row.get("kpi")
    return finding("plan_parts_differ", sheet=plan.sheet, cell=plan.cell("value", pos),
                   row=plan.rows[pos], column="value", value=total, table=plan.spec.name,
                   label=plan.spec.column("value").label.get(book.lang),
                   target_id=row.get("target_id"), period=row.get("period_label"),
                   metric_zh=names[0].zh if names else metric,
                   metric_en=names[0].en if names else metric, parts=f"{parts:,.0f}",
                   total=f"{total:,.0f}",
                   also_zh=f"包含它的 {also_zh}的总目标也因此相差 {abs(total - parts):,.0f}："
                           "若改这个总数，请把它们一并改正。" if containers else "",
                   also_en=f" The totals holding it, {also_en}, differ by the same "
                           f"{abs(total - parts):,.0f} for the same reason: if you change "
                           "this total, change those with it." if containers else "")


def plan_sum_findings(book: ReadWorkbook, plan: ReadTable) -> Iterator[Finding]:
    """A warning at every total of the PlanTargets table that the reps' rows it covers do
    not add up to: those of its sub-period (a week) and metric, or, for a month, quarter or
    the whole period, the reps' targets of its months as ``new --from`` takes them
    (:func:`~xlsales.plan.rep_months.rep_month_revenue`: a rep's row for a longer span
    stands for their rows inside it). A longer total that differs only because one
    shorter total inside it does (a row added to a month of a year plan) is named in that
    one's finding, not warned on its own."""
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
        given = of_metric & total
        totals = dict(zip(label[given], value[given], strict=True))
        by_month = [sum(v) for v in zip(*rep_month_revenue(rows, months, totals).values(),
                                         strict=True)] if len(rows) else []
        differing: list[_Total] = []
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
                start = pd.to_datetime(f["period"].iat[pos], errors="coerce")
                differing.append(_Total(int(pos), period, None if pd.isna(start)
                                        else start.date(), float(value.iat[pos]), summed))
        for leaf, containers in _grouped(differing):
            yield _finding(book, plan, leaf.pos, leaf.value, leaf.summed, containers)
