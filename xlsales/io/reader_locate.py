"""Where a spec table is in a workbook: by its Excel Table name, else by its header labels
in either language among the first rows of the sheets (a table converted to a range, a
sheet renamed), bounded to the one run of adjacent header cells that best matches them
(tables side by side stay apart); a one-column table (a settings list) by its label, on
its own sheet only, where that label is one cell with a value below it."""

from __future__ import annotations

import re

from xlsales.findings import finding
from xlsales.io.reader_a1 import range_boundaries
from xlsales.io.reader_session import ReadSession
from xlsales.spec import Table
from xlsales.spec.traditional import name_key
from xlsales.values import fold, is_blank

HEADER_SEARCH_ROWS = 30
#: A later version of a plan sheet or table: "计划-行动 v2" holding table PlanActionsV2
_VERSION = re.compile(r"(.+?) ?v\d+")


def _names_one_of(name: str, names: set[str]) -> bool:
    """``name`` is one of ``names`` (lower case), or a later version of one:
    ``PlanActionsV2`` of planactions, ``计划-行动 v2`` of 计划-行动."""
    text = name.lower()
    match = _VERSION.fullmatch(text)
    return text in names or (match is not None and match[1] in names)


def locate_table(session: ReadSession,
                 table: Table) -> tuple[str, int, int, int, int | None, str] | None:
    """(sheet, header row, first col, last col, last data row or None, how) of
    ``table``; a totals row is not data."""
    info = session.layout.table(table.name)
    if info is not None:
        c1, r1, c2, _ = range_boundaries(info.ref)
        return info.sheet, r1, c1, c2, info.data_end(), "name"
    index = table.header_index()
    needed = max(2, min(4, len(table.columns)))
    sheet_spec = session.spec.sheet_of(table.name)
    preferred = [n for n in sheet_spec.name.all() if n in [s.name for s in
                                                           session.layout.sheets]]
    if len(table.columns) == 1:  # one header cannot tell tables apart: its own sheet only
        return _single_column(session, table, preferred)
    # sheets holding another spec table by name, or a version of one, are that table's
    known = {t.name.lower() for s in session.spec.sheets for t in s.tables} - {
        table.name.lower()}
    taken = {t.sheet for t in session.layout.tables if _names_one_of(t.name, known)}
    # and a version of another spec sheet (its table converted to a range) is that one's
    other_sheets = {n.lower() for s in session.spec.sheets if table not in s.tables
                    for n in s.name.all()}
    taken |= {s.name for s in session.layout.sheets if _VERSION.fullmatch(s.name.lower())
              and _names_one_of(s.name, other_sheets)}
    preferred = [n for n in preferred if n not in taken]
    others = [s.name for s in session.layout.sheets if s.name not in preferred
              and s.name not in taken]
    for sheet in preferred + others:
        found = _best_block(_header_blocks(session, sheet), table, index, needed)
        if found is not None:
            r, c1, c2 = found
            session.findings.append(finding("table_by_header", sheet=sheet, row=r,
                                            table=table.name))
            return sheet, r, c1, c2, None, "header"
    return None


def _blocks(row: list[object]) -> list[tuple[int, int]]:
    """(first col, last col), 1-based, of each run of adjacent non-blank cells of
    ``row``: a blank cell ends a run, as a blank column ends a table."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for c, v in enumerate(row, start=1):
        if is_blank(v) or not fold(v):
            if start is not None:
                runs.append((start, c - 1))
            start = None
        elif start is None:
            start = c
    if start is not None:
        runs.append((start, len(row)))
    return runs


#: (row, first col, last col, the cells' name keys) of a run of adjacent header cells
HeaderBlock = tuple[int, int, int, list[str]]


def _header_blocks(session: ReadSession, sheet: str) -> list[HeaderBlock]:
    """The runs of adjacent non-blank cells (:func:`_blocks`) among the first rows of
    ``sheet``, each cell as its name key: found once per sheet and read, however many
    tables are looked for on it (a book without plan sheets has its five plan tables
    looked for on every other sheet)."""
    found = session.header_blocks.get(sheet)
    if found is None:
        grid = session.grid(sheet)
        found = session.header_blocks[sheet] = [
            (r, c1, c2, [name_key(v) for v in row[c1 - 1:c2]])
            for r, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1)
            for c1, c2 in _blocks(row)]
    return found


def _best_block(blocks: list[HeaderBlock], table: Table, index: dict[str, str],
                needed: int) -> tuple[int, int, int] | None:
    """(row, first col, last col) of the block of adjacent header cells among the first
    rows of a sheet (``blocks``: :func:`_header_blocks`) that is ``table``'s header:
    holding at least ``needed`` of its labels, and of such blocks the one holding most
    of them, then its key (first) column, then the first one. Tables side by side on a
    sheet (the settings lists, the budget caps, the custom fields) are told apart so: a
    label another table shares (the budget category) does not draw that table's columns
    in; the block's other cells are the table's custom columns, cells outside it are
    not the table's."""
    key_column = table.id_key or table.columns[0].key
    best: tuple[tuple[int, bool], int, int, int] | None = None
    for r, c1, c2, names in blocks:
        keys = {index[f] for f in names if f in index}
        score = (len(keys), key_column in keys)
        if len(keys) >= needed and (best is None or score > best[0]):
            best = (score, r, c1, c2)
    return None if best is None else best[1:]


def _single_column(session: ReadSession, table: Table,
                   sheets: list[str]) -> tuple[str, int, int, int, int | None, str] | None:
    """Where a one-column table (a settings list) converted to a range is: the one cell
    among the first rows of its own sheet holding its label in either language alone
    (blank cells left and right of it: not a column of a wider table, such as the budget
    caps' "Budget category"; not inside an Excel Table), with a value right below it.
    None when there is no such cell or more than one."""
    column = table.columns[0]
    labels = {name_key(column.label.zh), name_key(column.label.en)}

    def alone(row: list[object], c: int) -> bool:
        return (c == 1 or is_blank(row[c - 2])) and (c == len(row) or is_blank(row[c]))

    for sheet in sheets:
        inside = [range_boundaries(t.ref) for t in session.layout.tables if t.sheet == sheet]
        grid = session.grid(sheet)
        found = [(r, c) for r, row in enumerate(grid[:HEADER_SEARCH_ROWS], start=1)
                 for c, v in enumerate(row, start=1)
                 if not is_blank(v) and name_key(v) in labels and alone(row, c) and not any(
                     c1 <= c <= c2 and r1 <= r <= r2 for c1, r1, c2, r2 in inside)]
        if len(found) != 1:
            continue
        r, c = found[0]
        below = grid[r][c - 1] if r < len(grid) and c <= len(grid[r]) else None
        if not is_blank(below):
            session.findings.append(finding("table_by_header", sheet=sheet, row=r,
                                            table=table.name))
            return sheet, r, c, c, None, "header"
    return None
