"""A rep who left or joined the team: the rep list's Joined on / Left on dates, taken by
the plan (no target after leaving, a joiner's from their first day), `new --from`,
validation, KPIs and roll-ups; a book without those columns reads as everyone on it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner
from conftest import team_options
from openpyxl.utils import get_column_letter, range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.validation import validate

LEAVER, LEFT = "杨帆", date(2026, 10, 15)  # leaves mid-October, the sample's period
JOINER, JOINED = "赵六", date(2026, 11, 16)  # joins mid-November, the plan's period


def _book(folder: Path, lang: str = "zh", left: dict[str, date] | None = None,
          joined: dict[str, date] | None = None, name: str = "team.xlsx") -> Path:
    """The sample team's book with a roster: the reps' leaving and joining dates."""
    data = sample_workbook_data(lang)
    left, joined = left or {}, joined or {}
    reps = [*data.lists["rep"], *(r for r in joined if r not in data.lists["rep"])]
    data.lists["rep"] = reps
    data.tables["ListRep"] = pd.DataFrame({
        "value": reps, "joined": [joined.get(r) for r in reps],
        "left": [left.get(r) for r in reps]})
    path = folder / name
    build_workbook(path, team_options(lang), data)
    return path


def _run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _revenue_parts(book: Path) -> pd.DataFrame:
    targets = read_workbook(book).frame("PlanTargets")
    return targets[targets["kpi"].eq("revenue") & targets["scope"].eq("part")]


def test_the_plan_gives_a_leaver_no_target_and_their_share_to_the_others(tmp_path):
    stay = _book(tmp_path, name="stay.xlsx")
    gone = _book(tmp_path, left={LEAVER: LEFT}, name="gone.xlsx")
    _run("plan", stay)
    output = _run("plan", gone)
    assert f"{LEAVER} 离职（2026-10-15），其目标已分给其他人" in output
    before, after = _revenue_parts(stay), _revenue_parts(gone)
    assert LEAVER in set(before["rep"]) and LEAVER not in set(after["rep"])
    # the same team target, all of it to the others, in proportion to their shares
    assert after["value"].sum() == before["value"].sum()
    own = before[before["rep"].ne(LEAVER)].groupby("rep")["value"].sum()
    now = after.groupby("rep")["value"].sum()
    assert (now > own).all()
    shares = now / now.sum()
    assert (shares - own / own.sum()).abs().max() < 0.001


def test_an_english_plan_says_the_leavers_share_went_to_the_others(tmp_path):
    data = sample_workbook_data("en")
    leaver = data.lists["rep"][-1]
    output = _run("plan", _book(tmp_path, "en", left={leaver: LEFT}))
    assert f"note: {leaver} left on 2026-10-15; their share went to the others" in output


def test_a_joiner_gets_targets_from_their_first_day_at_the_others_average_share(tmp_path):
    book = _book(tmp_path, joined={JOINER: JOINED})
    output = _run("plan", book)
    assert f"{JOINER} 入职（2026-11-16）：目标从入职日起分配（按天折算）" in output
    parts = _revenue_parts(book)
    weeks = parts.pivot_table(index="period_label", columns="rep", values="value")
    starts = parts.groupby("period_label")["period"].first().map(pd.Timestamp)
    before = starts < pd.Timestamp(JOINED)
    assert before.any() and (weeks.loc[before[before].index, JOINER] == 0).all()
    # the whole weeks from the day they join: the others' average share of each week
    full = starts[(starts >= pd.Timestamp(JOINED))].index[:-1]  # the last week is short
    others = weeks.drop(columns=JOINER)
    for week in full:
        average = others.loc[week].mean()
        assert abs(weeks.loc[week, JOINER] - average) <= 200, (week, weeks.loc[week])
    # every week still adds up to the team's week
    targets = read_workbook(book).frame("PlanTargets")
    totals = targets[targets["kpi"].eq("revenue") & targets["scope"].eq("total")]
    week_totals = totals.set_index("period_label")["value"]
    assert (weeks.sum(axis=1) == week_totals.loc[weeks.index]).all()


def test_new_from_carries_the_roster_the_leaver_marked_left(tmp_path):
    """The leaver stays on the rep list, marked left: their history rows in the new book
    are still theirs (not an unknown rep), the plan's targets carried name them not."""
    book = _book(tmp_path, left={LEAVER: LEFT}, joined={JOINER: JOINED})
    _run("plan", book)
    out = tmp_path / "next.xlsx"
    _run("new", "--from", book, "-o", out)
    read = read_workbook(out)
    listed = read.frame("ListRep").set_index("value")
    assert listed.loc[LEAVER, "left"] == LEFT and listed.loc[JOINER, "joined"] == JOINED
    targets = read.frame("Targets")
    new = targets[pd.to_datetime(targets["period"]) >= pd.Timestamp(SAMPLE_PERIOD.next.start)]
    assert LEAVER not in set(new["rep"]) and JOINER in set(new["rep"])
    findings = validate(read)
    assert not [f for f in findings if f.severity is not Severity.INFO], findings[:3]


