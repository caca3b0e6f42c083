"""Quarterly and yearly periods at their edges: a quarter or year typed to start
mid-way, a roll-up whose period is edited after it was made, the notes of `kpis
--period`, ties of periods in a roll-up, Chinese spellings of periods, a year's
narrative and the export's plan targets by granularity."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.periods import Period, PeriodType
from xlsales.sample import sample_members
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions

Q3 = Period.parse("2026-Q3")


def member_books(folder: Path, period: Period, lang: str = "en", count: int = 2,
                 start: date | None = None) -> list[Path]:
    """The first ``count`` reps of the sample team, one book each for ``period`` (its
    start typed as ``start`` when given: a quarter from 1 August)."""
    folder.mkdir(parents=True, exist_ok=True)
    typed = Period(start, period.type) if start else period
    paths = []
    for rep, member in list(sample_members(lang, period).items())[:count]:
        path = folder / f"{rep}.xlsx"
        member.info.update(period_type=typed.type.value, period_start=typed.start)
        build_workbook(path, BuildOptions(lang=lang, period=typed, owner=rep), member)
        paths.append(path)
    return paths


@pytest.mark.parametrize("ptype,start,fix", [
    (PeriodType.QUARTER, date(2026, 8, 1), "2026-07-01 (2026-Q3) or 2026-10-01 (2026-Q4)"),
    (PeriodType.YEAR, date(2026, 7, 1), "2026-01-01 (2026) or 2027-01-01 (2027)"),
])
def test_a_quarter_or_year_not_starting_on_its_calendar_start_is_an_error(
        tmp_path, ptype, start, fix):
    """A Q3 book typed to start on 1 August counts August to October yet is labelled
    2026-Q3 like the real ones; validate said nothing. It is an error at the period
    start's cell saying what to type."""
    [book] = member_books(tmp_path, Period(date(2026, 7, 1), ptype), count=1, start=start)
    errors = [f for f in validate(read_workbook(book)) if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["period_start_unaligned"]
    [error] = errors
    assert error.cell is not None and error.column == "period_start"
    assert f"Change the period start to {fix}" in error.message_en
    assert f"counts {Period(start, ptype).span('en')} yet" in error.message_en  # en dash
    assert " ~ " not in error.message_en
    assert "请把周期开始改为" in error.message_zh
    result = CliRunner().invoke(main, ["validate", str(book)])
    assert result.exit_code == 1 and "period_start_unaligned" in result.output


def test_a_quarter_starting_on_its_first_day_is_no_error(tmp_path):
    [book] = member_books(tmp_path, Q3, count=1)
    assert not [f for f in validate(read_workbook(book)) if f.severity is Severity.ERROR]


def test_a_rollup_leaving_out_a_shifted_quarter_names_the_dates(tmp_path):
    """A member whose Q3 starts on 1 August beside real Q3 books was left out with "its
    period 2026-Q3 differs from the roll-up's 2026-Q3": the message names the dates."""
    books = member_books(tmp_path / "q3", Q3)
    [shifted] = member_books(tmp_path / "shifted", Q3, count=1, start=date(2026, 8, 1))
    moved = tmp_path / "shifted" / "Shifted.xlsx"
    shifted.rename(moved)
    result = CliRunner().invoke(main, ["consolidate", *map(str, books), str(moved),
                                       "-o", str(tmp_path / "r.xlsx"), "--no-plan"])
    assert result.exit_code == 2, result.output
    assert ("its period 2026-Q3 (2026-08-01 – 2026-10-31) differs from the roll-up's "
            "2026-Q3 (2026-07-01 – 2026-09-30)") in result.output


def _set_info(path: Path, values: dict[str, object]) -> None:
    """Type ``values`` (field key → value) into the basic-info sheet, as a user would."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Info"] if "Info" in wb.sheetnames else wb["基础信息"]
    for row in ws.iter_rows():
        key = row[0].value
        if key in values:
            row[2].value = values[key]
    wb.save(path)


def test_a_rollup_whose_period_is_edited_says_to_consolidate_again(tmp_path):
    """A Q4 roll-up edited to a year on its basic-info sheet (the obvious shortcut to a
    yearly summary) kept Q4's calculated values: its own KPI sheet counted the year
    wrong (LibreOffice: customers 134 vs 199) and validate said nothing. The roll-up
    records the period its values were computed for, and validate gives an error at the
    period start saying to consolidate again; `kpis` notes the error."""
    books = member_books(tmp_path / "q4", Period.parse("2026-Q4"), count=3)
    rollup = tmp_path / "team.xlsx"
    runner = CliRunner()
    result = runner.invoke(main, ["consolidate", *map(str, books), "-o", str(rollup),
                                  "--no-plan"])
    assert result.exit_code == 0, result.output
    assert not [f for f in validate(read_workbook(rollup)) if f.severity is Severity.ERROR]
    _set_info(rollup, {"period_type": "Year", "period_start": date(2026, 1, 1)})
    book = read_workbook(rollup)
    assert book.period == Period.parse("2026")
    errors = [f for f in validate(book) if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["rollup_period_changed"]
    assert errors[0].cell == book.info_cells["period_start"][0]
    assert "Consolidate the members again for 2026" in errors[0].message_en
    assert "2026-Q4" in errors[0].message_en
    result = runner.invoke(main, ["kpis", str(rollup), "--lang", "en"])
    assert "1 validation error" in result.output
    # set back to the quarter it was made for: no error
    _set_info(rollup, {"period_type": "Quarter", "period_start": date(2026, 10, 1)})
    assert not [f for f in validate(read_workbook(rollup)) if f.severity is Severity.ERROR]


def test_kpis_for_another_period_notes_the_history_of_that_periods_comparisons(tmp_path):
    """A Q3 book whose records start on 2025-08-16: `kpis --period 2026` noted that
    2025-Q3 (the book's own comparison) had 2 of 3 months while the figures compared
    2026 with 2025; `--period 2025-Q4` noted last year though there was none, and not
    the partly recorded previous quarter. The note is of the period asked for."""
    import pandas as pd

    member = next(iter(sample_members("en", Q3).values()))
    sales = member.tables["Sales"]
    member.tables["Sales"] = sales[pd.to_datetime(sales["date"]) >= "2025-08-16"]
    first = pd.to_datetime(member.tables["Sales"]["date"]).min()
    assert first.strftime("%Y-%m") == "2025-08"
    book = tmp_path / "partial.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=Q3, owner="Alice"), member)
    runner = CliRunner()
    own = runner.invoke(main, ["kpis", str(book)]).output
    assert "the same period last year (2025-Q3) has records for 2 of its 3 months" in own
    year = runner.invoke(main, ["kpis", str(book), "--period", "2026"])
    assert year.exit_code == 0, year.output
    assert "2025-Q3" not in year.output
    assert "(2025) has records for 5 of its 12 months" in year.output
    quarter = runner.invoke(main, ["kpis", str(book), "--period", "2025-Q4"]).output
    assert "the previous period (2025-Q3) has records for 2 of its 3 months" in quarter
    assert "year-on-year growth compares" not in quarter


def test_a_quarter_and_a_month_ending_the_same_day_roll_up_as_the_quarter_in_any_order(
        tmp_path):
    """A Q3 book and a September book both end on 2026-09-30: the roll-up kept whichever
    was given first. It is the quarter's (the longer), whatever the order, and the
    message says why."""
    import openpyxl

    [quarter] = member_books(tmp_path / "q3", Q3, count=1)
    [month] = member_books(tmp_path / "sep", Period.parse("2026-09"), count=1)
    month = month.rename(tmp_path / "sep" / "September.xlsx")
    for order in ([quarter, month], [month, quarter]):
        out = tmp_path / "r.xlsx"
        result = CliRunner().invoke(main, ["consolidate", *map(str, order), "-o", str(out),
                                           "--no-plan", "--force", "--lang", "en"])
        assert result.exit_code == 2, result.output
        assert read_workbook(out).period == Q3
        assert ("left out September.xlsx: its period 2026-09 differs from the roll-up's "
                "2026-Q3 (that of most members; on a tie the one ending later, then the "
                "longer)") in result.output
        assert openpyxl.load_workbook(out, read_only=True)  # a workbook, written
