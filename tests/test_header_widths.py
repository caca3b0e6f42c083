"""A column of a sheet xlsales writes is wide enough for each word of its header:
wrapping breaks a long header between words, never inside one, so a word wider than its
column printed cut (an English roll-up's ranking showed ``Attainmen`` and
``attainmen``, in LibreOffice's PDF as in Excel)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.sheetxml import text_width
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions

#: characters a bold header word needs beyond its own width (cell margins, bold)
MARGIN = 1.5


@pytest.fixture(scope="module")
def rollup(tmp_path_factory) -> Path:
    """An English team roll-up of three sample members, as ``xlsales consolidate``
    writes it (ranking, problem summary), with its KPI report (``kpis --write``)."""
    root = tmp_path_factory.mktemp("widths")
    members = root / "members"
    members.mkdir()
    for rep, data in list(sample_members("en").items())[:3]:
        build_workbook(members / f"{rep}.xlsx",
                       BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), data)
    out = root / "team.xlsx"
    for args in (["consolidate", str(members), "-o", str(out), "--lang", "en"],
                 ["kpis", str(out), "--write"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("sheet", ["Member ranking", "Problem summary", "KPI Report"])
def test_each_header_word_fits_its_column(rollup: Path, sheet: str) -> None:
    ws = openpyxl.load_workbook(rollup)[sheet]
    cut = []
    for table in ws.tables.values():
        first = openpyxl.utils.cell.range_boundaries(table.ref)
        for j, column in enumerate(table.tableColumns):
            letter = get_column_letter(first[0] + j)
            width = ws.column_dimensions[letter].width
            cut += [(table.name, word, width) for word in column.name.split()
                    if text_width(word) + MARGIN > width]
    assert not cut, cut


@pytest.fixture(scope="module")
def year_book(tmp_path_factory) -> Path:
    """A rep's Chinese book of the year 2026 with its KPI report (``kpis --write``): the
    ranking's growth headed 环比增长（上年）, its quarters table below."""
    from xlsales.periods import Period

    year = Period.parse("2026")
    rep, data = next(iter(sample_members("zh", year).items()))
    book = tmp_path_factory.mktemp("year_widths") / "year.xlsx"
    build_workbook(book, BuildOptions(lang="zh", period=year, owner=rep), data)
    result = CliRunner().invoke(main, ["kpis", str(book), "--write"])
    assert result.exit_code == 0, result.output
    return book


@pytest.mark.parametrize("which, sheet", [("rollup", "KPI Report"), ("year_book", "KPI报告")])
def test_the_kpi_reports_headers_fit_whole(which: str, sheet: str, request) -> None:
    """The KPI report keeps its headers on one line (its charts are anchored to rows): a
    header wider than its column printed cut — a year's ranking showed 环比增长（上年 and
    an English one ``Growth vs previ``."""
    ws = openpyxl.load_workbook(request.getfixturevalue(which))[sheet]
    cut = []
    for table in ws.tables.values():
        first = openpyxl.utils.cell.range_boundaries(table.ref)
        for j, column in enumerate(table.tableColumns):
            width = ws.column_dimensions[get_column_letter(first[0] + j)].width
            if text_width(column.name) + MARGIN > width:
                cut.append((table.name, column.name, width))
    assert not cut, cut
