"""``xlsales new --from BOOK --currency CODE``: a currency other than BOOK's is refused
while amounts are carried over.

The next workbook carries BOOK's sales rows and targets as typed: xlsales never converts
an amount. Naming another currency would label that history in it (CNY amounts shown as
USD), and the KPI sheet's month-on-month and year-on-year growth would compare the two.
Only a book with nothing of the kind to carry (no sales rows, no target holding an amount)
may start the next period in another currency.
"""

from __future__ import annotations

import pandas as pd

from xlsales.currency import DEFAULT_CURRENCY, currency_code
from xlsales.errors import UsageError
from xlsales.spec import SPEC
from xlsales.spec.model import ColumnType
from xlsales.values import is_blank
from xlsales.workbook_data import WorkbookData

#: The currency field of a Chinese book written as the bare yuan sign: the book's CNY
_YUAN = ("元", "圆")


def book_code(value: object) -> str:
    """The currency code of a book whose currency field holds ``value``, as
    :func:`~xlsales.currency.currency_code` derives it, a bare ``元`` being CNY."""
    if isinstance(value, str) and value.strip() in _YUAN:
        return DEFAULT_CURRENCY
    return currency_code(value)


def _has_amount(value: object) -> bool:
    """Whether a money cell holds an amount: anything but blank or 0 (``一百`` as typed
    is one)."""
    if is_blank(value):
        return False
    return not (isinstance(value, int | float) and value == 0)


def amount_rows(frame: pd.DataFrame, table: str) -> int:
    """How many rows of ``frame`` (table ``table``) hold an amount in a money column."""
    keys = [c.key for c in SPEC.table(table).columns
            if c.type is ColumnType.MONEY and c.key in frame.columns]
    if frame.empty or not keys:
        return 0
    return int(frame[keys].map(_has_amount).any(axis=1).sum())


def check_carried_currency(book_name: str, book_currency: object, given: str,
                           data: WorkbookData) -> None:
    """Refuse ``--currency given`` with ``--from`` when it is not the currency of BOOK
    (whose currency field holds ``book_currency``) and the next workbook ``data`` carries
    sales rows or targets holding an amount; the same currency is accepted."""
    own, code = book_code(book_currency), given.strip().upper()
    if code == own:
        return
    sales = len(data.tables.get("Sales", []))
    targets = amount_rows(data.tables.get("Targets", pd.DataFrame()), "Targets")
    if not sales and not targets:
        return  # no amount carried: nothing would be labelled in the wrong currency
    raise UsageError(
        f"{book_name} 的金额是 {own}，新工作簿不能用 --currency 改为 {code}：它按原样延续 "
        f"{sales:,} 行历史销售记录和 {targets:,} 行目标，金额从不换算，{own} 的历史会被标成 "
        f"{code}，环比、同比增长也会拿 {code} 和 {own} 比较。请去掉 --currency，沿用 {own}；"
        f"或用 xlsales new --currency {code} 新建工作簿，再把换算成 {code} 的历史导入"
        "（xlsales import）。",
        f"{book_name} keeps its amounts in {own}; --currency cannot make the new workbook "
        f"{code}: it carries {sales:,} sales rows of history and {targets:,} target "
        f"row{'' if targets == 1 else 's'} as typed, never converted, so history in {own} "
        f"would be labelled {code} and month-on-month and year-on-year growth would "
        f"compare {code} with {own}. Leave out --currency to keep {own}, or make a fresh "
        f"workbook with `xlsales new --currency {code}` and import the history "
        f"converted to {code} (`xlsales import`).",
    )
