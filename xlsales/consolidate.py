"""Roll members' workbooks up into one (``xlsales consolidate``): reps → team → region
→ company.

The roll-up keeps every member's rows (each tagged with its member in a "Member"
column), so figures that do not add up across members (distinct customers, new
customers, every ratio) are computed exactly for the whole by the same native formulas
and engine as any workbook; a roll-up can be rolled up again. It adds a ranking of the
members (revenue, attainment, growth) and the problems of all members by category.
Members are read and validated in parallel (small files a few to a task); one that
cannot be read, fails validation or covers another period is left out and reported with
its reason (the error itself, which crosses processes) — nothing is dropped silently.
Members that share an owner name are told apart by their file names, and the report
says so. The big tables' rows are written in parallel too (:mod:`xlsales.rollup_write`):
what a worker read crosses the main process sealed, and the blocks the workers render
are spliced into the file as they come.
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import threading
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain, count
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
    Sealed,
    TableLayout,
    cpu_count,
    render_rows,
    splice_rows,
    table_layout,
)
from xlsales.spec import SPEC, WorkbookSpec
from xlsales.spec.declarations import MEMBER_RANKING_SHEET, PROBLEM_SUMMARY_SHEET
from xlsales.spec.subset import kpi_subset
from xlsales.values import fold
from xlsales.workbook_data import BuildOptions, WorkbookData

ROLE_OF_LEVEL = {"team": "manager", "region": "director", "company": "director"}
#: Tables whose ids are made unique per member (order IDs come from one CRM: kept as
#: they are, so an order in two members' books is caught as a duplicate).
PREFIXED_IDS = ("Problems", "Lessons")
MERGED_TABLES = ("Sales", "Targets", "Activities", "Problems", "Lessons")
#: Settings tables the roll-up takes from its first member.
SETTINGS_TABLES = ("Playbook", "CustomFields")
#: The rep list with its split weights: every member's reps, with their weights.
REP_LIST = "ListRep"
#: Rows rendered by one task: members smaller than this go together.
BATCH_ROWS = 2_000
#: Members read by one task: small files go together (fewer round trips between the
#: processes), a file of this size or more goes alone.
CHUNK_BYTES = 256_000
CHUNK_FILES = 16
#: KPIs each member reports for the ranking and the whole's sums.
MEMBER_KPIS = ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "deals",
               "lost_deals", "closed_deals", "customers", "win_rate", "invoiced", "collected",
               "collection_rate", "visits", "visits_target", "revenue_previous",
               "revenue_year_ago")


@dataclass
class Member:
    """One member workbook as read: its content, or why it is left out."""

    path: Path
    owner: str = ""  # as its basic-info sheet names it
    period: Period | None = None
    lang: str = "zh"
    errors: int = 0
    reason: XlsalesError | None = None  # why it is left out (both messages)
    level: str = ""
    kpis: dict[str, float | int | None] = field(default_factory=dict)
    #: Its merged and settings tables, compact to cross processes; the big ones (sales
    #: records, activities) sealed: the main process hands them on unread.
    tables: dict[str, CompactFrame | Sealed] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    assumptions: dict[str, object] = field(default_factory=dict)
    budget_caps: CompactFrame | None = None
    #: Its name in the roll-up: its owner, told apart from another member of the same
    #: name by its file (``note`` then says so: zh, en).
    name: str = ""
    note: tuple[str, str] | None = None

    @property
    def ok(self) -> bool:
        """Rolled up (not left out)."""
        return self.reason is None

    def rows(self, table: str) -> int:
        """How many rows of ``table`` it brings."""
        part = self.tables.get(table)
        return 0 if part is None else part.length

    def columns(self, table: str) -> list[str] | None:
        """The columns of its ``table`` (None if its workbook has no such table)."""
        part = self.tables.get(table)
        return None if part is None else list(part.columns)

    def compact(self, table: str) -> CompactFrame | None:
        """Its ``table``, opened if sealed (None if its workbook has no such table)."""
        part = self.tables.get(table)
        return part.open() if isinstance(part, Sealed) else part

    def frame(self, table: str) -> pd.DataFrame | None:
        """The member's rows of ``table`` (None if its workbook has no such table)."""
        part = self.compact(table)
        return None if part is None else part.frame()


