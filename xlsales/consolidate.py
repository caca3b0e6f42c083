"""Roll members' workbooks up into one (``xlsales consolidate``): reps → team → region
→ company.

The roll-up keeps every member's rows (each tagged with its member in a "Member"
column), so figures that do not add up across members (distinct customers, new
customers, every ratio) are computed exactly for the whole by the same native formulas
and engine as any workbook (the sales records' calculated columns are stored as values
computed over all rows: :mod:`~xlsales.rollup_calc`); a roll-up can be rolled up again.
It adds a ranking of the members (revenue, attainment, growth) and the problems of all
members by category. Members are read and validated in parallel (small files a few to a
task); one that cannot be read, fails validation, covers another period or keeps its
amounts in another currency (:mod:`~xlsales.rollup_currency`) is left out and reported
with its reason (the error itself, which crosses processes) — nothing is dropped
silently. Members that share an owner name are told apart by their file names, and the
report says so. The big tables' rows are written in parallel too
(:mod:`xlsales.rollup_write`): what a worker read crosses the main process sealed, and
the blocks the workers render are spliced into the file as they come.

This module is the entry point: :func:`consolidate` and :func:`report_lines`. The
steps live in ``rollup_*`` modules: the input files found and read in the pool
(:mod:`~xlsales.rollup_read`, one member in a worker: :mod:`~xlsales.rollup_member`,
the pool: :mod:`~xlsales.rollup_pool`), the merge (:mod:`~xlsales.rollup_merge`; the
workbooks that would count twice: :mod:`~xlsales.rollup_copies`), the
ranking and problem summary (:mod:`~xlsales.rollup_rank`) and the writing
(:mod:`~xlsales.rollup_write`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.cli_group import errors_in
from xlsales.errors import OutputExistsError, UsageError, WorkbookError, XlsalesError
from xlsales.files import apart, atomic_output, check_output, command_path, unread, workbooks
from xlsales.findings import counted
from xlsales.io.writable import check_replaceable, lock_files
from xlsales.periods import PeriodType
from xlsales.rollup_carry import TYPED_TABLES
from xlsales.rollup_earlier import (
    backup_of,
    carry_into,
    keep_earlier,
    read_earlier,
    since_lines,
)
from xlsales.rollup_keep_plan import kept_contents
from xlsales.rollup_kept_report import backup_reason, backups_line
from xlsales.rollup_lacks import lack_text
from xlsales.rollup_layout import LayoutError
from xlsales.rollup_member import MEMBER_KPIS, Member, load_member, load_members, member_spec
from xlsales.rollup_merge import ROLE_OF_LEVEL, merge
from xlsales.rollup_naming import name_members
from xlsales.rollup_own_output import check_not_a_member
from xlsales.rollup_plan import consolidated_plan, plan_part
from xlsales.rollup_pool import cpu_count, executor
from xlsales.rollup_rank import ratios_note, typed_target_note
from xlsales.rollup_read import read_members
from xlsales.rollup_refusal import refused_over_edits
from xlsales.rollup_report_namesakes import namesakes_within_lines
from xlsales.rollup_result import Rollup
from xlsales.rollup_review import review_line
from xlsales.rollup_roster import conflict_notes
from xlsales.rollup_write import (
    add_plan_sheets,
    add_rollup_sheets,
    put_plan_sheets,
    typed_text,
    write_rollup,
)
from xlsales.said import said
from xlsales.spec import Lang
from xlsales.workbook_data import BuildOptions

# Re-exported: tests/test_consolidate.py imports the member names from here, and
# benchmarks/bench_rollup.py imports load_member.
__all__ = [
    "MEMBER_KPIS",
    "Member",
    "consolidate",
    "load_member",
    "load_members",
    "member_spec",
    "name_members",
    "report_lines",
]


def consolidate(paths: Sequence[Path], out: Path, level: str, name: str, force: bool = False,
                workers: int | None = None,
                progress: Callable[[str], None] = print, plan: bool = True,
                lang: Lang | None = None) -> Rollup:
    """Read, validate and merge the members in parallel; write the roll-up workbook (in
    ``lang``, by default the language of most members), with the next period's plan
    decomposed over the members unless ``plan`` is false."""
    files = workbooks(paths)
    skipped = unread(paths)  # each named in the report: a workbook in another format as
    # a member left out, an empty folder or a pattern matching nothing on a line of its own
    # the tables an `xlsales export` wrote into the folder are no members (nor left out)
    earlier = [p for p in [*files, *(u.given for u in skipped)] if _exported(p)]
    for u in skipped:  # an export's CSV is said once, below: not also as any CSV
        if u.given not in earlier:
            progress(f"[consolidate] {u.text}")
    for p in earlier:
        progress(f"[consolidate] 未读取 {p}：这是 xlsales export 写出的表，不是工作簿 / not "
                 f"read {p}: a table xlsales export wrote, not a workbook")
    files = [p for p in files if p not in earlier]
    skipped = [u for u in skipped if u.given not in earlier]
    earlier = read_earlier(out)  # a re-run's: what changed since, what was typed into it
    if earlier is not None:  # an error is said in its language first (unless --lang)
        errors_in(earlier.lang)
    try:
        check_output(out, force, (".xlsx",))
    except OutputExistsError as exc:
        raise refused_over_edits(exc, earlier) from None
    check_replaceable(out, buttons=False)  # said now, not after reading every member
    # the output of an earlier run in the folder being rolled up would count every
    # member twice: it is left out, and the report says so
    files, own = apart(files, [out])
    check_not_a_member(out, own)  # an earlier roll-up is replaced, never a member's book
    # a backup of an earlier output (what the manager typed into it, kept aside) holds
    # the members too; one of a book given (a team roll-up's, in the region's folder)
    # holds what that book does
    backups = {f: of for f in files if (of := backup_of(f, [out, *files])) is not None}
    files = [f for f in files if f not in backups]
    workers = max(1, min(max(len(files), 1), workers or cpu_count()))
    with executor(workers) as pool:
        members = read_members(pool, files, workers, progress, lang) + [
            Member(f, reason=WorkbookError(
                "这是本次合并要写入的输出文件（-o）：它本身已包含各成员，再合并会重复计算",
                "it is the output this roll-up writes (-o): it holds the members already "
                "and would count them twice"), held_elsewhere=True) for f in own] + [
            Member(f, reason=backup_reason(of, of == out), held_elsewhere=True,
                   backup_of=(of, of == out))
            for f, of in backups.items()] + [
            Member(u.given, reason=WorkbookError(u.zh, u.en)) for u in skipped if u.workbook]
        rollup = merge(members, level, name, big_rows=False, lang=lang)
        rollup.not_read = [u for u in skipped if not u.workbook]
        rollup.open_now = [m.path for m in rollup.included if lock_files(m.path)]
        if rollup.data is None or rollup.period is None:
            raise UsageError("没有可以合并的工作簿：" + "；".join(
                f"{m.label}：{m.reason.zh}" for m in members if m.reason),
                "No workbook could be consolidated: " + "; ".join(
                f"{m.label}: {m.reason.en}" for m in members if m.reason))
        # what the manager typed into the earlier roll-up: its rows of the team's own
        # carried in, its edited plan sheets kept instead of a fresh plan
        kept_plan = carry_into(earlier, rollup)
        options = BuildOptions(lang=rollup.lang, period=rollup.period,  # type: ignore[arg-type]
                               level=level, role=ROLE_OF_LEVEL.get(level, "manager"),
                               owner=name, script=rollup.script)
        # the plan is made by a worker while this process builds the skeleton (with one
        # worker: here, when the skeleton has its other sheets)
        planned = (pool.submit(consolidated_plan, plan_part(rollup), name)
                   if plan and kept_plan is None else None)

        def add_plan(path: Path) -> None:
            if kept_plan is not None:
                put_plan_sheets(path, kept_contents(kept_plan, rollup.lang,  # type: ignore[arg-type]
                                                    rollup.currency),
                                rollup.lang, rollup.script)
                return
            assert planned is not None
            label = rollup.period.next.label  # type: ignore[union-attr]
            progress("[consolidate] " + said(f"正在制定 {label} 的计划 ...",
                                             f"planning {label} ...", rollup.lang))
            try:
                rollup.plan = planned.result()
            except XlsalesError as exc:  # the roll-up stands without its plan
                rollup.plan_error = exc
            else:
                add_plan_sheets(path, rollup.plan, rollup.lang, name, rollup.script,
                                typed_text(rollup))
            progress("[consolidate] " + said("已加入计划", "plan added", rollup.lang))

        progress("[consolidate] " + said(f"正在写入 {out.name} ...", f"writing {out.name} ...",
                                         rollup.lang))
        with atomic_output(out) as tmp, tempfile.TemporaryDirectory() as work:
            try:  # the plan is added while the workers render the rows
                write_rollup(pool, rollup, options, name, Path(work) / "skeleton.xlsx", tmp,
                             progress, add_plan if plan or kept_plan else None)
            except LayoutError:  # the builder changed shape: write everything with it
                full = merge(members, level, name, lang=lang)
                assert full.data is not None and rollup.data is not None
                full.data.tables.update({t: rollup.data.tables[t] for t in TYPED_TABLES
                                         if t in rollup.data.tables})  # rows carried in
                full.problems, full.whole = rollup.problems, rollup.whole  # with them
                full.record = rollup.record  # what the members' books held
                build_workbook(tmp, options, full.data)
                add_rollup_sheets(tmp, full, name)
                if plan or kept_plan:
                    add_plan(tmp)
            keep_earlier(earlier, tmp)  # what was typed into it: copied aside first
        rollup.since = since_lines(earlier, rollup, out)
    return rollup


def _exported(path: Path) -> bool:
    """Whether ``path`` is a table ``xlsales export`` wrote (named after its table:
    ``kpis.csv``, ``sales.xlsx``), which a roll-up's folder may hold."""
    from xlsales.export_schema import EXPORTS

    if path.stem not in EXPORTS:
        return False
    from xlsales.export_xlsx import is_export_output

    return is_export_output(path)


