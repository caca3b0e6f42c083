"""Plan generation: linked actions, exact decomposition, seasonality, safe re-runs."""

from __future__ import annotations

import itertools
import json
import shutil
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import range_boundaries
from sheet_values import error_cells, table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.errors import UsageError
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.plan import PlanInput, PlanOptions, generate_plan
from xlsales.plan.rounding import split_exact, split_grid
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC


def sample_input(lang="en", period=SAMPLE_PERIOD, currency=None, **tables) -> PlanInput:
    """The sample's plan input (its currency empty: CNY, mainland China's working days;
    USD: Monday to Friday, no holidays)."""
    data = sample_workbook_data(lang)
    all_tables = {**data.tables, "BudgetCaps": data.budget_caps, **tables}
    return PlanInput(period, lang, "Team 1", all_tables, data.lists["rep"], data.assumptions,
                     currency)


def test_every_flagged_problem_yields_linked_actions_with_owner_and_due_in_next_period():
    inp = sample_input()
    plan = generate_plan(inp)
    actions = plan.tables["PlanActions"]
    problems = inp.tables["Problems"]
    flagged = set(problems.loc[problems["carry_forward"] == "yes", "problem_id"])
    assert flagged and flagged <= set(actions["problem_id"].dropna())
    assert not set(actions["problem_id"].dropna()) - flagged  # P05 is not carried
    # November 2026 begins on a Sunday: actions start and fall due on working days
    assert SAMPLE_PERIOD.next.start.weekday() == 6
    assert all(d.weekday() < 5 for d in [*actions["start"], *actions["due"]])
    # KPI targets as people read them (an order value to the cent, a rate to 0.1 %)
    targets = actions["kpi_target"].dropna()
    assert len(targets) and all(round(t, 3) == t for t in targets), list(targets)
    nxt = SAMPLE_PERIOD.next
    for _, a in actions.iterrows():
        assert a["who"] and a["what"]
        assert nxt.start <= a["start"] <= a["due"] <= nxt.end
    # the why carries the problem and its figure, the where its customers/region
    p01 = actions[actions["problem_id"] == "P01"].iloc[0]
    assert "P01" in p01["why"] and "180,000" in p01["why"]
    assert p01["where"] == problems.set_index("problem_id").loc["P01", "affected"]
    # best practices become "continue" actions
    assert actions["what"].str.startswith("Continue:").sum() == 2


def test_a_practice_several_lessons_name_is_one_continue_action():
    """A roll-up holds each member's lessons: three reps saying "referrals close well"
    make one "continue" action that says how many lessons name it, not three alike."""
    lessons = sample_workbook_data("en").tables["Lessons"]
    best = lessons[lessons["best_practice"] == "yes"]
    assert len(best)
    first = best.iloc[0]
    twins = pd.DataFrame([{**first, "lesson_id": f"LX{i}",
                           "description": f" {first['description'].upper()} "}
                          for i in range(2)])
    plan = generate_plan(sample_input(Lessons=pd.concat([lessons, twins], ignore_index=True)))
    actions = plan.tables["PlanActions"]
    same = actions[actions["what"].str.casefold() == f"continue: {first['description']}"
                   .casefold()]
    assert len(same) == 1 and "named in 3 lessons" in same.iloc[0]["why"]
    continued = actions[actions["what"].str.startswith("Continue: ")]
    assert len(continued) == len(best)


@pytest.mark.parametrize(("period_text", "due_by"), [
    ("2026", date(2027, 3, 31)), ("2026-Q4", date(2027, 1, 31)),
    ("2026-10", date(2026, 11, 30))])
def test_unfinished_actions_are_due_in_the_first_part_of_the_next_period(period_text, due_by):
    """Work left over from the last plan is finished first: by the end of the first
    quarter of a year plan, of the first month of a quarter plan (it ran all year). (A
    USD book: Monday to Friday; 2027 starts on a holiday in China.)"""
    review = pd.DataFrame([{"action_id": "A01", "problem_id": "P01", "what": "Call back",
                            "who": "Li Na", "due": date(2026, 9, 30), "kpi": "revenue",
                            "kpi_target": None, "status": "partly", "result": "half done"}])
    plan = generate_plan(sample_input(period=Period.parse(period_text), currency="USD",
                                      ActionReview=review))
    actions = plan.tables["PlanActions"]
    carried = actions[actions["what"].str.startswith("Carry on")]
    nxt = Period.parse(period_text).next
    assert len(carried) == 1
    assert carried["start"].iloc[0] == _workday_on_or_after(nxt.start)
    assert due_by - timedelta(days=7) <= carried["due"].iloc[0] <= due_by  # buffer days
    # the best practices still run through the whole period
    kept = actions[actions["what"].str.startswith("Continue:")]
    assert len(kept) and (kept["due"] > due_by).all() == (nxt.months > 1)


def _review(*rows: tuple[str, str, str | None, str | None]) -> pd.DataFrame:
    """A Previous actions table: (action ID, what, status, result) per action."""
    return pd.DataFrame([{"action_id": a, "problem_id": "P01", "what": what, "who": "王芳",
                          "due": date(2026, 9, 30), "kpi": "collection_rate",
                          "kpi_target": 0.9, "status": status, "result": result}
                         for a, what, status, result in rows])


def test_a_recurring_problems_unfinished_action_is_one_row_and_a_done_one_is_not_repeated():
    """Collection is flagged again (P03): the unfinished "chase every overdue invoice"
    is carried once, linked to P03 (not a second time as P03's new action), and the
    playbook action marked done is not proposed again; the notes say which."""
    review = _review(("A01", "逐笔跟进逾期回款", "not_done", "客户推迟"),
                     ("A02", "新合同约定回款节点并月度对账", "done", None))
    plan = generate_plan(sample_input("zh", ActionReview=review))
    actions = plan.tables["PlanActions"]
    chase = actions[actions["what"].str.endswith("逐笔跟进逾期回款")]
    assert list(chase["what"]) == ["继续推进（上期 A01 未完成）：逐笔跟进逾期回款"]
    assert chase["problem_id"].iloc[0] == "P03"
    why = chase["why"].iloc[0]
    assert why.startswith("P03 回款逾期增加") and why.endswith("；客户推迟")  # its last result
    assert not actions["what"].str.contains("新合同约定回款节点").any()
    assert list(actions.loc[actions["problem_id"] == "P03", "what"]) == list(chase["what"])
    timeline = plan.tables["PlanTimeline"]["milestone"]
    assert timeline.str.endswith("逐笔跟进逾期回款").sum() == 1
    notes = [zh for zh, _ in plan.notes if "A02" in zh]
    assert len(notes) == 1 and "P03" in notes[0] and "新合同约定回款节点并月度对账" in notes[0]
    # the report counts the merged row once ("1 项来自标记的问题，1 项延续" of 1 action before)
    from xlsales.plan_command import action_counts

    problems = sample_input("zh").tables["Problems"]["problem_id"]
    linked, carried = action_counts(actions, problems)
    assert carried == 1 and linked + carried <= len(actions)
    assert linked == int(actions["problem_id"].isin(set(problems)).sum()) - 1


