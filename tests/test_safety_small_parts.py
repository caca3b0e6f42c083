"""The safety check reads a small XML part once: its prologue check, which reads it to the
end, also verifies its CRC-32; a damaged one is refused all the same, and a non-XML part
is still verified whole."""

from __future__ import annotations

import zipfile

import pytest
from bad_inputs import _member_data_span, real_workbook, rewrite

from xlsales.errors import WorkbookError
from xlsales.io import safety_zip
from xlsales.io.safety import check_workbook_file


def _flipped(tmp_path, name: str, find: bytes, out: str):
    """A copy of a real workbook (parts stored) with one byte of ``name`` changed."""
    path = rewrite(real_workbook(tmp_path), tmp_path / out, compression=zipfile.ZIP_STORED)
    offset, length = _member_data_span(path, name)
    raw = bytearray(path.read_bytes())
    raw[raw.index(find, offset, offset + length) + 1] ^= 0x20
    path.write_bytes(bytes(raw))
    return path


def test_a_damaged_small_part_is_refused(tmp_path):
    path = _flipped(tmp_path, "docProps/core.xml", b"<dc:", "bad_core.xlsx")
    with pytest.raises(WorkbookError, match=r"docProps/core\.xml"):
        check_workbook_file(path)


def test_small_parts_are_inflated_once(tmp_path, monkeypatch):
    path = real_workbook(tmp_path)
    whole: list[str] = []
    real = safety_zip.ZipPackage.read_whole

    def read_whole(self, info):
        whole.append(info.filename)
        return real(self, info)

    monkeypatch.setattr(safety_zip.ZipPackage, "read_whole", read_whole)
    check_workbook_file(path)
    with zipfile.ZipFile(path) as zf:
        small_xml = {i.filename for i in zf.infolist()
                     if i.filename.endswith(".xml") and 0 < i.file_size < 4096}
    assert "docProps/core.xml" in small_xml
    # of those, only the structural parts, parsed, are read whole again
    assert {n for n in whole if n in small_xml} <= {"[Content_Types].xml", "xl/workbook.xml"}
