"""A roll-up takes its members' previous actions (the Previous actions sheet each rep
reviewed): every row naming its member, IDs kept apart per member, counted in the report,
and the unfinished ones carried on in the roll-up's plan with their owner."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.rollup_rank import member_column
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions


def _review(rep: str) -> pd.DataFrame:
    """Two actions of ``rep``'s previous plan: one done, one not."""
    end = SAMPLE_PERIOD.end
    return pd.DataFrame({
        "action_id": ["A01", "A02"], "problem_id": ["P01", None],
        "what": [f"Call back {rep}'s key accounts", f"Tidy {rep}'s quote template"],
        "who": [rep, rep], "due": [end, end], "kpi": [None, None], "kpi_target": [None, None],
        "status": ["done", "not_done"], "result": ["12 accounts called", None]})


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    """Two reps' workbooks, each with two reviewed actions of the previous plan."""
    folder = tmp_path_factory.mktemp("review_members")
    paths = []
    for rep, data in list(sample_members("en").items())[:2]:
        data.tables["ActionReview"] = _review(rep)
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), data)
        paths.append(path)
    return paths


def _consolidate(*args: object) -> str:
    result = CliRunner().invoke(main, ["consolidate", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_rollup_keeps_every_members_reviewed_actions(members, tmp_path):
    out = tmp_path / "team.xlsx"
    output = _consolidate(*members, "-o", out, "--name", "East")
    reps = [p.stem for p in members]
    book = read_workbook(out)
    review = book.frame("ActionReview")
    member = member_column(review)
    assert list(review[member]) == [reps[0], reps[0], reps[1], reps[1]]
    # A01 of two members stays two actions; the problem each answered is its member's
    assert list(review["action_id"]) == [f"{r}-{a}" for r in reps for a in ("A01", "A02")]
    assert review["problem_id"].fillna("").tolist() == [
        f"{reps[0]}-P01", "", f"{reps[1]}-P01", ""]
    assert list(review["status"]) == ["done", "not_done"] * 2
    assert not [f for f in validate(book) if f.severity is Severity.ERROR]
    assert ("previous actions: 4 (done 2, not done 2); the plan carries on the 2 unfinished"
            in output)

    actions = book.frame("PlanActions")
    carried = actions[actions["what"].str.startswith("Carry on")]
    assert sorted(carried["who"]) == sorted(reps)
    assert all(f"{r}-A02" in w for r, w in zip(carried["who"], carried["what"], strict=True))


def test_region_of_teams_keeps_the_actions_apart(members, tmp_path):
    east, south = tmp_path / "east.xlsx", tmp_path / "south.xlsx"
    _consolidate(members[0], "-o", east, "--name", "East", "--no-plan")
    _consolidate(members[1], "-o", south, "--name", "South", "--no-plan")
    region = tmp_path / "region.xlsx"
    output = _consolidate(east, south, "-o", region, "--level", "region", "--no-plan")
    review = read_workbook(region).frame("ActionReview")
    reps = [p.stem for p in members]
    assert list(review["action_id"]) == [f"{team}-{rep}-{a}" for team, rep in
                                         (("East", reps[0]), ("South", reps[1]))
                                         for a in ("A01", "A02")]
    assert "previous actions: 4 (done 2, not done 2)" in output
    assert "carries on" not in output  # --no-plan: no plan carries them


def test_a_member_beside_the_rollup_holding_it_counts_once(members, tmp_path):
    """The copy check compares the actions too, their member prefix taken off."""
    team = tmp_path / "team.xlsx"
    _consolidate(*members, "-o", team, "--name", "East", "--no-plan")
    out = tmp_path / "again.xlsx"
    output = _consolidate(team, members[0], "-o", out, "--level", "region", "--no-plan")
    assert f"left out {members[0].name}: team.xlsx holds it already" in output
    assert len(read_workbook(out).frame("ActionReview")) == 4
