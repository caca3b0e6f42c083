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

import numpy as np

from xlsales.rollup_frames import CompactFrame, coded
from xlsales.rollup_member import Member
from xlsales.rollup_rank import member_column
from xlsales.values import fold

#: Order id → the (customer, rep) pairs its rows name, each folded as COUNTIFS compares.
Deals = dict[object, frozenset[tuple[str, str]]]


def _triples(part: CompactFrame) -> tuple[np.ndarray, np.ndarray, list[object],
                                          list[str], list[str]]:
    """The distinct (order, customer, rep) codes of ``part``'s rows, each row's index
    into them, and the order ids, folded customers and folded reps the codes stand for
    (code -1, an empty cell, is the last entry of the names: '')."""
    ids, orders = coded(part, "order_id")
    customers, customer_names = coded(part, "customer")
    reps, rep_names = coded(part, "rep")
    stack = np.stack([ids, customers, reps], axis=1).astype(np.int64)
    triples, inverse = np.unique(stack, axis=0, return_inverse=True) if len(stack) else (
        np.empty((0, 3), dtype=np.int64), np.empty(0, dtype=np.int64))
    return (triples, np.asarray(inverse).ravel(), orders,
            [*(fold(c) for c in customer_names), ""], [*(fold(r) for r in rep_names), ""])


def deals_in(part: CompactFrame, rows: np.ndarray | None = None) -> Deals:
    """The deals of ``part``'s sales rows (those where ``rows`` is true): each order id
    with the customers and reps its rows name (rows without an id are no deal)."""
    if "order_id" not in part.columns:
        return {}
    triples, inverse, orders, customers, reps = _triples(part)
    wanted = np.ones(len(triples), dtype=bool) if rows is None else np.zeros(
        len(triples), dtype=bool)
    if rows is not None:
        wanted[np.unique(inverse[rows])] = True
    out: dict[object, set[tuple[str, str]]] = {}
    for (order, customer, rep), keep in zip(triples.tolist(), wanted.tolist(), strict=True):
        if keep and order >= 0:
            out.setdefault(orders[order], set()).add((customers[customer], reps[rep]))
    return {order: frozenset(pairs) for order, pairs in out.items()}


def deals_of(member: Member) -> Deals:
    """A member's deals (:func:`deals_in` of its sales rows)."""
    sales = member.compact("Sales")
    return {} if sales is None else deals_in(sales)


def deals_by_member(rollup: Member, names: set[str]) -> dict[str, Deals]:
    """A roll-up member's deals by the member of its own whose rows hold them, for those
    of its members named in ``names``."""
    sales = rollup.compact("Sales")
    column = member_column(list(sales.columns)) if sales is not None else None
    if sales is None or column is None or "order_id" not in sales.columns:
        return {}
    who_codes, who = coded(sales, column)
    return {str(name): deals_in(sales, who_codes == code)
            for code, name in enumerate(who) if str(name) in names}


def deal_rows(part: CompactFrame, deals: Deals) -> np.ndarray:
    """Whether each of ``part``'s rows is one of ``deals`` (its order id with the same
    customer and rep): the rows of a roll-up that are a member's, among other members'
    orders numbered alike."""
    if "order_id" not in part.columns or not deals:
        return np.zeros(part.length, dtype=bool)
    triples, inverse, orders, customers, reps = _triples(part)
    found = np.array([order >= 0 and (customers[customer], reps[rep]) in deals.get(
        orders[order], ()) for order, customer, rep in triples.tolist()], dtype=bool)
    return found[inverse] if len(found) else np.zeros(part.length, dtype=bool)


def same_deals(mine: Deals, theirs: Deals) -> set[object]:
    """The order ids in both ``mine`` and ``theirs`` that are the same deal there: a
    customer and rep in common."""
    return {order for order in mine.keys() & theirs.keys() if mine[order] & theirs[order]}


def mostly_same_deals(mine: Deals, theirs: Deals) -> bool:
    """Whether ``mine`` and ``theirs`` share order ids and most of those are the same
    deals (:func:`same_deals`): one book and its copy or version (amounts corrected, an
    order added, a customer's name put right), not two reps numbering their own orders
    1, 2, 3 (other customers)."""
    shared = len(mine.keys() & theirs.keys())
    return bool(shared) and 2 * len(same_deals(mine, theirs)) > shared
