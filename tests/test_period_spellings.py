"""Periods as people write them: Chinese spellings (2026年第三季度, 2026年9月, 2026年) read
by `new --period` and `kpis --period` as the ISO ones are, and a target month typed as a
quarter told to be written month by month."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.errors import UsageError
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.sample import sample_members
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions


@pytest.mark.parametrize("text,label", [
    ("2026年第三季度", "2026-Q3"), ("2026年三季度", "2026-Q3"), ("2026年Q3", "2026-Q3"),
    ("2026 Q3", "2026-Q3"), ("Q3 2026", "2026-Q3"), ("2026年第3季度", "2026-Q3"),
    ("２０２６年Ｑ３", "2026-Q3"), ("2026年", "2026"), ("2026年度", "2026"),
    ("2026年9月", "2026-09"), ("2026年09月", "2026-09"), ("2026/09", "2026-09"),
])
def test_chinese_and_spaced_spellings_read_as_the_iso_ones(text, label):
    assert Period.parse(text).label == label


@pytest.mark.parametrize("text", ["2026年13月", "2026年第五季度", "Q5 2026", "二〇二六年"])
def test_a_period_that_cannot_be_read_lists_the_spellings_read(text):
    with pytest.raises(UsageError) as err:
        Period.parse(text)
    assert "2026年第四季度" in err.value.zh and "2026年11月" in err.value.zh
    assert "Q4 2026" in err.value.en and "2026年" in err.value.en


def test_new_and_kpis_take_a_chinese_period(tmp_path):
    """`new --period 2026年第三季度` and `kpis --period 2026年` were refused while
    `2026Q3` worked."""
    runner = CliRunner()
    out = tmp_path / "q3.xlsx"
    result = runner.invoke(main, ["new", "--period", "2026年第三季度", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_workbook(out).period == Period.parse("2026-Q3")
    result = runner.invoke(main, ["kpis", str(out), "--period", "2026年", "--json"])
    assert result.exit_code == 0, result.output
    assert '"period": "2026"' in result.output
    bad = runner.invoke(main, ["new", "--period", "2026年第五季度", "-o", str(out), "--force"])
    assert bad.exit_code == 2 and "2026年第四季度" in bad.output


def test_a_target_month_typed_as_a_quarter_says_to_write_its_months(tmp_path):
    """`目标!月份` typed 2026-Q3 got "must be a month": it says to write one row per
    month of the quarter."""
    q3 = Period.parse("2026-Q3")
    member = next(iter(sample_members("zh", q3).values()))
    targets = member.tables["Targets"].head(1).astype(object)
    targets.loc[targets.index[0], "period"] = "2026-Q3"
    member.tables["Targets"] = targets
    book = tmp_path / "t.xlsx"
    build_workbook(book, BuildOptions(lang="zh", period=q3, owner="张伟"), member)
    found = [f for f in validate(read_workbook(book)) if f.rule == "bad_month"]
    assert found and found[0].value == "2026-Q3"
    assert "2026-07、2026-08、2026-09" in found[0].message_zh
    assert "one row per month" in found[0].message_en
