"""A calculated cell holding an error value (a rep typed a formula of her own over the
customer weight and it became ``#REF!``): the workbook's own KPI sheet shows the error,
while ``xlsales kpis`` gives a number. ``validate`` says so (one warning per column: first
cell, error, how many; what to do), and once the rep clears the cell in LibreOffice,
``validate --write`` puts the formula back and LibreOffice's KPI sheet agrees with
``xlsales kpis`` again.

Real workbooks: the sample as LibreOffice edits and saves it through UNO."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from sheet_values import kpi_values
from test_calculated_formulas import _kpis_differ, single_won_row
from uno_office import require_uno, run_in_office

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.libreoffice import recalculate_many
from xlsales.validation import validate

EDIT = r'''
import uno
src, dst, cell, formula = args
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                   (prop("Hidden", True),))
sheet = doc.Sheets.getByIndex(2)  # 销售记录
if formula:
    sheet.getCellRangeByName(cell).setFormula(formula)
else:
    sheet.getCellRangeByName(cell).setString("")
doc.calculateAll()
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
doc.close(True)
print("ok")
'''


def edited(src: Path, dst: Path, cell: str, formula: str, work: Path) -> Path:
    """``src`` with ``formula`` typed into ``cell`` of its Sales sheet in LibreOffice
    (the cell cleared when ``formula`` is empty), saved as xlsx to ``dst``."""
    assert run_in_office(EDIT, [str(src), str(dst), cell, formula], work,
                         f"edit_{dst.stem}") == "ok"
    return dst


def test_an_error_in_a_calculated_cell_is_found_and_put_right(sample_books, tmp_path):
    require_uno("type a broken formula into a calculated cell")
    row = single_won_row(sample_books["zh"])
    cell = f"Q{row}"  # 客户计数权重, a won row of the period
    broken = edited(sample_books["zh"], tmp_path / "broken.xlsx", cell, "=#REF!*2", tmp_path)
    # the premise: LibreOffice's KPI sheet shows the error
    assert kpi_values(openpyxl.load_workbook(broken, data_only=True))["customers"] == "#REF!"

    found = [f for f in validate(read_workbook(broken)) if f.rule == "calculated_error"]
    assert [(f.cell, f.column, f.value, f.severity.value) for f in found] == [
        (cell, "customer_weight", "#REF!", "warning")]
    result = CliRunner().invoke(main, ["validate", str(broken), "--lang", "en"])
    assert result.exit_code == 0, result.output  # a warning
    assert (f"Calculated column '客户计数权重': 1 cell holding an error value (e.g. #REF! in "
            f"{cell})") in result.stdout
    assert "validate broken.xlsx --write" in result.stdout

    # the fix the message gives: clear the cell, then validate --write
    cleared = edited(broken, tmp_path / "cleared.xlsx", cell, "", tmp_path)
    fixed = tmp_path / "fixed.xlsx"
    shutil.copy(cleared, fixed)
    assert CliRunner().invoke(main, ["validate", str(fixed), "--write"]).exit_code == 0
    assert not [f for f in validate(read_workbook(fixed))
                if f.rule in ("calculated_error", "missing_formula")]
    [recalculated] = recalculate_many([fixed], tmp_path / "recalc")
    assert _kpis_differ(fixed, recalculated) == {}


def test_a_clean_workbook_saved_by_libreoffice_has_none(sample_books, tmp_path):
    [saved] = recalculate_many([sample_books["en"]], tmp_path / "lo")
    assert not [f for f in validate(read_workbook(saved)) if f.rule == "calculated_error"]
