"""Whether two members' sales rows are the very same (:func:`same_sales_rows`): what makes
a workbook saved under another owner's name a copy, rather than another rep's book whose
order ids happen to be the same ones (reps who number their own orders 1, 2, 3 …)."""

from __future__ import annotations

from xlsales.rollup_member import Member, content_key


def _sales_key(member: Member) -> str:
    """The fingerprint of a member's sales rows (:func:`content_key` of its Sales table
    alone; an empty one for a book without it)."""
    sales = member.compact("Sales")
    return content_key({"Sales": sales} if sales is not None else {})


def same_sales_rows(member: Member, other: Member) -> bool:
    """Whether ``member`` and ``other`` hold the very same sales rows, value for value
    (the typed columns, in any order): the same book under two owners' names, not two
    reps who gave their own orders the same numbers."""
    return _sales_key(member) == _sales_key(other)
