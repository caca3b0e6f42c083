
"""``xlsales import``: a CRM export appended to a workbook's sales records.

Real files only: CSV exports written in UTF-8, UTF-8 with BOM, GBK and GB18030, an xlsx
export, mapping files; the books are the sample workbook, blank templates (also as
LibreOffice saves them) and a macro-enabled copy carrying the xlwings quickstart's VBA
project. LibreOffice recalculates the imported books and the KPI sheet must equal the
Python engine on the merged rows.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import click
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from bad_inputs import legacy_xls
from click.testing import CliRunner
from conftest import require_libreoffice
from openpyxl.utils import get_column_letter
from sheet_values import error_cells, kpi_values, table_rows
from test_package_append import blank_book, parts, rewrite_part, sales_parts, table_ref

from xlsales.cli_group import Group
from xlsales.errors import UsageError, WorkbookError
from xlsales.findings import Severity
from xlsales.import_command import import_command
from xlsales.import_mapping import parse_maps
from xlsales.importer import id_key, load_mapping, map_columns, prepare_import, read_table_file
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate_many
from xlsales.sample import PRODUCTS, REGIONS, REPS, SAMPLE_PERIOD
from xlsales.spec import SPEC
from xlsales.spec.declarations import CUSTOMER_TYPE, STAGE
from xlsales.validation import validate

SALES_KEYS = SPEC.table("Sales").keys
SALES_LAST = get_column_letter(len(SALES_KEYS))  # the Sales table's last column


@click.group(cls=Group)
def cli() -> None:
    """The command as `xlsales import` will run it (errors → message + exit code)."""


cli.add_command(import_command, "import")


def run(*args: str | Path):
    return CliRunner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


# --------------------------------------------------------------------------------------
# The export: typed records, written in each export's own spelling
# --------------------------------------------------------------------------------------

FIELDS = ["order_id", "date", "rep", "region", "customer", "customer_type", "product",
          "quantity", "unit_price", "amount", "stage", "invoiced", "collected", "note"]
R = dict  # one record: rep/region/product are positions in the sample's lists

RECORDS = [
    R(order_id="IM-001", date=date(2026, 10, 5), rep=0, region=0, customer="新客户一号",
      product=0, quantity=2.0, unit_price=2800.0, amount=5600.0, stage="won",
      invoiced=5600.0, collected=2800.0),
    R(order_id="IM-002", date=date(2026, 10, 12), rep=2, region=1, customer="SAMPLE",
      product=1, quantity=1.0, unit_price=6800.0, amount=6800.0, stage="won",
      invoiced=6800.0, collected=6800.0, note="repeat order"),
    R(order_id="IM-003", date=date(2026, 10, 20), rep=1, region=0, customer="新客户二号",
      customer_type="new", product=2, quantity=1.0, unit_price=16800.0, amount=16800.0,
      stage="lost"),
    R(order_id="IM-004", date=date(2026, 9, 15), rep=3, region=1, customer="新客户三号",
      product=3, quantity=1.0, unit_price=9800.0, amount=9800.0, stage="won",
      invoiced=9800.0, collected=9800.0),
    R(order_id="IM-005", date=date(2025, 10, 8), rep=4, region=2, customer="新客户四号",
      product=0, quantity=3.0, unit_price=2800.0, amount=8400.0, stage="won",
      invoiced=8400.0, collected=8400.0),
    R(order_id="IM-006", date=date(2026, 11, 2), rep=5, region=2, customer="新客户五号",
      product=1, quantity=1.0, unit_price=6800.0, amount=6800.0, stage="proposal"),
    R(order_id="IM-007", date=date(2026, 10, 25), rep=4, region=2, customer="新客户六号",
      customer_type="existing", product=0, quantity=1.0, unit_price=1200.0, amount=1200.0,
      stage="won", invoiced=1200.0, collected=1000.0, messy=True),
    R(order_id="IM-008", date=date(2026, 10, 28), rep=0, region=0, customer="新客户一号",
      product=3, quantity=2.0, unit_price=9800.0, amount=19600.0, stage="won",
      invoiced=19600.0, collected=0.0),
]


def typed(lang: str, sample_customer: str = "客户样例") -> pd.DataFrame:
    """The records as the importer should produce them (field keys, choice keys)."""
    rows = []
    for rec in RECORDS:
        row = {f: rec.get(f) for f in FIELDS}
        row["rep"] = REPS[lang][rec["rep"]]
        row["region"] = REGIONS[lang][rec["region"]]
        row["product"] = PRODUCTS[lang][rec["product"]]
        if row["customer"] == "SAMPLE":
            row["customer"] = sample_customer
        rows.append(row)
    return pd.DataFrame(rows, columns=FIELDS)


def spelled(lang: str, sample_customer: str = "客户样例") -> list[list[str]]:
    """The records as a CRM writes them in ``lang``: text, labels, one messy row."""
    out = []
    for (_, row), rec in zip(typed(lang, sample_customer).iterrows(), RECORDS, strict=True):
        cells = []
        for f in FIELDS:
            v = row[f]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                cells.append("")
            elif f == "stage":
                cells.append(STAGE.label(v, lang))
            elif f == "customer_type":
                cells.append(CUSTOMER_TYPE.label(v, lang))
            elif isinstance(v, float):
                cells.append(f"{v:g}")
            else:
                cells.append(str(v))
        if rec.get("messy"):  # what people really export
            i = FIELDS.index
            cells[i("date")] = "2026年10月25日" if lang == "zh" else "2026/10/25"
            cells[i("amount")] = "￥1,200" if lang == "zh" else "$1,200"
            cells[i("stage")] = "成交" if lang == "zh" else "closed won"
            cells[i("customer_type")] = "老" if lang == "zh" else "existing customer"
            cells[i("customer")] = f"  {cells[i('customer')]} "
        out.append(cells)
    return out


def labels(lang: str) -> list[str]:
    table = SPEC.table("Sales")
    return [table.column(f).label.get(lang) for f in FIELDS]


def write_csv(path: Path, header: list[str], rows: list[list[str]],
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def imported_frame(book: Path) -> pd.DataFrame:
    """The sales rows of ``book`` as the reader sees them, IM-… orders only."""
    frame = read_workbook(book).tables["Sales"].frame
    frame = frame[frame["order_id"].astype(str).str.startswith("IM-")]
    return frame[FIELDS].reset_index(drop=True)


def assert_same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want)
    for (_, g), (_, w) in zip(got.iterrows(), want.iterrows(), strict=True):
        for f in FIELDS:
            a, b = g[f], w[f]
            blank_a = a is None or (isinstance(a, float) and math.isnan(a))
            blank_b = b is None or (isinstance(b, float) and math.isnan(b))
            assert blank_a == blank_b and (blank_a or a == b), (g["order_id"], f, a, b)


# --------------------------------------------------------------------------------------
# Encodings, headers, mappings, xlsx exports
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_csv_in_every_encoding_maps_automatically(tmp_path, encoding) -> None:
    book = blank_book(tmp_path / "book.xlsx")
    export = write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh"), encoding)
    if encoding == "utf-8-sig":
        assert export.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert "导入 8 行，跳过 0 行" in result.stdout
    assert "[import] 正在读取" in result.stderr and "[import]" not in result.stdout
    assert "订单编号 ← 订单编号" in result.stdout
    assert "早于本期 2 行（作为历史保留），晚于本期 1 行" in result.stdout
    assert_same_rows(imported_frame(book), typed("zh"))
    # the template's placeholder row was replaced: row 5 holds the first record
    assert table_ref(book) == f"A4:{SALES_LAST}12"
    ws = openpyxl.load_workbook(book)["销售记录"]
    assert ws["A5"].value == "IM-001" and ws["K5"].value == "赢单"
    assert ws["K11"].value == "赢单" and ws["F11"].value == "老客户"  # aliases → labels
    assert ws.max_row == 12


def test_english_headers_with_map_options(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx", lang="en")
    header = ["Deal No", "Close date", "Owner", "Region", "Account", "Customer type",
              "Product", "Qty", "Unit price", "Deal value", "Deal stage", "Invoiced",
              "Collected", "Note", "Source"]
    rows = [[*r, "web"] for r in spelled("en")]
    export = write_csv(tmp_path / "crm.csv", header, rows)
    # without --map: the fields not found, the export's columns not matched, an example
    # of --map naming the column closest to each (it gave one of 'amount' and a column
    # the export lacks; then the first column not matched, whatever it was)
    unmapped = run(export, "--into", book)
    assert unmapped.exit_code == 2
    assert "Cannot tell which column holds: Order ID (order_id)" in unmapped.output
    assert ("The export's columns not matched: Deal No, Account, Qty, Deal value, Source."
            in unmapped.output)
    assert "(e.g. --map order_id='Deal No' --map customer='Account')" in unmapped.output
    result = run(export, "--into", book, "--map", "order_id=Deal No",
                 "--map", "date=close date",  # header matching ignores case
                 "--map", "rep=Owner", "--map", "customer=Account", "--map", "quantity=Qty",
                 "--map", "amount=Deal value", "--map", "stage=Deal stage")
    assert result.exit_code == 0, result.output
    assert "imported 8 rows, skipped 0" in result.stdout
    assert "Export columns not used: Source" in result.stdout
    assert "Amount ← Deal value" in result.stdout
    assert "2 before it (kept as history), 1 after it" in result.stdout
    assert_same_rows(imported_frame(book), typed("en"))
    ws = openpyxl.load_workbook(book)["Sales"]
    assert [ws.cell(r, 11).value for r in range(5, 13)] == [
        "Won", "Won", "Lost", "Won", "Won", "Proposal", "Won", "Won"]


def test_regions_and_products_named_in_the_other_language_take_the_books_names(tmp_path):
    """An English CRM's `East` and `Standard` imported into a Chinese workbook: its lists
    name them `华东` and `标准版`, so the rows do too (counted among the repairs) —
    else every row would fail validation and count as another region and product."""
    book = blank_book(tmp_path / "book.xlsx")
    rows = spelled("zh")
    for row, rec in zip(rows, RECORDS, strict=True):
        row[FIELDS.index("region")] = REGIONS["en"][rec["region"]]
        row[FIELDS.index("product")] = PRODUCTS["en"][rec["product"]]
    plain = run(write_csv(tmp_path / "zh.csv", labels("zh"), spelled("zh")), "--into", book,
                "--dry-run")
    result = run(write_csv(tmp_path / "crm.csv", labels("zh"), rows), "--into", book)
    assert result.exit_code == 0, result.output
    repaired = int(re.search(r"自动修正 (\d+) 处", result.stdout)[1])
    assert repaired == int(re.search(r"自动修正 (\d+) 处", plain.stdout)[1]) + 2 * len(RECORDS)
    assert_same_rows(imported_frame(book), typed("zh"))
    assert not [f for f in validate(read_workbook(book)) if f.rule == "not_in_list"]


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_mapping_files(tmp_path, kind) -> None:
    book = blank_book(tmp_path / "book.xlsx")
    header = labels("zh")
    header[FIELDS.index("amount")] = "成交金额"
    header[FIELDS.index("customer")] = "客户名称"
    header[FIELDS.index("note")] = "说明"
    export = write_csv(tmp_path / "crm.csv", header, spelled("zh"), "gbk")
    mapping = {"amount": "成交金额", "customer": "客户名称", "note": "备注"}
    if kind == "json":
        path = tmp_path / "map.json"
        path.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
    else:
        path = tmp_path / "map.csv"
        path.write_text("field,column\n# comment\n"
                        + "".join(f"{k},{v}\n" for k, v in mapping.items()), encoding="utf-8")
    assert load_mapping(path) == mapping
    # "备注" is not in the export: the file's mapping fails, unless --map overrides it
    failed = run(export, "--into", book, "--mapping", path)
    assert failed.exit_code == 2 and "备注" in failed.output and "no column" in failed.output
    result = run(export, "--into", book, "--mapping", path, "--map", "note=说明")
    assert result.exit_code == 0, result.output
    assert "金额 ← 成交金额" in result.stdout and "备注 ← 说明" in result.stdout
    assert_same_rows(imported_frame(book), typed("zh"))


def test_xlsx_export(tmp_path) -> None:
    """An xlsx export with real dates and numbers, numeric order IDs and a blank row
    above the header."""
    export = tmp_path / "crm.xlsx"
    wb = xlsxwriter.Workbook(str(export))
    ws = wb.add_worksheet("Export")
    day = wb.add_format({"num_format": "yyyy/mm/dd"})
    ws.write_row(1, 0, ["订单号", "日期", "销售人员", "客户", "阶段", "金额"])
    ws.write_row(2, 0, [1001, None, "张伟", "甲公司", "赢单", 1234.5])
    ws.write_datetime(2, 1, datetime(2026, 10, 9), day)
    ws.write_row(3, 0, ["SO-2", "2026-10-10", "李娜", "乙公司", "输单", "800"])
    wb.close()
    book = blank_book(tmp_path / "book.xlsx")
    assert read_table_file(export).attrs["header_row"] == 2
    result = run(export, "--into", book, "--map", "order_id=订单号")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(book)["销售记录"]
    assert [ws.cell(5, c).value for c in (1, 2, 3, 5, 10, 11)] == [
        "1001", datetime(2026, 10, 9), "张伟", "甲公司", 1234.5, "赢单"]
    assert ws["A5"].data_type == "s" and ws["B5"].number_format == "yyyy-mm-dd"
    assert ws["A6"].value == "SO-2" and ws["J6"].value == 800
    # a second import finds the number-typed ID already there
    again = run(export, "--into", book, "--map", "order_id=订单号")
    assert "第 3 行：订单编号 1001 已在工作簿中" in again.stdout


FORMULA_TEXTS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","click")',
                 "+1+1", "-2+3", "@SUM(1,2)", "=1+1"]


def formula_export(tmp_path: Path, stage: str = "赢单") -> Path:
    rows = [[f"FX-{i}", "2026-10-03", "张伟", "华东", text, "", "标准版", "1", "2800", "2800",
             stage, "", "", text] for i, text in enumerate(FORMULA_TEXTS)]
    return write_csv(tmp_path / "fx.csv", labels("zh"), rows)


def test_formula_like_text_stays_text(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx")
    assert run(formula_export(tmp_path), "--into", book).exit_code == 0
    ws = openpyxl.load_workbook(book)["销售记录"]
    for r, text in enumerate(FORMULA_TEXTS, 5):
        for col in (SALES_KEYS.index("customer") + 1, SALES_KEYS.index("note") + 1):
            assert ws.cell(r, col).data_type == "s"
            assert ws.cell(r, col).value == text


# --------------------------------------------------------------------------------------
# Skipped rows, history, the report
# --------------------------------------------------------------------------------------


def test_duplicates_and_unreadable_rows_are_skipped_history_is_kept(tmp_path,
                                                                    sample_books) -> None:
    book = tmp_path / "book.xlsx"
    shutil.copyfile(sample_books["zh"], book)
    existing = read_workbook(book).tables["Sales"].frame["order_id"].iloc[10]
    good = spelled("zh")
    bad = [
        [existing, "2026-10-01", "张伟", "华东", "某客户", "", "", "", "", "100", "赢单", "", "",
         ""],
        [good[0][0], *good[0][1:]],  # IM-001 twice in the export
        ["IM-100", "2026-13-45", "张伟", "", "某客户", "", "", "", "", "100", "赢单", "", "", ""],
        ["IM-101", "2026-10-02", "张伟", "", "某客户", "", "", "", "", "一百", "赢单", "", "",
         ""],
        ["IM-102", "2026-10-02", "张伟", "", "", "", "", "", "", "100", "赢单", "", "", ""],
        ["IM-103", "2026-10-02", "张伟", "", "某客户", "", "", "", "", "100", "成功了", "", "",
         ""],
        ["", "", "", "", "", "", "", "", "", "", "", "", "", ""],  # blank: ignored
    ]
    export = write_csv(tmp_path / "crm.csv", labels("zh"), good + bad)
    before = len(read_workbook(book).tables["Sales"].frame)
    result = run(export, "--into", book)
    assert result.exit_code == 1, result.output  # rows left out for what they hold
    out = result.stdout
    assert "导入 9 行，跳过 5 行" in out
    skipped, flagged = out.split("  跳过的行：\n")[1].split("  已导入但校验会标出的行")
    # the book holds the order with other values: listed apart, with what differs
    assert f"第 10 行：订单编号 {existing} 已在工作簿中" not in skipped
    assert f"    第 10 行 {existing}：日期 " in skipped and "金额 39,200→100" in skipped
    assert "第 11 行：订单编号 IM-001 在导入文件中重复（第 2 行已导入）" in skipped
    assert "第 12 行：无法读取：日期 '2026-13-45'" in skipped  # a required field
    assert "第 14 行：缺少必填项：客户" in skipped
    assert "第 15 行：无法读取：阶段 '成功了'" in skipped
    # an optional field's unreadable value costs no row: imported as exported, flagged
    assert "第 13 行" not in skipped and "第 13 行：无法读取：金额 '一百'" in flagged
    assert "早于本期 2 行（作为历史保留），晚于本期 1 行" in out
    after = read_workbook(book).tables["Sales"].frame
    assert len(after) == before + 9
    dates = set(after["date"])
    assert {date(2025, 10, 8), date(2026, 9, 15), date(2026, 11, 2)} <= dates  # kept


def test_report_lists_the_first_20_skipped_rows(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx", lang="en")
    rows = [[f"B-{i}", "not a date", "Alice Chen", "", "X", "", "", "", "", "1", "Won", "",
             "", ""] for i in range(25)]
    export = write_csv(tmp_path / "crm.csv", labels("en"), rows)
    original = book.read_bytes()
    result = run(export, "--into", book)
    assert result.exit_code == 1, result.output  # nothing imported: a script can tell
    assert "imported 0 rows, skipped 25" in result.stdout
    assert result.stdout.count("unreadable: Date 'not a date'") == 20
    assert "… and 5 more" in result.stdout
    assert book.read_bytes() == original  # nothing to write


def test_dry_run_writes_nothing(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx")
    original = book.read_bytes()
    export = write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh"))
    result = run(export, "--into", book, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "将导入 8 行" in result.stdout and "试运行" in result.stdout
    assert book.read_bytes() == original


# --------------------------------------------------------------------------------------
# Nothing else in BOOK changes; failures leave BOOK as it was
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["sample", "blank"])
def test_only_the_sales_sheet_and_its_table_change(tmp_path, sample_books, which) -> None:
    book = tmp_path / "book.xlsx"
    if which == "sample":
        shutil.copyfile(sample_books["zh"], book)
    else:
        blank_book(book)
    before = parts(book)
    sheet_part, table_part = sales_parts(book)
    assert run(write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh")), "--into",
               book).exit_code == 0
    after = parts(book)
    assert set(after) == set(before)
    changed = {n for n in before if before[n] != after[n]}
    # xlsales books already ask for a full recalculation: workbook.xml stays as it was
    # and its last-saved time (unchanged when the book was made in the same second)
    assert changed - {"docProps/core.xml"} == {sheet_part, table_part}


def add_row_below_sales(book: Path, row: int, text: str) -> None:
    sheet_part, _ = sales_parts(book)
    rewrite_part(book, sheet_part, lambda xml: xml.replace(
        "</sheetData>", f'<row r="{row}"><c r="B{row}" t="inlineStr"><is><t>{text}</t></is>'
                        "</c></row></sheetData>"))


def test_failures_leave_book_byte_identical(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx")
    add_row_below_sales(book, 9, "合计")
    original = book.read_bytes()
    export = write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh"))
    for args, needles in [
        ([], ["第 9 行", "row 9", "销售记录", "Delete or move"]),
        (["--dry-run"], ["第 9 行"]),
        (["--map", "profit=金额"], ["Unknown field(s) in --map: profit"]),
        (["--map", "amount"], ["must be field=Column"]),
        (["--map", "customer_weight=客户"], ["calculated"]),
        (["--mapping", tmp_path / "missing.json"], ["not found"]),
    ]:
        result = run(export, "--into", book, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "错误 / Error" in result.output
        for needle in needles:
            assert needle in result.output, (args, result.output)
        assert book.read_bytes() == original
    lacking = write_csv(tmp_path / "lacking.csv", ["订单编号", "日期", "客户"],
                        [["A", "2026-10-01", "C"]])
    result = run(lacking, "--into", book)
    assert result.exit_code == 2 and "销售人员（rep）" in result.output
    result = run(export)
    assert result.exit_code == 2 and "--into" in result.output
    result = run(export, "--into", plain_xlsx(tmp_path))
    assert result.exit_code == 2 and "not an xlsales workbook" in result.output
    assert book.read_bytes() == original


def test_a_rollup_refuses_imported_rows(tmp_path) -> None:
    """A roll-up's calculated columns are values computed when it was consolidated: rows
    appended to it would not count, so it says where to import instead."""
    from xlsales.build.workbook import build_workbook
    from xlsales.consolidate import consolidate
    from xlsales.sample import sample_members
    from xlsales.workbook_data import BuildOptions

    members = []
    for rep, data in list(sample_members("zh").items())[:2]:
        members.append(tmp_path / f"{rep}.xlsx")
        build_workbook(members[-1], BuildOptions(period=SAMPLE_PERIOD, owner=rep), data)
    rollup = tmp_path / "team.xlsx"
    consolidate(members, rollup, "team", "团队", progress=lambda _: None)
    original = rollup.read_bytes()
    export = write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh"))
    result = run(export, "--into", rollup)
    assert result.exit_code == 2, result.output
    assert "合并表" in result.output and "member's own workbook" in result.output
    assert rollup.read_bytes() == original


def plain_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Data").write("A1", "x")
    wb.close()
    return path


def quickstart_vba() -> bytes:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("xlwings is not installed (its quickstart .xlsm is the VBA fixture)")
    qs = Path(next(iter(spec.submodule_search_locations))) / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(qs) as zf:
        return zf.read("xl/vbaProject.bin")


def make_xlsm(xlsx: Path, out: Path) -> Path:
    """``xlsx`` made macro-enabled: the quickstart's VBA project added as Excel stores it."""
    data = parts(xlsx)
    with zipfile.ZipFile(xlsx) as zf:
        order = zf.namelist()
    ct = data["[Content_Types].xml"].decode()
    ct = ct.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace("<Default ", '<Default Extension="bin" '
                    'ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
    data["[Content_Types].xml"] = ct.encode()
    rels = data["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/'
        'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    data["xl/_rels/workbook.xml.rels"] = rels.encode()
    data["xl/vbaProject.bin"] = quickstart_vba()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*order, "xl/vbaProject.bin"]:
            zf.writestr(name, data[name])
    return out


def test_xlsm_keeps_its_vba_project(tmp_path) -> None:
    book = make_xlsm(blank_book(tmp_path / "blank.xlsx"), tmp_path / "book.xlsm")
    with zipfile.ZipFile(book) as zf:
        vba_info = zf.getinfo("xl/vbaProject.bin")
        vba = zf.read(vba_info)
    result = run(write_csv(tmp_path / "crm.csv", labels("zh"), spelled("zh")), "--into", book)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo("xl/vbaProject.bin")
        assert zf.read(info) == vba
        assert (info.CRC, info.compress_size, info.date_time) == (
            vba_info.CRC, vba_info.compress_size, vba_info.date_time)  # copied raw
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    assert_same_rows(imported_frame(book), typed("zh"))


# --------------------------------------------------------------------------------------
# LibreOffice computes the KPIs of the imported rows
# --------------------------------------------------------------------------------------


def assert_kpis_equal(got: dict[str, object], want: dict[str, object], name: str) -> None:
    bad = []
    for key, value in want.items():
        other = got[key]
        ok = other is None if value is None else (
            isinstance(other, int | float) and math.isclose(other, value, rel_tol=1e-9,
                                                            abs_tol=1e-6))
        if not ok:
            bad.append(f"{key}: LibreOffice {other!r}, Python {value!r}")
    assert not bad, name + "\n" + "\n".join(bad)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_kpis_of_imported_rows(tmp_path, sample_books,
                                                        sample_data) -> None:
    require_libreoffice()
    # name → (book, the imported rows as typed records, the book's own tables)
    books: dict[str, tuple[Path, pd.DataFrame, dict[str, pd.DataFrame]]] = {}
    for lang in ("zh", "en"):  # the sample, in both languages
        data = sample_data[lang]
        customer = data.tables["Sales"]["customer"].iloc[0]  # an existing customer
        book = tmp_path / f"sample_{lang}.xlsx"
        shutil.copyfile(sample_books[lang], book)
        books[f"sample_{lang}"] = (book, typed(lang, customer), data.tables)
    books["blank_en"] = (blank_book(tmp_path / "blank_en.xlsx", lang="en"), typed("en"), {})
    [lo_saved] = recalculate_many([blank_book(tmp_path / "blank_zh.xlsx")],
                                  tmp_path / "lo_saved")  # a template as LibreOffice saves it
    books["lo_saved_zh"] = (lo_saved, typed("zh"), {})
    for name, (book, imported, _) in books.items():
        lang = "en" if name.endswith("en") else "zh"
        export = write_csv(tmp_path / f"crm_{name}.csv", labels(lang),
                           spelled(lang, imported["customer"].iloc[1]))
        result = run(export, "--into", book)
        assert result.exit_code == 0, result.output
    # (open deals: a won customer named "=…" would be a COUNTIFS criterion in the
    # template's customer-weight formula, not a name)
    fx = formula_export(tmp_path, stage="线索")
    assert run(fx, "--into", books["lo_saved_zh"][0]).exit_code == 0

    outs = recalculate_many([b for b, _, _ in books.values()], tmp_path / "out")
    for (name, (book, imported, tables)), out in zip(books.items(), outs, strict=True):
        wb = openpyxl.load_workbook(out, data_only=True)
        assert error_cells(wb) == [], name
        sales = imported if "Sales" not in tables else pd.concat(
            [tables["Sales"], imported], ignore_index=True)
        if name == "lo_saved_zh":
            fx_rows = prepare_import(read_table_file(fx), {}).frame
            sales = pd.concat([sales, fx_rows], ignore_index=True)
        merged = {**tables, "Sales": sales}
        expected = compute_kpis(merged, SAMPLE_PERIOD).kpis
        assert_kpis_equal(kpi_values(wb), expected, name)
        if tables:  # the imported rows changed the figures
            assert expected != compute_kpis(tables, SAMPLE_PERIOD).kpis
        # the calculated columns of the new rows were computed (not left empty)
        rows = table_rows(wb, "Sales")
        new = [r for r in rows[1:] if str(r[0]).startswith("IM-")]
        assert len(new) == len(RECORDS) and all(
            isinstance(r[SALES_KEYS.index("customer_weight")], int | float) for r in new)
        # some imported rows are new customers
        assert sum(r[SALES_KEYS.index("new_customer_flag")] for r in new) > 0
        # and the workbook reads back clean: no validation errors
        read = read_workbook(book)
        errors = [f for f in validate(read) if f.severity is Severity.ERROR]
        assert errors == [], (name, errors[:5])
    # formula-like text survives LibreOffice as text
    wb = openpyxl.load_workbook(outs[-1])
    values = [r[4] for r in table_rows(wb, "Sales")[1:] if str(r[0]).startswith("FX-")]
    assert values == FORMULA_TEXTS


# --------------------------------------------------------------------------------------
# The importer's parts
# --------------------------------------------------------------------------------------


def test_read_table_file_edge_cases(tmp_path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n\r\n")
    with pytest.raises(UsageError, match="empty"):
        read_table_file(empty)
    dup = tmp_path / "dup.csv"
    dup.write_text(";;\n客户;客户;\n甲;乙;丙\n", encoding="utf-8")  # semicolons, no names
    frame = read_table_file(dup)
    assert list(frame.columns) == ["客户", "客户 (2)", "Column 3"]
    assert frame.attrs["header_row"] == 2 and frame.iloc[0].tolist() == ["甲", "乙", "丙"]
    with pytest.raises(UsageError, match="not found"):
        read_table_file(tmp_path / "nope.csv")
    xls = legacy_xls(tmp_path)
    as_csv = tmp_path / "export.csv"  # the content decides, not the name
    as_csv.write_bytes(xls.read_bytes())
    for path in (xls, as_csv):
        with pytest.raises(WorkbookError, match=r"\.xls"):
            read_table_file(path)
    bad_json = tmp_path / "m.json"
    bad_json.write_text("{nope", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid JSON"):
        load_mapping(bad_json)
    bad_json.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(UsageError, match="JSON object"):
        load_mapping(bad_json)


def test_small_helpers() -> None:
    assert id_key(1001.0) == "1001" and id_key(" SO-1 ") == "SO-1" and id_key(float("nan")) is None
    assert id_key(12.5) == "12.5" and id_key("") is None
    assert parse_maps(["amount=成交=金额", " customer = 客户 "]) == {
        "amount": "成交=金额", "customer": "客户"}
    table = SPEC.table("Sales")
    mapping = map_columns(["ORDER ID", "Ｄａｔｅ", "金额 "], table, {"amount": "金额"})
    assert mapping == {"amount": "金额 ", "order_id": "ORDER ID", "date": "Ｄａｔｅ"}


# --------------------------------------------------------------------------------------
# Exports as CRMs and people really write them
# --------------------------------------------------------------------------------------

EN_HEADER = ["Order ID", "Date", "Rep", "Customer", "Amount", "Stage", "Note"]


def all_sales(book: Path) -> pd.DataFrame:
    """Every sales row of ``book`` with an order ID, as the reader sees them."""
    frame = read_workbook(book).tables["Sales"].frame
    return frame[frame["order_id"].notna()].reset_index(drop=True)


def _en_rows(n: int, note=lambda i: "ok") -> list[list[str]]:
    rep = REPS["en"][0]
    return [[f"SO-{i}", "2026-10-05", rep, f"Cust {i}", "1,200.00", "Won", note(i)]
            for i in range(n)]


def test_quotes_delimiters_and_line_breaks_inside_values_are_read_exactly(tmp_path) -> None:
    """Excel, Salesforce and HubSpot write a quote inside a value as "" and may put the
    delimiter and line breaks in quoted notes; semicolon (European) and tab exports too.
    Each value must arrive exactly as typed, wherever in the file it stands — the
    format used to be guessed from the first 4 KB only."""
    def note(i: int) -> str:
        if i == 500:
            return 'He said "call me Monday", then hung up'
        return "Customer asked for discount,\nsee email" if i % 5 == 0 else "ok"

    rows = _en_rows(600, note)
    rows[3][3] = '"VIP" customer, see notes'
    for delimiter, name in ((",", "comma.csv"), (";", "semi.csv"), ("\t", "tab.txt")):
        export = tmp_path / name
        with export.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, delimiter=delimiter).writerows([EN_HEADER, *rows])
        book = blank_book(tmp_path / f"{name}.xlsx", lang="en")
        result = run(export, "--into", book)
        assert result.exit_code == 0, (name, result.output)
        assert "imported 600 rows, skipped 0" in result.stdout, (name, result.stdout)
        got = all_sales(book)
        assert got.loc[got["order_id"] == "SO-500", "note"].item() == note(500), name
        assert got.loc[got["order_id"] == "SO-5", "note"].item() == note(5), name
        assert got.loc[got["order_id"] == "SO-3", "customer"].item() == rows[3][3], name


def test_values_past_the_header_are_not_dropped_silently(tmp_path) -> None:
    rows = _en_rows(3)
    rows[1] = [*rows[1], "stray", "values"]
    export = write_csv(tmp_path / "crm.csv", EN_HEADER, rows)
    result = run(export, "--into", blank_book(tmp_path / "b.xlsx", lang="en"))
    assert "imported 2 rows, skipped 1" in result.stdout
    assert "row 3: 2 more values than the header has columns ('stray', 'values')" \
        in result.stdout


def test_crm_stage_names_and_placeholders_import_and_unreadable_values_say_what_fits(
        tmp_path) -> None:
    """Salesforce's, HubSpot's and 纷享销客's default stages land on the funnel step they
    belong to; '-' or 'N/A' in an optional field is empty, not a reason to lose the order;
    a value that fits no choice is reported with the choices that fit."""
    stages = {"Prospecting": "lead", "Qualification": "follow_up",
              "Negotiation/Review": "proposal", "Proposal/Price Quote": "proposal",
              "closedwon": "won", "Closed Lost": "lost", "验证客户": "follow_up",
              "商务谈判": "proposal", "appointmentscheduled": "lead"}
    rows = _en_rows(len(stages) + 1)
    for row, stage in zip(rows, [*stages, "Maybe later"], strict=True):
        row[5] = stage
    rows[0][4] = "N/A"
    rows[1][4] = "-"
    export = write_csv(tmp_path / "sf.csv", EN_HEADER, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert f"imported {len(stages)} rows, skipped 1" in result.stdout, result.stdout
    assert ("unreadable: Stage 'Maybe later' (one of: Lead, Follow-up, Proposal, Won, Lost)"
            in result.stdout)
    got = all_sales(book)
    assert got["stage"].tolist() == list(stages.values())
    assert got["amount"].isna().tolist()[:2] == [True, True]


@pytest.mark.parametrize("encoding", ["utf-16", "big5"])
def test_utf16_and_big5_exports_are_read_not_garbled(tmp_path, encoding) -> None:
    """Excel's "Unicode text" is UTF-16 with tabs; Taiwan and Hong Kong systems write
    Big5, which GB18030 would read as other characters without a word."""
    header = ["訂單編號", "日期", "銷售人員", "區域", "客戶"]  # traditional characters
    rows = [["TW-1", "2026/10/3", "陳大文", "", "台北貿易有限公司"]]
    export = tmp_path / "crm.txt"
    text = "\n".join("\t".join(r) for r in [header, *rows]) + "\n"
    export.write_bytes(text.encode(encoding))
    frame = read_table_file(export)
    assert frame.iloc[0].tolist() == rows[0]


def test_a_gbk_export_with_english_headers_is_not_taken_for_big5(tmp_path) -> None:
    """Simplified names in GBK under English headers: CP950 also decodes many such bytes
    (as rarer Traditional characters), so the common-character evidence must pick GBK."""
    header = ["Opportunity ID", "Close Date", "Owner", "Account Name", "Amount", "Stage"]
    names = ["华为技术", "中国移动", "阿里巴巴", "腾讯科技", "格力电器", "招商银行"]
    rows = [[f"CN{i}", "2026-10-03", REPS["zh"][0], name, "1000", "Closed Won"]
            for i, name in enumerate(names)]
    export = write_csv(tmp_path / "sf.csv", header, rows, "gbk")
    book = blank_book(tmp_path / "book.xlsx")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 6 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["customer"].tolist() == names


def test_text_export_named_like_a_workbook_and_titles_above_the_header(tmp_path) -> None:
    """Many systems "export to Excel" as tab-separated text named .xls, and reports put a
    title and a date line above the header; an xlsx export may open on a cover sheet."""
    rows = _en_rows(2)
    tsv = tmp_path / "crm_export.xls"
    lines = ["Opportunities report", "Generated 2026-11-01", "", *("\t".join(r) for r in
                                                                    [EN_HEADER, *rows])]
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_table_file(tsv)
    assert frame.attrs["header_row"] == 4 and list(frame.columns) == EN_HEADER
    xlsx = tmp_path / "report.xlsx"
    wb = xlsxwriter.Workbook(xlsx)
    wb.add_worksheet("Cover").write(0, 0, "Q4 pipeline")
    data = wb.add_worksheet("Data")
    data.write_row(0, 0, ["Pipeline by owner"])
    for r, row in enumerate([EN_HEADER, *rows], start=2):
        data.write_row(r, 0, row)
    wb.close()
    frame = read_table_file(xlsx)
    assert frame.attrs["sheet"] == "Data" and frame.attrs["header_row"] == 3
    assert frame["Order ID"].tolist() == ["SO-0", "SO-1"]
    result = run(tsv, "--into", blank_book(tmp_path / "b.xlsx", lang="en"))
    assert result.exit_code == 0 and "imported 2 rows" in result.stdout, result.output


def test_iso_date_times_and_orders_written_as_numbers_elsewhere(tmp_path) -> None:
    """Salesforce's API exports dates as 2026-10-03T10:00:00.000Z; an order another
    program wrote as 1003.0 (or typed full-width) is the order 1003 the book holds."""
    rows = [["1003.0", "2026-10-03T10:00:00.000Z", REPS["en"][0], "A", "100", "Won", ""],
            ["１００４", "2026年10月4日 14:30", REPS["en"][0], "B", "100", "Won", ""],
            ["1005", "2026-10-05T10:00:00+08:00", REPS["en"][0], "C", "100", "Won", ""]]
    first = write_csv(tmp_path / "first.csv", EN_HEADER, [["1003", *rows[0][1:]],
                                                          ["1004", *rows[1][1:]]])
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    assert run(first, "--into", book).exit_code == 0
    result = run(write_csv(tmp_path / "second.csv", EN_HEADER, rows), "--into", book)
    assert "imported 1 row, skipped 2" in result.stdout, result.stdout  # not "1 rows"
    assert "order 1003 is already in the workbook" in result.stdout
    assert "order 1004 is already in the workbook" in result.stdout
    got = all_sales(book)
    assert got["date"].tolist() == [date(2026, 10, 3), date(2026, 10, 4), date(2026, 10, 5)]


def test_mapping_files_as_people_write_them(tmp_path) -> None:
    """Tab-separated, a Chinese header line, fields named by their Chinese labels, saved
    as GBK; a line that is no mapping is an error naming it, never silently ignored."""
    path = tmp_path / "map.txt"
    path.write_bytes("字段\t列名\n金额\t成交金额\ncustomer\t客户名称\n".encode("gbk"))
    assert load_mapping(path) == {"金额": "成交金额", "customer": "客户名称"}
    table = SPEC.table("Sales")
    assert map_columns(["成交金额", "客户名称"], table, load_mapping(path)) == {
        "amount": "成交金额", "customer": "客户名称"}
    yaml = tmp_path / "map.yaml"
    yaml.write_text("amount: 成交金额\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not 'field,column'"):
        load_mapping(yaml)
    as_txt = tmp_path / "json.txt"
    as_txt.write_text('{"amount": "成交金额"}', encoding="utf-8")
    assert load_mapping(as_txt) == {"amount": "成交金额"}


def test_a_clean_csv_reports_no_repairs_and_rows_too_old_to_count(tmp_path) -> None:
    """Every value of a CSV is text: reading numbers and ISO dates from it repairs
    nothing, so the report does not claim a repair per cell; a row older than the history
    window is kept but said to count in no KPI."""
    rows = _en_rows(3)
    rows[2][1] = "2023-01-05"
    for row in rows:
        row[4] = "1200"
    export = write_csv(tmp_path / "clean.csv", EN_HEADER, rows)
    result = run(export, "--into", blank_book(tmp_path / "b.xlsx", lang="en"))
    assert result.exit_code == 0, result.output
    assert "repaired" not in result.stdout
    assert "1 before it (kept as history)" in result.stdout
    assert ("Before the 24-month history window (from 2024-10-01), used by no KPI: 1 of "
            "them." in result.stdout)


def test_values_validation_will_flag_are_said_at_import(tmp_path) -> None:
    """A negative amount imports as typed (a refund?) but is said at once, with its row,
    not only at the next validation."""
    rows = _en_rows(3)
    rows[1][4] = "-1,200.00"
    export = write_csv(tmp_path / "crm.csv", EN_HEADER, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "imported 3 rows" in result.stdout, result.output
    assert "Imported as typed, but validation will flag 1 row (check them):" in result.stdout
    assert "    row 3: Amount -1200 below 0" in result.stdout
    assert "3 rows in the period" in result.stdout  # every imported row, not the flagged
    flagged = {(f.rule, f.row) for f in validate(read_workbook(book))
               if f.rule == "below_minimum"}
    assert flagged == {("below_minimum", 6)}  # the second data row of the table


def test_a_salesforce_export_maps_itself(tmp_path) -> None:
    """Salesforce's opportunity report as exported: its headers map onto the fields with
    no --map (Type's New/Existing Business too, `Probability (%)` read as percent: 60 is
    60 %); a column that means another thing (`Opportunity Name`) stays unused."""
    header = ["Opportunity ID", "Opportunity Name", "Account Name", "Close Date",
              "Opportunity Owner", "Amount", "Stage", "Probability (%)", "Type", "Notes"]
    rep = REPS["en"][0]
    rows = [["006A1", "Renewal", "Acme", "2026-10-03", rep, "12000", "Closed Won", "100",
             "Existing Business", "call back"],
            ["006A2", "New deal", "Beta", "2026-10-09", rep, "8000", "Negotiation/Review",
             "60", "New Business", ""]]
    export = write_csv(tmp_path / "sf.csv", header, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "imported 2 rows, skipped 0" in result.stdout, \
        result.output
    assert "Export columns not used: Opportunity Name\n" in result.stdout
    got = all_sales(book)
    assert got["stage"].tolist() == ["won", "proposal"]
    assert got["customer_type"].tolist() == ["existing", "new"]
    assert got["note"].tolist()[0] == "call back" and got["amount"].tolist() == [12000, 8000]
    assert got["probability"].tolist() == [1.0, 0.6]


def test_values_the_books_lists_lack_are_named_at_import(sample_books, tmp_path):
    """A rep's export names a colleague and a region the team's lists lack: validation
    will flag every such row, so the import says which values, in how many rows, and
    what to do — before the rep meets 80 errors."""
    book = tmp_path / "team.xlsx"
    shutil.copy(sample_books["en"], book)
    header = ["Order ID", "Date", "Rep", "Region", "Customer", "Product", "Amount", "Stage"]
    rows = [[f"NL-{i}", "2026-10-05", "Newcomer" if i < 3 else REPS["en"][0],
             "Taiwan" if i == 0 else REGIONS["en"][0], "C", PRODUCTS["en"][0], "100", "Won"]
            for i in range(4)]
    result = run(write_csv(tmp_path / "x.csv", header, rows), "--into", book)
    assert result.exit_code == 0, result.output
    assert ("  Not in the lists on the workbook's settings sheet, so validation will flag them: "
            "Rep Newcomer (3 rows); Region Taiwan (1 row). Add them to the lists, or correct "
            "the export.") in result.output
    flagged = {(f.rule, f.value) for f in validate(read_workbook(book))
               if f.rule in ("unknown_rep", "not_in_list")}
    assert flagged == {("unknown_rep", "Newcomer"), ("not_in_list", "Taiwan")}
    clean = [[f"OK-{i}", "2026-10-05", REPS["en"][1], REGIONS["en"][0], "C",
              PRODUCTS["en"][0], "100", "Won"] for i in range(2)]
    again = run(write_csv(tmp_path / "y.csv", header, clean), "--into", book)
    assert again.exit_code == 0 and "Not in the lists" not in again.output


def test_numbers_too_long_to_keep_exactly_are_unreadable_not_rounded(tmp_path) -> None:
    """A 17- or 20-digit "amount" (an ID or a phone number in the wrong column) cannot be
    kept as a number: it was silently rounded (…567 became …568). It is imported as
    exported and flagged, saying what it probably is; validation flags it too. 1e20 is
    exact, 15 digits are kept; a number cell of an xlsx export is checked as well."""
    rows = _en_rows(5)
    for row, amount in zip(rows, ["12345678901234567", "99999999999999999999", "1e20",
                                  "1,234,567,890,123,456", "123456789012345"], strict=True):
        row[4] = amount
    export = write_csv(tmp_path / "crm.csv", EN_HEADER, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert "imported 5 rows, skipped 0" in result.stdout, result.output
    assert ("row 2: unreadable: Amount '12345678901234567' (more than 15 significant digits, "
            "which no number keeps exactly: probably an ID or a phone number taken as Amount; "
            "check which export column is mapped to it)") in result.stdout
    assert "row 3: unreadable: Amount '99999999999999999999'" in result.stdout
    assert "row 5: unreadable: Amount '1,234,567,890,123,456'" in result.stdout
    assert "written as exported" in result.stdout and "Amount 3 rows." in result.stdout
    ws = openpyxl.load_workbook(book)["Sales"]
    assert [ws.cell(r, SALES_KEYS.index("amount") + 1).value for r in range(5, 10)] == [
        "12345678901234567", "99999999999999999999", 1e20, "1,234,567,890,123,456",
        123456789012345]
    found = [f for f in validate(read_workbook(book)) if f.rule == "number_too_long"]
    assert {f.value for f in found} == {"12345678901234567", "99999999999999999999",
                                        "1,234,567,890,123,456"}
    assert "most likely an ID or a phone number" in found[0].message_en  # as the import says
    zh = run(export, "--into", blank_book(tmp_path / "zh.xlsx"))
    assert ("第 2 行：无法读取：金额 '12345678901234567'（超过 15 位有效数字，数字无法精确保存："
            "多半是编号或电话号码被当作金额导入，请核对该列的映射）") in zh.stdout, zh.output
    xlsx = tmp_path / "crm.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    sheet = wb.add_worksheet()
    sheet.write_row(0, 0, EN_HEADER)
    sheet.write_row(1, 0, [*rows[0][:4], 12345678901234567, *rows[0][5:]])
    wb.close()
    result = run(xlsx, "--into", blank_book(tmp_path / "x.xlsx", lang="en"))
    assert re.search(r"row 2: unreadable: Amount 1\.23456789012345\d*e\+16 \(more than 15",
                     result.stdout), result.output  # as the xlsx holds it: 16 digits


SF_HEADER = ["Opportunity ID", "Close Date", "Opportunity Owner", "Account Name",
             "Stage Name", "Amount", "Region", "Notes"]


def test_a_newer_snapshot_tells_changed_rows_from_duplicates(tmp_path) -> None:
    """The weekly import of a newer CRM snapshot: an order the book holds as the export
    has it is a duplicate, as before; one that moved on (Proposal 10,000 → Won 12,000) is
    listed apart with what differs and what to do, and the book's row is left as it was.
    A field the export leaves empty (a note added in the book by hand) is no change."""
    rep = REPS["zh"][0]
    week1 = [["W-1", "2026-10-05", rep, "甲", "Proposal", "10000", "East", ""],
             ["W-2", "2026-10-06", rep, "乙", "Proposal", "5000", "East", "call back"],
             ["W-3", "2026-10-07", rep, "丙", "Closed Won", "3000", "华东", ""]]
    book = blank_book(tmp_path / "b.xlsx")
    assert run(write_csv(tmp_path / "w1.csv", SF_HEADER, week1), "--into", book).exit_code == 0
    week2 = [["W-1", "2026-10-05", rep, "甲", "Closed Won", "12,000", "East", ""],
             ["W-2", "2026-10-06", rep, "乙", "Proposal", "5000", "华东", ""],
             ["W-3", "2026-10-07", rep, "丙", "Closed Won", "3000", "East", ""],
             ["W-4", "2026-10-08", rep, "丁", "Closed Won", "800", "East", ""]]
    export = write_csv(tmp_path / "w2.csv", SF_HEADER, week2)
    result = run(export, "--into", book)
    out = result.stdout
    assert "导入 1 行，跳过 3 行" in out, result.output
    assert ("  跳过的行：\n    第 3 行：订单编号 W-2 已在工作簿中\n"
            "    第 4 行：订单编号 W-3 已在工作簿中\n"
            "  已在工作簿中、但导入文件中内容有变化的行（1 行，未导入，工作簿中的行未改动）：\n"
            "    第 2 行 W-1：金额 10,000→12,000，阶段 方案→赢单\n"
            "  请在工作簿中手动更新这些行（或先在工作簿中删除这些行，再重新导入）。\n") in out
    got = all_sales(book)
    assert got["order_id"].tolist() == ["W-1", "W-2", "W-3", "W-4"]
    assert got["stage"].tolist()[0] == "proposal" and got["amount"].tolist()[0] == 10000
    assert got["note"].tolist()[1] == "call back"
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    rows = [[f"E-{i}", "2026-10-05", REPS["en"][0], "A", "Proposal", "100", "", ""]
            for i in range(12)]
    run(write_csv(tmp_path / "e1.csv", SF_HEADER, rows), "--into", english)
    for row in rows:
        row[1], row[4] = "2026-10-20", "Closed Lost"
    again = run(write_csv(tmp_path / "e2.csv", SF_HEADER, rows), "--into", english).stdout
    assert "imported 0 rows, skipped 12" in again and "Skipped rows" not in again, again
    assert ("  Already in the workbook but changed in the export (12 rows, not imported; the "
            "workbook's rows were not changed):\n"
            "    row 2, E-0: Date 2026-10-05→2026-10-20, Stage Proposal→Lost\n") in again
    assert "    … and 2 more\n  Update these rows in the workbook by hand (or delete them " \
        "there and import again).\n" in again
    # the book's rows written in Traditional (converted by Excel's 简转繁) hold the
    # export's Simplified names: a duplicate, not every row "changed" (客户 東莞→东莞)
    wb = openpyxl.load_workbook(book)
    customer = SALES_KEYS.index("customer") + 1
    wb["销售记录"].cell(5, customer).value = "東莞甲"  # W-1's customer, converted
    wb.save(book)
    again = [["W-1", "2026-10-05", rep, "东莞甲", "Proposal", "10000", "East", ""]]
    out = run(write_csv(tmp_path / "w3.csv", SF_HEADER, again), "--into", book).stdout
    assert "订单编号 W-1 已在工作簿中" in out and "有变化" not in out, out


def test_a_us_export_with_month_first_dates_imports(tmp_path) -> None:
    """Salesforce in the US writes Close Date 10/20/2026: every row was skipped as an
    unreadable date, and the import exited 0. The column's 10/20 rules out day first,
    so all its dates read month first (9/3/2026 is 3 September), and the report says so."""
    header = ["Opportunity ID", "Close Date", "Opportunity Owner", "Account Name", "Stage",
              "Amount", "Created Date"]
    rows = [["006A", "10/20/2026", REPS["en"][0], "Acme", "Closed Won", "5000", "9/3/2026"],
            ["006B", "10/5/2026", REPS["en"][0], "Beta", "Closed Won", "3000", "9/28/2026"]]
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(write_csv(tmp_path / "us.csv", header, rows), "--into", book)
    assert "imported 2 rows, skipped 0" in result.stdout, result.output
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]] == ["2026-10-20", "2026-10-05"]
    assert [d.isoformat() for d in got["created"]] == ["2026-09-03", "2026-09-28"]
