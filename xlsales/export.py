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

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

import pandas as pd

from xlsales.errors import FileAccessError, UsageError, WorkbookError, XlsalesError
from xlsales.export_cells import chunks, clean_frame
from xlsales.export_docs import meaning_rows
from xlsales.export_lines import unread_line
from xlsales.export_manifest import MANIFEST, earlier_manifest, manifest_text, removable, remove
from xlsales.export_names import table_names
from xlsales.export_parquet import pyarrow_module, write_parquet
from xlsales.export_schema import (
    DEFAULT_TABLES,
    DIFFERS,
    ERRORS,
    EXPORTS,
    export_columns,
)
from xlsales.export_tables import book_tables
from xlsales.export_xlsx import creation_time, is_export_output, write_xlsx
from xlsales.files import Unread, apart, atomic_outputs, command_path, unread, workbooks
from xlsales.findings import KPI_SHEET_BLIND, counted
from xlsales.io.reader import read_workbook
from xlsales.rollup_member import Member
from xlsales.said import said
from xlsales.spec import Lang
from xlsales.spec.subset import kpi_tables

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


# --- reading in parallel ---------------------------------------------------------------


class BookNotes(NamedTuple):
    """What the export says of one book beside its tables (on stderr)."""

    #: Its validation errors (also the kpis table's ``validation_errors``).
    errors: int
    #: Its warnings of values and rows its own KPI sheet does not count
    #: (``kpi_sheet_differs``).
    differs: int
    #: (zh, en) of each workbook a roll-up was made without.
    lacking: list[tuple[str, str]]
    #: Its currency's ISO code, as its rows' ``report_currency``.
    currency: str


def _tables_of(path: Path, names: Sequence[str], labels: Lang | None, copies: bool = False
               ) -> tuple[dict[str, pd.DataFrame], BookNotes, Lang, Member | None
                          ] | XlsalesError:
    """One workbook's export tables; what to say of it (:class:`BookNotes`: its counts
    are in its ``kpis`` row too, ``validation_errors`` and ``kpi_sheet_differs``); its
    language and, with ``copies``,
    what tells a copy of it (:func:`~xlsales.export_copies.copy_key`); or why it cannot
    be used (an error crosses processes as itself: it pickles), and the other books go
    on."""
    from xlsales.currency import CURRENCY_FIELD, currency_code
    from xlsales.export_copies import copy_key
    from xlsales.findings import Severity
    from xlsales.validation import validate

    try:
        book = read_workbook(path, count_formulas=False)  # values, and errors to count
        # every row names its period (kpis: computed for it): without one, the book
        # would be missing from kpis and its rows would stack with no period (as `kpis`
        # says it; export has no --period)
        book.require_period(option=False)
        sources = {EXPORTS[n] for n in names if EXPORTS.get(n)} | (
            kpi_tables() if any(n.startswith("kpis") for n in names) else set())
        book.require_columns(*sources, purpose="export")  # empty amounts for finance: no
        findings = validate(book)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        differs = sum(1 for f in findings if f.rule in KPI_SHEET_BLIND)
        tables = book_tables(book, names, labels)
        key = copy_key(book) if copies else None
        # a roll-up made without a member's data: its figures are incomplete (as kpis says)
        lacking = [(f.message_zh, f.message_en) for f in findings
                   if f.rule == "rollup_incomplete"]
    except XlsalesError as exc:
        return exc
    except OSError as exc:  # held by another program, no permission: this book only
        return FileAccessError.of(exc)
    if "kpis" in tables:
        tables["kpis"] = tables["kpis"].assign(**{ERRORS: errors, DIFFERS: differs})
    notes = BookNotes(errors, differs, lacking, currency_code(book.info.get(CURRENCY_FIELD)))
    return tables, notes, book.lang, key


def error_note(name: str, errors: int, lang: Lang, path: Path | None = None) -> str:
    """What to say of a book exported with validation errors: its rows are exported as
    read, and its KPIs may leave out or miscount the rows in error (the command to see
    them names ``path`` as the user types it, when given)."""
    typed = command_path(path) if path is not None else name
    if lang == "zh":
        return (f"[export] 注意：{name} 有 {errors} 个校验错误，导出的行原样保留，KPI 可能漏算"
                f"或错算出错的行（kpis 表的 validation_errors 列）；运行 xlsales validate "
                f"{typed} 查看")
    return (f"[export] note: {name} has {counted(errors, 'validation error')}: "
            "its rows are exported as read, and its KPIs may leave out or miscount the rows "
            f"in error (column validation_errors of kpis); run `xlsales validate {typed}` to "
            "see them")


def differs_note(name: str, found: int, lang: Lang, path: Path) -> str:
    """What to say of a book holding values or rows its own KPI sheet does not count
    (text amounts, rows below the table …): its exported figures count them, so they
    differ from what the rep sees on the book's KPI sheet."""
    typed = command_path(path)
    if lang == "zh":
        return (f"[export] 注意：{name} 有 {found} 条警告：其中的数值或行工作簿自己的 KPI 表"
                "公式不计入，导出却计入（kpis 表的 kpi_sheet_differs 列），导出的数字因此与该"
                f"工作簿的 KPI 表不同；运行 xlsales validate {typed} 查看要重新输入的单元格")
    return (f"[export] note: {name} has {counted(found, 'warning')} of values or rows its own "
            "KPI sheet does not count and the export does (column kpi_sheet_differs of kpis): "
            "the figures exported differ from the book's KPI sheet; run `xlsales validate "
            f"{typed}` to see what to retype")


