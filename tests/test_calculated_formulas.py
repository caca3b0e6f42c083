"""Calculated cells without their formula: rows of the Sales table the workbook's own KPI
sheet leaves out (rows appended by a script, a value typed over the formula) while
``xlsales kpis`` counts them. ``validate`` finds them (one warning per column: first cell,
count), ``validate --write`` puts the formulas back and nothing else, and LibreOffice then
computes the KPI sheet as ``xlsales kpis`` does (before, it did not).

Real workbooks: the sample as ``xlsales demo`` writes it (XlsxWriter), the same after
openpyxl appended rows to it or a value was typed over a formula, and the sample as
LibreOffice saves it (cached results, ``<f aca="false">``)."""

from __future__ import annotations

import json
import math
import re
import shutil
import stat
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import kpi_values, table_rows

from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io import cells as cells_module
from xlsales.io import ooxml
from xlsales.io.reader import get_column_letter, read_workbook
from xlsales.libreoffice import recalculate_many
from xlsales.sample import SAMPLE_PERIOD
from xlsales.spec import SPEC
from xlsales.validation import validate

SALES = SPEC.table("Sales")
CALC = [(i, c.key) for i, c in enumerate(SALES.columns, 1) if not c.is_input]
CALC_LETTERS = [get_column_letter(i) for i, _ in CALC]
NEW_ROWS = [  # won in the period, new customers: they change customers and new customers
    [f"NEW-{i}", datetime(2026, 10, 20 + i), "张伟", "华东", f"新客户{i}", None, "实施服务",
     1, 5000, 5000, "赢单", None, datetime(2026, 10, 1), 5000, 5000] for i in range(3)]


# --------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------


def sales_sheet(wb: openpyxl.Workbook):
    return next(ws for ws in wb if "Sales" in ws.tables)


def appended_by_openpyxl(src: Path, dst: Path) -> int:
    """``src`` with NEW_ROWS appended to its Sales table by openpyxl, which writes no
    formula in the calculated columns; the first new row."""
    wb = openpyxl.load_workbook(src)
    ws = sales_sheet(wb)
    table = ws.tables["Sales"]
    first = ws.max_row + 1
    for r, values in enumerate(NEW_ROWS, first):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    table.ref = f"{table.ref.split(':')[0]}:{CALC_LETTERS[-1]}{first + len(NEW_ROWS) - 1}"
    table.autoFilter.ref = table.ref
    wb.save(dst)
    return first


def single_won_row(path: Path) -> int:
    """A Sales row won in the period whose customer has no other such row: its customer
    weight is 1, so 0 typed over it takes one customer off the KPI sheet."""
    read = read_workbook(path).tables["Sales"]
    f = read.frame
    won = f[f["stage"].eq("won") & f["date"].map(
        lambda d: SAMPLE_PERIOD.start <= d <= SAMPLE_PERIOD.end)]
    once = won[~won["customer"].duplicated(keep=False)]
    return read.rows[int(once.index[0])]


def typed_over(src: Path, dst: Path, cell: str, value: object) -> None:
    """``src`` with ``value`` typed over the formula of ``cell`` of the Sales sheet."""
    wb = openpyxl.load_workbook(src)
    sales_sheet(wb)[cell] = value
    wb.save(dst)


