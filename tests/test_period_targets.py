"""`kpis --period` over a longer period than the targets cover: a Q3 book asked for 2026
read 1093% attained (revenue January to September against Q3's targets) with no word of
it. A note names the months that have targets."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.sample import sample_members
from xlsales.workbook_data import BuildOptions


def test_kpis_for_a_year_with_a_quarters_targets_says_which_months_have_targets(tmp_path):
    q3 = Period.parse("2026-Q3")
    member = next(iter(sample_members("en", q3).values()))
    targets = member.tables["Targets"].head(1)
    member.tables["Targets"] = pd.concat(
        [targets.assign(period=m.start) for m in q3.months_in()], ignore_index=True)
    book = tmp_path / "q3.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=q3, owner="Alice"), member)
    runner = CliRunner()
    year = runner.invoke(main, ["kpis", str(book), "--period", "2026"])
    assert year.exit_code == 0, year.output
    assert ("only 3 of the 12 months of 2026 have revenue targets (2026-07, 2026-08, "
            "2026-09)") in year.output
    own = runner.invoke(main, ["kpis", str(book)])
    assert own.exit_code == 0 and "have revenue targets" not in own.output
    zh = runner.invoke(main, ["kpis", str(book), "--period", "2026", "--lang", "zh"])
    assert "只有 3 个月有销售额目标（2026-07、2026-08、2026-09）" in zh.output
