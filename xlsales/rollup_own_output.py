"""The roll-up's output (``-o``) found among the workbooks it reads: an earlier run's
roll-up in the members' folder is left out (it holds them already) and replaced, but a
member's own workbook is never written over, ``--force`` or not — its entries would be
lost for a roll-up that no longer holds them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xlsales.errors import UsageError
from xlsales.rollup_copies import is_rollup
from xlsales.rollup_member import load_member


def check_not_a_member(out: Path, own: Sequence[Path]) -> None:
    """Raise :class:`UsageError` when ``out``, found among the inputs as ``own``, is a
    workbook that is no roll-up (a rep's or a manager's own book): only a roll-up written
    by an earlier run may be replaced. A file that cannot be read is no one's book."""
    for path in own:
        member = load_member(path, False)
        if member.reason is not None or is_rollup(member):
            continue
        owner = f" {member.owner} 的" if member.owner else ""
        owner_en = f"{member.owner}'s" if member.owner else "a member's"
        raise UsageError(
            f"输出文件 {out}（-o）是要合并的{owner}工作簿 {path.name}，不是以前合并出的汇总："
            "写入会覆盖它，其中填写的内容全部丢失，未做任何修改。请用 -o 指定其他文件名，"
            "例如放在成员文件夹之外。",
            f"The output {out} (-o) is {owner_en} own workbook {path.name}, one of the "
            "members, not a roll-up written before: writing it would replace it and lose "
            "what was entered in it, so nothing was done. Choose another name with -o, "
            "for example outside the members' folder.")
