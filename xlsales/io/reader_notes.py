"""What is typed below a table but is no row of it: a note (``备注：以上为CRM导出数据``,
``注：新人12月入职``) or a typed total (``合计`` above a ``SUM`` of the amounts).

Below a table's range (a table found by its header: below its last row filling one of
its marker columns), a row is a note when it fills none of the table's marker columns
(:attr:`~xlsales.spec.Table.row_markers`: date, rep, customer, stage for the sales), when
one of its cells is a total's label (``合计``, ``合 计``, ``本月合计``, ``Total (CNY)``: then
its sums fill marker columns too, as under the targets), or when its first filled cell
starts as a note does (``注：``, ``备注:``, ``Note:``; under a settings list too, whose
every other row is an entry). Such rows are not read, not validated, not taken into the
table by ``validate --write`` and not carried into the next period; one info finding per
table names the first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from xlsales.findings import counted, finding
from xlsales.io.reader_session import ReadSession
from xlsales.spec import Table
from xlsales.spec.traditional import name_key
from xlsales.values import without_brackets

#: A total's label once spaces, a colon and a note in brackets are taken off: Chinese
#: with 合计/总计/小计/共计 in a few characters (``本月合计``, ``合计金额``), or English.
_TOTAL_ZH = re.compile(r"^.{0,4}(合计|总计|小计|共计).{0,3}$")
_TOTAL_EN = re.compile(r"^(grand ?|sub ?)?(total|totals|sum)( amount| revenue)?$")
#: A note's start: 注/备注/说明/注意/提示 or Note/Remark, then a colon.
_NOTE = re.compile(r"^\s*(注|备注|说明|注意|提示|note|notes|remark|remarks|nb)\s*[:：]",
                   re.IGNORECASE)


def is_total_label(value: object) -> bool:
    """Whether ``value`` is a total's label (``合计``, ``合 计``, ``本月合计：``, ``合計``,
    ``Total (CNY)``, ``Grand total``)."""
    if not isinstance(value, str) or len(value) > 30:
        return False
    key = name_key(without_brackets(value).rstrip(":： "))
    squeezed = re.sub(r"\s+", "", key)
    return bool(_TOTAL_ZH.match(squeezed) or _TOTAL_EN.match(key))


def is_note_text(value: object) -> bool:
    """Whether ``value`` reads as a note (``注：…``, ``备注:…``, ``Note: …``)."""
    return isinstance(value, str) and _NOTE.match(value) is not None


def last_marked(unmarked_of: Callable[[int, int], Sequence[bool]], markers: list[int],
                count: int) -> int:
    """The position after the last of ``count`` rows filling one of the ``markers``
    columns (0 when none does): where the rows of a table found by its header end."""
    marked = [unmarked_of(col, 0) for col in markers]
    return next((i + 1 for i in range(count - 1, -1, -1)
                 if not all(m[i] for m in marked)), 0)


def note_rows(blank_of: Callable[[int, int], Sequence[bool]],
              values_of: Callable[[int, int], Sequence[object]], markers: list[int],
              input_cols: list[int], start: int,
              count: int) -> tuple[list[int], int | None, object]:
    """The positions from ``start`` on (below the table's range) of its notes and typed
    totals (see the module's docstring); with the Excel column of the first one's first
    filled cell (None when there is none) and what makes it a note (None when it fills no
    marker column; else its total's label or note text)."""
    if start >= count:
        return [], None, None
    cols = sorted(input_cols)
    blanks = {col: blank_of(col, start) for col in cols}
    values = {col: values_of(col, start) for col in cols}
    notes: list[int] = []
    first: tuple[int, object] | None = None
    for i in range(count - start):
        filled = [c for c in cols if not blanks[c][i]]
        if not filled:
            continue
        unmarked = bool(markers) and all(blanks[c][i] for c in markers if c in blanks)
        total = next((values[c][i] for c in filled if is_total_label(values[c][i])), None)
        lead = values[filled[0]][i]
        # no marker filled says best what would make it a row; else what it reads as
        said = None if unmarked else total if total is not None else (
            lead if is_note_text(lead) else None)
        if said is not None or unmarked:
            notes.append(start + i)
            if first is None:
                first = (filled[0], said)
    if first is None:
        return [], None, None
    return notes, first[0], first[1]


def note_finding(session: ReadSession, table: Table, sheet: str, cell: str, row: int,
                 count: int, said: object) -> None:
    """The one finding of the ``count`` rows below ``table`` read as notes, not rows,
    from ``cell``: why (``said``: a total's label or note text; else no marker column
    filled) and what would make one a row."""
    labels = [c.label.get(session.lang()) for c in table.row_markers]
    quoted_en = [f"'{label}'" for label in labels]
    markers_zh = "、".join(f"“{label}”" for label in labels)
    markers_en = (", ".join(quoted_en[:-1]) + " and " + quoted_en[-1]
                  if len(quoted_en) > 1 else quoted_en[0] if quoted_en else "")
    if said is None:
        why = (f"它们没有填写{markers_zh}中的任何一项", f"none of {markers_en} is filled in")
        fix = (f"若其中有要作为一行数据的，请填写它的{markers_zh}。",
               f"If one is meant as a row, fill in its {markers_en}.")
    else:
        why = (f"它们写着合计或备注（如 {said!r}）", f"they read as a total or a note (e.g. "
                                                  f"{said!r})")
        fix = ("若其中有要作为一行数据的，请删去这些字样、填写完整，并移到紧接表格的下一行。",
               "If one is meant as a row, take those words out, fill it in and move it right "
               "under the table.")
    session.findings.append(finding(
        "note_below_table", sheet=sheet, table=table.name, cell=cell, row=row, value=count,
        count=count, rows_en=counted(count, "row"), why_zh=why[0], why_en=why[1],
        fix_zh=fix[0], fix_en=fix[1]))
