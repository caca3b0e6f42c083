"""``kpis --by rep`` of a region roll-up whose two teams each have a rep called 王芳: two
groups labelled with their team, each with the figures of that 王芳's own workbook, so the
drafted summary names a real person; the KPI report's rep ranking alike. A name in one
member only keeps the figures it had (over the roll-up's rows)."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from test_export_member_reps import NAMESAKE, _kpis, region  # noqa: F401 (fixture)

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.kpis_member_reps import member_rep_rows
from xlsales.rollup_rank import member_column
from xlsales.sample import SAMPLE_PERIOD

TEAMS = ("东一组", "南二组")
FIGURES = ("revenue", "target", "attainment", "deals", "customers", "new_customers",
           "win_rate")


def _by_rep(path, *args: str):
    result = CliRunner().invoke(main, ["kpis", str(path), "--by", "rep", *args])
    assert result.exit_code == 0, result.output
    return result


def test_by_rep_shows_two_namesakes_apart_each_as_its_own_book(region):  # noqa: F811
    """Each 王芳 is a group labelled with its team, its figures those of its own workbook;
    the reps named in one team only keep the figures of the roll-up grouped by rep."""
    result = _by_rep(region["region"], "--json")
    groups = json.loads(result.stdout)["by"]
    assert NAMESAKE not in groups
    for team in TEAMS:
        own, mine = _kpis(region["own"][team]), groups[f"{NAMESAKE}（{team}）"]
        for key in FIGURES:
            assert (mine[key] is None if own[key] is None
                    else mine[key] == pytest.approx(own[key])), (team, key)
    frames = {n: t.frame for n, t in read_workbook(region["region"]).tables.items()}
    whole = compute_kpis(frames, SAMPLE_PERIOD, "rep").to_json()["by"]
    others = {g: v for g, v in whole.items() if g != NAMESAKE}
    assert others and {g: groups[g] for g in others} == others
    assert len(groups) == len(others) + 2
    # the note says they are apart, not added up
    assert "按成员分开列出" in result.stderr and "同名算作一人" not in result.stderr
    assert json.loads(_by_rep(region["region"], "--json", "--lang", "en").stdout)["by"] \
        == groups  # JSON keys in the book's language, whatever --lang


def test_the_summary_names_a_real_person(region):  # noqa: F811
    """The lowest attainment is one of the two 王芳, named with the team: not a 王芳 adding
    up both teams (who does not exist)."""
    groups = json.loads(_by_rep(region["region"], "--json").stdout)["by"]
    low = min((g for g in groups if groups[g]["attainment"] is not None),
              key=lambda g: groups[g]["attainment"])
    assert low.startswith(f"{NAMESAKE}（")
    text = _by_rep(region["region"]).stdout
    assert f"最低的是 {low}（{groups[low]['attainment']:.1%}）" in text
    assert f"\n{NAMESAKE} " not in text  # no row of the two added up
    team = low[len(NAMESAKE) + 1:-1]
    english = _by_rep(region["region"], "--lang", "en").stdout
    assert f"lowest: {NAMESAKE} ({team}) ({groups[low]['attainment']:.1%})" in english


def test_the_kpi_reports_ranking_lists_the_namesakes_apart(region, tmp_path):  # noqa: F811
    """``kpis --write`` on the roll-up: the rep ranking has a row per 王芳, named with the
    team, with its own workbook's revenue."""
    book = tmp_path / "region.xlsx"
    shutil.copy(region["region"], book)
    written = CliRunner().invoke(main, ["kpis", str(book), "--write"])
    assert written.exit_code == 0, written.output
    sheet = openpyxl.load_workbook(book)["KPI报告"]
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True)
            if isinstance(r[0], int) and isinstance(r[1], str)}
    assert NAMESAKE not in rows
    for team in TEAMS:
        row = rows[f"{NAMESAKE}（{team}）"]
        assert row[2] == pytest.approx(_kpis(region["own"][team])["revenue"])


def test_the_export_and_by_rep_agree_on_the_namesakes(region):  # noqa: F811
    """The export's kpis_by_rep rows of the two 王芳 are the groups ``kpis --by rep``
    shows: one rule for both."""
    groups = json.loads(_by_rep(region["region"], "--json").stdout)["by"]
    frames = {n: t.frame for n, t in read_workbook(region["region"]).tables.items()}
    rows = member_rep_rows(frames, SAMPLE_PERIOD)
    for row in rows[rows["rep"] == NAMESAKE].to_dict("records"):
        group = groups[f"{NAMESAKE}（{row['member']}）"]
        for key, value in group.items():
            assert (value is None and row[key] != row[key]) or row[key] == value, key


def _per_member(frames, period):
    """The figures by member and rep computed as each member's own book, member by member:
    what the one pass over the roll-up must give exactly."""
    from xlsales.kpis import KpiData
    from xlsales.rollup_rank import members_of

    out = {}
    for member in members_of(frames):
        parts = {n: f[f[member_column(f)].astype(str) == member]
                 for n, f in frames.items() if member_column(f) is not None}
        for rep, values in KpiData(parts).compute(period, by="rep").groups.items():
            out[(member, rep)] = values
    return out


def test_one_pass_gives_each_members_own_figures_exactly(region):  # noqa: F811
    """The roll-up's figures by member and rep in one pass are exactly those computed
    member by member as its own book: new customers from the member's own history (with
    the customer type left blank, a customer another team won before is new to this one),
    each member's distinct customers and churn within it."""
    from xlsales.kpis_member_reps import member_rep_groups

    frames = {n: t.frame for n, t in read_workbook(region["region"]).tables.items()}
    sales = frames["Sales"]
    teams = sales.groupby("customer")[member_column(sales)].nunique()
    assert (teams > 1).any()  # customers both teams sold to: member history matters
    untyped = {**frames, "Sales": sales.assign(customer_type=None)}
    for tables in (frames, untyped):
        expected = _per_member(tables, SAMPLE_PERIOD)
        got = member_rep_groups(tables, SAMPLE_PERIOD)
        assert list(got) == list(expected) and len(got) == 4
        assert got == expected
    by_member = compute_kpis(untyped, SAMPLE_PERIOD, "member").groups  # own history
    for team in TEAMS:  # a team's reps add up to the team as --by member computes it
        for key in ("revenue", "new_customer_revenue"):
            assert sum(v[key] for (m, _), v in got.items() if m == team) \
                == pytest.approx(by_member[team][key])
    only = member_rep_groups(frames, SAMPLE_PERIOD, {"南二组"})
    assert only == {k: v for k, v in _per_member(frames, SAMPLE_PERIOD).items()
                    if k[0] == "南二组"}
