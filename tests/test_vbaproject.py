"""The VBA project builder, checked against independent readers (oletools' olevba and
decompressor, olefile) and against the project Excel wrote for xlwings' quickstart."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from xlsales.errors import XlsalesError
from xlsales.vbaproject import (
    CorruptVbaDataError,
    VbaModule,
    VbaProjectError,
    VbaSourceError,
    build_vba_project,
    compress,
    decompress,
    read_module_file,
    read_vba_modules,
    stored_source,
    write_compound_file,
    xlwings_vba_modules,
)
from xlsales.vbaproject import xlwings_modules as xw_modules
from xlsales.vbaproject.dirstream import parse_dir_stream
from xlsales.vbaproject.encryption import decrypt

XLWINGS = Path(importlib.util.find_spec("xlwings").submodule_search_locations[0])
NOSTREAM = 0xFFFFFFFF
REPO = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------- helpers

def quickstart_bin() -> bytes:
    with zipfile.ZipFile(XLWINGS / "quickstart_standalone.xlsm") as book:
        return book.read("xl/vbaProject.bin")


def open_ole(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def dir_records(ole: olefile.OleFileIO) -> list:
    return parse_dir_stream(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))


def module_offsets(ole: olefile.OleFileIO) -> dict[str, int]:
    """Module name -> text offset, read from the dir records."""
    offsets, name = {}, None
    for record in dir_records(ole):
        if record.id == 0x0019:
            name = record.data.decode("cp1252")
        elif record.id == 0x0031:
            offsets[name] = int.from_bytes(record.data, "little")
    return offsets


def module_texts(data: bytes) -> dict[str, str]:
    """Module name -> source, as oletools' decompressor reads it (LF line endings)."""
    ole = open_ole(data)
    return {name: bytes(decompress_stream(bytearray(
        ole.openstream(f"VBA/{name}").read()[offset:]))).decode("cp1252").replace("\r\n", "\n")
        for name, offset in module_offsets(ole).items()}


