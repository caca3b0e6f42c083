"""A KPI sheet deleted in LibreOffice: the calculated columns' formulas that used the names
defined on it turn to errors; one warning says what happened, that ``xlsales kpis`` still
computes, and how to get the sheet back (``--write`` cannot: the formulas' names are gone)."""

from __future__ import annotations

from pathlib import Path

from uno_office import require_uno, run_in_office

from xlsales.io.reader import read_workbook
from xlsales.validation import validate

DELETE = r'''
import uno
src, dst, name = args
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                   (prop("Hidden", True),))
doc.Sheets.removeByName(name)
doc.calculateAll()
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
doc.close(True)
print("ok")
'''


def without_kpi_sheet(src: Path, dst: Path, name: str, work: Path) -> Path:
    """``src`` with its sheet ``name`` deleted in LibreOffice, saved as xlsx to ``dst``."""
    assert run_in_office(DELETE, [str(src), str(dst), name], work, f"del_{dst.stem}") == "ok"
    return dst


def test_a_deleted_kpi_sheet_is_said_with_how_to_get_it_back(sample_books, tmp_path):
    require_uno("delete the KPI sheet in LibreOffice")
    for lang, name in (("zh", "KPI"), ("en", "KPIs")):
        book = read_workbook(without_kpi_sheet(sample_books[lang], tmp_path / f"{lang}.xlsx",
                                               name, tmp_path))
        found = validate(book)
        missing = [f for f in found if f.rule == "kpi_sheet_missing"]
        assert len(missing) == 1, [f.rule for f in found]
        f = missing[0]
        assert f.severity.value == "warning"
        assert "xlsales kpis" in f.message_en and "xlsales new --period 2026-10" in f.message_en
        assert "xlsales new --period 2026-10" in f.message_zh  # the book's own period
        assert "backup" in f.message_en and "备份" in f.message_zh
        # the advice to clear the cells and --write cannot work: the names are gone
        assert not [f for f in found if f.rule == "calculated_error"]
        assert read_workbook(sample_books[lang]) and not [
            f for f in validate(read_workbook(sample_books[lang]))
            if f.rule == "kpi_sheet_missing"]
