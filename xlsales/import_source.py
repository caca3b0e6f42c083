"""The cells of a CRM export file, found as a person would find them.

A CSV or text export is decoded (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode
text", GBK/GB18030, Big5 as CP950 or Big5-HKSCS: see :mod:`xlsales.import_encoding`) and
split by the delimiter its records agree on (comma, semicolon, tab or bar; quoted values
may hold delimiters, line breaks and doubled quotes). A workbook export gives its first
visible sheet whose header row names the most known columns. A file named ``.xls``/``.xlsx``
that is really text (what many Chinese systems call "export to Excel") is read as text.
The header is the first row, among the first :data:`HEADER_SEARCH_ROWS`, naming at least
two known columns (a title or a date line above it is passed over), else the first row
that is not blank.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.errors import UsageError, WorkbookError
from xlsales.import_encoding import decode_text
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.io.ooxml import SheetInfo

#: ``DataFrame.attrs`` key of the 1-based row (line) of the export's header
HEADER_ROW = "header_row"
#: ``DataFrame.attrs`` key of the sheet the rows came from (workbook exports)
SHEET = "sheet"
#: ``DataFrame.attrs`` key of ``{body row index: [values past the header's last column]}``
OVERFLOW = "overflow"
#: ``DataFrame.attrs`` key of ``{column: {body row index}}``: a workbook export's cells
#: formatted as percent (they hold the fraction Excel shows as 50%)
PERCENT_CELLS = "percent_cells"
#: ``DataFrame.attrs`` key of ``[(column, first row, last row)]``: a workbook export's
#: cells merged over rows below its header (a rep's name merged over the rep's orders),
#: whose value, in the first row only, is filled into each row the merge covers
MERGED_FILLED = "merged_filled"
#: ``DataFrame.attrs`` key of ``[(column, unit)]``: the units row under the header
#: (``,,,元,,``) whose units the column's header does not take (``CNY``): read, set aside
UNITS_ROW = "units_row"
#: How far down a sheet or file the header row is looked for.
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
_WORKBOOK_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0")


def read_export(path: Path, known: Collection[str] = ()) -> pd.DataFrame:
    """All cells of the export at ``path`` below its header row, as text or values; the
    header (``known`` header names help find it) gives the column names. The header's
    1-based row is ``frame.attrs[HEADER_ROW]``, the sheet of a workbook export
    ``frame.attrs[SHEET]``, values past the header's width ``frame.attrs[OVERFLOW]``."""
    if path.is_dir():
        raise UsageError(f"{path} 是文件夹，不是导入文件：请给出 CSV 或 xlsx 文件。",
                         f"{path} is a folder, not an export file: give a CSV or xlsx file.")
    if not path.is_file():
        raise UsageError(f"找不到导入文件 {path}。", f"The export file {path} was not found.")
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise WorkbookError(f"无法读取导入文件 {path}（{exc.strerror}）：请检查文件权限。",
                            f"Cannot read the export file {path} ({exc.strerror}): check "
                            "that you may read it.") from exc
    names = {name_key(n) for n in known if str(n).strip()}
    percent: set[tuple[int, int]] = set()
    merges: list[tuple[int, int, int, int]] = []
    if head.startswith(_WORKBOOK_MAGICS) or not _is_text(head):
        rows, sheet, percent, merges = _workbook_rows(path, names)
    else:
        rows, sheet = _text_rows(path, names), None
    header = header_index(rows, names)
    filled = _fill_merged(rows, merges, header)
    if (below := _sub_header(rows, header, names)) is not None:  # a two-level header
        rows = [*rows[:header], [], below, *rows[header + 2:]]
        header += 1
    units: list[tuple[str, str]] = []
    if (named := units_row(rows, header)) is not None:  # ,,,元,, under the header
        top, units = named
        rows = [*rows[:header], [], top, *rows[header + 2:]]
        header += 1
    frame = _frame(rows[header:], path, header + 1)
    frame.attrs[UNITS_ROW] = units
    if sheet is not None:
        frame.attrs[SHEET] = sheet
        frame.attrs[MERGED_FILLED] = [
            (str(frame.columns[c]), r1, r2) for c, r1, r2 in filled if c < frame.shape[1]]
        columns = list(frame.columns)
        by_column: dict[str, set[int]] = {}
        for row, col in percent:
            if row > header and col < len(columns):
                by_column.setdefault(columns[col], set()).add(row - header - 1)
        frame.attrs[PERCENT_CELLS] = by_column
    return frame


def _is_text(head: bytes) -> bool:
    """Whether a file beginning with ``head`` is delimited text (not HTML, XML …)."""
    from xlsales.io.safety_filekind import CSV, TSV, sniff_other

    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or sniff_other(
        head, ".csv") in (CSV, TSV)


