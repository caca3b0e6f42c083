"""Roll-ups: exact figures for the whole, bad members reported and left out, roll-ups of
roll-ups equal to the direct roll-up."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.workbook_data import BuildOptions, WorkbookData


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The sample team split into one workbook per rep."""
    folder = tmp_path_factory.mktemp("members")
    paths = []
    for rep, member in sample_members("en").items():
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), member)
        paths.append(path)
    return sample_workbook_data("en"), paths


def kpis_of(path):
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis


def test_team_rollup_equals_the_kpis_of_all_rows(team, tmp_path):
    data, paths = team
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o", str(out),
                                       "--name", "Team 1", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "6 of 6 workbooks" in result.output
    whole = compute_kpis(data.tables, SAMPLE_PERIOD).kpis
    assert kpis_of(out) == pytest.approx(whole)
    book = read_workbook(out)
    assert book.info["owner"] == "Team 1" and book.info["level"] == "team"
    assert sorted(book.lists["rep"]) == sorted(data.lists["rep"])
    # problems of all members, ids kept apart; counted by category in the report
    assert len(book.frame("Problems")) == 6 and book.frame("Problems")["problem_id"].is_unique
    assert "problems by category" in result.output
    # every later command works on a roll-up as on any workbook
    assert CliRunner().invoke(main, ["plan", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_bad_members_are_reported_and_left_out(team, tmp_path):
    _, paths = team
    folder = tmp_path / "members"
    folder.mkdir()
    for p in paths[:4]:
        shutil.copy(p, folder / p.name)
    (folder / "corrupt.xlsx").write_bytes(paths[4].read_bytes()[:5000])
    other = WorkbookData(info={"owner": "Late"}, tables={}, lists={"rep": ["Late"]})
    build_workbook(folder / "late.xlsx", BuildOptions(lang="en", period=Period.parse("2026-09"),
                                                      owner="Late"), other)
    out = tmp_path / "partial.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 of 6 workbooks" in result.output
    assert "left out corrupt.xlsx" in result.output and "cut off" in result.output
    assert "left out late.xlsx" in result.output and "2026-09" in result.output
    members = [p.stem for p in paths[:4]]
    assert sorted(read_workbook(out).frame("Sales")["rep"].unique()) == sorted(members)


def test_team_region_company_equals_the_direct_rollup(team, tmp_path):
    _, paths = team
    runner = CliRunner()
    east, south = tmp_path / "east.xlsx", tmp_path / "south.xlsx"
    assert runner.invoke(main, ["consolidate", *map(str, paths[:3]), "-o",
                                str(east)]).exit_code == 0
    assert runner.invoke(main, ["consolidate", *map(str, paths[3:]), "-o",
                                str(south)]).exit_code == 0
    region = tmp_path / "region.xlsx"
    assert runner.invoke(main, ["consolidate", str(east), str(south), "-o", str(region),
                                "--level", "region"]).exit_code == 0
    company = tmp_path / "company.xlsx"
    assert runner.invoke(main, ["consolidate", str(region), "-o", str(company), "--level",
                                "company"]).exit_code == 0
    direct = tmp_path / "direct.xlsx"
    assert runner.invoke(main, ["consolidate", *map(str, paths), "-o", str(direct), "--level",
                                "company"]).exit_code == 0
    assert kpis_of(company) == pytest.approx(kpis_of(direct))
    assert kpis_of(company)["customers"] == kpis_of(direct)["customers"]


def test_nothing_usable_is_an_error(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    result = CliRunner().invoke(main, ["consolidate", str(bad), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and "bad.xlsx" in result.output
