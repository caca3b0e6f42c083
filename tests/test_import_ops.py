"""``xlsales import`` as the operations person runs it on a team's CRM export: one rep's
rows only (``--rep``), the ``--map`` an error suggests naming the closest column, a date
without its year told with the workbook's year, the workbook's custom columns filled.
Real CSV files through the real command into books the package builds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.build.workbook import build_workbook
from xlsales.periods import Period
from xlsales.workbook_data import BuildOptions, WorkbookData

HEADER = ["订单编号", "成交日期", "销售人员", "客户名称", "金额", "阶段"]


def _team_rows() -> list[list[str]]:
    """A team's export: 张伟 (once in Traditional characters with a space: 張 偉), 王华
    (once 王華), 李娜 (one row of whom has a date that cannot be read)."""
    return [
        ["T-1", "2025-10-03", "张伟", "甲公司", "2800", "赢单"],
        ["T-2", "2025-10-05", "李娜", "乙公司", "1200", "赢单"],
        ["T-3", "2025-10-07", "張 偉", "丙公司", "6800", "赢单"],
        ["T-4", "2025-10-08", "王華", "丁公司", "9800", "输单"],
        ["T-5", "十月九日", "李娜", "戊公司", "500", "赢单"],
        ["T-6", "2025-10-10", "王华", "己公司", "700", "赢单"],
        ["T-7", "2025-10-11", "赵强", "庚公司", "300", "赢单"],
    ]


def test_rep_imports_only_the_named_reps_rows_and_counts_the_others(tmp_path: Path) -> None:
    """`--rep 张伟 --rep 王华`: their four rows (張 偉 and 王華, in Traditional characters,
    are theirs), the three others counted on one line, not listed; 李娜's
    unreadable date is not this import's failure, so the exit code stays 0."""
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    export = write_csv(tmp_path / "team.csv", HEADER, _team_rows())
    result = run(export, "--into", book, "--rep", "张伟", "--rep", "王华")
    assert result.exit_code == 0, result.output
    assert "导入 4 行，跳过 0 行" in result.stdout
    assert "  其他销售人员的 3 行未导入（--rep 张伟、王华）。" in result.stdout
    assert "T-5" not in result.stdout and "第 6 行" not in result.stdout
    got = all_sales(book)
    assert got["order_id"].tolist() == ["T-1", "T-3", "T-4", "T-6"]
    # written as --rep names them: the rows are theirs, and the book lists them so
    assert got["rep"].tolist() == ["张伟", "张伟", "王华", "王华"]


