"""What the built workbook holds, read back independently with openpyxl."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pandas as pd
import pytest
from conftest import require_libreoffice, team_options
from openpyxl.utils.cell import get_column_letter, range_boundaries
from sheet_values import error_cells, kpi_values, table_rows

from xlsales.build.workbook import build_workbook
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD
from xlsales.spec import SPEC, Aggregate, ColumnType, Kpi, SheetKind
from xlsales.spec.model import L
from xlsales.workbook_data import BuildOptions, WorkbookData


@pytest.fixture(scope="module")
def books(sample_books):
    return {lang: openpyxl.load_workbook(p) for lang, p in sample_books.items()}


def _table(wb, name):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(name)


def _validations_of(ws, column_letter, row):
    cell = f"{column_letter}{row}"
    return [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_in_order_named_in_the_workbook_language(books, lang):
    expected = [s.name.get(lang) for s in SPEC.sheets if s.in_every_workbook]
    assert books[lang].sheetnames == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_data_area_is_a_named_table_with_spec_headers(books, lang):
    wb = books[lang]
    for sheet in SPEC.sheets:
        if not sheet.in_every_workbook or sheet.kind is SheetKind.INSTRUCTIONS:
            continue
        ws = wb[sheet.name.get(lang)]
        for table in sheet.tables:
            assert table.name in ws.tables, table.name
            header = table_rows(wb, table.name)[0]
            assert header[: len(table.columns)] == [c.label.get(lang) for c in table.columns]


def test_table_rows_hold_the_data_with_choice_labels(books, sample_data):
    rows = table_rows(books["zh"], "Sales")
    sales = sample_data["zh"].tables["Sales"]
    assert len(rows) - 1 == len(sales)
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["订单编号"] == sales.loc[0, "order_id"]
    assert first["阶段"] in ("线索", "跟进", "方案", "赢单", "输单")
    assert first["日期"].date() == sales.loc[0, "date"]
    assert first["金额"] == sales.loc[0, "amount"]
    # calculated columns are formulas over structured references, not values
    assert str(first["客户计数权重"]).startswith("=IF(AND(")
    assert "Sales[[#This Row],[客户]]" in first["客户计数权重"]


def test_dropdowns_come_from_settings_lists_and_choice_sets(books):
    wb = books["zh"]
    ws = wb["销售记录"]
    sales = SPEC.table("Sales")
    for i, column in enumerate(sales.columns, start=1):
        letter = openpyxl.utils.get_column_letter(i)
        dvs = _validations_of(ws, letter, 5)
        if column.type is ColumnType.LIST:
            assert [dv.formula1 for dv in dvs] == [column.list_source.range_name], column.key
        elif column.type is ColumnType.CHOICE:
            assert dvs[0].type == "list"
            assert dvs[0].formula1.strip('"').split(",") == column.choices.labels("zh")
        elif column.type is ColumnType.MONEY:
            assert dvs[0].type == "decimal" and dvs[0].operator == "greaterThanOrEqual"
        elif column.type is ColumnType.DATE:
            assert dvs[0].type == "date"
    # validation also covers rows typed below the table
    last_row = ws.tables["Sales"].ref.split(":")[1]
    below = int("".join(ch for ch in last_row if ch.isdigit())) + 500
    assert _validations_of(ws, "C", below)
    # list names point at the settings sheet and grow with the list
    name = wb.defined_names["list_rep"]
    assert name.attr_text.startswith("OFFSET('设置'!$E$5") and "COUNTA" in name.attr_text
    reps = [r[0] for r in table_rows(wb, "ListRep")[1:]]
    assert reps == ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"]


def test_required_cells_are_highlighted_when_left_empty(books):
    ws = books["en"]["Sales"]
    sales = SPEC.table("Sales")
    required = {i for i, c in enumerate(sales.columns, 1) if c.required}
    last_input = get_column_letter(sum(c.is_input for c in sales.columns))
    highlighted = set()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            # only rows holding something else are flagged; empty spare rows stay white
            assert rule.type == "expression"
            assert rule.formula[0].startswith(f"AND(COUNTA($A5:${last_input}5)>0,LEN(")
        for cell_range in cf.sqref.ranges:
            c1, r1, c2, r2 = range_boundaries(str(cell_range))
            assert r1 == 5 and r2 > len(table_rows(books["en"], "Sales")) + 500
            highlighted |= set(range(c1, c2 + 1))
    assert highlighted == required


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_protection_freeze_formats_and_print_setup(books, lang):
    wb = books[lang]
    for sheet in SPEC.sheets:
        if not sheet.in_every_workbook:
            continue
        ws = wb[sheet.name.get(lang)]
        # calculated sheets are protected without a password; input sheets never
        assert ws.protection.sheet == (sheet.kind is SheetKind.CALCULATED), sheet.key
        assert not ws.protection.password
        if sheet.kind is SheetKind.INSTRUCTIONS:
            continue
        assert ws.freeze_panes is not None
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$4:$4"
    sales = wb[SPEC.sheet("sales").name.get(lang)]
    assert sales.freeze_panes == "A5"
    money = "¥#,##0.00" if lang == "zh" else "#,##0.00"
    assert sales["J5"].number_format == money
    assert sales["B5"].number_format == "yyyy-mm-dd"
    targets = wb[SPEC.sheet("targets").name.get(lang)]
    assert targets["A5"].number_format == "yyyy-mm"
    assert targets["F5"].number_format == "0.0%"


def test_kpi_sheet_formulas_are_native_and_named(books):
    wb = books["en"]
    rows = table_rows(wb, "KPIs")
    assert [r[0] for r in rows[1:]] == [k.key for k in SPEC.kpis]
    formulas = {r[0]: r[2] for r in rows[1:]}
    assert formulas["revenue"].startswith("=SUMIFS(Sales[Amount],Sales[Date]")
    assert '"Won"' in formulas["revenue"]
    assert formulas["attainment"].startswith('=IF(N(')
    for kpi in SPEC.kpis:
        assert f"kpi_{kpi.key}" in wb.defined_names


def test_basic_info_holds_period_owner_level_role(books):
    rows = {r[0]: r[2] for r in table_rows(books["zh"], "Info")[1:]}
    assert rows["period_type"] == "月度"
    assert rows["period_start"].date() == SAMPLE_PERIOD.start
    assert rows["period_end"].startswith("=IF(info_period_start")
    assert rows["owner"] == "华东销售一组"
    assert (rows["level"], rows["role"]) == ("团队", "销售经理")
    assert books["zh"].defined_names["info_period_start"].attr_text == "'基础信息'!$C$6"


def test_custom_columns_and_formula_like_text_are_kept(tmp_path):
    sales = pd.DataFrame({
        "order_id": ["A1", "A2"], "date": [date(2026, 11, 2), date(2026, 11, 3)],
        "customer": ["=HYPERLINK(\"http://x\")", "+86 123"], "stage": ["won", "lost"],
        "amount": [100.0, 50.0], "渠道": ["线上", "代理"],
    })
    path = tmp_path / "custom.xlsx"
    build_workbook(path, BuildOptions(period=Period.parse("2026-11")),
                   WorkbookData(tables={"Sales": sales}))
    wb = openpyxl.load_workbook(path)
    ws, table = _table(wb, "Sales")
    rows = table_rows(wb, "Sales")
    assert rows[0][-1] == "渠道" and [r[-1] for r in rows[1:]] == ["线上", "代理"]
    c1, r1, _, _ = range_boundaries(table.ref)
    cell = ws.cell(r1 + 1, c1 + 4)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_template_without_data_has_one_empty_row_per_table(tmp_path):
    path = tmp_path / "blank.xlsx"
    build_workbook(path, BuildOptions(lang="en", period=Period.parse("2026-Q4"), owner="Bo"))
    wb = openpyxl.load_workbook(path)
    rows = table_rows(wb, "Sales")
    assert len(rows) == 2 and all(v is None for v in rows[1][:14])
    info = {r[0]: r[2] for r in table_rows(wb, "Info")[1:]}
    assert info["period_type"] == "Quarter" and info["period_start"].date() == date(2026, 10, 1)
    assert [r[0] for r in table_rows(wb, "ListRep")[1:]] == ["Bo"]


def test_adding_a_column_and_a_kpi_is_a_change_to_the_spec_only(tmp_path, sample_data):
    """Extend the spec in one place; the builder and the native formulas follow."""
    require_libreoffice()
    from xlsales.spec.declarations import ACTIVITIES, ACTIVITY_TYPE
    from xlsales.spec.model import Column

    duration = Column("minutes", L("时长", "Minutes"), ColumnType.INTEGER, min_value=0)
    activities = replace(ACTIVITIES, columns=(*ACTIVITIES.columns, duration))
    visits = Kpi("visits", L("拜访次数", "Visits"), L("本期拜访次数。", "Visits in the period."),
                 "count", "higher", Aggregate("Activities", None, (("type", "visit"),)))
    sheets = tuple(replace(s, tables=(activities,)) if s.key == "activities" else s
                   for s in SPEC.sheets)
    spec = replace(SPEC, sheets=sheets, kpis=(*SPEC.kpis, visits))
    data = sample_data["en"]
    path = tmp_path / "extended.xlsx"
    build_workbook(path, team_options("en"), data, spec=spec)
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "out"), data_only=True)
    assert table_rows(wb, "Activities")[0][-1] == "Minutes"
    acts = data.tables["Activities"]
    d = pd.to_datetime(acts["date"])
    expected = int(((acts["type"] == "visit") & (d >= pd.Timestamp(SAMPLE_PERIOD.start))
                    & (d <= pd.Timestamp(SAMPLE_PERIOD.end))).sum())
    assert expected > 0
    assert kpi_values(wb)["visits"] == expected
    assert error_cells(wb) == []
    assert ACTIVITY_TYPE.label("visit", "en") == "Visit"


def _build_bytes(path, data, lang="zh"):
    options = replace(team_options(lang), created=datetime(2026, 11, 1, 9, 0))
    build_workbook(path, options, data)
    return path.read_bytes()


#: A formula cell as XlsxWriter writes it (cached result 0) and as xlsales writes it
#: (no cached result): the one intended difference from plain XlsxWriter.
_CACHED_ZERO = re.compile(rb"(<c [^>]*><f>[^<]*</f>)<v>0</v>(</c>)")


def _same_but_cached_zeros(ours: bytes, plain: bytes) -> int:
    """Assert the xlsx ``ours`` is plain XlsxWriter's ``plain`` with every plain formula
    cell's ``<v>0</v>`` left out, member by member and byte for byte (also the members'
    names, order, times and compression); return how many cells differ."""
    with zipfile.ZipFile(BytesIO(ours)) as a, zipfile.ZipFile(BytesIO(plain)) as b:
        meta = [[(i.filename, i.date_time, i.compress_type, i.external_attr)
                 for i in z.infolist()] for z in (a, b)]
        assert meta[0] == meta[1]
        dropped = 0
        for name in a.namelist():
            mine, theirs = a.read(name), b.read(name)
            expected, n = _CACHED_ZERO.subn(rb"\1\2", theirs)
            assert mine == expected, name
            dropped += n
    return dropped


def test_formula_cache_writes_what_xlsxwriter_writes(tmp_path, sample_data, monkeypatch):
    """Each distinct formula is prepared once; the file is the same, byte for byte, as
    plain XlsxWriter's (the sample's 2,863 sales rows carry eight calculated columns),
    but for the formula cells' cached result: none, where XlsxWriter writes 0."""
    import xlsxwriter

    from xlsales.build import workbook as workbook_module
    from xlsales.build import xlsx

    assert xlsx.FAST_PATH  # XlsxWriter still has the internals the fast path uses
    data = sample_data["zh"]
    prepared = []
    original = xlsxwriter.worksheet.Worksheet._prepare_formula

    def counting(self, formula, expand_future_functions=False):
        prepared.append(formula)
        return original(self, formula, expand_future_functions)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "_prepare_formula", counting)
    cached = _build_bytes(tmp_path / "cached.xlsx", data)
    formula_cells = 8 * len(data.tables["Sales"])
    # once per distinct formula and sheet: not once per cell
    assert 0 < len(prepared) <= len(set(prepared)) + 20 < formula_cells // 10
    prepared.clear()
    monkeypatch.setattr(workbook_module, "Workbook", xlsxwriter.Workbook)
    plain = _build_bytes(tmp_path / "plain.xlsx", data)
    assert len(prepared) > formula_cells  # plain XlsxWriter prepares every cell's formula
    assert _same_but_cached_zeros(cached, plain) > formula_cells
    with zipfile.ZipFile(BytesIO(cached)) as z:  # no formula cell keeps a cached result
        assert not any(b"</f><v>" in z.read(n) for n in z.namelist())


