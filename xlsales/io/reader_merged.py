"""Merged cells inside a table's data rows: one finding per merged range that hides cells
of the table, saying that only its first cell holds a value and how to unmerge it.

Excel, WPS and LibreOffice keep a merge's value in its first cell only; the other cells
are empty to every formula (the KPI sheet), and so to xlsales, which reads them as they
are — a value filled down by xlsales alone would make its numbers differ from the
workbook's. A rep who merged a column over several rows (the rep of 18 orders, "include
in next plan" over three problems) sees the value in every row, so the finding names the
merge rather than each cell it hides: the cells it hides that read empty are returned,
and the column rules (required, a flagged problem's fields) leave them to this finding.

A merge over rows is an error: rows the rep filled, as she sees them, are missing their
value to the KPIs and the plan. A merge across columns within one row (a description
merged over the next column) only hides the next cells, which she sees as empty too: a
warning, unless it hides a required field, which is an error as that field's would be.
Hidden cells that do hold a value (LibreOffice's "keep the contents of the hidden
cells") are read and counted as the formulas count them: no finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.findings import Finding, finding
from xlsales.io.mergecells import Merge
from xlsales.io.reader_a1 import get_column_letter
from xlsales.spec import Lang, Table
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

#: Where a merge hides a cell that reads empty: field key → frame position → the
#: merged range (``C456:C473``).
Hidden = dict[str, dict[int, str]]


def merged_in_table(merges: list[Merge], table: Table, sheet: str, columns: dict[str, int],
                    rows: list[int], frame: pd.DataFrame, unreadable: dict[str, set[int]],
                    lang: Lang) -> tuple[Hidden, list[Finding]]:
    """The cells of ``table``'s data ``rows`` (Excel rows of the frame's rows) that
    ``merges`` hide and that read empty, and one finding per merge hiding any; input and
    custom columns only (a calculated cell without its formula is another finding's)."""
    hidden: Hidden = {}
    found: list[Finding] = []
    if not merges or not rows or table.form_fields:
        return hidden, found
    keys = {col: key for key, col in columns.items()
            if key not in table.key_set or table.column(key).is_input}
    position = {r: i for i, r in enumerate(rows)}
    first, last = rows[0], rows[-1]
    for merge in merges:
        c1, r1, c2, r2 = merge
        if r2 < first or r1 > last or not any(c1 <= col <= c2 for col in keys):
            continue
        cells: dict[str, list[int]] = {}  # key → Excel rows of its hidden empty cells
        for col in range(c1, c2 + 1):
            key = keys.get(col)
            if key is None:
                continue
            for r in range(max(r1, first), min(r2, last) + 1):
                pos = position.get(r)
                if ((r, col) == (r1, c1) or pos is None or pos in unreadable.get(key, ())
                        or not is_blank(frame[key].iat[pos])):
                    continue
                cells.setdefault(key, []).append(r)
        if not cells:
            continue
        ref = _ref(merge)
        for key, hidden_rows in cells.items():
            hidden.setdefault(key, {}).update((position[r], ref) for r in hidden_rows)
        found.append(_finding(merge, ref, cells, table, sheet, keys, position, frame, lang))
    return hidden, found


def _ref(merge: Merge) -> str:
    c1, r1, c2, r2 = merge
    return f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"


def _finding(merge: Merge, ref: str, cells: dict[str, list[int]], table: Table, sheet: str,
             keys: dict[int, str], position: dict[int, int], frame: pd.DataFrame,
             lang: Lang) -> Finding:
    """The finding of one merge hiding ``cells`` (key → Excel rows)."""
    c1, r1, _, r2 = merge
    cell = f"{get_column_letter(c1)}{r1}"
    labels = {key: (table.column(key).label.get(lang) if key in table.key_set else key)
              for key in cells}
    over_rows = r2 > r1
    required = any(key in table.key_set and table.column(key).required for key in cells)
    parts_zh, parts_en = [], []
    for key, hidden_rows in cells.items():
        span = (f"{hidden_rows[0]}" if len(hidden_rows) == 1
                else f"{min(hidden_rows)}–{max(hidden_rows)}")
        parts_zh.append(f"第 {span} 行的“{labels[key]}”")
        parts_en.append(f"'{labels[key]}' on row{'s' if len(hidden_rows) > 1 else ''} {span}")
    hidden_en = (", ".join(parts_en[:-1]) + " and " + parts_en[-1] if len(parts_en) > 1
                 else parts_en[0])
    first_key = keys.get(c1)
    value = (frame[first_key].iat[position[r1]]
             if first_key is not None and r1 in position else None)
    column = table.column(first_key) if first_key in table.key_set else None
    if column is not None and column.choices is not None and isinstance(value, str):
        try:  # a choice as the sheet shows it (是), not as the frame keeps it (yes)
            value = column.choices.label(value, lang)
        except KeyError:
            pass
    shown = _shown(column.shown(value) if column is not None else value)
    if over_rows:
        fix_zh = (f"请取消合并并逐行填写：在 Excel 中选中 {ref}，点“开始 > 合并后居中 > "
                  "取消单元格合并”（WPS：“开始 > 合并居中 > 取消合并单元格”），再按 Ctrl+D "
                  "把第一行的值向下填充；在 LibreOffice 中用“格式 > 合并单元格或取消合并 > "
                  "取消合并单元格”，再按 Ctrl+D 向下填充。")
        fix_en = (f"Unmerge it and fill every row: in Excel or WPS select {ref}, Home > "
                  "Merge & Center > Unmerge Cells, then Ctrl+D fills the first row's value "
                  "down; in LibreOffice, Format > Merge and Unmerge Cells > Unmerge Cells, "
                  "then Ctrl+D.")
    else:
        fix_zh = ("若应填写内容，请取消合并后分别填写（Excel：“开始 > 合并后居中 > "
                  "取消单元格合并”；WPS：“开始 > 合并居中 > 取消合并单元格”；LibreOffice："
                  "“格式 > 合并单元格或取消合并 > 取消合并单元格”）；较长的文字不必合并，"
                  "它会显示到右侧的空单元格上。")
        fix_en = ("If anything belongs there, unmerge it and fill each cell (Excel and "
                  "WPS: Home > Merge & Center > Unmerge Cells; LibreOffice: Format > Merge "
                  "and Unmerge Cells > Unmerge Cells); a long text needs no merge: it shows "
                  "over the empty cells to its right.")
    return finding("merged_cells" if over_rows or required else "merged_across",
                   sheet=sheet, cell=cell, row=r1, column=first_key or next(iter(cells)),
                   value=ref, table=table.name, range=ref,
                   shown_zh=f"（{shown}）" if shown is not None else "",
                   shown_en=f" ({shown})" if shown is not None else "",
                   hidden_zh="、".join(parts_zh),
                   hidden_en=hidden_en + (" is" if len(parts_en) == 1 else " are"),
                   fix_zh=fix_zh, fix_en=fix_en)


def _shown(value: object) -> str | None:
    """``value`` as the merge shows it, briefly; None when there is none."""
    if is_blank(value):
        return None
    if hasattr(value, "isoformat") and hasattr(value, "year"):
        text = value.isoformat()[:10]  # a date, or a date-time at midnight
    elif isinstance(value, float) and value.is_integer():
        text = f"{int(value)}"
    else:
        text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"
