"""Write a roll-up workbook fast, in parallel (:func:`write_rollup`): the rows of the big
tables (sales records and activities of every member) are rendered and compressed by the
worker processes, member by member, and spliced into a workbook built by the standard
builder (the other merged tables — targets, problems, lessons — are rendered the same way
by the main process, while the workers render).

The standard builder (XlsxWriter) costs about 10 µs per cell and re-parses every
calculated-column formula in every row; a roll-up of 200 members of 2,000 sales rows
holds 400,000 rows, which would take minutes in one process. Here the builder writes the
*skeleton*: every sheet, the settings tables, the KPI sheet, validations, names and
styles, with the merged tables empty (one placeholder row). The skeleton tells how each
column of a merged table is written (:mod:`xlsales.rollup_layout`); the workers render
members' rows the same way as blocks that can follow one another
(:mod:`xlsales.rollup_render`, from the frames that crossed processes:
:mod:`xlsales.rollup_frames`), and :mod:`xlsales.rollup_splice` puts the blocks in place
of the placeholder rows as they come. The ranking and problem-summary sheets
(:func:`add_rollup_sheets`) are added to the skeleton while the workers render. A
skeleton that does not look as expected raises
:class:`~xlsales.rollup_layout.LayoutError`: the caller then writes with the builder.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import replace
from pathlib import Path

import numpy as np

from xlsales.build.workbook import build_workbook
from xlsales.errors import WorkbookError
from xlsales.io.cellxml import MAX_ROWS
from xlsales.io.sheetcontent import SheetContent
from xlsales.periods import Period
from xlsales.plan.model import PlanResult
from xlsales.rollup_calc import calculated_parts
from xlsales.rollup_frames import CompactFrame, Sealed, in_language
from xlsales.rollup_layout import LayoutError, TableLayout, table_layout
from xlsales.rollup_member import BIG_TABLES, MERGED_TABLES, formula_columns
from xlsales.rollup_pool import progress_every
from xlsales.rollup_rank import problem_sheet, ranking_sheet
from xlsales.rollup_render import Block, render_rows
from xlsales.rollup_result import Rollup
from xlsales.rollup_splice import splice_rows
from xlsales.rollup_stamp import stamp_line
from xlsales.said import said
from xlsales.script_variant import OwnText, Script
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import MEMBER_RANKING_SHEET, PROBLEM_SUMMARY_SHEET
from xlsales.workbook_data import BuildOptions

#: Rows rendered by one task: members smaller than this go together.
BATCH_ROWS = 2_000


def _sheet_title(rollup: Rollup, name: str, what: str) -> str:
    period = rollup.period.label if rollup.period else ""
    return f"{what} · {name} · {period}"


def add_rollup_sheets(path: Path, rollup: Rollup, name: str) -> None:
    """The ranking and problem-summary sheets, after the KPI sheet, and the hidden record
    of what the members' books held (:mod:`~xlsales.rollup_record`)."""
    from xlsales.io.package import WorkbookPackage

    lang = rollup.lang
    own = OwnText(rollup.script if lang == "zh" else None)  # its own text in its script
    left_out = rollup.left_out_rows()
    kpi_sheet = own(SPEC.sheet("kpis").name.get(lang))  # type: ignore[arg-type]
    with WorkbookPackage.open(path) as package:
        after = kpi_sheet if kpi_sheet in package.sheet_names else None
        ranking = ranking_sheet(rollup.ranking, left_out, rollup.whole, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name,
                                             own(MEMBER_RANKING_SHEET.name.get(lang))),  # type: ignore[arg-type]
                                rollup.currency, stamp_line(rollup.period, lang),  # type: ignore[arg-type]
                                own, rollup.period)
        package.put_sheet(ranking, after=after)
        summary = problem_sheet(rollup.problems, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name,
                                             own(PROBLEM_SUMMARY_SHEET.name.get(lang))),  # type: ignore[arg-type]
                                own, rollup.currency)
        package.put_sheet(summary, after=ranking.name)
        if rollup.record is not None:  # hidden: bookkeeping the next run reads back
            from xlsales.rollup_record import record_sheet

            package.put_sheet(record_sheet(rollup.record, lang, own),  # type: ignore[arg-type]
                              after=summary.name)
        package.save()


def add_plan_sheets(path: Path, plan: PlanResult, lang: str, owner: str,
                    script: Script | None = None, keep: frozenset[str] = frozenset()) -> None:
    """The plan sheets, where ``xlsales plan`` puts them in a workbook without a plan;
    in ``script`` when the roll-up is built in Traditional, the members' text its actions
    quote (``keep``: :func:`typed_text`) as typed."""
    from xlsales.plan.write import plan_contents

    own = OwnText(script if lang == "zh" else None, keep)
    put_plan_sheets(path, plan_contents(owner, plan, lang, own=own),  # type: ignore[arg-type]
                    lang, script)


def put_plan_sheets(path: Path, contents: Sequence[SheetContent], lang: str,
                    script: Script | None = None) -> None:
    """The plan sheets ``contents`` (made fresh, or kept from the earlier roll-up), where
    ``xlsales plan`` puts them in a workbook without a plan: after the settings sheet."""
    from xlsales.io.package import WorkbookPackage
    from xlsales.plan.write import ExistingPlan, plan_anchor

    own = OwnText(script if lang == "zh" else None)
    with WorkbookPackage.open(path) as package:
        after = plan_anchor(package.sheet_names, lang,  # type: ignore[arg-type]
                            ExistingPlan(set(), []))
        settings = own(SPEC.sheet("settings").name.get(lang))  # type: ignore[arg-type]
        if after is None and settings in package.sheet_names:
            after = settings
        for content in contents:
            package.put_sheet(content, after=after)
            after = content.name
        package.save()


