"""A quarter's summary workbook from the three month books of one owner
(``xlsales new --period 2026-Q4 --from OCT.xlsx --from NOV.xlsx --from DEC.xlsx``).

A rep summarises each month in its own book (``new --from`` starts the next one), then
writes the quarter's summary. ``consolidate`` rolls up the books of *one* period; this
puts the months of one quarter together instead:

- each month's sales, activities and targets come from that month's own book (the book
  summarising it, where its rows were corrected), history before the quarter from the
  latest month's book, which carries it;
- the problems, lessons and reviewed actions of all three months, their IDs prefixed with
  the month they belong to (``2026-10/P001``) so that they stay apart;
- settings, lists, custom fields and basic information from the latest month's book.

The quarter book holds no plan: ``xlsales plan`` on it plans the next quarter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd

from xlsales.carry_over import CARRIED_INFO, CARRIED_TABLES, as_typed
from xlsales.errors import UsageError
from xlsales.io.reader import ReadWorkbook
from xlsales.periods import Period, PeriodType
from xlsales.rollup_rank import is_rollup
from xlsales.spec import SPEC
from xlsales.values import is_blank
from xlsales.workbook_data import BuildOptions, WorkbookData

#: Tables of dated rows, and the column dating them: a month's rows come from its own book.
DATED_TABLES = {"Sales": "date", "Activities": "date", "Targets": "period"}
#: Tables of the month's own notes, and their ID columns prefixed with the month
#: (ActionReview: the month whose plan made the action, the one before the book's).
NOTE_TABLES = {"Problems": ("problem_id",), "Lessons": ("lesson_id",),
               "ActionReview": ("action_id", "problem_id")}
#: The settings tables ``new --from`` carries (custom fields, playbook): the latest month's.
SETTINGS_TABLES = tuple(t for t in CARRIED_TABLES if t not in DATED_TABLES)


def _months(book: ReadWorkbook) -> Period:
    period = book.require_period(option=False)
    if period.type is not PeriodType.MONTH:
        raise UsageError(
            f"{book.path.name} 是 {period.label} 的总结，不是月度工作簿：季度总结由同一季度的"
            "三个月度工作簿生成。",
            f"{book.path.name} summarises {period.label}, not a month: a quarter's summary is "
            "made from the three month books of that quarter.")
    return period


def _check_books(books: Sequence[ReadWorkbook], quarter: Period | None
                 ) -> tuple[Period, dict[Period, ReadWorkbook]]:
    """The quarter and each month's book, or an error a rep can act on."""
    by_month: dict[Period, ReadWorkbook] = {}
    for book in books:
        month = _months(book)
        if month in by_month:
            raise UsageError(
                f"{by_month[month].path.name} 和 {book.path.name} 都是 {month.label} 的总结："
                "每个月只给一个工作簿。",
                f"{by_month[month].path.name} and {book.path.name} both summarise "
                f"{month.label}: give one workbook per month.")
        by_month[month] = book
    quarters = {m.within(PeriodType.QUARTER) for m in by_month}
    target = quarter or min(quarters, key=lambda q: q.start)
    if quarter is not None and quarter.type is not PeriodType.QUARTER:
        raise UsageError(f"--period {quarter.label} 不是季度：请写成 2026-Q4。",
                         f"--period {quarter.label} is not a quarter: write it as 2026-Q4.")
    outside = sorted(m.label for m in by_month if m.within(PeriodType.QUARTER) != target)
    if outside:
        raise UsageError(
            f"{'、'.join(outside)} 不在 {target.label} 内：只给 {target.label} 的三个月度工作簿。",
            f"{', '.join(outside)} is not in {target.label}: give the three month books of "
            f"{target.label} only.")
    missing = [m.label for m in target.months_in() if m not in by_month]
    if missing:
        raise UsageError(
            f"缺少 {'、'.join(missing)} 的工作簿：{target.label} 的总结需要它的三个月度工作簿。",
            f"The workbook of {', '.join(missing)} is missing: the summary of {target.label} "
            "needs its three month books.")
    for key, zh, en in (("owner", "负责人", "owner"), ("currency", "币种", "currency")):
        values = {str(b.info.get(key) or "") for b in by_month.values()}
        if len(values) > 1:
            named = "、".join(f"{b.path.name}：{b.info.get(key) or '—'}"
                             for b in by_month.values())
            raise UsageError(
                f"这些月度工作簿的{zh}不同（{named}）：季度总结只合并同一{zh}的工作簿；"
                "团队的工作簿请用 xlsales consolidate 合并。",
                f"These month books differ in {en} ({named.replace('：', ': ')}): a quarter's "
                f"summary puts one {en}'s books together; roll a team's books up with "
                "xlsales consolidate.")
    rollups = [b.path.name for b in by_month.values() if is_rollup(b.info, {})]
    if rollups:
        raise UsageError(
            f"{'、'.join(rollups)} 是合并表：请用成员的季度工作簿重新合并（xlsales consolidate）。",
            f"{', '.join(rollups)} is a roll-up: consolidate the members' quarter books "
            "instead.")
    return target, by_month


def _month_start(value: object) -> pd.Timestamp | None:
    """The first day of the month ``value`` falls in; None when it is no date (a value
    kept as typed, for the new book's validation to name)."""
    if isinstance(value, (date, datetime, pd.Timestamp)) and not pd.isna(value):
        return pd.Timestamp(value).to_period("M").to_timestamp()
    return None


