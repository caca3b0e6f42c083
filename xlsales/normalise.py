"""Turn what people really type into typed values, and say what was converted.

Pure functions, no Excel: each parser returns ``(value, conversion)`` where
``conversion`` is None when the input was already clean, a short code (see
:data:`CONVERSIONS`) when it was repaired, and the value is :data:`INVALID` when
it cannot be read at all. The reader turns conversions into info findings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Final

from xlsales.spec.model import ChoiceSet, Column, ColumnType, Lang

INVALID: Final = object()  # marker: the text cannot be read as the wanted type

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
    "full_width": ("全角字符已转为半角", "full-width characters converted"),
    "currency": ("已去掉货币符号", "currency symbol removed"),
    "percent_text": ("百分数文本已转为小数", "percentage text converted to a fraction"),
    "wan": ("“千/万/亿”（萬/億）已换算为数字", "千/万/亿 (1k/10k/100M; 萬/億) units converted"),
    "accounting_negative": ("括号负数已转为负数", "(123) converted to -123"),
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

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_TWD, _HKD, _USD, _CNY = (frozenset({c}) for c in ("TWD", "HKD", "USD", "CNY"))
#: Currency marks written before or after an amount, with or without a space (compared in
#: lower case, full-width folded: ``￥`` is ``¥``) → the ISO codes each may stand for; an
#: empty set: any currency (``$``). ``元`` is the yuan, the New Taiwan and the Hong Kong
#: dollar alike; ``¥`` the yuan and the yen.
CURRENCY_MARKS: dict[str, frozenset[str]] = {
    "$": frozenset(), "¥": frozenset({"CNY", "JPY"}), "元": frozenset({"CNY", "TWD", "HKD"}),
    "nt$": _TWD, "ntd": _TWD, "twd": _TWD, "新台币": _TWD, "新台幣": _TWD, "新臺幣": _TWD,
    "台币": _TWD, "台幣": _TWD, "臺幣": _TWD,
    "hk$": _HKD, "hkd": _HKD, "港币": _HKD, "港幣": _HKD, "港元": _HKD,
    "us$": _USD, "usd": _USD, "美元": _USD, "美金": _USD,
    "rmb": _CNY, "cny": _CNY, "人民币": _CNY, "人民幣": _CNY,
    "€": frozenset({"EUR"}), "eur": frozenset({"EUR"}),
    "£": frozenset({"GBP"}), "gbp": frozenset({"GBP"}),
    # other currencies named in Chinese end in 元 too: the longer name wins (欧元 is EUR)
    **dict.fromkeys(("欧元", "歐元"), frozenset({"EUR"})),
    **dict.fromkeys(("英镑", "英鎊"), frozenset({"GBP"})),
    **dict.fromkeys(("jpy", "円", "日元", "日圓", "日圆", "日币", "日幣"), frozenset({"JPY"})),
    **dict.fromkeys(("aud", "a$", "澳元", "澳币", "澳幣"), frozenset({"AUD"})),
    **dict.fromkeys(("cad", "c$", "加元", "加币", "加幣"), frozenset({"CAD"})),
    **dict.fromkeys(("krw", "₩", "韩元", "韓元"), frozenset({"KRW"})),
    **dict.fromkeys(("sgd", "s$", "新加坡元", "新币", "新幣"), frozenset({"SGD"})),
    **dict.fromkeys(("mop", "澳门币", "澳門幣", "澳门元", "澳門元"), frozenset({"MOP"})),
}
_MARKS = "|".join(re.escape(m) for m in sorted(CURRENCY_MARKS, key=len, reverse=True))
_CURRENCY_BEFORE = re.compile(f"^(?:{_MARKS})", re.I)
_CURRENCY_AFTER = re.compile(f"(?:{_MARKS})$", re.I)
#: number units (after the currency: ``6.16万元``), Traditional ``萬``/``億`` too
_UNITS = {"%": 0.01, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: a time of day after a date: ``14:30``, ``T10:00:00.000Z`` (ISO, as CRM APIs export),
#: ``10:00:00+08:00``; the date is what is kept
_TIME = r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?" + _TIME + "$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: ROC (Minguo) calendar dates, as Taiwan ERP exports write them: ``115/09/03``,
#: ``115-9-3``, ``115年9月3日``, ``民國115年9月3日`` (year 115 is 2026); ``民國``/``民国``
#: in front, or a three-digit year, says the year is the ROC's (see :func:`_roc_date`)
_ROC = re.compile(r"^(民[国國])?\s*(\d{1,3})\s*(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号號])?"
                  r"|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)" + _TIME + "$")
ROC_OFFSET = 1911  # ROC year 1 is 1912
#: English dates with the month's name: ``3 Nov 2026``, ``Nov 3, 2026``, ``November 3 2026``
_MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DMY_NAMED = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[-, ]*(\d{4})" + _TIME + "$")
_MDY_NAMED = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME + "$")
_MONTH_YEAR = re.compile(r"^(?:([A-Za-z]{3,9})\.?[ ,-]*|(\d{1,2})/)(\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_RANGE = (20000, 80000)  # 1954 … 2119: a bare number in a date column in this range


def _fold(text: str) -> tuple[str, bool]:
    """NFKC-fold full-width characters (１２３，．％) and say whether anything changed."""
    folded = unicodedata.normalize("NFKC", text)
    return folded, folded != text


def clean_text(value: object) -> tuple[object, str | None]:
    """Strip spaces around text; a number (an order ID, a customer code typed or pasted
    as one) becomes its text as Excel shows it, ``900005`` not ``900005.0``; other
    values pass through."""
    if isinstance(value, str):
        stripped = value.strip(" \t\r\n\u00a0\u3000")
        if stripped != value:
            return (stripped if stripped else None), "trimmed"
    elif isinstance(value, float) and math.isfinite(value):
        return (str(int(value)) if value.is_integer() else f"{value:.15g}"), None
    elif isinstance(value, int) and not isinstance(value, bool):
        return str(value), None
    return value, None


def parse_number(value: object) -> tuple[object, str | None]:
    """A number from a number or from text such as ``"¥1,234.50"``, ``"NT$ 61,600"``,
    ``"61,600 TWD"``, ``"１２３"``, ``"12%"`` (0.12, as Excel stores percentages),
    ``"1.2万"``, ``"6.16萬"``, ``"61.6千"``, ``"(300)"``. A currency mark is dropped, not
    converted (:func:`currency_of` says which currency it names). A number too long to
    keep exactly (:func:`too_many_digits`) is :data:`INVALID`."""
    number, code = _parse_number(value)
    return (INVALID, None) if code == _TOO_LONG else (number, code)


#: From this size on, a number keeps at most 15 significant digits (a double's precision,
#: and all Excel keeps): one written with more is changed by reading it, and is no amount
EXACT_LIMIT, EXACT_DIGITS = 1e15, 15
_TOO_LONG = "too_many_digits"


def too_many_digits(value: object) -> bool:
    """Whether ``value`` (a number, or text :func:`parse_number` reads) is :data:`EXACT_LIMIT`
    or more with more than :data:`EXACT_DIGITS` significant digits (``12345678901234567``,
    ``99999999999999999999``: most likely an ID or a phone number; ``1e20`` is exact)."""
    return _parse_number(value)[1] == _TOO_LONG


def _inexact(number: float, mantissa: str) -> bool:
    """Whether ``number``, written with the digits ``mantissa``, is too long to keep."""
    digits = mantissa.lstrip("+-").replace(".", "").strip("0")
    return abs(number) >= EXACT_LIMIT and len(digits) > EXACT_DIGITS


def _parse_number(value: object) -> tuple[object, str | None]:
    """:func:`parse_number`, with the code :data:`_TOO_LONG` for a number too long."""
    if isinstance(value, bool):
        return INVALID, None
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, None
        mantissa = str(value) if isinstance(value, int) else repr(value).split("e")[0]
        return (INVALID, _TOO_LONG) if _inexact(value, mantissa) else (float(value), None)
    if not isinstance(value, str):
        return INVALID, None
    text, folded = _fold(value)
    text = _SPACES.sub("", text)
    if not text:
        return None, None
    codes: list[str] = ["full_width"] if folded else []
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
        codes.append("accounting_negative")
    text, marked = _strip_currency(text)
    if marked is INVALID:  # two marks naming different currencies: US$100TWD
        return INVALID, None
    if marked is not None:
        codes.append("currency")
    scale = _UNITS.get(text[-1:], 1.0) if text else 1.0
    if scale != 1.0:
        text = text[:-1]
        codes.append("percent_text" if scale == 0.01 else "wan")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
        codes.append("thousands")
    if not _PLAIN_NUMBER.match(text):
        return INVALID, None
    number = float(text) * scale * (-1 if negative else 1)
    if _inexact(number, text.lower().split("e")[0]):
        return INVALID, _TOO_LONG
    return number, (codes[0] if codes else "number_as_text")


def _strip_currency(text: str) -> tuple[str, object]:
    """``text`` (folded, without spaces) without the currency mark before and the one
    after it (a sign before the mark moves after it: ``-NT$5`` is ``-5``), and the
    currencies the marks may stand for: None without a mark, :data:`INVALID` when
    two marks name different currencies."""
    sign = text[:1] if text[:1] in ("+", "-") and _CURRENCY_BEFORE.match(text[1:]) else ""
    text = text[len(sign):]
    found: list[frozenset[str]] = []
    if m := _CURRENCY_BEFORE.match(text):
        found.append(CURRENCY_MARKS[m[0].lower()])
        text = text[m.end():]
    if text and (m := _CURRENCY_AFTER.search(text)):
        found.append(CURRENCY_MARKS[m[0].lower()])
        text = text[:m.start()]
    if not found:
        return sign + text, None
    named = [f for f in found if f]
    currencies = frozenset.intersection(*named) if named else frozenset()
    if len(named) == 2 and not currencies:
        return text, INVALID
    return sign + text, currencies


def currency_of(value: object) -> frozenset[str] | None:
    """The ISO codes of the currency an amount's mark names (``NT$61,600`` and ``61,600
    TWD``: TWD; ``¥``: CNY or JPY); None without a mark, or with one any currency
    writes (``$``)."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", _fold(value)[0])
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    _, marked = _strip_currency(text)
    return marked if isinstance(marked, frozenset) and marked else None


