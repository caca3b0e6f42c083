"""xlsales.io.package within one session: what a sheet written earlier left (its styles,
the sheets it added) is what the next one sees, and the writing layer loads no more
than it needs (each button click is a fresh Python)."""

from __future__ import annotations

import shutil

import openpyxl

from tests.fresh_python import last_line
from xlsales.io.package import Column, SheetContent, WorkbookPackage
from xlsales.io.sheetcontent import money_format


def _amounts(name: str, unit: str) -> SheetContent:
    return SheetContent(name=name, columns=(Column("Rep"), Column("Amount", kind="money")),
                        rows=[("Ann", 1234.5)], money_unit=unit)


def test_a_sheet_after_the_styles_changed_gets_its_own_formats(tmp_path, sample_books):
    """Sheets written one after the other share the cell formats the first one added;
    once the styles changed otherwise (an amount's currency recoded), the next sheet's
    amounts still show its own currency, not the recoded one."""
    path = tmp_path / "book.xlsx"
    shutil.copy(sample_books["en"], path)
    with WorkbookPackage.open(path) as pkg:
        pkg.put_sheet(_amounts("First", "SGD"))
        pkg.put_sheet(_amounts("Second", "SGD"))  # the first sheet's formats, as they are
        assert pkg.recode_number_format(money_format("SGD"), money_format("EUR"))
        pkg.put_sheet(_amounts("Third", "SGD"))
        pkg.put_sheet(_amounts("Fourth", "USD"))
        pkg.save()
    book = openpyxl.load_workbook(path)
    shown = {name: book[name]["B2"].number_format
             for name in ("First", "Second", "Third", "Fourth")}
    assert shown == {"First": money_format("EUR"), "Second": money_format("EUR"),
                     "Third": money_format("SGD"), "Fourth": money_format("USD")}


def test_sheets_added_in_a_session_are_seen_by_the_next_ones(tmp_path, sample_books):
    """A sheet goes after one added earlier in the same session, and replacing it
    replaces that one: the workbook's layout is read again after every change."""
    path = tmp_path / "book.xlsx"
    shutil.copy(sample_books["en"], path)
    with WorkbookPackage.open(path) as pkg:
        first = pkg.sheet_names[0]
        pkg.put_sheet(_amounts("Added", "SGD"), after=first)
        pkg.put_sheet(_amounts("After it", "SGD"), after="Added")
        pkg.put_sheet(_amounts("Added", "USD"))  # replaced in place
        pkg.save()
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1:3] == ["Added", "After it"]
    assert book.sheetnames.count("Added") == 1
    assert book["Added"]["B2"].number_format == money_format("USD")


def test_writing_a_workbook_loads_no_network_modules():
    """The writing layer (and the plan's writing) does not pull in urllib, http and ssl
    (xml.sax.saxutils did: ~20 ms of every `xlsales plan`)."""
    code = ("import sys; import xlsales.io.package, xlsales.plan.write\n"
            "print(sorted(m for m in ('xml.sax.saxutils', 'urllib.request', 'http.client',"
            " 'ssl') if m in sys.modules))")
    assert last_line(code) == "[]"
