"""A manager's book (owner 王芳, the targets of her reps) rolled up beside her reps' own
books: each rep is one person. Figures by rep, the drafted summary and the member ranking
give 张伟 his sales against the target her book sets him — no 张伟（王芳） with a target and
no sales beside a 张伟 with sales and no target — and a month's target both books set
counts once, the manager's, the report naming both values."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import kpi_values, table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.libreoffice import recalculate
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.workbook_data import BuildOptions, WorkbookData

MANAGER = "王芳"
REPS = ("张伟", "李娜", "陈静")
MONTH = SAMPLE_PERIOD.start.strftime("%Y-%m")


def _team(folder, own_targets: bool, logged: int = 0, unbooked: str = "",
          below: float = 1000):
    """The reps' own books (with their own targets, ``below`` the manager's, or none)
    and the manager's (her own sales, ``logged`` of them logged for 张伟, and her reps'
    targets, and those of ``unbooked``, a rep who sent no book), rolled up as a team."""
    folder.mkdir()
    members, team = sample_members("zh"), sample_workbook_data("zh")
    for rep in REPS:
        data = members[rep]
        targets = data.tables["Targets"]
        targets = (targets.assign(revenue_target=targets["revenue_target"] - below)
                   if own_targets else targets.iloc[0:0])
        build_workbook(folder / f"{rep}.xlsx",
                       BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep),
                       WorkbookData(info=data.info,
                                    tables={**data.tables, "Targets": targets},
                                    lists=data.lists, assumptions=data.assumptions,
                                    budget_caps=data.budget_caps))
    targets = team.tables["Targets"]
    targets = targets[targets["rep"].isin(REPS)].reset_index(drop=True)
    if unbooked:
        extra = targets[targets["rep"] == REPS[0]].assign(rep=unbooked, revenue_target=2e5)
        targets = pd.concat([targets, extra], ignore_index=True)
    sales = members[MANAGER].tables["Sales"].copy()
    if logged:
        sales.loc[sales.index[-logged:], "rep"] = REPS[0]
    build_workbook(folder / f"{MANAGER}.xlsx",
                   BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=MANAGER,
                                level="team", role="manager"),
                   WorkbookData(info={**team.info, "owner": MANAGER},
                                tables={"Sales": sales, "Targets": targets},
                                lists={**team.lists,
                                       "rep": [*REPS, MANAGER, *([unbooked] if unbooked else [])]},
                                assumptions=team.assumptions, budget_caps=team.budget_caps))
    out = folder / "team.xlsx"
    made = CliRunner().invoke(main, ["consolidate", *(str(folder / f"{n}.xlsx")
                                                      for n in (*REPS, MANAGER)),
                                     "-o", str(out), "--name", "王芳组"])
    assert made.exit_code == 0, made.output
    return out, made.stdout, targets


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The team whose reps' books hold no targets: the manager's book sets them."""
    return _team(tmp_path_factory.mktemp("own_reps") / "team", own_targets=False)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The team whose reps' books set their own targets too, 1,000 below hers."""
    return _team(tmp_path_factory.mktemp("own_reps") / "both", own_targets=True)


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """The team whose manager logged two deals of her book for 张伟."""
    return _team(tmp_path_factory.mktemp("own_reps") / "logged", own_targets=False, logged=2)


@pytest.fixture(scope="module")
def same(tmp_path_factory):
    """The team whose reps' books set their own targets too, the same as hers."""
    return _team(tmp_path_factory.mktemp("own_reps") / "same", own_targets=True, below=0)