def member_column(frame: pd.DataFrame | Sequence[object]) -> str | None:
    """The column of a roll-up's table (a frame or its column names) naming each row's
    member, if any."""
    columns = frame.columns if isinstance(frame, pd.DataFrame) else frame
    return next((c for c in columns if isinstance(c, str) and fold(c) in MEMBER_LABELS), None)


def member_spec() -> WorkbookSpec:
    """The spec cut down to what :data:`MEMBER_KPIS` need (see
    :func:`~xlsales.spec.subset.kpi_subset`)."""
    return kpi_subset(MEMBER_KPIS)


def load_member(path: Path) -> Member:
    """Read and validate one member, and compute its KPIs (runs in a worker process).
    A workbook that cannot be read gives a member left out with the error."""
    from xlsales.io.reader import read_workbook
    from xlsales.kpis import compute_kpis
    from xlsales.validation import validate

    try:
        book = read_workbook(path)
    except XlsalesError as exc:
        return Member(path, reason=exc)
    errors = sum(1 for f in validate(book) if f.severity is Severity.ERROR)
    member = Member(path, str(book.info.get("owner") or path.stem), book.period, book.lang,
                    errors, level=str(book.info.get("level") or ""))
    if errors:
        member.reason = WorkbookError(
            f"有 {errors} 个校验错误（运行 xlsales validate {path.name} 查看）",
            f"{errors} validation errors (see xlsales validate {path.name})")
        return member
    if book.period is None:
        member.reason = WorkbookError("基础信息里没有周期", "no period in its basic info")
        return member
    frames = {n: t.frame for n, t in book.tables.items()}
    kpis = compute_kpis(frames, book.period, spec=member_spec()).kpis
    member.kpis = {k: kpis.get(k) for k in MEMBER_KPIS}
    for name in (*MERGED_TABLES, *SETTINGS_TABLES, REP_LIST):
        if name in frames:
            # calculated columns are written as formulas: their values need not travel
            calculated = {c.key for c in SPEC.table(name).columns if not c.is_input}
            frame = frames[name]
            compact = CompactFrame.of(frame.drop(columns=[c for c in frame.columns
                                                          if c in calculated]))
            member.tables[name] = Sealed.of(compact) if name in BIG_TABLES else compact
    member.lists = {k: list(v) for k, v in book.lists.items()}
    member.assumptions = dict(book.assumptions)
    if "BudgetCaps" in frames:
        member.budget_caps = CompactFrame.of(frames["BudgetCaps"])
    return member


def load_members(paths: Sequence[Path]) -> list[Member]:
    """:func:`load_member` of each path (one task of a worker process)."""
    return [load_member(p) for p in paths]


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
    """What a consolidation did. ``data`` holds the roll-up's content: the merged small
    tables (targets, problems, lessons) with their rows, the big ones (sales records,
    activities) with their columns only — their rows go into the file member by member —
    and the settings."""

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

    @property
    def renamed(self) -> list[Member]:
        """Members named apart from another member of the same name."""
        return [m for m in self.included if m.note]


def _rep_weights(members: Sequence[Member], reps: list[str]) -> pd.DataFrame | None:
    """Every member's reps with the split weight their workbook gives them (the first
    member naming a rep wins), so that ``plan --split weights`` works on the roll-up;
    None when no member sets a weight."""
    frames = [f for f in (m.frame(REP_LIST) for m in members)
              if f is not None and "weight" in f.columns]
    if not frames:
        return None
    merged = pd.concat(frames, ignore_index=True)
    weights = pd.to_numeric(merged["weight"], errors="coerce")
    if weights.isna().all():
        return None
    first = weights.groupby(merged["value"].astype(str), sort=False).first()
    return pd.DataFrame({"value": reps, "weight": [first.get(r) for r in reps]})


def _union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(v for values in lists for v in values))


