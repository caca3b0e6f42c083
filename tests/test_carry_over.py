"""`xlsales new --from BOOK`: the next period's targets are the plan's, whoever owns them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter, range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.carry_over import targets_from_plan, total_rows
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.plan import PlanInput, generate_plan
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions, WorkbookData

NEXT = SAMPLE_PERIOD.next


def _planned_book(tmp_path, data: WorkbookData, owner: str, level: str = "individual"):
    book = tmp_path / "book.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=SAMPLE_PERIOD, level=level,
                                      role="rep", owner=owner), data)
    result = CliRunner().invoke(main, ["plan", str(book)])
    assert result.exit_code == 0, result.output
    return book


def _team_plan(tmp_path):
    """The sample team's English book (owned by its manager) with its plan."""
    data = sample_workbook_data("en")
    return _planned_book(tmp_path, data, str(data.info["owner"]), "team")


def _carried(tmp_path, book) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The next book's targets of its period, and the plan they come from."""
    out = tmp_path / "next.xlsx"
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    targets = read_workbook(out).frame("Targets")
    in_next = pd.to_datetime(targets["period"]) >= pd.Timestamp(NEXT.start)
    return targets[in_next], read_workbook(book).frame("PlanTargets")


def _totals(plan: pd.DataFrame) -> pd.Series:
    """The plan's whole-period target of each metric (the first row: a whole comes before
    its parts)."""
    whole = plan[plan["period_label"] == NEXT.label].drop_duplicates("kpi")
    return whole.set_index("kpi")["value"]


def _rep_parts(plan: pd.DataFrame, metric: str) -> dict[str, float]:
    parts = plan[(plan["kpi"] == metric) & (plan["scope"] == "part")]
    return parts.groupby("rep")["value"].sum().to_dict()


def test_an_owner_who_is_also_a_rep_keeps_their_own_targets(tmp_path):
    data = sample_workbook_data("en")
    owner = data.lists["rep"][0]  # the manager sells too
    data = replace(data, info={**data.info, "owner": owner})
    targets, plan = _carried(tmp_path, _planned_book(tmp_path, data, owner, "team"))
    total = _totals(plan)
    by_rep = targets.groupby("rep")["revenue_target"].sum()
    assert owner in by_rep.index and by_rep[owner] > 0
    assert by_rep.sum() == total["revenue"]
    assert by_rep.to_dict() == _rep_parts(plan, "revenue")
    assert targets.groupby("rep")["visits_target"].sum().to_dict() == _rep_parts(plan, "visits")
    # the team's pipeline is shared by every rep, the owner too: not all on one of them
    pipeline = targets.groupby("rep")["pipeline_target"].sum()
    assert pipeline.sum() == total["pipeline"] and pipeline[owner] < total["pipeline"]


def test_an_owner_who_is_the_only_rep(tmp_path):
    owner, member = next(iter(sample_members("en").items()))
    targets, plan = _carried(tmp_path, _planned_book(tmp_path, member, owner))
    assert set(targets["rep"]) == {owner}
    assert targets["revenue_target"].sum() == _totals(plan)["revenue"] > 0


def test_every_plan_target_says_whether_it_is_a_total_or_a_part():
    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    inp = PlanInput(SAMPLE_PERIOD, "en", reps[0], {**data.tables}, reps, data.assumptions)
    plan = generate_plan(inp).tables["PlanTargets"]
    assert set(plan["scope"]) == {"total", "part"}
    # the owner has a total and a part for the same week and metric: only scope tells
    weeks = plan[(plan["rep"] == reps[0]) & (plan["kpi"] == "revenue")
                 & (plan["period_label"] != NEXT.label)]
    scopes = weeks.groupby("period_label")["scope"].apply(sorted)
    assert len(scopes) > 1 and all(s == ["part", "total"] for s in scopes)
    for label, group in plan[plan["kpi"] == "revenue"].groupby("period_label"):
        if label != NEXT.label:
            parts = group[group["scope"] == "part"]["value"].sum()
            assert parts == group[group["scope"] == "total"]["value"].sum()


def test_new_from_reports_in_the_books_language(tmp_path, sample_books):
    import shutil

    book = tmp_path / "zh.xlsx"
    shutil.copy(sample_books["zh"], book)
    assert CliRunner().invoke(main, ["plan", str(book)]).exit_code == 0
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o",
                                       str(tmp_path / "next.xlsx")])
    assert result.exit_code == 0, result.output
    assert f"  从 {book} 延续：目标 " in result.output and "carried over" not in result.output


