"""What an English-speaking rep in Singapore met doing her quarter review in an SGD book:
her Salesforce export's ``Owner Full Name`` column is the rep, and an amount typed
``1.2k`` is reported in English only."""

from __future__ import annotations

import json
import re
from datetime import datetime

import openpyxl
from click.testing import CliRunner

from xlsales.cli import main

#: a Salesforce opportunity report as exported: UTF-8 with BOM, day-first dates, a
#: row in USD, a Grand Total footer
EXPORT = (
    "\ufeffOpportunity Name,Account Name,Close Date,Amount,Amount Currency,Stage,"
    "Owner Full Name,Created Date\n"
    'Marina Foods - POS rollout,Marina Foods,3/07/2026,"S$12,000.50",SGD,Closed Won,'
    "Priya Nair,15/05/2026\n"
    'Raffles Logistics renewal,Raffles Logistics,15/07/2026,"8,000",SGD,Closed Won,'
    "Priya Nair,1/06/2026\n"
    "Orchard Retail expansion,Orchard Retail,22/08/2026,1.2k,SGD,Closed Won,Priya Nair,"
    "2/07/2026\n"
    'Jurong Steel pilot,Jurong Steel,5/08/2026,"20,000",SGD,Closed Lost,Priya Nair,'
    "3/07/2026\n"
    'Tampines Clinic,Tampines Clinic,30/09/2026,"6,500",SGD,Negotiation/Review,'
    "Priya Nair,10/08/2026\n"
    '\n"Grand Total",,,"47,700.50",,,,\n'
)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _book(tmp_path):
    book = tmp_path / "priya_q3.xlsx"
    made = _run("new", "--lang", "en", "--period", "2026-Q3", "--currency", "SGD",
                "--owner", "Priya Nair", "-o", book)
    assert made.exit_code == 0, made.output
    return book


def test_salesforce_owner_full_name_is_the_rep(tmp_path):
    book = _book(tmp_path)
    export = tmp_path / "salesforce.csv"
    export.write_bytes(EXPORT.encode("utf-8"))
    result = _run("import", export, "--into", book, "--map", "order_id=Opportunity Name")
    assert result.exit_code == 0, result.output
    assert "Rep ← Owner Full Name" in result.output
    kpis = json.loads(_run("kpis", book, "--json").stdout)["kpis"]
    assert kpis["revenue"] == 21200.5  # 12,000.50 + 8,000 + 1.2k, dates day first


def test_a_k_amount_is_reported_in_english_only(tmp_path):
    book = _book(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["Problems"]
    for col, value in zip("ABEGJ", ("P001", "Slow payment", "1.2k", "Collection", "Yes"),
                          strict=True):
        ws[f"{col}5"] = value
    wb.save(book)
    result = _run("validate", book, "--all")
    assert "'Impact amount' '1.2k'" in result.output, result.output
    converted = [line for line in result.output.splitlines() if "'1.2k'" in line]
    assert converted and not any(CJK.search(line) for line in converted), converted


def test_a_usd_amount_is_to_convert_not_to_retype_as_it_stands(tmp_path):
    book = _book(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb["Sales"]
    row = ("SG-Q3-9", datetime(2026, 9, 3), "Priya Nair", None, "Sentosa Resorts", None,
           None, None, None, "US$15,000", "Won")
    for col, value in enumerate(row, start=1):
        ws.cell(5, col, value)
    wb.save(book)
    result = _run("validate", book, "--json")
    findings = json.loads(result.output)["findings"]
    at_amount = {f["rule"]: f for f in findings if f["cell"] == "J5"}
    assert "currency_mismatch" in at_amount, findings
    # no warning telling her to retype the cell as 15000, SGD it is not
    assert not [f for f in findings if "15000" in f["message_en"]], findings
