"""A rep's quarter summary from her three month books (``xlsales new --period 2026-Q4
--from OCT --from NOV --from DEC``): the months' rows, targets, problems and lessons in
one quarter book that validates, computes the quarter's KPIs and plans the next quarter."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.errors import UsageError
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.quarter_book import quarter_summary
from xlsales.quarter_command import new_quarter_book
from xlsales.sample import sample_sales
from xlsales.workbook_data import BuildOptions


def _fill_month(path, period: Period) -> None:
    """The month's sales, one problem and one lesson, its reviewed actions done; the
    book then saved by LibreOffice, as the rep's office program leaves it."""
    book = read_workbook(path)
    data = book.to_data()
    rows = sample_sales(book.lang, period, seed=int(period.start.strftime("%Y%m")))
    dates = pd.to_datetime(rows["date"])
    rows = rows[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]
    rows = rows.assign(order_id=[f"N{period.label}-{i}" for i in range(len(rows))])
    data.tables["Sales"] = pd.concat([data.tables["Sales"], rows], ignore_index=True)
    data.tables["Problems"] = pd.DataFrame([{
        "problem_id": "P001", "description": f"{period.label} 回款慢", "category": "回款",
        "controllability": "可控", "severity": "高", "carry_forward": "是",
        "impact_amount": 10000}])
    data.tables["Lessons"] = pd.DataFrame([{
        "lesson_id": "L001", "type": "成功经验", "description": f"{period.label} 老客户复购"}])
    if "ActionReview" in data.tables:
        data.tables["ActionReview"] = data.tables["ActionReview"].assign(status="done")
    build_workbook(path, BuildOptions(lang=book.lang, period=period, level="team",
                                      role="manager", owner=str(book.info["owner"])), data)
    saved = recalculate(path, path.parent / "lo")
    shutil.copy(saved, path)


@pytest.fixture(scope="module")
def months(tmp_path_factory, sample_books):
    """October (the sample), November and December, each started from the one before."""
    work = tmp_path_factory.mktemp("quarter")
    runner = CliRunner()
    paths = []
    for label in ("2026-10", "2026-11", "2026-12"):
        path = work / f"{label}.xlsx"
        if not paths:
            shutil.copy(sample_books["zh"], path)
        else:
            result = runner.invoke(main, ["new", "--from", str(paths[-1]), "-o", str(path)])
            assert result.exit_code == 0, result.output
        _fill_month(path, Period.parse(label))
        assert runner.invoke(main, ["plan", str(path)]).exit_code == 0
        paths.append(path)
    return paths


def test_quarter_book_from_three_month_books(months, tmp_path):
    runner = CliRunner()
    out = tmp_path / "Q4.xlsx"
    lines = new_quarter_book(list(reversed(months)), out)  # any order
    assert "2026-Q4 季度总结" in lines[0]
    quarter = read_workbook(out)
    assert quarter.period == Period.parse("2026-Q4")
    assert runner.invoke(main, ["validate", str(out)]).exit_code == 0
    # the quarter's KPIs are those of its months: as December's book computes 2026-Q4
    december = read_workbook(months[-1])
    q4 = Period.parse("2026-Q4")
    got = compute_kpis({n: t.frame for n, t in quarter.tables.items()}, q4).kpis
    want = compute_kpis({n: t.frame for n, t in december.tables.items()}, q4).kpis
    for key in ("revenue", "target", "deals", "customers", "mom_growth", "yoy_growth"):
        assert got[key] == pytest.approx(want[key]), key
    month_revenue = sum(
        compute_kpis({n: t.frame for n, t in read_workbook(p).tables.items()},
                     read_workbook(p).period).kpis["revenue"] for p in months)
    assert got["revenue"] == pytest.approx(month_revenue)
    # each month's problems and lessons, apart by their month
    problems = quarter.frame("Problems")
    assert list(problems["problem_id"]) == ["2026-10/P001", "2026-11/P001", "2026-12/P001"]
    assert list(quarter.frame("Lessons")["lesson_id"]) == [
        "2026-10/L001", "2026-11/L001", "2026-12/L001"]
    # actions reviewed in November and December: made by October's and November's plans
    review = quarter.frame("ActionReview")
    assert {a.split("/")[0] for a in review["action_id"]} == {"2026-10", "2026-11"}
    assert (review["status"] == "done").all()
    # the quarter book plans the next quarter, and starts it
    assert runner.invoke(main, ["kpis", str(out), "--write"]).exit_code == 0
    planned = runner.invoke(main, ["plan", str(out)])
    assert planned.exit_code == 0, planned.output
    assert set(read_workbook(out).frame("PlanTargets")["period_label"]) >= {"2027-Q1"}
    nxt = tmp_path / "Q1.xlsx"
    started = runner.invoke(main, ["new", "--from", str(out), "-o", str(nxt)])
    assert started.exit_code == 0, started.output
    assert read_workbook(nxt).period == Period.parse("2027-Q1")


