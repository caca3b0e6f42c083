"""Finance exports books kept in two currencies: the tables stack them unconverted, so the
export says on stderr which books are in which currency; --lang says the export's notes
in one language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.workbook_data import WorkbookData

YEAR = Period.parse("2026")


def _book(path: Path, lang: str, currency: str, amounts: list[float]) -> Path:
    """A year's book of won orders of ``amounts`` in ``currency``."""
    sales = pd.DataFrame({
        "order_id": [f"{path.stem}-{i}" for i in range(len(amounts))],
        "date": [date(2026, 3, 1 + i) for i in range(len(amounts))],
        "rep": ["A"] * len(amounts), "customer": ["C1"] * len(amounts),
        "stage": ["won"] * len(amounts), "amount": amounts})
    build_workbook(path, team_options(lang, YEAR), WorkbookData(
        info={"currency": currency}, tables={"Sales": sales}, lists={"rep": ["A"]}))
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export_currency")
    return {"cny_1": _book(folder / "华东.xlsx", "zh", "CNY", [100.0, 200.0]),
            "cny_2": _book(folder / "华南.xlsx", "zh", "人民币", [50.0]),
            "usd": _book(folder / "US.xlsx", "en", "USD", [10.0])}


def test_a_usd_book_among_cny_ones_is_named_not_added_in_silently(books, tmp_path):
    """The finance analyst exporting a year's books sums revenue over kpis.csv: the
    export tells her one book is in USD, which, and to sum by report_currency."""
    result = CliRunner().invoke(main, ["export", *map(str, books.values()), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert ("[export] note: the workbooks exported keep their amounts in 2 currencies "
            "(CNY: 华东.xlsx, 华南.xlsx; USD: US.xlsx); amounts are not converted and cannot "
            "be added up across currencies: sum by the report_currency column"
            ) in result.output
    assert "2 种币种（CNY：华东.xlsx、华南.xlsx；USD：US.xlsx）" in result.output
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")
    assert kpis.groupby("report_currency")["revenue"].sum().to_dict() == {
        "CNY": 350.0, "USD": 10.0}


def test_books_of_one_currency_get_no_currency_note(books, tmp_path):
    """CNY spelt 人民币 in one book is the same currency: nothing to say."""
    result = CliRunner().invoke(main, ["export", str(books["cny_1"]), str(books["cny_2"]),
                                       "-o", str(tmp_path / "out"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert "report_currency" not in result.output and "币种" not in result.output


def test_lang_en_says_the_notes_in_english(books, tmp_path):
    """--lang en: the currency note in English alone, and a Chinese book's own note (its
    validation errors) in English too, for an analyst who reads no Chinese."""
    bad = _book(tmp_path / "错误.xlsx", "zh", "CNY", [100.0, -5000.0])
    result = CliRunner().invoke(main, ["export", str(bad), str(books["usd"]), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis",
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "[export] note: 错误.xlsx has 1 validation error: its rows are exported" in (
        result.output)
    assert "note: the workbooks exported keep their amounts in 2 currencies" in result.output
    assert "币种" not in result.output and "校验错误" not in result.output


def test_lang_en_says_every_line_in_english_alone(books, tmp_path):
    """--lang en: what the export says of a book it left out, of a folder giving no
    workbook and of an earlier export's tables is in English alone (it was Chinese first,
    then English, on every line)."""
    import re
    import shutil

    folder = tmp_path / "books"
    folder.mkdir()
    shutil.copy(books["usd"], folder / "US.xlsx")
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    runner = CliRunner()
    runner.invoke(main, ["export", str(books["usd"]), "-o", str(out), "--tables", "sales"])
    result = runner.invoke(main, ["export", str(folder), str(tmp_path / "empty"), "-o",
                                  str(out), "--tables", "kpis", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "[export] exported 1 of 2 workbooks; 1 cannot be used and was left out:" in (
        result.output)
    assert "[export] these gave no workbook to export:" in result.output
    assert "also holds sales.csv from an earlier export" in result.output
    assert not re.search(r"[\u4e00-\u9fff]", result.output), result.output
