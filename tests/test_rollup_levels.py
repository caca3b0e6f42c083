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
        said = "（订单相同，金额等内容不同：本工作簿改正过？）"
    else:
        edit_sales(fixed, order)
        said = "那里另有 1 个：本工作簿已删除？）"
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
        # the other way round: the team rolled up with the correction, the old book beside
        # it — consolidating the team "with this file" would undo the correction
        shutil.copy(fixed, team / fixed.name)
        corrected = tmp_path / "team_东一组_v2.xlsx"
        assert consolidate(team, "-o", corrected, "--name", "东一组")[0] == 0
        old = tmp_path / "old" / reps["张伟"].name
        old.parent.mkdir()
        shutil.copy2(reps["张伟"], old)  # saved before the roll-up was made
        code, output = consolidate(corrected, old, "-o", tmp_path / "r2.xlsx", "--level",
                                   "region")
        assert code == 2, output
        assert "早于 team_东一组_v2.xlsx" in output and "若是，请把本文件移出" in output
        assert "请用本文件重新合并" not in output


def test_what_a_team_left_out_is_said_at_every_level_above(reps, tmp_path):
    """王芳 typed 一百 for an amount and a file in 东二组's folder is cut off: the team
    roll-ups leave them out (exit 2), but the region rolled up from the teams said "2 of 2"
    with exit 0 and the company rolled up from the region too, every ranking sheet saying
    "included" and `validate` finding nothing — the company's revenue short by their
    sales. Each level above says what it lacks, from which roll-up and what to do (exit 2),
    lists it on its ranking sheet, and `validate` and `kpis` on it warn. A copy left out
    of a team (its rows held through the original) is no lack."""
    east1 = team_folder(tmp_path, "东一组", reps, EAST1)
    edit_sales(east1 / reps["王芳"].name, first_order(reps["王芳"])[0], 金额="一百")
    east2 = team_folder(tmp_path, "东二组", reps, EAST2)
    (east2 / "坏文件.xlsx").write_bytes(reps["杨帆"].read_bytes()[:5000])
    shutil.copy(reps["杨帆"], east2 / f"{reps['杨帆'].stem} (1).xlsx")
    books = {n: tmp_path / f"{n}.xlsx" for n in ("team_东一组", "team_东二组", "region_华东",
                                                  "company")}
    code, output = consolidate(east1, "-o", books["team_东一组"], "--name", "东一组")
    assert code == 2 and "未合并 王芳_2026-10.xlsx：有 1 个校验错误" in output, output
    code, output = consolidate(east2, "-o", books["team_东二组"], "--name", "东二组")
    assert code == 2 and "未合并 坏文件.xlsx" in output, output

    code, output = consolidate(books["team_东一组"], books["team_东二组"], "-o",
                               books["region_华东"], "--level", "region", "--name", "华东")
    assert code == 2, output  # the region lacks what its teams left out
    assert "2 个工作簿中合并了 2 个" in output
    assert ("  team_东一组.xlsx 合并时缺少 王芳_2026-10.xlsx（有 1 个校验错误（运行 xlsales "
            "validate " in output)
    assert ("）：本表因此也缺少它的数据。请按原因处理后重新合并 team_东一组.xlsx，再重新合并本表"
            in output)
    assert "  team_东二组.xlsx 合并时缺少 坏文件.xlsx（" in output
    assert "(1).xlsx" not in output.split("2 个工作簿中合并了 2 个")[1]  # a copy: no lack
    ranking = ranking_rows(books["region_华东"])
    assert ranking["team_东一组.xlsx"] == \
        "已合并：它合并时缺少 1 个工作簿的数据（见下方未合并的行）"
    assert ranking["王芳_2026-10.xlsx"].startswith(
        "未合并，本表缺少它的数据（team_东一组.xlsx 合并时未合并它）：有 1 个校验错误")
    assert "坏文件.xlsx" in ranking and f"{reps['杨帆'].stem} (1).xlsx" not in ranking

    code, output = consolidate(books["region_华东"], "-o",
                               books["company"], "--level", "company", "--name", "公司",
                               "--lang", "en")
    assert code == 2, output
    assert ("  region_华东.xlsx was made without 王芳_2026-10.xlsx (left out of "
            "team_东一组.xlsx: 有 1 个校验错误") in output
    assert ("this roll-up lacks its data too. Deal with that and consolidate team_东一组.xlsx "
            "again and the roll-ups above it up to region_华东.xlsx, then this one") in output
    assert "region_华东.xlsx was made without 坏文件.xlsx (left out of team_东二组.xlsx" in output
    assert ranking_rows(books["company"])["王芳_2026-10.xlsx"].startswith(
        "left out, its data missing here (left out of team_东一组.xlsx): ")

    result = CliRunner().invoke(main, ["validate", str(books["company"])])
    assert result.exit_code == 0, result.output  # warnings: the figures are incomplete
    assert ("This roll-up lacks the data of workbook 王芳_2026-10.xlsx (left out of "
            "team_东一组.xlsx: ") in result.output
    assert result.output.count("rollup_incomplete") == 2
    result = CliRunner().invoke(main, ["kpis", str(books["region_华东"])])
    assert result.exit_code == 0
    assert "region_华东.xlsx: 本合并表缺少工作簿 王芳_2026-10.xlsx 的数据" in result.stderr
    # and where finance pulls the figures: export said nothing of it
    result = CliRunner().invoke(main, ["export", str(books["region_华东"]), "-o",
                                       str(tmp_path / "pulled"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert "[export] region_华东.xlsx: 本合并表缺少工作簿 王芳_2026-10.xlsx 的数据" in result.stderr


def ranking_rows(path: Path) -> dict[str, str]:
    """File → status on the ranking sheet of the roll-up at ``path``."""
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if "MemberRanking" in w.tables)
    rows = list(ws[ws.tables["MemberRanking"].ref])
    header = [c.value for c in rows[0]]
    file, status = header.index("文件" if "文件" in header else "File"), \
        header.index("状态" if "状态" in header else "Status")
    return {r[file].value: r[status].value for r in rows[1:]}


def test_one_reps_book_in_two_teams_counts_twice_and_says_so(reps, tmp_path):
    """张伟 sent his book to both managers: each team rolled it up, the region warned of
    orders "counted in each" with exit 0, the company said nothing, and `validate` on the
    company gave duplicate-order errors, so consolidate wrote a book it then refused. One
    rep's order in two members' rows counts twice: the region says so (exit 2), its own
    validation lists those orders as errors naming both members, and the company leaves
    the region out for them (exit 2) — what consolidate writes, it reads the same way."""
    east1 = team_folder(tmp_path, "东一组", reps, EAST1)
    east2 = team_folder(tmp_path, "东二组", reps, (*EAST2, "张伟"))
    books = {n: tmp_path / f"{n}.xlsx" for n in ("team_东一组", "team_东二组", "region_华东")}
    assert consolidate(east1, "-o", books["team_东一组"], "--name", "东一组")[0] == 0
    assert consolidate(east2, "-o", books["team_东二组"], "--name", "东二组")[0] == 0
    orders = read_workbook(reps["张伟"]).frame("Sales")["order_id"]
    n = orders.nunique()
    code, output = consolidate(books["team_东一组"], books["team_东二组"], "-o",
                               books["region_华东"], "--level", "region", "--name", "华东")
    assert code == 2, output
    assert (f"  {n} 个订单被重复计算：销售人员 张伟 的订单同时在 team_东一组.xlsx、"
            "team_东二组.xlsx 中（如 ") in output
    assert "请把它从其中一个成员中移出，重新合并该成员，再重新合并本表" in output
    assert "各自计入" not in output  # not said to be two reps' shared deals
    findings = [f for f in validate_findings(books["region_华东"]) if f.severity.value == "error"]
    assert {f.rule for f in findings} == {"counted_twice"} and len(findings) == n
    assert sorted(f.value for f in findings) == sorted(orders.unique())
    assert "销售人员 张伟 的同一笔订单，却在多个成员的行中（东一组, 东二组；" \
        in findings[0].message_zh

    code, output = consolidate(books["region_华东"], "-o", tmp_path / "company.xlsx",
                               "--level", "company", "--name", "公司")
    assert code == 2, output  # what consolidate wrote, it refuses the same way: no surprise
    assert f"region_华东.xlsx：有 {n} 个校验错误" in output  # alone: nothing to roll up


def validate_findings(path: Path):
    from xlsales.validation import validate

    return validate(read_workbook(path))


def test_members_with_the_same_file_name_are_named_with_their_folder(reps, tmp_path):
    """张伟_2026-10.xlsx in two team folders rolled up at once: "未合并 张伟_2026-10.xlsx：
    它的全部订单也在 张伟_2026-10.xlsx 中" could not be told apart. When file names collide,
    the report and the ranking sheet name the folder too; other files keep their name."""
    team_folder(tmp_path, "东一组", reps, EAST1)
    team_folder(tmp_path, "东二组", reps, (*EAST2, "张伟"))
    out = tmp_path / "region.xlsx"
    code, output = consolidate(tmp_path / "东一组", tmp_path / "东二组", "-o", out,
                               "--level", "region")
    assert code == 0, output  # a copy: counted once
    name = reps["张伟"].name
    assert (f"  未合并 东二组/{name}：它的全部订单也在 东一组/{name} 中（同一负责人 张伟，"
            "是其副本）") in output
    ranking = ranking_rows(out)
    assert ranking[f"东一组/{name}"] == "已合并"
    assert ranking[f"东二组/{name}"].startswith(f"未合并：它的全部订单也在 东一组/{name} 中")
    assert ranking[reps["李娜"].name] == "已合并"