def name_members(members: Sequence[Member]) -> None:
    """Give each member its name in the roll-up: its owner; members sharing an owner are
    told apart by their file names (``Sam (east)``), else by folder and file name
    (``Sam (2026/east)``), else numbered (``Sam (east 2)``) — every name distinct."""
    groups: dict[str, list[Member]] = {}
    for m in members:
        m.name, m.note = m.owner, None
        groups.setdefault(m.owner, []).append(m)
    used = {owner for owner, group in groups.items() if len(group) == 1}
    schemes: tuple[Callable[[Member, int], str], ...] = (
        lambda m, _: m.path.stem, lambda m, _: f"{m.path.parent.name}/{m.path.stem}",
        lambda m, i: f"{m.path.stem} {i}")
    for owner, group in groups.items():
        if len(group) == 1:
            continue
        for scheme in schemes:
            names = [f"{owner} ({scheme(m, i)})" for i, m in enumerate(group, 1)]
            if len(set(names)) == len(names) and not used.intersection(names):
                break
        for m, name in zip(group, names, strict=True):
            m.name = next(n for n in chain([name], (f"{name} {k}" for k in count(2)))
                          if n not in used)
            used.add(m.name)
            m.note = (f"与另一成员同名（{owner}），按文件名称为 {m.name}",
                      f"another member is also named {owner}: named {m.name} after its file")


def _concat(parts: Sequence[CompactFrame]) -> pd.DataFrame | None:
    """The rows of ``parts`` one after the other (a column a part lacks is empty there),
    stacked column by column."""
    if not parts:
        return None
    values: dict[str, list[object]] = {c: [] for part in parts for c in part.columns}
    for part in parts:
        for c, column in values.items():
            column.extend(part.column(c) if c in part.columns else [None] * part.length)
    return pd.DataFrame(values, index=range(sum(p.length for p in parts)))


def stacked(members: list[Member], table: str, label: str) -> pd.DataFrame | None:
    """The members' rows of ``table`` one after the other, each naming its member in
    ``label`` (replacing the member column of a member that is itself a roll-up), the
    problem and lesson ids prefixed with the member's name (P01 of two members stays
    two problems). Stacked column by column from the compact frames."""
    parts = [(m, part) for m in members if (part := m.compact(table)) is not None]
    if not parts:
        return None
    olds = [member_column(list(part.columns)) for _, part in parts]
    frame = _concat([  # a roll-up's own member column gives way to the new one
        CompactFrame(part.length, {k: v for k, v in part.columns.items() if k != old})
        for (_, part), old in zip(parts, olds, strict=True)])
    assert frame is not None
    who = np.repeat(np.array([m.name for m, _ in parts], dtype=object),
                    [part.length for _, part in parts])
    key = SPEC.table(table).id_key if table in PREFIXED_IDS else None
    if key and key in frame and len(frame):
        frame[key] = [f"{m}-{v}" for m, v in zip(who, frame[key], strict=True)]
    frame[label] = who
    return frame


def _columns_of(members: list[Member], table: str, label: str) -> list[str] | None:
    """The columns :func:`stacked` gives ``table``, without stacking its rows."""
    present = [c for m in members if (c := m.columns(table)) is not None]
    if not present:
        return None
    olds = [member_column(c) for c in present]
    columns = dict.fromkeys(c for cols, old in zip(present, olds, strict=True) for c in cols
                            if c != old)
    return [*columns, label]


