"""Cell addresses (A1 references, column letters), Excel's sheet limits and the XML of
one cell value, shared by the worksheets xlsales writes and the table rows it appends."""

from __future__ import annotations

import re
from datetime import date, datetime

from xlsales.io.xmltext import clean, esc_text

#: Excel's limits: rows and columns of a sheet.
MAX_ROWS = 1048576
MAX_COLS = 16384
_MAX_CELL_CHARS = 32767

#: An A1 reference of one cell (``$`` anchors allowed); groups: column letters, row.
CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$")

_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_EPOCH = datetime(1899, 12, 30)


def col_letter(index: int) -> str:
    """Column letters of a 1-based column index: 1 → A, 28 → AB."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """1-based column index of column letters: A → 1, AB → 28."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def excel_serial(value: date) -> float | None:
    """Excel serial number of a date or datetime (1900 system), None before 1900."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        serial: float = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        serial = (value - _EPOCH.date()).days
    if serial < 61:  # Excel counts the non-existent 1900-02-29
        serial -= 1
    return serial if serial >= 1 else None


def inline_string(text: str) -> str:
    """The ``<is>`` element of an inline-string cell showing ``text`` (Excel's ``_xHHHH_``
    escapes kept literal, cut to the 32,767 characters a cell holds)."""
    text = _EXCEL_ESCAPE.sub(r"_x005F\1", clean(text))[:_MAX_CELL_CHARS]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{esc_text(text)}</t></is>"
