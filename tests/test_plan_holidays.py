"""A plan's working days follow the public holidays (and mainland China's make-up working
days, 调休) of the book's currency's region: checks, reviews, action starts and dues,
"at the latest" dates and the weights of a month plan's weeks. The reference is the
``holidays`` package's days off and weekend working days, not xlsales' wrapper around
them; a week's working days are Monday to Friday everywhere (the package's Hong Kong
weekend is Sunday alone, its statutory rest day)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
import pandas as pd
import pytest

from xlsales.periods import Period
from xlsales.plan import PlanInput, PlanOptions, PlanResult, generate_plan
from xlsales.plan.targets import time_parts
from xlsales.plan.workdays import WEEKENDS, WorkCalendar, calendar_of
from xlsales.sample import sample_workbook_data

REGION = {None: "CN", "CNY": "CN", "HKD": "HK", "TWD": "TW", "MOP": "MO", "SGD": "SG",
          "JPY": "JP", "VND": "VN"}


def plan_of(period_text: str, currency: str | None = None, lang: str = "en") -> tuple[
        PlanInput, PlanResult]:
    """The sample's plan for the period after ``period_text``, in ``currency``."""
    data = sample_workbook_data(lang)
    tables = {**data.tables, "BudgetCaps": data.budget_caps}
    inp = PlanInput(Period.parse(period_text), lang, "Team 1", tables, data.lists["rep"],
                    data.assumptions, currency)
    return inp, generate_plan(inp, PlanOptions(target=900_000))


def working(currency: str | None):
    """Whether a day is a working day in ``currency``'s region: Monday to Friday unless
    ``holidays`` has it off, Saturday and Sunday when it makes them working days (Monday
    to Friday for a currency of no region here)."""
    region = REGION.get(currency)
    if region is None:
        return lambda d: d.weekday() < 5
    cache: dict[int, holidays.HolidayBase] = {}

    def check(d: date) -> bool:
        if d.year not in cache:
            cache[d.year] = holidays.country_holidays(region, years=d.year)
        days = cache[d.year]
        return d in days.weekend_workdays if d.weekday() >= 5 else d not in days
    return check


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def scheduled(plan: PlanResult) -> dict[str, list[date]]:
    """Every date the plan sets: milestones, action starts and dues, "at the latest"."""
    timeline, actions = plan.tables["PlanTimeline"], plan.tables["PlanActions"]
    latest = [date.fromisoformat(n.split(" ")[-1]) for n in timeline["note"].dropna()]
    return {"milestone": list(timeline["date"]), "start": list(actions["start"]),
            "due": list(actions["due"]), "latest": latest}


def week_rows(plan: PlanResult) -> pd.DataFrame:
    targets = plan.tables["PlanTargets"]
    return targets[targets["scope"].eq("total") & targets["period_label"].str.contains("-W")]


@pytest.mark.parametrize("currency", [None, "HKD", "TWD", "MOP", "SGD", "JPY", "VND", "USD"])
@pytest.mark.parametrize("period_text", ["2026-09", "2026-12", "2027-01", "2027-04",
                                         "2026-Q3", "2026"])
def test_every_date_a_plan_sets_is_a_working_day_of_its_region(period_text, currency):
    """October and January–February (国庆, 元旦, 春节), May (劳动节), a quarter, a year:
    no kick-off, check, review, action start or due, no "at the latest" on a holiday."""
    _, plan = plan_of(period_text, currency)
    nxt = Period.parse(period_text).next
    is_working = working(currency)
    for kind, dates in scheduled(plan).items():
        assert dates, kind
        off = [(d, d.strftime("%a")) for d in dates if not is_working(d)]
        assert not off and all(nxt.start <= d <= nxt.end for d in dates), (kind, off)


