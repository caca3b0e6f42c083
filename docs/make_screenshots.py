"""Render the sample workbook's KPI sheet, sales sheet and KPI report (the sheet
``xlsales kpis --write`` adds, with its charts) to PNG for the README,
and sheets of the macro-enabled sample (.xlsm) with their buttons for docs/excel.md.

LibreOffice prints the workbook to PDF (recalculating it), poppler renders the
pages that hold the KPI table and the first page of the sales records. These are
LibreOffice renderings, not Excel: Excel draws the buttons in its own style.

    python docs/make_screenshots.py            # writes docs/img/*.png
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

from xlsales.build.macros import macro_finish
from xlsales.build.workbook import build_workbook
from xlsales.io.reader import read_workbook
from xlsales.kpis_write import write_kpi_report
from xlsales.libreoffice import convert, pdf_page_texts, render_page
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.workbook_data import BuildOptions

#: (image name, language, text that identifies the page)
SHOTS = [
    ("kpis_zh.png", "zh", "new_customer_revenue_share"),
    ("sales_zh.png", "zh", "订单编号"),
    ("kpis_en.png", "en", "new_customer_revenue_share"),
    ("report_zh.png", "zh", "xlsales kpi report"),  # the sheet `kpis --write` adds
]
#: (image name, language, sheet key) of the macro-enabled sample, for docs/excel.md
BUTTON_SHOTS = [
    ("buttons_problems_zh.png", "zh", "problems"),
    ("buttons_kpis_en.png", "en", "kpis"),
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
            write_kpi_report(read_workbook(book), SAMPLE_PERIOD)
            pdfs[lang] = convert([book], tmp, "pdf")[0]
        for name, lang, needle in SHOTS:
            pages = pdf_page_texts(pdfs[lang])
            page = next(i for i, text in enumerate(pages, 1) if needle in text)
            written.append(render_page(pdfs[lang], page, out_dir / name))
    return written


def printable_buttons(src: Path, dst: Path) -> Path:
    """A copy of ``src`` whose buttons print (the built workbooks keep them off paper)."""
    with zipfile.ZipFile(src) as book, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in book.infolist():
            data = book.read(info.filename)
            if info.filename.endswith(".vml"):
                data = data.replace(b"<x:PrintObject>False</x:PrintObject>", b"")
            out.writestr(info, data)
    return dst


def make_button_screenshots(out_dir: Path) -> list[Path]:
    """Build the sample as .xlsm, make its buttons printable, print it and render the
    first page of the sheets in :data:`BUTTON_SHOTS` (each page is headed by its sheet)."""
    from xlsales.spec import SPEC

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name, lang, sheet_key in BUTTON_SHOTS:
            book = tmp / f"sample_{lang}_{sheet_key}.xlsm"
            build_workbook(book, BuildOptions(lang=lang, period=SAMPLE_PERIOD, level="team",
                                              role="manager", owner=TEAM[lang][0]),
                           sample_workbook_data(lang), finish=macro_finish(lang))
            printable = printable_buttons(book, tmp / f"print_{book.name}")
            pdf = convert([printable], tmp, "pdf")[0]
            sheet = SPEC.sheet(sheet_key).name.get(lang)
            pages = pdf_page_texts(pdf)
            page = next(i for i, text in enumerate(pages, 1)
                        if text.strip().split("\n")[0].strip().startswith(sheet))
            written.append(render_page(pdf, page, out_dir / name))
    return written


if __name__ == "__main__":
    from xlsales.errors import XlsalesError

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "img"
    try:
        for path in make_screenshots(target):
            print(path)
        for path in make_button_screenshots(target):  # the .xlsm ones need xlwings
            print(path)
    except XlsalesError as exc:
        sys.exit(f"{exc.zh}\n{exc.en}")
