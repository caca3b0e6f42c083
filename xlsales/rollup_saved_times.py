"""When two versions of a member's workbook were saved, as a roll-up tells the later
one (:func:`saved_times`) and the report shows the two times (:func:`saved_when`): the
last-saved time a workbook records inside (Excel, WPS, LibreOffice and xlsales set it on
saving; a download or an e-mail does not change it), else the file's modification time."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from xlsales.rollup_member import Member


def _modified(member: Member) -> float:
    """When the member's file was last modified (0 if that cannot be told)."""
    try:
        return member.path.stat().st_mtime
    except OSError:
        return 0.0


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([0-9T:.\-+Z]+)\s*</dcterms:modified>")


def saved_inside(path: Path) -> float | None:
    """The last-saved time a workbook records in its core properties (Excel, WPS and
    LibreOffice set it on saving; a download or an e-mail does not change it), as a
    timestamp; None when it records none (or the file cannot be read)."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    m = _MODIFIED.search(xml)
    if m is None:
        return None
    try:
        when = datetime.fromisoformat(m[1].decode().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


def saved_times(member: Member, other: Member) -> tuple[float, float]:
    """When ``member`` and ``other`` were saved, as compared: the times the workbooks
    record inside when both do and they differ, else the files' modification times."""
    mine, theirs = saved_inside(member.path), saved_inside(other.path)
    if mine is not None and theirs is not None and mine != theirs:
        return mine, theirs
    return _modified(member), _modified(other)


#: How saved times are shown, coarsest first: to the minute, the second, the microsecond.
_PRECISIONS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f")


def saved_when(mine: float, theirs: float) -> tuple[str, str]:
    """Two saved times (local time) as the report shows them: to the minute, or as
    precisely as it takes to tell them apart when they fall in the same minute (two
    saves a few seconds apart), to the second when they are the same; ``?`` for a time
    that cannot be told."""
    def shown(saved: float, precision: str) -> str:
        return datetime.fromtimestamp(saved).strftime(precision) if saved else "?"

    for precision in _PRECISIONS:
        pair = shown(mine, precision), shown(theirs, precision)
        if pair[0] != pair[1]:
            return pair
    return shown(mine, _PRECISIONS[1]), shown(theirs, _PRECISIONS[1])
