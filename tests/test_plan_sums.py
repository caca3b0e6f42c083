"""A plan's totals against the reps' rows they cover (rule ``plan_parts_differ``): the
next period's workbook takes its targets from the reps' rows, so a total edited alone
would be dropped without a word."""

from __future__ import annotations

import shutil
from dataclasses import replace
from types import SimpleNamespace

import openpyxl
import pandas as pd
from click.testing import CliRunner
from openpyxl.utils import get_column_letter, range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import ReadTable, read_workbook
from xlsales.periods import Period
from xlsales.sample import sample_workbook_data
from xlsales.spec import SPEC
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions


def _plan_cells(book) -> tuple[openpyxl.Workbook, dict[str, str]]:
    """The workbook and, per target ID, the address of its value cell."""
    wb = openpyxl.load_workbook(book)
    keys = SPEC.table("PlanTargets").keys
    for ws in wb:
        if "PlanTargets" in ws.tables:
            c1, r1, _, r2 = range_boundaries(ws.tables["PlanTargets"].ref)
            value = get_column_letter(c1 + keys.index("value"))
            return wb, {ws.cell(r, c1).value: f"{value}{r}" for r in range(r1 + 1, r2 + 1)}
    raise KeyError("PlanTargets")


def _differ(book) -> list[tuple[str | None, object]]:
    return [(f.cell, f.value) for f in validate(read_workbook(book))
            if f.rule == "plan_parts_differ"]


def _planned(tmp_path, data, period: Period, lang: str = "en"):
    book = tmp_path / f"book_{period.label}.xlsx"
    data = replace(data, info={**data.info, "period_type": period.type.value,
                               "period_start": period.start})
    build_workbook(book, BuildOptions(lang=lang, period=period, level="team", role="manager",
                                      owner="Team 1"), data)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    return book


def test_an_edited_total_or_rep_row_is_named_at_the_total(tmp_path, sample_books):
    book = tmp_path / "zh.xlsx"
    shutil.copy(sample_books["zh"], book)
    assert CliRunner().invoke(main, ["plan", str(book)]).exit_code == 0
    assert _differ(book) == []  # a generated plan adds up
    plan = read_workbook(book).frame("PlanTargets").set_index("target_id")
    wb, cells = _plan_cells(book)
    ws = wb[read_workbook(book).tables["PlanTargets"].sheet]
    whole = plan.index[0]  # the month's revenue total, then a week's total and its reps
    week, rep_row = plan.index[plan["period_label"].str.endswith("-W2")][:2]
    ws[cells[whole]] = 2_000_000
    ws[cells[rep_row]] = float(plan.loc[rep_row, "value"]) + 18_700
    wb.save(book)
    found = [f for f in validate(read_workbook(book)) if f.rule == "plan_parts_differ"]
    reps_sum = float(plan.loc[plan["scope"].eq("part") & plan["kpi"].eq("revenue"),
                              "value"].sum()) + 18_700
    week_sum = float(plan.loc[plan["period_label"].eq(plan.loc[week, "period_label"])
                              & plan["scope"].eq("part"), "value"].sum()) + 18_700
    assert [(f.cell, f.value) for f in found] == [(cells[whole], 2_000_000),
                                                   (cells[week], plan.loc[week, "value"])]
    assert f"与各人分解之和 {reps_sum:,.0f} 不符" in found[0].message_zh
    assert f"differs from the sum of the reps' rows, {week_sum:,.0f}" in found[1].message_en
    assert all(f.severity.value == "warning" for f in found)


def test_a_year_plans_quarter_total_is_checked_against_the_months_inside_it(tmp_path):
    year = Period.parse("2026")
    book = _planned(tmp_path, sample_workbook_data("en"), year)
    assert _differ(book) == []
    plan = read_workbook(book).frame("PlanTargets").set_index("target_id")
    q2 = plan.index[plan["period_label"].eq("2027-Q2") & plan["kpi"].eq("revenue")][0]
    wb, cells = _plan_cells(book)
    ws = wb[read_workbook(book).tables["PlanTargets"].sheet]
    ws[cells[q2]] = float(plan.loc[q2, "value"]) + 1000
    wb.save(book)
    assert _differ(book) == [(cells[q2], float(plan.loc[q2, "value"]) + 1000)]


