"""XS_KPI for one rep: a rep on the team's list who sold nothing in the period sold 0
(it returned an empty cell, as if the figure could not be computed); a rep named
nowhere is an error naming the rep (it returned an empty cell too, hiding a typo). The
rep's figures are those `kpis --by rep` gives a rep of the period."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.udfs import XS_KPI

SALES = [["Order ID", "Date", "Rep", "Customer", "Amount", "Stage"],
         ["S1", datetime(2026, 9, 20), "Li", "Acme", 700.0, "Won"],
         ["S2", datetime(2026, 10, 3), "Li", "Acme", 1000.0, "Won"],
         ["S3", datetime(2026, 10, 9), "Wu", "Beta", 500.0, "Won"],
         ["S4", datetime(2026, 10, 12), "Wu", "Beta", 200.0, "Lost"]]
#: the settings sheet's rep list as ListRep[#All] passes it: its header, then the names
REPS = [["Sales rep", "Weight"], ["Li", 1.0], ["Wu", 1.0], ["Zhao", None]]


@pytest.mark.parametrize(("key", "zero"), [("revenue", 0.0), ("deals", 0.0),
                                           ("customers", 0.0), ("win_rate", ""),
                                           ("aov", ""), ("attainment", "")])
def test_a_listed_rep_with_no_rows_sold_nothing(key, zero):
    """Zhao is on the list, with no row: what was sold is 0, a ratio is empty (as for a
    period without rows); Li, who sold in September only, sold 0 in November too."""
    assert XS_KPI(key, "2026-10", SALES, rep="Zhao", reps=REPS) == zero
    assert XS_KPI(key, "2026-11", SALES, rep="Li") == zero
    assert XS_KPI(key, "2026-11", SALES) == zero  # as the whole of an empty period


def test_a_rep_of_the_period_is_as_kpis_by_rep_gives():
    frame = pd.DataFrame(SALES[1:], columns=["order_id", "date", "rep", "customer", "amount",
                                             "stage"]).assign(stage=lambda f: f["stage"]
                                                              .str.lower())
    by_rep = compute_kpis({"Sales": frame}, Period.parse("2026-10"), by="rep").groups
    for rep in ("Li", "Wu"):
        for key in ("revenue", "win_rate", "revenue_previous", "churned_customers"):
            want = by_rep[rep][key]
            assert XS_KPI(key, "2026-10", SALES, rep=rep, reps=REPS) == (
                "" if want is None else pytest.approx(want)), (rep, key)


@pytest.mark.parametrize(("sales", "said"), [
    (SALES, "XS_KPI: the rep 'Zhou' is in none of the Sales, Targets and Activities rows"),
    ([["订单编号", "日期", "销售人员", "客户", "金额", "阶段"], *SALES[1:]],
     "XS_KPI：销售人员“Zhou”不在销售记录、目标和活动记录中")])
def test_a_rep_named_nowhere_is_an_error_naming_the_rep(sales, said):
    with pytest.raises(ValueError, match="Zhou") as raised:
        XS_KPI("revenue", "2026-10", sales, rep="Zhou", reps=REPS)
    assert str(raised.value).startswith(said)
