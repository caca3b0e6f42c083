"""The roll-up an earlier run wrote at ``-o``, read before ``consolidate --force``
replaces it: what changed since, and what the manager typed into it.

A manager re-runs the roll-up every week as the reps update their books. Replacing the
earlier roll-up said nothing of what changed: a rep whose book left the folder simply
vanished from the team's figures, and a book rolled up again after a fix was not told
apart from last week's. :func:`since_lines` compares the earlier ranking sheet with the
new roll-up: workbooks new, back, gone or now left out, and each member's revenue that
moved.

A roll-up is also a workbook the manager works in: notes typed into its plan sheets, a
lesson of the team's own, a sheet added, a KPI report's edited summary. Consolidating
again writes every sheet afresh. :func:`read_earlier` finds them — plan sheets whose
fingerprint no longer matches, rows of the member tables that name no member, sheets the
new roll-up does not write; :func:`carry_into` carries the rows into the new roll-up
(:mod:`~xlsales.rollup_carry`) and keeps the edited plan sheets instead of a fresh plan
(:mod:`~xlsales.rollup_keep_plan`), and :func:`keep_earlier` copies the earlier file
aside (``team.backup-20261129-093000.xlsx``, as ``plan --replace`` names its backup)
before it is replaced, for the report to name with what was carried and what was not
(:mod:`~xlsales.rollup_kept_report`). Such a backup in the members' folder is set aside
by the next run (:func:`backup_of`), as the output itself is; so is the backup of
any book given with it (a team roll-up's beside it in the region's folder).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from xlsales.errors import XlsalesError
from xlsales.files import command_path
from xlsales.io.backup import keep_backup
from xlsales.io.cells import READ_FAILURES, CellReader, open_cell_reader
from xlsales.io.ooxml import PackageLayout, read_layout
from xlsales.io.reader_a1 import range_boundaries
from xlsales.rollup_carry import TYPED_TABLES, Carried, carry_rows
from xlsales.rollup_keep_plan import BookParts, KeptPlan, earlier_plan
from xlsales.rollup_kept_report import BACKUP_NAME, Edit, kept_lines, reviews_typed
from xlsales.rollup_record import TypedCell, member_values, typed_cells
from xlsales.spec import SPEC
from xlsales.spec.declarations import MEMBER_RANKING, MEMBER_RANKING_SHEET
from xlsales.spec.traditional import name_key

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook
    from xlsales.rollup_result import Rollup
    from xlsales.spec import Lang

_MEMBER = {"zh": "成员", "en": "Member"}


@dataclass(frozen=True)
class EarlierRow:
    """A workbook on the earlier roll-up's ranking sheet."""

    file: str
    #: The member's name when it was rolled up; None when it was left out.
    member: str | None
    revenue: float | None


@dataclass
class Earlier:
    """What the roll-up at ``path`` (about to be replaced) held."""

    path: Path
    lang: str
    sheets: list[str]
    rows: list[EarlierRow] = field(default_factory=list)
    #: What was typed into it that a new roll-up does not write afresh.
    edits: list[Edit] = field(default_factory=list)
    #: Its KPI report sheet (``kpis --write``), which a new roll-up has not: None
    #: without one, else whether its drafted summary was edited.
    report_edited: bool | None = None
    #: The copy kept before replacing it (:func:`keep_earlier`).
    backup: Path | None = None
    #: Its plan sheets, when some were edited (:mod:`~xlsales.rollup_keep_plan`).
    plan: KeptPlan | None = None
    #: Whether :attr:`plan` was written into the new roll-up instead of a fresh plan.
    plan_kept: bool = False
    #: The rows of the team's own carried into the new roll-up (:func:`carry_into`).
    carried: Carried | None = None
    #: Its period's label (``2026-10``), None when its basic info does not say.
    period: str | None = None
    #: The cells of members' rows typed into it (:func:`~xlsales.rollup_record.
    #: typed_cells`: none when it holds no record of the members' values).
    typed: list[TypedCell] = field(default_factory=list)


