"""Finance knows what every exported column holds: each column's meaning (zh and en) is
declared once — a workbook column's help, a KPI's definition, the export's own columns
in the export schema — and reaches the README's reference, the xlsx export's ``columns``
sheet (read back by LibreOffice) and the parquet fields' metadata."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import openpyxl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import REPO, require_libreoffice

from xlsales.cli import main
from xlsales.export_docs import MissingMeaning, column_meaning, meaning_rows, reference_markdown
from xlsales.export_schema import EXPORTS, export_columns
from xlsales.spec import SPEC


@pytest.mark.parametrize("name", list(EXPORTS))
def test_every_column_of_every_export_table_says_what_it_holds(name):
    """A finance analyst reading ``report_period``, ``weighted_pipeline`` or
    ``collected`` finds one sentence in each language; an amount names its currency."""
    for column in export_columns(name):
        meaning = column_meaning(name, column)
        assert meaning.zh.strip() and meaning.en.strip(), (name, column)
        assert len(meaning.en) > len(column), (name, column)
    source = EXPORTS[name]
    if source is not None:  # each spec column exported has its own help, not only a type
        table = SPEC.table(source)
        assert all(table.column(c).help is not None for c in export_columns(name)
                   if c in table.key_set), name
    money = [c for c in export_columns(name) if source and c in SPEC.table(source).key_set
             and SPEC.table(source).column(c).type.value == "money"]
    money += [k.key for k in SPEC.kpis if source is None and k.unit == "money"]
    for column in money:
        assert "report_currency" in column_meaning(name, column).en, (name, column)


def test_a_column_added_without_its_meaning_is_refused():
    """Adding a column to a table finance gets forces its documentation."""
    from xlsales.export_docs import spec_column_meaning

    bare = replace(SPEC.table("Sales").column("amount"), key="discount", help=None)
    with pytest.raises(MissingMeaning):
        spec_column_meaning(bare)
    with pytest.raises(MissingMeaning):
        column_meaning("sales", "discount")


def test_the_kpi_columns_say_their_definition_and_unit():
    """A KPI column's meaning is the KPI sheet's 口径, then its unit and when it is empty."""
    weighted = column_meaning("kpis", "weighted_pipeline")
    kpi = next(k for k in SPEC.kpis if k.key == "weighted_pipeline")
    assert weighted.zh.startswith(kpi.definition.zh) and "report_currency" in weighted.en
    assert "0.25 is 25 %" in column_meaning("kpis_by_rep", "win_rate").en
    assert "Empty when the divisor is 0" in column_meaning("kpis", "aov").en
    assert column_meaning("kpis_by_member", "member") != column_meaning("sales", "member")


def test_readme_finance_reference_is_the_generated_one():
    """The README's column reference equals what the code generates from the spec."""
    from xlsales.export_docs import update_readme

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stale = "the spec changed, regenerate: python -m xlsales.export_docs README.md"
    assert reference_markdown() in readme, stale
    assert update_readme(readme) == readme, stale
    assert "`weighted_pipeline`" in reference_markdown()


def test_xlsx_export_carries_a_columns_sheet_libreoffice_reads(sample_books, tmp_path):
    """The xlsx export's second sheet, ``columns``, lists each column of the table with
    its type and meaning in en and zh; LibreOffice opens the file and reads both sheets,
    the table's still first."""
    require_libreoffice()
    import python_calamine

    from xlsales.libreoffice import recalculate

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["en"]), "--format", "xlsx",
                                       "--tables", "kpis,sales", "-o", str(out)])
    assert result.exit_code == 0, result.output
    saved = recalculate(out / "sales.xlsx", tmp_path / "lo")
    for book in (out / "sales.xlsx", saved):
        wb = python_calamine.CalamineWorkbook.from_path(str(book))
        assert wb.sheet_names == ["sales", "columns"]
        header = list(wb.get_sheet_by_name("sales").to_python()[0])
        rows = wb.get_sheet_by_name("columns").to_python()
        assert list(rows[0]) == ["column", "type", "meaning", "含义"]
        assert [tuple(r) for r in rows[1:]] == meaning_rows("sales")
        assert [r[0] for r in rows[1:]] == header
        amount = next(r for r in rows if r[0] == "amount")
        assert "report_currency" in amount[2] and "report_currency" in amount[3]
    # each row as tall as its wrapped meaning: a spreadsheet does not fit the height
    # itself, and LibreOffice showed the lines of two rows over each other
    sheet = openpyxl.load_workbook(out / "sales.xlsx")["columns"]
    widths = {sheet.cell(1, j).value: sheet.column_dimensions[chr(64 + j)].width
              for j in range(1, 5)}
    for i, (_, _, en, zh) in enumerate(meaning_rows("sales"), 2):
        shown = sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in zh)
        lines = max(len(en) / widths["meaning"], shown / widths["含义"])
        assert (sheet.row_dimensions[i].height or 15) >= 15 * lines * 0.9, (i, en)


def test_parquet_fields_carry_their_meaning(sample_books, tmp_path):
    """Each parquet field's metadata says what it holds (``description``, and
    ``description_zh``), as pyarrow reads it back."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]), "--format",
                                       "parquet", "--tables", "kpis,targets", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("kpis", "targets"):
        schema = pq.read_schema(out / f"{name}.parquet")
        for field in schema:
            meaning = column_meaning(name, field.name)
            assert field.metadata[b"description"].decode() == meaning.en
            assert field.metadata[b"description_zh"].decode() == meaning.zh
    assert pq.read_table(out / "kpis.parquet").num_rows == 1


def test_the_readme_regenerator_has_help_and_says_what_is_wrong_without_a_traceback(tmp_path):
    """`python -m xlsales.export_docs --help` prints its usage; a missing file or one
    without the markers is one bilingual message and exit 2, the file left as it was;
    the README is rewritten as it stands."""
    import subprocess
    import sys

    def run(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "xlsales.export_docs", *map(str, args)],
                              capture_output=True, text=True, cwd=REPO, timeout=120)

    shown = run("--help")
    assert shown.returncode == 0 and "README.md" in shown.stdout, shown.stderr
    plain = tmp_path / "notes.md"
    plain.write_text("no markers here\n", encoding="utf-8")
    for path in (plain, tmp_path / "missing.md"):
        failed = run(path)
        assert failed.returncode == 2 and "Traceback" not in failed.stderr, failed.stderr
        assert failed.stderr.startswith("错误 / Error: ") and str(path) in failed.stderr
    assert plain.read_text(encoding="utf-8") == "no markers here\n"
    copy = tmp_path / "README.md"
    copy.write_text((REPO / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert run(copy).returncode == 0
    assert copy.read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")
