"""Build unusable workbook files at test time (no binary file is committed).

Each builder takes a folder, writes one bad file (or names a bad path) in it and
returns its path. :data:`BAD_INPUTS` lists them with the hints the refusal message
must contain in English and in Chinese.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.periods import Period
from xlsales.workbook_data import BuildOptions

PASSWORD = "Sales2026!"


def real_workbook(folder: Path) -> Path:
    """A genuine workbook built by xlsales (built once per folder)."""
    path = folder / "real_source.xlsx"
    if not path.exists():
        build_workbook(path, BuildOptions(period=Period.parse("2026-10")))
    return path


def rewrite(src: Path, dst: Path, changes: dict[str, bytes | None] | None = None,
            compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy the package ``src`` to ``dst``, replacing (bytes), dropping (None) or
    adding members as ``changes`` says."""
    changes = changes or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            if info.filename in changes:
                data = changes[info.filename]
                if data is not None:
                    zout.writestr(info.filename, data)
            else:
                zout.writestr(info.filename, zin.read(info))
        for name, data in changes.items():
            if data is not None and name not in zin.namelist():
                zout.writestr(name, data)
    return dst


def _member_data_span(path: Path, name: str) -> tuple[int, int]:
    """(offset, length) of a member's compressed data in the file."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    raw = path.read_bytes()
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def _central_index(raw: bytes, name: str) -> int:
    """Offset of member ``name``'s central-directory entry from the first entry."""
    start = raw.index(b"PK\x01\x02")
    pos = start
    target = name.encode()
    while True:
        name_len, extra_len, comment_len = struct.unpack("<HHH", raw[pos + 28:pos + 34])
        if raw[pos + 46:pos + 46 + name_len] == target:
            return pos - start
        pos += 46 + name_len + extra_len + comment_len


# -- not a workbook file at all -------------------------------------------------------------


def missing_path(folder: Path) -> Path:
    """A path that does not exist."""
    return folder / "no_such_report.xlsx"


def folder_path(folder: Path) -> Path:
    """A folder named like a workbook."""
    path = folder / "reports.xlsx"
    path.mkdir()
    return path


def empty_file(folder: Path) -> Path:
    """0 bytes."""
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def text_renamed(folder: Path) -> Path:
    """A plain text note renamed .xlsx."""
    path = folder / "notes.xlsx"
    path.write_text("Call the Shenzhen distributor on Monday.\nFollow up with Li Wei.\n"
                    "下周一联系深圳经销商。\n", encoding="utf-8")
    return path


def csv_renamed(folder: Path) -> Path:
    """A CRM export (CSV, GB18030 as Chinese systems write it) renamed .xlsx."""
    path = folder / "crm_export.xlsx"
    rows = ["客户,产品,金额,日期", "华东贸易,A 型,12000,2026-10-03",
            "北方物流,\"B 型, 大号\",8000,2026-10-05", "Acme Ltd,C,5000,2026-10-09"]
    path.write_bytes("\r\n".join(rows).encode("gb18030") + b"\r\n")
    return path


def png_renamed(folder: Path) -> Path:
    """A PNG screenshot renamed .xlsx."""
    path = folder / "screenshot.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    return path


def pdf_renamed(folder: Path) -> Path:
    """A PDF report renamed .xlsx."""
    path = folder / "report.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    return path


def html_as_xls(folder: Path) -> Path:
    """An HTML table saved as .xls, as many web systems export "Excel" files."""
    path = folder / "web_export.xls"
    path.write_text("<html><head><meta charset='utf-8'></head><body><table>"
                    "<tr><td>客户</td><td>金额</td></tr><tr><td>Acme</td><td>5000</td></tr>"
                    "</table></body></html>", encoding="utf-8")
    return path


# -- legacy and encrypted (OLE2 compound files) ----------------------------------------------


def legacy_xls(folder: Path) -> Path:
    """A real Excel 97-2003 workbook written by xlwt."""
    import xlwt

    path = folder / "old_format.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sales")
    sheet.write(0, 0, "Customer")
    sheet.write(0, 1, "Amount")
    sheet.write(1, 0, "Acme")
    sheet.write(1, 1, 5000)
    book.save(str(path))
    return path


def legacy_xls_renamed(folder: Path) -> Path:
    """The same .xls renamed .xlsx (the content decides, not the extension)."""
    src = legacy_xls(folder)
    path = folder / "old_format_renamed.xlsx"
    path.write_bytes(src.read_bytes())
    return path


