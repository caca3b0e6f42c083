"""Workbooks an export sets aside because their rows would count twice, by the rule
``xlsales consolidate`` follows (:func:`~xlsales.rollup_copies.leave_out_duplicates`): a
copy of another (``李娜.xlsx`` and ``李娜 (1).xlsx``), the older of two versions of one
owner's workbook, a rep's book beside a roll-up that holds it. Each worker makes the
little the rule needs of its book (:func:`copy_key`); the main process applies it to the
books of each period apart (last month's and this month's books of one rep share the
orders still open: they are not two versions)."""

from __future__ import annotations

from collections.abc import Sequence

from xlsales.io.reader import ReadWorkbook
from xlsales.rollup_copies import leave_out_duplicates
from xlsales.rollup_frames import CompactFrame, Sealed, coded
from xlsales.rollup_member import MERGED_TABLES, Member, content_key, order_keys
from xlsales.rollup_naming import label_files
from xlsales.rollup_overlaps import shared_orders
from xlsales.rollup_within import with_chains
from xlsales.spec import SPEC


def copy_key(book: ReadWorkbook) -> Member:
    """What the rule needs of ``book`` (made in its worker): its owner and level, the
    hashes of its order ids, the fingerprint of its rows and, of its sales records, the
    order ids with the member each is of (a roll-up's)."""
    member = Member(book.path, str(book.info.get("owner") or book.path.stem), book.period,
                    book.lang, level=str(book.info.get("level") or ""))
    # a roll-up's column of the members below as consolidate reads a member's
    # (:func:`~xlsales.rollup_within.with_chains`): not compared, since the roll-up
    # holding it names them from its own member down
    frames = with_chains(book, {n: book.tables[n].frame for n in MERGED_TABLES
                                if n in book.tables})
    compact = {}
    for name, frame in frames.items():  # typed columns only, as consolidate compares them
        calculated = {c.key for c in SPEC.table(name).columns if not c.is_input}
        compact[name] = CompactFrame.of(frame, leave=calculated)
    member.content = content_key(compact)
    sales = compact.get("Sales")
    if sales is not None:
        member.order_keys = order_keys(coded(sales, "order_id")[1])
    # the typed rows themselves: beside a roll-up holding this owner, whether they are
    # the roll-up's rows value for value (held already) or another version (corrected
    # since: neither is right) is told by them, as consolidate tells it
    member.tables.update({n: Sealed.of(part) for n, part in compact.items()})  # 1/6 the size
    return member


def set_aside(keys: Sequence[Member]) -> list[Member]:
    """Those of ``keys`` that would count twice, each with its ``reason`` (and
    ``held_elsewhere`` when its rows are exported through another book), by
    consolidate's rule over the books of each period apart; in the order given."""
    label_files(keys)  # two books of one name in two folders: named with the folder
    by_period: dict[object, list[Member]] = {}
    for key in keys:
        by_period.setdefault(key.period, []).append(key)
    for books in by_period.values():
        if len(books) > 1:
            leave_out_duplicates(books)
    return [k for k in keys if k.reason is not None]


def shared_between(books: Sequence[tuple[Member, str]]) -> dict[object, list[str]]:
    """The sales orders in more than one of the ``books`` exported (each its
    :func:`copy_key` and its ``source_file``) of one period, each with those books: every
    one of them holds the order's rows, so a sum over the books counts it in each (a deal
    two reps share needs nothing; two books of one team's records, in two languages or
    one a copy with another owner, count everything twice), as consolidate says of its
    members."""
    by_period: dict[object, list[Member]] = {}
    for key, name in books:
        key.name = name
        by_period.setdefault(key.period, []).append(key)
    out: dict[object, list[str]] = {}
    for keys in by_period.values():
        if len(keys) > 1:
            for order, held in shared_orders(keys).items():
                out.setdefault(order, []).extend(held)
    return dict(sorted(out.items(), key=lambda item: str(item[0])))  # said in this order
