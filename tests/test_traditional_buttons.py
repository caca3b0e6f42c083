# ruff: noqa: F811  (the fixture imported from the module that defines it)
"""A macro-enabled workbook (.xlsm) started from a Traditional book (``new --from``) has
its buttons captioned in Traditional (校驗資料, not 校验数据), and the note under them and
the xlwings.conf sheet's notes too; its VBA project is the one of ``vba/`` (ASCII: every
message comes from Python), as oletools reads it in any .xlsm."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from opencc import OpenCC
from test_traditional_output import taiwan_book  # noqa: F401  (a fixture)
from test_xlsm import exported_text, olevba_modules

from xlsales.build.macros import ACTIONS, BUTTON_NOTE, VBA_DIR
from xlsales.build.xlwings_conf import CONF_SHEET, NOTES
from xlsales.cli import main

TO_TWP = OpenCC("s2twp").convert


def _invoke(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _captions(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        vml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith("xl/drawings/") and n.endswith(".vml"))
    return {c.strip() for c in re.findall(r"<font[^>]*>([^<]+)</font>", vml)}


def test_a_traditional_books_next_xlsm_has_traditional_buttons(taiwan_book: Path,
                                                               tmp_path: Path) -> None:
    _invoke("plan", taiwan_book)
    out = tmp_path / "next.xlsm"
    _invoke("new", "--from", taiwan_book, "-o", out)
    captions = _captions(out)
    simplified = {a.caption.zh for a in ACTIONS.values()}
    assert captions == {TO_TWP(c) for c in simplified}, captions
    assert "校驗資料" in captions and not captions & simplified
    wb = openpyxl.load_workbook(out)
    texts = {c for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)}
    assert TO_TWP(BUTTON_NOTE.zh) in texts and BUTTON_NOTE.zh not in texts
    notes = [r[0] for r in wb[CONF_SHEET].iter_rows(values_only=True) if r[0]]
    assert TO_TWP(NOTES["zh"][1]) in notes and NOTES["zh"][1] not in notes
    modules = olevba_modules(out)
    for source in VBA_DIR.glob("*.bas"):  # the VBA as vba/ holds it, in any script
        assert exported_text(source).strip() in modules[source.stem].strip()


def test_a_buttons_message_in_a_traditional_book_is_traditional(tmp_path: Path) -> None:
    """The message a button shows (status bar, message box) in a Traditional book: 校驗完成,
    not 校验完成; the sheet it names as the book names it."""
    from test_excel_macros import build_small, payload_of, run_button
    from traditional_books import convert_workbook

    import xlsales.excel.macros as m

    book = tmp_path / "tw.xlsx"
    convert_workbook(build_small(tmp_path / "team.xlsx"), book, "s2twp")
    message, _ = run_button(payload_of(book), m.validate)
    assert message.startswith("校驗完成："), message
    assert TO_TWP(message) == message, message
    plain, _ = run_button(payload_of(build_small(tmp_path / "plain.xlsx")), m.validate)
    assert plain.startswith("校验完成：")  # a Simplified book's as it was
