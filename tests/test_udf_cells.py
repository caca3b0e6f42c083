"""The XS_ formulas fed as Excel feeds them: a period from a cell (Excel turns ``2026-10``
typed in a cell into a date, and a year typed there is a number), and a forecast of one,
two or three months of history, a month of zero sales among them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xlsales.io.cellxml import excel_serial
from xlsales.udfs import XS_FORECAST, XS_KPI

SALES = [["Order ID", "Date", "Rep", "Customer", "Amount", "Stage"],
         ["S1", datetime(2026, 9, 20), "Li", "Acme", 700.0, "Won"],
         ["S2", datetime(2026, 10, 3), "Li", "Acme", 1000.0, "Won"],
         ["S3", datetime(2026, 10, 9), "Wu", "Beta", 500.0, "Won"],
         ["S4", datetime(2027, 1, 5), "Wu", "Beta", 300.0, "Won"]]


@pytest.mark.parametrize("cell", [datetime(2026, 10, 1), date(2026, 10, 1),
                                  excel_serial(date(2026, 10, 1)), datetime(2026, 10, 17)])
def test_a_month_typed_in_a_cell_is_that_month(cell):
    """``2026-10`` typed in A1 is the date 1 Oct 2026 there: =XS_KPI("revenue", A1, …)
    is October's revenue (xlwings passes the date; xlwings Lite its serial number), not an
    error value saying the period '2026-10-01 00:00:00' cannot be read."""
    assert XS_KPI("revenue", cell, SALES) == XS_KPI("revenue", "2026-10", SALES) == 1500.0
    assert XS_KPI("churned_customers", cell, SALES) == 0.0  # September's Acme won again


def test_a_year_typed_as_a_number_is_that_year():
    """2026 typed in a cell reaches the formula as the number 2026.0."""
    assert XS_KPI("revenue", 2026.0, SALES) == XS_KPI("revenue", "2026", SALES) == 2200.0
    assert XS_KPI("deals", 2027.0, SALES, rep="Wu") == 1.0


STAFF_NUMBERS = [SALES[0], *([*row[:2], 1001.0, *row[3:]] if row[2] == "Li" else row
                              for row in SALES[1:])]


@pytest.mark.parametrize(("rep", "sales"), [("Li ", SALES), (1001.0, STAFF_NUMBERS)])
def test_a_rep_is_read_as_the_tables_names_are(rep, sales):
    """A rep typed with a space after it, or a staff number (1001 in a cell reaches the
    formula as 1001.0, the table's 1001 is read as the name "1001"): Li's 1000 in October,
    not an empty cell."""
    assert XS_KPI("revenue", "2026-10", sales, rep=rep) == 1000.0


def test_a_period_written_as_text_still_reads_as_before():
    assert XS_KPI("revenue", "2026-Q4", SALES) == 1500.0
    assert XS_KPI("revenue", "2026年10月", SALES) == 1500.0


@pytest.mark.parametrize(("history", "ahead", "expected"), [
    ([[800]], 1, 800.0),  # one month: itself
    ([[800], [1000]], 2, 900.0),  # two: their mean
    ([[100], [200], [300]], 1, 400.0),  # three: the trend
    ([[100], [200], [300]], 3, 600.0),
    ([[100], [0], [200]], 1, 200.0),  # a month of no sales is a 0, not left out (150)
    ([[100, 200, 300, None, None]], 1, 400.0),  # months still to come, left blank
    ([[None], [100], [200], [300]], 1, 400.0),  # before the first record: no month
    ([[100], [None], [300], [400]], 1, 500.0),  # a blank month between: 0, in its place
])
def test_forecast_of_short_histories_is_exact(history, ahead, expected):
    """The figure a finance analyst works out by hand, to the digit: 400, not
    400.0000000000001 (what `kpis --json` would print)."""
    assert XS_FORECAST(history, ahead) == expected
