"""The embedded sample is deterministic and realistic enough to exercise every KPI."""

from __future__ import annotations

import pandas as pd

from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC


def test_sample_is_deterministic_and_the_same_in_both_languages():
    a, b, en = sample_workbook_data("zh"), sample_workbook_data("zh"), sample_workbook_data("en")
    pd.testing.assert_frame_equal(a.tables["Sales"], b.tables["Sales"])
    for col in ("order_id", "date", "amount", "stage", "invoiced", "collected", "customer_type"):
        assert a.tables["Sales"][col].equals(en.tables["Sales"][col]), col


def test_sample_shape_matches_the_issue():
    data = sample_workbook_data("zh")
    sales = data.tables["Sales"]
    assert sales["rep"].nunique() == 6 and sales["region"].nunique() == 3
    months = pd.to_datetime(sales["date"]).dt.to_period("M").nunique()
    assert months == 18 and 2000 < len(sales) < 5000
    assert set(sales["stage"]) == {"lead", "follow_up", "proposal", "won", "lost"}
    assert pd.to_datetime(sales["date"]).max().date() <= SAMPLE_PERIOD.end
    problems = data.tables["Problems"]
    assert problems["carry_forward"].eq("yes").sum() >= 4
    assert problems["category"].nunique() >= 5
    assert set(problems["controllability"]) == {"controllable", "uncontrollable"}
    assert data.tables["Lessons"]["best_practice"].eq("yes").any()
    assert set(data.tables["Targets"]["rep"]) == set(sales["rep"])
    assert set(data.tables["Activities"]["type"]) <= {c.key for c in
                                                      SPEC.table("Activities").column(
                                                          "type").choices.choices}


def test_a_quarter_or_year_sample_covers_every_month_of_the_period():
    """A year's sample ended its history in January (the period's first month): a
    director trying the tool on 2026 got one month of it. Now the history runs through
    the period's last month, and a year's holds the whole year before it (its growth is
    on a full year); the default month sample is unchanged (the README shows it)."""
    from xlsales.periods import Period

    for label, first in (("2026-Q3", "2025-04"), ("2026", "2025-01")):
        period = Period.parse(label)
        data = sample_workbook_data("en", period)
        dates = pd.to_datetime(data.tables["Sales"]["date"])
        months = set(dates.dt.to_period("M").astype(str))
        assert {m.label for m in period.months_in()} <= months, label
        assert dates.min().strftime("%Y-%m") == first and dates.max().date() <= period.end
        targets = pd.to_datetime(data.tables["Targets"]["period"])
        assert targets.max().date() == period.months_in()[-1].start
        assert data.info["data_source"] == f"CRM export sales_{first}_{period.end:%Y-%m}.csv"
    default = sample_workbook_data("en")
    assert pd.to_datetime(default.tables["Sales"]["date"]).dt.to_period("M").nunique() == 18
    assert default.info["data_source"] == "CRM export sales_2025-05_2026-10.csv"
