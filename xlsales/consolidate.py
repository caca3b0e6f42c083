"""Roll members' workbooks up into one (``xlsales consolidate``): reps → team → region
→ company.

The roll-up keeps every member's rows (each tagged with its member in a "Member"
column), so figures that do not add up across members (distinct customers, new
customers, every ratio) are computed exactly for the whole by the same native formulas
and engine as any workbook; a roll-up can be rolled up again. It adds a ranking of the
members (revenue, attainment, growth) and the problems of all members by category.
Members are read and validated in parallel; one that cannot be read, fails validation
or covers another period is left out and reported with its reason — nothing is dropped
silently. The big tables' rows are written in parallel too (:mod:`xlsales.rollup_write`).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from xlsales.build.workbook import build_workbook
from xlsales.errors import UsageError, WorkbookError, XlsalesError
from xlsales.files import atomic_output, check_output
from xlsales.findings import Severity
from xlsales.io.cellxml import MAX_ROWS
from xlsales.periods import Period
from xlsales.rollup_rank import (
    MEMBER_LABEL,
    MEMBER_LABELS,
    member_ranking,
    problem_sheet,
    problem_summary,
    ranking_sheet,
    whole_kpis,
)
from xlsales.rollup_write import (
    BIG_TABLES,
    Block,
    CompactFrame,
    LayoutError,
    TableLayout,
    cpu_count,
    render_rows,
    splice_rows,
    table_layout,
)
from xlsales.spec import SPEC
from xlsales.values import fold
from xlsales.workbook_data import BuildOptions, WorkbookData

ROLE_OF_LEVEL = {"team": "manager", "region": "director", "company": "director"}
#: Tables whose ids are made unique per member (order IDs come from one CRM: kept as
#: they are, so an order in two members' books is caught as a duplicate).
PREFIXED_IDS = ("Problems", "Lessons")
MERGED_TABLES = ("Sales", "Targets", "Activities", "Problems", "Lessons")
#: What a member brings back from its worker: the merged tables and the settings taken
#: from the first member.
KEPT_TABLES = (*MERGED_TABLES, "Playbook", "CustomFields")
#: Rows rendered by one task: members smaller than this go together.
BATCH_ROWS = 2_000
#: KPIs each member reports for the ranking and the whole's sums.
MEMBER_KPIS = ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "deals",
               "lost_deals", "closed_deals", "customers", "win_rate", "invoiced", "collected",
               "collection_rate", "visits", "visits_target", "revenue_previous",
               "revenue_year_ago")


@dataclass
class Member:
    """One member workbook as read: its content, or why it is left out."""

    path: Path
    owner: str = ""
    period: Period | None = None
    lang: str = "zh"
    data: WorkbookData | None = None
    errors: int = 0
    reason: tuple[str, str] | None = None  # zh, en
    level: str = ""
    kpis: dict[str, float | int | None] = field(default_factory=dict)
    #: The big tables (sales records, activities), compact to cross processes.
    big: dict[str, CompactFrame] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is None

    def rows(self, table: str) -> int:
        if table in self.big:
            return self.big[table].length
        frame = self.data.tables.get(table) if self.data else None
        return 0 if frame is None else len(frame)

    def frame(self, table: str) -> pd.DataFrame | None:
        """The member's rows of ``table`` (None if its workbook has no such table)."""
        if table in self.big:
            return self.big[table].frame()
        return self.data.tables.get(table) if self.data else None


def member_column(frame: pd.DataFrame) -> str | None:
    """The column of a roll-up's table naming each row's member, if any."""
    return next((c for c in frame.columns if isinstance(c, str) and fold(c) in MEMBER_LABELS),
                None)


