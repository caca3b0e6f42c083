"""A quarter's summary workbook from the three month books of one owner
(``xlsales new --period 2026-Q4 --from OCT.xlsx --from NOV.xlsx --from DEC.xlsx``), and a
year's from its four quarter books or its twelve month books (``--period 2026``).

A rep summarises each month in its own book (``new --from`` starts the next one), then
writes the quarter's summary, and a director the year's. ``consolidate`` rolls up the
books of *one* period; this puts the parts (months or quarters) of one period together:

- each part's sales, activities and targets come from that part's own book (the book
  summarising it, where its rows were corrected), history before the period from the
  latest part's book, which carries it;
- the problems, lessons and reviewed actions of every part, their IDs prefixed with
  the part they belong to (``2026-10/P001``) so that they stay apart (a quarter book's,
  prefixed already, as they are); a problem every month flags again, once
  (:mod:`xlsales.quarter_book_repeats`);
- settings, lists, custom fields and basic information from the latest part's book.

The summary holds no plan: ``xlsales plan`` on it plans the next quarter or year.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd

from xlsales.carry_over import CARRIED_INFO, CARRIED_TABLES, as_typed
from xlsales.errors import UsageError
from xlsales.io.reader import ReadWorkbook
from xlsales.periods import Period, PeriodType
from xlsales.quarter_book_repeats import merge_repeats, merged_notes
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


#: What a summary is put together from: a quarter from its three month books, a year
#: from its four quarter books or its twelve month books.
PARTS = {PeriodType.QUARTER: (PeriodType.MONTH,),
         PeriodType.YEAR: (PeriodType.QUARTER, PeriodType.MONTH)}
#: How a summary and its parts are named in messages: (zh, en) per kind of period.
PART_WORDS = {PeriodType.MONTH: ("月度", "month"), PeriodType.QUARTER: ("季度", "quarter"),
              PeriodType.YEAR: ("年度", "year")}
#: An ID already prefixed with the period it belongs to (a quarter book's ``2026-10/P001``).
_PREFIXED = re.compile(r"^\d{4}-(?:\d{2}|Q[1-4])/")


def _needs(target: Period, kind: PeriodType) -> tuple[str, str]:
    """What ``target``'s summary is made of, as messages say it: "its three month books"."""
    count = len(target.parts_in(kind))
    zh_count = {3: "三", 4: "四", 12: "十二"}.get(count, str(count))
    words = {3: "three", 4: "four", 12: "twelve"}
    return (f"{zh_count}个{PART_WORDS[kind][0]}工作簿",
            f"{words.get(count, str(count))} {PART_WORDS[kind][1]} books")


def _part(book: ReadWorkbook) -> Period:
    period = book.require_period(option=False)
    if period.type is PeriodType.YEAR:
        raise UsageError(
            f"{book.path.name} 是 {period.label} 的年度总结：季度总结由三个月度工作簿生成，"
            "年度总结由四个季度工作簿或十二个月度工作簿生成。",
            f"{book.path.name} summarises the year {period.label}: a quarter's summary is "
            "made from its three month books, a year's from its four quarter books or its "
            "twelve month books.")
    return period


def _target(by_part: dict[Period, ReadWorkbook], kind: PeriodType,
            period: Period | None) -> Period:
    """The period to summarise: ``period`` when given (refused when ``kind`` books do not
    make it); else a quarter for up to six month books, a year for more or for quarter
    books: the one holding most of them (the latest on a tie), so that a month given by
    mistake (September among October and November) is the one named as outside."""
    first = min(by_part, key=lambda p: p.start)
    if period is None:
        small = kind is PeriodType.MONTH and len(by_part) <= 6
        held = Counter(p.within(PeriodType.QUARTER if small else PeriodType.YEAR)
                       for p in by_part)
        return max(held, key=lambda p: (held[p], p.start))
    if period.type not in PARTS:
        raise UsageError(
            f"--period {period.label} 不是季度或年度：季度总结请写 --period 2026-Q4，"
            "年度总结请写 --period 2026。",
            f"--period {period.label} is neither a quarter nor a year: write --period "
            "2026-Q4 for a quarter's summary, --period 2026 for a year's.")
    if kind not in PARTS[period.type]:
        named = by_part[first].path.name
        zh, en = _needs(period, PeriodType.MONTH)
        raise UsageError(
            f"{named} 是 {first.label} 的季度总结：{period.label} 的总结由它的{zh}生成；"
            f"四个季度工作簿生成年度总结（--period {period.start.year}）。",
            f"{named} summarises the quarter {first.label}: the summary of {period.label} "
            f"is made from its {en}; four quarter books make a year's summary (--period "
            f"{period.start.year}).")
    return period