def test_a_problem_whose_playbook_actions_were_all_done_asks_its_owner_for_a_new_one():
    """Every playbook action for the problem was done last period and it recurs: it still
    gets an action, marked for its owner to complete, not the done one again."""
    problems = pd.DataFrame({
        "problem_id": ["X1"], "description": ["slow payers"], "category": ["Collection"],
        "controllability": ["uncontrollable"], "severity": ["high"], "carry_forward": ["yes"],
        "impact_amount": [1000.0], "owner": ["Ann"]})
    done = "Put payment milestones in new contracts; reconcile monthly"
    plan = generate_plan(sample_input(Problems=problems,
                                      ActionReview=_review(("A04", done, "done", "ok"))))
    x1 = plan.tables["PlanActions"].query("problem_id == 'X1'")
    assert len(x1) == 1 and x1["what"].iloc[0].startswith("[To complete]")
    assert done in x1["what"].iloc[0] and x1["who"].iloc[0] == "Ann"
    assert any("A04" in en and "X1" in en for _, en in plan.notes)


@pytest.mark.parametrize(("lang", "what", "wording", "note"), [
    ("zh", "逐笔跟进逾期回款", "继续推进（上期 A01 未回顾）：逐笔跟进逾期回款",
     "A01 无完成情况，已作为“未回顾”再次安排"),
    ("en", "Chase every overdue invoice",
     "Carry on (A01 of the last plan, not reviewed): Chase every overdue invoice",
     "A01 has no status: proposed again, as not reviewed")])
def test_an_action_left_without_a_status_is_carried_as_not_reviewed_and_noted(
        lang, what, wording, note):
    """A status the rep left blank is not said to be "not done": the carried action says
    it was not reviewed, and a note names it for the rep to mark."""
    review = _review(("A01", what, None, None), ("A02", "Call back", "partly", None))
    problems = pd.DataFrame(columns=SPEC.table("Problems").keys)
    plan = generate_plan(sample_input(lang, Problems=problems, ActionReview=review))
    carried = plan.tables["PlanActions"]["what"]
    assert wording in list(carried)
    assert carried.str.contains("A02").sum() == 1  # partly done: said as before
    notes = [n[0 if lang == "zh" else 1] for n in plan.notes]
    assert [n for n in notes if "A01" in n] == [n for n in notes if n.startswith(note)]
    assert len([n for n in notes if "A01" in n]) == 1 and not any("A02" in n for n in notes)


def _workday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_controllability_picks_corrective_or_mitigating_plays_and_unknown_categories_ask_owner():
    problems = pd.DataFrame({
        "problem_id": ["X1", "X2", "X3"],
        "description": ["price war", "team lacks skills", "something new"],
        "category": ["Competition and price", "Competition and price", "Weather"],
        "controllability": ["uncontrollable", "controllable", "controllable"],
        "severity": ["high", "low", "medium"], "carry_forward": ["yes", "yes", "yes"],
        "impact_amount": [1000.0, 500.0, 100.0], "owner": ["Ann", None, "Bo"],
    })
    actions = generate_plan(sample_input(Problems=problems)).tables["PlanActions"]
    x1 = actions[actions["problem_id"] == "X1"]["what"].tolist()
    x2 = actions[actions["problem_id"] == "X2"]["what"].tolist()
    assert x1 == ["Monitor competitor prices and set a discount floor"]
    assert x2 == ["Prepare competitor battle cards and a value comparison"]
    x3 = actions[actions["problem_id"] == "X3"].iloc[0]
    assert x3["what"].startswith("[To complete]") and x3["who"] == "Bo"
    assert actions[actions["problem_id"] == "X2"].iloc[0]["who"] == "Team 1"  # no owner
    assert list(actions["problem_id"].dropna())[:1] == ["X1"]  # high severity first


@pytest.mark.parametrize("period_text", ["2026-10", "2026-Q3", "2025"])
def test_targets_sum_exactly_over_time_and_people(period_text):
    period = Period.parse(period_text)
    plan = generate_plan(sample_input(period=period), PlanOptions(growth=0.15))
    t = plan.tables["PlanTargets"]
    revenue = t[t["kpi"] == "revenue"]
    nxt = period.next
    whole = revenue[revenue["period_label"] == nxt.label]
    assert len(whole) == 1 and whole["value"].iloc[0] == plan.total_target
    quarter = revenue["period_label"].str.contains("-Q") & (revenue["period_label"] != nxt.label)
    parts = revenue[(revenue["period_label"] != nxt.label) & (revenue["rep"] == "Team 1")
                    & ~quarter]
    assert parts["value"].sum() == plan.total_target
    # a year is decomposed into quarters, each the sum of its months, before its months
    quarters = revenue[quarter & (revenue["rep"] == "Team 1")]
    assert len(quarters) == (4 if nxt.months == 12 else 0)
    assert (quarters["scope"] == "total").all()
    # … and each rep's too, the quarter's parts (tests/test_plan_sums.py: their sums)
    assert (revenue.loc[quarter & (revenue["rep"] != "Team 1"), "scope"] == "part").all()
    assert (quarter & (revenue["rep"] != "Team 1")).sum() == len(quarters) * 6
    labels = list(revenue[revenue["rep"] == "Team 1"]["period_label"])
    for _, q in quarters.iterrows():
        months = parts[(parts["period"] >= q["period"]) & (parts["due"] <= q["due"])]
        assert len(months) == 3 and months["value"].sum() == q["value"]
        assert labels.index(q["period_label"]) + 1 == labels.index(months.iloc[0]["period_label"])
    timeline = list(plan.tables["PlanTimeline"]["milestone"])
    # three quarterly reviews; the closing review, last, holds Q4's
    assert sum("quarterly review" in m for m in timeline[:-1]) == (3 if nxt.months == 12 else 0)
    assert sum("Mid-period review" in m or "(mid-year)" in m for m in timeline) == 1
    for label, group in revenue[revenue["rep"] != "Team 1"].groupby("period_label"):
        assert group["value"].sum() == revenue[revenue["rep"].eq("Team 1")].set_index(
            "period_label").loc[label, "value"]
    assert (revenue["value"] % 100 == 0).all()  # rounded, and still exact
    expected_parts = 12 if nxt.months == 12 else 3 if nxt.months == 3 else None
    if expected_parts:
        assert len(parts) == expected_parts
    else:
        assert all("-W" in label for label in parts["period_label"])
    for _, row in t.iterrows():  # SMART: number, unit, owner, date inside the period
        assert row["unit"] and row["rep"] and nxt.start <= row["due"] <= nxt.end
    for metric in ("deals", "visits", "new_customers", "pipeline", "collection_rate"):
        assert metric in set(t["kpi"])
    for metric in ("deals", "visits"):
        team = t[(t["kpi"] == metric) & (t["rep"] == "Team 1")]["value"].sum()
        reps = t[(t["kpi"] == metric) & (t["rep"] != "Team 1")]["value"].sum()
        assert team == reps > 0


