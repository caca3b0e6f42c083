"""The basis of a quarter's and a year's plan: its process targets come from the period
under review (a month's from its last 3 months), the basis texts and notes say which,
and a team new this year gets targets in the months before its first sale."""

from __future__ import annotations

import math
from datetime import date

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options
from sheet_values import table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.plan import PlanInput, PlanOptions, generate_plan
from xlsales.sample import sample_workbook_data

LABEL, REP, SCOPE, KPI, VALUE, BASIS = 2, 3, 4, 6, 7, 10


def _book(path, lang: str, period_text: str, since: date | None = None):
    """The sample team's book of ``period_text`` built as `xlsales new` builds it, its
    sales and activities (history included) from ``since`` on when given: a team new
    then."""
    period = Period.parse(period_text)
    data = sample_workbook_data(lang, period)
    if since is not None:
        for name in ("Sales", "Activities"):
            frame = data.tables[name]
            data.tables[name] = frame[pd.to_datetime(frame["date"]).dt.date >= since]
    build_workbook(path, team_options(lang, period), data)
    return path


def _by_hand(book, start: date, end: date) -> dict[str, float]:
    """What a user computes from the book's rows: the won deals of ``start`` … ``end``,
    their revenue, and the visits logged then."""
    read = read_workbook(book)
    sales, acts = read.frame("Sales"), read.frame("Activities")
    day = pd.to_datetime(sales["date"]).dt.date
    won = sales[sales["stage"].eq("won") & (day >= start) & (day <= end)]
    acts_day = pd.to_datetime(acts["date"]).dt.date
    visits = int((acts["type"].eq("visit") & (acts_day >= start) & (acts_day <= end)).sum())
    deals = len(won)
    return {"deals": deals, "aov": float(won["amount"].sum()) / deals,
            "visits_per_deal": visits / deals}


def _plan_rows(book, *args: str) -> list[list[object]]:
    result = CliRunner().invoke(main, ["plan", str(book), *args])
    assert result.exit_code == 0, result.output
    return table_rows(openpyxl.load_workbook(book), "PlanTargets")[1:]


def _team_row(rows, kpi: str, owner: str) -> list[object]:
    return next(r for r in rows if r[KPI] == kpi and r[REP] == owner)


def test_a_year_plans_process_targets_come_from_the_whole_year(tmp_path):
    """A year book planned: deals are the target ÷ the year's average order value (all
    twelve months', not its last quarter's), visits the year's visits per deal, and the
    basis says "this year (2026)" with the figure a user finds from the sales rows."""
    book = _book(tmp_path / "year.xlsx", "en", "2026")
    year = _by_hand(book, date(2026, 1, 1), date(2026, 12, 31))
    q4 = _by_hand(book, date(2026, 10, 1), date(2026, 12, 31))
    assert f"{year['aov']:,.0f}" != f"{q4['aov']:,.0f}"  # the two bases differ here
    rows = _plan_rows(book)
    owner = read_workbook(book).info["owner"]
    total = _team_row(rows, "revenue", owner)[VALUE]
    deals = _team_row(rows, "deals", owner)
    assert deals[BASIS] == f"target ÷ average order value of this year (2026) {year['aov']:,.0f}"
    assert deals[VALUE] == math.ceil(total / year["aov"])
    visits = _team_row(rows, "visits", owner)
    assert visits[BASIS] == ("deals × visits per won deal, this year (2026) "
                             f"{year['visits_per_deal']:,.1f}")
    assert "this year (2026)" in _team_row(rows, "pipeline", owner)[BASIS]


def test_a_quarter_plans_process_targets_say_they_come_from_the_quarter(tmp_path):
    """A quarter book (zh): the basis names the quarter under review, with its figures."""
    book = _book(tmp_path / "q4.xlsx", "zh", "2026-Q4")
    q4 = _by_hand(book, date(2026, 10, 1), date(2026, 12, 31))
    rows = _plan_rows(book)
    owner = read_workbook(book).info["owner"]
    total = _team_row(rows, "revenue", owner)[VALUE]
    deals = _team_row(rows, "deals", owner)
    assert deals[BASIS] == f"目标 ÷ 本季度（2026-Q4）平均订单价值 {q4['aov']:,.0f}"
    assert deals[VALUE] == math.ceil(total / q4["aov"])
    assert _team_row(rows, "pipeline", owner)[BASIS].startswith("目标 ÷ 本季度（2026-Q4）赢单率")


