"""The rows a manager typed into the earlier roll-up, carried into the one replacing it
(``consolidate --force`` onto the same ``-o``).

Between weekly runs a manager types the team's own problems, lessons, targets and
reviewed actions into the roll-up: rows that name no member (every member's row names
its member). Consolidating again writes every table afresh from the members' books, so
those rows were only kept in the backup. :func:`carry_rows` reads them from the earlier
roll-up and puts them back at the end of the same tables of the new one, as they were:
their IDs kept (one a member's row or another typed row holds gets ``-2`` after it, and
the report says which). The problem summary counts them, and the whole's target the
targets among them (:mod:`~xlsales.rollup_typed_whole`), as ``kpis`` on the roll-up
does. The reviews typed onto members' rows are carried too
(:mod:`~xlsales.rollup_carry_reviews`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from xlsales.errors import XlsalesError
from xlsales.io.cells import READ_FAILURES, CellReader, open_cell_reader
from xlsales.io.ooxml import read_layout
from xlsales.io.reader_data import ReadTable
from xlsales.rollup_carry_reviews import Overridden, blank, carry_reviews, row_id
from xlsales.rollup_member import BIG_TABLES
from xlsales.rollup_rank import member_column, problem_summary
from xlsales.rollup_record import read_record
from xlsales.rollup_result import Rollup
from xlsales.rollup_typed_whole import with_typed
from xlsales.rollup_within import WITHIN_KEY
from xlsales.spec import SPEC
from xlsales.spec.declarations import MEMBER_TABLES
from xlsales.spec.model import SheetKind

#: The member tables a manager may type a row of the team's own into: every table whose
#: rows name their member (the spec's), but the big sales and activity sheets, which are
#: the members' (`import` into a roll-up is refused).
TYPED_TABLES = tuple(t for t in MEMBER_TABLES if t not in BIG_TABLES)

#: What is read of the earlier roll-up: its basic info, settings and :data:`TYPED_TABLES`
#: (not the big tables nor the plan: a fraction of the time of a whole read).
_TYPED_SPEC = replace(SPEC, sheets=tuple(
    s for s in SPEC.sheets if s.kind is not SheetKind.PLAN
    and not any(t.name in BIG_TABLES for t in s.tables)))


class Renamed(NamedTuple):
    """A carried row's ID given ``-2`` (``-3`` …) after it."""

    old: str
    new: str
    #: True: a member's row now holds ``old``; False: another row typed with no member
    #: (carried before it) has it too
    by_member: bool


@dataclass
class Carried:
    """What :func:`carry_rows` put into the new roll-up, and what it could not."""

    #: table name → rows carried
    rows: dict[str, int] = field(default_factory=dict)
    #: the rows whose ID a member's row or another typed row holds
    renamed: list[Renamed] = field(default_factory=list)
    #: table → column key → cells typed onto members' rows (their reviews) kept in the
    #: new roll-up, only the columns some were kept of
    #: (:mod:`~xlsales.rollup_carry_reviews`)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)
    #: cells typed onto members' rows that the members' books now fill differently
    overridden: list[Overridden] = field(default_factory=list)
    #: why nothing was carried: (zh, en); None when it was
    not_carried: tuple[str, str] | None = None


def _own_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a roll-up's table (as read) that name no member and hold something."""
    who = member_column(frame)
    if who is None or frame.empty:
        return frame.iloc[0:0]
    rest = [c for c in frame.columns if c not in (who, WITHIN_KEY)]
    filled = ~pd.concat([blank(frame[c]) for c in rest], axis=1).all(axis=1) \
        if rest else pd.Series(False, index=frame.index)
    return frame[blank(frame[who]) & filled]


def _named_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a roll-up's table (as read) that name their member."""
    who = member_column(frame)
    return frame.iloc[0:0] if who is None else frame[~blank(frame[who])]


def _as_typed(rows: pd.DataFrame, read: ReadTable, cells: CellReader) -> pd.DataFrame:
    """``rows`` (of ``read``) with each value xlsales could not read — a list entry not
    in the list (``成功`` for ``成功经验``), a date it cannot parse — as its cell holds it:
    read, it is blank, and carried so it would be lost (``validate`` names it, as it
    did in the earlier roll-up)."""
    grid = None
    out = rows.copy()
    for key, positions in read.unreadable.items():
        at = read.columns.get(key)
        for pos in positions:
            label = read.frame.index[pos]
            if key not in out.columns or at is None or label not in out.index:
                continue
            grid = cells.rows(read.sheet) if grid is None else grid
            row = grid[read.rows[pos] - 1] if read.rows[pos] <= len(grid) else []
            if at <= len(row) and row[at - 1] not in (None, ""):
                out[key] = out[key].astype(object)
                out.loc[label, key] = row[at - 1]
    return out


