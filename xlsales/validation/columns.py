"""Rules that follow from the spec's column declarations: required, range, lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

import numpy as np
import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.findings import Finding, finding, percent_typed_bare
from xlsales.io.reader import ReadTable, ReadWorkbook
from xlsales.kpis_arrays import arrow_texts
from xlsales.spec import Column, ColumnType
from xlsales.spec.declarations import REPS
from xlsales.validation.list_hint import hint

NUMERIC = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)


def _emit(book: ReadWorkbook, table: ReadTable, column: Column, mask: np.ndarray, rule: str,
          each: Callable[[object], Mapping[str, object]] | None = None,
          **fields: object) -> Iterator[Finding]:
    """A finding of ``rule`` on each row of ``mask``, with ``fields`` and those ``each``
    gives for the row's value."""
    frame = table.frame
    fields = {k: column.shown(v) for k, v in fields.items()}  # bounds as the sheet shows
    for pos in mask.nonzero()[0]:
        value = frame[column.key].iat[pos]
        yield finding(rule, sheet=table.sheet, cell=table.cell(column.key, pos),
                      row=table.rows[pos], column=column.key, value=value,
                      table=table.spec.name, label=column.label.get(book.lang),
                      shown=column.shown(value) if rule in _BOUNDS else None,
                      **fields, **(each(value) if each else {}))


def below_minimum(column: Column, numbers: np.ndarray) -> np.ndarray:
    """Where ``numbers`` (the column's, as floats; NaN for none) are below the minimum the
    spec gives ``column`` (all False without one): its ``below_minimum`` errors."""
    if column.min_value is None:
        return np.zeros(len(numbers), dtype=bool)
    with np.errstate(invalid="ignore"):
        return numbers < column.min_value


def above_maximum(column: Column, numbers: np.ndarray) -> np.ndarray:
    """Where ``numbers`` are above the maximum the spec gives ``column`` (all False
    without one): its ``above_maximum`` (or ``percent_above_maximum``) errors."""
    if column.max_value is None:
        return np.zeros(len(numbers), dtype=bool)
    with np.errstate(invalid="ignore"):
        return numbers > column.max_value


def _above_maximum(book: ReadWorkbook, table: ReadTable, column: Column,
                   numbers: np.ndarray) -> Iterator[Finding]:
    """``above_maximum`` where a number passes the column's maximum; in a percent column,
    a number that was a percentage typed without its % (90 for 90%) gets the hint of
    :func:`~xlsales.findings.percent_typed_bare` instead, as on the settings sheet."""
    over = above_maximum(column, numbers)
    if column.type is not ColumnType.PERCENT:
        yield from _emit(book, table, column, over, "above_maximum", maximum=column.max_value)
        return
    for pos in over.nonzero()[0]:
        hint = percent_typed_bare(float(numbers[pos]), column.max_value)  # type: ignore[arg-type]
        one = np.zeros(len(over), dtype=bool)
        one[pos] = True
        yield from _emit(book, table, column, one,
                         "percent_above_maximum" if hint else "above_maximum",
                         maximum=column.max_value, **(hint or {}))


def _not_in_list(book: ReadWorkbook, table: ReadTable, column: Column, unknown: np.ndarray,
                 allowed: list[str]) -> Iterator[Finding]:
    """``not_in_list`` where a value is ``unknown``, with the listed value it was most
    likely meant to be when one is close (:func:`~xlsales.validation.list_hint.hint`;
    looked for once per distinct value)."""
    hints: dict[str, dict[str, str]] = {}

    def near(value: object) -> dict[str, str]:
        text = str(value)
        if text not in hints:
            hints[text] = hint(text, allowed)
        return hints[text]

    yield from _emit(book, table, column, unknown, "not_in_list", each=near, **listed(allowed))


#: Rules whose message names the value against a bound (shown as the sheet shows it).
_BOUNDS = frozenset({"below_minimum", "above_maximum", "percent_above_maximum"})


def _numbers(values: pd.Series) -> np.ndarray:
    """``values`` as floats, NaN where not a number."""
    if values.dtype == np.float64:
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _not_in(values: pd.Series, allowed: list[str]) -> np.ndarray:
    """True where a value is present and its text is not one of ``allowed`` (each
    distinct value is looked up once; a text column's in Arrow, at half the cost)."""
    texts = arrow_texts(values)
    if texts is not None and all(type(a) is str for a in allowed):
        import pyarrow as pa  # there, since the column is in Arrow
        import pyarrow.compute as pc

        listed = pc.is_in(texts, value_set=pa.array(allowed, type=pa.string()))
        return pc.and_not(pc.is_valid(texts), listed).to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(values)  # missing values: code -1
    known = set(allowed)
    bad = np.fromiter((str(u) not in known for u in uniques), dtype=bool, count=len(uniques))
    return (codes >= 0) & bad[np.maximum(codes, 0)] if len(uniques) else codes >= 0


def period_ended(book: ReadWorkbook, today: date | None = None) -> bool:
    """The book's period is over on ``today`` (default: the system date); an unknown
    period is not."""
    return book.period is not None and (today or date.today()) > book.period.end


