"""A choice typed in a short spelling (新 for 新客户) is counted by xlsales, not by the KPI
sheet's formulas: the warning tells to Find and Replace it in the column. Done as Excel,
WPS and LibreOffice do by default, replacing 新 inside every cell, it turns the 新客户
already typed right into 新客户客户; the warning says to match whole cells, and done so
(in LibreOffice, through UNO) the column is right and nothing else changed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner
from uno_office import require_uno, run_in_office

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.validation import validate

#: Find and Replace on the sales sheet in LibreOffice: ``whole`` "1" ticks Entire cells.
REPLACE = r'''
src, dst, sheet_name, find, put, whole = args
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                   (prop("Hidden", True),))
sheet = doc.Sheets.getByName(sheet_name)
what = sheet.createReplaceDescriptor()
what.SearchString, what.ReplaceString = find, put
what.SearchWords = whole == "1"  # Calc: "Entire cells"
count = sheet.replaceAll(what)
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
doc.close(True)
print(count)
'''


def _book(folder: Path) -> Path:
    """A new rep's book with two sales: one typed 新, one 新客户."""
    path = folder / "张伟_2026-11.xlsx"
    made = CliRunner().invoke(main, ["new", "--period", "2026-11", "--owner", "张伟",
                                     "-o", str(path)])
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(path)
    ws = wb["销售记录"]
    for row, kind in ((5, "新"), (6, "新客户")):
        for col, value in zip("ABCDEFGHIJK", [f"SO-{row}", f"2026-11-0{row}", "张伟", "华东",
                                              f"客户{row}", kind, "标准版", 1, 1000, 1000,
                                              "赢单"], strict=True):
            ws[f"{col}{row}"] = value
    wb.save(path)
    return path


def _types(path: Path) -> list[object]:
    ws = openpyxl.load_workbook(path)["销售记录"]
    return [ws["F5"].value, ws["F6"].value]


def test_the_warning_says_to_replace_whole_cells_and_so_done_nothing_is_spoilt(tmp_path):
    require_uno("replace in a workbook in LibreOffice")
    book = _book(tmp_path)
    [warned] = [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
    assert "勾选“单元格匹配”（LibreOffice 中为“整个单元格”）" in warned.message_zh
    assert "否则已写对的“新客户”会变成“新客户客户”" in warned.message_zh
    assert "'Match entire cell contents' ticked" in warned.message_en
    # as the warning says: whole cells
    done = tmp_path / "whole.xlsx"
    assert run_in_office(REPLACE, [str(book), str(done), "销售记录", "新", "新客户", "1"],
                         tmp_path, "whole", timeout=300) == "1"
    assert _types(done) == ["新客户", "新客户"]
    assert not [f for f in validate(read_workbook(done)) if f.rule == "choice_not_counted"]
    # what the warning keeps them from: a replace inside cells spoils the right one
    spoilt = tmp_path / "inside.xlsx"
    run_in_office(REPLACE, [str(book), str(spoilt), "销售记录", "新", "新客户", "0"],
                  tmp_path, "inside", timeout=300)
    assert _types(spoilt) == ["新客户", "新客户客户"]
