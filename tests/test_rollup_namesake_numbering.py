"""Two reps of one name in two teams (张伟 of 东一组, 张伟 of 南二组: two people), each
numbering their own orders 1, 2, 3 for other customers. One book was set aside as the
other's older version (exit 0, 30,000 of revenue lost); rolled up through the teams, the
company said their orders counted twice (exit 2). Order ids in two books are the same
deals only with the same customer and rep: both are rolled up, whichever way, and the
finance export keeps both. A true older version of one 张伟's book (an amount corrected,
the same customers typed in another case) is still set aside. Books made with
``xlsales new`` and typed into with openpyxl, as a rep fills one in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from table_edits import saved_on

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.validation import validate

#: Each team's reps and their November deals (customer, amount), orders 1, 2, 3 … each.
TEAMS = {"东一组": {"张伟": [("宁波港务", 10000), ("Acme 无锡", 12000), ("苏州新城", 8000)],
                   "李娜": [("杭州大华", 20000), ("嘉兴万达", 5000)]},
         "南二组": {"张伟": [("广州白云", 15000), ("深圳前海", 9000), ("佛山顺德", 6000)],
                   "王芳": [("东莞长安", 11000)]}}
WHOLE = sum(a for reps in TEAMS.values() for deals in reps.values() for _, a in deals)


def _invoke(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _rep_book(path: Path, rep: str, deals: list[tuple[str, float]]) -> Path:
    """``xlsales new`` for ``rep``, the deals typed into its sales table (the table
    stretched over them, as Excel does when typing under it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    made = _invoke("new", "--period", "2026-11", "--owner", rep, "-o", str(path))
    assert made.exit_code == 0, made.output
    wb = openpyxl.load_workbook(path)
    ws = wb["销售记录"]
    for i, (customer, amount) in enumerate(deals, start=1):
        for col, value in zip("ABCDEFGHIJK", [str(i), date(2026, 11, 2 + 3 * i), rep, "华东",
                                              customer, "新客户", "标准版", 1, amount, amount,
                                              "赢单"], strict=True):
            ws[f"{col}{4 + i}"] = value
    table = ws.tables["Sales"]
    table.ref = f"A4:{table.ref.split(':')[1].rstrip('0123456789')}{4 + len(deals)}"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    """The four reps' November books, in a folder per team."""
    root = tmp_path_factory.mktemp("sales")
    for team, reps in TEAMS.items():
        for rep, deals in reps.items():
            _rep_book(root / team / f"{rep}_2026-11.xlsx", rep, deals)
    return root


def _saved_earlier(path: Path) -> None:
    """Make ``path`` a book saved in 2023: the time it records inside (as Excel does on
    saving) and its file's time."""
    saved_on(path, "2023-11-14T22:13:20Z")
    os.utime(path, (1_700_000_000, 1_700_000_000))


def _revenue(path: Path) -> float:
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis["revenue"]


def test_namesakes_in_two_teams_numbering_alike_are_both_rolled_up(books, tmp_path):
    """The director's company roll-up straight from the reps' books keeps both 张伟 and
    says why: same name and order numbers, other customers — two people, both kept."""
    out = tmp_path / "company.xlsx"
    result = _invoke("consolidate", str(books / "**" / "*.xlsx"), "-o", str(out),
                     "--level", "company", "--no-plan")
    assert result.exit_code == 0, result.output
    assert "4 个工作簿中合并了 4 个" in result.output, result.output
    assert "未合并" not in result.output and "两个版本" not in result.output
    assert "被重复计算" not in result.output
    line = next(x for x in result.output.splitlines() if x.lstrip().startswith("东一组/张伟"))
    assert "与 南二组/张伟_2026-11.xlsx 同名（张伟），订单编号也相同（1、2、3），但客户不同" in line
    assert "两者都已合并" in line
    assert _revenue(out) == pytest.approx(WHOLE)
    # the roll-up's own check agrees: shared ids (a warning), not one deal counted twice
    rules = {f.rule for f in validate(read_workbook(out))}
    assert "shared_id" in rules and "counted_twice" not in rules, rules


def test_namesakes_rolled_up_through_their_teams_do_not_count_twice(books, tmp_path):
    """Each team rolled up, then the company from the two team roll-ups: the two 张伟's
    orders 1, 2, 3 (other customers) are not one rep's orders counted twice; and the
    southern 张伟's book given beside the eastern team's roll-up is not that roll-up's
    张伟 in another version."""
    teams = tmp_path / "teams"
    for team in TEAMS:
        made = _invoke("consolidate", str(books / team), "-o", str(teams / f"{team}.xlsx"),
                       "--name", team, "--no-plan")
        assert made.exit_code == 0, made.output
    company = tmp_path / "company.xlsx"
    result = _invoke("consolidate", str(teams), "-o", str(company), "--level", "company",
                     "--no-plan")
    assert result.exit_code == 0, result.output
    assert "被重复计算" not in result.output
    assert _revenue(company) == pytest.approx(WHOLE)

    mixed = tmp_path / "mixed.xlsx"
    result = _invoke("consolidate", str(teams / "东一组.xlsx"), str(books / "南二组"), "-o",
                     str(mixed), "--level", "company", "--no-plan")
    assert result.exit_code == 0, result.output
    assert "3 个工作簿中合并了 3 个" in result.output, result.output
    assert _revenue(mixed) == pytest.approx(WHOLE)


def test_a_company_of_their_region_holds_both_namesakes_orders(books, tmp_path):
    """The two teams rolled up into a region, the region into a company: every row of
    the company names the region, and the two 张伟's orders 1, 2, 3 were one member's
    and one rep's, a duplicate_id error each — the company was then left out of a
    further roll-up for its validation errors. The members below tell them apart: a
    warning naming both, no error; a further roll-up takes the company whole."""
    teams = tmp_path / "teams"
    for team in TEAMS:
        made = _invoke("consolidate", str(books / team), "-o", str(teams / f"{team}.xlsx"),
                       "--name", team, "--no-plan")
        assert made.exit_code == 0, made.output
    region, company = tmp_path / "region.xlsx", tmp_path / "company.xlsx"
    for given, out, level in ((teams, region, "region"), (region, company, "company")):
        made = _invoke("consolidate", str(given), "-o", str(out), "--level", level,
                       "--name", out.stem, "--no-plan")
        assert made.exit_code == 0, made.output
    findings = [f for f in validate(read_workbook(company)) if f.rule == "shared_id"
                or f.severity == "error"]
    assert findings and all(f.rule == "shared_id" for f in findings), findings
    assert any("东一组 › 张伟" in f.message_zh and "南二组 › 张伟" in f.message_zh
               for f in findings), findings
    further = tmp_path / "group.xlsx"
    made = _invoke("consolidate", str(company), "-o", str(further), "--level", "company",
                   "--no-plan")
    assert made.exit_code == 0 and "1 个工作簿中合并了 1 个" in made.output, made.output
    assert _revenue(further) == pytest.approx(WHOLE)


def test_the_export_keeps_both_namesakes(books, tmp_path):
    """The finance export shares the rule: both 张伟's books are exported."""
    result = _invoke("export", str(books / "**" / "*.xlsx"), "-o", str(tmp_path / "fin"),
                     "--tables", "kpis")
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(tmp_path / "fin" / "kpis.csv")
    assert sorted(kpis["report_owner"]) == sorted(["张伟", "张伟", "李娜", "王芳"])
    assert kpis["revenue"].sum() == pytest.approx(WHOLE)


def test_an_older_version_of_one_namesakes_book_is_still_set_aside(books, tmp_path):
    """The eastern 张伟's book saved earlier with an amount since corrected and a
    customer typed in another case with a stray space: the same deals (compared as
    COUNTIFS compares names), so an older version, left out; the southern 张伟 stays."""
    deals = list(TEAMS["东一组"]["张伟"])
    deals[0] = (deals[0][0], 9000)
    deals[1] = ("ACME 无锡 ", deals[1][1])
    older = _rep_book(tmp_path / "旧" / "张伟_旧.xlsx", "张伟", deals)
    _saved_earlier(older)
    out = tmp_path / "company.xlsx"
    result = _invoke("consolidate", str(books / "**" / "*.xlsx"), str(older), "-o", str(out),
                     "--level", "company", "--no-plan")
    assert result.exit_code == 0, result.output
    assert "5 个工作簿中合并了 4 个" in result.output, result.output
    assert "未合并 张伟_旧.xlsx：张伟 的工作簿有两个版本（订单相同，金额等内容不同）" \
        in result.output, result.output
    assert "合并的是保存得更晚的 东一组/张伟_2026-11.xlsx" in result.output
    assert _revenue(out) == pytest.approx(WHOLE)


def test_a_team_roll_up_beside_a_namesakes_own_book_keeps_its_rep(books, tmp_path):
    """东一组's roll-up given beside 南二组's reps' own books: its 张伟 rows were taken for
    the southern 张伟's, as a manager's book naming a rep is — the ranking gave 张伟
    60,000 and 东一组 25,000, and said they were one person. A roll-up's reps are its own
    people: 东一组 keeps its 55,000, the southern 张伟 his 30,000."""
    team = tmp_path / "东一组.xlsx"
    made = _invoke("consolidate", str(books / "东一组"), "-o", str(team), "--name", "东一组",
                   "--no-plan")
    assert made.exit_code == 0, made.output
    mixed = tmp_path / "mixed.xlsx"
    result = _invoke("consolidate", str(team), str(books / "南二组"), "-o", str(mixed),
                     "--level", "region", "--no-plan")
    assert result.exit_code == 0, result.output
    assert "本人另有工作簿" not in result.output, result.output
    sheet = next(ws for ws in openpyxl.load_workbook(mixed, read_only=True).worksheets
                 if ws.title.startswith("成员排名"))
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] is not None]
    header = list(rows[0])
    revenue = {r[header.index("成员")]: r[header.index("销售额")] for r in rows[1:]}
    east = sum(a for deals in TEAMS["东一组"].values() for _, a in deals)
    south = sum(a for _, a in TEAMS["南二组"]["张伟"])
    assert (revenue["东一组"], revenue["张伟"]) == (east, south)
