"""Re-exporting the same workbooks into one folder with other ``--tables`` (or another
``--format``) left the earlier run's tables there: a finance script pulling the folder took
October's ``sales.csv`` beside November's ``kpis.csv`` (stderr, which said so, is not what a
script reads). The export now writes ``export_manifest.json`` (the workbooks, each table's
file, rows and SHA-256), and removes the tables an earlier export of the same workbooks
wrote and this one does not — only those still as xlsales wrote them. A file xlsales did
not write, one edited since and one of other workbooks stay."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.export_manifest import MANIFEST


def _export(book, out, *args):
    result = CliRunner().invoke(main, ["export", str(book), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture()
def book(sample_books, tmp_path):
    path = tmp_path / "team.xlsx"
    shutil.copy(sample_books["en"], path)
    return path


def test_a_table_of_the_same_books_not_exported_again_is_removed(book, tmp_path):
    out = tmp_path / "out"
    _export(book, out, "--tables", "kpis,sales")
    (out / "mine.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = _export(book, out, "--tables", "kpis", "--lang", "en")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "kpis.csv", "mine.csv"]
    assert (f"removed sales.csv from {out}: an earlier export of the same workbooks wrote "
            "them" in result.stderr), result.stderr
    assert "also holds" not in result.stderr
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["workbooks"] == [str(book.resolve())] and manifest["format"] == "csv"
    assert [(t["file"], t["rows"]) for t in manifest["tables"]] == [("kpis.csv", 1)]


def test_in_another_format_a_table_not_exported_again_is_removed(book, tmp_path):
    """csv of kpis and targets, then xlsx of kpis: targets.csv goes (this export has no
    targets); kpis.csv stays, named, as a second format of a table exported may be wanted."""
    out = tmp_path / "out"
    _export(book, out, "--tables", "kpis,targets")
    result = _export(book, out, "--tables", "kpis", "--format", "xlsx", "--lang", "zh")
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "kpis.csv", "kpis.xlsx"]
    assert f"已删除 {out} 中的 targets.csv" in result.stderr, result.stderr
    assert f"注意：{out} 中还有以前导出的 kpis.csv" in result.stderr, result.stderr


def test_a_table_edited_since_is_kept_and_named(book, tmp_path):
    out = tmp_path / "out"
    _export(book, out, "--tables", "kpis,sales")
    with open(out / "sales.csv", "a", encoding="utf-8") as f:
        f.write("an analyst's own line\n")
    result = _export(book, out, "--tables", "kpis", "--lang", "en")
    assert (out / "sales.csv").read_text(encoding="utf-8").endswith("an analyst's own line\n")
    assert f"note: {out} also holds sales.csv from an earlier export" in result.stderr
    assert "removed sales.csv" not in result.stderr


def test_a_table_of_other_books_is_kept(book, sample_books, tmp_path):
    out = tmp_path / "out"
    _export(sample_books["zh"], out, "--tables", "kpis,sales")
    before = (out / "sales.csv").read_bytes()
    result = _export(book, out, "--tables", "kpis", "--lang", "en")
    assert (out / "sales.csv").read_bytes() == before
    assert "also holds sales.csv from an earlier export" in result.stderr


def test_the_same_export_again_gives_the_same_bytes(book, tmp_path):
    """No time in the manifest: an unchanged export is byte for byte the same."""
    out = tmp_path / "out"
    _export(book, out, "--tables", "kpis,targets")
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    _export(book, out, "--tables", "kpis,targets")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