def test_new_from_never_writes_over_the_book_it_starts_from(tmp_path, sample_books,
                                                           monkeypatch):
    """`new --from nov.xlsx -o nov.xlsx --force` replaced November's summary (its problems,
    lessons, review and plan) with a blank December book: the output being the source is
    refused, --force or not, through another spelling of the path too."""
    import shutil

    book = tmp_path / "nov.xlsx"
    shutil.copy(sample_books["en"], book)
    assert CliRunner().invoke(main, ["plan", str(book)]).exit_code == 0
    before = book.read_bytes()
    monkeypatch.chdir(tmp_path)
    for output in (str(book), "nov.xlsx", f"../{tmp_path.name}/nov.xlsx"):
        result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", output, "--force"])
        assert result.exit_code == 2, result.output
        assert "is the workbook" in result.output and "nothing was done" in result.output
        assert "choose another name with -o" in result.output
        assert "就是要读取的工作簿" in result.output
        assert book.read_bytes() == before


def test_a_year_plans_quarter_targets_are_not_counted_again_in_the_next_years_targets():
    """A year plan holds each quarter's whole and each rep's quarter beside their months:
    the next year's monthly targets are the months', summing to the year's target, not
    one quarter more."""
    from xlsales.periods import Period

    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    year = Period.parse("2026")
    inp = PlanInput(year, "en", "Sales Team 1", {**data.tables}, reps, data.assumptions)
    result = generate_plan(inp)
    plan = result.tables["PlanTargets"]
    assert (plan["period_label"].str.contains("-Q")).sum() == 4 * (1 + len(reps))
    targets = targets_from_plan(plan, year.next, "Sales Team 1")
    assert len(targets) == 12 * len(reps)
    assert targets["revenue_target"].sum() == result.total_target > 0


@pytest.mark.parametrize("owner_is_rep", [True, False])
def test_a_plan_written_before_the_scope_column_is_read_by_its_row_order(owner_is_rep):
    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    owner = reps[0] if owner_is_rep else "Sales Team 1"
    inp = PlanInput(SAMPLE_PERIOD, "en", owner, {**data.tables}, reps, data.assumptions)
    plan = generate_plan(inp).tables["PlanTargets"]
    legacy = plan.drop(columns="scope")
    assert total_rows(legacy, owner).equals(plan["scope"].eq("total"))
    pd.testing.assert_frame_equal(targets_from_plan(legacy, NEXT, owner),
                                  targets_from_plan(plan, NEXT, owner))


def test_a_book_just_made_from_the_plan_has_no_errors_until_its_review_is_due(tmp_path):
    data = sample_workbook_data("en")
    owner = data.info["owner"]
    book = _planned_book(tmp_path, data, owner, "team")
    out = tmp_path / "next.xlsx"
    assert CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)]).exit_code == 0
    fresh = read_workbook(out)
    review = fresh.frame("ActionReview")
    assert len(review) > 1 and review["status"].isna().all()
    during = NEXT.end  # the last day of the period: the review is not due yet
    assert [f for f in validate(fresh, today=during) if f.severity is Severity.ERROR] == []
    # a result without its status is an error straight away
    wb = openpyxl.load_workbook(out)
    ws, result = _cell_of(wb, "ActionReview", "result", row=1)
    ws[result] = "half of the customers visited"
    wb.save(out)
    errors = [f for f in validate(read_workbook(out), today=during)
              if f.severity is Severity.ERROR]
    assert [(f.rule, f.column, f.row) for f in errors] == [("required", "status", ws[result].row)]
    # once the period has ended every status left empty is
    after = NEXT.end + timedelta(days=1)
    errors = [f for f in validate(read_workbook(out), today=after)
              if f.severity is Severity.ERROR]
    assert {f.rule for f in errors} == {"required"} and len(errors) == len(review)
    # the workbook shades what the validator wants: empty statuses, once due
    formulas = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules
                if str(_cell_of(wb, "ActionReview", "status", row=1)[1]) in str(cf.sqref)]
    assert formulas and all("TODAY()>info_period_end" in f for f in formulas)