def test_a_rep_the_export_does_not_hold_is_refused_naming_those_it_holds(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    before = book.read_bytes()
    export = write_csv(tmp_path / "team.csv", HEADER, _team_rows())
    result = run(export, "--into", book, "--rep", "张伟", "--rep", "赵六")
    assert result.exit_code == 2
    assert ("导入文件的“销售人员”列中没有 --rep 给出的销售人员：赵六。该列中的销售人员（行数多的"
            "在前）：张伟、李娜、王華、赵强。") in result.output
    assert "No row of the export names the rep 赵六 (--rep)" in result.output
    assert book.read_bytes() == before


def test_rep_with_an_export_without_a_rep_column_says_which_column_to_map(tmp_path) -> None:
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    header = ["来源", "订单编号", "成交日期", "客户名称", "负责人员", "金额", "阶段"]
    rows = [["web", "T-1", "2025-10-03", "甲公司", "张伟", "2800", "赢单"]]
    export = write_csv(tmp_path / "norep.csv", header, rows)
    result = run(export, "--into", book, "--rep", "张伟")
    assert result.exit_code == 2
    assert "请用 --map rep=列名 指定，例如 --map rep='负责人员'。" in result.output
    mapped = run(export, "--into", book, "--rep", "张伟", "--map", "rep=负责人员")
    assert mapped.exit_code == 0, mapped.output
    assert all_sales(book)["rep"].tolist() == ["张伟"]


def test_the_suggested_map_names_the_closest_column_not_the_first(tmp_path) -> None:
    """The order ID is in 单据编号 (Deal No), not in the export's first unmatched column
    来源 (Source): the example of --map names the column closest to the field's names."""
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    zh = write_csv(tmp_path / "zh.csv", ["来源", "客户编码", "单据编号", "成交日期", "客户名称",
                                         "销售人员", "金额", "阶段"],
                   [["web", "C1", "T-1", "2025-10-03", "甲公司", "张伟", "2800", "赢单"]])
    result = run(zh, "--into", book)
    assert result.exit_code == 2
    assert "（例如 --map order_id='单据编号'）" in result.output
    en = write_csv(tmp_path / "en.csv", ["Source", "Account", "Deal No", "Close Date",
                                         "Owner name", "Amount", "Stage"],
                   [["web", "Acme", "T-1", "2025-10-03", "Bo", "2800", "Won"]])
    result = run(en, "--into", blank_book(tmp_path / "en.xlsx", "en", "2025-10"))
    assert result.exit_code == 2
    # two fields not found (Owner name is a CRM's name for the rep): each with its
    # closest column
    assert "(e.g. --map order_id='Deal No' --map customer='Account')" in result.output


def test_a_date_without_its_year_is_shown_with_the_books_year(tmp_path) -> None:
    """A book for October 2025 imported into in another year: `11月4日` is to be written
    2025-11-04, the book's year, not this year's."""
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    rows = [["T-1", "11月4日", "张伟", "甲公司", "2800", "赢单"]]
    result = run(write_csv(tmp_path / "x.csv", HEADER, rows), "--into", book)
    assert result.exit_code == 1
    assert ("第 2 行：无法读取：日期 '11月4日'（没有年份：请写上年份，如 2025-11-04，按工作簿"
            "周期的年份 2025 年）" in result.stdout)
    en = blank_book(tmp_path / "en.xlsx", lang="en", period="2024-Q4")
    rows = [["T-1", "Nov 4", "Bo", "Acme", "2800", "Won"]]
    result = run(write_csv(tmp_path / "en.csv", ["Order ID", "Date", "Rep", "Customer",
                                                 "Amount", "Stage"], rows), "--into", en)
    assert ("(no year: add the year, e.g. 2024-11-04, the year of the workbook's period, "
            "2024)") in result.stdout


def test_the_books_custom_columns_are_filled_from_the_exports_same_columns(tmp_path):
    """A team added 渠道 and 合同类型 to its sales table: an export with those columns
    (合同類型 in Traditional characters) fills them, text as text, a formula-like text
    written as text; a column the book lacks is still reported unused."""
    sales = pd.DataFrame({
        "order_id": ["A1"], "date": [date(2025, 10, 2)], "rep": ["张伟"],
        "customer": ["老客户甲"], "stage": ["won"], "amount": [100.0],
        "渠道": ["线上"], "合同类型": ["年度"]})
    book = tmp_path / "custom.xlsx"
    build_workbook(book, BuildOptions(period=Period.parse("2025-10")),
                   WorkbookData(tables={"Sales": sales}))
    export = write_csv(tmp_path / "crm.csv", [*HEADER, "合同類型", "渠道", "备用"], [
        ["T-1", "2025-10-03", "张伟", "甲公司", "2800", "赢单", "框架", " 代理 ", "x"],
        ["T-2", "2025-10-04", "张伟", "乙公司", "1200", "赢单", "", "=1+1", "y"],
        ["T-3", "2025-10-05", "张伟", "丙公司", "900", "赢单", "00123", "+86 123", "z"]])
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert "渠道 ← 渠道，合同类型 ← 合同類型" in result.stdout
    assert "未使用的导入列：备用" in result.stdout
    got = all_sales(book)
    assert got["渠道"].tolist() == ["线上", "代理", "=1+1", "+86 123"]
    assert got["合同类型"].tolist()[:2] == ["年度", "框架"]
    ws = next(ws for ws in openpyxl.load_workbook(book).worksheets if "Sales" in ws.tables)
    header = [c.value for c in ws[4]]
    kinds = {ws.cell(r, header.index("渠道") + 1).data_type for r in range(6, 9)}
    assert kinds == {"s"}  # =1+1 and +86 123 are text, not formulas
    assert ws.cell(8, header.index("合同类型") + 1).value == "00123"  # text as text
    assert ws.cell(7, header.index("合同类型") + 1).value is None


def test_a_rep_given_twice_is_named_once(tmp_path: Path) -> None:
    """`--rep 张伟 --rep 张伟` (a script run twice over): the report names 张伟 once."""
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    export = write_csv(tmp_path / "team.csv", HEADER, _team_rows())
    result = run(export, "--into", book, "--rep", "张伟", "--rep", "张伟 ")
    assert result.exit_code == 0, result.output
    assert "  其他销售人员的 5 行未导入（--rep 张伟）。" in result.stdout


def _industry_book(tmp_path: Path) -> Path:
    """A book whose team added the custom column 行业 to its sales table."""
    sales = pd.DataFrame({
        "order_id": ["A1"], "date": [date(2025, 10, 2)], "rep": ["张伟"],
        "customer": ["老客户甲"], "stage": ["won"], "amount": [100.0], "行业": ["制造"]})
    book = tmp_path / "industry.xlsx"
    build_workbook(book, BuildOptions(period=Period.parse("2025-10")),
                   WorkbookData(tables={"Sales": sales}))
    return book


def test_map_fills_a_custom_column_from_an_export_column_of_another_header(tmp_path):
    """The export calls it `Industry Code`, the book's custom column is 行业: `--map
    行业="Industry Code"` (or the same line in a --mapping file) fills it, and the report
    shows the pair; the column is no longer listed unused."""
    book = _industry_book(tmp_path)
    export = write_csv(tmp_path / "crm.csv", [*HEADER, "Industry Code"], [
        ["T-1", "2025-10-03", "张伟", "甲公司", "2800", "赢单", "C13"],
        ["T-2", "2025-10-04", "张伟", "乙公司", "1200", "赢单", "I65"]])
    result = run(export, "--into", book, "--map", "行业=Industry Code")
    assert result.exit_code == 0, result.output
    assert "行业 ← Industry Code" in result.stdout
    assert "未使用的导入列" not in result.stdout
    assert all_sales(book)["行业"].tolist() == ["制造", "C13", "I65"]
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("字段,列名\n行業,industry code\n", encoding="utf-8")
    again = _industry_book(tmp_path)
    result = run(export, "--into", again, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert all_sales(again)["行业"].tolist() == ["制造", "C13", "I65"]


def test_map_onto_a_custom_column_says_what_is_missing(tmp_path):
    """A target that is neither a field nor a custom column is refused listing both; a
    custom column mapped to a column the export lacks names the export's columns; the
    book is unchanged."""
    book = _industry_book(tmp_path)
    before = book.read_bytes()
    export = write_csv(tmp_path / "crm.csv", [*HEADER, "Industry Code"], [
        ["T-1", "2025-10-03", "张伟", "甲公司", "2800", "赢单", "C13"]])
    result = run(export, "--into", book, "--map", "行当=Industry Code")
    assert result.exit_code == 2
    assert "--map 中的未知字段：行当。" in result.output
    assert "工作簿的自定义列（按列名）：行业" in result.output
    assert "order_id（订单编号）" in result.output
    result = run(export, "--into", book, "--map", "行业=Industry")
    assert result.exit_code == 2
    assert ("导入文件中没有映射所指的列：行业=Industry（是否为 'Industry Code'？）。文件的列："
            "订单编号, ") in result.output
    assert book.read_bytes() == before


def test_collected_without_invoiced_is_said_once_in_the_report(tmp_path):
    """An export with 回款金额 and no invoiced column: the report says once, up front,
    that the rows with money collected get no invoiced amount (validation would warn on
    each), naming --map invoiced= with the export's closest unused column; an export
    mapping invoiced says nothing of it."""
    book = blank_book(tmp_path / "book.xlsx", period="2025-10")
    rows = [["T-1", "2025-10-03", "张伟", "甲公司", "2800", "赢单", "2800", "2800"],
            ["T-2", "2025-10-05", "张伟", "乙公司", "1200", "赢单", "600", "1200"],
            ["T-3", "2025-10-07", "张伟", "丙公司", "900", "赢单", "", ""]]
    export = write_csv(tmp_path / "crm.csv", [*HEADER, "回款金额", "已开票"], rows)
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    note = [ln for ln in result.stdout.splitlines() if "开票金额" in ln]
    assert len(note) == 1, result.stdout
    assert note[0].startswith("  注意：已导入回款金额（2 行有回款），但导入文件中没有列对应"
                              "开票金额")
    assert "请用 --map invoiced=列名 指定（例如 --map invoiced='已开票'）" in note[0]
    lines = result.stdout.splitlines()
    assert lines.index(note[0]) == 2  # up front: right below the columns mapped
    en = blank_book(tmp_path / "en.xlsx", lang="en", period="2025-10")
    en_export = write_csv(tmp_path / "en.csv", ["Order ID", "Date", "Rep", "Customer",
                                                "Amount", "Stage", "Collected"],
                          [["T-1", "2025-10-03", "Bo", "Acme", "2800", "Won", "2800"]])
    result = run(en_export, "--into", en)
    assert ("Note: collected amounts are imported (1 row with money collected) but no "
            "column of the export is matched to invoiced") in result.stdout
    assert "name the column with --map invoiced=COLUMN; else" in result.stdout
    mapped = run(export, "--into", blank_book(tmp_path / "b2.xlsx", period="2025-10"),
                 "--map", "invoiced=已开票")
    assert mapped.exit_code == 0, mapped.output
    assert "注意：已导入回款金额" not in mapped.stdout
