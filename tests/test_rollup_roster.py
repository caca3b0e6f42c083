"""A roll-up knows who left: the members' rep lists' Joined on / Left on dates carried
into the roll-up's own rep list (so its plan, `plan ROLLUP`, `new --from`, validation and
a roll-up of it see them), its plan giving no target to a member who is a rep that left,
nor a share of a leaver's figures to their team; books giving one rep different dates
are named in the report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.roster import Tenure
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions

LEAVER, LEFT = "杨帆", date(2026, 10, 15)  # left mid-October, the sample's period


def _run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _members(folder: Path, dates: dict[str, dict[str, tuple[date | None, date | None]]],
             weights: dict[str, float] | None = None) -> dict[str, Path]:
    """The sample team, one book per rep (the demo's members), each book's rep list
    with the (joined, left) ``dates`` its owner's entry in ``dates`` gives (and its
    owner's split weight in ``weights``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for rep, data in sample_members("zh").items():
        listed = dates.get(rep, {})
        reps = [rep, *(r for r in listed if r != rep)]
        data.lists["rep"] = reps
        data.tables["ListRep"] = pd.DataFrame({
            "value": reps, "joined": [listed.get(r, (None, None))[0] for r in reps],
            "left": [listed.get(r, (None, None))[1] for r in reps]})
        if weights is not None:
            data.tables["ListRep"]["weight"] = [weights.get(r) for r in reps]
        paths[rep] = folder / f"{rep}_2026-10.xlsx"
        build_workbook(paths[rep], BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep),
                       data)
    return paths


def _revenue(book: Path) -> float:
    return float(json.loads(_run("kpis", book, "--json"))["kpis"]["revenue"])


def _revenue_parts(book: Path) -> pd.DataFrame:
    targets = read_workbook(book).frame("PlanTargets")
    return targets[targets["kpi"].eq("revenue") & targets["scope"].eq("part")]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The team rolled up twice: everyone on it, and 杨帆's own book saying he left."""
    root = tmp_path_factory.mktemp("rollroster")
    _members(root / "stay", {})
    gone = _members(root / "gone", {LEAVER: {LEAVER: (None, LEFT)}})
    out = {"stay": root / "stay.xlsx", "gone": root / "gone.xlsx"}
    out["stay_report"] = _run("consolidate", root / "stay", "-o", out["stay"])
    out["gone_report"] = _run("consolidate", root / "gone", "-o", out["gone"])
    out["members"] = gone
    out["root"] = root
    return out


def test_the_rollups_plan_gives_a_member_who_left_no_target(books):
    assert f"{LEAVER} 离职（2026-10-15），其目标已分给其他人" in books["gone_report"]
    assert "分到 5 个成员" in books["gone_report"]
    before, after = _revenue_parts(books["stay"]), _revenue_parts(books["gone"])
    assert LEAVER in set(before["rep"]) and LEAVER not in set(after["rep"])
    assert after["value"].sum() == before["value"].sum()  # the team's target unchanged
    own = before[before["rep"].ne(LEAVER)].groupby("rep")["value"].sum()
    now = after.groupby("rep")["value"].sum()
    assert (now > own).all()
    assert ((now / now.sum()) - own / own.sum()).abs().max() < 0.001


def test_the_rollups_rep_list_carries_the_dates_for_plan_new_from_and_validate(books,
                                                                              tmp_path):
    rollup = books["gone"]
    listed = read_workbook(rollup).frame("ListRep").set_index("value")
    assert listed.loc[LEAVER, "left"] == LEFT
    # xlsales plan of the written roll-up: the same plan
    planned = tmp_path / "planned.xlsx"
    output = _run("plan", rollup, "-o", planned)
    assert f"{LEAVER} 离职（2026-10-15），其目标已分给其他人" in output
    assert LEAVER not in set(_revenue_parts(planned)["rep"])
    # validation of the roll-up flags his sales after he left, as his own book's does
    own = {(f.rule, f.value) for f in validate(read_workbook(books["members"][LEAVER]))
           if f.rule == "after_rep_left"}
    found = [f for f in validate(read_workbook(rollup)) if f.rule == "after_rep_left"]
    assert own and {(f.rule, f.value) for f in found} == own
    # new --from the roll-up keeps him on its rep list, marked left
    new = tmp_path / "next.xlsx"
    _run("new", "--from", rollup, "-o", new)
    assert read_workbook(new).frame("ListRep").set_index("value").loc[LEAVER, "left"] == LEFT


