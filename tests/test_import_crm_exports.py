"""``xlsales import`` of exports as Chinese, US and European CRMs give them: dates shown
with their day of the week (钉钉, WPS: ``2026年11月3日 星期二``), a mapping file with a
field misspelt. Real files through the real command."""

from __future__ import annotations

from pathlib import Path

from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.sample import REPS

ZH = ["订单编号", "销售人员", "产品", "金额", "阶段", "成交日期", "客户名称"]


def test_dates_shown_with_their_day_of_the_week_import_and_a_wrong_day_is_said(
        tmp_path: Path) -> None:
    """Chinese CRMs and WPS export a date with its weekday (``2026年11月3日 星期二``,
    ``2026-11-04（周三）``), English ones before it (``Thu, 5 Nov 2026``): each row was
    skipped as an unreadable date. They import as their dates; a day that is not the
    date's (3 November 2026 is a Tuesday, not a Wednesday) is not guessed: the row is
    skipped saying which day the date is."""
    rep = REPS["zh"][0]
    dates = ["2026年11月3日 星期二", "2026-11-04（周三）", "Thu, 5 Nov 2026",
             "2026/11/6 週五 14:30", "2026年11月3日 星期三"]
    export = write_csv(tmp_path / "dd.csv", ZH, [
        [f"D-{i}", rep, "标准版", "1000", "赢单", d, f"客户{i}"] for i, d in enumerate(dates)])
    book = blank_book(tmp_path / "b.xlsx", period="2026-11")
    result = run(export, "--into", book)
    assert result.exit_code == 1, result.output
    assert "导入 4 行，跳过 1 行" in result.stdout
    assert ("第 6 行：无法读取：日期 '2026年11月3日 星期三'（2026-11-03 是星期二，不是星期三："
            "请核对日期）") in result.stdout
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]] == [
        "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]
