"""xlsales.io.package: writing into a user's workbook without losing anything.

Real files: a workbook built by XlsxWriter (the sample), the same after LibreOffice saved
it (shared strings, other part names, data descriptors), the xlwings quickstart .xlsm
(a real VBA project) and an .xlsm with a form button, a comment (VML) and a chart.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import struct
import time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
import python_calamine
import xlsxwriter
from oletools.olevba import VBA_Parser

from tests.conftest import require_libreoffice
from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io import package as package_module
from xlsales.io.package import (
    HIGHLIGHT_FORMULA,
    Block,
    Chart,
    Column,
    Link,
    SheetContent,
    TextBox,
    WorkbookPackage,
)
from xlsales.io.sheetcontent import placements
from xlsales.libreoffice import recalculate_many
from xlsales.rollup_saved_times import saved_inside

CT = "[Content_Types].xml"


# --------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------


def quickstart_xlsm() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("xlwings is not installed (its quickstart .xlsm is the VBA fixture)")
    return Path(next(iter(spec.submodule_search_locations))) / "quickstart_standalone.xlsm"


def build_button_xlsm(path: Path, results_sheet: bool = False) -> Path:
    """A macro-enabled workbook with a form button (VML), a comment and a chart; the
    VBA project is the quickstart's. With ``results_sheet`` a second sheet "Results"
    carries a table, a comment and a chart of its own (to be replaced)."""
    vba = path.parent / "vbaProject.bin"
    with zipfile.ZipFile(quickstart_xlsm()) as zf:
        vba.write_bytes(zf.read("xl/vbaProject.bin"))
    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    ws = wb.add_worksheet("Data")
    ws.set_vba_name("Sheet1")
    ws.write_row(0, 0, ["name", "amount"])
    for r in range(1, 30):
        ws.write_row(r, 0, [f"n{r}", r * 10])
    ws.write_formula("D1", "=SUM(B2:B30)", None, 4350)
    ws.write_comment("A1", "a note")
    ws.insert_button("F2", {"macro": "SampleCall", "caption": "Run"})
    ws.conditional_format("B2:B30", {"type": "cell", "criteria": ">", "value": 200,
                                     "format": wb.add_format({"bold": True})})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$B$2:$B$30"})
    ws.insert_chart("F6", chart)
    if results_sheet:
        res = wb.add_worksheet("Results")
        res.set_vba_name("Sheet2")
        res.add_table("A1:B4", {"name": "Results", "columns": [{"header": "x"},
                                                               {"header": "y"}]})
        res.write_comment("C1", "user note on results")
        chart2 = wb.add_chart({"type": "line"})
        chart2.add_series({"values": "=Results!$B$2:$B$4"})
        res.insert_chart("D2", chart2)
    wb.add_vba_project(str(vba))
    wb.close()
    return path


@dataclass
class Book:
    kind: str
    path: Path
    data_sheet: str  # an existing sheet with data, to highlight


@pytest.fixture(scope="module")
def lo_saved(tmp_path_factory, sample_books) -> Path:
    """The zh sample as LibreOffice saves it."""
    require_libreoffice()
    out = tmp_path_factory.mktemp("lo_saved")
    return recalculate_many([sample_books["zh"]], out)[0]


BOOK_KINDS = ["xlsxwriter", "libreoffice", "quickstart", "buttons"]


@pytest.fixture(params=BOOK_KINDS)
def book(request, tmp_path, sample_books) -> Book:
    kind = request.param
    if kind == "xlsxwriter":
        src, sheet = sample_books["zh"], "销售记录"
    elif kind == "libreoffice":
        src, sheet = request.getfixturevalue("lo_saved"), "销售记录"
    elif kind == "quickstart":
        src, sheet = quickstart_xlsm(), "Sheet1"
    else:
        src, sheet = build_button_xlsm(tmp_path / "built.xlsm"), "Data"
    path = tmp_path / f"user_{kind}{src.suffix}"
    shutil.copyfile(src, path)
    return Book(kind, path, sheet)


def results(data_sheet: str, name: str = "校验结果", table: str | None = "ValidationResults",
            n_extra: int = 0) -> SheetContent:
    rows = [
        (data_sheet, Link("C12", f"'{data_sheet}'!C12"), "=SUM(A1:A3)", 1234.5,
         date(2026, 10, 3), datetime(2026, 10, 3, 14, 30), 0.25, 42),
        (data_sheet, Link("D40", f"#'{data_sheet}'!D40"), "bad\x00\x07chars\x1f\ud800\uffff ok",
         None, None, None, None, None),
        ("it's <&> \"q\"", None, "  two\nlines  ", -3.5, date(1999, 12, 31), None, 1.0, 0),
    ]
    rows += [(f"r{i}", None, f"extra {i}", i, None, None, None, i) for i in range(n_extra)]
    return SheetContent(
        name=name, title=("数据校验结果", "xlsales validate"), table_name=table,
        columns=(Column("工作表", 14), Column("单元格", kind="link"), Column("问题", 40),
                 Column("金额", kind="money"), Column("日期", kind="date"),
                 Column("时间", kind="datetime"), Column("比例", kind="percent"),
                 Column("数量", kind="integer")),
        rows=rows, tab_color="C00000")


EXPECTED_ROWS = [
    ("工作表", "单元格", "问题", "金额", "日期", "时间", "比例", "数量"),
    (None, "C12", "=SUM(A1:A3)", 1234.5, datetime(2026, 10, 3), datetime(2026, 10, 3, 14, 30),
     0.25, 42),
    (None, "D40", "badchars ok", None, None, None, None, None),
    ("it's <&> \"q\"", None, "  two\nlines  ", -3.5, datetime(1999, 12, 31), None, 1, 0),
]


def expected_rows(data_sheet: str) -> list[tuple]:
    rows = [list(r) for r in EXPECTED_ROWS]
    rows[1][0] = rows[2][0] = data_sheet
    return [tuple(r) for r in rows]


# --------------------------------------------------------------------------------------
# Helpers reading the zip as it is
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    crc: int
    compress_type: int
    flag_bits: int
    file_size: int
    raw: bytes  # compressed bytes exactly as stored
    data: bytes  # decompressed


def members(path: Path) -> dict[str, Member]:
    out = {}
    with zipfile.ZipFile(path) as zf, path.open("rb") as f:
        for info in zf.infolist():
            f.seek(info.header_offset)
            header = f.read(30)
            n, m = struct.unpack("<2H", header[26:30])
            f.seek(info.header_offset + 30 + n + m)
            raw = f.read(info.compress_size)
            out[info.filename] = Member(info.CRC, info.compress_type, info.flag_bits,
                                        info.file_size, raw, zf.read(info))
    return out


def order(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def is_rels(name: str) -> bool:
    return name.endswith(".rels") and "/_rels/" in "/" + name


def assert_consistent(path: Path) -> None:
    """No orphan or missing part, content types cover every part, XML well-formed,
    table names and ids unique."""
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(zf.read(name))  # well-formed
        reachable = ooxml.reachable_parts(zf)
        parts = {n for n in names if n != CT and not is_rels(n)}
        assert parts - reachable == set(), "orphan parts"
        for name in names:
            if is_rels(name):
                folder = name.rsplit("/_rels/", 1)[0] if "/_rels/" in name else ""
                source = (folder + "/" if folder else "") + name.rsplit("/", 1)[1][:-5]
                assert source in names or source == "", f"rels of a missing part: {name}"
                for rel in ooxml.parse_rels(zf.read(name), source):
                    assert rel.external or rel.target in names, f"{name} → {rel.target}"
        types = ET.fromstring(zf.read(CT))
        ns = {"t": ooxml.NS_CONTENT_TYPES}
        overrides = {o.get("PartName", "").lstrip("/").lower()
                     for o in types.findall("t:Override", ns)}
        defaults = {d.get("Extension", "").lower() for d in types.findall("t:Default", ns)}
        assert overrides <= {n.lower() for n in names}, "override of a missing part"
        for name in names - {CT}:
            assert name.lower() in overrides or name.rsplit(".", 1)[-1].lower() in defaults
        layout = ooxml.read_layout(zf)
        table_names = [t.name.casefold() for t in layout.tables]
        assert len(table_names) == len(set(table_names))
        ids = [ET.fromstring(zf.read(t.part)).get("id") for t in layout.tables]
        assert len(ids) == len(set(ids)), f"duplicate table ids {ids}"


def vba_modules(path: Path) -> list[tuple[str, str]]:
    parser = VBA_Parser(str(path))
    try:
        return sorted((stream, code) for _, stream, _, code in parser.extract_macros())
    finally:
        parser.close()


def xlsales_blocks(ws) -> list[set[str]]:
    """Cells (ranges expanded) of each xlsales conditional-format block of ``ws``."""
    out = []
    for cf in ws.conditional_formatting:
        if any(HIGHLIGHT_FORMULA in r.formula for r in cf.rules):
            cells = set()
            for rng in cf.sqref.ranges:
                for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row,
                                        min_col=rng.min_col, max_col=rng.max_col):
                    cells.update(c.coordinate for c in row)
            out.append(cells)
    return out


def dxf_count(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("xl/styles.xml"))
    return len(root.findall(f".//{{{ooxml.NS_MAIN}}}dxf"))


def user_rules(ws) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((str(cf.sqref), tuple(f for r in cf.rules for f in r.formula))
                  for cf in ws.conditional_formatting
                  if not any(HIGHLIGHT_FORMULA in r.formula for r in cf.rules))


# --------------------------------------------------------------------------------------
# 1. Untouched parts are copied raw
# --------------------------------------------------------------------------------------


CORE = "docProps/core.xml"


def _without_saved(core: bytes) -> bytes:
    return re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1><", core)


def test_untouched_parts_are_byte_identical(book: Book) -> None:
    os.chmod(book.path, 0o640)
    before = members(book.path)
    before_order = order(book.path)
    with zipfile.ZipFile(book.path) as zf:
        layout = ooxml.read_layout(zf)
        styles = next(r.target for r in ooxml.parse_rels(
            zf.read(ooxml.rels_part(layout.workbook_part)), layout.workbook_part)
            if r.type == ooxml.REL_STYLES)
    vba_before = vba_modules(book.path) if book.path.suffix == ".xlsm" else None

    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet), after=layout.sheets[0].name)
        pkg.set_highlights(book.data_sheet, ["C12", "D40"])
        pkg.save()

    after = members(book.path)
    with zipfile.ZipFile(book.path) as zf:
        new_layout = ooxml.read_layout(zf)
    new_sheet = new_layout.sheet("校验结果")
    new_table = new_layout.table("ValidationResults")
    assert new_table is not None
    added = {new_sheet.part, ooxml.rels_part(new_sheet.part), new_table.part}
    assert set(after) == set(before) | added
    changed = {CT, layout.workbook_part, ooxml.rels_part(layout.workbook_part), styles,
               layout.sheet(book.data_sheet).part, CORE}
    untouched = set(before) - changed
    if CORE in before:  # the last-saved time is now, as any program saving sets it
        assert _without_saved(after[CORE].data) == _without_saved(before[CORE].data)
        assert saved_inside(book.path) == pytest.approx(time.time(), abs=120)
    assert len(untouched) >= 5
    for name in untouched:
        assert after[name] == before[name], f"{name} changed"
    # part order kept, [Content_Types].xml first, new parts last
    after_order = order(book.path)
    assert after_order[0] == CT
    assert [n for n in after_order if n in before and n != CT] == \
        [n for n in before_order if n != CT]
    assert set(after_order[-3:]) == added
    # the highlighted sheet changed only after </sheetData>
    old_data = before[layout.sheet(book.data_sheet).part].data
    new_data = after[layout.sheet(book.data_sheet).part].data
    for end in (b"</sheetData>", b"<sheetData />", b"<sheetData/>"):
        if end in old_data:
            cut = old_data.index(end) + len(end)
            assert new_data[:cut] == old_data[:cut]
            break
    else:
        pytest.fail("no sheetData")
    assert stat.S_IMODE(book.path.stat().st_mode) == 0o640
    if vba_before is not None:
        assert "xl/vbaProject.bin" in untouched
        assert vba_modules(book.path) == vba_before
        assert len(vba_before) >= 3
    if book.kind == "buttons":
        assert {"xl/drawings/vmlDrawing1.vml", "xl/drawings/drawing1.xml",
                "xl/charts/chart1.xml", "xl/comments1.xml"} <= untouched
    assert_consistent(book.path)


def test_falls_back_to_recompressing_when_raw_copy_is_not_possible(tmp_path,
                                                                   sample_books) -> None:
    """A zip with data before it (like a self-extractor) cannot be copied raw; the
    content must still come out identical."""
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(b"#" * 100 + sample_books["zh"].read_bytes())
    before = members(path)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"))
        pkg.save()
    after = members(path)
    for name in set(before) - {CT, "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                               "xl/styles.xml", CORE}:
        assert after[name].data == before[name].data
    assert_consistent(path)


# --------------------------------------------------------------------------------------
# 2. The new sheet reads back (openpyxl, calamine, LibreOffice)
# --------------------------------------------------------------------------------------


def test_a_hidden_new_sheet_is_hidden_and_keeps_its_visibility_when_replaced(
        book: Book) -> None:
    """A sheet added hidden (the roll-up's record) is hidden to Excel, and every other
    sheet stays as it was; written again (shown or not), a sheet keeps the visibility it
    has, as a replaced sheet does (a manager who unhid it sees it still)."""
    from dataclasses import replace

    shown = {n: s for n, s in ((ws.title, ws.sheet_state)
                               for ws in openpyxl.load_workbook(book.path).worksheets)}
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(replace(results(book.data_sheet), hidden=True))
        pkg.save()
    wb = openpyxl.load_workbook(book.path)
    assert wb["校验结果"].sheet_state == "hidden"
    assert {ws.title: ws.sheet_state for ws in wb.worksheets if ws.title != "校验结果"} == shown
    assert_consistent(book.path)
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet))  # replaced: keeps its visibility
        pkg.save()
    assert openpyxl.load_workbook(book.path)["校验结果"].sheet_state == "hidden"


def test_new_sheet_reads_back_with_openpyxl_and_calamine(book: Book) -> None:
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet))
        pkg.save()

    wb = openpyxl.load_workbook(book.path)
    assert wb.sheetnames[-1] == "校验结果"
    ws = wb["校验结果"]
    assert ws["A1"].value == "数据校验结果" and ws["A1"].font.b
    assert ws["A2"].value == "xlsales validate"
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows == expected_rows(book.data_sheet)
    assert ws.tables["ValidationResults"].ref == "A4:H7"
    assert ws.tables["ValidationResults"].autoFilter.ref == "A4:H7"
    links = {c.coordinate: c.hyperlink.location for row in ws.iter_rows() for c in row
             if c.hyperlink}
    assert links == {"B5": f"'{book.data_sheet}'!C12", "B6": f"'{book.data_sheet}'!D40"}
    assert ws["E5"].is_date and ws["E5"].number_format == "yyyy-mm-dd"
    assert ws["F5"].is_date and ws["F5"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["D5"].number_format == "#,##0.00"
    assert ws["G5"].number_format == "0.00%"
    assert ws["B5"].font.u == "single"
    assert ws["A4"].font.b
    assert ws.freeze_panes == "A5"
    assert ws.sheet_properties.tabColor.rgb == "FFC00000"
    assert ws.column_dimensions["A"].width == 14

    cal = python_calamine.CalamineWorkbook.from_path(str(book.path))
    assert cal.sheet_names == wb.sheetnames
    values = cal.get_sheet_by_name("校验结果").to_python()
    assert values[0][0] == "数据校验结果"
    assert values[3][:4] == ["工作表", "单元格", "问题", "金额"]
    assert values[4][:5] == [book.data_sheet, "C12", "=SUM(A1:A3)", 1234.5, date(2026, 10, 3)]
    assert values[4][5] == datetime(2026, 10, 3, 14, 30)
    assert values[6][2] == "  two\nlines  "


@pytest.mark.libreoffice
def test_libreoffice_opens_the_result(book: Book, tmp_path) -> None:
    require_libreoffice()
    original = tmp_path / f"original{book.path.suffix}"
    shutil.copyfile(book.path, original)
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet), after=book.data_sheet)
        pkg.set_highlights(book.data_sheet, ["A1", "B2"])
        pkg.save()
    out_orig, out_new = recalculate_many([original, book.path], tmp_path / "lo")
    before = openpyxl.load_workbook(out_orig, data_only=True)
    after = openpyxl.load_workbook(out_new, data_only=True)
    assert after.sheetnames == [*before.sheetnames[:before.sheetnames.index(book.data_sheet) + 1],
                                "校验结果",
                                *before.sheetnames[before.sheetnames.index(book.data_sheet) + 1:]]
    for name in before.sheetnames:
        assert [[c for c in r] for r in before[name].iter_rows(values_only=True)] == \
            [[c for c in r] for r in after[name].iter_rows(values_only=True)], name
    rows = list(after["校验结果"].iter_rows(min_row=4, values_only=True))
    assert rows == expected_rows(book.data_sheet)
    assert "ValidationResults" in after["校验结果"].tables
    assert xlsales_blocks(after[book.data_sheet]) == [{"A1", "B2"}]


# --------------------------------------------------------------------------------------
# 3. Replacing a sheet
# --------------------------------------------------------------------------------------


def test_replacing_twice_leaves_one_sheet_one_table_no_orphans(book: Book) -> None:
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet), after=book.data_sheet)
        pkg.save()
    position = openpyxl.load_workbook(book.path).sheetnames.index("校验结果")
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(results(book.data_sheet, n_extra=5))
        pkg.put_sheet(results(book.data_sheet, n_extra=10))  # twice in one session
        pkg.save()
        pkg.put_sheet(results(book.data_sheet, n_extra=2))  # and after a save
        pkg.save()
    wb = openpyxl.load_workbook(book.path)
    assert wb.sheetnames.count("校验结果") == 1
    assert wb.sheetnames.index("校验结果") == position
    ws = wb["校验结果"]
    assert list(ws.tables) == ["ValidationResults"]
    assert ws.tables["ValidationResults"].ref == "A4:H9"
    assert ws.max_row == 9
    with zipfile.ZipFile(book.path) as zf:
        layout = ooxml.read_layout(zf)
        assert [t.name for t in layout.tables].count("ValidationResults") == 1
        sheet_parts = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheet_parts) == len(layout.sheets)
    assert_consistent(book.path)


def test_replacing_removes_the_old_sheets_own_parts_only(tmp_path) -> None:
    path = build_button_xlsm(tmp_path / "with_results.xlsm", results_sheet=True)
    before = members(path)
    vba = vba_modules(path)
    with zipfile.ZipFile(path) as zf:
        old = ooxml.read_layout(zf)
        old_rels = {r.target for r in ooxml.parse_rels(
            zf.read(ooxml.rels_part(old.sheet("Results").part)), old.sheet("Results").part)}
    assert len(old_rels) == 4  # table, drawing, vml, comments
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("Data", name="Results", table="Results"))
        pkg.save()
    after = members(path)
    gone = set(before) - set(after)
    assert {"xl/comments2.xml", "xl/drawings/drawing2.xml", "xl/drawings/vmlDrawing2.vml",
            "xl/charts/chart2.xml", "xl/drawings/_rels/drawing2.xml.rels"} <= gone
    assert all(n in after for n in ("xl/comments1.xml", "xl/drawings/drawing1.xml",
                                    "xl/drawings/vmlDrawing1.vml", "xl/charts/chart1.xml"))
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert vba_modules(path) == vba
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.sheetnames == ["Data", "Results"]
    assert list(wb["Results"].tables) == ["Results"]
    assert wb["Results"].sheet_properties.codeName == "Sheet2"  # bound to its VBA module
    assert_consistent(path)


def with_calc_chain(path: Path, entries: str) -> Path:
    """``path`` rewritten with a calculation chain (as Excel writes one) of ``entries``."""
    tmp = path.with_name("calc.tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == CT:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'spreadsheetml.calcChain+xml"/></Types>')
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Id="rId99" Type="{ooxml.REL_CALC_CHAIN}" '
                    'Target="calcChain.xml"/></Relationships>').encode())
            dst.writestr(info, data)
        dst.writestr("xl/calcChain.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                     f'<calcChain xmlns="{ooxml.NS_MAIN}">{entries}</calcChain>')
    tmp.replace(path)
    return path


def formulas_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    data = wb.add_worksheet("Data")
    data.write_column("A1", [1, 2, 3])
    data.write_formula("D1", "=SUM(A1:A3)", None, 6)
    res = wb.add_worksheet("Results")
    res.write_formula("B2", "=Data!A1*2", None, 2)
    res.write_formula("B3", "=Data!A2*2", None, 4)
    wb.close()
    return path


def test_replacing_drops_the_old_sheets_calculation_chain_entries(tmp_path) -> None:
    path = with_calc_chain(formulas_book(tmp_path / "mixed.xlsx"),
                           '<c r="B2" i="2"/><c r="B3"/><c r="D1" i="1"/>')
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("Data", name="Results"))
        pkg.save()
    with zipfile.ZipFile(path) as zf:
        chain = ET.fromstring(zf.read("xl/calcChain.xml"))
    assert [(c.get("r"), c.get("i")) for c in chain] == [("D1", "1")]
    assert_consistent(path)

    only = with_calc_chain(formulas_book(tmp_path / "only.xlsx"), '<c r="B2" i="2"/><c r="B3"/>')
    with WorkbookPackage.open(only) as pkg:
        pkg.put_sheet(results("Data", name="Results"))
        pkg.save()
    with zipfile.ZipFile(only) as zf:
        assert "xl/calcChain.xml" not in zf.namelist()
        assert b"calcChain" not in zf.read(CT) + zf.read("xl/_rels/workbook.xml.rels")
    assert openpyxl.load_workbook(only, data_only=True)["Data"]["D1"].value == 6
    assert_consistent(only)


def test_save_as_leaves_the_source_alone(tmp_path, sample_books) -> None:
    src = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], src)
    os.chmod(src, 0o604)
    original = src.read_bytes()
    with WorkbookPackage.open(src) as pkg:
        pkg.put_sheet(results("销售记录"))
        pkg.save(tmp_path / "out" / "copy.xlsx")
        assert pkg.path == tmp_path / "out" / "copy.xlsx"
    assert src.read_bytes() == original
    copy = tmp_path / "out" / "copy.xlsx"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o604
    assert "校验结果" in openpyxl.load_workbook(copy).sheetnames
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.xlsx"]


def test_table_names_and_sheet_names_are_checked(tmp_path, sample_books) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    original = path.read_bytes()
    with WorkbookPackage.open(path) as pkg:
        with pytest.raises(WorkbookError) as err:
            pkg.put_sheet(results("销售记录", table="sales"))  # the Sales table, any case
        assert "Sales" in err.value.en or "sales" in err.value.en
        assert "表格名称" in err.value.zh
        with pytest.raises(WorkbookError):
            pkg.put_sheet(results("销售记录", table="kpi_revenue"))  # a defined name
        with pytest.raises(WorkbookError):
            pkg.put_sheet(results("销售记录"), after="没有这个表")
        with pytest.raises(WorkbookError):
            pkg.set_highlights("没有这个表", ["A1"])
        with pytest.raises(WorkbookError):
            pkg.set_highlights("销售记录", ["A0"])
        with pytest.raises(WorkbookError):
            pkg.set_highlights("销售记录", ["XFE1"])
    for bad in ("a/b", "x" * 32, "'quoted'", "History", ""):
        with pytest.raises(WorkbookError):
            results("销售记录", name=bad)
    for bad_table in ("A1", "R1C1", "has space", "1abc", "c"):
        with pytest.raises(WorkbookError):
            results("销售记录", table=bad_table)
    assert path.read_bytes() == original
    # a sheet name matching case-insensitively is the same sheet: replaced, not added
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录", name="Results", table=None))
        pkg.put_sheet(results("销售记录", name="RESULTS", table=None))
        pkg.save()
    assert openpyxl.load_workbook(path).sheetnames[-1] == "RESULTS"
    assert_consistent(path)


def test_inserting_in_the_middle_keeps_sheet_scoped_names(tmp_path, sample_books) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    titles = {ws.title: ws.print_title_rows for ws in openpyxl.load_workbook(path)}
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"), after="说明")
        pkg.save()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1] == "校验结果"
    assert {ws.title: ws.print_title_rows for ws in wb if ws.title != "校验结果"} == titles
    assert wb["校验结果"].print_title_rows is None
    assert wb.active.title == "说明"


# --------------------------------------------------------------------------------------
# 4. Highlights
# --------------------------------------------------------------------------------------


def test_highlights_replace_xlsales_block_and_keep_user_rules(book: Book) -> None:
    user_before = user_rules(openpyxl.load_workbook(book.path)[book.data_sheet])
    if book.kind in ("xlsxwriter", "libreoffice", "buttons"):
        assert user_before, "the fixture should have conditional formats of its own"

    with WorkbookPackage.open(book.path) as pkg:
        pkg.set_highlights(book.data_sheet, ["C12", "D40", "c13", "$E$7", "C12"])
        pkg.save()
    wb = openpyxl.load_workbook(book.path)
    ws = wb[book.data_sheet]
    assert xlsales_blocks(ws) == [{"C12", "C13", "D40", "E7"}]
    assert user_rules(ws) == user_before
    priorities = [r.priority for cf in ws.conditional_formatting for r in cf.rules]
    assert len(priorities) == len(set(priorities))
    ours = next(r for cf in ws.conditional_formatting for r in cf.rules
                if HIGHLIGHT_FORMULA in r.formula)
    assert wb._differential_styles[ours.dxfId].fill.bgColor.rgb == "FFFFC7CE"
    dxfs = dxf_count(book.path)

    with WorkbookPackage.open(book.path) as pkg:
        pkg.set_highlights(book.data_sheet, ["A2"])
        pkg.set_highlights(book.data_sheet, ["B3", "B4"])  # the last call wins
        pkg.save()
    wb = openpyxl.load_workbook(book.path)
    assert xlsales_blocks(wb[book.data_sheet]) == [{"B3", "B4"}]
    assert user_rules(wb[book.data_sheet]) == user_before
    assert dxf_count(book.path) == dxfs  # the dxf is reused

    with WorkbookPackage.open(book.path) as pkg:
        pkg.set_highlights(book.data_sheet, [])
        pkg.save()
    wb = openpyxl.load_workbook(book.path)
    assert xlsales_blocks(wb[book.data_sheet]) == []
    assert user_rules(wb[book.data_sheet]) == user_before
    assert_consistent(book.path)


def test_highlights_on_a_sheet_written_in_the_same_session(tmp_path, sample_books) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"))
        pkg.set_highlights("校验结果", ["B5"])
        pkg.save()
    wb = openpyxl.load_workbook(path)
    assert xlsales_blocks(wb["校验结果"]) == [{"B5"}]
    assert_consistent(path)


# --------------------------------------------------------------------------------------
# 5. Atomic save
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_failure_while_writing_leaves_the_original(tmp_path, sample_books, monkeypatch,
                                                   failure) -> None:
    folder = tmp_path / "user"
    folder.mkdir()
    path = folder / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    original = path.read_bytes()
    real_copy = package_module._ZipWriter.copy_raw
    calls = []

    def failing_copy(self, *args):
        calls.append(1)
        if len(calls) == 10:
            raise failure
        return real_copy(self, *args)

    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"))
        pkg.set_highlights("销售记录", ["C3"])
        monkeypatch.setattr(package_module._ZipWriter, "copy_raw", failing_copy)
        with pytest.raises(type(failure)):
            pkg.save()
        assert path.read_bytes() == original
        assert sorted(p.name for p in folder.iterdir()) == ["s.xlsx"]
        monkeypatch.setattr(package_module._ZipWriter, "copy_raw", real_copy)
        pkg.save()  # the edits were kept; a later save succeeds
    assert "校验结果" in openpyxl.load_workbook(path).sheetnames
    assert sorted(p.name for p in folder.iterdir()) == ["s.xlsx"]


def test_failure_when_replacing_leaves_the_original(tmp_path, sample_books,
                                                     monkeypatch) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    original = path.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "locked by Excel", str(dst))

    monkeypatch.setattr(package_module.os, "replace", locked)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"))
        with pytest.raises(WorkbookError) as err:
            pkg.save()
    assert "Excel" in err.value.en and "关闭" in err.value.zh
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.xlsx"]


def test_a_failed_put_sheet_changes_nothing(tmp_path, sample_books, monkeypatch) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    before = members(path)

    def broken(*args):
        raise RuntimeError("boom")

    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录", name="Kept", table="Kept"))
        with monkeypatch.context() as m:
            m.setattr(package_module, "_sheet_xml", broken)  # after workbook.xml was edited
            with pytest.raises(RuntimeError):
                pkg.put_sheet(results("销售记录"), after="说明")
            with pytest.raises(RuntimeError):
                pkg.put_sheet(results("销售记录", name="Kept", table="Kept"))  # a replacement
        pkg.save()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [*openpyxl.load_workbook(sample_books["zh"]).sheetnames, "Kept"]
    assert list(wb["Kept"].tables) == ["Kept"]
    after = members(path)
    assert after["xl/worksheets/sheet3.xml"] == before["xl/worksheets/sheet3.xml"]
    assert_consistent(path)


def test_refuses_to_save_over_a_file_changed_meanwhile(tmp_path, sample_books) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(results("销售记录"))
        shutil.copyfile(sample_books["en"], path)
        changed = path.read_bytes()
        with pytest.raises(WorkbookError):
            pkg.save()
    assert path.read_bytes() == changed


def test_not_a_workbook(tmp_path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(WorkbookError) as err:
        WorkbookPackage.open(bad)
    assert err.value.zh and err.value.en
    with pytest.raises(WorkbookError):
        WorkbookPackage.open(tmp_path / "missing.xlsx")


# --------------------------------------------------------------------------------------
# 6. Text stays text, XML stays valid
# --------------------------------------------------------------------------------------


def test_formula_like_text_and_control_characters(tmp_path, sample_books) -> None:
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    nasty = SheetContent(
        name="Text & <Stuff>",
        columns=(Column("=HEADER()"), Column("b\x01c"), Column("=HEADER()")),
        rows=[("=1+1", "+A1", "-A1"), ("@SUM(A1)", "a_x0041_b", "\x0b\x0c\x1b tabs\tok"),
              ("]]> <![CDATA[ &amp;", "\ufffe\uffff", 'quote " and \' apostrophe')],
        table_name="Nasty",
    )
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(nasty)
        pkg.save()
    assert_consistent(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Text & <Stuff>"]
    assert [c.value for c in ws[1]] == ["=HEADER()", "bc", "=HEADER()2"]  # unique in a table
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert [c.value for c in ws[2]] == ["=1+1", "+A1", "-A1"]
    assert ws["C3"].value == " tabs\tok"
    assert [c.value for c in ws[4]] == ["]]> <![CDATA[ &amp;", None, "quote \" and ' apostrophe"]
    assert [c.name for c in ws.tables["Nasty"].tableColumns] == ["=HEADER()", "bc", "=HEADER()2"]
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    values = cal.get_sheet_by_name("Text & <Stuff>").to_python()
    assert values[1] == ["=1+1", "+A1", "-A1"]
    assert values[2][1] == "a_x0041_b"  # Excel's _xHHHH_ escape is itself escaped


@pytest.mark.libreoffice
def test_libreoffice_keeps_formula_like_text_as_text(tmp_path, sample_books) -> None:
    require_libreoffice()
    path = tmp_path / "s.xlsx"
    shutil.copyfile(sample_books["zh"], path)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(SheetContent(name="T", columns=(Column("x"),),
                                   rows=[("=1+1",), ("a_x0041_b",)]))
        pkg.save()
    out = recalculate_many([path], tmp_path / "lo")[0]
    ws = openpyxl.load_workbook(out, data_only=True)["T"]
    assert ws["A2"].value == "=1+1"
    assert ws["A3"].value == "a_x0041_b"


def test_content_is_validated() -> None:
    with pytest.raises(ValueError):
        SheetContent(name="x", columns=(Column("a"),), rows=[(1, 2)])
    with pytest.raises(ValueError):
        Column("a", kind="currency")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Link("x", "https://example.com")
    with pytest.raises(WorkbookError):
        SheetContent(name="x", columns=(Column("a"),), tab_color="red")
    assert Link("x", "#'A'!B2").target == "'A'!B2"
    assert SheetContent(name="x", columns=(Column("a"),), title="t").title == ("t",)


# --------------------------------------------------------------------------------------
# 7. Several tables, a text box and native charts on one sheet
# --------------------------------------------------------------------------------------


def report(name: str = "Report", n: int = 3, charts: bool = True) -> SheetContent:
    """A sheet of a text box, two tables and (with ``charts``) two charts over them."""
    months = Block((Column("Month", kind="date"), Column("Revenue", kind="money"),
                    Column("Target", kind="money")),
                   [(date(2026, m, 1), 100.0 * m, 90.0 * m) for m in range(1, n + 1)],
                   title="Trend", table_name="RepTrend")
    reps = Block((Column("Rep"), Column("Value", kind="number")),
                 [("Ann", 0.25), ("Bob", 3), ("O'Neil & <Co>", 1234.5)], title="Reps",
                 table_name="RepValues", row_kinds={1: ["percent", "integer", "money"]})
    chart_list = (Chart("column", "Revenue & target", 1, 0, (1,), (2,), anchor="F1",
                        category_format="yyyy-mm"),
                  Chart("bar", "Reps", 2, 0, (1,), anchor="F17", labels=True)) if charts else ()
    return SheetContent(name=name, columns=(), title=("Report", "subtitle"),
                        blocks=(TextBox("Some text to edit.\nSecond line.", "Summary", 4, 3),
                                months, reps),
                        charts=chart_list, freeze_header=False)


def drawing_of(path: Path, sheet: str) -> tuple[str, list[str]]:
    with zipfile.ZipFile(path) as zf:
        part = ooxml.read_layout(zf).sheet(sheet).part
        drawing = next(t for kind, t in ooxml.read_rels(zf, part).values()
                       if kind == ooxml.NS_REL + "/drawing")
        return drawing, sorted(t for _, t in ooxml.read_rels(zf, drawing).values())


def test_charts_sheet_leaves_every_other_part_byte_identical(book: Book) -> None:
    before = members(book.path)
    with zipfile.ZipFile(book.path) as zf:
        layout = ooxml.read_layout(zf)
    vba_before = vba_modules(book.path) if book.path.suffix == ".xlsm" else None
    with WorkbookPackage.open(book.path) as pkg:
        pkg.put_sheet(report(), after=layout.sheets[0].name)
        pkg.save()
    after = members(book.path)
    with zipfile.ZipFile(book.path) as zf:
        new_layout = ooxml.read_layout(zf)
    sheet = new_layout.sheet("Report").part
    drawing, charts = drawing_of(book.path, "Report")
    tables = {t.part for t in new_layout.tables if t.sheet == "Report"}
    added = {sheet, ooxml.rels_part(sheet), drawing, ooxml.rels_part(drawing), *charts, *tables}
    assert len(charts) == 2 and len(tables) == 2
    assert set(after) == set(before) | added
    styles = "xl/styles.xml"
    changed = {CT, layout.workbook_part, ooxml.rels_part(layout.workbook_part), styles,
               CORE}  # CORE: its last-saved time
    for name in set(before) - changed:
        assert after[name].raw == before[name].raw, f"{name} changed"
    if book.kind == "buttons":  # the sheet's own drawing and chart are others
        assert {"xl/drawings/drawing1.xml", "xl/charts/chart1.xml"} <= set(before) - changed
        assert drawing == "xl/drawings/drawing2.xml"
    if vba_before is not None:
        assert vba_modules(book.path) == vba_before
    wb = openpyxl.load_workbook(book.path)
    ws = wb["Report"]
    assert len(ws._charts) == 2
    assert {t: ws.tables[t].ref for t in ws.tables} == {"RepTrend": "A11:C14",
                                                         "RepValues": "A18:B21"}
    assert ws["A4"].value == "Summary" and ws["A5"].value == "Some text to edit.\nSecond line."
    assert ws["A5"].alignment.wrap_text and [str(r) for r in ws.merged_cells.ranges] == ["A5:D7"]
    assert [c.number_format for c in ws["B"][18:21]] == ["0.00%", "#,##0", "#,##0.00"]
    assert ws["A12"].is_date and ws.freeze_panes is None
    text = zf_text(book.path, charts)
    assert "<c:f>'Report'!$B$12:$B$14</c:f>" in text and "<c:f>'Report'!$B$11</c:f>" in text
    assert "<c:f>'Report'!$B$19:$B$21</c:f>" in text
    assert_consistent(book.path)


def zf_text(path: Path, parts: list[str]) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(p).decode() for p in parts)


def test_replacing_a_charts_sheet_reuses_its_part_names_and_drops_them(tmp_path) -> None:
    path = build_button_xlsm(tmp_path / "with_results.xlsm", results_sheet=True)
    first = members(path)
    with WorkbookPackage.open(path) as pkg:  # the old Results had a table, a chart, a comment
        pkg.put_sheet(report("Results"))
        pkg.save()
    drawing, charts = drawing_of(path, "Results")
    assert (drawing, charts) == ("xl/drawings/drawing2.xml",
                                 ["xl/charts/chart2.xml", "xl/charts/chart3.xml"])
    assert "xl/comments2.xml" not in members(path)
    once = members(path)
    with WorkbookPackage.open(path) as pkg:  # the same content again: the same file content
        pkg.put_sheet(report("Results"))
        pkg.save()
    assert {n: m.data for n, m in members(path).items()} == {n: m.data for n, m in once.items()}
    with WorkbookPackage.open(path) as pkg:  # different content, fewer charts
        pkg.put_sheet(report("Results", n=5, charts=False))
        pkg.save()
    after = members(path)
    assert not {"xl/drawings/drawing2.xml", "xl/charts/chart2.xml",
                "xl/charts/chart3.xml"} & set(after)
    for name in ("xl/drawings/drawing1.xml", "xl/charts/chart1.xml", "xl/vbaProject.bin",
                 "xl/drawings/vmlDrawing1.vml", "xl/comments1.xml"):
        assert after[name].raw == first[name].raw
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert len(wb["Results"]._charts) == 0 and len(wb["Data"]._charts) == 1
    assert wb["Results"].tables["RepTrend"].ref == "A11:C16"
    assert_consistent(path)


@pytest.mark.libreoffice
def test_libreoffice_reads_the_charts(tmp_path) -> None:
    require_libreoffice()
    path = build_button_xlsm(tmp_path / "charts.xlsm")
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(report())
        pkg.save()
    out = recalculate_many([path], tmp_path / "lo")[0]
    wb = openpyxl.load_workbook(out)
    assert len(wb["Report"]._charts) == 2 and len(wb["Data"]._charts) == 1
    assert sorted(wb["Report"].tables) == ["RepTrend", "RepValues"]


def test_blocks_and_charts_are_validated() -> None:
    cols = (Column("a"), Column("b", kind="number"))
    with pytest.raises(ValueError):  # a chart over the text box
        SheetContent("x", (), blocks=(TextBox("t"), Block(cols)),
                     charts=(Chart("column", "c", 0, 0, (1,)),))
    with pytest.raises(ValueError):  # a column the block does not have
        SheetContent("x", (), blocks=(Block(cols),), charts=(Chart("column", "c", 0, 0, (2,)),))
    with pytest.raises(ValueError):
        Chart("bar", "c", 0, 0, (1,), lines=(1,))
    with pytest.raises(ValueError):
        Chart("pie", "c", 0, 0, (1,))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Chart("column", "c", 0, 0, (1,), anchor="A0")
    with pytest.raises(ValueError):  # two tables of one name
        SheetContent("x", (), blocks=(Block(cols, table_name="T"), Block(cols, table_name="t")))
    with pytest.raises(ValueError):
        Block(cols, [(1, 2)], row_kinds={1: ["currency"]})  # type: ignore[list-item]
    with pytest.raises(WorkbookError):
        Block(cols, table_name="A1")
    with pytest.raises(ValueError):
        SheetContent("x", ())
    content = SheetContent("x", cols, [(1, 2)], title="t", table_name="T",
                           blocks=(Block(cols, [(3, 4)], table_name="U"),))
    assert [(p.top, p.header, p.last) for p in placements(content)] == [(1, 3, 4), (6, 6, 7)]
