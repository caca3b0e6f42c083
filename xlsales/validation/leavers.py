"""Rows that name a rep after they left the team (the rep list's 离职日期 / Left on,
:mod:`xlsales.roster`): a sale or an activity of the period dated after it (rule
``after_rep_left``, at its date; history rows were flagged in their own period's book),
or before they joined it (入职日期 / Joined on: ``before_rep_joined``, likewise),
and a plan's action or target a leaver still owns (``owner_left``, at its owner); and a
leaving date before the rep's joining date (``left_before_joined``, on the rep list).
Warnings: the row is kept and counted as typed — a sale the rep made before leaving
stays theirs. A book without the roster's columns has no such finding."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.roster import Tenure, roster
from xlsales.values import is_blank

#: The dated tables whose rows a rep makes, by their date column
DATED = (("Sales", "date"), ("Activities", "date"))


def _tenure_day(table: ReadTable, key: str, tenure: dict[str, Tenure],
                end: str = "left") -> pd.Series:
    """Each row's owner (named in column ``key``): their leaving date, or their joining
    date with ``end`` "joined" (NaT: none, or not on the rep list)."""
    days = {r: pd.Timestamp(getattr(t, end)) for r, t in tenure.items()
            if getattr(t, end) is not None}
    return pd.to_datetime(table.frame[key].map(
        lambda r: days.get(str(r).strip(), pd.NaT) if not is_blank(r) else pd.NaT))


def _at(book: ReadWorkbook, table: ReadTable, key: str, rows: np.ndarray, rule: str,
        owner: str, left: pd.Series, end: str = "left",
        **fields: pd.Series | str) -> Iterator[Finding]:
    label = table.spec.column(key).label.get(book.lang)
    merged = table.merged.get(key, {})
    for pos in rows:
        if pos in merged:
            continue
        extra = {k: v.iat[pos] if isinstance(v, pd.Series) else v for k, v in fields.items()}
        yield finding(rule, sheet=table.sheet, cell=table.cell(key, pos), row=table.rows[pos],
                      column=key, value=table.frame[key].iat[pos], table=table.spec.name,
                      label=label, rep=table.frame[owner].iat[pos],
                      **{end: left.iat[pos].date().isoformat()}, **extra)


def _after_leaving(book: ReadWorkbook, table: ReadTable, key: str,
                   tenure: dict[str, Tenure]) -> Iterator[Finding]:
    """Rows of ``table`` dated (column ``key``) after their rep left, in the book's
    period (or any, for a book without one)."""
    if not {key, "rep"} <= set(table.columns) or table.frame.empty:
        return
    left = _tenure_day(table, "rep", tenure)
    dates = parse_dates(table.frame[key])
    after = dates > left
    if book.period is not None:  # history: flagged in its own period's book, not again
        after &= dates >= pd.Timestamp(book.period.start)
    after = after.to_numpy()
    yield from _at(book, table, key, after.nonzero()[0], "after_rep_left", "rep", left)


def _before_joining(book: ReadWorkbook, table: ReadTable, key: str,
                    tenure: dict[str, Tenure]) -> Iterator[Finding]:
    """Rows of ``table`` dated (column ``key``) before their rep joined, in the book's
    period (or any, for a book without one): history before it may be the rep's at
    another team, flagged in that period's book if at all."""
    if not {key, "rep"} <= set(table.columns) or table.frame.empty:
        return
    joined = _tenure_day(table, "rep", tenure, end="joined")
    dates = parse_dates(table.frame[key])
    before = dates < joined
    if book.period is not None:
        before &= dates >= pd.Timestamp(book.period.start)
    yield from _at(book, table, key, before.to_numpy().nonzero()[0], "before_rep_joined",
                   "rep", joined, end="joined")


def _actions(book: ReadWorkbook, actions: ReadTable,
             tenure: dict[str, Tenure]) -> Iterator[Finding]:
    """Plan actions whose owner left before the action is due."""
    if not {"who", "due"} <= set(actions.columns) or actions.frame.empty:
        return
    left = _tenure_day(actions, "who", tenure)
    due = parse_dates(actions.frame["due"])
    owned = (left < due).to_numpy()
    due_text = due.map(lambda d: d.date().isoformat() if pd.notna(d) else "")
    yield from _at(book, actions, "who", owned.nonzero()[0], "owner_left", "who", left,
                   what_zh=due_text.map(lambda d: f"却仍负责这项 {d} 到期的行动"),
                   what_en=due_text.map(lambda d: f"yet still owns this action due {d}"))


def _targets(book: ReadWorkbook, targets: ReadTable,
             tenure: dict[str, Tenure]) -> Iterator[Finding]:
    """A rep's plan targets (not 0) for a sub-period starting after they left."""
    if not {"rep", "period", "value"} <= set(targets.columns) or targets.frame.empty:
        return
    left = _tenure_day(targets, "rep", tenure)
    starts = parse_dates(targets.frame["period"])
    value = pd.to_numeric(targets.frame["value"], errors="coerce")
    owned = ((starts > left) & value.ne(0) & value.notna()).to_numpy()
    label = targets.frame["period_label"].map(str) if "period_label" in targets.columns \
        else starts.map(lambda d: d.date().isoformat() if pd.notna(d) else "")
    yield from _at(book, targets, "rep", owned.nonzero()[0], "owner_left", "rep", left,
                   what_zh=label.map(lambda p: f"却仍有 {p} 的目标"),
                   what_en=label.map(lambda p: f"yet still has a target for {p}"))


def _reversed(book: ReadWorkbook, rep_list: ReadTable) -> Iterator[Finding]:
    """Reps of the list whose leaving date is before their joining date."""
    if not {"joined", "left"} <= set(rep_list.columns):
        return
    joined = parse_dates(rep_list.frame["joined"])
    left = parse_dates(rep_list.frame["left"])
    label = rep_list.spec.column("left").label.get(book.lang)
    for pos in (left < joined).to_numpy().nonzero()[0]:
        yield finding("left_before_joined", sheet=rep_list.sheet,
                      cell=rep_list.cell("left", pos), row=rep_list.rows[pos], column="left",
                      value=rep_list.frame["left"].iat[pos], table=rep_list.spec.name,
                      label=label, rep=rep_list.frame["value"].iat[pos],
                      joined=joined.iat[pos].date().isoformat())


def leaver_findings(book: ReadWorkbook) -> list[Finding]:
    """Warnings at the rows naming a rep after they left or before they joined (see the
    module's docstring), and at a leaving date before its rep's joining date."""
    rep_list = book.tables.get("ListRep")
    tenure = roster(rep_list.frame if rep_list is not None else None)
    if rep_list is None or not tenure:
        return []
    out: list[Finding] = list(_reversed(book, rep_list))
    for name, key in DATED:
        if name in book.tables:
            out += _after_leaving(book, book.tables[name], key, tenure)
            out += _before_joining(book, book.tables[name], key, tenure)
    if "PlanActions" in book.tables:
        out += _actions(book, book.tables["PlanActions"], tenure)
    if "PlanTargets" in book.tables:
        out += _targets(book, book.tables["PlanTargets"], tenure)
    return out
