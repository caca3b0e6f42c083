"""Finance export: stable keys, numbers as numbers, ISO dates, formula text neutralised;
parquet with real types, the same figures as the CSV."""

from __future__ import annotations

import io
import re
import shutil
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from sheet_values import with_header_renamed

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData


@pytest.fixture()
def risky_book(tmp_path):
    """Text a spreadsheet would run as a formula, and a negative number."""
    sales = pd.DataFrame({
        "order_id": ["R1", "R2", "R3"], "date": [date(2026, 10, 2)] * 3,
        "rep": ["A", "A", "B"], "customer": ["=cmd|' /C calc'!A0", "+8613800000000", "@SUM"],
        "stage": ["won", "won", "lost"], "amount": [100.0, 250.0, 80.0],
        "note": ["-10% discount", "ok", None],
    })
    path = tmp_path / "risky.xlsx"
    build_workbook(path, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A", "B"]}))
    return path, sales


def test_csv_rereads_to_the_same_numbers(sample_books, sample_data, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]), str(sample_books["en"]),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")
    assert list(kpis.columns[:7]) == ["source_file", "report_owner", "report_level",
                                      "report_period", "report_start", "report_end",
                                      "report_currency"]
    assert list(kpis.columns[7:]) == [k.key for k in SPEC.kpis] + ["validation_errors",
                                                                    "kpi_sheet_differs"]
    assert (kpis["validation_errors"] == 0).all() and (kpis["kpi_sheet_differs"] == 0).all()
    assert "validation error" not in result.output and "校验错误" not in result.output
    expected = compute_kpis(sample_data["zh"].tables, Period.parse("2026-10")).kpis
    for _, row in kpis.iterrows():
        assert row["report_period"] == "2026-10" and row["report_start"] == "2026-10-01"
        for key, value in expected.items():  # an empty KPI is an empty cell
            assert pd.isna(row[key]) if value is None else row[key] == pytest.approx(value), key
    by_rep = pd.read_csv(out / "kpis_by_rep.csv", encoding="utf-8-sig")
    assert len(by_rep) == 12 and by_rep["revenue"].sum() == pytest.approx(
        2 * expected["revenue"])
    targets = pd.read_csv(out / "targets.csv", encoding="utf-8-sig")
    assert {"period", "rep", "revenue_target"} <= set(targets.columns)
    assert targets["period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_kpi_tables_carry_no_floating_point_noise(sample_books, tmp_path):
    """The KPI tables give numbers as a finance analyst would type them: a price effect
    of -6020.000000000058 is -6020 (12 significant digits at most)."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["en"]), "-o", str(out),
                                       "--tables", "kpis,kpis_by_rep"])
    assert result.exit_code == 0, result.output
    for name in ("kpis.csv", "kpis_by_rep.csv"):
        text = (out / name).read_text(encoding="utf-8-sig")
        noisy = re.findall(r"\d*\.\d*(?:0{6,}|9{6,})[1-9]\d*", text)
        assert not noisy, (name, noisy[:5])


def test_a_book_with_validation_errors_is_exported_with_a_note_and_its_count(tmp_path):
    """Finance must not take a book's numbers as clean when its rep's book has errors (a
    negative amount, an impossible date): its rows go out as read, stderr says so, and its
    kpis row counts the errors."""
    sales = pd.DataFrame({
        "order_id": ["E1", "E2", "E3"], "date": [date(2026, 10, 2), "2026-09-31",
                                                   date(2026, 10, 5)],
        "rep": ["A", "A", "B"], "customer": ["C1", "C2", "C3"],
        "stage": ["won", "won", "won"], "amount": [100.0, 250.0, -5000.0]})
    book = tmp_path / "errors.xlsx"
    build_workbook(book, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A", "B"]}))
    result = CliRunner().invoke(main, ["export", str(book), "-o", str(tmp_path / "out"),
                                       "--tables", "kpis,sales"])
    assert result.exit_code == 0, result.output
    assert ("[export] note: errors.xlsx has 2 validation errors: its rows are exported as "
            "read") in result.output
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")
    assert kpis["validation_errors"].tolist() == [2]
    assert len(pd.read_csv(tmp_path / "out" / "sales.csv", encoding="utf-8-sig")) == 3


def test_every_hint_to_validate_names_the_path_the_user_can_run(tmp_path, monkeypatch):
    """kpis, plan and export tell a user whose book has errors to run `xlsales validate
    BOOK`: with the book in a folder, the command they suggested named the file alone
    and found nothing."""
    sales = pd.DataFrame({
        "order_id": ["E1", "E2"], "date": [date(2026, 10, 2), date(2026, 10, 5)],
        "rep": ["A", "B"], "customer": ["C1", "C2"], "stage": ["won", "won"],
        "amount": [100.0, -5000.0]})
    (tmp_path / "team").mkdir()
    build_workbook(tmp_path / "team" / "east.xlsx", team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A", "B"]}))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in (["kpis", "team/east.xlsx"], ["plan", "team/east.xlsx", "-o", "planned.xlsx"],
                 ["export", "team/east.xlsx", "-o", "out", "--tables", "kpis"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "xlsales validate team/east.xlsx" in result.output, (args, result.output)
        assert runner.invoke(main, ["validate", "team/east.xlsx"]).exit_code == 1


def test_kpis_by_rep_lists_a_rep_with_a_target_and_no_sales(sample_data, tmp_path):
    """A new hire with a target and no orders is a row of kpis_by_rep (revenue 0,
    attainment 0): the reps' targets add up to the workbook's."""
    data = sample_data["en"]
    targets = data.tables["Targets"]
    hire = pd.DataFrame({"period": [date(2026, 10, 1)], "rep": ["Ivy"],
                         "revenue_target": [25000.0]})
    book = tmp_path / "team.xlsx"
    build_workbook(book, team_options("en"), replace(
        data, tables={**data.tables, "Targets": pd.concat([targets, hire], ignore_index=True)},
        lists={**data.lists, "rep": [*data.lists["rep"], "Ivy"]}))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(book), "-o", str(out), "--tables",
                                       "kpis,kpis_by_rep"])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")
    by_rep = pd.read_csv(out / "kpis_by_rep.csv", encoding="utf-8-sig").set_index("rep")
    assert by_rep.loc["Ivy", ["revenue", "target", "attainment"]].tolist() == [0, 25000, 0]
    assert by_rep["target"].sum() == pytest.approx(kpis["target"][0])


def test_labels_names_built_in_entries_alike_in_every_book(sample_books, tmp_path):
    """A pull over a Chinese and an English book: by default each book's regions,
    products and categories as it names them (`华东` and `East`); with `--labels zh`
    one name each, so finance can group by them. Rows and order stay the same."""
    from xlsales.spec.declarations import PROBLEM_CATEGORIES, PRODUCTS, REGIONS

    books = [str(sample_books["zh"]), str(sample_books["en"])]
    tables = ["--tables", "sales,problems"]
    plain, named = tmp_path / "plain", tmp_path / "named"
    assert CliRunner().invoke(main, ["export", *books, *tables, "-o", str(plain)]).exit_code == 0
    result = CliRunner().invoke(main, ["export", *books, *tables, "-o", str(named),
                                       "--labels", "zh"])
    assert result.exit_code == 0, result.output
    read = {d: {t: pd.read_csv(d / f"{t}.csv", encoding="utf-8-sig") for t in ("sales",
                                                                               "problems")}
            for d in (plain, named)}
    assert {"East", "华东"} <= set(read[plain]["sales"]["region"])
    for table, key, source in (("sales", "region", REGIONS), ("sales", "product", PRODUCTS),
                               ("problems", "category", PROBLEM_CATEGORIES)):
        assert set(read[named][table][key]) <= {d.zh for d in source.defaults}, key
        assert list(read[named][table][key]) == [
            source.default_in(v, "zh") for v in read[plain][table][key]], key
    for table, keys in (("sales", ["region", "product"]), ("problems", ["category"])):
        others = read[plain][table].drop(columns=keys)
        assert read[named][table].drop(columns=keys).equals(others), table


def test_labels_name_plan_metrics_and_units_alike_in_every_book(sample_books, tmp_path):
    """A pull of plan targets over a zh and an en book had two spellings of each metric
    and unit (销售额 / Revenue, 元 / CNY) even with --labels en: now one."""
    runner = CliRunner()
    books = []
    for lang in ("zh", "en"):
        books.append(tmp_path / f"planned_{lang}.xlsx")
        assert runner.invoke(main, ["plan", str(sample_books[lang]), "-o",
                                    str(books[-1])]).exit_code == 0
    for labels, expected in (("en", ("Revenue", "CNY", "Deals won", "deals")),
                             ("zh", ("销售额", "元", "成交单数", "单"))):
        out = tmp_path / labels
        result = runner.invoke(main, ["export", *map(str, books), "-o", str(out),
                                      "--tables", "plan_targets", "--labels", labels])
        assert result.exit_code == 0, result.output
        rows = pd.read_csv(out / "plan_targets.csv", encoding="utf-8-sig")
        named = rows.groupby("kpi")[["metric", "unit"]].nunique()
        assert (named == 1).all().all(), named  # one spelling across both books
        first = rows.drop_duplicates("kpi").set_index("kpi")
        assert (first.loc["revenue", "metric"], first.loc["revenue", "unit"],
                first.loc["deals", "metric"], first.loc["deals", "unit"]) == expected


def test_formula_prefixes_are_neutralised(risky_book, tmp_path):
    path, _ = risky_book
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["export", str(path), "--tables", "sales,kpis", "-o",
                                     str(out)]).exit_code == 0
    sales = pd.read_csv(out / "sales.csv", encoding="utf-8-sig", dtype=str)
    assert list(sales["customer"]) == ["'=cmd|' /C calc'!A0", "'+8613800000000", "'@SUM"]
    assert sales["note"].iloc[0] == "'-10% discount"
    assert pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")["revenue"].iloc[0] == 350


def test_xlsx_export_holds_text_as_text(risky_book, tmp_path):
    """Text a spreadsheet would run as a formula is exported as typed, as text."""
    path, _ = risky_book
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["export", str(path), "--format", "xlsx", "--tables",
                                     "sales", "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out / "sales.xlsx")["sales"]
    header = [c.value for c in ws[1]]
    customer = ws.cell(2, header.index("customer") + 1)
    # as typed (an apostrophe added would change it: '-阿里' no longer joins '-阿里'),
    # a string cell with Excel's quote prefix: shown and kept as text, even when edited
    assert customer.value == "=cmd|' /C calc'!A0" and customer.data_type == "s"
    assert customer.quotePrefix
    note = ws.cell(2, header.index("note") + 1)
    assert (note.value, note.quotePrefix) == ("-10% discount", True)
    assert not ws.cell(3, header.index("note") + 1).quotePrefix  # "ok"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    column = {name: [r[header.index(name)] for r in rows] for name in header}
    assert column["amount"] == [100, 250, 80]  # numbers as numbers
    # dates are Excel dates (finance filters and sums by them), shown as ISO dates
    assert column["date"] == [datetime(2026, 10, 2)] * 3
    assert ws.cell(2, header.index("date") + 1).number_format == "yyyy-mm-dd"
    assert column["note"][2] is None and column["invoiced"] == [None] * 3  # empty stays empty
    last = ws.cell(1, len(header)).column_letter
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{last}4"


def test_unknown_table_is_a_usage_error(risky_book, tmp_path):
    path, _ = risky_book
    result = CliRunner().invoke(main, ["export", str(path), "--tables", "nope", "-o",
                                       str(tmp_path)])
    assert result.exit_code == 2 and "Unknown table" in result.output


TYPED_TABLES = "kpis,kpis_by_rep,sales,targets,activities,problems,lessons,plan_targets"


@pytest.fixture(scope="module")
def planned_book(tmp_path_factory, sample_books):
    """The en sample with its plan, so that every table has rows."""
    out = tmp_path_factory.mktemp("planned") / "planned.xlsx"
    assert CliRunner().invoke(main, ["plan", str(sample_books["en"]), "-o",
                                     str(out)]).exit_code == 0
    return out


def test_plan_tables_name_the_period_planned(planned_book, tmp_path):
    """A book of October holds November's plan: its plan rows say so (plan_period)
    beside the book's report_period, so finance does not book them to October."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(planned_book), "-o", str(out),
                                       "--tables", "plan_targets,actions,budget,targets"])
    assert result.exit_code == 0, result.output
    for name in ("plan_targets", "actions", "budget"):
        frame = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert len(frame) and list(frame.columns[5:8]) == ["report_end", "report_currency",
                                                           "plan_period"]
        assert set(frame["plan_period"]) == {"2026-11"}
        assert set(frame["report_period"]) == {"2026-10"}
    assert "plan_period" not in pd.read_csv(out / "targets.csv", encoding="utf-8-sig")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_parquet_rereads_to_the_same_numbers_and_types_as_the_csv(
        planned_book, sample_books, tmp_path, lang):
    books = [str(planned_book), str(sample_books[lang])]
    for fmt in ("csv", "parquet"):
        result = CliRunner().invoke(main, ["export", *books, "--format", fmt, "--tables",
                                           TYPED_TABLES, "-o", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
    for name in TYPED_TABLES.split(","):
        csv = pd.read_csv(tmp_path / "csv" / f"{name}.csv", encoding="utf-8-sig")
        parquet = pd.read_parquet(tmp_path / "parquet" / f"{name}.parquet")
        assert list(parquet.columns) == list(csv.columns), name
        assert len(parquet) == len(csv) > 0, name
        for column in csv.columns:
            a, b = csv[column], parquet[column]
            if pd.api.types.is_numeric_dtype(a) and a.notna().any():
                # numbers stay numbers, equal to the CSV's
                assert pd.api.types.is_numeric_dtype(b), (name, column)
                assert b.astype(float).tolist() == pytest.approx(a.astype(float).tolist(),
                                                                 nan_ok=True), (name, column)
            elif a.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}").all():
                # ISO dates in the CSV are real dates in parquet
                assert all(isinstance(v, date) for v in b), (name, column)
                assert [v.isoformat() for v in b] == a.tolist(), (name, column)
    schema = pq.read_schema(tmp_path / "parquet" / "sales.parquet")
    assert str(schema.field("date").type) == "date32[day]"
    assert str(schema.field("amount").type) == "double"
    assert str(schema.field("report_start").type) == "date32[day]"
    kpis = pq.read_schema(tmp_path / "parquet" / "kpis.parquet")
    assert str(kpis.field("deals").type) == "int64"
    assert str(kpis.field("validation_errors").type) == "int64"  # a count too
    assert str(kpis.field("attainment").type) == "double"


def test_parquet_keeps_text_as_typed(risky_book, tmp_path):
    path, sales = risky_book
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["export", str(path), "--format", "parquet", "--tables",
                                     "sales", "-o", str(out)]).exit_code == 0
    frame = pd.read_parquet(out / "sales.parquet")
    assert frame["customer"].tolist() == sales["customer"].tolist()  # no spreadsheet runs it
    assert frame["amount"].tolist() == [100.0, 250.0, 80.0]


