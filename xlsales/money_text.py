"""Amounts as the drafted summary and the CLI say them: with the workbook's currency
(:func:`xlsales.currency.money_unit`), so that nobody has to guess what 1,559,730 counts.

English puts the code first (``SGD 1,559,730``), Chinese after the number
(``1,559,730 SGD``); the yuan of a Chinese book stays unmarked (``1,559,730``), as a
Chinese summary writes its own currency.
"""

from __future__ import annotations

from xlsales.spec import Lang
from xlsales.spec.declarations import MONEY_UNIT


def unmarked(money: str, lang: Lang) -> bool:
    """Whether amounts in ``money`` go without it in ``lang``: none given, or the yuan
    (元) in Chinese."""
    return not money or (lang == "zh" and money == MONEY_UNIT.zh)


def amount(value: float | int | None, money: str, lang: Lang, signed: bool = False) -> str:
    """``value`` rounded to a whole amount with thousands separators (``+``/``-`` with
    ``signed``), in ``money``: ``SGD 1,559,730`` (en), ``1,559,730 SGD`` (zh), bare for
    :func:`unmarked` money."""
    number = f"{value or 0:+,.0f}" if signed else f"{value or 0:,.0f}"
    if unmarked(money, lang):
        return number
    return f"{number} {money}" if lang == "zh" else f"{money} {number}"


def amounts_note(money: str, lang: Lang) -> str:
    """What the CLI says amounts are in: ``amounts in SGD``, ``金额单位：元``; empty without
    ``money``."""
    if not money:
        return ""
    return f"金额单位：{money}" if lang == "zh" else f"amounts in {money}"


def shown_unit(currency: object, lang: Lang) -> str | None:
    """The currency a workbook whose currency field holds ``currency`` shows after its
    amounts (``TWD``, ``HKD``): None for the yuan (CNY or empty), whose amounts keep the
    template's format (``¥`` in Chinese), as :func:`unmarked` leaves
    the yuan unmarked in Chinese text. A TWD book's amounts would otherwise show ``¥``."""
    from xlsales.currency import money_unit

    unit = money_unit(currency, lang)
    return None if unit == MONEY_UNIT.get(lang) else unit


def other_currency(value: object, own: frozenset[str] | None) -> tuple[str, str] | None:
    """The currency the mark of ``value`` (``1.234,50 €``) names and the workbook's
    (``own``: :func:`~xlsales.currency.own_currencies`), as messages name them
    (``("EUR", "CNY")``), when they differ; None when it names none or the workbook's."""
    from xlsales.currency import currency_name, names_other_currency
    from xlsales.parse_numbers import currency_of

    marked = currency_of(value)
    if marked is None or not names_other_currency(marked, own):
        return None
    return currency_name(marked), currency_name(own) if own else "?"
