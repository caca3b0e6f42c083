"""An amount written with an ISO 4217 code the marks do not list (``2,000 CHF``, as
``xlsales import`` writes an amount a CRM's currency column says is in francs) is read as
marked in that currency: ``currency_mismatch`` (convert it, type the number) in a CNY
book, not ``bad_number`` ("cannot be read") without advice. A code naming the book's
currency is an info repair, as ``¥2,000`` is. Words after a number stay no mark."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from table_edits import typed_sales
from test_import import write_csv

from xlsales.cli import main
from xlsales.parse_numbers import INVALID, currency_of, parse_number

TYPED = ["2,000 CHF", "2,000 CNY", "CHF 2,000", "1,500 Dollars", "100 MNT", "300 pcs",
         "300 PCS"]


def cli(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def typed_book(tmp_path: Path) -> Path:
    """A CNY book, one won sale per amount of :data:`TYPED` typed in its Amount cell (J5,
    J6 …)."""
    return typed_sales(tmp_path, "en", {"J": TYPED})


def test_iso_codes_are_marks_at_their_cells_and_words_are_not(tmp_path):
    result = cli("validate", typed_book(tmp_path), "--json")
    findings = json.loads(result.stdout)["findings"]
    amount = {f["cell"]: (f["severity"], f["rule"]) for f in findings
              if f["column"] == "amount" and f["rule"] != "amount_mismatch"}
    assert amount == {
        "J5": ("error", "currency_mismatch"),  # 2,000 CHF
        "J6": ("info", "converted"),  # 2,000 CNY: the book's currency, as ¥2,000
        "J7": ("error", "currency_mismatch"),  # CHF 2,000
        "J8": ("error", "amount_with_word"),  # 1,500 Dollars: a word, no code
        "J9": ("error", "currency_mismatch"),  # 100 MNT: tögrög, not 100 million TWD
        "J10": ("error", "amount_with_word"),  # 300 pcs
        "J11": ("error", "amount_with_word"),  # 300 PCS: no ISO code
    }, findings
    [chf] = [f for f in findings if f["cell"] == "J5" and f["rule"] == "currency_mismatch"]
    assert chf["message_en"].startswith(
        "'Amount' '2,000 CHF' is in CHF, but this workbook is in CNY: convert it to CNY "
        "and type the number"), chf["message_en"]


@pytest.mark.parametrize(("typed", "number", "currencies"), [
    ("2,000 CHF", 2000.0, {"CHF"}), ("CHF2,000", 2000.0, {"CHF"}),
    ("-CHF 5", -5.0, {"CHF"}), ("(2,000 CHF)", -2000.0, {"CHF"}),
    ("1.2万 CHF", 12000.0, {"CHF"}), ("ＣＨＦ２０００", 2000.0, {"CHF"}),
    ("100 MNT", 100.0, {"MNT"}), ("200 USD", 200.0, {"USD"}), ("NT$200", 200.0, {"TWD"}),
    ("12k", 12000.0, None), ("1.5M", 1.5e6, None),
    ("1,500 Dollars", INVALID, None), ("2,000 chf", INVALID, None),
    ("300 PCS", INVALID, None), ("2000 XYZ", INVALID, None), ("CHF100 USD", INVALID, None)])
def test_parse_number_reads_a_code_in_capitals_as_a_mark(typed, number, currencies):
    assert parse_number(typed)[0] == number or parse_number(typed)[0] is number
    assert currency_of(typed) == (frozenset(currencies) if currencies else None)


def test_an_imported_chf_row_is_flagged_to_convert_not_unreadable(tmp_path):
    """A Salesforce row in francs (Amount Currency CHF) is written '2,000 CHF' and
    validate says to convert it, as for the USD row."""
    export = write_csv(tmp_path / "sf.csv",
                       ["Opportunity ID", "Close Date", "Opportunity Owner", "Account Name",
                        "Stage", "Amount Currency", "Amount"],
                       [["SF-1", "2026-10-05", "Alice", "Acme", "Closed Won", "CHF", "2000"]])
    book = tmp_path / "cny.xlsx"
    assert cli("new", "--lang", "en", "--period", "2026-10", "--owner", "Alice",
               "-o", book).exit_code == 0
    assert cli("import", export, "--into", book).exit_code == 0
    findings = json.loads(cli("validate", book, "--json").stdout)["findings"]
    assert [(f["rule"], f["value"]) for f in findings if f["severity"] == "error"] == [
        ("currency_mismatch", "2,000 CHF")], findings
