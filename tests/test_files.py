"""The workbooks a command is given (files, folders, patterns): nothing given is left out
without a word — an entry that yields no workbook, a spreadsheet in a folder that is not
read."""

from __future__ import annotations

from pathlib import Path

import pytest

from xlsales.errors import UsageError
from xlsales.files import unread, workbooks


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team folder: two workbooks, an old .xls, a CRM export, Excel's lock file."""
    folder = tmp_path / "team"
    folder.mkdir()
    for name in ("alice.xlsx", "bob.xlsm", "carol.xls", "crm.csv", "~$alice.xlsx", "notes.txt"):
        (folder / name).write_bytes(b"x")
    return folder


def test_every_input_that_yields_no_workbook_and_every_unread_spreadsheet_is_told(
        team: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    typo = tmp_path / "teem" / "*.xlsx"
    notes: list[str] = []
    found = workbooks([team, typo, empty], note=notes.append)
    assert found == [team / "alice.xlsx", team / "bob.xlsm"]
    assert notes == [
        f"{team / 'carol.xls'}: 旧版 Excel 97-2003 工作簿（.xls），不会读取：请用 Excel 或 WPS "
        "另存为 .xlsx / an old Excel 97-2003 workbook (.xls), not read: save it as .xlsx in "
        "Excel or WPS",
        f"{team / 'crm.csv'}: 文本表格（.csv），不是工作簿，不会读取：可用 xlsales import "
        "导入工作簿 / a text table (.csv), not a workbook, not read: xlsales import takes it "
        "into one",
        f"{typo}: 通配符没有匹配到任何文件（拼写有误？） / the pattern matches no file (a typo?)",
        f"{empty}: 文件夹中没有工作簿（.xlsx / .xlsm） / the folder holds no workbook "
        "(.xlsx / .xlsm)",
    ]
    assert [u.workbook for u in unread([team, typo, empty])] == [True, False, False, False]


def test_a_folder_of_xls_files_only_says_so_in_the_error(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "carol.xls").write_bytes(b"x")
    with pytest.raises(UsageError) as raised:
        workbooks([folder])
    assert "carol.xls: an old Excel 97-2003 workbook (.xls), not read" in raised.value.en
    assert "carol.xls：旧版 Excel 97-2003 工作簿（.xls）" in raised.value.zh


def test_a_plain_folder_of_workbooks_gives_no_note(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "alice.xlsx").write_bytes(b"x")
    notes: list[str] = []
    assert workbooks([folder, folder / "alice.xlsx"], note=notes.append) == \
        [folder / "alice.xlsx"]
    assert notes == []


def test_a_pattern_without_an_extension_takes_only_workbooks(tmp_path, monkeypatch):
    """`team/*` took `zhao.xlsm.bak` (a real workbook renamed as a backup) and rolled it
    up as a second 孙丽; a pattern that names no extension takes what a folder takes."""
    from xlsales.files import expand

    for name in ("a.xlsx", "b.xlsm", "zhao.xlsm.bak", "notes.txt", "~$a.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    assert expand([Path("*")]) == [Path("a.xlsx"), Path("b.xlsm")]
    assert expand([Path("*.xls?")]) == [Path("a.xlsx"), Path("b.xlsm")]
    assert expand([Path("*.bak")]) == [Path("zhao.xlsm.bak")]  # named: taken as asked
    # what it leaves that looks like a spreadsheet is named, as in a folder given
    (tmp_path / "孙丽.xls").write_bytes(b"x")
    assert [(u.given, u.workbook) for u in unread([Path("*")])] == [(Path("孙丽.xls"), True)]