def source_names(paths: Sequence[Path]) -> list[str]:
    """How each book is named in ``source_file``: its file name, or where two books share
    one (``east/rollup.xlsx`` and ``north/rollup.xlsx``) the fewest trailing folders that
    tell them apart."""
    out = [p.name for p in paths]
    for depth in range(2, max((len(p.parts) for p in paths), default=0) + 1):
        seen: dict[str, int] = {}
        for name in out:
            seen[name] = seen.get(name, 0) + 1
        clash = [i for i, name in enumerate(out) if seen[name] > 1]
        if not clash:
            break
        for i in clash:
            out[i] = "/".join(paths[i].parts[-depth:])
    return out


class _ReadBooks(NamedTuple):
    """What :func:`_read_all` read: each usable book's tables, the books left out, the
    currency and typed path of each exported (by ``source_file``), and how many books
    were set aside because another book given holds their rows."""

    tables: list[dict[str, pd.DataFrame]]
    left_out: list[Unread]
    currencies: dict[str, str]
    typed: dict[str, str]
    set_aside: int
    #: The path of each book exported.
    exported: list[Path]
    #: The language of each book exported, by its ``source_file``.
    langs: dict[str, str]
    #: Orders in more than one book exported, with those books' ``source_file``.
    shared: dict[object, list[str]]


def _read_all(paths: Sequence[Path], names: Sequence[str], workers: int,
              progress: Callable[[str], None], labels: Lang | None,
              named: Collection[Path] = (), lang: Lang | None = None
              ) -> _ReadBooks:
    """The export tables of each book of ``paths`` that can be used, and each that cannot
    with why (both languages); the currency of each book exported, and its path as the
    user types it, by its ``source_file``; how many were set aside as held by another.
    What is said of one book is in ``lang``, else in the book's own. Of books that would
    count twice (a copy, an older version: :mod:`~xlsales.export_copies`) one is
    exported, the others set aside and named:
    left out (exit 2) only when their rows are exported through no other book.
    A book the user ``named`` (a file, not found in a folder or by a pattern) is exported
    all the same, with a note."""
    from xlsales.export_copies import set_aside, shared_between
    from xlsales.rollup_pool import progress_every, results_in_order

    report = progress_every(len(paths))
    told = dict(zip(paths, source_names(paths), strict=True))  # two 王芳.xlsx: their folders
    read, left_out = [], []
    done = results_in_order(workers, _tables_of, paths, list(names), labels, len(paths) > 1)
    for i, (path, result) in enumerate(done, 1):
        if isinstance(result, XlsalesError):
            left_out.append(Unread(path, result.zh.removeprefix(f"{path.name}："),
                                   result.en.removeprefix(f"{path.name}: "), workbook=True))
        else:
            read.append((path, result))
        if report(i):
            progress(f"[export] {i}/{len(paths)} {told[path]}")
    aside = {id(k) for k in set_aside([r[3] for _, r in read if r[3] is not None])}
    kept = [(path, r) for path, r in read if id(r[3]) not in aside or path in named]
    shown = dict(zip([p for p, _ in kept], source_names([p for p, _ in kept]), strict=True))
    out, currencies, typed, held, exported, langs, keys = [], {}, {}, 0, [], {}, []
    for path, (tables, notes, book_lang, key) in read:
        in_lang = lang or book_lang  # what is said of this book: in its language
        if key is not None and id(key) in aside:
            assert key.reason is not None
            if path in named:  # chosen by name: exported, and said
                progress("[export] " + said(
                    f"注意：{path} 是指名给出的，照常导出，但{key.reason.zh}",
                    f"note: {path} was given by name and is exported, but {key.reason.en}",
                    in_lang))
                aside.discard(id(key))
            elif key.held_elsewhere:  # its rows are exported through another book
                held += 1
                progress("[export] " + said(f"未导出 {path}：{key.reason.zh}",
                                            f"set aside {path}: {key.reason.en}", in_lang))
            else:
                left_out.append(Unread(path, key.reason.zh, key.reason.en, workbook=True))
            if id(key) in aside:
                continue
        if notes.errors:
            progress(error_note(shown[path], notes.errors, in_lang, path))
        if notes.differs:
            progress(differs_note(shown[path], notes.differs, in_lang, path))
        for zh, en in notes.lacking:  # a roll-up made without some member's data
            progress(f"[export] {shown[path]}: " + (zh if in_lang == "zh" else en))
        currencies[shown[path]] = notes.currency
        typed[shown[path]] = command_path(path)
        langs[shown[path]] = book_lang
        if shown[path] != path.name:  # two books of one name: which one is which
            tables = {n: f.assign(source_file=shown[path]) if "source_file" in f.columns
                      else f for n, f in tables.items()}
        out.append(tables)
        exported.append(path)
        keys += [(key, shown[path])] if key is not None else []
    return _ReadBooks(out, left_out, currencies, typed, held, exported, langs,
                      shared_between(keys))


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
    books, left_out, currencies, typed, held, exported, langs, shared = _read_all(
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