def serial_to_date(serial: float) -> date:
    """Excel (1900 date system) serial number to a date."""
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object, month_only: bool = False) -> tuple[object, str | None]:
    """A date from a date/datetime, an Excel serial number, or text such as
    ``"2026年11月3日"``, ``"2026/11/3"``, ``"2026-11-03"``, ``"20261103"``, a ROC
    calendar date (``"115/11/03"``, ``"民國115年11月3日"``); with ``month_only`` also
    ``"2026-11"`` / ``"2026年11月"`` (first day of the month)."""
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
        year, month = int(m[1]), int(m[2])
        day = m[3]
        if day is None and not month_only:
            return None
        try:
            return date(year, month, int(day) if day else 1), code
        except ValueError:
            return None
    roc = _roc_date(text, month_only)
    if roc is not None:
        return roc, "roc_date"
    named = _named_month_date(text) or (_month_of_year(text) if month_only else None)
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


def _named_month_date(text: str) -> date | None:
    """``3 Nov 2026``, ``03-Nov-2026``, ``Nov 3, 2026``, ``November 3 2026`` as a date."""
    m = _DMY_NAMED.match(text)
    day, month, year = (m[1], m[2], m[3]) if m else (None, None, None)
    if m is None and (m := _MDY_NAMED.match(text)):
        month, day, year = m[1], m[2], m[3]
    if m is None or month is None:
        return None
    number = _MONTHS.get(month[:3].lower())
    if number is None or (len(month) > 3 and not _full_month(month, number)):
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _month_of_year(text: str) -> date | None:
    """A month written without a day, in a month column: ``Nov 2026``, ``November 2026``,
    ``Nov-2026``, ``11/2026`` (its first day)."""
    m = _MONTH_YEAR.match(text)
    if m is None:
        return None
    if m[1]:
        number = _MONTHS.get(m[1][:3].lower())
        if number is None or (len(m[1]) > 3 and not _full_month(m[1], number)):
            return None
    else:
        number = int(m[2])
    return date(int(m[3]), number, 1) if 1 <= number <= 12 else None


