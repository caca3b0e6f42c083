"""Small predicates on cell values shared by readers, builders and generators."""

from __future__ import annotations

import math
import re
import unicodedata

#: Significant digits a computed number keeps where it leaves xlsales as text or data
#: (``kpis --json``, the export's KPI tables): sums of products leave noise in the last
#: bits (``207331.99999999997``, ``0.9200000000000002``); 12 digits hold any amount to
#: the cent below 10 billion, and a larger one keeps its cents (:data:`CENTS`).
DIGITS = 12
#: Decimals every number keeps, whatever its size: an amount of 123,456,789,012.30 is
#: not rounded to 123,456,789,012 (a company's revenue in TWD, KRW or JPY).
CENTS = 2
#: Below it a computed number is the noise of a difference of equal values: no amount, rate
#: or count of a sales KPI is that small.
TINY = 1e-9


def is_blank(value: object) -> bool:
    """None, NaN/NaT, or empty text: a cell with nothing in it."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    try:
        return bool(value != value)  # NaN and NaT are the only values unequal to themselves
    except (TypeError, ValueError):
        return False


def fold(text: object) -> str:
    """Text as compared when matching headers, labels and keys: NFKC (full-width to
    half-width), trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def tidy(value: object) -> object:
    """``value`` with a float's floating-point noise rounded away (:data:`DIGITS`
    significant digits, at least :data:`CENTS` decimals: ``207331.99999999997`` is
    ``207332.0``; below :data:`TINY`, 0); anything else, NaN and infinities as they are."""
    if not isinstance(value, float) or not math.isfinite(value) or value == 0:
        return value
    if abs(value) < TINY:  # 0.8 − mean(0.7, 0.8, 0.9) is 1.1e-16, not above target
        return 0.0
    return round(float(value), max(CENTS, DIGITS - 1 - math.floor(math.log10(abs(value)))))


#: A note in brackets (``（元）``, ``(CNY)``, ``[万]``) and the spaces around it.
_BRACKETS = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*")


def without_brackets(text: str) -> str:
    """``text`` without its notes in brackets: ``金额（元）`` → ``金额``, ``Total (CNY)`` →
    ``Total`` (how a header or a total's label is read past a unit added to it)."""
    return _BRACKETS.sub("", text)