def _not_yet_due(column: Column, frame: pd.DataFrame, ended: bool) -> np.ndarray | None:
    """Rows where ``column`` may still be empty (it is due by the period's end, which has
    not come, and the row has none of its ``required_with``); None: no row."""
    if not column.required_by_period_end or ended:
        return None
    filled = np.zeros(len(frame), dtype=bool)
    for key in column.required_with:
        if key in frame.columns:
            filled |= np.array(frame[key].notna(), dtype=bool)
    return ~filled


def _bounded(column: Column) -> bool:
    """A number column with a minimum or a maximum."""
    return column.type in NUMERIC and (column.min_value is not None
                                       or column.max_value is not None)


def _has_rule(column: Column) -> bool:
    """Whether :func:`column_findings` checks anything in ``column``: taking a column out
    of a frame costs as much as a rule on a small table, and most columns have none."""
    return (column.required or column.type is ColumnType.INTEGER or _bounded(column)
            or (column.type is ColumnType.LIST and column.list_source is not None))


def column_findings(book: ReadWorkbook, table: ReadTable,
                    today: date | None = None) -> list[Finding]:
    """Findings of the spec's per-column rules for one table (``today`` tells whether
    what is due by the period's end is due yet)."""
    out: list[Finding] = []
    frame = table.frame
    if frame.empty or table.spec.form_fields:
        return out
    ended = period_ended(book, today)
    for column in table.spec.columns:
        if not column.is_input or column.key not in table.columns or not _has_rule(column):
            continue  # a column no rule here checks: not even taken out of the frame
        values = frame[column.key]
        numbers: np.ndarray | None = None  # its values as floats, once a rule needs them
        if column.required:
            missing = np.array(values.array.isna(), dtype=bool)  # a copy: changed below
            waiting = _not_yet_due(column, frame, ended)
            if waiting is not None:
                missing &= ~waiting
            unreadable = sorted(table.unreadable.get(column.key, ()))
            if unreadable:  # reported already, as unreadable
                missing[unreadable] = False
            merged = list(table.merged.get(column.key, ()))
            if merged:  # hidden by a merge: its finding says so, once for the range
                missing[merged] = False
            out += _emit(book, table, column, missing, "required")
        if column.type is ColumnType.INTEGER:  # a count typed as 1.5: KPIs round it
            numbers = _numbers(values)
            out += _emit(book, table, column, np.isfinite(numbers) & (numbers % 1 != 0),
                         "not_whole")
        if _bounded(column):
            numbers = _numbers(values) if numbers is None else numbers
            if column.min_value is not None:
                out += _emit(book, table, column, below_minimum(column, numbers),
                             "below_minimum", minimum=column.min_value)
            if column.max_value is not None:
                out += _above_maximum(book, table, column, numbers)
        if column.type is ColumnType.LIST and column.list_source is not None:
            allowed = book.lists.get(column.list_source.key, [])
            if not allowed:
                continue
            if column.list_source is REPS and table.spec.name == "Targets":
                allowed = [*allowed, *_members(book)]  # a roll-up's targets: its members'
            unknown = _not_in(values, allowed)
            if column.list_source is not REPS:
                out += _not_in_list(book, table, column, unknown, allowed)
                continue
            if not unknown.any():
                continue  # every rep listed: no row's date is asked
            history = _before_period(book, table)  # a rep who left, in last year's rows
            out += _emit(book, table, column, unknown & ~history, "unknown_rep")
            out += _emit(book, table, column, unknown & history, "former_rep")
    return out


def listed(allowed: list[str], most: int = 12) -> dict[str, str]:
    """The entries of a short settings list, for ``not_in_list`` to name (a long one is
    not spelled out): ``（列表：华东、华南）`` / `` (listed: East, South)``."""
    if len(allowed) > most:
        return {"listed_zh": "", "listed_en": ""}
    return {"listed_zh": f"（列表：{'、'.join(map(str, allowed))}）",
            "listed_en": f" (listed: {', '.join(map(str, allowed))})"}


def _members(book: ReadWorkbook) -> list[str]:
    """The members a roll-up's rows name (its teams, in a region's workbook): the next
    period's workbook of a roll-up sets their targets (none for another workbook)."""
    from xlsales.rollup_rank import is_rollup, members_of  # a roll-up's names: rarely needed

    frames = {n: t.frame for n, t in book.tables.items()}
    return members_of(frames) if is_rollup(book.info, frames) else []


def _before_period(book: ReadWorkbook, table: ReadTable) -> np.ndarray:
    """True on the rows dated before the period (by the table's first date or month
    column): history, kept for growth figures."""
    rows = np.zeros(len(table.frame), dtype=bool)
    key = next((c.key for c in table.spec.columns if c.is_input and c.key in table.columns
                and c.type in (ColumnType.DATE, ColumnType.MONTH)), None)
    if book.period is None or key is None:
        return rows
    dates = parse_dates(table.frame[key])
    return np.array(dates < pd.Timestamp(book.period.start), dtype=bool)
