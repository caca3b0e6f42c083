"""Highlights: the xlsales conditional-formatting block at a worksheet's tail.

One block, owned by xlsales and recognised by :data:`HIGHLIGHT_FORMULA`, gives the cells
of its ``sqref`` a light red fill; other conditional formats are left as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.cellxml import CELL_REF, MAX_COLS, MAX_ROWS, col_index, col_letter
from xlsales.io.xmltext import children_in, esc_text, splice

# The always-true formula that marks the conditional-formatting block owned by xlsales.
HIGHLIGHT_FORMULA = '"xlsales"="xlsales"'
#: The differential format (light red fill) of the highlighted cells.
HIGHLIGHT_DXF = '<fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill>'


def sqref_of(cells: Sequence[str]) -> str:
    """Normalised, de-duplicated ``sqref`` of A1 cells (or ranges); vertical runs merge."""
    singles: set[tuple[int, int]] = set()
    ranges: list[str] = []
    for cell in cells:
        parts = str(cell).strip().split(":")
        parsed = [CELL_REF.match(p) for p in parts]
        ok = len(parts) in (1, 2) and all(parsed)
        coords = [(col_index(m.group(1)), int(m.group(2))) for m in parsed if m]
        if not ok or any(c > MAX_COLS or r > MAX_ROWS for c, r in coords):
            raise WorkbookError(f"无效的单元格地址 “{cell}”：请写成 C12 这样的形式。",
                                f"Invalid cell reference '{cell}': write it like C12.")
        if len(coords) == 1:
            singles.add(coords[0])
        else:
            (c1, r1), (c2, r2) = coords
            ranges.append(f"{col_letter(min(c1, c2))}{min(r1, r2)}:"
                          f"{col_letter(max(c1, c2))}{max(r1, r2)}")
    out: list[str] = []
    for col, row in sorted(singles):
        letter = col_letter(col)
        if out and (col, row - 1) in singles:
            first = out[-1].split(":")[0]
            out[-1] = f"{first}:{letter}{row}"
        else:
            out.append(f"{letter}{row}")
    return " ".join(out + sorted(set(ranges), key=ranges.index))


# Worksheet children that may stand between </sheetData> and (including) the
# conditional formats; the xlsales block goes before the first element not in this set.
_BEFORE_CF = set(ooxml.WORKSHEET_CHILD_ORDER[
    ooxml.WORKSHEET_CHILD_ORDER.index("sheetData") + 1:
    ooxml.WORKSHEET_CHILD_ORDER.index("conditionalFormatting") + 1])


def _is_xlsales_block(block: str) -> bool:
    return HIGHLIGHT_FORMULA in html.unescape(block)


def highlight_tail(tail: str, prefix: str, part: str, sqref: str,
                   dxf_id: int | None) -> str:
    """The tail of a worksheet (text after ``</sheetData>``) with xlsales' block replaced
    by one for ``sqref`` (removed if ``sqref`` is empty); other content is untouched."""
    kids, stop = children_in(tail, 0, len(tail), part)
    ours = [k for k in kids if k.local == "conditionalFormatting" and k.prefix == prefix
            and _is_xlsales_block(tail[k.start:k.end])]
    edits = [(k.start, k.end, "") for k in ours]
    if sqref:
        priorities = [int(m.group(1)) for m in re.finditer(r'\bpriority\s*=\s*["\'](\d+)', tail)
                      if not any(k.start <= m.start() < k.end for k in ours)]
        others = [k for k in kids if k not in ours]
        after = [k for k in others if k.local not in _BEFORE_CF or k.prefix != prefix]
        pos = after[0].start if after else stop
        p = prefix
        block = (f'<{p}conditionalFormatting sqref="{sqref}"><{p}cfRule type="expression" '
                 f'dxfId="{dxf_id}" priority="{max(priorities, default=0) + 1}">'
                 f"<{p}formula>{esc_text(HIGHLIGHT_FORMULA)}</{p}formula></{p}cfRule>"
                 f"</{p}conditionalFormatting>")
        edits.append((pos, pos, block))
    return splice(tail, edits)
