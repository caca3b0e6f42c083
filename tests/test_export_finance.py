"""What a finance analyst pulling the numbers relies on: --tables as she types it, a
note on a book whose currency names no ISO code, the plan targets' KPI keys documented
as the kpis columns they compare with. Books made by `xlsales new`, rows typed into a
copy with openpyxl, as a rep fills one in."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.cli import main


def _typed_book(folder: Path, name: str, currency: str | None = None) -> Path:
    """An English rep's October book from `xlsales new`, two won orders typed into a
    copy of it (and its currency cell, when given)."""
    blank = folder / "blank.xlsx"
    if not blank.exists():
        result = CliRunner().invoke(main, ["new", "--lang", "en", "--period", "2026-10",
                                           "--owner", "John Smith", "-o", str(blank)])
        assert result.exit_code == 0, result.output
    path = folder / name
    shutil.copy(blank, path)
    book = openpyxl.load_workbook(path)
    sales = book["Sales"]
    formulas = [sales.cell(5, c).value for c in range(17, 25)]
    rows = [["INV-1", datetime(2026, 10, 5), "John Smith", "East", "Acme Corp", "New",
             "Standard", 3, 1000.005, 3000.015, "Won", None, None, 3000.015, 1500, None],
            ["INV-2", datetime(2026, 10, 30), "John Smith", "East", "Globex", "Existing",
             "Standard", 1, 9999.99, 9999.99, "Won", None, None, 9999.99, None, None]]
    for i, row in enumerate(rows):
        for c, value in enumerate(row, 1):
            sales.cell(5 + i, c, value)
        for c, formula in enumerate(formulas, 17):
            sales.cell(5 + i, c, formula)
    sales.tables["Sales"].ref = "A4:X6"
    if currency is not None:
        info = book["Info"]
        cell = next(r[2] for r in info.iter_rows(min_row=5) if r[0].value == "currency")
        cell.value = currency
    book.save(path)
    return path


@pytest.fixture()
def typed_book(tmp_path) -> Path:
    return _typed_book(tmp_path, "John Smith_2026-10.xlsx")


def test_tables_are_taken_in_any_case_and_a_typo_names_the_table_meant(typed_book,
                                                                        tmp_path):
    """`--tables KPIS, Sales` exports kpis and sales, as every option's choices are taken
    in any case (the README says so); a typo says which table it likely means and lists
    every one."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(typed_book), "-o", str(out),
                                       "--tables", "KPIS, Sales;kpis"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["export_manifest.json", "kpis.csv",
                                                     "sales.csv"]
    assert pd.read_csv(out / "kpis.csv")["revenue"].tolist() == [13000.005]
    result = CliRunner().invoke(main, ["export", str(typed_book), "-o", str(tmp_path / "x"),
                                       "--tables", "kpi,sales,kpis_rep"])
    assert result.exit_code == 2
    assert "kpi (did you mean kpis?)" in result.output
    assert "kpis_rep (did you mean kpis_by_rep?)" in result.output
    assert "sales (" not in result.output and "kpis_by_quarter" in result.output
    assert not (tmp_path / "x").exists()


def test_a_book_whose_currency_is_no_iso_code_is_named_with_what_to_do(tmp_path,
                                                                       monkeypatch):
    """A book whose currency is typed '¥' (the yuan or the yen) is exported with
    report_currency '¥' as typed: alone, nothing said it was no currency finance can
    use. Stderr names the book, the codes it may stand for and the validate command that
    shows the cell, in the book's language; a book in CNY beside it is not named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "books").mkdir()
    yen = _typed_book(tmp_path / "books", "yen.xlsx", currency="¥")
    cny = _typed_book(tmp_path / "books", "cny.xlsx", currency="RMB")
    for given, lang in (([yen], "en"), ([yen, cny], None)):
        result = CliRunner().invoke(main, ["export", *map(str, given), "-o", "out",
                                           "--tables", "kpis",
                                           *(["--lang", lang] if lang else [])])
        assert result.exit_code == 0, result.output
        kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", keep_default_na=False)
        assert kpis.set_index("source_file")["report_currency"].to_dict() == (
            {"yen.xlsx": "¥"} if lang else {"yen.xlsx": "¥", "cny.xlsx": "CNY"})
        notes = [line for line in result.output.splitlines() if "ISO" in line]
        # one note, in --lang or else in the (English) book's language: not in both
        assert len(notes) == 1, result.output
        assert "币种写作" not in result.output
        assert "note: yen.xlsx names its currency '¥', which is no ISO currency code " \
               "(CNY or JPY?)" in result.output
        assert f"run `xlsales validate {Path('books') / 'yen.xlsx'}`" in result.output
        assert "cny.xlsx names" not in result.output


def test_every_plan_target_kpi_key_says_which_kpis_column_it_compares_with(typed_book,
                                                                            tmp_path):
    """plan_targets' `kpi` is how finance joins plan to actual. Its documented meaning
    said "Same key as on the KPI sheet", while a plan's pipeline target (kpi
    `pipeline`) has no kpis column of that name: the meaning — in the xlsx export's
    `columns` sheet, as in the README — names each key a plan writes that is no kpis
    column, with the kpis column it compares with."""
    planned = tmp_path / "planned.xlsx"
    result = CliRunner().invoke(main, ["plan", str(typed_book), "-o", str(planned)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(planned), "-o", str(out), "--format",
                                       "xlsx", "--tables", "kpis,plan_targets"])
    assert result.exit_code == 0, result.output
    kpi_columns = set(pd.read_excel(out / "kpis.xlsx", sheet_name="kpis",
                                    engine="openpyxl").columns)
    keys = set(pd.read_excel(out / "plan_targets.xlsx", sheet_name="plan_targets",
                             engine="openpyxl")["kpi"])
    meanings = pd.read_excel(out / "plan_targets.xlsx", sheet_name="columns",
                             engine="openpyxl")
    meaning = meanings.set_index("column").loc["kpi"]
    assert "pipeline" in keys and "pipeline" not in kpi_columns
    for key in keys - kpi_columns:
        named = [c for c in kpi_columns
                 if key in meaning["meaning"] and f"kpis' {c}" in meaning["meaning"]]
        assert named, (key, meaning["meaning"])
        assert key in meaning["含义"] and named[0] in meaning["含义"]


def test_an_output_that_is_a_file_is_refused_before_any_book_is_read(typed_book, tmp_path):
    """`-o kpis.csv` (a file, not a folder) is refused at once, naming it: the books were
    all read first (minutes for a company's books), then refused."""
    taken = tmp_path / "kpis.csv"
    taken.write_text("earlier\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(typed_book), "-o", str(taken)])
    assert result.exit_code == 2
    assert f"-o takes a folder, and {taken} is a file" in result.output
    assert "[export] 1/1" not in result.output
    assert taken.read_text(encoding="utf-8") == "earlier\n"
