"""A finance analyst's hand check of the KPIs at a period's edges, on a quarter and a year:
customers kept and lost across the boundary (won before only by another rep; whose only
earlier row is lost or open; won before the previous period only), the gap to target split
into volume, mix and price (to the cent, whole and by rep), pipeline coverage and the
remaining target when the target is met or unset. Every figure is worked out on paper;
the KPI sheet's native formulas, recalculated by LibreOffice in a zh and an en book, give
the same."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
import pytest
from conftest import require_libreoffice
from sheet_values import kpi_values
from test_golden_libreoffice import assert_kpis_match

from xlsales.build.workbook import build_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate_many
from xlsales.periods import Period
from xlsales.workbook_data import BuildOptions, WorkbookData

COLUMNS = ["order_id", "date", "rep", "customer", "product", "quantity", "amount", "stage",
           "created", "invoiced", "collected"]


def quarter_tables() -> dict[str, pd.DataFrame]:
    """2026-Q3. Acme: won by Bob in Q2, by Ann in Q3. Beta: only a lost Q2 row. Gamma: an
    open Q2 proposal (800), won in Q3 (new). Delta: won in Q1 (before the previous
    quarter) and in Q3. Eps / eps (one customer): won twice in Q2 only. Zeta: a lead
    (1000 at 50%); Eta: open but dated after the quarter."""
    rows = [
        ("P1", date(2026, 5, 10), "Bob", "Acme", "Standard", 10.0, 1000.0, "won", None,
         1000.0, 1000.0),
        ("C1", date(2026, 8, 5), "Ann", "Acme", "Standard", 12.0, 1500.0, "won",
         date(2026, 7, 1), 1500.0, 500.0),
        ("P2", date(2026, 6, 30), "Bob", "Beta", "Standard", 5.0, 500.0, "lost", None, None,
         None),
        ("P3", date(2026, 6, 15), "Ann", "Gamma", "Professional", 1.0, 800.0, "proposal",
         None, None, None),
        ("C2", date(2026, 9, 30), "Ann", "Gamma", "Professional", 1.0, 700.0, "won",
         date(2026, 9, 2), 700.0, 700.0),
        ("H1", date(2026, 3, 31), "Bob", "Delta", "Standard", 4.0, 400.0, "won", None, 400.0,
         400.0),
        ("C3", date(2026, 7, 1), "Bob", "Delta", "Standard", 5.0, 600.0, "won",
         date(2026, 6, 1), 600.0, 0.0),
        ("P4", date(2026, 4, 1), "Ann", "Eps", "Professional", 1.0, 300.0, "won", None, 300.0,
         300.0),
        ("P5", date(2026, 4, 2), "Ann", "eps", "Professional", 1.0, 200.0, "won", None, 200.0,
         200.0),
        ("C4", date(2026, 9, 15), "Ann", "Zeta", "Professional", 2.0, 1000.0, "lead",
         date(2026, 9, 1), None, None),
        ("C5", date(2026, 10, 15), "Bob", "Eta", "Standard", 2.0, 2000.0, "follow_up",
         date(2026, 9, 1), None, None),
    ]
    sales = pd.DataFrame(rows, columns=COLUMNS).assign(probability=None)
    sales.loc[sales["order_id"] == "C4", "probability"] = 0.5
    targets = pd.DataFrame({"period": [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)],
                            "rep": ["Ann", "Bob", "Ann"],
                            "revenue_target": [1000.0, 1000.0, 1000.0]})
    return {"Sales": sales, "Targets": targets}


def year_tables() -> dict[str, pd.DataFrame]:
    """2026. Old: won in 2024 and 2026 (not last year). Acme: won by Bob in 2025, by Ann
    in 2026. Beta: won on 2025-12-31 only. Gamma: lost in 2025, won in 2026 (new).
    Services sold in 2026 with no quantity."""
    rows = [
        ("A1", date(2024, 12, 31), "Bob", "Old", "Standard", 1.0, 100.0, "won", None, 100.0,
         100.0),
        ("A2", date(2025, 1, 1), "Bob", "Acme", "Standard", 2.0, 200.0, "won", None, 200.0,
         200.0),
        ("A3", date(2025, 12, 31), "Ann", "Beta", "Standard", 1.0, 100.0, "won", None, 100.0,
         100.0),
        ("A4", date(2025, 6, 1), "Ann", "Gamma", "Standard", 1.0, 100.0, "lost", None, None,
         None),
        ("B1", date(2026, 1, 1), "Ann", "Acme", "Standard", 3.0, 330.0, "won",
         date(2025, 12, 1), 330.0, 330.0),
        ("B2", date(2026, 12, 31), "Bob", "Gamma", "Professional", 1.0, 500.0, "won",
         date(2026, 12, 1), 500.0, 0.0),
        ("B3", date(2026, 6, 30), "Bob", "Old", "Services", None, 250.0, "won", None, 250.0,
         250.0),
    ]
    targets = pd.DataFrame({"period": [date(2026, 1, 1), date(2026, 6, 1)],
                            "rep": ["Ann", "Bob"], "revenue_target": [300.0, 300.0]})
    return {"Sales": pd.DataFrame(rows, columns=COLUMNS), "Targets": targets}


QUARTER, YEAR = Period.parse("2026-Q3"), Period.parse("2026")


def _customers(k: dict) -> tuple:
    return k["churned_customers"], k["retained_customers"], k["customers_previous"]


def _split(k: dict) -> tuple:
    return k["volume_effect"], k["mix_effect"], k["price_effect"]


def test_a_quarter_by_hand():
    k = compute_kpis(quarter_tables(), QUARTER).kpis
    assert (k["revenue"], k["target"], k["revenue_previous"]) == (2800, 3000, 1500)
    # Q2's won customers Acme (won again, by another rep) and Eps (not): Beta's lost row,
    # Gamma's open one and Delta's Q1 row are no Q2 customers
    assert _customers(k) == (1, 1, 2)
    assert (k["new_customers"], k["new_customer_revenue"]) == (1, 700)  # Gamma
    # Q2 prices: Standard 1000/10 = 100, Professional 500/2 = 250, average 1500/12 = 125;
    # Q3 sold 18 units: 2250 at the average, 12·100 + 250 + 5·100 = 1950 at Q2's prices
    assert _split(k) == (2250 - 3000, 1950 - 2250, 2800 - 1950)
    # open up to 30 Sep: Gamma's proposal 800 (60% by default) and Zeta's lead 1000 at 50%
    assert (k["open_pipeline"], k["weighted_pipeline"]) == (1800, 800 * 0.6 + 500)
    assert k["pipeline_coverage"] == 1800 / 200
    assert k["collection_rate"] == 1200 / 2800
    assert k["sales_cycle_days"] == pytest.approx((35 + 28 + 30) / 3)


def test_a_quarter_by_rep_and_by_month_by_hand():
    by_rep = compute_kpis(quarter_tables(), QUARTER, by="rep").groups
    # Bob won Acme in Q2 and not in Q3 (Ann did): churned for Bob, no Q2 customer of Ann's
    assert _customers(by_rep["Bob"]) == (1, 0, 1)
    assert _customers(by_rep["Ann"]) == (1, 0, 1)  # Eps
    # Ann's Q2: 2 Professional for 500 (250 each); Q3 13 units, Standard at its own amount
    assert _split(by_rep["Ann"]) == (13 * 250 - 2000, 1500 + 250 - 13 * 250, 2200 - 1750)
    assert by_rep["Ann"]["pipeline_coverage"] is None  # 2200 of 2000: target met
    assert _split(by_rep["Bob"]) == (5 * 100 - 1000, 0, 100)
    by_month = compute_kpis(quarter_tables(), QUARTER, by="month").groups
    assert list(by_month) == ["2026-07", "2026-08", "2026-09"]
    assert [m["revenue"] for m in by_month.values()] == [600, 1500, 700]
    # July on June (nothing won), August on July (Delta lost), September on August (Acme)
    assert [_customers(m) for m in by_month.values()] == [(0, 0, 0), (1, 0, 1), (1, 0, 1)]
    assert [m["pipeline_coverage"] for m in by_month.values()] == [800 / 400, None, 1800 / 300]


@pytest.mark.parametrize("by", [None, "rep", "month", "product"])
def test_the_split_adds_up_to_revenue_minus_target_to_the_cent(by):
    result = compute_kpis(quarter_tables(), QUARTER, by=by)
    for k in [result.kpis, *result.groups.values()]:
        if None not in _split(k):
            assert round(sum(_split(k)), 2) == round(k["revenue"] - k["target"], 2)
            assert round(sum(_split(k)), 2) == -round(k["gap"], 2)


def test_a_year_by_hand():
    k = compute_kpis(year_tables(), YEAR).kpis
    assert (k["revenue"], k["revenue_previous"], k["revenue_year_ago"]) == (1080, 300, 300)
    assert _customers(k) == (1, 1, 2)  # 2025's Acme (won again) and Beta; not Old, Gamma
    assert k["new_customer_revenue"] == 500  # Gamma: lost in 2025, first won in 2026
    # 2025: 3 Standard for 300; 2026: 4 units at 100 plus Services' 250 at its amount (it
    # has no quantity, so no price: volume, not mix), and 3·100 + 500 (Professional, no
    # 2025 price) + 250 at 2025's prices
    assert _split(k) == (400 + 250 - 600, 1050 - 650, 1080 - 1050)
    assert k["remaining_target"] == 0 and k["pipeline_coverage"] is None  # target met
    by_quarter = compute_kpis(year_tables(), YEAR, by="quarter").groups
    assert [_customers(q) for q in by_quarter.values()] == [
        (1, 0, 1), (1, 0, 1), (1, 0, 1), (0, 0, 0)]  # Beta, Acme, Old, none in Q3


def untargeted_tables() -> dict[str, pd.DataFrame]:
    """The quarter's rows with no target at all (a book whose Targets sheet is empty)."""
    return {**quarter_tables(), "Targets": quarter_tables()["Targets"].iloc[0:0]}