def merge(members: list[Member], level: str, name: str, big_rows: bool = True) -> Rollup:
    """The roll-up's content from the members that can be used (same period), each
    named apart from the others. With ``big_rows`` false the big tables are left empty
    (their rows are written apart)."""
    usable = [m for m in members if m.ok]
    if not usable:
        return Rollup(members, None)
    period = Counter(m.period for m in usable).most_common(1)[0][0]
    for m in usable:
        if m.period != period:
            m.reason = WorkbookError(f"周期 {m.period} 与其他成员的 {period} 不同",
                                     f"its period {m.period} differs from the others' {period}")
    included = [m for m in members if m.ok]
    name_members(included)
    lang = Counter(m.lang for m in included).most_common(1)[0][0]
    label = MEMBER_LABEL[lang]  # type: ignore[index]
    tables: dict[str, pd.DataFrame] = {}
    for table in MERGED_TABLES:
        if table in BIG_TABLES and not big_rows:  # the columns only: rows come apart
            columns = _columns_of(included, table, label)
            if columns is not None:
                tables[table] = pd.DataFrame(columns=columns)
            continue
        frame = stacked(included, table, label)
        if frame is not None:
            tables[table] = frame
    first = included[0]
    caps = _concat([m.budget_caps for m in included if m.budget_caps is not None])
    budget = (caps.groupby("category", sort=False, as_index=False)["monthly_cap"]
              .sum(min_count=1) if caps is not None else None)
    for extra in SETTINGS_TABLES:
        settings = first.frame(extra)
        if settings is not None:
            tables[extra] = settings
    lists = {s.key: _union([m.lists.get(s.key, []) for m in included]) for s in SPEC.lists}
    rep_weights = _rep_weights(included, lists.get("rep", []))
    if rep_weights is not None:
        tables[REP_LIST] = rep_weights
    info = {"owner": name, "level": level, "role": ROLE_OF_LEVEL.get(level, "manager"),
            "period_type": period.type.value, "period_start": period.start,
            "data_source": ", ".join(m.path.name for m in included)}
    data = WorkbookData(info=info, tables=tables, lists=lists,
                        assumptions=dict(first.assumptions), budget_caps=budget)
    problems = tables.get("Problems", pd.DataFrame(columns=["category", "impact_amount", label]))
    ranking = member_ranking([
        {"member": m.name, "level": m.level, "file": m.path.name,
         "status": m.note[0 if lang == "zh" else 1] if m.note else None, **m.kpis}
        for m in included])
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

    # fork where it is safe (Linux, no other thread running): a worker starts in
    # milliseconds with every module above imported, instead of importing pandas and
    # xlsales again (Python 3.14 no longer forks by default)
    safe = sys.platform == "linux" and threading.active_count() == 1
    context = multiprocessing.get_context("fork") if safe else None
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield pool


