"""The KPI report's English draft counts in good English: a month of one opportunity said
"Funnel: 1 opportunities"."""

from __future__ import annotations

from datetime import date

import pandas as pd

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
