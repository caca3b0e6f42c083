"""``xlsales validate``: the findings of one workbook or several, as a table or JSON,
and ``--write``'s validation sheet. Reading and validating are
:mod:`xlsales.validate_books`'; the reports :mod:`xlsales.validation.report`'s."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from xlsales.cli_group import error_text
from xlsales.cli_notes import progress
from xlsales.cli_types import PATH, choice

if TYPE_CHECKING:
    from xlsales.findings import Finding
    from xlsales.validate_books import BookCheck


@click.command("validate")
@click.argument("books", nargs=-1, type=PATH, required=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print the findings as JSON (a list, one entry per workbook, when BOOKS "
                   "are several, a folder or a pattern).")
@click.option("--lang", type=choice(["zh", "en"]),
              help="Language of the messages (default: the workbook's).")
@click.option("--all", "show_info", is_flag=True,
              help="List every finding: no summary of info findings, nor of more than "
                   "five of one kind.")
@click.option("--write", "write", is_flag=True,
              help="Add (or refresh) a validation sheet in each workbook with links to the "
                   "cells, shade the offending cells, extend a table over the rows typed just "
                   "below it and put back the calculated-column formulas missing from "
                   "sales rows. Nothing else changes. A workbook that "
                   "cannot be written (read-only, open in Excel) still gets its findings; "
                   "exit code 2.")
def validate(books: tuple[Path, ...], as_json: bool, lang: str | None, show_info: bool,
             write: bool) -> None:
    """Check every entry of BOOKS (校验): a workbook, or several (files, folders, glob
    patterns), each on its own. Exit code 0: no errors; 1: errors found; 2: a file
    cannot be used (with several, the others are still checked)."""
    from xlsales.files import workbooks

    skipped: list[str] = []

    def note(text: str) -> None:  # a file of a folder not read (.xls, .csv …): said twice
        skipped.append(text)
        progress(f"[validate] {text}")

    paths = workbooks(books, note=note)
    if len(books) == 1 and paths == [books[0]]:
        _validate_one(books[0], as_json, lang, show_info, write)
    else:
        _validate_many(paths, as_json, lang, show_info, write, len(skipped))


def _validate_one(book: Path, as_json: bool, lang: str | None, show_info: bool,
                  write: bool) -> None:
    from xlsales.validate_books import check_book

    check = check_book(book, write, lang)  # type: ignore[arg-type]
    if check.error is not None:
        if not as_json:
            raise check.error
        import json

        from xlsales.validate_books import error_json

        progress(check.error.message(lang or "zh"))  # said on stderr too, as for any error
        click.echo(json.dumps(error_json(check), ensure_ascii=False, indent=2))
        sys.exit(check.exit_code)
    from xlsales.validation.report import json_report

    if as_json:
        click.echo(json_report(book, check.findings, check.own))
    else:
        _echo_findings(check, lang, show_info)
    _report_restored(check, as_json, lang)
    _wrote_sheet(book, check, lang)
    if check.write_error is not None:  # its findings above; the write failed
        progress(f"{book.name}: " + check.write_error.message(lang or check.lang))
    if check.exit_code:
        sys.exit(check.exit_code)


def _echo_findings(check: BookCheck, lang: str | None, show_info: bool) -> None:
    """Print the text report of one checked workbook's findings (in ``lang``, default
    its own)."""
    from xlsales.validation.report import text_report

    for line in text_report(check.path, check.findings, lang or check.lang,  # type: ignore[arg-type]
                            show_info=show_info, book_lang=check.lang,  # type: ignore[arg-type]
                            own=check.own_in(lang or check.lang)):
        click.echo(line)


def _wrote_sheet(path: Path, check: BookCheck, lang: str | None) -> None:
    """Say on stderr which validation sheet ``--write`` wrote (if it did)."""
    if check.sheet is not None:
        progress(check.own(f"{path}：已写入工作表 “{check.sheet}”", (path, check.sheet))
                 if (lang or check.lang) == "zh" else f"{path}: wrote sheet '{check.sheet}'")


def _report_restored(check: BookCheck, as_json: bool, lang: str | None) -> None:
    """The formulas ``--write`` put back: after the report, or on stderr beside JSON."""
    from xlsales.validation.report import restored_lines

    for line in restored_lines(check.restored, lang or check.lang,  # type: ignore[arg-type]
                               check.own_in(lang or check.lang)):
        if as_json:
            progress(f"{check.path.name}: {line.strip()}")
        else:
            click.echo(line)


def _write_across(checks: list[BookCheck], across: dict[Path, list[Finding]],
                  lang: str | None) -> None:
    """Each book given a warning across the books (known once all are read) gets its
    validation sheet written again with it, so that the sheet lists what the report does."""
    from xlsales.validate_books import check_book

    for check in checks:
        if across.get(check.path) and check.sheet is not None:
            again = check_book(check.path, True, lang, across[check.path])  # type: ignore[arg-type]
            failed = again.error or again.write_error
            if failed is not None:
                progress(f"{check.path.name}: " + failed.message(lang or check.lang))


def _validate_many(paths: list[Path], as_json: bool, lang: str | None, show_info: bool,
                   write: bool, skipped: int = 0) -> None:
    import json

    from xlsales.validate_across import across_findings, across_lines
    from xlsales.validate_books import check_books, error_json, summary_line
    from xlsales.validation.report import json_object

    checks = []
    for check in check_books(paths, write, lang, progress=progress):  # type: ignore[arg-type]
        checks.append(check)  # JSON: after them all, with what is found across them
        if not as_json and check.error is not None:
            click.echo(f"{check.path.name}: {error_text(check.error, lang, style=False)}")
        elif not as_json:
            _echo_findings(check, lang, show_info)
        _report_restored(check, as_json, lang)
        _wrote_sheet(check.path, check, lang)
        if check.write_error is not None:
            progress(f"{check.path.name}: " + check.write_error.message(lang or check.lang))
    across = across_findings([(c.path, c.targets) for c in checks])
    if write:
        _write_across(checks, across, lang)
    if as_json:
        objects = [error_json(c) if c.error is not None else
                   json_object(c.path, c.findings + across.get(c.path, []), c.own)
                   for c in checks]
        click.echo(json.dumps(objects, ensure_ascii=False, indent=2))
    else:
        for line in across_lines(across, lang or checks[0].lang):  # type: ignore[arg-type]
            click.echo(line)
        click.echo(summary_line(checks, skipped, lang))
    code = max(c.exit_code for c in checks)
    if code:
        sys.exit(code)
