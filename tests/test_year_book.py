"""A director's year summary from her region's books (``xlsales new --period 2026 --from``
the four quarter books, or the twelve month books): the year's rows and notes in one year
book whose KPIs are the year's and which plans the next year; and what she is told, in
her books' language, when the books given cannot make it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.errors import UsageError
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period, PeriodType
from xlsales.quarter_book import quarter_summary
from xlsales.quarter_command import new_quarter_book
from xlsales.workbook_data import BuildOptions, WorkbookData

YEAR = Period.parse("2026")
REPS = ["Alice Chen", "Ben Wang"]


def _sale(day: date, n: int, rep: str) -> dict:
    amount = 1000.0 * n
    return {"order_id": f"SO-{day:%Y%m}-{rep[0]}", "date": day, "rep": rep,
            "region": "East", "customer": f"Customer {n % 5} ({rep[0]})",
            "product": "Standard", "quantity": 1.0, "unit_price": amount, "amount": amount,
            "stage": "won", "invoiced": amount, "collected": amount}


def _month_book(path, month: Period) -> None:
    """The region's book of ``month``: two won orders in each month from 2025-01 up to
    this one (its history and its own), monthly targets of 2026 so far, one problem."""
    months = [m for m in Period.parse("2025").months_in() + YEAR.months_in()
              if m.start <= month.start]
    sales = [_sale(m.start.replace(day=10), i + 1, rep)
             for i, m in enumerate(months) for rep in REPS]
    targets = [{"period": m.start, "rep": rep, "revenue_target": 20000.0}
               for m in YEAR.months_in() if m.start <= month.start for rep in REPS]
    problems = [{"problem_id": "P001", "description": f"{month.label}: slow collection",
                 "category": "Collection", "controllability": "Controllable",
                 "severity": "High", "carry_forward": "Yes", "owner": REPS[0],
                 "impact_amount": 5000.0}]
    data = WorkbookData(
        info={"owner": "East Region", "level": "region", "role": "director",
              "period_type": "month", "period_start": month.start},
        tables={"Sales": pd.DataFrame(sales), "Targets": pd.DataFrame(targets),
                "Problems": pd.DataFrame(problems)},
        lists={"rep": REPS, "region": ["East"], "product": ["Standard"]},
        assumptions={"growth_rate": 0.1})
    build_workbook(path, BuildOptions(lang="en", period=month, level="region",
                                      role="director", owner="East Region"), data)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The twelve month books of 2026 and the four quarter books made of them."""
    work = tmp_path_factory.mktemp("year")
    months = []
    for month in YEAR.months_in():
        path = work / f"east_{month.label}.xlsx"
        _month_book(path, month)
        months.append(path)
    quarters = []
    for i, quarter in enumerate(YEAR.parts_in(PeriodType.QUARTER)):
        path = work / f"east_{quarter.label}.xlsx"
        new_quarter_book(months[3 * i:3 * i + 3], path)
        quarters.append(path)
    return months, quarters


def _kpis(path, period: Period) -> dict:
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, period).kpis


