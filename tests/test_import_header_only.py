"""An export holding only its header row (a CRM report whose filters matched nothing)
was imported silently as "imported 0 rows, skipped 0": nothing said why. The report
names the file and says it has no data rows, with the exit code 0 of nothing to import
(README: nothing skipped), and BOOK is unchanged."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xlsales.cli import main

HEADERS = {"en": "Order ID,Rep,Product,Amount,Stage,Date,Customer\n",
           "zh": "订单编号,销售人员,产品,金额,阶段,成交日期,客户名称\n"}
SAID = {"en": "crm.csv has a header row and no data rows: there is no row to import.",
        "zh": "crm.csv 只有表头，没有数据行：没有可导入的行。"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("body", ["", ",,,,,,\n\n"])  # nothing, or blank rows only
@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_a_header_only_export_says_it_has_no_data_rows(tmp_path, lang, body, dry_run):
    book = tmp_path / "book.xlsx"
    made = CliRunner().invoke(main, ["new", "--lang", lang, "--period", "2026-11",
                                     "-o", str(book)])
    assert made.exit_code == 0, made.output
    before = book.read_bytes()
    export = tmp_path / "crm.csv"
    export.write_text(HEADERS[lang] + body, encoding="utf-8")
    out = CliRunner().invoke(main, ["import", str(export), "--into", str(book), *dry_run])
    assert out.exit_code == 0, out.output
    first, said = out.stdout.splitlines()[:2]
    assert ("imported 0 rows" in first or "would import 0 rows" in first) if lang == "en" \
        else "导入 0 行" in first
    assert said.strip().startswith(SAID[lang]), out.stdout
    assert book.read_bytes() == before


def test_an_export_whose_rows_are_all_in_the_book_is_not_said_to_be_empty(tmp_path):
    book = tmp_path / "book.xlsx"
    CliRunner().invoke(main, ["new", "--lang", "en", "--period", "2026-11", "-o", str(book)])
    export = tmp_path / "crm.csv"
    export.write_text(HEADERS["en"] + "S-1,Bob,Standard,100,Won,2026-11-03,Acme\n",
                      encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(export), "--into", str(book)]).exit_code == 0
    again = runner.invoke(main, ["import", str(export), "--into", str(book)])
    assert again.exit_code == 0 and "no data rows" not in again.stdout
