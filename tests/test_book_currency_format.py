"""A Taipei team's books are kept in TWD: their amount cells say TWD, never ¥.

`xlsales new --currency TWD` wrote every amount column (sales, targets, budget caps) and
the KPI sheet's amounts with the template's Chinese format ``¥#,##0.00``: a rep typing
NT$61,600 saw ¥61,600.00, and the roll-up `consolidate` built from TWD members showed ¥
too, beside a KPI report and plan sheets saying TWD. A yuan book keeps its ``¥``.
"""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import team_options
from openpyxl.utils.cell import range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import sample_workbook_data
from xlsales.spec import SPEC


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def column_formats(book: Path, table: str, header: str) -> tuple[str, float]:
    """The number format and width of ``header``'s column of ``table`` in ``book``."""
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        if table in ws.tables:
            c1, r1, c2, _ = range_boundaries(ws.tables[table].ref)
            for col in range(c1, c2 + 1):
                if ws.cell(r1, col).value == header:  # the column's own format
                    dim = next(d for d in ws.column_dimensions.values()
                               if d.min <= col <= d.max)
                    return dim.number_format, dim.width
    raise KeyError((table, header))


def kpi_value_format(book: Path, key: str) -> str:
    ws = openpyxl.load_workbook(book)[SPEC.sheet("kpis").name.zh]
    return next(row[2].number_format for row in ws.iter_rows() if row[0].value == key)


def test_a_twd_book_shows_twd_not_yuan(tmp_path: Path) -> None:
    twd, cny = tmp_path / "tw.xlsx", tmp_path / "cn.xlsx"
    run("new", "--period", "2026-10", "--owner", "陳靜", "--currency", "TWD", "-o", str(twd))
    run("new", "--period", "2026-10", "--owner", "陈静", "-o", str(cny))
    for table, header in (("Sales", "金额"), ("Sales", "回款金额"), ("Targets", "销售额目标"),
                          ("BudgetCaps", "每月上限")):
        shown, width = column_formats(twd, table, header)
        assert "¥" not in shown and '"TWD"' in shown, (table, header, shown)
        yuan, yuan_width = column_formats(cny, table, header)
        assert yuan == "¥#,##0.00"
        assert width >= yuan_width + 4  # 1,234,567.00 TWD does not print as ###
    assert kpi_value_format(twd, "revenue") == '#,##0.00 "TWD"'
    assert kpi_value_format(cny, "revenue") == "¥#,##0.00"


def test_a_roll_up_of_twd_books_shows_twd(tmp_path: Path) -> None:
    data = deepcopy(sample_workbook_data("zh"))
    data.info["currency"] = "TWD"
    member = tmp_path / "north.xlsx"
    build_workbook(member, team_options("zh"), data)
    team = tmp_path / "team.xlsx"
    run("consolidate", str(member), "-o", str(team))
    shown, _ = column_formats(team, "Sales", "金额")
    assert shown == '#,##0.00 "TWD"'
    # the ranking's and the problem summary's amounts too, not bare numbers under a
    # title line saying TWD
    wb = openpyxl.load_workbook(team)
    for table, header in (("MemberRanking", "销售额"), ("MemberRanking", "目标"),
                          ("ProblemSummary", "影响金额")):
        ws = next(w for w in wb.worksheets if table in w.tables)
        c1, r1, c2, _ = range_boundaries(ws.tables[table].ref)
        col = next(c for c in range(c1, c2 + 1) if ws.cell(r1, c).value == header)
        assert ws.cell(r1 + 1, col).number_format == '#,##0.00 "TWD"', (table, header)


def test_the_plan_line_says_twd(tmp_path: Path) -> None:
    """`plan` printed "销售额目标 336,600" and "预算 4,000" for a TWD book right after `kpis`
    printed "销售额 306,000 TWD"; a yuan book's stay unmarked, as its summary's."""
    data = deepcopy(sample_workbook_data("zh"))
    data.info["currency"] = "TWD"
    book = tmp_path / "north.xlsx"
    build_workbook(book, team_options("zh"), data)
    out = run("plan", str(book), "--target", "NT$2,000,000")
    assert "：销售额目标 2,000,000 TWD（" in out
    assert re.search(r"预算 [\d,]+ TWD（", out), out
    yuan = tmp_path / "cn.xlsx"
    build_workbook(yuan, team_options("zh"), sample_workbook_data("zh"))
    assert "：销售额目标 2,000,000（" in run("plan", str(yuan), "--target", "2000000")
