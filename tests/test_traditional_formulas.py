"""``validate --write`` in a workbook converted to Traditional Chinese: the calculated
formulas it puts back name the columns as the converted table does (``客戶``, ``階段``),
not by the spec's Simplified labels, which the table no longer has (LibreOffice showed
#NAME? in those cells and the KPI sheet broke, while validate reported no error)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import table_rows
from traditional_books import convert_workbook

from xlsales.cli import main
from xlsales.libreoffice import recalculate_many

#: A structured reference: its table and what the brackets hold.
_REFERENCE = re.compile(r"([A-Za-z_][\w.]*)\[((?:\[[^\[\]]*\]|[^\[\]])*)\]")
BLANKED = 3  # rows whose calculated cells lose their formula


def referenced_columns(formula: str) -> set[tuple[str, str]]:
    """(table, column) of each column a formula's structured references name."""
    found = set()
    for table, inside in _REFERENCE.findall(formula):
        parts = re.findall(r"\[([^\[\]]*)\]", inside) or [inside]
        found |= {(table, p) for p in parts if p and not p.startswith("#")}
    return found


def _blanked(source: Path, target: Path) -> tuple[list[int], list[int]]:
    """``source`` with the calculated cells of its first Sales rows emptied (as a script
    leaves them): those rows, and the sheet columns of the calculated columns."""
    wb = openpyxl.load_workbook(source)
    ws = next(ws for ws in wb if "Sales" in ws.tables)
    table = ws.tables["Sales"]
    first_col = openpyxl.utils.cell.range_boundaries(table.ref)[0]
    header = openpyxl.utils.cell.range_boundaries(table.ref)[1]
    columns = [first_col + i for i, c in enumerate(table.tableColumns)
               if c.calculatedColumnFormula is not None]
    rows = list(range(header + 1, header + 1 + BLANKED))
    for r in rows:
        for c in columns:
            ws.cell(r, c).value = None
    wb.save(target)
    return rows, columns


@pytest.mark.parametrize("config", ["s2t", "s2twp"])
def test_formulas_restored_in_a_traditional_book_name_its_own_columns(
        sample_books, tmp_path: Path, config: str) -> None:
    """Each formula put back names only columns its table has, the one a row the
    conversion left whole holds (Excel renamed its references with the headers)."""
    book, blanked = tmp_path / "converted.xlsx", tmp_path / "blanked.xlsx"
    convert_workbook(sample_books["zh"], book, config)
    rows, columns = _blanked(book, blanked)
    result = CliRunner().invoke(main, ["validate", str(blanked), "--write", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Put right (--write):" in result.stdout
    wb = openpyxl.load_workbook(blanked)
    tables = {t.name: [c.name for c in t.tableColumns]
              for ws in wb for t in ws.tables.values()}
    ws = next(ws for ws in wb if "Sales" in ws.tables)
    whole = rows[-1] + 1
    for r in rows:
        for c in columns:
            formula = ws.cell(r, c).value
            assert isinstance(formula, str) and formula.startswith("="), (r, c, formula)
            named = referenced_columns(formula)
            assert named and all(col in tables.get(t, ()) for t, col in named), (
                formula, sorted(named - {(t, n) for t, ns in tables.items() for n in ns}))
            assert formula == ws.cell(whole, c).value


def test_libreoffice_computes_the_restored_cells_of_a_traditional_book(
        sample_books, tmp_path: Path) -> None:
    """After ``validate --write``, LibreOffice computes the calculated columns of a
    converted book's Sales table as those of the book before its conversion: no #NAME?,
    and the rows its formulas missed while they counted 赢单 among cells reading 贏單
    (``--write`` has them count the book's spelling) are counted again."""
    require_libreoffice()
    book, blanked = tmp_path / "converted.xlsx", tmp_path / "blanked.xlsx"
    convert_workbook(sample_books["zh"], book, "s2t")
    _, columns = _blanked(book, blanked)
    assert CliRunner().invoke(main, ["validate", str(blanked), "--write"]).exit_code == 0
    original, after = (table_rows(openpyxl.load_workbook(p, data_only=True), "Sales")
                       for p in recalculate_many([sample_books["zh"], blanked], tmp_path / "lo"))
    assert not [v for row in after for v in row if isinstance(v, str) and v.startswith("#")]
    first = min(columns) - len(after[0]) + len(after[0])  # calculated columns: the last ones
    calc = [c - 1 for c in columns]
    assert [[row[c] for c in calc] for row in after[1:]] == \
        [[row[c] for c in calc] for row in original[1:]]
    assert first


def test_a_rollup_converted_to_traditional_is_still_a_rollup(tmp_path):
    """A team roll-up converted to Traditional (Taipei sends its roll-up on): its member
    column reads 成員, not 成员, and validate took it for a rep's book whose calculated
    cells had lost their formulas (eight warnings telling to run --write, which then wrote
    the per-row formulas a roll-up stores as values by design)."""
    from xlsales.build.workbook import build_workbook
    from xlsales.io.reader import read_workbook
    from xlsales.rollup_rank import is_rollup, members_of
    from xlsales.sample import SAMPLE_PERIOD, sample_members
    from xlsales.validation import validate
    from xlsales.workbook_data import BuildOptions

    folder = tmp_path / "members"
    folder.mkdir()
    members = list(sample_members("zh").items())[:3]
    for rep, data in members:
        build_workbook(folder / f"{rep}.xlsx",
                       BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), data)
    team = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(team)])
    assert result.exit_code == 0, result.output
    converted = tmp_path / "team_tw.xlsx"
    convert_workbook(team, converted, "s2twp")
    read = read_workbook(converted)
    frames = {n: t.frame for n, t in read.tables.items()}
    assert "成員" in frames["Sales"].columns
    assert is_rollup(read.info, frames)
    assert len(members_of(frames)) == 3 and "張偉" in members_of(frames)  # converted too
    assert not [f for f in validate(read) if f.rule == "missing_formula"]