def test_validate_warns_at_each_sale_dated_after_the_rep_left(tmp_path):
    book = _book(tmp_path, left={LEAVER: LEFT})
    read = read_workbook(book)
    sales = read.tables["Sales"]
    dates = pd.to_datetime(sales.frame["date"])
    after = sales.frame["rep"].eq(LEAVER) & (dates > pd.Timestamp(LEFT))
    assert after.any() and (sales.frame["rep"].eq(LEAVER) & (dates <= pd.Timestamp(LEFT))).any()
    found = [f for f in validate(read) if f.rule == "after_rep_left" and f.table == "Sales"]
    cells = {sales.cell("date", i) for i in after.to_numpy().nonzero()[0]}
    assert {f.cell for f in found} == cells
    assert all(f.severity is Severity.WARNING for f in found)
    first = found[0]
    assert first.sheet == "销售记录" and LEAVER in first.message_zh
    assert "after 杨帆 left on 2026-10-15" in first.message_en


def _with_left(book: Path, rep: str, left: date) -> None:
    """``book`` with ``rep``'s leaving date typed in its rep list, as a manager types it."""
    wb = openpyxl.load_workbook(book)
    ws = next(ws for ws in wb.worksheets if "ListRep" in ws.tables)
    c1, r1, c2, r2 = range_boundaries(ws.tables["ListRep"].ref)
    header = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]
    column = c1 + header.index("离职日期")
    row = next(r for r in range(r1 + 1, r2 + 1) if ws.cell(r, c1).value == rep)
    ws.cell(row, column).value = left
    wb.save(book)


def test_plan_rows_a_leaver_owns_are_warnings_and_a_new_plan_reassigns_them(tmp_path):
    book = _book(tmp_path)
    _run("plan", book)
    owner = "张伟"  # owns problems P01 and P06: their actions
    _with_left(book, owner, date(2026, 10, 31))
    read = read_workbook(book)
    found = [f for f in validate(read) if f.rule == "owner_left"]
    actions = read.tables["PlanActions"]
    theirs = actions.frame["who"].eq(owner).to_numpy().nonzero()[0]
    assert len(theirs) and {actions.cell("who", i) for i in theirs} <= {f.cell for f in found}
    assert any(f.table == "PlanTargets" for f in found)
    assert all(f.severity is Severity.WARNING and "reassign" in f.message_en for f in found)
    # planned again: the leaver owns nothing, the notes say whose actions moved
    output = _run("plan", book, "--replace")
    assert f"的负责人 {owner} 已离职（2026-10-31），已改由 华东销售一组 负责：请重新分配" in output
    again = read_workbook(book)
    assert owner not in set(again.frame("PlanActions")["who"])
    assert owner not in set(again.frame("PlanTargets")["rep"])
    assert not [f for f in validate(again) if f.rule == "owner_left"]


def test_kpis_and_roll_ups_still_count_a_leavers_sales(tmp_path):
    stay = _book(tmp_path, name="stay.xlsx")
    gone = _book(tmp_path, left={LEAVER: LEFT}, name="gone.xlsx")

    def by_rep(book: Path) -> dict:
        return json.loads(_run("kpis", book, "--by", "rep", "--json"))["by"]

    assert by_rep(gone)[LEAVER]["revenue"] == by_rep(stay)[LEAVER]["revenue"] > 0
    roll = tmp_path / "roll.xlsx"
    _run("consolidate", gone, "-o", roll)
    assert by_rep(roll)[LEAVER]["revenue"] == by_rep(stay)[LEAVER]["revenue"]


