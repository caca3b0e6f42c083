"""Turn what people really type into typed values, and say what was converted.

Pure functions, no Excel: each parser returns ``(value, conversion)`` where
``conversion`` is None when the input was already clean, a short code (see
:data:`CONVERSIONS`) when it was repaired, and the value is :data:`INVALID` when
it cannot be read at all. The reader turns conversions into info findings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

from xlsales.parse_numbers import (
    _PLAIN_NUMBER,
    EXACT_LIMIT,
    INVALID,
    _fold,
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

#: a time of day after a date: ``14:30``, ``T10:00:00.000Z`` (ISO, as CRM APIs export),
#: ``10:00:00+08:00``, ``2:30:00 PM`` and ``下午 2:30:00`` (what English and Chinese Excel
#: write of a date-time: ``2026/11/3 下午 2:30:00``); the date is what is kept
_TIME = (r"(?:(?:[ T]\s*|(?=[上下]午))(?:[上下]午\s*)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
         r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
#: a year of four digits, or of two (``26年11月5日``, ``3-Nov-26``: see :func:`full_year`)
_CN_DATE = re.compile(r"^(\d{4}|\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"
                      + _TIME + "$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?" + _TIME + "$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: ROC (Minguo) calendar dates, as Taiwan ERP exports write them: ``115/09/03``,
#: ``115-9-3``, ``115年9月3日``, ``民國115年9月3日`` (year 115 is 2026); ``民國``/``民国``
#: in front, or a three-digit year, says the year is the ROC's (see :func:`_roc_date`)
_ROC = re.compile(r"^((?:中[华華])?民[国國])?\s*(\d{1,3})\s*"
                  r"(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号號])?"
                  r"|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)" + _TIME + "$")
ROC_OFFSET = 1911  # ROC year 1 is 1912
#: English dates with the month's name: ``3 Nov 2026``, ``Nov 3, 2026``, ``November 3 2026``
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTHS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_DMY_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[-, ]*(\d{4}|\d{2})" + _TIME + "$")
_MDY_NAMED = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + "$")
_MONTH_YEAR = re.compile(r"^(?:([A-Za-z]{3,9})\.?[ ,-]*|(\d{1,2})/)(\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)
#: Excel's two-digit year rule (Windows' default, which Excel and WPS follow): 00–29 are
#: 2000–2029, 30–99 are 1930–1999
TWO_DIGIT_CUTOFF = 29
SERIAL_RANGE = (20000, 80000)  # 1954 … 2119: a bare number in a date column in this range


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


def full_year(digits: str) -> int:
    """The year written ``digits``: four digits as written, two as Excel reads them
    (``26`` is 2026, ``30`` is 1930: :data:`TWO_DIGIT_CUTOFF`)."""
    year = int(digits)
    if len(digits) != 2:
        return year
    return year + (2000 if year <= TWO_DIGIT_CUTOFF else 1900)


def serial_to_date(serial: float) -> date:
    """Excel (1900 date system) serial number to a date."""
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object, month_only: bool = False) -> tuple[object, str | None]:
    """A date from a date/datetime, an Excel serial number, or text such as
    ``"2026年11月3日"``, ``"2026/11/3"``, ``"2026-11-03"``, ``"20261103"``, a ROC
    calendar date (``"115/11/03"``, ``"民國115年11月3日"``), ``3 Nov 2026``, ``3-Nov-26``
    and ``26年11月5日`` (a two-digit year: :func:`full_year`), with a time of day after
    it as Excel writes one (``2026/11/3 下午 2:30:00``), which is dropped; with
    ``month_only`` also ``"2026-11"`` / ``"2026年11月"`` (first day of the month).
    ``10/20/2026`` needs its order: see :mod:`xlsales.slash_dates`."""
    if isinstance(value, datetime):
        d, code = value.date(), ("datetime_to_date" if value.time() != datetime.min.time()
                                 else None)
    elif isinstance(value, date):
        d, code = value, None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return None, None
        if not SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return INVALID, None
        d, code = serial_to_date(value), "serial_date"
    elif isinstance(value, str):
        text, folded = _fold(value)
        text = text.strip()
        if not text:
            return None, None
        parsed = _parse_date_text(text, month_only)
        if parsed is None:
            return INVALID, None
        d, code = parsed
        code = "full_width" if folded and code == "text_date" else code
    else:
        return INVALID, None
    if month_only and d.day != 1:
        d = d.replace(day=1)
    return d, code


def _parse_date_text(text: str, month_only: bool) -> tuple[date, str] | None:
    for pattern, code in ((_CN_DATE, "chinese_date"), (_YMD, "text_date"),
                          (_COMPACT, "text_date")):
        m = pattern.match(text)
        if not m:
            continue
        year, month = full_year(m[1]), int(m[2])
        day = m[3]
        if (day is None and not month_only) or year < 2000:
            # 99年1月2日: Excel's 1999, but a Taiwan system's ROC year 99 is 2010: unread
            return None
        try:
            return date(year, month, int(day) if day else 1), (
                "two_digit_year" if len(m[1]) == 2 else code)
        except ValueError:
            return None
    roc = _roc_date(text, month_only)
    if roc is not None:
        return roc, "roc_date"
    named = _named_month_date(text)
    if named is not None:
        return named
    named = _month_of_year(text) if month_only else None
    if named is not None:
        return named, "text_date"
    if _PLAIN_NUMBER.match(text):
        number, _ = parse_number(text)
        if isinstance(number, float) and SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return serial_to_date(number), "serial_date"
    return None


def _roc_date(text: str, month_only: bool) -> date | None:
    """A ROC (Minguo) calendar date as a date (year + 1911), where nothing else can be
    meant: a three-digit year (100 is 2011), or ``民國`` before a shorter one; up to next
    year. Two digits alone are not read: ``26/09/03`` may as well be 2026-09-03 or
    26 September 2003."""
    m = _ROC.match(text)
    if m is None:
        return None
    year = int(m[2])
    if not (len(m[2]) == 3 or m[1]) or not 1 <= year <= date.today().year - ROC_OFFSET + 1:
        return None
    month, day = (m[3], m[4]) if m[3] else (m[5], m[6])
    if day is None and not month_only:
        return None
    try:
        return date(year + ROC_OFFSET, int(month), int(day) if day else 1)
    except ValueError:
        return None


def _named_month_date(text: str) -> tuple[date, str] | None:
    """``3 Nov 2026``, ``03-Nov-2026``, ``3-Nov-26`` (Excel's d-mmm-yy), ``Nov 3, 2026``,
    ``November 3 2026`` as a date, and its conversion code."""
    m = _DMY_NAMED.match(text)
    day, month, year = (m[1], m[2], m[3]) if m else (None, None, None)
    if m is None and (m := _MDY_NAMED.match(text)):
        month, day, year = m[1], m[2], m[3]
    if m is None or month is None:
        return None
    number = month_number(month)
    if number is None:
        return None
    try:
        return (date(full_year(year), number, int(day)),
                "two_digit_year" if len(year) == 2 else "text_date")
    except ValueError:
        return None


def _month_of_year(text: str) -> date | None:
    """A month written without a day, in a month column: ``Nov 2026``, ``November 2026``,
    ``Nov-2026``, ``11/2026`` (its first day)."""
    m = _MONTH_YEAR.match(text)
    if m is None:
        return None
    if m[1]:
        number = month_number(m[1])
        if number is None:
            return None
    else:
        number = int(m[2])
    return date(int(m[3]), number, 1) if 1 <= number <= 12 else None


def month_number(name: str) -> int | None:
    """The month ``name`` names in English (``Nov``, ``November``, ``Sept``; 1–12), None
    when it names none."""
    number = _MONTHS.get(name[:3].lower())
    if number is None or (len(name) > 3 and not MONTH_NAMES[number - 1].lower().startswith(
            name.lower().rstrip("."))):
        return None
    return number


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
        convert: Callable[[object], tuple[object, str | None]] = parse_number
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
    from xlsales.slash_dates import column_order, parse_slash

    order: Order | None = column_order(values)
    code: str | None = order
    if order is None and date_order is not None:
        order, code = date_order.order, f"{date_order.order}_{date_order.source}"

    def convert(v: object) -> tuple[object, str | None]:
        d = parse_slash(v, order)
        if d is None:
            return parse_date(v, month)
        return (d.replace(day=1) if month else d), code or "text_date"

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
