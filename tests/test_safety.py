"""xlsales.io.safety: unusable files are refused with an actionable bilingual message,
good workbooks pass, and the check stays cheap and read-only."""

from __future__ import annotations

import importlib.util
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from bad_inputs import BAD_INPUTS, BadInput, real_workbook
from conftest import REPO, require_libreoffice

from xlsales.errors import WorkbookError
from xlsales.io.safety import SafetyLimits, check_workbook_file, describe_path
from xlsales.libreoffice import recalculate


def _snapshot(path: Path) -> tuple[bytes, int] | None:
    if not path.is_file():
        return None
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda b: b.id)
def test_bad_input_is_refused_with_an_actionable_message(tmp_path: Path, bad: BadInput) -> None:
    path = bad.build(tmp_path)
    before = _snapshot(path)
    with pytest.raises(WorkbookError) as caught:
        check_workbook_file(path)
    err = caught.value
    assert err.exit_code == 2
    for message in (err.zh, err.en):
        assert str(path) in message, message
        assert "\n" not in message, "one short paragraph"
        assert len(message) < 600, message
    for hint in bad.en:
        assert hint.lower() in err.en.lower(), (hint, err.en)
    for hint in bad.zh:
        assert hint in err.zh, (hint, err.zh)
    assert _snapshot(path) == before, "the file must be left untouched"


def test_messages_tell_the_cases_apart(tmp_path: Path) -> None:
    messages = {}
    for bad in BAD_INPUTS:
        with pytest.raises(WorkbookError) as caught:
            check_workbook_file(bad.build(tmp_path))
        messages[bad.id] = caught.value.en.split(" ", 1)[1]  # without the file name
    pairs = [("legacy_xls", "encrypted_xlsx"), ("truncated_workbook", "corrupt_crc_workbook_part"),
             ("docx_renamed", "ods_renamed"), ("csv_renamed", "text_renamed"),
             ("ratio_bomb", "xml_bomb"), ("no_sheets", "plain_zip")]
    for a, b in pairs:
        assert messages[a] != messages[b]


def test_name_is_given_as_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.xlsx").write_text("hello\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as caught:
        check_workbook_file("notes.xlsx")
    assert caught.value.en.startswith("notes.xlsx ")
    assert "文件 notes.xlsx " in caught.value.zh


# -- good files pass -----------------------------------------------------------------------------


def _passes_quickly(path: Path) -> None:
    """Passes, read-only. (Its cost is shown by the structural test below, which counts
    the bytes decompressed, not by timing.)"""
    before = _snapshot(path)
    check_workbook_file(path)
    assert _snapshot(path) == before
    assert describe_path(path) == "an Excel workbook (.xlsx/.xlsm)"


def test_workbooks_built_by_xlsales_pass(tmp_path: Path, sample_books: dict[str, Path]) -> None:
    for path in [real_workbook(tmp_path), *sample_books.values()]:
        _passes_quickly(path)


@pytest.mark.parametrize("template", sorted((REPO / "workbook_templates").glob("*.xlsx")),
                         ids=lambda p: p.name)
def test_shipped_templates_pass(template: Path) -> None:
    _passes_quickly(template)


def test_workbook_saved_by_openpyxl_passes(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["客户", "金额"])
    wb.active.append(["Acme", 5000])
    wb.save(tmp_path / "openpyxl.xlsx")
    _passes_quickly(tmp_path / "openpyxl.xlsx")


def test_macro_enabled_workbook_passes() -> None:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        pytest.skip("xlwings (the `excel` extra) is not installed")
    xlsm = Path(spec.origin).parent / "quickstart_standalone.xlsm"
    if not xlsm.exists():
        pytest.skip("this xlwings has no quickstart_standalone.xlsm")
    _passes_quickly(xlsm)


