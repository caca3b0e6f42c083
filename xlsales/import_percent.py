"""A percent column whose header says its numbers are points of 100.

A workbook's percent (``probability``) holds a fraction: 0.1 is 10 %. Salesforce's
``Probability (%)``, and sheets headed ``赢单概率(%)`` or ``概率%``, write 10 for 10 %.
When a percent field's column header holds a ``%`` (``％``, in brackets or not), its
numbers are read as points of 100: 10 and 0.5 are 10 % and 0.5 % (0.10 and 0.005); a
value written with its own ``%`` (``10%``) is 10 % either way. Without a ``%`` in the
header, numbers are fractions as the workbook holds them (0.1 is 10 %, 10 is 1,000 % and
is flagged as out of range).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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


def as_fractions(values: Sequence[object],
                 raw: Sequence[object]) -> tuple[list[object], set[int]]:
    """``values`` (read from ``raw``, a column whose header says percent) as fractions:
    each number divided by 100 unless ``raw`` wrote it with its own ``%``; and the
    positions of those divided."""
    out: list[object] = []
    for value, written in zip(values, raw, strict=True):
        own = isinstance(written, str) and unicodedata.normalize(
            "NFKC", written).strip().endswith("%")
        if isinstance(value, float) and value == value and not own:
            value = value / 100
        out.append(value)
    divided = {i for i, (a, b) in enumerate(zip(values, out, strict=True)) if a is not b}
    return out, divided
