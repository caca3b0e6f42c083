"""Dates as people type them: Chinese (``2026年11月3日``), ROC (民国115年), slashed,
dotted, compact, named months (``3 Nov 2026``), month-years, Excel serial numbers.
Each parser returns ``(value, conversion)`` as :mod:`xlsales.normalise` does."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from xlsales.parse_numbers import _PLAIN_NUMBER, INVALID, _fold, parse_number

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
#: the day of the week beside a date, as Chinese CRMs and WPS show one (``2026年11月3日
#: 星期二``, ``2026-11-03（周二）``, ``禮拜二``) and English ones (``Tue, 3 Nov 2026``,
#: ``Tuesday, November 3, 2026``); 0 is Monday, as :meth:`date.weekday` counts
_CN_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CN_WEEKDAY = re.compile(r"\s*[(（]?(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])[)）]?\s*")
_EN_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
#: ... and after it (``11/03/2026 Tue``, ``11/03/2026 (Tuesday)``)
_EN_WEEKDAY_AFTER = re.compile(r"\s+\(?(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)?$", re.I)
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
        text, weekday = without_weekday(text)
        parsed = _parse_date_text(text, month_only)
        if parsed is None or (weekday is not None and parsed[0].weekday() != weekday):
            return INVALID, None  # 2026年11月3日 星期三: the date or the day is wrong
        d, code = parsed
        code = "full_width" if folded and code == "text_date" else code
    else:
        return INVALID, None
    if month_only and d.day != 1:
        d = d.replace(day=1)
    return d, code


def without_weekday(text: str) -> tuple[str, int | None]:
    """``text`` without the day of the week written beside its date (``2026年11月3日
    星期二``, ``Tue, 3 Nov 2026``) and that day (0 is Monday); ``(text, None)`` when it
    names none, or more than one."""
    found = _CN_WEEKDAY.findall(text)
    if len(found) == 1:
        return _CN_WEEKDAY.sub(" ", text).strip(), _CN_WEEKDAYS[found[0]]
    m = _EN_WEEKDAY.match(text) or _EN_WEEKDAY_AFTER.search(text)
    name = m[1].lower() if m else ""
    if m is None or not _EN_WEEKDAY_NAMES[name].startswith(m[0].strip(" ,.()").lower()):
        return text, None
    return (text[:m.start()] + text[m.end():]).strip(), _EN_WEEKDAYS.index(name)


#: the days' names as English writes them, by their first three letters
_EN_WEEKDAY_NAMES = {d[:3]: d for d in ("monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday")}


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