def olevba_modules(path_or_name: str, data: bytes | None = None) -> dict[str, str]:
    parser = VBA_Parser(path_or_name, data=data)
    try:
        assert parser.detect_vba_macros()
        return {stream.split("/")[-1]: code.replace("\r\n", "\n")
                for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


BIG_BODY = "".join(f"Function Row{i}(x As Long) As Long\n    Row{i} = x * {i} + {i * i % 97}\n"
                   "End Function\n\n" for i in range(320))
REPEATED_BODY = "Sub Repeat()\n" + '    Debug.Print "the same line"\n' * 2500 + "End Sub\n"
ACCENTED_BODY = 'Sub Hello()\n    MsgBox "Prix : 5 € — café, naïve"\nEnd Sub\n'
COUNTER_CLS = ("VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
               'Attribute VB_Name = "Counter"\r\nAttribute VB_GlobalNameSpace = False\r\n'
               "Attribute VB_Creatable = False\r\nAttribute VB_PredeclaredId = False\r\n"
               "Attribute VB_Exposed = False\r\nPrivate n As Long\r\n\r\n"
               "Public Sub Add()\r\n    n = n + 1\r\nEnd Sub\r\n")
# what the VBA editor stores for an imported class module (see Dictionary in the quickstart)
COUNTER_STORED = ('Attribute VB_Name = "Counter"\n'
                  'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\n'
                  "Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\n"
                  "Attribute VB_PredeclaredId = False\nAttribute VB_Exposed = False\n"
                  "Attribute VB_TemplateDerived = False\nAttribute VB_Customizable = False\n"
                  "Private n As Long\n\nPublic Sub Add()\n    n = n + 1\nEnd Sub\n")


def sample_modules() -> list[VbaModule]:
    return [VbaModule("ThisWorkbook", "document", ""), VbaModule("Sheet1", "document", ""),
            *xlwings_vba_modules(),
            VbaModule("Big", "standard", BIG_BODY), VbaModule("Repeated", "standard",
                                                              REPEATED_BODY),
            VbaModule("Accents", "standard", ACCENTED_BODY.replace("\n", "\r")),
            VbaModule("Counter", "class", COUNTER_CLS)]


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_vba_project(sample_modules())


# ------------------------------------------------------------------------- compression

random_bytes = st.builds(lambda seed, n: random.Random(seed).randbytes(n),
                         st.integers(0, 2**32), st.integers(0, 13_000))
token_text = st.lists(st.sampled_from([b"Dim ", b"x", b"\r\n", b"    ", b"End Sub", b"\x00",
                                       b"\xff", b"RunPython ", b"a"]), max_size=4000).map(b"".join)
runs = st.tuples(st.binary(min_size=1, max_size=7), st.integers(0, 3000)).map(
    lambda t: t[0] * t[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(random_bytes, token_text, runs, st.binary(max_size=600)))
def test_compression_round_trips_through_oletools(data: bytes) -> None:
    packed = compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data
    assert decompress(packed) == data


def test_compression_shrinks_source_like_excel_and_round_trips_the_quickstart() -> None:
    ole = open_ole(quickstart_bin())
    streams = {"dir": ole.openstream("VBA/dir").read()}
    for name, offset in module_offsets(ole).items():
        streams[name] = ole.openstream(f"VBA/{name}").read()[offset:]
    assert {"dir", "xlwings", "Dictionary", "ThisWorkbook"} <= set(streams)
    for name, excel_packed in streams.items():
        text = bytes(decompress_stream(bytearray(excel_packed)))
        assert decompress(excel_packed) == text, name
        packed = compress(text)
        assert bytes(decompress_stream(bytearray(packed))) == text, name
        assert len(packed) <= len(excel_packed) * 1.1 + 8, name  # as tight as Excel's


def test_decompress_refuses_corrupt_data() -> None:
    with pytest.raises(CorruptVbaDataError):
        decompress(b"\x02" + compress(b"abc")[1:])
    with pytest.raises(CorruptVbaDataError):  # a copy token as the chunk's first token
        decompress(bytes([0x01, 0x03, 0xB0, 0x01, 0x00, 0x00]))


# ----------------------------------------------------------------------- compound file

name_text = st.text(alphabet="abcXYZ_01éß", min_size=1, max_size=31)
sizes = st.one_of(st.integers(0, 130), st.integers(4090, 4100), st.integers(500, 1600),
                  st.integers(8_000, 40_000))


def cfb_key(name: str) -> tuple[int, str]:
    return len(name.encode("utf-16-le")), "".join(
        c.upper() if len(c.upper()) == 1 else c for c in name)


def consistent(entries: list[tuple[list[str], int, int]]) -> dict[str, bytes]:
    """Paths from ``entries`` that do not clash (a name used as stream and storage)."""
    kinds: dict[tuple[str, ...], str] = {}
    streams = {}
    for parts, size, seed in entries:
        keys = [tuple(cfb_key(p)[1] for p in parts[:i + 1]) for i in range(len(parts))]
        wanted = [(k, "storage") for k in keys[:-1]] + [(keys[-1], "stream")]
        if all(kinds.get(k, kind) == kind for k, kind in wanted) and kinds.get(keys[-1]) is None:
            kinds.update(wanted)
            streams["/".join(parts)] = random.Random(seed).randbytes(size)
    return streams


def check_tree(entries: list, sid: int) -> tuple[int, list[str]]:
    """Black height and in-order names of a red-black (sub)tree; asserts its rules."""
    if sid == NOSTREAM:
        return 1, []
    entry = entries[sid]
    left_height, left = check_tree(entries, entry.sid_left)
    right_height, right = check_tree(entries, entry.sid_right)
    assert left_height == right_height, "unequal black heights"
    if entry.color == 0:
        assert all(entries[c].color == 1 for c in (entry.sid_left, entry.sid_right)
                   if c != NOSTREAM), "red node with a red child"
    return left_height + entry.color, [*left, entry.name, *right]


def check_directory(ole: olefile.OleFileIO) -> None:
    entries = ole.direntries
    for entry in entries:
        if entry is not None and entry.entry_type in (1, 5) and entry.sid_child != NOSTREAM:
            assert entries[entry.sid_child].color == 1
            names = check_tree(entries, entry.sid_child)[1]
            keys = [cfb_key(n) for n in names]
            assert keys == sorted(keys) and len(set(keys)) == len(keys)
            assert sorted(names) == sorted(kid.name for kid in entry.kids)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.lists(name_text, min_size=1, max_size=3), sizes,
                          st.integers(0, 2**32)), min_size=1, max_size=25))
