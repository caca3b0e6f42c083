"""The UDFs as plain Python functions: same numbers as the engine, Excel-like blanks."""

from __future__ import annotations

import openpyxl
import pytest
from sheet_values import table_rows

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD
from xlsales.udfs import (
    XS_ATTAINMENT,
    XS_COLLECTION_RATE,
    XS_CONVERSION,
    XS_FORECAST,
    XS_GROWTH,
    XS_KPI,
)


def test_ratios_are_empty_when_the_denominator_is_zero_or_blank():
    assert XS_ATTAINMENT(75, 100) == 0.75 and XS_ATTAINMENT(5, 0) == ""
    assert XS_GROWTH(120, 100) == pytest.approx(0.2) and XS_GROWTH(120, None) == ""
    assert XS_CONVERSION(3, 4) == 0.75 and XS_COLLECTION_RATE(80, "") == ""


def test_forecast_follows_the_trend_of_a_range():
    assert XS_FORECAST([[100], [110], [120], [130]], 2) == pytest.approx(150)
    assert XS_FORECAST([[100, 200]]) == pytest.approx(150)  # two points: their mean
    assert XS_FORECAST([[50], [30], [10]], 5) == 0  # never below zero


def test_kpi_over_the_tables_as_excel_passes_them(sample_books, sample_data):
    """The tables as `Sales[#All]` would arrive: header row (zh labels) then the rows."""
    wb = openpyxl.load_workbook(sample_books["zh"])
    sales, targets = table_rows(wb, "Sales"), table_rows(wb, "Targets")
    activities = table_rows(wb, "Activities")
    engine = compute_kpis(sample_data["zh"].tables, SAMPLE_PERIOD, by="rep")
    for key in ("revenue", "attainment", "customers", "win_rate", "visits", "yoy_growth"):
        assert XS_KPI(key, "2026-10", sales, targets, activities) == pytest.approx(
            engine.kpis[key]), key
    rep = sample_data["zh"].lists["rep"][0]
    assert XS_KPI("revenue", "2026-10", sales, targets, activities, rep) == pytest.approx(
        engine.groups[rep]["revenue"])
    quarter = compute_kpis(sample_data["zh"].tables, Period.parse("2026-Q3")).kpis
    assert XS_KPI("deals", "2026-Q3", sales) == quarter["deals"]
    assert XS_KPI("attainment", "2030-01", sales, targets) == ""
    with pytest.raises(KeyError):
        XS_KPI("no_such_kpi", "2026-10", sales)