def test_a_team_new_this_year_gets_targets_before_its_first_sales_month(tmp_path):
    """A team whose first sale is in May 2026 plans 2027 by last year's months: January
    to April 2027 weigh as its average recorded month (not 0: it was not there, it did not
    sell nothing), and its process targets say they come from May on."""
    book = _book(tmp_path / "new_team.xlsx", "en", "2026", since=date(2026, 5, 1))
    since = _by_hand(book, date(2026, 5, 1), date(2026, 12, 31))
    rows = _plan_rows(book, "--method", "history", "--target", "1200000")
    owner = read_workbook(book).info["owner"]
    months = {r[LABEL]: r[VALUE] for r in rows if r[KPI] == "revenue" and r[REP] == owner
              and r[SCOPE] == "Total" and len(str(r[LABEL])) == 7 and "-Q" not in r[LABEL]}
    assert len(months) == 12 and sum(months.values()) == 1_200_000
    early = [months[f"2027-0{m}"] for m in range(1, 5)]
    assert min(early) > 0
    later = [months[f"2027-{m:02d}"] for m in range(5, 13)]
    assert abs(early[0] - sum(later) / len(later)) <= 100 * len(months)  # rounding units
    basis = {r[BASIS] for r in rows if r[KPI] == "revenue" and r[LABEL] == "2027-01"
             and r[REP] == owner}
    assert basis == {"by last year's months; the months before the team's first sale at "
                     "the average of the others"}
    deals = _team_row(rows, "deals", owner)
    assert deals[BASIS] == ("target ÷ average order value of this year (2026; sales recorded "
                            f"from 2026-05) {since['aov']:,.0f}")


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026-10", "近 3 个月没有成交", "no deal won in the last 3 months"),
    ("2026-Q4", "本季度（2026-Q4）没有成交", "no deal won in this quarter (2026-Q4)"),
    ("2026", "本年度（2026）没有成交", "no deal won in this year (2026)")])
def test_the_note_of_a_target_without_basis_names_the_window(period_text, zh, en):
    """A book with no deal won in its window: the note says which window had none."""
    inp = PlanInput(Period.parse(period_text), "en", "Team", {}, ["A"])
    notes = generate_plan(inp, PlanOptions(target=90_000)).notes
    assert any(z.startswith(zh) and e.startswith(en) for z, e in notes), notes


def test_the_seasonality_of_a_year_plan_is_that_of_whole_years():
    """History from July 2025: the seasonal index is 2026's, whose months sell 1 … 12
    (a first year begun in July, against its own mean, would flatten the season)."""
    rows = []
    for year, first in ((2025, 7), (2026, 1)):
        for month in range(first, 13):
            for i in range(month):
                rows.append((f"{year}{month}{i}", date(year, month, 1 + i), "A", "C", "won",
                             1000.0))
    sales = pd.DataFrame(rows, columns=["order_id", "date", "rep", "customer", "stage",
                                        "amount"])
    inp = PlanInput(Period.parse("2026"), "en", "Team", {"Sales": sales}, ["A"])
    t = generate_plan(inp, PlanOptions(target=78_000)).tables["PlanTargets"]
    months = t[(t["kpi"] == "revenue") & (t["scope"] == "total")
               & (t["period_label"].str.len() == 7) & ~t["period_label"].str.contains("Q")]
    assert months["value"].tolist() == [1000.0 * m for m in range(1, 13)]
    assert set(months["basis"]) == {"by seasonality"}


def test_a_first_sale_in_the_first_month_is_no_new_team():
    """A year book holding only its own rows, the first sale on 5 January: the year's
    basis is the whole year, no "sales recorded from" (that is for a team new later)."""
    sales = pd.DataFrame({"order_id": ["a", "b"], "rep": ["A", "A"], "customer": ["C", "D"],
                          "stage": ["won", "won"], "amount": [10_000.0, 30_000.0],
                          "date": [date(2026, 1, 5), date(2026, 6, 3)]})
    inp = PlanInput(Period.parse("2026"), "en", "Team", {"Sales": sales}, ["A"])
    t = generate_plan(inp, PlanOptions(target=100_000)).tables["PlanTargets"]
    deals = t[(t["kpi"] == "deals") & (t["rep"] == "Team")].iloc[0]
    assert deals["value"] == 5
    assert deals["basis"] == "target ÷ average order value of this year (2026) 20,000"
