"""A team (or a rep's own book) new during the period under review: the next period's
target is grown from its revenue scaled to a whole period (by whole months from its
first sale, by days from the roster's joining date), and the basis says so; a book with
full history, or a team with one rep joining, is planned as before."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner
from conftest import REPO, team_options
from sheet_values import table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.periods import Period
from xlsales.sample import sample_workbook_data
from xlsales.workbook_data import BuildOptions

REP, SCOPE, KPI, VALUE, BASIS = 3, 4, 6, 7, 10


def _book(path: Path, lang: str, period_text: str, since: date | None = None,
          joined: dict[str, date] | None = None, rep: str | None = None) -> Path:
    """The sample team's book of ``period_text`` as `xlsales new` builds it: its sales
    and activities from ``since`` on when given, the rep list's joining dates
    ``joined``; with ``rep``, that rep's own book (their sales only)."""
    period = Period.parse(period_text)
    data = sample_workbook_data(lang, period)
    for name in ("Sales", "Activities"):
        frame = data.tables[name]
        if since is not None:
            frame = frame[pd.to_datetime(frame["date"]).dt.date >= since]
        if rep is not None:
            frame = frame[frame["rep"].eq(rep)]
        data.tables[name] = frame
    if joined:
        reps = data.lists["rep"]
        data.tables["ListRep"] = pd.DataFrame({
            "value": reps, "joined": [joined.get(r) for r in reps], "left": [None] * len(reps)})
    options = team_options(lang, period)
    if rep is not None:
        data.info["owner"] = rep
        options = BuildOptions(lang=lang, period=period, level="individual", role="rep",
                               owner=rep)
    build_workbook(path, options, data)
    return path


def _revenue(book: Path, start: date, end: date) -> float:
    """What a user adds up from the book's rows: the won revenue of ``start`` … ``end``."""
    sales = read_workbook(book).frame("Sales")
    day = pd.to_datetime(sales["date"]).dt.date
    won = sales["stage"].eq("won") & (day >= start) & (day <= end)
    return float(pd.to_numeric(sales.loc[won, "amount"]).sum())


def _total(book: Path, *args: str) -> tuple[float, str, str]:
    """The plan's revenue target, its basis and the command's report."""
    result = CliRunner().invoke(main, ["plan", str(book), *args])
    assert result.exit_code == 0, result.output
    owner = read_workbook(book).info["owner"]
    rows = table_rows(openpyxl.load_workbook(book), "PlanTargets")[1:]
    row = next(r for r in rows if r[KPI] == "revenue" and r[REP] == owner
               and r[SCOPE] in ("Total", "合计"))
    return row[VALUE], row[BASIS], result.output


def test_a_team_new_in_may_gets_its_year_scaled_to_twelve_months(tmp_path):
    """First sale in May 2026: 2027's target is May-December's revenue × 12 / 8 × 1.12
    (above its current pace, not below it), and the basis says so."""
    book = _book(tmp_path / "new.xlsx", "en", "2026", since=date(2026, 5, 1))
    revenue = _revenue(book, date(2026, 5, 1), date(2026, 12, 31))
    scaled = revenue * 12 / 8
    total, basis, output = _total(book)
    assert basis == (f"2026's 8 months (from 2026-05), revenue {revenue:,.0f}, scaled to a "
                     f"whole year {scaled:,.0f} × (1 + growth assumption 12% from settings)")
    assert abs(total - scaled * 1.12) <= 1_000  # rounded to a round amount
    assert total > revenue / 8 * 12  # above its monthly pace over a year
    assert basis in output


def test_a_given_growth_applies_to_the_scaled_year_and_a_given_target_is_kept(tmp_path):
    """--growth grows the year scaled to twelve months (the basis says it); --target is
    the target, untouched."""
    book = _book(tmp_path / "new.xlsx", "zh", "2026", since=date(2026, 5, 1))
    revenue = _revenue(book, date(2026, 5, 1), date(2026, 12, 31))
    scaled = revenue * 12 / 8
    total, basis, _ = _total(book, "--growth", "0.2")
    assert basis == (f"2026 的 8 个月（2026-05 起）销售额 {revenue:,.0f} 折算全年 "
                     f"{scaled:,.0f} × (1 + 20%)")
    assert abs(total - scaled * 1.2) <= 1_000
    total, basis, _ = _total(book, "--target", "1234567", "--replace")
    assert (total, basis) == (1_234_567, "命令行指定的目标")


def test_a_team_begun_in_a_quarters_second_month_gets_it_scaled_to_three(tmp_path):
    """First sale in November 2026, a 2026-Q4 book: × 3 / 2."""
    book = _book(tmp_path / "q4.xlsx", "en", "2026-Q4", since=date(2026, 11, 1))
    revenue = _revenue(book, date(2026, 11, 1), date(2026, 12, 31))
    total, basis, _ = _total(book, "--growth", "0.1")
    assert basis == (f"2026-Q4's 2 months (from 2026-11), revenue {revenue:,.0f}, scaled to "
                     f"a whole quarter {revenue * 1.5:,.0f} × (1 + 10%)")
    assert abs(total - revenue * 1.5 * 1.1) <= 1_000


def test_a_rep_who_joined_on_the_16th_gets_their_month_scaled_by_days(tmp_path):
    """A rep's own October book, the roster saying they joined on 16 October (the others
    on the list without a date): 16 of 31 days recorded, × 31 / 16."""
    rep = sample_workbook_data("en").lists["rep"][0]
    book = _book(tmp_path / "rep.xlsx", "en", "2026-10", since=date(2026, 10, 16),
                 joined={rep: date(2026, 10, 16)}, rep=rep)
    revenue = _revenue(book, date(2026, 10, 16), date(2026, 10, 31))
    total, basis, _ = _total(book)
    assert basis == (f"2026-10's 16 days (from 2026-10-16), revenue {revenue:,.0f}, scaled "
                     f"to a whole month {revenue * 31 / 16:,.0f} × (1 + growth assumption "
                     "12% from settings)")
    assert abs(total - revenue * 31 / 16 * 1.12) <= 1_000


