"""A team roll-up of a manager's book beside her reps' own books: one person per rep.

The manager's book (owner 王芳) lists targets for 张伟, 李娜 …, each of whom sends a book
of their own (an individual book, owner 张伟). Her target rows are those reps' targets,
not a second 张伟's: in the member ranking they count for the rep's own member, and a
rep with a target for the same month in both books is given one target, not two added
up — the manager's, as the spec decomposes the team's target over its reps (team →
reps) — the report naming both values where they differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.rollup_member import Member
from xlsales.rollup_rank import named
from xlsales.spec.subset import kpi_subset

#: The member KPIs the Targets table gives: they follow a target row to its rep's book.
_TARGET_KPIS = ("target", "visits_target")


@dataclass(frozen=True)
class TargetSet:
    """A rep's target for a month set in two members' books: the one counted (``given``,
    by member ``by``) and the rep's own book's (``own``), left out of the roll-up."""

    rep: str
    month: str
    own: float | None
    given: float | None
    by: str


def own_books(members: Sequence[Member]) -> dict[str, str]:
    """Rep name → the member that is that rep's own book: an individual book whose owner
    is the rep, the only such book of that owner, its sales rows naming no other rep."""
    books: dict[str, list[Member]] = {}
    for m in members:
        if m.level == "individual" and m.owner:
            books.setdefault(m.owner.strip(), []).append(m)
    return {owner: found[0].name for owner, found in books.items()
            if len(found) == 1 and set(found[0].reps) <= {owner}}


def _month(values: pd.Series) -> pd.Series:
    """A target row's month as text (``2026-10``), or as typed when it is no date."""
    dates = pd.to_datetime(values, errors="coerce")
    return dates.dt.strftime("%Y-%m").where(dates.notna(), values.astype(str))


def _amount(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def settled_targets(frame: pd.DataFrame | None, own: Mapping[str, str], label: str
                    ) -> tuple[pd.DataFrame | None, list[TargetSet]]:
    """The roll-up's Targets ``frame`` (members named in ``label``) without the rows of a
    rep's own book (``own``: :func:`own_books`) for a month another member's book sets
    that rep's target for, and what was left out so."""
    if frame is None or not own or "rep" not in frame.columns or frame.empty:
        return frame, []
    rep = frame["rep"].astype(str).str.strip().where(named(frame["rep"]), None)
    member = frame[label].astype(str)
    month = _month(frame["period"])
    mine = rep.map(own).eq(member).to_numpy(dtype=bool)  # a row of the rep's own book
    others = rep.notna().to_numpy(dtype=bool) & ~mine & rep.isin(own).to_numpy(dtype=bool)
    given = {(r, mo): i for i, r, mo in zip(np.flatnonzero(others), rep[others],
                                            month[others], strict=True)}
    drop, sets = [], []
    for i in np.flatnonzero(mine):
        j = given.get((rep.iloc[i], month.iloc[i]))
        if j is None:
            continue
        drop.append(i)
        mine_value = _amount(frame["revenue_target"].iloc[i])
        other_value = _amount(frame["revenue_target"].iloc[j])
        if mine_value != other_value:
            sets.append(TargetSet(rep.iloc[i], month.iloc[i], mine_value, other_value,
                                  member.iloc[j]))
    if not drop:
        return frame, []
    keep = np.ones(len(frame), dtype=bool)
    keep[drop] = False
    return frame[keep].reset_index(drop=True), sets


def attribute_targets(members: Sequence[Member], frame: pd.DataFrame | None,
                      own: Mapping[str, str], label: str, period: Period) -> dict[str, list[str]]:
    """Give each member of ``members`` the targets of its reps' rows in the roll-up's
    Targets ``frame``: a row naming a rep with an own book (``own``) counts for that book
    whichever member's book it is in; the members' ``target``, ``visits_target`` and
    ``attainment`` KPIs are set so. Returns member → the reps whose targets its book
    set for other members (empty, and nothing changed, when none did)."""
    if frame is None or not own or "rep" not in frame.columns or frame.empty:
        return {}
    rep = frame["rep"].astype(str).str.strip().where(named(frame["rep"]), None)
    member = frame[label].astype(str)
    owner = rep.map(own).where(rep.isin(own), member)
    moved = owner.ne(member)
    if not moved.any():
        return {}
    setters: dict[str, list[str]] = {}
    for m, r in zip(member[moved], rep[moved], strict=True):
        if r not in setters.setdefault(m, []):
            setters[m].append(r)
    groups = compute_kpis({"Targets": frame.assign(rep=owner)}, period, by="rep",
                          spec=kpi_subset(_TARGET_KPIS)).groups
    for m in members:
        values = groups.get(m.name, {})
        for key in _TARGET_KPIS:
            m.kpis[key] = values.get(key)
        target, revenue = m.kpis.get("target"), m.kpis.get("revenue")
        m.kpis["attainment"] = (float(revenue or 0) / float(target)) if target else None
    return setters


def setter_note(reps: Sequence[str] | None, lang: str) -> str:
    """The ranking sheet's status of a member whose book set other members' reps'
    targets (``reps``); '' when it set none."""
    if not reps:
        return ""
    return (f"为 {'、'.join(reps)} 设定了目标（计入他们的成员行）" if lang == "zh" else
            f"sets the targets of {', '.join(reps)} (counted in their members' rows)")


def target_notes(sets: Sequence[TargetSet], setters: Mapping[str, list[str]],
                 lang: str, prefix: str = "  ") -> list[str]:
    """The report's lines on targets a member's book set for other members' reps and on
    targets set twice (the one counted and the rep's own, left out)."""
    zh = lang == "zh"
    lines = []
    for m, reps in setters.items():
        lines.append(f"{prefix}{m} 的工作簿为 {'、'.join(reps)} 设定了目标：计入他们各自的成员行"
                     if zh else f"{prefix}{m}'s workbook sets the targets of "
                     f"{', '.join(reps)}: counted in their own members' rows")
    by_rep: dict[tuple[str, str], list[TargetSet]] = {}
    for s in sets:
        by_rep.setdefault((s.rep, s.by), []).append(s)
    for (rep, by), found in by_rep.items():
        last = max(found, key=lambda s: s.month)  # the latest: the roll-up's period's
        own, given = (f"{v:,.0f}" if v is not None else "–" for v in (last.own, last.given))
        n = len(found)
        lines.append(
            f"{prefix}{rep} 有 {n} 个月的目标在 {by} 和 {rep} 自己的工作簿中不同（如 {last.month}："
            f"{by} 设定 {given}，{rep} 自己写的 {own}）：按 {by} 设定的计算，未相加" if zh else
            f"{prefix}{rep}'s target differs between {by}'s and {rep}'s own workbook for "
            f"{n} {'month' if n == 1 else 'months'} (e.g. {last.month}: {by} sets {given}, "
            f"{rep}'s own says {own}): {by}'s counts, not both added up")
    return lines