def _by_rep(path) -> tuple[dict, str]:
    result = CliRunner().invoke(main, ["kpis", str(path), "--by", "rep", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def _month_targets(targets) -> dict[str, float]:
    month = targets[targets["period"].map(lambda d: d.strftime("%Y-%m")) == MONTH]
    return month.set_index("rep")["revenue_target"].to_dict()


@pytest.mark.parametrize("which", ["team", "both", "logged"])
def test_each_rep_is_one_person_with_the_managers_target(which, request):
    """张伟 is one group: his own sales against the target his manager's book sets; no
    rep is labelled with 王芳, and the drafted summary's lowest is a real rep."""
    out, _, targets = request.getfixturevalue(which)
    result, stderr = _by_rep(out)
    groups = result["by"]
    assert not [g for g in groups if "（" in g], groups
    assert set(groups) == {*REPS, MANAGER}
    given = _month_targets(targets)
    for rep in REPS:
        assert groups[rep]["target"] == pytest.approx(given[rep])  # once: not summed
        assert groups[rep]["revenue"] > 0
        assert groups[rep]["attainment"] == pytest.approx(groups[rep]["revenue"] / given[rep])
    assert "按成员分开列出" not in stderr
    assert result["kpis"]["target"] == pytest.approx(sum(given.values()))
    low = min(REPS, key=lambda r: groups[r]["attainment"])
    text = CliRunner().invoke(main, ["kpis", str(out), "--by", "rep"]).stdout
    assert f"最低的是 {low}（" in text and f"（{MANAGER}）" not in text


def test_the_ranking_gives_each_rep_the_target_set_for_them(team):
    """On the ranking and in the report each rep's member has the target 王芳's book set
    and its attainment; her row ranks her own sales only and says she set their targets;
    the 'no target' note names her, not her reps."""
    out, report, targets = team
    given = _month_targets(targets)
    rows = table_rows(openpyxl.load_workbook(out), "MemberRanking")
    ranking = {r["成员"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    for rep in REPS:
        assert ranking[rep]["目标"] == pytest.approx(given[rep])
        assert ranking[rep]["目标完成率"] == pytest.approx(ranking[rep]["销售额"] / given[rep])
    assert not ranking[MANAGER]["目标"] and not ranking[MANAGER]["目标完成率"]
    assert "写有 张伟、李娜、陈静 的目标或记录" in (ranking[MANAGER]["状态"] or "")
    assert f"{MANAGER} 的工作簿中写有 张伟、李娜、陈静 的目标或记录" in report
    assert f"注意：{MANAGER} 没有目标" in report
    assert "张伟、李娜、陈静 没有目标" not in report


def test_a_target_both_books_set_counts_once_and_is_named(both):
    """A month's target in the rep's own book and in the manager's is counted once, the
    manager's, and the report names both values."""
    _, report, targets = both
    given = _month_targets(targets)
    for rep in REPS:
        assert (f"{rep} 有" in report and f"{MONTH}：王芳 设定 {given[rep]:,.0f}，{rep} 自己写的 "
                f"{given[rep] - 1000:,.0f}" in report), report
    assert f"目标 {sum(given.values()):,.0f}，" in report


def test_a_target_both_books_set_alike_is_named_once_a_rep(same):
    """The same target in the rep's own book and the manager's: counted once, and the
    report says so, one line per rep listing the months — not silently dropped."""
    _, report, targets = same
    given = _month_targets(targets)
    months = sorted({d.strftime("%Y-%m") for d in targets["period"]})
    assert len(months) > 2  # consecutive months, said as a range
    for rep in REPS:
        line = (f"{rep} 的目标在 {MANAGER} 和 {rep} 自己的工作簿中都有"
                f"（{months[0]} ~ {months[-1]}），数值相同：只计一次")
        assert report.count(line) == 1, report
    assert "自己的工作簿中不同" not in report
    assert f"目标 {sum(given.values()):,.0f}，" in report


def test_the_export_gives_each_rep_one_row_with_the_target(team, tmp_path):
    """The export's kpis_by_rep: one row per rep, in the rep's own member, with the target
    王芳's book sets — not a 张伟 of 王芳 with the target beside 张伟 with the sales."""
    out, _, targets = team
    made = CliRunner().invoke(main, ["export", str(out), "-o", str(tmp_path / "x"),
                                     "--tables", "kpis_by_rep"])
    assert made.exit_code == 0, made.output
    rows = pd.read_csv(tmp_path / "x" / "kpis_by_rep.csv")
    assert sorted(rows["rep"]) == sorted([*REPS, MANAGER])
    given = _month_targets(targets)
    for rep in REPS:
        row = rows[rows["rep"] == rep].iloc[0]
        assert row["member"] == rep and row["revenue"] > 0
        assert row["target"] == pytest.approx(given[rep])


def test_a_deal_the_manager_logged_for_a_rep_counts_for_the_rep(logged):
    """Two deals 王芳's book logs for 张伟: the ranking counts them in 张伟's row, as
    figures by rep do, her row keeps her own sales; the whole stays the sum."""
    out, report, _ = logged
    groups = _by_rep(out)[0]["by"]
    rows = table_rows(openpyxl.load_workbook(out), "MemberRanking")
    ranking = {r["成员"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    for name in (*REPS, MANAGER):
        assert ranking[name]["销售额"] == pytest.approx(groups[name]["revenue"]), name
        assert (ranking[name]["目标完成率"] or None) == pytest.approx(
            groups[name]["attainment"]), name
    assert sum(ranking[n]["销售额"] for n in ranking if n in groups) == pytest.approx(
        sum(g["revenue"] for g in groups.values()))
    assert "不按成员分开" in report and "按成员分开列出" not in report


def test_the_workbooks_own_kpi_sheet_counts_a_target_once(both, tmp_path):
    """LibreOffice's recalculated KPI sheet of the roll-up gives the team the manager's
    targets, not those added to the reps' own: the roll-up holds one target a month."""
    require_libreoffice()
    out, _, targets = both
    wb = openpyxl.load_workbook(recalculate(out, tmp_path), data_only=True)
    assert kpi_values(wb)["target"] == pytest.approx(sum(_month_targets(targets).values()))


def test_targets_of_a_rep_without_a_book_are_named(tmp_path):
    """林志明 sent no book: the targets 王芳's book sets him stay in her row, and the
    report and her ranking status say so (her attainment is not her own alone)."""
    out, report, _ = _team(tmp_path / "unbooked", own_targets=False, unbooked="林志明")
    assert f"{MANAGER} 的工作簿中还有 林志明 的目标，但本人没有工作簿" in report
    rows = table_rows(openpyxl.load_workbook(out), "MemberRanking")
    ranking = {r["成员"]: r for r in (dict(zip(rows[0], row, strict=True)) for row in rows[1:])}
    assert "目标含 林志明 的" in ranking[MANAGER]["状态"]
    assert ranking[MANAGER]["目标"] == pytest.approx(2e5)