def test_a_reps_whole_month_row_added_by_hand_is_counted_as_new_from_carries_it(tmp_path):
    """A whole-month row for a rep (added by hand): the warning compared the month's total
    with that one row (50,000) and advised setting the total to it, while `new --from`
    carried every rep's weeks plus it. Now both read the plan alike: the rep's month row
    stands for their weeks."""
    from xlsales.carry_over import targets_from_plan
    from xlsales.plan import PlanInput, generate_plan
    from xlsales.sample import SAMPLE_PERIOD
    from xlsales.validation.plan_sums import plan_sum_findings

    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    plan = generate_plan(PlanInput(SAMPLE_PERIOD, "en", "T", {**data.tables}, reps,
                                   data.assumptions)).tables["PlanTargets"]
    nxt = SAMPLE_PERIOD.next
    weekly = plan[(plan["kpi"] == "revenue") & (plan["scope"] == "part")]
    for rep, expected_change in (("Newcomer", 50_000.0),
                                 (reps[0], 50_000.0 - weekly[weekly["rep"] == reps[0]]
                                  ["value"].sum())):
        added = pd.concat([plan, pd.DataFrame([{
            "target_id": "T999", "period": nxt.start, "period_label": nxt.label, "rep": rep,
            "scope": "part", "metric": "Revenue", "kpi": "revenue", "value": 50_000.0}])],
            ignore_index=True)
        carried = targets_from_plan(added, nxt, "T")["revenue_target"].sum()
        assert carried == plan["value"].iloc[0] + expected_change
        keys = SPEC.table("PlanTargets").keys
        table = ReadTable(SPEC.table("PlanTargets"), "Plan Targets", 4,
                          {k: i + 1 for i, k in enumerate(keys)},
                          list(range(5, 5 + len(added))), added[keys])
        found = list(plan_sum_findings(SimpleNamespace(lang="zh"), table))
        assert [f.row for f in found] == [5]  # the month's total, against what is carried
        assert f"与各人分解之和 {carried:,.0f} 不符" in found[0].message_zh


def test_a_hand_added_row_without_its_start_is_read_by_its_label(tmp_path):
    """A row typed into a year plan without its start (期间开始 left empty): new --from
    died with a TypeError, and the check left the row out while new --from counted it."""
    from xlsales.carry_over import targets_from_plan
    from xlsales.plan import PlanInput, generate_plan
    from xlsales.validation.plan_sums import plan_sum_findings

    data = sample_workbook_data("en")
    year = Period.parse("2026")
    plan = generate_plan(PlanInput(year, "en", "T", {**data.tables}, data.lists["rep"],
                                   data.assumptions)).tables["PlanTargets"]
    added = pd.concat([plan, pd.DataFrame([{
        "target_id": "T999", "period": None, "period_label": "2027-Q1", "rep": "Newcomer",
        "scope": "part", "metric": "Revenue", "kpi": "revenue", "value": 150_000.0}])],
        ignore_index=True)
    carried = targets_from_plan(added, year.next, "T")
    newcomer = carried[carried["rep"] == "Newcomer"]["revenue_target"].tolist()
    assert sum(newcomer[:3]) == 150_000 and sum(newcomer[3:]) == 0
    keys = SPEC.table("PlanTargets").keys
    table = ReadTable(SPEC.table("PlanTargets"), "Plan Targets", 4,
                      {k: i + 1 for i, k in enumerate(keys)},
                      list(range(5, 5 + len(added))), added[keys])
    found = list(plan_sum_findings(SimpleNamespace(lang="en"), table))
    labels = {added.loc[f.row - 5, "period_label"] for f in found}
    # the year's, Q1's and its months' totals fall short of the rows carried
    assert labels == {"2027", "2027-Q1", "2027-01", "2027-02", "2027-03"}
    assert f"{carried['revenue_target'].sum():,.0f}" in next(
        f.message_en for f in found if added.loc[f.row - 5, "period_label"] == "2027")


