"""``xlsales plan REP.xlsx --target-from TEAM.xlsx``: a rep's plan takes the revenue
target the team's plan gives them (B1: targets decomposed team → reps), from a roll-up
made by ``consolidate`` or a team workbook planned with ``xlsales plan``; and it refuses,
leaving the rep's book as it was, what cannot give that target."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.plan.write import read_version
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions


def _run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def _build(folder: Path, rep: str, lang: str = "zh", owner: str | None = None,
           period: Period = SAMPLE_PERIOD, currency: str | None = None,
           file: str | None = None) -> Path:
    """``rep``'s own workbook of the sample team, its basic info naming ``owner``, in
    ``file`` (by default the owner's name)."""
    data = sample_members(lang, period)[rep]  # type: ignore[arg-type]
    if currency is not None:
        data.info["currency"] = currency
    owner = owner or rep
    data.info["owner"] = owner
    path = folder / f"{file or owner.strip()}.xlsx"
    build_workbook(path, BuildOptions(lang=lang, period=period, owner=owner), data)  # type: ignore[arg-type]
    return path


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The zh sample team's reps' books and their roll-up (with its plan for 2026-11)."""
    folder = tmp_path_factory.mktemp("assigned_members")
    books = {rep: _build(folder, rep) for rep in sample_members("zh")}
    out = folder.parent / "assigned_team.xlsx"
    code, output = _run("consolidate", *books.values(), "-o", out, "--name", "华东")
    assert code == 0, output
    return books, out


def _parts(team_book: Path, version: int = 1) -> pd.DataFrame:
    """The part revenue rows of ``team_book``'s plan (of ``version``)."""
    read = read_workbook(team_book)
    read = read_version(read, version, lambda s: read_workbook(team_book, spec=s))
    rows = read.frame("PlanTargets")
    return rows[rows["scope"].eq("part") & rows["kpi"].eq("revenue")]


def _revenue_total(book: Path) -> pd.Series:
    rows = read_workbook(book).frame("PlanTargets")
    return rows[rows["scope"].eq("total") & rows["kpi"].eq("revenue")].iloc[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_reps_plan_takes_the_target_the_team_plan_gives_them(team, tmp_path):
    books, team_book = team
    rep = shutil.copy(books["张伟"], tmp_path / "张伟.xlsx")
    code, output = _run("plan", rep, "--target-from", team_book)
    assert code == 0, output
    parts = _parts(team_book)
    mine = parts[parts["rep"].eq("张伟")]
    # a month plan: one row per week, 2026-11-W1 … W5, nothing counted twice
    assert list(mine["period_label"]) == [f"2026-11-W{i}" for i in range(1, 6)]
    assert mine["value"].sum() == 299_200  # 71,200 + 71,300 + 71,200 + 71,300 + 14,200
    total = _revenue_total(rep)
    assert total["period_label"] == "2026-11"
    assert total["value"] == 299_200
    assert total["basis"] == "团队计划 assigned_team.xlsx 分给 张伟 的目标"
    assert ("2026-11 计划（张伟）：销售额目标 299,200（团队计划 assigned_team.xlsx 分给 张伟 "
            "的目标）") in output
    # the rep's own weeks add up to the target taken
    rows = read_workbook(rep).frame("PlanTargets")
    weeks = rows[rows["scope"].eq("part") & rows["kpi"].eq("revenue")]
    assert weeks["value"].sum() == 299_200


def test_every_member_gets_exactly_their_part(team, tmp_path):
    books, team_book = team
    parts = _parts(team_book)
    given = 0.0
    for rep in ("李娜", "王芳"):
        book = shutil.copy(books[rep], tmp_path / f"{rep}.xlsx")
        code, output = _run("plan", book, "--target-from", team_book)
        assert code == 0, output
        value = _revenue_total(book)["value"]
        assert value == parts.loc[parts["rep"].eq(rep), "value"].sum()
        given += value
    assert given > 0


def test_names_match_up_to_traditional_characters_spaces_and_case(team, tmp_path):
    from xlsales.person_names import person_key as name_key

    _, team_book = team
    traditional = _build(tmp_path, "陈静", owner="陳 靜")  # 陈静 in Traditional, a space
    code, output = _run("plan", traditional, "--target-from", team_book)
    assert code == 0, output
    parts = _parts(team_book)
    assert _revenue_total(traditional)["value"] == parts.loc[
        parts["rep"].eq("陈静"), "value"].sum()
    assert "分给 陈静 的目标" in output
    assert name_key("alice  CHEN") == name_key("Alice Chen")


def test_a_member_sharing_its_name_is_found_by_its_file(tmp_path):
    """Two members named 张伟: the roll-up names each after its file, and each rep's book
    takes its own part, not the other's."""
    first = _build(tmp_path, "张伟")
    second = _build(tmp_path, "王芳", owner="张伟", file="张伟_北京")
    team_book = tmp_path / "team.xlsx"
    code, output = _run("consolidate", first, second, "-o", team_book)
    assert code == 0, output
    parts = _parts(team_book)
    assert sorted(set(parts["rep"])) == ["张伟 (张伟)", "张伟 (张伟_北京)"]
    code, output = _run("plan", second, "--target-from", team_book)
    assert code == 0, output
    assert _revenue_total(second)["value"] == parts.loc[
        parts["rep"].eq("张伟 (张伟_北京)"), "value"].sum()
    assert "分给 张伟 (张伟_北京) 的目标" in output


def test_a_team_workbook_planned_with_plan_gives_its_reps_their_targets(sample_books,
                                                                        tmp_path):
    team_book = shutil.copy(sample_books["en"], tmp_path / "team.xlsx")
    code, output = _run("plan", team_book, "--target", "2,000,000")
    assert code == 0, output
    rep = _build(tmp_path, "Alice Chen", lang="en", owner="alice chen")
    code, output = _run("plan", rep, "--target-from", team_book)
    assert code == 0, output
    parts = _parts(team_book)
    expected = parts.loc[parts["rep"].eq("Alice Chen"), "value"].sum()
    assert 0 < expected < 2_000_000
    total = _revenue_total(rep)
    assert total["value"] == expected
    assert total["basis"] == "the target team.xlsx's plan gives Alice Chen"


def test_the_latest_plan_version_is_taken_and_named(team, tmp_path):
    books, team_book = team
    versions = shutil.copy(team_book, tmp_path / "team_v.xlsx")
    code, output = _run("plan", versions, "--new-version", "--target", "2000000")
    assert code == 0, output
    rep = shutil.copy(books["张伟"], tmp_path / "张伟.xlsx")
    code, output = _run("plan", rep, "--target-from", versions)
    assert code == 0, output
    v1, v2 = _parts(versions, 1), _parts(versions, 2)
    first, latest = (p.loc[p["rep"].eq("张伟"), "value"].sum() for p in (v1, v2))
    assert first != latest
    total = _revenue_total(rep)
    assert total["value"] == latest
    assert total["basis"] == "团队计划 team_v.xlsx（第 2 版）分给 张伟 的目标"


def test_a_month_row_and_its_weeks_count_once():
    """A person's month row and the weeks inside it (a manager's edit, or a quarter plan
    with weeks added) are one target, the month's; a week of another month counts."""
    from xlsales.plan_assigned import _counted

    rows = pd.DataFrame({
        "target_id": ["T1", "T2", "T3", "T4", "T5"],
        "period": [date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 11), date(2027, 2, 1),
                   date(2027, 3, 1)],
        "period_label": ["2027-01", "2027-01-W1", "2027-01-W2", "2027-02-W1", "2027-03"],
        "value": [100.0, 40.0, 60.0, 30.0, 50.0]})
    kept = _counted(rows, Path("team.xlsx"))
    assert list(kept["target_id"]) == ["T1", "T4", "T5"]
    assert kept["value"].sum() == 180


def test_a_year_label_read_as_a_number_is_the_year():
    """A year plan's label ``2027`` that Excel turned into the number 2027: its row is the
    year's (its months inside it count once), and the plan is for 2027."""
    from xlsales.plan_assigned import _counted, _plan_period

    rows = pd.DataFrame({
        "target_id": ["T1", "T2", "T3"], "period": [None, None, None],
        "period_label": [2027.0, "2027-03", "2027-Q2"], "value": [1000.0, 50.0, 200.0],
        "scope": ["total", "part", "total"]})
    assert list(_counted(rows, Path("team.xlsx"))["target_id"]) == ["T1"]
    assert _plan_period(rows, None) == Period.parse("2027")  # type: ignore[arg-type]


def _refused(book: Path, *args: object) -> str:
    """The error message of ``plan BOOK ARGS``, which must leave BOOK as it was."""
    before = _digest(book)
    code, output = _run("plan", book, *args)
    assert code == 2, output
    assert "Traceback" not in output
    assert _digest(book) == before
    return output


def test_a_team_workbook_without_a_plan_is_refused(team, tmp_path):
    books, _ = team
    no_plan = tmp_path / "no_plan.xlsx"
    code, output = _run("consolidate", *books.values(), "-o", no_plan, "--no-plan")
    assert code == 0, output
    rep = shutil.copy(books["张伟"], tmp_path / "张伟.xlsx")
    output = _refused(rep, "--target-from", no_plan)
    assert "no_plan.xlsx 中没有计划" in output
    assert "xlsales consolidate" in output and "xlsales plan" in output
    assert "no_plan.xlsx holds no plan" in output


def test_a_team_plan_for_another_period_is_refused(team, tmp_path):
    _, team_book = team
    september = _build(tmp_path, "张伟", period=Period.parse("2026-09"))
    output = _refused(september, "--target-from", team_book)
    assert "assigned_team.xlsx 的计划是 2026-11 的" in output
    assert "2026-10 的计划" in output
    assert "assigned_team.xlsx's plan is for 2026-11" in output
    assert "next plan is for 2026-10" in output


def test_an_owner_the_team_plan_does_not_name_is_refused_with_the_names_it_has(team,
                                                                               tmp_path):
    _, team_book = team
    stranger = _build(tmp_path, "张伟", owner="赵六")
    output = _refused(stranger, "--target-from", team_book)
    assert "没有分给 赵六.xlsx 的负责人 “赵六” 的目标" in output
    names = list(sample_members("zh"))
    assert f"它分给：{'、'.join(names)}。" in output
    assert f"it gives targets to: {', '.join(names)}." in output


def test_a_team_plan_in_another_currency_is_refused(team, tmp_path):
    _, team_book = team
    usd = _build(tmp_path, "张伟", currency="USD")
    output = _refused(usd, "--target-from", team_book)
    assert "assigned_team.xlsx 的币种是 CNY，而 张伟.xlsx 的币种是 USD" in output
    assert "assigned_team.xlsx is kept in CNY but 张伟.xlsx in USD" in output


@pytest.mark.parametrize("other", [("--target", "300000"), ("--growth", "10%")])
def test_target_from_with_another_target_is_a_usage_error(team, tmp_path, other):
    books, team_book = team
    rep = shutil.copy(books["张伟"], tmp_path / "张伟.xlsx")
    output = _refused(rep, "--target-from", team_book, *other)
    assert f"--target-from 和 {other[0]} 只能选一个" in output
    assert f"Give either --target-from or {other[0]}, not both" in output
