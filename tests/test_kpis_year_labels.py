"""On a year's workbook, the previous period is last year: the KPI sheet, the KPI report
and ``kpis`` say so of growth on the previous period (环比增长（上年） / "Growth vs previous
period (last year)") and of the previous period's figures, while keys, Table names and
column keys stay as they are; a month's and a quarter's labels are unchanged."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from sheet_values import table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions

YEAR_GROWTH = {"zh": "环比增长（上年）", "en": "Growth vs previous period (last year)"}
GROWTH = {"zh": "环比增长", "en": "Growth vs previous period"}


def names_on_kpi_sheet(path) -> dict[str, object]:
    """KPI key → its name on the KPI sheet (the KPIs Table's second column)."""
    rows = table_rows(openpyxl.load_workbook(path), "KPIs")
    assert rows[0][0] in ("代码", "Key")
    return {r[0]: r[1] for r in rows[1:]}


@pytest.fixture(scope="module")
def blank_books(tmp_path_factory):
    """Blank books of a year and of a month, in Chinese and in English."""
    folder = tmp_path_factory.mktemp("labels")
    books = {}
    for period in ("2026", "2026-10"):
        for lang in ("zh", "en"):
            books[period, lang] = folder / f"{period}_{lang}.xlsx"
            build_workbook(books[period, lang],
                           BuildOptions(lang=lang, period=Period.parse(period)))
    return books


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_year_books_kpi_sheet_says_its_growth_is_on_last_year(blank_books, lang):
    year = names_on_kpi_sheet(blank_books["2026", lang])
    month = names_on_kpi_sheet(blank_books["2026-10", lang])
    assert list(year) == list(month) == [k.key for k in SPEC.kpis]  # keys unchanged
    assert year["mom_growth"] == YEAR_GROWTH[lang] and month["mom_growth"] == GROWTH[lang]
    assert year["revenue_previous"].endswith(("（上年）", "(last year)"))
    assert year["yoy_growth"] == month["yoy_growth"] == SPEC.kpi("yoy_growth").label.get(lang)
    assert year["revenue"] == month["revenue"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kpi_report_of_a_year_says_growth_on_last_year(sample_books, tmp_path, lang):
    book = tmp_path / sample_books[lang].name
    shutil.copy(sample_books[lang], book)
    out = CliRunner().invoke(main, ["kpis", str(book), "--period", "2026", "--write"])
    assert out.exit_code == 0, out.output
    growth = next(line for line in out.stdout.splitlines() if line.endswith(" mom_growth"))
    assert growth.strip().startswith(YEAR_GROWTH[lang])
    wb = openpyxl.load_workbook(book, data_only=True)
    values = {r[0]: r[1] for r in table_rows(wb, "KpiReportValues")[1:]}
    assert values["mom_growth"] == YEAR_GROWTH[lang]
    assert values["yoy_growth"] == SPEC.kpi("yoy_growth").label.get(lang)
    ranking = table_rows(wb, "KpiReportReps")[0]  # the Table and its other headers as ever
    assert YEAR_GROWTH[lang] in ranking and GROWTH[lang] not in ranking


def test_a_months_kpi_report_keeps_its_labels(sample_books, tmp_path):
    book = tmp_path / sample_books["zh"].name
    shutil.copy(sample_books["zh"], book)
    assert CliRunner().invoke(main, ["kpis", str(book), "--write"]).exit_code == 0
    wb = openpyxl.load_workbook(book, data_only=True)
    assert GROWTH["zh"] in table_rows(wb, "KpiReportReps")[0]
    assert {r[0]: r[1] for r in table_rows(wb, "KpiReportValues")[1:]}["mom_growth"] == "环比增长"
