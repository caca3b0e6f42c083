"""One spec table read into a typed frame: its header matched to the spec's columns (in
either language; unknown headers are custom fields and are kept), blank rows skipped,
rows typed just below it included, and every value normalised per its column's type, each
repair an info finding and each unreadable value an error finding. Once the settings
lists are read, a built-in region, product or category named otherwise than its list
names it (``华东`` in an English book listing ``East``) takes the list's name, also an
info finding (:func:`named_as_in_lists`).

The cells come as the sheet's grid of Python values, or, for a large table located by
name, as columns read in the background (:mod:`xlsales.io.fastread`). pandas is imported
only once the values are ready, so that a large table is already being read meanwhile."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from xlsales.findings import Finding, counted, finding
from xlsales.io import fastread
from xlsales.io.beside import beside_in_grid, beside_in_xml
from xlsales.io.reader_a1 import get_column_letter, range_boundaries
from xlsales.io.reader_data import ReadTable
from xlsales.io.reader_headers import repeated_headers
from xlsales.io.reader_locate import locate_table
from xlsales.io.reader_merged import merged_in_table
from xlsales.io.reader_notes import is_total_label, last_marked, note_finding, note_rows
from xlsales.io.reader_session import ReadSession
from xlsales.io.reader_values import _typed_frame, issue_finding
from xlsales.spec import Column, Lang, Table
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank, without_brackets


def _columns_of(grid: list[list[object]], first: int, last: int,
                cols: list[int]) -> dict[int, list[object]]:
    """Values of the 1-based columns ``cols`` for Excel rows ``first``..``last``,
    one list per column (transposed in C, not cell by cell)."""
    block = grid[first - 1:last]
    if not block or not cols:  # no column found: the missing ones are reported
        return {c: [] for c in cols}
    width = max(cols)
    if min(map(len, block)) < width:  # openpyxl rows can be ragged; calamine's are not
        block = [r if len(r) >= width else list(r) + [None] * (width - len(r)) for r in block]
    transposed = list(zip(*block, strict=False))  # rows are at least `width` long
    return {c: list(transposed[c - 1]) for c in cols}


def _kept_rows(cells: dict[int, fastread.FastColumn], input_cols: list[int],
               count: int, skipped: range, notes: list[int]) -> Any:
    """Positions (numpy) of the rows not blank in every input column, not ``skipped``
    (a totals row) and not ``notes``, as in :func:`read_table`; None when every row is
    kept."""
    import numpy as np

    blank = np.ones(count, dtype=bool)
    for col in input_cols:
        blank &= cells[col].blank()
        if not blank.any():
            break
    blank[skipped.start:skipped.stop] = True
    blank[notes] = True
    return np.flatnonzero(~blank) if blank.any() else None


def _grid_blank(values: Sequence[object], start: int) -> list[bool]:
    """True where a cell of ``values`` from position ``start`` on is empty."""
    return [v is None or v == "" for v in values[start:]]


def _warn_beside(session: ReadSession, table: Table, sheet: str, header_row: int, c2: int,
                 header: list[object] | None) -> None:
    """A warning when columns are typed right beside ``table`` on its header row but
    outside it (:mod:`xlsales.io.beside`); ``header`` is the header row of the grid,
    None when the sheet was read column-wise (its XML is searched then)."""
    taken: set[int] = set()
    for other in session.layout.tables:
        if other.sheet == sheet and other.name != table.name:
            tc1, tr1, tc2, tr2 = range_boundaries(other.ref)
            if tr1 <= header_row <= tr2:
                taken.update(range(tc1, tc2 + 1))
    if header is not None:
        found = beside_in_grid(header, c2, taken)
    elif session.zf is not None:
        part = session.layout.sheet(sheet).part
        found = beside_in_xml(session.zf, part, header_row, c2, taken)
    else:
        found = []
    if found:
        session.findings.append(finding(
            "column_beside_table", sheet=sheet, table=table.name, row=header_row,
            cell=f"{get_column_letter(found[0])}{header_row}", value=len(found),
            count=len(found), columns_en=counted(len(found), "column")))


def look_alike(column: Column, headers: Iterable[str]) -> str | None:
    """The one of ``headers`` (a table's headers the spec does not know) that reads as
    ``column``'s label in either language, renamed a little: a unit or note added in
    brackets (``金额（元）``), a letter left out or swapped (``Amout``), or words added
    around it (``成交日期``, ``客户名称``, ``Order Date``: the one header that holds the
    label); None if none does."""
    labels = {name_key(column.label.zh), name_key(column.label.en)}
    best, score = None, 0.0
    holding = []
    for header in headers:
        key = name_key(without_brackets(header)) or name_key(header)
        if key in labels:
            return header
        ratio = max(SequenceMatcher(None, key, label).ratio() for label in labels)
        if ratio > score:
            best, score = header, ratio
        if any(_holds(key, label) for label in labels):
            holding.append(header)
    if score >= 0.8:
        return best
    return holding[0] if len(holding) == 1 else None


def _holds(key: str, label: str) -> bool:
    """Whether the header ``key`` holds the label ``label`` with words around it: a
    Chinese label of two characters or more anywhere in it, an English one as words."""
    if not label or len(label) < 2 or key == label:
        return False
    if label.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", key) is not None
    return label in key




def read_table(session: ReadSession, table: Table) -> ReadTable | None:
    """``table`` as read in ``session``'s workbook, None if it is not there; what was
    repaired or cannot be read is added to the session's findings."""
    where = locate_table(session, table)
    if where is None:
        return None
    sheet, header_row, c1, c2, last_row, how = where
    block = session.take_block(table, sheet) if how == "name" else None
    if block is not None:
        header: list[object] = [None] * (c1 - 1) + block.header
        height = block.last_row  # the grid's length: its last row
    else:
        grid = session.grid(sheet)
        header = grid[header_row - 1] if header_row - 1 < len(grid) else []
        height = len(grid)
    index = table.header_index()
    columns: dict[str, int] = {}
    for col in range(c1, c2 + 1):
        text = header[col - 1] if col - 1 < len(header) else None
        if is_blank(text):
            continue
        key = index.get(name_key(text))
        if key is not None:
            columns.setdefault(key, col)
            column = table.column(key)
            zh = name_key(column.label.zh)
            session.lang_votes["zh" if name_key(text) == zh else "en"] += (
                zh != name_key(column.label.en))
        else:
            columns.setdefault(str(text).strip(), col)
    if how == "name" and not table.form_fields:
        _warn_beside(session, table, sheet, header_row, c2, header if block is None else None)
    custom = {k: col for k, col in columns.items() if k not in table.key_set}
    for c in table.columns:
        if c.is_input and c.key not in columns and not c.optional:
            rule = "missing_column" if c.required or c.essential else "absent_column"
            label = c.label.get(session.lang())
            found = look_alike(c, custom)
            cell = f"{get_column_letter(custom[found])}{header_row}" if found else None
            fix = ((f"{cell} 的表头是“{found}”，若这就是该列，请把表头改回“{label}”",
                    f"the header at {cell} reads '{found}': if that is the column, rename "
                    f"it back to '{label}'") if found else
                   ("请恢复该列（可从新模板复制表头）" if rule == "missing_column"
                    else f"如果改了名，请改回“{label}”",
                    "restore it (copy the header from a new template)"
                    if rule == "missing_column" else f"If you renamed it, rename it back to "
                                                     f"'{label}'"))
            session.findings.append(finding(rule, sheet=sheet, row=header_row, cell=cell,
                                            table=table.name, label=label,
                                            fix_zh=fix[0], fix_en=fix[1]))
    input_cols = [col for key, col in columns.items()
                  if key not in table.key_set or table.column(key).is_input]
    end = last_row if last_row is not None else height
    if last_row is not None and not table.form_fields:
        end = height  # rows typed just below the table belong to it
    first = header_row + 1
    info = session.layout.table(table.name) if how == "name" else None
    totals = info.totals_rows if info is not None and last_row is not None else 0
    skipped = range(last_row + 1 - first, last_row + 1 - first + totals) if totals else range(0)
    count = max(0, end - first + 1)
    markers = [] if table.form_fields else [
        columns[c.key] for c in table.row_markers if c.key in columns]
    cells: dict[int, list[object] | fastread.FastColumn]
    fast: dict[int, fastread.FastColumn] = {}
    grid_cells: dict[int, list[object]] = {}
    if block is not None:  # rows header_row + 1 .. height, columns c1..c2
        fast = {col: block.columns[col] for col in columns.values()}

        def blank_of(col: int, start: int) -> Sequence[bool]:
            return fast[col].blank()[start:]

        def values_of(col: int, start: int) -> Sequence[object]:
            return fast[col].values()[start:]
    else:
        grid_cells = _columns_of(grid, first, end, list(columns.values()))

        def blank_of(col: int, start: int) -> Sequence[bool]:
            return _grid_blank(grid_cells[col], start)

        def values_of(col: int, start: int) -> Sequence[object]:
            return grid_cells[col][start:]
    # below the range (a table found by its header has none: below its last row filling
    # a marker column), notes and typed totals are not rows (:mod:`reader_notes`)
    def unmarked_of(col: int, start: int) -> Sequence[bool]:
        """A marker column's cells that do not make a row: empty, or a total's label."""
        return [b or is_total_label(v) for b, v in zip(blank_of(col, start),
                                                       values_of(col, start), strict=True)]

    tail = (last_row + totals + 1 - first if last_row is not None
            else last_marked(unmarked_of, markers, count) if markers else count)
    notes, note_col, said = note_rows(blank_of, values_of, markers, input_cols, tail, count)
    headers = [] if table.form_fields else repeated_headers(table, columns, count, fast,
                                                            grid_cells)
    if block is not None:
        kept = _kept_rows(fast, input_cols, count, skipped, notes + headers)
        cells = {col: values.take(kept) for col, values in fast.items()} if kept is not None \
            else dict(fast)
        keep = kept.tolist() if kept is not None else range(count)
    else:
        cells = dict(grid_cells)
        blanks = list(range(count))  # positions blank in every input column so far
        for col in input_cols:
            values = grid_cells[col]
            blanks = [i for i in blanks if values[i] is None or values[i] == ""]
            if not blanks:
                break
        # a totals row, notes and a header pasted again are not data either
        dropped = set(blanks) | set(skipped) | set(notes) | set(headers)
        keep = [i for i in range(count) if i not in dropped] if dropped else range(count)
        if dropped:
            cells = {col: [values[i] for i in keep] for col, values in grid_cells.items()}
    rows = (list(range(first, first + len(keep))) if isinstance(keep, range)
            else [first + i for i in keep])
    if headers:
        n = len(headers)
        session.findings.append(finding(
            "header_repeated", sheet=sheet, table=table.name, row=first + headers[0],
            cell=f"{get_column_letter(c1)}{first + headers[0]}", value=n, count=n,
            rows_en=counted(n, "row"), repeat_en="repeats" if n == 1 else "repeat"))
    if notes and note_col is not None:
        note_finding(session, table, sheet, f"{get_column_letter(note_col)}{first + notes[0]}",
                     first + notes[0], len(notes), said)
    if last_row is not None and not table.form_fields:
        _below_findings(session, table.name, sheet, c1, rows, last_row, last_row + totals)
    unreadable: dict[str, set[int]] = {}
    frame = _typed_frame(session, table, sheet, columns, rows, cells, unreadable)
    hidden, merged = merged_in_table(session.merges(sheet), table, sheet, columns, rows,
                                     frame, unreadable, session.lang())
    session.findings += merged
    return ReadTable(table, sheet, header_row, columns, rows, frame, how, unreadable,
                     session.formulas_complete(table.name) if how == "name" else None,
                     hidden)


def _below_findings(session: ReadSession, table: str, sheet: str, c1: int, rows: list[int],
                    last_row: int, range_end: int) -> None:
    """The findings of the ``rows`` read below ``table``'s data (which ends at
    ``last_row``; its range, a totals row too, at ``range_end``): those right under the
    range (``rows_below_table``: ``validate --write`` takes them in), then those after a
    blank row or a note (``rows_apart_from_table``: it does not), one finding each."""
    below = rows[bisect_right(rows, last_row):]  # rows ascend: those below are the last
    run = 0
    while run < len(below) and below[run] == range_end + 1 + run:
        run += 1
    for rule, group in (("rows_below_table", below[:run]),
                        ("rows_apart_from_table", below[run:])):
        if group:
            row, n = group[0], len(group)
            session.findings.append(finding(rule, sheet=sheet, table=table,
                                            cell=f"{get_column_letter(c1)}{row}", row=row,
                                            value=n, count=n, rows_en=counted(n, "row")))


def named_as_in_lists(tables: Mapping[str, ReadTable], lists: Mapping[str, Sequence[str]],
                      lang: Lang, findings: list[Finding]) -> None:
    """Rename, in the frames of ``tables``, each value of a list column with built-in
    entries (region, product …) that is not in the workbook's list but names an entry
    the list has otherwise (``华东`` typed in an English book listing ``East``; by
    :meth:`~xlsales.spec.SettingsList.default_in`, the book's language first) to the
    list's name, one ``converted`` info finding each in ``findings`` holding the text as
    typed (which replaces the finding of its trimmed spaces). Entries a team added, and
    values the list has in neither form, stay as typed.

    Run once the lists are read; it works on the frames, so the column-wise and the grid
    reads give the same frames and findings."""
    for read in tables.values():
        for column in read.spec.builtin_list_columns:
            source = column.list_source
            if source is None or not column.is_input or column.key not in read.columns:
                continue
            allowed = set(lists.get(source.key, ()))
            renamed: dict[str, object] = {
                v: name for v in read.frame[column.key].unique().tolist()
                if (name := source.listed_name(v, allowed, lang)) is not None}
            if renamed:
                _rename(read, column, renamed, lang, findings)


def _rename(read: ReadTable, column: Column, renamed: dict[str, object], lang: Lang,
            findings: list[Finding]) -> None:
    """Replace the values of ``column`` per ``renamed``, each with its finding."""
    import numpy as np

    values = read.frame[column.key]
    positions = np.flatnonzero(values.isin(list(renamed)).to_numpy(dtype=bool))
    cells = {read.cell(column.key, int(i)): int(i) for i in positions}
    typed: dict[str, object] = {}  # cell → the text as typed, where spaces were trimmed
    kept: list[Finding] = []
    for f in findings:
        if (f.rule == "converted" and f.table == read.spec.name and f.column == column.key
                and f.cell in cells):
            typed[f.cell] = f.value
        else:
            kept.append(f)
    findings[:] = kept
    for cell, i in cells.items():
        findings.append(issue_finding(column, "list_name", typed.get(cell, values.iat[i]),
                                       read.sheet, cell, read.rows[i], read.spec.name, lang))
    read.frame[column.key] = values.replace(renamed)