def test_no_target_no_remaining_target_as_no_gap():
    """Bob has no target in 2026-Q3 but Ann's August one taken away: his gap was empty and
    his remaining target 0, as if he had met it. With no target there is neither, for a
    rep and for a book with none; with one, the remaining target is the gap, at least 0."""
    tables = quarter_tables()
    tables["Targets"] = tables["Targets"][tables["Targets"]["rep"] == "Ann"]
    by_rep = compute_kpis(tables, QUARTER, by="rep").groups
    bob, ann = by_rep["Bob"], by_rep["Ann"]
    assert (bob["gap"], bob["remaining_target"], bob["pipeline_coverage"]) == (None, None, None)
    assert (ann["target"], ann["gap"], ann["remaining_target"]) == (2000, -200, 0)
    whole = compute_kpis(untargeted_tables(), QUARTER).kpis
    assert (whole["gap"], whole["remaining_target"], whole["pipeline_coverage"]) == (
        None, None, None)
    assert compute_kpis(quarter_tables(), QUARTER).kpis["remaining_target"] == 3000 - 2800


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[tuple[str, str], dict[str, object]]:
    """The KPI sheets of the quarter's (with and without targets) and the year's books,
    zh and en, after LibreOffice."""
    require_libreoffice()
    folder = tmp_path_factory.mktemp("edges")
    books = {}
    for name, tables, period in (("quarter", quarter_tables(), QUARTER),
                                 ("untargeted", untargeted_tables(), QUARTER),
                                 ("year", year_tables(), YEAR)):
        for lang in ("zh", "en"):
            path = folder / f"{name}_{lang}.xlsx"
            build_workbook(path, BuildOptions(lang=lang, period=period, level="team",
                                              role="manager", owner="T"),
                           WorkbookData(tables=tables))
            books[name, lang] = path
    out = recalculate_many(list(books.values()), folder / "out")
    return {key: kpi_values(openpyxl.load_workbook(path, data_only=True))
            for key, path in zip(books, out, strict=True)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "tables", "period"), [
    ("quarter", quarter_tables, QUARTER), ("untargeted", untargeted_tables, QUARTER),
    ("year", year_tables, YEAR)])
def test_the_kpi_sheet_agrees(recalculated, name, tables, period, lang):
    assert_kpis_match(recalculated[name, lang], compute_kpis(tables(), period).kpis)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kpi_sheet_of_a_book_with_no_target_leaves_the_remaining_target_empty(
        recalculated, lang):
    """The sheet showed a remaining target of 0 beside an empty gap in a book with no
    target: both are empty, and so is the coverage."""
    k = recalculated["untargeted", lang]
    assert (k["gap"], k["remaining_target"], k["pipeline_coverage"]) == (None, None, None)
    assert k["open_pipeline"] == 1800
