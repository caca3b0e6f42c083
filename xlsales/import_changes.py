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
from collections.abc import Mapping, Sequence
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


@dataclass(frozen=True)
class Converted:
    """An amount the export gives in another currency than the workbook's, which the
    workbook's row of its order holds as a number in its own: converted there, so not
    compared (15,000 USD is not 108,000 CNY)."""

    row: int  # the export's row
    order: str
    key: str  # the money field
    exported: str  # as the import writes it: ``15,000 USD``
    held: object  # the workbook's number


def changed_rows(exported: pd.DataFrame, rows: Sequence[int], orders: Sequence[str],
                 book: pd.DataFrame, keys: Sequence[str],
                 exported_other: Mapping[tuple[int, str], str] | None = None,
                 book_other: Mapping[tuple[int, str], str] | None = None,
                 ) -> tuple[list[Changed], list[Converted]]:
    """Of the export's rows ``exported`` (export rows ``rows``, order IDs ``orders`` as
    :func:`~xlsales.importer.id_key` gives them) that the workbook's Sales rows ``book``
    already hold, those that differ from every book row of their order in one of
    ``keys``; each with what differs from the first such book row. Amounts in another
    currency than the workbook's — ``exported_other`` (export row, field) and
    ``book_other`` (``book`` position, field), each as written (``15,000 USD``) — are
    compared with their currency; one the workbook holds as a number of its own currency
    was converted there: not a change, listed apart (:class:`Converted`)."""
    from xlsales.importer import id_key

    table = SPEC.table("Sales")
    columns = [table.column(k) for k in table.keys if k in keys and k != "order_id"
               and k in exported.columns and k in book.columns]
    held: dict[str, list[tuple[int, dict[str, object]]]] = {}
    for at, record in enumerate(book.to_dict("records")):
        if (key := id_key(record.get("order_id"))) is not None:
            held.setdefault(key, []).append((at, record))
    out, converted = [], []
    for record, row, order in zip(exported.to_dict("records"), rows, orders, strict=True):
        theirs = {c.key: text for c in columns
                  if (text := (exported_other or {}).get((row, c.key))) is not None}
        diffs = []
        for at, mine in held.get(order, []):
            ours = {c.key: text for c in columns
                    if (text := (book_other or {}).get((at, c.key))) is not None}
            diffs.append(_diffs(columns, {**record, **theirs}, {**mine, **ours}))
        if diffs and all(diffs):
            out.append(Changed(row, order, tuple(diffs[0])))
        if order in held:  # the first row of the order, as the changes compare with it
            at, mine = held[order][0]
            converted += [Converted(row, order, k, text, mine.get(k))
                          for k, text in theirs.items() if (at, k) not in (book_other or {})
                          and _comparable(table.column(k), mine.get(k)) not in (None, _UNREAD)]
    return out, converted


def _diffs(columns: list[Column], exported: dict[str, object],
           held: dict[str, object]) -> list[tuple[str, object, object]]:
    """What differs between an export row and a workbook row (an amount of another
    currency as written, ``15,000 USD``, in either)."""
    found = []
    for column in columns:
        new, old = exported.get(column.key), held.get(column.key)
        if column.type is ColumnType.MONEY and isinstance(new, str):
            if is_blank(old) or (isinstance(old, str) and not _same_marked(old, new)):
                found.append((column.key, old, new))
            continue  # a number in the workbook's currency: converted, not compared
        new = _comparable(column, new)
        if new is None or new is _UNREAD:
            continue
        if column.type is ColumnType.MONEY and isinstance(held.get(column.key), str):
            found.append((column.key, held.get(column.key), exported.get(column.key)))
            continue  # another currency in the workbook, the workbook's in the export
        old = _comparable(column, old)
        if old is _UNREAD or not _same(old, new):
            found.append((column.key, held.get(column.key), exported.get(column.key)))
    return found