@example([(["a"], 4095, 1), (["b"], 4096, 2), (["c", "d"], 4097, 3), (["e"], 0, 4),
          (["c", "f"], 64, 5), (["c", "g", "h"], 65, 6), (["i"], 512 * 9 + 1, 7)])
def test_compound_file_reads_back_in_olefile(entries) -> None:
    streams = consistent(entries)
    data = write_compound_file(streams)
    assert len(data) % 512 == 0
    ole = open_ole(data)
    got = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    assert got == streams
    check_directory(ole)


def test_compound_file_past_109_fat_sectors_uses_difat() -> None:
    streams = {"big": random.Random(1).randbytes(7_500_000), "s/small": b"x" * 70}
    data = write_compound_file(streams)
    assert int.from_bytes(data[72:76], "little") >= 1  # DIFAT sectors in the header
    ole = open_ole(data)
    assert ole.openstream("big").read() == streams["big"]
    assert ole.openstream("s/small").read() == streams["s/small"]


@pytest.mark.parametrize("streams", [{"a": b"", "a/b": b""}, {"A": b"", "a": b""},
                                     {"x" * 32: b""}, {"a!b": b""}, {"a//b": b""}])
def test_compound_file_refuses_bad_paths(streams) -> None:
    with pytest.raises(VbaProjectError):
        write_compound_file(streams)


# ----------------------------------------------------------------------------- source

def test_exported_class_is_stored_as_the_vba_editor_stores_it() -> None:
    """xlwings ships Dictionary both as exported .cls and inside the project Excel saved."""
    exported = read_module_file(XLWINGS / "addin" / "Dictionary.cls")
    assert (exported.name, exported.kind) == ("Dictionary", "class")
    excel = lf(module_texts(quickstart_bin())["Dictionary"])
    ours = lf(stored_source(exported))
    assert not ours.startswith("VERSION")
    header = [line for line in excel.split("\n") if line.startswith("Attribute VB_")][:9]
    assert ours.split("\n")[:9] == header
    # the body differs only where the editor re-cased identifiers (Err -> err)
    assert ours.lower() == excel.lower()


def test_exported_standard_module_and_line_endings() -> None:
    module = read_module_file(XLWINGS / "xlwings.bas")
    assert (module.name, module.kind) == ("xlwings", "standard")
    assert lf(stored_source(module)) == module_texts(quickstart_bin())["xlwings"]
    for source in ("Sub A()\nEnd Sub\n", "Sub A()\rEnd Sub", "Sub A()\r\nEnd Sub\r\n"):
        text = stored_source(VbaModule("M", "standard", source))
        assert text == 'Attribute VB_Name = "M"\r\nSub A()\r\nEnd Sub\r\n'
        assert "\n" not in text.replace("\r\n", "")


def test_document_modules_get_the_excel_base_classes() -> None:
    excel = module_texts(quickstart_bin())
    assert lf(stored_source(VbaModule("ThisWorkbook", "document", ""))) == excel["ThisWorkbook"]
    sheet = lf(stored_source(VbaModule("Sheet1", "document", "")))
    assert sheet == excel["Sheet1"]
    assert '"0{00020820-0000-0000-C000-000000000046}"' in sheet


