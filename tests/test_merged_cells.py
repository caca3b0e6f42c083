"""Merged cells inside a table: only a merge's first cell holds its value (to Excel's and
LibreOffice's formulas, the KPI sheet and xlsales), though the merge shows it over every
cell. xlsales says so once per merged range, at the range, with how to unmerge; it does
not fill the value down (its numbers stay the KPI sheet's), and the plan says which
problems a merge left out."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import kpi_values
from test_golden_libreoffice import assert_kpis_match
from uno_office import require_uno, run_in_office

from xlsales.cli import main
from xlsales.io.mergecells import MergeTail, merged_ranges
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.sample import SAMPLE_PERIOD
from xlsales.validation import validate

SALES, PROBLEMS = "销售记录", "问题与挑战"


def _won_in_period(ws) -> list[int]:
    """Rows of the zh sample's sales sheet: won, dated in the sample's period."""
    return [row[0].row for row in ws.iter_rows(min_row=5)
            if row[10].value == "赢单" and isinstance(row[1].value, datetime)
            and SAMPLE_PERIOD.start <= row[1].value.date() <= SAMPLE_PERIOD.end]


def merged_book(source: Path, target: Path) -> dict[str, object]:
    """``source`` (the zh sample) saved as ``target`` with cells merged as a rep merges
    them (openpyxl's merge leaves the other cells empty, as Excel saves a merge): on the
    problems sheet "include in next plan" J5:J7 (是 in each) and its owner K5:K7, a
    description merged over the next column (B8:C8); on the sales sheet the rep column
    over six rows and the stage over two won rows of the period; titles above tables.
    What was merged, for the assertions."""
    wb = openpyxl.load_workbook(source)
    problems = wb[PROBLEMS]
    assert [problems[f"J{r}"].value for r in (5, 6, 7)] == ["是"] * 3
    ids = [problems[f"A{r}"].value for r in (6, 7)]
    example = problems["C8"].value
    sales = wb[SALES]
    won = _won_in_period(sales)
    stage = next(r for r in won if r + 1 in won)  # two won rows, one after the other
    lost_amount = sales[f"J{stage + 1}"].value
    rep = won[0]
    for ws, refs in ((problems, ["J5:J7", "K5:K7", "B8:C8", "A1:K1"]),
                     (sales, [f"C{rep}:C{rep + 5}", f"K{stage}:K{stage + 1}", "A1:X1"]),
                     (wb.worksheets[0], ["A3:F3"])):
        for ref in refs:
            ws.merge_cells(ref)
    wb.save(target)
    return {"ids": ids, "example": example, "rep": rep, "stage": stage,
            "lost_amount": lost_amount}


@pytest.fixture()
def merged(sample_books, tmp_path) -> tuple[Path, dict[str, object]]:
    path = tmp_path / "merged.xlsx"
    return path, merged_book(sample_books["zh"], path)


def _validate_json(path: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["validate", str(path), "--json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.output)["findings"]


def test_validate_names_each_merge_at_its_range_and_not_each_hidden_cell(merged):
    """Before: 0 errors for the problems sheet (the plan silently left two problems out),
    and one 'required' error per hidden rep cell with no word of the merge."""
    path, info = merged
    rep, stage = info["rep"], info["stage"]
    found = _validate_json(path)
    merges = [(f["severity"], f["rule"], f["sheet"], f["cell"], f["value"]) for f in found
              if f["rule"].startswith("merged")]
    assert sorted(merges) == sorted([
        ("error", "merged_cells", SALES, f"C{rep}", f"C{rep}:C{rep + 5}"),
        ("error", "merged_cells", SALES, f"K{stage}", f"K{stage}:K{stage + 1}"),
        ("error", "merged_cells", PROBLEMS, "J5", "J5:J7"),
        ("error", "merged_cells", PROBLEMS, "K5", "K5:K7"),
        ("warning", "merged_across", PROBLEMS, "B8", "B8:C8"),
    ])  # the titles merged above the tables and the instructions sheet: nothing
    hidden = {f"C{r}" for r in range(rep + 1, rep + 6)} | {f"K{stage + 1}"}
    assert [f for f in found if f["sheet"] == SALES and f["cell"] in hidden] == []
    assert not [f for f in found if f["rule"] == "required"]
    j5 = next(f for f in found if f["cell"] == "J5")
    assert j5["message_zh"] == (
        "J5:J7 是合并单元格：只有第一个单元格 J5 有值（是），第 6–7 行的“纳入下期计划”在 "
        "Excel 和 LibreOffice 的公式、KPI 表和 xlsales 看来都是空的，尽管屏幕上显示着合并的值。"
        "请取消合并并逐行填写：在 Excel 中选中 J5:J7，点“开始 > 合并后居中 > 取消单元格合并”"
        "（WPS：“开始 > 合并居中 > 取消合并单元格”），再按 Ctrl+D 把第一行的值向下填充；在 "
        "LibreOffice 中用“格式 > 合并单元格或取消合并 > 取消合并单元格”，再按 Ctrl+D 向下填充。")
    assert j5["message_en"] == (
        "J5:J7 is merged: only its first cell, J5, holds a value (是); to Excel's and "
        "LibreOffice's formulas, the KPI sheet and xlsales, '纳入下期计划' on rows 6–7 is "
        "empty, though the merge shows its value there. Unmerge it and fill every row: in "
        "Excel or WPS select J5:J7, Home > Merge & Center > Unmerge Cells, then Ctrl+D fills "
        "the first row's value down; in LibreOffice, Format > Merge and Unmerge Cells > "
        "Unmerge Cells, then Ctrl+D.")
    rep_finding = next(f for f in found if f["cell"] == f"C{rep}")
    assert f"第 {rep + 1}–{rep + 5} 行的“销售人员”" in rep_finding["message_zh"]
    across = next(f for f in found if f["cell"] == "B8")
    assert "第 8 行的“具体事例”" in across["message_zh"]
    assert "'具体事例' on row 8 is empty" in across["message_en"]
    assert info["example"]  # the sample had an example there: the merge emptied it


def test_english_book_names_its_columns_in_english(sample_books, tmp_path):
    path = tmp_path / "merged_en.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    wb["Problems"].merge_cells("J5:K6")
    wb.save(path)
    found = [f for f in validate(read_workbook(path)) if f.rule.startswith("merged")]
    assert [(f.rule, f.cell, f.value) for f in found] == [("merged_cells", "J5", "J5:K6")]
    assert ("'Carry into next plan' on row 6 and 'Owner' on rows 5–6 are empty"
            in found[0].message_en)


def test_plan_says_which_flagged_problems_a_merge_left_out(sample_books, merged, tmp_path):
    """Before: fewer actions, and nothing said of P02, P03 (flagged 是 as the rep sees
    her sheet)."""
    path, info = merged
    runner = CliRunner()
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(sample_books["zh"].read_bytes())
    before = runner.invoke(main, ["plan", str(clean)])
    after = runner.invoke(main, ["plan", str(path)])
    assert before.exit_code == after.exit_code == 0, after.output

    def answered(book: Path) -> set[str]:  # the problems the plan's actions answer
        actions = read_workbook(book).frame("PlanActions")
        return set(actions["problem_id"].dropna())

    assert answered(path) == answered(clean) - set(info["ids"])
    ids = "、".join(info["ids"])
    assert (f"注意：问题 {ids} 的“纳入下期计划”在合并单元格 {PROBLEMS}!J5:J7 中，读作空，"
            "没有生成行动") in after.output
    assert "个校验错误" in after.output
    assert "合并单元格" not in before.output


@pytest.mark.parametrize("fast_read", [True, False])
def test_xlsales_counts_what_the_kpi_sheet_counts(merged, tmp_path, fast_read):
    """No fill-down: the hidden stage reads empty, so that won deal is not revenue, in
    xlsales as in the LibreOffice-recalculated KPI sheet; the same whether the sales
    sheet is read column-wise (fastexcel) or as a grid."""
    require_libreoffice()
    path, _ = merged
    book = read_workbook(path, fast_read=fast_read)
    engine = compute_kpis({n: t.frame for n, t in book.tables.items()}, SAMPLE_PERIOD).kpis
    sheet = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo"),
                                              data_only=True))
    assert_kpis_match(sheet, engine)
    rules = sorted((f.rule, f.cell) for f in validate(book) if f.rule.startswith("merged"))
    assert len(rules) == 5


def test_revenue_drops_by_the_hidden_row(sample_books, merged):
    path, info = merged
    period = SAMPLE_PERIOD

    def revenue(p: Path) -> float:
        book = read_workbook(p)
        return compute_kpis({n: t.frame for n, t in book.tables.items()}, period).kpis[
            "revenue"]

    assert revenue(path) == pytest.approx(revenue(sample_books["zh"]) - info["lost_amount"])


def test_a_merge_made_in_libreoffice(sample_books, tmp_path):
    """The same through LibreOffice itself: its hidden cells emptied (the merge dialog's
    "Empty the contents of the hidden cells"), merged, saved as xlsx."""
    require_uno("merge cells in LibreOffice")
    path = tmp_path / "lo_merged.xlsx"
    path.write_bytes(sample_books["zh"].read_bytes())
    body = r'''
    url = uno.systemPathToFileUrl(args[0])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    sheet = doc.Sheets.getByName(args[1])
    sheet.getCellRangeByName("J6:J7").clearContents(1 | 2 | 4 | 16)
    sheet.getCellRangeByName("J5:J7").merge(True)
    doc.storeToURL(url, (prop("FilterName", "Calc MS Excel 2007 XML"),))
    doc.close(True)
    print("ok")
    '''
    assert run_in_office(body, [str(path), PROBLEMS], tmp_path, "merge") == "ok"
    with zipfile.ZipFile(path) as zf:
        assert b"<mergeCell " in b"".join(
            zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
    book = read_workbook(path)
    found = [f for f in validate(book) if f.rule.startswith("merged")]
    assert [(f.rule, f.sheet, f.cell, f.value) for f in found] == [
        ("merged_cells", PROBLEMS, "J5", "J5:J7")]
    assert sorted(book.tables["Problems"].merged["carry_forward"]) == [1, 2]


def test_hidden_cells_holding_values_are_read_and_not_reported(sample_books, tmp_path):
    """A merge whose hidden cells kept their values (LibreOffice's "keep the contents of
    the hidden cells"): the formulas count them, so does xlsales; nothing to report."""
    path = tmp_path / "kept.xlsx"
    with zipfile.ZipFile(sample_books["zh"]) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    wb = openpyxl.load_workbook(sample_books["zh"])
    part = _part_of(parts, wb.sheetnames.index(PROBLEMS))
    xml = parts[part]
    parts[part] = xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                              b'<mergeCell ref="J5:J7"/></mergeCells>', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    book = read_workbook(path)
    assert [f for f in validate(book) if f.rule.startswith("merged")] == []
    assert list(book.tables["Problems"].frame["carry_forward"][:3]) == ["yes"] * 3


def _part_of(parts: dict[str, bytes], index: int) -> str:
    """The worksheet part of the sheet at ``index`` (as the workbook orders them)."""
    from xlsales.io.ooxml import read_layout

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with zipfile.ZipFile(buffer) as zf:
        return read_layout(zf).sheets[index].part


def test_merge_tail_reads_the_ranges_from_the_end_only():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r)
                    for r in range(1, 3000))
    xml = (b'<worksheet><sheetData>' + rows + b'</sheetData><mergeCells count="2">'
           b'<mergeCell ref="C5:C9"/><mergeCell ref="$B$8:$D$8"/><mergeCell ref="A1"/>'
           b'</mergeCells><pageMargins left="0.7"/></worksheet>')
    tail = MergeTail(keep=4096)
    for start in range(0, len(xml), 1000):
        tail.feed(xml[start:start + 1000])
    assert tail.ranges() == [(3, 5, 3, 9), (2, 8, 4, 8)]  # one cell is no merge
    no_merge = MergeTail(keep=4096)
    no_merge.feed(xml.split(b"<mergeCells")[0] + b"</worksheet>")
    assert no_merge.ranges() == []


def test_a_long_end_of_sheet_is_streamed_again(tmp_path):
    """When the kept tail does not reach back to the rows' end (a great deal after the
    merges), the tail cannot tell, and the part is streamed once more."""
    after = b"".join(b'<conditionalFormatting sqref="A%d"><cfRule type="expression" '
                     b'priority="%d"><formula>A1&gt;0</formula></cfRule>'
                     b'</conditionalFormatting>' % (r, r) for r in range(1, 2000))
    xml = (b'<worksheet><sheetData><row r="1"/></sheetData><mergeCells count="1">'
           b'<mergeCell ref="C5:C9"/></mergeCells>' + after + b'</worksheet>')
    tail = MergeTail(keep=4096)
    for start in range(0, len(xml), 1000):
        tail.feed(xml[start:start + 1000])
    assert tail.ranges() is None
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as zf:
        assert merged_ranges(zf, "xl/worksheets/sheet1.xml") == [(3, 5, 3, 9)]
