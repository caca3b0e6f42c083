"""A roll-up of roll-ups keeps who is who below its members.

consolidate names each row's member in the roll-up's member column, replacing that of a
member that is itself a roll-up: rolled up into a company, every row of the region
华东南 names 华东南, and the two 张伟 of that region — 东一组's, and 南二组's with his own
book — were one name in one member, added up as one person. The rows of a member
roll-up carry, beside their member, the chain of members below it that each row counts
for there (:data:`~xlsales.spec.declarations.ROLLUP_WITHIN`: ``东一组 › 张伟``;
:func:`~xlsales.rep_names.row_chains`), made when the member is read
(:func:`with_chains`) under :data:`WITHIN_KEY` and written under the roll-up's label
(:func:`within_named`). Figures by rep tell namesakes apart by it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from xlsales.rollup_frames import CompactFrame
from xlsales.rollup_rank import is_rollup, named
from xlsales.script_variant import OwnText, Script
from xlsales.spec import Lang
from xlsales.spec.declarations import ROLLUP_WITHIN

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook

#: Where a member's frames hold their rows' chains until the roll-up names the column.
WITHIN_KEY = ROLLUP_WITHIN.key


def within_label(lang: Lang, script: Script | None = None) -> str:
    """The header of the roll-up's column of the members below (``下级成员``) in ``lang``
    and ``script``."""
    return OwnText(script if lang == "zh" else None)(ROLLUP_WITHIN.label.get(lang))


def with_chains(book: ReadWorkbook, frames: Mapping[str, pd.DataFrame]
                ) -> dict[str, pd.DataFrame]:
    """``frames`` (``book``'s tables), when ``book`` is a roll-up, with each row's chain
    of members there (:func:`~xlsales.rep_names.row_chains`, by the members' levels and
    statuses its ranking records) under :data:`WITHIN_KEY`, in the place of its own
    column of the members below; else ``frames`` as they are."""
    from xlsales.rep_names import row_chains
    from xlsales.rollup_member_levels import member_levels

    if not is_rollup(book.info, frames):
        return dict(frames)
    out = dict(frames)
    for name, chain in row_chains(frames, member_levels(book)).items():
        frame = frames[name]
        old = ROLLUP_WITHIN.header_in(frame.columns)
        out[name] = frame.drop(columns=[old] if old is not None else []).assign(
            **{WITHIN_KEY: chain.astype(object).where(named(chain), None)})
    return out


def within_named(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """``frame`` (a roll-up's stacked table) with :data:`WITHIN_KEY` named ``label``,
    after the member column (its last)."""
    if WITHIN_KEY not in frame.columns:
        return frame
    return frame.drop(columns=[WITHIN_KEY]).assign(**{label: frame[WITHIN_KEY]})


def render_named(part: CompactFrame, headers: Iterable[str]) -> CompactFrame:
    """``part`` with :data:`WITHIN_KEY` named as the roll-up's header of the members below
    among ``headers`` (the columns a big table is rendered from)."""
    header = ROLLUP_WITHIN.header_in(list(headers))
    if header is None or WITHIN_KEY not in part.columns:
        return part
    return CompactFrame(part.length, {header if k == WITHIN_KEY else k: v
                                      for k, v in part.columns.items()})
