"""A value no KPI formula reads — a note, an activity's outcome, an order ID, a unit
price — changes nothing on the KPI sheet however it is typed: validate does not warn
that the KPI sheet miscounts it, and the export counts no such warning in
kpi_sheet_differs (a note typed with a trailing space made finance read that the
book's figures differ from its KPI sheet)."""

from __future__ import annotations

import json
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


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """Spaces typed around notes, an outcome, a next step and one customer (which the KPI
    formulas do read: counted as another customer)."""
    sales = pd.DataFrame({
        "order_id": ["O1 ", "O2", "O3"],
        "date": [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)],
        "rep": ["A"] * 3, "customer": ["X", "Y", "X "], "stage": ["won"] * 3,
        "amount": [100.0, 200.0, 300.0], "note": ["老客户 ", " 转介绍", "正常"]})
    activities = pd.DataFrame({
        "date": [date(2026, 10, 2)], "rep": ["A"], "customer": ["X "], "type": ["visit"],
        "outcome": ["确认需求 "], "next_step": [" 发报价"]})
    path = tmp_path_factory.mktemp("notes") / "notes.xlsx"
    build_workbook(path, team_options("zh", Period.parse("2026-10")), WorkbookData(
        tables={"Sales": sales, "Activities": activities}, lists={"rep": ["A"]}))
    return path


def test_spaces_in_columns_no_formula_reads_are_no_warning(book: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(book), "--json"])
    report = json.loads(result.output[result.output.index("{"):])
    warned = [(f["table"], f["column"]) for f in report["findings"]
              if f["rule"] == "spaces_not_counted"]
    assert warned == [("Sales", "customer")]
    trimmed = {(f["table"], f["column"]) for f in report["findings"]
               if f["rule"] == "converted"}  # still repaired, and said as info
    assert {("Sales", "note"), ("Activities", "outcome"), ("Activities", "next_step"),
            ("Sales", "order_id")} <= trimmed


def test_the_export_counts_only_what_the_kpi_sheet_miscounts(book: Path, tmp_path) -> None:
    result = CliRunner().invoke(main, ["export", str(book), "-o", str(tmp_path / "out"),
                                       "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")
    assert kpis["kpi_sheet_differs"].tolist() == [1]  # the customer 'X ', no note
