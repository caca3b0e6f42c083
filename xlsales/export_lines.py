"""What ``xlsales export`` says on stderr after the files written — the books it left
out, what gave no workbook, an earlier export's tables left beside the new ones — in
the language ``--lang`` chose, or in both (Chinese first) when it chose none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.export_manifest import MANIFEST
from xlsales.files import Unread
from xlsales.findings import counted
from xlsales.said import said
from xlsales.spec import Lang

if TYPE_CHECKING:
    from xlsales.export import ExportResult


def unread_line(u: Unread, lang: Lang | None) -> str:
    """What was given or found and not read, with why, in ``lang`` (both without)."""
    return f"{u.given}: " + said(u.zh, u.en, lang)


def left_out_lines(result: ExportResult, lang: Lang | None = None) -> list[str]:
    """What to say, on stderr, of the books an export left out: how many of how many
    were exported, then each left out with why; then what was given that yields no
    workbook (in ``lang``, both languages without)."""
    n, held = len(result.left_out), result.set_aside
    given = n + result.books + held
    lines = ["[export] " + said(
        f"导出 {given} 个工作簿中的 {result.books} 个，"
        + (f"{held} 个的数据已在其他工作簿中、未重复导出，" if held else "")
        + f"{n} 个无法使用、未导出",
        f"exported {result.books} of {counted(given, 'workbook')}; "
        + (f"{held} set aside (their rows are in another book given), " if held else "")
        + f"{n} cannot be used and {'was' if n == 1 else 'were'} left out:", lang),
        *(f"  {unread_line(u, lang)}" for u in result.left_out)] if n else []
    if result.not_found:
        lines += ["[export] " + said("以下没有导出任何工作簿", "these gave no workbook to export:",
                                     lang),
                  *(f"  {unread_line(u, lang)}" for u in result.not_found)]
    return lines


def stale_lines(result: ExportResult, lang: Lang | None = None) -> list[str]:
    """What to say, on stderr, of an earlier export's tables this one did not write: those
    of the same workbooks removed (:mod:`~xlsales.export_manifest`), the others left
    beside the new ones."""
    lines = []
    if result.removed:
        shown = ", ".join(p.name for p in result.removed)
        folder = result.removed[0].parent
        lines.append("[export] " + said(
            f"已删除 {folder} 中的 {shown}：这是以前导出同一批工作簿时写出的，本次没有导出这些表，"
            f"留着会被当成本次的数字（{MANIFEST} 列出本次写出的文件）",
            f"removed {shown} from {folder}: an earlier export of the same workbooks wrote "
            "them and this one does not export those tables, so they would pass for this "
            f"export's figures ({MANIFEST} lists the files this export wrote)", lang))
    if result.stale:
        shown = ", ".join(p.name for p in result.stale)
        folder = result.stale[0].parent
        lines.append("[export] " + said(
            f"注意：{folder} 中还有以前导出的 {shown}，本次没有写入，不是本次的数字（{MANIFEST} "
            "列出本次写出的文件）；它们是本次所写的表的另一种格式、属于其他工作簿、之后被改过或"
            "无法删除，因此保留：不需要请删除",
            f"note: {folder} also holds {shown} from an earlier export, not written now and "
            f"not this export's figures ({MANIFEST} lists the files this export wrote); kept, "
            "as they are another format of a table written now, or of other workbooks, were "
            "changed since or could not be removed: "
            "delete them if they are not wanted", lang))
    return lines


def shared_lines(result: ExportResult, lang: Lang | None = None) -> list[str]:
    """The orders in more than one book exported (three shown), which a sum over the
    books counts in each, and what to do — in ``lang`` (both without)."""
    n = len(result.shared)
    if not n:
        return []
    first = list(result.shared.items())[:3]
    more = n > 3
    zh = (f"注意：{n:,} 个订单出现在多个导出的工作簿中："
          + "；".join(f"{k}（{'、'.join(v)}）" for k, v in first) + ("…" if more else "")
          + "。每个工作簿的行都含有它们，按工作簿相加会各计一次：两人共同的同一笔订单无需处理；"
          "若是同一批记录的两个工作簿（中英文两个版本，或改了负责人的副本），请只导出其中一个")
    en = (f"note: {counted(n, 'order')} {'is' if n == 1 else 'are'} in more than "
          "one workbook exported (" + "; ".join(f"{k} in {', '.join(v)}" for k, v in first)
          + (", …" if more else "") + "): each book's rows hold them, so a sum over the "
          "books counts them in each; a deal two reps share needs nothing, but of two books of "
          "the same records (in two languages, or a copy with another owner) export only "
          "one")
    return ["[export] " + said(zh, en, lang)]
