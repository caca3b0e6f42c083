"""Whether a user's file may be replaced: never one they marked read-only, never one that
Excel, WPS or LibreOffice has open (their lock file beside it says so).

Replacing a file goes through a temporary file and :func:`os.replace`, which needs only
the folder's permission: without this check a read-only workbook would be rewritten, and
a workbook open in Excel on a Mac would be replaced under Excel, whose next save then
wipes what xlsales wrote.
"""

from __future__ import annotations

import stat
from pathlib import Path

from xlsales.errors import WorkbookError

_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def lock_files(path: Path) -> list[Path]:
    """The lock files of the office programs that have ``path`` open: Excel's and WPS's
    ``~$name`` (Excel drops the name's first two characters when it is long) and
    LibreOffice's ``.~lock.name#``."""
    names = {f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#"}
    return sorted(p for n in names if (p := path.with_name(n)).is_file())


def check_replaceable(path: Path, buttons: bool = True) -> None:
    """Refuse, with what to do, to replace ``path`` when it is read-only or open in an
    office program; a path that does not exist yet is fine. ``buttons``: the workbook's
    own buttons do what the command does (not for an output the command writes anew)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode) and not mode & _WRITE_BITS:
        raise WorkbookError(
            f"{path} 是只读文件，未做任何修改。如需写入，请先取消只读属性（Windows：右键 > 属性；"
            "Mac/Linux：chmod u+w），或对它的副本操作。",
            f"{path} is read-only and was left untouched. To write into it, clear its "
            "read-only attribute first (Windows: right-click > Properties; Mac/Linux: chmod "
            "u+w), or work on a copy of it.")
    locks = lock_files(path)
    if locks:
        lock = locks[0].name
        raise WorkbookError(
            f"{path.name} 似乎正在 Excel、WPS 或 LibreOffice 中打开（旁边有锁定文件 {lock}），"
            "未做任何修改：请保存并关闭它后重试"
            f"{'（在打开的工作簿里可用其中的按钮）' if buttons else ''}。如果它并没有打开，"
            f"删除 {lock} 后重试。",
            f"{path.name} seems to be open in Excel, WPS or LibreOffice (the lock file {lock} "
            "is beside it) and was left untouched: save and close it, then try again"
            f"{' (or use the buttons in the open workbook)' if buttons else ''}. If it is not "
            f"open, delete {lock} and try again.")
