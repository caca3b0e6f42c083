"""A period with no deal yet and no target: the drafted summary says there is no target,
as the rest of the draft does, not "target 0" / "目标 0 元" (a team that sets none)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from xlsales.kpis import compute_kpis
from xlsales.narrative import summary_paragraph
from xlsales.periods import Period

DECEMBER = Period.parse("2026-12")


def _tables(target: float | None) -> dict[str, pd.DataFrame]:
    """A November sale, nothing yet in December; December's target ``target`` (a row
    whose target is empty for None)."""
    sales = pd.DataFrame({"order_id": ["S1"], "date": [date(2026, 11, 5)], "rep": ["Li"],
                          "customer": ["Acme"], "amount": [400.0], "stage": ["won"]})
    targets = pd.DataFrame({"period": [date(2026, 12, 1)], "rep": ["Li"],
                            "revenue_target": [target]})
    return {"Sales": sales, "Targets": targets}


@pytest.mark.parametrize("target", [0.0, None])
@pytest.mark.parametrize(("lang", "said", "money"), [
    ("zh", "本月（2026-12）还没有成交记录（没有设目标）；填写销售记录后重新计算。", "元"),
    ("en", "No deal won yet this month (2026-12; no target set): compute again once the "
           "sales records are in.", "CNY")])
def test_no_target_is_said_in_words(target, lang, said, money):
    text = summary_paragraph(compute_kpis(_tables(target), DECEMBER), lang, money)
    assert text == said
    assert "0" not in text.replace("2026-12", "")


@pytest.mark.parametrize(("lang", "said"), [("zh", "（目标 5,000 SGD）"),
                                            ("en", "(2026-12; target SGD 5,000)")])
def test_a_target_set_is_still_named(lang, said):
    text = summary_paragraph(compute_kpis(_tables(5000.0), DECEMBER), lang, "SGD")
    assert said in text, text