def _pct(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.1%}"


#: What a report line says of orders and of rep names found in two members' workbooks:
#: (singular, plural), the English tail, the Chinese (what, tail).
_SHARED_ORDERS = (
    ("order is", "orders are"),
    ", counted in each member's figures: a deal two reps share needs nothing; if they are "
    "different orders numbered alike (reps numbering their own: 1, 2, 3 …), give them "
    "distinct numbers in the members' workbooks (the rep's name in front, say) and "
    "consolidate again (`xlsales validate` on the roll-up lists the orders)",
    ("订单", "，各自计入：两人共同的同一笔订单无需处理；"
             "若是编号相同的不同订单（各人自己编号 1、2、3 …），"
             "请在成员的工作簿中改用不重复的编号（如在前面加上姓名）后重新合并"
             "（对合并表运行 `xlsales validate` 可列出它们）"))
_SHARED_REPS = (
    ("rep has sales rows", "reps have sales rows"),
    ": figures by rep list such a name once per member, the member named after the rep "
    "(`kpis --by rep`, the KPI report, the export's kpis_by_rep)",
    ("销售人员的销售记录",
     "：按人统计时按成员分开列出，名字后括注成员（kpis --by rep、KPI 报告、导出的 kpis_by_rep）"))


def _rank(rank: object) -> str:
    """`` (#2)`` after a value, nothing when the value has no rank (no value)."""
    return "" if rank is None or rank != rank else f" (#{rank})"


