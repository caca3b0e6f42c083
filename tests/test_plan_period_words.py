"""Every text of a plan speaks of the right period, as a director reads the plan sheets
of a year, a quarter and a month plan, in Chinese and in English: a year plan names the
year where a shorter one says 本期 / "this period" (its previous actions were done
上一年度（2026） / "last year (2026)", not 上期), its closing review names the period it
closes, and a budget line adds up to the action's budget to the cent."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options
from test_plan import _review, sample_input

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period, PeriodType
from xlsales.plan import generate_plan
from xlsales.plan.partial_period import PartialPeriod
from xlsales.plan.running import running_period_note
from xlsales.sample import sample_workbook_data
from xlsales.spec.playbook import playbook_frame

#: Words that name a shorter period's "this period" or "last period": none of them may
#: be read in a year plan (a carried action's is 继续推进（上一年度 …）, its problem's
#: 上一年度（2026）问题)
SHORT_PERIOD_WORDS = ("本期", "this period", "the period", "last period", "上期", "下期")


def _done_all_plays(lang: str, period: Period):
    """A plan on ``period`` whose Collection problem X1 recurs although the playbook's
    only action for it (uncontrollable) was done."""
    problems = pd.DataFrame({
        "problem_id": ["X1"], "description": ["slow payers"], "category": ["Collection"],
        "controllability": ["uncontrollable"], "severity": ["high"], "carry_forward": ["yes"],
        "impact_amount": [1000.0], "owner": ["Ann"]})
    done = ("新合同约定回款节点并月度对账" if lang == "zh" else
            "Put payment milestones in new contracts; reconcile monthly")
    return generate_plan(sample_input(lang, period=period, Problems=problems,
                                      ActionReview=_review(("A04", done, "done", "ok"))))


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026", "上一年度（2026）已完成", "done last year (2026)"),
    ("2026-Q4", "上期已完成", "done last period"),
    ("2026-10", "上期已完成", "done last period")])
def test_an_action_done_before_is_said_done_in_the_period_it_ran(period_text, zh, en):
    """A year plan's to-complete action said 上期已完成 / "done last period" of actions
    done in 2026, which the year book's KPI sheet calls 本年度 and its 上年 2025."""
    period = Period.parse(period_text)
    for lang, said in (("zh", zh), ("en", en)):
        actions = _done_all_plays(lang, period).tables["PlanActions"]
        x1 = actions[actions["problem_id"] == "X1"].iloc[0]
        assert said in x1["what"] and said in x1["how"], (x1["what"], x1["how"])
        if period.type is PeriodType.YEAR:
            assert "上期" not in x1["what"] + x1["how"]
            assert "last period" not in x1["what"] + x1["how"]


def _year_texts(plan) -> list[str]:
    """Every text a year plan writes: its sheets' texts, its basis and notes."""
    texts = [plan.basis[0], plan.basis[1]] + [n for note in plan.notes for n in note]
    for frame in plan.tables.values():
        for column in frame.columns:
            texts += [v for v in frame[column] if isinstance(v, str)]
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_of_a_year_plan_speaks_of_a_shorter_period(lang):
    """A year's texts were worded by replacing 本期 / "this period" in finished sentences:
    "the period 2026 ends", the done action's 上期 … were missed. A year plan whose
    previous actions include a done one, a new rep and a collection basis without a goal
    says none of a shorter period's words."""
    review = _review(("A01", "Call back", "partly", None),
                     ("A04", "新合同约定回款节点并月度对账" if lang == "zh" else
                      "Put payment milestones in new contracts; reconcile monthly", "done",
                      "ok"))
    plan = generate_plan(sample_input(lang, period=Period.parse("2026"), ActionReview=review,
                                      Targets=pd.DataFrame(columns=["period", "rep"])))
    said = [t for t in _year_texts(plan) if any(w in t for w in SHORT_PERIOD_WORDS)]
    assert not said, said
    texts = " ".join(_year_texts(plan))
    assert ("本年度" if lang == "zh" else "this year") in texts