def test_parquet_without_pyarrow_names_the_fix(risky_book, tmp_path, monkeypatch):
    path, _ = risky_book
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    result = CliRunner().invoke(main, ["export", str(path), "--format", "parquet", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "pip install pyarrow" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_rollup_rows_name_their_member(sample_books, tmp_path):
    rollup = tmp_path / "rollup.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(sample_books["en"]), "-o",
                                       str(rollup), "--name", "Region", "--level", "region"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    for fmt in ("csv", "parquet"):
        assert CliRunner().invoke(main, ["export", str(rollup), "--format", fmt, "--tables",
                                         "sales,problems", "-o", str(out)]).exit_code == 0
    sales = pd.read_parquet(out / "sales.parquet")
    assert sales["member"].eq("Sales Team 1").all() and sales["report_owner"].eq("Region").all()
    csv = pd.read_csv(out / "problems.csv", encoding="utf-8-sig")
    assert csv["member"].eq("Sales Team 1").all()


@pytest.mark.parametrize("workers", [1, 2])
def test_an_unreadable_workbook_is_left_out_and_the_others_exported(risky_book, tmp_path,
                                                                    workers):
    """As validate and consolidate do: the good book is exported, the broken one named
    with its own message in both languages, and the exit code is 2 so scripts notice."""
    from xlsales.export import export_books

    path, _ = risky_book
    folder = tmp_path / "mixdir"
    folder.mkdir()
    shutil.copy(path, folder / "good.xlsx")
    (folder / "broken.xlsx").write_text("hello", encoding="utf-8")
    result = export_books([folder], tmp_path / "out", "csv", ("kpis",),
                          progress=lambda _: None, workers=workers)
    assert [u.given.name for u in result.left_out] == ["broken.xlsx"] and result.books == 1
    assert "broken.xlsx" in result.left_out[0].en and "broken.xlsx" in result.left_out[0].zh
    assert pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")[
        "source_file"].tolist() == ["good.xlsx"]
    cli = CliRunner().invoke(main, ["export", str(folder), "-o", str(tmp_path / "cli"),
                                    "--tables", "kpis", "--format", "parquet"])
    assert cli.exit_code == 2, cli.output
    assert "good.xlsx" in pd.read_parquet(tmp_path / "cli" / "kpis.parquet")[
        "source_file"].tolist()
    left = [line for line in cli.output.splitlines() if "broken.xlsx" in line]
    assert left and "plain text file" in left[-1] and "纯文本文件" in left[-1]
    assert "exported 1 of 2 workbooks" in cli.output and "Traceback" not in cli.output


@pytest.mark.parametrize("workers", [1, 2])
def test_no_usable_workbook_writes_nothing(risky_book, tmp_path, workers):
    from xlsales.errors import WorkbookError
    from xlsales.export import export_books

    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:  # raised in a worker, reaches us as itself
        export_books([broken], tmp_path / "out", "csv", ("kpis",),
                     progress=lambda _: None, workers=workers)
    assert "broken.xlsx" in caught.value.en and "broken.xlsx" in caught.value.zh
    other = tmp_path / "other.xlsx"
    shutil.copy(broken, other)
    result = CliRunner().invoke(main, ["export", str(broken), str(other), "-o",
                                       str(tmp_path / "cli")])
    assert result.exit_code == 2 and "broken.xlsx" in result.output
    assert "other.xlsx" in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "cli").exists()