def test_one_row_added_to_a_year_plan_is_one_warning_naming_the_totals_holding_it():
    """A rep's month row typed into a year plan made the month's, the quarter's and the
    year's totals differ by its amount: three warnings for one row. Now one, at the month,
    naming the quarter and the year (whose totals need the same change); two rows in two
    months of a quarter still get the quarter and year warned on their own."""
    from xlsales.plan import PlanInput, generate_plan
    from xlsales.validation.plan_sums import plan_sum_findings

    data = sample_workbook_data("en")
    plan = generate_plan(PlanInput(Period.parse("2026"), "en", "T", {**data.tables},
                                   data.lists["rep"], data.assumptions)).tables["PlanTargets"]
    keys = SPEC.table("PlanTargets").keys

    def found(*months: str) -> tuple[list, dict[str, str]]:
        added = pd.concat([plan, *(pd.DataFrame([{
            "target_id": f"T9{i}", "period": Period.parse(m).start, "period_label": m,
            "rep": "Newcomer", "scope": "part", "metric": "Revenue", "kpi": "revenue",
            "value": 50_000.0}]) for i, m in enumerate(months))], ignore_index=True)
        table = ReadTable(SPEC.table("PlanTargets"), "Plan Targets", 4,
                          {k: i + 1 for i, k in enumerate(keys)},
                          list(range(5, 5 + len(added))), added[keys])
        totals = added[added["scope"].eq("total") & added["kpi"].eq("revenue")]
        cells = {label: table.cell("value", pos) for pos, label in
                 zip(totals.index, totals["period_label"], strict=True)}
        return list(plan_sum_findings(SimpleNamespace(lang="en"), table)), cells

    one, cells = found("2027-03")
    assert [f.cell for f in one] == [cells["2027-03"]]
    assert one[0].message_en.endswith(
        f"The totals holding it, 2027-Q1 ({cells['2027-Q1']}), 2027 ({cells['2027']}), "
        "differ by the same 50,000 for the same reason: if you change this total, change "
        "those with it.")
    assert f"包含它的 2027-Q1（{cells['2027-Q1']}）、2027（{cells['2027']}）的总目标也因此相差 " \
           "50,000" in one[0].message_zh
    two, cells = found("2027-02", "2027-03")
    assert sorted(f.cell for f in two) == sorted(cells[m] for m in ("2027-02", "2027-03",
                                                                   "2027-Q1", "2027"))
    assert not any("holding it" in f.message_en for f in two)
    q2, cells = found("2027-02", "2027-05")  # one row in each of two quarters
    assert sorted(f.cell for f in q2) == sorted(cells[m] for m in ("2027-02", "2027-05",
                                                                  "2027"))
    assert sum("holding it, 2027-Q1" in f.message_en for f in q2) == 1


def _year_book(tmp_path) -> tuple[object, pd.DataFrame]:
    """The sample team's 2026 book, planned through the CLI, and its plan's revenue rows."""
    year = Period.parse("2026")
    book = tmp_path / "team_2026.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=year, level="team", role="manager",
                                      owner="Team 1"), sample_workbook_data("en", year))
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    plan = read_workbook(book).frame("PlanTargets")
    return book, plan[plan["kpi"].eq("revenue")].reset_index(drop=True)


def test_a_year_plan_gives_each_rep_quarter_targets_that_add_up_both_ways(tmp_path):
    """A director planning 2027 wants each team's Q1–Q4 targets: a year plan had quarter
    rows for the whole team only. Now each rep has a row per quarter, after the quarter's
    total and before its months; a rep's quarters sum exactly to their year (their
    months), a quarter's rows to its total, a rep's months in a quarter to their quarter."""
    book, plan = _year_book(tmp_path)
    reps = sample_workbook_data("en").lists["rep"]
    parts, totals = plan[plan["scope"].eq("part")], plan[plan["scope"].eq("total")]
    quarters = [f"2027-Q{i}" for i in range(1, 5)]
    by_quarter = parts[parts["period_label"].isin(quarters)]
    assert sorted(by_quarter["rep"]) == sorted(reps * 4)
    months = parts[parts["period_label"].str.fullmatch(r"2027-\d\d")]
    year = float(totals.loc[totals["period_label"].eq("2027"), "value"].iat[0])
    assert by_quarter["value"].sum() == year
    for rep in reps:
        mine = by_quarter[by_quarter["rep"].eq(rep)]
        assert mine["value"].sum() == months.loc[months["rep"].eq(rep), "value"].sum()
        for q, value in zip(mine["period_label"], mine["value"], strict=True):
            inside = [m.label for m in Period.parse(q).months_in()]
            assert months.loc[months["rep"].eq(rep) & months["period_label"].isin(inside),
                              "value"].sum() == value, (rep, q)
    for q in quarters:
        total = totals.loc[totals["period_label"].eq(q), "value"].iat[0]
        assert by_quarter.loc[by_quarter["period_label"].eq(q), "value"].sum() == total
    # the sheet reads year, then per quarter: its total, its reps, then each month's
    # total and reps
    labels = plan["period_label"].tolist()
    q1 = labels.index("2027-Q1")
    assert labels[q1:q1 + 1 + len(reps)] == ["2027-Q1"] * (1 + len(reps))
    assert plan["scope"].iat[q1] == "total" and labels[q1 + 1 + len(reps)] == "2027-01"
    assert labels.index("2027-Q2") > labels.index("2027-03")
    assert _differ(book) == []  # the plan's totals add up with the new rows


