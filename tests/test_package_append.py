"""WorkbookPackage.append_table_rows: rows appended to an Excel Table in a user's file.

Real files: the sample workbook (XlsxWriter), a blank template (one placeholder row), the
blank template as LibreOffice saves it (shared strings, no calculated-column formulas in
the table part, no fullCalcOnLoad), and small XlsxWriter workbooks shaped for one case.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from conftest import require_libreoffice, team_options
from openpyxl.utils import get_column_letter

from xlsales.build.workbook import build_workbook
from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.package import WorkbookPackage
from xlsales.libreoffice import recalculate_many
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.workbook_data import WorkbookData

SALES_KEYS = SPEC.table("Sales").keys
CALC_COLUMNS = [i for i, c in enumerate(SPEC.table("Sales").columns, 1) if not c.is_input]
SALES_LAST = get_column_letter(len(SALES_KEYS))  # the Sales table's last column

CT = "[Content_Types].xml"
NS = {"m": ooxml.NS_MAIN}


# --------------------------------------------------------------------------------------
# Helpers (also used by test_import.py)
# --------------------------------------------------------------------------------------


#: The core properties: the last-saved time changes on every save, as in any program.
CORE = "docProps/core.xml"


def parts(path: Path) -> dict[str, bytes]:
    """Decompressed bytes of every part."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def sales_parts(path: Path, table: str = "Sales") -> tuple[str, str]:
    """(sheet part, table part) of ``table``."""
    with zipfile.ZipFile(path) as zf:
        layout = ooxml.read_layout(zf)
        info = layout.table(table)
        assert info is not None
        return layout.sheet(info.sheet).part, info.part


