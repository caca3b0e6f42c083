"""``xlsales import`` of dates as CRMs and Chinese Excel write them: a US export dated in
the first 12 days of a month (11/1/2026), Excel's date-times (``2026/11/3 下午 2:30:00``,
``3-Nov-26``), a date without its year. Real CSV files through the real command."""

from __future__ import annotations

from pathlib import Path

from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.sample import REPS

SF = ["Opportunity ID", "Opportunity Owner", "Account Name", "Stage", "Amount", "Close Date",
      "Created Date"]
ZH = ["商机编号", "客户名称", "负责人", "结单日期", "商机金额", "商机阶段"]


def _sf_rows(created: list[str]) -> list[list[str]]:
    """Ten Salesforce rows closed on 11/1/2026 … 11/10/2026 (each allows either order)."""
    return [[f"006A{i:03}", REPS["en"][0], f"Acme {i}", "Closed Won", "1000",
             f"11/{i}/2026", made] for i, made in enumerate(created, 1)]


def test_a_us_export_of_the_first_days_of_a_month_reads_in_the_order_its_other_dates_prove(
        tmp_path: Path) -> None:
    """Every Close Date (11/1 … 11/10/2026) allows both orders, and each row was skipped as
    'unreadable'; the export's Created Date 10/16/2026 proves month first, and one export
    is written in one order: all ten import as 1 … 10 November, and the report says how
    they were read."""
    export = write_csv(tmp_path / "sf.csv", SF, _sf_rows([f"10/{15 + i}/2026"
                                                          for i in range(1, 11)]))
    book = blank_book(tmp_path / "b.xlsx", lang="en", period="2026-11")
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert "imported 10 rows, skipped 0" in result.stdout
    assert ("Date (Close Date): read as month/day/year: another date column of the same "
            "export or table can only be month first (its day is over 12); e.g. 11/1/2026 "
            "is 2026-11-01.") in result.stdout
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]] == [f"2026-11-{d:02}" for d in range(1, 11)]


def test_when_nothing_says_the_order_the_row_says_the_date_is_ambiguous_and_how_to_tell(
        tmp_path: Path) -> None:
    """Close Date 11/1/2026, Created Date 10/1/2026: nothing decides. Each row is skipped
    saying the date may be 1 November or 11 January and naming --date-order; no date is
    guessed. With --date-order mdy they import month first, with dmy day first; a
    --date-order the export's dates contradict is refused, nothing written."""
    export = write_csv(tmp_path / "sf.csv", SF, _sf_rows([f"10/{i}/2026"
                                                          for i in range(1, 11)]))
    book = blank_book(tmp_path / "b.xlsx", lang="en", period="2026-11")
    result = run(export, "--into", book)
    assert result.exit_code == 1, result.output
    assert "imported 0 rows, skipped 10" in result.stdout
    assert ("row 2: unreadable: Date '11/1/2026' (day or month first? 11/1/2026 is "
            "1 November or 11 January: add --date-order mdy to the import if the export "
            "writes the month first (as US CRMs do), --date-order dmy if the day first)"
            ) in result.stdout
    zh_book = blank_book(tmp_path / "zh.xlsx", lang="zh", period="2026-11")
    assert ("第 2 行：无法读取：日期 '11/1/2026'（日月次序不明：11/1/2026 可以是 11 月 1 日，"
            "也可以是 1 月 11 日：若导出是月在前（美国 CRM 的写法），请加 --date-order mdy "
            "重新导入；若是日在前，请加 --date-order dmy）") in run(
                export, "--into", zh_book, "--dry-run").stdout

    result = run(export, "--into", book, "--date-order", "mdy")
    assert result.exit_code == 0, result.output
    assert "read as month/day/year, as --date-order mdy says" in result.stdout
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]][:2] == ["2026-11-01", "2026-11-02"]
    assert [d.isoformat() for d in got["created"]][:2] == ["2026-10-01", "2026-10-02"]

    dmy_book = blank_book(tmp_path / "dmy.xlsx", lang="en", period="2026-11")
    assert run(export, "--into", dmy_book, "--date-order", "dmy").exit_code == 0
    assert [d.isoformat() for d in all_sales(dmy_book)["date"]][:2] == [
        "2026-01-11", "2026-02-11"]

    proven = write_csv(tmp_path / "proven.csv", SF, _sf_rows([f"10/{15 + i}/2026"
                                                              for i in range(1, 11)]))
    before = dmy_book.read_bytes()
    result = run(proven, "--into", dmy_book, "--date-order", "dmy")
    assert result.exit_code == 2
    assert ("--date-order dmy does not fit the export: 10/16/2026 in column 'Created Date' "
            "can only be month first. Give --date-order mdy") in result.output
    assert dmy_book.read_bytes() == before


def test_excel_date_times_and_two_digit_years_import_and_a_date_without_a_year_says_so(
        tmp_path: Path) -> None:
    """What Chinese Excel writes of a date-time (``2026/11/3 下午 2:30:00``), English
    Excel's d-mmm-yy (``3-Nov-26``: 26 is 2026, as Excel reads it) and ``26年11月5日`` were
    skipped as unreadable; they import, the time dropped. ``11月4日`` has no year: skipped,
    saying to add it, never given one."""
    dates = ["2026/11/3 下午 2:30:00", "2026/11/3 上午 9:05", "2026-11-03 下午2:30",
             "3-Nov-26", "03-Nov-2026", "3-Nov-2026", "26年11月5日", "11/13/2026 2:30:00 PM",
             "11月4日"]
    rows = [[f"D{i}", f"客户{i}", REPS["zh"][0], d, "1000", "赢单"] for i, d in enumerate(dates)]
    book = blank_book(tmp_path / "b.xlsx", lang="zh", period="2026-11")
    result = run(write_csv(tmp_path / "d.csv", ZH, rows), "--into", book)
    assert result.exit_code == 1, result.output
    assert "导入 8 行，跳过 1 行" in result.stdout
    assert "第 10 行：无法读取：日期 '11月4日'（没有年份：请写上年份，如 " in result.stdout
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]] == ["2026-11-03"] * 6 + ["2026-11-05",
                                                                         "2026-11-13"]
