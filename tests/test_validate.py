"""Validation over workbooks with planted errors of every rule kind: each finding
is expected exactly (rule and cell), nothing more."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values, table_rows, with_header_renamed
from uno_office import require_uno, run_in_office

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.kpi_formula_columns import read_by_formulas
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.spec.declarations import SALES
from xlsales.validation import validate
from xlsales.validation.report import column_label
from xlsales.workbook_data import WorkbookData

PERIOD = Period.parse("2026-10")
SALES_SHEET = SPEC.sheet("sales")
FIRST = 5  # Excel row of the first data row


def clean_sales(n: int = 6) -> list[dict]:
    return [{
        "order_id": f"O{i}", "date": date(2026, 10, 1 + i), "rep": "A" if i % 2 else "B",
        "region": "East", "customer": f"C{i}", "product": "Standard", "quantity": 2.0,
        "unit_price": 100.0, "amount": 200.0, "stage": "won", "invoiced": 200.0,
        "collected": 150.0,
    } for i in range(n)]


# (what to change in a clean row, rule, column key) — one planted error per row
PLANTED = [
    ({"order_id": None}, "required", "order_id"),
    ({"amount": "abc"}, "bad_number", "amount"),
    ({"date": "2026-13-45"}, "bad_date", "date"),
    ({"quantity": -2.0, "amount": -200.0}, "below_minimum", "quantity"),
    ({"stage": "maybe"}, "not_allowed", "stage"),
    ({"product": "Gold"}, "not_in_list", "product"),
    ({"rep": "Nobody"}, "unknown_rep", "rep"),
    ({"order_id": "O0"}, "duplicate_id", "order_id"),
    ({"amount": 999.0, "invoiced": 999.0}, "amount_mismatch", "amount"),
    ({"collected": 300.0}, "collected_exceeds_invoiced", "collected"),
    # a CRM export without invoicing: a warning that the rate runs high, not an error
    ({"invoiced": None}, "collected_without_invoiced", "collected"),
    ({"amount": None, "invoiced": None, "collected": None}, "won_without_amount", "amount"),
    # closed before it was opened: a won row's sales cycle would be negative
    ({"created": date(2026, 10, 20)}, "created_after_date", "created"),
    ({"date": date(2026, 12, 5)}, "date_after_period", "date"),
    ({"date": date(2023, 1, 1)}, "date_before_history", "date"),
]
# the quantity row also breaks amount >= 0
EXTRA = [("below_minimum", "amount", 3)]

REPAIRED = [  # typed the way people do: read fine, reported as info
    ({"amount": "¥200", "unit_price": "１００"}, ["amount", "unit_price"]),
    ({"date": "2026年10月9日"}, ["date"]),
    ({"customer": " C9 "}, ["customer"]),
]


def planted_data() -> tuple[WorkbookData, list[tuple[str, str, int]], list[tuple[str, int]]]:
    rows = clean_sales()
    expected = []
    for change, rule, key in PLANTED:
        row = {**clean_sales(1)[0], "order_id": f"P{len(rows)}", **change}
        expected.append((rule, key, FIRST + len(rows)))
        rows.append(row)
    expected += [(rule, key, FIRST + len(clean_sales()) + i) for rule, key, i in EXTRA]
    repaired = []
    for change, keys in REPAIRED:
        rows.append({**clean_sales(1)[0], "order_id": f"R{len(rows)}", **change})
        repaired += [(key, FIRST + len(rows) - 1) for key in keys]
    # typed as text, they are counted by xlsales but not by the KPI sheet's formulas: a
    # warning per column at its first such cell (here each column has one)
    # (a name with spaces around it says to delete them); a column no KPI formula reads
    # (the unit price) is none of the KPI sheet's business: no warning
    expected += [("spaces_not_counted" if key == "customer" else "values_not_counted", key,
                  row) for key, row in repaired if read_by_formulas("Sales", key)]
    sales = pd.DataFrame(rows)
    targets = pd.DataFrame({"period": [date(2026, 10, 1)] * 3, "rep": ["A", "B", "Ghost"],
                            "revenue_target": [1000.0, 1000.0, 500.0],
                            "collection_rate_target": [0.9, 1.5, 0.9]})
    problems = pd.DataFrame({
        "problem_id": ["P1", "P2", "P3"], "description": ["a", "b", "c"],
        "category": ["Collection", None, "Process"], "impact_amount": [100.0, 200.0, None],
        "carry_forward": ["yes", "yes", "yes"], "controllability": ["controllable"] * 3,
    })
    actions = pd.DataFrame({"action_id": ["A1", "A2"], "what": ["x", "y"], "who": ["A", "B"],
                            "due": [date(2026, 11, 20), date(2027, 1, 15)]})
    expected += [("unknown_rep", "rep", FIRST + 2), ("above_maximum", "collection_rate_target",
                                                     FIRST + 1),
                 ("flagged_problem_incomplete", "category", FIRST + 1),
                 ("flagged_problem_incomplete", "impact_amount", FIRST + 2),
                 ("plan_due_outside", "due", FIRST + 1)]
    data = WorkbookData(
        info={"period_type": "month", "period_start": PERIOD.start, "owner": "Team"},
        tables={"Sales": sales, "Targets": targets, "Problems": problems,
                "PlanActions": actions, "Playbook": pd.DataFrame(columns=["category"])},
        lists={"rep": ["A", "B"], "region": ["East", "West"], "product": ["Standard", "Pro"],
               "problem_category": ["Collection", "Process"]},
    )
    return data, expected, repaired


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    data, expected, repaired = planted_data()
    path = tmp_path_factory.mktemp("planted") / "planted.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    return path, expected, repaired


def test_every_planted_error_is_found_exactly_once(planted):
    path, expected, _ = planted
    findings = validate(read_workbook(path))
    problems = [f for f in findings if f.severity is not Severity.INFO]
    got = {(f.rule, f.column, f.row) for f in problems}
    assert got == {(r, k, row) for r, k, row in expected}
    assert len(problems) == len(expected)
    sheets = {f.table: f.sheet for f in problems}
    assert sheets["Sales"] == "Sales" and sheets["Problems"] == "Problems"
    # cell addresses point at the cell: column letter from the header, row from the data
    letters = {c.key: openpyxl.utils.get_column_letter(i) for i, c in
               enumerate(SALES.columns, 1)}
    for f in problems:
        if f.table == "Sales":
            assert f.cell == f"{letters[f.column]}{f.row}"


def test_findings_carry_bilingual_actionable_messages(planted):
    path, _, _ = planted
    findings = validate(read_workbook(path))
    by_rule = {f.rule: f for f in findings}
    reps = [f for f in findings if f.rule == "unknown_rep"]
    assert {f.table for f in reps} == {"Sales", "Targets"}
    assert any("Nobody" in f.message_en for f in reps)
    assert all("设置" in f.message_zh for f in reps)
    # rows pasted from a colleague's book: renaming them to one's own counts them twice
    assert all("deleted, not renamed to yours" in f.message_en and "不要改成自己的名字"
               in f.message_zh for f in reps)
    assert "row 5" in by_rule["duplicate_id"].message_en  # points at the first O0
    assert by_rule["amount_mismatch"].severity is Severity.WARNING
    assert by_rule["bad_date"].value == "2026-13-45"
    for f in findings:
        assert f.message_zh and f.message_en and f.sheet


def test_typed_values_are_repaired_and_reported_as_info(planted):
    path, _, repaired = planted
    book = read_workbook(path)
    infos = {(f.column, f.row) for f in validate(book) if f.severity is Severity.INFO}
    assert infos == set(repaired)
    sales = book.frame("Sales")
    first = len(clean_sales()) + len(PLANTED)  # the repaired rows come after the planted
    row = sales[sales["order_id"] == f"R{first}"].iloc[0]
    assert (row["amount"], row["unit_price"]) == (200.0, 100.0)
    assert sales[sales["order_id"] == f"R{first + 1}"].iloc[0]["date"] == date(2026, 10, 9)
    assert sales[sales["order_id"] == f"R{first + 2}"].iloc[0]["customer"] == "C9"


def test_the_same_findings_after_libreoffice_saves_the_file(planted, tmp_path):
    """A real round trip through another application."""
    require_libreoffice()
    path, expected, _ = planted
    saved = recalculate(path, tmp_path)
    findings = [f for f in validate(read_workbook(saved)) if f.severity is not Severity.INFO]
    assert {(f.rule, f.column, f.row) for f in findings} == {(r, k, row) for r, k, row in expected}


def test_what_the_warnings_say_the_kpi_sheet_leaves_out_it_does_leave_out(tmp_path):
    """The warnings' claim, checked against LibreOffice: a won amount typed as text and a
    won row typed below the Sales table are counted by xlsales but not by the KPI sheet's
    own formulas — exactly those, nothing else."""
    require_libreoffice()
    rows = clean_sales(4)
    rows[1]["amount"] = "¥200"  # text: SUMIFS skips it
    rows[2]["region"] = "East "  # a space: read as East, not matched by the formulas
    rows[1]["region"] = "华东"  # the list's East in the other language: likewise
    data = WorkbookData(info={"owner": "Team"}, tables={"Sales": pd.DataFrame(rows)},
                        lists={"rep": ["A", "B"]})
    path = tmp_path / "typed.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    wb = openpyxl.load_workbook(path)  # a row typed just below the table, as people do
    ws = wb["Sales"]
    below = ws.max_row + 1
    for col, key in enumerate(SALES.keys, 1):
        if key in rows[0] and SALES.column(key).is_input:
            ws.cell(below, col, {**rows[0], "order_id": "BELOW", "amount": "¥300"}[key])
    wb.save(path)
    book = read_workbook(path)
    found = validate(book)
    findings = {f.rule: f for f in found}
    unseen = {f.column: f for f in found if f.rule == "values_not_counted"}
    spaced = {f.column: f for f in found if f.rule == "spaces_not_counted"}
    # one warning per column at its first such cell; the row below the table is the
    # other warning's (retyping its amount would not help before the table is extended)
    assert (unseen["amount"].cell, unseen["region"].cell) == (f"J{FIRST + 1}", f"D{FIRST + 1}")
    assert "'Amount': 1 value not in a form" in unseen["amount"].message_en
    assert "'Region': 1 value not in a form" in unseen["region"].message_en
    # 'East ' is said apart: the spaces are what to delete
    assert (spaced["region"].cell, spaced["region"].value) == (f"D{FIRST + 2}", "East ")
    assert findings["rows_not_counted"].table == "Sales"
    # named at the first row below, where the user sees it
    assert findings["rows_not_counted"].cell == f"A{below}"
    assert f"(from A{below})" in findings["rows_not_counted"].message_en
    assert all(f.severity is Severity.WARNING for f in (findings["values_not_counted"],
                                                        findings["rows_not_counted"]))
    engine = compute_kpis({n: t.frame for n, t in book.tables.items()}, PERIOD).kpis
    sheet = kpi_values(openpyxl.load_workbook(recalculate(path, tmp_path / "lo"),
                                              data_only=True))
    left_out = 200.0 + 300.0
    assert engine["revenue"] == sum(r["amount"] for r in rows[:1] + rows[2:]) + left_out
    assert sheet["revenue"] == pytest.approx(engine["revenue"] - left_out)


# region and product as a rep types them in a book of each language: the built-in entry
# named in the other language (with spaces), one the team added, one in neither form
OTHER_LANGUAGE = {
    "en": {"lists": {"region": ["East", "West", "华南"], "product": ["Standard", "Pro"]},
           "typed": [("华东", "标准版"), (" 华东 ", "Standard"), ("East", "Pro"),
                     ("华南", "标准版"), ("华北", "Pro")],
           "read": [("East", "Standard"), ("East", "Standard"), ("East", "Pro"),
                    ("华南", "Standard"), ("华北", "Pro")]},
    "zh": {"lists": {"region": ["华东", "西部", "South"], "product": ["标准版", "专业版"]},
           "typed": [("East", "Standard"), (" East ", "标准版"), ("华东", "专业版"),
                     ("South", "Standard"), ("North", "专业版")],
           "read": [("华东", "标准版"), ("华东", "标准版"), ("华东", "专业版"),
                    ("South", "标准版"), ("North", "专业版")]},
}


def other_language_book(folder: Path, lang: str, names: str = "typed",
                        previous: bool = False) -> Path:
    """A book in ``lang`` whose sales rows name regions and products as
    :data:`OTHER_LANGUAGE` has them ``typed`` (or as they ``read``), amounts 100, 400,
    300, 800, 500; with ``previous``, the same rows won at half the price a month earlier."""
    case = OTHER_LANGUAGE[lang]
    rows = clean_sales(len(case[names]))
    for i, (row, (region, product)) in enumerate(zip(rows, case[names], strict=True)):
        row.update(region=region, product=product, quantity=1.0 + i % 2,
                   unit_price=100.0 * (i + 1), amount=100.0 * (i + 1) * (1 + i % 2),
                   invoiced=100.0 * (i + 1) * (1 + i % 2), collected=50.0)
    if previous:
        rows += [{**r, "order_id": f"P{i}", "date": date(2026, 9, 10 + i), "quantity": 1.0,
                  "unit_price": r["unit_price"] / 2, "amount": r["unit_price"] / 2,
                  "invoiced": r["unit_price"] / 2}
                 for i, r in enumerate(rows)]
    data = WorkbookData(info={"owner": "Team"}, tables={"Sales": pd.DataFrame(rows)},
                        lists={"rep": ["A", "B"], **case["lists"]})
    path = folder / f"{names}_{lang}{'_previous' if previous else ''}.xlsx"
    build_workbook(path, replace(team_options(lang), period=PERIOD), data)
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_builtin_list_entry_typed_in_the_other_language_reads_as_the_list_names_it(
        tmp_path, lang):
    """``华东`` typed in an English book listing ``East`` (``East`` in a Chinese one
    listing 华东) reads as the list's name, an info finding holding the text as typed
    (one, spaces and all) and a warning that the KPI sheet's formulas do not count it; an
    entry the team added stays as typed, and one the list has in neither form is still
    not in the list."""
    case = OTHER_LANGUAGE[lang]
    book = read_workbook(other_language_book(tmp_path, lang))
    sales = book.frame("Sales")
    assert list(zip(sales["region"], sales["product"], strict=True)) == case["read"]
    findings = validate(book)
    region_col, product_col = (openpyxl.utils.get_column_letter(SALES.keys.index(k) + 1)
                               for k in ("region", "product"))
    assert {(f.cell, f.value) for f in findings if f.rule == "not_in_list"} == {
        (f"{region_col}{FIRST + 4}", case["typed"][4][0])}
    infos = [f for f in findings if f.rule == "converted"]
    assert {(f.cell, f.value) for f in infos} == {
        (f"{region_col}{FIRST}", case["typed"][0][0]),
        (f"{product_col}{FIRST}", case["typed"][0][1]),
        (f"{region_col}{FIRST + 1}", case["typed"][1][0]),  # not also "spaces removed"
        (f"{product_col}{FIRST + 3}", case["typed"][3][1])}
    assert all(f.severity is Severity.INFO for f in infos)
    assert any("工作簿列表中的名称" in f.message_zh and "list names it" in f.message_en
               for f in infos)
    blind = {f.column: f for f in findings if f.rule == "values_not_counted"}
    assert set(blind) == {"region", "product"}
    assert all(f.severity is Severity.WARNING for f in blind.values())
    assert "2 values" in blind["region"].message_en and "2 values" in blind["product"].message_en
    # the fast column-wise read gives the same
    fast = read_workbook(book.path, fast_read=True)
    assert fast.frame("Sales")[["region", "product"]].equals(sales[["region", "product"]])
    assert [repr(f) for f in validate(fast)] == [repr(f) for f in findings]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kpis_by_region_and_product_count_the_other_languages_name_as_the_lists(tmp_path,
                                                                                 lang):
    """``kpis --by region`` has one East (华东) group, not East and 华东, holding the revenue
    of both rows; by product, and the price, volume and mix effects computed per product,
    are those of the same book typed with the list's names."""
    case = OTHER_LANGUAGE[lang]
    typed, named = (str(other_language_book(tmp_path, lang, names, previous=True))
                    for names in ("typed", "read"))

    def kpis(book: str, by: str) -> dict:
        result = CliRunner().invoke(main, ["kpis", book, "--json", "--by", by])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)  # notes go to stderr

    by_region = kpis(typed, "region")["by"]
    east = case["read"][0][0]
    assert set(by_region) == {east, case["read"][3][0], case["read"][4][0]}
    assert by_region[east]["revenue"] == pytest.approx(100.0 + 400.0 + 300.0)  # rows 1-3
    for by in ("region", "product"):
        assert kpis(typed, by) == kpis(named, by), by
    effects = kpis(typed, "product")["kpis"]
    assert effects["mix_effect"] is not None and effects["price_effect"] is not None