def test_a_team_whose_reps_all_joined_mid_month_gets_it_scaled_by_days(tmp_path):
    """Every rep on the list joined on 16 or 20 October: the team began on the 16th."""
    reps = sample_workbook_data("zh").lists["rep"]
    joined = {r: date(2026, 10, 16 if i == 0 else 20) for i, r in enumerate(reps)}
    book = _book(tmp_path / "team.xlsx", "zh", "2026-10", since=date(2026, 10, 16),
                 joined=joined)
    revenue = _revenue(book, date(2026, 10, 16), date(2026, 10, 31))
    _, basis, _ = _total(book)
    assert basis.startswith(f"2026-10 的 16 天（2026-10-16 起）销售额 {revenue:,.0f} 折算整月 "
                            f"{revenue * 31 / 16:,.0f} × ")


def test_one_rep_joining_a_team_that_was_there_scales_nothing(tmp_path):
    """The team's other reps were there all month: the target is this month's revenue
    grown, exactly as without the roster (the joiner is the split's business)."""
    plain = _book(tmp_path / "plain.xlsx", "en", "2026-10")
    rep = sample_workbook_data("en").lists["rep"][-1]
    joiner = _book(tmp_path / "joiner.xlsx", "en", "2026-10", joined={rep: date(2026, 10, 16)})
    before, after = _total(plain), _total(joiner)
    assert after[:2] == before[:2]
    assert before[1].startswith("this period's revenue ")


def test_a_book_with_full_history_is_planned_as_before(tmp_path):
    """The sample year book (sales from 2025): its year is a whole year, grown as is."""
    book = _book(tmp_path / "year.xlsx", "en", "2026")
    revenue = _revenue(book, date(2026, 1, 1), date(2026, 12, 31))
    _, basis, _ = _total(book)
    assert basis == (f"this year's revenue {revenue:,.0f} × (1 + growth assumption 12% "
                     "from settings)")


def test_the_readme_shows_what_the_plan_of_a_team_new_in_may_prints(tmp_path):
    """The README's example is the command's real first line on the book it describes."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n$ xlsales plan new_team_2026.xlsx\n")
    shown = readme[start:readme.index("```", start + 8)].splitlines()[2]
    book = _book(tmp_path / "new_team_2026.xlsx", "en", "2026", since=date(2026, 5, 1))
    printed = _total(book)[2].splitlines()
    assert next(line for line in printed if line.startswith("plan ")) == shown


def test_a_month_scaled_from_a_few_days_says_it_is_a_rough_guide(tmp_path):
    """A rep's own book, joined on 25 October: 7 of 31 days scaled to a month (× 31 / 7),
    and the report says to check that target (a short record swings a lot)."""
    rep = sample_workbook_data("en").lists["rep"][0]
    book = _book(tmp_path / "rep.xlsx", "en", "2026-10", since=date(2026, 10, 25),
                 joined={rep: date(2026, 10, 25)}, rep=rep)
    revenue = _revenue(book, date(2026, 10, 25), date(2026, 10, 31))
    assert revenue > 0
    total, basis, output = _total(book)
    assert basis.startswith("2026-10's 7 days (from 2026-10-25), revenue ")
    assert abs(total - revenue * 31 / 7 * 1.12) <= 1_000
    assert ("note: 2026-10 has only 7 days (from 2026-10-25) of sales records, so its "
            "revenue scaled to a whole month is a rough guide: check the next period's "
            "target, and give one with xlsales plan --target AMOUNT if needed.") in output
    # 16 days of 31 are no short record: no such note
    longer = _book(tmp_path / "rep16.xlsx", "en", "2026-10", since=date(2026, 10, 16),
                   joined={rep: date(2026, 10, 16)}, rep=rep)
    assert "rough guide" not in _total(longer)[2]


def test_a_sale_before_the_joining_day_does_not_move_the_start(tmp_path):
    """A rep joined on 16 October by the roster, with sales from 5 October (typed with a
    wrong date: validation warns before_rep_joined): the month is scaled from the joining
    day, 16 of 31 days, not 27 from the early sale; the note names that sale."""
    for lang in ("zh", "en"):
        rep = sample_workbook_data(lang).lists["rep"][0]
        book = _book(tmp_path / f"rep_{lang}.xlsx", lang, "2026-10", since=date(2026, 10, 5),
                     joined={rep: date(2026, 10, 16)}, rep=rep)
        first = min(pd.to_datetime(read_workbook(book).frame("Sales")["date"]).dt.date)
        assert first < date(2026, 10, 16)
        revenue = _revenue(book, date(2026, 10, 1), date(2026, 10, 31))
        total, basis, output = _total(book)
        assert abs(total - revenue * 31 / 16 * 1.12) <= 1_000
        if lang == "zh":
            assert basis.startswith(f"2026-10 的 16 天（2026-10-16 起）销售额 {revenue:,.0f} ")
            assert (f"注意：最早的销售记录（{first}）早于入职日期 2026-10-16：仍按入职日起的 16 天"
                    "（2026-10-16 起）折算") in output
        else:
            assert basis.startswith(f"2026-10's 16 days (from 2026-10-16), revenue "
                                    f"{revenue:,.0f}, ")
            assert (f"note: the earliest sale, dated {first}, is before the joining date "
                    "2026-10-16: the revenue is still scaled from the joining day, 16 days "
                    "(from 2026-10-16)") in output
