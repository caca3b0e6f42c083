"""``xlsales import`` of values a CRM export or Excel mangled: long numeric IDs whose digits
are gone (a number cell of an xlsx, ``6.01E+17`` in a CSV Excel saved)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.sample import REPS

ZH = ["商机编号", "客户名称", "负责人", "结单日期", "商机金额", "商机阶段"]


def _row(order: object, i: int) -> list[object]:
    return [order, f"客户{i}", REPS["zh"][0], "2026/10/10", 1000, "赢单"]


def test_a_long_numeric_id_whose_digits_are_lost_is_not_imported_as_other_digits(
        tmp_path: Path) -> None:
    """202611030000000124 stored as a number in an xlsx export reads back as
    202611030000000096 (no such order): the row is skipped and the report says why, as
    validate's id_as_number does, instead of importing an ID that never existed (which
    the duplicate check then misses). The same ID as text imports as written."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ZH)
    ws.append(_row(1001, 0))
    ws.append(_row(202611030000000124, 1))
    ws.append(_row("202611030000000123", 2))
    export = tmp_path / "ids.xlsx"
    wb.save(export)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert "导入 2 行，跳过 1 行" in result.stdout, result.output
    assert ("第 3 行：无法读取：订单编号 '2.02611E+17'（超过 15 位的编号被 Excel 当作数字"
            in result.stdout)
    assert "请在 CRM 中把该列导出为文本" in result.stdout
    orders = list(all_sales(book)["order_id"])
    assert orders == ["1001", "202611030000000123"]


def test_an_id_excel_wrote_in_scientific_notation_is_reported(tmp_path: Path) -> None:
    """A CSV opened and saved in Excel holds ``6.01E+17`` for a long ID: two such rows are
    two orders, not one order twice; each is skipped saying the ID is lost (in English in
    an English book)."""
    rows = [[str(v) for v in _row(o, i)] for i, o in enumerate(["6.01E+17", "6.01E+17",
                                                                 "1E+05"])]
    export = write_csv(tmp_path / "ids.csv", ZH, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert "imported 1 row, skipped 2" in result.stdout, result.output
    assert "appears twice" not in result.stdout
    assert result.stdout.count("unreadable: Order ID '6.01E+17' (an ID of more than 15 "
                               "digits taken by Excel as a number") == 2
    assert list(all_sales(book)["order_id"]) == ["1E+05"]


def test_totals_and_footers_are_no_broken_rows_and_the_exit_code_says_what_was_lost(
        tmp_path: Path) -> None:
    """A Salesforce report's ``Total`` line and its ``Confidential Information …`` and
    ``Copyright …`` footers, and a 合计 row, are counted on one line as totals or footers,
    not listed as rows missing their fields; with nothing else skipped the exit code is 0.
    Importing again (every order already in BOOK) is 0 too; a row skipped for an
    unreadable date makes it 1, so a scripted weekly run can tell."""
    header = ["Opportunity Owner", "Account Name", "Stage", "Amount", "Close Date",
              "Opportunity ID"]
    rows = [[REPS["en"][0], f"Acme {i}", "Closed Won", "1250", "10/25/2026", f"006{i}"]
            for i in range(2)]
    rows += [[], ["Total", "", "", "2,500.00", "", ""],
             ["Confidential Information - Do Not Distribute"],
             ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."]]
    export = write_csv(tmp_path / "sf.csv", header, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert "imported 2 rows, skipped 0" in result.stdout
    assert "  3 rows of the export's totals or footers (e.g. 'Total'), no data: not imported."\
        in result.stdout
    assert "missing" not in result.stdout and "Skipped rows" not in result.stdout
    again = run(export, "--into", book)
    assert again.exit_code == 0 and "imported 0 rows, skipped 2" in again.stdout, again.output
    good, bad = ([str(v) for v in _row(o, i)] for i, o in enumerate(["Z1", "Z2"]))
    bad[3] = "someday"
    zh = write_csv(tmp_path / "zh.csv", ZH, [good, bad, ["合计", "", "", "", "2000", ""]])
    book = blank_book(tmp_path / "z.xlsx", lang="zh")
    result = run(zh, "--into", book)
    assert result.exit_code == 1, result.output
    assert "导入 1 行，跳过 1 行" in result.stdout
    assert "第 3 行：无法读取：日期 'someday'" in result.stdout
    assert "另有 1 行是导入文件的合计或页脚（如 “合计”），不是数据，未导入。" in result.stdout
    assert "缺少必填项" not in result.stdout


def test_a_dry_run_says_when_book_cannot_be_written(tmp_path: Path) -> None:
    """``--dry-run`` into a book open in Excel (its ``~$`` lock file beside it) said "would
    import" with exit 0, then the real run failed: it now says the book cannot be written
    and why, with exit code 2, as the real run would; nothing is written either way."""
    export = write_csv(tmp_path / "x.csv", ZH, [[str(v) for v in _row("L1", 0)]])
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    before = book.read_bytes()
    result = run(export, "--into", book, "--dry-run")
    assert result.exit_code == 2, result.output
    assert "将导入 1 行" in result.stdout
    assert "  但无法写入：b.xlsx 似乎正在 Excel、WPS 或 LibreOffice 中打开" in result.stdout
    real = run(export, "--into", book)
    assert real.exit_code == 2 and book.read_bytes() == before


def test_amounts_and_stages_as_sales_people_abbreviate_them_import(tmp_path: Path) -> None:
    """``12k``, ``1.2w`` (万), ``1.5M``, ``12000元整`` and the stages ``已赢单``,
    ``赢单（已签约）`` are what they say, not unreadable values written as text: the
    amounts land as numbers and the stages as won."""
    amounts = ["12k", "1.2w", "1.5M", "12000元整", "¥8,000元整"]
    stages = ["已赢单", "赢单（已签约）", "签约", "已签约", "赢单"]
    rows = [[f"Q{i}", f"客户{i}", REPS["zh"][0], "2026/10/10", amount, stage]
            for i, (amount, stage) in enumerate(zip(amounts, stages, strict=True))]
    export = write_csv(tmp_path / "abbr.csv", ZH, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert "导入 5 行" in result.stdout, result.output
    sales = all_sales(book)
    assert list(sales["amount"]) == [12_000, 12_000, 1_500_000, 12_000, 8_000]
    assert set(sales["stage"]) == {"won"}
