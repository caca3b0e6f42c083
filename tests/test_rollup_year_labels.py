"""A year's roll-up labels its members' growth on the previous period as growth on last
year, as the KPI report and `consolidate` itself say it: the member ranking showed
环比增长 beside 同比增长, the same figures, and its headline both 环比 and 同比."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.sample import sample_members
from xlsales.workbook_data import BuildOptions


@pytest.mark.parametrize("lang, sheet, growth, headline, not_said", [
    ("zh", "成员排名", "环比增长（上年）", "完成率 ", "环比"),
    ("en", "Member ranking", "Growth vs previous period (last year)", "growth vs last year",
     "growth vs previous period")])
def test_a_years_member_ranking_says_growth_on_last_year(tmp_path: Path, lang, sheet, growth,
                                                        headline, not_said):
    year = Period.parse("2026")
    members = tmp_path / "members"
    members.mkdir()
    for rep, data in list(sample_members(lang, year).items())[:2]:
        build_workbook(members / f"{rep}.xlsx",
                       BuildOptions(lang=lang, period=year, owner=rep), data)
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(members), "-o", str(out),
                                       "--no-plan"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)[sheet]
    table = ws.tables["MemberRanking"]
    headers = [c.name for c in table.tableColumns]
    assert growth in headers
    line = str(ws["A2"].value)
    assert headline in line and not_said not in line, line
