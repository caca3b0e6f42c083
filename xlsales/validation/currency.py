"""Typed amounts whose currency mark names another currency than the workbook's.

The reader repairs ``US$500`` typed in a money column to 500 and reports the dropped
mark as an info finding (``converted``). When the mark cannot name the workbook's
currency (its basic information's, :mod:`xlsales.currency`), the KPIs would add dollars
to yuan: that finding becomes an error (``currency_mismatch``; ``currency_not_named``
when the workbook names no currency) saying to convert the amount, which xlsales never
does. ``$`` names no currency, ``¥`` the yuan or the yen, ``元`` the yuan, the New Taiwan
or the Hong Kong dollar: each agrees with any of them and stays an info finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from xlsales.currency import (
    CURRENCY_FIELD,
    book_currency,
    currency_name,
    names_other_currency,
)
from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadWorkbook
from xlsales.money_text import other_currency
from xlsales.parse_numbers import currency_of, decimal_comma
from xlsales.rules_cells import DECIMAL_COMMA_CURRENCY
from xlsales.spec import SPEC, Column, ColumnType, WorkbookSpec


def _money_columns(spec: WorkbookSpec) -> dict[tuple[str, str], Column]:
    """(table name, column key) → column, of every money column of ``spec``'s tables."""
    return {(t.name, c.key): c for sheet in spec.sheets for t in sheet.tables
            for c in t.columns if c.type is ColumnType.MONEY}


def currency_findings(book: ReadWorkbook, findings: Iterable[Finding],
                      spec: WorkbookSpec = SPEC) -> list[Finding]:
    """``findings`` with each ``converted`` finding of a money column whose value, as
    typed, is marked with a currency other than ``book``'s replaced by an error at the
    same cell; every other finding as it is."""
    own = book_currency(book.info)
    info = spec.sheet("info").name.get(book.lang)
    field = next(c for c in spec.table("Info").form_fields if c.key == CURRENCY_FIELD)
    money = _money_columns(spec)
    out: list[Finding] = []
    for f in findings:
        if f.rule == "decimal_comma" and (f.table or "", f.column or "") in money and (
                names := other_currency(f.value, own)) is not None:  # 1.234,50 € in CNY
            words = {"label": money[(f.table or "", f.column or "")].label.get(book.lang),
                     "value": f.value, "meant": decimal_comma(f.value), "marked": names[0],
                     "book": names[1]}
            zh, en = DECIMAL_COMMA_CURRENCY
            out.append(replace(f, message_zh=zh.format(**words),
                               message_en=en.format(**words)))
            continue
        if not in_other_currency(book, f, spec):
            out.append(f)
            continue
        column = money[(f.table or "", f.column or "")]
        marked = currency_of(f.value)
        out.append(finding(
            "currency_mismatch" if own else "currency_not_named", sheet=f.sheet,
            cell=f.cell, row=f.row, column=f.column, value=f.value, table=f.table,
            label=column.label.get(book.lang), marked=currency_name(marked),
            book=currency_name(own) if own else "", info_sheet=info,
            field=field.label.get(book.lang)))
    return out


def in_other_currency(book: ReadWorkbook, f: Finding, spec: WorkbookSpec = SPEC) -> bool:
    """Whether ``f`` is the reader's repair of an amount typed with a mark naming another
    currency than ``book``'s (``US$15,000`` in an SGD book): an error to convert, never
    a number to retype as it stands."""
    if f.rule != "converted" or (f.table or "", f.column or "") not in _money_columns(spec):
        return False
    marked = currency_of(f.value)
    return marked is not None and names_other_currency(marked, book_currency(book.info))
