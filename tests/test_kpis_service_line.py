"""A service line sold without quantities: last period's average price divided all the
revenue by the units of the products that have them, so the service showed up as a product
mix effect (and swelled the volume effect). A row without a quantity has no price now: it
is neither in an average price (overall or the product's) nor in the mix, and counts at
its amount in the revenue at last period's average price, hence in the volume effect.
Worked by hand; the KPI sheet's native formulas (LibreOffice) agree."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values
from test_golden_libreoffice import assert_kpis_match

from xlsales.build.workbook import build_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.workbook_data import WorkbookData

NOVEMBER = Period.parse("2026-11")
#: month, product, quantity, amount: October's A at 100 a unit (a row of A without a
#: quantity aside), B at 300, a service without quantities; November sells A at 110
ROWS = [(10, "A", 10, 1000.0), (10, "A", None, 300.0), (10, "B", 10, 3000.0),
        (10, "Service", None, 5000.0),
        (11, "A", 20, 2200.0), (11, "B", 5, 1500.0), (11, "Service", None, 5000.0)]
TARGET = 9000.0
#: by hand: October's average price over the rows with quantities is (1000 + 3000) / 20 =
#: 200; November's 25 units at 200 are 5,000, plus the service's 5,000 at its amount:
#: 10,000; at each product's October price (A 1000 / 10 = 100, not 1300 / 10) 20 × 100 +
#: 5 × 300 + 5,000 = 8,500; revenue 8,700
HAND = {"revenue": 8700.0, "revenue_previous_with_quantity": 4000.0,
        "previous_avg_price": 200.0, "revenue_with_quantity": 3700.0,
        "revenue_without_quantity": 5000.0, "revenue_at_previous_mix": 10000.0,
        "revenue_at_previous_prices": 8500.0,
        "volume_effect": 1000.0, "mix_effect": -1500.0, "price_effect": 200.0}


def _data() -> WorkbookData:
    sales = pd.DataFrame({
        "order_id": [f"S{i}" for i in range(len(ROWS))],
        "date": [date(2026, m, 5 + i) for i, (m, *_) in enumerate(ROWS)], "rep": "Li",
        "customer": "Acme", "product": [r[1] for r in ROWS],
        "quantity": [r[2] for r in ROWS], "amount": [r[3] for r in ROWS], "stage": "won"})
    targets = pd.DataFrame({"period": [NOVEMBER.start], "rep": ["Li"],
                            "revenue_target": [TARGET]})
    return WorkbookData(info={"period_type": NOVEMBER.type.value,
                              "period_start": NOVEMBER.start},
                        tables={"Sales": sales, "Targets": targets},
                        lists={"rep": ["Li"], "product": ["A", "B", "Service"]})


def test_the_service_line_is_volume_not_mix():
    kpis = compute_kpis(_data().tables, NOVEMBER).kpis
    effects = ("volume_effect", "mix_effect", "price_effect")
    assert [kpis[k] for k in effects] == pytest.approx([HAND[k] for k in effects])
    assert {k: kpis[k] for k in HAND} == pytest.approx(HAND)
    assert kpis["volume_effect"] + kpis["mix_effect"] + kpis["price_effect"] == \
        pytest.approx(kpis["revenue"] - TARGET)


def test_without_any_quantity_last_period_there_is_no_split():
    data = _data()
    sales = data.tables["Sales"]
    data.tables["Sales"] = sales.assign(quantity=sales["quantity"].where(
        pd.to_datetime(sales["date"]).dt.month == 11))
    kpis = compute_kpis(data.tables, NOVEMBER).kpis
    assert kpis["previous_avg_price"] is None and kpis["revenue_at_previous_mix"] is None
    assert kpis["volume_effect"] is None and kpis["mix_effect"] is None


def test_the_kpi_sheet_splits_it_as_the_engine(tmp_path):
    require_libreoffice()
    data = _data()
    path = tmp_path / "service.xlsx"
    build_workbook(path, replace(team_options("en"), period=NOVEMBER), data)
    shown = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "out"),
                                              data_only=True))
    assert {k: shown[k] for k in HAND} == pytest.approx(HAND)
    assert_kpis_match(shown, compute_kpis(data.tables, NOVEMBER).kpis)