def _cell_of(wb: openpyxl.Workbook, table: str, key: str, row: int):
    """The sheet and the address of ``table``'s column ``key`` in its ``row``-th data row."""
    for ws in wb:
        if table in ws.tables:
            c1, r1, _, _ = range_boundaries(ws.tables[table].ref)
            column = next(i for i, c in enumerate(SPEC.table(table).columns) if c.key == key)
            return ws, f"{get_column_letter(c1 + column)}{r1 + row}"
    raise KeyError(table)


def test_from_refuses_options_that_would_change_what_it_carries(tmp_path):
    data = sample_workbook_data("en")
    owner = str(data.info["owner"])
    book = _planned_book(tmp_path, data, owner, "team")
    out = tmp_path / "next.xlsx"
    runner = CliRunner()
    for option, value in [("--period", "2027-01"), ("--owner", "Someone else"),
                          ("--level", "company")]:
        result = runner.invoke(main, ["new", "--from", str(book), option, value, "-o",
                                      str(out)])
        assert result.exit_code == 2 and not out.exists(), result.output
        # an English book: its error in English first
        assert result.output.startswith("Error / 错误: ") and f"leave out {option}" in \
            result.output.splitlines()[0]
    # the period the plan is for, and the book's own owner, are what it does anyway
    same = runner.invoke(main, ["new", "--from", str(book), "--period", NEXT.label,
                                "--owner", owner, "-o", str(out)])
    assert same.exit_code == 0, same.output
    assert read_workbook(out).period == NEXT


def _plan_of(owner: str = "Sales Team 1") -> pd.DataFrame:
    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    inp = PlanInput(SAMPLE_PERIOD, "en", owner, {**data.tables}, reps, data.assumptions)
    return generate_plan(inp).tables["PlanTargets"]


def test_a_reps_target_for_the_whole_period_added_by_hand_is_carried():
    """A manager adds a whole-month revenue row for a new rep (whose weekly rows the plan
    made 0): the next workbook gave that rep 0 and dropped the 20,000 without a word."""
    plan = _plan_of()
    weekly = (plan["kpi"] == "revenue") & (plan["scope"] == "part")
    newcomer = plan.loc[weekly, "rep"].iloc[-1]
    plan.loc[weekly & (plan["rep"] == newcomer), "value"] = 0.0
    added = {"target_id": "T999", "period": NEXT.start, "period_label": NEXT.label,
             "rep": newcomer, "scope": "part", "metric": "Revenue", "kpi": "revenue",
             "value": 20000.0}
    plan = pd.concat([plan, pd.DataFrame([added])], ignore_index=True)
    targets = targets_from_plan(plan, NEXT, "Sales Team 1")
    by_rep = targets.groupby("rep")["revenue_target"].sum()
    assert by_rep[newcomer] == 20000
    others = plan[weekly & (plan["rep"] != newcomer)].groupby("rep")["value"].sum()
    assert by_rep.drop(newcomer).to_dict() == others.to_dict()


def test_a_quarter_target_for_a_rep_is_spread_over_the_months_as_their_weeks_are():
    from xlsales.periods import Period

    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    quarter = Period.parse("2026-Q3")
    plan = generate_plan(PlanInput(quarter, "en", "T", {**data.tables}, reps,
                                   data.assumptions)).tables["PlanTargets"]
    rep = reps[0]
    months = plan[(plan["kpi"] == "revenue") & (plan["rep"] == rep)
                  & (plan["scope"] == "part")].set_index("period_label")["value"]
    added = {"period": quarter.next.start, "period_label": quarter.next.label, "rep": rep,
             "scope": "part", "kpi": "revenue", "value": 2 * float(months.sum())}
    plan = pd.concat([plan, pd.DataFrame([added])], ignore_index=True)
    targets = targets_from_plan(plan, quarter.next, "T")
    mine = targets[targets["rep"] == rep]["revenue_target"].tolist()
    assert sum(mine) == 2 * months.sum()
    assert mine == pytest.approx([2 * v for v in months.tolist()], abs=1)


def test_a_metric_the_plan_sets_no_target_for_stays_empty_not_zero():
    """The plan notes "no visits target was set (rather than 0)"; the next workbook then
    wrote a visits target of 0 on every rep's row."""
    plan = _plan_of()
    plan = plan[~plan["kpi"].isin(["visits", "new_customers"])]
    targets = targets_from_plan(plan, NEXT, "Sales Team 1")
    assert targets["visits_target"].isna().all()
    assert targets["new_customers_target"].isna().all()
    assert targets["revenue_target"].sum() > 0 and targets["pipeline_target"].sum() > 0


