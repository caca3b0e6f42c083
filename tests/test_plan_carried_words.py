"""The words a plan names a carried action's origin by, as the rep reads a year plan: a
year's says 上一年度, not 上期 (a shorter period's word), and the old 上期 of a year book
made before is still recognised when the action is carried again."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from test_plan import sample_input

from xlsales.periods import Period
from xlsales.plan import generate_plan
from xlsales.plan_command import action_counts


def _carried(lang: str, period: str, what: str) -> pd.DataFrame:
    review = pd.DataFrame([{"action_id": "2026-10/A05", "problem_id": None, "what": what,
                            "why": None, "who": "Li Na", "due": date(2026, 10, 31),
                            "status": "partly", "result": "half"}])
    plan = generate_plan(sample_input(lang, period=Period.parse(period), ActionReview=review,
                                      Problems=pd.DataFrame(columns=["problem_id",
                                                                     "carry_forward"])))
    actions = plan.tables["PlanActions"]
    assert action_counts(actions, pd.Series([], dtype=object)) == (0, 1)  # said carried
    return actions[actions["what"].str.match(r"^(?:继续推进（|Carry on \()")]


@pytest.mark.parametrize(("period", "said"), [
    ("2026", "继续推进（上一年度 2026-10/A05 部分完成）：逐笔跟进逾期回款"),
    ("2026-Q4", "继续推进（上期 2026-10/A05 部分完成）：逐笔跟进逾期回款"),
    ("2026-12", "继续推进（上期 2026-10/A05 部分完成）：逐笔跟进逾期回款")])
def test_a_carried_action_names_the_plan_it_comes_from_in_the_periods_words(period, said):
    """A year plan's carried action read 继续推进（上期 A01 …）: 上期 is the sheet 上期行动
    there, but reads as "last period" in a plan whose other texts say 上一年度（2026）.
    Carried again from a year book made before (its text starting 继续推进（上期 …）),
    the old prefix is taken off, not doubled, and the action still counts as carried."""
    for what in ("逐笔跟进逾期回款", "继续推进（上期 A02 部分完成）：逐笔跟进逾期回款"):
        carried = _carried("zh", period, what)
        assert carried["what"].tolist() == [said]


def test_a_year_plans_carried_action_in_english_names_the_last_plan():
    carried = _carried("en", "2026", "Call back")
    assert carried["what"].tolist() == [
        "Carry on (2026-10/A05 of the last plan, partly done): Call back"]


@pytest.mark.parametrize("period", ["2026", "2026-Q4", "2026-11"])
def test_the_settings_target_and_the_note_asking_for_it_read_right_in_every_book(
        tmp_path, period):
    """The settings sheet asked for 下期目标（管理层下达）: in a year book, whose plan says
    下一年度 where a shorter one says 下期, and a new year book's plan note asked to
    指定下期目标 there. The field is the planned period's in every book, and the note
    names it as the sheet does, and the planned period in the book's words."""
    import openpyxl
    from click.testing import CliRunner

    from xlsales.build.workbook import build_workbook
    from xlsales.cli import main
    from xlsales.workbook_data import BuildOptions

    book = tmp_path / "new.xlsx"
    build_workbook(book, BuildOptions(lang="zh", period=Period.parse(period), owner="张三"))
    sheet = openpyxl.load_workbook(book)["设置"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    label = next(t for t in texts if "管理层下达" in t)
    assert "下期" not in label
    planned = CliRunner().invoke(main, ["plan", str(book), "-o", str(tmp_path / "p.xlsx")])
    assert planned.exit_code == 0, planned.output
    note = next(line for line in planned.output.splitlines() if "--target" in line)
    nxt = "下一年度" if period == "2026" else "下期"
    assert f"指定{nxt}目标，或在设置表填写“{label}”" in note, note
