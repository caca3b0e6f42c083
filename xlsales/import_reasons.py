"""Why an export's row is skipped or flagged, in both languages: values that cannot be
read (with what would fit: the choices, the date forms, a number too long to be an
amount), required fields left empty, numbers out of the spec's range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xlsales.currency import own_currencies
from xlsales.date_hints import unread_date_why
from xlsales.money_text import other_currency
from xlsales.parse_numbers import EXACT_DIGITS, decimal_comma, too_many_digits
from xlsales.spec import Column, ColumnType, Lang, Table
from xlsales.spec.declarations import UNDECIDED_STAGES
from xlsales.spec.traditional import name_key

if TYPE_CHECKING:
    import pandas as pd

_UNDECIDED = frozenset(name_key(n) for n in UNDECIDED_STAGES)
#: a long number as Excel's General format shows it (``6.01E+17``, ``2.02611E+17``): a
#: CSV saved by Excel holds only that, the ID's digits are gone
_EXCEL_SCIENTIFIC = re.compile(r"^[+-]?\d(?:\.\d+)?E\+(\d{2,3})$", re.I)
_NUMBER_TYPES = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)


@dataclass
class Skipped:
    """A source row left out, and why (in both languages)."""

    row: int  # 1-based line/row in the export, header = 1
    zh: str
    en: str
    #: skipped as an order already imported (in BOOK or earlier in the export): no data
    #: lost, so no failure of the import (its exit code stays 0)
    duplicate: bool = False



def by_row(flagged: list[Skipped]) -> list[Skipped]:
    """``flagged`` in row order, one entry per row (the reasons of a row joined)."""
    rows: dict[int, Skipped] = {}
    for s in sorted(flagged, key=lambda s: s.row):
        if s.row in rows:
            first = rows[s.row]
            rows[s.row] = Skipped(s.row, f"{first.zh}；{s.zh}", f"{first.en}; {s.en}")
        else:
            rows[s.row] = s
    return list(rows.values())


def _number_text(column: Column, number: float) -> str:
    """``number`` as the sheet shows it in ``column`` (``150%`` in a percent column)."""
    shown = column.shown(number)
    return shown if isinstance(shown, str) else f"{number:g}"


def out_of_range(frame: pd.DataFrame, rows: list[int], table: Table) -> list[Skipped]:
    """The rows of ``frame`` (export rows ``rows``) with a number below its column's
    minimum or above its maximum in the spec, each with what is out of range."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for column in table.columns:
        low, high = column.min_value, column.max_value
        if column.key not in frame.columns or (low is None and high is None):
            continue
        for i, value in enumerate(frame[column.key].tolist()):
            if not isinstance(value, int | float) or value != value:
                continue
            shown = _number_text(column, value)
            if low is not None and value < low:
                zh, en = f"{column.label.zh} {shown} 小于 {_number_text(column, low)}", \
                    f"{column.label.en} {shown} below {_number_text(column, low)}"
            elif high is not None and value > high:
                zh, en = f"{column.label.zh} {shown} 大于 {_number_text(column, high)}", \
                    f"{column.label.en} {shown} above {_number_text(column, high)}"
            else:
                continue
            found.setdefault(i, ([], []))
            found[i][0].append(zh)
            found[i][1].append(en)
    return [Skipped(rows[i], "、".join(zh), ", ".join(en))
            for i, (zh, en) in sorted(found.items())]


def unusable(row: int, unreadable: list[tuple[str, object]], lacking: list[str],
              table: Table, year: int | None = None, book_currency: object = None
              ) -> Skipped:
    """Why a row cannot become a sales record: values that cannot be read, required
    fields left empty. A date without its year is shown with ``year`` (the workbook's
    period's; default: this year) as what to write; an amount written with a decimal
    comma and another currency's mark than ``book_currency`` (the workbook's currency
    field: empty is CNY) is said to be in that currency."""
    zh, en = [], []
    if unreadable:
        zh.append("无法读取：" + "、".join(
            f"{table.column(k).label.zh} {v!r}{_hint(table, k, 'zh', v, year, book_currency)}"
            for k, v in unreadable))
        en.append("unreadable: " + ", ".join(
            f"{table.column(k).label.en} {v!r}{_hint(table, k, 'en', v, year, book_currency)}"
            for k, v in unreadable))
    bad_keys = {k for k, _ in unreadable}
    lacking = [k for k in lacking if k not in bad_keys]
    if lacking:
        zh.append("缺少必填项：" + "、".join(table.column(k).label.zh for k in lacking))
        en.append("missing: " + ", ".join(table.column(k).label.en for k in lacking))
    return Skipped(row, "；".join(zh), "; ".join(en))


