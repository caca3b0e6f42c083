"""The previous plan's actions of a roll-up's members, as the consolidate report counts
them: how many each status has (the plan proposes the unfinished ones again)."""

from __future__ import annotations

import pandas as pd

from xlsales.spec.declarations import ACTION_STATUS
from xlsales.values import is_blank

#: The statuses counted, in the spec's order; a blank status is unreviewed.
_SHOWN = tuple(c.key for c in ACTION_STATUS.choices)


def review_line(status: pd.Series, zh: bool, planned: bool) -> str:
    """One report line counting the members' previous actions by ``status`` (their codes:
    ``done``, ``partly``…; blank: not reviewed), e.g. ``上期行动 4 项：已完成 2，未完成 2``;
    ``planned``: the roll-up's plan was made, and carries the unfinished ones on."""
    counts = {code: int(status.eq(code).sum()) for code in _SHOWN}
    unreviewed = int(status.map(is_blank).sum())
    lang = "zh" if zh else "en"
    parts = [(ACTION_STATUS.label(code, lang), n) for code, n in counts.items() if n]
    if unreviewed:
        parts.append(("未回顾" if zh else "not reviewed", unreviewed))
    carried = len(status) - counts["done"] if planned else 0
    if zh:
        text = "，".join(f"{label} {n}" for label, n in parts)
        tail = f"；未完成的 {carried} 项在计划中延续" if carried else ""
        return f"  上期行动 {len(status)} 项：{text}{tail}"
    text = ", ".join(f"{label.lower()} {n}" for label, n in parts)
    tail = f"; the plan carries on the {carried} unfinished" if carried else ""
    return (f"  previous actions: {len(status)} ({text}){tail}")
