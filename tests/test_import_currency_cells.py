"""``xlsales import`` of a row in another currency than BOOK's writes the amount with its
currency (``15,000 USD``), not as a plain number: an SGD persona's Salesforce export had
one USD row (``Amount Currency``), written as 15000, and afterwards ``validate`` found
nothing and the KPI sheet added the dollars to SGD revenue. Now the cell says what it
is, ``validate`` flags it (``currency_mismatch``, convert it and type the number), the
workbook's KPI sheet leaves it out, and ``xlsales kpis`` treats it as an amount a rep
typed ``US$15,000``: counted, with its note of errors. BOOK's currency, ``$`` or no
currency said: written as numbers, as before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import kpi_values, table_rows
from test_import import write_csv

from xlsales.cli import main
from xlsales.libreoffice import recalculate_many

HEADER = ["Opportunity ID", "Close Date", "Opportunity Owner", "Account Name", "Stage",
          "Amount Currency", "Amount"]
ROWS = [["SF-1", "2026-11-05", "Tan Wei", "Acme", "Closed Won", "SGD", "20000"],
        ["SF-2", "2026-11-06", "Tan Wei", "Globex", "Closed Won", "USD", "15000"],
        ["SF-3", "2026-11-07", "Tan Wei", "Initech", "Closed Won", "", "US$1,200.5"],
        ["SF-4", "2026-11-08", "Tan Wei", "Umbrella", "Closed Won", "", "$300"]]


def cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def sgd_book(path: Path, lang: str = "en", currency: str = "SGD") -> Path:
    result = cli("new", "--lang", lang, "--currency", currency, "--period", "2026-11",
                 "--owner", "Tan Wei", "-o", path)
    assert result.exit_code == 0, result.output
    return path


def amounts(book: Path) -> list[object]:
    """The Sales table's amount cells as written (header first)."""
    rows = table_rows(openpyxl.load_workbook(book), "Sales")
    column = rows[0].index("Amount")
    return [r[column] for r in rows[1:] if r[0]]


def test_a_usd_row_of_an_sgd_book_is_written_with_its_currency_and_flagged(
        tmp_path: Path) -> None:
    """The USD row (by its currency column) and the US$ one (by its mark) are written as
    '15,000 USD' and '1,200.5 USD'; the SGD and $ rows as numbers. validate: an error
    ``currency_mismatch`` at each of the two cells, saying to convert; the report says
    they were written with their currency, the dry run too; exit code 0."""
    export = write_csv(tmp_path / "sf.csv", HEADER, ROWS)
    book = sgd_book(tmp_path / "sgd.xlsx")
    line = ("  Amounts marked in another currency than the workbook's (SGD), written with "
            "their currency, not converted: USD 2 (e.g. row 3, Amount '15000', Amount "
            "Currency 'USD': written '15,000 USD'). Validation flags each cell, and the "
            "workbook's KPI sheet leaves it out, until it is converted to SGD and typed as "
            "a number. Check them; if the workbook is kept in USD, set Currency on the Info "
            "sheet to USD.\n")
    dry = cli("import", export, "--into", book, "--dry-run")
    assert dry.exit_code == 0 and line in dry.stdout, dry.output
    result = cli("import", export, "--into", book)
    assert result.exit_code == 0 and line in result.stdout, result.output
    assert amounts(book) == [20000, "15,000 USD", "1,200.5 USD", 300]
    checked = cli("validate", book, "--json")
    assert checked.exit_code == 1
    findings = json.loads(checked.stdout)["findings"]
    errors = [(f["rule"], f["cell"], f["value"]) for f in findings
              if f["severity"] == "error"]
    assert errors == [("currency_mismatch", "J6", "15,000 USD"),
                      ("currency_mismatch", "J7", "1,200.5 USD")], findings
    assert all("convert it to SGD" in f["message_en"] for f in findings
               if f["severity"] == "error")


def test_the_chinese_report_and_books_whose_currency_the_marks_name(tmp_path: Path) -> None:
    """A Chinese SGD book's report says the same in Chinese; an export in the book's own
    currency (a USD book) is written as numbers only, nothing said."""
    export = write_csv(tmp_path / "sf.csv", HEADER, ROWS)
    out = cli("import", export, "--into", sgd_book(tmp_path / "zh.xlsx", "zh")).stdout
    assert ("金额所标货币与工作簿的币种（SGD）不同，已连同其货币写入单元格、未换算："
            "USD 2 个（如第 3 行：金额 '15000'，Amount Currency 'USD'，写为 '15,000 USD'）。"
            "校验会在这些单元格报错、工作簿的 KPI 表不计入，直到换算为 SGD 并只填数值。"
            ) in out, out
    usd = sgd_book(tmp_path / "usd.xlsx", currency="USD")
    usd_rows = [r for r in ROWS if r[5] != "SGD"]
    result = cli("import", write_csv(tmp_path / "usd.csv", HEADER, usd_rows), "--into", usd)
    assert "another currency" not in result.stdout, result.output
    assert amounts(usd) == [15000, 1200.5, 300]


@pytest.mark.libreoffice
def test_kpis_count_it_as_a_typed_usd_amount_and_the_kpi_sheet_leaves_it_out(
        tmp_path: Path) -> None:
    """``xlsales kpis`` counts the USD amounts as it counts a US$15,000 a rep typed, with
    its note of errors (the same figures as that typed book); the workbook's own KPI
    sheet, recalculated by LibreOffice, leaves them out: SGD 20,300 of revenue."""
    require_libreoffice()
    export = write_csv(tmp_path / "sf.csv", HEADER, ROWS)
    book = sgd_book(tmp_path / "sgd.xlsx")
    assert cli("import", export, "--into", book).exit_code == 0
    typed = tmp_path / "typed.xlsx"
    shutil.copy(book, typed)
    wb = openpyxl.load_workbook(typed)
    wb["Sales"]["J6"], wb["Sales"]["J7"] = "US$15,000", "US$1,200.5"
    wb.save(typed)
    figures = cli("kpis", book, "--json")
    assert "2 validation errors" in figures.stderr
    revenue = json.loads(figures.stdout)["kpis"]["revenue"]
    assert revenue == json.loads(cli("kpis", typed, "--json").stdout)["kpis"]["revenue"]
    assert revenue == 20000 + 15000 + 1200.5 + 300
    [saved] = recalculate_many([book], tmp_path / "lo")
    assert kpi_values(openpyxl.load_workbook(saved, data_only=True))["revenue"] == 20300
