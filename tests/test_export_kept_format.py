"""An export in xlsx, then the same table in csv: the earlier ``kpis.xlsx`` is kept (both
formats may be wanted) and named on stderr. The note gave as reasons only "of other
workbooks, changed since or could not be removed" — none of them true here, so the
analyst went looking for an edit that never happened. It now says the file is another
format of a table written now."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from xlsales.cli import main


def _export(book, out, *args):
    result = CliRunner().invoke(main, ["export", str(book), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


def test_a_table_kept_in_another_format_is_said_to_be_one(sample_books, tmp_path):
    book = tmp_path / "team.xlsx"
    shutil.copy(sample_books["en"], book)
    out = tmp_path / "out"
    _export(book, out, "--tables", "kpis", "--format", "xlsx")
    english = _export(book, out, "--tables", "kpis", "--lang", "en").stderr
    assert f"note: {out} also holds kpis.xlsx from an earlier export" in english, english
    assert "another format of a table written now" in english, english
    chinese = _export(book, out, "--tables", "kpis", "--lang", "zh").stderr
    assert f"注意：{out} 中还有以前导出的 kpis.xlsx" in chinese, chinese
    assert "本次所写的表的另一种格式" in chinese, chinese
