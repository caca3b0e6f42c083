"""A ratio xlsales cannot compute (a member without targets has no attainment) is left
empty on the sheets it writes, and the empty cell keeps its column's percent format: a
value typed or pasted there shows as 83.5%, not 0.835."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.cell import range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions


@pytest.fixture(scope="module")
def rollup(tmp_path_factory) -> Path:
    """A team of two sample reps, the second with no targets, rolled up, with its KPI
    report."""
    root = tmp_path_factory.mktemp("empty_ratio")
    (root / "members").mkdir()
    for i, (rep, data) in enumerate(list(sample_members("en").items())[:2]):
        if i == 1:
            data.tables["Targets"] = data.tables["Targets"].iloc[0:0]
        build_workbook(root / "members" / f"{rep}.xlsx",
                       BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), data)
    out = root / "team.xlsx"
    for args in (["consolidate", str(root / "members"), "-o", str(out)],
                 ["kpis", str(out), "--write"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("sheet, table, header", [
    ("Member ranking", "MemberRanking", "Attainment"),
    ("KPI Report", "KpiReportReps", "Attainment")])
def test_an_empty_attainment_keeps_the_percent_format(rollup, sheet, table, header):
    ws = openpyxl.load_workbook(rollup)[sheet]
    c1, r1, _, r2 = range_boundaries(ws.tables[table].ref)
    col = c1 + [c.name for c in ws.tables[table].tableColumns].index(header)
    cells = [ws.cell(r, col) for r in range(r1 + 1, r2 + 1)]
    empty = [c for c in cells if c.value is None]
    assert empty and any(c.value is not None for c in cells)
    assert all("%" in c.number_format for c in cells), [
        (c.coordinate, c.value, c.number_format) for c in cells]
