"""An error about a book converted to Traditional Chinese, said in its script: what a
reader finds wrong with the book's tables (a table missing, a header it cannot place)
before the book is read whole, in the script its sheet names are written in, as what
the commands print once it is read (:mod:`xlsales.terminal_script`). The user's text in
it (the file's name, its sheet names, the values it quotes) stays as typed. A damaged
file whose list of sheets can still be read (a part of it cut or garbled) is told by
those names; one that shows none (cut short, not a workbook) stays in the spec's
Simplified."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from xlsales.errors import XlsalesError
from xlsales.script_variant import OwnText, Script

E = TypeVar("E", bound=XlsalesError)
#: The most of a damaged file's workbook.xml read for its sheet names (a bomb stays shut).
_WORKBOOK_XML_MAX = 1 << 20
#: The largest damaged file whose list of parts is opened for them: a refused file's
#: directory may be built to be huge (a part listed a million times), so a small one.
_FILE_MAX = 5 << 20
_SHEET_NAME = re.compile(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def in_book_script(error: E, script: Script | None, keep: Iterable[object]) -> E:
    """``error`` with its Chinese (and the Chinese names its English gives: a sheet's)
    written in ``script`` (None: as it is), keeping the strings of ``keep`` and the
    values it quotes ('一百') as they are; the same object, so its type, exit code and
    traceback stay."""
    if script is None:
        return error
    from xlsales.terminal_script import quoted

    own = OwnText(script).keeping(keep)
    error.zh = own(error.zh, quoted([error.zh]))
    error.en = own(error.en, quoted([error.en]))  # the sheets it names as the book does
    error.script = script  # the CLI's 錯誤 label too
    return error


def sheet_names(path: Path) -> list[str]:
    """The sheet names ``path``'s workbook.xml lists, read as far as the file allows
    (at most :data:`_WORKBOOK_XML_MAX` bytes of it, of a file of at most
    :data:`_FILE_MAX`); none when it cannot be read."""
    from html import unescape

    try:
        if path.stat().st_size > _FILE_MAX:
            return []
        with zipfile.ZipFile(path) as zf, zf.open("xl/workbook.xml") as part:
            text = part.read(_WORKBOOK_XML_MAX).decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, RuntimeError, ValueError,
            EOFError):  # whatever keeps a damaged file from showing them
        return []
    return [unescape(n) for n in _SHEET_NAME.findall(text)]


def in_named_books_script(error: E, path: Path) -> E:
    """``error``, about the file ``path`` that could not be read, in the script of the
    sheet names it still lists (:func:`sheet_names`), as :func:`in_book_script`."""
    from xlsales.script_variant import book_script

    names = sheet_names(path)
    return in_book_script(error, book_script(names) if names else None,
                          [path, path.name, *names])