def _given_twice(one: ReadWorkbook, other: ReadWorkbook, part: Period) -> UsageError:
    """Two books of one part: one is too many, unless they are two owners' (two regions'
    quarter books), which ``consolidate`` rolls up instead."""
    owners = [str(b.info.get("owner") or "") for b in (one, other)]
    apart = owners[0] != owners[1]
    return UsageError(
        f"{one.path.name} 和 {other.path.name} 都是 {part.label} 的总结：每个周期只给一个"
        "工作簿" + (f"；{owners[0] or '—'} 和 {owners[1] or '—'} 的工作簿请用 xlsales "
                   "consolidate 合并。" if apart else "。"),
        f"{one.path.name} and {other.path.name} both summarise {part.label}: give one "
        f"workbook per {PART_WORDS[part.type][1]}" + (
            f"; roll {owners[0] or '—'}'s and {owners[1] or '—'}'s books up with xlsales "
            "consolidate." if apart else "."))


def _check_books(books: Sequence[ReadWorkbook], period: Period | None
                 ) -> tuple[Period, dict[Period, ReadWorkbook]]:
    """The period summarised and each part's book, or an error a rep can act on."""
    by_part: dict[Period, ReadWorkbook] = {}
    for book in books:
        part = _part(book)
        if part in by_part:
            raise _given_twice(by_part[part], book, part)
        by_part[part] = book
    kinds = {p.type for p in by_part}
    if len(kinds) > 1:
        raise UsageError(
            "这些工作簿有月度的也有季度的：年度总结请给四个季度工作簿，或十二个月度工作簿。",
            "These workbooks mix months and quarters: a year's summary is made from its four "
            "quarter books or its twelve month books.")
    kind = kinds.pop()
    target = _target(by_part, kind, period)
    zh_needs, en_needs = _needs(target, kind)
    outside = sorted(p.label for p in by_part if p.within(target.type) != target)
    if outside:
        raise UsageError(
            f"{'、'.join(outside)} 不在 {target.label} 内：只给 {target.label} 的{zh_needs}。",
            f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in "
            f"{target.label}: give the {en_needs} of "
            f"{target.label} only.")
    missing = [p.label for p in target.parts_in(kind) if p not in by_part]
    if missing:
        raise UsageError(
            f"缺少 {'、'.join(missing)} 的工作簿：{target.label} 的总结需要它的{zh_needs}。",
            f"The workbook of {', '.join(missing)} is missing: the summary of {target.label} "
            f"needs its {en_needs}.")

    for key, zh, en in (("owner", "负责人", "owner"), ("currency", "币种", "currency")):
        values = {str(b.info.get(key) or "") for b in by_part.values()}
        if len(values) > 1:
            named = "、".join(f"{b.path.name}：{b.info.get(key) or '—'}"
                             for b in by_part.values())
            raise UsageError(
                f"这些工作簿的{zh}不同（{named}）：季度、年度总结只合并同一{zh}的工作簿；"
                "团队的工作簿请用 xlsales consolidate 合并。",
                f"These books differ in {en} ({named.replace('：', ': ')}): a quarter's or a "
                f"year's summary puts one {en}'s books together; roll a team's books up with "
                "xlsales consolidate.")
    quarter = target.type is PeriodType.QUARTER
    rollups = [b.path.name for b in by_part.values() if is_rollup(b.info, {})]
    if rollups:
        raise UsageError(
            f"{'、'.join(rollups)} 是合并表：请用成员的{'季度' if quarter else '年度'}工作簿"
            "重新合并（xlsales consolidate）。",
            f"{', '.join(rollups)} is a roll-up: consolidate the members' "
            f"{target.type.value} books instead.")
    return target, by_part


def _month_start(value: object) -> pd.Timestamp | None:
    """The first day of the month ``value`` falls in; None when it is no date (a value
    kept as typed, for the new book's validation to name)."""
    if isinstance(value, (date, datetime, pd.Timestamp)) and not pd.isna(value):
        return pd.Timestamp(value).to_period("M").to_timestamp()
    return None


def _within(part: Period, months: pd.Series) -> pd.Series:
    """Whether each of ``months`` (first days, None for no date) lies in ``part``."""
    start, end = pd.Timestamp(part.start), pd.Timestamp(part.end)
    return months.map(lambda m: m is not None and start <= m <= end).astype(bool)


def _late_orders(period: Period, by_part: dict[Period, ReadWorkbook],
                 notes: list[tuple[str, str]]) -> list[pd.DataFrame]:
    """Orders dated in a part (month or quarter) of the period that a later part's book
    holds and that part's own book does not (a CRM export with October's late orders
    imported into November's book): counted in the period, each book's with a note
    naming them."""
    found = []
    ordered = sorted(by_part.items(), key=lambda item: item[0].start)
    for part, book in ordered:
        known = {str(v).strip() for v in book.frame("Sales")["order_id"].dropna()}
        for later, other in ordered:
            if later.start <= part.start:
                continue
            frame = as_typed(other, "Sales")
            ids = frame["order_id"].map(lambda v: "" if is_blank(v) else str(v).strip())
            late = frame[_within(part, frame["date"].map(_month_start))
                         & (ids != "") & ~ids.isin(known)]
            if late.empty:
                continue
            known |= set(ids[late.index])
            found.append(late)
            shown = "、".join(ids[late.index][:5]) + ("…" if len(late) > 5 else "")
            notes.append((
                f"{other.path.name} 有 {len(late)} 个 {part.label} 的订单不在 "
                f"{book.path.name} 中（{shown}）：已计入 {period.label}；若是在 "
                f"{book.path.name} 中有意删除的，请在 {period.label} 的工作簿中也删除。",
                f"{other.path.name} holds {len(late)} orders of {part.label} that "
                f"{book.path.name} does not ({shown.replace('、', ', ')}): counted in "
                f"{period.label}; if they were deleted from {book.path.name} on purpose, "
                f"delete them in the {period.label} workbook too."))
    return found