def test_cached_worksheet_keeps_array_and_dynamic_formulas_as_xlsxwriter(tmp_path):
    """Formulas the fast path does not take (array, dynamic, future functions) are
    written as XlsxWriter writes them (array formulas with their cached 0, which
    LibreOffice recalculates on load anyway); plain formulas without a cached result,
    unless one is given."""
    import xlsxwriter

    from xlsales.build.xlsx import Workbook

    def write(cls, path):
        wb = cls(str(path))
        ws = wb.add_worksheet()
        for _ in range(2):
            ws.write_formula("A1", "=SUM(B1:B3)")
            ws.write_formula("A2", "{=SUM(B1:B3*C1:C3)}")
            ws.write_formula("A3", "=UNIQUE(B1:B3)")
            ws.write_formula("A4", "=_xlfn.STDEV.S(B1:B3)")
            ws.write_formula("A5", "=LET(x,1,x+1)")
            ws.write_formula("A6", "=1+1", None, 2)
            ws.write("A7", "=B1*2")
        ws.add_table("D1:E4", {"columns": [{"header": "a"}, {"header": "b",
                                                             "formula": "=[@a]*2"}]})
        wb.set_properties({"created": datetime(2026, 1, 1)})
        wb.close()
        return path.read_bytes()

    ours, plain = write(Workbook, tmp_path / "a.xlsx"), write(xlsxwriter.Workbook,
                                                              tmp_path / "b.xlsx")
    assert _same_but_cached_zeros(ours, plain) == 7  # A1, A4, A5, A7 and E2:E4 (A6 is 2)
    sheet = zipfile.ZipFile(BytesIO(ours)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A1"><f>SUM(B1:B3)</f></c>' in sheet
    assert '<c r="A6"><f>1+1</f><v>2</v></c>' in sheet
    assert '<f t="array" ref="A2">SUM(B1:B3*C1:C3)</f><v>0</v></c>' in sheet
