"""The rep drop-down of a new period's book offers the reps still on the team.

``new --from`` carries last period's rep list with its roster (离职日期 / Left on,
:mod:`xlsales.roster`): a rep who left before the new period stays on the list — the
history rows naming them are theirs, validation and growth figures need the name — but a
new row is never theirs. So the leavers are written first in the list
(:func:`leavers_first`) and the drop-downs' named range starts after them
(:func:`dropdown_formula`): it skips the rows at the top of the list whose leaving date is
before the period start, counted by the sheet itself up to the first rep still on the
team. So a rep the team adds at the bottom of the list is offered as before, deleting a
leaver's row offers the others as before, and a leaving date typed later further down
hides no one else (that rep stays offered: an active rep is never refused by the
drop-down's check)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from xlsales.date_columns import parse_dates


def leavers_first(frame: pd.DataFrame, start: date | None) -> tuple[pd.DataFrame, int]:
    """The rep list ``frame`` (the ListRep table's) with the reps whose leaving date is
    before ``start`` moved to its top, each group in its order, and how many they are
    (``frame`` itself and 0 without such a rep, a period or a ``left`` column)."""
    if start is None or "left" not in frame.columns or frame.empty:
        return frame, 0
    gone = (parse_dates(frame["left"]) < pd.Timestamp(start)).fillna(False)
    gone = gone.to_numpy(dtype=bool)
    if not gone.any():
        return frame, 0
    return pd.concat([frame[gone], frame[~gone]], ignore_index=True), int(gone.sum())


def dropdown_formula(first: str, block: str, left_block: str, start_name: str) -> str:
    """The drop-down's named range: the list from ``first`` down the non-empty cells of
    ``block``, less the rows at its top whose leaving date (``left_block``) is before the
    period start (defined name ``start_name``): those before the first row whose leaving
    date is empty or not before it (INDEX(…,0) makes MATCH see the column as an array
    without an array formula, in Excel and LibreOffice alike)."""
    staying = f'INDEX(({left_block}="")+({left_block}>={start_name}),0)'
    skip = f'IF({start_name}="",0,IFERROR(MATCH(1,{staying},0)-1,0))'
    return f"=OFFSET({first},{skip},0,MAX(1,COUNTA({block})-{skip}),1)"
