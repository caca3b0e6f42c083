"""A win probability typed as 50 (meaning 50 %) in the sales table's probability column:
the weighted pipeline multiplied the amount by 50. It is no fraction of 0–1, which
validation flags as an error ("if you meant 50%, type 50% or 0.5"); as for an unreadable
or empty probability, the stage's default weighs the row until it is retyped — in the
engine, `kpis --json`, XS_KPI and the KPI sheet's native formula (LibreOffice)."""

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

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.udfs import XS_KPI
from xlsales.workbook_data import WorkbookData

NOVEMBER = Period.parse("2026-11")
#: stage, amount, probability as typed → the weight counted (by hand)
ROWS = [("proposal", 1000.0, 50.0, 0.6),  # 50 meaning 50 %: the proposal default, 60 %
        ("lead", 2000.0, 0.25, 0.25),  # a fraction: as typed
        ("follow_up", 400.0, None, 0.3),  # empty: the follow-up default
        ("proposal", 100.0, -0.2, 0.6),  # below 0: the default
        ("lead", 300.0, 1.0, 1.0)]  # 100 % is a probability
WEIGHTED = sum(amount * weight for _, amount, _, weight in ROWS)  # 1,580
OPEN = sum(amount for _, amount, _, _ in ROWS)  # 3,800


def _data() -> WorkbookData:
    sales = pd.DataFrame({
        "order_id": [f"S{i}" for i in range(len(ROWS))],
        "date": [date(2026, 11, 3 + i) for i in range(len(ROWS))], "rep": "Li",
        "customer": [f"C{i}" for i in range(len(ROWS))],
        "stage": [r[0] for r in ROWS], "amount": [r[1] for r in ROWS],
        "probability": [r[2] for r in ROWS]})
    return WorkbookData(info={"period_type": NOVEMBER.type.value,
                              "period_start": NOVEMBER.start},
                        tables={"Sales": sales}, lists={"rep": ["Li"]})


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("points") / "book.xlsx"
    build_workbook(path, replace(team_options("en"), period=NOVEMBER), _data())
    return path


def test_the_weighted_pipeline_is_never_fifty_times_the_pipeline():
    kpis = compute_kpis(_data().tables, NOVEMBER).kpis
    assert kpis["open_pipeline"] == OPEN
    assert kpis["weighted_pipeline"] == pytest.approx(WEIGHTED)  # not 50,000 more
    assert kpis["weighted_pipeline"] <= kpis["open_pipeline"]


def test_kpis_json_and_xs_kpi_agree_and_validation_still_asks_to_retype(book):
    out = CliRunner().invoke(main, ["kpis", str(book), "--json"])
    assert json.loads(out.stdout)["kpis"]["weighted_pipeline"] == pytest.approx(WEIGHTED)
    wb = openpyxl.load_workbook(book)
    assert XS_KPI("weighted_pipeline", "2026-11", table_rows(wb, "Sales")) == \
        pytest.approx(WEIGHTED)
    checked = CliRunner().invoke(main, ["validate", str(book), "--json", "--lang", "en"])
    said = [f for f in json.loads(checked.stdout)["findings"]
            if f["rule"] == "percent_above_maximum"]
    assert [f["cell"] for f in said] and "if you meant 50%" in said[0]["message_en"]


def test_the_kpi_sheet_weighs_them_as_the_engine_does(book, tmp_path):
    require_libreoffice()
    wb = openpyxl.load_workbook(recalculate(book, tmp_path), data_only=True)
    shown = kpi_values(wb)
    assert shown["weighted_pipeline"] == pytest.approx(WEIGHTED)
    assert shown["open_pipeline"] == pytest.approx(OPEN)