def test_quarter_book_needs_its_three_months(months):
    books = [read_workbook(p) for p in months]
    assert quarter_summary(books)[2] == []  # history carried from month to month: no note
    with pytest.raises(UsageError, match="2026-11"):
        quarter_summary([books[0], books[2]])  # November missing
    with pytest.raises(UsageError, match=r"2026-10\.xlsx"):
        quarter_summary([books[0], *books])  # October twice
    with pytest.raises(UsageError, match="2026-12"):
        quarter_summary(books, Period.parse("2027-Q1"))  # months of another quarter


def test_late_orders_imported_into_a_later_month_count(months, tmp_path):
    """October's orders that came with November's CRM export (imported into November's
    book, kept there as history) are the quarter's too, with a note naming them."""
    november = tmp_path / "2026-11.xlsx"
    shutil.copy(months[1], november)
    book = read_workbook(november)
    data = book.to_data()
    sales = data.tables["Sales"]
    late = sales[sales["stage"] == "won"].tail(2).assign(
        date=pd.Timestamp("2026-10-30"), order_id=["LATE-1", "LATE-2"])
    data.tables["Sales"] = pd.concat([sales, late], ignore_index=True)
    build_workbook(november, BuildOptions(lang="zh", period=book.period, level="team",
                                          role="manager", owner=str(book.info["owner"])),
                   data)
    out = tmp_path / "Q4.xlsx"
    lines = new_quarter_book([months[0], november, months[2]], out)
    note = next(line for line in lines if "LATE-1" in line)
    assert "2026-11.xlsx 有 2 个 2026-10 的订单不在 2026-10.xlsx 中" in note
    q4 = Period.parse("2026-Q4")
    got = compute_kpis({n: t.frame for n, t in read_workbook(out).tables.items()}, q4).kpis
    without = compute_kpis({n: t.frame for n, t in read_workbook(months[2]).tables.items()},
                           q4).kpis
    assert got["revenue"] == pytest.approx(without["revenue"] + late["amount"].sum())


def test_new_with_three_month_books_writes_the_quarter_book(months, tmp_path):
    """The command a rep types: ``new --period 2026-Q4 --from`` each month; an option the
    months decide (--owner) is refused, and one month book with --period 2026-Q4 points
    to the three-book form instead of a blank book."""
    out = tmp_path / "Q4.xlsx"
    froms = [arg for p in months for arg in ("--from", str(p))]
    result = CliRunner().invoke(main, ["new", "--period", "2026-Q4", *froms, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2026-Q4 季度总结，由 3 个月度工作簿合成" in result.output
    assert read_workbook(out).period == Period.parse("2026-Q4")
    refused = CliRunner().invoke(main, ["new", *froms, "--owner", "王五",
                                        "-o", str(tmp_path / "other.xlsx")])
    assert refused.exit_code == 2 and "--owner" in refused.output
    assert not (tmp_path / "other.xlsx").exists()
    one = CliRunner().invoke(main, ["new", "--period", "2026-Q4", "--from", str(months[-1]),
                                    "-o", str(tmp_path / "one.xlsx")])
    assert one.exit_code == 2
    assert "--from 第一个月.xlsx --from 第二个月.xlsx --from 第三个月.xlsx" in one.output
