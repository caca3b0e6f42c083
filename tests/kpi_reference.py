"""KPIs computed directly from the rows with pandas, written from the definitions
(口径) in the Foundation issue, independently of the spec's formula compiler.

The golden tests compare what LibreOffice computes from the workbook's native
formulas with these numbers.
"""

from __future__ import annotations

from datetime import date

import pandas as pd


def windows(start: date, months: int) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    s = pd.Timestamp(start)
    end = s + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    return {
        "current": (s, end),
        "previous": (s - pd.DateOffset(months=months), s - pd.Timedelta(days=1)),
        "year_ago": (s - pd.DateOffset(years=1),
                     end + pd.Timedelta(days=1) - pd.DateOffset(years=1) - pd.Timedelta(days=1)),
    }


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def reference_kpis(sales: pd.DataFrame, targets: pd.DataFrame, start: date,
                   months: int, activities: pd.DataFrame | None = None
                   ) -> dict[str, float | None]:
    w = windows(start, months)
    dates = pd.to_datetime(sales["date"])
    won = sales["stage"] == "won"

    def in_window(name: str, d: pd.Series = dates) -> pd.Series:
        lo, hi = w[name]
        return (d >= lo) & (d <= hi)

    # Excel's COUNTIFS compares customers ignoring case; so does the definition here
    sales = sales.assign(customer=sales["customer"].map(
        lambda c: c.casefold() if isinstance(c, str) and c else None))
    cur = won & in_window("current")
    revenue = float(sales.loc[cur, "amount"].sum())
    tdates = pd.to_datetime(targets["period"])
    target = float(targets.loc[in_window("current", tdates), "revenue_target"].sum())
    deals = int(cur.sum())
    customers = sales.loc[cur & sales["customer"].notna(), "customer"].nunique()
    first_won = dates[won].groupby(sales.loc[won, "customer"]).min()
    typed = sales["customer_type"]
    derived_new = sales["customer"].map(first_won) >= w["current"][0]
    is_new = typed.eq("new").where(typed.notna(), derived_new)
    new_rev = float(sales.loc[cur & is_new.astype(bool), "amount"].sum())
    lost = int(((sales["stage"] == "lost") & in_window("current")).sum())
    invoiced = float(sales.loc[cur, "invoiced"].sum())
    collected = float(sales.loc[cur, "collected"].sum())
    prev = float(sales.loc[won & in_window("previous"), "amount"].sum())
    yoy = float(sales.loc[won & in_window("year_ago"), "amount"].sum())
    visits = 0
    if activities is not None and not activities.empty:
        adates = pd.to_datetime(activities["date"])
        visits = int(((activities["type"] == "visit") & in_window("current", adates)).sum())
    visits_target = float(targets.loc[in_window("current", tdates), "visits_target"].sum()) \
        if "visits_target" in targets else 0.0
    return {
        "visits": visits, "visits_target": visits_target,
        "visit_attainment": _ratio(visits, visits_target),
        "revenue": revenue, "target": target, "attainment": _ratio(revenue, target),
        "gap": target - revenue, "deals": deals, "customers": customers,
        "aov": _ratio(revenue, deals), "new_customer_revenue": new_rev,
        "new_customer_revenue_share": _ratio(new_rev, revenue), "lost_deals": lost,
        "closed_deals": deals + lost, "win_rate": _ratio(deals, deals + lost),
        "invoiced": invoiced, "collected": collected,
        "collection_rate": _ratio(collected, invoiced), "revenue_previous": prev,
        "mom_growth": None if prev == 0 else revenue / prev - 1, "revenue_year_ago": yoy,
        "yoy_growth": None if yoy == 0 else revenue / yoy - 1,
    }