def test_a_chinese_october_plan_skips_national_day_and_weighs_its_week_less():
    inp, plan = plan_of("2026-09")
    nxt = inp.period.next
    golden_week = days(date(2026, 10, 1), date(2026, 10, 7))
    is_working = working(None)
    assert not any(map(is_working, golden_week))  # what the package says of 国庆
    for kind, dates in scheduled(plan).items():
        assert not set(dates) & set(golden_week), kind
    timeline = plan.tables["PlanTimeline"]
    kickoff = timeline.iloc[0]
    assert kickoff["milestone"].startswith("Kick-off")
    assert kickoff["date"] == next(d for d in days(nxt.start, nxt.end) if is_working(d))
    # each week weighs its working days, the golden week's less than a full week
    parts = time_parts(nxt, "seasonal", pd.Series(dtype=float), inp.calendar)
    counts = [sum(map(is_working, days(p.start, p.end))) for p in parts]
    assert [p.weight for p in parts] == counts
    assert all(counts)  # every week keeps a working day for its check
    weeks = week_rows(plan)
    assert weeks["value"].sum() == plan.total_target
    holiday_week = next(i for i, p in enumerate(parts) if p.start <= date(2026, 10, 5) <= p.end)
    full_week = next(i for i, p in enumerate(parts) if p.start <= date(2026, 10, 12) <= p.end)
    assert counts[holiday_week] < counts[full_week] == 5
    assert weeks["value"].iloc[holiday_week] < weeks["value"].iloc[full_week]
    unit = 100  # the plan's rounding unit for a 900,000 target
    for value, count in zip(weeks["value"], counts, strict=True):
        assert abs(value - plan.total_target * count / sum(counts)) <= unit
    # each week's check on its last working day, inside the week
    held = dict(zip(timeline["milestone"], timeline["date"], strict=True))
    for part in parts:
        last = max(d for d in days(part.start, part.end) if is_working(d))
        assert held[f"{part.label} target check"] == last


def test_a_make_up_saturday_is_a_working_day():
    """调休: a Saturday the State Council makes a working day counts in the week's
    weight and may hold its check (2026-10-10, if the package knows 2026's schedule)."""
    cn = holidays.country_holidays("CN", years=2026)
    saturdays = sorted(d for d in cn.weekend_workdays if d.year == 2026)
    if not saturdays:
        pytest.skip("this holidays version knows no make-up working day in 2026")
    calendar = calendar_of("CNY")
    assert all(calendar.is_workday(d) and d.weekday() >= 5 for d in saturdays)
    assert not WEEKENDS.is_workday(saturdays[0])
    inp, plan = plan_of("2026-09")
    october = [d for d in saturdays if d.month == 10]
    assert october
    parts = time_parts(inp.period.next, "seasonal", pd.Series(dtype=float), inp.calendar)
    week = next(p for p in parts if p.start <= october[0] <= p.end)
    assert week.weight == sum(1 for d in days(week.start, week.end) if d.weekday() < 5
                              and calendar.is_workday(d)) + 1
    # its check is held on the week's last working day, the Saturday if it is that day
    timeline = plan.tables["PlanTimeline"]
    held = dict(zip(timeline["milestone"], timeline["date"], strict=True))
    last = max(d for d in days(week.start, week.end) if calendar.is_workday(d))
    assert held[f"{week.label} target check"] == last


def test_the_spring_festival_week_weighs_less_and_sums_stay_exact():
    inp, plan = plan_of("2027-01")
    nxt = inp.period.next
    is_working = working(None)
    parts = time_parts(nxt, "seasonal", pd.Series(dtype=float), inp.calendar)
    counts = [sum(map(is_working, days(p.start, p.end))) for p in parts]
    assert [p.weight for p in parts] == counts
    spring = next(i for i, p in enumerate(parts)
                  if any(not is_working(d) and d.weekday() < 5 for d in days(p.start, p.end)))
    weeks = week_rows(plan)
    assert counts[spring] < max(counts)
    assert weeks["value"].iloc[spring] < weeks["value"].max()
    # parts sum exactly to their whole: per week and per rep
    targets = plan.tables["PlanTargets"]
    assert weeks["value"].sum() == plan.total_target
    by_rep = targets[targets["scope"].eq("part") & targets["kpi"].eq("revenue")]
    assert by_rep.groupby("period_label")["value"].sum().to_dict() == dict(
        zip(weeks["period_label"], weeks["value"], strict=True))
    # a year whose make-up working days the package does not know yet says so
    if not any(d.year == 2027 for d in holidays.country_holidays("CN", years=2027)
               .weekend_workdays):
        assert any("2027" in en for _, en in plan.notes), plan.notes


