"""Whether an export writes its numbers with a decimal comma, as European CRMs and
locales do (``1.234,50 €``, ``999,99``): one way for the whole file.

A number such as ``999,99`` or ``1.234,50`` can only be written with a decimal comma,
``1,234.50`` or ``999.99`` only with a decimal point, and ``12,000`` is no amount written
with a decimal comma (12 to three decimals): one stray ``12,00`` among them does not turn
12,000 into 12. ``1.234`` may be either. When the
export's number columns (those mapped to a number, amount or percent field) hold a number
only a decimal comma writes and none only a decimal point writes, every number of those
columns is read so (``1.234`` is 1,234, ``1,5`` is 1.5) and the report says it, with an
example; else they are read as before (a comma between thousands), and a decimal-comma
number left unread is flagged, as validation flags one typed (``decimal_comma``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from xlsales.parse_numbers import decimal_mark
from xlsales.spec import ColumnType, Table

if TYPE_CHECKING:
    import pandas as pd

#: The field types whose export columns are read with the export's decimal mark.
NUMBER_TYPES = (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.INTEGER, ColumnType.PERCENT)


class CommaDecimals(NamedTuple):
    """What says an export writes a decimal comma: a column and one of its values."""

    header: str
    value: str


def comma_decimals(source: pd.DataFrame, mapping: Mapping[str, str],
                   table: Table) -> CommaDecimals | None:
    """The first value of the export ``source`` proving it writes its numbers with a
    decimal comma, and its column (of those ``mapping`` maps to a number field of
    ``table``); None when none does, or when another proves a decimal point (the file
    then says neither, and nothing is read otherwise than before)."""
    found: CommaDecimals | None = None
    for key, header in mapping.items():
        if table.column(key).type not in NUMBER_TYPES:
            continue
        for value in source[header].tolist():
            if not isinstance(value, str) or ("," not in value and "." not in value):
                continue  # 1200, a number cell: says neither (and quick to pass over)
            mark = decimal_mark(value)
            if mark == ".":
                return None
            if mark == "," and found is None:
                found = CommaDecimals(str(header), str(value).strip())
    return found
