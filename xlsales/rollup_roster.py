"""A roll-up's roster (:mod:`xlsales.roster`): the joining and leaving dates of its
members' rep lists, merged (:func:`merged_roster`) into the roll-up's own rep list
(:func:`rep_list`, with the members' split weights: :func:`rep_weights`), so that its
plan, ``new --from`` of it, its validation and a roll-up of it see them; and the plan
over members (:func:`members_roster`) with no share for a member who is a rep that left,
nor for the figures of a member's reps who left.

Merging: a book that lists a rep without either date says nothing of them (a rep's own
book, the team's list copied into it, is not updated by every member). Of the books that
give a rep dates, the rep is on the roll-up's team whenever one of them has the rep on
it: the earliest joining date and the latest leaving date, a book with a joining date
and no leaving date keeping the rep on (a rep who moved from one member to another is on
the whole throughout). Books that give one rep different dates are named
(:func:`conflict_notes`): the roll-up took the rule above; correct the members' books.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from xlsales.rollup_frames import CompactFrame, stacked_frame
from xlsales.rollup_member import REP_LIST, Member
from xlsales.roster import Tenure, roster
from xlsales.values import is_blank

#: The rep list's columns the roster keeps.
DATES = ("joined", "left")


def merged_tenure(tenures: Sequence[Tenure]) -> Tenure:
    """The tenure covering every one of ``tenures`` (each a book's): the earliest joining
    date (none if one book has none) and the latest leaving date (none if one has none)."""
    joined = None if any(t.joined is None for t in tenures) else min(
        t.joined for t in tenures if t.joined is not None)
    left = None if any(t.left is None for t in tenures) else max(
        t.left for t in tenures if t.left is not None)
    return Tenure(joined, left)


def has_dates(part: CompactFrame) -> bool:
    """Whether a member's compact rep list has a joining or leaving date typed (most have
    none: their frame is not made, 0.9 ms a member)."""
    for key in DATES:
        data = part.columns.get(key)
        if isinstance(data, np.ndarray):
            if not np.isnan(data).all():
                return True
        elif data is not None and any(not is_blank(v) for v in data[1]):
            return True
    return False


def dated_rep_lists(members: Sequence[Member]) -> list[tuple[str, pd.DataFrame]]:
    """(member name, rep list) of the ``members`` whose rep list has a date
    (:func:`has_dates`), for :func:`merged_roster`."""
    return [(m.name, part.frame()) for m in members
            if (part := m.compact(REP_LIST)) is not None and has_dates(part)]


def merged_roster(rep_lists: Sequence[tuple[str, pd.DataFrame | None]]
                  ) -> tuple[dict[str, Tenure], dict[str, list[tuple[str, Tenure]]]]:
    """The roll-up's roster from its members' rep lists ((member name, ListRep frame)):
    rep → :func:`merged_tenure` of the books giving the rep dates; and the reps whose
    books give different dates, each with (member, that book's tenure)."""
    given: dict[str, list[tuple[str, Tenure]]] = {}
    for member, frame in rep_lists:
        for rep, tenure in roster(frame).items():
            given.setdefault(rep, []).append((member, tenure))
    merged = {rep: merged_tenure([t for _, t in books]) for rep, books in given.items()}
    conflicts = {rep: books for rep, books in given.items()
                 if len({t for _, t in books}) > 1}
    return merged, conflicts


def rep_weights(members: Sequence[Member]) -> dict[str, object] | None:
    """Every member's reps with the split weight their workbook gives them (the first
    member naming a rep wins), so that ``plan --split weights`` works on the roll-up;
    None when no member sets a weight."""
    parts = [p for p in (m.compact(REP_LIST) for m in members)
             if p is not None and "weight" in p.columns]
    if not parts:
        return None
    merged = stacked_frame(parts)  # one frame, not one a member (0.2 s for 200)
    weights = pd.to_numeric(merged["weight"], errors="coerce")
    if weights.isna().all():
        return None
    first = weights.groupby(merged["value"].astype(str), sort=False).first()
    return {str(r): w for r, w in first.items()}


def rep_list(reps: Sequence[str], weights: Mapping[str, object] | None,
             tenure: Mapping[str, Tenure]) -> pd.DataFrame | None:
    """The roll-up's rep list: every rep with the weight (``weights``: None when no
    member sets one) and the dates of ``tenure``; None when it has neither."""
    if weights is None and not tenure:
        return None
    frame = pd.DataFrame({"value": list(reps)})
    if weights is not None:
        frame["weight"] = [weights.get(r) for r in reps]
    if tenure:
        frame["joined"] = [tenure[r].joined if r in tenure else None for r in reps]
        frame["left"] = [tenure[r].left if r in tenure else None for r in reps]
    return frame


def _dates(tenure: Tenure, zh: bool) -> str:
    parts = [(f"入职 {tenure.joined}" if zh else f"joined {tenure.joined}")
             if tenure.joined else "", (f"离职 {tenure.left}" if zh else f"left {tenure.left}")
             if tenure.left else ""]
    return ("，" if zh else ", ").join(p for p in parts if p)


def conflict_notes(conflicts: Mapping[str, list[tuple[str, Tenure]]],
                   merged: Mapping[str, Tenure], lang: str) -> list[str]:
    """A report line per rep whose members' books give different dates: what each says
    and what the roll-up took."""
    zh = lang == "zh"
    lines = []
    for rep, books in conflicts.items():
        said = ("；" if zh else "; ").join(f"{m}：{_dates(t, zh)}" if zh else
                                          f"{m}: {_dates(t, zh)}" for m, t in books)
        took = _dates(merged[rep], zh) or ("一直在职" if zh else "on the team throughout")
        lines.append(
            f"  注意：成员的工作簿中 {rep} 的入职/离职日期不同（{said}）：合并表取最早的入职日期"
            f"和最晚的离职日期（{took}）；请在成员的工作簿中改为一致后重新合并" if zh else
            f"  note: the members' workbooks give {rep} different dates ({said}): the "
            f"roll-up takes the earliest joining and the latest leaving date ({took}); make "
            "them agree in the members' workbooks and consolidate again")
    return lines


def gone_before(tenure: Mapping[str, Tenure], day: date) -> set[str]:
    """The reps of ``tenure`` who left before ``day``."""
    return {r for r, t in tenure.items() if t.left_before(day)}


def members_roster(members: Sequence[str], tenure: Mapping[str, Tenure],
                   gone: set[str]) -> pd.DataFrame | None:
    """The rep list the plan over ``members`` reads its roster from: a member that is a
    rep of ``tenure`` (a rep's own book) with that rep's dates — no target after they
    left — and each rep of ``gone`` (who left before the plan's period) named apart
    with their leaving date, their figures kept out of their member's share (the plan's
    notes name them); None when no member nor leaver has a date."""
    dated = [m for m in members if m in tenure]
    others = [r for r in tenure if r in gone and r not in dated]
    if not dated and not others:
        return None
    names = [*dated, *others]
    return pd.DataFrame({"value": names, "joined": [tenure[n].joined for n in names],
                         "left": [tenure[n].left for n in names]})
