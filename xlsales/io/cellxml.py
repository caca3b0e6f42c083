"""Cell addresses (A1 references, column letters), Excel's sheet limits and the XML of
one cell value (:func:`cell_xml`), shared by the worksheets xlsales writes
(:mod:`~xlsales.io.sheetxml`) and the table rows it appends (:mod:`~xlsales.io.tableappend`)."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

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


def inline_string(text: str, prefix: str = "") -> str:
    """The ``<is>`` element of an inline-string cell showing ``text`` (Excel's ``_xHHHH_``
    escapes kept literal, cut to the 32,767 characters a cell holds); ``prefix`` is the
    sheet's namespace prefix (``"x:"``) or empty."""
    text = _EXCEL_ESCAPE.sub(r"_x005F\1", clean(text))[:_MAX_CELL_CHARS]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    p = prefix
    return f"<{p}is><{p}t{space}>{esc_text(text)}</{p}t></{p}is>"


def text_cell(ref: str, text: str, style: str = "", prefix: str = "") -> str:
    """The inline-string cell ``ref`` showing ``text``; ``style`` is its ``s`` attribute
    (``' s="N"'``) or empty, ``prefix`` the sheet's namespace prefix or empty."""
    p = prefix
    return f'<{p}c r="{ref}"{style} t="inlineStr">{inline_string(text, p)}</{p}c>'


#: What a cell written by :func:`cell_xml` holds, as its style callback is told: ``text``
#: (also a date before 1900, written as ISO text), ``bool``, ``number``, ``date``,
#: ``datetime`` (a time of day) or ``midnight`` (a datetime whose serial is a whole number).
CellRole = Literal["text", "bool", "number", "date", "datetime", "midnight"]


def cell_xml(ref: str, value: object, style: Callable[[CellRole], str], *,
             prefix: str = "", compact: bool = False) -> str:
    """The ``<c>`` element of cell ``ref`` holding ``value``, or "" for no cell (None,
    blank text, NaT, NaN, infinities).

    Text is always text (``"=1+1"`` is not a formula), booleans are ``t="b"``, dates and
    datetimes their Excel serial (before 1900: ISO text). ``style(role)`` gives the ``s``
    attribute (``' s="N"'`` or "") of a cell of that :data:`CellRole`; it is called once per
    written cell, only then. ``prefix`` is the sheet's namespace prefix or empty;
    ``compact`` writes a whole float below 10^15 as an integer (``2.0`` → ``2``, dates'
    serials too). Other values raise :class:`TypeError`.
    """
    p = prefix
    if value is None:
        return ""
    if isinstance(value, str):
        return text_cell(ref, value, style("text"), p) if clean(value) else ""
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{style("bool")} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    role: CellRole = "number"
    if isinstance(value, date):
        if value != value:  # NaT
            return ""
        serial = excel_serial(value)
        if serial is None:
            return text_cell(ref, value.isoformat(), style("text"), p)
        role = "date"
        if isinstance(value, datetime):
            role = "datetime" if serial != int(serial) else "midnight"
        value = serial
    elif not isinstance(value, float | int | numbers.Real | Decimal):  # fast types first
        raise TypeError(f"Cannot write a {type(value).__name__} to cell {ref}: {value!r}")
    if not isinstance(value, float) and isinstance(value, int | numbers.Integral):
        text = str(int(value))
    else:
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            return ""  # NaN, infinities
        whole = compact and number.is_integer() and abs(number) < 1e15
        text = str(int(number)) if whole else repr(number)
    return f'<{p}c r="{ref}"{style(role)}><{p}v>{text}</{p}v></{p}c>'