def test_a_year_planned_before_it_ends_is_said_a_year_in_both_languages():
    """A year planned in November: the zh note said 本年度 2026 (now 本年度（2026）, as
    the year's other texts name it), the en one "the period 2026 ends … cover part of the
    period only" (only "this period" was replaced)."""
    zh, en = running_period_note(Period.parse("2026"), pd.DataFrame(
        {"date": pd.to_datetime(["2026-11-20"])}), date(2026, 11, 29), ("", ""))
    assert zh.startswith("本年度（2026）到 2026-12-31 才结束，本年度销售记录最晚到 2026-11-20")
    assert en.startswith("the year 2026 ends on 2026-12-31; the year's last sales record")
    assert "part of the year only" in en and "period" not in en


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026-12", "2027-01 月末复盘与月度总结", "2027-01 month-end review and summary"),
    ("2026-Q4", "2027-Q1 季末复盘与季度总结", "2027-Q1 quarter-end review and summary"),
    ("2026", "2027 年终复盘（含 2027-Q4 季度复盘）与年度总结",
     "2027 year-end review (with 2027-Q4's quarterly review) and summary")])
def test_the_closing_review_names_the_period_it_closes(period_text, zh, en):
    """Every plan's last milestone read 期末复盘与下期总结 / "Closing review and next
    summary", naming no period (a year's, with three quarterly reviews before it, none
    for Q4)."""
    period = Period.parse(period_text)
    for lang, said in (("zh", zh), ("en", en)):
        timeline = generate_plan(sample_input(lang, period=period)).tables["PlanTimeline"]
        last = timeline.iloc[-1]
        assert last["milestone"] == said
        assert period.next.end - timedelta(days=7) <= last["date"] <= period.next.end


@pytest.mark.parametrize(("budget", "months"), [(99.99, 1), (1000.5, 3), (3000.0, 3)])
def test_budget_lines_add_up_to_the_actions_budget_to_the_cent(budget, months):
    """A playbook budget of 99.99 showed 100 on the budget sheet, and 1,000.50 over a
    year plan's quarter 1,000: the lines were rounded to whole units. They add up to
    the action's budget, over the months from its start to its due date."""
    inp = sample_input(period=Period.parse("2026") if months == 3 else Period.parse("2026-10"))
    actions = generate_plan(inp).tables["PlanActions"]
    action = actions[actions["how_much"].fillna(0) > 0].iloc[0]  # a high problem's: Q1
    book = playbook_frame("en")  # the default playbook, that action's budget retyped
    book.loc[book["action"] == action["what"], "budget"] = budget
    inp.tables["Playbook"] = book
    plan = generate_plan(inp)
    actions = plan.tables["PlanActions"].set_index("action_id")
    lines = plan.tables["PlanBudget"]
    mine = lines[lines["action_id"] == action["action_id"]]
    assert actions.loc[action["action_id"], "how_much"] == budget
    assert round(mine["amount"].sum(), 2) == budget
    first, due = actions.loc[action["action_id"], ["start", "due"]]
    assert len(mine) == months == (due.year - first.year) * 12 + due.month - first.month + 1
    assert list(mine["month"]) == sorted(mine["month"])
    assert mine["month"].iloc[0] == first.replace(day=1)
    assert mine["month"].iloc[-1] == due.replace(day=1)


@pytest.mark.parametrize(("period_text", "said"), [
    ("2026", "1 项延续上一年度（2026）未完成的行动"), ("2026-Q4", "1 项延续上期未完成的行动")])
def test_the_plan_report_says_when_the_carried_actions_ran(tmp_path, period_text, said):
    """``xlsales plan`` of a year book reported "1 项延续上期未完成的行动" beside its basis's
    本年度销售额: the director read 上期 as the year before 2026."""
    period = Period.parse(period_text)
    data = sample_workbook_data("zh", period)
    data.tables["ActionReview"] = _review(("A01", "每周复盘商机", "partly", "一半"))
    book = tmp_path / "book.xlsx"
    build_workbook(book, team_options("zh", period), data)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code in (0, 1), result.output
    assert said in result.output, result.output


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026", "请核对下一年度目标", "check next year's target"),
    ("2026-Q4", "请核对下期目标", "check the next period's target")])
def test_a_short_record_asks_to_check_the_planned_periods_target(period_text, zh, en):
    """A rep who joined on 12 December 2026 has 20 of the year's days recorded: the year
    plan's note asked to check 下期目标 / "the next period's target" beside its 本年度 basis."""
    period = Period.parse(period_text)
    start = period.end - timedelta(days=19)  # a rep's own book: joined 20 days before its end
    part = PartialPeriod(period, start, 20, (period.end - period.start).days + 1, True)
    assert part.short
    note = part.short_note()
    assert zh in note[0] and en in note[1], note
