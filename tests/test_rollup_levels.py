"""Roll-ups of roll-ups (reps → team → region → company) as a director runs them: what a
level left out is said again one level up, a rep's corrected book beside the team's
roll-up holding its older version is another version (not a copy), one rep's book in two
teams counts twice and says so, and members with the same file name in two folders are
told apart. Small Chinese books (the sample team, one workbook per rep)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.cell import range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions

#: The two teams of the sample's reps.
EAST1 = ("张伟", "李娜", "王芳")
EAST2 = ("刘洋", "陈静", "杨帆")


@pytest.fixture(scope="module")
def reps(tmp_path_factory) -> dict[str, Path]:
    """One Chinese workbook per rep of the sample team, named as the director's are."""
    folder = tmp_path_factory.mktemp("reps")
    paths = {}
    for rep, member in sample_members("zh").items():
        path = folder / f"{rep}_2026-10.xlsx"
        build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), member)
        paths[rep] = path
    assert set(paths) == {*EAST1, *EAST2}
    return paths


def consolidate(*args: object) -> tuple[int, str]:
    """``xlsales consolidate ARGS``: its exit code and what it printed."""
    result = CliRunner().invoke(main, ["consolidate", *map(str, args), "--no-plan"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def team_folder(root: Path, name: str, reps: dict[str, Path], names: tuple[str, ...]) -> Path:
    """A team's folder holding copies of its reps' workbooks."""
    folder = root / name
    folder.mkdir(parents=True)
    for rep in names:
        shutil.copy(reps[rep], folder / reps[rep].name)
    return folder


def edit_sales(path: Path, order: str, **values: object) -> None:
    """Change the sales row of ``order`` in ``path`` (columns by their Chinese headers) as
    a rep does in Excel; a value None deletes the row."""
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if "Sales" in w.tables)
    c1, r1, _, r2 = range_boundaries(ws.tables["Sales"].ref)
    header = [c.value for c in ws[r1]]
    row = next(r for r in range(r1 + 1, r2 + 1) if ws.cell(r, c1).value == order)
    if not values:
        for cell in ws[row]:
            cell.value = None
    for label, value in values.items():
        ws.cell(row, c1 + header.index(label)).value = value
    wb.save(path)


def revenue(path: Path) -> float:
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis["revenue"]


def first_order(path: Path) -> tuple[str, float, float]:
    """The first sales order of ``path``: its id, quantity and unit price."""
    sales = read_workbook(path).frame("Sales")
    row = sales.iloc[0]
    return str(row["order_id"]), float(row["quantity"]), float(row["unit_price"])


@pytest.mark.parametrize("change", ["amount corrected", "order deleted"])
def test_a_corrected_book_beside_the_team_rollup_is_another_version(reps, tmp_path, change):
    """张伟 corrects an amount (or deletes a cancelled order) after his team was rolled
    up, and the director rolls the region up from the team's roll-up and his corrected
    book: it was called a copy of what the team holds and the correction was lost (exit
    0). It is another version of the team's member: left out saying so and what to do,
    exit 2; the book as the team holds it is still a copy (exit 0)."""
    team = team_folder(tmp_path, "东一组", reps, EAST1)
    east1 = tmp_path / "team_东一组.xlsx"
    assert consolidate(team, "-o", east1, "--name", "东一组")[0] == 0
    same = tmp_path / "same" / reps["张伟"].name
    same.parent.mkdir()
    shutil.copy(reps["张伟"], same)
    code, output = consolidate(east1, same, "-o", tmp_path / "r0.xlsx", "--level", "region")
    assert code == 0, output
    assert f"未合并 {same.name}：team_东一组.xlsx 已包含它（成员 张伟 的全部订单）" in output

    fixed = tmp_path / "fixed" / reps["张伟"].name
    fixed.parent.mkdir()
    shutil.copy(reps["张伟"], fixed)
    order, quantity, price = first_order(fixed)
    if change == "amount corrected":
        edit_sales(fixed, order, 数量=quantity + 1, 金额=(quantity + 1) * price)
        said = "订单相同，金额等内容不同（本工作簿改正过？）"
    else:
        edit_sales(fixed, order)
        said = "那里另有 1 个（本工作簿已删除？）"
    out = tmp_path / "region.xlsx"
    code, output = consolidate(east1, fixed, "-o", out, "--level", "region", "--name", "华东")
    assert code == 2, output  # a member left out: the region lacks the correction
    assert (f"未合并 {fixed.name}：team_东一组.xlsx 中的成员 张伟 是本工作簿的另一个版本"
            f"（") in output and said in output
    assert "请用本文件重新合并 team_东一组.xlsx 所在的团队" in output
    assert "已包含它" not in output
    assert revenue(out) == pytest.approx(revenue(east1))  # counted once, not twice
    en = CliRunner().invoke(main, ["consolidate", str(east1), str(fixed), "-o",
                                   str(tmp_path / "region_en.xlsx"), "--lang", "en", "--no-plan"])
    assert en.exit_code == 2
    assert (f"left out {fixed.name}: member 张伟 of team_东一组.xlsx is another version of "
            "this workbook (") in en.output
    if change == "amount corrected":  # beside the region holding it further down
        region = tmp_path / "region_华东.xlsx"
        assert consolidate(east1, "-o", region, "--level", "region")[0] == 0
        code, output = consolidate(region, fixed, "-o", tmp_path / "c.xlsx", "--level",
                                   "company")
        assert code == 2, output
        assert (f"未合并 {fixed.name}：region_华东.xlsx 包含本工作簿的另一个版本（订单相同，金额等"
                "内容不同") in output
        code, output = consolidate(region, same, "-o", tmp_path / "c.xlsx", "--level",
                                   "company", "--force")
        assert code == 0 and f"未合并 {same.name}：region_华东.xlsx 已包含它的全部订单" in output