def test_new_from_a_planned_year_takes_the_reps_months_not_their_quarters_too(tmp_path):
    """`new --from` a planned year: the next book's monthly targets are the reps' month
    rows (each rep's quarter is the sum of their three months, never a month more)."""
    book, plan = _year_book(tmp_path)
    nxt = tmp_path / "team_2027.xlsx"
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(nxt)])
    assert result.exit_code == 0, result.output
    targets = read_workbook(nxt).frame("Targets")
    targets = targets[pd.to_datetime(targets["period"]) >= pd.Timestamp("2027-01-01")]
    carried = targets.assign(month=pd.to_datetime(targets["period"]).dt.strftime("%Y-%m"))
    months = plan[plan["scope"].eq("part") & plan["period_label"].str.fullmatch(r"2027-\d\d")]
    assert sorted(zip(carried["rep"], carried["month"], carried["revenue_target"],
                      strict=True)) == \
        sorted(zip(months["rep"], months["period_label"], months["value"], strict=True))
    quarters = plan[plan["scope"].eq("part") & plan["period_label"].str.contains("Q")]
    assert len(quarters) == 4 * carried["rep"].nunique()
    for rep, q, value in zip(quarters["rep"], quarters["period_label"], quarters["value"],
                             strict=True):
        inside = [m.label for m in Period.parse(q).months_in()]
        assert carried.loc[carried["rep"].eq(rep) & carried["month"].isin(inside),
                           "revenue_target"].sum() == value


def test_a_reps_month_or_quarter_edited_alone_is_the_one_carried_and_warned(tmp_path):
    """A rep's quarter row and their months, edited on one side only, disagree: the one
    edited is carried by `new --from` (a month edited alone exactly, as before the plan had
    rep quarters; a quarter edited alone spread over its months), and a warning at the
    rep's quarter row says which is taken."""
    book, _ = _year_book(tmp_path)
    read = read_workbook(book)
    plan = read.frame("PlanTargets")
    rep = sample_workbook_data("en").lists["rep"][0]

    def row(label: str) -> str:
        return plan.index[plan["rep"].eq(rep) & plan["period_label"].eq(label)
                          & plan["kpi"].eq("revenue")][0]

    for label, change in (("2027-01", 20_000), ("2027-Q1", 30_000)):
        edited = tmp_path / f"edited_{label}.xlsx"
        shutil.copy(book, edited)
        wb, cells = _plan_cells(edited)
        ws = wb[read.tables["PlanTargets"].sheet]
        target_id = plan.at[row(label), "target_id"]
        ws[cells[target_id]] = float(plan.at[row(label), "value"]) + change
        wb.save(edited)
        found = [f for f in validate(read_workbook(edited)) if f.rule == "plan_rep_parts_differ"]
        quarter_id = plan.at[row("2027-Q1"), "target_id"]
        assert [f.cell for f in found] == [cells[quarter_id]], label
        taken = "the rows inside it" if label == "2027-01" else "this row's"
        assert f"takes {taken}" in found[0].message_en
        nxt = tmp_path / f"next_{label}.xlsx"
        result = CliRunner().invoke(main, ["new", "--from", str(edited), "-o", str(nxt)])
        assert result.exit_code == 0, result.output
        assert f"{rep}'s 2027-Q1 Revenue" in result.output  # the warning, where it is used
        targets = read_workbook(nxt).frame("Targets")
        mine = targets[targets["rep"].eq(rep)
                       & (pd.to_datetime(targets["period"]) >= pd.Timestamp("2027-01-01"))]
        months = plan[plan["rep"].eq(rep) & plan["kpi"].eq("revenue")
                      & plan["period_label"].isin(["2027-01", "2027-02", "2027-03"])]
        q1 = mine["revenue_target"].iloc[:3].tolist()
        if label == "2027-01":  # exactly the month as edited, the others as they were
            assert q1 == [months["value"].iat[0] + change, *months["value"].iloc[1:]]
        else:  # the quarter as edited, over its months
            assert sum(q1) == months["value"].sum() + change
