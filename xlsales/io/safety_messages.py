"""The refusals of :mod:`xlsales.io.safety`: each raises a
:class:`~xlsales.errors.WorkbookError` with one short Chinese and English paragraph that
names the file and says what to do, and records what the file turned out to be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from xlsales.errors import WorkbookError
from xlsales.io.safety_limits import GiB, KiB, MiB

SAVE_AS_XLSX_EN = "open it in Excel or WPS and use File > Save As > Excel Workbook (.xlsx)"
SAVE_AS_XLSX_ZH = "请用 Excel 或 WPS 打开，选择“文件 > 另存为 > Excel 工作簿 (.xlsx)”"
RESTORE_EN = "Download or copy it again, or restore it from a backup."
RESTORE_ZH = "请重新下载或复制该文件，或从备份中恢复。"


@dataclass(frozen=True)
class Kind:
    """What a file that is not a workbook appears to be, in both languages."""

    zh: str
    en: str


def zh_kind(kind: Kind) -> str:
    """``kind.zh`` spaced from the preceding Chinese text when it starts in Latin script."""
    return f" {kind.zh}" if kind.zh[:1].isascii() else kind.zh


def size_text(n: int) -> str:
    """``n`` bytes for people: 3.0 GB, 12 MB."""
    if n >= GiB:
        return f"{n / GiB:.1f} GB"
    if n >= MiB:
        return f"{n / MiB:.0f} MB"
    return f"{n / KiB:.0f} KB"


class Refusals:
    """The refusals of one file, named ``name`` in every message as the user gave it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.what = "an Excel workbook (.xlsx/.xlsm)"
        """What the file turned out to be, for :func:`~xlsales.io.safety.describe_path`."""

    def fail(self, what: str, zh: str, en: str) -> NoReturn:
        """Record ``what`` the file is and raise the error with both messages."""
        self.what = what
        raise WorkbookError(zh, en)

    # -- the path and the file (case 1) -------------------------------------------------------

    def fail_not_found(self, meant: str | None = None) -> NoReturn:
        """Nothing at the path (``meant``: the workbook beside it the name lacks only the
        extension of, ``王芳_2026-11.xlsx`` for ``王芳_2026-11``)."""
        if meant is not None:
            self.fail(
                "nothing (the path does not exist)",
                f"找不到文件 {self.name}：同一文件夹里有 {meant}，是要用它吗？"
                f"请连同扩展名一起写：{meant}。",
                f"{self.name} was not found: the folder holds {meant}, is that the one? Give "
                f"the name with its extension: {meant}.",
            )
        self.fail(
            "nothing (the path does not exist)",
            f"找不到文件 {self.name}。请检查文件名和所在文件夹；"
            "也可以把文件拖进终端窗口来粘贴完整路径。",
            f"{self.name} was not found. Check the file name and folder; you can also drag "
            "the file into the terminal window to paste its full path.",
        )

    def fail_inaccessible(self, err: OSError) -> NoReturn:
        """The path cannot be looked at (``stat`` fails)."""
        self.fail(
            "an unreadable path",
            f"无法访问 {self.name}（{err.strerror}）。请确认你有权限打开它，然后再试。",
            f"{self.name} cannot be accessed ({err.strerror}). Check that you have "
            "permission to open it, and try again.",
        )

    def fail_folder(self) -> NoReturn:
        """The path is a folder."""
        self.fail(
            "a folder",
            f"{self.name} 是一个文件夹，不是工作簿。请指定其中的 .xlsx 文件。",
            f"{self.name} is a folder, not a workbook. Give the path of the .xlsx file "
            "inside it.",
        )

    def fail_not_regular(self) -> NoReturn:
        """The path is a device, a pipe or a socket."""
        self.fail(
            "not a regular file",
            f"{self.name} 不是普通文件。请指定一个已保存的 .xlsx 工作簿。",
            f"{self.name} is not a regular file. Give the path of a saved .xlsx workbook.",
        )

    def fail_empty(self) -> NoReturn:
        """The file has 0 bytes."""
        self.fail(
            "an empty file",
            f"文件 {self.name} 是空的（0 字节），可能下载或复制没有完成。{RESTORE_ZH}",
            f"{self.name} is empty (0 bytes); the download or copy probably did not "
            f"finish. {RESTORE_EN}",
        )

    def fail_no_permission(self, err: PermissionError) -> NoReturn:
        """The file may not be opened."""
        self.fail(
            "an unreadable file",
            f"无法读取文件 {self.name}（{err.strerror}）。请确认你有权限打开它，然后再试。",
            f"{self.name} cannot be read ({err.strerror}). Check that you have permission "
            "to open it, and try again.",
        )

    def fail_unreadable(self, err: OSError) -> NoReturn:
        """Reading the file failed (a network drive gone, an I/O error)."""
        self.fail(
            "an unreadable file",
            f"读取文件 {self.name} 时出错（{err.strerror or err}）。"
            "请把文件复制到本机磁盘后再试。",
            f"{self.name} could not be read ({err.strerror or err}). Copy it to a local "
            "disk and try again.",
        )

    # -- not a workbook (cases 2 to 4 and 6) --------------------------------------------------

    def fail_lock_file(self) -> NoReturn:
        """Excel's ``~$`` lock file of an open workbook."""
        self.fail(
            "an Excel lock file",
            f"文件 {self.name} 是 Excel 打开工作簿时生成的临时锁定文件，不是工作簿。"
            "请使用不带“~$”前缀的那个文件。",
            f"{self.name} is the temporary lock file Excel creates while a workbook is "
            "open, not a workbook. Use the file without the \"~$\" prefix.",
        )

    def fail_text_table(self, kind: Kind) -> NoReturn:
        """A CSV or TSV file: perhaps a CRM export, for ``xlsales import``."""
        self.fail(
            kind.en,
            f"文件 {self.name} 是{zh_kind(kind)}，不是 Excel 工作簿。如果是从 CRM 导出的数据，"
            f"请用 `xlsales import` 导入；否则{SAVE_AS_XLSX_ZH}。",
            f"{self.name} is {kind.en}, not an Excel workbook. If it is an export from your "
            f"CRM, bring it in with `xlsales import`; otherwise {SAVE_AS_XLSX_EN}.",
        )

    def fail_exported_page(self, kind: Kind) -> NoReturn:
        """An HTML, MHT or Excel 2003 XML file, as systems export "Excel" files."""
        self.fail(
            kind.en,
            f"文件 {self.name} 是{zh_kind(kind)}（很多系统这样导出“Excel”文件），"
            f"不是真正的 .xlsx 工作簿。{SAVE_AS_XLSX_ZH}，再使用新文件。",
            f"{self.name} is {kind.en} (many systems export \"Excel\" files this way), not a "
            f"real .xlsx workbook: {SAVE_AS_XLSX_EN}, then use the new file.",
        )

    def fail_renamed(self, kind: Kind) -> NoReturn:
        """Another kind of file, perhaps only given an Excel extension."""
        self.fail(
            kind.en,
            f"文件 {self.name} 是{zh_kind(kind)}，不是 Excel 工作簿（可能只是改了扩展名）。"
            "请向发送人索要 .xlsx 文件，"
            "或在 Excel 中用“文件 > 另存为 > Excel 工作簿 (.xlsx)”导出。",
            f"{self.name} is {kind.en}, not an Excel workbook (perhaps only its extension was "
            "changed). Ask the sender for the .xlsx file, or export it from Excel with "
            "File > Save As > Excel Workbook (.xlsx).",
        )

    def fail_save_as(self, kind: Kind, libreoffice: bool = False) -> NoReturn:
        """A spreadsheet Excel can save again as .xlsx (``libreoffice``: one LibreOffice
        made, which saves it so too)."""
        lo_zh = ("（在 LibreOffice 中：“文件 > 另存为”，文件类型选“Excel 2007-365 (.xlsx)”，"
                 "并选择“使用 Excel 2007-365!”）" if libreoffice else "")
        lo_en = (" (in LibreOffice: File > Save As, file type 'Excel 2007-365 (.xlsx)', then "
                 "'Use Excel 2007-365!')" if libreoffice else "")
        self.fail(
            kind.en,
            f"文件 {self.name} 是{zh_kind(kind)}，不是 .xlsx 工作簿。"
            f"{SAVE_AS_XLSX_ZH}{lo_zh}，再使用新文件。",
            f"{self.name} is {kind.en}, not an .xlsx workbook: {SAVE_AS_XLSX_EN}{lo_en}, "
            "then use the new file.",
        )

    def fail_wrong_document(self, kind: Kind) -> NoReturn:
        """A document that is no spreadsheet: the wrong file was picked."""
        self.fail(
            kind.en,
            f"文件 {self.name} 是{zh_kind(kind)}，不是 Excel 工作簿。请确认选对了文件；"
            "需要的是从 Excel 保存的 .xlsx 文件。",
            f"{self.name} is {kind.en}, not an Excel workbook. Check that you picked the "
            "right file: xlsales needs an .xlsx file saved from Excel.",
        )

    def fail_encrypted(self) -> NoReturn:
        """An OOXML package encrypted with a password to open (case 3)."""
        self.fail(
            "a password-protected (encrypted) Excel workbook",
            f"文件 {self.name} 设置了打开密码，无法读取。请在 Excel 中打开它，"
            "依次选择“文件 > 信息 > 保护工作簿 > 用密码进行加密”，清空密码并保存"
            "（WPS：“文件 > 文档加密 > 密码加密”），然后再试。",
            f"{self.name} is protected with a password to open, so it cannot be read. Open it "
            "in Excel, go to File > Info > Protect Workbook > Encrypt with Password, clear the "
            "password, save, and try again.",
        )

    def fail_legacy_xls(self) -> NoReturn:
        """An Excel 97-2003 workbook (case 4)."""
        self.fail(
            "an Excel 97-2003 workbook (.xls)",
            f"文件 {self.name} 是旧版 Excel 97-2003 工作簿（.xls），xlsales 只能读取 .xlsx。"
            f"{SAVE_AS_XLSX_ZH}，再使用新文件。",
            f"{self.name} is an old Excel 97-2003 workbook (.xls); xlsales reads only .xlsx: "
            f"{SAVE_AS_XLSX_EN}, then use the new file.",
        )

    def fail_password_zip(self) -> NoReturn:
        """A zip archive whose members are encrypted."""
        self.fail(
            "a password-protected ZIP archive",
            f"文件 {self.name} 是设置了密码的 ZIP 压缩包，不是 Excel 工作簿。"
            "请先用密码解压，再使用其中的 .xlsx 文件。",
            f"{self.name} is a password-protected ZIP archive, not an Excel workbook. "
            "Unzip it with its password first and use the .xlsx file inside.",
        )

    def fail_numbers(self) -> NoReturn:
        """An Apple Numbers document."""
        self.fail(
            "an Apple Numbers document",
            f"文件 {self.name} 是 Apple Numbers 文档，不是 .xlsx 工作簿。请在 Numbers 中选择"
            "“文件 > 导出为 > Excel”，再使用导出的文件。",
            f"{self.name} is an Apple Numbers document, not an .xlsx workbook. In Numbers "
            "choose File > Export To > Excel, then use the exported file.",
        )

    def fail_zipped_workbook(self, inner: str) -> NoReturn:
        """A zip archive holding the workbook ``inner``."""
        self.fail(
            "a ZIP archive holding a workbook",
            f"文件 {self.name} 是 ZIP 压缩包，不是 Excel 工作簿；其中包含 {inner}。"
            "请先解压，再使用其中的工作簿。",
            f"{self.name} is a ZIP archive, not an Excel workbook; it contains "
            f"{inner}. Unzip it first and use the workbook inside.",
        )

    # -- damaged, cut off, hostile (cases 5, 7 to 9) -------------------------------------------

    def fail_damaged(self, zh_detail: str, en_detail: str) -> NoReturn:
        """A package damaged as the details say (case 5)."""
        self.fail(
            "a damaged file",
            f"文件 {self.name} 已损坏（{zh_detail}），无法安全读取。{RESTORE_ZH}",
            f"{self.name} is damaged ({en_detail}) and cannot be read safely. {RESTORE_EN}",
        )

    def fail_truncated(self) -> NoReturn:
        """A file cut off before its end (case 5)."""
        self.fail(
            "an incomplete (cut off) file",
            f"文件 {self.name} 不完整：文件被截断了（下载、复制或邮件附件没有传完）。{RESTORE_ZH}",
            f"{self.name} is incomplete: the file was cut off (the download, copy or e-mail "
            f"attachment did not finish). {RESTORE_EN}",
        )

    def fail_bomb(self, zh_detail: str, en_detail: str) -> NoReturn:
        """A package built as a zip bomb is, as the details say (case 7)."""
        self.fail(
            "a suspected zip bomb",
            f"已拒绝文件 {self.name}，没有打开它：{zh_detail}。“压缩炸弹”就是这样构造的，"
            "任何销售工作簿都不需要这样。如果这确实是你的工作簿，"
            "请在 Excel 中删除不用的工作表和行后重新保存；如果不知道它的来历，请删除它。",
            f"{self.name} was refused without being opened: {en_detail}. This is how \"zip "
            "bombs\" are built, and no sales workbook needs it. If it is really your workbook, "
            "delete unused sheets and rows in Excel and save it again; if you do not know "
            "where it came from, delete it.",
        )

    def fail_dtd(self, part: str) -> NoReturn:
        """Case 8: refuse a part that declares a document type."""
        self.fail(
            "an Office package with an XML document type declaration",
            f"已拒绝文件 {self.name}：其中的 {part} 含有文档类型声明（<!DOCTYPE>/<!ENTITY>）。"
            "Excel 从不写入这种内容，它可被用来攻击读取文件的程序（“XML 炸弹”）。"
            "请让发送人从 Excel 重新保存该工作簿；如不知道文件来历，请删除它。",
            f"{self.name} was refused: its part {part} contains a document type declaration "
            "(<!DOCTYPE>/<!ENTITY>), which Excel never writes and which can be used to attack "
            "the program reading it (an \"XML bomb\"). Ask the sender to save the workbook "
            "again from Excel; if you do not know where it came from, delete it.",
        )

    def fail_no_worksheets(self) -> NoReturn:
        """Case 9: a workbook that lists no worksheet."""
        self.fail(
            "an Excel workbook without worksheets",
            f"文件 {self.name} 中没有任何工作表。请确认选对了文件；"
            "或在 Excel 中恢复或添加工作表后保存再试（`xlsales new` 可以新建一个工作簿）。",
            f"{self.name} contains no worksheets. Check that you picked the right file, or "
            "restore or add the sheets in Excel, save, and try again (`xlsales new` creates "
            "a fresh workbook).",
        )