def _unique_ids(rows: pd.DataFrame, frame: pd.DataFrame | None, table: str,
                renamed: list[Renamed]) -> pd.DataFrame:
    """``rows`` with each ID the new ``frame`` (a member's row) or a row before it
    already holds given ``-2`` (``-3`` …)."""
    key = row_id(table)
    if key is None or key not in rows:
        return rows
    members = set() if frame is None or key not in frame else \
        {str(v) for v in frame[key].dropna()}
    taken = set(members)
    ids = []
    for value in rows[key]:
        if value is None or value != value or str(value) not in taken:
            ids.append(value)
            taken.add(str(value))
            continue
        n = 2
        while f"{value}-{n}" in taken:
            n += 1
        ids.append(f"{value}-{n}")
        taken.add(ids[-1])
        renamed.append(Renamed(str(value), ids[-1], str(value) in members))
    return rows.assign(**{key: ids})


def carry_rows(earlier_path: Path, earlier_lang: str, rollup: Rollup) -> Carried:
    """Put the rows of :data:`TYPED_TABLES` naming no member in the earlier roll-up at
    ``earlier_path`` (in ``earlier_lang``) at the end of ``rollup``'s tables, before it is
    written, and the reviews typed onto members' rows into those rows
    (:func:`~xlsales.rollup_carry_reviews.carry_reviews`); the problem summary counts
    the rows, the whole's target the targets (as ``kpis`` on the written roll-up counts
    them). Nothing is carried from a roll-up in another language (its list entries
    would be in that one), of another period (a problem typed for October is no
    November problem) or one that cannot be read: :attr:`Carried.not_carried` says
    why."""
    from xlsales.io.reader import read_workbook

    carried = Carried()
    if rollup.data is None:
        return carried
    if earlier_lang != rollup.lang:
        carried.not_carried = ("上次的汇总是另一种语言",
                               "the earlier roll-up is in another language")
        return carried
    try:
        book = read_workbook(earlier_path, spec=_TYPED_SPEC, count_formulas=False)
    except (OSError, ValueError, XlsalesError, *READ_FAILURES) as exc:
        carried.not_carried = (f"无法读取上次的汇总（{exc}）",
                               f"the earlier roll-up could not be read ({exc})")
        return carried
    if book.period is not None and rollup.period is not None and book.period != rollup.period:
        # October's problems are no November problems: they stay in the backup
        was, now = book.period.label, rollup.period.label
        carried.not_carried = (f"上次的汇总是 {was} 的，本次是 {now} 的",
                               f"the earlier roll-up is of {was}, this one of {now}")
        return carried
    tables = rollup.data.tables
    label = rollup.member_label
    typed: dict[str, pd.DataFrame] = {}
    cells = open_cell_reader(earlier_path)
    try:
        with zipfile.ZipFile(earlier_path) as zf:  # what the members' books held then
            record = read_record(read_layout(zf), cells)
        for table in TYPED_TABLES:
            read = book.tables.get(table)
            if read is None:
                continue
            frame = tables.get(table)
            if frame is not None:  # first the reviews typed onto members' rows
                frame, kept, over = carry_reviews(
                    table, _as_typed(_named_rows(read.frame), read, cells), frame, record)
                tables[table] = frame
                carried.cells.update({table: kept} if kept else {})
                carried.overridden += over
            rows = _own_rows(read.frame)
            if rows.empty:
                continue
            rows = _as_typed(rows, read, cells)
            rows = rows.drop(columns=[member_column(rows)]).assign(**{label: None})
            rows = _unique_ids(rows, frame, table, carried.renamed)
            typed[table] = rows
            if frame is not None:  # the new table's columns, in its order
                rows = rows.reindex(columns=frame.columns)
                both = [f for f in (frame, rows) if not f.empty]
                tables[table] = pd.concat(both, ignore_index=True) if len(both) > 1 else rows
            else:
                tables[table] = rows.reset_index(drop=True)
            carried.rows[table] = len(rows)
    finally:
        cells.close()
    if carried.rows.get("Problems") or carried.cells.get("Problems"):  # impacts, categories
        rollup.problems = problem_summary(tables["Problems"], label)
    if typed and rollup.period is not None:
        rollup.whole = with_typed(rollup.whole, typed, rollup.period)
    return carried
