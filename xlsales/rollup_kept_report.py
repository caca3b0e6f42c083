"""The consolidate report's lines on what was typed into the earlier roll-up a re-run
replaced (``consolidate --force`` onto the same ``-o``): the backup kept of it, what was
carried into the new roll-up (rows of the team's own, edited plan sheets) and what was
not, to copy from the backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.errors import WorkbookError
from xlsales.files import command_path
from xlsales.spec import SPEC

if TYPE_CHECKING:
    from xlsales.rollup_earlier import Earlier


def _sheet_of(table: str, lang: str) -> str:
    """The name of the sheet holding ``table`` in ``lang``."""
    sheet = next(s for s in SPEC.sheets if any(t.name == table for t in s.tables))
    return sheet.name.get(lang)  # type: ignore[arg-type]


def _carried_rows(earlier: Earlier) -> tuple[str, str] | None:
    """What :func:`~xlsales.rollup_carry.carry_rows` carried (zh, en): rows per sheet,
    and the IDs a member's row held; None when nothing was."""
    carried = earlier.carried
    if carried is None or not carried.rows:
        return None
    zh = "、".join(f"{_sheet_of(t, 'zh')} 中没有填成员的 {n} 行"
                  for t, n in carried.rows.items()) + "（原样，编号不变）"
    en = ", ".join(f"{n} row{'s' if n > 1 else ''} with no member on {_sheet_of(t, 'en')}"
                   for t, n in carried.rows.items()) + " (as typed, IDs kept)"
    if carried.renamed:
        pairs = [f"{a} → {b}" for a, b in carried.renamed]
        zh += "；以下编号已被成员的行占用，已改为：" + "、".join(pairs)
        en += "; IDs a member's row now holds renamed: " + ", ".join(pairs)
    return zh, en


def kept_lines(earlier: Earlier, out: Path, zh: bool) -> list[str]:
    """The report's lines when ``earlier`` (replaced at ``out``) held what was typed
    into it: its backup, what the new roll-up carries of it and what it does not."""
    assert earlier.backup is not None
    name, backup, new = earlier.path.name, earlier.backup.name, out.name
    carried_tables = set(earlier.carried.rows) if earlier.carried is not None else set()
    not_carried = [(e.zh, e.en) for e in earlier.edits
                   if not (e.kind == "rows" and e.table in carried_tables)
                   and not (e.kind == "plan" and earlier.plan_kept)]
    why = earlier.carried.not_carried if earlier.carried is not None else None
    if why is not None and any(e.kind == "rows" for e in earlier.edits):  # said once
        not_carried[0] = (f"{why[0]}：{not_carried[0][0]}", f"{why[1]}: {not_carried[0][1]}")
    shown = command_path(out)
    edited = earlier.plan.edited if earlier.plan is not None else []
    beside = earlier.plan.beside if earlier.plan is not None and earlier.plan_kept else []
    if beside:  # kept sheets hold their table only
        not_carried.append((f"{'、'.join(beside)} 中表格以外填写的内容",
                            f"what was typed beside the table on {', '.join(beside)}"))
    lines = [(f"  上次的 {name} 中有手动填写或修改的内容：替换前已备份为 {backup}",
              f"  the earlier {name} held what was typed into it: kept as {backup} before "
              "being replaced")]
    rows = _carried_rows(earlier)
    if rows is not None:
        lines.append((f"    已带入新的 {new}：{rows[0]}",
                      f"    carried into the new {new}: {rows[1]}"))
    if earlier.plan_kept:
        lines.append((
            f"    保留了修改过的计划表（{'、'.join(edited)}）：新的 {new} 中是上次的计划表，"
            "没有按本次数据重新制定计划；如需重新制定，运行 "
            f"xlsales plan {shown} --new-version（另存为新版本）或 --replace（替换）",
            f"    plan sheets kept as edited ({', '.join(edited)}): the new {new} holds the "
            "earlier plan sheets, no plan made afresh from these figures; for one, run "
            f"xlsales plan {shown} --new-version (a new version) or --replace"))
    if not_carried:
        lines.append((
            f"    未带入（请从备份中把需要的内容复制到新的 {new}）："
            + "；".join(z for z, _ in not_carried),
            f"    not carried (copy what you need from the backup into the new {new}): "
            + "; ".join(e for _, e in not_carried)))
    return [z if zh else e for z, e in lines]


def backups_line(backups: list[Path], of: Path, output: bool, zh: bool) -> str:
    """The report's one line for the backups of ``of`` (the roll-up's ``output``, or a
    book given with it) kept by earlier runs — one a week, set aside — instead of a line
    each."""
    names = sorted(p.name for p in backups)
    shown = f"{names[0]} … {names[-1]}" if len(names) > 2 else "、".join(names) if zh \
        else ", ".join(names)
    if zh:
        held = "它们本身已包含各成员" if output else f"其中的数据 {of.name} 中都有"
        return (f"  未合并 {len(names)} 个 xlsales 替换 {of.name} 前保留的备份（{shown}）："
                f"{held}，再合并会重复计算；不再需要的备份可以删除")
    held = ("they hold the members already and would count them twice" if output else
            f"what they hold is in {of.name} and would count twice")
    return (f"  left out {len(names)} backups xlsales kept of {of.name} before replacing it "
            f"({shown}): {held}; delete those you no longer need")


def backup_reason(of: Path, output: bool) -> WorkbookError:
    """Why a backup xlsales kept of ``of`` (the roll-up's ``output``, or a book given with
    it) is left out: it would count what ``of`` holds twice."""
    if output:
        return WorkbookError(
            f"这是 xlsales 替换 {of.name} 前保留的备份：它本身已包含各成员，再合并会重复计算",
            f"it is the backup xlsales kept of {of.name} before replacing it: it holds the "
            "members already and would count them twice")
    return WorkbookError(
        f"这是 xlsales 替换 {of.name} 前保留的备份：其中的数据 {of.name} 中都有，再合并会重复计算",
        f"it is the backup xlsales kept of {of.name} before replacing it: what it holds is "
        f"in {of.name}, given too, and would count twice")
