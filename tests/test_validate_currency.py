"""Amounts typed with a currency mark: one in the workbook's currency is repaired and
reported as info; one marked with another currency is an error at its cell, never
converted, so that nobody adds US dollars to yuan without knowing."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options
from sheet_values import table_rows
from test_validate import FIRST, PERIOD, clean_sales, shaded_cells

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Finding, Severity
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.spec.declarations import SALES
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData

LETTER = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(SALES.columns, 1)}
ROWS = 4  # clean rows; the typed amounts go in the rows after them


def book_with(path: Path, typed: dict[str, object], currency: str | None = "CNY",
              lang: str = "en") -> Path:
    """A clean book in ``currency`` (None: its basic information names none) whose sales
    rows after the first :data:`ROWS` hold ``typed`` (column key → the text typed),
    one row per entry, in order; as ``xlsales new --currency`` and a rep would make it."""
    rows = clean_sales(ROWS + len(typed))
    for row, (key, text) in zip(rows[ROWS:], typed.items(), strict=True):
        row[key] = text
    data = WorkbookData(
        info={"period_type": "month", "period_start": PERIOD.start, "owner": "Team",
              "currency": currency},
        tables={"Sales": pd.DataFrame(rows)},
        lists={"rep": ["A", "B"], "region": ["East"], "product": ["Standard"]})
    build_workbook(path, replace(team_options(lang), period=PERIOD), data)
    return path


def cell(key: str, i: int = 0) -> str:
    """The cell of the ``i``-th typed value, in column ``key``."""
    return f"{LETTER[key]}{FIRST + ROWS + i}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def test_an_amount_marked_in_another_currency_is_an_error_at_its_cell(tmp_path):
    """US$200 typed in a CNY book: one error, where it is, saying what to do; no info
    finding says the mark was just removed."""
    findings = validate(read_workbook(book_with(tmp_path / "b.xlsx", {"amount": "US$200"})))
    [f] = errors(findings)
    assert (f.rule, f.sheet, f.table, f.cell, f.row, f.column, f.value) == (
        "currency_mismatch", "Sales", "Sales", cell("amount"), FIRST + ROWS, "amount",
        "US$200")
    assert f.message_en == (
        "'Amount' 'US$200' is in USD, but this workbook is in CNY: convert it to CNY and "
        "type the number (xlsales never converts currencies). If the whole workbook is kept "
        "in that currency, set Currency on the Info sheet to it instead.")
    assert f.message_zh.startswith(
        "“Amount” 'US$200' 是 USD 金额，但本工作簿的币种是 CNY：请换算成 CNY 后只填数字"
        "（xlsales 从不换算货币）。"), f.message_zh
    assert not [g for g in findings if g.cell == f.cell and g.rule == "converted"]


def test_a_chinese_book_names_its_sheet_and_column_in_chinese(tmp_path):
    book = book_with(tmp_path / "zh.xlsx", {"invoiced": "HK$200"}, lang="zh")
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.sheet, f.cell) == ("currency_mismatch", "销售记录", cell("invoiced"))
    assert f.message_zh == (
        "“开票金额” 'HK$200' 是 HKD 金额，但本工作簿的币种是 CNY：请换算成 CNY 后只填数字（xlsales "
        "从不换算货币）。若整个工作簿本就以该货币记账，请把“基础信息”表的币种改为该货币。")


# (the book's currency, an amount it takes and its number, one in another currency)
AGREE_DISAGREE = [
    ("CNY", "¥200", 200.0, "US$200"),  # ¥: the yuan or the yen
    ("CNY", "500元", 500.0, "NT$200"),  # 元: the yuan, the New Taiwan or the Hong Kong dollar
    ("CNY", "RMB 500", 500.0, "200 USD"),
    ("CNY", "$500", 500.0, "€200"),  # $: any currency
    ("CNY", "￥200", 200.0, "ＵＳ＄200"),  # full-width, reported as such: the mark is read
    ("TWD", "NT$61,600", 61600.0, "US$200"),  # as `xlsales new --currency TWD` makes it
    ("TWD", "200 TWD", 200.0, "¥200"),
    ("TWD", "200元", 200.0, "HK$200"),
]


@pytest.mark.parametrize("currency, agrees, number, disagrees", AGREE_DISAGREE)
def test_a_mark_naming_the_books_currency_stays_info_another_is_an_error(
        tmp_path, currency, agrees, number, disagrees):
    book = book_with(tmp_path / "b.xlsx", {"amount": agrees, "collected": disagrees},
                     currency)
    read = read_workbook(book)
    findings = validate(read)
    assert [(f.rule, f.cell, f.value) for f in errors(findings)] == [
        ("currency_mismatch", cell("collected", 1), disagrees)]
    assert [(f.rule, f.severity) for f in findings if f.cell == cell("amount")
            and f.rule not in ("values_not_counted", "amount_mismatch")] == [
        ("converted", Severity.INFO)]
    # read as the number typed, in either case: nothing is converted at any rate
    assert read.frame("Sales")["amount"].iat[ROWS] == number
    assert read.frame("Sales")["collected"].iat[ROWS + 1] == 200.0


def test_a_book_with_its_currency_cleared_is_in_cny_and_one_naming_none_takes_no_mark(
        tmp_path):
    """Its currency cell empty, a book is in CNY, as `new` writes it and roll-ups and
    plans take it: ¥ agrees, US$ does not. A currency cell that names no currency
    ('Dollars') says nothing a mark could agree with."""
    book = book_with(tmp_path / "b.xlsx", {"amount": "US$200", "collected": "¥200"},
                     currency=None)
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.cell, f.value) == ("currency_mismatch", cell("amount"), "US$200")
    assert "this workbook is in CNY" in f.message_en
    book = book_with(tmp_path / "d.xlsx", {"amount": "US$200"}, currency="Dollars")
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.cell, f.value) == ("currency_not_named", cell("amount"), "US$200")
    assert "this workbook's currency (Currency on the Info sheet) names no currency" in (
        f.message_en)


def test_cli_validate_exits_1_and_lists_the_error(tmp_path):
    book = book_with(tmp_path / "b.xlsx", {"amount": "US$200"})
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(book), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"Sales!{cell('amount')}" in result.output and "currency_mismatch" in result.output
    payload = json.loads(runner.invoke(main, ["validate", str(book), "--json"]).output)
    assert payload["counts"]["error"] == 1
    [f] = [f for f in payload["findings"] if f["severity"] == "error"]
    assert (f["rule"], f["cell"], f["value"]) == ("currency_mismatch", cell("amount"), "US$200")


def test_write_keeps_what_was_typed_and_lists_the_error_on_the_validation_sheet(tmp_path):
    book = shutil.copy(book_with(tmp_path / "src.xlsx", {"amount": "US$200"}),
                       tmp_path / "b.xlsx")
    result = CliRunner().invoke(main, ["validate", str(book), "--write"])
    assert result.exit_code == 1, result.output
    wb = openpyxl.load_workbook(book)
    assert wb["Sales"][cell("amount")].value == "US$200"  # never overwritten
    rows = table_rows(wb, "Validation")[1:]
    assert [r[:3] + r[5:7] for r in rows if r[0] == "error"] == [
        ["error", "Sales", f"Sales!{cell('amount')}", "currency_mismatch", "US$200"]]
    assert cell("amount") in shaded_cells(wb["Sales"])


def test_kpis_count_the_number_typed_and_say_the_book_has_an_error(tmp_path):
    """The KPIs are computed as before (the number typed, not converted), and `kpis`
    tells on stderr that the book has a validation error, as for any error."""
    book = book_with(tmp_path / "b.xlsx", {"amount": "US$200"})
    read = read_workbook(book)
    kpis = compute_kpis({n: t.frame for n, t in read.tables.items()}, read.period).kpis
    assert kpis["revenue"] == 200.0 * (ROWS + 1)
    result = CliRunner().invoke(main, ["kpis", str(book), "--json"])
    assert result.exit_code == 0, result.output
    assert "b.xlsx: note: 1 validation error:" in result.stderr, result.stderr


@pytest.mark.parametrize(("typed", "named"), [
    ("90000日元", "JPY"), ("300欧元", "EUR"), ("5000円", "JPY"), ("JPY 5,000", "JPY"),
    ("200澳元", "AUD"), ("1,000新加坡元", "SGD")])
def test_other_currencies_named_in_chinese_are_not_the_yuan(tmp_path, typed, named):
    """欧元, 日元, 澳元 … end in 元 as the yuan does: read as 元, 90,000 yen passed as
    ¥90,000 yuan; and JPY amounts could not be read at all."""
    book = book_with(tmp_path / "b.xlsx", {"amount": typed})
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.cell) == ("currency_mismatch", cell("amount"))
    assert f"is in {named}, but this workbook is in CNY" in f.message_en


@pytest.mark.parametrize(("typed", "named"), [
    ("RM 6,000", "MYR"), ("Rp 1,500,000", "IDR"), ("฿3,000", "THB"), ("₱2,500", "PHP"),
    ("6000令吉", "MYR"), ("₹9,000", "INR")])
def test_southeast_asian_marks_in_an_sgd_book_name_their_currency(tmp_path, typed, named):
    """A team reporting in SGD gets ringgit, rupiah, baht … from partners' exports: each
    is an error naming its currency (convert it), not an amount that cannot be read."""
    book = book_with(tmp_path / "b.xlsx", {"amount": typed}, currency="SGD")
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.cell) == ("currency_mismatch", cell("amount"))
    assert f"is in {named}, but this workbook is in SGD" in f.message_en


def test_a_book_in_euro_named_in_chinese_is_in_eur(tmp_path):
    """A book whose currency reads 欧元 is in EUR (it was 'CNY/HKD/TWD'): € agrees,
    HK$ does not, and the export names it EUR."""
    from xlsales.currency import currency_code

    book = book_with(tmp_path / "b.xlsx", {"amount": "€200", "invoiced": "HK$200"},
                     currency="欧元")
    [f] = errors(validate(read_workbook(book)))
    assert (f.rule, f.cell) == ("currency_mismatch", cell("invoiced", 1))
    assert currency_code("欧元") == "EUR" and currency_code("日元") == "JPY"


@pytest.mark.parametrize(("currency", "rule"), [("CYN", "currency_unknown"),
                                              ("XYZ", "currency_unknown"), ("RMB", None),
                                              ("twd", None), ("元", "currency_unclear")])
def test_a_currency_code_iso_4217_does_not_have_is_a_warning(tmp_path, currency, rule):
    """币种 typed CYN (for CNY) passed as a currency of its own: no finding, while a
    roll-up would leave the book out and the plan named CYN its unit."""
    book = read_workbook(book_with(tmp_path / "b.xlsx", {}, currency=currency))
    found = [f for f in validate(book) if f.column == "currency"]
    assert [f.rule for f in found] == ([rule] if rule else [])
    if currency == "CYN":
        assert found[0].message_en.startswith(
            "The currency 'CYN' is no ISO 4217 currency code (did you mean CNY")
        assert found[0].cell is not None and found[0].severity is Severity.WARNING


@pytest.mark.parametrize(("currency", "unclear"), [
    ("元", True), ("Dollars", True), ("CNY", False), ("人民币", False), (None, False)])
def test_a_currency_cell_naming_no_one_currency_is_a_warning(tmp_path, currency, unclear):
    """币种 '元' let HK$, NT$ and RMB amounts pass in one book, and a roll-up then left it
    out as in another currency: the cell itself is flagged, saying to write the code."""
    book = read_workbook(book_with(tmp_path / "b.xlsx", {}, currency=currency))
    found = [f for f in validate(book) if f.rule == "currency_unclear"]
    assert bool(found) == unclear
    if unclear:
        [f] = found
        assert (f.severity, f.sheet, f.column, f.value) == (
            Severity.WARNING, "Info", "currency", currency)
        assert f.cell is not None and "write its code, such as CNY" in f.message_en
