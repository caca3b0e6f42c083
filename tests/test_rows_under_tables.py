"""What a rep types under a table: a note or a typed total is not one of its rows (not
checked, counted or carried over, one info finding saying so); rows right under the table
and rows after a blank row are told apart on the first `validate`, and `validate --write`
takes in only the first and says which it left out. Built as the demo builds 王芳's book;
the cells typed with openpyxl, as a user types them; read both ways (column-wise and as a
grid)."""

from __future__ import annotations

import json
import math
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from openpyxl.utils import range_boundaries
from sheet_values import kpi_values
from workbook_signature import signature

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.libreoffice import recalculate_many
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions

REP = "王芳"
SALES_SHEET = "销售记录"
VALIDATION = SPEC.sheet("validation").name.zh
NOTE = "备注：以上为CRM导出数据，截至10月31日"
MARKERS_ZH = "“日期”、“销售人员”、“客户”、“阶段”"
MARKERS_EN = "'日期', '销售人员', '客户' and '阶段'"  # named as the (Chinese) book names them


def sale(order: str, day: int, amount: float) -> dict[str, object]:
    """A won sale of 王芳's as she types it into columns A–K."""
    return {"A": order, "B": datetime(2026, 10, day), "C": REP, "D": "华东", "E": f"新客户{order}",
            "G": "实施服务", "H": 1, "I": amount, "J": amount, "K": "赢单"}


@pytest.fixture(scope="module")
def member(tmp_path_factory) -> Path:
    """王芳's workbook as `xlsales demo` writes it (members/王芳_2026-10.xlsx)."""
    path = tmp_path_factory.mktemp("member") / f"{REP}_2026-10.xlsx"
    build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=REP),
                   sample_members("zh")[REP])
    return path


@pytest.fixture(params=["always", "off"])
def fast_read(request, monkeypatch) -> str:
    """Each test once with large-table reading forced on for every table, once off."""
    monkeypatch.setenv("XLSALES_FAST_READ", request.param)
    return request.param


def table_end(path: Path, table: str = "Sales") -> tuple[str, int]:
    """The sheet holding Excel Table ``table`` of ``path`` and the last row of its range."""
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb if table in ws.tables)
    return ws.title, range_boundaries(ws.tables[table].ref)[3]


def typed(src: Path, dst: Path, cells: dict[str, object], sheet: str = SALES_SHEET) -> Path:
    """``src`` saved as ``dst`` with ``cells`` (address → value) typed on ``sheet``."""
    wb = openpyxl.load_workbook(src)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(dst)
    return dst