def repeated(row: int, order: str, first: int, differs: tuple[str, str]) -> Skipped:
    """Why export row ``row`` is skipped, its ``order`` given by row ``first`` of the
    export already: a repeat of it (a duplicate: nothing lost), or with values that
    ``differs`` says (zh, en; another line of the order: what it holds is not imported,
    which the exit code says)."""
    if not differs[0]:
        return Skipped(row, f"订单编号 {order} 在导入文件中重复（第 {first} 行已导入）",
                       f"order {order} appears twice in the export (row {first} is imported)",
                       duplicate=True)
    return Skipped(
        row, f"订单编号 {order} 在导入文件中出现两次、内容不同（与第 {first} 行相比："
        f"{differs[0]}），未导入：若是同一订单的多个产品行，请在 CRM 中按订单汇总后导出，"
        "或在工作簿中以新的订单编号补录这一行",
        f"order {order} appears twice in the export with other values (than row {first}: "
        f"{differs[1]}), not imported: if they are lines of one order, export the orders "
        "summed up from the CRM, or add this row in the workbook under an order ID of its own")


def lost_digits(value: object) -> str | None:
    """A text field's value whose digits were lost to Excel, as Excel shows it: a number
    of more than 15 digits (an xlsx cell holding ``202611030000000124`` as a number keeps
    ``202611030000000096``: ``2.02611E+17``), or text in Excel's scientific notation
    (``6.01E+17``, what a CSV saved by Excel holds of a long ID); None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{float(value):.6G}" if too_many_digits(value) else None
    if isinstance(value, str) and (m := _EXCEL_SCIENTIFIC.match(value.strip())):
        return value.strip() if int(m[1]) >= 11 else None
    return None


def _hint(table: Table, key: str, lang: Lang, value: object = None,
          year: int | None = None, book_currency: object = None) -> str:
    """What a value of field ``key`` may be, after the unreadable ``value``: the choices of
    a choice field (for a stage that says closed but not how: won or lost), the date forms
    read."""
    column = table.column(key)
    if column.type is ColumnType.TEXT and lost_digits(value) is not None:
        return ("（超过 15 位的编号被 Excel 当作数字，只保留 15 位有效数字，原编号已无法还原，"
                "查重也会漏掉它：请在 CRM 中把该列导出为文本，或直接导入 CRM 导出的文件，不要经 "
                "Excel 打开另存）" if lang == "zh" else
                " (an ID of more than 15 digits taken by Excel as a number keeps 15 significant "
                "digits: the ID is lost, and the duplicate check would miss it. Export the "
                "column as text from the CRM, or import the CRM's file without opening and "
                "saving it in Excel)")
    if column.type in _NUMBER_TYPES and too_many_digits(value):
        return (f"（超过 {EXACT_DIGITS} 位有效数字，数字无法精确保存：多半是编号或电话号码被当作"
                f"{column.label.zh}导入，请核对该列的映射）" if lang == "zh" else
                f" (more than {EXACT_DIGITS} significant digits, which no number keeps "
                f"exactly: probably an ID or a phone number taken as {column.label.en}; check "
                "which export column is mapped to it)")
    if column.type in _NUMBER_TYPES and (meant := decimal_comma(value)) is not None:
        other = other_currency(value, own_currencies(book_currency)) \
            if column.type is ColumnType.MONEY else None
        if other is None:
            zh_do, en_do = f"若是 {meant}，请在工作簿中改为 {meant}", f"if it is {meant}, type " \
                f"{meant} in the workbook"
        else:  # 1.234,50 € in a CNY book: retyped as 1234.50, it would count as yuan
            marked, book = other
            zh_do = (f"且是 {marked} 金额，但本工作簿的币种是 {book}：若是 {meant} {marked}，"
                     f"请换算成 {book} 后在工作簿中只填数字（xlsales 从不换算货币）")
            en_do = (f"and is in {marked}, but the workbook is in {book}: if it is {meant} "
                     f"{marked}, convert it to {book} and type the number in the workbook "
                     "(xlsales never converts currencies)")
        return (f"（像是欧洲写法：逗号作小数点、点号分隔千位；导出中的其他数字用小数点或逗号分隔"
                f"千位，无法确定它的写法。{zh_do}）"
                if lang == "zh" else
                f" (written as in Europe, with a decimal comma? The export's other numbers "
                f"have a decimal point or a comma between thousands, so which it is cannot be "
                f"told; {en_do})")
    if column.choices is not None and key == "stage" and name_key(value) in _UNDECIDED:
        won, lost = (column.choices.label(k, lang) for k in ("won", "lost"))
        return (f"（只说明已结案，未说明{won}还是{lost}：请在导入文件中改为“{won}”或“{lost}”）"
                if lang == "zh" else f" (closed, but {won} or {lost}? Say which in the export)")
    if column.choices is not None:
        labels = column.choices.labels(lang)
        if lang == "zh":
            return f"（应为：{'、'.join(labels)}）"
        return f" (one of: {', '.join(labels)})"
    why = unread_date_why(value, lang, year=year) if column.type is ColumnType.DATE else ""
    if why:
        return why  # 11/1/2026 with nothing to say its order, 11月4日 without a year
    if column.type is ColumnType.DATE:
        return ("（日期可写成 2026-11-03、2026/11/3、2026年11月3日、民国 115/11/03）"
                if lang == "zh" else " (dates read: 2026-11-03, 2026/11/3, 2026年11月3日, "
                "2026-11-03T10:00:00Z, ROC 115/11/03)")
    return ""
