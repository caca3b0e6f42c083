"""The package-level checks of :mod:`xlsales.io.safety`, on top of the zip-level ones
(:mod:`~xlsales.io.safety_zip`): the zip must be an Office package (not OpenDocument,
Numbers or a plain archive), its main part a workbook (not a Word document, a
presentation or an ``.xlsb``), and the workbook must list a worksheet that exists."""

from __future__ import annotations

import posixpath
from xml.etree import ElementTree as ET

from xlsales.io.safety_messages import Kind
from xlsales.io.safety_zip import ZipPackage

_SPREADSHEET_MAIN = (
    "spreadsheetml.sheet.main", "spreadsheetml.template.main",
    "ms-excel.sheet.macroenabled.main", "ms-excel.template.macroenabled.main",
    "ms-excel.addin.macroenabled.main",
)


class OfficePackage(ZipPackage):
    """All the checks of one open zip package, cases 5 to 9."""

    def check(self) -> None:
        """Run the checks, cheapest first; the first failure raises."""
        self.check_sizes()
        self.check_layout()
        self.check_package_kind()
        self.check_xml_prologues()
        main = self.main_part()
        self.check_sheets(main)
        self.verify_small_members()

    # -- case 6 -----------------------------------------------------------------------------

    def check_package_kind(self) -> None:
        """Zips that are not OOXML packages: OpenDocument, Numbers, plain archives."""
        mimetype = self.by_lower.get("mimetype")
        if mimetype is not None and mimetype.file_size <= 256:
            value = self.read_whole(mimetype).decode("ascii", "replace").strip()
            if value == "application/vnd.oasis.opendocument.spreadsheet":
                self.c.fail_save_as(Kind("OpenDocument 电子表格（.ods）",
                                         "an OpenDocument spreadsheet (.ods)"),
                                    libreoffice=True)
            if value.startswith("application/vnd.oasis.opendocument.text"):
                self.c.fail_wrong_document(Kind("OpenDocument 文本文档（.odt）",
                                                "an OpenDocument text document (.odt)"))
            if value.startswith("application/vnd.oasis.opendocument"):
                self.c.fail_wrong_document(Kind("OpenDocument 文档", "an OpenDocument file"))
        if any(n.startswith("index/") and n.endswith(".iwa") for n in self.by_lower):
            self.c.fail_numbers()
        if "[content_types].xml" not in self.by_lower:
            inner = [i.filename for i in self.infos
                     if i.filename.lower().endswith((".xlsx", ".xlsm"))]
            if inner:
                self.c.fail_zipped_workbook(inner[0])
            self.c.fail_wrong_document(Kind("ZIP 压缩包", "a ZIP archive"))

    # -- structural parts, cases 5, 6 and 9 ---------------------------------------------------

    def main_part(self) -> str:
        """The workbook part, after refusing packages whose main part is not one."""
        content_types = self.parse("[Content_Types].xml")
        root_rels = self.read_rels("")
        main = next((target for rel_type, target in root_rels.values()
                     if rel_type.endswith("/officeDocument")), None)
        if main is None:
            main = next((n for n in ("xl/workbook.xml", "xl/workbook.bin", "word/document.xml",
                                     "ppt/presentation.xml") if self.find(n)), None)
        if main is None:
            self.c.fail_wrong_document(Kind("没有工作簿部件的 Office 文件包",
                                            "an Office package without a workbook part"))
        info = self.find(main)
        content_type = _content_type(content_types, main).lower()
        if "wordprocessingml" in content_type or main.startswith("word/"):
            self.c.fail_wrong_document(Kind("Word 文档（.docx）", "a Word document (.docx)"))
        if "presentationml" in content_type or main.startswith("ppt/"):
            self.c.fail_wrong_document(Kind("PowerPoint 演示文稿（.pptx）",
                                            "a PowerPoint presentation (.pptx)"))
        if "sheet.binary" in content_type or main.lower().endswith(".bin"):
            self.c.fail_save_as(Kind("Excel 二进制工作簿（.xlsb）",
                                     "an Excel binary workbook (.xlsb)"))
        if not any(t in content_type for t in _SPREADSHEET_MAIN) and not main.endswith(
            "workbook.xml"
        ):
            self.c.fail_wrong_document(
                Kind("其他类型的 Office 文件", "another kind of Office file")
            )
        if info is None:
            self.c.fail_damaged(f"缺少工作簿部件 {main}", f"the workbook part {main} is missing")
        return info.filename

    def check_sheets(self, main: str) -> None:
        """Case 9: the workbook must list at least one worksheet, whose part exists."""
        root = self.parse(main)
        rels = self.read_rels(main)
        worksheets = 0
        for el in root.iter():
            if not el.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
            rel_type, target = rels.get(rid, ("", ""))
            if not rel_type.endswith("/worksheet"):
                continue
            if self.find(target) is None:
                self.c.fail_damaged(f"缺少工作表部件 {target}",
                                    f"the worksheet part {target} is missing")
            worksheets += 1
        if worksheets == 0:
            self.c.fail_no_worksheets()


def _content_type(content_types: ET.Element, part: str) -> str:
    """Content type of ``part`` from ``[Content_Types].xml``."""
    wanted = "/" + part.lower()
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    default = ""
    for el in content_types:
        if el.tag.endswith("}Override") and el.get("PartName", "").lower() == wanted:
            return el.get("ContentType", "")
        if el.tag.endswith("}Default") and el.get("Extension", "").lower() == extension:
            default = el.get("ContentType", "")
    return default
