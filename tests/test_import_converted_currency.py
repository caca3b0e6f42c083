"""Importing again an export whose amount is in another currency than the workbook's
(`US$15,000` into a CNY book, written `15,000 USD`) after the rep converted it there
(108,000) listed the row as changed, "Amount 108,000→15,000", and said to update the
workbook by hand: following it would undo the conversion. 15,000 USD and 108,000 CNY
cannot be compared: the row is no change (an order already imported) and the report says
the workbook holds it converted. Amounts both in dollars are compared with their
currency ("15,000 USD→16,000 USD")."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlsales.cli import main

EXPORT = {
    "en": "Order ID,Rep,Product,Amount,Stage,Date,Customer\n"
          "S-1,Bob,Standard,\"US${usd}\",Won,2026-11-03,Acme\n"
          "S-2,Bob,Standard,\"9,000\",Won,2026-11-04,Beta\n",
    "zh": "订单编号,销售人员,产品,金额,阶段,成交日期,客户名称\n"
          "S-1,张伟,标准版,\"US${usd}\",赢单,2026-11-03,华星科技\n"
          "S-2,张伟,标准版,\"9,000\",赢单,2026-11-04,远洋贸易\n",
}


def imported(tmp_path: Path, lang: str) -> Path:
    """A CNY book with the export imported once: S-1's amount written `15,000 USD`."""
    book = tmp_path / f"book_{lang}.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "--lang", lang, "--period", "2026-11",
                                "-o", str(book)]).exit_code == 0
    first = runner.invoke(main, ["import", str(export(tmp_path, lang, "15,000")),
                                 "--into", str(book)])
    assert first.exit_code == 0 and "15,000 USD" in first.stdout, first.output
    return book


def export(tmp_path: Path, lang: str, usd: str) -> Path:
    path = tmp_path / f"crm_{lang}_{usd.replace(',', '')}.csv"
    path.write_text(EXPORT[lang].replace("{usd}", usd), encoding="utf-8")
    return path


def converted(book: Path, value: float) -> Path:
    """``book`` with its `15,000 USD` cell typed over as ``value``, as the rep converts it."""
    wb = openpyxl.load_workbook(book)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value == "15,000 USD"]
    assert len(cells) == 1
    cells[0].value = value
    out = book.with_name("converted_" + book.name)
    wb.save(out)
    return out


def again(book: Path, path: Path):
    out = CliRunner().invoke(main, ["import", str(path), "--into", str(book)])
    assert out.exit_code == 0, out.output
    return out.stdout


def test_an_amount_converted_in_the_workbook_is_no_change_en(tmp_path):
    book = converted(imported(tmp_path, "en"), 108000)
    report = again(book, export(tmp_path, "en", "15,000"))
    assert "changed in the export" not in report and "108,000→" not in report, report
    assert "row 2: order S-1 is already in the workbook" in report
    assert ("1 amount in another currency in the export, held converted in the workbook "
            "(e.g. row 2, S-1: Amount 15,000 USD in the export, 108,000 in the workbook): "
            "two currencies cannot be compared, so this is no change") in report


def test_an_amount_converted_in_the_workbook_is_no_change_zh(tmp_path):
    book = converted(imported(tmp_path, "zh"), 108000)
    report = again(book, export(tmp_path, "zh", "15,000"))
    assert "内容有变化" not in report, report
    assert ("另有 1 个金额在导入文件中是另一种货币，工作簿中是换算后的本币（如第 2 行 S-1："
            "金额 导入文件 15,000 USD，工作簿 108,000）：两种货币无法比较，不算变化") in report


def test_the_same_dollars_again_are_a_duplicate_and_new_dollars_a_change(tmp_path):
    book = imported(tmp_path, "en")
    same = again(book, export(tmp_path, "en", "15,000"))
    assert "row 2: order S-1 is already in the workbook" in same
    assert "changed in the export" not in same and "held converted" not in same
    more = again(book, export(tmp_path, "en", "16,000"))
    assert "    row 2, S-1: Amount 15,000 USD→16,000 USD" in more, more


@pytest.mark.parametrize("held", [15000, 108000])
def test_a_number_in_the_workbook_against_dollars_is_never_listed_as_changed(tmp_path, held):
    book = converted(imported(tmp_path, "en"), held)
    report = again(book, export(tmp_path, "en", "16,000"))
    assert "changed in the export" not in report and "held converted" in report