def test_reordered_columns_tables_turned_into_ranges_and_extra_columns(tmp_path):
    """Locate by header labels; custom columns kept; findings follow the cells."""
    data, expected, _ = planted_data()
    data.tables["Sales"]["渠道"] = "online"
    inputs = [c for c in SALES.columns if c.is_input]
    calcs = [c for c in SALES.columns if not c.is_input]
    reversed_sales = replace(SALES, columns=(*reversed(inputs), *calcs))
    sheets = tuple(replace(s, tables=(reversed_sales,)) if s.key == "sales" else s
                   for s in SPEC.sheets)
    path = tmp_path / "reordered.xlsx"
    build_workbook(path, replace(team_options("zh"), period=PERIOD), data,
                   spec=replace(SPEC, sheets=sheets))
    wb = openpyxl.load_workbook(path)
    del wb["销售记录"].tables["Sales"]  # "convert to range"
    wb.save(path)
    book = read_workbook(path)
    assert book.tables["Sales"].found_by == "header"
    assert "渠道" in book.tables["Sales"].custom_columns
    findings = [f for f in validate(book) if f.severity is not Severity.INFO]
    got = {(f.rule, f.column, f.row) for f in findings if f.rule != "table_not_named"}
    assert got == {(r, k, row) for r, k, row in expected}
    # the KPI sheet's formulas name the table, now gone: a warning saying how to name it
    [gone] = [f for f in findings if f.rule == "table_not_named"]
    assert (gone.severity, gone.sheet, gone.table) == (Severity.WARNING, "销售记录", "Sales")
    assert "show #N/A or #NAME?" in gone.message_en and "Data > Define Range" in \
        gone.message_en and "插入 > 表格" in gone.message_zh
    amount = next(f for f in findings if f.rule == "bad_number")
    last_input = len([c for c in SALES.columns if c.is_input])
    amount_col = last_input - [c.key for c in SALES.columns if c.is_input].index("amount")
    assert amount.cell == f"{openpyxl.utils.get_column_letter(amount_col)}{amount.row}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_column_settings_lists_converted_to_ranges_are_found_by_their_label(tmp_path,
                                                                              lang):
    """The region, product and budget-category lists converted to plain ranges (as
    LibreOffice does): each is found by its label standing alone on the settings sheet
    (the budget caps' and the playbook's "Budget category" columns are other tables'),
    and the workbook stays usable with the same lists."""
    path = tmp_path / "lists.xlsx"
    build_workbook(path, replace(team_options(lang), period=PERIOD),
                   sample_workbook_data(lang))
    before = read_workbook(path).lists
    wb = openpyxl.load_workbook(path)
    settings = next(ws for ws in wb if "ListRegion" in ws.tables)
    for name in ("ListRegion", "ListProduct", "ListBudgetCategory"):
        del settings.tables[name]
    wb.save(path)
    book = read_workbook(path)
    for name, key in (("ListRegion", "region"), ("ListProduct", "product"),
                      ("ListBudgetCategory", "budget_category")):
        assert book.tables[name].found_by == "header"
        assert book.lists[key] == before[key]
    assert not [f for f in validate(book) if f.severity is Severity.ERROR]