def encrypted_xlsx(folder: Path) -> Path:
    """A real workbook encrypted with a password to open (Agile encryption, as Excel does)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = folder / "locked.xlsx"
    with real_workbook(folder).open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt(PASSWORD, out)
    return path


# -- damaged zips ------------------------------------------------------------------------------


def truncated_workbook(folder: Path) -> Path:
    """A real workbook cut at 60 % of its size, as an interrupted download leaves it."""
    raw = real_workbook(folder).read_bytes()
    path = folder / "cut_download.xlsx"
    path.write_bytes(raw[: len(raw) * 6 // 10])
    return path


def corrupt_crc_workbook_part(folder: Path) -> Path:
    """A byte changed inside xl/workbook.xml (stored, so only its CRC-32 tells)."""
    path = rewrite(real_workbook(folder), folder / "bad_crc.xlsx", compression=zipfile.ZIP_STORED)
    offset, length = _member_data_span(path, "xl/workbook.xml")
    raw = bytearray(path.read_bytes())
    pos = raw.index(b"<sheets>", offset, offset + length) + 1
    raw[pos] ^= 0x20  # <sheets> -> <Sheets>
    path.write_bytes(bytes(raw))
    return path


def corrupt_deflate_styles(folder: Path) -> Path:
    """Bytes flipped inside the compressed data of xl/styles.xml (a non-structural part)."""
    path = rewrite(real_workbook(folder), folder / "bad_styles.xlsx")
    offset, length = _member_data_span(path, "xl/styles.xml")
    raw = bytearray(path.read_bytes())
    for pos in range(offset + length // 2, offset + length // 2 + 8):
        raw[pos] ^= 0xFF
    path.write_bytes(bytes(raw))
    return path


def corrupt_central_directory(folder: Path) -> Path:
    """The signature of a central-directory entry overwritten."""
    raw = bytearray(real_workbook(folder).read_bytes())
    pos = raw.index(b"PK\x01\x02")
    pos = raw.index(b"PK\x01\x02", pos + 4)
    raw[pos:pos + 4] = b"XXXX"
    path = folder / "bad_directory.xlsx"
    path.write_bytes(bytes(raw))
    return path


# -- zips that are not workbooks ---------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes], stored: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data,
                        zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return path


def docx_renamed(folder: Path) -> Path:
    """A minimal Word document renamed .xlsx."""
    ct = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          b'<Override PartName="/word/document.xml" ContentType="application/vnd.'
          b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            b'</Relationships>')
    doc = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
           b'main"><w:body><w:p><w:r><w:t>Q4 plan</w:t></w:r></w:p></w:body></w:document>')
    return _zip(folder / "plan_document.xlsx",
                {"[Content_Types].xml": ct, "_rels/.rels": rels, "word/document.xml": doc})


def ods_renamed(folder: Path) -> Path:
    """A minimal OpenDocument spreadsheet renamed .xlsx."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content xmlns:office='
               b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body>'
               b'<office:spreadsheet/></office:body></office:document-content>')
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
                b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return _zip(folder / "libre_sheet.xlsx", {
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": content, "META-INF/manifest.xml": manifest,
    }, stored=("mimetype",))


def plain_zip(folder: Path) -> Path:
    """A zip of CSV files renamed .xlsx."""
    return _zip(folder / "archive.xlsx", {"data/sales.csv": b"a,b\n1,2\n", "readme.txt": b"hi"})


def zipped_workbook(folder: Path) -> Path:
    """A zip holding a real workbook, renamed .xlsx."""
    return _zip(folder / "mail_attachment.xlsx",
                {"October/sales.xlsx": real_workbook(folder).read_bytes()})


# -- bombs -------------------------------------------------------------------------------------


