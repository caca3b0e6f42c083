"""Columns of the team's own beside a settings list (the Custom fields table invites
them): the builder placed the next list one column after the spec's, so two such columns
(a rep's phone and e-mail) ran into it and `new --from` failed with xlsxwriter's
OverlappingRange instead of carrying them."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner
from conftest import team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.sample import sample_workbook_data


def test_two_columns_of_the_teams_own_beside_the_rep_list_are_kept(tmp_path):
    data = sample_workbook_data("zh")
    reps = data.lists["rep"]
    data.tables["ListRep"] = pd.DataFrame({
        "value": reps, "电话": [f"1380000000{i}" for i in range(len(reps))],
        "邮箱": [f"rep{i}@example.com" for i in range(len(reps))]})
    caps = data.budget_caps.assign(审批人="王经理", 备注="季度复核")
    data.budget_caps = caps
    book = tmp_path / "team.xlsx"
    build_workbook(book, team_options("zh"), data)
    read = read_workbook(book)
    listed = read.frame("ListRep")
    assert list(listed["value"]) == reps and listed["邮箱"].iat[0] == "rep0@example.com"
    assert read.lists["problem_category"] and read.lists["budget_category"]  # the next lists
    assert set(read.frame("BudgetCaps")["审批人"]) == {"王经理"}
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(book)]).exit_code == 0
    out = tmp_path / "next.xlsx"
    result = runner.invoke(main, ["new", "--from", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert list(read_workbook(out).frame("ListRep")["电话"]) == list(listed["电话"])
