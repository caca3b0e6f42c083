"""The consolidate report's lines on what was typed into the earlier roll-up a re-run
replaced (``consolidate --force`` onto the same ``-o``): the backup kept of it, what was
carried into the new roll-up (rows of the team's own, edited plan sheets) and what was
not, to copy from the backup."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.files import command_path
from xlsales.spec import SPEC

if TYPE_CHECKING:
    from xlsales.rollup_earlier import Earlier


def _sheet_of(table: str, lang: str) -> str:
    """The name of the sheet holding ``table`` in ``lang``."""
    sheet = next(s for s in SPEC.sheets if any(t.name == table for t in s.tables))
    return sheet.name.get(lang)  # type: ignore[arg-type]


def _carried_rows(earlier: Earlier, zh: bool) -> list[str]:
    """What :func:`~xlsales.rollup_carry.carry_rows` carried: rows per sheet, and the
    IDs a member's row held."""
    carried = earlier.carried
    if carried is None or not carried.rows:
        return []
    lang = "zh" if zh else "en"
    if zh:
        parts = [f"{_sheet_of(t, lang)} 中没有填成员的 {n} 行" for t, n in carried.rows.items()]
        text = "、".join(parts) + "（原样，编号不变）"
        if carried.renamed:
            text += "；以下编号已被成员的行占用，已改为：" + "、".join(
                f"{a} → {b}" for a, b in carried.renamed)
        return [text]
    parts = [f"{n} row{'s' if n > 1 else ''} with no member on {_sheet_of(t, lang)}"
             for t, n in carried.rows.items()]
    text = ", ".join(parts) + " (as typed, IDs kept)"
    if carried.renamed:
        text += "; IDs a member's row now holds renamed: " + ", ".join(
            f"{a} → {b}" for a, b in carried.renamed)
    return [text]


def kept_lines(earlier: Earlier, out: Path, zh: bool) -> list[str]:
    """The report's lines when ``earlier`` (replaced at ``out``) held what was typed
    into it: its backup, what the new roll-up carries of it and what it does not."""
    assert earlier.backup is not None
    name, backup, new = earlier.path.name, earlier.backup.name, out.name
    carried_tables = set(earlier.carried.rows) if earlier.carried is not None else set()
    not_carried = [(e.zh, e.en) for e in earlier.edits
                   if not (e.kind == "rows" and e.table in carried_tables)
                   and not (e.kind == "plan" and earlier.plan_kept)]
    shown = command_path(out)
    edited = earlier.plan.edited if earlier.plan is not None else []
    beside = earlier.plan.beside if earlier.plan is not None and earlier.plan_kept else []
    if beside:  # kept sheets hold their table only
        not_carried.append((f"{'、'.join(beside)} 中表格以外填写的内容",
                            f"what was typed beside the table on {', '.join(beside)}"))
    if zh:
        lines = [f"  上次的 {name} 中有手动填写或修改的内容：替换前已备份为 {backup}"]
        lines += [f"    已带入新的 {new}：{text}" for text in _carried_rows(earlier, zh)]
        if earlier.plan_kept:
            lines.append(f"    保留了修改过的计划表（{'、'.join(edited)}）：新的 {new} 中是上次的"
                         "计划表，没有按本次数据重新制定计划；如需重新制定，运行 "
                         f"xlsales plan {shown} --new-version（另存为新版本）或 --replace（替换）")
        if not_carried:
            what = "；".join(zh_text for zh_text, _ in not_carried)
            lines.append(f"    未带入（请从备份中把需要的内容复制到新的 {new}）：{what}")
        return lines
    lines = [f"  the earlier {name} held what was typed into it: kept as {backup} before "
             "being replaced"]
    lines += [f"    carried into the new {new}: {text}" for text in _carried_rows(earlier, zh)]
    if earlier.plan_kept:
        lines.append(f"    plan sheets kept as edited ({', '.join(edited)}): the new {new} holds "
                     "the earlier plan sheets, no plan made afresh from these figures; for one, "
                     f"run xlsales plan {shown} --new-version (a new version) or --replace")
    if not_carried:
        what = "; ".join(en_text for _, en_text in not_carried)
        lines.append(f"    not carried (copy what you need from the backup into the new {new}): "
                     f"{what}")
    return lines