def test_write_has_a_converted_book_count_its_own_spelling(sample_books, tmp_path: Path):
    """Excel's 简转繁 converts the cells (贏單) but not the formulas ("赢单"): the book's
    KPI sheet counted none of its won deals, and validate could only say to retype the
    stage in Simplified. `validate --write` now has the formulas count the book's
    spelling; LibreOffice's recalculated KPI sheet then equals `xlsales kpis`."""
    import json
    import math

    from sheet_values import kpi_values

    from xlsales.io.reader import read_workbook
    from xlsales.validation import validate

    require_libreoffice()
    book = tmp_path / "tw.xlsx"
    convert_workbook(sample_books["zh"], book, "s2twp")
    before = [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
    assert {f.value for f in before} >= {"贏單", "新客戶"}
    assert all("运行 xlsales validate --write" in f.message_zh for f in before)
    result = CliRunner().invoke(main, ["validate", str(book), "--write", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "its formulas now count the spelling its cells use" in result.stdout
    assert "'贏單' (was '赢单')" in result.stdout
    assert not [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
    [recalculated] = recalculate_many([book], tmp_path / "lo")
    shown = kpi_values(openpyxl.load_workbook(recalculated, data_only=True))
    computed = json.loads(CliRunner().invoke(main, ["kpis", str(book), "--json"]).stdout)
    differ = {k: (shown[k], v) for k, v in computed["kpis"].items()
              if not ((shown[k] is None and v is None) or (
                  isinstance(v, int | float) and isinstance(shown[k], int | float)
                  and math.isclose(shown[k], v, rel_tol=1e-9, abs_tol=1e-6)))}
    assert differ == {} and computed["kpis"]["deals"] > 0


def test_a_respelled_book_warns_of_cells_typed_in_simplified_again(sample_books, tmp_path):
    """After --write the formulas count 贏單: ten won deals typed (or imported) as 赢单
    fell out of the KPI sheet with no warning, and choices the formulas never compare
    (老客戶, 電話) were warned of again and again, --write changing nothing."""
    from xlsales.io.reader import read_workbook
    from xlsales.validation import validate

    book = tmp_path / "tw.xlsx"
    convert_workbook(sample_books["zh"], book, "s2t")
    assert CliRunner().invoke(main, ["validate", str(book), "--write"]).exit_code == 0
    assert not [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
    wb = openpyxl.load_workbook(book)
    ws = wb["銷售記錄"]
    stage = next(c.column for c in ws[4] if c.value == "階段")
    cells = [ws.cell(r, stage) for r in range(5, ws.max_row + 1)
             if ws.cell(r, stage).value == "贏單"][:10]
    for cell in cells:
        cell.value = "赢单"
    wb.save(book)
    [f] = [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
    assert (f.cell, f.value) == (cells[0].coordinate, "赢单")
    assert "有 10 个值" in f.message_zh and "请改为“贏單”" in f.message_zh


def test_import_into_a_respelled_book_writes_its_spelling(sample_books, tmp_path):
    """A CRM export imported into a Traditional book whose formulas count 贏單 was written
    as 赢单 (the spec's label), which its KPI sheet then left out without a word."""
    from xlsales.io.reader import read_workbook
    from xlsales.validation import validate

    book = tmp_path / "tw.xlsx"
    convert_workbook(sample_books["zh"], book, "s2t")
    assert CliRunner().invoke(main, ["validate", str(book), "--write"]).exit_code == 0
    export = tmp_path / "crm.csv"
    export.write_text("订单编号,日期,销售人员,客户,阶段,金额\n"
                      "CRM-1,2026-10-20,張偉,新客户甲,赢单,1000\n"
                      "CRM-2,2026-10-21,張偉,新客户乙,贏單,2000\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(export), "--into", str(book)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(book)["銷售記錄"]
    stage = next(c.column for c in ws[4] if c.value == "階段")
    assert [ws.cell(r, stage).value for r in range(ws.max_row - 1, ws.max_row + 1)] == \
        ["贏單", "贏單"]
    assert not [f for f in validate(read_workbook(book)) if f.rule == "choice_not_counted"]
