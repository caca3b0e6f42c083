"""The export's plan targets of a year plan: its `total` rows are the year, its
quarters and its months; without a column saying which, finance summing `value`
counted the year three times."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.sample import sample_workbook_data
from xlsales.workbook_data import BuildOptions, WorkbookData


def yearly(data: WorkbookData) -> WorkbookData:
    """The sample (October 2026 and its history) as a book of the year 2026."""
    data.info.update(period_type="year", period_start=Period.parse("2026").start)
    return data


def test_plan_targets_name_the_level_of_each_rows_period(tmp_path):
    book = tmp_path / "year.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=Period.parse("2026"), level="team",
                                      role="manager", owner="T"),
                   yearly(sample_workbook_data("en", Period.parse("2026-10"))))
    runner = CliRunner()
    result = runner.invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", str(book), "-o", str(out), "--tables",
                                  "plan_targets"])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out / "plan_targets.csv", encoding="utf-8-sig")
    columns = list(rows.columns)
    assert columns.index("granularity") == columns.index("period_label") + 1
    revenue = rows[(rows["kpi"] == "revenue") & (rows["scope"] == "total")]
    assert set(revenue["granularity"]) == {"year", "quarter", "month"}
    year = revenue[revenue["granularity"] == "year"]["value"].sum()
    for level in ("quarter", "month"):  # each level adds up to the year
        assert revenue[revenue["granularity"] == level]["value"].sum() == pytest.approx(year)
    assert revenue["value"].sum() == pytest.approx(3 * year)  # why the column is needed
    assert set(revenue[revenue["granularity"] == "quarter"]["period_label"]) == {
        "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"}


def test_week_labels_are_weeks():
    from xlsales.export_tables import granularity

    assert [granularity(v) for v in ("2027-01-W2", "2027-01", "2027-Q1", 2027.0, "x", None)
            ] == ["week", "month", "quarter", "year", None, None]
