"""Working days of a plan: when actions start and fall due, when its checks and reviews
are held, and what a week of a month plan weighs.

A working day is a Monday to Friday that is no public holiday of the team's calendar,
or a Saturday or Sunday the calendar makes a working day (mainland China's 调休). The
calendar follows the book's currency (:func:`calendar_of`): CNY mainland China, HKD Hong
Kong, TWD Taiwan, MOP Macau, and a currency of one country its country (SGD Singapore,
JPY Japan …: :data:`REGIONS`); any other (USD, EUR: many countries), weekends only.
The holidays come from the ``holidays`` package (its default: public holidays; Saturday
is no working day in Hong Kong either, where the package's weekend is Sunday alone). A
year whose official schedule it does not hold yet (China publishes each year's in the
November before) has its fixed rules only, and the plan says so (:meth:`WorkCalendar.note`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from xlsales.currency import currency_code

#: The calendar of a book's currency: ISO currency code → (``holidays`` country code,
#: its name in a note, zh and en). A currency not named here: weekends only.
REGIONS: dict[str, tuple[str, str, str]] = {
    "CNY": ("CN", "中国大陆法定节假日与调休安排",
            "mainland China's public holidays and make-up working days"),
    "HKD": ("HK", "香港公众假期", "Hong Kong public holidays"),
    "TWD": ("TW", "台湾地区法定假日", "Taiwan's public holidays"),
    "MOP": ("MO", "澳门公众假期", "Macau public holidays"),
    # the other currencies of one country each, where a team selling in them works there
    "SGD": ("SG", "新加坡公共假期", "Singapore public holidays"),
    "MYR": ("MY", "马来西亚全国公共假期", "Malaysia's national public holidays"),
    "JPY": ("JP", "日本国民假日", "Japan's national holidays"),
    "KRW": ("KR", "韩国公休日", "South Korea's public holidays"),
    "THB": ("TH", "泰国公共假期", "Thailand's public holidays"),
    "VND": ("VN", "越南法定假日与调休安排", "Vietnam's public holidays and make-up working days"),
    "PHP": ("PH", "菲律宾法定假日", "the Philippines' public holidays"),
    "IDR": ("ID", "印度尼西亚全国假日", "Indonesia's national holidays"),
    "GBP": ("GB", "英国全境公共假期", "UK-wide bank holidays"),
    "AUD": ("AU", "澳大利亚全国公共假期", "Australia's national public holidays"),
    "NZD": ("NZ", "新西兰公共假期", "New Zealand's public holidays"),
}


@lru_cache(maxsize=64)
def _year(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The days off (public holidays) and the weekend working days of ``country`` in
    ``year``, as the ``holidays`` package has them (kept on disk between commands:
    :mod:`~xlsales.plan.holiday_cache`)."""
    from xlsales.plan.holiday_cache import cached_year

    return cached_year(country, year, _asked)


def _asked(country: str, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """:func:`_year` as the ``holidays`` package answers it."""
    import holidays  # here: only a plan needs it, and only when not kept

    days = holidays.country_holidays(country, years=year)
    off = frozenset(d for d in days if d.year == year)
    worked = frozenset(d for d in getattr(days, "weekend_workdays", ()) if d.year == year)
    return off, worked


@dataclass(frozen=True)
class WorkCalendar:
    """The working days of a team: Monday to Friday less the public holidays of
    ``country`` (a ``holidays`` country code; None: none), plus its weekend working
    days."""

    country: str | None = None
    name: tuple[str, str] = ("", "")  # zh, en: whose holidays, as a note says it

    def is_workday(self, d: date) -> bool:
        if self.country is None:
            return d.weekday() < 5
        off, worked = _year(self.country, d.year)
        return d in worked if d.weekday() >= 5 else d not in off

    def count(self, first: date, last: date) -> int:
        """The working days from ``first`` to ``last``, both included."""
        return sum(1 for i in range((last - first).days + 1)
                   if self.is_workday(first + timedelta(days=i)))

    def _nearest(self, d: date, step: int, first: date, last: date) -> date | None:
        """The first working day from ``d`` on in the direction of ``step`` (±1) within
        ``first`` … ``last``; None when there is none."""
        while first <= d <= last:
            if self.is_workday(d):
                return d
            d += timedelta(days=step)
        return None

    def workday(self, d: date, first: date, last: date, later: bool = False) -> date:
        """``d``, or when it is no working day (a weekend, a holiday) the working day
        before it (after it, ``later``) within ``first`` … ``last``, else the one the
        other way (a check in a period starting on a weekend or a holiday: its first
        working day); ``d`` itself when the span has no working day."""
        if self.is_workday(d):
            return d
        step = 1 if later else -1
        return (self._nearest(d, step, first, last) or self._nearest(d, -step, first, last)
                or d)

    def differs(self, first: date, last: date) -> bool:
        """Whether the span holds a holiday on a weekday or a weekend working day: where
        this calendar's working days are not simply Monday to Friday."""
        return any(self.is_workday(d) != (d.weekday() < 5)
                   for d in (first + timedelta(days=i) for i in range((last - first).days + 1)))

    def note(self, first: date, last: date) -> tuple[str, str] | None:
        """What a plan over ``first`` … ``last`` says of its working days (zh, en): the
        calendar they follow, where it moved or weighed something; for mainland China,
        a year whose make-up working days are not known yet too."""
        if self.country is None or not self.differs(first, last):
            return None
        zh, en = f"工作日按{self.name[0]}", f"working days follow {self.name[1]}"
        if self.country == "CN":
            unknown = [y for y in range(first.year, last.year + 1)
                       if not _year(self.country, y)[1]]
            if unknown:
                years = "、".join(map(str, unknown)), ", ".join(map(str, unknown))
                zh += f"；{years[0]} 年的调休安排尚未收录，只按节假日计算，请核对"
                en += (f"; the make-up working days of {years[1]} are not known yet (only "
                       "the holidays are counted): check them")
        return zh + "。", en + "."


#: Monday to Friday, no holidays: a book in a currency with no calendar here
WEEKENDS = WorkCalendar()


@lru_cache(maxsize=32)
def _calendar(code: str) -> WorkCalendar:
    region = REGIONS.get(code)
    return WorkCalendar(region[0], region[1:]) if region else WEEKENDS


def calendar_of(currency: object) -> WorkCalendar:
    """The working-day calendar of a book whose currency field holds ``currency``
    (empty: CNY): :data:`REGIONS`, else weekends only."""
    return _calendar(currency_code(currency))
