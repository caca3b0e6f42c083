"""Where a printed sheet xlsales writes breaks into pages so that no chart is cut.

Sheets print on A4 landscape, one page wide (``fitToWidth``): the scale, and so how many
rows a page holds, follows from the columns' widths and the charts' extent. Before a
chart that would run past the page its stack started on, a manual row break starts a
new page. The estimate is Excel's (7 pixels a character, 15-point rows) less a margin;
LibreOffice fits more rows on a page, so a break placed for Excel holds for it too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xlsales.io.sheetcontent import Chart

#: A4 landscape in points, less the margins the writer sets (0.4" left and right, 0.6"
#: top and bottom).
PRINTABLE_WIDTH = 842.0 - 0.8 * 72
PRINTABLE_HEIGHT = 595.0 - 1.2 * 72
ROW_POINTS = 15.0  # the sheet's default row height
DEFAULT_COLUMN_PIXELS = 64  # Excel's default column (8.43 characters)
PIXEL_POINTS = 0.75
SPARE_ROWS = 3  # titles are taller than a row; engines round the scale


def rows_per_page(widths: Sequence[float], charts: Sequence[Chart]) -> int:
    """Rows a printed page holds (estimated low) when columns ``widths`` (characters, from
    column A; later columns have the default width) and ``charts`` are one page wide."""
    right = max([len(widths)] + [c.cell[0] + c.size[0] for c in charts])
    pixels = sum(round(w * 7) for w in widths) + DEFAULT_COLUMN_PIXELS * (right - len(widths))
    scale = min(1.0, PRINTABLE_WIDTH / (pixels * PIXEL_POINTS))
    scale = math.floor(scale * 100) / 100  # Excel's whole percent
    return max(1, math.floor(PRINTABLE_HEIGHT / (ROW_POINTS * scale)) - SPARE_ROWS)


def chart_row_breaks(widths: Sequence[float], charts: Sequence[Chart]) -> list[int]:
    """The rows (1-based) after which a manual page break keeps every chart on one page:
    charts top to bottom, a new page a row above a chart that would not end on its page."""
    per_page = rows_per_page(widths, charts)
    breaks: list[int] = []
    page_top = 1
    for chart in sorted(charts, key=lambda c: c.cell[1]):
        top = chart.cell[1] + 1
        bottom = top + chart.size[1] - 1
        if bottom >= page_top + per_page and top > page_top + 1:
            # the page breaks a row above the chart: its frame's top line is drawn on the
            # boundary, which would print it at the foot of the page before too
            breaks.append(top - 2)
            page_top = top - 1
    return breaks
