"""Progress lines on stderr in the language the rest of the command speaks: the one its
errors are said in first (:func:`~xlsales.cli_group.errors_in`) — ``--lang`` when given,
else the book's once it is read, in the book's script — or, before any of these is known,
both (Chinese first), as an error said then is; about a workbook not read yet, in the
language and script of its sheet names (a Traditional book's Chinese in Traditional)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlsales.cli_group import noted_language
from xlsales.cli_notes import progress
from xlsales.said import said
from xlsales.script_variant import OwnText


def step_text(tag: str, zh: str, en: str, keep: Iterable[object] = (),
              book: Path | None = None) -> str:
    """``[tag] zh`` or ``[tag] en`` in the running command's language, or ``[tag] zh /
    en`` when none is known yet; ``keep``: the user's strings ``zh`` quotes (file names),
    left as typed when a Traditional book's Chinese is written in Traditional; ``book``:
    the workbook about to be read, whose sheet names say its language and script before
    it is (unless ``--lang`` said one)."""
    lang, own = noted_language()
    if book is not None and book.suffix.lower() in (".xlsx", ".xlsm") and (
            lang is None or (lang == "zh" and own is None)):
        named, script = _named_language(book)
        lang, own = lang or named, script if (lang or named) == "zh" else None
    if own is not None:
        zh = own(zh, keep)
    return f"[{tag}] {said(zh, en, lang)}"


def _named_language(book: Path) -> tuple[str | None, OwnText | None]:
    """The language ``book``'s sheet names are in (None: neither, or not readable) and
    how they write Chinese (None: Simplified)."""
    from xlsales.script_errors import sheet_names
    from xlsales.script_variant import book_script
    from xlsales.spec import SPEC
    from xlsales.spec.traditional import spec_words

    names = sheet_names(book)
    en = sum(n in {s.name.en for s in SPEC.sheets} for n in names)
    zh = sum(spec_words(n) in {s.name.zh for s in SPEC.sheets} for n in names)
    if en == zh:
        return None, None
    script = book_script(names) if zh > en else None
    return ("zh" if zh > en else "en"), (None if script is None else OwnText(script))


def step(tag: str, zh: str, en: str, keep: Iterable[object] = (),
         book: Path | None = None) -> None:
    """Say a progress step of command ``tag`` on stderr (:func:`step_text`)."""
    progress(step_text(tag, zh, en, keep, book))