def read_earlier(out: Path) -> Earlier | None:
    """The roll-up at ``out`` as :class:`Earlier`; None when there is no file there, or
    it is no roll-up (no ranking sheet) or cannot be read: nothing to compare with."""
    if not out.is_file():
        return None
    try:
        with zipfile.ZipFile(out) as zf:
            layout = read_layout(zf)
        table = next((t for t in layout.tables if t.name == MEMBER_RANKING.name), None)
        if table is None:
            return None
        lang = next((lang for lang in ("zh", "en") if name_key(table.sheet) ==
                     name_key(MEMBER_RANKING_SHEET.name.get(lang))), "en")
        cells = open_cell_reader(out)
        try:
            earlier = Earlier(out, lang, [s.name for s in layout.sheets],
                              _ranking_rows(cells.rows(table.sheet), table.ref))
            edited = _plan_edits(out, layout, lang, cells)
            earlier.edits = _typed(cells, layout, lang) + [
                Edit("plan", f"计划表已修改（{'、'.join(edited)}）",
                     f"plan sheets edited ({', '.join(edited)})")] * bool(edited)
            earlier.plan = earlier_plan(out, layout, cast("Lang", lang), cells, edited)
            earlier.report_edited = _report_edited(out, layout, lang, cells)
            earlier.period = _period_label(cells, layout)
            earlier.typed = typed_cells(layout, cells)
        finally:
            cells.close()
    except (OSError, KeyError, ValueError, XlsalesError, *READ_FAILURES):
        return None  # a damaged earlier output: replaced, as it always was
    return earlier


def _ranking_rows(grid: list[list[object]], ref: str) -> list[EarlierRow]:
    """The ranking table's rows: the members (named, with their revenue), then the
    workbooks left out (a file and a status only)."""
    c1, r1, c2, r2 = range_boundaries(ref)
    rows = [list(r[c1 - 1:c2]) + [None] * (c2 - len(r)) for r in grid[r1 - 1:r2]]
    if not rows:
        return []
    header = [name_key(v) for v in rows[0]]
    where = {}
    for key in ("file", "member", "revenue"):
        label = MEMBER_RANKING.column(key).label
        where[key] = next((i for i, h in enumerate(header)
                           if h in (name_key(label.zh), name_key(label.en))), None)
    if where["file"] is None or where["member"] is None:
        return []
    out = []
    for row in rows[1:]:
        file, member = row[where["file"]], row[where["member"]]  # type: ignore[index]
        revenue = row[where["revenue"]] if where["revenue"] is not None else None
        if file not in (None, ""):
            out.append(EarlierRow(str(file), str(member) if member not in (None, "") else None,
                                  float(revenue) if isinstance(revenue, int | float) else None))
    return out


def _period_label(cells: CellReader, layout: PackageLayout) -> str | None:
    """The label of the period the basic info table names (its start and type)."""
    from xlsales.periods import Period, PeriodType
    from xlsales.spec.declarations import PERIOD_TYPE

    table = next((t for t in layout.tables if t.name == "Info"), None)
    if table is None:
        return None
    c1, r1, _, r2 = range_boundaries(table.ref)
    values = {str(r[c1 - 1]): r[c1 + 1] for r in cells.rows(table.sheet)[r1:r2]
              if len(r) > c1 + 1}
    start, kind = values.get("period_start"), PERIOD_TYPE.key_of(str(values.get("period_type")))
    if not isinstance(start, date) or kind is None:
        return None
    return Period(start.replace(day=1), PeriodType(kind)).label


def _typed(cells: CellReader, layout: PackageLayout, lang: str) -> list[Edit]:
    """The member tables' rows that name no member: typed into the roll-up itself."""
    found = []
    for table in (t for t in layout.tables if t.name in TYPED_TABLES):
        c1, r1, c2, r2 = range_boundaries(table.ref)
        grid = cells.rows(table.sheet)
        header = [name_key(v) for v in (grid[r1 - 1][c1 - 1:c2] if len(grid) >= r1 else [])]
        at = next((i for i, h in enumerate(header)
                   if h in (name_key(_MEMBER["zh"]), name_key(_MEMBER["en"]))), None)
        if at is None:
            continue
        body = [list(r[c1 - 1:c2]) for r in grid[r1:]]
        filled = [any(v not in (None, "") for v in r) for r in body]
        end = r2 - r1  # its rows, and those typed right under it (one table to Excel)
        while end < len(body) and filled[end]:
            end += 1
        n = sum(1 for r, f in zip(body[:end], filled, strict=False)
                if f and (at >= len(r) or r[at] in (None, "")))
        if n:
            rows_zh, rows_en = f"{n} 行", f"{n} row{'s' if n > 1 else ''}"
            found.append(Edit("rows",
                              f"{table.sheet} 中有 {rows_zh}没有填成员（在汇总表中手动填写）",
                              f"{rows_en} typed on {table.sheet} with no member", table.name))
    return found


