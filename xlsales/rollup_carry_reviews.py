"""The reviews a manager typed onto members' rows of the earlier roll-up, kept in the
one replacing it (``consolidate --force`` onto the same ``-o``).

A manager reviews the team's previous actions in the roll-up itself: she fills the
status and result of a rep's action (a row that came from the rep's book) where the
rep left them empty. Consolidating again writes every row afresh from the members'
books, so her review vanished (only the backup held it). :func:`carry_reviews` puts it
back: where the member's row is still there and the member's own cell is empty, the
manager's value is kept; where the member's book now fills it differently, the
member's value wins and the report names the row. The cells carried are the review
the spec asks for by the period's end (:func:`reviewed_columns`: the status and what
goes with it, the result); a member's other cells are the member's own.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

import pandas as pd

from xlsales.rollup_rank import PREFIXED_IDS, member_column
from xlsales.rollup_within import WITHIN_KEY
from xlsales.spec import SPEC


class Overridden(NamedTuple):
    """A cell typed onto a member's row that the member's book now fills differently:
    the member's value is in the new roll-up."""

    table: str
    #: the row's ID (``Alice-A01``)
    row: str
    #: the column's key
    column: str
    earlier: object
    now: object


def row_id(table: str) -> str | None:
    """The key of the column identifying a row of ``table`` (its own ID), if any."""
    return next(iter(PREFIXED_IDS.get(table, ())), SPEC.table(table).id_key)


def reviewed_columns(table: str) -> tuple[str, ...]:
    """The keys of ``table``'s columns filled in by the period's end (the previous
    actions' status) and those they ask for with them (the result), in its order."""
    columns = SPEC.table(table).columns
    due = {k for c in columns if c.required_by_period_end for k in (c.key, *c.required_with)}
    return tuple(c.key for c in columns if c.key in due)


def blank(values: pd.Series) -> pd.Series:
    """Where ``values`` holds nothing (None, NaN or only spaces)."""
    return values.isna() | values.astype("string").str.strip().fillna("").eq("")


def _by_row(frame: pd.DataFrame, key: str) -> dict[tuple[str, ...], Hashable]:
    """The rows of ``frame`` naming their member, by (member, members below, ID) → index
    label; a row whose key another row has too is left out (which is which is unknown)."""
    who = member_column(frame)
    if who is None or key not in frame:
        return {}
    parts = [who, *([WITHIN_KEY] if WITHIN_KEY in frame else []), key]
    named = frame[~blank(frame[who]) & ~blank(frame[key])]
    keys = list(zip(*(named[c].astype("string").fillna("").str.strip() for c in parts),
                    strict=True))
    seen = pd.Series(keys, dtype=object).duplicated(keep=False).tolist()
    return {k: label for k, label, twice in zip(keys, named.index, seen, strict=True)
            if not twice}


def carry_reviews(table: str, earlier: pd.DataFrame, frame: pd.DataFrame
                  ) -> tuple[pd.DataFrame, dict[str, int], list[Overridden]]:
    """``frame`` (the new roll-up's ``table``) with the reviewed cells
    (:func:`reviewed_columns`) of ``earlier``'s members' rows (the earlier roll-up's, as
    typed) where its same row's are empty; the number of cells so kept by column (only
    the columns some were kept of, in the table's order), and the cells the member's
    book now fills differently (left as the member's)."""
    key = row_id(table)
    columns = [c for c in reviewed_columns(table) if c in earlier and c in frame]
    if key is None or not columns or earlier.empty or frame.empty:
        return frame, {}, []
    before, now = _by_row(earlier, key), _by_row(frame, key)
    out, kept, overridden = frame.copy(), dict.fromkeys(columns, 0), []
    for column in columns:
        was, new = earlier[column], out[column].astype(object)
        for k in (k for k in now if k in before):  # in the new table's order
            value, current = was.loc[before[k]], new.loc[now[k]]
            if blank(pd.Series([value])).iloc[0]:
                continue
            if blank(pd.Series([current])).iloc[0]:
                new.loc[now[k]] = value
                kept[column] += 1
            elif str(value).strip() != str(current).strip():
                overridden.append(Overridden(table, k[-1], column, value, current))
        out[column] = new
    return out, {c: n for c, n in kept.items() if n}, overridden
