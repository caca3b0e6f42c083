"""A director's year book from twelve month books in which the same problems are written
again every month (``xlsales new --period 2026 --from M1 … --from M12``), and the 2027
plan made from it: each problem once (its impact the year's), every reviewed action
still linked to a problem of the book, one action per problem and action carried on,
the actions due over the year by severity, and the basis naming the year."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.periods import Period, PeriodType
from xlsales.quarter_command import new_quarter_book
from xlsales.workbook_data import BuildOptions, WorkbookData

YEAR = Period.parse("2026")
REPS = ["Alice Chen", "Ben Wang"]
#: The problems each month's book holds: (ID, description, category, severity, owner)
PROBLEMS = [("P001", "Key accounts pay late", "Collection", "High", REPS[0]),
            ("P002", "Too few opportunities", "Pipeline shortfall", "Medium", REPS[1]),
            ("P003", "Price war with a rival", "Competition and price", "Low", REPS[1])]


def _month_book(path, month: Period, lang: str) -> None:
    """The team's book of ``month``: one won order per rep and month since 2025-01, the
    three problems written again with this month's impact, and (after January) the
    actions of last month's plan reviewed: the collection one partly done."""
    months = [m for m in Period.parse("2025").months_in() + YEAR.months_in()
              if m.start <= month.start]
    sales = [{"order_id": f"SO-{m.label}-{rep[0]}", "date": m.start.replace(day=10),
              "rep": rep, "region": "East", "customer": f"Customer {rep[0]}",
              "product": "Standard", "quantity": 1.0, "unit_price": 1000.0 * (i + 1),
              "amount": 1000.0 * (i + 1), "stage": "won", "invoiced": 1000.0 * (i + 1),
              "collected": 500.0 * (i + 1)}
             for i, m in enumerate(months) for rep in REPS]
    problems = [{"problem_id": pid, "description": text, "category": category,
                 "controllability": "Controllable", "severity": severity,
                 "carry_forward": "Yes", "owner": owner,
                 "impact_amount": 1000.0 * month.start.month}
                for pid, text, category, severity, owner in PROBLEMS]
    tables = {"Sales": pd.DataFrame(sales), "Problems": pd.DataFrame(problems)}
    if month.start.month > 1:
        tables["ActionReview"] = pd.DataFrame([
            {"action_id": "A01", "problem_id": "P001", "what": "Chase every overdue invoice",
             "who": REPS[0], "due": month.start, "status": "Partly done"},
            {"action_id": "A02", "problem_id": "P002", "what": "Book two prospecting days",
             "who": REPS[1], "due": month.start, "status": "Done"}])
    data = WorkbookData(
        info={"owner": "East Team", "level": "team", "role": "manager",
              "period_type": "month", "period_start": month.start},
        tables=tables, lists={"rep": REPS, "region": ["East"], "product": ["Standard"]},
        assumptions={"growth_rate": 0.1})
    build_workbook(path, BuildOptions(lang=lang, period=month, level="team", role="manager",
                                      owner="East Team"), data)


def _month_books(work, months: list[Period], lang: str) -> list:
    """The books of ``months`` (:func:`_month_book`) in the folder ``work``."""
    for month in months:
        _month_book(work / f"east_{month.label}.xlsx", month, lang)
    return [work / f"east_{month.label}.xlsx" for month in months]


@pytest.fixture(scope="module")
def year_book(tmp_path_factory):
    """The year book made of the twelve month books, planned; and what ``new`` said."""
    work = tmp_path_factory.mktemp("repeats")
    out = work / "east_2026.xlsx"
    months = _month_books(work, YEAR.months_in(), "en")
    lines = new_quarter_book(months, out, period_text="2026")
    planned = CliRunner().invoke(main, ["plan", str(out)])
    assert planned.exit_code == 0, planned.output
    return out, lines, planned.output, months


def test_a_year_of_quarter_books_relinks_every_reviewed_action(year_book, tmp_path):
    """Each quarter book holds the problems once; April's review names March's problem
    (``2026-03/P001``, in the first quarter's book): the year's still links it."""
    months = year_book[3]
    quarters = []
    for i, quarter in enumerate(YEAR.parts_in(PeriodType.QUARTER)):
        quarters.append(tmp_path / f"east_{quarter.label}.xlsx")
        new_quarter_book(months[3 * i:3 * i + 3], quarters[-1])
    assert len(read_workbook(quarters[1]).frame("Problems")) == 3
    out = tmp_path / "east_2026.xlsx"
    new_quarter_book(quarters, out)
    book = read_workbook(out)
    problems = book.frame("Problems")
    assert list(problems["problem_id"]) == ["2026-12/P001", "2026-12/P002", "2026-12/P003"]
    assert list(problems["impact_amount"]) == [78000.0] * 3
    assert set(book.frame("ActionReview")["problem_id"]) == {"2026-12/P001", "2026-12/P002"}


