"""Turn what people really type into typed values, and say what was converted.

Pure functions, no Excel: each parser returns ``(value, conversion)`` where
``conversion`` is None when the input was already clean, a short code (see
:data:`CONVERSIONS`) when it was repaired, and the value is :data:`INVALID` when
it cannot be read at all. The reader turns conversions into info findings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from xlsales.date_text import parse_date
from xlsales.parse_numbers import (
    EXACT_LIMIT,
    INVALID,
    _fold,
    currency_marked,
    parse_number,
    too_many_digits,
)
from xlsales.spec.model import ChoiceSet, Column, ColumnType, Lang

if TYPE_CHECKING:
    from xlsales.slash_dates import Order

#: conversion code → (zh, en) description, used in info findings
CONVERSIONS: dict[str, tuple[str, str]] = {
    "number_as_text": ("文本形式的数字已转为数字", "number stored as text converted to a number"),
    "thousands": ("已去掉千位分隔符", "thousands separators removed"),
    "month_first": ("按“月/日/年”读取：本列其他日期只能是月在前（日大于 12）",
                    "read as month/day/year: other dates of this column can only be month "
                    "first (their day is over 12)"),
    "day_first": ("按“日/月/年”读取：本列其他日期只能是日在前（日大于 12）",
                  "read as day/month/year: other dates of this column can only be day "
                  "first (their day is over 12)"),
    "month_first_file": ("按“月/日/年”读取：同一导出或表格的其他日期列只能是月在前（日大于 12）",
                         "read as month/day/year: another date column of the same export or "
                         "table can only be month first (its day is over 12)"),
    "day_first_file": ("按“日/月/年”读取：同一导出或表格的其他日期列只能是日在前（日大于 12）",
                       "read as day/month/year: another date column of the same export or "
                       "table can only be day first (its day is over 12)"),
    "month_first_weekday": ("按“月/日/年”读取：本列写有星期的日期只有按月在前读才与星期相符",
                            "read as month/day/year: the day of the week beside a date of "
                            "this column fits it read month first only"),
    "day_first_weekday": ("按“日/月/年”读取：本列写有星期的日期只有按日在前读才与星期相符",
                          "read as day/month/year: the day of the week beside a date of this "
                          "column fits it read day first only"),
    "day_first_dotted": ("按“日.月.年”读取：以点号分隔的日期都是日在前（德国、俄罗斯等地的写法）",
                         "read as day.month.year: dates written with dots are day first "
                         "(as Germany, Russia and others write them)"),
    "month_first_given": ("按 --date-order mdy 以“月/日/年”读取", "read as month/day/year, as "
                          "--date-order mdy says"),
    "day_first_given": ("按 --date-order dmy 以“日/月/年”读取", "read as day/month/year, as "
                        "--date-order dmy says"),
    "two_digit_year": ("两位数年份按 Excel 的规则读取（00–29 为 2000–2029 年，30–99 为 "
                       "1930–1999 年）", "two-digit year read as Excel reads it (00–29: "
                       "2000–2029, 30–99: 1930–1999)"),
    "full_width": ("全角字符已转为半角", "full-width characters converted"),
    "currency": ("已去掉货币符号", "currency symbol removed"),
    "percent_text": ("百分数文本已转为小数", "percentage text converted to a fraction"),
    "wan": ("“千/万/亿”（萬/億，k/w/M）已换算为数字",
            "a unit such as k (thousand) or M (million) applied (1.2k is 1,200)"),
    "accounting_negative": ("括号表示的负数已转为负数", "a negative number in brackets "
                                                     "read as negative"),
    "chinese_date": ("中文日期已转为日期", "Chinese date converted"),
    "roc_date": ("民国纪年日期已转为公历（年份加 1911）",
                 "ROC (Minguo) calendar date converted (year + 1911)"),
    "text_date": ("文本日期已转为日期", "date stored as text converted"),
    "serial_date": ("Excel 日期序号已转为日期", "Excel serial number converted to a date"),
    "datetime_to_date": ("已去掉时间部分", "time of day dropped"),
    "trimmed": ("已去掉首尾空格", "leading/trailing spaces removed"),
    "alias": ("已换成标准选项", "replaced by the standard choice"),
    "other_language": ("是另一种语言（或代码）的写法，已换成本工作簿的选项",
                       "written as the other language (or the key) names it: read as the "
                       "workbook's choice"),
    # a built-in list entry named otherwise than the workbook's list names it (``East`` in
    # a Chinese book listing 华东); made once the lists are read (reader_frames)
    "list_name": ("已换成工作簿列表中的名称", "named as the workbook's list names it"),
}


def clean_text(value: object) -> tuple[object, str | None]:
    """Strip spaces around text; a number (an order ID, a customer code typed or pasted
    as one) becomes its text as Excel shows it, ``900005`` not ``900005.0``; other
    values pass through."""
    if isinstance(value, str):
        stripped = value.strip(" \t\r\n\u00a0\u3000")
        if stripped != value:
            return (stripped if stripped else None), "trimmed"
    elif isinstance(value, float) and math.isfinite(value):
        if too_many_digits(value):  # an ID of 16+ digits stored as a number: digits lost
            return INVALID, None
        return (str(int(value)) if value.is_integer() else f"{value:.15g}"), None
    elif isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    return value, None


# --- whole columns, driven by the spec ------------------------------------------------

Issue = tuple[int, str, object]  # (position, conversion code or "invalid", original value)


def normalise_column(column: Column, values: Sequence[object], lang: Lang | None = None,
                     date_order: DateOrder | None = None) -> tuple[list[object], list[Issue]]:
    """Typed values of one column (choice columns become choice keys) and the
    conversions/invalid entries found, by position. Empty cells become None. With the
    workbook's ``lang``, a choice written as the other language (or its key) names it is
    a conversion too: the workbook's own formulas compare with its language's label.
    ``date_order`` is the order of ``10/20/2026``-style dates proven by the other date
    columns of the same file or named by the user, for a date column whose own dates
    prove none (see :mod:`xlsales.slash_dates`).

    Values that are already clean (a float in a number column, a date in a date
    column, trimmed text) take a fast path; only the others are parsed."""
    t = column.type
    if values and values.count("") + values.count(None) == len(values):
        return [None] * len(values), []  # an empty column (an optional one left out)
    if t is ColumnType.CHOICE and column.choices is not None:
        return _normalise_choice(column.choices, values, lang)
    if _already_clean(t, values):
        return list(values), []
    # clean values are kept and empty cells become None right here; the rest is parsed
    if t in (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT):
        convert: Callable[[object], tuple[object, str | None]] = (
            parse_number if t is ColumnType.MONEY else _plain_number)
        out = [v if type(v) is float and abs(v) < EXACT_LIMIT else  # not NaN either
               None if v is None or v == "" else _PENDING for v in values]
    elif t in (ColumnType.DATE, ColumnType.MONTH):
        month = t is ColumnType.MONTH
        convert = _date_parser(values, month, date_order)
        out = [v if type(v) is date and not month else
               None if v is None or v == "" else _PENDING for v in values]
    else:
        convert = clean_text
        out = [v if type(v) is str and v and v[0] not in _EDGE_SPACE and v[-1] not in
               _EDGE_SPACE else None if v is None or v == "" else _PENDING for v in values]
    issues: list[Issue] = []
    for i in [i for i, v in enumerate(out) if v is _PENDING]:
        v = values[i]
        if v is None or v == "" or v != v:  # v != v: NaN
            out[i] = None
            continue
        value, code = convert(v)
        if value is INVALID:
            issues.append((i, "invalid", v))
            value = None
        elif code:
            issues.append((i, code, v))
        out[i] = value
    return out, issues


def _plain_number(value: object) -> tuple[object, str | None]:
    """:func:`parse_number` for a column that is no amount (a quantity, a probability):
    a currency mark or code (``¥2,000``, ``10 KGS``) makes it unreadable, never a
    number read without its currency."""
    return (INVALID, None) if currency_marked(value) else parse_number(value)


class DateOrder(NamedTuple):
    """The order of a file's ``10/20/2026``-style dates, and what says so: ``file``, its
    other date columns; ``given``, the user (``import --date-order``)."""

    order: Order
    source: Literal["file", "given"]


def _date_parser(values: Sequence[object], month: bool, date_order: DateOrder | None
                 ) -> Callable[[object], tuple[object, str | None]]:
    """:func:`parse_date`, reading ``10/20/2026``-style dates in the order the column's
    dates allow, else in ``date_order`` (:mod:`xlsales.slash_dates`); with neither, only
    those that read the same in both orders (``11/11/2026``)."""
    from xlsales.slash_dates import by_weekday, column_order, dotted, parse_slash

    # a weekday settles the column when its numbers prove nothing else (11/03/2026 Tue)
    order: Order | None = column_order(values) or column_order(values, False)
    code: str | None = f"{order}_weekday" if order and by_weekday(values) else order
    if order is None and date_order is not None:
        order, code = date_order.order, f"{date_order.order}_{date_order.source}"

    def convert(v: object) -> tuple[object, str | None]:
        d = parse_slash(v, order)
        if d is None:
            return parse_date(v, month)
        return (d.replace(day=1) if month else d), code or (
            "day_first_dotted" if dotted(v) else "text_date")

    return convert


_PENDING: Final = object()
_EDGE_SPACE = frozenset(" \t\r\n\u00a0\u3000")
_NUMBER_TYPES = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)


def _already_clean(t: ColumnType, values: Sequence[object]) -> bool:
    """Whole-column check at C speed: every value already has the column's type
    (numbers, dates, trimmed non-empty text), so nothing needs parsing."""
    if not values:
        return True
    types = set(map(type, values))
    if t in _NUMBER_TYPES:
        return (types == {float} and not any(map(math.isnan, values))  # type: ignore[arg-type]
                and max(map(abs, values)) < EXACT_LIMIT)  # type: ignore[arg-type]
    if t is ColumnType.DATE:
        return types == {date}
    if t in (ColumnType.TEXT, ColumnType.LIST):
        # no empty string and no value starting or ending with a space
        if types != {str} or "" in values:
            return False
        joined = "\x00".join(values)  # type: ignore[arg-type]
        if joined[0] in _EDGE_SPACE or joined[-1] in _EDGE_SPACE:
            return False
        present = [c for c in _EDGE_SPACE if c in joined]  # one fast scan per character
        return not any("\x00" + c in joined or c + "\x00" in joined for c in present)
    return False


def _normalise_choice(choices: ChoiceSet, values: Sequence[object], lang: Lang | None = None
                      ) -> tuple[list[object], list[Issue]]:
    exact: dict[object, str] = {}
    for c in choices.choices:
        exact.update({c.label.get(lang): c.key} if lang else
                     {c.key: c.key, c.label.zh: c.key, c.label.en: c.key})
    # as Excel compares text (case aside): what the workbook's formulas count
    counted = {c.label.get(lang).casefold(): c.key for c in choices.choices} if lang else {}
    out: list[object] = []
    issues: list[Issue] = []
    for i, v in enumerate(values):
        if v is None or v == "" or v != v:
            out.append(None)
        elif v in exact:
            out.append(exact[v])
        else:
            text, _ = _fold(str(v))
            key, is_exact = choices.match(text)
            if key is None and choices.open:  # the team's own: kept as typed, trimmed
                key, is_exact = str(v).strip(), True
            if key is None:
                issues.append((i, "invalid", v))
            elif not is_exact:
                issues.append((i, "alias", v))
            elif text.strip() != str(v):
                issues.append((i, "trimmed", v))
            elif lang and counted.get(str(v).casefold()) != key and not choices.open:
                issues.append((i, "other_language", v))
            out.append(key)
    return out, issues
