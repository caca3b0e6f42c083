"""Reps who number their own orders (1, 2, 3 … in each rep's book, no CRM): two reps with
as many deals this month have the very same order ids but other rows. Neither is a copy
of the other: a team's roll-up and a finance export keep every rep, and the shared ids
are reported. Small Chinese books built with the package's own builder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period, PeriodType
from xlsales.workbook_data import BuildOptions, WorkbookData

PERIOD = Period(date(2026, 11, 1), PeriodType.MONTH)

#: Each rep's deals of November: customer, amount. Order ids are 1, 2 in every book.
DEALS = {"刘洋": [("宁波港务", 35000.0), ("无锡恒通", 12000.0)],
         "陈静": [("合肥新能", 45000.0), ("上海华联", 20000.0)],
         "杨帆": [("常州天宇", 18000.0), ("上海华联", 9000.0)]}


def _sales(rep: str) -> pd.DataFrame:
    rows = [{"order_id": str(i), "date": pd.Timestamp(2026, 11, 3 + 7 * i), "rep": rep,
             "region": "华东", "customer": customer, "product": "标准版", "quantity": 1.0,
             "unit_price": amount, "amount": amount, "stage": "won"}
            for i, (customer, amount) in enumerate(DEALS[rep], start=1)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def team(tmp_path_factory) -> list[Path]:
    """The three reps' November books, in one team folder."""
    folder = tmp_path_factory.mktemp("东二组")
    paths = []
    for rep in DEALS:
        path = folder / f"{rep}_2026-11.xlsx"
        targets = pd.DataFrame([{"period": pd.Timestamp(2026, 11, 1), "rep": rep,
                                 "revenue_target": 50000.0}])
        build_workbook(path, BuildOptions(lang="zh", period=PERIOD, owner=rep),
                       WorkbookData(tables={"Sales": _sales(rep), "Targets": targets},
                                    lists={"rep": [rep]}))
        paths.append(path)
    return paths


def _revenue(path: Path) -> float:
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis["revenue"]


def test_reps_numbering_their_own_orders_are_all_rolled_up(team, tmp_path):
    """Three reps whose books all hold orders 1 and 2 (other customers, other amounts):
    the roll-up holds the three, its revenue the sum of theirs, and the report names the
    shared ids instead of leaving two reps out as copies of the first."""
    out = tmp_path / "team_东二组.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(team[0].parent), "-o", str(out),
                                       "--name", "东二组", "--no-plan"])
    assert result.exit_code == 0, result.output
    assert "3 个工作簿中合并了 3 个" in result.output, result.output
    assert "未合并" not in result.output and "换了名字" not in result.output
    assert "2 个订单出现在多个成员的工作簿中" in result.output
    # and says what to do when they are different orders numbered alike
    assert "若是编号相同的不同订单" in result.output and "改用不重复的编号" in result.output
    whole = sum(amount for deals in DEALS.values() for _, amount in deals)
    assert _revenue(out) == pytest.approx(whole)


def test_the_export_keeps_every_rep_numbering_their_own_orders(team, tmp_path):
    """The finance export follows the same rule: all three books are exported."""
    result = CliRunner().invoke(main, ["export", str(team[0].parent), "-o",
                                       str(tmp_path / "fin"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(tmp_path / "fin" / "kpis.csv")
    assert sorted(kpis["report_owner"]) == sorted(DEALS)
    assert kpis["revenue"].sum() == pytest.approx(
        sum(amount for deals in DEALS.values() for _, amount in deals))


def test_the_export_says_why_a_book_is_set_aside_in_its_own_words(team, tmp_path):
    """A rep's book beside the team's roll-up holding it: the export sets it aside saying
    it would count twice if counted in too — not 'if merged again', which is consolidate's
    word, not what a finance export does."""
    folder = tmp_path / "for_finance"
    folder.mkdir()
    out = folder / "team_东二组.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, team), "-o", str(out),
                                       "--name", "东二组", "--no-plan"])
    assert result.exit_code == 0, result.output
    shutil.copy(team[0], folder / team[0].name)
    result = CliRunner().invoke(main, ["export", str(folder), "-o", str(tmp_path / "fin"),
                                       "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "未导出" in x)
    assert "再计入会重复计算" in line and "合并会" not in line, line
