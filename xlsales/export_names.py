"""The tables ``xlsales export --tables`` names: in any case and with spaces around them,
as every command takes its options' choices (``--tables KPIS,Sales``; a space or
``;`` between them as a comma), each once; a name
that is no table is refused with the one it is likely a typo of and the full list."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from xlsales.errors import UsageError
from xlsales.export_schema import EXPORTS


def _guess(name: str) -> str | None:
    """The table ``name`` is most likely a typo of (``kpi``: ``kpis``), or None."""
    near = difflib.get_close_matches(name, list(EXPORTS), n=1, cutoff=0.6)
    return near[0] if near else None


def table_names(tables: Sequence[str]) -> list[str]:
    """``tables`` as the export's table keys, in the order given, each once: compared
    without case or edge spaces; a :class:`UsageError` naming each unknown one (with the
    table it is likely a typo of) and every table there is."""
    names = list(dict.fromkeys(t.lower() for given in tables
                               for t in re.split(r"[,;\s]+", given) if t))
    unknown = [t for t in names if t not in EXPORTS]
    if not unknown:
        return names
    guesses = {t: _guess(t) for t in unknown}
    zh = "、".join(f"{t}（是否想写 {g}？）" if g else t for t, g in guesses.items())
    en = ", ".join(f"{t} (did you mean {g}?)" if g else t for t, g in guesses.items())
    raise UsageError(f"未知的表：{zh}。可选：{', '.join(EXPORTS)}（以逗号分隔）。",
                     f"Unknown table(s): {en}. Choose from {', '.join(EXPORTS)} "
                     "(comma-separated).")
