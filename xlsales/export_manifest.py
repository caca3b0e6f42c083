"""What an export wrote into its folder: ``export_manifest.json``, beside the tables.

Finance pulls a folder, not stderr: after ``--tables kpis,sales`` then ``--tables kpis``
of the same workbooks into one folder, the first run's ``sales.csv`` would pass for this
export's. The manifest names the workbooks exported (their full paths), the format and
each table's file, rows and SHA-256. A later export of the same workbooks into the folder
removes the tables the earlier manifest lists and this run does not export at all
(another format of a table it writes stays: both may be wanted) — only those still as
xlsales wrote them (same SHA-256): a file edited since, one of other workbooks, or one no
manifest lists is never deleted, only named (:func:`~xlsales.export_lines.stale_lines`).
No time in it: exporting unchanged books again gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The manifest's file name in the export folder.
MANIFEST = "export_manifest.json"
#: What the manifest says wrote it (a JSON file of another tool is not read as one).
WRITER = "xlsales export"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def book_keys(books: Sequence[Path]) -> list[str]:
    """The workbooks exported as the manifest names them: full paths, sorted."""
    return sorted(str(Path(p).resolve()) for p in books)


def manifest_text(fmt: str, books: Sequence[Path], written: Mapping[Path, Path],
                  rows: Mapping[str, int]) -> str:
    """The manifest of an export in ``fmt`` of ``books``: each table's final file
    (``written``: final path → its staged file, read for its SHA-256) and ``rows`` (by
    table)."""
    tables = [{"table": final.stem, "file": final.name, "rows": rows.get(final.stem, 0),
               "sha256": _digest(staged)} for final, staged in written.items()]
    return json.dumps({"written_by": WRITER, "format": fmt, "workbooks": book_keys(books),
                       "tables": tables}, ensure_ascii=False, indent=2) + "\n"


def earlier_manifest(out_dir: Path) -> dict[str, object] | None:
    """The manifest an earlier export left in ``out_dir``; None when there is none, or
    the file is not one (unreadable, another tool's)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("written_by") == WRITER else None


def removable(earlier: Mapping[str, object] | None, books: Sequence[Path],
              stale: Sequence[Path]) -> list[Path]:
    """Those of ``stale`` (an earlier export's tables this run did not write) that the
    ``earlier`` manifest lists for the same workbooks as ``books``, still with the bytes
    it wrote: xlsales' own files of an export this one replaces."""
    if earlier is None or earlier.get("workbooks") != book_keys(books):
        return []
    listed = {t.get("file"): t.get("sha256") for t in earlier.get("tables") or []
              if isinstance(t, dict)}
    out = []
    for path in stale:
        sha = listed.get(path.name)
        try:
            if sha is not None and _digest(path) == sha:
                out.append(path)
        except OSError:  # unreadable now: not known to be ours, kept
            continue
    return out


def remove(paths: Sequence[Path]) -> list[Path]:
    """Delete ``paths`` (see :func:`removable`); those removed. One that cannot be (open
    in Excel, no permission) stays, and is named as an earlier export's table."""
    removed = []
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
