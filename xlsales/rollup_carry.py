"""The rows a manager typed into the earlier roll-up, carried into the one replacing it
(``consolidate --force`` onto the same ``-o``).

Between weekly runs a manager types the team's own problems, lessons, targets and
reviewed actions into the roll-up: rows that name no member (every member's row names
its member). Consolidating again writes every table afresh from the members' books, so
those rows were only kept in the backup. :func:`carry_rows` reads them from the earlier
roll-up and puts them back at the end of the same tables of the new one, as they were:
their IDs kept (one a member's row now holds gets ``-2`` after it, and the report says
so). The problem summary counts them, as ``kpis`` on the roll-up does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xlsales.errors import XlsalesError
from xlsales.io.cells import READ_FAILURES, CellReader, open_cell_reader
from xlsales.io.reader_data import ReadTable
from xlsales.rollup_merge import Rollup
from xlsales.rollup_rank import PREFIXED_IDS, member_column, problem_summary
from xlsales.rollup_within import WITHIN_KEY

#: The member tables a manager may type a row of the team's own into (the big sales and
#: activity sheets are the members'; `import` into a roll-up is refused).
TYPED_TABLES = ("Targets", "Problems", "Lessons", "ActionReview")


@dataclass
class Carried:
    """What :func:`carry_rows` put into the new roll-up, and what it could not."""

    #: table name → rows carried
    rows: dict[str, int] = field(default_factory=dict)
    #: (old ID, new ID) of the rows whose ID a member's row now holds
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: why nothing was carried: (zh, en); None when it was
    not_carried: tuple[str, str] | None = None


def _blank(values: pd.Series) -> pd.Series:
    """Where ``values`` holds nothing (None, NaN or only spaces)."""
    return values.isna() | values.astype("string").str.strip().fillna("").eq("")


def _own_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a roll-up's table (as read) that name no member and hold something."""
    who = member_column(frame)
    if who is None or frame.empty:
        return frame.iloc[0:0]
    rest = [c for c in frame.columns if c not in (who, WITHIN_KEY)]
    filled = ~pd.concat([_blank(frame[c]) for c in rest], axis=1).all(axis=1) \
        if rest else pd.Series(False, index=frame.index)
    return frame[_blank(frame[who]) & filled]


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
                renamed: list[tuple[str, str]]) -> pd.DataFrame:
    """``rows`` with each ID the new ``frame`` already holds given ``-2`` (``-3`` …)."""
    key = next(iter(PREFIXED_IDS.get(table, ())), None)  # the row's own ID
    if key is None or key not in rows:
        return rows
    taken = set() if frame is None or key not in frame else \
        {str(v) for v in frame[key].dropna()}
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
        renamed.append((str(value), ids[-1]))
    return rows.assign(**{key: ids})


def carry_rows(earlier_path: Path, earlier_lang: str, rollup: Rollup) -> Carried:
    """Put the rows of :data:`TYPED_TABLES` naming no member in the earlier roll-up at
    ``earlier_path`` (in ``earlier_lang``) at the end of ``rollup``'s tables, before it is
    written; the problem summary counts them. Nothing is carried from a roll-up in
    another language (its list entries would be in that one), of another period (a
    problem typed for October is no November problem) or one that cannot be read:
    :attr:`Carried.not_carried` says why."""
    from xlsales.io.reader import read_workbook

    carried = Carried()
    if rollup.data is None:
        return carried
    if earlier_lang != rollup.lang:
        carried.not_carried = ("上次的汇总是另一种语言",
                               "the earlier roll-up is in another language")
        return carried
    try:
        book = read_workbook(earlier_path, count_formulas=False)
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
    cells = open_cell_reader(earlier_path)
    try:
        for table in TYPED_TABLES:
            read = book.tables.get(table)
            if read is None:
                continue
            rows = _own_rows(read.frame)
            if rows.empty:
                continue
            rows = _as_typed(rows, read, cells)
            rows = rows.drop(columns=[member_column(rows)]).assign(**{label: None})
            frame = tables.get(table)
            rows = _unique_ids(rows, frame, table, carried.renamed)
            if frame is not None:  # the new table's columns, in its order
                rows = rows.reindex(columns=frame.columns)
                both = [f for f in (frame, rows) if not f.empty]
                tables[table] = pd.concat(both, ignore_index=True) if len(both) > 1 else rows
            else:
                tables[table] = rows.reset_index(drop=True)
            carried.rows[table] = len(rows)
    finally:
        close = getattr(cells, "close", None)
        if close is not None:
            close()
    if carried.rows.get("Problems"):
        rollup.problems = problem_summary(tables["Problems"], label)
    return carried
