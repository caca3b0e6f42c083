"""A roll-up's tables from its members': their rows stacked one after the other, each
naming its member (:func:`stacked`), with the calculated columns computed over them all
(:func:`merged_table`), or only the columns they would have (:func:`stacked_columns`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from xlsales.kpis import calculated_columns
from xlsales.periods import Period
from xlsales.rollup_frames import CompactFrame, in_language, stacked_frame
from xlsales.rollup_member import VALUE_TABLES, Member
from xlsales.rollup_rank import PREFIXED_IDS, member_column
from xlsales.rollup_within import WITHIN_KEY, within_label, within_named
from xlsales.script_variant import Script
from xlsales.spec import Lang
from xlsales.values import is_blank


def stacked(members: list[Member], table: str, label: str, lang: Lang,
            script: Script | None = None) -> pd.DataFrame | None:
    """The members' rows of ``table`` one after the other, each naming its member in
    ``label`` (replacing the member column of a member that is itself a roll-up: its
    rows' members below follow, :mod:`~xlsales.rollup_within`), the problem and lesson
    ids prefixed with the member's name (P01 of two members stays two problems), built-in
    list entries named in ``lang`` and ``script`` (:func:`in_language`).
    Stacked column by column from the compact frames."""
    parts = [(m, in_language(part, table, lang, script)) for m in members
             if (part := m.compact(table)) is not None]
    if not parts:
        return None
    olds = [member_column(list(part.columns)) for _, part in parts]
    frame = stacked_frame([  # a roll-up's own member column gives way to the new one
        CompactFrame(part.length, {k: v for k, v in part.columns.items() if k != old})
        for (_, part), old in zip(parts, olds, strict=True)])
    who = np.repeat(np.array([m.name for m, _ in parts], dtype=object),
                    [part.length for _, part in parts])
    for key in PREFIXED_IDS.get(table, ()):
        if key in frame and len(frame):
            frame[key] = [None if is_blank(v) else f"{m}-{v}"
                          for m, v in zip(who, frame[key], strict=True)]
    frame[label] = who
    return within_named(frame, within_label(lang, script))


def merged_table(members: list[Member], table: str, label: str,
                 period: Period, lang: Lang, script: Script | None = None
                 ) -> pd.DataFrame | None:
    """The roll-up's ``table``: the members' rows :func:`stacked`, with the calculated
    columns of :data:`VALUE_TABLES` computed over all of them for ``period``."""
    frame = stacked(members, table, label, lang, script)
    if frame is not None and table in VALUE_TABLES:
        frame = frame.assign(**calculated_columns(frame, period, table))
    return frame


def stacked_columns(members: list[Member], table: str, label: str, below: str
                    ) -> list[str] | None:
    """The columns :func:`stacked` gives ``table`` (``below``: its header of the members
    below, :func:`~xlsales.rollup_within.within_label`), without stacking its rows."""
    present = [c for m in members if (c := m.columns(table)) is not None]
    if not present:
        return None
    olds = [member_column(c) for c in present]
    columns = dict.fromkeys(c for cols, old in zip(present, olds, strict=True) for c in cols
                            if c != old)
    return [*(c for c in columns if c != WITHIN_KEY), label,
            *([below] if WITHIN_KEY in columns else [])]