def test_csv_and_xlsx_written_in_chunks_equal_one_piece(sample_books, tmp_path, monkeypatch):
    """CSV and xlsx rows are converted a chunk at a time (memory stays flat): chunks of 7
    rows give the same CSV bytes and the same xlsx cells as one chunk of every row."""
    from xlsales import export_cells, export_xlsx

    tables = ["--tables", "sales,targets,kpis_by_rep"]
    for fmt in ("csv", "xlsx"):
        written = {}
        for chunk in (10**9, 7):
            monkeypatch.setattr(export_cells, "CHUNK_ROWS", chunk)
            monkeypatch.setattr(export_xlsx, "ROWS_PER_CHUNK", chunk)
            out = tmp_path / f"{fmt}{chunk}"
            result = CliRunner().invoke(main, ["export", str(sample_books["en"]), "--format",
                                               fmt, *tables, "-o", str(out)])
            assert result.exit_code == 0, result.output
            written[chunk] = {
                name: (out / f"{name}.csv").read_bytes() if fmt == "csv" else
                [list(r) for r in openpyxl.load_workbook(out / f"{name}.xlsx", read_only=True)
                 [name].iter_rows(values_only=True)]
                for name in ("sales", "targets", "kpis_by_rep")}
        assert written[7] == written[10**9]
        if fmt == "csv":  # one header, every row
            assert written[7]["sales"].count(b"source_file") == 1
            assert written[7]["sales"].count(b"\n") == len(pd.read_csv(
                tmp_path / "csv7" / "sales.csv", encoding="utf-8-sig")) + 1


def test_export_takes_folders_and_patterns_as_consolidate_does(sample_books, risky_book,
                                                               tmp_path):
    """A folder exports its workbooks (in name order), as a pattern does; a folder without
    workbooks is a usage error naming it, and nothing is written. (Two books of other
    orders: the zh and en samples hold the same ones, and a folder's copy is set aside.)"""
    folder = tmp_path / "team"
    folder.mkdir()
    for book in (sample_books["en"], risky_book[0]):
        (folder / book.name).write_bytes(book.read_bytes())
    (folder / "notes.txt").write_text("not a workbook")
    files = sorted(folder.glob("*.xlsx"))
    outs = {}
    for how, args in (("files", [str(f) for f in files]), ("folder", [str(folder)]),
                      ("pattern", [str(folder / "*.xlsx")])):
        outs[how] = tmp_path / how
        result = CliRunner().invoke(main, ["export", *args, "--tables", "kpis,targets",
                                           "-o", str(outs[how])])
        assert result.exit_code == 0, result.output
    for name in ("kpis.csv", "targets.csv"):
        assert (outs["folder"] / name).read_bytes() == (outs["files"] / name).read_bytes() \
            == (outs["pattern"] / name).read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, ["export", str(empty), "-o", str(tmp_path / "none")])
    assert result.exit_code == 2 and f"No workbooks (.xlsx / .xlsm) were found in {empty}" \
        in result.output
    assert not (tmp_path / "none").exists()


def test_cleaning_a_column_at_once_equals_cleaning_each_cell():
    """CSV and xlsx cells are cleaned column-wise (dates to ISO text, formula-like text
    neutralised); every kind of column gives what :func:`clean_cell` gives cell by cell,
    str subclasses, date-times and categories included."""
    import numpy as np

    from xlsales.export_cells import clean_cell, clean_frame

    class Note(str):
        pass

    frame = pd.DataFrame({
        "amount": [1.0, np.nan, 3.0, 4.0], "count": [1, 2, 3, 4],
        "customer": pd.array(["=cmd", None, "+86", "ok"], dtype="str"),
        "mixed": ["=x", None, 1.0, True],
        "date": [date(2026, 10, 1), None, datetime(2026, 10, 2, 5),
                 pd.Timestamp("2026-10-03")],
        "odd": [date(2026, 1, 1), "-1", 3, np.nan],
        "note": pd.Series([Note("=s"), "a", None, "@b"], dtype=object),
        "numpy_text": pd.Series([np.str_("=n"), "x", None, "-y"], dtype=object),
        "stamp": pd.to_datetime(["2026-10-01", None, "2026-10-02", "2026-10-03"]),
        "category": pd.Categorical(["=c", "d", None, "=c"]),
    })
    cleaned = clean_frame(frame)
    for column in frame.columns:
        values = frame[column]
        text = values.dtype == object or str(values.dtype).startswith("str")
        expected = [clean_cell(v, text) for v in values]
        got = cleaned[column].tolist()
        assert [None if pd.isna(v) else v for v in got] == [
            None if pd.isna(v) else v for v in expected], column
    assert cleaned["customer"].tolist()[::2] == ["'=cmd", "'+86"]
    assert cleaned["date"].tolist()[::2] == ["2026-10-01", "2026-10-02"]
    assert frame["note"].dtype == object and cleaned["note"].tolist()[0] == "'=s"


