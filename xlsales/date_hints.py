"""Why a date that looks like one is not read, and how to say what it is, in both
languages: ``11/1/2026`` may be 1 November or 11 January (nothing beside it says which
order it is written in), ``11月4日`` names no year (the hint writes it in the year of
the workbook's period: :mod:`xlsales.io.reader_yearless`). xlsales guesses neither."""

from __future__ import annotations

import re
from datetime import date

from xlsales.date_impossible import impossible_day_why
from xlsales.date_text import MONTH_NAMES, month_number, parse_date, without_weekday
from xlsales.slash_dates import ambiguous, parse_slash
from xlsales.values import fold

#: a day of a month without its year: ``11月4日``, ``Nov 4``, ``4-Nov`` (Excel's d-mmm)
_CN_NO_YEAR = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]$")
_EN_NO_YEAR = re.compile(r"^(?:([A-Za-z]{3,9})\.?[ -](\d{1,2})|(\d{1,2})[ -]([A-Za-z]{3,9})\.?)$")

#: how an import says which order its dates are in
IMPORT_ORDER = ("：若导出是月在前（美国 CRM 的写法），请加 --date-order mdy 重新导入；"
                "若是日在前，请加 --date-order dmy",
                ": add --date-order mdy to the import if the export writes the month "
                "first (as US CRMs do), --date-order dmy if the day first")
#: how a workbook's cell says it
CELL_ORDER = ("，旁边也没有日期能说明它的次序：请改写为 {mdy} 或 {dmy}",
              ", and no date beside it says which order it is written in: type it as "
              "{mdy} or {dmy}")


def unread_date_why(value: object, lang: str, order_how: tuple[str, str] = IMPORT_ORDER,
                    year: int | None = None) -> str:
    """Why the date ``value`` is not read, when it looks like one (``""`` otherwise), in
    ``lang``: the two dates a day-or-month-first date may be, and ``order_how`` (zh, en;
    ``{mdy}`` and ``{dmy}`` are the two as ISO dates) to say which; or that it names no
    year, with the date written in ``year`` (the workbook's period's; default: this
    year) as what to write, saying which year that is."""
    zh = lang == "zh"
    if impossible := impossible_day_why(value, lang):
        return impossible  # 31/09/2026: a day September does not have
    if wrong := _wrong_weekday(value, zh):
        return wrong  # 2026年11月3日 星期三: 3 November 2026 is a Tuesday
    dates = ambiguous(value)
    if dates is not None:
        mdy, dmy = dates
        how = order_how[0 if zh else 1].format(mdy=mdy.isoformat(), dmy=dmy.isoformat())
        if zh:
            return (f"（日月次序不明：{value} 可以是 {mdy.month} 月 {mdy.day} 日，也可以是 "
                    f"{dmy.month} 月 {dmy.day} 日{how}）")
        return (f" (day or month first? {value} is {mdy.day} {MONTH_NAMES[mdy.month - 1]} "
                f"or {dmy.day} {MONTH_NAMES[dmy.month - 1]}{how})")
    meant = _without_year(value, year or date.today().year)
    if meant is None:
        return ""
    if zh:
        whose = "工作簿周期的年份" if year else "今年"
        return f"（没有年份：请写上年份，如 {meant.isoformat()}，按{whose} {meant.year} 年）"
    whose = "the year of the workbook's period" if year else "this year"
    return f" (no year: add the year, e.g. {meant.isoformat()}, {whose}, {meant.year})"


_CN_DAY_NAMES = "一二三四五六日"
_EN_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                 "Sunday")


def _wrong_weekday(value: object, zh: bool) -> str:
    """Why a date written with another day of the week than its own is not read (the date
    or the day is wrong, and xlsales cannot tell which; ``11/06/2026 Mon``: neither 6
    November nor 11 June), ``""`` for any other value."""
    if not isinstance(value, str):
        return ""
    text, weekday = without_weekday(fold(value))
    if weekday is None:
        return ""
    readings = [d for d in (parse_date(text)[0], parse_slash(text, "month_first"),
                            parse_slash(text, "day_first")) if isinstance(d, date)]
    readings = sorted(set(readings), reverse=True)
    if not readings or any(d.weekday() == weekday for d in readings):
        return ""
    if zh:
        said = "，".join(f"{d.isoformat()} 是星期{_CN_DAY_NAMES[d.weekday()]}" for d in readings)
        neither = "都不是" if len(readings) > 1 else "不是"
        return f"（{said}，{neither}星期{_CN_DAY_NAMES[weekday]}：请核对日期）"
    said = ", ".join(f"{d.isoformat()} is a {_EN_DAY_NAMES[d.weekday()]}" for d in readings)
    neither = "neither is" if len(readings) > 1 else "not"
    return f" ({said}, {neither} a {_EN_DAY_NAMES[weekday]}: check the date)"


def _without_year(value: object, year: int) -> date | None:
    """The day ``value`` names without a year (``11月4日``, ``Nov 4``) in ``year``."""
    if not isinstance(value, str):
        return None
    text = fold(value)
    if m := _CN_NO_YEAR.match(text):
        month, day = int(m[1]), int(m[2])
    elif m := _EN_NO_YEAR.match(text):
        name, day_text = (m[1], m[2]) if m[1] else (m[4], m[3])
        number = month_number(name)
        if number is None:
            return None
        month, day = number, int(day_text)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_yearless(value: object) -> bool:
    """True for a day of a month without its year (``11月4日``, ``Nov 4``)."""
    return _without_year(value, 2000) is not None  # 2000: a leap year, 2月29日 too
