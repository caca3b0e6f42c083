"""A percent column whose header says its numbers are points of 100.

A workbook's percent (``probability``) holds a fraction: 0.1 is 10 %. Salesforce's
``Probability (%)``, and sheets headed ``赢单概率(%)`` or ``概率%``, write 10 for 10 %.
When a percent field's column header holds a ``%`` (``％``, in brackets or not), its
numbers are read as points of 100: 10 and 0.5 are 10 % and 0.5 % (0.10 and 0.005); a
value written with its own ``%`` (``10%``) is 10 % either way, and so is a cell of an xlsx
export formatted as percent (it holds 0.1, which Excel shows as ``10%``). Without a ``%``
in the header, numbers are fractions as the workbook holds them (0.1 is 10 %, 10 is
1,000 % and is flagged as out of range).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from xlsales.spec import Column, ColumnType
from xlsales.values import fold

#: The ``%`` a header says its numbers are percent by: ``(%)``, ``（％）``, ``[%]``, ``%``.
_MARK = re.compile(r"[(\[]?\s*%\s*[)\]]?")


def says_percent(column: Column, header: str) -> bool:
    """Whether ``header``, the export's column of the percent field ``column``, says its
    numbers are points of 100 (``Probability (%)``, ``赢单概率(%)``, ``概率%``)."""
    return column.type is ColumnType.PERCENT and "%" in fold(header)


def bare_header(header: str) -> str:
    """``header`` without the ``%`` it says percent by (``Probability (%)`` →
    ``probability``, folded): what names the field it holds."""
    return _MARK.sub(" ", fold(header)).strip()


def as_fractions(values: Sequence[object], raw: Sequence[object],
                 formatted: Collection[int] = ()) -> tuple[list[object], set[int]]:
    """``values`` (read from ``raw``, a column whose header says percent) as fractions:
    each number divided by 100 unless ``raw`` wrote it with its own ``%`` or its cell is
    formatted as percent (positions ``formatted``); and the positions of those divided."""
    out: list[object] = []
    for i, (value, written) in enumerate(zip(values, raw, strict=True)):
        own = i in formatted or (isinstance(written, str) and unicodedata.normalize(
            "NFKC", written).strip().endswith("%"))
        if isinstance(value, float) and value == value and not own:
            value = value / 100
        out.append(value)
    divided = {i for i, (a, b) in enumerate(zip(values, out, strict=True)) if a is not b}
    return out, divided


def all_fractions(values: Sequence[object], positions: Collection[int]) -> bool:
    """Whether the numbers at ``positions`` of ``values`` (as read, before dividing) are
    all 1 or less, and one at least: under a ``%`` header, a column of 0.5 and 0.3 is more
    likely fractions (50 %, 30 %) than 0.5 %."""
    numbers = [values[i] for i in positions]
    return bool(numbers) and all(isinstance(v, float) and abs(v) <= 1 for v in numbers)