def _plan_edits(out: Path, layout: PackageLayout, lang: str, cells: CellReader) -> list[str]:
    """The plan sheets of every version edited since xlsales wrote them: a plan edited,
    then made again by ``plan --new-version``, holds the manager's work in its first
    version (``plan`` itself looks at the latest only: the one it would write over)."""
    from xlsales.plan.write import sheet_edited
    from xlsales.plan_versions import found_versions

    book = cast("ReadWorkbook", BookParts(out, layout))  # only its path and layout are read
    return [name for sheets in found_versions(book, cast("Lang", lang)).values()
            for sheet, name in sheets if sheet_edited(cells.rows(name), sheet, cast("Lang", lang))]


def _report_edited(out: Path, layout: PackageLayout, lang: str,
                   cells: CellReader) -> bool | None:
    """Whether the KPI report's drafted summary was edited since ``kpis --write`` wrote
    it; None without a KPI report sheet."""
    from xlsales.kpis_write import existing_paragraph, fingerprint

    book = cast("ReadWorkbook", BookParts(out, layout))  # its path, layout and script
    found = existing_paragraph(book, cast("Lang", lang), cells)
    if found is None:
        return None
    return bool(found[0].strip()) and found[1] != fingerprint(found[0])


def keep_earlier(earlier: Earlier | None, written: Path) -> None:
    """Before ``written`` (the new roll-up, complete) replaces ``earlier``: add the
    sheets ``earlier`` holds that ``written`` has not (a KPI report, a sheet of the
    manager's; not the validation sheet, which ``validate --write`` makes again) to its
    edits, and when it has any, copy it aside as ``earlier.backup``."""
    if earlier is None:
        return
    try:
        with zipfile.ZipFile(written) as zf:
            now = {name_key(s.name) for s in read_layout(zf).sheets}
    except (OSError, KeyError, ValueError, *READ_FAILURES):
        now = set()
    # what `validate --write` and `kpis --write` make again (an edited summary aside)
    made_again = {name_key(SPEC.sheet(key).name.get(lang)) for lang in ("zh", "en")
                  for key in ("validation", "kpi_report")}
    extra = [s for s in earlier.sheets if name_key(s) not in now | made_again]
    if now and extra:
        earlier.edits.append(Edit("sheets", f"工作表 {'、'.join(extra)}",
                                  f"the sheet{'s' if len(extra) > 1 else ''} {', '.join(extra)}"))
    if earlier.report_edited:
        earlier.edits.append(Edit("report", "KPI 报告中修改过的总结",
                                  "the KPI report's edited summary"))
    if not earlier.edits:
        return
    earlier.backup = keep_backup(earlier.path)


def carry_into(earlier: Earlier | None, rollup: Rollup) -> KeptPlan | None:
    """Carry what was typed into ``earlier`` into ``rollup`` (about to replace it): its
    rows of the team's own and the cells typed onto members' rows
    (:func:`~xlsales.rollup_carry.carry_rows`), having taken the record of what the
    members' books hold (:func:`~xlsales.rollup_record.member_values`, for
    :func:`~xlsales.rollup_write.add_rollup_sheets` to write, with or without an earlier
    roll-up); and return its
    plan sheets when some were edited and they plan the period ``rollup`` plans
    (with ``--no-plan`` too: the manager's sheets are no plan made afresh), to be
    written instead of a fresh plan, as ``plan`` never overwrites an edited plan."""
    if rollup.data is not None:  # what the members' books hold, before any is carried
        rollup.record = member_values(rollup.data.tables)
    if earlier is None:
        return None
    earlier.carried = carry_rows(earlier.path, earlier.lang, rollup)
    earlier.edits += reviews_typed(earlier.carried)  # seen only now: a backup keeps them
    kept = earlier.plan
    if (kept is not None and rollup.period is not None
            and earlier.lang == rollup.lang and kept.for_period(rollup.period.next.label)):
        earlier.plan_kept = True
        return kept
    return None


def backup_of(path: Path, workbooks: Iterable[Path]) -> Path | None:
    """The workbook among ``workbooks`` (the roll-up's output, the books given) whose
    backup ``path`` is — kept beside it by :func:`keep_earlier` or ``plan --replace``,
    so holding what it holds; None when it is none's."""
    found = BACKUP_NAME.fullmatch(path.name)
    if found is None:
        return None
    name, folder = (found[1] + found[2]).lower(), path.parent.resolve()
    return next((w for w in workbooks
                 if w.name.lower() == name and w.parent.resolve() == folder), None)


