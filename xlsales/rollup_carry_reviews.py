"""The cells a manager typed onto members' rows of the earlier roll-up, kept in the one
replacing it (``consolidate --force`` onto the same ``-o``).

A manager reviews the team's work in the roll-up itself: she fills the status and result
of a rep's previous action, rates a problem's severity and impact. Consolidating again
writes every row afresh from the members' books, so her typing vanished (only the backup
held it). :func:`carry_reviews` puts it back. The roll-up records what each member's
book held in those cells when it was made (:mod:`~xlsales.rollup_record`), so a re-run
tells her typing (the roll-up's cell differs from the record) from the rep's (the book's
cell differs from it): what she typed where the rep changed nothing is kept; a cell the
rep changed and she did not is the rep's, said nowhere; where both changed it the rep's
value wins and the report names the row. Of a roll-up made before the record, a typed
cell is kept where the member's is empty, as it was. The columns so carried are
:func:`carried_columns`, decided from the spec in one place.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import NamedTuple

import pandas as pd

from xlsales.rollup_rank import PREFIXED_IDS
from xlsales.spec import SPEC
from xlsales.spec.model import ColumnType

#: The types of an optional column that rates a row rather than tells it (a problem's
#: severity, impact amount and share, category …): a manager's judgement as well as the
#: rep's, and carried as the review is (:func:`carried_columns`).
_RATING_TYPES = (ColumnType.CHOICE, ColumnType.LIST, ColumnType.MONEY, ColumnType.PERCENT)


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


def carried_columns(table: str) -> tuple[str, ...]:
    """The keys of ``table``'s columns a manager may type onto a member's row of the
    roll-up, carried into the next one, in its order: the review due by the period's end
    and what it asks for with it (the previous actions' status and result), and the
    optional input columns that rate a row (:data:`_RATING_TYPES`: a problem's impact,
    category, controllability, severity, whether it goes into the next plan; whether a
    lesson is a best practice) — never a row's ID or what it says."""
    columns = SPEC.table(table).columns
    due = {k for c in columns if c.required_by_period_end for k in (c.key, *c.required_with)}
    rating = {c.key for c in columns if c.is_input and not c.required
              and c.type in _RATING_TYPES and c.key != row_id(table)}
    return tuple(c.key for c in columns if c.key in due | rating)


def blank(values: pd.Series) -> pd.Series:
    """Where ``values`` holds nothing (None, NaN or only spaces)."""
    return values.isna() | values.astype("string").str.strip().fillna("").eq("")


def carry_reviews(table: str, earlier: pd.DataFrame, frame: pd.DataFrame,
                  record: Mapping[tuple[str, ...], Mapping[str, str]] | None = None
                  ) -> tuple[pd.DataFrame, dict[str, int], list[Overridden]]:
    """``frame`` (the new roll-up's ``table``) with the cells of :func:`carried_columns`
    the manager typed onto ``earlier``'s members' rows (the earlier roll-up's, as typed):
    those that differ from its ``record`` (what the members' books held when it was made)
    where the member's book still holds the recorded value; without a record, those
    where the member's cell is empty. Also the number of cells so kept by column (only
    the columns some were kept of, in the table's order), and the cells both the
    manager and the member's book changed (left as the member's)."""
    from xlsales.rollup_record import norm, row_keys

    columns = [c for c in carried_columns(table) if c in earlier and c in frame]
    if row_id(table) is None or not columns or earlier.empty or frame.empty:
        return frame, {}, []
    before = {k: label for label, k in row_keys(earlier, table).items()}
    now: dict[tuple[str, ...], Hashable] = {k: label for label, k in
                                            row_keys(frame, table).items()}
    out, kept, overridden = frame.copy(), dict.fromkeys(columns, 0), []
    for column in columns:
        was, new = earlier[column], out[column].astype(object)
        for k in (k for k in now if k in before):  # in the new table's order
            value, current = was.loc[before[k]], new.loc[now[k]]
            typed, theirs = norm(table, column, value), norm(table, column, current)
            if record is None:  # a roll-up made before the record: where the member's
                if not typed or typed == theirs:  # cell is empty
                    continue
                mine = not theirs
            else:
                held = record.get(k, {}).get(column, "")
                if typed == held:
                    continue  # the manager typed nothing here: the member's cell as it is
                mine = theirs == held  # the rep changed nothing here
            if mine:  # what she typed (a value cleared too)
                new.loc[now[k]] = value if typed else None
                kept[column] += 1
            elif typed != theirs:  # both changed it: the member's wins, said
                overridden.append(Overridden(table, k[-1], column, value, current))
        out[column] = new
    return out, {c: n for c, n in kept.items() if n}, overridden
