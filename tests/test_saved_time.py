"""Writing into a workbook records now as its last-saved time, as Excel, WPS and
LibreOffice do on saving: ``consolidate`` tells a rep's current book from an older copy
of it by that time, so a book xlsales wrote into (rows imported) is the newer one, and
the manager is never told to move the current book out of the folder."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from table_edits import saved_on
from test_import import write_csv

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.rollup_saved_times import saved_inside
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions


def test_a_book_imported_into_is_newer_than_last_weeks_copy(tmp_path):
    rep, data = next(iter(sample_members("en").items()))
    team = tmp_path / "team"
    team.mkdir()
    book = team / "alice.xlsx"
    build_workbook(book, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), data)
    saved_on(book, "2026-10-20T09:00:00Z")  # saved in Excel a while ago
    week1 = team / "alice_week1.xlsx"  # last week's copy, saved again in Excel since
    shutil.copy2(book, week1)
    saved_on(week1, "2026-10-25T09:00:00Z")
    export = write_csv(tmp_path / "crm.csv", ["Order ID", "Date", "Rep", "Customer", "Amount",
                                              "Stage"],
                       [["IM-1", "2026-10-28", rep, "Acme", "5000", "Won"]])
    result = CliRunner().invoke(main, ["import", str(export), "--into", str(book)])
    assert result.exit_code == 0, result.output
    assert saved_inside(book) > saved_inside(week1)  # imported now: saved now
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(team), "-o", str(out)])
    assert f"left out {week1.name}" in result.output, result.output
    assert f"left out {book.name}" not in result.output, result.output