def _full_month(name: str, number: int) -> bool:
    """Whether ``name`` is the month ``number`` written out (``November``, ``Sept``)."""
    full = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")[number - 1]
    return full.startswith(name.lower().rstrip("."))


# --- whole columns, driven by the spec ------------------------------------------------

Issue = tuple[int, str, object]  # (position, conversion code or "invalid", original value)


def normalise_column(column: Column, values: Sequence[object], lang: Lang | None = None
                     ) -> tuple[list[object], list[Issue]]:
    """Typed values of one column (choice columns become choice keys) and the
    conversions/invalid entries found, by position. Empty cells become None. With the
    workbook's ``lang``, a choice written as the other language (or its key) names it is
    a conversion too: the workbook's own formulas compare with its language's label.

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
        convert = _date_parser(values, month)
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


def _date_parser(values: Sequence[object], month: bool
                 ) -> Callable[[object], tuple[object, str | None]]:
    """:func:`parse_date`, reading ``10/20/2026``-style dates in the order the column's
    dates allow (:mod:`xlsales.slash_dates`)."""
    from xlsales.slash_dates import column_order, parse_slash

    order = column_order(values)
    if order is None:
        return lambda v: parse_date(v, month)

    def convert(v: object) -> tuple[object, str | None]:
        d = parse_slash(v, order)
        if d is None:
            return parse_date(v, month)
        return (d.replace(day=1) if month else d), order

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
