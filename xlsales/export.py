"""Stable machine-readable tables for finance: ``xlsales export``.

Column names are the spec's English field and KPI keys; dates are ISO dates;
numbers stay numbers; every row says whose it is, for which period and in which
currency (``report_currency``: amounts in two currencies must not be added up). CSV is
written UTF-8 with a byte-order mark (Excel opens it right) and text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``)
is neutralised with a leading apostrophe; the xlsx export holds the same text as
text. Parquet (pyarrow) carries real types: dates as ``date32``, numbers as
``float64`` (KPI counts as ``int64``), text as strings — kept as typed, since no
spreadsheet runs it. Every table's columns and types follow from the spec alone
(:mod:`xlsales.export_schema`). The workbooks are read in parallel, one per worker
process; one that cannot be used is left out and named, the others exported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from xlsales.errors import UsageError, WorkbookError, XlsalesError
from xlsales.export_cells import chunks, clean_frame
from xlsales.export_docs import meaning_rows
from xlsales.export_lines import unread_line
from xlsales.export_manifest import MANIFEST, earlier_manifest, manifest_text, removable, remove
from xlsales.export_names import table_names
from xlsales.export_parquet import pyarrow_module, write_parquet
from xlsales.export_read import read_books
from xlsales.export_schema import (
    DEFAULT_TABLES,
    EXPORTS,
    export_columns,
)
from xlsales.export_xlsx import creation_time, is_export_output, write_xlsx
from xlsales.files import Unread, apart, atomic_outputs, unread, workbooks
from xlsales.said import said
from xlsales.spec import Lang

Format = Literal["csv", "xlsx", "parquet"]
FORMATS = ("csv", "xlsx", "parquet")


@dataclass
class ExportResult:
    """Files written, rows per table, and the books left out (cannot be used) with why:
    the others are exported all the same."""

    files: list[Path]
    rows: dict[str, int]
    left_out: list[Unread] = field(default_factory=list)
    #: How many books were exported.
    books: int = 0
    #: What was given that yields no workbook (an empty folder, a pattern matching
    #: nothing) or a folder of workbooks inside a folder given, whose are not read.
    not_found: list[Unread] = field(default_factory=list)
    #: Tables of an earlier export in the output folder that this one did not write,
    #: kept: of other workbooks, changed since, or listed in no manifest.
    stale: list[Path] = field(default_factory=list)
    #: The currency (ISO code, as ``report_currency``) of each book exported, by its
    #: ``source_file``: more than one, and totals must be taken by currency.
    currencies: dict[str, str] = field(default_factory=dict)
    #: Each book exported (its ``source_file``) as the user types its path in a command.
    typed: dict[str, str] = field(default_factory=dict)
    #: How many books were not exported because another book given holds their rows (a
    #: copy, a rep's book beside the roll-up holding it): not left out, named on stderr.
    set_aside: int = 0
    #: Tables an earlier export of the same workbooks wrote (its manifest says so) and
    #: this one does not: removed, not to pass for this export's.
    removed: list[Path] = field(default_factory=list)
    #: The language of each book exported, by its ``source_file``: what is said of one
    #: book alone is said in it (unless ``--lang``).
    langs: dict[str, str] = field(default_factory=dict)
    #: Sales orders in more than one book exported (of one period): order → the books'
    #: ``source_file`` (:func:`~xlsales.export_copies.shared_between`).
    shared: dict[object, list[str]] = field(default_factory=dict)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV (UTF-8 with a byte-order mark, dates as ISO text, formula-like
    text neutralised), cleaned and written a chunk of rows at a time."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        for i, chunk in enumerate(chunks(frame)):
            clean_frame(chunk).to_csv(out, index=False, header=i == 0)


def _expected_but_none(skipped: Unread, given: Sequence[Path]) -> bool:
    """Whether ``skipped`` stands for workbooks finance expected and did not get (exit
    2, as consolidate): an entry given that yields none (an empty folder, a pattern
    matching nothing) or a folder of workbooks inside a folder given; a ``.csv`` beside
    the books is only named."""
    return skipped.given in given or skipped.given.is_dir()


def _none_usable(left_out: Sequence[Unread]) -> XlsalesError:
    """The error when no book given can be exported: its own for one book."""
    if len(left_out) == 1:
        return WorkbookError(left_out[0].zh, left_out[0].en)
    return WorkbookError(
        "没有可以导出的工作簿，未写入任何文件：" + "；".join(
            f"{u.given.name}：{u.zh}" for u in left_out),
        "No workbook could be exported, nothing was written: " + "; ".join(
            f"{u.given.name}: {u.en}" for u in left_out))


def export_books(paths: Sequence[Path], out_dir: Path, fmt: Format = "csv",
                 tables: Sequence[str] = DEFAULT_TABLES,
                 progress: Callable[[str], None] = print,
                 workers: int | None = None, labels: Lang | None = None,
                 lang: Lang | None = None) -> ExportResult:
    """Read every workbook (files, the workbooks of folders, glob patterns; in parallel)
    and write one file per table (all workbooks' rows together); with ``labels``, the
    built-in regions, products and categories of every book named in that language; what
    is said of each book in ``lang`` (default: the book's own language)."""
    from xlsales.rollup_pool import cpu_count

    tables = table_names(tables)
    if fmt not in FORMATS:
        raise UsageError(f"不支持的格式 {fmt}：可选 {', '.join(FORMATS)}。",
                         f"Unsupported format {fmt}: choose {', '.join(FORMATS)}.")
    if out_dir.exists() and not out_dir.is_dir():  # before reading: it may take minutes
        raise UsageError(f"-o 应为文件夹，而 {out_dir} 是一个文件：请给出导出文件要放入的文件夹。",
                         f"-o takes a folder, and {out_dir} is a file: give the folder the "
                         "exported files go to.")
    given = list(paths)
    found = workbooks(given)  # none at all: a usage error naming what was given
    skipped = unread(given)
    for u in skipped:
        if not is_export_output(u.given):  # an earlier CSV export: said below
            progress(f"[export] {unread_line(u, lang)}")
    # the files an earlier export wrote into a folder now being exported are not books
    paths, own = apart(found, [out_dir / f"{t}.{fmt}" for t in tables])
    for p in own:
        progress("[export] " + said(f"未读取 {p.name}：这是本次导出要写的文件",
                                    f"left out {p.name}: an output of this export", lang))
    earlier = [p for p in paths if is_export_output(p)]
    earlier += [u.given for u in skipped if is_export_output(u.given)]
    for p in earlier:
        progress("[export] " + said(f"未读取 {p}：这是 xlsales export 写出的表，不是工作簿",
                                    f"not read {p}: a table xlsales export wrote, not a "
                                    "workbook", lang))
    paths = [p for p in paths if p not in earlier]
    if not paths:
        raise UsageError("给出的文件都是 xlsales export 写出的表，没有可导出的工作簿。",
                         "Every file given is a table xlsales export wrote: no workbook to "
                         "export.")
    if fmt == "parquet":
        pyarrow_module()  # before reading anything: say what to install
    workers = max(1, min(len(paths), workers or cpu_count()))
    collected: dict[str, list[pd.DataFrame]] = {t: [] for t in tables}
    books, left_out, currencies, typed, held, exported, langs, shared = read_books(
        paths, tables, workers, progress, labels, {p for p in given if p.is_file()}, lang)
    # a workbook in another format (an .xls in the folder) is a book left out
    left_out += [u for u in skipped if u.workbook]
    if not books:  # nothing to write: no file, not even empty ones
        raise _none_usable(left_out)
    for book in books:
        for name, frame in book.items():
            collected[name].append(frame)
    del books
    unused = {u.given for u in left_out}
    created = creation_time([p for p in paths if p not in unused]) if fmt == "xlsx" else None
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [out_dir / f"{name}.{fmt}" for name in collected]
    rows = {}
    manifest = earlier_manifest(out_dir)  # before this export's replaces it
    # every table staged, then all replace the old ones, or none does (a file open in
    # Excel): never this export's kpis beside an earlier export's sales; the manifest
    # of what was written goes with them
    with atomic_outputs([*files, out_dir / MANIFEST]) as staged:
        for name, tmp in zip(list(collected), staged[:-1], strict=True):
            parts = collected.pop(name)  # each table's parts let go of once stacked
            columns = export_columns(name)
            parts = [f for f in parts if not f.empty] or parts[:1]
            frame = (pd.concat(parts, ignore_index=True).reindex(columns=columns) if parts
                     else pd.DataFrame())
            del parts
            rows[name] = len(frame)
            if fmt == "parquet":
                write_parquet(name, frame, tmp)
            elif fmt == "csv":
                write_csv(frame, tmp)
            else:
                write_xlsx(frame, tmp, name[:31], created, meaning_rows(name))
            del frame
        staged[-1].write_text(manifest_text(fmt, exported, dict(zip(files, staged[:-1],
                                                                    strict=True)), rows),
                              encoding="utf-8")
    stale = _stale(out_dir, files)
    # a table written now in another format stays (both formats wanted): named, as before
    removed = remove(removable(manifest, exported, [p for p in stale if p.stem not in rows]))
    return ExportResult(files, rows, left_out, len(exported), [
        u for u in skipped if not u.workbook and _expected_but_none(u, given)],
        [p for p in stale if p not in removed], currencies, typed, held, removed, langs,
        shared)


def _stale(out_dir: Path, written: Sequence[Path]) -> list[Path]:
    """The tables an earlier export left in ``out_dir`` (other tables or another format)
    that this one did not write: beside the new ones, they are not this export's figures."""
    names = [out_dir / f"{t}.{f}" for t in EXPORTS for f in FORMATS]
    return [p for p in names if p not in written and p.is_file()
            and (p.suffix == ".parquet" or is_export_output(p))]