@pytest.mark.libreoffice
def test_workbook_saved_by_libreoffice_passes(tmp_path: Path) -> None:
    require_libreoffice()
    saved = recalculate(real_workbook(tmp_path), tmp_path / "libreoffice")
    _passes_quickly(saved)


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 rows (a sheet part of about 10 MB, more than the CRC budget)."""
    path = tmp_path_factory.mktemp("big") / "big_100k.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Deals")
    ws.write_row(0, 0, ["Customer", "Product", "Amount", "Owner"])
    for row in range(1, 100_001):
        ws.write_row(row, 0, [f"Customer {row % 997}", "Product X", row * 1.5, "Li Wei"])
    wb.close()
    return path


def test_big_workbook_passes(big_workbook: Path) -> None:
    check_workbook_file(big_workbook)


def test_big_sheet_part_is_not_decompressed(big_workbook: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    read: Counter[str] = Counter()
    original = zipfile.ZipExtFile.read

    def counting_read(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = original(self, n)
        read[self.name] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    check_workbook_file(big_workbook)
    with zipfile.ZipFile(big_workbook) as zf:
        sheet_size = zf.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size > SafetyLimits().crc_budget
    assert 0 < read["xl/worksheets/sheet1.xml"] <= SafetyLimits().prologue_bytes
    assert read["xl/workbook.xml"] > 0  # structural parts are read whole (CRC checked)


# -- limits and helpers ----------------------------------------------------------------------------


def test_limits_are_configurable(tmp_path: Path) -> None:
    path = real_workbook(tmp_path)
    with pytest.raises(WorkbookError, match="parts"):
        check_workbook_file(path, SafetyLimits(max_members=3))
    with pytest.raises(WorkbookError, match="unpack to"):
        check_workbook_file(path, SafetyLimits(max_total_size=1000))
    with pytest.raises(WorkbookError, match="compressed"):
        check_workbook_file(path, SafetyLimits(ratio_min_size=100, max_ratio=1.5))
    check_workbook_file(path, SafetyLimits(crc_budget=0))


def test_describe_path(tmp_path: Path) -> None:
    by_id = {b.id: b for b in BAD_INPUTS}
    expected = {
        "missing_path": "nothing (the path does not exist)",
        "folder_path": "a folder",
        "empty_file": "an empty file",
        "pdf_renamed": "a PDF document",
        "csv_renamed": "a CSV text file",
        "legacy_xls_renamed": "an Excel 97-2003 workbook (.xls)",
        "encrypted_xlsx": "a password-protected (encrypted) Excel workbook",
        "docx_renamed": "a Word document (.docx)",
        "ods_renamed": "an OpenDocument spreadsheet (.ods)",
        "ratio_bomb": "a suspected zip bomb",
    }
    for name, what in expected.items():
        assert describe_path(by_id[name].build(tmp_path)) == what, name


def test_text_that_starts_like_a_two_byte_magic_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "brands.xlsx"
    path.write_text("BMW,Q4,120\nMZ Motors,Q4,80\n", encoding="utf-8")
    assert describe_path(path) == "a CSV text file"


def test_excel_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "~$sales.xlsx"
    path.write_bytes(b"\x06Li Wei" + b" " * 47 + b"\x06\x00L\x00i\x00" + bytes(100))
    with pytest.raises(WorkbookError, match="lock file"):
        check_workbook_file(path)


def test_ole2_files_are_told_apart_without_olefile(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import xlsales.io.safety as safety

    monkeypatch.setattr(safety, "olefile", None)
    by_id = {b.id: b for b in BAD_INPUTS}
    assert describe_path(by_id["encrypted_xlsx"].build(tmp_path)) == (
        "a password-protected (encrypted) Excel workbook")
    assert describe_path(by_id["legacy_xls"].build(tmp_path)) == "an Excel 97-2003 workbook (.xls)"


def test_a_name_typed_without_its_extension_names_the_workbook_beside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`xlsales validate 王芳_2026-11` in the folder holding 王芳_2026-11.xlsx: the error
    names that file and says to give the extension (exit 2); a name matching nothing
    keeps the plain not-found message."""
    from click.testing import CliRunner

    from xlsales.cli import main

    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(main, ["new", "--owner", "王芳", "-o", "王芳_2026-11.xlsx"])
    assert made.exit_code == 0, made.output
    said = CliRunner().invoke(main, ["validate", "王芳_2026-11"])
    assert said.exit_code == 2
    assert ("找不到文件 王芳_2026-11：同一文件夹里有 王芳_2026-11.xlsx，是要用它吗？"
            "请连同扩展名一起写：王芳_2026-11.xlsx。") in said.stderr
    assert "the folder holds 王芳_2026-11.xlsx, is that the one?" in said.stderr
    other = CliRunner().invoke(main, ["kpis", "王芳_2026-12"])
    assert other.exit_code == 2 and "王芳_2026-12.xlsx" not in other.stderr
    assert "找不到文件 王芳_2026-12。请检查文件名和所在文件夹" in other.stderr
