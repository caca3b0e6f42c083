"""Finance export: stable keys, numbers as numbers, ISO dates, formula text neutralised."""

from __future__ import annotations

from datetime import date

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.workbook_data import WorkbookData


@pytest.fixture()
def risky_book(tmp_path):
    """Text a spreadsheet would run as a formula, and a negative number."""
    sales = pd.DataFrame({
        "order_id": ["R1", "R2", "R3"], "date": [date(2026, 10, 2)] * 3,
        "rep": ["A", "A", "B"], "customer": ["=cmd|' /C calc'!A0", "+8613800000000", "@SUM"],
        "stage": ["won", "won", "lost"], "amount": [100.0, 250.0, 80.0],
        "note": ["-10% discount", "ok", None],
    })
    path = tmp_path / "risky.xlsx"
    build_workbook(path, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A", "B"]}))
    return path, sales


def test_csv_rereads_to_the_same_numbers(sample_books, sample_data, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]), str(sample_books["en"]),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")
    assert list(kpis.columns[:6]) == ["source_file", "report_owner", "report_level",
                                      "report_period", "report_start", "report_end"]
    assert list(kpis.columns[6:]) == [k.key for k in SPEC.kpis]
    expected = compute_kpis(sample_data["zh"].tables, Period.parse("2026-10")).kpis
    for _, row in kpis.iterrows():
        assert row["report_period"] == "2026-10" and row["report_start"] == "2026-10-01"
        for key, value in expected.items():
            assert row[key] == pytest.approx(value), key
    by_rep = pd.read_csv(out / "kpis_by_rep.csv", encoding="utf-8-sig")
    assert len(by_rep) == 12 and by_rep["revenue"].sum() == pytest.approx(
        2 * expected["revenue"])
    targets = pd.read_csv(out / "targets.csv", encoding="utf-8-sig")
    assert {"period", "rep", "revenue_target"} <= set(targets.columns)
    assert targets["period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_formula_prefixes_are_neutralised(risky_book, tmp_path):
    path, _ = risky_book
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["export", str(path), "--tables", "sales,kpis", "-o",
                                     str(out)]).exit_code == 0
    sales = pd.read_csv(out / "sales.csv", encoding="utf-8-sig", dtype=str)
    assert list(sales["customer"]) == ["'=cmd|' /C calc'!A0", "'+8613800000000", "'@SUM"]
    assert sales["note"].iloc[0] == "'-10% discount"
    assert pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")["revenue"].iloc[0] == 350


def test_xlsx_export_holds_text_as_text(risky_book, tmp_path):
    path, _ = risky_book
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["export", str(path), "--format", "xlsx", "--tables",
                                     "sales", "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out / "sales.xlsx")["sales"]
    header = [c.value for c in ws[1]]
    customer = ws.cell(2, header.index("customer") + 1)
    assert customer.value == "'=cmd|' /C calc'!A0" and customer.data_type == "s"


def test_unknown_table_is_a_usage_error(risky_book, tmp_path):
    path, _ = risky_book
    result = CliRunner().invoke(main, ["export", str(path), "--tables", "nope", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 2 and "Unknown table" in result.output