def _money(value: float | None) -> str:
    return f"{value or 0:,.0f}"


def _changes(earlier: Earlier, rollup: Rollup, zh: bool) -> list[str]:
    """The lines under "since the earlier …": workbooks new, back, gone or now left
    out, each member's revenue that moved, and the whole's."""
    before = {r.file: r for r in earlier.rows}
    now = {str(r["file"]): r for r in rollup.ranking.to_dict("records")}
    left_out = [m.label for m in rollup.excluded]
    lines = []
    for file, r in now.items():
        was = before.get(file)
        revenue = _money(r.get("revenue"))
        if was is None:
            lines.append((f"新加入：{file}（{r['member']}，销售额 {revenue}）",
                          f"new: {file} ({r['member']}, revenue {revenue})"))
        elif was.member is None:
            lines.append((f"这次已合并（上次未合并）：{file}（销售额 {revenue}）",
                          f"rolled up now, left out before: {file} (revenue {revenue})"))
        elif _money(was.revenue) != revenue:  # as shown: cents aside
            lines.append((f"销售额有变化：{file}（{r['member']}）{_money(was.revenue)} → {revenue}",
                          f"revenue changed: {file} ({r['member']}) {_money(was.revenue)} → "
                          f"{revenue}"))
    for file, was in before.items():
        if was.member is None or file in now:
            continue
        if file in left_out:
            lines.append((f"这次未合并（上次已合并，销售额 {_money(was.revenue)}）：{file}，"
                          "原因见上",
                          f"left out now, rolled up before (revenue {_money(was.revenue)}): "
                          f"{file}, see above"))
        else:
            lines.append((
                f"不在本次给出的工作簿中：{file}（{was.member}，上次销售额 "
                f"{_money(was.revenue)}），本表不再含它的数据；如果它仍属于本团队，请放回后重新合并",
                f"no longer among the workbooks given: {file} ({was.member}, revenue "
                f"{_money(was.revenue)} before): its rows are not in this roll-up; if it "
                "still belongs here, put it back and consolidate again"))
    old = sum(r.revenue or 0 for r in earlier.rows if r.member is not None)
    new = float(rollup.whole.get("revenue") or 0) if rollup.whole else 0.0
    body = [f"    {zh_line if zh else en_line}" for zh_line, en_line in lines]
    if lines or _money(old) != _money(new):
        body.append(f"    整体销售额 {_money(old)} → {_money(new)}" if zh else
                    f"    whole revenue {_money(old)} → {_money(new)}")
    else:
        body.append("    成员和销售额都没有变化" if zh else "    the same members and revenue")
    return body


def since_lines(earlier: Earlier | None, rollup: Rollup, out: Path) -> list[str]:
    """The report's lines on what changed since the roll-up ``earlier`` replaced at
    ``out`` (in the roll-up's language): workbooks new, back, gone or now left out, the
    revenue of each member and of the whole that moved, and the backup of what was
    typed into it; nothing without an earlier roll-up."""
    if earlier is None:
        return []
    zh = rollup.lang == "zh"
    name = earlier.path.name
    out_lines = []
    now = rollup.period.label if rollup.period is not None else None
    if earlier.rows and earlier.period not in (None, now):  # last month's, replaced
        out_lines = [f"  与上次的 {name}（{earlier.period} 的汇总，本次是 {now}）相比：" if zh else
                     f"  since the earlier {name} (the roll-up of {earlier.period}; this one "
                     f"is of {now}):", *_changes(earlier, rollup, zh)]
    elif earlier.rows:  # else its ranking could not be read: nothing to compare with
        out_lines = [f"  与上次的 {name} 相比：" if zh else f"  since the earlier {name}:",
                     *_changes(earlier, rollup, zh)]
    if earlier.backup is not None:
        out_lines += kept_lines(earlier, out, zh)
    if earlier.report_edited is not None:  # the new roll-up has no KPI report yet
        shown = command_path(out)
        out_lines.append(f"  新的 {out.name} 还没有 KPI 报告：运行 xlsales kpis {shown} --write"
                         if zh else f"  the new {out.name} has no KPI report yet: run "
                         f"xlsales kpis {shown} --write")
    return out_lines
