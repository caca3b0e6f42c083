"""A rep's target for a month set both in the rep's own book and in the manager's
(a team roll-up of her book beside her reps' own, :mod:`xlsales.rollup_own_reps`): one
target, not two added up — the manager's, as the spec decomposes the team's target over
its reps (team → reps) — and the report names both values where they differ, and the
months where they agree (set in both books, counted once).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from xlsales.periods import range_text
from xlsales.rollup_rank import named


@dataclass(frozen=True)
class TargetSet:
    """A rep's target for a month set in two members' books: the one counted (``given``,
    by member ``by``) and the rep's own book's (``own``), left out of the roll-up."""

    rep: str
    month: str
    own: float | None
    given: float | None
    by: str

    @property
    def same(self) -> bool:
        """Whether both books give the same value (nothing to choose between)."""
        return self.own == self.given


def _month(values: pd.Series) -> pd.Series:
    """A target row's month as text (``2026-10``), or as typed when it is no date."""
    dates = pd.to_datetime(values, errors="coerce")
    return dates.dt.strftime("%Y-%m").where(dates.notna(), values.astype(str))


def _amount(value: object) -> float | None:
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return None if pd.isna(number) else float(number)


def settled_targets(frame: pd.DataFrame | None, own: Mapping[str, str], label: str,
                    fixed: Collection[str] = ()
                    ) -> tuple[pd.DataFrame | None, list[TargetSet]]:
    """The roll-up's Targets ``frame`` (members named in ``label``) without the rows of a
    rep's own book (``own``: :func:`own_books`) for a month another member's book sets
    that rep's target for, and what was left out so (every such month, whether or not
    the values differ: :attr:`TargetSet.same`). The rows of a member in ``fixed`` (a
    roll-up) set no one else's target: its reps are its own people."""
    if frame is None or not own or "rep" not in frame.columns or frame.empty:
        return frame, []
    rep = frame["rep"].astype(str).str.strip().where(named(frame["rep"]), None)
    member = frame[label].astype(str)
    month = _month(frame["period"])
    mine = rep.map(own).eq(member).to_numpy(dtype=bool)  # a row of the rep's own book
    others = (rep.notna().to_numpy(dtype=bool) & ~mine & rep.isin(own).to_numpy(dtype=bool)
              & ~member.isin(fixed).to_numpy(dtype=bool))
    given = {(r, mo): i for i, r, mo in zip(np.flatnonzero(others), rep[others],
                                            month[others], strict=True)}
    drop, sets = [], []
    for i in np.flatnonzero(mine):
        j = given.get((rep.iloc[i], month.iloc[i]))
        if j is None:
            continue
        drop.append(i)
        sets.append(TargetSet(rep.iloc[i], month.iloc[i],
                              _amount(frame["revenue_target"].iloc[i]),
                              _amount(frame["revenue_target"].iloc[j]), member.iloc[j]))
    if not drop:
        return frame, []
    keep = np.ones(len(frame), dtype=bool)
    keep[drop] = False
    return frame[keep].reset_index(drop=True), sets


def target_notes(sets: Sequence[TargetSet], setters: Mapping[str, list[str]],
                 lang: str, unbooked: Mapping[str, list[str]] | None = None,
                 prefix: str = "  ") -> list[str]:
    """The report's lines on the targets and rows a member's book holds of reps with
    books of their own (``setters``: member → those reps) or without (``unbooked``:
    member → those reps), and on targets set twice (``sets``: the one counted and the
    rep's own, left out)."""
    zh = lang == "zh"
    lines = []
    for m, reps in setters.items():
        lines.append(f"{prefix}{m} 的工作簿中写有 {'、'.join(reps)} 的目标或记录：本人另有工作簿，"
                     "这些行计入本人的成员行（同一个人，不按成员分开）" if zh else
                     f"{prefix}{m}'s workbook holds targets or rows of {', '.join(reps)}, who "
                     "have workbooks of their own: those rows count in their own members' "
                     "rows (one person each, not split by member)")
    for m, reps in (unbooked or {}).items():
        names = "、".join(reps) if zh else ", ".join(reps)
        lines.append(f"{prefix}{m} 的工作簿中还有 {names} 的目标，但本人没有工作簿："
                     f"这些目标计入 {m} 的成员行（若漏了本人的工作簿，请加上后重新合并）" if zh else
                     f"{prefix}{m}'s workbook also sets targets for {names}, who have no "
                     f"workbook here: those targets count in {m}'s row (if their workbooks "
                     "were left behind, add them and consolidate again)")
    by_rep: dict[tuple[str, str], list[TargetSet]] = {}
    for s in sets:
        if not s.same:
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
    lines += _same_notes([s for s in sets if s.same], lang, prefix)
    return lines


def _same_notes(sets: Sequence[TargetSet], lang: str, prefix: str) -> list[str]:
    """One line per rep and setting member on the months both books set the same target
    for: counted once, so a manager does not wonder where the rep's own went."""
    zh = lang == "zh"
    by_rep: dict[tuple[str, str], list[str]] = {}
    for s in sets:
        months = by_rep.setdefault((s.rep, s.by), [])
        if s.month not in months:
            months.append(s.month)
    lines = []
    for (rep, by), months in by_rep.items():
        months = month_runs(sorted(months), "zh" if zh else "en")
        lines.append(
            f"{prefix}{rep} 的目标在 {by} 和 {rep} 自己的工作簿中都有（{'、'.join(months)}），"
            "数值相同：只计一次" if zh else
            f"{prefix}{rep}'s target is set in both {by}'s and {rep}'s own workbook for "
            f"{', '.join(months)}, with the same values: counted once")
    return lines


def month_runs(months: Sequence[str], lang: str = "zh") -> list[str]:
    """Sorted months (``2026-10``) with each run of consecutive ones as ``first ~ last``
    (in English ``first – last``, an en dash, as periods are written); a month that is
    no ``YYYY-MM`` stays as it is."""
    def index(month: str) -> int | None:
        year, _, mon = month.partition("-")
        return int(year) * 12 + int(mon) if year.isdigit() and mon.isdigit() else None

    runs: list[list[str]] = []
    for month in months:
        at = index(month)
        if runs and at is not None and index(runs[-1][-1]) == at - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return [run[0] if len(run) == 1 else range_text(run[0], run[-1], lang) for run in runs]