def test_year_book_from_four_quarter_books(books, tmp_path):
    months, quarters = books
    out = tmp_path / "east_2026.xlsx"
    result = CliRunner().invoke(main, ["new", "--period", "2026",
                                       *[a for q in quarters for a in ("--from", str(q))],
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2026 year summary, from 4 quarter workbooks" in result.output
    assert "next year's plan" in result.output
    year = read_workbook(out)
    assert year.period == YEAR
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0
    # the year's figures: those December's book gives for 2026, the months' revenue added
    got, want = _kpis(out, YEAR), _kpis(months[-1], YEAR)
    for key in ("revenue", "target", "deals", "customers", "yoy_growth"):
        assert got[key] == pytest.approx(want[key]), key
    assert got["revenue"] == pytest.approx(sum(_kpis(p, read_workbook(p).period)["revenue"]
                                               for p in months))
    # each month's problem once, prefixed with its month as the quarter books hold it
    assert list(year.frame("Problems")["problem_id"]) == [
        f"{m.label}/P001" for m in YEAR.months_in()]
    planned = CliRunner().invoke(main, ["plan", str(out)])
    assert planned.exit_code == 0, planned.output
    labels = set(read_workbook(out).frame("PlanTargets")["period_label"])
    assert {"2027", "2027-Q1", "2027-Q4", "2027-01", "2027-12"} <= labels


def test_year_book_from_twelve_month_books(books, tmp_path):
    months, _ = books
    out = tmp_path / "east_2026.xlsx"
    lines = new_quarter_book(list(reversed(months)), out)  # no --period: the year
    assert "2026 year summary, from 12 month workbooks" in lines[0]
    assert read_workbook(out).period == YEAR
    assert _kpis(out, YEAR)["revenue"] == pytest.approx(_kpis(months[-1], YEAR)["revenue"])


def test_books_that_make_no_year_are_refused(books):
    months, quarters = books
    read = [read_workbook(p) for p in quarters]
    with pytest.raises(UsageError, match=r"2026-Q3 is missing.*four quarter books"):
        quarter_summary([read[0], read[1], read[3]], YEAR)
    with pytest.raises(UsageError, match="mix months and quarters"):
        quarter_summary([*read[:3], *[read_workbook(p) for p in months[9:]]], YEAR)
    with pytest.raises(UsageError, match=r"summarises the quarter 2026-Q1.*--period 2026"):
        quarter_summary(read[:1], Period.parse("2026-Q1"))
    with pytest.raises(UsageError, match=r"east_2026-Q3.xlsx summarises the quarter 2026-Q3"):
        quarter_summary([read[3], read[2]], Period.parse("2026-Q4"))
    with pytest.raises(UsageError, match=r"2026-Q1, 2026-Q2, 2026-Q3, 2026-Q4 are not in "
                                         r"2027: give the four quarter books of 2027"):
        quarter_summary(read, Period.parse("2027"))


def test_errors_of_english_books_are_said_in_english_first(books, tmp_path):
    months, quarters = books
    result = CliRunner().invoke(main, ["new", "--period", "2026", "--from", str(quarters[0]),
                                       "--from", str(quarters[1]),
                                       "-o", str(tmp_path / "y.xlsx")])
    assert result.exit_code == 2
    assert result.output.startswith("Error / 错误: The workbook of 2026-Q3, 2026-Q4 is missing")
    assert not (tmp_path / "y.xlsx").exists()
    quarter = CliRunner().invoke(main, ["new", "--period", "2026-Q1", "--from", str(months[0]),
                                        "--from", str(months[1]),
                                        "-o", str(tmp_path / "q.xlsx")])
    assert quarter.exit_code == 2
    assert quarter.output.startswith("Error / 错误: The workbook of 2026-03 is missing")


def test_a_month_given_by_mistake_is_named_against_the_quarter_of_the_others(books):
    """September given with October and November (December forgotten), no --period: the
    quarter meant is the one most books are of, so September is the one said to be out."""
    months, _ = books
    read = [read_workbook(p) for p in months[8:11]]
    with pytest.raises(UsageError, match=r"^2026-09 is not in 2026-Q4: give the three month"):
        quarter_summary(read)
    with pytest.raises(UsageError, match="2026-12 is missing"):
        quarter_summary(read[1:])


def test_two_owners_books_of_one_quarter_are_pointed_to_consolidate(books, tmp_path):
    """Two regions' quarter books given together: one per quarter, and consolidate is
    what rolls two owners' books up."""
    _, quarters = books
    south = tmp_path / "south_2026-Q4.xlsx"
    book = read_workbook(quarters[3])
    build_workbook(south, BuildOptions(lang="en", period=book.period, level="region",
                                       role="director", owner="South Region"),
                   replace(book.to_data(), info={**book.info, "owner": "South Region"}))
    with pytest.raises(UsageError, match=r"both summarise 2026-Q4: give one workbook per "
                                         r"quarter; roll East Region's and South Region's "
                                         r"books up with xlsales consolidate"):
        quarter_summary([book, read_workbook(south)])
    with pytest.raises(UsageError, match=r"both summarise 2026-Q4: give one workbook per "
                                         r"quarter\.$"):
        quarter_summary([book, book])
