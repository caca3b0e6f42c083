"""Progress lines on stderr in the language the rest of the command speaks: the one its
errors are said in first (:func:`~xlsales.cli_group.errors_in`) — ``--lang`` when given,
else the book's once it is read, in the book's script — or, before any of these is known,
both (Chinese first), as an error said then is: about a workbook not read yet, in the
script of its sheet names (a Traditional book's Chinese in Traditional)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlsales.cli_group import noted_language
from xlsales.cli_notes import progress
from xlsales.script_variant import OwnText


def step_text(tag: str, zh: str, en: str, keep: Iterable[object] = (),
              book: Path | None = None) -> str:
    """``[tag] zh`` or ``[tag] en`` in the running command's language, or ``[tag] zh /
    en`` when none is known yet; ``keep``: the user's strings ``zh`` quotes (file names),
    left as typed when a Traditional book's Chinese is written in Traditional; ``book``:
    the workbook about to be read, whose sheet names say the script before it is."""
    lang, own = noted_language()
    if own is None and book is not None and book.suffix.lower() in (".xlsx", ".xlsm"):
        own = _named_script(book)
    if own is not None:
        zh = own(zh, keep)
    said = zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"
    return f"[{tag}] {said}"


def _named_script(book: Path) -> OwnText | None:
    """How ``book``'s sheet names write Chinese (None: Simplified, or not readable)."""
    from xlsales.script_errors import sheet_names
    from xlsales.script_variant import book_script

    names = sheet_names(book)
    script = book_script(names) if names else None
    return None if script is None else OwnText(script)


def step(tag: str, zh: str, en: str, keep: Iterable[object] = (),
         book: Path | None = None) -> None:
    """Say a progress step of command ``tag`` on stderr (:func:`step_text`)."""
    progress(step_text(tag, zh, en, keep, book))
