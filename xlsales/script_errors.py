"""An error about a book converted to Traditional Chinese, said in its script: what a
reader finds wrong with the book's tables (a table missing, a header it cannot place)
before the book is read whole, in the script its sheet names are written in, as what
the commands print once it is read (:mod:`xlsales.terminal_script`). The user's text in
it (the file's name, its sheet names, the values it quotes) stays as typed. A file that
cannot be opened at all (damaged, not a workbook) shows no sheet names to tell its script
by: its errors stay in the spec's Simplified."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from xlsales.errors import XlsalesError
from xlsales.script_variant import OwnText, Script

E = TypeVar("E", bound=XlsalesError)


def in_book_script(error: E, script: Script | None, keep: Iterable[object]) -> E:
    """``error`` with its Chinese (and the Chinese names its English gives: a sheet's)
    written in ``script`` (None: as it is), keeping the
    strings of ``keep`` and the values it quotes ('一百') as they are; the same object,
    so its type, exit code and traceback stay."""
    if script is None:
        return error
    from xlsales.terminal_script import quoted

    own = OwnText(script).keeping(keep)
    error.zh = own(error.zh, quoted([error.zh]))
    error.en = own(error.en, quoted([error.en]))  # the sheets it names as the book does
    error.script = script  # type: ignore[attr-defined]  # the CLI's 錯誤 label too
    return error
