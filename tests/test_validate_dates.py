"""``xlsales validate`` of dates pasted as text from a CRM export: ``10/2/2026`` read in the
order the other date columns of its table prove, and, where nothing decides, an error that
says the date may be either and what to type."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
from conftest import team_options
from test_validate import PERIOD, clean_sales

from xlsales.build.workbook import build_workbook
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData


def _book(path: Path, dates: list[tuple[str, str | None]]) -> Path:
    """An English book whose first sales rows hold ``(date, created)`` as text."""
    rows = clean_sales()
    for row, (when, created) in zip(rows, dates, strict=False):
        row.update(date=when, created=created)
    build_workbook(path, replace(team_options("en"), period=PERIOD),
                   WorkbookData(info={"owner": "T"}, tables={"Sales": pd.DataFrame(rows)}))
    return path


def test_a_tables_date_columns_share_the_order_one_of_them_proves(tmp_path: Path) -> None:
    """Date 10/2/2026 allows both orders; the same table's Created 9/20/2026 proves month
    first: 2 October, an info finding saying why, no error (it was a bad_date error)."""
    book = read_workbook(_book(tmp_path / "b.xlsx", [("10/2/2026", "9/20/2026"),
                                                     ("10/3/2026", None)]))
    findings = [f for f in validate(book) if f.table == "Sales" and f.column == "date"]
    assert not [f for f in findings if f.rule == "bad_date"], findings
    assert [d.isoformat() for d in book.tables["Sales"].frame["date"][:2]] == [
        "2026-10-02", "2026-10-03"]
    said = [f for f in findings if f.rule == "converted"]
    assert [f.value for f in said] == ["10/2/2026", "10/3/2026"]
    assert "another date column of the same export or table can only be month first" in \
        said[0].message_en


def test_where_nothing_says_the_order_the_error_says_the_date_is_ambiguous(
        tmp_path: Path) -> None:
    """10/2/2026 beside 9/2/2026: either order fits every date. The error says it may be
    2 October or 10 February and what to type, in both languages."""
    book = read_workbook(_book(tmp_path / "b.xlsx", [("10/2/2026", "9/2/2026")]))
    bad = [f for f in validate(book) if f.rule == "bad_date" and f.column == "date"]
    assert len(bad) == 1
    assert bad[0].message_en == (
        "'Date' must be a date (e.g. 2026-11-03); '10/2/2026' cannot be read (day or month "
        "first? 10/2/2026 is 2 October or 10 February, and no date beside it says which "
        "order it is written in: type it as 2026-10-02 or 2026-02-10).")
    assert "日月次序不明：10/2/2026 可以是 10 月 2 日，也可以是 2 月 10 日" in bad[0].message_zh


def test_a_chinese_excel_date_time_is_read_and_warned_of_as_other_text_date_times(
        tmp_path: Path) -> None:
    """``2026/10/31 下午 3:30:00`` was a bad_date error; it reads as 31 October, and, text
    the workbook's formulas do not count, gets the warning ``2026-10-31 15:30`` gets."""
    rules = []
    for typed in ("2026/10/31 下午 3:30:00", "2026-10-31 15:30"):
        book = read_workbook(_book(tmp_path / "b.xlsx", [(typed, None)]))
        assert book.tables["Sales"].frame["date"][0].isoformat() == "2026-10-31"
        rules.append(sorted(f.rule for f in validate(book) if f.column == "date"))
    assert rules[0] == rules[1] == ["converted", "values_not_counted"]


def test_a_date_without_its_year_is_hinted_in_the_books_year_saying_so(
        tmp_path: Path) -> None:
    """A book for 2024-Q4 validated in another year: `11月4日` and `Nov 4` are to be
    written 2024-11-04, the year of the book's period (as the import says), not this
    year's; the hint says which year it took."""
    rows = clean_sales()
    rows[0].update(date="11月4日")
    rows[1].update(date="Nov 4")
    path = tmp_path / "b.xlsx"
    build_workbook(path, replace(team_options("zh"), period=Period.parse("2024-Q4")),
                   WorkbookData(info={"owner": "T"}, tables={"Sales": pd.DataFrame(rows)}))
    bad = [f for f in validate(read_workbook(path))
           if f.rule == "bad_date" and f.column == "date"]
    assert [f.value for f in bad] == ["11月4日", "Nov 4"]
    assert bad[0].message_zh.endswith(
        "'11月4日' 无法识别（没有年份：请写上年份，如 2024-11-04，按工作簿周期的年份 2024 年）。")
    assert bad[1].message_en.endswith(
        "(no year: add the year, e.g. 2024-11-04, the year of the workbook's period, "
        "2024).")
