"""One month worked by hand, edges included: rows on the month's first and last day (and
on the days just outside it), a refund typed as a negative amount (validation flags it:
amounts are at least 0; the KPIs still count it, as the KPI sheet's SUMIFS does), and a
rep renamed mid-month (Wang Fang → Fang Wang, the list naming the new name only: two
reps to the KPIs, as to the KPI sheet). `kpis`, `kpis --json`, the KPI sheet recalculated
by LibreOffice and XS_KPI give the same figures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values, table_rows
from test_golden_libreoffice import assert_kpis_match

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.udfs import XS_KPI
from xlsales.workbook_data import WorkbookData

NOVEMBER = Period.parse("2026-11")
OLD, NEW = "Wang Fang", "Fang Wang"
#: order, date, rep, customer, stage, amount, quantity, probability
ROWS = [("S1", date(2026, 11, 1), OLD, "Acme", "won", 3000.0, 3, None),
        ("S2", date(2026, 11, 30), NEW, "Beta", "won", 5000.0, 5, None),
        ("S3", date(2026, 11, 20), NEW, "Acme", "won", -1000.0, None, None),  # a refund
        ("S4", date(2026, 10, 31), OLD, "Acme", "won", 2000.0, 2, None),  # October
        ("S5", date(2026, 12, 1), NEW, "Gamma", "won", 4000.0, 4, None),  # December
        ("S6", date(2026, 11, 30), NEW, "Delta", "lost", 1500.0, None, None),
        ("S7", date(2026, 11, 15), NEW, "Delta", "proposal", 2000.0, None, 0.5)]
#: by hand: November's won rows S1, S2 and the refund S3
HAND = {"revenue": 7000.0, "deals": 3, "customers": 2, "target": 10000.0,
        "attainment": 0.7, "revenue_previous": 2000.0, "mom_growth": 2.5,
        "lost_deals": 1, "win_rate": 0.75, "open_pipeline": 2000.0,
        "weighted_pipeline": 1000.0, "new_customer_revenue": 5000.0, "new_customers": 1,
        "retained_customers": 1, "churned_customers": 0, "quantity_won": 8.0,
        "previous_avg_price": 1000.0, "revenue_without_quantity": -1000.0,
        "revenue_at_previous_mix": 7000.0, "revenue_at_previous_prices": 7000.0,
        "volume_effect": -3000.0, "mix_effect": 0.0, "price_effect": 0.0}
#: each name a rep of its own: the target is the new name's
BY_REP = {OLD: {"revenue": 3000.0, "deals": 1, "target": None, "retained_customers": 1},
          NEW: {"revenue": 4000.0, "deals": 2, "target": 10000.0, "attainment": 0.4}}


def _data() -> WorkbookData:
    sales = pd.DataFrame(ROWS, columns=["order_id", "date", "rep", "customer", "stage",
                                        "amount", "quantity", "probability"]).assign(
        product="Standard")
    targets = pd.DataFrame({"period": [NOVEMBER.start], "rep": [NEW],
                            "revenue_target": [10000.0]})
    return WorkbookData(info={"period_type": NOVEMBER.type.value,
                              "period_start": NOVEMBER.start},
                        tables={"Sales": sales, "Targets": targets},
                        lists={"rep": [NEW], "product": ["Standard"]})


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("edges") / "book.xlsx"
    build_workbook(path, replace(team_options("en"), period=NOVEMBER), _data())
    return path


def test_the_engine_counts_the_month_as_worked_by_hand():
    result = compute_kpis(_data().tables, NOVEMBER, by="rep")
    assert {k: result.kpis[k] for k in HAND} == pytest.approx(HAND)
    for rep, want in BY_REP.items():
        assert {k: result.groups[rep][k] for k in want} == pytest.approx(want), rep


def test_kpis_json_and_text_say_the_same(book):
    runner = CliRunner()
    out = runner.invoke(main, ["kpis", str(book), "--json", "--by", "rep"])
    data = json.loads(out.stdout)
    assert {k: data["kpis"][k] for k in HAND} == pytest.approx(HAND)
    for rep, want in BY_REP.items():
        assert {k: data["by"][rep][k] for k in want} == pytest.approx(want), rep
    text = runner.invoke(main, ["kpis", str(book), "--lang", "en"]).stdout
    assert "7,000.00  revenue" in text and "-3,000.00  volume_effect" in text, text


def test_xs_kpi_gives_the_same(book):
    wb = openpyxl.load_workbook(book)
    sales, targets = table_rows(wb, "Sales"), table_rows(wb, "Targets")
    for key, want in HAND.items():
        assert XS_KPI(key, "2026-11", sales, targets) == pytest.approx(want), key
    for rep, figures in BY_REP.items():
        for key, want in figures.items():
            got = XS_KPI(key, "2026-11", sales, targets, rep=rep)
            assert got == ("" if want is None else pytest.approx(want)), (rep, key)


def test_the_kpi_sheet_recalculated_gives_the_same(book, tmp_path):
    require_libreoffice()
    shown = kpi_values(openpyxl.load_workbook(recalculate(book, tmp_path), data_only=True))
    assert {k: shown[k] for k in HAND} == pytest.approx(HAND)
    assert_kpis_match(shown, compute_kpis(_data().tables, NOVEMBER).kpis)