def _sub_header(rows: list[list[object]], header: int, names: set[str]
                ) -> list[object] | None:
    """The header of an export whose header takes two rows (``金额`` over ``原币`` and
    ``币种``, the top one merged across them; what ERPs and Chinese CRMs export), as one
    row: each column's name from the row below where the header row is empty there,
    else the header row's. None when the row below the header is no such row: it names
    none of ``names`` (the fields' and CRMs' names), holds anything but text, or fills
    half the header's columns or more (as a record does)."""
    if header + 1 >= len(rows):
        return None
    top, below = rows[header], rows[header + 1]
    cells = [v for v in below if not is_blank(v)]
    named = sum(1 for v in top if not is_blank(v))
    if not cells or 2 * len(cells) >= named or not all(isinstance(v, str) for v in cells) \
            or not any(name_key(v) in names for v in cells):
        return None
    width = max(len(top), len(below))
    top = [*top, *[None] * (width - len(top))]
    below = [*below, *[None] * (width - len(below))]
    return [b if is_blank(t) else t for t, b in zip(top, below, strict=True)]


def units_row(rows: list[list[object]], header: int
              ) -> tuple[list[object], list[tuple[str, str]]] | None:
    """The header with the units row under it (``,,,元,,`` or ``,,,CNY,,``, as Chinese
    CRMs and ERPs export) read as its part: a unit the header can give (``元``, ``万元``)
    is written into its column's header (``金额`` → ``金额（万元）``, scaled as such a header
    is: :mod:`xlsales.import_units`); any other (``CNY``, ``件``) is listed with its
    column's header, set aside. None when the row under the header is no units row: it
    holds anything but short words of no digit, or fills half the header's columns or
    more (as a record does)."""
    from xlsales.import_units import header_unit

    if header + 1 >= len(rows):
        return None
    top, below = list(rows[header]), rows[header + 1]
    cells = [(i, str(v).strip()) for i, v in enumerate(below) if not is_blank(v)]
    named = sum(1 for v in top if not is_blank(v))
    if not cells or 2 * len(cells) >= named or any(
            not isinstance(below[i], str) or len(u) > 6 or any(ch.isdigit() for ch in u)
            or i >= len(top) or is_blank(top[i]) or not _is_unit(u) for i, u in cells):
        return None
    aside = []
    for i, unit in cells:
        head = str(top[i]).strip()
        if header_unit(f"{head}（{unit}）") is not None:
            top[i] = f"{head}（{unit}）"
        else:
            aside.append((head, unit))
    return top, aside


def _is_unit(word: str) -> bool:
    """Whether ``word`` names a unit or currency, as a units row gives them."""
    from xlsales.import_units import header_unit
    from xlsales.parse_numbers import currency_of

    return (header_unit(f"x（{word}）") is not None or currency_of(f"1{word}") is not None
            or currency_of(f"{word}1") is not None or word in _COUNT_UNITS)


#: Units a units row gives columns other than amounts: counts, percent, days.
_COUNT_UNITS = frozenset({"%", "个", "件", "台", "套", "次", "天", "日", "人", "pcs"})


def _fill_merged(rows: list[list[object]], merges: list[tuple[int, int, int, int]],
                 header: int) -> list[tuple[int, int, int]]:
    """Fills the value of each merge over rows below the ``header`` row (0-based) down
    its first column, into the cells the merge covers that read empty: a CRM grouping
    its rows (the rep's name merged over the rep's orders) shows that value in each row,
    and a reader sees it only in the first. Returns (0-based column, 1-based first and
    last row) of each merge filled."""
    filled = []
    for c1, r1, _, r2 in sorted(merges, key=lambda m: (m[1], m[0])):
        if r1 <= header + 1 or r2 == r1 or r1 > len(rows):  # the header's, or one row
            continue
        top = rows[r1 - 1][c1 - 1] if c1 <= len(rows[r1 - 1]) else None
        if is_blank(top):
            continue
        done = False
        for r in range(r1 + 1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) < c1:
                row.extend([None] * (c1 - len(row)))
            if is_blank(row[c1 - 1]):
                row[c1 - 1] = top
                done = True
        if done:
            filled.append((c1 - 1, r1, min(r2, len(rows))))
    return filled