def test_a_problem_written_every_month_is_one_problem_of_the_year(year_book):
    out, lines, _, _ = year_book
    book = read_workbook(out)
    problems = book.frame("Problems")
    # once each, under the ID of the latest month
    assert list(problems["problem_id"]) == ["2026-12/P001", "2026-12/P002", "2026-12/P003"]
    # the year's impact is the months' added up (1,000 × 1 + … + 1,000 × 12)
    assert list(problems["impact_amount"]) == [78000.0] * 3
    assert "3 problems" in lines[1]
    assert any("'Key accounts pay late' is in 12 month books (2026-01 – 2026-12)" in line
               for line in lines)
    # every reviewed action still names a problem of the book
    review = book.frame("ActionReview")
    assert len(review) == 22
    assert set(review["problem_id"]) == {"2026-12/P001", "2026-12/P002"}
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_the_year_plan_answers_each_problem_once_spread_over_the_year(year_book):
    out, _, _, _ = year_book
    actions = read_workbook(out).frame("PlanActions")
    linked = actions[actions["problem_id"].notna()]
    # each problem answered, and no action twice (it was each playbook action × 12)
    assert set(linked["problem_id"]) == {"2026-12/P001", "2026-12/P002", "2026-12/P003"}
    assert not actions["what"].str.replace(r"^Carry on \([^)]*\): ", "", regex=True
                                           ).duplicated().any(), list(actions["what"])
    due = {pid: pd.Timestamp(d).date() for pid, d in zip(linked["problem_id"], linked["due"],
                                                          strict=True)}
    quarters = YEAR.next.parts_in(PeriodType.QUARTER)
    # the high one first; the medium one by mid-year, the low one by the end of Q3
    assert due["2026-12/P001"] <= quarters[0].end
    assert quarters[1].start <= due["2026-12/P002"] <= quarters[1].end
    assert quarters[2].start <= due["2026-12/P003"] <= quarters[2].end
    # the collection action, partly done in each month, is carried on once (November's)
    carried = actions[actions["what"].str.contains("Chase every overdue invoice")]
    assert len(carried) == 1 and "2026-11/A01" in carried["what"].iloc[0]
    assert "Book two prospecting days" not in " ".join(actions["what"])  # done


def test_the_year_plans_basis_names_the_year(year_book):
    out, _, output, _ = year_book
    targets = read_workbook(out).frame("PlanTargets")
    total = targets[(targets["period_label"] == "2027") & (targets["kpi"] == "revenue")]
    assert total["basis"].iloc[0].startswith("this year's revenue ")
    assert "this year's revenue" in output and "this period" not in output
    assert "this period" not in " ".join(targets["basis"].astype(str))
    assert "split over reps by this year's share" in set(targets["basis"])


def test_only_the_latest_review_of_a_summarys_action_counts():
    """February's review says partly done, March's done: the year carries nothing on;
    a month's own review (IDs without a period) is kept as it is."""
    from xlsales.plan.reviews import latest_reviews, unfinished_actions

    review = pd.DataFrame([
        {"action_id": "2026-01/A01", "what": "Chase overdue", "status": "partly"},
        {"action_id": "2026-02/A01", "what": "Carry on (A01 of the last plan, partly "
                                             "done): Chase overdue", "status": "done"},
        {"action_id": "2026-02/A02", "what": "Visit the top ten", "status": None}])
    assert list(unfinished_actions(latest_reviews(review))["action_id"]) == ["2026-02/A02"]
    month = review.assign(action_id=["A01", "A02", "A03"])
    assert latest_reviews(month).equals(month)


def test_a_zh_year_plan_says_this_year(tmp_path):
    """The Chinese basis: 本年度销售额, not 本期销售额 (a director reads 本期 as December);
    the book a year's, from a quarter book (quicker than twelve months)."""
    lang = "zh"
    out = tmp_path / "q4.xlsx"
    new_quarter_book(_month_books(tmp_path, YEAR.months_in()[-3:], lang), out,
                     period_text="2026-Q4")
    book = read_workbook(out)
    data = book.to_data()
    build_workbook(out, BuildOptions(lang=lang, period=YEAR, level="team", role="manager",
                                     owner="East Team"),
                   WorkbookData(info={**data.info, "period_type": "year",
                                      "period_start": date(2026, 1, 1)},
                                tables=data.tables, lists=data.lists,
                                assumptions=data.assumptions))
    result = CliRunner().invoke(main, ["plan", str(out)])
    assert result.exit_code == 0, result.output
    assert "（本年度销售额 " in result.output and "本期销售额" not in result.output


def test_an_action_left_to_complete_again_is_one_row_not_one_per_month():
    """A problem of a category the playbook lacks (a typo) gets an action to complete; the last
    plan asked the same, unreviewed twice (a year's months each carried it on): one row
    for the problem, naming the last plan's, not three."""
    from test_plan import sample_input

    from xlsales.plan import generate_plan

    problem = {"problem_id": "P01", "description": "Slow payment", "category": "Late payers",
               "controllability": "controllable", "severity": "high",
               "carry_forward": "yes", "owner": "Li Na", "impact_amount": 5000.0}
    what = "[To complete] Define the action for 'Slow payment' (category 'Late payers')"
    review = pd.DataFrame([
        {"action_id": "A03", "problem_id": "P01", "what": what, "who": "Li Na",
         "due": date(2026, 10, 20), "status": None, "result": None},
        {"action_id": "A04", "problem_id": None, "what": f"Carry on (A02 of the last plan, "
         f"partly done): {what}", "who": "Li Na", "due": date(2026, 10, 20),
         "status": "partly", "result": None}])
    inp = sample_input(Problems=pd.DataFrame([problem]), ActionReview=review)
    actions = generate_plan(inp).tables["PlanActions"]
    asked = actions[actions["what"].str.contains("Define the action for 'Slow payment'")]
    assert list(asked["problem_id"]) == ["P01"], list(actions["what"])
    assert "asked in the last plan too: A03, A04" in asked["why"].iloc[0]