def ratio_bomb(folder: Path) -> Path:
    """A valid package whose sheet part is 32 MB of zeros (about 1000:1), written in
    chunks so that no 32 MB buffer is ever held."""
    path = rewrite(real_workbook(folder), folder / "ratio_bomb.xlsx")
    with zipfile.ZipFile(path) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
    tmp = rewrite(path, folder / "ratio_bomb_tmp.xlsx", {sheet: None})
    with zipfile.ZipFile(tmp, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(sheet, "w") as out:
        chunk = bytes(1024 * 1024)
        for _ in range(32):
            out.write(chunk)
    tmp.replace(path)
    return path


def declared_size_bomb(folder: Path) -> Path:
    """A package whose central directory declares a 3 GB sheet part (forged: the
    file on disk stays a few KB)."""
    path = rewrite(real_workbook(folder), folder / "huge_declared.xlsx")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
    pos = raw.index(b"PK\x01\x02") + _central_index(bytes(raw), sheet)
    raw[pos + 24:pos + 28] = struct.pack("<L", 3 * 1024**3)  # uncompressed size
    path.write_bytes(bytes(raw))
    return path


def too_many_members(folder: Path) -> Path:
    """A real workbook plus 10,000 tiny extra parts (10,0xx members in all)."""
    path = rewrite(real_workbook(folder), folder / "many_parts.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        for i in range(10_000):
            zf.writestr(f"customXml/x{i}.bin", b"")
    return path


def overlapping_members(folder: Path) -> Path:
    """Two directory entries pointing at the same data (the overlapping-file zip bomb)."""
    path = rewrite(real_workbook(folder), folder / "overlap.xlsx")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        names = zf.namelist()
        first = zf.getinfo(names[0]).header_offset
    pos = raw.index(b"PK\x01\x02") + _central_index(bytes(raw), names[1])
    raw[pos + 42:pos + 46] = struct.pack("<L", first)  # local header offset
    path.write_bytes(bytes(raw))
    return path


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE workbook [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def xml_bomb(folder: Path) -> Path:
    """Billion laughs in xl/workbook.xml of an otherwise valid package."""
    src = real_workbook(folder)
    with zipfile.ZipFile(src) as zf:
        workbook = zf.read("xl/workbook.xml")
    body = workbook[workbook.index(b"<workbook"):]
    body = body.replace(b"<sheets>", b"<fileVersion appName='&lol9;'/><sheets>", 1)
    return rewrite(src, folder / "laughs.xlsx", {"xl/workbook.xml": BILLION_LAUGHS + body})


def external_entity(folder: Path) -> Path:
    """An external entity (XXE) in a sheet part, in UTF-16 to dodge naive byte checks."""
    src = real_workbook(folder)
    with zipfile.ZipFile(src) as zf:
        sheet = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        data = zf.read(sheet).decode("utf-8")
    body = data[data.index("<worksheet"):]
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n'
           '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + body)
    return rewrite(src, folder / "xxe.xlsx", {sheet: xml.encode("utf-16")})


def no_sheets(folder: Path) -> Path:
    """A package whose workbook part lists no sheet."""
    src = real_workbook(folder)
    with zipfile.ZipFile(src) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8")
    start, end = workbook.index("<sheets>"), workbook.index("</sheets>") + len("</sheets>")
    workbook = workbook[:start] + "<sheets/>" + workbook[end:]
    if "<definedNames>" in workbook:
        start = workbook.index("<definedNames>")
        end = workbook.index("</definedNames>") + len("</definedNames>")
        workbook = workbook[:start] + workbook[end:]
    return rewrite(src, folder / "no_sheets.xlsx", {"xl/workbook.xml": workbook.encode("utf-8")})


@dataclass(frozen=True)
class BadInput:
    """A bad file builder and the hints its refusal must contain."""

    build: Callable[[Path], Path]
    en: tuple[str, ...]
    zh: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.build.__name__


BAD_INPUTS: tuple[BadInput, ...] = (
    BadInput(missing_path, ("not found",), ("找不到",)),
    BadInput(folder_path, ("is a folder",), ("文件夹",)),
    BadInput(empty_file, ("empty", "0 bytes"), ("空的", "0 字节")),
    BadInput(text_renamed, ("plain text", "Save As"), ("纯文本", "另存为")),
    BadInput(csv_renamed, ("CSV", "xlsales import"), ("CSV", "xlsales import")),
    BadInput(png_renamed, ("PNG image", "Save As"), ("PNG 图片", "另存为")),
    BadInput(pdf_renamed, ("PDF document",), ("PDF 文档",)),
    BadInput(html_as_xls, ("web page", "Save As"), ("网页", "另存为")),
    BadInput(legacy_xls, ("Excel 97-2003", ".xls", "Save As"), ("97-2003", "另存为")),
    BadInput(legacy_xls_renamed, ("Excel 97-2003", "Save As"), ("97-2003", "另存为")),
    BadInput(encrypted_xlsx, ("password", "Encrypt with Password"), ("密码", "用密码进行加密")),
    BadInput(truncated_workbook, ("incomplete", "cut off", "backup"), ("不完整", "截断", "备份")),
    BadInput(corrupt_crc_workbook_part, ("damaged", "xl/workbook.xml", "CRC"),
             ("已损坏", "xl/workbook.xml", "CRC")),
    BadInput(corrupt_deflate_styles, ("damaged", "xl/styles.xml"), ("已损坏", "xl/styles.xml")),
    BadInput(corrupt_central_directory, ("damaged", "backup"), ("已损坏", "备份")),
    BadInput(docx_renamed, ("Word document",), ("Word 文档",)),
    BadInput(ods_renamed, ("OpenDocument spreadsheet", "Save As", "in LibreOffice: File > Save As",
                           "Excel 2007-365 (.xlsx)"),
             ("OpenDocument", "另存为", "在 LibreOffice 中")),
    BadInput(plain_zip, ("ZIP archive",), ("ZIP 压缩包",)),
    BadInput(zipped_workbook, ("ZIP archive", "October/sales.xlsx", "Unzip"),
             ("ZIP 压缩包", "October/sales.xlsx", "解压")),
    BadInput(ratio_bomb, ("zip bomb", "compressed"), ("压缩炸弹", "压缩比")),
    BadInput(declared_size_bomb, ("zip bomb", "3.0 GB"), ("压缩炸弹", "3.0 GB")),
    BadInput(too_many_members, ("zip bomb", "parts"), ("压缩炸弹", "部件")),
    BadInput(overlapping_members, ("zip bomb", "overlaps"), ("压缩炸弹", "重叠")),
    BadInput(xml_bomb, ("DOCTYPE", "xl/workbook.xml", "XML bomb"),
             ("DOCTYPE", "xl/workbook.xml", "XML 炸弹")),
    BadInput(external_entity, ("DOCTYPE", "xl/worksheets/"), ("DOCTYPE", "xl/worksheets/")),
    BadInput(no_sheets, ("no worksheets",), ("没有任何工作表",)),
)
