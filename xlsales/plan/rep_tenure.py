"""Who is on the team in the plan's period (:mod:`xlsales.roster`): a rep who left before
it starts gets no target, their share going to the others; one who leaves or joins during
it gets targets only for their days on the team (each sub-period's share pro-rata by
days); a rep new this period or the next gets, in a split by share, at least the others'
average share (their own figures cover less than a whole period, or nothing). The plan's
notes say each of these, and an action a leaver would own goes to the plan's owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from xlsales.plan.model import PlanInput
from xlsales.plan.period_words import period_words
from xlsales.plan.rounding import in_units, split_exact
from xlsales.plan.time_split import Part
from xlsales.roster import Tenure, roster
from xlsales.values import is_blank

#: Splits by this period's figures: a rep new to the team has less of them than a whole
#: period's, so gets at least the others' average share
BY_FIGURES = ("share", "target_share")


def team_roster(inp: PlanInput) -> dict[str, Tenure]:
    """The tenure of each rep of ``inp``'s rep list with a joining or leaving date: read
    once per rep list (a plan asks five times; each read parses the dates, ~0.2 ms)."""
    rep_list = inp.tables.get("ListRep")
    read = inp.rosters.get(id(rep_list))
    if read is None or read[0] is not rep_list:  # the list itself kept: its id not reused
        read = inp.rosters[id(rep_list)] = (rep_list, roster(rep_list))
    return read[1]


def planned_reps(inp: PlanInput, reps: Sequence[str]) -> list[str]:
    """``reps`` less those not on the team at any time in the plan's period (left before
    it starts, or joining after it ends)."""
    nxt, tenure = inp.period.next, team_roster(inp)
    return [r for r in reps if r not in tenure or tenure[r].on_team_during(nxt.start, nxt.end)]


def new_reps(inp: PlanInput, reps: Sequence[str]) -> list[str]:
    """The reps of ``reps`` who joined after this period began (so its figures hold less
    than a whole period of theirs)."""
    tenure = team_roster(inp)
    return [r for r in reps if r in tenure and tenure[r].joins_after(inp.period.start)]


def with_new_reps(inp: PlanInput, weights: dict[str, float], used: str) -> dict[str, float]:
    """``weights`` where, in a split by this period's figures, a rep new to the team has
    at least the average weight of the others (all of them when every rep is new)."""
    new = new_reps(inp, list(weights))
    if used not in BY_FIGURES or not new:
        return weights
    others = [w for r, w in weights.items() if r not in new] or list(weights.values())
    average = sum(others) / len(others)
    return {r: max(w, average) if r in new else w for r, w in weights.items()}


@dataclass(frozen=True)
class TenureGrid:
    """The revenue target split over sub-periods (rows) and reps (columns), each rep's
    part of a sub-period pro-rata to their days on the team in it, and each rep's total
    (their column's sum)."""

    grid: list[list[float]]
    rep_totals: list[float]


def tenure_grid(inp: PlanInput, parts: Sequence[Part], part_totals: Sequence[float],
                weights: dict[str, float], unit: float) -> TenureGrid | None:
    """The split of ``part_totals`` over the reps of ``weights`` by their days on the team
    (:class:`TenureGrid`); None when every rep is on the team throughout the plan's period
    (the plain split by weight applies)."""
    tenure = team_roster(inp)
    days = {r: [tenure[r].share_of(p.start, p.end) if r in tenure else 1.0 for p in parts]
            for r in weights}
    if all(share == 1.0 for shares in days.values() for share in shares):
        return None
    grid = []
    for i, total in enumerate(part_totals):
        row = [weights[r] * days[r][i] for r in weights]
        if sum(row) <= 0:  # no one on the team then: split by weight alone
            row = list(weights.values())
        grid.append(split_exact(total, row, unit))
    totals = [in_units(sum(round(v / unit) for v in column), unit)
              for column in zip(*grid, strict=True)]
    return TenureGrid(grid, totals)


def tenure_notes(inp: PlanInput, reps: Sequence[str], used: str) -> list[tuple[str, str]]:
    """Notes (zh, en) on the rep list's leavers and joiners the plan took into account:
    those who left since this period began (no target, their share to the others), and
    those who leave or join during the plan's period, or joined during this one."""
    nxt, tenure = inp.period.next, team_roster(inp)
    average = used in BY_FIGURES
    notes = []
    for rep, t in tenure.items():
        if t.left is not None and t.left_before(nxt.start):
            if not t.left_before(inp.period.start):  # earlier leavers: said before
                notes.append((f"{rep} 离职（{t.left}），其目标已分给其他人",
                              f"{rep} left on {t.left}; their share went to the others"))
        elif rep not in reps:
            continue
        elif t.left is not None and t.left < nxt.end:
            notes.append((f"{rep} 离职（{t.left}）：目标只分到离职日（按天折算）",
                          f"{rep} leaves on {t.left}: targets only up to that day "
                          "(pro-rata by days)"))
        if rep in reps and t.joined is not None and t.joins_after(inp.period.start):
            share = (("，份额不低于其他人的平均份额", ", at no less than the others' "
                      "average share") if average else ("", ""))
            if t.joins_after(nxt.start):
                notes.append((f"{rep} 入职（{t.joined}）：目标从入职日起分配（按天折算）"
                               f"{share[0]}",
                               f"{rep} joins on {t.joined}: targets from that day on "
                               f"(pro-rata by days){share[1]}"))
            elif average:
                this = period_words(inp.period).this
                notes.append((f"{rep} {this[0]}入职（{t.joined}）：目标份额不低于其他人的平均份额",
                              f"{rep} joined on {t.joined}, {this[1]}: a share of the "
                              "target no less than the others' average"))
    return notes


def reassign_leavers(inp: PlanInput, actions: pd.DataFrame
                     ) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """``actions`` with each one owned by a rep who left before the plan's period (a
    problem's owner, a carried action's) given to the plan's owner, and a note (zh, en)
    per leaver naming their actions, to reassign."""
    nxt, tenure = inp.period.next, team_roster(inp)
    gone = {r for r, t in tenure.items() if t.left_before(nxt.start)}
    if actions.empty or not gone:
        return actions, []
    owned = actions["who"].map(lambda w: not is_blank(w) and str(w) in gone)
    if not owned.any():
        return actions, []
    notes = []
    for rep, ids in actions[owned].groupby(actions.loc[owned, "who"].map(str))["action_id"]:
        listed = list(ids)
        notes.append((f"{'、'.join(listed)} 的负责人 {rep} 已离职（{tenure[rep].left}），"
                       f"已改由 {inp.owner} 负责：请重新分配",
                       f"{', '.join(listed)}: their owner {rep} left on {tenure[rep].left}, "
                       f"so {inp.owner} owns {'it' if len(listed) == 1 else 'them'}: "
                       "reassign"))
    actions = actions.assign(who=actions["who"].where(~owned, inp.owner))
    return actions, notes
