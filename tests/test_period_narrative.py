"""The draft summary of a year says its growth once: a year's previous period is last
year, so "环比 +2.0%，同比 +2.0%" said the same figure twice."""

from __future__ import annotations

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


@pytest.mark.parametrize("lang,once,twice", [
    ("zh", "同比 ", "环比 "), ("en", "on last year", "on the previous")])
def test_a_years_summary_says_its_growth_once(tmp_path, lang, once, twice):
    book = tmp_path / "year.xlsx"
    year = Period.parse("2026")
    build_workbook(book, BuildOptions(lang=lang, period=year, level="team",
                                      role="manager", owner="T"),
                   yearly(sample_workbook_data(lang, Period.parse("2026-10"))))
    runner = CliRunner()
    result = runner.invoke(main, ["kpis", str(book), "--period", "2026"])
    assert result.exit_code == 0, result.output
    paragraph = result.output.strip().splitlines()[-1]
    assert once in paragraph and twice not in paragraph, paragraph
    # a quarter still says both
    quarter = runner.invoke(main, ["kpis", str(book), "--period", "2026-Q3"]).output
    last = quarter.strip().splitlines()[-1]
    if lang == "zh":
        assert once in last and twice in last, last
    else:  # on the previous quarter and on the same quarter last year
        assert "on the previous quarter" in last and "on the same quarter last year" in last