def sales_part(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        layout = ooxml.read_layout(zf)
        info = layout.table("Sales")
        assert info is not None
        return layout.sheet(info.sheet).part


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


ROW = re.compile(rb'<row\b[^>]*\br="(\d+)"[^>]*?(?:/>|>.*?</row>)', re.S)


def rows_of(xml: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(0) for m in ROW.finditer(xml)}


def formulas_of(row: bytes) -> dict[str, str]:
    """Column letters → formula text of a row's formula cells."""
    return {m.group(1).decode(): m.group(2).decode() for m in re.finditer(
        rb'<c r="([A-Z]+)\d+"[^>]*><f(?:\s[^>]*)?>([^<]*)</f>', row)}


def missing(findings) -> list[tuple[str, int, object]]:
    return sorted((f.cell, f.row, f.value) for f in findings if f.rule == "missing_formula")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def appended(sample_books, tmp_path) -> tuple[Path, int]:
    path = tmp_path / "appended.xlsx"
    return path, appended_by_openpyxl(sample_books["zh"], path)


# --------------------------------------------------------------------------------------
# Finding them
# --------------------------------------------------------------------------------------


def test_rows_appended_by_openpyxl_are_one_warning_per_column(appended):
    path, first = appended
    findings = validate(read_workbook(path))
    found = [f for f in findings if f.rule == "missing_formula"]
    assert missing(found) == [(f"{letter}{first}", first, 3) for letter in CALC_LETTERS]
    assert [f for f in findings if f.rule != "missing_formula"] == []
    label = SALES.column("customer_weight").label
    weight = next(f for f in found if f.column == "customer_weight")
    assert weight.severity is Severity.WARNING and weight.table == "Sales"
    assert weight.sheet == SPEC.sheet("sales").name.zh
    assert weight.message_zh == (
        f"计算列“{label.zh}”有 3 行没有公式（如 Q{first}）：工作簿自己的公式（KPI 表）"
        "不计入这些行，xlsales kpis 则计入。请运行 xlsales validate appended.xlsx --write "
        "恢复公式，或在 Excel 或 WPS 中把该列的公式向下填充到这些行。")
    assert weight.message_en == (
        f"Calculated column '{label.zh}': 3 rows without its formula (e.g. Q{first}): the "
        "workbook's own formulas (the KPI sheet) do not count such rows, while xlsales kpis "
        "does. Run `xlsales validate appended.xlsx --write` to restore the formulas, or fill "
        "the column's formula down in Excel or WPS.")


def test_readers_of_values_only_can_leave_the_count_out(appended):
    """A roll-up reads its members' values (their own KPI sheet plays no part), so it
    reads without the count, whose CPU competes with the other worker: no finding then,
    and the same tables."""
    path, _ = appended
    counted, uncounted = read_workbook(path), read_workbook(path, count_formulas=False)
    assert [f for f in validate(uncounted) if f.rule == "missing_formula"] == []
    assert [f for f in validate(counted) if f.rule == "missing_formula"]
    for name, table in counted.tables.items():
        pd.testing.assert_frame_equal(table.frame, uncounted.tables[name].frame)


def test_a_value_typed_over_a_formula_is_found(sample_books, tmp_path):
    path = tmp_path / "typed.xlsx"
    row = single_won_row(sample_books["zh"])
    typed_over(sample_books["zh"], path, f"Q{row}", 0)
    findings = validate(read_workbook(path))
    assert missing(findings) == [(f"Q{row}", row, 1)]
    assert "1 row without its formula" in next(
        f for f in findings if f.rule == "missing_formula").message_en
    result = run("validate", path, "--lang", "en")
    assert result.exit_code == 0  # a warning
    assert "missing_formula            Calculated column '客户计数权重': 1 row" in result.stdout


def test_a_clean_workbook_is_settled_by_the_count_made_while_reading(sample_books, tmp_path,
                                                                     monkeypatch):
    """The count made in the pass the reader makes over the sheet anyway (the CRC-32 check
    of a column-wise read, the error scan of a grid read) settles a workbook whose
    calculated cells all hold their formula: the sheet is inflated no more often than
    before, and the scan that names cells never runs. A row without formula makes the
    count fall short, on both paths."""
    inflations: list[str] = []
    real = cells_module._inflated

    def counted(zf, part):
        inflations.append(part)
        return real(zf, part)

    monkeypatch.setattr(cells_module, "_inflated", counted)

    def no_scan(*_args):
        raise AssertionError("the named scan ran on a workbook without gaps")

    monkeypatch.setattr("xlsales.validation.calculated.table_gaps", no_scan)
    book = sample_books["en"]
    part = sales_part(book)
    for fast in (True, False):
        inflations.clear()
        read = read_workbook(book, fast_read=fast)
        assert read.tables["Sales"].formulas_complete is True
        assert inflations.count(part) == 1, (fast, inflations)
        assert not [f for f in validate(read) if f.rule == "missing_formula"]
    monkeypatch.undo()
    broken = tmp_path / "appended.xlsx"
    appended_by_openpyxl(sample_books["zh"], broken)
    for fast in (True, False):
        assert read_workbook(broken, fast_read=fast).tables["Sales"].formulas_complete is False


def test_a_rollup_holds_values_by_design(tmp_path):
    """A roll-up's calculated columns hold values computed for its period (no formula):
    not a finding."""
    from dataclasses import replace

    from conftest import team_options

    from xlsales.build.workbook import build_workbook
    from xlsales.kpis import calculated_columns
    from xlsales.sample import sample_workbook_data

    data = sample_workbook_data("en")
    sales = data.tables["Sales"]
    sales = sales.assign(Member="East team", **calculated_columns(sales, SAMPLE_PERIOD))
    path = tmp_path / "rollup.xlsx"
    build_workbook(path, team_options("en"),
                   replace(data, tables={**data.tables, "Sales": sales},
                           calculated_values=frozenset({"Sales"})))
    read = read_workbook(path)
    assert read.tables["Sales"].formulas_complete is False
    assert not [f for f in validate(read) if f.rule == "missing_formula"]


# --------------------------------------------------------------------------------------
# Putting them back
# --------------------------------------------------------------------------------------


def test_write_restores_the_formulas_and_nothing_else(appended, tmp_path):
    path, first = appended
    part = sales_part(path)
    before = parts(path)
    result = run("validate", path, "--write", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  Put right (--write):")
    assert lines[at + 1] == (
        f"    销售记录!Q{first}  Calculated column '客户计数权重': the formula restored in 3 "
        "rows (e.g. Q{first}); the KPI sheet counts them again.".replace("{first}", str(first)))
    assert len(lines) == at + 1 + len(CALC)

    after = parts(path)
    changed = {n for n in before if after.get(n) != before[n]}
    # the Sales sheet, and what a new sheet touches (the validation sheet's own part is new)
    assert changed - {"docProps/core.xml"} == {  # and its last-saved time
        part, "[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml"}, changed
    old_rows, new_rows = rows_of(before[part]), rows_of(after[part])
    new = range(first, first + len(NEW_ROWS))
    assert old_rows.keys() == new_rows.keys()
    assert {r for r in old_rows if old_rows[r] != new_rows[r]} == set(new)
    assert ROW.sub(b"", before[part]) == ROW.sub(b"", after[part])  # head and tail
    template = formulas_of(old_rows[first - 1])  # a row the template wrote
    assert sorted(template) == CALC_LETTERS
    for r in new:
        assert formulas_of(new_rows[r]) == template
        # the cells typed before stay byte for byte, the formulas carry no cached result
        assert new_rows[r].startswith(old_rows[r][:old_rows[r].rindex(b"</row>")])
        assert b"<v>" not in new_rows[r][len(old_rows[r]) - len(b"</row>"):]

    read = read_workbook(path)
    assert not [f for f in validate(read) if f.rule == "missing_formula"]
    rows = table_rows(openpyxl.load_workbook(path), "Validation")
    restored = [r for r in rows[1:] if r[5] == "formula_restored"]
    assert [(r[0], r[2], r[6]) for r in restored] == [
        ("info", f"销售记录!{letter}{first}", 3) for letter in CALC_LETTERS]
    assert not [r for r in rows[1:] if r[5] == "missing_formula"]
    # a second run finds nothing to restore
    again = run("validate", path, "--write", "--lang", "en")
    assert again.exit_code == 0 and "Put right" not in again.stdout
    assert parts(path)[part] == after[part]


def test_write_restores_a_value_typed_over_a_formula(sample_books, tmp_path):
    path = tmp_path / "typed.xlsx"
    row = single_won_row(sample_books["zh"])
    typed_over(sample_books["zh"], path, f"Q{row}", 0)
    part = sales_part(path)
    before = rows_of(parts(path)[part])
    assert b"<f>" not in re.search(rb'<c r="Q%d".*?</c>' % row, before[row]).group(0)
    result = run("validate", path, "--write")
    assert "已修正（--write）：" in result.stdout
    assert (f"销售记录!Q{row}  计算列“客户计数权重”：已在 1 行恢复公式（如 Q{row}），KPI 表重新"
            "计入这些行。") in result.stdout
    after = rows_of(parts(path)[part])
    assert {r for r in before if before[r] != after[r]} == {row}
    assert formulas_of(after[row]) == formulas_of(after[row - 1])
    cell = re.search(rb'<c r="Q%d".*?</c>' % row, after[row]).group(0).decode()
    style = re.search(r' s="\d+"', re.search(rb'<c r="Q%d"[^>]*>' % row,
                                             before[row]).group(0).decode()).group(0)
    assert cell.startswith(f'<c r="Q{row}"{style}><f>')  # its style kept, no cached 0


def test_write_refuses_a_read_only_file_and_changes_nothing(appended):
    """A file that cannot be replaced (read-only here; open in Excel alike) is refused
    before anything is written; made writable, the same command restores."""
    path, first = appended
    data = path.read_bytes()
    path.chmod(stat.S_IRUSR)
    try:
        result = run("validate", path, "--write")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert path.read_bytes() == data
    assert not list(path.parent.glob(f".{path.name}.*"))  # no temporary file left
    assert f"销售记录!Q{first}  计算列" in run("validate", path, "--write").stdout
    assert missing(validate(read_workbook(path))) == []


def test_stored_formula_is_the_one_the_template_writes(sample_books):
    from xlsales.build.formulas import stored_formula

    for lang, path in sample_books.items():
        row = rows_of(parts(path)[sales_part(path)])[6]
        written = {k: v.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                   for k, v in formulas_of(row).items()}
        assert written == {letter: stored_formula(SALES, key, SPEC, lang)
                           for letter, (_, key) in zip(CALC_LETTERS, CALC, strict=True)}


# --------------------------------------------------------------------------------------
# LibreOffice: the KPI sheet before and after, and a workbook LibreOffice saved
# --------------------------------------------------------------------------------------


def _kpis_differ(book: Path, recalculated: Path) -> dict[str, tuple[object, object]]:
    """KPI key → (KPI sheet as LibreOffice computes it, ``xlsales kpis``) where they
    differ."""
    shown = kpi_values(openpyxl.load_workbook(recalculated, data_only=True))
    result = run("kpis", book, "--json")
    assert result.exit_code == 0, result.output
    computed = json.loads(result.stdout)["kpis"]
    assert set(computed) == set(shown)
    return {k: (shown[k], v) for k, v in computed.items()
            if not ((shown[k] is None and v is None)
                    or (isinstance(v, int | float) and isinstance(shown[k], int | float)
                    and math.isclose(shown[k], v, rel_tol=1e-9, abs_tol=1e-6)))}


def _lo_typed_over(src: Path, dst: Path, rows: list[int]) -> None:
    """``src`` (as LibreOffice saved it) with 0 typed over the customer weight formula of
    ``rows``, as LibreOffice would save it: the same cell, a value, no formula."""
    data = parts(src)
    part = sales_part(src)
    xml = data[part]
    for row in rows:
        xml, n = re.subn(rb'(<c r="Q%d"[^>]*>)<f[^>]*>[^<]*</f><v>[^<]*</v>' % row,
                         rb"\1<v>0</v>", xml)
        assert n == 1
    data[part] = xml
    with zipfile.ZipFile(src) as zf:
        order = zf.namelist()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in order:
            out.writestr(name, data[name])


def test_libreoffice_computes_the_restored_workbooks_as_xlsales_kpis(sample_books, tmp_path):
    """The premise and the fix, in LibreOffice: with rows appended by openpyxl and a value
    typed over a formula, the recalculated KPI sheet disagrees with ``xlsales kpis``;
    after ``validate --write`` it agrees on every KPI. The same for a workbook LibreOffice
    saved (cached results, its own form of formulas), which holds no gap until a value
    is typed over a formula."""
    require_libreoffice()
    sample = sample_books["zh"]
    broken = tmp_path / "broken.xlsx"
    appended_by_openpyxl(sample, tmp_path / "step.xlsx")
    typed_over(tmp_path / "step.xlsx", broken, f"Q{single_won_row(sample)}", 0)
    [lo_saved] = recalculate_many([sample_books["en"]], tmp_path / "lo")
    assert missing(validate(read_workbook(lo_saved))) == []
    lo_broken = tmp_path / "lo_broken.xlsx"
    rows = [single_won_row(lo_saved)]
    _lo_typed_over(lo_saved, lo_broken, rows)
    assert missing(validate(read_workbook(lo_broken))) == [(f"Q{rows[0]}", rows[0], 1)]

    fixed, lo_fixed = tmp_path / "fixed.xlsx", tmp_path / "lo_fixed.xlsx"
    shutil.copy(broken, fixed)
    shutil.copy(lo_broken, lo_fixed)
    for path in (fixed, lo_fixed):
        assert run("validate", path, "--write").exit_code == 0
        assert missing(validate(read_workbook(path))) == []
    out = recalculate_many([broken, fixed, lo_broken, lo_fixed], tmp_path / "recalc")
    before, after, lo_before, lo_after = (_kpis_differ(b, r) for b, r in zip(
        [broken, fixed, lo_broken, lo_fixed], out, strict=True))
    assert {"customers", "new_customers", "new_customer_revenue"} <= set(before), before
    assert "customers" in lo_before, lo_before
    assert after == {} and lo_after == {}


def test_write_takes_rows_typed_below_the_table_into_it(sample_books, tmp_path):
    """Rows typed just under the Sales table (LibreOffice does not grow a table; a script
    writing cells does not either) were read by xlsales and left out by the workbook's
    own KPI sheet, and `validate --write` did not help: the message sent the user to Excel
    or WPS. Now --write extends the table over them and fills their calculated cells, and
    LibreOffice computes the KPI sheet as `xlsales kpis` does; only the Sales sheet and
    its table part change (beside what the validation sheet itself touches)."""
    require_libreoffice()
    path = tmp_path / "below.xlsx"
    wb = openpyxl.load_workbook(sample_books["zh"])
    ws = sales_sheet(wb)
    ref = ws.tables["Sales"].ref
    first = ws.max_row + 1
    for r, values in enumerate(NEW_ROWS, first):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    wb.save(path)
    found = validate(read_workbook(path))
    [below] = [f for f in found if f.rule == "rows_not_counted"]
    assert below.cell == f"A{first}" and below.value == len(NEW_ROWS)
    assert "xlsales validate --write" in below.message_en and "Define Range" in \
        below.message_en and "数据 > 定义范围" in below.message_zh
    [lo_before] = recalculate_many([path], tmp_path / "lo_before")
    assert {"revenue", "customers"} <= set(_kpis_differ(path, lo_before))

    with zipfile.ZipFile(path) as zf:
        table_part = ooxml.read_layout(zf).table("Sales").part
    before = parts(path)
    result = run("validate", path, "--write", "--lang", "en")
    assert result.exit_code == 0, result.output
    last = first + len(NEW_ROWS) - 1
    lines = result.stdout.splitlines()
    at = lines.index("  Put right (--write):")
    assert lines[at + 1] == (f"    销售记录!A{first}  Table Sales now reaches row {last}, taking "
                             f"in the 3 rows below it (from A{first}).")
    assert f"the formula restored in 3 rows (e.g. Q{first})" in result.stdout
    after = parts(path)
    changed = {n for n in before if after.get(n) != before[n]}
    assert changed - {"docProps/core.xml"} == {  # and its last-saved time
        sales_part(path), table_part, "[Content_Types].xml", "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels", "xl/styles.xml"}, changed
    table = openpyxl.load_workbook(path)
    assert sales_sheet(table).tables["Sales"].ref == f"{ref.split(':')[0]}:X{last}"
    again = validate(read_workbook(path))
    assert not [f for f in again if f.rule in ("rows_not_counted", "missing_formula")]
    [lo_after] = recalculate_many([path], tmp_path / "lo_after")
    assert _kpis_differ(path, lo_after) == {}


def test_write_takes_in_only_the_rows_right_under_the_table(sample_books, tmp_path):
    """A note typed a hundred rows under the Sales table: --write grew the table over the
    99 blank rows to it and gave the note the calculated formulas. Only the rows that
    follow the table without a gap are taken in; the note stays outside it."""
    path = tmp_path / "note.xlsx"
    wb = openpyxl.load_workbook(sample_books["zh"])
    ws = sales_sheet(wb)
    first = ws.max_row + 1
    for r, values in enumerate(NEW_ROWS[:2], first):
        for c, value in enumerate(values, 1):
            ws.cell(r, c, value)
    ws.cell(first + 100, 1, "经理已核对 11/3")
    wb.save(path)
    result = run("validate", path, "--write", "--lang", "en")
    assert f"now reaches row {first + 1}, taking in the 2 rows below it" in result.stdout
    ref = sales_sheet(openpyxl.load_workbook(path)).tables["Sales"].ref
    assert ref.endswith(f"X{first + 1}"), ref
    note = sales_sheet(openpyxl.load_workbook(path)).cell(first + 100, len(SALES.columns))
    assert note.value is None  # no formula given to the note's row
    assert "Left out" not in result.stdout  # the note is no row to leave out
    # and it is read as a note (it fills no date, rep, customer or stage), not as a row
    # the user is sent to --write for
    again = run("validate", path, "--lang", "en")
    assert "0 errors, 0 warnings" in again.stdout
    assert f"xlsales reads 1 row from A{first + 100} as notes, not rows" in again.stdout
    assert "takes the rows right under the table" not in again.stdout


def test_write_leaves_a_rollups_tables_as_they_are(tmp_path):
    """A row typed under a roll-up's Sales table: --write extended the table but could
    fill no calculated value (a roll-up stores them, computed over all rows), and
    validate then said nothing while the KPI sheet was off. A roll-up's table is left
    as it is, and the warning says to add the row to a member and consolidate again."""
    from xlsales.build.workbook import build_workbook
    from xlsales.sample import sample_members
    from xlsales.workbook_data import BuildOptions

    folder = tmp_path / "m"
    folder.mkdir()
    for rep, data in list(sample_members("zh").items())[:2]:
        build_workbook(folder / f"{rep}.xlsx",
                       BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), data)
    rollup = tmp_path / "team.xlsx"
    assert run("consolidate", folder, "-o", rollup).exit_code == 0
    wb = openpyxl.load_workbook(rollup)
    ws = sales_sheet(wb)
    ref = ws.tables["Sales"].ref
    row = ws.max_row + 1
    for c, value in enumerate(NEW_ROWS[0], 1):
        ws.cell(row, c, value)
    wb.save(rollup)
    result = run("validate", rollup, "--write", "--lang", "en")
    assert "now reaches row" not in result.stdout
    assert "add these rows to the member's workbook and consolidate again" in result.stdout
    assert sales_sheet(openpyxl.load_workbook(rollup)).tables["Sales"].ref == ref
