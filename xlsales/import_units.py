"""A money column whose header gives the unit of its numbers.

Chinese sheets and CRM reports often keep amounts in 万元 or 千元 and say so once, in the
header: ``金额（万元）``, ``合同金额(万元)``, ``金额/千元``, ``Amount (K)``, ``Revenue in
thousands``. The workbook holds plain amounts, so a money field's column whose header
gives such a unit (:data:`~xlsales.spec.declarations.HEADER_UNITS`) has its numbers
multiplied by it: 1.2 under ``金额（万元）`` is 12,000. A value written with its own unit
(``1.2万``, ``12k``) is read as written. ``元`` says the numbers are plain (×1). Without
the unit the header names the field as any other (``商机金额（元）`` is the amount), as
:mod:`xlsales.import_percent` does for a ``%``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from xlsales.parse_numbers import has_own_unit
from xlsales.spec import Column, ColumnType
from xlsales.spec.declarations import HEADER_UNITS
from xlsales.spec.traditional import name_key
from xlsales.values import fold

_UNITS = {name_key(u): f for u, f in HEADER_UNITS.items()}
_TRADITIONAL = str.maketrans("萬億", "万亿")
#: a note in brackets at the end of a header: ``（万元）``, ``(K)``, ``[单位：千元]``
_BRACKETED = re.compile(r"\s*[(（\[【]\s*([^)）\]】]*?)\s*[)）\]】]\s*$")
#: a unit after a separator: ``金额/万元``, ``金额 万元``, ``Revenue in thousands``
_AFTER = re.compile(r"^(.*?\S)\s*(?:[/,，:：_|-]|\s+in\s|\s)\s*([^\s/,，:：_|-]+)$")
#: a Chinese unit written straight after the name: ``金额万元``, ``合同额千元``
_CHINESE = re.compile(r"^(.*[\u4e00-\u9fff])((?:千|万|萬|百万|百萬|亿|億)元)$")
_SAYS_UNIT = re.compile(r"^(?:单位|unit|units|in)\s*[:：]?\s*")


def header_unit(header: str) -> tuple[str, float] | None:
    """The unit ``header`` gives its numbers in: the header without it (what names the
    field, folded) and the factor (``金额（万元）`` → ``("金额", 10000)``); None when it
    gives none."""
    text = fold(header)
    found = [(m[1], m.start()) for m in [_BRACKETED.search(text)] if m]
    if m := _AFTER.match(text):
        found.append((m[2], m.end(1)))
    if m := _CHINESE.match(text):
        found.append((m[2], m.end(1)))
    for unit, cut in found:
        factor = _UNITS.get(name_key(_SAYS_UNIT.sub("", unit)).translate(_TRADITIONAL))
        if factor is not None and text[:cut].strip():
            return text[:cut].strip(), factor
    return None


def unit_factor(column: Column, header: str) -> float | None:
    """What the numbers of ``header``, the export's column of the money field ``column``,
    are multiplied by (10,000 under ``金额（万元）``); None for a plain column (and ``元``)."""
    if column.type is not ColumnType.MONEY:
        return None
    found = header_unit(header)
    return found[1] if found is not None and found[1] != 1 else None


def bare_name(column: Column, header: str) -> str | None:
    """``header`` without the unit it gives a money field's numbers in (``商机金额（元）`` →
    ``商机金额``), to match it by; None for another field or without a unit."""
    if column.type is not ColumnType.MONEY:
        return None
    found = header_unit(header)
    return found[0] if found is not None else None


def scaled(values: Sequence[object], raw: Sequence[object],
           factor: float) -> tuple[list[object], set[int]]:
    """``values`` (read from ``raw``) with each number multiplied by ``factor`` (exactly as
    written in decimal: 0.07 万 is 700, not 700.0000000000001) unless ``raw`` wrote it with
    its own unit; and the positions of those multiplied."""
    out: list[object] = []
    done: set[int] = set()
    for i, (value, written) in enumerate(zip(values, raw, strict=True)):
        if isinstance(value, float) and value == value and not has_own_unit(written):
            value = float(Decimal(repr(value)) * Decimal(repr(factor)))
            done.add(i)
        out.append(value)
    return out, done