def test_a_region_leaves_a_teams_leaver_out_of_its_share(books, tmp_path):
    """Team → region: the region's rep list keeps the leaving date its team roll-up
    carries, and the team's share of the region's target leaves his figures out."""
    members = books["members"]
    east = [p for r, p in members.items() if r in (LEAVER, "李娜", "张伟")]
    south = [p for p in members.values() if p not in east]
    teams = {"东区": tmp_path / "east.xlsx", "南区": tmp_path / "south.xlsx"}
    for (name, path), paths in zip(teams.items(), (east, south), strict=True):
        _run("consolidate", *paths, "-o", path, "--name", name, "--no-plan")
    region = tmp_path / "region.xlsx"
    output = _run("consolidate", *teams.values(), "-o", region, "--level", "region",
                  "--name", "华东大区")
    assert f"{LEAVER} 离职（2026-10-15），其目标已分给其他人" in output
    listed = read_workbook(region).frame("ListRep").set_index("value")
    assert listed.loc[LEAVER, "left"] == LEFT
    revenue = {name: _revenue(path) for name, path in teams.items()}
    his = _revenue(members[LEAVER])
    assert his > 0
    parts = _revenue_parts(region).groupby("rep")["value"].sum()
    share = parts["东区"] / parts.sum()
    expected = (revenue["东区"] - his) / (sum(revenue.values()) - his)
    assert share == pytest.approx(expected, abs=0.002)
    assert share < revenue["东区"] / sum(revenue.values()) - 0.01


def test_books_giving_a_rep_different_dates_are_named_and_the_latest_leaving_taken(books,
                                                                                  tmp_path):
    members = _members(tmp_path / "m", {LEAVER: {LEAVER: (None, LEFT)},
                                        "李娜": {LEAVER: (None, date(2026, 10, 20))}})
    out = tmp_path / "roll.xlsx"
    output = _run("consolidate", *members.values(), "-o", out)
    line = next(ln for ln in output.splitlines() if f"成员的工作簿中 {LEAVER} 的" in ln)
    assert "杨帆：离职 2026-10-15" in line and "李娜：离职 2026-10-20" in line
    assert "合并表取最早的入职日期和最晚的离职日期（离职 2026-10-20）" in line
    listed = read_workbook(out).frame("ListRep").set_index("value")
    assert listed.loc[LEAVER, "left"] == date(2026, 10, 20)


def test_a_rep_who_moved_between_members_is_on_the_whole_throughout():
    """Left one team on 15 October, joined the other on the 16th: on the region's team."""
    from xlsales.rollup_roster import merged_roster

    frame = pd.DataFrame  # the rep lists as read
    merged, conflicts = merged_roster([
        ("东区", frame({"value": [LEAVER], "joined": [None], "left": [pd.Timestamp(LEFT)]})),
        ("南区", frame({"value": [LEAVER], "joined": [pd.Timestamp("2026-10-16")],
                        "left": [None]})),
        ("北区", frame({"value": [LEAVER], "joined": [None], "left": [None]}))])
    assert merged == {LEAVER: Tenure(None, None)}
    assert [m for m, _ in conflicts[LEAVER]] == ["东区", "南区"]  # 北区 says nothing
    from xlsales.rollup_roster import conflict_notes

    assert conflict_notes(conflicts, merged, "en") == [
        f"  note: the members' workbooks give {LEAVER} different dates (东区: left 2026-10-15; "
        "南区: joined 2026-10-16): the roll-up takes the earliest joining and the latest "
        "leaving date (on the team throughout); make them agree in the members' workbooks "
        "and consolidate again"]


def test_a_member_leaving_during_the_next_period_gets_targets_up_to_that_day(tmp_path):
    """杨帆's own book: he leaves on 15 November, in the plan's month."""
    _members(tmp_path / "m", {LEAVER: {LEAVER: (None, date(2026, 11, 15))}})
    out = tmp_path / "roll.xlsx"
    output = _run("consolidate", tmp_path / "m", "-o", out)
    assert f"{LEAVER} 离职（2026-11-15）：目标只分到离职日（按天折算）" in output
    parts = _revenue_parts(out)
    his = parts[parts["rep"].eq(LEAVER)]
    starts = pd.to_datetime(his["period"])
    assert (his.loc[starts > pd.Timestamp("2026-11-15"), "value"] == 0).all()
    assert (his.loc[starts <= pd.Timestamp("2026-11-09"), "value"] > 0).all()
    weeks = parts.groupby("period")["value"].sum()  # the others cover his weeks
    assert weeks.nunique() <= 3 and (weeks > 0).all()


def test_split_by_weights_leaves_a_leavers_weight_out_of_their_teams(tmp_path):
    """East: 杨帆 (weight 5, left), 李娜 and 张伟 (1 each); South: the others (1 each)."""
    weights = {r: 5.0 if r == LEAVER else 1.0 for r in sample_members("zh")}
    members = _members(tmp_path / "m", {LEAVER: {LEAVER: (None, LEFT)}}, weights)
    east = [p for r, p in members.items() if r in (LEAVER, "李娜", "张伟")]
    south = [p for p in members.values() if p not in east]
    teams = [tmp_path / "east.xlsx", tmp_path / "south.xlsx"]
    for name, path, paths in (("东区", teams[0], east), ("南区", teams[1], south)):
        _run("consolidate", *paths, "-o", path, "--name", name, "--no-plan")
    region = tmp_path / "region.xlsx"
    _run("consolidate", *teams, "-o", region, "--level", "region", "--name", "华东大区",
         "--no-plan")
    _run("plan", region, "--split", "weights")
    parts = _revenue_parts(region).groupby("rep")["value"].sum()
    assert parts["东区"] / parts.sum() == pytest.approx(2 / 5, abs=0.001)  # not 7 / 10