def _every(total: int, steps: int = 20) -> Callable[[int], bool]:
    """Whether to report item ``i`` of ``total``: about ``steps`` reports, and the last."""
    step = max(1, total // steps)
    return lambda i: i == total or i % step == 0


def _chunks(files: list[Path], workers: int) -> list[list[Path]]:
    """The files in tasks: consecutive small files together (up to :data:`CHUNK_BYTES`
    and :data:`CHUNK_FILES`, and at least 4 tasks a worker), big ones alone."""
    if workers <= 1:
        return [[p] for p in files]
    limit = min(CHUNK_FILES, max(1, len(files) // (4 * workers)))
    chunks: list[list[Path]] = []
    size = 0
    for p in files:
        try:
            bytes_ = p.stat().st_size
        except OSError:
            bytes_ = 0  # the reader says what is wrong with it
        if not chunks or len(chunks[-1]) >= limit or size + bytes_ > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += bytes_
    return chunks


def _read(pool: Executor, files: list[Path], workers: int,
          progress: Callable[[str], None]) -> list[Member]:
    chunks = _chunks(files, workers)
    futures = [pool.submit(load_members, chunk) for chunk in chunks]
    members: list[Member] = []
    report = _every(len(files))
    for future in futures:
        for member in future.result():
            members.append(member)
            if report(len(members)):
                progress(f"[consolidate] {len(members)}/{len(files)} read and validated")
    return members


def _sheet_title(rollup: Rollup, name: str, what: str) -> str:
    period = rollup.period.label if rollup.period else ""
    return f"{what} · {name} · {period}"


def _add_rollup_sheets(path: Path, rollup: Rollup, name: str) -> None:
    """The ranking and problem-summary sheets, after the KPI sheet."""
    from xlsales.io.package import WorkbookPackage

    lang = rollup.lang
    left_out = [(m.path.name, m.reason.zh if lang == "zh" else m.reason.en)
                for m in rollup.excluded if m.reason]
    kpi_sheet = SPEC.sheet("kpis").name.get(lang)  # type: ignore[arg-type]
    with WorkbookPackage.open(path) as package:
        after = kpi_sheet if kpi_sheet in package.sheet_names else None
        ranking = ranking_sheet(rollup.ranking, left_out, rollup.whole, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name,
                                             MEMBER_RANKING_SHEET.name.get(lang)))  # type: ignore[arg-type]
        package.put_sheet(ranking, after=after)
        summary = problem_sheet(rollup.problems, lang,  # type: ignore[arg-type]
                                _sheet_title(rollup, name,
                                             PROBLEM_SUMMARY_SHEET.name.get(lang)))  # type: ignore[arg-type]
        package.put_sheet(summary, after=ranking.name)
        package.save()


def _layouts(skeleton: Path, tables: Sequence[str], lang: str) -> dict[str, TableLayout]:
    with zipfile.ZipFile(skeleton) as zf:
        return {t: table_layout(zf, t, lang) for t in tables}  # type: ignore[arg-type]


def _write(pool: Executor, rollup: Rollup, options: BuildOptions, name: str, skeleton: Path,
           out: Path, progress: Callable[[str], None]) -> None:
    """The roll-up written fast: the builder writes the skeleton (every merged table
    empty), the workers render the big tables' rows member by member while this process
    adds the ranking sheets and renders the small tables' rows, and the blocks are
    spliced in as they come."""
    assert rollup.data is not None
    data = rollup.data
    lang = rollup.lang
    empty = {t: f.iloc[0:0] for t, f in data.tables.items() if t in MERGED_TABLES}
    build_workbook(skeleton, options, replace(data, tables={**data.tables, **empty}))
    layouts = _layouts(skeleton, list(empty), lang)
    members = rollup.included
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
    label = MEMBER_LABEL[lang]  # type: ignore[index]
    jobs: dict[str, list[Future[Block]]] = {}
    for table in (t for t in BIG_TABLES if t in layouts):
        layout, row, batch, size = layouts[table], layouts[table].first_row, [], 0
        jobs[table] = []
        for m in members:
            part = m.tables.get(table)
            if part is None or not part.length:
                continue
            batch.append((part, {label: m.name}))  # small members go together
            size += part.length
            if size >= BATCH_ROWS:
                jobs[table].append(pool.submit(render_rows, layout, batch, row))
                row, batch, size = row + size, [], 0
        if size:
            jobs[table].append(pool.submit(render_rows, layout, batch, row))
    # while the workers render
    _add_rollup_sheets(skeleton, rollup, name)
    if _layouts(skeleton, list(layouts), lang) != layouts:
        raise LayoutError("adding the ranking sheets moved a table")
    blocks: dict[str, Iterator[Block] | list[Block]] = {
        t: [render_rows(layouts[t], [(CompactFrame.of(data.tables[t]), {})],
                        layouts[t].first_row)]
        for t in layouts if t not in BIG_TABLES and rows[t]}
    total = sum(len(j) for j in jobs.values())
    report, done = _every(total), 0

    def results(futures: list[Future[Block]]) -> Iterator[Block]:
        nonlocal done
        futures.reverse()
        while futures:  # each block is let go once written
            yield futures.pop().result()
            done += 1
            if report(done):
                progress(f"[consolidate] {done}/{total} row blocks written")

    blocks.update({t: results(futures) for t, futures in jobs.items() if rows[t]})
    splice_rows(skeleton, out, layouts, {t: n for t, n in rows.items() if n}, blocks)


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
        members = _read(pool, files, workers, progress)
        rollup = merge(members, level, name, big_rows=False)
        if rollup.data is None or rollup.period is None:
            raise UsageError("没有可以合并的工作簿：" + "；".join(
                f"{m.path.name}：{m.reason.zh}" for m in members if m.reason),
                "No workbook could be consolidated: " + "; ".join(
                f"{m.path.name}: {m.reason.en}" for m in members if m.reason))
        options = BuildOptions(lang=rollup.lang, period=rollup.period,  # type: ignore[arg-type]
                               level=level, role=ROLE_OF_LEVEL.get(level, "manager"),
                               owner=name)
        progress(f"[consolidate] writing {out.name} ...")
        with atomic_output(out) as tmp, tempfile.TemporaryDirectory() as work:
            try:
                _write(pool, rollup, options, name, Path(work) / "skeleton.xlsx", tmp,
                       progress)
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
        lines.append(f"  left out {m.path.name}: {m.reason.en}")
    for m in rollup.renamed:
        assert m.note is not None
        lines.append(f"  {m.path.name}: {m.note[1]}")
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
