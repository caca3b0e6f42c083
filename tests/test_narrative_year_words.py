"""A year's draft summary without an earlier year to compare with says so as a year: its
previous period is last year, so 上期和去年同期 named one year twice."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from xlsales.kpis import compute_kpis
from xlsales.narrative import summary_paragraph
from xlsales.periods import Period

SALES = pd.DataFrame([{"order_id": "S1", "date": date(2026, 5, 10), "rep": "A",
                       "customer": "C", "amount": 1000.0, "stage": "won",
                       "invoiced": 1000.0, "collected": 500.0}])


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026", "没有可比较的上年数据。", "no earlier year to compare with."),
    ("2026-Q2", "没有可比较的上期和去年同期数据。", "no earlier period to compare with.")])
def test_a_first_years_summary_says_it_has_no_earlier_year(period_text, zh, en):
    result = compute_kpis({"Sales": SALES}, Period.parse(period_text))
    assert zh in summary_paragraph(result, "zh")
    assert en in summary_paragraph(result, "en")
    if period_text == "2026":
        assert "上期" not in summary_paragraph(result, "zh")
