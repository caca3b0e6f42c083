"""A region roll-up of two team roll-ups: team 张伟 (its only rep 张伟) and team 东区,
whose rep 张伟 is another person. By names alone the team 张伟 looks like rep 张伟's own
book and figures by rep added the two up; the ranking sheet records the team as a team,
so they stay two people, each with their team's revenue."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils import column_index_from_string

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.package import WorkbookPackage
from xlsales.io.reader import read_workbook
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions, WorkbookData

REP = "张伟"


def _book(path, owner: str, data_of: str) -> None:
    """``owner``'s book holding the sample rows of ``data_of``, every row naming ``owner``."""
    data = sample_members("zh")[data_of]
    tables = {k: (v.assign(rep=owner) if "rep" in v.columns else v)
              for k, v in data.tables.items()}
    build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=owner),
                   WorkbookData(info={**data.info, "owner": owner}, tables=tables,
                                lists={**data.lists, "rep": [owner]},
                                assumptions=data.assumptions, budget_caps=data.budget_caps))


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """The region roll-up and the two teams' revenue (team 张伟's, 东区's 张伟's)."""
    root = tmp_path_factory.mktemp("levels")
    (root / "a").mkdir()
    (root / "b").mkdir()
    _book(root / "a" / f"{REP}.xlsx", REP, "张伟")
    _book(root / "b" / f"{REP}.xlsx", REP, "李娜")
    _book(root / "b" / "陈静.xlsx", "陈静", "陈静")
    runner = CliRunner()
    revenue = {}
    for team, name in (("a", REP), ("b", "东区")):
        made = runner.invoke(main, ["consolidate", str(root / team), "-o",
                                    str(root / f"{team}.xlsx"), "--name", name])
        assert made.exit_code == 0, made.output
        by = json.loads(runner.invoke(main, ["kpis", str(root / f"{team}.xlsx"), "--by", "rep",
                                             "--json"]).stdout)["by"]
        revenue[name] = by[REP]["revenue"]
    out = root / "region.xlsx"
    made = runner.invoke(main, ["consolidate", str(root / "a.xlsx"), str(root / "b.xlsx"),
                                "-o", str(out), "--name", "华东", "--level", "region"])
    assert made.exit_code == 0, made.output
    return out, revenue


def test_a_rollup_whose_level_says_individual_is_no_reps_own_book(region, tmp_path):
    """Team 张伟's roll-up with its basic info's level typed over as 个人: consolidate
    still takes it for a roll-up (its rows name members), so 东区's targets for its 张伟
    do not replace the team's — the region's target is both teams' — and the report
    does not call them one person."""
    out, _ = region
    root = out.parent
    edited = tmp_path / "a.xlsx"
    edited.write_bytes((root / "a.xlsx").read_bytes())
    cell, row = read_workbook(edited).info_cells["level"]
    sheet = read_workbook(edited).layout.table("Info").sheet
    with WorkbookPackage.open(edited) as package:
        assert package.retype_cells(sheet, {row: {column_index_from_string(
            cell.rstrip("0123456789")): "个人"}})
        package.save()
    assert read_workbook(edited).info["level"] == "individual"
    again = tmp_path / "region.xlsx"
    made = CliRunner().invoke(main, ["consolidate", str(edited), str(root / "b.xlsx"),
                                     "-o", str(again), "--name", "华东", "--level", "region"])
    assert made.exit_code == 0, made.output
    assert "本人另有工作簿" not in made.stdout, made.stdout
    whole = json.loads(CliRunner().invoke(main, ["kpis", str(out), "--json"]).stdout)
    now = json.loads(CliRunner().invoke(main, ["kpis", str(again), "--json"]).stdout)
    assert now["kpis"]["target"] == pytest.approx(whole["kpis"]["target"])


def test_a_team_named_like_a_rep_is_not_that_reps_own_book(region):
    """``kpis --by rep``: 张伟（张伟） and 张伟（东区）, each with their own revenue, and the
    note on stderr says why — not one 张伟 with both teams' sales."""
    out, revenue = region
    result = CliRunner().invoke(main, ["kpis", str(out), "--by", "rep", "--json"])
    assert result.exit_code == 0, result.output
    by = json.loads(result.stdout)["by"]
    assert REP not in by, by
    assert by[f"{REP}（{REP}）"]["revenue"] == pytest.approx(revenue[REP])
    assert by[f"{REP}（东区）"]["revenue"] == pytest.approx(revenue["东区"])
    assert "按成员分开列出" in result.stderr


def test_the_export_keeps_the_two_apart(region, tmp_path):
    """The export's kpis_by_rep: one row of 张伟 in each team, with that team's revenue."""
    out, revenue = region
    made = CliRunner().invoke(main, ["export", str(out), "-o", str(tmp_path / "x"),
                                     "--tables", "kpis_by_rep"])
    assert made.exit_code == 0, made.output
    rows = pd.read_csv(tmp_path / "x" / "kpis_by_rep.csv")
    mine = rows[rows["rep"] == REP].set_index("member")["revenue"].to_dict()
    assert mine == pytest.approx(revenue)
