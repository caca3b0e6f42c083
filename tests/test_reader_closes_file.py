"""Where python-calamine is missing (xlwings Lite under Pyodide, a platform without its
wheel) cells are read by openpyxl, whose read-only workbook holds the file open until it
is closed. Every command that reads cells and then replaces the file (validate --write
reading the earlier validation sheet, plan reading the earlier plan sheets, kpis --write
its earlier report sheet and the KPI sheet's units) closes what
it opened: on Windows an open file cannot be replaced by the atomic save."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.io import cells

opened: dict[int, bool] = {}  # id of each openpyxl reader made → closed


@pytest.fixture
def openpyxl_only(monkeypatch):
    """python-calamine missing; the real openpyxl reader, remembering what it opened."""
    made, close = cells.OpenpyxlReader.__init__, cells.OpenpyxlReader.close

    def no_calamine(self, path: Path) -> None:
        raise ImportError("python-calamine is not installed")

    def counted(self, path: Path) -> None:
        made(self, path)
        opened[id(self)] = False

    def closed(self) -> None:
        close(self)
        opened[id(self)] = True

    monkeypatch.setattr(cells.CalamineReader, "__init__", no_calamine)
    monkeypatch.setattr(cells.OpenpyxlReader, "__init__", counted)
    monkeypatch.setattr(cells.OpenpyxlReader, "close", closed)
    opened.clear()


def test_validate_and_plan_again_close_every_file_they_read(sample_books, tmp_path,
                                                             openpyxl_only):
    book = tmp_path / "book.xlsx"
    shutil.copy(sample_books["en"], book)
    runner = CliRunner()
    for args in (["validate", str(book), "--write"], ["validate", str(book), "--write"],
                 ["plan", str(book)], ["plan", str(book), "--force"],
                 ["kpis", str(book), "--write"], ["kpis", str(book), "--write"]):
        before = len(opened)
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 1), result.output
        assert len(opened) > before, args  # read by openpyxl indeed
        assert all(opened.values()), args
