"""Reading the workbooks ``xlsales export`` exports, in parallel, one per worker process:
each book's export tables and what to say of it (:func:`read_books`), the books that
would count twice set aside and the orders books share named
(:mod:`xlsales.export_copies`). One that cannot be used is left out with why."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from xlsales.errors import FileAccessError, XlsalesError
from xlsales.export_schema import DIFFERS, ERRORS, EXPORTS
from xlsales.export_tables import book_tables
from xlsales.files import Unread, command_path
from xlsales.findings import KPI_SHEET_BLIND, counted
from xlsales.io.reader import read_workbook
from xlsales.rollup_member import Member
from xlsales.said import said
from xlsales.spec import Lang
from xlsales.spec.subset import kpi_tables


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


class ReadBooks(NamedTuple):
    """What :func:`read_books` read: each usable book's tables, the books left out, the
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


def read_books(paths: Sequence[Path], names: Sequence[str], workers: int,
              progress: Callable[[str], None], labels: Lang | None,
              named: Collection[Path] = (), lang: Lang | None = None
              ) -> ReadBooks:
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
    return ReadBooks(out, left_out, currencies, typed, held, exported, langs,
                      shared_between(keys))


