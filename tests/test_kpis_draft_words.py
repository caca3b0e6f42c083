"""The KPI report's English draft counts in good English: a month of one opportunity said
"Funnel: 1 opportunities"."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from xlsales.kpis import compute_kpis
from xlsales.kpis_figures import draft_paragraph
from xlsales.periods import Period


def _draft(rows: list[tuple[str, date, str]]) -> str:
    sales = pd.DataFrame([(f"S{i}", d, "Li", "Acme", 100.0, stage)
                          for i, (_, d, stage) in enumerate(rows)],
                         columns=["order_id", "date", "rep", "customer", "amount", "stage"])
    return draft_paragraph(compute_kpis({"Sales": sales}, Period.parse("2026-11")), "en")


def test_one_opportunity_is_singular():
    draft = _draft([("S", date(2026, 11, 5), "won")])
    assert "Funnel: 1 opportunity, 1 reached follow-up" in draft, draft


def test_two_opportunities_and_none_are_plural():
    assert "Funnel: 2 opportunities," in _draft([("S", date(2026, 11, 5), "won"),
                                                 ("T", date(2026, 11, 6), "lead")])
    assert "Funnel: 0 opportunities," in _draft([("S", date(2026, 10, 5), "won")])


def _year_tables() -> dict[str, pd.DataFrame]:
    """2025 won Acme and Beta; 2026 wins Acme again, with a target and no quantities."""
    sales = pd.DataFrame([("A", date(2025, 3, 1), "Acme", "won"), ("B", date(2025, 9, 1),
                                                                  "Beta", "won"),
                          ("C", date(2026, 4, 1), "Acme", "won")],
                         columns=["order_id", "date", "customer", "stage"]).assign(
        rep="Li", amount=100.0)
    targets = pd.DataFrame({"period": [date(2026, 1, 1)], "rep": ["Li"],
                            "revenue_target": [300.0]})
    return {"Sales": sales, "Targets": targets}


@pytest.mark.parametrize(("period", "churn", "gap"), [
    ("2026", "上年 2 个成交客户中 1 个本年度未再成交", "缺少上年销量"),
    ("2026-Q2", "上季度没有成交客户", None), ("2026-04", "上月没有成交客户", None)])
def test_the_chinese_draft_names_the_period_before_as_the_english_does(period, churn, gap):
    """A year's draft said 上期 … 本期 where the English says "won last year … this year"."""
    draft = draft_paragraph(compute_kpis(_year_tables(), Period.parse(period)), "zh")
    assert churn in draft, draft
    assert gap is None or gap in draft, draft
