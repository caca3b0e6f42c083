"""What members of a roll-up share (:func:`shared_orders`, :func:`shared_reps`), what of
it counts twice (:func:`counted_twice`: one rep's workbook rolled up into two members,
told from two namesakes numbering their own orders alike by the customers), and the
ranking sheet's notes on it (:func:`overlap_notes`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from xlsales.rollup_copies import order_hashes, orders_of, shared_keys
from xlsales.rollup_member import Member, order_keys
from xlsales.spec import Lang
from xlsales.values import fold, is_blank


def shared_orders(members: Sequence[Member]) -> dict[object, list[str]]:
    """The sales orders in more than one of ``members`` (one CRM gives every order one
    id: an order in two reps' workbooks is counted for both), each with the names of the
    members holding it. Found by the members' :attr:`~Member.order_keys`; only members
    holding such an order are opened."""
    twice = shared_keys(members)
    if not len(twice):
        return {}
    wanted = set(twice.tolist())
    out: dict[object, list[str]] = {}
    for m in members:
        if np.isin(order_hashes(m), twice).any():
            orders = list(orders_of(m))
            for order, key in zip(orders, order_keys(orders).tolist(), strict=True):
                if key in wanted:
                    out.setdefault(order, []).append(m.name)
    return {order: names for order, names in out.items() if len(names) > 1}


def counted_twice(members: Sequence[Member], shared: Mapping[object, list[str]]
                  ) -> dict[tuple[str, tuple[str, ...]], list[object]]:
    """Of the ``shared`` orders (:func:`shared_orders`), those one rep holds in more than
    one of ``members`` with the same customer (one rep's workbook rolled up into two
    teams: counted twice, not a deal two reps share, nor two namesakes in two teams
    numbering their own orders 1, 2, 3 for other customers), by rep and the files of the
    members holding them. Names are compared as COUNTIFS compares them (trimmed, any
    case)."""
    if not shared:
        return {}
    names = {n for held in shared.values() for n in held}
    held: dict[tuple[object, str, str], list[str]] = {}
    for m in members:
        sales = m.compact("Sales") if m.name in names else None
        if sales is None or "rep" not in sales.columns or "order_id" not in sales.columns:
            continue
        customers = (sales.column("customer") if "customer" in sales.columns
                     else [None] * sales.length)
        deals = dict.fromkeys((o, str(r), fold(c) if not is_blank(c) else "")
                              for o, r, c in zip(sales.column("order_id"), sales.column("rep"),
                                                 customers, strict=True)
                              if o in shared and not is_blank(r))
        for deal in deals:
            held.setdefault(deal, []).append(m.label)
    out: dict[tuple[str, tuple[str, ...]], list[object]] = {}
    for (order, rep, _), files in held.items():
        if len(files) > 1:
            orders = out.setdefault((rep, tuple(files)), [])
            if order not in orders:
                orders.append(order)
    return out


def shared_reps(members: Sequence[Member], own: Mapping[str, str] | None = None,
                fixed: Collection[str] = ()) -> dict[str, list[str]]:
    """The reps named in the sales rows of more than one of ``members``, each with those
    members' names: one person who moved or two people who share a name (王伟 is
    common); figures by rep list such a name once per member. A rep with a book of
    their own among them (``own``: :func:`~xlsales.rollup_own_reps.own_books`) is one
    person, whose rows a manager's book holds too — but not a roll-up's (of ``fixed``):
    its 张伟 is another person, listed beside the own book's."""
    held: dict[str, list[str]] = {}
    for m in members:
        for rep in dict.fromkeys(m.reps):
            own_book = (own or {}).get(rep.strip())
            name = own_book if own_book is not None and m.name not in fixed else m.name
            if name not in held.setdefault(rep, []):
                held[rep].append(name)
    return {rep: names for rep, names in held.items() if len(names) > 1}


def overlap_notes(orders: Mapping[object, list[str]], reps: Mapping[str, list[str]],
                   lang: Lang) -> dict[str, str]:
    """Member name → a note for the ranking sheet on what it shares with other members:
    orders (counted for each) and rep names (apart by member in figures by rep)."""
    zh = lang == "zh"

    def pairs(found: Mapping[Any, list[str]]) -> dict[tuple[str, str], list[Any]]:
        out: dict[tuple[str, str], list[Any]] = {}
        for key, names in found.items():
            for name in names:
                for other in names:
                    if other != name:
                        out.setdefault((name, other), []).append(key)
        return out

    notes: dict[str, list[str]] = {}
    for (name, other), shared in pairs(orders).items():
        n = len(shared)
        notes.setdefault(name, []).append(
            f"{n} 个订单也在 {other} 的工作簿中" if zh
            else f"{n:,} {'order' if n == 1 else 'orders'} also in {other}'s workbook")
    for (name, other), who in pairs(reps).items():
        notes.setdefault(name, []).append(
            f"销售人员 {'、'.join(who)} 也出现在 {other} 的工作簿中" if zh
            else f"rep {', '.join(who)} also in {other}'s workbook")
    return {name: ("；" if zh else "; ").join(parts) for name, parts in notes.items()}