def test_status_and_result_kept_on_the_plan_sheet_are_carried_to_the_review(tmp_path):
    """An owner marks A01 done with its result on the plan sheet during the period:
    the next workbook's review list had both empty, so A01 was proposed again."""
    book = _team_plan(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws, status = _cell_of(wb, "PlanActions", "status", row=1)
    _, result = _cell_of(wb, "PlanActions", "result", row=1)
    _, doing = _cell_of(wb, "PlanActions", "status", row=2)
    ws[status], ws[result], ws[doing] = "Done", "2 of 3 accounts won back", "In progress"
    wb.save(book)
    out = tmp_path / "next.xlsx"
    assert CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)]).exit_code == 0
    review = read_workbook(out).frame("ActionReview")
    carried = review[["status", "result"]].astype(object).where(review.notna(), None)
    assert carried["status"].tolist()[:3] == ["done", "doing", None]
    assert carried["result"].tolist()[:2] == ["2 of 3 accounts won back", None]


def test_new_from_says_that_the_plan_it_carries_has_errors(tmp_path):
    """A plan with an action due after its period (an error) was carried over with no
    word, while `plan` says when its book has errors."""
    book = _team_plan(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws, due = _cell_of(wb, "PlanActions", "due", row=1)
    ws[due] = NEXT.end + timedelta(days=20)
    wb.save(book)
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o",
                                       str(tmp_path / "next.xlsx")])
    assert result.exit_code == 0, result.output
    assert (f"{book.name}: note: 1 validation error: the new workbook takes the values in "
            "error over as they are") in result.output


