"""KPIs by member of a roll-up (``kpis ROLLUP --by member``): each member's figures are
those of its own workbook — a team's reps' books, a region's teams' roll-ups — and a
workbook that is not a roll-up is told to use ``--by rep`` or to consolidate first."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions

#: The KPIs a manager compares members by (every KPI is compared besides).
HEADLINE = ("revenue", "target", "attainment", "customers", "win_rate", "new_customers")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The sample team split into one workbook per rep, rolled up with the CLI as a team
    (all six) and as two teams (East: the first three reps, South: the others) rolled up
    again as a region."""
    folder = tmp_path_factory.mktemp("member")
    reps = {}
    for rep, member in sample_members("en").items():
        reps[rep] = folder / f"{rep}.xlsx"
        build_workbook(reps[rep], BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep),
                       member)
    runner = CliRunner()
    paths = list(reps.values())
    teams = {"East": folder / "east.xlsx", "South": folder / "south.xlsx"}
    for (name, out), members in zip(teams.items(), (paths[:3], paths[3:]), strict=True):
        made = runner.invoke(main, ["consolidate", *map(str, members), "-o", str(out),
                                    "--name", name, "--no-plan"])
        assert made.exit_code == 0, made.output
    team, region = folder / "team.xlsx", folder / "region.xlsx"
    made = runner.invoke(main, ["consolidate", *map(str, paths), "-o", str(team),
                                "--name", "Team", "--no-plan"])
    assert made.exit_code == 0, made.output
    made = runner.invoke(main, ["consolidate", *map(str, teams.values()), "-o", str(region),
                                "--level", "region", "--name", "Region", "--no-plan"])
    assert made.exit_code == 0, made.output
    return {"reps": reps, "teams": teams, "team": team, "region": region}


def kpis_json(*args: str) -> dict:
    out = CliRunner().invoke(main, ["kpis", *args, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def assert_own_books(rollup, members) -> None:
    """Each member's group of ``kpis ROLLUP --by member --json`` equals ``kpis --json``
    of the member's own workbook: every KPI, ratios, distinct and new customers included."""
    groups = kpis_json(str(rollup), "--by", "member")["by"]
    assert sorted(groups) == sorted(members)
    for member, path in members.items():
        own = kpis_json(str(path))["kpis"]
        assert own["revenue"] and own["target"]  # a member with figures to compare
        for key in (*HEADLINE, *own):
            expected = own[key]
            if expected is None:
                assert groups[member][key] is None, (member, key)
            else:
                assert groups[member][key] == pytest.approx(expected, rel=1e-9, abs=1e-6), \
                    (member, key)


def test_a_teams_members_are_its_reps_books(books):
    """A customer another rep won before is new to this rep's own book, and so in its
    group (the team's history would make it existing)."""
    assert_own_books(books["team"], books["reps"])


def test_a_regions_members_are_its_teams_roll_ups(books):
    assert_own_books(books["region"], books["teams"])


def test_by_member_in_text_names_the_member_column(books):
    out = CliRunner().invoke(main, ["kpis", str(books["region"]), "--by", "member"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Member "))
    assert {lines[head + 1].split()[0], lines[head + 2].split()[0]} == {"East", "South"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_by_member_in_text_says_who_led_and_who_trailed(books, lang):
    """After the members' table, the summary names the member of the highest and the one
    of the lowest attainment, as it does of the reps by rep."""
    groups = kpis_json(str(books["team"]), "--by", "member")["by"]
    ranked = sorted(groups, key=lambda m: groups[m]["attainment"])
    low, high = ranked[0], ranked[-1]
    out = CliRunner().invoke(main, ["kpis", str(books["team"]), "--by", "member",
                                    "--lang", lang])
    assert out.exit_code == 0, out.output
    last = out.stdout.strip().splitlines()[-1]
    pct = {m: f"{groups[m]['attainment']:.1%}" for m in (low, high)}
    said = (f"完成率最高的是 {high}（{pct[high]}），最低的是 {low}（{pct[low]}）。" if lang == "zh"
            else f"Highest attainment: {high} ({pct[high]}); lowest: {low} ({pct[low]}).")
    assert last.endswith(said), last


def test_by_member_on_a_book_that_is_not_a_roll_up_is_a_usage_error(books):
    rep = next(iter(books["reps"].values()))
    for args in (["--by", "member"], ["--by", "member", "--json"]):
        out = CliRunner().invoke(main, ["kpis", str(rep), *args])
        assert out.exit_code == 2, out.output
        assert "xlsales consolidate" in out.stderr and "--by rep" in out.stderr
        assert "Traceback" not in out.output and out.stdout == ""


def test_export_kpis_by_member_gives_finance_each_members_own_figures(books, tmp_path):
    """``export --tables kpis_by_member``: a row per member of a roll-up, its figures
    those of the member's own workbook; a rep's own book gives no rows, with the same
    columns (a month's files stack)."""
    import pandas as pd

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(books["team"]),
                                       str(books["reps"]["Alice Chen"]), "--tables",
                                       "kpis_by_member", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out / "kpis_by_member.csv", encoding="utf-8-sig")
    assert list(rows["source_file"].unique()) == ["team.xlsx"]
    assert sorted(rows["member"]) == sorted(books["reps"])
    for member, path in books["reps"].items():
        own = kpis_json(str(path))["kpis"]
        row = rows[rows["member"] == member].iloc[0]
        for key in HEADLINE:
            expected = own[key]
            assert (pd.isna(row[key]) if expected is None
                    else row[key] == pytest.approx(expected)), (member, key)