def _without_the_tables_of_the_sheet_holding(src: Path, dst: Path, table: str) -> list[str]:
    """Copy ``src`` with every Excel Table of the sheet holding ``table`` converted to a
    plain range, as Excel's "Convert to Range" leaves it: the table parts, their
    relationships, content types and the sheet's ``<tableParts>`` removed, the cells kept.
    The names of the removed tables."""
    import posixpath
    import re
    import zipfile

    with zipfile.ZipFile(src) as package:
        parts = {i.filename: package.read(i.filename) for i in package.infolist()}
    names = {p: re.search(rb'<table [^>]*?\bname="([^"]+)"', data)[1].decode()
             for p, data in parts.items() if re.fullmatch(r"xl/tables/[^/]+\.xml", p)}
    rel = re.compile(rb'<Relationship [^>]*?Type="[^"]*/table"[^>]*/>')
    for rels_part, data in parts.items():
        match = re.fullmatch(r"xl/worksheets/_rels/([^/]+)\.rels", rels_part)
        if match is None:
            continue
        targets = {posixpath.normpath(posixpath.join(
            "xl/worksheets", re.search(rb'Target="([^"]+)"', r)[1].decode()))
            for r in rel.findall(data)}
        if table not in {names.get(t) for t in targets}:
            continue
        sheet_part = f"xl/worksheets/{match[1]}"
        parts[rels_part] = rel.sub(b"", data)
        parts[sheet_part] = re.sub(rb"<tableParts\b[^>]*?(/>|>.*?</tableParts>)", b"",
                                   parts[sheet_part], flags=re.S)
        for target in targets:
            del parts[target]
            parts.pop(posixpath.join(posixpath.dirname(target), "_rels",
                                     posixpath.basename(target) + ".rels"), None)
            parts["[Content_Types].xml"] = re.sub(
                rb'<Override [^>]*PartName="/' + re.escape(target.encode()) + rb'"[^>]*/>',
                b"", parts["[Content_Types].xml"])
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in parts.items():
                out.writestr(name, data)
        return sorted(names[t] for t in targets)
    raise AssertionError(f"no sheet holds {table}")


#: Run inside LibreOffice (:mod:`uno_office`): remove every database range (Excel Table)
#: of the sheet holding the named one, keeping its cells, and save it as xlsx; prints the
#: names removed.
TABLES_TO_RANGES = r'''
src, dst, anchor = args
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                   (prop("Hidden", True),))
ranges = doc.DatabaseRanges
sheet = ranges.getByName(anchor).DataArea.Sheet
removed = [n for n in ranges.ElementNames if ranges.getByName(n).DataArea.Sheet == sheet]
for n in removed:
    ranges.removeByName(n)
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "Calc MS Excel 2007 XML"),))
doc.close(True)
print(",".join(removed))
'''


def _libreoffice_tables_to_ranges(src: Path, dst: Path, table: str) -> list[str]:
    """Copy ``src`` through LibreOffice with every table of the sheet holding ``table``
    removed (its cells kept, as Data > Define Range does); the names removed."""
    require_uno("edit a workbook in LibreOffice")
    out = run_in_office(TABLES_TO_RANGES, [str(src), str(dst), table], dst.parent,
                        "tables_to_ranges", timeout=300)
    assert dst.exists()
    return sorted(out.split(","))


def _settings_book(path: Path, lang: str) -> None:
    """The sample workbook with two custom fields registered on the settings sheet."""
    data = sample_workbook_data(lang)
    data.tables["CustomFields"] = pd.DataFrame([
        {"table": "Sales", "label": "渠道" if lang == "zh" else "Channel", "type": "text",
         "required": "否" if lang == "zh" else "no", "allowed": "online / store",
         "note": "x"},
        {"table": "Activities", "label": "Mood", "type": "text"}])
    build_workbook(path, replace(team_options(lang), period=PERIOD), data)


def _reads_as_before(path: Path, ranges: Path, removed: list[str]) -> None:
    """``ranges`` (``path`` with the tables ``removed`` turned into plain ranges) reads
    and validates as ``path`` does, apart from the info that each was found by header."""
    assert {"ListRegion", "ListRep", "Assumptions", "BudgetCaps", "CustomFields",
            "Playbook"} <= set(removed)
    before, after = read_workbook(path), read_workbook(ranges)
    assert not set(removed) & {t.name for t in after.layout.tables}

    def findings(book) -> list[tuple]:
        return sorted((f.severity.value, f.rule, f.sheet, f.table, f.cell, f.column,
                       str(f.value)) for f in validate(book)
                      if f.rule not in ("table_by_header", "table_not_named"))

    assert findings(after) == findings(before)
    assert {f.table for f in after.findings if f.rule == "table_by_header"} == set(removed)
    assert after.lists == before.lists
    assert after.assumptions == before.assumptions
    assert len(before.tables["CustomFields"].frame) == 2
    for name in removed:
        if name in before.tables:
            assert after.tables[name].found_by == "header"
            assert after.tables[name].columns == before.tables[name].columns, name
            pd.testing.assert_frame_equal(after.tables[name].frame,
                                          before.tables[name].frame)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_settings_table_converted_to_a_range_reads_as_before(tmp_path, lang):
    """Every table of the settings sheet converted to a plain range: the lists and the
    multi-column tables beside them (budget caps, custom fields, playbook) are each found
    by their own run of header cells, not one spanning its neighbours (the budget caps
    taking in the budget-category list, the custom fields the assumptions' "Note"), so
    the workbook reads the same and validates with the same findings."""
    path, ranges = tmp_path / "tables.xlsx", tmp_path / "ranges.xlsx"
    _settings_book(path, lang)
    _reads_as_before(path, ranges,
                     _without_the_tables_of_the_sheet_holding(path, ranges, "BudgetCaps"))


@pytest.mark.libreoffice
def test_every_settings_table_removed_in_libreoffice_reads_as_before(tmp_path):
    """The same, the tables removed by LibreOffice itself and the file saved by it."""
    path, ranges = tmp_path / "tables.xlsx", tmp_path / "ranges.xlsx"
    _settings_book(path, "zh")
    _reads_as_before(path, ranges, _libreoffice_tables_to_ranges(path, ranges, "BudgetCaps"))


def test_error_values_in_cells_are_findings(tmp_path):
    require_libreoffice()
    data, _, _ = planted_data()
    path = tmp_path / "errors.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    wb = openpyxl.load_workbook(path)
    wb["Sales"]["J6"] = "=1/0"
    wb["Sales"]["H7"] = "=NA()"
    wb.save(path)
    saved = recalculate(path, tmp_path / "lo")
    errors = {(f.cell, f.value) for f in validate(read_workbook(saved)) if f.rule == "error_value"}
    assert errors == {("J6", "#DIV/0!"), ("H7", "#N/A")}


