"""Files a user cannot or must not have written: a read-only workbook, one open in Excel
or LibreOffice (its lock file beside it), a folder that refuses new files, a file the user
may not read among others. Each is a bilingual message naming the file and what to do,
exit code 2, and every file byte-identical afterwards."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.errors import FileAccessError
from xlsales.io.writable import lock_files


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _book(sample_books, tmp_path: Path, name: str = "team_book.xlsx") -> Path:
    book = tmp_path / name
    shutil.copy(sample_books["en"], book)
    return book


WRITING = [["validate", "--write"], ["kpis", "--write"], ["plan"]]


@pytest.mark.parametrize("command", WRITING, ids=lambda c: " ".join(c))
def test_a_read_only_workbook_is_never_rewritten(sample_books, tmp_path, command) -> None:
    book = _book(sample_books, tmp_path)
    book.chmod(0o444)
    before = _digest(book)
    result = CliRunner().invoke(main, [command[0], str(book), *command[1:]])
    assert result.exit_code == 2, result.output
    assert "is read-only and was left untouched" in result.output
    assert "只读" in result.output and "Traceback" not in result.output
    assert _digest(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [book.name]  # no temporary left
    if command[0] == "validate":  # the findings are still its answer, then the refusal
        assert "team_book.xlsx: 0 errors" in result.stdout
    else:  # said before any work: no report printed first, then refused
        assert "revenue" not in result.stdout and "Sales!" not in result.stdout


@pytest.mark.parametrize("lock", ["~$team_book.xlsx", "~$am_book.xlsx",
                                  ".~lock.team_book.xlsx#"])
def test_a_workbook_open_in_an_office_program_is_never_replaced(sample_books, tmp_path,
                                                                lock) -> None:
    """Excel (and WPS) leave ``~$name`` beside an open workbook (a long name loses its
    first two characters), LibreOffice ``.~lock.name#``. Replacing the file under them
    would be undone by their next save."""
    book = _book(sample_books, tmp_path)
    (tmp_path / lock).write_bytes(b"owner")
    assert lock_files(book) == [tmp_path / lock]
    before = _digest(book)
    result = CliRunner().invoke(main, ["kpis", str(book), "--write"])
    assert result.exit_code == 2, result.output
    assert f"seems to be open in Excel, WPS or LibreOffice (the lock file {lock}" \
        in result.output
    assert _digest(book) == before
    (tmp_path / lock).unlink()
    assert CliRunner().invoke(main, ["kpis", str(book), "--write"]).exit_code == 0
    assert _digest(book) != before


def test_an_existing_read_only_output_is_not_overwritten_with_force(sample_books,
                                                                     tmp_path) -> None:
    out = tmp_path / "new.xlsx"
    out.write_bytes(b"mine")
    out.chmod(0o444)
    result = CliRunner().invoke(main, ["new", "-o", str(out), "--force"])
    assert result.exit_code == 2 and "is read-only" in result.output, result.output
    assert out.read_bytes() == b"mine"


def test_a_folder_that_refuses_new_files_is_named_not_a_temporary_file(tmp_path) -> None:
    """Saving writes a hidden temporary file beside the target first: when the folder
    refuses it, the message names the folder, not ``.book.xlsx.x1y2.tmp``."""
    temporary = tmp_path / ".book.xlsx.abc123.tmp"
    error = FileAccessError.of(PermissionError(13, "Permission denied", str(temporary)))
    assert error.message("en").startswith(
        f"Cannot write in the folder {tmp_path}: Permission denied.")
    assert ".tmp" not in error.message("en") and "文件夹" in error.message("zh")


def test_export_into_a_file_instead_of_a_folder_says_so(sample_books, tmp_path) -> None:
    target = tmp_path / "zh.xlsx"
    target.write_bytes(b"x")
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]), "-o", str(target)])
    assert result.exit_code == 2
    assert f"-o takes a folder, and {target} is a file" in result.output
    assert target.read_bytes() == b"x"


SETPRIV = shutil.which("setpriv")


@pytest.mark.skipif(SETPRIV is None or os.geteuid() != 0,
                    reason="needs setpriv (util-linux) and root to drop root's file access")
def test_an_unreadable_workbook_among_others_stops_only_itself(sample_books, tmp_path):
    """Click used to refuse the whole command line ("Path 'b.xlsx' is not readable", in
    English only) before any workbook was checked. Run as a user would be: root's
    override of file permissions dropped."""
    good = _book(sample_books, tmp_path, "a.xlsx")
    bad = _book(sample_books, tmp_path, "b.xlsx")
    bad.chmod(0o000)
    script = "import sys; from xlsales.cli import main; sys.argv[0] = 'xlsales'; main()"
    result = subprocess.run(
        [SETPRIV, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
         "-dac_override,-dac_read_search", sys.executable, "-c", script, "validate",
         str(good), str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "a.xlsx: 0 errors" in result.stdout
    assert "b.xlsx: 错误 / Error:" in result.stdout and "Permission denied" in result.stdout
    assert "not readable" not in result.stdout + result.stderr


def test_validate_write_on_a_read_only_book_still_lists_its_findings(sample_books, tmp_path):
    """The book can be read, only not written: its findings are listed as without
    --write (they were hidden, and it was counted as 'cannot be used'), then why no
    validation sheet was written; exit code 2, as the write was asked and not done."""
    book = _book(sample_books, tmp_path)
    other = _book(sample_books, tmp_path, "other.xlsx")
    book.chmod(0o444)
    result = CliRunner().invoke(main, ["validate", str(book), str(other), "--write"])
    assert result.exit_code == 2, result.output
    assert "team_book.xlsx: 0 errors" in result.stdout
    assert ("2 workbooks: 2 without errors, 0 with errors, 0 cannot be used, 1 could not "
            "be written (--write)") in result.stdout
    assert "is read-only and was left untouched" in result.output


def test_validate_json_of_one_unusable_file_is_json(tmp_path):
    """Scripts read --json: one unusable file gives its JSON entry (it printed nothing
    on stdout), the same shape as among several."""
    import json

    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = CliRunner().invoke(main, ["validate", str(bad), "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["file"] == str(bad) and payload["exit_code"] == 2
    assert payload["error"]["en"] and payload["error"]["zh"]
