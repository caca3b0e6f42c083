"""What the members' books held in the cells a manager may type onto their rows, kept in
the roll-up (a table on a hidden sheet of its own) so that the next ``consolidate --force`` tells
what she typed from what a rep changed in his own book.

A weekly re-run writes every member's row afresh and carries the manager's typing onto
it (:mod:`~xlsales.rollup_carry_reviews`). Comparing the earlier roll-up with the
member's book alone cannot tell who changed a cell: a rep who set his own action to
*Done* since last week looked like a manager who had typed *Not done* over it, and was
reported as "filled differently". The record says what each member's book held when the
roll-up was made: a roll-up cell that differs from it was typed by the manager, a book's
cell that differs from it was changed by the rep (:func:`read_record`,
:func:`typed_cells`). :func:`member_values` is taken before anything is carried;
:func:`record_sheet` writes it on a hidden sheet (one row a filled cell: sheet,
member, members below, ID, column, value). A roll-up made before the record holds none:
the re-run then compares as it did.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from xlsales.io.cells import CellReader
from xlsales.io.ooxml import PackageLayout
from xlsales.io.reader_a1 import range_boundaries
from xlsales.io.sheetcontent import Block, CellValue, Column, SheetContent
from xlsales.rollup_carry_reviews import blank, carried_columns, row_id
from xlsales.rollup_member import BIG_TABLES
from xlsales.rollup_rank import member_column
from xlsales.rollup_within import WITHIN_KEY
from xlsales.script_variant import OwnText
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import (
    MEMBER_TABLES,
    ROLLUP_MEMBER,
    ROLLUP_WITHIN,
)
from xlsales.spec.traditional import name_key

#: The record's table, on its hidden sheet (:data:`RECORD_SHEET`).
RECORD_TABLE = "MemberValues"
#: The hidden sheet's name.
RECORD_SHEET = {"zh": "xlsales 合并记录", "en": "xlsales roll-up record"}

#: (table, member, members below, row ID) of a member's row in a roll-up.
RowKey = tuple[str, str, str, str]

_HEADERS = {"zh": ("工作表", ROLLUP_MEMBER.label.zh, ROLLUP_WITHIN.label.zh, "编号", "列",
                   "成员的值"),
            "en": ("Sheet", ROLLUP_MEMBER.label.en, ROLLUP_WITHIN.label.en, "ID", "Column",
                   "Member's value")}
_TITLE = {"zh": "xlsales 的记录：合并时各成员工作簿中这些单元格的值。下次合并据此区分您在本汇总表"
                "中填写的内容和成员在自己工作簿中的修改，请勿修改。",
          "en": "xlsales's record: what the members' workbooks held in these cells when this "
                "roll-up was made. The next consolidate tells what you typed into this "
                "roll-up from what the members changed in their own books by it: leave it "
                "as it is."}


def carried_tables() -> tuple[str, ...]:
    """The member tables a manager types into whose rows have an ID and some column she
    may type (not the big sales and activity sheets: the members')."""
    return tuple(t for t in MEMBER_TABLES
                 if t not in BIG_TABLES and row_id(t) and carried_columns(t))


def norm(table: str, key: str, value: object) -> str:
    """``value`` of ``table``'s column ``key`` as compared: '' when blank, a choice by
    its code (its label in either language too), a number by its value, else its text."""
    if isinstance(value, str):
        text = value.strip()
    elif value is None or value is pd.NA or value is pd.NaT or (
            isinstance(value, float) and value != value):
        return ""
    elif isinstance(value, bool):
        return str(value)
    elif isinstance(value, numbers.Real):
        return f"{float(value):.12g}"
    elif isinstance(value, datetime | date):
        plain = isinstance(value, datetime) and value.time() == datetime.min.time()
        return (value.date() if plain else value).isoformat()  # type: ignore[union-attr]
    else:
        text = str(value).strip()
    return _coded(table, key, text) if text else ""


@lru_cache(maxsize=4096)
def _coded(table: str, key: str, text: str) -> str:
    """``text`` of a choice column as its code (the text itself for any other)."""
    choices = SPEC.table(table).column(key).choices
    return (choices.key_of(text) if choices is not None else None) or text


def row_keys(frame: pd.DataFrame, table: str) -> dict[Hashable, RowKey]:
    """The rows of ``frame`` (a roll-up's ``table``) naming their member, by index label →
    :data:`RowKey`; a key two rows share is left out (which is which is unknown)."""
    key, who = row_id(table), member_column(frame)
    within = WITHIN_KEY if WITHIN_KEY in frame else ROLLUP_WITHIN.header_in(frame.columns)
    if key is None or who is None or key not in frame:
        return {}
    named = frame[~blank(frame[who]) & ~blank(frame[key])]

    def text(column: str | None) -> list[str]:
        if column is None or column not in named:
            return [""] * len(named)
        return named[column].astype("string").fillna("").str.strip().tolist()

    keys = [(table, *k) for k in zip(text(who), text(within), text(key), strict=True)]
    twice = pd.Series(keys, dtype=object).duplicated(keep=False).tolist()
    return {label: k for label, k, dup in zip(named.index, keys, twice, strict=True)
            if not dup}


def member_values(tables: Mapping[str, pd.DataFrame]) -> dict[RowKey, dict[str, str]]:
    """The filled cells of :func:`carried_columns` of the members' rows of ``tables``
    (a roll-up's, before anything is carried into them), compared as :func:`norm`."""
    out: dict[RowKey, dict[str, str]] = {}
    for table in carried_tables():
        frame = tables.get(table)
        if frame is None or frame.empty:
            continue
        frame = frame.reset_index(drop=True)  # positions, whatever its index
        rows = row_keys(frame, table)
        at = frame.index.get_indexer(list(rows))
        values = {c: frame[c].to_numpy(dtype=object)[at].tolist()
                  for c in carried_columns(table) if c in frame}
        for i, k in enumerate(rows.values()):
            filled = {c: v for c, held in values.items() if (v := norm(table, c, held[i]))}
            if filled:
                out[k] = filled
    return out


def shown(table: str, key: str, value: str, lang: str) -> CellValue:
    """A compared value (:func:`norm`) as a cell shows it: a choice by its label in
    ``lang``, a number as a number."""
    column = SPEC.table(table).column(key)
    if column.choices is not None and column.choices.key_of(value) == value:
        return column.choices.label(value, lang)  # type: ignore[arg-type]
    try:
        return float(value) if column.type.value in ("money", "number", "percent",
                                                     "integer") else value
    except ValueError:
        return value


def record_sheet(record: Mapping[RowKey, Mapping[str, str]], lang: Lang,
                 own: OwnText | None = None) -> SheetContent:
    """The record as a hidden sheet of one table: a row a filled cell (bookkeeping the
    next run reads: hidden, so the ranking stays what the manager reads); ``own``
    writes xlsales' own words (headers, sheets, columns, choices) in the roll-up's
    script, the members' values as they typed them."""
    own = own or OwnText()
    words: dict[tuple[str, str], tuple[str, str]] = {}  # (table, key) → (sheet, column)
    cells_shown: dict[tuple[str, str, str], CellValue] = {}
    rows: list[list[CellValue]] = []
    for (table, member, within, rid), cells in record.items():
        for key, value in cells.items():
            if (table, key) not in words:
                label = SPEC.table(table).column(key).label.get(lang)  # type: ignore[arg-type]
                words[table, key] = own(SPEC.sheet_of(table).name.get(lang)), own(label)
            cell = cells_shown.get((table, key, value))
            if cell is None:
                cell = shown(table, key, value, lang)
                if SPEC.table(table).column(key).choices is not None and isinstance(cell, str):
                    cell = own(cell)
                cells_shown[table, key, value] = cell
            rows.append([words[table, key][0], member, within or None, rid,
                         words[table, key][1], cell])
    widths = (14, 14, 14, 16, 16, 20)
    block = Block(tuple(Column(own(h), w) for h, w in zip(_HEADERS[lang], widths, strict=True)),
                  rows or [[None] * 6], title=own(_TITLE[lang]), table_name=RECORD_TABLE)
    return SheetContent(own(RECORD_SHEET[lang]), (), blocks=(block,), hidden=True)


def _table_of(sheet: object) -> str | None:
    folded = name_key(str(sheet or ""))
    return next((t for t in carried_tables() for lang in ("zh", "en")
                 if name_key(SPEC.sheet_of(t).name.get(lang)) == folded), None)


def _column_of(table: str, label: object) -> str | None:
    folded = name_key(str(label or ""))
    return next((c for c in carried_columns(table) for lang in ("zh", "en")
                 if name_key(SPEC.table(table).column(c).label.get(lang)) == folded), None)


def read_record(layout: PackageLayout, cells: CellReader
                ) -> dict[RowKey, dict[str, str]] | None:
    """The record a roll-up holds (its package ``layout``, read by ``cells``); None when
    it holds none (made before the record)."""
    info = layout.table(RECORD_TABLE)
    if info is None:
        return None
    c1, r1, c2, r2 = range_boundaries(info.ref)
    grid = cells.rows(info.sheet)
    out: dict[RowKey, dict[str, str]] = {}
    for row in grid[r1:r2]:
        values = (list(row[c1 - 1:c2]) + [None] * 6)[:6]
        table = _table_of(values[0])
        key = _column_of(table, values[4]) if table is not None else None
        if table is None or key is None:
            continue
        rid = (table, *(str(v).strip() if v not in (None, "") else "" for v in values[1:4]))
        value = norm(table, key, values[5])
        if value:
            out.setdefault(rid, {})[key] = value  # type: ignore[index]
    return out


class TypedCell(NamedTuple):
    """A cell of a member's row the manager typed into the roll-up."""

    table: str
    #: the row's ID (``Alice-A01``)
    row: str
    column: str
    #: as the cell holds it
    value: object


def typed_cells(layout: PackageLayout, cells: CellReader) -> list[TypedCell]:
    """The cells of members' rows of the roll-up (its ``layout``, read by ``cells``)
    that differ from its record: typed by the manager (none without a record)."""
    record = read_record(layout, cells)
    if record is None:
        return []
    found = []
    for table in carried_tables():
        info = layout.table(table)
        if info is None:
            continue
        c1, r1, c2, r2 = range_boundaries(info.ref)
        grid = cells.rows(info.sheet)
        if len(grid) < r1:
            continue
        header = list(grid[r1 - 1][c1 - 1:c2])
        frame = pd.DataFrame([(list(r[c1 - 1:c2]) + [None] * len(header))[:len(header)]
                              for r in grid[r1:r2]], columns=range(len(header)), dtype=object)
        where = {c: i for c in (*carried_columns(table), row_id(table))
                 for i, h in enumerate(header) for lang in ("zh", "en")
                 if name_key(str(h or "")) == name_key(
                     SPEC.table(table).column(c).label.get(lang))}  # type: ignore[arg-type]
        if row_id(table) not in where:
            continue
        names = {i: str(header[i] or "") for i in range(len(header))}
        named = frame.rename(columns={**names, **{i: c for c, i in where.items()}})
        for label, k in row_keys(named, table).items():
            held = record.get(k, {})
            for c in carried_columns(table):
                if c in named and norm(table, c, named.at[label, c]) != held.get(c, ""):
                    found.append(TypedCell(table, k[3], c, named.at[label, c]))
    return found
