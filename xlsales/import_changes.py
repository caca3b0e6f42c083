"""Rows of an export whose order ID the workbook already holds: the same, or changed.

A weekly import of a newer CRM snapshot meets last week's rows again. One identical to
the workbook's row is skipped as a duplicate. One that differs (stage Proposal → Won,
amount 10,000 → 12,000) is skipped too, since the import only appends and never
changes a row, but the report lists it apart with what differs, so that the rep updates
the workbook by hand. Only the fields the export maps and holds a value for are
compared: what the workbook holds where the export is empty may have been added by hand,
and a value the export holds but cannot read is reported as such elsewhere.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from xlsales.findings import counted
from xlsales.spec import SPEC, Column, ColumnType, Lang
from xlsales.spec.traditional import simplified
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

#: Changed rows listed one by one in the report; the rest are counted.
CHANGED_SHOWN = 10
_NUMBERS = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)
_DATES = (ColumnType.DATE, ColumnType.MONTH)
_UNREAD = object()  # a value the export holds but could not read: not compared


@dataclass(frozen=True)
class Changed:
    """An export row whose order the workbook holds with other values."""

    row: int  # the export's row
    order: str
    #: (field key, the workbook's value, the export's value), in the table's order
    diffs: tuple[tuple[str, object, object], ...]


def changed_rows(exported: pd.DataFrame, rows: Sequence[int], orders: Sequence[str],
                 book: pd.DataFrame, keys: Sequence[str]) -> list[Changed]:
    """Of the export's rows ``exported`` (export rows ``rows``, order IDs ``orders`` as
    :func:`~xlsales.importer.id_key` gives them) that the workbook's Sales rows ``book``
    already hold, those that differ from every book row of their order in one of
    ``keys``; each with what differs from the first such book row."""
    from xlsales.importer import id_key

    table = SPEC.table("Sales")
    columns = [table.column(k) for k in table.keys if k in keys and k != "order_id"
               and k in exported.columns and k in book.columns]
    held: dict[str, list[dict[str, object]]] = {}
    for record in book.to_dict("records"):
        if (key := id_key(record.get("order_id"))) is not None:
            held.setdefault(key, []).append(record)
    out = []
    for record, row, order in zip(exported.to_dict("records"), rows, orders, strict=True):
        diffs = [_diffs(columns, record, mine) for mine in held.get(order, [])]
        if diffs and all(diffs):
            out.append(Changed(row, order, tuple(diffs[0])))
    return out


def _diffs(columns: list[Column], exported: dict[str, object],
           held: dict[str, object]) -> list[tuple[str, object, object]]:
    found = []
    for column in columns:
        new = _comparable(column, exported.get(column.key))
        if new is None or new is _UNREAD:
            continue
        old = _comparable(column, held.get(column.key))
        if old is _UNREAD or not _same(old, new):
            found.append((column.key, held.get(column.key), exported.get(column.key)))
    return found


def _comparable(column: Column, value: object) -> object:
    """``value`` of ``column`` as compared: None when blank, :data:`_UNREAD` when it is
    not of the column's type (a value kept as exported)."""
    if is_blank(value):
        return None
    if column.type in _NUMBERS:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else _UNREAD  # type: ignore[arg-type]
    if column.type in _DATES:
        if isinstance(value, datetime):
            return value.date()
        if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
            return value.to_pydatetime().date()  # type: ignore[union-attr]
        return value if isinstance(value, date) else _UNREAD
    if column.choices is not None and not column.choices.open:
        return value if value in {c.key for c in column.choices.choices} else _UNREAD
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # a workbook converted to Traditional (劉洋) holds the export's 刘洋 unchanged
    return simplified(unicodedata.normalize("NFKC", str(value)).strip())


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-9)
    return old == new


def _shown(column: Column, value: object, lang: Lang) -> str:
    """``value`` as the report shows it: a choice's label, ``10,000``, ``60%``."""
    if is_blank(value):
        return "（空）" if lang == "zh" else "(empty)"
    if column.choices is not None and isinstance(value, str):
        match = [c.label.get(lang) for c in column.choices.choices if c.key == value]
        return match[0] if match else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column.type is ColumnType.PERCENT:
            return str(column.shown(value))
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def changed_lines(changed: Sequence[Changed], lang: Lang) -> list[str]:
    """What the import report says of ``changed`` (:func:`changed_rows`)."""
    if not changed:
        return []
    zh = lang == "zh"
    table = SPEC.table("Sales")
    n = len(changed)
    lines = [f"  已在工作簿中、但导入文件中内容有变化的行（{n:,} 行，未导入，工作簿中的行未改动）："
             if zh else
             f"  Already in the workbook but changed in the export ({counted(n, 'row')}, not "
             "imported; the workbook's rows were not changed):"]
    for c in changed[:CHANGED_SHOWN]:
        parts = []
        for key, old, new in c.diffs:
            column = table.column(key)
            parts.append(f"{column.label.get(lang)} {_shown(column, old, lang)}→"
                         f"{_shown(column, new, lang)}")
        lines.append(f"    第 {c.row} 行 {c.order}：" + "，".join(parts) if zh else
                     f"    row {c.row}, {c.order}: " + ", ".join(parts))
    if n > CHANGED_SHOWN:
        rest = n - CHANGED_SHOWN
        lines.append(f"    … 另有 {rest:,} 行" if zh else f"    … and {rest:,} more")
    lines.append("  请在工作簿中手动更新这些行（或先在工作簿中删除这些行，再重新导入）。" if zh else
                 "  Update these rows in the workbook by hand (or delete them there and "
                 "import again).")
    return lines