def test_source_outside_code_page_1252_is_refused_naming_module_and_line() -> None:
    with pytest.raises(VbaSourceError) as caught:
        VbaModule("Report", "standard", 'Sub A()\n    x = 1\n    MsgBox "销售额"\nEnd Sub\n')
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, XlsalesError)
    assert "Report" in error.en and "line 3" in error.en and "1252" in error.en
    assert "Report" in error.zh and "第 3 行" in error.zh


@pytest.mark.parametrize("make", [
    lambda: VbaModule("1abc", "standard", ""),
    lambda: VbaModule("a" * 32, "standard", ""),
    lambda: VbaModule("Café", "standard", ""),
    lambda: VbaModule("M", "form", ""),
    lambda: VbaModule("M", "standard", 'Attribute VB_Name = "Other"\n'),
    lambda: VbaModule("C", "class", "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1\n"),
    lambda: build_vba_project([VbaModule("A", "standard", ""), VbaModule("a", "class", "")]),
    lambda: build_vba_project([VbaModule("dir", "standard", "")]),
    lambda: build_vba_project([VbaModule("VBAProject", "standard", "")]),
    lambda: build_vba_project([], project_name="my project"),
])
def test_bad_names_and_sources_are_refused(make) -> None:
    with pytest.raises(VbaSourceError):
        make()


def test_forms_cannot_be_read(tmp_path) -> None:
    path = tmp_path / "UserForm1.frm"
    path.write_text("VERSION 5.00\n")
    with pytest.raises(VbaSourceError):
        read_module_file(path)


# ---------------------------------------------------------------------------- project

def expected_sources() -> dict[str, str]:
    excel = module_texts(quickstart_bin())
    return {
        "ThisWorkbook": excel["ThisWorkbook"], "Sheet1": excel["Sheet1"],
        "xlwings": excel["xlwings"], "Dictionary": excel["Dictionary"],
        "Big": 'Attribute VB_Name = "Big"\n' + BIG_BODY,
        "Repeated": 'Attribute VB_Name = "Repeated"\n' + REPEATED_BODY,
        "Accents": 'Attribute VB_Name = "Accents"\n' + ACCENTED_BODY,
        "Counter": COUNTER_STORED,
    }


def test_olevba_reads_every_module_of_the_bare_bin(built) -> None:
    assert len(BIG_BODY) > 10_000
    assert olevba_modules("vbaProject.bin", built) == expected_sources()


def test_olevba_reads_every_module_of_an_xlsxwriter_workbook(built, tmp_path) -> None:
    bin_path = tmp_path / "vbaProject.bin"
    bin_path.write_bytes(built)
    book_path = tmp_path / "book.xlsm"
    book = xlsxwriter.Workbook(book_path)
    book.set_vba_name("ThisWorkbook")
    sheet = book.add_worksheet("Data")
    sheet.set_vba_name("Sheet1")
    sheet.insert_button("B2", {"macro": "Hello", "caption": "Run"})
    book.add_vba_project(str(bin_path))
    book.close()
    with zipfile.ZipFile(book_path) as package:
        assert package.read("xl/vbaProject.bin") == built
        assert b'codeName="Sheet1"' in package.read("xl/worksheets/sheet1.xml")
    assert olevba_modules(str(book_path)) == expected_sources()


def test_building_twice_gives_the_same_bytes(built) -> None:
    assert build_vba_project(sample_modules()) == built
    assert build_vba_project(sample_modules()[:3]) != built


FRESH_BUILD = """
import hashlib
from xlsales.vbaproject import VbaModule, build_vba_project, xlwings_vba_modules
modules = [VbaModule("ThisWorkbook", "document", ""), *xlwings_vba_modules(),
           VbaModule("Counter", "class", "Private n As Long\\n")]
print(hashlib.sha256(build_vba_project(modules, "Sales")).hexdigest())
"""


