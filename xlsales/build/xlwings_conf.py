"""The ``xlwings.conf`` sheet of a macro-enabled workbook, laid out as in xlwings' quickstart.

xlwings' ``quickstart_standalone.xlsm`` ships a ``_xlwings.conf`` sheet: setting names in
column A from A1 down, values in column B, notes below a blank row. xlwings' VBA reads the
sheet named ``xlwings.conf`` (no underscore), A1 to the first empty cell of column A, and a
setting found there overrides the user's and the folder's ``xlwings.conf`` files. The
settings block is taken from the installed xlwings at build time, so it matches the VBA
that comes from the same package.
"""

from __future__ import annotations

import sys
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xlsales.script_variant import OwnText
from xlsales.spec import Lang
from xlsales.vbaproject.errors import VbaProjectError
from xlsales.vbaproject.xlwings_modules import QUICKSTART, xlwings_package_dir

CONF_SHEET = "xlwings.conf"
QUICKSTART_CONF_SHEET = "_xlwings.conf"
#: The module whose ``@xw.func`` functions (``XS_ATTAINMENT`` …) xlwings imports as UDFs.
UDF_MODULES = "xlsales.udfs"
INTERPRETER_KEYS = {"win32": "Interpreter_Win", "darwin": "Interpreter_Mac"}
UDF_KEY = "UDF Modules"
NOTES_ROW = 12  # 0-based; the quickstart's notes start at A13, below a blank row

NOTES: dict[Lang, tuple[str, ...]] = {
    "zh": (
        "说明：",
        "这是 xlwings 的设置表，工作簿里的按钮通过它找到 Python。设置从 A1 开始，中间不能有空行。",
        "Interpreter_Win / Interpreter_Mac：python.exe（Mac 上为 python3）的完整路径。"
        "xlsales new 会填入运行它的 Python；留空时 xlwings 使用 PATH 中的 python。",
        "UDF Modules：xlsales 的自定义函数（XS_ATTAINMENT 等，仅 Windows 版 Excel）。",
        "删除某一行后，xlwings 改用其设置文件（xlwings.conf）或默认值。",
    ),
    "en": (
        "Notes:",
        "These are xlwings' settings; the workbook's buttons find Python through them. They "
        "start in A1, with no blank row in between.",
        "Interpreter_Win / Interpreter_Mac: the full path of python.exe (python3 on a Mac). "
        "`xlsales new` fills in the Python it runs on; when empty, xlwings runs `python` from "
        "the PATH.",
        "UDF Modules: xlsales' own formulas (XS_ATTAINMENT …; Excel on Windows only).",
        "Delete a row to fall back to xlwings' settings file (xlwings.conf) or its default.",
    ),
}


def quickstart_conf_rows() -> list[tuple[str, Any]]:
    """The settings block (name, default value) of the installed xlwings' quickstart."""
    import openpyxl

    path = xlwings_package_dir() / QUICKSTART
    try:
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book[QUICKSTART_CONF_SHEET]
        rows = []
        for key, value in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
            if key is None or str(key).strip() == "":
                break
            rows.append((str(key), value))
        book.close()
    except (OSError, KeyError, ValueError) as exc:
        raise VbaProjectError(
            f"无法从已安装的 xlwings 读取设置表 {QUICKSTART_CONF_SHEET}（{path}）：{exc}",
            f"cannot read the {QUICKSTART_CONF_SHEET} sheet of the installed xlwings "
            f"({path}): {exc}") from None
    missing = [k for k in (*INTERPRETER_KEYS.values(), UDF_KEY) if k not in dict(rows)]
    if missing:
        raise VbaProjectError(
            f"已安装的 xlwings 的 {QUICKSTART} 设置表中没有：{', '.join(missing)}",
            f"the {QUICKSTART_CONF_SHEET} sheet of the installed xlwings' {QUICKSTART} lacks: "
            f"{', '.join(missing)}")
    return rows


def this_interpreter(platform: str | None = None,
                     executable: str | None = None) -> tuple[str, str] | None:
    """(setting, path) of the running Python where Excel runs (Windows, macOS); else None."""
    key = INTERPRETER_KEYS.get(platform or sys.platform)
    path = executable if executable is not None else sys.executable
    return (key, path) if key and path else None


def conf_rows(interpreter: tuple[str, str] | None) -> list[tuple[str, Any]]:
    """The settings to write: the quickstart's, with the interpreter and UDF module set."""
    values: dict[str, Any] = {key: "" for key in INTERPRETER_KEYS.values()}
    values[UDF_KEY] = UDF_MODULES
    if interpreter is not None:
        values[interpreter[0]] = interpreter[1]
    return [(key, values.get(key, default)) for key, default in quickstart_conf_rows()]


def write_conf_sheet(wb: Workbook, lang: Lang, interpreter: tuple[str, str] | None,
                     own: OwnText | None = None) -> Worksheet:
    """Add the ``xlwings.conf`` sheet (last, visible as in the quickstart); its notes in
    the workbook's script by ``own``."""
    own = own or OwnText()
    ws = wb.add_worksheet(CONF_SHEET)
    ws.set_tab_color("#A5A5A5")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 60)
    bold = wb.add_format({"bold": True})
    for row, (key, value) in enumerate(conf_rows(interpreter)):
        ws.write_string(row, 0, key)
        if isinstance(value, bool):
            ws.write_boolean(row, 1, value)
        elif value not in (None, ""):
            ws.write_string(row, 1, str(value))
    for i, text in enumerate(NOTES[lang]):
        ws.write_string(NOTES_ROW + i, 0, own(text), bold if i == 0 else None)
    return ws
