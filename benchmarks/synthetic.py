"""Synthetic sales rows for the benchmarks' generated workbooks (bench_core, bench_rollup).

Deterministic: the same arguments give the same rows, so numbers measured on inputs built
before stay comparable. The draws are made in a fixed order; changing that order (or adding
a draw in between) changes every workbook the benchmarks build.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from xlsales.periods import Period

HISTORY_MONTHS = 18
PRICES = [2800.0, 6800.0, 16800.0, 9800.0]
STAGES = ["lead", "follow_up", "proposal", "won", "lost"]
STAGE_WEIGHTS = [.05, .05, .05, .5, .35]
REGIONS = ["East", "South", "North"]
PRODUCTS = ["Standard", "Professional", "Enterprise", "Services"]


def history_start(period: Period, months: int = HISTORY_MONTHS) -> date:
    """First day of the ``months`` calendar months that end with ``period``'s last month."""
    end = period.end
    index = end.year * 12 + end.month - months  # months since year 0 of the first month
    return date(index // 12, index % 12 + 1, 1)


def synthetic_sales(n: int, *, seed: int | np.random.Generator, period: Period,
                    reps: Sequence[str], months: int = HISTORY_MONTHS,
                    customers: int | None = None, order_prefix: str = "SO",
                    order_digits: int = 7, sort_dates: bool = False) -> pd.DataFrame:
    """``n`` realistic sales rows (the Sales table's columns, English values) dated over
    the ``months`` months ending with ``period``.

    ``seed`` is an int, or a NumPy ``Generator`` that is drawn from (and left advanced) so
    that the caller can go on drawing from it. ``reps`` are drawn at random for each row;
    a single rep fills the column without a draw. ``customers`` is how many distinct
    customers rows are drawn from (default ``max(50, n // 20)``). Order ids are
    ``order_prefix`` and the row number on ``order_digits`` digits; ``sort_dates`` sorts
    the dates (the other columns keep their draw order).
    """
    rng = np.random.default_rng(seed)  # a Generator passed in is returned as is
    start = history_start(period, months)
    days = (period.end - start).days
    qty = rng.integers(1, 10, n).astype(float)
    price = rng.choice(PRICES, n)
    amount = qty * price
    stage = rng.choice(STAGES, n, p=STAGE_WEIGHTS)
    won = stage == "won"
    # the dict's values are evaluated in this order: it is the order of the draws
    dates = [start + timedelta(days=int(d)) for d in rng.integers(0, days + 1, n)]
    return pd.DataFrame({
        "order_id": [f"{order_prefix}{j:0{order_digits}d}" for j in range(n)],
        "date": sorted(dates) if sort_dates else dates,
        "rep": reps[0] if len(reps) == 1 else rng.choice(list(reps), n),
        "region": rng.choice(REGIONS, n),
        "customer": [f"Customer {c}" for c in
                     rng.integers(0, max(50, n // 20) if customers is None else customers, n)],
        "product": rng.choice(PRODUCTS, n),
        "quantity": qty, "unit_price": price, "amount": amount, "stage": stage,
        "invoiced": np.where(won, amount, np.nan),
        "collected": np.where(won, amount * rng.choice([1.0, 0.5], n), np.nan),
    })
