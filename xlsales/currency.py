"""Which currency a workbook is kept in, and whether an amount's mark names another.

The workbook's currency is its basic information's ``currency`` field (CNY unless
``xlsales new --currency`` set another). Both the CRM import
(:mod:`xlsales.import_currency`) and the validation of typed cells
(:mod:`xlsales.validation.currency`) compare an amount's currency mark
(:func:`~xlsales.parse_numbers.currency_of`) with it here; neither ever converts an amount.
Roll-ups compare their members' currencies, and the export names each book's, by
:func:`currency_code`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from xlsales.iso_codes import ISO_CODES as ISO_CODES  # long imported from here
from xlsales.parse_numbers import CURRENCY_MARKS, currency_of
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import MONEY_UNIT
from xlsales.values import is_blank

_CODE = re.compile(r"^[A-Za-z]{3}$")


def unknown_code(text: str) -> tuple[str, list[str]] | None:
    """``text`` (upper case) and the known codes it may be a typo of, when it is written
    as a currency code (three letters) that ISO 4217 does not have; None otherwise."""
    import difflib

    code = text.strip().upper()
    if not _CODE.match(code) or code in ISO_CODES or CURRENCY_MARKS.get(code.lower()):
        return None  # RMB, NTD: what people write for CNY, TWD
    near = difflib.get_close_matches(code, sorted(ISO_CODES), n=3, cutoff=0.6)
    return code, sorted(near, key=lambda c: (sorted(c) != sorted(code), near.index(c)))
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
    its amounts are in (see :func:`own_currencies`)."""
    return own_currencies(info.get(CURRENCY_FIELD))


def own_currencies(value: object) -> frozenset[str] | None:
    """The currencies of a workbook whose currency field holds ``value``: those it names,
    :data:`DEFAULT_CURRENCY` when it is empty (as roll-ups and plans take it), None when
    it names none (text that is no currency)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return frozenset({DEFAULT_CURRENCY})
    return book_currencies(value)


#: The currency of a workbook whose basic information names none (a book made before
#: it had the field): what ``xlsales new`` writes unless given ``--currency``.
DEFAULT_CURRENCY = str(next(c for c in SPEC.table("Info").form_fields
                            if c.key == CURRENCY_FIELD).default)


def currency_code(value: object) -> str:
    """A workbook's currency as roll-ups compare it and the export gives it, from its
    basic information's currency field ``value``: the ISO code it names (``CNY``,
    ``rmb``, ``人民币``: ``CNY``), the text as typed when it names no one currency
    (``元``: the yuan, the New Taiwan or the Hong Kong dollar), :data:`DEFAULT_CURRENCY`
    when empty."""
    codes = book_currencies(value)
    if codes is not None and len(codes) == 1:
        return next(iter(codes))
    text = "" if value is None else str(value).strip()
    return text or DEFAULT_CURRENCY


def names_other_currency(marked: frozenset[str], own: frozenset[str] | None) -> bool:
    """Whether an amount whose mark may stand for ``marked`` (ISO codes) cannot be in the
    workbook's currency ``own`` (:func:`book_currencies`); always when ``own`` is None
    (the workbook names none)."""
    return own is None or own.isdisjoint(marked)


def currency_name(currencies: frozenset[str]) -> str:
    """Currencies as a message names them: ``TWD``, ``CNY/JPY`` for ``¥``."""
    return "/".join(sorted(currencies))


def money_unit(currency: object, lang: Lang) -> str:
    """How amounts in a workbook whose currency field holds ``currency`` are labelled:
    by its ISO code (``CNY``, ``hkd``, ``港币``, ``人民币``; CNY when empty), the yuan in a
    zh book ``元``; a currency named by no one code (``新加坡元``, ``¥``: the yuan or the
    yen) as typed."""
    if is_blank(currency) or not str(currency).strip():
        return MONEY_UNIT.get(lang)
    codes = book_currencies(currency) or frozenset()
    if len(codes) != 1:
        return str(currency).strip()
    code = next(iter(codes))
    return MONEY_UNIT.get(lang) if code == "CNY" else code
