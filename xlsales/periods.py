"""Reporting periods: a month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``).

The period type follows from how the period is written. Everything that needs
period arithmetic (the template builder, later the KPI engine and the plan
generator) uses :class:`Period`, so "previous period" and "same period last
year" mean the same thing everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from xlsales.date_text import month_number
from xlsales.errors import UsageError


class PeriodType(str, Enum):
    """Length of a reporting period; the value is the number of months."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.value]


# Spellings read (after NFKC, so that full-width ２０２６年Ｑ３ reads too, and upper-case):
# 2026-11, 2026/11, 2026年11月, 2026年 11 月; 2026-Q4, 2026Q4, 2026 Q4, 2026年Q4, Q4 2026,
# 2026年第四季度, 2026年四季度, 2026年第4季度; 2026, 2026年, 2026年度; in English the
# month's name too: Nov 2026, November 2026, Nov-2026, 2026 Nov; and 2026/Q4.
_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?$")
_NAMED_MONTH = re.compile(r"^(?:([A-Z]{3,9})\.?[\s,-]*(\d{4})|(\d{4})[\s,-]*([A-Z]{3,9})\.?)$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:年|-|/)?\s*(?:Q([1-4])|第?\s*([1-4一二三四])\s*季度?)$")
_QUARTER_FIRST = re.compile(r"^Q([1-4])\s*-?\s*(\d{4})\s*年?$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def _quarter_number(text: str) -> int:
    return _CHINESE_DIGITS.get(text) or int(text)


def _add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after the month of ``d``."""
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def range_text(first: str, last: str, lang: str = "zh") -> str:
    """A range of dates or months as text of ``lang`` writes it: ``first ~ last`` in
    Chinese, ``first – last`` (an en dash) in English."""
    return f"{first} {'~' if lang == 'zh' else '–'} {last}"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period starting on the first day of ``start``'s month."""

    start: date
    type: PeriodType

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2026-11``, ``2026-Q4`` or ``2026`` (or a Chinese spelling:
        ``2026年11月``, ``2026年第四季度``, ``2026年``; an English month: ``Nov 2026``);
        raise :class:`UsageError` otherwise."""
        s = unicodedata.normalize("NFKC", str(text)).strip().upper()
        if m := _MONTH.match(s):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                return cls(date(year, month, 1), PeriodType.MONTH)
        elif (m := _NAMED_MONTH.match(s)) and (month := month_number(m[1] or m[4])):
            return cls(date(int(m[2] or m[3]), month, 1), PeriodType.MONTH)
        elif (m := _QUARTER.match(s)) or (q := _QUARTER_FIRST.match(s)):
            year, quarter = (int(m[1]), _quarter_number(m[2] or m[3])) if m else \
                (int(q[2]), int(q[1]))
            return cls(date(year, 3 * quarter - 2, 1), PeriodType.QUARTER)
        elif m := _YEAR.match(s):
            return cls(date(int(m[1]), 1, 1), PeriodType.YEAR)
        raise UsageError(
            f"无法识别的周期 “{text}”：请写成 2026-11 或 2026年11月（月度）、2026-Q4、2026Q4 或 "
            "2026年第四季度（季度）、2026 或 2026年（年度）。",
            f"Cannot read the period '{text}': write 2026-11, Nov 2026 or 2026年11月 (month), "
            "2026-Q4, 2026Q4, Q4 2026 or 2026年第四季度 (quarter), 2026 or 2026年 (year).",
        )

    @classmethod
    def current_month(cls, today: date | None = None) -> Period:
        """The month containing ``today`` (default: the system date)."""
        d = today or date.today()
        return cls(date(d.year, d.month, 1), PeriodType.MONTH)

    @property
    def months(self) -> int:
        return self.type.months

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return _add_months(self.start, self.months) - timedelta(days=1)

    def shift(self, periods: int) -> Period:
        """The period ``periods`` steps later (negative: earlier), same type."""
        return Period(_add_months(self.start, periods * self.months), self.type)

    @property
    def next(self) -> Period:
        return self.shift(1)

    @property
    def previous(self) -> Period:
        return self.shift(-1)

    @property
    def year_ago(self) -> Period:
        return Period(_add_months(self.start, -12), self.type)

    def months_before(self, months: int) -> date:
        """The first day of the month ``months`` before the period's first month (the
        start of a history window)."""
        return _add_months(self.start, -months)

    @property
    def aligned(self) -> bool:
        """Whether the period starts where its type's calendar periods do: a quarter on
        1 January, April, July or October, a year on 1 January (a month always does)."""
        return (self.start.month - 1) % self.months == 0

    @property
    def dates(self) -> str:
        """The first and last day as Chinese text writes them, ``2026-07-01 ~ 2026-09-30``
        (also what a roll-up's stamp holds and is read back from)."""
        return self.span("zh")

    def span(self, lang: str = "zh") -> str:
        """The first and last day in text of ``lang``: ``2026-07-01 ~ 2026-09-30`` in
        Chinese, ``2026-07-01 – 2026-09-30`` (an en dash) in English."""
        return range_text(self.start.isoformat(), self.end.isoformat(), lang)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def months_in(self) -> list[Period]:
        """The months that make up this period, in order."""
        return self.parts_in(PeriodType.MONTH)

    def parts_in(self, kind: PeriodType) -> list[Period]:
        """The periods of ``kind`` that make up this period, in order: a year's four
        quarters, a quarter's three months, a period itself when ``kind`` is its type;
        none when ``kind`` is longer than the period (a month holds no whole quarter)."""
        step = kind.months
        return [Period(_add_months(self.start, i), kind) for i in range(0, self.months, step)
                if i + step <= self.months]

    def within(self, kind: PeriodType) -> Period:
        """The calendar period of ``kind`` this period starts in (2026-11 is within the
        quarter 2026-Q4 and the year 2026)."""
        index = (self.start.month - 1) // kind.months * kind.months
        return Period(date(self.start.year, index + 1, 1), kind)

    @property
    def label(self) -> str:
        """Canonical text form, the inverse of :meth:`parse`."""
        if self.type is PeriodType.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.type is PeriodType.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    def __str__(self) -> str:
        return self.label


def told_apart(a: Period, b: Period, lang: str = "zh") -> tuple[str, str]:
    """How to name two periods in a message comparing them (in ``lang``): their labels,
    with their dates when the labels are the same (a quarter typed to start on 1 August
    is labelled with the quarter it starts in: ``2026-Q3 (2026-08-01 ~ 2026-10-31)``)."""
    if a.label != b.label or a == b:
        return a.label, b.label
    if lang == "zh":
        return f"{a.label}（{a.dates}）", f"{b.label}（{b.dates}）"
    return f"{a.label} ({a.span('en')})", f"{b.label} ({b.span('en')})"