def _workbook_rows(path: Path, names: set[str]) -> tuple[
        list[list[object]], str, set[tuple[int, int]], list[tuple[int, int, int, int]]]:
    """The rows of the workbook's visible sheet whose header names the most of ``names``
    (the first of those alike; else its first visible sheet), that sheet's name, its
    cells formatted as percent (:func:`~xlsales.io.percent_cells.percent_cells`) and its
    merged ranges (first column, first row, last column, last row; 1-based); other files
    are refused with advice (a legacy ``.xls``, a web page saved as ``.xls`` …)."""
    from xlsales.io.cells import READ_FAILURES, cells_of
    from xlsales.io.mergecells import merged_ranges
    from xlsales.io.ooxml import read_layout
    from xlsales.io.percent_cells import percent_cells
    from xlsales.io.safety import check_workbook_file

    check_workbook_file(path)
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = read_layout(zf).sheets
        if not sheets:
            raise UsageError(f"{path.name} 中没有工作表。", f"{path.name} has no worksheet.")
        visible = [s for s in sheets if s.state == "visible"] or list(sheets)
        # the sheet whose header names the most known columns: a summary sheet before
        # the records (汇总: 销售人员, 金额) names fewer than the records' sheet does
        best: tuple[int, list[list[object]], SheetInfo] | None = None
        with cells_of(path) as reader:
            for sheet in visible:
                rows = [list(r) for r in reader.rows(sheet.name)]
                found = _header_matches(rows, names)
                score = 0 if found is None else _named(rows[found], names)
                if best is None or score > best[0]:
                    best = score, rows, sheet
        assert best is not None
        _, rows, chosen = best
        with zipfile.ZipFile(path) as zf:
            percent = percent_cells(zf, chosen.part)
            merges = merged_ranges(zf, chosen.part)
    except READ_FAILURES as exc:
        raise WorkbookError(f"{path.name} 已损坏，无法读取（{exc}）。",
                            f"{path.name} is damaged and cannot be read ({exc}).") from exc
    return rows, chosen.name, percent, merges


def _text_rows(path: Path, names: set[str]) -> list[list[object]]:
    """The records of a delimited text file (``names``, known header names, help tell
    its encoding)."""
    text = decode_text(path.read_bytes(), path, names)
    delimiter = sniff_delimiter(text)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                            delimiter=delimiter, strict=False)]
    except csv.Error as exc:
        raise WorkbookError(f"无法按 CSV 读取 {path.name}（{exc}）。",
                            f"Cannot read {path.name} as CSV ({exc}).") from exc


def sniff_delimiter(text: str, sample: int = 65536, records: int = 200) -> str:
    """The delimiter most records of ``text`` agree on: the one that splits the most of
    the first ``records`` non-blank records into the same number (more than one) of
    values, read with CSV quoting (so a delimiter, a line break or a doubled quote inside
    a quoted value does not mislead it); a comma when none splits anything."""
    head = text[:sample]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths: list[int] = []
        try:
            for record in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter,
                                     strict=False):
                if any(v.strip() for v in record):
                    widths.append(len(record))
                if len(widths) >= records:
                    break
        except csv.Error:
            continue
        if len(head) < len(text) and len(widths) > 1:
            widths.pop()  # the sample may end inside a record
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def header_index(rows: list[list[object]], names: set[str]) -> int:
    """0-based index of the header row: the first of the first rows naming at least two
    of ``names`` (as :func:`~xlsales.spec.traditional.name_key` compares them: ``訂單編號``
    is ``订单编号``), else the first row that is not blank."""
    found = _header_matches(rows, names)
    if found is not None:
        return found
    return next((i for i, r in enumerate(rows) if any(not is_blank(v) for v in r)), len(rows))


def _header_matches(rows: list[list[object]], names: set[str]) -> int | None:
    if not names:
        return None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _named(row, names) >= 2:
            return i
    return None


def _named(row: list[object], names: set[str]) -> int:
    """How many of ``names`` the cells of ``row`` name."""
    return len({name_key(v) for v in row if not is_blank(v)} & names)


def _headers(raw: list[object]) -> list[str]:
    """Header texts, trimmed, blank ones named by position, duplicates numbered."""
    out: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(raw, 1):
        base = "" if is_blank(value) else str(value).strip()
        base = base or f"Column {i}"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        out.append(name)
    return out


def _frame(rows: list[list[object]], path: Path, header_row: int) -> pd.DataFrame:
    if not rows or all(is_blank(v) for v in rows[0]):
        raise UsageError(
            f"导入文件 {path.name} 是空的，没有表头和数据：请从 CRM 重新导出后再导入。",
            f"The export {path.name} is empty: no header, no rows. Export it from the CRM "
            "again and import the new file.")
    raw_header = list(rows[0])
    width = len(raw_header)
    body, overflow = [], {}
    for i, r in enumerate(rows[1:]):
        extra = [v for v in r[width:] if not is_blank(v)]
        if extra:
            overflow[i] = extra
        body.append(r + [""] * (width - len(r)) if len(r) < width else r[:width])
    import pandas as pd  # not at import: the CLI loads this module for every command

    frame = pd.DataFrame(body, columns=_headers(raw_header), dtype=object)
    frame.attrs[HEADER_ROW] = header_row
    frame.attrs[OVERFLOW] = overflow
    return frame
