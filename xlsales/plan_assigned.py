"""``xlsales plan BOOK --target-from TEAM``: the revenue target the team's plan gives
BOOK's owner (B1: targets decomposed over people, team → reps), so that a rep's plan
carries the manager's number down instead of computing its own from growth.

TEAM is a roll-up made by ``xlsales consolidate`` (its plan split over the members) or a
manager's team workbook planned with ``xlsales plan`` (split over its reps). Its plan's
``part`` revenue rows that name BOOK's owner are summed, each sub-period once: a row
inside a coarser row of the same person (a week of a month row, a month of a quarter
row) is part of it, not added to it. When TEAM holds several plan versions ("… v2"),
the latest is taken, as ``xlsales new --from`` takes it, and the basis says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.currency import CURRENCY_FIELD, currency_code
from xlsales.errors import UsageError, WorkbookError
from xlsales.files import command_path
from xlsales.periods import Period
from xlsales.person_names import person_key
from xlsales.plan.rep_months import span

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.io.reader import ReadWorkbook

#: Coarser levels first: a row of a level is inside the row of a coarser one covering it.
_LEVELS = {"week": 0, "month": 1, "quarter": 2, "year": 3}


@dataclass(frozen=True)
class AssignedTarget:
    """The revenue target TEAM's plan gives one person, and where it comes from."""

    value: float
    member: str  # as TEAM's plan names the person
    version: int  # the plan version it was read from (1: the sheets without "v2")
    rows: int  # the part rows summed
    basis: tuple[str, str]  # zh, en: what the plan's basis line says


def check_target_from(target_from: Path | None, target: str | None,
                      growth: str | None) -> None:
    """Refuse ``--target-from`` given with ``--target`` or ``--growth``: one target."""
    if target_from is None or (target is None and growth is None):
        return
    other = "--target" if target is not None else "--growth"
    raise UsageError(
        f"--target-from 和 {other} 只能选一个：--target-from 采用团队计划分给你的目标。",
        f"Give either --target-from or {other}, not both: --target-from takes the target "
        "the team's plan gives you.")


def _no_plan(team: Path) -> WorkbookError:
    typed = command_path(team)
    return WorkbookError(
        f"{team.name} 中没有计划（计划-目标表）：请先对它运行 xlsales consolidate（合并成员的"
        f"工作簿，默认生成计划）或 xlsales plan {typed}，再用 --target-from 取目标。",
        f"{team.name} holds no plan (no Plan Targets sheet): run `xlsales consolidate` "
        f"(the members' books, which adds the plan) or `xlsales plan {typed}` on it first, "
        "then take the target with --target-from.")


def _plan_period(rows: pd.DataFrame, team: ReadWorkbook) -> Period | None:
    """The period TEAM's plan is for: its longest ``total`` revenue row's (its whole
    period), else the period after TEAM's own."""
    totals = rows[rows["scope"].eq("total")]["period_label"].map(span).dropna()
    if not totals.empty:
        return max(totals, key=lambda p: (p.type.months, -p.start.toordinal()))
    return team.period.next if team.period else None


def _row_start(row: pd.Series, level: str) -> date | None:
    """The first day a plan row covers: its start column, else its label's."""
    import pandas as pd

    start = pd.to_datetime(row["period"], errors="coerce")
    if not pd.isna(start):
        return start.date()
    label = row["period_label"]
    period = span(re.sub(r"-W\d+$", "", str(label).strip()) if level == "week" else label)
    return period.start if period is not None else None


def _counted(rows: pd.DataFrame, team: Path) -> pd.DataFrame:
    """``rows`` (one person's part revenue rows) without those inside a coarser row of
    theirs: a month row and its weeks count once, as the month."""
    from xlsales.export_tables import granularity

    levels = rows["period_label"].map(granularity)
    unknown = rows[levels.isna()]
    if not unknown.empty:
        row = unknown.iloc[0]
        raise WorkbookError(
            f"{team.name} 的计划目标 {row['target_id']} 的期间 “{row['period_label']}” "
            "不是可识别的期间（如 2026-11、2026-11-W2、2026-Q4）：请改正后重试。",
            f"{team.name}'s plan target {row['target_id']} has the period "
            f"'{row['period_label']}', which names no period (such as 2026-11, "
            "2026-11-W2, 2026-Q4): correct it and try again.")
    spans = [span(label) for label in rows["period_label"]]
    starts = [_row_start(row, level) for (_, row), level in zip(rows.iterrows(), levels,
                                                                  strict=True)]
    keep = []
    for start, level in zip(starts, levels, strict=True):
        inside = start is not None and any(
            _LEVELS[other] > _LEVELS[level] and whole is not None and whole.contains(start)
            for other, whole in zip(levels, spans, strict=True))
        keep.append(not inside)
    return rows[keep]