def load_member(path: Path) -> Member:
    """Read and validate one member, and compute its KPIs (runs in a worker process)."""
    from xlsales.io.reader import read_workbook
    from xlsales.kpis import compute_kpis
    from xlsales.validation import validate

    try:
        book = read_workbook(path)
    except XlsalesError as exc:
        return Member(path, reason=(exc.zh, exc.en))
    errors = sum(1 for f in validate(book) if f.severity is Severity.ERROR)
    data = book.to_data()
    big = {k: CompactFrame.of(v) for k, v in data.tables.items() if k in BIG_TABLES}
    data.tables = {k: v for k, v in data.tables.items() if k in KEPT_TABLES and k not in big}
    member = Member(path, str(book.info.get("owner") or path.stem), book.period, book.lang,
                    data, errors, level=str(book.info.get("level") or ""), big=big)
    if errors:
        member.reason = (f"有 {errors} 个校验错误（运行 xlsales validate {path.name} 查看）",
                         f"{errors} validation errors (see xlsales validate {path.name})")
    elif book.period is None:
        member.reason = ("基础信息里没有周期", "no period in its basic info")
    else:
        kpis = compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis
        member.kpis = {k: kpis.get(k) for k in MEMBER_KPIS}
    return member


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files, folders (their .xlsx/.xlsm files) and glob patterns, in a stable order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if q.suffix.lower() in (".xlsx", ".xlsm")
                          and not q.name.startswith("~$"))
        elif any(ch in str(p) for ch in "*?["):
            out += sorted(Path().glob(str(p)) if not p.is_absolute()
                          else Path(p.anchor).glob(str(p.relative_to(p.anchor))))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


@dataclass
class Rollup:
    """What a consolidation did. ``data`` holds what the builder wrote: every table but
    the big ones (sales records, activities), whose rows went into the file member by
    member."""

    members: list[Member]
    period: Period | None
    data: WorkbookData | None = None
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranking: pd.DataFrame = field(default_factory=pd.DataFrame)
    whole: dict[str, float | None] = field(default_factory=dict)
    lang: str = "zh"

    @property
    def included(self) -> list[Member]:
        return [m for m in self.members if m.ok]

    @property
    def excluded(self) -> list[Member]:
        return [m for m in self.members if not m.ok]


def _union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(v for values in lists for v in values))


def stacked(members: list[Member], table: str, label: str) -> pd.DataFrame | None:
    """The members' rows of ``table`` one after the other, each naming its member in
    ``label`` (replacing the member column of a member that is itself a roll-up), the
    problem and lesson ids prefixed with the member's name (P01 of two members stays
    two problems)."""
    parts, owners, counts = [], [], []
    for m in members:
        frame = m.frame(table)
        if frame is None:
            continue
        old = member_column(frame)
        parts.append(frame.drop(columns=old) if old is not None else frame)
        owners.append(m.owner)
        counts.append(len(frame))
    if not parts:
        return None
    frame = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    who = np.repeat(np.array(owners, dtype=object), counts)
    key = SPEC.table(table).id_key if table in PREFIXED_IDS else None
    if key and len(frame):
        frame[key] = [f"{m}-{v}" for m, v in zip(who, frame[key], strict=True)]
    frame[label] = who
    return frame


def merge(members: list[Member], level: str, name: str, big_rows: bool = True) -> Rollup:
    """The roll-up's content from the members that can be used (same period). With
    ``big_rows`` false the big tables are left empty (their rows are written apart)."""
    usable = [m for m in members if m.ok]
    if not usable:
        return Rollup(members, None)
    period = Counter(m.period for m in usable).most_common(1)[0][0]
    for m in usable:
        if m.period != period:
            m.reason = (f"周期 {m.period} 与其他成员的 {period} 不同",
                        f"its period {m.period} differs from the others' {period}")
    included = [m for m in members if m.ok]
    lang = Counter(m.lang for m in included).most_common(1)[0][0]
    label = MEMBER_LABEL[lang]  # type: ignore[index]
    tables: dict[str, pd.DataFrame] = {}
    for table in MERGED_TABLES:
        if table in BIG_TABLES and not big_rows:  # the columns only: rows come apart
            present = [pd.DataFrame(columns=list(m.big[table].columns)) for m in included
                       if table in m.big]
            if present:
                olds = [member_column(f) for f in present]
                columns = dict.fromkeys(c for f, old in zip(present, olds, strict=True)
                                        for c in f.columns if c != old)
                tables[table] = pd.DataFrame(columns=[*columns, label])
            continue
        frame = stacked(included, table, label)
        if frame is not None:
            tables[table] = frame
    first = included[0].data
    assert first is not None
    caps = [m.data.budget_caps for m in included if m.data and m.data.budget_caps is not None]
    budget = (pd.concat(caps).groupby("category", sort=False, as_index=False)["monthly_cap"]
              .sum(min_count=1) if caps else None)
    for extra in ("Playbook", "CustomFields"):
        if extra in first.tables:
            tables[extra] = first.tables[extra]
    lists = {s.key: _union([m.data.lists.get(s.key, []) for m in included if m.data])
             for s in SPEC.lists}
    info = {"owner": name, "level": level, "role": ROLE_OF_LEVEL.get(level, "manager"),
            "period_type": period.type.value, "period_start": period.start,
            "data_source": ", ".join(m.path.name for m in included)}
    data = WorkbookData(info=info, tables=tables, lists=lists,
                        assumptions=dict(first.assumptions), budget_caps=budget)
    problems = tables.get("Problems", pd.DataFrame(columns=["category", "impact_amount", label]))
    ranking = member_ranking([{"member": m.owner, "level": m.level, "file": m.path.name,
                               **m.kpis} for m in included])
    return Rollup(members, period, data, problem_summary(problems, label), ranking,
                  whole_kpis([m.kpis for m in included]), lang)


