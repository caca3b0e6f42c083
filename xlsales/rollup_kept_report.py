"""The consolidate report's lines on what was typed into the earlier roll-up a re-run
replaced (``consolidate --force`` onto the same ``-o``): the backup kept of it, what was
carried into the new roll-up (rows of the team's own, reviews typed onto members' rows,
edited plan sheets) and what was not, to copy from the backup; and the backups such
re-runs leave in the members' folder, set aside in one line of the report and one row
of the ranking sheet (:func:`one_row_for_backups`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from xlsales.errors import WorkbookError
from xlsales.files import command_path
from xlsales.io.backup import BACKUP_TAIL
from xlsales.spec import SPEC

if TYPE_CHECKING:
    from xlsales.rollup_carry import Carried
    from xlsales.rollup_carry_reviews import Overridden
    from xlsales.rollup_earlier import Earlier


class Edit(NamedTuple):
    """One kind of thing typed into the earlier roll-up, said in each language."""

    #: "rows" (of the team's own), "cells" (typed onto members' rows), "plan" (sheets
    #: edited), "sheets" (of the manager's), "report" (the KPI report's edited summary)
    kind: str
    zh: str
    en: str
    #: the table of the rows ("rows") or cells ("cells")
    table: str = ""


def _carried_rows(earlier: Earlier) -> tuple[str, str] | None:
    """What :func:`~xlsales.rollup_carry.carry_rows` carried (zh, en): rows per sheet,
    and the IDs a member's row held; None when nothing was."""
    carried = earlier.carried
    if carried is None or not (carried.rows or carried.cells):
        return None
    zh = "、".join(f"{SPEC.sheet_of(t).name.zh} 中没有填成员的 {n} 行"
                  for t, n in carried.rows.items()) + "（原样，编号不变）" * bool(carried.rows)
    en = ", ".join(f"{n} row{'s' if n > 1 else ''} with no member on {SPEC.sheet_of(t).name.en}"
                   for t, n in carried.rows.items()) + " (as typed, IDs kept)" * bool(carried.rows)
    if carried.cells:
        cells = _cells_carried(carried)
        zh, en = ("、".join(x for x in (zh, cells[0]) if x),
                  ", ".join(x for x in (en, cells[1]) if x))
    for by_member, (why_zh, why_en) in ((True, ("已被成员的行占用", "a member's row now holds")),
                                        (False, ("与前面另一行没有填成员的行相同",
                                                 "two rows typed with no member share"))):
        pairs = [f"{r.old} → {r.new}" for r in carried.renamed if r.by_member is by_member]
        if pairs:
            zh += f"；以下编号{why_zh}，已改为：" + "、".join(pairs)
            en += f"; IDs {why_en} renamed: " + ", ".join(pairs)
    return zh, en


def _columns(table: str, keys: list[str], lang: str) -> str:
    """The labels of ``table``'s columns ``keys`` in ``lang``, listed."""
    labels = [SPEC.table(table).column(k).label.get(lang) for k in keys]  # type: ignore[arg-type]
    return ("、" if lang == "zh" else ", ").join(dict.fromkeys(labels))


def _shown(over: Overridden, value: object, lang: str) -> str:
    """A cell's ``value`` as the sheet shows it: a choice by its label."""
    choices = SPEC.table(over.table).column(over.column).choices
    code = choices.key_of(str(value)) if choices is not None else None
    return choices.label(code, lang) if choices is not None and code else str(value)  # type: ignore[arg-type]


def _cells_carried(carried: Carried) -> tuple[str, str]:
    """The cells typed onto members' rows kept (zh, en): how many, on which sheet, of
    which columns (those some were kept of); kept where the member's book left them as
    they were (:mod:`~xlsales.rollup_carry_reviews`)."""
    counts = {t: (sum(by.values()), list(by)) for t, by in carried.cells.items()}
    zh = "、".join(f"{SPEC.sheet_of(t).name.zh} 中成员的行上填写的 {n} 个单元格（"
                  f"{_columns(t, keys, 'zh')}，成员的工作簿中未改动）"
                  for t, (n, keys) in counts.items())
    en = ", ".join(f"{n} cell{'s' if n > 1 else ''} typed onto members' rows of "
                   f"{SPEC.sheet_of(t).name.en} ({_columns(t, keys, 'en')}, "
                   "unchanged in the member's book)" for t, (n, keys) in counts.items())
    return zh, en


