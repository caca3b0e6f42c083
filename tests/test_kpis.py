"""The KPI engine: hand-checked values, breakdowns and properties on random data."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.periods import Period

NOV = Period.parse("2026-11")


def tiny() -> dict[str, pd.DataFrame]:
    """Six rows worked out by hand below."""
    sales = pd.DataFrame([
        # customer X first won in October → existing in November
        ("S1", date(2026, 10, 5), "A", "East", "X", None, "won", 100.0, 100.0, 100.0),
        ("S2", date(2026, 11, 2), "A", "East", "X", None, "won", 200.0, 200.0, 100.0),
        ("S3", date(2026, 11, 3), "B", "West", "Y", None, "won", 300.0, 300.0, 300.0),
        ("S4", date(2026, 11, 4), "B", "West", "Y", None, "won", 100.0, None, None),
        ("S5", date(2026, 11, 5), "A", "East", "Z", "new", "lost", 50.0, None, None),
        ("S6", date(2025, 11, 9), "A", "East", "W", None, "won", 400.0, 400.0, 400.0),
    ], columns=["order_id", "date", "rep", "region", "customer", "customer_type", "stage",
                "amount", "invoiced", "collected"])
    targets = pd.DataFrame({"period": [date(2026, 11, 1), date(2026, 11, 1), date(2026, 10, 1)],
                            "rep": ["A", "B", "A"], "revenue_target": [500.0, 300.0, 999.0]})
    return {"Sales": sales, "Targets": targets}


def test_hand_checked_values():
    k = compute_kpis(tiny(), NOV).kpis
    assert k["revenue"] == 600 and k["target"] == 800 and k["gap"] == 200
    assert k["attainment"] == pytest.approx(0.75)
    assert k["deals"] == 3 and k["customers"] == 2 and k["aov"] == 200
    assert k["new_customer_revenue"] == 400  # Y is new (S3 + S4); X is not
    assert k["new_customer_revenue_share"] == pytest.approx(400 / 600)
    assert (k["lost_deals"], k["closed_deals"]) == (1, 4)
    assert k["win_rate"] == pytest.approx(0.75)
    assert (k["invoiced"], k["collected"]) == (500, 400)
    assert k["collection_rate"] == pytest.approx(0.8)
    assert k["revenue_previous"] == 100 and k["mom_growth"] == pytest.approx(5.0)
    assert k["revenue_year_ago"] == 400 and k["yoy_growth"] == pytest.approx(0.5)


def test_breakdown_by_rep_and_month():
    result = compute_kpis(tiny(), NOV, by="rep")
    a, b = result.groups["A"], result.groups["B"]
    assert (a["revenue"], a["target"], a["deals"], a["customers"]) == (200, 500, 1, 1)
    assert (b["revenue"], b["target"], b["customers"]) == (400, 300, 1)
    assert a["win_rate"] == pytest.approx(0.5)
    q = compute_kpis(tiny(), Period.parse("2026-Q4"), by="month")
    assert list(q.groups) == ["2026-10", "2026-11", "2026-12"]
    assert q.groups["2026-10"]["revenue"] == 100 and q.groups["2026-12"]["attainment"] is None


def test_an_empty_period_gives_empty_ratios_not_errors():
    k = compute_kpis(tiny(), Period.parse("2030-01")).kpis
    assert k["revenue"] == 0 and k["deals"] == 0
    for key in ("attainment", "aov", "win_rate", "collection_rate", "mom_growth", "yoy_growth",
                "new_customer_revenue_share"):
        assert k[key] is None, key
    assert compute_kpis({}, NOV).kpis["revenue"] == 0


rows = st.lists(st.tuples(
    st.dates(date(2025, 6, 1), date(2026, 12, 31)), st.sampled_from(["A", "B", "C"]),
    st.sampled_from([f"C{i}" for i in range(8)]),
    st.sampled_from(["lead", "follow_up", "proposal", "won", "lost"]),
    st.floats(0, 1e6, allow_nan=False), st.floats(0, 1), st.sampled_from([None, "new",
                                                                          "existing"]),
), max_size=60)


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from(["2026-11", "2026-Q3", "2026"]))
def test_properties_on_random_data(data, period_text):
    period = Period.parse(period_text)
    sales = pd.DataFrame(
        [(f"O{i}", d, rep, "East", c, ct, stage, amt, amt, amt * paid)
         for i, (d, rep, c, stage, amt, paid, ct) in enumerate(data)],
        columns=["order_id", "date", "rep", "region", "customer", "customer_type", "stage",
                 "amount", "invoiced", "collected"])
    result = compute_kpis({"Sales": sales}, period, by="rep")
    k = result.kpis
    for key in ("win_rate", "collection_rate", "new_customer_revenue_share"):
        assert k[key] is None or -1e-9 <= k[key] <= 1 + 1e-9
    for key in ("revenue", "deals", "invoiced", "collected", "lost_deals",
                "new_customer_revenue"):
        total = sum(g[key] for g in result.groups.values())
        assert total == pytest.approx(k[key], rel=1e-9, abs=1e-6), key
    assert sum(g["customers"] for g in result.groups.values()) >= k["customers"]
    assert k["customers"] <= k["deals"]


def test_cli_kpis_json_uses_the_spec_keys(sample_books):
    result = CliRunner().invoke(main, ["kpis", str(sample_books["en"]), "--json", "--by",
                                       "region"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["period"] == "2026-10"
    assert set(payload) == {"period", "start", "end", "kpis", "by"}
    assert payload["kpis"]["deals"] == int(payload["kpis"]["deals"])
    assert set(payload["by"]) == {"East", "South", "North"}
    text = CliRunner().invoke(main, ["kpis", str(sample_books["zh"])])
    assert text.exit_code == 0 and "目标完成率" in text.output


def test_drafted_paragraph_and_ranking_follow_the_numbers():
    from xlsales.narrative import ranking, summary_paragraph

    result = compute_kpis(tiny(), NOV, by="rep")
    zh = summary_paragraph(result, "zh")
    assert zh.startswith("本月（2026-11）销售额 600，目标 800，完成目标的 75.0%")
    assert "环比 +500.0%" in zh and "同比 +50.0%" in zh
    # B attains 400/300, A 200/500: best first
    assert [r[0] for r in ranking(result)] == ["B", "A"]
    assert zh.endswith("完成率最高的是 B（133.3%），最低的是 A（40.0%）。")
    en = summary_paragraph(compute_kpis(tiny(), Period.parse("2030-01")), "en")
    assert "– attained" in en and "win rate –" in en  # empty ratios stay empty