def _shared_line(found: Mapping[object, list[str]], what: tuple[str, str], tail: str,
                 zh: tuple[str, str] | None = None) -> str:
    """A report line for what ``found`` maps to the members holding it (three shown);
    with ``zh`` (what, tail), in Chinese."""
    n = len(found)
    if zh is not None:
        shown = "；".join(f"{k}（{'、'.join(v)}）" for k, v in list(found.items())[:3])
        return f"  {n:,} 个{zh[0]}出现在多个成员的工作簿中：{shown}{'…' if n > 3 else ''}{zh[1]}"
    shown = "; ".join(f"{k} in {', '.join(v)}" for k, v in list(found.items())[:3])
    return (f"  {n:,} {what[0] if n == 1 else what[1]} in more than one member's workbook "
            f"({shown}{', …' if n > 3 else ''}){tail}")


def report_lines(rollup: Rollup, out: Path, top: int = 10) -> list[str]:
    """The members taken and left out (with reasons), the whole's headline KPIs, the
    ranking (first ``top``) and problems by category — in the roll-up's language, as
    ``validate`` and ``kpis`` report in the workbook's."""
    zh = rollup.lang == "zh"

    def t(chinese: str, english: str) -> str:
        return chinese if zh else english

    period = rollup.period.label if rollup.period else "-"
    # a year's previous period is last year: its growth is year on year (同比), as kpis
    # says it of a year, not sequential (环比)
    yearly = rollup.period is not None and rollup.period.type is PeriodType.YEAR
    growth_zh, growth_en = ("同比", "growth on last year") if yearly else ("环比", "growth")
    taken, given = len(rollup.included), len(rollup.members)
    lines = [t(f"{out}：{given} 个工作簿中合并了 {taken} 个（{period}）",
               f"{out}: {taken} of {given} workbooks rolled up for {period}")]
    if rollup.script is not None:  # as most members' books: no 简转繁 of it to do
        tw = sum(m.script is not None for m in rollup.included)
        lines.append(t(f"  按繁体中文写出：{taken} 个成员中有 {tw} 个的工作簿是繁体",
                       f"  written in Traditional Chinese, as {tw} of the {taken} members' "
                       "workbooks are"))
    # the backups a weekly re-run keeps pile up in the members' folder: said once each
    backups: dict[Path, list[Path]] = {}
    for m in rollup.excluded:
        of = backup_of(m.path, [out, *(x.path for x in rollup.members)])
        if of is not None:
            backups.setdefault(of, []).append(m.path)
    for m in rollup.excluded:
        assert m.reason is not None
        if len(next((b for b in backups.values() if m.path in b), [])) < 2:
            lines.append(t(f"  未合并 {m.label}：{m.reason.zh}",
                           f"  left out {m.label}: {m.reason.en}"))
    lines += [backups_line(b, of, of == out, zh) for of, b in backups.items() if len(b) > 1]
    for m, lack in rollup.lacking:  # left out further down: this roll-up lacks it too
        why, do = lack_text(lack, m.path.name, rollup.lang)
        lines.append(t(f"  {m.path.name} 合并时缺少 {lack.file}（{why}）：本表因此也缺少它的数据。"
                       f"{do}，再重新合并本表",
                       f"  {m.path.name} was made without {lack.file} ({why}): this roll-up "
                       f"lacks its data too. {do[0].upper()}{do[1:]}, then this one"))
    for u in rollup.not_read:
        lines.append(t(f"  未读取 {u.given}：{u.zh}", f"  not read {u.given}: {u.en}"))
    for path in rollup.open_now:
        lines.append(t(f"  注意：{path.name} 正在 Excel、WPS 或 LibreOffice 中打开，合并的是它上次"
                       "保存的内容；若它还在编辑，请保存后重新合并",
                       f"  note: {path.name} is open in Excel, WPS or LibreOffice: rolled up "
                       "as last saved; if it is being edited, save it and consolidate again"))
    for m in rollup.renamed:
        assert m.note is not None
        lines.append(f"  {m.label}: {m.note[0] if zh else m.note[1]}")
    twice = {o for orders in rollup.twice.values() for o in orders}
    shared = {o: names for o, names in rollup.shared.items() if o not in twice}
    for (rep, files), orders in rollup.twice.items():  # one rep's book in two members
        n = len(orders)
        lines.append(t(
            f"  {n:,} 个订单被重复计算：销售人员 {rep} 的订单同时在 {'、'.join(files)} 中（如 "
            f"{orders[0]}；同一份工作簿合并进了两个成员？）：请把它从其中一个成员中移出，重新合并"
            "该成员，再重新合并本表（对合并表运行 `xlsales validate` 可列出这些订单）",
            f"  {counted(n, 'order')} counted twice: rep {rep}'s orders are in "
            f"{', '.join(files)} (e.g. {orders[0]}; one workbook rolled up into two members?): "
            "take it out of one of them, consolidate that member again, then this one "
            "(`xlsales validate` on the roll-up lists the orders)"))
    for found, (what, tail, chinese) in ((shared, _SHARED_ORDERS),
                                         (rollup.shared_reps, _SHARED_REPS)):
        if found:
            lines.append(_shared_line(found, what, tail, chinese if zh else None))
    lines += namesakes_within_lines(rollup)
    if rollup.twins:
        shown = ("、" if zh else ", ").join(f"{a} / {b}" for a, b in rollup.twins[:5])
        more = "…" if len(rollup.twins) > 5 else ""
        lines.append(t(
            f"  {len(rollup.twins)} 个名字在一些成员的工作簿中是繁体、在另一些中是简体，"
            f"按不同的人或客户统计：{shown}{more}（客户数、新客户、流失与按人统计因此有误）："
            "请在成员的工作簿中统一写法后重新合并",
            f"  {counted(len(rollup.twins), 'name')} written in Traditional characters in some "
            f"members' workbooks and in Simplified in others, counted as different people or "
            f"customers: {shown}{more} (customers, new customers, churn and figures by rep "
            "are off): write them one way in the members' workbooks and consolidate again"))
    lines += rollup.since
    lines += conflict_notes(rollup.roster_conflicts, rollup.roster, rollup.lang)
    lines += rollup.own_reps.lines(rollup.lang)
    w = rollup.whole
    if w:
        money, revenue, target = rollup.currency, w["revenue"] or 0, w["target"] or 0
        typed = typed_target_note(w, rollup.lang)  # a target of the team's own
        lines.append(t(
            f"  整体（{money}）：销售额 {revenue:,.0f}，目标 {target:,.0f}{typed}，完成率 "
            f"{_pct(w['attainment'])}，{growth_zh} {_pct(w['mom_growth'])}"
            f"{ratios_note(w, 'zh')}",
            f"  whole ({money}): revenue {revenue:,.0f}, target {target:,.0f}{typed}"
            f", attainment {_pct(w['attainment'])}, {growth_en} {_pct(w['mom_growth'])} "
            f"{ratios_note(w, 'en')}"))
        missing = [m.name for m in rollup.untargeted]
        if missing:
            names, part = "、".join(missing), _pct(rollup.targeted_attainment())
            lines.append(t(
                f"  注意：{names} 没有目标，其销售额计入整体却不计入目标，整体完成率 "
                f"{_pct(w['attainment'])} 因此偏高；有目标的成员合计完成率 {part}。",
                f"  note: {', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no "
                f"targets: {'its' if len(missing) == 1 else 'their'} revenue counts in the "
                f"whole against no target, so the whole's attainment "
                f"{_pct(w['attainment'])} runs high; the members with targets attain "
                f"{part} together."))
    if not rollup.ranking.empty:
        lines.append(t(f"  成员按销售额排名（名次：销售额，完成率，{growth_zh}）：",
                       f"  members by revenue (rank: revenue, attainment, {growth_en}):"))
        for r in rollup.ranking.head(top).to_dict("records"):
            lines.append(f"    {r['rank_revenue']:>3}. {r['member']}: {r['revenue'] or 0:,.0f}, "
                         f"{_pct(r['attainment'])}{_rank(r['rank_attainment'])}, "
                         f"{_pct(r['mom_growth'])}{_rank(r['rank_growth'])}")
        if len(rollup.ranking) > top:
            more = len(rollup.ranking) - top
            lines.append(t(f"    … 另有 {more} 个，见排名表",
                           f"    … {more} more on the ranking sheet"))
    if not rollup.problems.empty:
        lines.append(t("  问题按类别（数量，影响金额）：",
                       "  problems by category (count, impact):"))
        for category, row in rollup.problems.iterrows():
            lines.append(f"    {category}: {int(row['count'])}, {row['impact']:,.0f}")
    review = rollup.data.tables.get("ActionReview") if rollup.data is not None else None
    if review is not None and len(review):
        lines.append(review_line(review["status"], zh, rollup.plan is not None))
    if rollup.plan is not None:
        p = rollup.plan
        actions = len(p.tables["PlanActions"])
        parts = p.tables["PlanTargets"]  # a member who left has none
        over = parts.loc[parts["scope"].eq("part"), "rep"].nunique() \
            if "scope" in parts.columns else len(rollup.included)
        lines.append(t(f"  {p.period.label} 计划（计划表）：销售额目标 {p.total_target:,.0f}，分到 "
                       f"{over} 个成员，行动 {actions} 项",
                       f"  plan {p.period.label} (plan sheets): revenue target "
                       f"{p.total_target:,.0f} over {counted(over, 'member')}, "
                       f"{counted(actions, 'action')}"))
        lines.append(t(f"    依据：{p.basis[0]}", f"    basis: {p.basis[1]}"))
        lines += p.note_lines("zh" if zh else "en", "    ")
    elif rollup.plan_error is not None:
        lines.append(t(f"  未写入计划：{rollup.plan_error.zh}（改正后运行 "
                       f"`xlsales plan {command_path(out)}`）",
                       f"  plan not written: {rollup.plan_error.en} (fix it, then run "
                       f"`xlsales plan {command_path(out)}`)"))
    from xlsales.terminal_script import own_lines, rollup_text

    return own_lines(lines, rollup_text(rollup, out))  # a Traditional roll-up's: so