class _Later(Future):  # type: ignore[type-arg]
    """A task run in this process when its result is asked for."""

    def __init__(self, fn: Callable[..., object], args: tuple[object, ...]) -> None:
        super().__init__()
        self._task = (fn, args)

    def result(self, timeout: float | None = None) -> object:
        if not self.done():
            fn, args = self._task
            self.set_result(fn(*args))
        return super().result(timeout)


class _Inline(Executor):
    """Runs tasks in this process (one worker), in order: no pool, no pickling."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        return _Later(lambda: fn(*args, **kwargs), ())


@contextmanager
def _executor(workers: int) -> Iterator[Executor]:
    if workers <= 1:
        yield _Inline()
        return
    # imported before the workers start, so that forked workers have them already
    import xlsales.io.reader
    import xlsales.kpis
    import xlsales.validation  # noqa: F401

    with ProcessPoolExecutor(workers) as pool:
        yield pool


def _every(total: int, steps: int = 20) -> Callable[[int], bool]:
    """Whether to report item ``i`` of ``total``: about ``steps`` reports, and the last."""
    step = max(1, total // steps)
    return lambda i: i == total or i % step == 0


def _read(pool: Executor, files: list[Path], progress: Callable[[str], None]) -> list[Member]:
    futures = [pool.submit(load_member, p) for p in files]
    members = []
    report = _every(len(files))
    for i, future in enumerate(futures, 1):
        members.append(future.result())
        if report(i):
            progress(f"[consolidate] {i}/{len(files)} read and validated")
    return members


def _sheet_title(rollup: Rollup, name: str, what: str) -> str:
    period = rollup.period.label if rollup.period else ""
    return f"{what} · {name} · {period}"


def _add_rollup_sheets(path: Path, rollup: Rollup, name: str) -> None:
    """The ranking and problem-summary sheets, after the KPI sheet."""
    from xlsales.io.package import WorkbookPackage

    lang = rollup.lang
    left_out = [(m.path.name, m.reason[0 if lang == "zh" else 1]) for m in rollup.excluded
                if m.reason]
    kpi_sheet = SPEC.sheet("kpis").name.get(lang)  # type: ignore[arg-type]
    with WorkbookPackage.open(path) as package:
        after = kpi_sheet if kpi_sheet in package.sheet_names else None
        ranking = ranking_sheet(rollup.ranking, left_out, rollup.whole, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name, "成员排名" if lang == "zh"
                                             else "Member ranking"))
        package.put_sheet(ranking, after=after)
        summary = problem_sheet(rollup.problems, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name, "问题汇总" if lang == "zh"
                                             else "Problems by category"))
        package.put_sheet(summary, after=ranking.name)
        package.save()


def _write_rows(pool: Executor, rollup: Rollup, skeleton: Path, out: Path,
                progress: Callable[[str], None]) -> None:
    """Render every member's rows of the big tables in the pool and splice them in."""
    import zipfile

    label = MEMBER_LABEL[rollup.lang]  # type: ignore[index]
    with zipfile.ZipFile(skeleton) as zf:
        layouts: dict[str, TableLayout] = {
            t: table_layout(zf, t, rollup.lang) for t in BIG_TABLES  # type: ignore[arg-type]
            if rollup.data and t in rollup.data.tables}
    jobs: dict[str, list[Future[Block]]] = {t: [] for t in layouts}
    members = rollup.included
    for table, layout in layouts.items():
        rows = sum(m.rows(table) for m in members)
        if layout.first_row + rows - 1 > MAX_ROWS:
            raise WorkbookError(
                f"合并后的{table}表有 {rows:,} 行，超过 Excel 的行数上限 {MAX_ROWS:,}：请分批合并"
                "（例如先按区域），或缩短各成员的历史记录。",
                f"The roll-up's {table} table would hold {rows:,} rows, more than Excel's "
                f"{MAX_ROWS:,}: consolidate in steps (for example region by region first), or "
                "keep less history in the members.")
        row, count = layout.first_row, 0
        batch: list[tuple[CompactFrame, dict[str, object]]] = []  # small members go together
        for m in members:
            if not m.rows(table):
                continue
            batch.append((m.big[table], {label: m.owner}))
            count += m.rows(table)
            if count >= BATCH_ROWS:
                jobs[table].append(pool.submit(render_rows, layout, batch, row))
                row, batch, count = row + count, [], 0
        if count:
            jobs[table].append(pool.submit(render_rows, layout, batch, row))
    blocks: dict[str, list[Block]] = {t: [] for t in layouts}
    total = sum(len(j) for j in jobs.values())
    report, done = _every(total), 0
    for table, futures in jobs.items():
        for future in futures:
            blocks[table].append(future.result())
            done += 1
            if report(done):
                progress(f"[consolidate] {done}/{total} row blocks written")
    splice_rows(skeleton, out, layouts, blocks)