def test_a_planted_seasonal_pattern_comes_back():
    """24 months of history where the months of a quarter sell 1 : 2 : 3."""
    pattern = {1: 1, 2: 2, 3: 3}
    rows = []
    for year in (2024, 2025):
        for month in range(1, 13):
            weight = pattern[(month - 1) % 3 + 1]
            for i in range(weight * 10):
                rows.append((f"{year}{month}{i}", date(year, month, 1 + i % 28), "A", "C1",
                             "won", 1000.0))
    sales = pd.DataFrame(rows, columns=["order_id", "date", "rep", "customer", "stage", "amount"])
    inp = PlanInput(Period.parse("2025-Q4"), "en", "Team", {"Sales": sales}, ["A"])
    plan = generate_plan(inp, PlanOptions(target=600_000, method="seasonal"))
    t = plan.tables["PlanTargets"]
    months = t[(t["kpi"] == "revenue") & (t["rep"] == "Team") & (t["period_label"] != "2026-Q1")]
    assert months["period_label"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert months["value"].tolist() == [100_000, 200_000, 300_000]
    even = generate_plan(inp, PlanOptions(target=600_000, method="even")).tables["PlanTargets"]
    assert set(even[(even["rep"] == "Team") & (even["period_label"] != "2026-Q1")
                    & (even["kpi"] == "revenue")]["value"]) == {200_000}


def test_budget_lines_are_checked_against_monthly_caps():
    caps = pd.DataFrame({"category": ["Customer gifts", "Training"],
                         "monthly_cap": [2000.0, 10000.0]})
    plan = generate_plan(sample_input(BudgetCaps=caps))
    budget = plan.tables["PlanBudget"]
    gifts = budget[budget["category"] == "Customer gifts"]
    assert gifts["amount"].sum() == 3000 and set(gifts["over_cap"]) == {"yes"}
    assert set(budget.loc[budget["category"] == "Training", "over_cap"]) == {"no"}
    assert set(budget["action_id"]) <= set(plan.tables["PlanActions"]["action_id"])
    timeline = plan.tables["PlanTimeline"]
    assert list(timeline["date"]) == sorted(timeline["date"])
    assert (timeline["buffer_days"] >= 0).all()
    # the closing review ends the plan, after the last month's check due the same day
    last = timeline.iloc[-1]
    assert last["milestone"] == f"{plan.period.label} month-end review and summary"
    assert last["date"] == plan.period.end
    assert any(m.endswith("target check") for m in timeline[timeline["date"] == last["date"]]
               ["milestone"])


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
       st.lists(st.floats(0, 1e3), min_size=1, max_size=8))
def test_split_grid_keeps_both_row_and_column_sums(parts, weights):
    total = sum(parts) * 100.0
    rows = [p * 100.0 for p in parts]
    cols = split_exact(total, weights, 100.0)
    grid = split_grid(rows, cols, 100.0)
    assert [sum(r) for r in grid] == pytest.approx(rows)
    assert [sum(c) for c in zip(*grid, strict=True)] == pytest.approx(cols)
    assert all(x >= 0 and x % 100 == 0 for r in grid for x in r)


@given(st.floats(0, 1e9), st.lists(st.floats(0, 1e6), min_size=1, max_size=20),
       st.sampled_from([1.0, 100.0]))
def test_split_exact_sums_to_the_rounded_total(total, weights, unit):
    parts = split_exact(total, weights, unit)
    assert len(parts) == len(weights)
    assert sum(parts) == pytest.approx(round(total / unit) * unit, abs=1e-6)
    assert all(p >= 0 and abs(p / unit - round(p / unit)) < 1e-9 for p in parts)


def test_options_set_the_target():
    inp = sample_input()
    assert generate_plan(inp, PlanOptions(target=2_000_000)).total_target == 2_000_000
    revenue = compute_kpis(inp.tables, SAMPLE_PERIOD).kpis["revenue"]
    assert generate_plan(inp, PlanOptions(growth=0.2)).total_target == round(
        revenue * 1.2 / 100) * 100
    # the basis shows the factor as people write it: no "+ -30%", no 12.5 % shown as 12 %
    for growth, factor in ((-0.3, "(1 − 30%)"), (0.125, "(1 + 12.5%)"), (0.2, "(1 + 20%)")):
        assert generate_plan(inp, PlanOptions(growth=growth)).basis[1].endswith(
            f"× {factor}")


@pytest.fixture()
def summary(tmp_path, sample_books):
    path = tmp_path / "team.xlsx"
    shutil.copy(sample_books["zh"], path)
    return path