def test_new_from_takes_the_latest_plan_version_and_says_so(tmp_path):
    """After `plan --new-version`, `new --from` silently carried version 1 (the edited
    one the user had set aside) and ignored "… v2"."""
    book = _team_plan(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws, what = _cell_of(wb, "PlanActions", "what", row=1)
    ws[what] = "first version, set aside"
    wb.save(book)
    again = CliRunner().invoke(main, ["plan", str(book), "--new-version"])
    assert again.exit_code == 0, again.output
    wb = openpyxl.load_workbook(book)
    v2 = wb["Plan Actions v2"]
    c1, r1, _, _ = range_boundaries(v2.tables["PlanActionsV2"].ref)
    keys = SPEC.table("PlanActions").keys
    v2.cell(r1 + 2, c1 + keys.index("what")).value = "second version's action"
    wb.save(book)
    out = tmp_path / "next.xlsx"
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "from plan version 2 (the '… v2' sheets), the last one written" in result.output
    whats = read_workbook(out).frame("ActionReview")["what"].tolist()
    assert whats[1] == "second version's action" and "first version, set aside" not in whats


def test_values_that_cannot_be_read_are_carried_as_typed(tmp_path):
    """An amount typed 一百 and a customer type VIP came into the next workbook as empty
    cells (a won row then lacked its amount, with no trace of what was typed), while
    the note said the rows were taken over as they are."""
    book = _team_plan(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws, amount = _cell_of(wb, "Sales", "amount", row=3)
    _, kind = _cell_of(wb, "Sales", "customer_type", row=4)
    _, long_amount = _cell_of(wb, "Sales", "amount", row=5)
    ws[amount], ws[kind], ws[long_amount] = "一百", "VIP", 12345678901234567
    targets, month = _cell_of(wb, "Targets", "period", row=1)
    targets[month] = "去年十月"  # a target row whose month cannot be read: not dropped
    wb.save(book)
    out = tmp_path / "next.xlsx"
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    carried = openpyxl.load_workbook(out)
    sheet, new_amount = _cell_of(carried, "Sales", "amount", row=3)
    _, new_kind = _cell_of(carried, "Sales", "customer_type", row=4)
    _, new_long = _cell_of(carried, "Sales", "amount", row=5)
    assert (sheet[new_amount].value, sheet[new_kind].value) == ("一百", "VIP")
    assert sheet[new_long].value == pytest.approx(12345678901234567)  # as Excel keeps it
    found = {(f.rule, str(f.value)) for f in validate(read_workbook(out))
             if f.severity is Severity.ERROR}
    assert {r for r, _ in found} == {"bad_number", "not_allowed", "number_too_long",
                                     "bad_month"}
    assert {("bad_number", "一百"), ("not_allowed", "VIP"), ("bad_month", "去年十月")} <= found


def test_an_action_carried_twice_keeps_where_it_came_from():
    """An action carried from problem P01 said so ("problem P01 of the last period; …")
    in its first carry; carried a second time its why was empty: the link was lost."""
    from xlsales.carry_over import review_from_plan

    data = sample_workbook_data("en")
    reps = data.lists["rep"]
    first = generate_plan(PlanInput(SAMPLE_PERIOD, "en", "T", {**data.tables}, reps,
                                    data.assumptions)).tables["PlanActions"]
    review = review_from_plan(first)
    review["status"], review["result"] = "partly", "half of the accounts called"
    # the next books flag no problem (else an action a problem calls for again is linked
    # to it, its why that problem's)
    data.tables["Problems"] = data.tables["Problems"].iloc[0:0]
    carried = generate_plan(PlanInput(NEXT, "en", "T", {**data.tables,
                                                        "ActionReview": review},
                                      reps, data.assumptions)).tables["PlanActions"]
    again = carried[carried["what"].str.startswith("Carry on")].copy()
    origin = str(first["problem_id"].dropna().iloc[0])
    assert f"problem {origin} of the last period" in again["why"].iloc[0]
    second = review_from_plan(again)
    second["status"], second["result"] = "not_done", "no time"
    later = generate_plan(PlanInput(NEXT.next, "en", "T", {**data.tables,
                                                           "ActionReview": second},
                                    reps, data.assumptions)).tables["PlanActions"]
    why = later[later["what"].str.startswith("Carry on")]["why"].iloc[0]
    assert f"problem {origin} of the last period" in why and why.endswith("no time")


def test_replace_after_a_new_version_replaces_the_latest_one(tmp_path):
    """`plan --new-version` wrote v2; `plan --target 500000 --replace` then rewrote the v1
    sheets, and `new --from` (taking the latest version, v2) planned 291,100, not
    500,000. A plan made again or replaced is the latest version's."""
    book = _team_plan(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws, what = _cell_of(wb, "PlanActions", "what", row=1)
    ws[what] = "edited"
    wb.save(book)
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(book), "--new-version", "--growth", "0.15"]
                         ).exit_code == 0
    replaced = runner.invoke(main, ["plan", str(book), "--target", "500000", "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert "Plan Targets v2" in replaced.output
    names = openpyxl.load_workbook(book).sheetnames
    assert "Plan Targets v3" not in names and "Plan Targets" in names
    out = tmp_path / "next.xlsx"
    assert runner.invoke(main, ["new", "--from", str(book), "-o", str(out)]).exit_code == 0
    targets = read_workbook(out).frame("Targets")
    in_next = pd.to_datetime(targets["period"]) >= pd.Timestamp(NEXT.start)
    assert targets[in_next]["revenue_target"].sum() == 500_000
    # made again without options: the latest version again, not version 1
    again = runner.invoke(main, ["plan", str(book), "--target", "400000"])
    assert again.exit_code == 0 and "Plan Targets v2" in again.output, again.output
    assert read_workbook(book).frame("PlanTargets")["value"].iloc[0] != 400_000  # v1 kept


def test_a_summary_made_before_the_review_had_its_why_column_gives_no_warning(tmp_path):
    """Summaries made by earlier versions have no Why column on their previous actions:
    validate warned it had been renamed or deleted ("rename it back to 'Why'")."""
    book = _team_plan(tmp_path)
    out = tmp_path / "next.xlsx"
    assert CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)]).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws, why = _cell_of(wb, "ActionReview", "why", row=1)
    table = ws.tables["ActionReview"]
    c1, r1, c2, r2 = range_boundaries(table.ref)
    column = openpyxl.utils.column_index_from_string("".join(filter(str.isalpha, why)))
    ws.delete_cols(column)  # as the older version wrote it: no Why column
    table.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 - 1)}{r2}"
    del table.tableColumns[column - c1]
    wb.save(out)
    read = read_workbook(out)
    assert "why" not in read.tables["ActionReview"].columns
    assert [f for f in validate(read) if f.table == "ActionReview"
            and f.severity is not Severity.INFO] == []


