"""The listed value a value missing from a settings list was most likely meant to be
(``Collections`` for ``Collection``, ``回款慢`` for ``回款太慢``), for ``not_in_list`` to
suggest."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from xlsales.spec.traditional import spec_words
from xlsales.values import fold

#: How alike (difflib's ratio, 0 to 1) a value and a listed one must be to be suggested:
#: a letter or a character more or less (``Collections``: 0.95, ``回款慢``: 0.86), not a
#: word of a list alike in a few letters only (``华东`` for ``华南``: 0.5).
CUTOFF = 0.8


def _folded(text: object) -> str:
    """``text`` as choices are compared: trimmed, full-width and case aside, Traditional
    characters (and Taiwan words) as Simplified."""
    return spec_words(fold(text))


def closest_listed(value: object, allowed: Sequence[object]) -> str | None:
    """The entry of ``allowed`` (a settings list) that ``value`` is most alike, when it is
    alike enough to be what was meant (:data:`CUTOFF`); None when none is."""
    by_fold: dict[str, str] = {}
    for entry in allowed:
        by_fold.setdefault(_folded(entry), str(entry))
    typed = _folded(value)
    if not typed:
        return None
    if typed in by_fold:  # the same text, up to case, spaces or script
        return by_fold[typed]
    near = difflib.get_close_matches(typed, list(by_fold), n=1, cutoff=CUTOFF)
    return by_fold[near[0]] if near else None


def hint(value: object, allowed: Sequence[object]) -> dict[str, str]:
    """The ``hint_zh`` / ``hint_en`` fields of ``not_in_list``: ``（是否想写 “Collection”？）``
    / `` (did you mean 'Collection'?)``; empty when no listed value is close."""
    near = closest_listed(value, allowed)
    if near is None:
        return {"hint_zh": "", "hint_en": ""}
    return {"hint_zh": f"（是否想写 “{near}”？）", "hint_en": f" (did you mean {near!r}?)"}