def test_parquet_written_in_row_groups_equals_one_table(tmp_path, monkeypatch):
    """Parquet is converted and written a row group at a time; the file holds what the
    whole table converted at once holds, each column typed by the spec whatever its
    values: a target's visits float64 (one value is not whole, in the last group only,
    or all are), a count int64."""
    from xlsales import export_parquet

    frame = pd.DataFrame({
        "source_file": [f"b{i}.xlsx" for i in range(20)],
        "report_start": [date(2026, 10, 1)] * 19 + [None],
        "deals": [float(i) for i in range(20)],
        "revenue": [100.0 * i for i in range(20)],
    })
    monkeypatch.setattr(export_parquet, "PARQUET_ROWS", 7)
    export_parquet.write_parquet("kpis", frame, tmp_path / "kpis.parquet")
    written = pq.read_table(tmp_path / "kpis.parquet")
    assert pq.ParquetFile(tmp_path / "kpis.parquet").num_row_groups == 3
    assert written.equals(export_parquet.arrow_table("kpis", frame))
    assert str(written.schema.field("deals").type) == "int64"
    targets = frame.drop(columns="deals").assign(
        visits_target=[float(i) for i in range(19)] + [2.5])
    whole = targets.assign(visits_target=[float(i) for i in range(20)])
    export_parquet.write_parquet("targets", targets, tmp_path / "a.parquet")
    export_parquet.write_parquet("targets", whole, tmp_path / "b.parquet")
    a, b = pq.read_table(tmp_path / "a.parquet"), pq.read_schema(tmp_path / "b.parquet")
    assert a.schema.equals(b) and str(b.field("visits_target").type) == "double"
    assert a.column("visits_target").to_pylist()[-1] == 2.5  # kept, not rounded


def test_xlsx_export_cells_read_back_by_libreoffice(tmp_path, monkeypatch):
    """The xlsx export's rows are rendered by xlsales' own cell writer: opened and saved
    again by LibreOffice (a real spreadsheet application), every cell reads back as the
    value exported — text as text (formula-like text as typed, XML characters, edge
    spaces, line breaks, Excel's own escape form), numbers exact, booleans, empty cells
    — over several chunks of rows, with the header, filter and frozen pane in place."""
    require_libreoffice()
    import python_calamine

    from xlsales import export_cells, export_xlsx
    from xlsales.export_xlsx import write_xlsx
    from xlsales.libreoffice import recalculate

    texts = ["=1+1", " edge ", "a & b < c > d \"q\"", "line\nbreak", "_x0041_", "中文", "",
             "-5", "x" * 300]
    numbers = [0.1 + 0.2, 1e20, 2800.0, -3.5, 123456789012345.0, 1e-7, 7.0, float("nan"),
               0.0]
    frame = pd.DataFrame({
        "source_file": [f"b{i}.xlsx" for i in range(9)],
        "text": texts,
        "amount": numbers,
        "when": [date(2026, 10, i + 1) for i in range(8)] + [None],
        "mixed": pd.Series([True, 1, 1.0, "1", None, False, 0, "0", 2], dtype=object),
    })
    monkeypatch.setattr(export_xlsx, "ROWS_PER_CHUNK", 4)
    path = tmp_path / "sales.xlsx"
    write_xlsx(frame, path, "sales")
    expected = export_cells.clean_frame(frame, dates_as_text=False, neutralise=False)
    sheet = openpyxl.load_workbook(path)["sales"]
    assert sheet.freeze_panes == "A2"
    assert [sheet.cell(r, 2).quotePrefix for r in (2, 9)] == [True, True]  # =1+1, -5
    saved = recalculate(path, tmp_path / "lo")
    for book in (path, saved):  # (a headless save drops panes)
        assert openpyxl.load_workbook(book)["sales"].auto_filter.ref == "A1:E10"
        digits = 1e-15 if book == saved else 0  # LibreOffice saves 15 significant digits
        # python-calamine reads cells as Excel shows them (``_x005F_`` unescaped)
        rows = python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_name(
            "sales").to_python(skip_empty_area=False)
        assert list(rows[0]) == list(frame.columns) and len(rows) == 10
        for i, row in enumerate(rows[1:]):
            for column, got in zip(frame.columns, row, strict=True):
                want = expected[column].iloc[i]
                if want is None or (isinstance(want, float) and want != want) or want == "":
                    assert got in (None, ""), (column, i, got)
                elif isinstance(want, bool):
                    assert got is want, (column, i, got)
                elif isinstance(want, str):
                    assert got == want, (column, i, got)
                elif isinstance(want, date):  # a date cell, read back as the same day
                    assert isinstance(got, date) and got == want, (column, i, got)
                else:
                    assert type(got) is float and got == pytest.approx(
                        float(want), rel=digits, abs=0), (column, i, got, want)


def test_xlsx_export_refuses_more_rows_than_a_sheet_holds(tmp_path):
    """A table longer than an Excel sheet is refused before anything is written (the
    rows past the limit were dropped without a word before); an empty table (no
    workbook with a period has KPIs) is an empty sheet."""
    import numpy as np

    from xlsales.errors import UsageError
    from xlsales.export_xlsx import write_xlsx

    with pytest.raises(UsageError) as error:
        write_xlsx(pd.DataFrame({"amount": np.zeros(1_048_576)}), tmp_path / "s.xlsx", "sales")
    assert "use --format csv or parquet" in error.value.en
    assert not (tmp_path / "s.xlsx").exists()
    write_xlsx(pd.DataFrame(), tmp_path / "none.xlsx", "kpis")  # no book with a period
    assert list(openpyxl.load_workbook(tmp_path / "none.xlsx")["kpis"].values) == []


def test_an_xlsx_export_into_the_folder_it_exports_is_not_read_back(sample_books, tmp_path):
    """`xlsales export team --format xlsx -o team`, run twice: the first run's files are
    in the folder, are not workbooks of the template and would stop the export; they are
    left out (and said so), and the second export equals the first."""
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(sample_books["en"].read_bytes())
    args = ["export", str(folder), "--format", "xlsx", "--tables", "kpis,targets", "-o",
            str(folder)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    rows = {n: list(openpyxl.load_workbook(folder / f"{n}.xlsx")[n].values)
            for n in ("kpis", "targets")}
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "left out kpis.xlsx: an output of this export" in again.stderr
    assert {n: list(openpyxl.load_workbook(folder / f"{n}.xlsx")[n].values)
            for n in ("kpis", "targets")} == rows


def test_books_of_one_name_in_two_folders_are_told_apart(sample_books, tmp_path):
    """`east/rollup.xlsx` and `north/rollup.xlsx` (roll-ups consolidated without --name)
    were both `rollup.xlsx` in `source_file`: finance could not tell which row was whose."""
    for region in ("east", "north"):
        (tmp_path / region).mkdir()
        shutil.copy(sample_books["en"], tmp_path / region / "rollup.xlsx")
    shutil.copy(sample_books["zh"], tmp_path / "other.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(tmp_path / "east" / "rollup.xlsx"),
                                       str(tmp_path / "north" / "rollup.xlsx"),
                                       str(tmp_path / "other.xlsx"), "--tables",
                                       "kpis,sales", "-o", str(out)])
    assert result.exit_code == 0, result.output
    kpis = pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")
    assert kpis["source_file"].tolist() == ["east/rollup.xlsx", "north/rollup.xlsx",
                                            "other.xlsx"]
    sales = pd.read_csv(out / "sales.csv", encoding="utf-8-sig")
    assert sales["source_file"].value_counts().to_dict() == {
        name: len(read_workbook(sample_books["en"]).frame("Sales"))
        for name in ("east/rollup.xlsx", "north/rollup.xlsx", "other.xlsx")}


