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
    new_customers = sales.loc[cur & is_new.astype(bool) & sales["customer"].notna(),
                              "customer"].nunique()
    in_targets = in_window("current", tdates)

    def target_sum(column: str) -> float:
        return float(targets.loc[in_targets, column].sum()) if column in targets else 0.0

    rates = pd.to_numeric(targets.loc[in_targets, "collection_rate_target"], errors="coerce") \
        if "collection_rate_target" in targets else pd.Series(dtype=float)
    rate_target = None if rates.notna().sum() == 0 else float(rates.mean())
    created = pd.to_datetime(sales["created"]) if "created" in sales else None
    pipeline_created = 0.0 if created is None else float(
        sales.loc[in_window("current", created), "amount"].sum())
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
    out = process_kpis(sales.assign(_date=dates), w, activities, revenue, target, deals, visits)
    out.update(customer_kpis(sales.assign(_date=dates), w))
    out.update(price_volume_mix(sales.assign(_date=dates), w, revenue, target, prev))
    collection_rate = _ratio(collected, invoiced)
    out.update({
        "new_customers": new_customers, "new_customers_target": target_sum("new_customers_target"),
        "new_customers_attainment": _ratio(new_customers, target_sum("new_customers_target")),
        "collection_rate_target": rate_target,
        "collection_rate_gap": None if rate_target is None or collection_rate is None
        else collection_rate - rate_target,
        "pipeline_created": pipeline_created, "pipeline_target": target_sum("pipeline_target"),
        "pipeline_attainment": _ratio(pipeline_created, target_sum("pipeline_target")),
    })
    return {
        **out,
        "visits": visits, "visits_target": visits_target,
        "visit_attainment": _ratio(visits, visits_target),
        "revenue": revenue, "target": target, "attainment": _ratio(revenue, target),
        # no target, no gap (not minus the revenue)
        "gap": target - revenue if target else None, "deals": deals, "customers": customers,
        "aov": _ratio(revenue, deals), "new_customer_revenue": new_rev,
        "new_customer_revenue_share": _ratio(new_rev, revenue), "lost_deals": lost,
        "closed_deals": deals + lost, "win_rate": _ratio(deals, deals + lost),
        "invoiced": invoiced, "collected": collected,
        "collection_rate": _ratio(collected, invoiced), "revenue_previous": prev,
        "mom_growth": None if prev == 0 else revenue / prev - 1, "revenue_year_ago": yoy,
        "yoy_growth": None if yoy == 0 else revenue / yoy - 1,
    }




OPEN = {"lead": 0.1, "follow_up": 0.3, "proposal": 0.6}


def _col(frame: pd.DataFrame, key: str) -> pd.Series:
    return frame[key] if key in frame else pd.Series([None] * len(frame), index=frame.index)


def process_kpis(sales: pd.DataFrame, w: dict, activities: pd.DataFrame | None,
                 revenue: float, target: float, deals: int, visits: int
                 ) -> dict[str, float | None]:
    """Funnel, cycle and pipeline, row by row from the definitions."""
    lo, hi = w["current"]
    rows = sales.to_dict("records")
    in_period = [r for r in rows if pd.notna(r["_date"]) and lo <= r["_date"] <= hi]
    opportunities = len(in_period)
    reached_follow_up = sum(r["stage"] in ("follow_up", "proposal", "won") for r in in_period)
    reached_proposal = sum(r["stage"] in ("proposal", "won") for r in in_period)
    created = pd.to_datetime(_col(sales, "created"))
    leads = int(((created >= lo) & (created <= hi)).sum())
    cycles = []
    for r, c in zip(rows, created, strict=True):
        if r["stage"] == "won" and pd.notna(c) and pd.notna(r["_date"]) \
                and lo <= r["_date"] <= hi:
            cycles.append((r["_date"] - c).days)
    open_amount = weighted = 0.0
    probability = _col(sales, "probability").tolist()
    for r, p in zip(rows, probability, strict=True):
        if r["stage"] in OPEN and pd.notna(r["_date"]) and r["_date"] <= hi:
            amount = 0.0 if pd.isna(r["amount"]) else float(r["amount"])
            open_amount += amount
            # a probability is a fraction of 0–1: any other (50 for 50 %) is no
            # probability, and the stage's default stands in as for an empty one
            usable = p is not None and not pd.isna(p) and 0 <= float(p) <= 1
            weighted += amount * (float(p) if usable else OPEN[r["stage"]])
    follow_ups = 0
    if activities is not None and not activities.empty:
        adates = pd.to_datetime(activities["date"])
        follow_ups = int(((adates >= lo) & (adates <= hi)).sum())
    remaining = max(0.0, target - revenue) if target else None  # no target: none remains
    return {
        "opportunities": opportunities, "leads_developed": leads, "follow_ups": follow_ups,
        "reached_follow_up": reached_follow_up, "reached_proposal": reached_proposal,
        "lead_to_follow_up_rate": _ratio(reached_follow_up, opportunities),
        "follow_up_to_proposal_rate": _ratio(reached_proposal, reached_follow_up),
        "proposal_to_won_rate": _ratio(deals, reached_proposal),
        "overall_conversion": _ratio(deals, opportunities),
        "sales_cycle_days": sum(cycles) / len(cycles) if cycles else None,
        "open_pipeline": open_amount, "weighted_pipeline": weighted,
        "remaining_target": remaining, "pipeline_coverage": _ratio(open_amount, remaining or 0),
        "visits_per_deal": _ratio(visits, deals),
    }


