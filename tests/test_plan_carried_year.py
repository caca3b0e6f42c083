"""A year plan as its director reads it: the last plan's unfinished actions due with the
same buffer as a problem's (the Timeline's "at the latest" inside the quarter), the note
on a done action naming the plan it is left out of, and a carried action's why naming
its problem as the year's book holds it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from test_plan import sample_input

from xlsales.periods import Period, PeriodType
from xlsales.plan import generate_plan

YEAR = Period.parse("2026")


def _carried(plan) -> pd.DataFrame:
    actions = plan.tables["PlanActions"]
    return actions[actions["what"].str.match(r"^(?:Carry on \(|继续推进（)")]


def _latest(plan, action_id: str) -> date:
    """The Timeline's "at the latest" date of ``action_id``'s deadline."""
    timeline = plan.tables["PlanTimeline"]
    note = timeline.loc[timeline["milestone"].str.match(rf"^(?:Done|完成) {action_id}[:：]"),
                        "note"].iloc[0]
    return date.fromisoformat(str(note).split()[-1])


@pytest.mark.parametrize("period_text", ["2026", "2026-Q4"])
def test_a_carried_action_is_due_buffer_days_before_the_first_part_ends(period_text):
    """A year plan's carried action was due on 31 March, its "at the latest" in April,
    while a high problem's action was due 26 March; a quarter plan's the same in its
    first month. Now both are due the buffer days before the part ends."""
    review = pd.DataFrame([{"action_id": "A01", "problem_id": "P01", "what": "Call back",
                            "who": "Li Na", "due": date(2026, 9, 30), "status": "partly",
                            "result": "half done"}])
    period = Period.parse(period_text)
    plan = generate_plan(sample_input(period=period, ActionReview=review))
    first = period.next.parts_in(PeriodType.QUARTER if period.type is PeriodType.YEAR
                                 else PeriodType.MONTH)[0]
    carried = _carried(plan)
    assert len(carried) == 1
    due = carried["due"].iloc[0]
    assert due <= first.end - timedelta(days=5)
    assert _latest(plan, carried["action_id"].iloc[0]) <= first.end
    if period.type is PeriodType.YEAR:  # as the high problem's actions, due in Q1
        actions = plan.tables["PlanActions"]
        assert due == actions.loc[actions["problem_id"] == "P01", "due"].iloc[0]


@pytest.mark.parametrize(("period_text", "zh", "en"), [
    ("2026", "2027 的计划中不再重复安排", "not proposed again in the 2027 plan"),
    ("2026-Q4", "2027-Q1 的计划中不再重复安排", "not proposed again in the 2027-Q1 plan")])
def test_the_done_action_note_names_the_plan_it_is_left_out_of(period_text, zh, en):
    """A year plan's note said 本期不再重复安排 / "not proposed again": 本期 of a year book
    reads as the year under review (or its December), not the year planned."""
    review = pd.DataFrame([{"action_id": "2026-11/A02", "problem_id": "P03",
                            "what": "逐笔跟进逾期回款", "who": "王芳",
                            "due": date(2026, 11, 30), "status": "done", "result": None}])
    plan = generate_plan(sample_input("zh", period=Period.parse(period_text),
                                      ActionReview=review))
    notes = [note for note in plan.notes if "2026-11/A02" in note[0]]
    assert len(notes) == 1
    assert zh in notes[0][0] and "本期" not in notes[0][0]
    assert en in notes[0][1]


def _year_review(zh: bool) -> pd.DataFrame:
    """A year book's reviews of an action first planned for P02 in January, then carried
    month to month (reviewed with no problem, its why naming January's P02), the problem
    merged into the year's 2026-12/P02."""
    what = "Book two prospecting days"
    said = "上期问题 P02；{}" if zh else "problem P02 of the last period; {}"
    rows = [{"action_id": "2026-01/A02", "problem_id": "2026-12/P02", "what": what,
             "why": "P02 Too few leads", "status": "partly", "result": "r1"}]
    for month, result in (("02", "r2"), ("03", "r3")):
        carry = (f"继续推进（上期 A02 部分完成）：{what}" if zh
                 else f"Carry on (A02 of the last plan, partly done): {what}")
        rows.append({"action_id": f"2026-{month}/A05", "problem_id": None, "what": carry,
                     "why": said.format("r1" if month == "02" else "r1；r2" if zh
                                        else "r1; r2"),
                     "status": "partly", "result": result})
    return pd.DataFrame([{**r, "who": "Li Na", "due": date(2026, 12, 31)} for r in rows])


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "上一年度（2026）问题 2026-12/P02；r1；r2；r3"),
    ("en", "problem 2026-12/P02 of last year (2026); r1; r2; r3")])
def test_a_carried_actions_why_names_its_problem_as_the_year_book_holds_it(lang, expected):
    plan = generate_plan(sample_input(lang, period=YEAR, Problems=pd.DataFrame(
        columns=["problem_id", "carry_forward"]), ActionReview=_year_review(lang == "zh")))
    carried = _carried(plan)
    assert list(carried["why"]) == [expected]


def test_a_month_books_carried_why_is_kept_as_it_came():
    """A month's own book (no prefixed IDs) knows no other ID for the problem."""
    review = _year_review(False).iloc[[2]].assign(action_id="A05")
    plan = generate_plan(sample_input(period=Period.parse("2026-10"), Problems=pd.DataFrame(
        columns=["problem_id", "carry_forward"]), ActionReview=review))
    assert list(_carried(plan)["why"]) == ["problem P02 of the last period; r1; r2; r3"]


def test_a_carried_action_linked_again_keeps_the_playbooks_kpi_when_it_had_none():
    """The collection action carried on and called for again by the collection problem
    is one row: its review named no KPI, so the playbook's (collection rate) is watched."""
    review = pd.DataFrame([{"action_id": "A01", "problem_id": "P03", "what": "逐笔跟进逾期回款",
                            "who": "王芳", "due": date(2026, 10, 31), "kpi": None,
                            "status": "partly", "result": None}])
    actions = generate_plan(sample_input("zh", ActionReview=review)).tables["PlanActions"]
    chase = actions[actions["what"].str.endswith("逐笔跟进逾期回款")]
    assert len(chase) == 1 and chase["problem_id"].iloc[0] == "P03"
    assert chase["kpi"].iloc[0] == "collection_rate" and chase["kpi_target"].notna().iloc[0]