def test_cli_plan_writes_sheets_and_rerun_never_loses_an_edit(summary, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["plan", str(summary), "--growth", "12%"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(summary)
    assert wb.sheetnames[-4:] == ["计划-目标", "计划-行动", "计划-资源", "计划-时间线"]
    actions = table_rows(wb, "PlanActions")
    assert actions[0][:3] == ["行动编号", "关联问题", "做什么"]
    assert {r[12] for r in actions[1:]} == {"未开始"}  # status as a label of the workbook
    # an untouched plan is simply regenerated
    assert runner.invoke(main, ["plan", str(summary), "--growth", "12%"]).exit_code == 0
    # the user edits a cell (here with openpyxl, as another application would)
    wb = openpyxl.load_workbook(summary)
    wb["计划-行动"]["C5"] = "我自己的行动"
    wb.save(summary)
    edited = summary.read_bytes()
    refused = runner.invoke(main, ["plan", str(summary)])
    assert refused.exit_code == 2 and "--new-version" in refused.output
    assert summary.read_bytes() == edited
    assert runner.invoke(main, ["plan", str(summary), "--new-version"]).exit_code == 0
    wb = openpyxl.load_workbook(summary)
    assert wb["计划-行动"]["C5"].value == "我自己的行动"
    assert "计划-行动 v2" in wb.sheetnames
    replaced = runner.invoke(main, ["plan", str(summary), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    backups = list(tmp_path.glob("team.backup-*.xlsx"))
    assert len(backups) == 1
    assert openpyxl.load_workbook(backups[0])["计划-行动"]["C5"].value == "我自己的行动"


def _kpi_cells(wb: openpyxl.Workbook, table: str) -> list:
    """The "KPI to watch" cells of ``table`` (a zh workbook)."""
    ws = next(w for w in wb.worksheets if table in w.tables)
    c1, r1, c2, r2 = range_boundaries(ws.tables[table].ref)
    header = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]
    col = c1 + header.index("跟踪指标")
    return [ws.cell(r, col) for r in range(r1 + 1, r2 + 1)]


def test_kpis_to_watch_read_as_names_and_a_typed_name_finds_its_target(summary, tmp_path):
    """The playbook and the plan name the KPI to watch as the KPI sheet does (平均订单价值,
    not ``aov``); a name typed in the playbook finds the KPI's target as its key did, and a
    measure of the team's own is kept as typed, without a finding."""
    names = {k.label.zh for k in SPEC.kpis}
    pristine = tmp_path / "pristine.xlsx"
    shutil.copy(summary, pristine)
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(pristine)]).exit_code == 0
    watched = table_rows(openpyxl.load_workbook(pristine), "PlanActions")
    column = watched[0].index("跟踪指标")
    shown = [r[column] for r in watched[1:] if r[column]]
    assert shown and set(shown) <= names, shown
    targets = sum(r[column + 1] is not None for r in watched[1:])
    assert targets
    # a rep retypes the playbook's KPIs by their names, and one of the team's own
    wb = openpyxl.load_workbook(summary)
    by_key = {k.key: k.label.zh for k in SPEC.kpis}
    cells = _kpi_cells(wb, "Playbook")
    for cell in cells:
        cell.value = by_key.get(cell.value, cell.value)
    cells[-1].value = " 展会线索数"
    wb.save(summary)
    check = runner.invoke(main, ["validate", str(summary), "--json"])
    flagged = [f for f in json.loads(check.output)["findings"]
               if f["table"] == "Playbook" and f["column"] == "kpi"]
    assert [f["rule"] for f in flagged] == ["converted"]  # the space trimmed, nothing else
    assert runner.invoke(main, ["plan", str(summary)]).exit_code == 0
    rows = table_rows(openpyxl.load_workbook(summary), "PlanActions")
    assert sum(r[column + 1] is not None for r in rows[1:]) == targets
    assert set(r[column] for r in rows[1:] if r[column]) <= names | {"展会线索数"}
    assert read_workbook(summary).tables["Playbook"].frame["kpi"].iloc[-1] == "展会线索数"


def test_a_book_without_its_amount_column_gets_no_plan(sample_books, tmp_path):
    """Its Amount column renamed, the plan said "no revenue up to the end of this period"
    and "no deal won" (78 were) and exited 0: it names the column and makes no plan."""
    book = tmp_path / "no_amount.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    ws = wb["Sales"]
    table = ws.tables["Sales"]
    col = next(i for i, c in enumerate(table.tableColumns) if c.name == "Amount")
    header = int(table.ref.split(":")[0][1:])
    ws.cell(header, col + 1).value = table.tableColumns[col].name = "Deal value"
    wb.save(book)
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 2, result.output
    assert "has no required column 'Amount'" in result.output
    assert "The plan cannot be made without it." in result.output
    assert book.read_bytes() == before


def test_a_new_plan_version_is_never_read_as_another_table(summary, tmp_path):
    """计划-行动 v2 holds the previous plan's action columns: it is not the review of them."""
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(summary)]).exit_code == 0
    wb = openpyxl.load_workbook(summary)
    wb["计划-目标"]["G5"] = 50_000
    wb.save(summary)
    first = read_workbook(summary).frame("PlanActions")
    assert runner.invoke(main, ["plan", str(summary), "--new-version"]).exit_code == 0
    checked = runner.invoke(main, ["validate", str(summary), "--json"])
    assert checked.exit_code == 0, checked.output
    rules = {f["rule"] for f in json.loads(checked.output)["findings"]}
    assert not rules & {"missing_column", "table_by_header"}
    book = read_workbook(summary)
    assert "ActionReview" not in book.tables or book.frame("ActionReview").empty
    again = runner.invoke(main, ["plan", str(summary), "--new-version"])
    assert again.exit_code == 0, again.output
    assert f"行动 {len(first)} 项" in again.output  # none proposed again from v2
    assert len(read_workbook(summary).frame("PlanActions")) == len(first)
    out = tmp_path / "next.xlsx"
    carried = runner.invoke(main, ["new", "--from", str(summary), "-o", str(out)])
    assert carried.exit_code == 0 and "ActionReview" not in carried.output
    assert f"待回顾的行动 {len(first)} 项" in carried.output