def test_fresh_processes_build_the_same_bytes() -> None:
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        digests.add(subprocess.run([sys.executable, "-c", FRESH_BUILD], env=env, check=True,
                                   capture_output=True, text=True, cwd=REPO).stdout.strip())
    modules = [VbaModule("ThisWorkbook", "document", ""), *xlwings_vba_modules(),
               VbaModule("Counter", "class", "Private n As Long\n")]
    assert digests == {hashlib.sha256(build_vba_project(modules, "Sales")).hexdigest()}


def test_structure_matches_the_project_excel_wrote_for_xlwings() -> None:
    excel_bin = quickstart_bin()
    modules = read_vba_modules(excel_bin)
    assert [m.name for m in modules] == ["ThisWorkbook", "Sheet1", "Module1", "Sheet2",
                                         "xlwings", "Dictionary"]
    ours_bin = build_vba_project(modules)
    excel, ours = open_ole(excel_bin), open_ole(ours_bin)
    assert sorted(ours.listdir()) == sorted(excel.listdir())
    for stream in ("PROJECTwm", "VBA/_VBA_PROJECT"):
        assert ours.openstream(stream).read() == excel.openstream(stream).read()
    assert module_texts(ours_bin) == module_texts(excel_bin)

    excel_records, our_records = dir_records(excel), dir_records(ours)
    assert [r.id for r in our_records] == [r.id for r in excel_records]
    # Excel's project keeps compiled code before each module's text (MODULEOFFSET); ours
    # has none. Cookies are "ignored on read, 0xFFFF on write" (MS-OVBA).
    for excel_record, our_record in zip(excel_records, our_records, strict=True):
        if excel_record.id == 0x0031:
            assert our_record.data == bytes(4)
        elif excel_record.id in (0x0013, 0x002C):
            assert our_record.data == b"\xff\xff"
        else:
            assert our_record == excel_record, hex(excel_record.id)
    assert any(r.id == 0x000D for r in our_records)  # the references were compared too


def project_lines(ole: olefile.OleFileIO) -> list[str]:
    return ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")


def test_project_stream_matches_excel_and_is_unprotected() -> None:
    excel_bin = quickstart_bin()
    excel = project_lines(open_ole(excel_bin))
    ours = project_lines(open_ole(build_vba_project(read_vba_modules(excel_bin))))
    varying = re.compile(r"(ID|CMG|DPB|GC)=|\w+=\d+, \d+, \d+, \d+, [CZ]$")
    assert [line for line in ours if not varying.match(line)] == [
        line for line in excel if not varying.match(line)]
    for lines in (excel, ours):
        values = {k: v.strip('"') for k, _, v in (line.partition("=") for line in lines)}
        key = sum(values["ID"].encode()) & 0xFF
        assert decrypt(values["CMG"]) == (key, bytes(4))  # no protection
        assert decrypt(values["DPB"]) == (key, b"\x00")  # no password
        assert decrypt(values["GC"]) == (key, b"\xff")  # visible


# ---------------------------------------------------------------------------- xlwings

def test_xlwings_modules_come_from_the_installed_package() -> None:
    modules = xlwings_vba_modules()
    assert [(m.name, m.kind) for m in modules] == [("xlwings", "standard"),
                                                   ("Dictionary", "class")]
    excel = olevba_modules("vbaProject.bin", quickstart_bin())
    for module in modules:
        assert lf(stored_source(module)) == excel[module.name]
    assert "Sub RunPython" in excel["xlwings"] or "Function RunPython" in excel["xlwings"]


def test_missing_xlwings_is_a_clear_error(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(xw_modules, "xlwings_package_dir", lambda: tmp_path)
    with pytest.raises(VbaProjectError, match=r"quickstart_standalone\.xlsm"):
        xlwings_vba_modules()
    monkeypatch.undo()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(VbaProjectError, match="pip install xlwings"):
        xlwings_vba_modules()