def test_a_book_without_the_roster_columns_reads_validates_and_plans_everyone(tmp_path):
    """A book of an older version: its rep list has no Joined on / Left on."""
    book = _book(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = next(ws for ws in wb.worksheets if "ListRep" in ws.tables)
    table = ws.tables["ListRep"]
    c1, r1, c2, r2 = range_boundaries(table.ref)
    for column in range(c2 - 1, c2 + 1):  # its last two columns: joined, left
        for row in range(r1, ws.max_row + 1):
            ws.cell(row, column).value = None
    table.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2 - 2)}{r2}"
    del table.tableColumns[-2:]
    wb.save(book)
    read = read_workbook(book)
    assert {"joined", "left"}.isdisjoint(read.tables["ListRep"].columns)  # not on the sheet
    assert not [f for f in validate(read) if f.severity is not Severity.INFO]
    _run("plan", book)
    assert set(_revenue_parts(book)["rep"]) == set(read.lists["rep"])


def test_a_leaving_date_before_the_joining_date_is_a_warning_at_it(tmp_path):
    book = _book(tmp_path, left={JOINER: date(2026, 11, 1)}, joined={JOINER: JOINED})
    read = read_workbook(book)
    found = [f for f in validate(read) if f.rule == "left_before_joined"]
    reps = read.tables["ListRep"]
    row = list(reps.frame["value"]).index(JOINER)
    assert [(f.cell, f.severity) for f in found] == [(reps.cell("left", row), Severity.WARNING)]
    assert "2026-11-01 is before their joining date 2026-11-16" in found[0].message_en


def test_a_book_converted_to_traditional_keeps_its_roster(tmp_path):
    """Excel's 简转繁 writes the headers 入職日期 and 離職日期: still the roster's columns
    (read as the team's own columns, the leaver got targets and new --from failed)."""
    from traditional_books import convert_workbook

    book = tmp_path / "tw.xlsx"
    convert_workbook(_book(tmp_path, left={LEAVER: LEFT}), book, "s2twp")
    read = read_workbook(book)
    assert {"joined", "left"} <= set(read.tables["ListRep"].columns)
    assert any(f.rule == "after_rep_left" for f in validate(read))
    _run("plan", book)
    assert LEAVER not in set(_revenue_parts(book)["rep"])
    _run("new", "--from", book, "-o", tmp_path / "next.xlsx")


def test_validate_warns_at_each_row_of_the_period_dated_before_the_rep_joined(tmp_path):
    """A rep who joined mid-period: their sales and activities dated before their joining
    date, in the period, are flagged at their date (someone else's, or a wrong date);
    those from the joining date on, and the history before the period, are not."""
    rep, joined = "陈静", date(2026, 10, 16)
    book = _book(tmp_path, joined={rep: joined})
    read = read_workbook(book)
    found = [f for f in validate(read) if f.rule == "before_rep_joined"]
    for name in ("Sales", "Activities"):
        table = read.tables[name]
        dates = pd.to_datetime(table.frame["date"])
        mine = table.frame["rep"].eq(rep)
        before = mine & (dates < pd.Timestamp(joined)) & (dates >= pd.Timestamp("2026-10-01"))
        assert before.any() and (mine & (dates >= pd.Timestamp(joined))).any()
        assert (mine & (dates < pd.Timestamp("2026-10-01"))).any()  # history: not flagged
        cells = {table.cell("date", i) for i in before.to_numpy().nonzero()[0]}
        assert {f.cell for f in found if f.table == name} == cells, name
    assert all(f.severity is Severity.WARNING for f in found)
    first = next(f for f in found if f.table == "Sales")
    assert first.sheet == "销售记录"
    assert f"在 {rep} 入职（2026-10-16，见“设置”表销售人员名单）之前" in first.message_zh
    assert f"before {rep} joined on 2026-10-16" in first.message_en
