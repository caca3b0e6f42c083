"""The English draft a director reads for a quarter or a year: which way revenue moved
(up 23.0%, down 3.7%, not "-3.7% on last year") and on what (the previous quarter, the
same quarter last year, last year), and the gap's effects priced at last quarter's (or
last year's) prices, not "last period's"."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from xlsales.gap_words import gap_sentence_en
from xlsales.kpis import compute_kpis
from xlsales.kpis_figures import draft_paragraph
from xlsales.narrative import summary_paragraph
from xlsales.periods import Period, PeriodType


def _won(day: date, amount: float, product: str = "Standard") -> dict:
    return {"order_id": f"S{day:%Y%m%d}{int(amount)}", "date": day, "rep": "A",
            "customer": "X", "product": product, "quantity": 1.0, "amount": amount,
            "stage": "won", "invoiced": amount, "collected": amount}


def _tables() -> dict[str, pd.DataFrame]:
    """2025: 1,000 a quarter; 2026: Q3 800, Q4 1,200 (up 50% on Q3, up 20% on 2025-Q4),
    the year 3,800 (down 5% on 2025)."""
    rows = [_won(date(2025, m, 10), 1000.0) for m in (1, 4, 7, 10)]
    rows += [_won(date(2026, m, 10), a) for m, a in ((1, 900.0), (4, 900.0), (7, 800.0),
                                                     (10, 1200.0))]
    targets = pd.DataFrame({"period": [date(2026, m, 1) for m in range(1, 13)], "rep": "A",
                            "revenue_target": 400.0})
    return {"Sales": pd.DataFrame(rows), "Targets": targets}


def test_a_quarter_says_up_on_the_previous_quarter_and_the_same_quarter_last_year():
    text = summary_paragraph(compute_kpis(_tables(), Period.parse("2026-Q4")), "en")
    assert "; up 50.0% on the previous quarter and up 20.0% on the same quarter last year. " \
        in text, text
    assert "previous period" not in text and "+" not in text


def test_a_year_says_down_on_last_year_once():
    text = summary_paragraph(compute_kpis(_tables(), Period.parse("2026")), "en")
    assert "; down 5.0% on last year. " in text, text
    assert "-5.0%" not in text and "previous" not in text


def test_a_month_names_the_month_and_chinese_keeps_its_signs():
    tables = _tables()
    text = summary_paragraph(compute_kpis(tables, Period.parse("2026-10")), "en")
    assert "up 20.0% on the same month last year" in text, text
    zh = summary_paragraph(compute_kpis(tables, Period.parse("2026-Q4")), "zh")
    assert "环比 +50.0%，同比 +20.0%" in zh, zh
    zh_year = summary_paragraph(compute_kpis(tables, Period.parse("2026")), "zh")
    assert "；同比 -5.0%。" in zh_year, zh_year


@pytest.mark.parametrize("period,last", [
    (PeriodType.QUARTER, "last quarter's"), (PeriodType.YEAR, "last year's"),
    (PeriodType.MONTH, "last month's")])
def test_the_gap_is_priced_at_the_previous_periods_prices_by_name(period, last):
    text = gap_sentence_en(-1000.0, (-800.0, -300.0, 100.0), "CNY", period)
    assert f"(the units sold, at {last} average price, fall that short" in text
    assert f"prices added CNY 100 (above {last})." in text
    assert "last period's" not in text


def test_the_years_draft_prices_the_gap_at_last_years_prices():
    draft = draft_paragraph(compute_kpis(_tables(), Period.parse("2026")), "en", "CNY")
    assert "at last year's average price" in draft and "last period's" not in draft, draft
    none = gap_sentence_en(-300.0, None, "CNY", PeriodType.YEAR)
    assert "with no quantities for last year, the gap" in none


def test_the_churn_sentence_names_the_period_before_and_says_none():
    """Customer X bought in 2025 and in 2026: a year's draft says "The 1 customer won
    last year bought again this year", not "Of 1 customers won in the previous period, 0
    bought nothing this period"; a quarter's names the previous quarter; a customer lost
    is counted."""
    year = draft_paragraph(compute_kpis(_tables(), Period.parse("2026")), "en", "CNY")
    assert " The 1 customer won last year bought again this year (churn 0.0%" in year, year
    assert "previous period" not in year and "this period" not in year, year
    quarter = draft_paragraph(compute_kpis(_tables(), Period.parse("2026-Q4")), "en", "CNY")
    assert " The 1 customer won in the previous quarter bought again this quarter" \
        in quarter, quarter
    tables = _tables()
    tables["Sales"] = pd.concat([tables["Sales"], pd.DataFrame(
        [{**_won(date(2026, 7, 11), 50.0), "customer": "Y"}])], ignore_index=True)
    lost = draft_paragraph(compute_kpis(tables, Period.parse("2026-Q4")), "en", "CNY")
    assert " Of the 2 customers won in the previous quarter, 1 bought nothing this quarter" \
        in lost, lost