def _late_orders(quarter: Period, by_month: dict[Period, ReadWorkbook],
                 notes: list[tuple[str, str]]) -> list[pd.DataFrame]:
    """Orders dated in a month of the quarter that a later month's book holds and that
    month's own book does not (a CRM export with October's late orders imported into
    November's book): counted in the quarter, each book's with a note naming them."""
    found = []
    ordered = sorted(by_month.items(), key=lambda item: item[0].start)
    for month, book in ordered:
        known = {str(v).strip() for v in book.frame("Sales")["order_id"].dropna()}
        for later, other in ordered:
            if later.start <= month.start:
                continue
            frame = as_typed(other, "Sales")
            ids = frame["order_id"].map(lambda v: "" if is_blank(v) else str(v).strip())
            late = frame[(frame["date"].map(_month_start) == pd.Timestamp(month.start))
                         & (ids != "") & ~ids.isin(known)]
            if late.empty:
                continue
            known |= set(ids[late.index])
            found.append(late)
            shown = "、".join(ids[late.index][:5]) + ("…" if len(late) > 5 else "")
            notes.append((
                f"{other.path.name} 有 {len(late)} 个 {month.label} 的订单不在 "
                f"{book.path.name} 中（{shown}）：已计入 {quarter.label}；若是在 "
                f"{book.path.name} 中有意删除的，请在季度工作簿中也删除。",
                f"{other.path.name} holds {len(late)} orders of {month.label} that "
                f"{book.path.name} does not ({shown.replace('、', ', ')}): counted in "
                f"{quarter.label}; if they were deleted from {book.path.name} on purpose, "
                "delete them in the quarter's workbook too."))
    return found


def _dated_rows(name: str, column: str, quarter: Period,
                by_month: dict[Period, ReadWorkbook], latest: ReadWorkbook,
                notes: list[tuple[str, str]]) -> pd.DataFrame:
    """Rows of ``name``: each month of the quarter from its own book (with the rows it
    holds as typed), earlier ones from ``latest``; rows dated after the quarter are left.
    Sales: with the orders of a month that only a later book holds (:func:`_late_orders`)."""
    parts = []
    start = pd.Timestamp(quarter.start)
    for month, book in sorted(by_month.items(), key=lambda item: item[0].start):
        if name not in book.tables:
            continue
        frame = as_typed(book, name)
        months = frame[column].map(_month_start)
        own = months == pd.Timestamp(month.start)
        if book is latest:
            own |= months.map(lambda m: m is not None and m < start)
        own |= months.isna()  # as typed: stays in the book it was typed in
        parts.append(frame[own])
    if name == "Sales":
        parts.extend(_late_orders(quarter, by_month, notes))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return as_typed(latest, name).iloc[0:0] if name in latest.tables else pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def _notes(name: str, ids: tuple[str, ...], by_month: dict[Period, ReadWorkbook]
           ) -> pd.DataFrame:
    """The month's own ``name`` rows of every book, IDs prefixed with their month."""
    parts = []
    for month, book in sorted(by_month.items(), key=lambda item: item[0].start):
        if name not in book.tables or book.frame(name).empty:
            continue
        frame = as_typed(book, name).copy()
        made_in = month.previous if name == "ActionReview" else month
        for key in ids:
            frame[key] = frame[key].map(
                lambda v, m=made_in: v if v is None or pd.isna(v) or not str(v).strip()
                else f"{m.label}/{str(v).strip()}")
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def quarter_summary(books: Sequence[ReadWorkbook], quarter: Period | None = None
                    ) -> tuple[BuildOptions, WorkbookData, list[tuple[str, str]]]:
    """Build options and content of the summary workbook of the quarter made of
    ``books``, the three month books of one owner (``quarter``: the one asked for,
    default the quarter of the months). Raises :class:`UsageError` when a month is
    missing or given twice, a book is not a month of that quarter, or the books differ
    in owner or currency. The notes (zh, en) are of what the rep should check."""
    quarter, by_month = _check_books(books, quarter)
    notes: list[tuple[str, str]] = []
    latest = by_month[max(by_month, key=lambda m: m.start)]
    tables: dict[str, pd.DataFrame] = {}
    for name, column in DATED_TABLES.items():
        frame = _dated_rows(name, column, quarter, by_month, latest, notes)
        if not frame.empty or name in latest.tables:
            tables[name] = frame
    for name, ids in NOTE_TABLES.items():
        frame = _notes(name, ids, by_month)
        if not frame.empty:
            tables[name] = frame
    for name in (*SETTINGS_TABLES, *(s.table_name for s in SPEC.lists)):
        if name in latest.tables:
            tables[name] = as_typed(latest, name)
    info = {k: latest.info.get(k) for k in CARRIED_INFO if latest.info.get(k) is not None}
    info.update(period_type=quarter.type.value, period_start=quarter.start)
    options = BuildOptions(lang=latest.lang, period=quarter,
                           level=str(latest.info.get("level") or "individual"),
                           role=str(latest.info.get("role") or "rep"),
                           owner=str(latest.info.get("owner") or ""), script=latest.script)
    data = WorkbookData(info=info, tables=tables, lists=latest.lists,
                        assumptions={**latest.assumptions, "next_target": None},
                        budget_caps=latest.tables["BudgetCaps"].frame
                        if "BudgetCaps" in latest.tables else None)
    return options, data, notes
