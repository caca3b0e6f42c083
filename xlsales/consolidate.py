"""Roll members' workbooks up into one (``xlsales consolidate``): reps → team → region
→ company.

The roll-up keeps every member's rows, so figures that do not add up across
members (distinct customers, new customers, every ratio) are computed exactly for
the whole by the same native formulas and engine as any workbook; a roll-up can be
rolled up again. Members are read and validated in parallel; one that cannot be
read, fails validation or covers another period is left out and reported with its
reason — nothing is dropped silently.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xlsales.build.workbook import build_workbook
from xlsales.errors import UsageError, XlsalesError
from xlsales.files import atomic_output, check_output
from xlsales.findings import Severity
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions, WorkbookData

ROLE_OF_LEVEL = {"team": "manager", "region": "director", "company": "director"}
#: Tables whose ids are made unique per member (order IDs come from one CRM: kept as
#: they are, so an order in two members' books is caught as a duplicate).
PREFIXED_IDS = ("Problems", "Lessons")
MERGED_TABLES = ("Sales", "Targets", "Activities", "Problems", "Lessons")


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

    @property
    def ok(self) -> bool:
        return self.reason is None


def load_member(path: Path) -> Member:
    """Read and validate one member (runs in a worker process)."""
    from xlsales.io.reader import read_workbook
    from xlsales.validation import validate

    try:
        book = read_workbook(path)
    except XlsalesError as exc:
        return Member(path, reason=(exc.zh, exc.en))
    errors = sum(1 for f in validate(book) if f.severity is Severity.ERROR)
    member = Member(path, str(book.info.get("owner") or path.stem), book.period, book.lang,
                    book.to_data(), errors)
    if errors:
        member.reason = (f"有 {errors} 个校验错误（运行 xlsales validate {path.name} 查看）",
                         f"{errors} validation errors (see xlsales validate {path.name})")
    elif book.period is None:
        member.reason = ("基础信息里没有周期", "no period in its basic info")
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
    """What a consolidation did."""

    members: list[Member]
    period: Period | None
    data: WorkbookData | None = None
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def included(self) -> list[Member]:
        return [m for m in self.members if m.ok]

    @property
    def excluded(self) -> list[Member]:
        return [m for m in self.members if not m.ok]


def _union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(v for values in lists for v in values))


def merge(members: list[Member], level: str, name: str) -> Rollup:
    """The roll-up's content from the members that can be used (same period)."""
    usable = [m for m in members if m.ok]
    if not usable:
        return Rollup(members, None)
    period = Counter(m.period for m in usable).most_common(1)[0][0]
    for m in usable:
        if m.period != period:
            m.reason = (f"周期 {m.period} 与其他成员的 {period} 不同",
                        f"its period {m.period} differs from the others' {period}")
    included = [m for m in members if m.ok]
    tables: dict[str, pd.DataFrame] = {}
    for table in MERGED_TABLES:
        frames = []
        for m in included:
            frame = m.data.tables.get(table) if m.data else None
            if frame is None or frame.empty:
                continue
            key = SPEC.table(table).id_key if table in PREFIXED_IDS else None
            if key:  # P01 of two members stays two problems
                frame = frame.assign(**{key: [f"{m.owner}-{v}" for v in frame[key]]})
            frames.append(frame)
        if frames:
            tables[table] = pd.concat(frames, ignore_index=True)
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
    problems = tables.get("Problems", pd.DataFrame(columns=["category", "impact_amount"]))
    summary = (problems.assign(impact=pd.to_numeric(problems["impact_amount"], errors="coerce"))
               .groupby("category", dropna=False)
               .agg(count=("category", "size"), impact=("impact", "sum"))
               .sort_values(["count", "impact"], ascending=False)) if not problems.empty \
        else pd.DataFrame()
    return Rollup(members, period, data, summary)


def consolidate(paths: Sequence[Path], out: Path, level: str, name: str, force: bool = False,
                workers: int | None = None,
                progress: Callable[[str], None] = print) -> Rollup:
    """Read, validate and merge the members in parallel; write the roll-up workbook."""
    files = expand(paths)
    if not files:
        raise UsageError("没有找到任何工作簿。", "No workbooks were found.")
    check_output(out, force, (".xlsx",))
    workers = workers or min(len(files), os.cpu_count() or 1)
    members: list[Member] = []
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            futures = [pool.submit(load_member, p) for p in files]
            for i, done in enumerate(as_completed(futures), 1):
                members.append(done.result())
                progress(f"[consolidate] {i}/{len(files)} read")
    else:
        for i, p in enumerate(files, 1):
            members.append(load_member(p))
            progress(f"[consolidate] {i}/{len(files)} read")
    order = {p: i for i, p in enumerate(files)}
    members.sort(key=lambda m: order[m.path])
    rollup = merge(members, level, name)
    if rollup.data is None or rollup.period is None:
        raise UsageError("没有可以合并的工作簿：" + "；".join(
            f"{m.path.name}：{m.reason[0]}" for m in members if m.reason),
            "No workbook could be consolidated: " + "; ".join(
            f"{m.path.name}: {m.reason[1]}" for m in members if m.reason))
    lang = Counter(m.lang for m in rollup.included).most_common(1)[0][0]
    options = BuildOptions(lang=lang, period=rollup.period, level=level,  # type: ignore[arg-type]
                           role=ROLE_OF_LEVEL.get(level, "manager"), owner=name)
    progress(f"[consolidate] writing {out.name} ...")
    with atomic_output(out) as tmp:
        build_workbook(tmp, options, rollup.data)
    return rollup


def report_lines(rollup: Rollup, out: Path) -> list[str]:
    """The members taken and left out (with reasons), and problems by category."""
    lines = [f"{out}: {len(rollup.included)} of {len(rollup.members)} workbooks rolled up "
             f"for {rollup.period.label if rollup.period else '-'}"]
    for m in rollup.excluded:
        assert m.reason is not None
        lines.append(f"  left out {m.path.name}: {m.reason[1]}")
    if not rollup.problems.empty:
        lines.append("  problems by category (count, impact):")
        for category, row in rollup.problems.iterrows():
            lines.append(f"    {category}: {int(row['count'])}, {row['impact']:,.0f}")
    return lines
