"""The unit a plan target in money is written in: the workbook's currency."""

from __future__ import annotations

from xlsales.currency import book_currencies
from xlsales.spec import Lang
from xlsales.spec.declarations import MONEY_UNIT
from xlsales.values import is_blank


def money_unit(currency: object, lang: Lang) -> str:
    """The workbook's currency (its basic information's ``currency``: ``CNY``, ``hkd``,
    ``港币``, ``人民币``; CNY when empty) by its ISO code, the yuan in a zh book ``元``;
    a currency named by no one code (``新加坡元``, ``¥``: the yuan or the yen) as typed."""
    if is_blank(currency) or not str(currency).strip():
        return MONEY_UNIT.get(lang)
    codes = book_currencies(currency) or frozenset()
    if len(codes) != 1:
        return str(currency).strip()
    code = next(iter(codes))
    return MONEY_UNIT.get(lang) if code == "CNY" else code