def _with_error_cells(src, dst, cells: dict[str, str]) -> None:
    """Copy ``src`` with the given Sales cells turned into error cells as Excel 365 saves
    them (``t="e"``, the formula and its cached error), which LibreOffice cannot write."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                text = data.decode()
                for ref, error in cells.items():
                    text, n = re.subn(rf'<c r="{ref}"( s="\d+")?( t="\w+")?>.*?</c>',
                                      rf'<c r="{ref}"\1 t="e"><f>SEQUENCE(2)</f>'
                                      rf"<v>{error}</v></c>", text, count=1)
                    assert n == 1, ref
                data = text.encode()
            zout.writestr(item.filename, data)


@pytest.mark.parametrize("fast_read", ["off", "always"])
def test_dynamic_array_errors_from_excel_365_are_findings_not_damage(tmp_path, fast_read,
                                                                     monkeypatch):
    """#SPILL!, #CALC! … are newer than python-calamine, which refuses a sheet holding
    them: the sheet is still read and each such cell is one error finding."""
    monkeypatch.setenv("XLSALES_FAST_READ", fast_read)
    data, _, _ = planted_data()
    path = tmp_path / "plain.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    spilled = tmp_path / "spill.xlsx"
    planted = {"J6": "#SPILL!", "H7": "#CALC!", "I8": "#N/A"}
    _with_error_cells(path, spilled, planted)
    findings = validate(read_workbook(spilled))
    assert {(f.cell, f.value) for f in findings if f.rule == "error_value"} == set(
        planted.items())
    assert not [f for f in findings if f.cell in planted and f.rule != "error_value"]
    result = CliRunner().invoke(main, ["validate", str(spilled)])
    assert result.exit_code == 1 and "#SPILL!" in result.output, result.output


def test_cli_validate_exit_codes_table_and_json(planted, tmp_path, sample_books):
    path, expected, _ = planted
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "error" in result.output and "Sales!A11" in result.output
    result = runner.invoke(main, ["validate", str(path), "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["counts"]["error"] == sum(
        1 for r, _, _ in expected if r not in ("amount_mismatch", "not_in_list",
                                               "date_after_period", "date_before_history",
                                               "values_not_counted",
                                               "spaces_not_counted",
                                               "collected_without_invoiced"))
    first = payload["findings"][0]
    assert set(first) >= {"severity", "rule", "sheet", "cell", "row", "column", "value",
                          "message_zh", "message_en"}
    severities = [f["severity"] for f in payload["findings"]]  # errors first, as in text
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    clean = runner.invoke(main, ["validate", str(sample_books["zh"])])
    assert clean.exit_code == 0, clean.output
    assert "0 错误" in clean.output
    clean_en = runner.invoke(main, ["validate", str(sample_books["en"]), "--lang", "en"])
    assert f"{sample_books['en'].name}: 0 errors, 0 warnings, 0 info" in clean_en.output
    errors = payload["counts"]["error"]
    planted_en = runner.invoke(main, ["validate", str(path), "--lang", "en"]).output
    assert f"{path.name}: {errors} errors, " in planted_en, planted_en
    # the repairs summarised in the language asked for, columns named as the sheet does
    assert "  Automatic repairs (info):" in planted_en and " Sales Amount: " in planted_en
    planted_zh = runner.invoke(main, ["validate", str(path), "--lang", "zh"]).output
    # columns named as the (English) workbook names them, as the findings do
    assert "  自动修正（提示）：" in planted_zh and " Sales Amount：" in planted_zh, planted_zh
    missing = runner.invoke(main, ["validate", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2 and "nope.xlsx" in missing.output


@pytest.mark.parametrize("period_text, first, covered", [("2026", date(2025, 7, 14), 6),
                                                          ("2026-Q3", date(2026, 5, 2), 2)])
def test_growth_against_a_period_the_records_cover_in_part_is_a_warning(
        tmp_path, period_text, first, covered):
    """A year book whose records start in July of the year before: its growth compares a
    whole year with six months (+101.6 % that is no growth at all). One warning, at the
    earliest record, says how many months the compared period has; `kpis` says it too."""
    period = Period.parse(period_text)
    rows = [{**clean_sales(1)[0], "order_id": f"H{i}", "date": d}
            for i, d in enumerate([first, period.start, period.end])]
    data = WorkbookData(
        info={"period_type": period.type.value, "period_start": period.start,
              "owner": "Team"},
        tables={"Sales": pd.DataFrame(rows)},
        lists={"rep": ["A", "B"], "region": ["East"], "product": ["Standard"]})
    path = tmp_path / "partial.xlsx"
    build_workbook(path, replace(team_options("en"), period=period), data)
    found = [f for f in validate(read_workbook(path)) if f.severity is not Severity.INFO]
    assert [(f.rule, f.cell) for f in found] == [("partial_history", f"B{FIRST}")]
    compared = period.previous
    what = "previous period, the same period last year" if period.months == 12 \
        else "previous period"
    assert (f"the {what} ({compared.label}) has records for {covered} of its "
            f"{compared.months} months") in found[0].message_en
    result = CliRunner().invoke(main, ["kpis", str(path)])
    assert result.exit_code == 0 and "has records for" in result.output
    # records from before the compared period: nothing to say
    rows[0]["date"] = period.year_ago.start
    data.tables["Sales"] = pd.DataFrame(rows)
    build_workbook(path, replace(team_options("en"), period=period), data)
    assert not [f for f in validate(read_workbook(path)) if f.rule == "partial_history"]


def test_many_findings_of_one_kind_are_summarised_after_the_errors(tmp_path):
    """174 dates after the period must not bury the one error: errors are listed first,
    a kind with more than five findings shows five and one line with the rest (how many,
    from which cell to which), and --all lists every one."""
    rows = clean_sales()
    rows += [{**clean_sales(1)[0], "order_id": f"L{i}", "date": date(2026, 11, 2)}
             for i in range(8)]
    rows.append({**clean_sales(1)[0], "order_id": "Q", "stage": "maybe"})
    data = WorkbookData(
        info={"period_type": "month", "period_start": PERIOD.start, "owner": "Team"},
        tables={"Sales": pd.DataFrame(rows)},
        lists={"rep": ["A", "B"], "region": ["East"], "product": ["Standard"]})
    path = tmp_path / "late.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    runner = CliRunner()
    lines = runner.invoke(main, ["validate", str(path)]).output.splitlines()
    assert lines[0] == "late.xlsx: 1 error, 8 warnings, 0 info", lines
    assert "not_allowed" in lines[1] and f"Sales!K{FIRST + 14}" in lines[1], lines
    late = [line for line in lines if "date_after_period" in line]
    assert [line.split()[1] for line in late] == [f"Sales!B{FIRST + 6 + i}" for i in range(5)]
    assert lines[7] == f"  … 3 more warnings like this (Sales!B{FIRST + 11} to B{FIRST + 13});"\
        " --all lists them all", lines
    every = runner.invoke(main, ["validate", str(path), "--all"]).output
    assert every.count("date_after_period") == 8 and "more warnings" not in every
    zh = runner.invoke(main, ["validate", str(path), "--lang", "zh"]).output
    assert f"  … 同类警告还有 3 条（Sales!B{FIRST + 11} 至 B{FIRST + 13}）；--all 列出全部" in zh


def _corrupt_deep_in_sales(folder):
    """A flipped byte deep inside the big sales sheet: the cheap pre-check cannot
    see it; reading does, and must say the file is damaged."""
    import zipfile

    from bad_inputs import _member_data_span

    path = folder / "deep.xlsx"
    data = sample_workbook_data("en")
    build_workbook(path, team_options("en"), data)
    with zipfile.ZipFile(path) as zf:
        part = next(n for n in zf.namelist() if n.endswith("sheet3.xml"))
    start, end = _member_data_span(path, part)
    raw = bytearray(path.read_bytes())
    for i in range(start + (end - start) // 2, start + (end - start) // 2 + 64):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    return path


def test_unusable_files_exit_2_with_a_message_and_no_traceback(tmp_path):
    from bad_inputs import BAD_INPUTS

    runner = CliRunner()
    for bad in BAD_INPUTS:
        folder = tmp_path / bad.id
        folder.mkdir()
        path = bad.build(folder)
        result = runner.invoke(main, ["validate", str(path)])
        assert result.exit_code == 2, (bad.id, result.output)
        assert path.name in result.output and "Traceback" not in result.output, bad.id
    deep = _corrupt_deep_in_sales(tmp_path)
    before = deep.read_bytes()
    result = runner.invoke(main, ["validate", str(deep)])
    assert result.exit_code == 2 and "damaged" in result.output, result.output
    assert deep.read_bytes() == before


def test_workbook_from_another_template_or_missing_tables(tmp_path):
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Score"])
    wb.save(other)
    result = CliRunner().invoke(main, ["validate", str(other)])
    assert result.exit_code == 2 and "not an xlsales workbook" in result.output
    path = tmp_path / "missing.xlsx"
    build_workbook(path, team_options("en"), sample_workbook_data("en"))
    wb = openpyxl.load_workbook(path)
    del wb["Problems"]
    del wb["Lessons"]
    wb.save(path)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Problems (Problems)" in result.output and "Lessons (Lessons)" in result.output


def shaded_cells(ws) -> set[str]:
    """The cells xlsales shades on ``ws`` (its always-true conditional format)."""
    shaded = set()
    for cf in ws.conditional_formatting:
        if any(rule.formula == ['"xlsales"="xlsales"'] for rule in cf.rules):
            for r in cf.sqref.ranges:
                c1, r1, c2, r2 = openpyxl.utils.cell.range_boundaries(str(r))
                shaded |= {f"{openpyxl.utils.get_column_letter(c)}{row}"
                           for c in range(c1, c2 + 1) for row in range(r1, r2 + 1)}
    return shaded


def test_write_adds_a_linked_validation_sheet_and_shades_cells_leaving_the_rest(planted,
                                                                                tmp_path):
    import shutil
    import zipfile

    path, expected, _ = planted
    book = tmp_path / "book.xlsx"
    shutil.copy(path, book)
    before = {i.filename: zipfile.ZipFile(book).read(i.filename)
              for i in zipfile.ZipFile(book).infolist()}
    runner = CliRunner()
    for _ in range(2):  # a second run refreshes, it does not add a second sheet
        result = runner.invoke(main, ["validate", str(book), "--write"])
        assert result.exit_code == 1
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:2] == ["Instructions", "Validation"]
    ws = wb["Validation"]
    assert list(ws.tables) == ["Validation"]
    rows = table_rows(wb, "Validation")
    assert rows[0] == ["Severity", "Sheet", "Cell", "Row", "Field", "Rule", "Value", "Message"]
    problems = [r for r in rows[1:] if r[0] != "info"]
    # every planted finding, its field as the sheet names it (not its key)
    found = [f for f in validate(read_workbook(path)) if f.severity is not Severity.INFO]
    assert {(f.rule, f.column, f.row) for f in found} == set(expected)
    # the numbers and dates typed as text were retyped by the first run, the spaces
    # around names deleted: no warning left
    assert {(r[5], r[4], r[3]) for r in problems} == {
        (f.rule, column_label(f, "en"), f.row) for f in found
        if f.rule not in ("values_not_counted", "spaces_not_counted")}
    assert [r[0] for r in rows[1:]] == sorted((r[0] for r in rows[1:]),
                                              key=["error", "warning", "info"].index)
    links = {c.hyperlink.location for c in ws["C"] if c.hyperlink}
    assert "'Sales'!A11" in links and "'Targets'!B7" in links
    shaded = shaded_cells(wb["Sales"])
    findings = validate(read_workbook(book))
    sales_cells = {f.cell for f in findings if f.sheet == "Sales" and f.severity
                   is not Severity.INFO}
    assert sales_cells == shaded
    # everything but the workbook structure, styles and the shaded sheets is untouched
    after = {i.filename: zipfile.ZipFile(book).read(i.filename)
             for i in zipfile.ZipFile(book).infolist()}
    changed = {n for n in before if before[n] != after.get(n)}
    layout = read_workbook(book).layout
    shaded_parts = {layout.sheet(f.sheet).part for f in findings
                    if f.cell and f.severity is not Severity.INFO}
    assert changed <= {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                       "xl/styles.xml", "docProps/core.xml", *shaded_parts}, changed
    # the workbook still reads, and validating it again gives the same findings
    again = [f for f in validate(read_workbook(book)) if f.severity is not Severity.INFO]
    assert {(f.rule, f.column, f.row) for f in again} == {
        (r, k, row) for r, k, row in expected
        if r not in ("values_not_counted", "spaces_not_counted")}


def test_the_validation_sheet_of_either_language_is_refreshed_not_added_again(planted,
                                                                              tmp_path):
    """`--write --lang zh` on an English book, then `--write`: the second run replaces
    the first one's sheet (same table, other name) instead of failing on its table name;
    the shading of a sheet whose errors were fixed since is cleared."""
    import shutil

    path, _, _ = planted
    book = tmp_path / "book.xlsx"
    shutil.copy(path, book)
    runner = CliRunner()
    first = runner.invoke(main, ["validate", str(book), "--write", "--lang", "zh"])
    assert first.exit_code == 1, first.output
    assert openpyxl.load_workbook(book).sheetnames[:2] == ["Instructions", "校验结果"]
    assert shaded_cells(openpyxl.load_workbook(book)["Targets"])
    wb = openpyxl.load_workbook(book)  # every error of the Targets sheet fixed
    header = [c.value for c in wb["Targets"][FIRST - 1]]
    wb["Targets"].cell(FIRST + 1, header.index("Collection rate target") + 1, 0.9)
    wb["Targets"].cell(FIRST + 2, header.index("Rep") + 1, "B")
    wb.save(book)
    second = runner.invoke(main, ["validate", str(book), "--write"])
    assert second.exit_code == 1, second.output
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:2] == ["Instructions", "Validation"] and "校验结果" not in wb.sheetnames
    assert not shaded_cells(wb["Targets"]) and shaded_cells(wb["Sales"])
    third = runner.invoke(main, ["validate", str(book), "--write", "--lang", "zh"])
    assert third.exit_code == 1 and "Validation" not in openpyxl.load_workbook(book).sheetnames


def test_written_workbook_opens_in_libreoffice(planted, tmp_path):
    import shutil

    require_libreoffice()
    path, _, _ = planted
    book = tmp_path / "book.xlsx"
    shutil.copy(path, book)
    CliRunner().invoke(main, ["validate", str(book), "--write"])
    wb = openpyxl.load_workbook(recalculate(book, tmp_path / "lo"), data_only=True)
    rows = table_rows(wb, "Validation")
    assert len(rows) > 10 and rows[1][0] == "error"


def test_every_identifying_column_is_checked_for_duplicates(tmp_path):
    problems = pd.DataFrame({"problem_id": ["P1", "P2", "P1"], "description": ["a", "b", "c"]})
    path = tmp_path / "dups.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD),
                   WorkbookData(info={"owner": "T"}, tables={"Problems": problems}))
    dups = [f for f in validate(read_workbook(path)) if f.rule == "duplicate_id"]
    assert [(f.table, f.cell) for f in dups] == [("Problems", "A7")]
    assert "row 5" in dups[0].message_en


def test_a_renamed_or_deleted_column_is_named_once_and_amount_is_an_error(planted, tmp_path):
    """A rep renames 'Amount' and deletes 'Invoiced': validate names both columns once and
    makes no row-level findings out of their absence. Without 'Invoiced' the KPIs that use
    it stay empty (a warning); without 'Amount' no revenue can be computed (it read 0, and
    a roll-up took such a copy over the intact book): an error, exit 1."""
    path, _, _ = planted
    wb = openpyxl.load_workbook(path)
    sheet = next(ws for ws in wb if "Sales" in ws.tables)
    lang = "zh" if sheet.title == SALES_SHEET.name.zh else "en"
    table = sheet.tables["Sales"]
    header_row = int(table.ref.split(":")[0][1:])
    names = {c.value: c.column for c in sheet[header_row] if c.value}
    for key, new in (("amount", "Amt (CNY)"), ("invoiced", "spare")):
        col = names[SALES.column(key).label.get(lang)]
        sheet.cell(header_row, col).value = new
        table.tableColumns[col - 1].name = new
    broken = tmp_path / "renamed.xlsx"
    wb.save(broken)
    findings = validate(read_workbook(broken))
    invoiced, amount = (SALES.column(k).label.get(lang) for k in ("invoiced", "amount"))
    assert [f.message_en for f in findings if f.rule == "absent_column"] == [
        f"Table Sales has no '{invoiced}' column (renamed or deleted?): the checks and KPIs "
        f"that use it stay empty. If you renamed it, rename it back to '{invoiced}'."]
    missing = [f for f in findings if f.rule == "missing_column"]
    assert [(f.severity, f.message_en) for f in missing] == [
        (Severity.ERROR, f"Table Sales has no required column '{amount}': restore it (copy "
                         "the header from a new template).")]
    assert not [f for f in findings if f.column in ("amount", "invoiced")]
    assert CliRunner().invoke(main, ["validate", str(broken)]).exit_code == 1
    # kpis printed (and --write wrote) a revenue of 0 and a summary drafted from it, exit 0:
    # refused as plan is, naming the column, the book untouched
    before = broken.read_bytes()
    for args in ([], ["--json"], ["--write"]):
        result = CliRunner().invoke(main, ["kpis", str(broken), *args])
        assert result.exit_code == 2, result.output
        assert (f"Table Sales has no required column '{amount}': restore it (copy the header "
                "from a new template). The KPIs cannot be computed without it.") in result.output
        assert "没有它无法计算 KPI" in result.output and "Traceback" not in result.output
    assert broken.read_bytes() == before


@pytest.mark.parametrize(("header", "key"), [("Amount (CNY)", "amount"), ("Amout", "amount"),
                                             ("金额（元）", "amount"), ("Customers", "customer"),
                                             ("Customer Name", "customer"),
                                             ("客户名称", "customer"), ("Deal Amount", "amount"),
                                             ("Invoiced amt", None)])
def test_a_column_renamed_a_little_is_named_at_its_header(tmp_path, header, key):
    """'Amount' renamed 'Amout' or '金额（元）': the error said only "restore it (copy the
    header from a new template)", with no cell, and a user following it added an empty
    column beside the renamed one. Now it points at the header and says to rename it."""
    book = tmp_path / "b.xlsx"
    build_workbook(book, team_options("en"), sample_workbook_data("en"))
    label = "Customer" if key == "customer" else "Amount"
    at = with_header_renamed(book, book, "Sales", label, header)
    [f] = [f for f in validate(read_workbook(book)) if f.rule == "missing_column"]
    if key is None:  # too far from the label to tell
        assert f.cell is None and "restore it (copy the header" in f.message_en
        return
    assert f.cell == at
    assert f.message_en == (f"Table Sales has no required column '{label}': the header at "
                            f"{at} reads '{header}': if that is the column, "
                            f"rename it back to '{label}'.")


def test_cli_kpis_notes_validation_errors_on_stderr(planted, sample_books):
    """KPIs of a book with errors (an #N/A amount leaves its row's amount out) come with a
    note on stderr naming how many, as `plan` does; stdout stays pure JSON, a clean book
    gets no note."""
    from xlsales.files import command_path

    path = planted[0]
    errors = sum(1 for f in validate(read_workbook(path)) if f.severity is Severity.ERROR)
    assert errors
    result = CliRunner().invoke(main, ["kpis", str(path), "--json"])
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)
    assert (f"{path.name}: note: {errors} validation errors: the KPIs may leave out or "
            f"miscount the rows in error; run `xlsales validate {command_path(path)}`"
            ) in result.stderr
    clean = CliRunner().invoke(main, ["kpis", str(sample_books["zh"])])
    assert clean.exit_code == 0 and "校验错误" not in clean.stderr


def test_cli_validates_a_folder_each_workbook_on_its_own(planted, tmp_path, sample_books):
    """A team's folder: every workbook is checked, one that cannot be used is reported
    and the others still are; the exit code is the worst (2), the JSON a list in file
    order with each workbook's findings as for one book; --write writes each usable
    workbook and leaves the unusable one byte for byte."""
    folder = tmp_path / "team"
    folder.mkdir()
    files = {"a_planted.xlsx": planted[0].read_bytes(),
             "b_clean.xlsx": sample_books["en"].read_bytes(),
             "c_not_a_workbook.xlsx": b"order_id,amount\nX1,100\n"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(folder), "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert [Path(p["file"]).name for p in payload] == list(files)
    one = json.loads(runner.invoke(main, ["validate", str(planted[0]), "--json"]).stdout)
    assert payload[0]["counts"] == one["counts"] and payload[0]["findings"] == one["findings"]
    assert payload[1]["counts"]["error"] == 0
    assert "not an Excel workbook" in payload[2]["error"]["en"] and payload[2]["exit_code"] == 2

    text = runner.invoke(main, ["validate", str(folder / "*.xlsx"), "--lang", "en"])
    assert text.exit_code == 2
    assert "a_planted.xlsx: " in text.stdout and "Sales!A11" in text.stdout
    assert "c_not_a_workbook.xlsx: Error / 错误: " in text.stdout  # --lang en: English first
    # the summary line too (it was Chinese first whatever --lang said)
    assert text.stdout.rstrip().splitlines()[-1] == (
        "3 workbooks: 1 without errors, 1 with errors, 1 cannot be used / "
        "校验 3 个工作簿：1 个无错误，1 个有错误，1 个无法使用")
    assert "[validate] 3/3 c_not_a_workbook.xlsx" in text.stderr
    # a teammate's .xls in the folder is not read: said on stderr, and counted in the
    # summary (it read "0 cannot be used" as if every file had been checked)
    (folder / "d_old.xls").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    text = runner.invoke(main, ["validate", str(folder), "--lang", "en"])
    assert "d_old.xls" in text.stderr
    assert text.stdout.rstrip().splitlines()[-1].startswith(
        "3 workbooks: 1 without errors, 1 with errors, 1 cannot be used; 1 more not read "
        "(why: see the notes above) / 校验")
    (folder / "d_old.xls").unlink()
    (folder / "e_sub").mkdir()  # a sub-folder is not read either: its note says why
    (folder / "e_sub" / "b_clean.xlsx").write_bytes(files["b_clean.xlsx"])
    text = runner.invoke(main, ["validate", str(folder), "--lang", "en"])
    assert "e_sub: " in text.stderr and "its workbooks are not read" in text.stderr
    assert text.stdout.rstrip().splitlines()[-1].startswith(
        "3 workbooks: 1 without errors, 1 with errors, 1 cannot be used; 1 more not read "
        "(why: see the notes above) / 校验")
    shutil.rmtree(folder / "e_sub")

    bracketed = folder / "b_clean[10].xlsx"  # a file named like a pattern is that file
    bracketed.write_bytes(files["b_clean.xlsx"])
    alone = runner.invoke(main, ["validate", str(bracketed), "--json"])
    assert alone.exit_code == 0 and isinstance(json.loads(alone.stdout), dict)
    bracketed.unlink()

    clean_only = runner.invoke(main, ["validate", str(folder / "b_*.xlsx")])
    assert clean_only.stdout.rstrip().splitlines()[-1].startswith("校验 1 个工作簿")  # no --lang
    assert clean_only.exit_code == 0 and isinstance(json.loads(runner.invoke(
        main, ["validate", str(folder / "b_*.xlsx"), "--json"]).stdout), list)

    written = runner.invoke(main, ["validate", str(folder), "--write"])
    assert written.exit_code == 2
    for name in ("a_planted.xlsx", "b_clean.xlsx"):
        assert "Validation" in openpyxl.load_workbook(folder / name, read_only=True).sheetnames
    assert (folder / "c_not_a_workbook.xlsx").read_bytes() == files["c_not_a_workbook.xlsx"]


def test_a_book_that_cannot_be_written_stops_only_itself(sample_books, tmp_path, monkeypatch):
    """validate --write over a folder: a workbook held by another program (here: writing
    it fails with PermissionError) is reported with what to do; the others are written."""
    from xlsales.validation import write as write_module

    folder = tmp_path / "team"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        (folder / name).write_bytes(sample_books["en"].read_bytes())
    real = write_module.write_validation

    def held_by_excel(book, findings, lang):
        if book.path.name == "b.xlsx":
            raise PermissionError(13, "Permission denied", str(book.path))
        return real(book, findings, lang)

    monkeypatch.setattr(write_module, "write_validation", held_by_excel)
    result = CliRunner().invoke(main, ["validate", str(folder), "--write", "--lang", "en"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "b.xlsx: Error / 错误: Cannot read or write" in result.stdout  # --lang en
    assert "1 without errors, 0 with errors, 1 cannot be used" in result.stdout
    assert "Validation" in openpyxl.load_workbook(folder / "a.xlsx", read_only=True).sheetnames
    assert (folder / "b.xlsx").read_bytes() == sample_books["en"].read_bytes()


def _info_cell(ws, label: str):
    """The value cell of the basic-info row labelled ``label``."""
    row = next(r for r in ws.iter_rows() if any(c.value == label for c in r))
    return ws.cell(row[0].row, next(c.column for c in row if c.value == label) + 1)


@pytest.mark.parametrize(("label", "typed", "rule"), [
    ("Period start", date(2026, 10, 15), "period_start_day"),
    ("Period start", "12/1/2026", "bad_date"),
    ("Period type", "Monthly report", "not_allowed")])
def test_a_period_xlsales_and_the_kpi_sheet_would_read_apart_is_an_error_at_its_cell(
        tmp_path, label, typed, rule):
    """A start on the 15th: xlsales counted the calendar month while the workbook's KPI
    sheet counted from the 15th, without a word; a start or type it cannot read was
    'missing', naming no cell and no value. Each is now an error at the cell, saying what
    to type."""
    path = tmp_path / "info.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD),
                   WorkbookData(info={"owner": "T"},
                                tables={"Sales": pd.DataFrame(clean_sales())}))
    wb = openpyxl.load_workbook(path)
    cell = _info_cell(wb["Info"], label)
    cell.value = typed
    wb.save(path)
    book = read_workbook(path)
    errors = [f for f in validate(book) if f.severity is Severity.ERROR]
    first = errors[0]
    assert (first.rule, first.sheet, first.cell) == (rule, "Info", cell.coordinate)
    if rule == "period_start_day":
        assert len(errors) == 1 and book.period == PERIOD
        assert "Change it to 2026-10-01" in first.message_en and "2026-10-01" in first.message_zh
    else:
        assert str(typed) in first.message_en and book.period is None
        # its own error says what to type: no second one calling it missing
        assert not [f for f in errors if f.rule == "period_missing"]
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 1


@pytest.mark.parametrize("fast_read", ["off", "always"])
def test_columns_typed_beside_a_table_are_a_warning_at_their_header(tmp_path, monkeypatch,
                                                                    fast_read):
    """A rep types a 'Channel' column right of the sales table in LibreOffice (which does
    not grow the table): xlsales does not read it and `new --from` did not carry it,
    without a word. A warning names its header cell, whether the sheet is read as a grid
    or column-wise (its XML searched then), and `new --from` says it on stderr."""
    import zipfile

    from xlsales.io.beside import beside_in_xml

    monkeypatch.setenv("XLSALES_FAST_READ", fast_read)
    path = tmp_path / "beside.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD),
                   WorkbookData(info={"owner": "T"},
                                tables={"Sales": pd.DataFrame(clean_sales())}))
    assert not [f for f in read_workbook(path).findings if f.rule == "column_beside_table"]
    wb = openpyxl.load_workbook(path)
    ws = wb["Sales"]
    _, r1, c2, r2 = openpyxl.utils.cell.range_boundaries(ws.tables["Sales"].ref)
    ws.cell(r1, c2 + 1, "Channel")
    ws.cell(r1, c2 + 2, "Agent")
    for r in range(r1 + 1, r2 + 1):
        ws.cell(r, c2 + 1, "online")
    wb.save(path)
    [found] = [f for f in read_workbook(path).findings if f.rule == "column_beside_table"]
    letter = openpyxl.utils.get_column_letter(c2 + 1)
    assert (found.severity, found.cell, found.value) == (Severity.WARNING, f"{letter}{r1}", 2)
    assert "2 columns from" in found.message_en
    assert "does not read what is there" in found.message_en
    assert "in LibreOffice, extend Sales over them with Data > Define Range" in found.message_en
    with zipfile.ZipFile(path) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
                    and b"Channel" in zf.read(n))
        assert beside_in_xml(zf, part, r1, c2, set()) == [c2 + 1, c2 + 2]
    assert CliRunner().invoke(main, ["plan", str(path)]).exit_code == 0
    result = CliRunner().invoke(main, ["new", "--from", str(path), "-o",
                                       str(tmp_path / "next.xlsx")])
    assert result.exit_code == 0, result.output
    assert "beside table Sales" in result.output


@pytest.mark.parametrize(("growth", "rule", "said"), [
    (15, "percent_above_maximum", "'Growth assumption' cannot be above 1000%; it is 1500%: "
                                  "if you meant 15%, type 15% (with the %) or 0.15."),
    (5, "percent_over_100", "'Growth assumption' is 500% (over 100%): if you meant 5%, type "
                            "5% (with the %) or 0.05."),
    (-2, "below_minimum", "'Growth assumption' cannot be below -100%; it is -200%."),
    (0.15, None, None)])
def test_settings_are_checked_against_their_bounds(tmp_path, growth, rule, said):
    """A growth assumption typed 15 for 15% passed as 1500% (the plan then asked for 16
    times the revenue): the settings' fields have the spec's bounds, as table columns."""
    data = sample_workbook_data("en")
    data = replace(data, assumptions={**data.assumptions, "growth_rate": growth})
    book = tmp_path / "book.xlsx"
    build_workbook(book, team_options("en"), data)
    read = read_workbook(book)
    assert read.assumptions["growth_rate"] == pytest.approx(growth)
    found = [f for f in validate(read) if f.column == "growth_rate"]
    assert [(f.rule, f.message_en) for f in found] == ([(rule, said)] if rule else [])
    if found:
        assert found[0].sheet == "Settings" and found[0].cell


@pytest.mark.parametrize(("typed", "rule", "said"), [
    (90, "percent_above_maximum", "'Collection rate target' cannot be above 100%; it is 9000%: "
                                  "if you meant 90%, type 90% (with the %) or 0.9."),
    (1.5, "above_maximum", "'Collection rate target' cannot be above 100%; it is 150%."),
    (150, "above_maximum", "'Collection rate target' cannot be above 100%; it is 15000%."),
    (0.9, None, None)])
def test_a_percentage_typed_without_its_percent_sign_in_a_table_gets_the_hint(
        tmp_path, typed, rule, said):
    """A collection rate target pasted as 90 (not 90%) was told only "cannot be above 100%;
    it is 9000%", where the settings sheet says what was meant and what to type."""
    data = sample_workbook_data("en")
    targets = data.tables["Targets"].copy()
    targets.loc[0, "collection_rate_target"] = typed
    book = tmp_path / "book.xlsx"
    build_workbook(book, team_options("en"), replace(data, tables={**data.tables,
                                                                   "Targets": targets}))
    found = [f for f in validate(read_workbook(book)) if f.column == "collection_rate_target"]
    assert [(f.rule, f.message_en) for f in found] == ([(rule, said)] if rule else [])
    if found:
        assert found[0].severity is Severity.ERROR
    if rule == "percent_above_maximum":
        assert "若想写 90%，请输入 90%（带 %）或 0.9" in found[0].message_zh


def test_a_rep_who_left_is_a_warning_in_history_rows_and_an_error_in_the_period(tmp_path):
    """A manager takes a rep who left in the summer off the team list: every one of his
    history rows was an error (exit 1, and a roll-up left the book out), although they
    are kept for growth figures. Rows before the period are a warning; a row in the
    period still an error."""
    data = sample_workbook_data("en")
    sales = data.tables["Sales"].copy()
    start = pd.Timestamp(SAMPLE_PERIOD.start)
    before = pd.to_datetime(sales["date"]) < start
    gone = sales.loc[before, "rep"].iloc[0]
    old_rows = before & sales["rep"].eq(gone)
    sales.loc[old_rows, "rep"] = "Former Rep"
    in_period = sales.index[~before][0]
    sales.loc[in_period, "rep"] = "Former Rep"
    data = replace(data, tables={**data.tables, "Sales": sales})
    book = tmp_path / "left.xlsx"
    build_workbook(book, team_options("en"), data)
    found = [f for f in validate(read_workbook(book)) if f.value == "Former Rep"]
    assert sum(f.rule == "former_rep" for f in found) == int(old_rows.sum()) > 0
    assert [f.rule for f in found if f.severity is Severity.ERROR] == ["unknown_rep"]
    assert all(f.severity is Severity.WARNING for f in found if f.rule == "former_rep")
    assert "from before the period (someone who left?)" in found[0].message_en


@pytest.mark.parametrize(("lang", "typed"), [("zh", ["Won", "won"]), ("en", ["赢单", "赢单"])])
def test_a_choice_in_the_other_language_is_one_the_formulas_do_not_count(tmp_path, lang,
                                                                         typed):
    """Rows pasted from the English sample into a Chinese book: `xlsales kpis` counted
    their stage 'Won', the workbook's KPI sheet (comparing with 赢单) did not, and
    validate said nothing (region and product got a warning)."""
    book = tmp_path / "pasted.xlsx"
    build_workbook(book, team_options(lang), sample_workbook_data(lang))
    wb = openpyxl.load_workbook(book)
    ws = wb[SPEC.sheet("sales").name.get(lang)]
    c1, r1, _, r2 = openpyxl.utils.range_boundaries(ws.tables["Sales"].ref)
    keys = SPEC.table("Sales").keys
    date_col, stage_col = c1 + keys.index("date"), c1 + keys.index("stage")
    won_label = SPEC.table("Sales").column("stage").choices.label("won", lang)
    rows = [r for r in range(r1 + 1, r2 + 1) if ws.cell(r, stage_col).value == won_label
            and ws.cell(r, date_col).value >= datetime(2026, 10, 1)][:2]
    for r, text in zip(rows, typed, strict=True):
        ws.cell(r, stage_col).value = text
    wb.save(book)
    read = read_workbook(book)
    positions = [read.tables["Sales"].rows.index(r) for r in rows]
    assert read.frame("Sales")["stage"].iloc[positions].tolist() == ["won", "won"]
    found = [f for f in validate(read) if f.rule.endswith("_not_counted")]
    assert [(f.rule, f.column, f.value, f.row) for f in found] == [
        ("choice_not_counted", "stage", typed[0], rows[0])]
    # the spelling the formulas count, so that the rep can find and replace
    if lang == "zh":
        assert found[0].message_zh.startswith("“阶段”有 2 个值的写法不是公式统计的")
        assert "请改为“赢单”（可在该列用“查找和替换”把 'Won' 换成“赢单”）" in found[0].message_zh
    else:
        assert found[0].message_en.startswith("'Stage': 2 values spelled otherwise")
        assert "change them to 'Won' (Find and Replace '赢单' with 'Won'" in found[0].message_en


def won_in_period(book: Path, keys: tuple[str, ...], n: int):
    """The zh sample built at ``book`` and opened: the workbook, its sales sheet, the
    columns of date, stage, amount and ``keys``, and its first ``n`` won rows of the
    period (October 2026)."""
    build_workbook(book, team_options("zh"), sample_workbook_data("zh"))
    wb = openpyxl.load_workbook(book)
    ws = wb[SPEC.sheet("sales").name.zh]
    c1, r1, _, r2 = openpyxl.utils.range_boundaries(ws.tables["Sales"].ref)
    col = {k: c1 + SALES.keys.index(k) for k in ("date", "stage", "amount", *keys)}
    won = [r for r in range(r1 + 1, r2 + 1) if ws.cell(r, col["stage"]).value == "赢单"
           and ws.cell(r, col["date"]).value >= datetime(2026, 10, 1)][:n]
    return wb, ws, col, won


def test_choices_and_names_typed_with_a_space_are_warned_as_the_kpi_sheet_misses_them(
        tmp_path):
    """'赢单 ' pasted from a CRM: xlsales reads 赢单 (an info, 'spaces removed'), the KPI
    sheet's formulas compare the text as typed and leave the row out: revenue 43,160
    against xlsales' 95,240, and validate said 0 errors, 0 warnings. A warning per column
    now says so and to delete the spaces; LibreOffice confirms what it leaves out."""
    require_libreoffice()
    book = tmp_path / "spaced.xlsx"
    wb, ws, col, won = won_in_period(book, ("customer",), 3)
    ws.cell(won[0], col["stage"]).value = "赢单 "
    ws.cell(won[1], col["stage"]).value = " 赢单"
    ws.cell(won[2], col["customer"]).value += " "
    wb.save(book)
    read = read_workbook(book)
    found = {f.column: f for f in validate(read) if f.rule.endswith("_not_counted")}
    assert set(found) == {"stage", "customer"}
    stage, customer = found["stage"], found["customer"]
    assert (stage.rule, stage.row, stage.severity) == ("choice_not_counted", won[0],
                                                       Severity.WARNING)
    assert "“阶段”有 2 个值的写法不是公式统计的" in stage.message_zh
    assert "首尾的空格" in stage.message_zh and "spaces" in stage.message_en
    assert (customer.rule, customer.row) == ("spaces_not_counted", won[2])
    assert "首尾带空格" in customer.message_zh and "请删除" in customer.message_zh
    assert "retype them as numbers" not in customer.message_en
    engine = compute_kpis({n: t.frame for n, t in read.tables.items()}, PERIOD).kpis
    sheet = kpi_values(openpyxl.load_workbook(recalculate(book, tmp_path / "lo"),
                                              data_only=True))
    left_out = sum(ws.cell(r, col["amount"]).value for r in won[:2])
    assert sheet["revenue"] == pytest.approx(engine["revenue"] - left_out)
    # `xlsales kpis` says its figures differ from the KPI sheet's, and why
    said = CliRunner().invoke(main, ["kpis", str(book), "--json"])
    assert said.exit_code == 0 and "有 2 条警告说工作簿自己的 KPI 表不计入某些值或行" in said.stderr
    assert json.loads(said.stdout)["kpis"]["revenue"] == pytest.approx(engine["revenue"])


@pytest.mark.parametrize("typed", ["Month ", "月度", "month", "Monthly"])
def test_a_period_type_the_formulas_do_not_read_is_a_warning_at_its_cell(tmp_path, typed):
    """A period type typed with a trailing space (or in the other language) made the
    workbook's period end a year later, while validate gave an info finding about
    'Content'."""
    book = tmp_path / "type.xlsx"
    build_workbook(book, team_options("en"), sample_workbook_data("en"))
    wb = openpyxl.load_workbook(book)
    info = wb[SPEC.sheet("info").name.en]
    cell = next(row[2] for row in info.iter_rows() if row[1].value == "Period type")
    cell.value = typed
    wb.save(book)
    found = [f for f in validate(read_workbook(book)) if f.sheet == info.title]
    if typed == "Monthly":  # not a period type at all: an error, as before
        assert [f.rule for f in found] == ["not_allowed"]
        return
    if typed == "month":  # Excel compares text case aside: the formulas read it
        assert found == []
        return
    assert [(f.rule, f.cell, f.value) for f in found] == [
        ("form_value_not_counted", cell.coordinate, typed)]
    assert "the period end comes out wrong" in found[0].message_en


def test_a_period_start_typed_as_text_is_named_at_its_cell(tmp_path):
    """A rep types the period start as text (2026/10/1) in LibreOffice: xlsales read it,
    the workbook's period end and KPI sheet showed #VALUE!, and validate's one finding
    sent the rep to the period end's formula (C7) instead of the start (C6)."""
    require_libreoffice()
    book = tmp_path / "text_start.xlsx"
    build_workbook(book, team_options("en"), sample_workbook_data("en"))
    wb = openpyxl.load_workbook(book)
    info = wb[SPEC.sheet("info").name.en]
    start = next(row[2] for row in info.iter_rows() if row[1].value == "Period start")
    start.value = "2026/10/1"
    wb.save(book)
    saved = recalculate(book, tmp_path / "lo")
    found = {f.rule: f for f in validate(read_workbook(saved)) if f.sheet == info.title}
    assert found["form_value_not_counted"].cell == start.coordinate
    assert "reads it as 2026-10-01" in found["form_value_not_counted"].message_en
    end = found["calculated_field_error"]
    assert end.cell == f"C{start.row + 1}" and end.value == "#VALUE!"
    assert "computed from 'Period start', 'Period type'" in end.message_en
    assert "error_value" not in found


def test_a_fraction_in_a_whole_number_field_is_an_error_at_its_cell(tmp_path):
    """A count target typed as 1.5 (pasted past the sheet's whole-number check): the KPIs
    round counts, so it is an error at its cell, in both languages."""
    targets = pd.DataFrame({"period": [date(2026, 10, 1)] * 2, "rep": ["A", "B"],
                            "revenue_target": [1000.0, 2000.0],
                            "new_customers_target": [1.5, 2], "visits_target": [10, 7.25]})
    path = tmp_path / "frac.xlsx"
    build_workbook(path, team_options("en", PERIOD),
                   WorkbookData(tables={"Targets": targets}, lists={"rep": ["A", "B"]}))
    found = [f for f in validate(read_workbook(path)) if f.rule == "not_whole"]
    assert [(f.column, f.value, f.severity) for f in found] == [
        ("new_customers_target", 1.5, Severity.ERROR), ("visits_target", 7.25, Severity.ERROR)]
    assert found[0].cell.endswith("5") and found[1].cell.endswith("6")
    assert "whole number" in found[0].message_en and "整数" in found[0].message_zh


def test_a_whole_number_setting_typed_with_a_fraction_is_an_error(tmp_path):
    """Buffer days typed 2.5 passed (table columns had the check, settings did not)."""
    data = sample_workbook_data("en")
    data = replace(data, assumptions={**data.assumptions, "buffer_days": 2.5})
    book = tmp_path / "book.xlsx"
    build_workbook(book, team_options("en"), data)
    found = [(f.rule, f.value) for f in validate(read_workbook(book))
             if f.column == "buffer_days"]
    assert found == [("not_whole", 2.5)]


def test_a_table_whose_range_starts_above_its_header_is_reported_not_a_traceback(tmp_path):
    """A plan table whose range was moved one row up (its header row then holds the
    sheet's title): validate died with "ValueError: max() arg is an empty sequence"."""
    book = tmp_path / "shifted.xlsx"
    build_workbook(book, team_options("en"), sample_workbook_data("en"))
    wb = openpyxl.load_workbook(book)
    ws = wb[SPEC.sheet("sales").name.en]
    table = ws.tables["Sales"]
    c1, r1, c2, r2 = openpyxl.utils.range_boundaries(table.ref)
    table.ref = (f"{openpyxl.utils.get_column_letter(c1)}{r1 - 1}:"
                 f"{openpyxl.utils.get_column_letter(c2)}{r2}")
    wb.save(book)
    result = CliRunner().invoke(main, ["validate", str(book)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "missing_column" in result.output


@pytest.mark.parametrize("name", ["销售记录 (2)", "销售记录_2"])
def test_a_copy_of_a_data_sheet_is_a_warning(sample_books, tmp_path, name):
    """A rep duplicated 销售记录 (Excel names the copy 销售记录 (2), LibreOffice 销售记录_2)
    and corrected an amount there: nothing read it, and validate said nothing."""
    book = tmp_path / "copied.xlsx"
    wb = openpyxl.load_workbook(sample_books["zh"])
    wb.copy_worksheet(wb["销售记录"]).title = name
    wb.save(book)
    found = [f for f in validate(read_workbook(book)) if f.rule == "sheet_copy_not_read"]
    assert [(f.sheet, f.severity) for f in found] == [(name, Severity.WARNING)]
    assert found[0].message_en.startswith(f"Sheet '{name}' is a copy of '销售记录': xlsales "
                                          "and the workbook's formulas (the KPI sheet) read "
                                          "'销售记录' only")
    plain = [f for f in validate(read_workbook(sample_books["zh"]))
             if f.rule == "sheet_copy_not_read"]
    assert plain == []


def test_validation_links_reach_a_sheet_named_with_an_apostrophe(sample_books, tmp_path):
    """Sales renamed "Alice's sales": the validation sheet's links read 'Alice's sales'!B5,
    which Excel and LibreOffice cannot follow (the apostrophe must be doubled)."""
    book = tmp_path / "alice.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    wb["Sales"].title = "Alice's sales"
    wb["Alice's sales"]["C10"] = "nobody"  # a rep not on the team: a finding with a link
    wb.save(book)
    assert CliRunner().invoke(main, ["validate", str(book), "--write"]).exit_code in (0, 1)
    ws = openpyxl.load_workbook(book)["Validation"]
    links = {c.hyperlink.location for c in ws["C"] if c.hyperlink}
    assert "'Alice''s sales'!C10" in links
    assert not any(link.startswith("'Alice's ") for link in links)


@pytest.mark.parametrize(("typed", "meant"), [("1.234,56", "1234.56"), ("12,50", "12.50"),
                                              ("€1.234,56", "1234.56"),
                                              ("12.345.678", "12345678")])
def test_an_amount_with_a_decimal_comma_says_what_to_type(sample_books, tmp_path, typed,
                                                          meant):
    """A European export's 1.234,56 got "cannot be read" with no word of why or what to
    type; (500) was said to be "(123) converted to -123"."""
    book = tmp_path / "comma.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    ws = wb["Sales"]
    amount = next(c.column_letter for c in ws[4] if c.value == "Amount")
    ws[f"{amount}6"] = typed
    ws[f"{amount}7"] = "(500)"
    wb.save(book)
    found = {f.cell: f for f in validate(read_workbook(book)) if f.column == "amount"}
    comma = found[f"{amount}6"]
    assert comma.rule == "decimal_comma" and comma.severity is Severity.ERROR
    # € is not the book's currency: retyped as the number alone, it would count as yuan
    todo = (f"), and is in EUR, but this workbook is in CNY: if it is {meant} EUR, convert it "
            "to CNY and type the number (xlsales never converts currencies)."
            if "€" in typed else f"); if it is {meant}, type {meant}.")
    assert comma.message_en == (f"'Amount' must be a number; {typed!r} cannot be read: it "
                                "looks written as in Europe (a decimal comma, dots between "
                                f"thousands{todo}")
    brackets = [f for f in validate(read_workbook(book)) if f.cell == f"{amount}7"
                and f.rule == "converted"]
    assert brackets and "(123)" not in brackets[0].message_en
    assert "a negative number in brackets read as negative" in brackets[0].message_en


def test_an_english_report_of_a_chinese_book_names_its_columns_as_the_book_does(
        sample_books, tmp_path):
    """`validate --lang en` on a Chinese book: the findings named the columns as the
    book does ('日期'), the repair summary in English ('销售记录 Date'), two names for one
    column. Both are the book's now."""
    book = tmp_path / "zh.xlsx"
    wb = openpyxl.load_workbook(sample_books["zh"])
    wb["销售记录"]["B6"] = "2026/10/3"  # a date typed as text: a repair
    wb.save(book)
    result = CliRunner().invoke(main, ["validate", str(book), "--lang", "en"])
    assert "× 销售记录 日期: date stored as text converted" in result.output, result.output
    assert "销售记录 Date" not in result.output


def test_a_time_typed_in_a_date_column_is_quoted_as_she_typed_it(tmp_path):
    """The message read “日期”应为日期…，datetime.time(14, 30) 无法识别: Python, not her 14:30."""
    from datetime import time

    book = tmp_path / "time.xlsx"
    build_workbook(book, team_options("zh"), sample_workbook_data("zh"))
    wb = openpyxl.load_workbook(book)
    ws = wb[SPEC.sheet("sales").name.zh]
    ws.cell(5, 1 + SALES.keys.index("date")).value = time(14, 30)
    wb.save(book)
    [found] = [f for f in validate(read_workbook(book)) if f.row == 5 and f.column == "date"]
    assert "14:30 无法识别" in found.message_zh and "datetime" not in found.message_en


def test_a_date_with_a_time_is_warned_only_where_the_kpi_sheet_misses_it(tmp_path):
    """A CRM's '2026-10-31 15:30': the KPI sheet compares dates with the month's last day
    and leaves it out; '2026-10-15 09:00' it counts. Only the first is warned, saying the
    time of day is the cause (the message said to retype a date, which it was)."""
    require_libreoffice()
    book = tmp_path / "times.xlsx"
    wb, ws, col, won = won_in_period(book, (), 2)
    ws.cell(won[0], col["date"]).value = datetime(2026, 10, 31, 15, 30)
    ws.cell(won[1], col["date"]).value = datetime(2026, 10, 15, 9, 0)
    wb.save(book)
    read = read_workbook(book)
    found = [f for f in validate(read) if f.rule.endswith("_not_counted")]
    assert [(f.rule, f.row) for f in found] == [("time_not_counted", won[0])]
    assert "带有时间" in found[0].message_zh and "月末最后一天" in found[0].message_zh
    assert "time of day" in found[0].message_en
    engine = compute_kpis({n: t.frame for n, t in read.tables.items()}, PERIOD).kpis
    sheet = kpi_values(openpyxl.load_workbook(recalculate(book, tmp_path / "lo"),
                                              data_only=True))
    assert sheet["revenue"] == pytest.approx(engine["revenue"] - ws.cell(won[0],
                                                                         col["amount"]).value)


def test_amounts_in_messages_are_shown_as_the_sheet_shows_money(tmp_path):
    """An amount off quantity × price, or collected above invoiced, is quoted with its
    thousands separated (14,000, not 14000), as people read money on the sheet."""
    rows = [{**clean_sales(1)[0], "quantity": 2.0, "unit_price": 6_500.25,
             "amount": 14_000.0, "invoiced": 12_000.0, "collected": 12_500.5}]
    data = WorkbookData(
        info={"period_type": "month", "period_start": PERIOD.start, "owner": "Team"},
        tables={"Sales": pd.DataFrame(rows)}, lists={"rep": ["A", "B"],
                                                     "region": ["East"], "product": ["Standard"]})
    path = tmp_path / "money.xlsx"
    build_workbook(path, replace(team_options("en"), period=PERIOD), data)
    by_rule = {f.rule: f for f in validate(read_workbook(path))}
    assert by_rule["amount_mismatch"].message_en == (
        "Amount 14,000 differs from quantity × unit price = 13,000.5.")
    assert by_rule["amount_mismatch"].message_zh == "金额 14,000 与 数量 × 单价 = 13,000.5 不符。"
    assert by_rule["collected_exceeds_invoiced"].message_en == (
        "Collected 12,500.5 is more than invoiced 12,000.")
    assert by_rule["amount_mismatch"].value == 14_000  # the value itself, a number


def test_a_quantity_out_of_range_is_one_error_not_a_mismatch_too(tmp_path):
    """A quantity typed -3 (price 2,800, amount 5,600) is below its minimum; the amount
    was not also said to differ from "quantity × unit price = -8,400". A quantity in range
    whose product differs still is."""
    from table_edits import typed_sales

    book = typed_sales(tmp_path, "en", {"H": [-3, 3], "I": [2800, 2800], "J": [5600, 5600]})
    found = {(f.rule, f.cell) for f in validate(read_workbook(book))
             if f.column in ("quantity", "amount")}
    assert found == {("below_minimum", "H5"), ("amount_mismatch", "J6")}, found


def test_a_won_row_created_after_it_was_won_is_an_error_an_open_one_is_not(sample_books,
                                                                          tmp_path):
    """A won row created after its date gave a negative sales cycle that pulled the
    average down, with nothing said; an open row's date is when it is expected to close,
    which the cycle does not read: it is not flagged."""
    book = tmp_path / "created.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    ws = wb["Sales"]
    col = {c.value: c.column_letter for c in ws[4]}
    rows = {ws[f"{col['Stage']}{r}"].value: r for r in range(5, ws.max_row + 1)}
    won, open_ = rows["Won"], rows["Proposal"]
    for r in (won, open_):
        ws[f"{col['Created']}{r}"] = ws[f"{col['Date']}{r}"].value + timedelta(days=3)
    wb.save(book)
    found = [f for f in validate(read_workbook(book)) if f.rule == "created_after_date"]
    assert [(f.cell, f.severity) for f in found] == [(f"{col['Created']}{won}",
                                                     Severity.ERROR)]
    date_shown = ws[f"{col['Date']}{won}"].value.date().isoformat()
    assert f"after the row's won date {date_shown}" in found[0].message_en
