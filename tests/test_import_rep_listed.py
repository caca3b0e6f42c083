"""`import --rep` into a book converted to Traditional: the rows name the rep as the
book lists them.

A Taipei rep's book (made with `xlsales new --owner 张伟`, then Excel's 简转繁) lists
張偉; the manager ran `import team.csv --into 張偉.xlsx --rep 张伟`. The rows were
written 张伟, as --rep gave it, and `validate` then found every current row an unknown
rep (an error, which keeps the book out of the team's roll-up) and every older one a
former rep. Real CSV through the real command into a book converted as Excel does.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_import import all_sales, run, write_csv
from traditional_books import convert_workbook

from xlsales.cli import main

HEADER = ["訂單編號", "成交日期", "業務", "客戶名稱", "金額", "階段"]
ROWS = [
    ["T-1", "115/10/03", "張偉", "中華電信", "NT$2,800", "贏單"],
    ["T-2", "115/09/05", "張 偉", "遠傳電信", "NT$1,200", "贏單"],
    ["T-3", "115/10/07", "陳靜", "台積電", "NT$6,800", "贏單"],
]


def test_rep_rows_take_the_books_spelling(tmp_path: Path) -> None:
    simplified = tmp_path / "zh.xlsx"
    made = CliRunner().invoke(main, ["new", "--period", "2026-10", "--owner", "张伟",
                                     "--currency", "TWD", "-o", str(simplified)])
    assert made.exit_code == 0, made.output
    book = tmp_path / "張偉.xlsx"
    convert_workbook(simplified, book, "s2twp")
    export = write_csv(tmp_path / "team.csv", HEADER, ROWS)
    result = run(export, "--into", book, "--rep", "张伟")
    assert result.exit_code == 0, result.output
    assert "匯入 2 行" in result.stdout  # the book is Traditional: so is xlsales' text
    assert all_sales(book)["rep"].tolist() == ["張偉", "張偉"]
    checked = CliRunner().invoke(main, ["validate", str(book), "--json"])
    assert "unknown_rep" not in checked.output and "former_rep" not in checked.output
    assert checked.exit_code == 0, checked.output