def _overridden_line(carried: Carried) -> tuple[str, str] | None:
    """The cells typed onto members' rows that their books now fill differently (zh,
    en): each by sheet, row ID and column, its value now and before; None when none."""
    if not carried.overridden:
        return None
    zh = "；".join(
        f"{SPEC.sheet_of(o.table).name.zh} {o.row} 的{_columns(o.table, [o.column], 'zh')}："
        f"{_shown(o, o.now, 'zh')}（上次：{_shown(o, o.earlier, 'zh')}）"
        for o in carried.overridden)
    en = "; ".join(
        f"{SPEC.sheet_of(o.table).name.en} {o.row} {_columns(o.table, [o.column], 'en')}: "
        f"{_shown(o, o.now, 'en')} (before: {_shown(o, o.earlier, 'en')})"
        for o in carried.overridden)
    return (f"    以下单元格上次的汇总中有值，成员的工作簿现在填了不同的内容，已采用成员的"
            f"（上次的值见备份）：{zh}",
            f"    filled differently in the members' books now, the members' values taken "
            f"(the earlier ones are in the backup): {en}")


def reviews_typed(carried: Carried | None) -> list[Edit]:
    """The edits of the earlier roll-up :func:`~xlsales.rollup_carry.carry_rows` found
    on members' rows (cells it held that their books leave empty, or fill differently
    now): seen only when the members are read, and kept in the backup too."""
    if carried is None:
        return []
    tables = list(dict.fromkeys([*carried.cells, *(o.table for o in carried.overridden)]))
    return [Edit("cells", f"{SPEC.sheet_of(t).name.zh} 中成员的行上填写的内容",
                 f"cells typed onto members' rows of {SPEC.sheet_of(t).name.en}", t)
            for t in tables]


def kept_lines(earlier: Earlier, out: Path, zh: bool) -> list[str]:
    """The report's lines when ``earlier`` (replaced at ``out``) held what was typed
    into it: its backup, what the new roll-up carries of it and what it does not."""
    assert earlier.backup is not None
    name, backup, new = earlier.path.name, earlier.backup.name, out.name
    carried_tables = set(earlier.carried.rows) if earlier.carried is not None else set()
    not_carried = [(e.zh, e.en) for e in earlier.edits if e.kind != "cells"  # said below
                   and not (e.kind == "rows" and e.table in carried_tables)
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
    over = _overridden_line(earlier.carried) if earlier.carried is not None else None
    if over is not None:
        lines.append(over)
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


def _backups_text(names: list[str], of: Path, output: bool, zh: bool,
                  listed: bool = True) -> str:
    """What is said of the backups ``names`` of ``of`` set aside, after "left out":
    how many, (``listed``) which, and why."""
    names = sorted(names)
    shown = shown_backups(names, zh)
    if zh:
        held = "它们本身已包含各成员" if output else f"其中的数据 {of.name} 中都有"
        return (f"{len(names)} 个 xlsales 替换 {of.name} 前保留的备份{f'（{shown}）' * listed}："
                f"{held}，再合并会重复计算；不再需要的备份可以删除")
    held = ("they hold the members already and would count them twice" if output else
            f"what they hold is in {of.name} and would count twice")
    return (f"{len(names)} backups xlsales kept of {of.name} before replacing it"
            f"{f' ({shown})' * listed}: {held}; delete those you no longer need")


def shown_backups(names: list[str], zh: bool) -> str:
    """The backups ``names`` (sorted) listed: the first and the last of more than two."""
    return f"{names[0]} … {names[-1]}" if len(names) > 2 else ("、" if zh else ", ").join(names)


def backups_line(backups: list[Path], of: Path, output: bool, zh: bool) -> str:
    """The report's one line for the backups of ``of`` (the roll-up's ``output``, or a
    book given with it) kept by earlier runs — one a week, set aside — instead of a line
    each."""
    text = _backups_text([p.name for p in backups], of, output, zh)
    return f"  未合并 {text}" if zh else f"  left out {text}"


#: A backup's name: the workbook's stem, ``.backup-`` and when it was kept, its suffix.
BACKUP_NAME = re.compile(rf"(.+){BACKUP_TAIL}(\.[^.]+)", re.IGNORECASE)


def one_row_for_backups(left_out: Sequence[tuple[str, str, tuple[Path, bool] | None]],
                        lang: str) -> list[tuple[str, str]]:
    """The ranking sheet's rows of workbooks left out — (file, status, what it is a
    backup of: :attr:`~xlsales.rollup_member.Member.backup_of`) — as (file, status), the
    backups of one workbook (two or more, one a week) in one row, as the report says
    them in one line."""
    from xlsales.rollup_lacks import held_status

    groups: dict[tuple[Path, bool], list[str]] = {}
    for file, _, of in left_out:
        if of is not None:
            groups.setdefault(of, []).append(file)
    out = []
    for file, status, of in left_out:
        files = groups.get(of, []) if of is not None else []
        if len(files) < 2:
            out.append((file, status))
        elif file == files[0]:
            text = _backups_text([Path(f).name for f in files], of[0], of[1], lang == "zh",
                                 listed=False)
            out.append((shown_backups(sorted(files), lang == "zh"), held_status(text, lang)))
    return out


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
