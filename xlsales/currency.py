"""Which currency a workbook is kept in, and whether an amount's mark names another.

The workbook's currency is its basic information's ``currency`` field (CNY unless
``xlsales new --currency`` set another). Both the CRM import
(:mod:`xlsales.import_currency`) and the validation of typed cells
(:mod:`xlsales.validation.currency`) compare an amount's currency mark
(:func:`~xlsales.normalise.currency_of`) with it here; neither ever converts an amount.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from xlsales.normalise import CURRENCY_MARKS, currency_of

_CODE = re.compile(r"^[A-Za-z]{3}$")
#: the basic-information field naming the workbook's currency
CURRENCY_FIELD = "currency"


def book_currencies(value: object) -> frozenset[str] | None:
    """The currencies the workbook's currency field names: ``CNY``, ``twd``, ``NT$``,
    ``新台幣``, ``人民币``; None when it is empty or names none."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    mark = CURRENCY_MARKS.get(text.lower())  # RMB is CNY, NTD is TWD
    if mark:
        return mark
    if _CODE.match(text):
        return frozenset({text.upper()})
    return currency_of(text)


def book_currency(info: Mapping[str, object]) -> frozenset[str] | None:
    """The currencies a workbook's basic information ``info`` (field key → value) says
    its amounts are in; None when it names none."""
    return book_currencies(info.get(CURRENCY_FIELD))


def names_other_currency(marked: frozenset[str], own: frozenset[str] | None) -> bool:
    """Whether an amount whose mark may stand for ``marked`` (ISO codes) cannot be in the
    workbook's currency ``own`` (:func:`book_currencies`); always when ``own`` is None
    (the workbook names none)."""
    return own is None or own.isdisjoint(marked)


def currency_name(currencies: frozenset[str]) -> str:
    """Currencies as a message names them: ``TWD``, ``CNY/JPY`` for ``¥``."""
    return "/".join(sorted(currencies))
