"""``xlsales import`` of amounts whose header gives their unit (``金额（万元）``, ``Amount
(K)``, ``商机金额（元）``): the numbers are scaled into the plain amounts the workbook
holds, and the header still names the field; an export with won rows and no amount is
refused rather than imported without revenue."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.sample import REPS

ZH = ["订单编号", "日期", "销售人员", "客户", "阶段"]


def _rows(amounts: list[str], stage: str = "赢单") -> list[list[str]]:
    return [[f"W{i}", "2026-10-05", REPS["zh"][0], f"客户{i}", stage, a]
            for i, a in enumerate(amounts)]


def _amounts(book: Path) -> list[float]:
    return [round(v, 6) for v in all_sales(book)["amount"]]


@pytest.mark.parametrize(("header", "factor"), [
    ("金额（万元）", 1e4), ("合同金额(万元)", 1e4), ("金額（萬元）", 1e4), ("金额/千元", 1e3),
    ("Amount (K)", 1e3), ("金额（千）", 1e3), ("Amount in thousands", 1e3),
    ("金额 [单位：万元]", 1e4)])
def test_a_unit_in_the_amount_header_scales_its_numbers(tmp_path: Path, header: str,
                                                        factor: float) -> None:
    """1.2 under 金额（万元） is 12,000 in the book (not 1.2, 10,000 times too small): the
    header maps to the amount on its own, its numbers are multiplied, and the report says
    so; a value with its own unit (3万) is read by that unit; the revenue KPI counts it."""
    export = write_csv(tmp_path / "x.csv", [*ZH, header], _rows(["1.2", "35.5", "0.07", "3万"]))
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 4 行" in result.stdout, result.output
    assert f"金额 ← {header}" in result.stdout
    assert (f"“{header}”的表头注明了单位，数值已乘以 {factor:,.0f}（3 个；自带单位的值如 1.2万 "
            "按其单位）。" in result.stdout)
    assert _amounts(book) == [1.2 * factor, 35.5 * factor, round(0.07 * factor, 6), 30000.0]
    assert "未使用" not in result.stdout


def test_mapped_by_hand_the_unit_still_applies_and_the_english_report_says_so(
        tmp_path: Path) -> None:
    """``--map amount='金额（万元）'`` (as the QA tester ran it) scales too; an English book's
    report says it in English; the KPI revenue is the scaled sum."""
    header = [*ZH, "金额（万元）", "金额"]
    rows = [[*r, "9"] for r in _rows(["1.2", "2"])]
    export = write_csv(tmp_path / "x.csv", header, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book, "--map", "amount=金额（万元）")
    assert result.exit_code == 0, result.output
    assert ("'金额（万元）' gives its unit in the header, so its numbers are multiplied by "
            "10,000 (2 numbers; values with their own unit, such as 1.2万, by that unit)."
            in result.stdout)
    assert _amounts(book) == [12000.0, 20000.0]
    read = read_workbook(book)
    kpis = compute_kpis({k: t.frame for k, t in read.tables.items()}, read.period).kpis
    assert kpis["revenue"] == 32000.0


def test_yuan_in_the_header_names_the_amount_and_keeps_the_numbers(tmp_path: Path) -> None:
    """销售易's ``商机金额（元）`` is the amount (it was left unused: every row imported
    without an amount, exit 0), its numbers as they are; 销售负责人 is the rep and 赢单日期
    the date without --map."""
    header = ["商机编号", "客户名称", "销售负责人", "赢单日期", "商机金额（元）", "商机阶段"]
    rows = [["X1", "客户一", REPS["zh"][0], "2026-10-05", "1000.5", "赢单"]]
    xlsx = tmp_path / "xsy.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append([*r[:4], float(r[4]), r[5]])
    wb.save(xlsx)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(xlsx, "--into", book)
    assert result.exit_code == 0 and "导入 1 行" in result.stdout, result.output
    assert "金额 ← 商机金额（元）" in result.stdout
    assert "销售人员 ← 销售负责人" in result.stdout and "日期 ← 赢单日期" in result.stdout
    assert "乘以" not in result.stdout and "未使用" not in result.stdout
    assert _amounts(book) == [1000.5]


def test_won_rows_and_no_amount_column_are_refused(tmp_path: Path) -> None:
    """An export whose amount column matches nothing (``商机总价``) would import every won
    row without revenue: refused with exit 2, naming the column and the --map to give;
    BOOK is unchanged. Open rows only (no won row) import as before."""
    export = write_csv(tmp_path / "x.csv", [*ZH, "商机总价"], _rows(["100", "200"]))
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    before = book.read_bytes()
    result = run(export, "--into", book)
    assert result.exit_code == 2, result.output
    assert "导入文件有 2 行赢单，但没有哪一列对应到金额" in result.output
    assert "--map amount='商机总价'" in result.output
    assert "The export has 2 won rows but no column matched to the amount" in result.output
    assert book.read_bytes() == before
    again = run(export, "--into", book, "--map", "amount=商机总价")
    assert again.exit_code == 0 and _amounts(book) == [100.0, 200.0], again.output
    open_rows = write_csv(tmp_path / "o.csv", ZH, [r[:5] for r in _rows(["", ""], "方案")])
    other = blank_book(tmp_path / "o.xlsx", lang="zh")
    assert run(open_rows, "--into", other).exit_code == 0
