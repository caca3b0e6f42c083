"""How wide text shows in a terminal or a cell: a wide (Chinese, full-width) character
takes two columns, any other one. The terminal's KPI table, the Chinese ``--help`` and
the xlsx export's column notes all measure text so."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """The columns ``text`` takes: two for a wide (Chinese) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