def _same_marked(old: str, new: str) -> bool:
    """Whether two amounts written with their currency (``15,000 USD``, ``US$15,000``)
    are the same: the same currency, the same number."""
    from xlsales.parse_numbers import currency_of, parse_number

    (a, _), (b, _) = parse_number(old), parse_number(new)
    return currency_of(old) == currency_of(new) and isinstance(a, float) and \
        isinstance(b, float) and _same(a, b)


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


def converted_lines(converted: Sequence[Converted], lang: Lang) -> list[str]:
    """What the import report says of amounts the workbook holds converted
    (:class:`Converted`): not a change, nothing to do."""
    if not converted:
        return []
    zh = lang == "zh"
    table = SPEC.table("Sales")
    first = converted[0]
    label = table.column(first.key).label.get(lang)
    held = _shown(table.column(first.key), first.held, lang)
    n = len(converted)
    if zh:
        return [f"  另有 {n:,} 个金额在导入文件中是另一种货币，工作簿中是换算后的本币（如第 "
                f"{first.row} 行 {first.order}：{label} 导入文件 {first.exported}，工作簿 "
                f"{held}）：两种货币无法比较，不算变化，工作簿中换算后的金额保持不变。若 CRM 中的"
                "金额在换算后又有变化，请在工作簿中按新金额重新换算。"]
    return [f"  {counted(n, 'amount')} in another currency in the export, held converted in "
            f"the workbook (e.g. row {first.row}, {first.order}: {label} {first.exported} in "
            f"the export, {held} in the workbook): two currencies cannot be compared, so this "
            "is no change and the workbook keeps its converted amount. If the CRM's amount "
            "changed after it was converted, convert the new one in the workbook."]


def changed_lines(changed: Sequence[Changed], lang: Lang) -> list[str]:
    """What the import report says of ``changed`` (:func:`changed_rows`)."""
    if not changed:
        return []
    zh = lang == "zh"
    n = len(changed)
    lines = [f"  已在工作簿中、但导入文件中内容有变化的行（{n:,} 行，未导入，工作簿中的行未改动）："
             if zh else
             f"  Already in the workbook but changed in the export ({counted(n, 'row')}, not "
             "imported; the workbook's rows were not changed):"]
    for c in changed[:CHANGED_SHOWN]:
        lines.append(f"    第 {c.row} 行 {c.order}：" + _diff_text(c.diffs, lang) if zh else
                     f"    row {c.row}, {c.order}: " + _diff_text(c.diffs, lang))
    if n > CHANGED_SHOWN:
        rest = n - CHANGED_SHOWN
        lines.append(f"    … 另有 {rest:,} 行" if zh else f"    … and {rest:,} more")
    lines.append("  请在工作簿中手动更新这些行（或先在工作簿中删除这些行，再重新导入）。" if zh else
                 "  Update these rows in the workbook by hand (or delete them there and "
                 "import again).")
    return lines


def _diff_text(diffs: Sequence[tuple[str, object, object]], lang: Lang) -> str:
    """``金额 20,000→22,000，阶段 方案→赢单``: what ``diffs`` (field, old, new) change."""
    table = SPEC.table("Sales")
    parts = [f"{table.column(key).label.get(lang)} {_shown(table.column(key), old, lang)}→"
             f"{_shown(table.column(key), new, lang)}" for key, old, new in diffs]
    return ("，" if lang == "zh" else ", ").join(parts)


def row_differences(first: Mapping[str, object], later: Mapping[str, object]
                    ) -> tuple[str, str]:
    """What a later row of an export holding an order already given by an earlier one
    (``first``; both as :func:`~xlsales.importer.prepare_import` reads rows) holds
    otherwise, in Chinese and English (``产品 标准版→专业版，金额 1,000→2,000``): another line
    of the order, not a repeat of it; ``("", "")`` when they are the same."""
    table = SPEC.table("Sales")
    columns = [table.column(k) for k in table.keys if k != "order_id" and k in first]
    diffs = _diffs(columns, dict(later), dict(first))
    return _diff_text(diffs, "zh"), _diff_text(diffs, "en")
