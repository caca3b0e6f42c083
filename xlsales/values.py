"""Small predicates on cell values shared by readers, builders and generators."""

from __future__ import annotations

import unicodedata


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
