"""Progress lines on stderr in the language the rest of the command speaks: the one its
errors are said in first (:func:`~xlsales.cli_group.errors_in`) — ``--lang`` when given,
else the book's once it is read, in the book's script — or, before any of these is known,
both (Chinese first), as an error said then is."""

from __future__ import annotations

from collections.abc import Iterable

from xlsales.cli_group import noted_language
from xlsales.cli_notes import progress


def step_text(tag: str, zh: str, en: str, keep: Iterable[object] = ()) -> str:
    """``[tag] zh`` or ``[tag] en`` in the running command's language, or ``[tag] zh /
    en`` when none is known yet; ``keep``: the user's strings ``zh`` quotes (file names),
    left as typed when a Traditional book's Chinese is written in Traditional."""
    lang, own = noted_language()
    if own is not None:
        zh = own(zh, keep)
    said = zh if lang == "zh" else en if lang == "en" else f"{zh} / {en}"
    return f"[{tag}] {said}"


def step(tag: str, zh: str, en: str, keep: Iterable[object] = ()) -> None:
    """Say a progress step of command ``tag`` on stderr (:func:`step_text`)."""
    progress(step_text(tag, zh, en, keep))
