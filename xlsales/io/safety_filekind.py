"""What a file is, from its first bytes: a zip package, an OLE2 compound file (an old
``.xls``, an encrypted workbook, another legacy Office file), or something else that is
not a spreadsheet at all (a PDF, an image, a CSV export, a web page…)."""

from __future__ import annotations

import codecs
import csv
import io
import struct
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from xlsales.io.safety_messages import Kind, Refusals

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Leading bytes of common files that are not spreadsheets.
_MAGIC_KINDS: tuple[tuple[bytes, Kind], ...] = (
    (b"%PDF", Kind("PDF 文档", "a PDF document")),
    (b"\x89PNG", Kind("PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", Kind("JPEG 图片", "a JPEG image")),
    (b"GIF8", Kind("GIF 图片", "a GIF image")),
    (b"BM", Kind("BMP 图片", "a BMP image")),
    (b"Rar!", Kind("RAR 压缩包", "a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", Kind("7-Zip 压缩包", "a 7-Zip archive")),
    (b"\x1f\x8b", Kind("gzip 压缩包", "a gzip archive")),
    (b"MZ", Kind("程序文件（.exe）", "a program (.exe)")),
    (b"{\\rtf", Kind("RTF 文档", "an RTF document")),
)


CSV = Kind("CSV 文本文件", "a CSV text file")
TSV = Kind("制表符分隔的文本文件（TSV）", "a tab-separated text file")
HTML = Kind("网页（HTML）文件", "a web page (HTML)")
MHT = Kind("网页存档（MHT）文件", "a web archive (MHT)")
XML2003 = Kind("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet")


def sniff_other(head: bytes, suffix: str = "") -> Kind:
    """What a file that is neither OLE2 nor zip looks like, from its first bytes (and
    its extension ``suffix``, for text)."""
    for magic, kind in _MAGIC_KINDS:
        # two-byte magics ("BM", "MZ") also begin words: require binary content too
        if head.startswith(magic) and (len(magic) > 2 or b"\x00" in head[:64]):
            return kind
    text = _decode_text(head)
    if text is None:
        return Kind("无法识别的二进制文件", "an unrecognised binary file")
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html", "<table")) or "<html" in low[:1024]:
        return HTML
    if low.startswith("mime-version:"):
        return MHT
    if low.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            return XML2003
        return Kind("XML 文本文件", "an XML text file")
    delimiter = _csv_delimiter(text)
    if delimiter is None and suffix.lower() in (".csv", ".tsv"):
        delimiter = "\t" if suffix.lower() == ".tsv" else ","
    if delimiter == "\t":
        return TSV
    if delimiter is not None:
        return CSV
    return Kind("纯文本文件", "a plain text file")


def _decode_text(head: bytes) -> str | None:
    """``head`` as text if it looks like text in a usual encoding, else ``None``."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in head:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030", "latin-1")  # latin-1 decodes any byte
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls <= len(text) // 100:
            return text
    return None


def _csv_delimiter(text: str) -> str | None:
    """The delimiter if the first rows of ``text`` look like a table, else ``None``."""
    for delimiter in (",", "\t", ";", "|"):
        try:
            rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if len(rows) > 1 and not text.endswith(("\n", "\r")):
            rows = rows[:-1]  # the sample may end mid-row
        widths = {len(row) for row in rows[:20]}
        if len(widths) == 1 and widths.pop() > 1:
            return delimiter
    return None


def ole_streams(c: Refusals, f: BinaryIO, path: Path, olefile: ModuleType | None) -> set[str]:
    """Lower-case names of the streams and storages of the OLE2 file ``f`` at ``path``,
    read with ``olefile`` (the module; None: a byte scan of the UTF-16 directory names
    finds the few that matter); refused through ``c`` if its structure cannot be read."""
    if olefile is None:  # byte scan of the UTF-16 directory names
        f.seek(0)
        data = f.read().lower()
        names = ("encryptioninfo", "encryptedpackage", "worddocument", "powerpoint document")
        return {n for n in names if n.encode("utf-16-le") in data}
    try:
        ole = olefile.OleFileIO(str(path))
    except (OSError, ValueError, IndexError, KeyError, struct.error):
        c.fail_damaged("Office 97-2003 文件结构无法读取",
                       "its Office 97-2003 structure cannot be read")
    try:
        return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
