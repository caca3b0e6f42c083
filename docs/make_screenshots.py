"""Render the sample workbook's KPI sheet and sales sheet to PNG for the README.

LibreOffice prints the workbook to PDF (recalculating it), poppler renders the
pages that hold the KPI table and the first page of the sales records.

    python docs/make_screenshots.py            # writes docs/img/*.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.libreoffice import convert, pdf_page_texts, render_page
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.workbook_data import BuildOptions

#: (image name, language, text that identifies the page)
SHOTS = [
    ("kpis_zh.png", "zh", "new_customer_revenue_share"),
    ("sales_zh.png", "zh", "订单编号"),
    ("kpis_en.png", "en", "new_customer_revenue_share"),
]


def make_screenshots(out_dir: Path) -> list[Path]:
    """Build the sample workbooks, print them with LibreOffice and render the pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pdfs = {}
        for lang in ("zh", "en"):
            book = tmp / f"sample_{lang}.xlsx"
            build_workbook(book, BuildOptions(lang=lang, period=SAMPLE_PERIOD, level="team",
                                              role="manager", owner=TEAM[lang][0]),
                           sample_workbook_data(lang))
            pdfs[lang] = convert([book], tmp, "pdf")[0]
        for name, lang, needle in SHOTS:
            pages = pdf_page_texts(pdfs[lang])
            page = next(i for i, text in enumerate(pages, 1) if needle in text)
            written.append(render_page(pdfs[lang], page, out_dir / name))
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "img"
    for path in make_screenshots(target):
        print(path)
