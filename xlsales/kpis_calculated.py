"""The calculated columns of the sales table, computed with pandas (no Excel).

Each function is the pandas counterpart of one of the spec's calculated columns
(customer weights, new-customer flags, churn, last period's prices ...) for a
period, with the date windows the KPIs filter by; :mod:`xlsales.kpis` adds them
to the tables before it evaluates the KPIs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from xlsales.kpis_arrays import days_between, equals_number, floats, is_in, mapped
from xlsales.periods import Period
from xlsales.spec.declarations import OPEN_STAGES, STAGE_PROBABILITY
from xlsales.spec.kpi_model import Window

if TYPE_CHECKING:
    from xlsales.kpis_table import KpiTable

#: First day of the ``to_date`` window (the KPI sheet writes DATE(1901,1,1)).
EARLIEST = pd.Timestamp(1901, 1, 1)


def window_bounds(period: Period, window: Window) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of ``window`` relative to ``period``."""
    if window == "to_date":
        return EARLIEST, pd.Timestamp(period.end)
    p = {"current": period, "previous": period.previous, "year_ago": period.year_ago}[window]
    return pd.Timestamp(p.start), pd.Timestamp(p.end)


def _in_window(dates: pd.Series, period: Period, window: Window) -> np.ndarray:
    """Per row, whether its parsed date is in ``window`` of ``period`` (an empty date
    is not): compared in NumPy, a tenth of pandas' cost on a member's few thousand rows."""
    values = dates.to_numpy()
    if values.dtype.kind != "M":  # not parsed dates (an empty table's column): as pandas
        lo, hi = window_bounds(period, window)
        return ((dates >= lo) & (dates <= hi)).to_numpy(dtype=bool, na_value=False)
    lo64, hi64 = _bounds64(period, window)
    return (values >= lo64) & (values <= hi64)


@lru_cache(maxsize=256)
def _bounds64(period: Period, window: Window) -> tuple[np.datetime64, np.datetime64]:
    """:func:`window_bounds` as NumPy date-times, made once per period and window."""
    lo, hi = window_bounds(period, window)
    return lo.to_datetime64(), hi.to_datetime64()


def won_rows(sales: KpiTable) -> np.ndarray:
    """Per row, whether its stage is won: the ``_won`` column the KPI engine adds once
    (it does not depend on the period), else compared here."""
    if "_won" in sales:
        return sales["_won"].to_numpy(dtype=bool)
    return _bool(sales["stage"].eq("won"))


def _won_in_period(sales: KpiTable, period: Period,
                   window: Window = "current") -> np.ndarray:
    return won_rows(sales) & _in_window(sales["_date"], period, window)