def test_new_from_notes_the_plan_version_it_carries_not_the_first(tmp_path):
    """After --new-version, new --from validated version 1: an edited v1 total gave two
    notes about a plan it did not carry, an edited v2 (the one carried) none."""
    book = _team_plan(tmp_path)
    runner = CliRunner()
    wb = openpyxl.load_workbook(book)
    ws, v1_total = _cell_of(wb, "PlanTargets", "value", row=1)
    ws[v1_total] = 1.0  # version 1's total, no longer its reps' sum
    wb.save(book)
    assert runner.invoke(main, ["plan", str(book), "--new-version"]).exit_code == 0
    result = runner.invoke(main, ["new", "--from", str(book), "-o", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0, result.output
    assert "differs from the sum of the reps' rows" not in result.output
    wb = openpyxl.load_workbook(book)
    v2 = wb["Plan Targets v2"]
    c1, r1, _, _ = range_boundaries(v2.tables["PlanTargetsV2"].ref)
    value = c1 + SPEC.table("PlanTargets").keys.index("value")
    v2.cell(r1 + 1, value).value = 2.0  # version 2's total: the plan carried
    wb.save(book)
    result = runner.invoke(main, ["new", "--from", str(book), "-o", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.output.count("differs from the sum of the reps' rows") == 1
    assert "Plan target T001 (" in result.output


def test_validate_checks_the_latest_plan_version_too(tmp_path):
    """After --new-version, new --from said "1 validation error … run xlsales validate",
    and validate never looked at the v2 sheets: the error could not be found."""
    book = _team_plan(tmp_path)
    runner = CliRunner()
    wb = openpyxl.load_workbook(book)
    ws, what = _cell_of(wb, "PlanActions", "what", row=1)
    ws[what] = "edited"
    wb.save(book)
    assert runner.invoke(main, ["plan", str(book), "--new-version"]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    v2 = wb["Plan Actions v2"]
    c1, r1, _, _ = range_boundaries(v2.tables["PlanActionsV2"].ref)
    due = v2.cell(r1 + 1, c1 + SPEC.table("PlanActions").keys.index("due"))
    due.value = NEXT.end + timedelta(days=40)
    wb.save(book)
    result = runner.invoke(main, ["validate", str(book)])
    assert result.exit_code == 1, result.output
    assert f"Plan Actions v2!{due.coordinate}" in result.output
    assert "plan_due_outside" in result.output


def test_new_from_says_when_the_summary_changed_after_its_plan_was_made(tmp_path):
    """A deal added after `plan`: `new --from` carried targets made from the figures
    before it, without a word (the rep re-planned only if they thought of it). The plan
    sheets now stamp what they were made from: a change is said, with the command that
    plans again; an untouched book, saved again by LibreOffice, is not."""
    from conftest import require_libreoffice

    from xlsales.libreoffice import recalculate

    require_libreoffice()
    book = _team_plan(tmp_path)
    said = "the summary changed after its plan was made"
    assert said not in _new_from(book, tmp_path / "a.xlsx").output
    saved = recalculate(book, tmp_path / "lo")  # opened and saved by LibreOffice
    assert said not in _new_from(saved, tmp_path / "b.xlsx").output
    shuffled = tmp_path / "sorted.xlsx"  # the sales rows sorted otherwise: nothing changed
    wb = openpyxl.load_workbook(book)
    ws = wb["Sales"]
    inputs = len([c for c in SPEC.table("Sales").columns if c.is_input])
    rows = [[ws.cell(r, c).value for c in range(1, inputs + 1)]
            for r in range(5, ws.max_row + 1)]
    for r, values in enumerate(reversed(rows), 5):
        for c, value in enumerate(values, 1):
            ws.cell(r, c).value = value  # (ws.cell(r, c, None) would leave the old value)
    wb.save(shuffled)
    assert said not in _new_from(shuffled, tmp_path / "s.xlsx").output
    wb = openpyxl.load_workbook(book)
    ws = wb["Sales"]
    amount = next(c.column_letter for c in ws[4] if c.value == "Amount")
    ws[f"{amount}5"] = 999_999
    wb.save(book)
    changed = _new_from(book, tmp_path / "c.xlsx")
    assert changed.exit_code == 0 and said in changed.output
    assert "--replace`, then `xlsales new --from` again" in changed.output
    assert CliRunner().invoke(main, ["plan", str(book), "--replace"]).exit_code == 0
    assert said not in _new_from(book, tmp_path / "d.xlsx").output


def _new_from(book, out):
    result = CliRunner().invoke(main, ["new", "--from", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result


def _set_currency(book, value: str) -> None:
    """Type ``value`` in ``book``'s currency cell, as a user would."""
    from xlsales.currency import CURRENCY_FIELD

    wb = openpyxl.load_workbook(book)
    labels = {f.label.get(lang) for f in SPEC.table("Info").form_fields
              if f.key == CURRENCY_FIELD for lang in ("zh", "en")}
    cell = next(c for ws in wb for row in ws.iter_rows() for c in row if c.value in labels)
    cell.offset(column=1).value = value
    wb.save(book)


def test_from_refuses_another_currency_while_it_carries_amounts(tmp_path):
    """Amounts are carried as typed, never converted: a CNY book's history relabelled USD
    was validated clean and its growth compared USD with CNY. Refused (exit 2, nothing
    written) with why and what to do; the book's own currency, however named, still
    works."""
    data = sample_workbook_data("en")
    book = _planned_book(tmp_path, data, str(data.info["owner"]), "team")
    out = tmp_path / "next.xlsx"
    runner = CliRunner()
    refused = runner.invoke(main, ["new", "--from", str(book), "--currency", "USD", "-o",
                                   str(out)])
    assert refused.exit_code == 2 and not out.exists(), refused.output
    first = refused.output.splitlines()[0]  # an English book: English first
    assert first.startswith("Error / 错误: book.xlsx keeps its amounts in CNY")
    sales = len(read_workbook(book).frame("Sales"))
    assert f"{sales:,} sales rows" in first and "never converted" in first
    assert "`xlsales new --currency USD`" in first and "--currency to keep CNY" in first
    assert "金额从不换算" in refused.output
    for same in ("CNY", "rmb", "人民币"):  # the book's currency: accepted as before
        result = runner.invoke(main, ["new", "--from", str(book), "--currency", same, "-o",
                                      str(out), "--force"])
        assert result.exit_code == 0, result.output
        assert read_workbook(out).info["currency"] == "CNY"
    _set_currency(book, "元")  # a Chinese book's bare yuan is its CNY
    assert read_workbook(book).info["currency"] == "元"
    assert runner.invoke(main, ["new", "--from", str(book), "--currency", "TWD", "-o",
                                str(out), "--force"]).exit_code == 2
    assert runner.invoke(main, ["new", "--from", str(book), "--currency", "CNY", "-o",
                                str(out), "--force"]).exit_code == 0


def test_from_takes_another_currency_when_no_amount_is_carried(tmp_path):
    """A book with no sales rows whose plan sets no amount (targets of 0) carries nothing
    in its currency: the next one may start in another; a target set by hand is an
    amount, and refused."""
    book = tmp_path / "empty.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "--period", SAMPLE_PERIOD.label, "--lang", "en",
                                "-o", str(book)]).exit_code == 0
    assert runner.invoke(main, ["plan", str(book)]).exit_code == 0
    out = tmp_path / "next.xlsx"
    result = runner.invoke(main, ["new", "--from", str(book), "--currency", "USD", "-o",
                                  str(out)])
    assert result.exit_code == 0, result.output
    assert read_workbook(out).info["currency"] == "USD"
    assert runner.invoke(main, ["plan", str(book), "--target", "50000",
                                "--replace"]).exit_code == 0
    refused = runner.invoke(main, ["new", "--from", str(book), "--currency", "USD", "-o",
                                   str(out), "--force"])
    assert refused.exit_code == 2, refused.output
    assert "0 sales rows of history and 1 target row as typed" in refused.output


def test_new_from_a_book_without_a_plan_says_the_plan_command_with_its_folder(
        tmp_path, sample_books, monkeypatch):
    """`new --from sh/王芳.xlsx` on a book with no plan said to run `xlsales plan
    王芳.xlsx`, a file that is not where the user is: the command must name the path as
    they typed it."""
    import shutil

    (tmp_path / "sh").mkdir()
    book = tmp_path / "sh" / "王芳.xlsx"
    shutil.copy(sample_books["zh"], book)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["new", "--from", "sh/王芳.xlsx", "-o", "next.xlsx"])
    assert result.exit_code == 2, result.output
    assert f"xlsales plan {Path('sh', '王芳.xlsx')}" in result.output