def typed_text(rollup: Rollup) -> frozenset[str]:
    """The Chinese text the members typed into the roll-up's small tables and lists
    (problems, lessons, reps, list entries), which its plan's actions may quote."""
    if rollup.data is None or rollup.script is None:
        return frozenset()
    found = {v for values in rollup.data.lists.values() for v in values}
    for name, frame in rollup.data.tables.items():
        if name not in BIG_TABLES:
            found |= {v for c in frame.columns for v in frame[c].dropna().unique()
                      if isinstance(v, str)}
    found |= {m.name for m in rollup.included}
    return frozenset(s for s in found if any("\u3400" <= ch <= "\u9fff" for ch in s))


def _layouts(skeleton: Path, tables: Sequence[str], lang: str,
             script: Script | None = None) -> dict[str, TableLayout]:
    with zipfile.ZipFile(skeleton) as zf:
        return {t: table_layout(zf, t, lang, script) for t in tables}  # type: ignore[arg-type]


def whole_values(parts: Sequence[CompactFrame | Sealed | None], table: str, period: Period,
                 lang: Lang) -> list[dict[str, np.ndarray]]:
    """:func:`calculated_parts` of the members' rows of ``table`` (``parts``: their
    tables as they crossed processes, None where a member lacks the table), opened, cut
    to the columns the formulas read and with their built-in list entries in ``lang``
    here (in a worker), not by the main process. The rows come sealed once, for this
    and for rendering: sealing the formulas' columns apart cost each worker more than
    the whole rows cost this one to open."""
    return calculated_parts([None if part is None else in_language(formula_columns(
        part.open() if isinstance(part, Sealed) else part, table), table, lang)
        for part in parts], table, period)


def write_rollup(pool: Executor, rollup: Rollup, options: BuildOptions, name: str,
                 skeleton: Path, out: Path, progress: Callable[[str], None],
                 alongside: Callable[[Path], None] | None = None) -> None:
    """The roll-up written fast: the builder writes the skeleton (every merged table
    empty), the workers render the big tables' rows member by member while this process
    adds the ranking sheets (and whatever ``alongside`` adds to the skeleton: the plan)
    and renders the small tables' rows, and the blocks are spliced in as they come."""
    assert rollup.data is not None
    data = rollup.data
    lang = rollup.lang
    empty = {t: f.iloc[0:0] for t, f in data.tables.items() if t in MERGED_TABLES}
    members = rollup.included
    # the whole's calculated values are computed by a worker while the builder writes
    # the skeleton here (with one worker: here, when the rows are rendered)
    computed: dict[str, Future[list[dict[str, np.ndarray]]]] = {
        t: pool.submit(whole_values, [m.tables.get(t) for m in members], t,
                       rollup.period, lang)
        for t in BIG_TABLES if t in data.calculated_values}
    build_workbook(skeleton, options, replace(data, tables={**data.tables, **empty}))
    layouts = _layouts(skeleton, list(empty), lang, rollup.script)
    rows = {t: (len(data.tables[t]) if t not in BIG_TABLES
                else sum(m.rows(t) for m in members)) for t in layouts}
    for table, layout in layouts.items():
        if layout.first_row + rows[table] - 1 > MAX_ROWS:
            raise WorkbookError(
                f"合并后的{table}表有 {rows[table]:,} 行，超过 Excel 的行数上限 {MAX_ROWS:,}："
                "请分批合并（例如先按区域），或缩短各成员的历史记录。",
                f"The roll-up's {table} table would hold {rows[table]:,} rows, more than "
                f"Excel's {MAX_ROWS:,}: consolidate in steps (for example region by region "
                "first), or keep less history in the members.")
    label = rollup.member_label
    jobs: dict[str, list[Future[Block]]] = {}
    for table in (t for t in BIG_TABLES if t in layouts):
        layout, row, batch, size = layouts[table], layouts[table].first_row, [], 0
        jobs[table] = []
        calculated = (computed[table].result() if table in computed
                      else [{} for _ in members])
        for m, values in zip(members, calculated, strict=True):
            part = m.tables.get(table)
            if part is None or not part.length:
                continue
            batch.append((part, {label: m.name}, values))  # small members go together
            size += part.length
            if size >= BATCH_ROWS:
                jobs[table].append(pool.submit(render_rows, layout, batch, row))
                row, batch, size = row + size, [], 0
        if size:
            jobs[table].append(pool.submit(render_rows, layout, batch, row))
    # while the workers render
    add_rollup_sheets(skeleton, rollup, name)
    if alongside is not None:
        alongside(skeleton)
    if _layouts(skeleton, list(layouts), lang, rollup.script) != layouts:
        raise LayoutError("adding the ranking or plan sheets moved a table")
    blocks: dict[str, Iterator[Block] | list[Block]] = {
        t: [render_rows(layouts[t], [(CompactFrame.of(data.tables[t]), {}, {})],
                        layouts[t].first_row)]
        for t in layouts if t not in BIG_TABLES and rows[t]}
    total = sum(len(j) for j in jobs.values())
    report, done = progress_every(total), 0

    def results(futures: list[Future[Block]]) -> Iterator[Block]:
        nonlocal done
        futures.reverse()
        while futures:  # each block is let go once written
            yield futures.pop().result()
            done += 1
            if report(done):
                progress("[consolidate] " + said(f"已写入行块 {done}/{total}",
                                                 f"{done}/{total} row blocks written", lang))

    blocks.update({t: results(futures) for t, futures in jobs.items() if rows[t]})
    splice_rows(skeleton, out, layouts, {t: n for t, n in rows.items() if n}, blocks)