def _number(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce")


def _identity(names: pd.Series) -> pd.Series:
    """Identity codes of names compared as Excel does (ignoring case): one integer per
    distinct name, the same for names that differ only in case; -1 for a blank. Each
    distinct name is folded once (a sales table repeats a few thousand customers over
    many rows), and the calculated columns count with the codes (bincount, take)."""
    codes, uniques = pd.factorize(names)
    # as a NumPy array first: iterating a string Index goes through Arrow cell by cell
    # (~0.5 µs a name, 0.7 ms for a member's customers; 0.06 ms this way)
    folded = np.array([u.casefold() if type(u) is str else str(u).casefold()
                       for u in np.asarray(uniques, dtype=object)], dtype=object)
    merged, _ = pd.factorize(folded)  # case variants share a code
    merged = np.where(folded == "", -1, merged).astype(np.int64)
    out = merged.take(codes) if len(merged) else np.full(len(codes), -1, dtype=np.int64)
    out[codes < 0] = -1
    return pd.Series(out, index=names.index)


def customer_key(sales: KpiTable) -> np.ndarray:
    """Customer identity as Excel's COUNTIFS compares it (ignoring case): an integer
    code per customer, -1 for a blank one."""
    key = sales["_customer"] if "_customer" in sales else _identity(sales["customer"])
    return key.to_numpy(dtype=np.int64)


def _bool(mask: pd.Series | np.ndarray) -> np.ndarray:
    if isinstance(mask, np.ndarray):
        return mask.astype(bool, copy=False)
    return mask.to_numpy(dtype=bool, na_value=False)


def _per_row_share(key: np.ndarray, mask: np.ndarray, index: pd.Index) -> pd.Series:
    """1 / (rows of the same key in ``mask``) on the ``mask`` rows, 0 elsewhere: sums to
    the number of distinct keys there (``mask`` holds no blank key)."""
    return pd.Series(_share(key, mask), index=index)


def _share(key: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """:func:`_per_row_share`'s values."""
    weight = np.zeros(len(key))
    if mask.any():
        counts = np.bincount(key[mask])
        weight[mask] = 1.0 / counts[key[mask]]
    return weight


def _customer_weight(sales: KpiTable, period: Period) -> pd.Series:
    """1 / (won rows of the customer in the period) on won-in-period rows: sums to
    the number of distinct customers (blank customers count for nothing)."""
    key = customer_key(sales)
    return _per_row_share(key, _bool(_won_in_period(sales, period)) & (key >= 0),
                          sales.index)


def is_new_customer(sales: KpiTable, period: Period) -> np.ndarray:
    """Per row, whether its customer counts as new in ``period``: the row's customer type
    when filled, else no won row of the customer before the period (a blank customer is
    new). The new-customer KPIs and the breakdown by customer type both read it."""
    key = customer_key(sales)
    dates = sales["_date"].to_numpy()
    ticks = dates.view(np.int64)
    known = won_rows(sales) & (key >= 0) & ~np.isnat(dates)
    first = np.full(int(key.max()) + 1 if len(key) else 0, np.iinfo(np.int64).max)
    np.minimum.at(first, key[known], ticks[known])  # each customer's first won row
    start = np.datetime64(pd.Timestamp(period.start)).astype(dates.dtype).view(np.int64)
    earlier = np.zeros(len(key), dtype=bool)  # a won row before the period
    earlier[key >= 0] = first[key[key >= 0]] < start
    codes, uniques = sales.codes("customer_type")
    return np.where(codes >= 0, is_in(codes, uniques, ("new",)), ~earlier)


def _new_customer_flag(sales: KpiTable, period: Period) -> pd.Series:
    """1 on won-in-period rows of new customers (see :func:`is_new_customer`)."""
    return pd.Series((_won_in_period(sales, period) & is_new_customer(sales, period))
                     .astype(float), index=sales.index)


def _new_customer_weight(sales: KpiTable, period: Period) -> pd.Series:
    """1 / (rows of the customer flagged new) on flagged rows: sums to the number of
    distinct new customers (a customer with any row flagged new counts once)."""
    key = customer_key(sales)
    return _per_row_share(key, equals_number(sales["new_customer_flag"], 1) & (key >= 0),
                          sales.index)


def _cycle_days(sales: KpiTable, period: Period) -> pd.Series:
    """Won date − created date on won rows having both; empty elsewhere."""
    days = days_between(sales["_date"], sales["_created"])
    return pd.Series(np.where(won_rows(sales), days, np.nan), index=sales.index)


def _weighted_amount(sales: KpiTable, period: Period) -> pd.Series:
    """Open rows: amount × probability; else 0. The stage default stands in for a
    probability that is empty or no fraction of 0–1 (50 typed for 50 %, which validation
    flags as above 100 %), as for an unreadable one: never 50 times the amount."""
    codes, uniques = sales.codes("stage")
    probability = floats(sales["probability"])
    with np.errstate(invalid="ignore"):
        usable = (probability >= 0) & (probability <= 1)  # NaN: False
    probability = np.where(usable, probability, mapped(codes, uniques, STAGE_PROBABILITY))
    amount = floats(sales["amount"])
    weighted = np.where(np.isnan(amount), 0.0, amount) * probability
    weighted = np.where(is_in(codes, uniques, OPEN_STAGES), weighted, 0.0)
    return pd.Series(np.where(np.isnan(weighted), 0.0, weighted), index=sales.index)


def _previous_customer_weight(sales: KpiTable, period: Period, retained: bool) -> pd.Series:
    """1 / (won rows of the customer last period) on last period's won rows of customers
    that are (``retained``) or are not won again this period: sums to a customer count."""
    key = customer_key(sales)
    previous = _bool(_won_in_period(sales, period, "previous")) & (key >= 0)
    now = _bool(_won_in_period(sales, period)) & (key >= 0)
    won_now = np.zeros(int(key.max()) + 1 if len(key) else 0, dtype=bool)
    won_now[key[now]] = True
    again = np.zeros(len(key), dtype=bool)
    again[key >= 0] = won_now[key[key >= 0]]
    share = _share(key, previous)
    return pd.Series(np.where(again if retained else ~again, share, 0.0), index=sales.index)


def _churn_weight(sales: KpiTable, period: Period) -> pd.Series:
    return _previous_customer_weight(sales, period, retained=False)


def _retained_weight(sales: KpiTable, period: Period) -> pd.Series:
    """Last period's won customers counted once (1 / their rows then), less the churned:
    whoever is not churned is retained (reads ``churn_weight``, a prerequisite)."""
    key = customer_key(sales)
    previous = _bool(_won_in_period(sales, period, "previous")) & (key >= 0)
    churned = np.where(previous, floats(sales["churn_weight"]), 0.0)
    return pd.Series(_share(key, previous) - churned, index=sales.index)


def _baseline_value(sales: KpiTable, period: Period) -> pd.Series:
    """Won-in-period rows valued at the product's previous-period average price
    (amount ÷ quantity over last period's won rows that have a quantity); the row's
    amount when the product, the quantity or the previous price is missing."""
    product = (sales["_product"] if "_product" in sales
               else _identity(sales["product"])).to_numpy(dtype=np.int64)
    quantity, amount = floats(sales["quantity"]), floats(sales["amount"])
    amount = np.where(np.isnan(amount), 0.0, amount)
    with np.errstate(invalid="ignore"):  # a row without a quantity has no price
        previous = _bool(_won_in_period(sales, period, "previous")) & (product >= 0) & (
            quantity > 0)
    size = int(product.max()) + 1 if len(product) else 0
    counted = quantity[previous]
    q = np.bincount(product[previous], np.where(np.isnan(counted), 0.0, counted), size)
    a = np.bincount(product[previous], amount[previous], size)
    with np.errstate(divide="ignore", invalid="ignore"):
        price_of = np.where(q > 0, a / q, np.nan)  # last period's average price
    price = np.full(len(product), np.nan)
    price[product >= 0] = price_of[product[product >= 0]]
    at_previous = quantity * price
    value = np.where((quantity > 0) & ~np.isnan(at_previous), at_previous, amount)
    return pd.Series(np.where(_won_in_period(sales, period), value, 0.0), index=sales.index)


#: pandas counterparts of the spec's calculated columns (table, column key) → function
CALCULATED: dict[tuple[str, str], Callable[[KpiTable, Period], pd.Series]] = {
    ("Sales", "customer_weight"): _customer_weight,
    ("Sales", "new_customer_flag"): _new_customer_flag,
    ("Sales", "new_customer_weight"): _new_customer_weight,
    ("Sales", "cycle_days"): _cycle_days,
    ("Sales", "weighted_amount"): _weighted_amount,
    ("Sales", "churn_weight"): _churn_weight,
    ("Sales", "retained_weight"): _retained_weight,
    ("Sales", "baseline_value"): _baseline_value,
}
#: Calculated columns that read other calculated columns: those are computed first.
PREREQUISITES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Sales", "new_customer_weight"): ("new_customer_flag",),
    ("Sales", "retained_weight"): ("churn_weight",),
}
#: Calculated columns kept as they are within a group: the new-customer flag keeps the
#: whole team's history (a customer new to the team is new to the rep too), and row-local
#: columns do not depend on other rows; the others are recomputed on the group's rows.
WHOLE_HISTORY = {("Sales", "new_customer_flag"), ("Sales", "cycle_days"),
                 ("Sales", "weighted_amount")}
#: Calculated columns that do not depend on the period (nor on other rows): computed
#: once for all the periods a caller asks.
PERIOD_FREE = frozenset({("Sales", "cycle_days"), ("Sales", "weighted_amount")})
#: By member, each member is computed as its own book: a customer new to the member is
#: new in its figures even when another member won it before; row-local columns as they are.
ROW_LOCAL = WHOLE_HISTORY - {("Sales", "new_customer_flag")}
#: The folded names (table, column: ``_customer``, ``_product``) each calculated column
#: reads: the KPI engine folds only those of the columns it computes.
IDENTITY_READ: dict[tuple[str, str], tuple[str, str]] = {
    **{("Sales", k): ("Sales", "customer") for k in (
        "customer_weight", "new_customer_flag", "new_customer_weight", "churn_weight",
        "retained_weight")},
    ("Sales", "baseline_value"): ("Sales", "product"),
}
