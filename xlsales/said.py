"""One line of user-facing text in the language a command speaks: Chinese, English, or
both (Chinese first) while no language is known yet. Progress lines, export and roll-up
notes all choose through :func:`said`, so they agree on what "no language yet" prints."""

from __future__ import annotations

from xlsales.spec import Lang


def said(zh: str, en: str, lang: Lang | None) -> str:
    """``zh`` or ``en`` as ``lang`` says, or both (``zh / en``) without one."""
    if lang is None:
        return f"{zh} / {en}"
    return zh if lang == "zh" else en
