"""Imported amounts in another currency than the workbook's, written with that currency.

An export's row whose amount is in US dollars (``US$15,000``, or ``15000`` beside
``Amount Currency`` ``USD``) must not become a plain 15000 in an SGD workbook: nothing
in the workbook would say it is dollars, validation would find nothing and the KPIs would
add it to SGD revenue. So its cell gets the number with its currency (``15,000 USD``):
validation reads it as an amount typed with another currency's mark, the error
``currency_mismatch`` at its cell saying to convert it and type the number, and the
workbook's KPI sheet leaves the text out — as for an amount a rep typed so
(:mod:`xlsales.validation.currency`). Amounts in the workbook's currency, or whose
currency is said by no mark (``$``) or column, stay numbers. No rate is ever applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import TYPE_CHECKING

from xlsales.import_currency import Marked
from xlsales.parse_numbers import CURRENCY_MARKS, currency_of

if TYPE_CHECKING:
    import pandas as pd


def _amount(number: float) -> str:
    """``number`` as the cell shows it: ``15,000``, ``1,234.5``."""
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,.15g}"


def _names(m: Marked) -> list[str]:
    """What may name ``m``'s currency in the cell, best first: its ISO code, the export's
    currency column value, a mark standing for the same currencies (``¥``)."""
    names = [next(iter(m.currencies))] if len(m.currencies) == 1 else []
    if m.named:
        names.append(m.named)
    names += [k for k, v in CURRENCY_MARKS.items() if v == m.currencies]
    return names


def marked_text(number: float, m: Marked) -> str:
    """The cell text of amount ``number`` in ``m``'s currency, as validation reads it back
    as that currency's amount: ``15,000 USD``, ``¥15,000``, ``15,000 CHF`` (any ISO 4217
    code is read as a mark); a value naming no currency (``Dollars`` in a currency column)
    is written beside the number all the same (``15,000 Dollars``): validation flags it
    as an amount it cannot read, never counted."""
    amount = _amount(number)
    for name in _names(m):
        text = f"{name}{amount}" if not name[-1:].isalpha() else f"{amount} {name}"
        if currency_of(text) == m.currencies:
            return text
    return f"{amount} {m.named or next(iter(sorted(m.currencies)))}"


def marked_cells(frame: pd.DataFrame, source_rows: Sequence[int],
                 other: Mapping[str, Sequence[Marked]]) -> dict[tuple[int, str], str]:
    """(export row, money field) → the text written for each amount of ``other``
    (:func:`~xlsales.import_currency.in_other_currency`) that ``frame`` (imported rows,
    from export rows ``source_rows``) holds as a number: :func:`marked_text`."""
    position = {row: i for i, row in enumerate(source_rows)}
    cells = {}
    for m in (m for amounts in other.values() for m in amounts):
        i = position.get(m.row)
        if i is None or m.field not in frame.columns:
            continue
        number = frame[m.field].iat[i]
        if isinstance(number, Real) and not isinstance(number, bool) and number == number:
            cells[(m.row, m.field)] = marked_text(float(number), m)
    return cells


def with_cells(frame: pd.DataFrame, source_rows: Sequence[int],
               cells: Mapping[tuple[int, str], str]) -> pd.DataFrame:
    """``frame`` with the values of :func:`marked_cells` ``cells`` in their rows; a copy
    when any, else ``frame`` itself."""
    if not cells:
        return frame
    position = {row: i for i, row in enumerate(source_rows)}
    frame = frame.copy()
    for key in dict.fromkeys(k for _, k in cells):  # each column once, not once a cell
        values = frame[key].to_numpy(dtype=object, copy=True)
        for (row, field), text in cells.items():
            if field == key:
                values[position[row]] = text
        frame[key] = values
    return frame