def test_plan_to_output_leaves_the_summary_alone_and_recalculates_cleanly(summary, tmp_path):
    require_libreoffice()
    before = summary.read_bytes()
    out = tmp_path / "with_plan.xlsx"
    result = CliRunner().invoke(main, ["plan", str(summary), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert summary.read_bytes() == before
    wb = openpyxl.load_workbook(recalculate(out, tmp_path / "lo"), data_only=True)
    assert error_cells(wb) == []
    assert len(table_rows(wb, "PlanTargets")) > 10
    again = CliRunner().invoke(main, ["plan", str(summary), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_plan_refuses_conflicting_options(summary):
    result = CliRunner().invoke(main, ["plan", str(summary), "--target", "1", "--growth", "2%"])
    assert result.exit_code == 2 and "--target" in result.output
    result = CliRunner().invoke(main, ["plan", str(summary), "--target", "lots"])
    assert result.exit_code == 2 and "lots" in result.output
    before = summary.read_bytes()
    result = CliRunner().invoke(main, ["plan", str(summary), "--growth", "12"])
    assert result.exit_code == 2 and "for 12 percent write --growth 12%" in result.output
    assert summary.read_bytes() == before  # 1,200 % growth is not planned by a slip


def test_a_target_marked_in_another_currency_than_the_books_is_refused(tmp_path):
    """`plan --target US$50,000` on a Singapore team's SGD book planned 50,000 SGD, while
    `US$1,000` typed in a Sales cell is a currency_mismatch error: the target's mark is
    compared with the book's currency as a cell's is; the book's own mark is taken."""
    from copy import deepcopy

    data = deepcopy(sample_workbook_data("en"))
    data.info["currency"] = "SGD"
    book = tmp_path / "sg.xlsx"
    build_workbook(book, team_options("en"), data)
    before = book.read_bytes()
    out = tmp_path / "out.xlsx"
    for target, marked in (("US$50,000", "USD"), ("¥50,000", "CNY/JPY"), ("50000 EUR", "EUR")):
        result = CliRunner().invoke(main, ["plan", str(book), "-o", str(out),
                                           "--target", target])
        assert result.exit_code == 2, result.output
        assert f"is in {marked}, but sg.xlsx is kept in SGD: convert it to SGD" in \
            result.output
        assert f"是 {marked} 金额，但 sg.xlsx 的币种是 SGD" in result.output
        assert not out.exists() and book.read_bytes() == before
    for target in ("S$50,000", "SGD 50000", "50,000", "$50,000"):  # its own, or no mark
        result = CliRunner().invoke(main, ["plan", str(book), "-o", str(out), "--force",
                                           "--target", target])
        assert result.exit_code == 0, result.output
        assert "revenue target SGD 50,000 (target given on the command line)" in \
            result.output
    cny = tmp_path / "cny.xlsx"  # a yuan book: ¥ (or ￥, RMB) is its own mark
    build_workbook(cny, team_options("zh"), sample_workbook_data("zh"))
    for target in ("￥50,000", "RMB 50000"):
        result = CliRunner().invoke(main, ["plan", str(cny), "-o", str(out), "--force",
                                           "--target", target])
        assert result.exit_code == 0 and "销售额目标 50,000" in result.output, result.output
    result = CliRunner().invoke(main, ["plan", str(cny), "-o", str(out), "--force",
                                       "--target", "US$50,000"])
    assert result.exit_code == 2 and "的币种是 CNY" in result.output


def test_weeks_of_a_month_plan_follow_working_days():
    from xlsales.plan.targets import time_parts
    from xlsales.plan.workdays import WEEKENDS

    parts = time_parts(Period.parse("2026-11"), "seasonal", pd.Series(dtype=float), WEEKENDS)
    assert parts[0].start == date(2026, 11, 1) and parts[0].end == date(2026, 11, 8)
    assert sum(p.weight for p in parts) == np.busday_count("2026-11-01", "2026-12-01")
    assert parts[-1].end == date(2026, 11, 30)
    assert all(b.start == a.end + timedelta(days=1) for a, b in itertools.pairwise(parts))


def _busday(day: date, roll: str) -> date:
    """numpy's working day (Monday to Friday) on or before (after) ``day``."""
    return np.busday_offset(np.datetime64(day), 0, roll=roll).astype(date)


# Nov 2026 starts on a Sunday, Jan 2027 ends on one, May 2027 starts on a Saturday; a
# quarter plan's months and a year plan's quarters end on weekends too (2027-07-31 Sat)
@pytest.mark.parametrize("period_text", ["2026-10", "2026-12", "2027-04", "2026-Q4", "2026"])
def test_checks_and_reviews_are_held_on_working_days(period_text):
    """Every milestone falls on a working day inside the plan period: a check or review
    on the last working day on or before its date, the kick-off of a period starting on
    a weekend on its first working day; in order, the closing review last. (A USD book:
    Monday to Friday, as numpy's; holidays: tests/test_plan_holidays.py.)"""
    from xlsales.plan.resources import closing_review
    from xlsales.plan.targets import time_parts
    from xlsales.plan.workdays import WEEKENDS

    period = Period.parse(period_text)
    nxt = period.next
    plan = generate_plan(sample_input(period=period, currency="USD"),
                         PlanOptions(target=900_000))
    timeline = plan.tables["PlanTimeline"]
    days = list(timeline["date"])
    assert all(d.weekday() < 5 and nxt.start <= d <= nxt.end for d in days), [
        (m, d, d.strftime("%a")) for m, d in zip(timeline["milestone"], days, strict=True)
        if d.weekday() >= 5]
    assert days == sorted(days)
    first, last = timeline.iloc[0], timeline.iloc[-1]
    assert first["milestone"].startswith("Kick-off")
    assert first["date"] == _busday(nxt.start, "forward")
    assert last["milestone"] == closing_review(nxt)[1]
    assert last["date"] == _busday(nxt.end, "backward")
    held = dict(zip(timeline["milestone"], timeline["date"], strict=True))
    parts = time_parts(nxt, "seasonal", pd.Series(dtype=float), WEEKENDS)
    for part in parts:  # every week of a month keeps a working day of its own
        assert held[f"{part.label} target check"] == _busday(part.end, "backward") >= part.start
    for quarter in ("2027-Q1", "2027-Q2", "2027-Q3") if nxt.months == 12 else ():
        review = next(d for m, d in held.items() if m.startswith(f"{quarter} quarterly review"))
        assert review == _busday(Period.parse(quarter).end, "backward")
    if nxt.months < 12:
        mid = next(d for m, d in held.items() if m.startswith("Mid-period review"))
        assert mid == _busday(nxt.start + (nxt.end - nxt.start) / 2, "backward")
    # an action's hard deadline (its due date plus the buffer days) is a working day too
    latest = [date.fromisoformat(n.removeprefix("at the latest "))
              for n in timeline["note"].dropna() if n.startswith("at the latest ")]
    assert latest and all(d.weekday() < 5 and d <= nxt.end for d in latest), latest


def test_a_check_before_the_first_working_day_is_held_on_it():
    """A span starting on a weekend has no working day before a date on that weekend:
    the first one after it, inside the span; a span without any keeps the date."""
    from xlsales.plan.workdays import WEEKENDS

    workday = WEEKENDS.workday
    saturday, sunday, monday = date(2027, 5, 1), date(2027, 5, 2), date(2027, 5, 3)
    end = date(2027, 5, 31)
    assert workday(sunday, saturday, end) == monday
    assert workday(date(2027, 5, 9), saturday, end) == date(2027, 5, 7)
    assert workday(saturday, saturday, end, later=True) == monday
    assert workday(saturday, saturday, sunday) == saturday
    assert workday(monday, saturday, end) == monday


def test_split_by_the_weights_the_manager_sets():
    reps = sample_workbook_data("en").lists["rep"]
    weights = pd.DataFrame({"value": reps, "weight": [3.0, 1.0, 1.0, 1.0, 0.0, 0.0]})
    plan = generate_plan(sample_input(ListRep=weights), PlanOptions(target=600_000,
                                                                     split="weights"))
    t = plan.tables["PlanTargets"]
    per_rep = t[(t["kpi"] == "revenue") & (t["rep"] != "Team 1")].groupby("rep")["value"].sum()
    assert per_rep[reps[0]] == 300_000 and per_rep[reps[1]] == 100_000
    assert per_rep[reps[4]] == 0 and per_rep.sum() == 600_000
    no_weights = pd.DataFrame({"value": reps, "weight": [None] * 6})
    with pytest.raises(Exception, match="Weight column"):
        generate_plan(sample_input(ListRep=no_weights), PlanOptions(split="weights"))
    # a rep with no weight is not given 0 silently (in a roll-up: the biggest team was)
    some = pd.DataFrame({"value": reps, "weight": [2.0, 1.0, None, 1.0, None, 0.0]})
    with pytest.raises(UsageError) as refused:
        generate_plan(sample_input(ListRep=some), PlanOptions(split="weights"))
    assert f"No usable weight is set for {reps[2]}, {reps[4]} in the rep list" in refused.value.en


def _no_sales_book(path, period=SAMPLE_PERIOD, targets=True, lang="zh"):
    """A summary as `xlsales new` makes it, with this period's targets (or nothing) but no
    sales: what a team has before its first orders are typed in."""
    from xlsales.build.workbook import build_workbook
    from xlsales.workbook_data import BuildOptions

    data = sample_workbook_data(lang)
    for name in ("Sales", "Activities"):
        data.tables[name] = data.tables[name].iloc[0:0]
    frame = data.tables["Targets"]
    data.tables["Targets"] = frame[pd.to_datetime(frame["period"]).dt.date == period.start] \
        if targets else frame.iloc[0:0]
    build_workbook(path, BuildOptions(lang=lang, period=period,
                                      owner="张三" if lang == "zh" else "Ann"), data)
    return path, float(data.tables["Targets"]["revenue_target"].sum())


def test_without_sales_the_target_is_this_periods_targets_and_says_so(tmp_path):
    book, targets = _no_sales_book(tmp_path / "targets_only.xlsx")
    assert targets > 0
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    assert f"销售额目标 {targets:,.0f}" in result.output  # not a silent 0
    assert "注意：" in result.output and "沿用本期目标" in result.output
    assert "note: " not in result.output  # a zh book's report is in Chinese only
    rows = table_rows(openpyxl.load_workbook(book), "PlanTargets")
    total = next(r for r in rows[1:] if r[6] == "revenue" and r[2] == SAMPLE_PERIOD.next.label)
    assert total[7] == targets and total[10].startswith("本期目标")
    assert "截至本期末没有销售额" in total[10]
    # split over the reps by their targets, and the basis says so
    parts = [r for r in rows[1:] if r[6] == "revenue" and r[4] == "分解"]
    assert {r[10] for r in parts} == {"按本期目标占比分到人：本期没有销售额"}


def test_with_nothing_to_base_a_target_on_the_plan_asks_for_one(tmp_path):
    book, _ = _no_sales_book(tmp_path / "empty.xlsx", targets=False)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    assert "销售额目标 0（无依据" in result.output
    assert "注意：" in result.output and "--target 金额" in result.output
    assert "note: " not in result.output and "--target AMOUNT" not in result.output
    rows = table_rows(openpyxl.load_workbook(book), "PlanTargets")
    total = next(r for r in rows[1:] if r[6] == "revenue" and r[2] == SAMPLE_PERIOD.next.label)
    assert total[7] == 0 and "--target" in total[10] and "无依据" in total[10]
    # once a target is given, the plan is remade with no note
    again = CliRunner().invoke(main, ["plan", str(book), "--target", "50000"])
    assert again.exit_code == 0 and "--target 金额" not in again.output
    assert "销售额目标 50,000" in again.output
    # no deal to take an order value from: no deals, visits or new-customers target of 0
    assert "注意：近 3 个月没有成交" in again.output and "note: " not in again.output
    rows = table_rows(openpyxl.load_workbook(book), "PlanTargets")
    assert not {"deals", "visits", "new_customers"} & {r[6] for r in rows[1:]}


def test_an_english_books_plan_notes_are_in_english_only(tmp_path):
    """No sales and no deal won: the notes of an en book's plan are in English alone,
    each a ``note: …`` line written alike (as validate and kpis report in the book's
    language)."""
    book, targets = _no_sales_book(tmp_path / "targets_only.xlsx", lang="en")
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    assert "注意" not in result.output
    assert not any("\u4e00" <= c <= "\u9fff" for c in result.output), result.output
    notes = [line.strip() for line in result.output.splitlines() if "note:" in line.lower()]
    assert [n.split(" ", 3)[:3] for n in notes] == [
        ["note:", "there", "is"], ["note:", "no", "deal"]], notes
    assert f"the target is this period's targets, {targets:,.0f}" in notes[0]
    assert "--target AMOUNT" in notes[0]


@pytest.mark.parametrize(("lang", "currency", "unit"), [
    ("zh", None, "元"), ("en", None, "CNY"), ("zh", "HKD", "HKD"), ("en", "HKD", "HKD")])
def test_targets_in_money_are_in_the_books_currency(tmp_path, lang, currency, unit):
    """The unit of the revenue and pipeline targets is the book's currency (`new
    --currency`): its code, the yuan in a zh book 元 — not "money"."""
    book = tmp_path / "book.xlsx"
    made = CliRunner().invoke(main, ["new", "--lang", lang, "--period", "2026-10", "-o",
                                     str(book), *(["--currency", currency] if currency else [])])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(main, ["plan", str(book), "--target", "50000"])
    assert result.exit_code == 0, result.output
    rows = table_rows(openpyxl.load_workbook(book), "PlanTargets")
    units = {r[6]: r[8] for r in rows[1:]}
    assert units["revenue"] == units["pipeline"] == unit
    # a rate's cell shows its % (90.00%): its unit says what it is a share of, not "%" again
    assert units["collection_rate"] == {"zh": "占开票金额", "en": "of invoiced"}[lang]


def test_the_money_unit_names_the_currency_as_the_book_types_it():
    from xlsales.plan.units import money_unit

    for typed in ("CNY", "cny", " RMB ", "人民币", None, "", "  "):
        assert (money_unit(typed, "zh"), money_unit(typed, "en")) == ("元", "CNY"), typed
    # a code where the text names one currency, else the text as typed (元: 3 of them)
    for typed, code in (("hkd", "HKD"), ("港币", "HKD"), ("NT$", "TWD"), ("EUR", "EUR"),
                        ("SGD", "SGD"), ("新加坡元", "SGD"), ("星币", "星币"), ("¥", "¥")):
        assert money_unit(typed, "zh") == money_unit(typed, "en") == code, typed


def test_without_visits_recorded_no_visits_target_rather_than_zero(tmp_path):
    """A team that keeps no activity log gets no visits target (a 0 would read as 'no
    visits needed'), and the plan says why; its other process targets stay."""
    from xlsales.build.workbook import build_workbook
    from xlsales.workbook_data import BuildOptions

    data = sample_workbook_data("en")
    data.tables["Activities"] = data.tables["Activities"].iloc[0:0]
    book = tmp_path / "no_log.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="Team"), data)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    assert "note: no visit recorded on the activities sheet in the last 3 months" \
        in result.output and "注意" not in result.output
    kpis = {r[6] for r in table_rows(openpyxl.load_workbook(book), "PlanTargets")[1:]}
    assert "visits" not in kpis and {"deals", "new_customers", "pipeline"} <= kpis


def test_a_trend_of_zero_falls_back_to_the_targets():
    """Revenue falling to nothing in the months before a period without sales: a linear
    trend of 0 is no target either."""
    from xlsales.spec import SPEC

    sales = pd.DataFrame({"order_id": ["a", "b"], "rep": ["A"] * 2, "customer": ["C"] * 2,
                          "stage": ["won"] * 2, "amount": [30_000.0, 20_000.0],
                          "date": [date(2026, 6, 5), date(2026, 7, 5)]})
    targets = pd.DataFrame([[date(2026, 9, 1), "A", 25_000.0]],
                           columns=["period", "rep", "revenue_target"]
                           ).reindex(columns=SPEC.table("Targets").keys)
    inp = PlanInput(Period.parse("2026-09"), "en", "Team",
                    {"Sales": sales, "Targets": targets}, ["A"])
    plan = generate_plan(inp)
    assert plan.total_target == 25_000 and "falls to 0" in plan.basis[1]
    assert plan.notes and "this period's targets" in plan.notes[0][1]


@pytest.mark.parametrize("method", ["seasonal", "history"])
def test_a_split_over_months_without_history_is_labelled_even(method):
    inp = PlanInput(Period.parse("2026-Q3"), "en", "Team", {}, ["A"])
    plan = generate_plan(inp, PlanOptions(target=90_000, method=method))
    t = plan.tables["PlanTargets"]
    months = t[(t["kpi"] == "revenue") & (t["scope"] == "total")
               & (t["period_label"] != "2026-Q4")]
    assert months["value"].tolist() == [30_000] * 3
    assert set(months["basis"]) == {"even: no history for those months"}


def test_seasonal_without_a_full_year_says_it_used_last_years_months():
    sales = pd.DataFrame({"order_id": ["a", "b"], "rep": ["A", "A"], "customer": ["C", "C"],
                          "stage": ["won", "won"], "amount": [10_000.0, 20_000.0],
                          "date": [date(2025, 10, 3), date(2025, 11, 3)]})
    inp = PlanInput(Period.parse("2026-Q3"), "zh", "Team", {"Sales": sales}, ["A"])
    t = generate_plan(inp, PlanOptions(target=90_000)).tables["PlanTargets"]
    months = t[(t["kpi"] == "revenue") & (t["scope"] == "total")
               & (t["period_label"] != "2026-Q4")]
    assert months["value"].tolist() == [30_000, 60_000, 0]
    assert set(months["basis"]) == {"按去年同期：历史不足一年，无法计算季节性"}


def test_a_book_without_reps_gives_the_whole_target_to_its_owner_and_says_so():
    inp = PlanInput(Period.parse("2026-11"), "en", "Team", {}, [])
    t = generate_plan(inp, PlanOptions(target=30_000)).tables["PlanTargets"]
    parts = t[(t["kpi"] == "revenue") & (t["scope"] == "part")]
    assert set(parts["rep"]) == {"Team"} and parts["value"].sum() == 30_000
    assert set(parts["basis"]) == {"all to the owner: no reps listed"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_rep_with_no_share_is_named_with_the_splits_that_give_them_a_target(lang):
    """A rep added to the list this period got 0 in every week of the plan without a
    word: the plan notes say who gets nothing by share, and what gives them a target."""

    inp = sample_input(lang)
    inp = replace(inp, reps=[*inp.reps, "Newbie"])
    plan = generate_plan(inp, PlanOptions())
    mine = plan.tables["PlanTargets"].query("rep == 'Newbie' and kpi == 'revenue'")
    assert len(mine) > 0 and (mine["value"] == 0).all()
    notes = [n[0 if lang == "zh" else 1] for n in plan.notes]
    said = [n for n in notes if "Newbie" in n]
    assert len(said) == 1 and "--split weights" in said[0] and "--split equal" in said[0]
    equal = generate_plan(inp, PlanOptions(split="equal"))
    assert not any("Newbie" in n[1] for n in equal.notes)
    assert (equal.tables["PlanTargets"].query("rep == 'Newbie' and kpi == 'revenue'")["value"]
            > 0).all()


@pytest.mark.parametrize("given", [1_234_567.0, 1_000_003.0, 600_000.0, 8_888.5, 99.99])
def test_a_given_target_is_kept_exactly(given):
    """`plan --target 1234567` planned 1,234,600 (and 1000003 1,000,000) while its basis
    said "target given on the command line": a target someone gives is split as given."""
    plan = generate_plan(sample_input(), PlanOptions(target=given))
    t = plan.tables["PlanTargets"]
    assert plan.total_target == given
    revenue = t[t["kpi"] == "revenue"]
    assert revenue.iloc[0]["value"] == given
    assert revenue[revenue["scope"] == "part"]["value"].sum() == pytest.approx(given, abs=1e-6)
    # no floating-point residue in the cells (99.99000000000001, 6.140000000000001)
    assert all(round(v, 2) == v for v in revenue["value"])


def _collection_input(period_text: str, targets: list[tuple], lang: str = "en",
                      collected: float = 50_000.0) -> PlanInput:
    """A one-rep book of ``period_text`` with 100,000 invoiced and ``collected`` in its
    first month, and Targets rows (month, revenue target, collection-rate target)."""
    period = Period.parse(period_text)
    sales = pd.DataFrame({"order_id": ["S1"], "rep": ["A"], "customer": ["C"],
                          "stage": ["won"], "amount": [100_000.0],
                          "date": [period.start + timedelta(days=9)],
                          "invoiced": [100_000.0], "collected": [collected]})
    frame = pd.DataFrame(targets, columns=["period", "revenue_target",
                                           "collection_rate_target"]).assign(rep="A")
    return PlanInput(period, lang, "A", {"Sales": sales, "Targets": frame.reindex(
        columns=SPEC.table("Targets").keys)}, ["A"])


def _collection_row(plan) -> pd.Series:
    t = plan.tables["PlanTargets"]
    return t[(t["kpi"] == "collection_rate") & (t["scope"] == "total")].iloc[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_collection_target_is_this_periods_not_the_mean_of_every_month(lang):
    """A December target of 95% after a year of 50% planned January at 54.1%, the mean of
    every month on the Targets sheet: the goal is the period's own target, and the basis
    names it."""
    rows = [(date(2026, m, 1), 100_000.0, 0.95 if m == 12 else 0.5) for m in range(1, 13)]
    row = _collection_row(generate_plan(_collection_input("2026-12", rows, lang)))
    assert row["value"] == 0.95
    assert "95.0%" in row["basis"] and "50.0%" in row["basis"]
    # above the target, this period's rate is the floor
    high = _collection_input("2026-12", rows, lang, collected=97_000.0)
    assert _collection_row(generate_plan(high))["value"] == 0.97


def test_a_quarters_collection_target_is_the_kpi_sheets_target_of_its_months():
    """A quarter book: the mean of its three months' targets, the collection rate target
    its KPI sheet shows (not the months before or after it)."""
    from xlsales.kpis import compute_kpis

    rows = [(date(2026, 9, 1), 100_000.0, 0.5), (date(2026, 10, 1), 100_000.0, 0.8),
            (date(2026, 11, 1), 100_000.0, 0.8), (date(2026, 12, 1), 200_000.0, 0.9),
            (date(2027, 1, 1), 100_000.0, 0.99)]
    inp = _collection_input("2026-Q4", rows)
    row = _collection_row(generate_plan(inp))
    shown = compute_kpis(inp.tables, inp.period).kpis["collection_rate_target"]
    assert row["value"] == 0.833 and shown == pytest.approx(0.8333333)  # rounded to 0.1%
    assert "83.3% (the mean of its rows)" in row["basis"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_collection_target_this_period_the_default_is_said(lang):
    """Targets of other months only: the default 90%, not their mean, and the basis says
    the period had none."""
    rows = [(date(2026, m, 1), 100_000.0, 0.6) for m in range(1, 12)]
    row = _collection_row(generate_plan(_collection_input("2026-12", rows, lang)))
    assert row["value"] == 0.9 and "90%" in row["basis"]


@pytest.mark.parametrize("target", [None, 600_000.0, 1_234_567.0])
def test_the_new_customer_revenue_target_is_rounded_as_the_other_amounts(target):
    """An action watching new-customer revenue had 124,417.27 (62,432.43 in a tester's
    book) for its target, while the revenue and pipeline targets are round amounts."""
    from xlsales.plan.rounding import rounding_unit
    from xlsales.plan.targets import plan_targets

    problems = sample_workbook_data("en").tables["Problems"].copy()
    problems.loc[problems["problem_id"] == "P06", "category"] = "Pipeline shortfall"
    inp = sample_input(Problems=problems)
    team = plan_targets(inp, PlanOptions(target=target))[2]
    value = team["new_customer_revenue"]
    assert 0 < value <= team["revenue"]
    assert value == round(value / rounding_unit(value)) * rounding_unit(value)
    actions = generate_plan(inp, PlanOptions(target=target)).tables["PlanActions"]
    watched = actions.loc[actions["kpi"] == "new_customer_revenue", "kpi_target"]
    assert len(watched) and set(watched) == {value}


def test_without_a_deal_won_no_action_watches_a_target_of_zero():
    """The period had no won deal yet (next month's book, planned early): an action
    watching deal customers got a target of 0, a number with no basis (the README: such
    a target is left out, not set to 0)."""
    sales = sample_workbook_data("en").tables["Sales"]
    before = sales[pd.to_datetime(sales["date"]) < pd.Timestamp(SAMPLE_PERIOD.start)]
    plan = generate_plan(sample_input(Sales=before))
    actions = plan.tables["PlanActions"]
    watched = actions.loc[actions["kpi"].isin(["customers", "aov"]), "kpi_target"]
    assert not (pd.to_numeric(watched, errors="coerce") == 0).any(), watched.tolist()


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "本期尚无开票（回款率无从计算），按目标表中本期的回款率目标 95.0%"),
    ("en", "no invoice this period yet (no collection rate), and this period's "
           "collection-rate target on the targets sheet, 95.0%")])
def test_the_collection_basis_without_an_invoice_says_so(lang, said):
    """No invoice yet this period: the basis read "不低于本期回款率 – 与…", a dash where
    the rate would be."""
    inp = _collection_input("2026-12", [(date(2026, 12, 1), 100_000.0, 0.95)], lang)
    inp.tables["Sales"]["invoiced"] = None
    inp.tables["Sales"]["collected"] = None
    row = _collection_row(generate_plan(inp))
    assert row["value"] == 0.95 and said in row["basis"] and "–" not in row["basis"]


def test_a_plan_made_before_its_period_ends_says_so(tmp_path):
    """A quarter planned in November: one month's sales against a whole quarter before,
    growth -73%, and nothing said. The plan is made, with a note of the period's end, its
    last record and how to plan again; a period that is over gets no such note."""
    from xlsales.plan.running import running_period_note

    today = date.today()
    running = Period.parse(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    book = tmp_path / "running.xlsx"
    data = sample_workbook_data("zh")
    data = replace(data, info={**data.info, "period_type": "quarter",
                               "period_start": running.start})
    build_workbook(book, team_options("zh", running), data)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code in (0, 1), result.output
    assert f"注意：本期（{running.label}）到 {running.end.isoformat()} 才结束" in result.output
    assert "--replace 重新生成" in result.output
    # planned into a copy: the copy is what to plan again (BOOK was not changed)
    copy = tmp_path / "copy.xlsx"
    result = CliRunner().invoke(main, ["plan", str(book), "-o", str(copy)])
    assert result.exit_code in (0, 1), result.output
    assert f"-o {copy} --force 重新生成" in result.output, result.output
    assert "--replace" not in result.output
    sales = pd.DataFrame({"date": pd.to_datetime(["2026-10-05", "2026-10-31", "2027-01-02"])})
    q4 = Period.parse("2026-Q4")
    zh, en = running_period_note(q4, sales, date(2026, 11, 28), ("", ""))
    assert "本期销售记录最晚到 2026-10-31" in zh and "last sales record is dated 2026-10-31" in en
    assert running_period_note(q4, sales, date(2026, 12, 31), ("", "")) is None


def test_without_new_customers_lately_no_new_customer_targets_rather_than_zero():
    """A team whose won deals of the last 3 months are all with existing customers gets
    no new-customers target and no new-customer revenue goal on an action (a 0 would
    read as "none needed", though its flagged problem may be winning too few), and the
    plan says why; its other process targets stay."""
    from xlsales.plan.targets import plan_targets

    data = sample_workbook_data("en")
    sales = data.tables["Sales"].assign(customer_type="existing")
    playbook = pd.DataFrame([{"category": "Customer churn", "action": "Win new accounts",
                              "days": 20, "kpi": "new_customer_revenue"}]
                            ).reindex(columns=SPEC.table("Playbook").keys)
    inp = PlanInput(SAMPLE_PERIOD, "en", "Team",
                    {**data.tables, "Sales": sales, "Playbook": playbook,
                     "BudgetCaps": data.budget_caps}, data.lists["rep"], data.assumptions)
    frame, _, team, unbased = plan_targets(inp, PlanOptions())
    assert {"deals", "visits", "pipeline"} <= set(frame["kpi"])
    assert "new_customers" not in set(frame["kpi"])
    assert "new_customers" not in team and "new_customer_revenue" not in team
    assert [en for _, en in unbased] == [
        "no new customer won in the last 3 months, so no new-customers target was set from "
        "new customers per deal (rather than 0), and an action's new-customer revenue goal "
        "is left empty; add them on the plan targets sheet if needed."]
    actions = generate_plan(inp).tables["PlanActions"]
    goal = actions.loc[actions["what"].eq("Win new accounts"), "kpi_target"]
    assert len(goal) == 1 and goal.isna().all()
    # with new customers won lately, both are set, above 0
    _, _, team, unbased = plan_targets(replace(inp, tables={**inp.tables,
                                                            "Sales": data.tables["Sales"]}),
                                       PlanOptions())
    assert team["new_customers"] > 0 and team["new_customer_revenue"] > 0 and not unbased


def test_an_option_the_book_cannot_plan_with_names_the_book(sample_books, tmp_path):
    """`plan 华东.xlsx --split weights` on a book whose rep list holds no weights said
    only 'no weights are set in the settings sheet': a director planning several books
    could not tell which one lacked them."""
    book = tmp_path / "华东.xlsx"
    shutil.copy(sample_books["zh"], book)
    result = CliRunner().invoke(main, ["plan", str(book), "--split", "weights", "-o",
                                       str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2, result.output
    assert "华东.xlsx：设置表的销售人员名单里没有填写分配权重" in result.output
    assert not (tmp_path / "out.xlsx").exists()
