"""The backup kept before replacing what was typed (xlsales/io/backup.py): a second run
within the same second keeps its own copy beside the first instead of writing over it,
and the roll-up still sets such a backup aside."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from xlsales.io.backup import keep_backup
from xlsales.rollup_earlier import backup_of

SECOND = datetime(2026, 11, 29, 9, 30, 0)


def test_two_backups_in_one_second_are_two_files(tmp_path: Path) -> None:
    """The first backup holds what the manager typed; the second run (same second) copies
    the file the first run replaced. Both stay, each with its own content."""
    book = tmp_path / "team.xlsx"
    book.write_bytes(b"typed by the manager")
    first = keep_backup(book, SECOND)
    book.write_bytes(b"written by the first run")
    second = keep_backup(book, SECOND)
    assert first.name == "team.backup-20261129-093000.xlsx"
    assert second.name == "team.backup-20261129-093000-2.xlsx"
    assert first.read_bytes() == b"typed by the manager"
    assert second.read_bytes() == b"written by the first run"
    assert keep_backup(book, SECOND).name == "team.backup-20261129-093000-3.xlsx"


def test_a_numbered_backup_is_still_known_as_the_backup(tmp_path: Path) -> None:
    """A roll-up written into its members' folder sets its numbered backup aside, as it
    does the first one: it holds the members already."""
    book = tmp_path / "team.xlsx"
    book.write_bytes(b"x")
    keep_backup(book, SECOND)
    numbered = keep_backup(book, SECOND)
    assert backup_of(numbered, [book]) == book
