"""What ``xlsales validate`` does with each workbook (:func:`check_book`: read, validate,
write the validation sheet when asked), for one or many (files, folders, glob patterns:
:func:`check_books`, in parallel over the cores); a workbook that cannot be used is that
workbook's error and the others go on, as ``consolidate`` does with its members. Kept
outside :mod:`xlsales.validation`, whose import loads pandas: the reader starts first."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsales.errors import FileAccessError, XlsalesError
from xlsales.findings import Finding, Severity, counted
from xlsales.script_variant import OwnText
from xlsales.spec import Lang

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook
    from xlsales.validate_across import BookTargets


@dataclass
class BookCheck:
    """One workbook validated: its findings, or why it cannot be used."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    lang: Lang = "zh"
    error: XlsalesError | None = None
    #: The validation sheet written into it (``--write``).
    sheet: str | None = None
    #: The calculated-column formulas ``--write`` put back (``formula_restored``).
    restored: list[Finding] = field(default_factory=list)
    #: Why ``--write`` could not write into it (read-only, open in Excel …): its findings
    #: are still reported.
    write_error: XlsalesError | None = None
    #: xlsales' Chinese in the book's script, the user's text kept (a Traditional book's:
    #: :func:`~xlsales.terminal_script.terminal_text`; else as it is).
    own: OwnText = field(default_factory=OwnText)
    #: The rep targets it sets, for the checks across books
    #: (:mod:`xlsales.validate_across`); None when it cannot be used.
    targets: BookTargets | None = None

    def own_in(self, lang: str) -> OwnText:
        """How a report in ``lang`` writes xlsales' text: :attr:`own` in Chinese."""
        return self.own if lang == "zh" else OwnText()

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: errors found; the error's code (2) when it cannot be used, or
        when ``--write`` could not write into it."""
        if self.error is not None:
            return self.error.exit_code
        if self.write_error is not None:
            return self.write_error.exit_code
        return int(self.has_errors)

    @property
    def has_errors(self) -> bool:
        """Whether validation found errors in it."""
        return any(f.severity is Severity.ERROR for f in self.findings)


def check_book(path: Path, write: bool = False, lang: Lang | None = None,
               extra: Sequence[Finding] = ()) -> BookCheck:
    """Read and validate ``path`` (and write its validation sheet when ``write``, with
    the ``extra`` findings too: those found across the books given); an unusable file
    gives a check holding the error instead of raising it."""
    from xlsales.io.reader import read_workbook

    try:
        # pandas is imported while the workbook is read (a large sheet is read in the
        # background): the modules needing it come after
        read = read_workbook(path)
        from xlsales.validation import validate

        findings = validate(read) + _latest_plan_findings(read, path) + list(extra)
        from xlsales.terminal_script import terminal_text
        from xlsales.validate_across import book_targets

        done = BookCheck(path, findings, read.lang, own=terminal_text(read, "zh"),
                         targets=book_targets(read))
        if write:
            from xlsales.io.writable import check_replaceable
            from xlsales.validation.write import write_validation

            try:  # a book that cannot be written (read-only …) still gets its findings
                check_replaceable(path)
            except XlsalesError as exc:
                done.write_error = exc
                return done
            written = write_validation(read, findings, lang or read.lang)
            done.sheet, done.restored = written.sheet, written.restored
    except XlsalesError as exc:
        return BookCheck(path, error=exc)
    except OSError as exc:  # held by another program, no permission: this book only
        return BookCheck(path, error=FileAccessError.of(exc))
    return done


def _latest_plan_findings(read: ReadWorkbook, path: Path) -> list[Finding]:
    """The findings on the sheets of the latest plan version when it is not the first
    (``plan --new-version``): the one ``new --from`` carries, which the read per the spec
    (version 1's sheets) does not see."""
    from xlsales.plan_versions import latest_plan, plan_sheets

    version = latest_plan(read)
    if version == 1:
        return []  # and no import of the plan package for nothing
    from xlsales.io.reader import read_workbook
    from xlsales.plan.write import read_version
    from xlsales.validation import validate

    latest = read_version(read, version, lambda spec: read_workbook(path, spec=spec))
    plan = {s.tables[0].name for s in plan_sheets()}
    sheets = {t.sheet for name, t in latest.tables.items() if name in plan}
    return [f for f in validate(latest) if f.sheet in sheets]


def check_books(paths: Sequence[Path], write: bool = False, lang: Lang | None = None,
                progress: Callable[[str], None] | None = None,
                workers: int | None = None) -> Iterator[BookCheck]:
    """:func:`check_book` of each of ``paths``, in parallel over the cores (``workers``
    processes; one: in this process), given back in order as each is done."""
    from xlsales.rollup_pool import cpu_count, results_in_order

    workers = max(1, min(len(paths), workers or cpu_count()))
    for i, (path, done) in enumerate(results_in_order(workers, check_book, paths, write,
                                                      lang), 1):
        if progress is not None:
            progress(f"[validate] {i}/{len(paths)} {path.name}")
        yield done


def summary_line(checks: Sequence[BookCheck], skipped: int = 0,
                 lang: str | None = None) -> str:
    """How the workbooks fared, in both languages, Chinese first unless ``lang`` (the
    ``--lang`` given) is English, as the errors are said; the Chinese in the books'
    script when every book read is Traditional; ``skipped``: the entries of the
    folders and patterns given that were not read (an ``.xls``, a CSV), said on stderr."""
    n = len(checks)
    errors = sum(1 for c in checks if c.error is None and c.has_errors)
    unusable = sum(1 for c in checks if c.error is not None)
    clean = n - errors - unusable
    unwritten = sum(1 for c in checks if c.write_error is not None)
    zh = f"校验 {n} 个工作簿：{clean} 个无错误，{errors} 个有错误，{unusable} 个无法使用"
    en = (f"{counted(n, 'workbook')}: {clean} without errors, {errors} with errors, "
          f"{unusable} cannot be used")
    if unwritten:
        zh += f"，{unwritten} 个未能写入校验表"
        en += f", {unwritten} could not be written (--write)"
    if skipped:
        # why each was not read (an .xls, a CSV, a sub-folder) is in its own note above
        zh += f"；另有 {skipped} 项未读取（原因见上方各条说明）"
        en += f"; {skipped} more not read (why: see the notes above)"
    scripts = {c.own.script for c in checks if c.error is None}
    if len(scripts) == 1 and None not in scripts:  # every book read is Traditional
        zh = OwnText(scripts.pop())(zh)
    return f"{en} / {zh}" if lang == "en" else f"{zh} / {en}"


def error_json(check: BookCheck) -> dict[str, Any]:
    """The JSON of a workbook that cannot be used: its file and the reason (zh, en)."""
    assert check.error is not None
    return {"file": str(check.path), "error": {"zh": check.error.zh, "en": check.error.en},
            "exit_code": check.error.exit_code}
