"""``xlsales import`` of a probability column whose header says % (Salesforce's
``Probability (%)``, ``赢单概率(%)``, ``概率%``): its numbers are points of 100, 10 is 10 %;
a header without % keeps the workbook's fractions (0.1 is 10 %)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.io.reader import read_workbook
from xlsales.sample import REPS
from xlsales.validation import validate

HEADER = ["Order ID", "Close Date", "Opportunity Owner", "Account Name", "Amount", "Stage"]


def _rows(probabilities: list[str]) -> list[list[str]]:
    return [[f"P{i}", "2026-10-05", REPS["en"][0], f"Cust {i}", "1000", "Negotiation/Review",
             p] for i, p in enumerate(probabilities)]


def _probabilities(book: Path) -> list[float | None]:
    return [None if v != v else round(v, 6) for v in all_sales(book)["probability"]]


def test_salesforce_probability_percent_reads_10_as_10_percent(tmp_path: Path) -> None:
    """Salesforce's ``Probability (%)`` maps on its own; 60 is 60 %, 10% too, 0.5 is 0.5 %;
    150 is 150 %, kept and flagged (at import and by validation), and the report says
    how the column was read."""
    values = ["100", "60", "10%", "0.5", "150", ""]
    export = write_csv(tmp_path / "sf.csv", [*HEADER, "Probability (%)"], _rows(values))
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "imported 6 rows, skipped 0" in result.stdout, \
        result.output
    assert "Probability ← Probability (%)" in result.stdout
    assert ("'Probability (%)' says % in its header, so it is read as percent: 10 is 10 % "
            "(4 numbers divided by 100; values written as 10% as they are)."
            in result.stdout)
    assert "validation will flag 1 row" in result.stdout
    assert "row 6: Probability 150% above 100%" in result.stdout  # as the sheet shows it
    assert "not used" not in result.stdout
    assert _probabilities(book) == [1.0, 0.6, 0.1, 0.005, 1.5, None]
    flagged = [f for f in validate(read_workbook(book)) if f.column == "probability"]
    assert [f.rule for f in flagged] == ["above_maximum"]
    assert flagged[0].message_en == "'Probability' cannot be above 100%; it is 150%."
    assert flagged[0].value == 1.5


@pytest.mark.parametrize("header", ["赢单概率(%)", "概率%", "機率（％）", "% Probability",
                                    "Probability [%]"])
def test_chinese_and_other_percent_headers_map_and_read_as_percent(tmp_path: Path,
                                                                   header: str) -> None:
    """A Chinese book's report names the column and says, in Chinese, how it was read."""
    export = write_csv(tmp_path / "x.csv", [*HEADER, header], _rows(["10", "35"]))
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and f"赢单概率 ← {header}" in result.stdout, result.output
    assert (f"“{header}”的表头带 %，按百分数读取：10 即 10%（2 个数值已除以 100；写成 10% 的值"
            "不变）。" in result.stdout)
    assert _probabilities(book) == [0.1, 0.35]


def test_mapped_by_hand_the_header_decides(tmp_path: Path) -> None:
    """``--map probability=…`` to a column headed with % reads 10 as 10 %; to one without,
    numbers are fractions as before (0.1 is 10 %, 10 is 1,000 %, flagged)."""
    header = [*HEADER, "Win chance (%)", "Win chance"]
    rows = [[*r[:-1], "10", "0.1"] for r in _rows(["", ""])]
    export = write_csv(tmp_path / "x.csv", header, rows)
    book = blank_book(tmp_path / "pct.xlsx", lang="en")
    result = run(export, "--into", book, "--map", "probability=Win chance (%)")
    assert result.exit_code == 0 and "read as percent" in result.stdout, result.output
    assert _probabilities(book) == [0.1, 0.1]
    book = blank_book(tmp_path / "plain.xlsx", lang="en")
    result = run(export, "--into", book, "--map", "probability=Win chance")
    assert "read as percent" not in result.stdout and _probabilities(book) == [0.1, 0.1]
    rows = [[*r[:-1], "10%", "10"] for r in _rows(["", ""])]
    export = write_csv(tmp_path / "y.csv", header, rows)
    book = blank_book(tmp_path / "ten.xlsx", lang="en")
    result = run(export, "--into", book, "--map", "probability=Win chance")
    assert _probabilities(book) == [10.0, 10.0]
    assert "row 2: Probability 1000% above 100%" in result.stdout


def test_the_report_counts_only_what_the_imported_rows_hold(tmp_path: Path) -> None:
    """A skipped row (its date is no date) is not among the numbers divided by 100 or the
    values repaired; importing the same file again (every row already in BOOK) imports
    nothing, so the report claims neither."""
    rows = _rows(["60", "10", "35"])
    rows[2][1] = "someday"
    for row in rows:
        row[4] = "1,000"  # thousands separators: one value repaired per row
    export = write_csv(tmp_path / "sf.csv", [*HEADER, "Probability (%)"], rows)
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    first = run(export, "--into", book)
    assert "imported 2 rows, skipped 1" in first.stdout, first.output
    assert "(2 numbers divided by 100;" in first.stdout
    assert "  4 values repaired (" in first.stdout  # 1,000 and Negotiation/Review, twice
    again = run(export, "--into", book)
    assert "imported 0 rows, skipped 3" in again.stdout, again.output
    assert "divided by 100" not in again.stdout and "repaired" not in again.stdout


def test_cells_formatted_as_percent_in_an_xlsx_export_are_not_divided_again(
        tmp_path: Path) -> None:
    """An xlsx export's ``赢单概率(%)`` cells holding 0.5 formatted ``0%`` (Excel shows 50%)
    are 50 %, not 0.5 %; a number in a General cell of the same column is still points of
    100 (60 is 60 %); the report says which were read how."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单编号", "日期", "销售人员", "客户", "金额", "阶段", "赢单概率(%)"])
    for i, (p, fmt) in enumerate([(0.5, "0%"), (0.3, "0.0%"), (60, "General")]):
        ws.append([f"P{i}", "2026-10-05", REPS["zh"][0], f"客户{i}", 10000, "方案", p])
        ws.cell(ws.max_row, 7).number_format = fmt
    export = tmp_path / "p.xlsx"
    wb.save(export)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 3 行" in result.stdout, result.output
    assert _probabilities(book) == [0.5, 0.3, 0.6]
    assert "（1 个数值已除以 100；写成 10% 的值不变）" in result.stdout
    assert ("“赢单概率(%)”中 2 个单元格设为百分比格式（0.5 显示为 50%），按其显示的百分数读取，"
            "未除以 100。" in result.stdout)
    assert "注意" not in result.stdout


def test_a_percent_header_over_numbers_all_at_most_1_gets_a_note(tmp_path: Path) -> None:
    """``Probability (%)`` over 0.5 and 0.3 reads them as points of 100 (0.5 %), as the
    header says, but the report notes they look like fractions and what to do."""
    export = write_csv(tmp_path / "sf.csv", [*HEADER, "Probability (%)"],
                       _rows(["0.5", "0.3"]))
    book = blank_book(tmp_path / "b.xlsx", lang="en")
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert _probabilities(book) == [0.005, 0.003]
    assert ("Note: every number of 'Probability (%)' divided by 100 was 1 or less (0.5 is "
            "read as 0.5%). If they are fractions (0.5 meaning 50%), remove the % from the "
            "export's header" in result.stdout)