def test_an_empty_table_list_and_no_workers_are_refused(sample_books, tmp_path):
    """`--tables ""` wrote nothing and said nothing; consolidate's `--workers 0` was taken
    silently."""
    out = tmp_path / "out"
    empty = CliRunner().invoke(main, ["export", str(sample_books["en"]), "--tables", "",
                                      "-o", str(out)])
    assert empty.exit_code == 2 and "--tables names no table" in empty.output
    assert not out.exists()
    result = CliRunner().invoke(main, ["consolidate", str(sample_books["en"]), "-o",
                                       str(tmp_path / "r.xlsx"), "--workers", "0"])
    assert result.exit_code == 2 and "'--workers': 0 is not in the range" in result.output
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_row_names_its_books_currency(tmp_path, fmt):
    """A CNY and an HKD book exported together gave no currency: finance could not tell
    which rows were HKD. Every table's rows carry their book's ``report_currency`` (its
    ISO code; CNY for a book naming none, as `xlsales new` makes it)."""
    sales = pd.DataFrame({"order_id": ["A1", "A2"], "date": [date(2026, 10, 2)] * 2,
                          "rep": ["A", "A"], "customer": ["C1", "C2"],
                          "stage": ["won", "won"], "amount": [100.0, 250.0]})
    books = []
    for name, currency in (("cny.xlsx", "CNY"), ("hkd.xlsx", "港币"), ("older.xlsx", None)):
        path = tmp_path / name
        build_workbook(path, team_options("en", Period.parse("2026-10")),
                       WorkbookData(info={"currency": currency}, tables={"Sales": sales},
                                    lists={"rep": ["A"]}))
        books.append(path)
    assert read_workbook(books[2]).info.get("currency") is None
    out = tmp_path / "out"
    tables = ["kpis", "kpis_by_rep", "sales", "targets"]
    result = CliRunner().invoke(main, ["export", *map(str, books), "-o", str(out), "--format",
                                       fmt, "--tables", ",".join(tables)])
    assert result.exit_code == 0, result.output
    for name in tables:
        frame = (pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig") if fmt == "csv"
                 else pd.read_parquet(out / f"{name}.parquet"))
        assert list(frame.columns[5:7]) == ["report_end", "report_currency"], name
        if len(frame):
            assert dict(zip(frame["source_file"], frame["report_currency"], strict=True)) == {
                "cny.xlsx": "CNY", "hkd.xlsx": "HKD", "older.xlsx": "CNY"}, name
    assert len(pd.read_csv(out / "sales.csv", encoding="utf-8-sig") if fmt == "csv"
               else pd.read_parquet(out / "sales.parquet")) == 6
    if fmt == "parquet":
        schema = pq.read_schema(out / "kpis.parquet")
        assert str(schema.field("report_currency").type) == "string"


def test_ids_typed_as_numbers_leave_as_the_text_excel_shows(tmp_path):
    """Order IDs and customer codes typed (or pasted from an ERP) as numbers left the
    CSV as 900005.0 and parquet as '900005.0', and xlsx kept numbers in a text column:
    joins with the ERP failed and the three formats disagreed."""
    sales = pd.DataFrame({
        "order_id": [900005.0, 900006.0, 1.5e15], "date": [date(2026, 10, 2)] * 3,
        "rep": ["A", "A", "B"], "customer": [10086.0, "Acme", 10086.0],
        "stage": ["won"] * 3, "amount": [100.0, 250.0, 80.0]})
    book = tmp_path / "ids.xlsx"
    build_workbook(book, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A", "B"]}))
    cell = openpyxl.load_workbook(book)["Sales"]
    assert any(c.value == 900005 for row in cell.iter_rows() for c in row)  # a number
    read = read_workbook(book).frame("Sales")
    assert read["order_id"].tolist() == ["900005", "900006", "1500000000000000"]
    assert read["customer"].tolist() == ["10086", "Acme", "10086"]
    out = {}
    for fmt in ("csv", "parquet", "xlsx"):
        result = CliRunner().invoke(main, ["export", str(book), "--format", fmt, "--tables",
                                           "sales", "-o", str(tmp_path / fmt)])
        assert result.exit_code == 0, result.output
    out["csv"] = pd.read_csv(tmp_path / "csv" / "sales.csv", encoding="utf-8-sig",
                             dtype=str)
    out["parquet"] = pd.read_parquet(tmp_path / "parquet" / "sales.parquet")
    out["xlsx"] = pd.read_excel(tmp_path / "xlsx" / "sales.xlsx", dtype=object,
                                engine="openpyxl")
    for fmt, frame in out.items():
        assert frame["order_id"].tolist() == ["900005", "900006", "1500000000000000"], fmt
        assert frame["customer"].tolist() == ["10086", "Acme", "10086"], fmt


ALL_TABLES = ("kpis,kpis_by_rep,sales,targets,activities,problems,lessons,plan_targets,actions,"
              "budget")


def test_parquet_schemas_depend_on_the_spec_not_the_data(sample_books, risky_book, tmp_path):
    """A month whose targets hold a fraction in a count field (1.5 new customers, 7.25
    visits, kept as typed), one with whole targets and one with tables left empty give
    every table the same schema: finance stacks months with ``pyarrow.concat_tables``."""
    import pyarrow as pa

    targets = pd.DataFrame({"period": [date(2026, 10, 1)] * 2, "rep": ["A", "B"],
                            "revenue_target": [1000.0, 2000.0],
                            "new_customers_target": [1.5, 2], "visits_target": [7.25, 10]})
    frac = tmp_path / "frac.xlsx"
    build_workbook(frac, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Targets": targets}, lists={"rep": ["A", "B"]}))
    books = {"whole": sample_books["en"], "frac": frac, "empty": risky_book[0]}
    for key, book in books.items():
        result = CliRunner().invoke(main, ["export", str(book), "--format", "parquet",
                                           "--tables", ALL_TABLES, "-o", str(tmp_path / key)])
        assert result.exit_code == 0, result.output
    for name in ALL_TABLES.split(","):
        read = {k: pq.read_table(tmp_path / k / f"{name}.parquet") for k in books}
        assert read["whole"].schema.equals(read["frac"].schema), name
        assert read["whole"].schema.equals(read["empty"].schema), name
        assert pa.concat_tables(list(read.values())).num_rows == sum(
            t.num_rows for t in read.values())
    frac_targets = pd.read_parquet(tmp_path / "frac" / "targets.parquet")
    assert frac_targets["new_customers_target"].tolist() == [1.5, 2.0]  # not rounded
    assert frac_targets["visits_target"].tolist() == [7.25, 10.0]
    kpis = pd.read_parquet(tmp_path / "frac" / "kpis.parquet")
    assert kpis["validation_errors"].tolist() == [2]  # said, not silently rounded
    schema = pq.read_schema(tmp_path / "whole" / "targets.parquet")
    assert str(schema.field("visits_target").type) == "double"


def test_tables_have_the_same_columns_with_and_without_a_rollup(sample_books, tmp_path):
    """``member`` is in every table a roll-up's rows name their member in, empty for a
    rep's own book: a pull over reps' books has the columns of a pull over a roll-up."""
    rollup = tmp_path / "rollup.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(sample_books["en"]), "-o",
                                       str(rollup), "--name", "Region", "--level", "region"])
    assert result.exit_code == 0, result.output
    names = "sales,targets,activities,problems,lessons"
    for fmt in ("csv", "parquet"):
        for key, book in (("own", sample_books["en"]), ("rollup", rollup)):
            result = CliRunner().invoke(main, ["export", str(book), "--format", fmt,
                                               "--tables", names, "-o", str(tmp_path / key)])
            assert result.exit_code == 0, result.output
        for name in names.split(","):
            read = (pd.read_parquet if fmt == "parquet" else
                    lambda p: pd.read_csv(p, encoding="utf-8-sig"))
            own = read(tmp_path / "own" / f"{name}.{fmt}")
            rolled = read(tmp_path / "rollup" / f"{name}.{fmt}")
            assert list(own.columns) == list(rolled.columns), (fmt, name)
            last = ["member", "member_within"]  # the members below: a roll-up of roll-ups'
            assert list(own.columns[-2:]) == last and own[last].isna().all().all(), (fmt, name)
            assert rolled["member"].eq("Sales Team 1").all(), (fmt, name)