def rewrite_part(path: Path, name: str, edit: Callable[[str], str]) -> None:
    """Rewrite one part of the zip at ``path`` (a test fixture, not the code under test)."""
    data = parts(path)
    with zipfile.ZipFile(path) as zf:
        order = zf.namelist()
    data[name] = edit(data[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in order:
            zf.writestr(n, data[n])


def blank_book(path: Path, lang: str = "zh", period: str = "2026-10") -> Path:
    """A blank template, as `xlsales new` writes it (one placeholder row)."""
    build_workbook(path, replace(team_options(lang), period=Period.parse(period)),
                   WorkbookData())
    return path


def table_ref(path: Path, table: str = "Sales") -> str:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if table in ws.tables:
            return ws.tables[table].ref
    raise KeyError(table)


def assert_wellformed(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for name in zf.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(zf.read(name))


def simple_table_book(path: Path, data_rows: int, blank_rows: int,
                      extra: Callable[[object], None] | None = None) -> Path:
    """Sheet "Data": a title, table "T" on A3:C… (id, when, value) with a calculated
    column ``double`` = value × 2; ``data_rows`` filled rows then ``blank_rows`` rows
    holding only the calculated formula."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "#,##0.00"})
    ws.write("A1", "title")
    last = 3 + data_rows + blank_rows
    ws.add_table(f"A3:D{last}", {
        "name": "T",
        "data": [[f"id{i}", date(2026, 1, i + 1), i * 10.0] for i in range(data_rows)],
        "columns": [{"header": "id"}, {"header": "when", "format": day},
                    {"header": "value", "format": money},
                    {"header": "double", "formula": "=[@value]*2"}]})
    if extra is not None:
        extra(ws)
    wb.close()
    return path


def cells_xml(path: Path, sheet_part: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(sheet_part).decode("utf-8")


# --------------------------------------------------------------------------------------
# Appending to the sample and to a blank template
# --------------------------------------------------------------------------------------


ROWS = [
    ("N-1", date(2026, 10, 3), "张伟", "新客户甲", "赢单", 1000.0, 2),
    ("N-2", datetime(2026, 10, 4, 15, 30), "李娜", "=cmd|' /C calc'!A0", "输单", None, None),
    ("N-3", date(2026, 9, 30), "王芳", '=HYPERLINK("http://evil.example","x")', "线索", 12.5,
     True),
]
HEADERS = ["订单编号", "日期", "销售人员", "客户", "阶段", "金额", "数量"]


def test_rows_go_after_the_last_row_and_nothing_else_changes(tmp_path, sample_books) -> None:
    path = tmp_path / "book.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    before = parts(path)
    sheet_part, table_part = sales_parts(path)
    old_ref = table_ref(path)
    last = int(old_ref.split(":")[1][1:])

    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("sales", HEADERS, ROWS)  # table names are case-insensitive
        pkg.save()

    after = parts(path)
    assert set(after) == set(before)
    changed = {name for name in before if after[name] != before[name]}
    # the sample already asks for a full recalculation on load: workbook.xml is untouched
    assert changed - {CORE} == {sheet_part, table_part}  # CORE: its last-saved time
    assert table_ref(path) == f"A4:{SALES_LAST}{last + 3}"
    table = ET.fromstring(after[table_part])
    assert table.get("ref") == table.find("m:autoFilter", NS).get("ref") \
        == f"A4:{SALES_LAST}{last + 3}"
    sheet = after[sheet_part].decode()
    assert re.search(rf'<dimension ref="A1:{SALES_LAST}(\d+)"/>', sheet).group(1) == str(last + 3)
    # the sheet is the same byte for byte before the new rows (but for the dimension) and
    # after them (validations, conditional formats, page setup)
    old, new = before[sheet_part], after[sheet_part]
    cut = old.index(b"</sheetData>")
    dim = re.compile(rb'<dimension ref="[^"]*"/>')
    assert dim.sub(b"", new).startswith(dim.sub(b"", old[:cut]))
    assert new.endswith(old[cut:])

    wb = openpyxl.load_workbook(path)
    ws = wb["销售记录"]
    r = last + 1
    assert [ws.cell(r, c).value for c in (1, 2, 3, 5, 10, 11, 8)] == [
        "N-1", datetime(2026, 10, 3), "张伟", "新客户甲", 1000, "赢单", 2]
    assert ws.cell(r + 1, 2).value == datetime(2026, 10, 4, 15, 30)
    assert ws.cell(r + 1, 10).value is None and ws.cell(r + 1, 8).value is None
    assert ws.cell(r + 2, 8).value is True
    for row in (r + 1, r + 2):  # formula-looking text is text, never a formula
        assert ws.cell(row, 5).data_type == "s"
        assert ws.cell(row, 5).value.startswith("=")
    # styles of the column in the last data row: date, money, text
    assert ws.cell(r, 2).number_format == ws.cell(last, 2).number_format == "yyyy-mm-dd"
    assert ws.cell(r, 10).number_format == ws.cell(last, 10).number_format
    assert ws.cell(r, 10).style_id == ws.cell(last, 10).style_id
    # calculated columns: the table's formula in every new row
    for row in (r, r + 1, r + 2):
        for col in CALC_COLUMNS:
            assert ws.cell(row, col).value == ws.cell(last, col).value
            assert "[#This Row]" in ws.cell(row, col).value
    assert ws.max_row == last + 3
    assert_wellformed(path)


def test_blank_template_placeholder_row_is_replaced(tmp_path) -> None:
    path = blank_book(tmp_path / "blank.xlsx")
    assert table_ref(path) == f"A4:{SALES_LAST}5"
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("Sales", HEADERS, ROWS[:2])
        pkg.save()
    assert table_ref(path) == f"A4:{SALES_LAST}6"
    ws = openpyxl.load_workbook(path)["销售记录"]
    assert ws["A5"].value == "N-1" and ws["A6"].value == "N-2"
    assert all(ws.cell(r, c).value.startswith("=IF(") for r in (5, 6) for c in CALC_COLUMNS)
    assert ws["B5"].number_format == "yyyy-mm-dd"
    assert ws.max_row == 6


def test_libreoffice_saved_template(tmp_path) -> None:
    """LibreOffice drops the calculated-column formulas from the table part and writes no
    fullCalcOnLoad: the placeholder row (formulas only) is still blank, the formulas come
    from it, and workbook.xml asks for a full recalculation. The KPI sheet, whose formulas
    read the table, loses its cached results (LibreOffice would show them as they are)."""
    require_libreoffice()
    [saved] = recalculate_many([blank_book(tmp_path / "blank.xlsx")], tmp_path / "lo")
    sheet_part, table_part = sales_parts(saved)
    assert b"calculatedColumnFormula" not in parts(saved)[table_part]
    before = parts(saved)
    with WorkbookPackage.open(saved) as pkg:
        pkg.append_table_rows("Sales", HEADERS, ROWS)
        pkg.save()
    after = parts(saved)
    changed = {n for n in before if before[n] != after[n]}
    with WorkbookPackage.open(saved) as pkg:
        kpi_part = pkg._layout().sheet("KPI").part
    assert changed - {CORE} == {sheet_part, table_part, "xl/workbook.xml", kpi_part}
    result = re.compile(rb"</f><v>[^<]")  # (an empty <v></v> is no result)
    assert result.search(before[kpi_part]) and not result.search(after[kpi_part])
    calc = ET.fromstring(after["xl/workbook.xml"]).find("m:calcPr", NS)
    assert calc.get("fullCalcOnLoad") == "1" and calc.get("iterateCount") == "100"
    ws = openpyxl.load_workbook(saved)["销售记录"]
    assert table_ref(saved) == f"A4:{SALES_LAST}7"
    assert [ws.cell(r, 1).value for r in (5, 6, 7)] == ["N-1", "N-2", "N-3"]
    for r in (5, 6, 7):
        assert all("[#This Row]" in ws.cell(r, c).value for c in CALC_COLUMNS)
    assert ws.cell(6, 5).data_type == "s"


# --------------------------------------------------------------------------------------
# Trailing blank rows, cells beside and below the table
# --------------------------------------------------------------------------------------


def test_trailing_blank_rows_are_reused_and_extra_ones_removed(tmp_path) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=2, blank_rows=3)
    assert table_ref(path, "T") == "A3:D8"
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id", "value"], [("new", 7)])
        pkg.save()
    assert table_ref(path, "T") == "A3:D6"
    ws = openpyxl.load_workbook(path)["Data"]
    assert [ws.cell(r, 1).value for r in range(4, 8)] == ["id0", "id1", "new", None]
    formula = ws["D4"].value
    assert formula.startswith("=") and "#This Row" in formula
    assert ws["C6"].value == 7 and ws["D6"].value == formula
    # the two blank rows left below the table lost their formulas
    assert ws["D7"].value is None and ws["D8"].value is None

    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id", "when", "value"],
                              [(f"m{i}", date(2026, 2, i + 1), i) for i in range(4)])
        pkg.save()
    assert table_ref(path, "T") == "A3:D10"
    ws = openpyxl.load_workbook(path)["Data"]
    assert [ws.cell(r, 1).value for r in range(7, 11)] == ["m0", "m1", "m2", "m3"]
    assert all(ws.cell(r, 4).value == formula for r in range(4, 11))
    assert ws["B10"].number_format == "yyyy-mm-dd" and ws["C10"].number_format == "#,##0.00"


def test_cells_beside_the_table_are_kept(tmp_path) -> None:
    def notes(ws) -> None:
        ws.write("F4", "beside row 4")
        ws.write("F6", "beside a blank table row")
        ws.write("G9", "beside, below the table")
        ws.write("F30", "far below")

    path = simple_table_book(tmp_path / "t.xlsx", data_rows=1, blank_rows=2, extra=notes)
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["value", "id"], [(i, f"n{i}") for i in range(6)])
        pkg.save()
    assert table_ref(path, "T") == "A3:D10"
    ws = openpyxl.load_workbook(path)["Data"]
    assert ws["F4"].value == "beside row 4"
    assert ws["F6"].value == "beside a blank table row"
    assert ws["G9"].value == "beside, below the table" and ws["A9"].value == "n4"
    assert ws["F30"].value == "far below"
    assert [ws.cell(r, 1).value for r in range(5, 11)] == [f"n{i}" for i in range(6)]
    xml = cells_xml(path, "xl/worksheets/sheet1.xml")
    for row in re.findall(r"<row [^>]*>(.*?)</row>", xml):
        refs = re.findall(r'<c r="([A-Z]+)\d+"', row)
        assert refs == sorted(refs, key=lambda r: (len(r), r)), "cells in column order"


@pytest.mark.parametrize("where", ["A12", "D9"])
def test_content_below_the_table_is_refused(tmp_path, where) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=3, blank_rows=0,
                             extra=lambda ws: ws.write(where, "a total"))
    original, before = path.read_bytes(), parts(path)
    with WorkbookPackage.open(path) as pkg:
        with pytest.raises(WorkbookError) as err:
            pkg.append_table_rows("T", ["id"], [("x",)])
        row = where[1:]
        assert "'Data'" in err.value.en and f"row {row}" in err.value.en
        assert "“Data”" in err.value.zh and f"第 {row} 行" in err.value.zh
        assert "Delete or move" in err.value.en and "删除或移走" in err.value.zh
        assert path.read_bytes() == original
        pkg.save()  # nothing was queued
    assert parts(path) == before


def test_bad_calls_change_nothing(tmp_path) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=1, blank_rows=0)
    before = parts(path)
    with WorkbookPackage.open(path) as pkg:
        with pytest.raises(WorkbookError, match="no Excel Table"):
            pkg.append_table_rows("Nope", ["id"], [("x",)])
        with pytest.raises(WorkbookError, match="has no column 'idx'"):
            pkg.append_table_rows("T", ["idx"], [("x",)])
        with pytest.raises(WorkbookError, match="calculated"):
            pkg.append_table_rows("T", ["double"], [(1,)])
        with pytest.raises(WorkbookError, match="twice"):
            pkg.append_table_rows("T", ["id", "ID"], [(1, 2)])
        with pytest.raises(TypeError):
            pkg.append_table_rows("T", ["id"], [(object(),)])
        with pytest.raises(ValueError):
            pkg.append_table_rows("T", ["id"], [(1, 2)])
        pkg.append_table_rows("T", ["id"], [])  # nothing to do
        pkg.save()
    assert parts(path) == before


def test_append_twice_and_highlight_in_one_session(tmp_path) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=2, blank_rows=1)
    with WorkbookPackage.open(path) as pkg:
        pkg.set_highlights("Data", ["A4"])
        pkg.append_table_rows("T", ["id"], [("a",), ("b",)])
        pkg.append_table_rows("T", ["id"], [("c",)])
        pkg.save()
    ws = openpyxl.load_workbook(path)["Data"]
    assert table_ref(path, "T") == "A3:D8"
    assert [ws.cell(r, 1).value for r in range(4, 9)] == ["id0", "id1", "a", "b", "c"]
    assert len(ws.conditional_formatting) == 1


def test_value_types(tmp_path) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=0, blank_rows=1)
    rows = [
        ("  spaced  ", date(1899, 12, 1), float("nan")),
        ("bad\x00\x07chars", datetime(2026, 3, 1, 12, 0), 10 ** 16),
        ("", None, -0.5),
        ("_x0041_ stays", date(2026, 3, 2), 3),
    ]
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id", "when", "value"], rows)
        pkg.save()
    ws = openpyxl.load_workbook(path)["Data"]
    assert table_ref(path, "T") == "A3:D7"
    assert ws["A4"].value == "  spaced  "
    assert ws["B4"].value == "1899-12-01" and ws["C4"].value is None  # pre-1900, NaN
    assert ws["A5"].value == "badchars" and ws["B5"].value == datetime(2026, 3, 1, 12, 0)
    assert ws["C5"].value == 10 ** 16
    assert ws["A6"].value is None and ws["B6"].value is None and ws["C6"].value == -0.5
    assert ws["B7"].value == datetime(2026, 3, 2)
    # Excel's _xHHHH_ escapes are escaped themselves (as Excel does): calamine reads them back
    cal = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data")
    assert cal.to_python()[6][0] == "_x0041_ stays"


def test_date_style_is_added_when_the_column_has_none(tmp_path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "plain.xlsx"))
    ws = wb.add_worksheet("S")
    ws.add_table("B2:C3", {"name": "Plain", "columns": [{"header": "d"}, {"header": "n"}]})
    wb.close()
    path = tmp_path / "plain.xlsx"
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("Plain", ["d", "n"], [(date(2026, 5, 1), 1)])
        pkg.save()
    ws = openpyxl.load_workbook(path)["S"]
    assert ws["B3"].value == datetime(2026, 5, 1) and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["C3"].number_format == "General"
    assert table_ref(path, "Plain") == "B2:C3"


def test_full_calc_on_load_is_added_where_calcpr_belongs(tmp_path) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=1, blank_rows=0)
    rewrite_part(path, "xl/workbook.xml",
                 lambda text: re.sub(r"<calcPr[^>]*/>", "", text).replace(
                     "</workbook>", '<fileRecoveryPr repairLoad="1"/><extLst/></workbook>'))
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id"], [("x",)])
        pkg.save()
    root = ET.fromstring(parts(path)["xl/workbook.xml"])
    order = [el.tag.rpartition("}")[2] for el in root]
    assert order[-3:] == ["calcPr", "fileRecoveryPr", "extLst"]
    assert root.find("m:calcPr", NS).get("fullCalcOnLoad") == "1"
    assert order.index("sheets") < order.index("calcPr")


def test_prefixed_sheet_xml_and_rows_without_numbers(tmp_path) -> None:
    """A sheet written with a namespace prefix (x:row, x:c), rows and cells without r."""
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=2, blank_rows=0)

    def prefixed(text: str) -> str:
        text = text.replace(f'xmlns="{ooxml.NS_MAIN}"', f'xmlns:x="{ooxml.NS_MAIN}"')
        text = re.sub(r"<(/?)(?=[A-Za-z])(?![\w.\-]+:)", r"<\1x:", text)
        text = re.sub(r'(<x:row) r="4"', r"\1", text)  # row 4 follows row 3
        return re.sub(r'(<x:c) r="B4"', r"\1", text)  # B4 follows A4

    rewrite_part(path, "xl/worksheets/sheet1.xml", prefixed)
    assert openpyxl.load_workbook(path)["Data"]["B4"].value is not None
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id", "when"], [("p", date(2026, 4, 1))])
        pkg.save()
    xml = cells_xml(path, "xl/worksheets/sheet1.xml")
    assert '<x:row r="6"><x:c r="A6"' in xml and "<x:is><x:t>p</x:t></x:is>" in xml
    ws = openpyxl.load_workbook(path)["Data"]
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == ["id0", "id1", "p"]
    assert table_ref(path, "T") == "A3:D6"


def test_totals_row_is_refused(tmp_path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "tot.xlsx"))
    ws = wb.add_worksheet("S")
    ws.add_table("A1:B4", {"name": "Tot", "total_row": True,
                           "columns": [{"header": "a", "total_string": "Total"},
                                       {"header": "b", "total_function": "sum"}]})
    wb.close()
    with WorkbookPackage.open(tmp_path / "tot.xlsx") as pkg:
        with pytest.raises(WorkbookError, match="totals row"):
            pkg.append_table_rows("Tot", ["a"], [("x",)])


def test_empty_sheet_data(tmp_path) -> None:
    """A sheet whose <sheetData/> is empty (the table's header cells missing)."""
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=0, blank_rows=1)
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda text: re.sub(r"<sheetData>.*</sheetData>", "<sheetData/>", text))
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("T", ["id"], [("a",), ("b",)])
        pkg.save()
    assert table_ref(path, "T") == "A3:D5"
    ws = openpyxl.load_workbook(path)["Data"]
    assert ws["A4"].value == "a" and ws["A5"].value == "b" and ws["D5"].value.startswith("=")


def test_the_sheet_is_streamed_not_loaded(tmp_path, sample_books, monkeypatch) -> None:
    """The Sales sheet is never read whole nor parsed into a tree (only streamed)."""
    path = tmp_path / "book.xlsx"
    shutil.copyfile(sample_books["en"], path)
    sheet_part, _ = sales_parts(path)
    real_read, real_fromstring = zipfile.ZipFile.read, ET.fromstring

    def read(self, name, *args, **kwargs):
        assert str(getattr(name, "filename", name)) != sheet_part, "sheet read whole"
        return real_read(self, name, *args, **kwargs)

    def fromstring(text, *args, **kwargs):
        assert len(text) < 200_000, "a big part parsed into a tree"
        return real_fromstring(text, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "read", read)
    monkeypatch.setattr(ET, "fromstring", fromstring)
    with WorkbookPackage.open(path) as pkg:
        pkg.append_table_rows("Sales", ["Order ID", "Customer"], [("S-1", "x")] * 3)
        pkg.save()
    monkeypatch.undo()
    assert len(parts(path)[sheet_part]) > 1_000_000
    ws = openpyxl.load_workbook(path)["Sales"]
    assert ws.cell(ws.max_row, 1).value == "S-1"