def test_a_hong_kong_book_follows_hong_kong_holidays():
    inp, plan = plan_of("2026-09", "HKD")
    nxt = inp.period.next
    is_working, in_china = working("HKD"), working(None)
    # October 2026: days off in mainland China that are working days in Hong Kong
    differ = [d for d in days(nxt.start, nxt.end) if is_working(d) != in_china(d)]
    assert any(is_working(d) for d in differ) and any(not is_working(d) for d in differ)
    parts = time_parts(nxt, "seasonal", pd.Series(dtype=float), inp.calendar)
    assert [p.weight for p in parts] == [sum(map(is_working, days(p.start, p.end)))
                                         for p in parts]
    kickoff = plan.tables["PlanTimeline"].iloc[0]["date"]
    assert kickoff == next(d for d in days(nxt.start, nxt.end) if is_working(d))
    assert [en for _, en in plan.notes] == ["working days follow Hong Kong public holidays."]


def test_a_singapore_book_skips_deepavali_and_weighs_its_week_less():
    """Deepavali 2026 falls on a Sunday, observed on Monday 9 November: the week of a
    November plan that holds it has four working days, the weeks around it five."""
    inp, plan = plan_of("2026-10", "SGD")
    assert not working("SGD")(date(2026, 11, 9)) and working(None)(date(2026, 11, 9))
    parts = time_parts(inp.period.next, "seasonal", pd.Series(dtype=float), inp.calendar)
    weights = {p.start: p.weight for p in parts}
    assert weights[date(2026, 11, 9)] == 4 and weights[date(2026, 11, 16)] == 5
    weeks = week_rows(plan)
    by_week = dict(zip(weeks["period_label"], weeks["value"], strict=True))
    assert by_week["2026-11-W2"] * 5 == by_week["2026-11-W3"] * 4, by_week
    assert [en for _, en in plan.notes] == ["working days follow Singapore public holidays."]


def test_a_usd_book_only_skips_weekends():
    inp, plan = plan_of("2026-09", "USD")
    nxt = inp.period.next
    assert inp.calendar == WEEKENDS and not plan.notes
    parts = time_parts(nxt, "seasonal", pd.Series(dtype=float), inp.calendar)
    assert [p.weight for p in parts] == [
        np.busday_count(p.start, p.end + timedelta(days=1)) for p in parts]
    assert plan.tables["PlanTimeline"].iloc[0]["date"] == nxt.start  # a Thursday, 国庆
    assert nxt.start.weekday() < 5


@pytest.mark.parametrize(("currency", "country"), [
    (None, "CN"), ("", "CN"), ("CNY", "CN"), ("RMB", "CN"), ("人民币", "CN"), ("HKD", "HK"),
    ("TWD", "TW"), ("NT$", "TW"), ("MOP", "MO"), ("SGD", "SG"), ("S$", "SG"), ("JPY", "JP"),
    ("USD", None), ("EUR", None)])
def test_the_calendar_follows_the_books_currency(currency, country):
    assert calendar_of(currency).country == country


def test_the_calendar_note_is_said_once_in_the_books_language_where_it_matters():
    _, zh = plan_of("2026-09", lang="zh")
    lines = [line for line in zh.note_lines("zh") if "工作日" in line]
    assert lines == ["  注意：工作日按中国大陆法定节假日与调休安排。"]
    _, en = plan_of("2026-09", lang="en")
    assert [line for line in en.note_lines("en") if "working days" in line] == [
        "  note: working days follow mainland China's public holidays and make-up "
        "working days."]
    # November 2026 (the sample's next period, the demo's plan) has no holiday: no note
    _, november = plan_of("2026-10", lang="zh")
    assert not november.notes


@dataclass(frozen=True)
class DaysOff(WorkCalendar):
    """Monday to Friday less the days of ``off``."""

    off: frozenset[date] = frozenset()

    def is_workday(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.off


def test_a_week_without_working_days_joins_a_neighbour():
    """A week of holidays joins the next week, a month ending in days off the last
    week: every week keeps a working day for its check, the weights sum to the month's."""
    november = Period.parse("2026-11")
    off = frozenset([*days(date(2026, 11, 9), date(2026, 11, 13)), date(2026, 11, 30)])
    calendar = DaysOff(off=off)
    parts = time_parts(november, "seasonal", pd.Series(dtype=float), calendar)
    assert all(p.weight > 0 for p in parts)
    assert sum(p.weight for p in parts) == calendar.count(november.start, november.end)
    assert parts[0].start == november.start and parts[-1].end == november.end
    assert all(b.start == a.end + timedelta(days=1) for a, b in itertools.pairwise(parts))
    assert any(p.start == date(2026, 11, 9) and p.end == date(2026, 11, 22) for p in parts)
    assert (parts[-1].start, parts[-1].end) == (date(2026, 11, 23), date(2026, 11, 30))
