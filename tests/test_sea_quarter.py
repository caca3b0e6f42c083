"""What a regional director in Singapore met running a quarter in English (SGD books,
CRM exports with day-first dates): a date whose day its month lacks is named as such,
a value missing from a short settings list is told which entries the list holds, and
``kpis --by rep`` keeps its columns when a rep's name is long."""

from __future__ import annotations

import json
import unicodedata

import openpyxl
from click.testing import CliRunner

from xlsales.cli import main

EXPORT = """Opportunity ID,Opportunity Owner,Account Name,Close Date,Stage,Amount
SG-0001,Alice Tan,Marina Foods,15/08/2026,Closed Won,"12,500"
SG-0002,Christopher Wong-Anderson,Raffles Logistics,20/07/2026,Closed Won,"S$8,000"
SG-0003,Christopher Wong-Anderson,Orchard Retail,31/09/2026,Closed Won,"5,000"
"""


def _run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def _book(tmp_path, owner: str = "Alice Tan"):
    book = tmp_path / "q3.xlsx"
    made = _run("new", "--lang", "en", "--period", "2026-Q3", "--currency", "SGD",
                "--owner", owner, "-o", book)
    assert made.exit_code == 0, made.output
    return book


def _imported(tmp_path):
    book = _book(tmp_path)
    export = tmp_path / "crm.csv"
    export.write_text(EXPORT, encoding="utf-8")
    return book, _run("import", export, "--into", book, "--date-order", "dmy")


def test_import_says_september_has_no_31st(tmp_path):
    """The export's 31/09/2026 is skipped saying September has 30 days, not that its
    (right) format cannot be read."""
    _, result = _imported(tmp_path)
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if "31/09/2026" in x)
    assert "September 2026 has 30 days, no day 31" in line
    assert "dates read:" not in line


def test_validate_says_the_month_has_no_such_day(tmp_path):
    """A date typed in the sales table that its month lacks (31/09/2026, 2026-02-30):
    the error says how many days the month has, in English and Chinese."""
    book = _book(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb["Sales"]
    for col, value in zip("ABCEK", ("SG-1", "31/09/2026", "Alice Tan", "Marina Foods",
                                    "Won"), strict=True):
        sheet[f"{col}5"] = value
    for col, value in zip("ABCEK", ("SG-2", "2026-02-30", "Alice Tan", "Marina Foods",
                                    "Won"), strict=True):
        sheet[f"{col}6"] = value
    wb.save(book)
    result = _run("validate", book, "--json")
    found = {f["cell"]: f for f in json.loads(result.stdout)["findings"]
             if f["rule"] == "bad_date"}
    assert "September 2026 has 30 days, no day 31" in found["B5"]["message_en"]
    assert "2026 年 9 月只有 30 天" in found["B5"]["message_zh"]
    assert "February 2026 has 28 days, no day 30" in found["B6"]["message_en"]


def test_not_in_list_names_the_lists_entries(tmp_path):
    """'Pipeline gap' typed as a problem category: the warning lists the categories, so
    the rep sees the list says 'Pipeline shortfall'."""
    book = _book(tmp_path)
    wb = openpyxl.load_workbook(book)
    sheet = wb["Problems"]
    for col, value in zip("ABEG", ("P01", "Few leads in the new territory", 30000,
                                   "Pipeline gap"), strict=True):
        sheet[f"{col}5"] = value
    wb.save(book)
    result = _run("validate", book)
    line = next(x for x in result.output.splitlines() if "Pipeline gap" in x)
    assert "not_in_list" in line and "Pipeline shortfall" in line
    assert "Customer churn" in line


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_by_rep_columns_stay_aligned_with_a_long_name(tmp_path):
    """Every rep's revenue ends in the column the 'Revenue' header ends in, the long
    name's (Christopher Wong-Anderson) too."""
    book, imported = _imported(tmp_path)
    assert "imported 2 rows" in imported.output, imported.output
    result = _run("kpis", book, "--by", "rep")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    head = next(i for i, x in enumerate(lines) if x.startswith("Rep "))
    end = _columns(lines[head].split("Revenue")[0]) + len("Revenue")
    rows = lines[head + 1:head + 3]
    assert {r.split()[0] for r in rows} == {"Alice", "Christopher"}
    for row in rows:  # the name and its padding, then the revenue right-aligned
        assert row[:end].endswith(("12,500.00", "8,000.00")), (row, lines[head])


def test_import_again_lists_the_rows_to_fix_before_those_already_in(tmp_path):
    """The same export imported twice (a rep re-running last week's file): the two rows
    to fix (no customer, 31/09/2026) are listed, not hidden behind the list of the 25
    orders already in the book."""
    book = _book(tmp_path)
    export = tmp_path / "crm.csv"
    good = "".join(f"SG-{i:04d},Alice Tan,Marina Foods,{i % 28 + 1:02d}/08/2026,Closed Won,"
                   f"1000\n" for i in range(25))
    bad = ("SG-9001,Alice Tan,,15/08/2026,Closed Won,900\n"
           "SG-9002,Alice Tan,Marina Foods,31/09/2026,Closed Won,500\n")
    export.write_text(EXPORT.splitlines(keepends=True)[0] + good + bad, encoding="utf-8")
    first = _run("import", export, "--into", book, "--date-order", "dmy")
    assert "imported 25 rows" in first.output, first.output
    again = _run("import", export, "--into", book, "--date-order", "dmy")
    assert again.exit_code == 1, again.output
    assert "missing: Customer" in again.output
    assert "September 2026 has 30 days" in again.output
