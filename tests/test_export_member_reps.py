"""``export --tables kpis_by_rep`` of a roll-up: rows keyed by member and rep, so two
teams' reps called 王芳 are two rows a finance analyst can join back to their teams; a
book that is no roll-up keeps its columns."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.export_schema import IDENTITY
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions, WorkbookData

NAMESAKE = "王芳"


def _renamed(data: WorkbookData, rep: str) -> WorkbookData:
    """``data`` of a rep's own book with every row of its rep named ``rep``."""
    tables = {n: (f.assign(rep=rep) if "rep" in f.columns else f)
              for n, f in data.tables.items()}
    if "Problems" in tables:
        tables["Problems"] = tables["Problems"].assign(owner=rep)
    return WorkbookData(info={**data.info, "owner": rep}, tables=tables,
                        lists={**data.lists, "rep": [rep]}, assumptions=data.assumptions,
                        budget_caps=data.budget_caps)


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """Two teams of two reps each, one rep of each team called 王芳, rolled up as teams
    and the teams as a region; each 王芳's own book kept."""
    folder = tmp_path_factory.mktemp("namesakes")
    members = sample_members("zh")
    reps = [r for r in members if r != NAMESAKE][:4]  # the sample has a 王芳 of its own
    runner = CliRunner()
    own, teams = {}, {}
    for team, pair in (("东一组", reps[:2]), ("南二组", reps[2:])):
        paths = []
        for i, rep in enumerate(pair):
            data = _renamed(members[rep], NAMESAKE) if i == 0 else members[rep]
            path = folder / f"{team}_{i}.xlsx"
            build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD,
                                              owner=data.info["owner"]), data)
            paths.append(path)
        own[team] = paths[0]
        teams[team] = folder / f"{team}.xlsx"
        made = runner.invoke(main, ["consolidate", *map(str, paths), "-o", str(teams[team]),
                                    "--name", team, "--no-plan"])
        assert made.exit_code == 0, made.output
    out = folder / "region.xlsx"
    made = runner.invoke(main, ["consolidate", *map(str, teams.values()), "-o", str(out),
                                "--level", "region", "--name", "华东区", "--no-plan"])
    assert made.exit_code == 0, made.output
    return {"region": out, "teams": teams, "own": own, "reps": reps}


def _kpis(path) -> dict:
    result = CliRunner().invoke(main, ["kpis", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["kpis"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_two_teams_namesakes_are_two_rows_named_by_member(region, tmp_path, fmt):
    """Each 王芳 is a row of its own with its team in ``member``, and its figures are
    those of its own workbook (not the two added up)."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(region["region"]), "--format", fmt,
                                       "--tables", "kpis_by_rep", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = (pd.read_parquet(out / "kpis_by_rep.parquet") if fmt == "parquet" else
            pd.read_csv(out / "kpis_by_rep.csv", encoding="utf-8-sig"))
    assert rows.columns[-1] == "member"
    assert not rows.duplicated(["member", "rep"]).any()
    namesakes = rows[rows["rep"] == NAMESAKE].set_index("member")
    assert sorted(namesakes.index) == ["东一组", "南二组"]
    for team, path in region["own"].items():
        own = _kpis(path)
        for key in ("revenue", "target", "attainment", "deals", "customers",
                    "new_customers", "win_rate"):
            expected = own[key]
            got = namesakes.loc[team, key]
            assert (pd.isna(got) if expected is None
                    else got == pytest.approx(expected)), (team, key)
    # every rep's row names its team, and the reps add up to the whole
    assert set(rows["member"]) == {"东一组", "南二组"}
    whole = _kpis(region["region"])
    assert rows["revenue"].sum() == pytest.approx(whole["revenue"])
    # the rows are told apart: no note that figures by rep add two people up
    assert "同名算作一人" not in result.output and "several members" not in result.output


def test_a_rep_book_has_the_same_columns_with_member_empty(region, tmp_path):
    """A rep's book's kpis_by_rep has the same columns as a roll-up's (a finance script
    reads every book alike), its ``member`` empty; beside a roll-up in one pull, only the
    roll-up's rows name a member."""
    own = region["own"]["东一组"]
    expected = [*IDENTITY, "rep", *(k.key for k in SPEC.kpis), "member"]
    result = CliRunner().invoke(main, ["export", str(own), "--tables", "kpis_by_rep", "-o",
                                       str(tmp_path / "own")])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(tmp_path / "own" / "kpis_by_rep.csv", encoding="utf-8-sig")
    assert list(rows.columns) == expected
    assert len(rows) and rows["member"].isna().all()
    both = CliRunner().invoke(main, ["export", str(own), str(region["region"]), "--tables",
                                     "kpis_by_rep", "-o", str(tmp_path / "both")])
    assert both.exit_code == 0, both.output
    rows = pd.read_csv(tmp_path / "both" / "kpis_by_rep.csv", encoding="utf-8-sig")
    assert list(rows.columns) == expected
    mine = rows["source_file"] == own.name
    assert rows.loc[mine, "member"].isna().all() and rows.loc[~mine, "member"].notna().all()
