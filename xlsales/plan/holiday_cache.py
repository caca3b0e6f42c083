"""A plan's public holidays, kept on disk between commands.

Every button click runs a fresh Python, and asking the ``holidays`` package for one
country's year imports all of its ~250 country modules (``holidays.countries`` loads
them together): 0.1–0.15 s of each ``plan``, an eighth of it on a 1,000-row book. The
answer only changes with the package, so :func:`cached_year` keeps it in a small JSON
file per country and year under the user's cache folder (``%LOCALAPPDATA%\\xlsales`` on
Windows, ``$XDG_CACHE_HOME/xlsales`` or ``~/.cache/xlsales`` elsewhere), named with the
installed ``holidays`` version, so that an upgrade (a new year's schedule announced)
is read afresh. A cache that cannot be read or written is passed over: the package is
asked, as without one.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from importlib.util import find_spec
from pathlib import Path

#: The days off and the weekend working days of a country's year.
Year = tuple[frozenset[date], frozenset[date]]

def cache_folder() -> Path:
    """Where xlsales keeps what it can compute again (the user's cache folder)."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "xlsales"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xlsales"


_DIST = re.compile(r"holidays-(.+)\.dist-info", re.IGNORECASE)


def holidays_version() -> str | None:
    """The installed ``holidays`` package's version, from the name of its ``dist-info``
    folder beside it, without importing it or ``importlib.metadata`` (importing is what
    the cache saves); None when not found (then nothing is kept)."""
    try:
        spec = find_spec("holidays")
        if spec is None or spec.origin is None:
            return None
        found = [m[1] for p in Path(spec.origin).parent.parent.glob("holidays-*.dist-info")
                 if (m := _DIST.fullmatch(p.name))]
    except (OSError, ImportError, ValueError):
        return None
    return found[0] if len(found) == 1 else None


def _load(path: Path) -> Year | None:
    """The year kept at ``path``; None when there is none or it cannot be read."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        return (frozenset(date.fromisoformat(d) for d in kept["off"]),
                frozenset(date.fromisoformat(d) for d in kept["worked"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _keep(path: Path, year: Year) -> None:
    """Write ``year`` to ``path`` whole (:func:`~xlsales.files.atomic_output`), or not at
    all."""
    from xlsales.errors import XlsalesError
    from xlsales.files import atomic_output

    text = json.dumps({"off": sorted(d.isoformat() for d in year[0]),
                       "worked": sorted(d.isoformat() for d in year[1])})
    try:
        with atomic_output(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except (OSError, XlsalesError):
        pass  # a read-only or full disk: the next plan asks the package again


def cached_year(country: str, year: int, compute: Callable[[str, int], Year]) -> Year:
    """``compute(country, year)``, kept on disk under the ``holidays`` version so that
    the next command reads it instead of importing the package."""
    version = holidays_version()
    if version is None:
        return compute(country, year)
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", f"{version}-{country}-{year}")
    path = cache_folder() / f"holidays-{safe}.json"
    kept = _load(path)
    if kept is not None:
        return kept
    found = compute(country, year)
    _keep(path, found)
    return found