def _value(rows: pd.DataFrame, team: Path) -> float:
    """The sum of ``rows``' values; an error naming a row whose value is no number."""
    import pandas as pd

    values = pd.to_numeric(rows["value"], errors="coerce")
    if values.isna().any():
        row = rows[values.isna()].iloc[0]
        raise WorkbookError(
            f"{team.name} 的计划目标 {row['target_id']}（{row['period_label']}）的目标值 "
            f"“{row['value']}” 不是数字：请在 {team.name} 中填写后重试。",
            f"{team.name}'s plan target {row['target_id']} ({row['period_label']}) has "
            f"the value '{row['value']}', which is no number: fill it in {team.name} and "
            "try again.")
    return float(values.sum())


def _member(names: list[str], owner: str, book: Path) -> str | None:
    """Of ``names`` (the people TEAM's plan splits over), the one that is ``owner``:
    written so up to spaces, case and Traditional characters, or as a roll-up names a
    member sharing its name with another (``张伟 (zhangwei_2026-10)``, after its file)."""
    wanted = {person_key(owner), person_key(f"{owner} ({book.stem})"),
              person_key(f"{owner} ({book.parent.name}/{book.stem})")}
    found = [n for n in names if person_key(n) in wanted]
    exact = [n for n in found if person_key(n) == person_key(owner)]
    return (exact or found or [None])[0]


def assigned_target(team_path: Path, book: ReadWorkbook) -> AssignedTarget:
    """The revenue target TEAM's latest plan gives BOOK's owner: the sum of its ``part``
    revenue rows naming them; a :class:`~xlsales.errors.XlsalesError` naming the file
    and what to do when TEAM has no plan, plans another period, is kept in another
    currency or gives the owner nothing."""
    from xlsales.io.reader import read_workbook
    from xlsales.plan.write import read_version
    from xlsales.plan_versions import latest_plan

    team = read_workbook(team_path)
    version = latest_plan(team)
    team = read_version(team, version, lambda s: read_workbook(team_path, spec=s))
    plan = team.tables.get("PlanTargets")
    rows = plan.frame if plan is not None else None
    if rows is None or rows.empty:
        raise _no_plan(team_path)
    revenue = rows[rows["kpi"].eq("revenue")]
    if revenue.empty:
        raise _no_plan(team_path)
    ours, theirs = (currency_code(b.info.get(CURRENCY_FIELD)) for b in (book, team))
    if ours != theirs:
        raise WorkbookError(
            f"{team_path.name} 的币种是 {theirs}，而 {book.path.name} 的币种是 {ours}："
            f"团队计划的目标无法直接采用（xlsales 从不换算货币）。请换算成 {ours} 后用 "
            "--target 金额 指定目标。",
            f"{team_path.name} is kept in {theirs} but {book.path.name} in {ours}: its "
            f"plan's targets cannot be taken as they are (xlsales never converts "
            f"currencies). Convert the target to {ours} and give it with --target AMOUNT.")
    planned = _plan_period(revenue, team)
    assert book.period is not None
    wanted = book.period.next
    if planned != wanted:
        shown = planned.label if planned is not None else "?"
        raise WorkbookError(
            f"{team_path.name} 的计划是 {shown} 的，而 {book.path.name} 要做的是 "
            f"{wanted.label} 的计划：请用 {wanted.label} 的团队计划（对 {book.period.label} "
            "的成员工作簿运行 xlsales consolidate），或改用 --target / --growth。",
            f"{team_path.name}'s plan is for {shown}, but {book.path.name}'s next plan is "
            f"for {wanted.label}: take the team plan for {wanted.label} (consolidate the "
            f"members' books of {book.period.label}), or give --target or --growth instead.")
    parts = revenue[revenue["scope"].eq("part")]
    names = list(dict.fromkeys(str(r).strip() for r in parts["rep"].dropna()
                               if str(r).strip()))
    owner = str(book.info.get("owner") or "").strip()
    member = _member(names, owner, book.path) if owner else None
    if member is None:
        listed_zh = "、".join(names) or "（没有人）"
        listed_en = ", ".join(names) or "(nobody)"
        who = (f"“{owner}”", f"'{owner}'") if owner else ("（基础信息中未填负责人）",
                                                           "(no owner in its basic info)")
        raise WorkbookError(
            f"{team_path.name} 的计划没有分给 {book.path.name} 的负责人 {who[0]} 的目标；它分给："
            f"{listed_zh}。请在 {book.path.name} 的基础信息中把负责人写成团队计划中的名字，"
            "或让经理在团队工作簿中改正后重新生成计划。",
            f"{team_path.name}'s plan gives no target to {book.path.name}'s owner {who[1]}; "
            f"it gives targets to: {listed_en}. Write the owner in {book.path.name}'s basic "
            "info as the team plan names them, or have the manager correct the team "
            "workbook and plan it again.")
    mine = parts[parts["rep"].map(lambda r: str(r).strip() == member)]
    counted = _counted(mine, team_path)
    value = _value(counted, team_path)
    which = (f"（第 {version} 版）", f" (plan version {version})") if version > 1 else (" ", "")
    return AssignedTarget(value, member, version, len(counted), (
        f"团队计划 {team_path.name}{which[0]}分给 {member} 的目标",
        f"the target {team_path.name}'s plan{which[1]} gives {member}"))