def typed_rows(at: int, rows: list[dict[str, object] | None]) -> dict[str, object]:
    """Cells of ``rows`` typed from Excel row ``at`` on (None: a blank row)."""
    return {f"{col}{at + i}": v for i, row in enumerate(rows) for col, v in (row or {}).items()}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def report(path: Path) -> dict:
    """`xlsales validate --json` of ``path``."""
    result = run("validate", path, "--json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def of_rule(found: dict, rule: str) -> list[dict]:
    return [f for f in found["findings"] if f["rule"] == rule]


def engine_kpis(path: Path) -> dict[str, object]:
    result = run("kpis", path, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["kpis"]


def same_figures(sheet: dict[str, object], engine: dict[str, object]) -> list[str]:
    """The KPIs whose value on the recalculated KPI sheet is not `xlsales kpis`'s."""
    def equal(a: object, b: object) -> bool:
        if b is None:
            return a is None
        return isinstance(a, int | float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)

    return [f"{k}: sheet {sheet.get(k)!r}, xlsales {v!r}" for k, v in engine.items()
            if not equal(sheet.get(k), v)]


def unchanged_but(before: dict, after: dict, *sheets: str) -> list[str]:
    """The sheets (other than ``sheets``) whose content differs between two signatures."""
    names = (set(before["sheets"]) | set(after["sheets"])) - set(sheets)
    return sorted(n for n in names if before["sheets"].get(n) != after["sheets"].get(n))


def test_a_note_right_under_the_sales_table_is_a_note_not_a_sale(member, tmp_path, fast_read):
    """QA's book: the note in column A under the last sale gave four 'required' errors,
    `--write` took it into the table with eight formulas, and consolidate left the book
    out. Now it is an info finding at its cell, and nothing else changes."""
    sheet, end = table_end(member)
    path = typed(member, tmp_path / "note.xlsx", {f"A{end + 1}": NOTE})
    found = report(path)
    assert found["counts"] == {"error": 0, "warning": 0, "info": 1}, found
    [note] = found["findings"]
    assert (note["rule"], note["severity"], note["table"], note["cell"]) == (
        "note_below_table", "info", "Sales", f"A{end + 1}")
    assert note["message_zh"] == (
        f"表格 Sales 下方的备注：xlsales 把从 A{end + 1} 起的 1 行当作备注，而不是表格的行"
        f"（不校验、不计入，也不带入下期），因为它们没有填写{MARKERS_ZH}中的任何一项。"
        f"若其中有要作为一行数据的，请填写它的{MARKERS_ZH}。")
    assert note["message_en"] == (
        f"Notes below table Sales: xlsales reads 1 row from A{end + 1} as notes, not rows of "
        f"the table (not checked, counted or carried over), since none of {MARKERS_EN} is "
        f"filled in. If one is meant as a row, fill in its {MARKERS_EN}.")
    # the text report shows it without --all, with its cell
    text = run("validate", path).stdout
    assert f"xlsales 把从 A{end + 1} 起的 1 行当作备注" in text
    assert len(read_workbook(path).frame("Sales")) == len(read_workbook(member).frame("Sales"))

    before = signature(path)
    result = run("validate", path, "--write")
    assert result.exit_code == 0, result.output
    assert "已修正" not in result.stdout  # no table extended, no formula written
    assert table_end(path) == (sheet, end)
    ws = openpyxl.load_workbook(path)[sheet]
    assert [c.value for c in ws[end + 1] if c.value is not None] == [NOTE]
    assert unchanged_but(before, signature(path), VALIDATION) == []


def test_a_book_with_a_note_under_its_sales_is_rolled_up(member, tmp_path):
    """consolidate left 王芳's book out for the note's 'errors'."""
    _, end = table_end(member)
    folder = tmp_path / "members"
    folder.mkdir()
    typed(member, folder / member.name, {f"A{end + 1}": NOTE})
    out = tmp_path / "team.xlsx"
    result = run("consolidate", folder, "-o", out, "--no-plan")
    assert result.exit_code == 0, result.output
    assert len(read_workbook(out).frame("Sales")) == len(read_workbook(member).frame("Sales"))


def test_a_note_after_a_blank_row_is_not_carried_into_next_months_sales(member, tmp_path,
                                                                        fast_read):
    """`new --from` carried the note into November's sales table as a data row."""
    planned = tmp_path / "planned.xlsx"
    planned.write_bytes(member.read_bytes())
    assert run("plan", planned).exit_code == 0
    _, end = table_end(planned)
    noted = typed(planned, tmp_path / "noted.xlsx", {f"A{end + 2}": NOTE})
    found = report(noted)
    assert found["counts"]["error"] == 0 and found["counts"]["warning"] == 0, found
    assert [f["cell"] for f in of_rule(found, "note_below_table")] == [f"A{end + 2}"]
    clean = typed(planned, tmp_path / "clean.xlsx", {})  # saved the same way, no note
    results = {}
    for book in (clean, noted):
        out = tmp_path / f"next_{book.stem}.xlsx"
        result = run("new", "--from", book, "-o", out)
        assert result.exit_code == 0, result.output
        results[book.stem] = (result.output.replace(book.stem, "BOOK"),
                              read_workbook(out).frame("Sales"))
        ws = openpyxl.load_workbook(out)[SALES_SHEET]
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.value == NOTE]
    # the same next book, and the same report (the note is no change after the plan)
    assert results["noted"][0] == results["clean"][0]
    assert results["noted"][1].equals(results["clean"][1])


@pytest.mark.parametrize(("column", "label"), [("I", "合计"), ("E", "合计"), ("E", "Total:")])
def test_a_typed_total_under_the_table_leaves_the_figures_as_they_are(member, tmp_path,
                                                                      fast_read, column,
                                                                      label):
    """合计 in the unit-price column and the SUBTOTAL of the amounts two rows below the
    table gave six errors ('单价' cannot read '合计'); in the customer column (a column
    every row fills) it was still a sale of customer 合计, exported as such. As
    LibreOffice saves it (the total computed), it is a note; xlsales' KPIs are the clean
    book's, and the KPI sheet LibreOffice computes equals them."""
    require_libreoffice()
    _, end = table_end(member)
    path = typed(member, tmp_path / "total.xlsx",
                 {f"{column}{end + 2}": label, f"J{end + 2}": f"=SUBTOTAL(9,J5:J{end})"})
    [saved] = recalculate_many([path], tmp_path / "lo")
    total = openpyxl.load_workbook(saved, data_only=True)[SALES_SHEET][f"J{end + 2}"].value
    assert isinstance(total, int | float) and total > 0  # the sum, as the sheet shows it
    found = report(saved)
    assert found["counts"]["error"] == 0 and found["counts"]["warning"] == 0, found
    [note] = of_rule(found, "note_below_table")
    assert note["cell"] == f"{column}{end + 2}"  # its first filled cell, where she looks
    engine = engine_kpis(saved)
    assert engine == engine_kpis(member)
    sheet = kpi_values(openpyxl.load_workbook(saved, data_only=True))
    assert same_figures(sheet, engine) == []


def test_rows_under_and_rows_after_a_blank_row_are_told_apart(member, tmp_path, fast_read):
    """Two rows right under the table, a blank row, three more: the first `validate`
    said `--write` would take in all five, `--write` took two without a word of the
    others. Now the first run names the two groups and what to do with each; `--write`
    takes the two in and says which three it left and why; the KPI sheet then leaves out
    exactly those three, which the remaining warning says."""
    require_libreoffice()
    sheet, end = table_end(member)
    rows = [sale("N1", 20, 1000), sale("N2", 21, 2000), None,
            sale("N3", 22, 4000), sale("N4", 23, 8000), sale("N5", 24, 16000)]
    path = typed(member, tmp_path / "below.xlsx", typed_rows(end + 1, rows))
    found = report(path)
    assert found["counts"]["error"] == 0, found
    below = of_rule(found, "rows_not_counted")
    assert [(f["cell"], f["value"], f["severity"]) for f in below] == [
        (f"A{end + 1}", 2, "warning"), (f"A{end + 4}", 3, "warning")]
    under, apart = below
    assert "运行 xlsales validate --write 即可把紧接表格的这些行纳入表格" in under["message_zh"]
    assert "隔着空行" not in under["message_zh"]
    assert apart["message_zh"] == (
        f"表格 Sales 下方（从 A{end + 4} 起）还有 3 行数据：xlsales 已一并读取，但工作簿自己的"
        "公式（KPI 表）不计入它们。它们与表格之间隔着空行或备注行，xlsales validate --write "
        "不会把它们纳入表格：若是数据，请把它们移到紧接表格的下一行，再运行 xlsales validate "
        "--write；否则请把它们移到表格的列以外或删除。")
    assert apart["message_en"].endswith(
        "A blank row or a note parts them from the table, so `xlsales validate --write` does "
        "not take them in: if they are data, move them up right under it and run `xlsales "
        "validate --write`; else move them off the table's columns or delete them.")

    before = signature(path)
    result = run("validate", path, "--write")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  已修正（--write）：")
    assert lines[at + 1] == (
        f"    {sheet}!A{end + 1}  表格 Sales 已扩展到第 {end + 2} 行，纳入下方（从 A{end + 1} 起）"
        f"的 2 行数据。从 A{end + 4} 起的 3 行未纳入：它们与表格之间隔着空行或备注行。若是数据，"
        "请把它们移到紧接表格的下一行，再运行 xlsales validate --write。")
    english = run("validate", typed(member, tmp_path / "en.xlsx", typed_rows(end + 1, rows)),
                  "--write", "--lang", "en").stdout
    assert (f"Table Sales now reaches row {end + 2}, taking in the 2 rows below it (from "
            f"A{end + 1}). Left out: 3 rows from A{end + 4}, with a blank row or a note "
            "between them and the table; if they are data, move them up right under it and "
            "run `xlsales validate --write` again.") in english
    assert table_end(path) == (sheet, end + 2)
    after = signature(path)
    assert unchanged_but(before, after, VALIDATION, sheet) == []
    cells_before, cells_after = before["sheets"][sheet]["cells"], after["sheets"][sheet]["cells"]
    added = {ref for ref in cells_after if cells_after[ref] != cells_before.get(ref)}
    # only the two rows taken in gained their calculated columns (Q–X), nothing else
    assert added == {f"{c}{r}" for c in "QRSTUVWX" for r in (end + 1, end + 2)}, added
    assert set(cells_before) <= set(cells_after)

    again = report(path)
    [left] = of_rule(again, "rows_not_counted")
    assert (left["cell"], left["value"]) == (f"A{end + 4}", 3)
    engine = engine_kpis(path)
    [saved] = recalculate_many([path], tmp_path / "lo")
    sheet_kpis = kpi_values(openpyxl.load_workbook(saved, data_only=True))
    assert sheet_kpis["revenue"] == pytest.approx(engine["revenue"] - (4000 + 8000 + 16000))


def test_a_row_inside_the_tables_range_stays_a_row_with_its_errors(member, tmp_path,
                                                                   fast_read):
    """The rule is for rows below the range: a note typed over a row inside the table is
    still that row, and what it lacks is still an error."""
    _, end = table_end(member)
    path = typed(member, tmp_path / "inside.xlsx",
                 {f"{c}{end}": None for c in "BCDEFGHIJKLMNOP"} | {f"A{end}": NOTE})
    found = report(path)
    assert not of_rule(found, "note_below_table")
    assert {(f["rule"], f["cell"]) for f in found["findings"] if f["severity"] == "error"} >= {
        ("required", f"{c}{end}") for c in "BCEK"}


def test_notes_under_other_tables_and_entries_under_a_settings_list(member, tmp_path,
                                                                    fast_read):
    """Problems and Targets: a note in their first column is no row. A settings list has
    no column every row fills: a name typed under the reps' list is an entry, as before."""
    problems_sheet, problems_end = table_end(member, "Problems")
    targets_sheet, targets_end = table_end(member, "Targets")
    settings, reps_end = table_end(member, "ListRep")
    path = typed(member, tmp_path / "others.xlsx", {f"A{problems_end + 1}": "注：问题已与经理讨论"},
                 problems_sheet)
    typed(path, path, {f"A{targets_end + 2}": "备注：目标为经理下达"}, targets_sheet)
    column = range_boundaries(openpyxl.load_workbook(member)[settings].tables["ListRep"].ref)[0]
    letter = openpyxl.utils.get_column_letter(column)
    typed(path, path, {f"{letter}{reps_end + 1}": "新同事"}, settings)
    found = report(path)
    assert found["counts"]["error"] == 0, found
    notes = {f["table"]: f for f in of_rule(found, "note_below_table")}
    assert set(notes) == {"Problems", "Targets"}
    assert notes["Problems"]["cell"] == f"A{problems_end + 1}"
    assert "“问题描述”" in notes["Problems"]["message_zh"]
    assert notes["Targets"]["cell"] == f"A{targets_end + 2}"
    book, clean = read_workbook(path), read_workbook(member)
    assert len(book.frame("Problems")) == len(clean.frame("Problems"))
    assert len(book.frame("Targets")) == len(clean.frame("Targets"))
    assert book.lists["rep"] == [*clean.lists["rep"], "新同事"]
    assert [f["cell"] for f in of_rule(found, "rows_below_table")] == [f"{letter}{reps_end + 1}"]


def test_a_table_found_by_its_header_ends_at_its_last_row_filling_a_required_column(
        member, tmp_path):
    """No Excel Table, no range end: rows are read down to the end of the sheet. A note
    after the last row filling date, rep, customer or stage is a note; rows before it
    stay rows."""
    _, end = table_end(member)
    wb = openpyxl.load_workbook(member)
    del wb[SALES_SHEET].tables["Sales"]
    wb.save(tmp_path / "range.xlsx")
    path = typed(tmp_path / "range.xlsx", tmp_path / "range.xlsx",
                 {f"A{end + 3}": NOTE, f"I{end + 5}": "合计"})
    found = report(path)
    assert of_rule(found, "table_not_named")
    assert found["counts"]["error"] == 0, found
    [note] = of_rule(found, "note_below_table")
    assert (note["cell"], note["value"]) == (f"A{end + 3}", 2)
    assert len(read_workbook(path).frame("Sales")) == len(read_workbook(member).frame("Sales"))


def test_a_header_row_pasted_among_the_rows_is_not_data(member, tmp_path, fast_read):
    """CRM rows pasted with their header into the sales table: the header row gave an
    error in every column ('日期' is no date) and `--write` filled formulas into it. It
    is one warning now, not read, left as it is by `--write`; the KPI sheet LibreOffice
    computes equals `xlsales kpis` (neither counts it)."""
    require_libreoffice()
    _, end = table_end(member)
    wb = openpyxl.load_workbook(member)
    ws = wb[SALES_SHEET]
    header = [c.value for c in ws[4]]
    for col, text in enumerate(header, 1):  # the whole row pasted, calculated columns too
        ws.cell(end - 3, col).value = text
    path = tmp_path / "pasted.xlsx"
    wb.save(path)
    found = report(path)
    assert found["counts"]["error"] == 0, found
    [said] = of_rule(found, "header_repeated")
    assert (said["cell"], said["severity"]) == (f"A{end - 3}", "warning")
    assert "重复的表头" in said["message_zh"] and "请删除这一行" in said["message_zh"]
    assert not [f for f in found["findings"] if f["row"] == end - 3 and f is not said]
    assert run("validate", path, "--write").exit_code == 0
    after = openpyxl.load_workbook(path)[SALES_SHEET]
    assert [c.value for c in after[end - 3]][:len(header)] == header  # no formula put in
    engine = engine_kpis(path)
    [saved] = recalculate_many([path], tmp_path / "lo")
    assert same_figures(kpi_values(openpyxl.load_workbook(saved, data_only=True)),
                        engine) == []


def test_typed_totals_and_notes_however_written_are_not_rows(member, tmp_path, fast_read):
    """A total under the targets (合计 beside the SUM of each target column) was a target
    row with errors and `--write` took it into the table; so was one under the activities,
    and '合 计' or '本月合计' under the sales; a note under the reps' list ('注：新人12月入职')
    was a rep, and the plan gave it targets. Each is a note now; the figures are the clean
    book's, as the KPI sheet LibreOffice computes them."""
    require_libreoffice()
    targets_sheet, targets_end = table_end(member, "Targets")
    activities_sheet, activities_end = table_end(member, "Activities")
    settings, reps_end = table_end(member, "ListRep")
    _, sales_end = table_end(member)
    path = typed(member, tmp_path / "totals.xlsx", {
        f"B{targets_end + 1}": "合计", f"C{targets_end + 1}": f"=SUM(C5:C{targets_end})",
        f"G{targets_end + 1}": f"=SUM(G5:G{targets_end})"}, targets_sheet)
    typed(path, path, {f"C{activities_end + 1}": "合 计",
                       f"D{activities_end + 1}": f"=COUNTA(D5:D{activities_end})"},
          activities_sheet)
    typed(path, path, {f"E{sales_end + 1}": "本月合计",
                       f"J{sales_end + 1}": f"=SUM(J5:J{sales_end})"})
    column = range_boundaries(openpyxl.load_workbook(member)[settings].tables["ListRep"].ref)[0]
    letter = openpyxl.utils.get_column_letter(column)
    typed(path, path, {f"{letter}{reps_end + 2}": "注：新人12月入职"}, settings)
    [saved] = recalculate_many([path], tmp_path / "lo")  # the sums computed, as Excel saves
    found = report(saved)
    assert found["counts"] == {"error": 0, "warning": 0, "info": 4}, found
    notes = {f["table"]: f["cell"] for f in of_rule(found, "note_below_table")}
    assert notes == {"Targets": f"B{targets_end + 1}", "Activities": f"C{activities_end + 1}",
                     "Sales": f"E{sales_end + 1}", "ListRep": f"{letter}{reps_end + 2}"}
    book, clean = read_workbook(saved), read_workbook(member)
    assert book.lists["rep"] == clean.lists["rep"]
    assert engine_kpis(saved) == engine_kpis(member)
    assert same_figures(kpi_values(openpyxl.load_workbook(saved, data_only=True)),
                        engine_kpis(saved)) == []
    written = tmp_path / "written.xlsx"
    shutil.copy(saved, written)
    assert run("validate", written, "--write").exit_code == 0
    assert table_end(written, "Targets")[1] == targets_end  # not taken into the table
