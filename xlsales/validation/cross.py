"""Cross-field and cross-sheet rules: duplicates, amounts, collections, dates,
flagged problems and plan rows."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.findings import Finding, finding, money_shown
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.periods import Period
from xlsales.spec import WorkbookSpec
from xlsales.spec.declarations import (
    AMOUNT_TOLERANCE,
    HISTORY_MONTHS,
    ROLLUP_LEVELS,
    ROLLUP_MEMBER,
    ROLLUP_WITHIN,
)
from xlsales.validation.columns import above_maximum, below_minimum
from xlsales.validation.leavers import leaver_findings
from xlsales.validation.plan_rep_sums import plan_rep_sum_findings
from xlsales.validation.plan_sums import plan_sum_findings
from xlsales.values import fold, is_blank


def _at(book: ReadWorkbook, table: ReadTable, key: str, positions: np.ndarray, rule: str,
        label_key: str | None = None, money: tuple[str, ...] = (),
        **fields: object) -> Iterator[Finding]:
    """Findings of ``rule`` on column ``key`` at the given frame positions; a field
    holding a Series is read at each position, and those named in ``money`` (``shown``:
    the cell's own value) are shown as amounts (:func:`~xlsales.findings.money_shown`,
    only where a finding is made). None when the sheet has no such column (the reader
    reports the absent column once, not every row), nor at a cell a merged range hides
    (its finding, once for the range, says why the cell reads empty)."""
    if key not in table.columns:
        return
    label = table.spec.column(label_key or key).label.get(book.lang)
    merged = table.merged.get(key, {})
    for pos in positions:
        if pos in merged:
            continue
        extra = {k: (v.iat[pos] if isinstance(v, pd.Series) else v[pos]
                     if isinstance(v, np.ndarray) else v) for k, v in fields.items()}
        if "shown" in money:
            extra["shown"] = table.frame[key].iat[pos]
        extra.update({k: money_shown(extra[k]) for k in money})
        yield finding(rule, sheet=table.sheet, cell=table.cell(key, pos), row=table.rows[pos],
                      column=key, value=table.frame[key].iat[pos], table=table.spec.name,
                      label=label, **extra)


def _present(table: ReadTable, *keys: str) -> bool:
    """Whether the sheet has every one of these columns (a rule comparing columns says
    nothing when one of them is absent)."""
    return all(k in table.columns for k in keys)


def _numbers(frame: pd.DataFrame, key: str) -> pd.Series:
    return pd.to_numeric(frame[key], errors="coerce")


def _dates(frame: pd.DataFrame, key: str) -> pd.Series:
    return parse_dates(frame[key])


def _floats(frame: pd.DataFrame, key: str) -> np.ndarray:
    """``key``'s values as floats, NaN where not a number: the sales rules' arithmetic
    in numpy (a pandas operation on a Series costs ten times as much on a small table)."""
    values = frame[key]
    if values.dtype == np.float64:
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _readable(table: ReadTable, key: str) -> np.ndarray:
    """:meth:`ReadTable.readable` as a numpy array."""
    mask = np.ones(len(table.frame), dtype=bool)
    mask[sorted(table.unreadable.get(key, ()))] = False
    return mask


def _in_range(table: ReadTable, key: str, values: np.ndarray) -> np.ndarray:
    """Where ``values`` (``key``'s, as floats) are within the range the spec gives its
    column: no ``below_minimum`` / ``above_maximum`` error of their own."""
    column = table.spec.column(key)
    return ~(below_minimum(column, values) | above_maximum(column, values))


def sales_findings(book: ReadWorkbook, sales: ReadTable) -> Iterator[Finding]:
    """Duplicate order ids, amount vs quantity × price, collected vs invoiced, won rows
    without amount, won rows created after they were won, dates outside the period and
    history window."""
    f = sales.frame
    q, p, a = _floats(f, "quantity"), _floats(f, "unit_price"), _floats(f, "amount")
    if _present(sales, "quantity", "unit_price"):
        with np.errstate(all="ignore"):  # NaN and inf compare False, as in pandas
            expected = q * p
            off = np.abs(a - expected) > 0.01 + AMOUNT_TOLERANCE * np.abs(expected)
            # a quantity or price out of its column's range has its own error: the
            # product of a wrong figure is no second finding
            off &= _in_range(sales, "quantity", q) & _in_range(sales, "unit_price", p)
        yield from _at(book, sales, "amount", off.nonzero()[0], "amount_mismatch",
                       money=("shown", "expected"), expected=expected.round(2))
    if _present(sales, "invoiced"):
        inv, col = _floats(f, "invoiced"), _floats(f, "collected")
        with np.errstate(all="ignore"):
            over = (col > inv + 0.005) & ~np.isnan(col)
            # no invoiced amount at all (a CRM export without invoicing): not a wrong
            # figure, but the collection rate counts the collected against nothing
            blank = np.isnan(inv) & _readable(sales, "invoiced") & (col > 0.005)
        yield from _at(book, sales, "collected", over.nonzero()[0],
                       "collected_exceeds_invoiced", money=("shown", "invoiced"),
                       invoiced=inv)
        yield from _at(book, sales, "collected", blank.nonzero()[0],
                       "collected_without_invoiced", money=("shown",))
    won = f["stage"].eq("won").to_numpy(dtype=bool, na_value=False)
    won_no_amount = won & np.isnan(a) & _readable(sales, "amount")
    yield from _at(book, sales, "amount", won_no_amount.nonzero()[0], "won_without_amount")
    # the date rules read the dates: parsed once
    dates = _dates(f, "date") if "date" in sales.columns else None
    if dates is not None and _present(sales, "created"):
        yield from created_after_findings(book, sales, dates, won)
    yield from date_window_findings(book, sales, "date", dates)
    yield from partial_history_findings(book, sales, dates=dates)


#: What growth compares with, and the ratio (zh, en): the previous period, the same
#: period last year, or both in one (a year's previous period is last year).
_PREVIOUS = (("上期", "previous period"), ("环比增长", "growth on it"))
_YEAR_AGO = (("去年同期", "same period last year"), ("同比增长", "year-on-year growth"))
_BOTH = (("上期即去年同期", "previous period, the same period last year"),
         ("环比和同比增长", "growth on it and year on year"))


def partial_history_findings(book: ReadWorkbook, sales: ReadTable,
                             period: Period | None = None,
                             dates: pd.Series | None = None) -> Iterator[Finding]:
    """A warning when the sales records start inside the period growth compares with (a
    year book whose records begin in July of the year before): the growth ratio then
    compares a whole period with part of one. At the earliest record's date cell. For
    ``period`` (default: the book's; ``kpis --period`` asks for another); ``dates``: the
    sales dates parsed already, if they were."""
    period = period or book.period
    if period is None or "date" not in sales.columns:
        return
    dates = _dates(sales.frame, "date") if dates is None else dates
    if dates.isna().all():
        return
    first = int(dates.argmin())  # NaT skipped
    start = dates.iat[first].date().replace(day=1)
    previous, year_ago = period.previous, period.year_ago
    compared = [(previous, _BOTH)] if previous == year_ago else \
        [(previous, _PREVIOUS), (year_ago, _YEAR_AGO)]
    for other, (what, ratio) in compared:
        if not other.start < start <= other.end:
            continue
        covered = sum(1 for m in other.months_in() if m.start >= start)
        yield from _at(book, sales, "date", np.array([first]), "partial_history",
                       compared=other.label, months=other.months, covered=covered,
                       what_zh=what[0], what_en=what[1], ratio_zh=ratio[0], ratio_en=ratio[1])


def _holders(book: ReadWorkbook, table: ReadTable) -> pd.Series | None:
    """Who holds each row of a roll-up's ``table`` (its :attr:`~Table.id_holders`, the
    member column and a roll-up of roll-ups' members below found by their labels:
    ``Team X / Bob``, ``华东 / 东一组 › 张伟 / 张伟``), or None when ``book`` is not a
    roll-up whose rows name their member."""
    if not table.spec.id_holders or book.info.get("level") not in ROLLUP_LEVELS:
        return None
    # the roll-up's own columns (its member, the members below: ``东一组 › 张伟``), by label
    found = {c.key: c.header_in(table.frame.columns) for c in (ROLLUP_MEMBER, ROLLUP_WITHIN)}
    if found[ROLLUP_MEMBER.key] is None:
        return None
    columns = [found.get(k) or k for k in table.spec.id_holders
               if found.get(k) is not None or k in table.columns]
    parts = [table.frame[c].map(lambda v: "" if is_blank(v) else str(v)) for c in columns]
    return pd.Series([" / ".join(dict.fromkeys(p for p in row if p))
                      for row in zip(*parts, strict=True)], index=table.frame.index)


def duplicate_findings(book: ReadWorkbook, table: ReadTable) -> Iterator[Finding]:
    """Each repeat of a row's identifying value (order ID, problem ID …), pointing at
    the row where it first appears. In a roll-up an id in the rows of two holders (two
    members, or two reps of a member: :attr:`~Table.id_holders`) is a warning naming
    them — each holds it, as consolidating reported; repeated by one holder it is a
    duplicate."""
    key = table.spec.id_key
    if key is None or key not in table.columns or table.frame[key].is_unique:
        return  # the usual case, told by one hash table (missing ids aside, as below)
    ids = table.frame[key].reset_index(drop=True)
    dup = ids.notna() & ids.duplicated(keep="first")
    if not dup.any():
        return
    rows = pd.Series(table.rows, dtype=object)
    holders = _holders(book, table)
    if holders is None:
        first = rows.groupby(ids, sort=False).transform("first")
        yield from _at(book, table, key, dup.to_numpy().nonzero()[0], "duplicate_id",
                       other_row=first)
        return
    holders = holders.reset_index(drop=True)
    same = ids.notna() & pd.DataFrame({"id": ids, "by": holders}).duplicated(keep="first")
    first = rows.groupby([ids, holders], sort=False).transform("first")
    yield from _at(book, table, key, same.to_numpy().nonzero()[0], "duplicate_id",
                   other_row=first)
    shared = dup & ~same
    if not shared.any():
        return
    # the same rep's order for the same customer in two members' rows: one workbook
    # rolled up into both (counted twice), not an order two reps share, nor two
    # namesakes in two teams numbering their own orders 1, 2, 3 for other customers
    twice = _same_rep(table, ids) & shared
    if twice.any():
        member = table.frame[ROLLUP_MEMBER.header_in(table.frame.columns)].reset_index(
            drop=True).map(lambda v: "" if is_blank(v) else str(v))
        rep = table.frame["rep"].reset_index(drop=True)
        deal = [ids, rep, _customers(table, ids)]
        members = member.groupby(deal, sort=False).transform(
            lambda h: ", ".join(dict.fromkeys(h)))
        yield from _at(book, table, key, twice.to_numpy().nonzero()[0], "counted_twice",
                       other_row=rows.groupby(deal, sort=False).transform("first"),
                       members=members, rep=rep)
    shared &= ~twice
    if shared.any():
        names = holders.groupby(ids, sort=False).agg(lambda h: ", ".join(dict.fromkeys(h)))
        yield from _at(book, table, key, shared.to_numpy().nonzero()[0], "shared_id",
                       other_row=rows.groupby(ids, sort=False).transform("first"),
                       holders=ids.map(names))


def _customers(table: ReadTable, ids: pd.Series) -> pd.Series:
    """Each row's customer as COUNTIFS compares it (trimmed, any case; '' when blank or
    without the column), positioned as ``ids``."""
    if "customer" not in table.columns:
        return pd.Series("", index=ids.index)
    return table.frame["customer"].reset_index(drop=True).map(
        lambda v: "" if is_blank(v) else fold(v))


def _same_rep(table: ReadTable, ids: pd.Series) -> pd.Series:
    """Where a row's id, rep and customer all came in an earlier row (positions, as
    ``ids``): the same deal again."""
    if "rep" not in table.columns:
        return pd.Series(False, index=ids.index)
    rep = table.frame["rep"].reset_index(drop=True)
    return ids.notna() & rep.map(lambda v: not is_blank(v)) & pd.DataFrame(
        {"id": ids, "rep": rep, "customer": _customers(table, ids)}).duplicated(keep="first")


def date_window_findings(book: ReadWorkbook, table: ReadTable, key: str,
                         dates: pd.Series | None = None) -> Iterator[Finding]:
    """Dates after the period end or before the history window (``dates``: the column
    parsed already, if it was)."""
    if book.period is None or key not in table.columns:
        return
    d = _dates(table.frame, key) if dates is None else dates
    end = pd.Timestamp(book.period.end)
    history_start = pd.Timestamp(book.period.months_before(HISTORY_MONTHS))
    yield from _at(book, table, key, (d > end).to_numpy().nonzero()[0], "date_after_period",
                   period_end=book.period.end.isoformat())
    yield from _at(book, table, key, (d < history_start).to_numpy().nonzero()[0],
                   "date_before_history", history_start=history_start.date().isoformat())


def created_after_findings(book: ReadWorkbook, sales: ReadTable, dates: pd.Series,
                           won: np.ndarray) -> Iterator[Finding]:
    """Won rows (``won``) created after their date, the date they were won (the two dates
    swapped or mistyped): the sales cycle would be negative and pull the average cycle
    down, in the KPIs and on the KPI sheet alike. An open row's date is when it is
    expected to close, which the cycle does not read: not checked."""
    created = _dates(sales.frame, "created")
    after = (created > dates).to_numpy(dtype=bool, na_value=False)
    positions = (after & won).nonzero()[0]
    if not len(positions):
        return
    shown = np.full(len(dates), "", dtype=object)  # the row's date, where a finding is
    shown[positions] = [dates.iat[p].date().isoformat() for p in positions]
    yield from _at(book, sales, "created", positions, "created_after_date", date=shown)


def problem_findings(book: ReadWorkbook, problems: ReadTable) -> Iterator[Finding]:
    """A problem carried into the next plan needs a category and an impact."""
    f = problems.frame
    flagged = f["carry_forward"].eq("yes")
    no_category = flagged & f["category"].isna()
    yield from _at(book, problems, "category", no_category.to_numpy().nonzero()[0],
                   "flagged_problem_incomplete")
    no_impact = flagged & _numbers(f, "impact_amount").isna() & _numbers(f, "impact_share").isna()
    yield from _at(book, problems, "impact_amount", no_impact.to_numpy().nonzero()[0],
                   "flagged_problem_incomplete")


def plan_findings(book: ReadWorkbook, plan: ReadTable) -> Iterator[Finding]:
    """Plan rows are due inside the next period."""
    if book.period is None or "due" not in plan.columns:
        return
    nxt = book.period.next
    d = _dates(plan.frame, "due")
    outside = d.notna() & ((d < pd.Timestamp(nxt.start)) | (d > pd.Timestamp(nxt.end)))
    yield from _at(book, plan, "due", outside.to_numpy().nonzero()[0], "plan_due_outside",
                   start=nxt.start.isoformat(), end=nxt.end.isoformat())


def cross_findings(book: ReadWorkbook, spec: WorkbookSpec) -> list[Finding]:
    """Findings of every cross-field and cross-sheet rule that applies to ``book``."""
    out: list[Finding] = []
    tables = book.tables
    for table in tables.values():
        if not table.frame.empty:
            out += duplicate_findings(book, table)
    if "Sales" in tables and not tables["Sales"].frame.empty:
        out += sales_findings(book, tables["Sales"])
    if "Activities" in tables and not tables["Activities"].frame.empty:
        out += date_window_findings(book, tables["Activities"], "date")
    if "Problems" in tables and not tables["Problems"].frame.empty:
        out += problem_findings(book, tables["Problems"])
    for name in ("PlanTargets", "PlanActions"):
        if name in tables and not tables[name].frame.empty:
            out += plan_findings(book, tables[name])
    if "PlanTargets" in tables and not tables["PlanTargets"].frame.empty:
        out += plan_sum_findings(book, tables["PlanTargets"])
        out += plan_rep_sum_findings(book, tables["PlanTargets"])
    out += leaver_findings(book)  # rows naming a rep after they left
    return out