def customer_kpis(sales: pd.DataFrame, w: dict) -> dict[str, float | None]:
    """Churned and retained customers as sets of (case-folded) names."""
    def won_customers(window: str) -> set[str]:
        lo, hi = w[window]
        return {r["customer"] for r in sales.to_dict("records")
                if r["stage"] == "won" and r["customer"] and pd.notna(r["_date"])
                and lo <= r["_date"] <= hi}

    before, now = won_customers("previous"), won_customers("current")
    churned, retained = len(before - now), len(before & now)
    return {"churned_customers": churned, "retained_customers": retained,
            "customers_previous": len(before), "retention_rate": _ratio(retained, len(before)),
            "churn_rate": _ratio(churned, len(before))}


def price_volume_mix(sales: pd.DataFrame, w: dict, revenue: float, target: float,
                     revenue_previous: float) -> dict[str, float | None]:
    """Revenue − target = volume + mix + price, against last period's prices."""
    def won_rows(window: str) -> list[dict]:
        lo, hi = w[window]
        return [r for r in sales.to_dict("records") if r["stage"] == "won"
                and pd.notna(r["_date"]) and lo <= r["_date"] <= hi]

    def number(v: object) -> float:
        return 0.0 if v is None or pd.isna(v) else float(v)

    def product(r: dict) -> str | None:
        p = r.get("product")
        return None if p is None or pd.isna(p) or p == "" else str(p).casefold()

    def priced(r: dict) -> bool:  # a row without a quantity has no price
        return number(r.get("quantity")) > 0

    previous = won_rows("previous")
    q_prev = sum(number(r.get("quantity")) for r in previous)
    amount_by, qty_by = {}, {}
    for r in previous:
        if product(r) is not None and priced(r):
            amount_by[product(r)] = amount_by.get(product(r), 0.0) + number(r["amount"])
            qty_by[product(r)] = qty_by.get(product(r), 0.0) + number(r.get("quantity"))
    current = won_rows("current")
    q_now = sum(number(r.get("quantity")) for r in current)
    at_previous_prices = 0.0
    for r in current:
        p, q = product(r), number(r.get("quantity"))
        if p is not None and q > 0 and qty_by.get(p, 0) > 0:
            at_previous_prices += q * amount_by[p] / qty_by[p]
        else:
            at_previous_prices += number(r["amount"])
    priced_previous = sum(number(r["amount"]) for r in previous if priced(r))
    priced_now = sum(number(r["amount"]) for r in current if priced(r))
    avg_price = _ratio(priced_previous, q_prev)
    # the rows without a quantity at their amount: no price, so no mix and no price effect
    at_avg = None if avg_price is None else q_now * avg_price + (revenue - priced_now)
    effects = {"volume_effect": None, "mix_effect": None, "price_effect": None}
    if at_avg is not None:
        effects = {"volume_effect": at_avg - target if target else None,
                   "mix_effect": at_previous_prices - at_avg,
                   "price_effect": revenue - at_previous_prices}
    return {"quantity_won": q_now, "quantity_previous": q_prev, "previous_avg_price": avg_price,
            "revenue_previous_with_quantity": priced_previous,
            "revenue_with_quantity": priced_now, "revenue_without_quantity": revenue - priced_now,
            "revenue_at_previous_mix": at_avg,
            "revenue_at_previous_prices": at_previous_prices, **effects}
