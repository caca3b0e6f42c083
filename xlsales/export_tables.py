"""The rows of one workbook as export tables (:func:`book_tables`): each row tagged with
whose book it is, its period and currency, every table with the fixed columns of
:mod:`xlsales.export_schema`."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from xlsales.currency import CURRENCY_FIELD, currency_code
from xlsales.export_schema import (
    BY_MEMBER_TOO,
    DATED,
    EXPORTS,
    GRANULARITY,
    IN_PERIOD,
    KPI_BREAKDOWNS,
    MEMBER,
    PLAN_TABLES,
    WITHIN,
    export_columns,
)
from xlsales.groupings import PERIOD_GROUPINGS
from xlsales.io.reader import ReadWorkbook
from xlsales.kpis import KpiData, KpiResult, tidy_kpis
from xlsales.kpis_member_reps import member_rep_rows
from xlsales.periods import Period
from xlsales.rollup_member_levels import member_levels
from xlsales.rollup_rank import member_column
from xlsales.spec import SPEC, Lang, Table
from xlsales.spec.declarations import ROLLUP_WITHIN
from xlsales.values import is_blank


def _identity(book: ReadWorkbook) -> dict[str, object]:
    period = book.period
    return {  # prefixed so that they never clash with a table's own columns
        "source_file": book.path.name,
        "report_owner": book.info.get("owner"),
        "report_level": book.info.get("level"),
        "report_period": period.label if period else None,
        "report_start": period.start if period else None,
        "report_end": period.end if period else None,
        # the ISO code its basic information names, CNY when it names none
        "report_currency": currency_code(book.info.get(CURRENCY_FIELD)),
    }


def _metrics_named_in(frame: pd.DataFrame, lang: Lang, currency: object) -> pd.DataFrame:
    """Plan targets with their metric and unit named in ``lang`` (by the row's KPI key:
    a zh and an en book's revenue targets read 销售额 / 元 and Revenue / CNY); rows of
    another metric as they are."""
    from xlsales.plan.units import metric_names, money_unit
    from xlsales.spec.declarations import PLAN_METRICS

    if "kpi" not in frame.columns:
        return frame
    known = frame["kpi"].isin(list(PLAN_METRICS))
    if not known.any():
        return frame
    money = money_unit(currency, lang)
    named = {k: metric_names(k, lang, money) for k in PLAN_METRICS}
    metric = frame["kpi"].map(lambda k: named[k][0] if k in named else None)
    unit = frame["kpi"].map(lambda k: named[k][1] if k in named else None)
    out = frame.copy()
    if "metric" in out.columns:
        out["metric"] = metric.where(known, out["metric"])
    if "unit" in out.columns:
        out["unit"] = unit.where(known, out["unit"])
    return out


def _named_in(frame: pd.DataFrame, table: Table, lang: Lang) -> pd.DataFrame:
    """``frame`` of ``table`` with built-in list entries (regions, products, problem and
    budget categories) named in ``lang``; entries a team added as they are."""
    named = {c.key: frame[c.key].map(lambda v, s=c.list_source: s.default_in(v, lang))
             for c in table.builtin_list_columns if c.key in frame.columns}
    return frame.assign(**named) if named else frame


def granularity(label: object) -> str | None:
    """The level of a plan row's period label: ``year`` (2027), ``quarter`` (2027-Q1),
    ``month`` (2027-01), ``week`` (2027-01-W2); None for text that names none."""
    from xlsales.plan.rep_months import span

    period = span(label) if not is_blank(label) else None
    if period is not None:
        return period.type.value
    return "week" if re.search(r"-W\d+$", str(label).strip()) else None


def in_report_period(dates: pd.Series, period: Period | None) -> pd.Series:
    """``yes`` for each of ``dates`` within ``period`` (its first to its last day, as the
    KPIs count a row), ``no`` outside it, empty where no date can be read (or the book
    has no period)."""
    from xlsales.kpis import window_bounds

    parsed = pd.to_datetime(dates, errors="coerce")
    if period is None:
        return pd.Series(None, index=dates.index, dtype=object)
    lo, hi = window_bounds(period, "current")
    inside = ((parsed >= lo) & (parsed <= hi)).map({True: "yes", False: "no"})
    return inside.where(parsed.notna(), None)


def breakdown_rows(data: KpiData, period: Period | None, by: str,
                   result: KpiResult | None = None) -> pd.DataFrame:
    """One row per group of the ``kpis --by`` grouping ``by`` (its column, then the
    group's KPIs), from ``result`` when it was computed by ``by`` already: each rep; each
    member of a roll-up (none in a rep's book); each quarter of ``period``, computed as a
    period of its own (a year's four, a quarter's one, none for a month: it holds no whole
    quarter). None for a book without a period."""
    if period is None:
        return pd.DataFrame()
    kind = PERIOD_GROUPINGS.get(by)
    if kind is not None and not period.parts_in(kind):
        return pd.DataFrame()
    if result is None or result.by != by:
        result = data.compute(period, by=by)
    return pd.DataFrame([{by: group, **tidy_kpis(values)}
                         for group, values in result.groups.items()])


def book_tables(book: ReadWorkbook, names: Sequence[str],
                labels: Lang | None = None) -> dict[str, pd.DataFrame]:
    """The export tables of one workbook, each row tagged with source, owner, period and
    currency, with the columns of :func:`~xlsales.export_schema.export_columns` (a
    roll-up's rows name their member in ``member``, empty in a rep's own book; its
    ``kpis_by_rep`` is keyed by member and rep, each rep computed within its member). With
    ``labels``, built-in regions, products and categories are named in that language."""
    from xlsales.rollup_rank import is_rollup

    ident = _identity(book)
    frames = {n: t.frame for n, t in book.tables.items()}
    rollup = is_rollup(book.info, frames)
    # the tables parsed once; one computation gives the whole and, when asked for, each rep
    data = KpiData(frames) if any(n.startswith("kpis") for n in names) else None
    by = "rep" if "kpis_by_rep" in names and not rollup else None
    result = (data.compute(book.period, by=by) if data is not None and book.period
              and {"kpis", "kpis_by_rep"} & set(names) else None)
    out: dict[str, pd.DataFrame] = {}
    for name in names:
        source = EXPORTS[name]
        if name == "kpis":
            frame = pd.DataFrame([tidy_kpis(result.kpis)]) if result else pd.DataFrame()
        elif rollup and name in BY_MEMBER_TOO:  # two teams' 王芳 are two rows
            frame = (member_rep_rows(frames, book.period, KPI_BREAKDOWNS[name], MEMBER,
                                     member_levels(book)) if book.period else pd.DataFrame())
        elif name in KPI_BREAKDOWNS:
            frame = (breakdown_rows(data, book.period, KPI_BREAKDOWNS[name], result)
                     if data is not None else pd.DataFrame())
        else:
            table = SPEC.table(source or "")
            present = book.tables.get(table.name)
            if present is None:
                frame = pd.DataFrame(columns=[c.key for c in table.columns if c.is_input])
            else:
                keep = [c for c in present.frame.columns if c in table.keys
                        and table.column(c).is_input]
                frame = present.frame[keep]
                own = [c for c in present.frame.columns if c not in table.keys]
                member, within = member_column(own), ROLLUP_WITHIN.header_in(own)
                if member is not None:  # a roll-up's rows: else empty (below)
                    frame = frame.assign(**{MEMBER: present.frame[member]})
                if within is not None:  # a roll-up of roll-ups': the members below
                    frame = frame.assign(**{WITHIN: present.frame[within]})
                if table.name == "PlanTargets" and "period_label" in frame.columns:
                    frame = frame.assign(**{GRANULARITY: frame["period_label"].map(
                        granularity)})
                if table.name in DATED and DATED[table.name] in frame.columns:
                    frame = frame.assign(**{IN_PERIOD: in_report_period(
                        frame[DATED[table.name]], book.period)})
                if labels is not None:
                    frame = _named_in(frame, table, labels)
                    if table.name == "PlanTargets":
                        frame = _metrics_named_in(frame, labels, book.info.get(CURRENCY_FIELD))
        for i, (key, value) in enumerate(ident.items()):
            frame.insert(i, key, value)
        if source in PLAN_TABLES:  # the period the plan is for, not the book's
            frame.insert(len(ident), "plan_period",
                         book.period.next.label if book.period else None)
        # the same columns in the same order for every book: a rep's (no member), one
        # without a period (no KPIs), one missing an optional column
        out[name] = frame.reindex(columns=export_columns(name))
    return out