def consolidate(paths: Sequence[Path], out: Path, level: str, name: str, force: bool = False,
                workers: int | None = None,
                progress: Callable[[str], None] = print) -> Rollup:
    """Read, validate and merge the members in parallel; write the roll-up workbook."""
    files = expand(paths)
    if not files:
        raise UsageError("没有找到任何工作簿。", "No workbooks were found.")
    check_output(out, force, (".xlsx",))
    workers = max(1, min(len(files), workers or cpu_count()))
    with _executor(workers) as pool:
        members = _read(pool, files, progress)
        rollup = merge(members, level, name, big_rows=False)
        if rollup.data is None or rollup.period is None:
            raise UsageError("没有可以合并的工作簿：" + "；".join(
                f"{m.path.name}：{m.reason[0]}" for m in members if m.reason),
                "No workbook could be consolidated: " + "; ".join(
                f"{m.path.name}: {m.reason[1]}" for m in members if m.reason))
        options = BuildOptions(lang=rollup.lang, period=rollup.period,  # type: ignore[arg-type]
                               level=level, role=ROLE_OF_LEVEL.get(level, "manager"),
                               owner=name)
        progress(f"[consolidate] writing {out.name} ...")
        with atomic_output(out) as tmp, tempfile.TemporaryDirectory() as work:
            skeleton = Path(work) / "skeleton.xlsx"
            build_workbook(skeleton, options, rollup.data)
            _add_rollup_sheets(skeleton, rollup, name)
            try:
                _write_rows(pool, rollup, skeleton, tmp, progress)
            except LayoutError:  # the builder changed shape: write everything with it
                full = merge(members, level, name)
                assert full.data is not None
                build_workbook(tmp, options, full.data)
                _add_rollup_sheets(tmp, full, name)
    return rollup


def _pct(value: float | None) -> str:
    return "–" if value is None or value != value else f"{value:.1%}"


def report_lines(rollup: Rollup, out: Path, top: int = 10) -> list[str]:
    """The members taken and left out (with reasons), the whole's headline KPIs, the
    ranking (first ``top``) and problems by category."""
    lines = [f"{out}: {len(rollup.included)} of {len(rollup.members)} workbooks rolled up "
             f"for {rollup.period.label if rollup.period else '-'}"]
    for m in rollup.excluded:
        assert m.reason is not None
        lines.append(f"  left out {m.path.name}: {m.reason[1]}")
    w = rollup.whole
    if w:
        lines.append(f"  whole: revenue {w['revenue'] or 0:,.0f}, target {w['target'] or 0:,.0f}"
                     f", attainment {_pct(w['attainment'])}, growth {_pct(w['mom_growth'])} "
                     f"(ratios from the members' sums)")
    if not rollup.ranking.empty:
        lines.append("  members by revenue (rank: revenue, attainment, growth):")
        for r in rollup.ranking.head(top).to_dict("records"):
            lines.append(f"    {r['rank_revenue']:>3}. {r['member']}: {r['revenue'] or 0:,.0f}, "
                         f"{_pct(r['attainment'])} (#{r['rank_attainment']}), "
                         f"{_pct(r['mom_growth'])} (#{r['rank_growth']})")
        if len(rollup.ranking) > top:
            lines.append(f"    … {len(rollup.ranking) - top} more on the ranking sheet")
    if not rollup.problems.empty:
        lines.append("  problems by category (count, impact):")
        for category, row in rollup.problems.iterrows():
            lines.append(f"    {category}: {int(row['count'])}, {row['impact']:,.0f}")
    return lines