def test_xlsx_export_is_reproducible(sample_books, tmp_path, monkeypatch):
    """Exporting unchanged books again gives the same xlsx bytes, as CSV and parquet do:
    the file says it was created when the newest book was last changed, or at
    ``SOURCE_DATE_EPOCH`` when set."""
    import os
    import zipfile

    book = tmp_path / "book.xlsx"
    shutil.copy(sample_books["en"], book)
    os.utime(book, (1_700_000_000, 1_700_000_000))  # 2023-11-14T22:13:20Z
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    def export(out: str) -> bytes:
        result = CliRunner().invoke(main, ["export", str(book), "--format", "xlsx",
                                           "--tables", "kpis,targets", "-o",
                                           str(tmp_path / out)])
        assert result.exit_code == 0, result.output
        return (tmp_path / out / "kpis.xlsx").read_bytes()

    first = export("a")
    with zipfile.ZipFile(tmp_path / "a" / "kpis.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
    assert ">2023-11-14T22:13:20Z</dcterms:created>" in core
    assert export("b") == first
    assert (tmp_path / "a" / "targets.xlsx").read_bytes() == (
        tmp_path / "b" / "targets.xlsx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    with zipfile.ZipFile(io.BytesIO(export("c"))) as z:
        assert ">2026-01-01T00:00:00Z</dcterms:created>" in z.read("docProps/core.xml").decode()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = CliRunner().invoke(main, ["export", str(book), "--format", "xlsx", "--tables",
                                       "kpis", "-o", str(tmp_path / "d")])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output


def test_readme_documents_the_export_columns_and_types():
    from conftest import REPO

    from xlsales.export_schema import schema_markdown

    assert schema_markdown() in (REPO / "README.md").read_text(encoding="utf-8"), (
        "the spec changed, regenerate: python -m xlsales.export_docs README.md")


def test_an_id_of_more_than_15_digits_stored_as_a_number_is_an_error_not_invented(tmp_path):
    """An order ID 12345678901234567890 stored as a number left the export as
    '12345678901234569216' (digits Excel never kept), with no warning."""
    sales = pd.DataFrame({
        "order_id": [12345678901234567890.0, 900005.0], "date": [date(2026, 10, 2)] * 2,
        "rep": ["A", "A"], "customer": ["Acme", "Beta"], "stage": ["won"] * 2,
        "amount": [100.0, 250.0]})
    book = tmp_path / "ids.xlsx"
    build_workbook(book, team_options("en", Period.parse("2026-10")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A"]}))
    found = [f for f in validate(read_workbook(book)) if f.column == "order_id"]
    assert [f.rule for f in found] == ["id_as_number"]
    assert "Type it again as text" in found[0].message_en
    assert "(Excel shows 1.23457E+19)" in found[0].message_en  # not digits shown nowhere
    assert read_workbook(book).frame("Sales")["order_id"].tolist()[1] == "900005"


def test_a_book_without_its_amount_column_is_left_out_of_a_kpi_export(sample_books, tmp_path):
    """A book whose Amount header was renamed exported its KPIs with a revenue of 0, its
    sales rows with every amount empty, for finance (kpis and plan refuse it): left out
    with why, the others exported; a pull of tables that do not need it still takes it."""
    good, renamed = tmp_path / "good.xlsx", tmp_path / "renamed.xlsx"
    shutil.copy(sample_books["en"], good)
    with_header_renamed(sample_books["en"], renamed, "Sales", "Amount", "Deal value")
    result = CliRunner().invoke(main, ["export", str(good), str(renamed), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis,targets"])
    assert result.exit_code == 2, result.output
    assert "Its tables cannot be exported (finance would get incomplete figures)" in result.output
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")
    assert kpis["source_file"].tolist() == ["good.xlsx"]
    # the sales rows alone had every amount empty, exit 0: left out too
    sales = CliRunner().invoke(main, ["export", str(renamed), str(good), "-o",
                                      str(tmp_path / "s"), "--tables", "sales"])
    assert sales.exit_code == 2 and "renamed.xlsx" in sales.output
    rows = pd.read_csv(tmp_path / "s" / "sales.csv", encoding="utf-8-sig")
    assert set(rows["source_file"]) == {"good.xlsx"}
    targets = CliRunner().invoke(main, ["export", str(renamed), "-o", str(tmp_path / "t"),
                                        "--tables", "targets"])
    assert targets.exit_code == 0, targets.output


@pytest.mark.parametrize(("edit", "said"), [
    (None, "no_period.xlsx has no period: fill in 'Period type' (Month/Quarter/Year) and "
           "'Period start' (e.g. 2026-10-01) on the 'Info' sheet."),
    ("Bimonthly", "Info!C5: 'Period type' must be one of")])
def test_a_book_whose_period_cannot_be_read_is_left_out_with_why(sample_books, tmp_path,
                                                                 edit, said):
    """A book with its period start cleared (or a period type 双月) was missing from kpis
    while its sales rows went out with no period, exit 0: finance's kpis had one row per
    book but one. It is left out of every table, named with the reason `kpis` gives, and
    the export exits 2."""
    book = tmp_path / "no_period.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    if edit is None:
        wb["Info"]["C6"] = None
    else:
        wb["Info"]["C5"] = edit
    wb.save(book)
    good = tmp_path / "good.xlsx"
    shutil.copy(sample_books["zh"], good)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(book), str(good), "-o", str(out),
                                       "--tables", "kpis,kpis_by_rep,sales"])
    assert result.exit_code == 2, result.output
    assert "exported 1 of 2 workbooks" in result.output
    left = [line for line in result.stderr.splitlines() if "no_period.xlsx" in line]
    assert left and said in left[-1], result.output
    assert "Traceback" not in result.output
    for name in ("kpis", "kpis_by_rep", "sales"):
        rows = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        assert set(rows["source_file"]) == {"good.xlsx"}, name
        assert rows["report_period"].notna().all(), name


def test_a_folder_or_pattern_giving_no_workbook_exits_2_as_consolidate(sample_books,
                                                                       tmp_path):
    """An empty folder or a pattern matching nothing beside the books exited 0 (a note
    alone), where consolidate exits 2: finance's script took a month with a team
    missing as complete. The others are exported, each such entry named at the end, and
    an .xls in a folder is a workbook left out; a .csv beside the books is only named."""
    team, empty = tmp_path / "team", tmp_path / "empty"
    team.mkdir()
    empty.mkdir()
    shutil.copy(sample_books["en"], team / "a.xlsx")
    (team / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    clean = runner.invoke(main, ["export", str(team), "-o", str(out), "--tables", "kpis"])
    assert clean.exit_code == 0, clean.output  # the .csv: named, not a workbook missing
    assert "notes.csv" in clean.stderr
    for extra in (str(empty), str(tmp_path / "nomatch*.xlsx")):
        result = runner.invoke(main, ["export", str(team), extra, "-o", str(out),
                                      "--tables", "kpis"])
        assert result.exit_code == 2, result.output
        tail = result.stderr.split("these gave no workbook to export")[-1]
        assert extra in tail, result.output
        assert pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")[
            "source_file"].tolist() == ["a.xlsx"]
    (team / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(main, ["export", str(team), "-o", str(out), "--tables", "kpis"])
    assert result.exit_code == 2, result.output
    assert "exported 1 of 2 workbooks" in result.stderr and "save it as .xlsx" in result.stderr


def test_a_table_that_cannot_be_replaced_leaves_every_file_as_it_was(sample_books, tmp_path,
                                                                     monkeypatch):
    """With sales.csv open in Excel (it cannot be replaced), kpis.csv was replaced by the
    new export while sales.csv and targets.csv kept the old one, and the message said the
    file was not changed: finance got two exports mixed. Now all tables are written or
    none, and the message names the file to close."""
    import os

    from xlsales import files

    out = tmp_path / "out"
    tables = ["--tables", "kpis,sales,targets"]
    first = CliRunner().invoke(main, ["export", str(sample_books["zh"]), "-o", str(out),
                                      *tables])
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    held = out / "sales.csv"
    real = os.replace

    def replace(src, dst):
        if held in (Path(src), Path(dst)):  # as a file open in Excel on Windows
            raise PermissionError(13, "Permission denied", str(held))
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    result = CliRunner().invoke(main, ["export", str(sample_books["en"]), "-o", str(out),
                                       *tables])
    assert result.exit_code == 2, result.output
    assert f"Cannot replace {held}: Permission denied" in result.output
    assert "close it and export again; none of the output files was changed" in result.output
    assert f"无法替换 {held}" in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary left


def test_earlier_exports_in_the_folder_exported_are_not_taken_for_workbooks(sample_books,
                                                                            tmp_path):
    """`export team -o team --format xlsx`, then `export team -o team --format csv`: the
    first run's kpis.xlsx was read as a broken workbook ("lacks these sheets … copy them
    from a new template"), exit 2. Tables xlsales export wrote (marked in the xlsx's
    properties; a CSV by its columns) are named as such and not read."""
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(sample_books["en"], team / "a.xlsx")
    runner = CliRunner()
    first = runner.invoke(main, ["export", str(team), "-o", str(team), "--format", "xlsx",
                                 "--tables", "kpis,targets"])
    assert first.exit_code == 0, first.output
    for fmt in ("csv", "xlsx"):  # other tables: kpis.xlsx is no output of this run
        result = runner.invoke(main, ["export", str(team), "-o", str(team), "--format", fmt,
                                      "--tables", "kpis,sales" if fmt == "csv" else "sales"])
        assert result.exit_code == 0, result.output
        assert f"not read {team / 'kpis.xlsx'}: a table xlsales export wrote" in result.stderr
        assert "template" not in result.output
        if fmt == "csv":  # the xlsx run, of sales alone, removes it (tests/test_export_manifest)
            assert pd.read_csv(team / "kpis.csv", encoding="utf-8-sig")[
                "source_file"].tolist() == ["a.xlsx"]
    assert f"not read {team / 'kpis.csv'}: a table xlsales export wrote" in result.stderr
    assert "xlsales import takes it into one" not in result.stderr
    assert openpyxl.load_workbook(team / "kpis.xlsx").properties.keywords == "xlsales export"


def test_a_copy_or_an_older_version_in_the_folder_is_set_aside_as_consolidate_does(
        sample_books, risky_book, tmp_path):
    """`李娜 (1).xlsx` beside `李娜.xlsx` in a folder was exported twice (an extra kpis
    row, its revenue summed twice, exit 0) while consolidate sets it aside. Now the same
    rule: a copy and the older of two versions are set aside and named, exit 0 (their
    rows are exported once, through the other book); last month's book of the same rep
    is no version of this month's."""
    import os

    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(sample_books["en"], team / "east.xlsx")
    shutil.copy(sample_books["en"], team / "east (1).xlsx")
    shutil.copy(risky_book[0], team / "other.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(team), "-o", str(out), "--tables",
                                       "kpis,sales"])
    assert result.exit_code == 0, result.output
    assert (f"set aside {team / 'east (1).xlsx'}: every one of its orders is in east.xlsx "
            "too") in result.stderr
    kpis = pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")
    assert kpis["source_file"].tolist() == ["east.xlsx", "other.xlsx"]
    sales = pd.read_csv(out / "sales.csv", encoding="utf-8-sig")
    assert set(sales["source_file"]) == {"east.xlsx", "other.xlsx"}

    (team / "east (1).xlsx").unlink()  # a later version: one amount corrected
    wb = openpyxl.load_workbook(sample_books["en"])
    sheet = wb["Sales"]
    header = int(sheet.tables["Sales"].ref.split(":")[0][1:])
    amount = next(c.column for c in sheet[header] if c.value == "Amount")
    sheet.cell(header + 1, amount).value = 123456
    wb.save(team / "east_v2.xlsx")
    os.utime(team / "east.xlsx", (1, 1))
    result = CliRunner().invoke(main, ["export", str(team), "-o", str(out), "--tables",
                                       "kpis"])
    assert result.exit_code == 0, result.output
    assert f"set aside {team / 'east.xlsx'}: two versions of" in result.stderr
    assert pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")["source_file"].tolist() == [
        "east_v2.xlsx", "other.xlsx"]

    (team / "east_v2.xlsx").unlink()  # September's book: the same orders, kept
    wb = openpyxl.load_workbook(sample_books["en"])
    wb["Info"]["C6"] = datetime(2026, 9, 1)
    wb.save(team / "east_september.xlsx")
    result = CliRunner().invoke(main, ["export", str(team), "-o", str(out), "--tables",
                                       "kpis"])
    assert result.exit_code == 0 and "set aside" not in result.stderr, result.output
    assert pd.read_csv(out / "kpis.csv", encoding="utf-8-sig")["report_period"].tolist() == [
        "2026-10", "2026-09", "2026-10"]


def test_kpis_say_which_books_differ_from_their_own_kpi_sheet(sample_books, tmp_path):
    """A won amount typed as text ('40,680') is counted by xlsales but not by the book's
    KPI sheet: finance's kpis row and the rep's KPI sheet gave two revenues, exit 0, with
    nothing to tell which books. The kpis table counts such warnings
    (kpi_sheet_differs) and stderr names the book and what to run."""
    book = tmp_path / "text_amount.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    sheet = wb["Sales"]
    header = int(sheet.tables["Sales"].ref.split(":")[0][1:])
    amount = next(c.column for c in sheet[header] if c.value == "Amount")
    sheet.cell(header + 1, amount).value = "40,680"
    wb.save(book)
    clean = tmp_path / "clean.xlsx"
    shutil.copy(sample_books["zh"], clean)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(book), str(clean), "-o", str(out),
                                       "--tables", "kpis", "--format", "parquet"])
    assert result.exit_code == 0, result.output
    kpis = pd.read_parquet(out / "kpis.parquet").set_index("source_file")
    assert kpis.loc["text_amount.xlsx", "kpi_sheet_differs"] == 1
    assert kpis.loc["clean.xlsx", "kpi_sheet_differs"] == 0
    assert str(kpis["kpi_sheet_differs"].dtype) == "int64"
    notes = [line for line in result.stderr.splitlines() if "KPI sheet" in line]
    assert len(notes) == 1 and notes[0].startswith(
        "[export] note: text_amount.xlsx has 1 warning of values or rows its own KPI sheet "
        "does not count"), result.stderr
    assert f"xlsales validate {book}" in notes[0]


def test_an_earlier_exports_other_tables_are_named_not_left_silently(sample_books,
                                                                      tmp_path):
    """Exporting kpis,sales then kpis alone into one folder left sales.csv of the first
    run beside the new kpis.csv without a word: finance read two months' figures as one
    export. An earlier export's table of other workbooks is kept (it may be wanted) and
    named on stderr; a file xlsales did not write is neither named nor touched; exit 0.
    (Of the same workbooks it is removed: tests/test_export_manifest.py.)"""
    out = tmp_path / "out"
    runner = CliRunner()
    other = tmp_path / "other.xlsx"
    shutil.copy(sample_books["zh"], other)
    assert runner.invoke(main, ["export", str(other), "-o", str(out),
                                "--tables", "kpis,sales"]).exit_code == 0
    (out / "mine.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not an export's
    result = runner.invoke(main, ["export", str(sample_books["en"]), "-o", str(out),
                                  "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert (f"note: {out} also holds sales.csv from an earlier export, not written now"
            in result.stderr), result.stderr
    assert "mine.csv" not in result.stderr and (out / "sales.csv").exists()
    assert (out / "mine.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_a_copy_given_by_name_is_exported_with_a_note(sample_books, tmp_path):
    """Files named one by one were chosen: a copy among them is exported (and said to
    count twice), where one found in a folder is set aside."""
    copy = tmp_path / "east (1).xlsx"
    shutil.copy(sample_books["en"], copy)
    result = CliRunner().invoke(main, ["export", str(sample_books["en"]), str(copy), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert f"note: {copy} was given by name and is exported, but every one of its orders" \
        in result.stderr
    assert len(pd.read_csv(tmp_path / "out" / "kpis.csv", encoding="utf-8-sig")) == 2


def test_every_rule_of_what_the_kpi_sheet_leaves_out_is_counted_as_a_difference():
    """`kpi_sheet_differs` counts the rules listed once in the findings catalogue; a new
    '… not counted' rule (spaces around a choice, a time on a month's last day) added
    without it would leave finance a 0 where the book's KPI sheet differs."""
    from xlsales.findings import KPI_SHEET_BLIND, RULES

    assert {r for r in RULES if r.endswith("_not_counted")} <= KPI_SHEET_BLIND <= set(RULES)


def test_a_corrected_book_beside_the_rollup_of_its_older_version_is_said_not_set_aside(
        tmp_path):
    """A rep's book with an amount corrected after the team was rolled up, exported with
    the team's roll-up: export set it aside as 'held already' (exit 0) and finance got the
    old figure; consolidate calls it another version (exit 2). Now export does too."""
    from xlsales.sample import SAMPLE_PERIOD, sample_members
    from xlsales.workbook_data import BuildOptions

    team, out = tmp_path / "team", tmp_path / "with_rollup"
    team.mkdir()
    out.mkdir()
    for rep, data in list(sample_members("zh").items())[:2]:
        build_workbook(team / f"{rep}.xlsx", BuildOptions(lang="zh", period=SAMPLE_PERIOD,
                                                          owner=rep), data)
    rolled = CliRunner().invoke(main, ["consolidate", str(team), "-o",
                                       str(out / "team.xlsx"), "--no-plan"])
    assert rolled.exit_code == 0, rolled.output
    rep = next(team.glob("*.xlsx"))
    wb = openpyxl.load_workbook(rep)
    sheet = next(ws for ws in wb if "Sales" in ws.tables)
    header = int(sheet.tables["Sales"].ref.split(":")[0][1:])
    amount = next(c.column for c in sheet[header] if c.value == "金额")
    sheet.cell(header + 1, amount).value = 123456  # corrected since the roll-up
    wb.save(out / rep.name)
    result = CliRunner().invoke(main, ["export", str(out), "-o", str(tmp_path / "x"),
                                       "--tables", "kpis"])
    assert result.exit_code == 2, result.output
    assert "是本工作簿的另一个版本" in result.stderr and "holds it already" not in result.stderr
    shutil.copy(rep, out / rep.name)  # the very book the roll-up holds: set aside, exit 0
    same = CliRunner().invoke(main, ["export", str(out), "-o", str(tmp_path / "y"),
                                     "--tables", "kpis"])
    # said in the book's language (Chinese), as every note of one book is
    assert same.exit_code == 0 and "team.xlsx 已包含它" in same.stderr, same.output


def test_a_copy_in_another_folder_of_the_same_name_is_named_with_its_folder(sample_books,
                                                                           tmp_path):
    """'set aside north/east.xlsx: every one of its orders is in east.xlsx too' read as
    the book being in itself; the other is named with its folder, as consolidate does."""
    for folder in ("north", "south"):
        (tmp_path / folder).mkdir()
        shutil.copy(sample_books["en"], tmp_path / folder / "east.xlsx")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "north"),
                                       str(tmp_path / "south"), "-o", str(tmp_path / "out"),
                                       "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert "every one of its orders is in north/east.xlsx too" in result.stderr


def test_the_summary_counts_the_books_set_aside_among_those_given(sample_books, tmp_path):
    """A folder of a book, its copy and a damaged file said 'exported 1 of 2 workbooks':
    the copy set aside was not counted among those given, so the numbers did not add up
    to what the user put in the folder."""
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(sample_books["en"], team / "east.xlsx")
    shutil.copy(sample_books["en"], team / "east (1).xlsx")
    (team / "broken.xlsx").write_bytes(sample_books["en"].read_bytes()[:5000])
    result = CliRunner().invoke(main, ["export", str(team), "-o", str(tmp_path / "out"),
                                       "--tables", "kpis", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert ("exported 1 of 3 workbooks; 1 set aside (their rows are in another book "
            "given), 1 cannot be used and was left out:") in result.stderr
    result = CliRunner().invoke(main, ["export", str(team), "-o", str(tmp_path / "out"),
                                       "--tables", "kpis", "--lang", "zh"])
    assert "导出 3 个工作簿中的 1 个，1 个的数据已在其他工作簿中、未重复导出，1 个无法使用" \
        in result.stderr


def test_progress_names_same_named_books_by_folder_and_zh_says_what_it_wrote(
        sample_books, tmp_path):
    """Two months' 王芳.xlsx in oct/ and nov/ showed as `[export] 1/2 王芳.xlsx` twice; and
    with --lang zh the files written were still said in English."""
    for month in ("oct", "nov"):
        (tmp_path / month).mkdir()
        shutil.copy(sample_books["zh"], tmp_path / month / "王芳.xlsx")
    (tmp_path / "oct" / "王芳.xlsx").touch()
    result = CliRunner().invoke(main, ["export", str(tmp_path / "oct" / "王芳.xlsx"),
                                       str(tmp_path / "nov" / "王芳.xlsx"), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis", "--lang",
                                       "zh"])
    assert "[export] 1/2 oct/王芳.xlsx" in result.stderr, result.stderr
    assert "[export] 2/2 nov/王芳.xlsx" in result.stderr
    assert f"已写入 {tmp_path / 'out' / 'kpis.csv'}（" in result.stdout, result.stdout
