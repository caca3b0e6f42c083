"""Which of the order ids two workbooks share are the same deals (:func:`same_deals`),
and whether two workbooks are about the same deals at all (:func:`mostly_same_deals`).

Reps who number their own orders 1, 2, 3 … give different deals the same ids: two 张伟
in two teams, both with orders 1, 2, 3, are two people, not one book and its older
version. An order id in two workbooks is the same deal only when its rows name the same
customer and rep there too, each compared as COUNTIFS compares names (trimmed, any case:
:func:`~xlsales.values.fold`); an amount, a date or a stage may differ (a correction). A
workbook is a copy or a version of another, or held by a roll-up, only when most of the
order ids they share are the same deals: a corrected customer name here and there still
leaves a version a version."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from xlsales.rollup_frames import CompactFrame, coded
from xlsales.rollup_member import Member, order_keys
from xlsales.rollup_rank import member_column
from xlsales.values import fold

_EMPTY = np.empty(0, dtype=np.uint64)


@dataclass(frozen=True)
class Deals:
    """The deals of some sales rows, hashed (compared across workbooks without building
    a value per row): each distinct (order id, customer, rep) of the rows, sorted, with
    the hash of its order id (:func:`~xlsales.rollup_member.order_keys`) beside it."""

    marks: np.ndarray = field(default_factory=lambda: _EMPTY)
    orders: np.ndarray = field(default_factory=lambda: _EMPTY)

    @property
    def order_ids(self) -> np.ndarray:
        """The hashes of its distinct order ids."""
        return _distinct(self.orders)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct ``values``, sorted (``np.unique`` by sorting: numpy's own is many
    times slower on hashes)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) \
        else ordered


def _among(values: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is one of ``distinct`` (sorted, as :class:`Deals` keeps
    its marks): ``np.isin`` by a binary search."""
    if not len(distinct):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(distinct, values), len(distinct) - 1)
    return distinct[at] == values


def _folded(names: list[object]) -> np.ndarray:
    """A hash of each of ``names`` folded as COUNTIFS compares (trimmed, any case), and
    of an empty cell (code -1) last."""
    return pd.util.hash_array(np.array([*(fold(n) for n in names), ""], dtype=object),
                              categorize=False)


def _row_marks(part: CompactFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's deal (its order id, customer and rep hashed together) and its order
    id's hash; rows without an order id are left out of both (the mask is the third)."""
    ids, orders = coded(part, "order_id")
    customers, customer_names = coded(part, "customer")
    reps, rep_names = coded(part, "rep")
    order = np.append(order_keys(orders), np.uint64(0))[ids]
    with np.errstate(over="ignore"):
        marks = (order * np.uint64(1_000_003) ^ _folded(customer_names)[customers]) \
            * np.uint64(1_000_003) ^ _folded(rep_names)[reps]
    has_id = ids >= 0
    return marks[has_id], order[has_id], has_id


def _deals(marks: np.ndarray, orders: np.ndarray) -> Deals:
    """The distinct ``marks`` with their orders' hashes."""
    order = np.argsort(marks, kind="stable")
    marks, orders = marks[order], orders[order]
    first = np.concatenate(([True], marks[1:] != marks[:-1])) if len(marks) else \
        np.zeros(0, dtype=bool)
    return Deals(marks[first], orders[first])


def deals_in(part: CompactFrame) -> Deals:
    """The deals of ``part``'s sales rows: each order id with the customer and rep of
    each of its rows (rows without an id are no deal)."""
    if "order_id" not in part.columns:
        return Deals()
    marks, orders, _ = _row_marks(part)
    return _deals(marks, orders)


def deals_of(member: Member) -> Deals:
    """A member's deals (:func:`deals_in` of its sales rows)."""
    sales = member.compact("Sales")
    return Deals() if sales is None else deals_in(sales)


def deals_by_member(rollup: Member, names: set[str]) -> dict[str, Deals]:
    """A roll-up member's deals by the member of its own whose rows hold them, for those
    of its members named in ``names``."""
    sales = rollup.compact("Sales")
    column = member_column(list(sales.columns)) if sales is not None else None
    if sales is None or column is None or "order_id" not in sales.columns:
        return {}
    who_codes, who = coded(sales, column)
    wanted = {code: str(name) for code, name in enumerate(who) if str(name) in names}
    if not wanted:
        return {}
    marks, orders, has_id = _row_marks(sales)
    who_codes = who_codes[has_id]
    return {name: _deals(marks[who_codes == code], orders[who_codes == code])
            for code, name in wanted.items()}


def deal_rows(part: CompactFrame, deals: Deals) -> np.ndarray:
    """Whether each of ``part``'s rows is one of ``deals`` (its order id with the same
    customer and rep): the rows of a roll-up that are a member's, among other members'
    orders numbered alike."""
    rows = np.zeros(part.length, dtype=bool)
    if "order_id" not in part.columns or not len(deals.marks):
        return rows
    marks, _, has_id = _row_marks(part)
    rows[has_id] = _among(marks, deals.marks)
    return rows


def same_deals(mine: Deals, theirs: Deals) -> int:
    """How many of the order ids in both ``mine`` and ``theirs`` are the same deal
    there: a customer and rep in common."""
    common = _among(mine.marks, theirs.marks)
    return len(_distinct(mine.orders[common]))


def mostly_same_deals(mine: Deals, theirs: Deals) -> bool:
    """Whether ``mine`` and ``theirs`` share order ids and most of those are the same
    deals (:func:`same_deals`): one book and its copy or version (amounts corrected, an
    order added, a customer's name put right), not two reps numbering their own orders
    1, 2, 3 (other customers)."""
    shared = len(np.intersect1d(mine.order_ids, theirs.order_ids, assume_unique=True))
    return bool(shared) and 2 * same_deals(mine, theirs) > shared


def orders_held(rollup: Member, name: str) -> set[object]:
    """The order ids of a roll-up member's rows of its member ``name``."""
    sales = rollup.compact("Sales")
    column = member_column(list(sales.columns)) if sales is not None else None
    if sales is None or column is None or "order_id" not in sales.columns:
        return set()
    who_codes, who = coded(sales, column)
    code = next((i for i, n in enumerate(who) if str(n) == name), -2)
    order_codes, orders = coded(sales, "order_id")
    return {orders[c] for c in np.unique(order_codes[(who_codes == code) & (order_codes >= 0)])}