def _dated_rows(name: str, column: str, period: Period,
                by_part: dict[Period, ReadWorkbook], latest: ReadWorkbook,
                notes: list[tuple[str, str]]) -> pd.DataFrame:
    """Rows of ``name``: each part of the period from its own book (with the rows it
    holds as typed), earlier ones from ``latest``; rows dated after the period are left.
    Sales: with the orders of a part that only a later book holds (:func:`_late_orders`)."""
    parts = []
    start = pd.Timestamp(period.start)
    for part, book in sorted(by_part.items(), key=lambda item: item[0].start):
        if name not in book.tables:
            continue
        frame = as_typed(book, name)
        months = frame[column].map(_month_start)
        own = _within(part, months)
        if book is latest:
            own |= months.map(lambda m: m is not None and m < start)
        own |= months.isna()  # as typed: stays in the book it was typed in
        parts.append(frame[own])
    if name == "Sales":
        parts.extend(_late_orders(period, by_part, notes))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return as_typed(latest, name).iloc[0:0] if name in latest.tables else pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def _prefixed(value: object, made_in: Period) -> object:
    """An ID prefixed with the period it belongs to (``P001`` of October:
    ``2026-10/P001``); a blank one, or one prefixed already (a quarter book's), as it is."""
    if value is None or pd.isna(value) or not str(value).strip():
        return value
    text = str(value).strip()
    return text if _PREFIXED.match(text) else f"{made_in.label}/{text}"


def _notes(name: str, ids: tuple[str, ...], by_part: dict[Period, ReadWorkbook]
           ) -> pd.DataFrame:
    """The part's own ``name`` rows of every book, IDs prefixed with their part."""
    parts = []
    for part, book in sorted(by_part.items(), key=lambda item: item[0].start):
        if name not in book.tables or book.frame(name).empty:
            continue
        frame = as_typed(book, name).copy()
        made_in = part.previous if name == "ActionReview" else part
        for key in ids:
            frame[key] = frame[key].map(lambda v, m=made_in: _prefixed(v, m))
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def quarter_summary(books: Sequence[ReadWorkbook], period: Period | None = None
                    ) -> tuple[BuildOptions, WorkbookData, list[tuple[str, str]]]:
    """Build options and content of the summary workbook of the period made of
    ``books``, one owner's three month books of a quarter, or four quarter books or
    twelve month books of a year (``period``: the one asked for, default the quarter of
    months within one quarter, else the year). Raises :class:`UsageError` when a part is
    missing or given twice, a book is no part of that period, or the books differ in
    owner or currency. The notes (zh, en) are of what the rep should check."""
    period, by_part = _check_books(books, period)
    notes: list[tuple[str, str]] = []
    latest = by_part[max(by_part, key=lambda p: p.start)]
    tables: dict[str, pd.DataFrame] = {}
    for name, column in DATED_TABLES.items():
        frame = _dated_rows(name, column, period, by_part, latest, notes)
        if not frame.empty or name in latest.tables:
            tables[name] = frame
    for name, ids in NOTE_TABLES.items():
        frame = _notes(name, ids, by_part)
        if not frame.empty:
            tables[name] = frame
    if "Problems" in tables:  # a problem each month flags again: one problem
        tables["Problems"], renamed, merged = merge_repeats(tables["Problems"])
        notes += merged_notes(merged, PART_WORDS[next(iter(by_part)).type])
        if renamed and "ActionReview" in tables:
            review = tables["ActionReview"]
            tables["ActionReview"] = review.assign(problem_id=review["problem_id"].map(
                lambda v: renamed.get(str(v), v)))
    for name in (*SETTINGS_TABLES, *(s.table_name for s in SPEC.lists)):
        if name in latest.tables:
            tables[name] = as_typed(latest, name)
    info = {k: latest.info.get(k) for k in CARRIED_INFO if latest.info.get(k) is not None}
    info.update(period_type=period.type.value, period_start=period.start)
    options = BuildOptions(lang=latest.lang, period=period,
                           level=str(latest.info.get("level") or "individual"),
                           role=str(latest.info.get("role") or "rep"),
                           owner=str(latest.info.get("owner") or ""), script=latest.script)
    data = WorkbookData(info=info, tables=tables, lists=latest.lists,
                        assumptions={**latest.assumptions, "next_target": None},
                        budget_caps=latest.tables["BudgetCaps"].frame
                        if "BudgetCaps" in latest.tables else None)
    return options, data, notes
