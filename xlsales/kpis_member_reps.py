"""KPIs by rep within each member of a roll-up: the export's ``kpis_by_rep`` of a roll-up.

Two teams can each have a rep called 王芳. Grouped by rep name alone, a region roll-up
adds them up as one person; keyed by member and rep, they are two rows, each rep's
figures computed within its member — those of the member's own workbook's ``kpis --by
rep`` (new customers from the member's own history, as by member) — so each row joins
back to a team.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from xlsales.kpis import KpiData, KpiValue, tidy_kpis
from xlsales.periods import Period
from xlsales.rep_names import hands_over, reps_with_own_book
from xlsales.rollup_rank import member_column, members_of, named

#: Between a member's position and a rep's (or customer's) name in the keys of one pass.
_SEP = "\x1f"


def _keyed(frame: pd.DataFrame, column: str, position: Mapping[str, int]) -> pd.DataFrame:
    """The rows of ``frame`` naming a member of ``position`` (member → its position), their
    ``rep`` and ``customer`` keyed by it (``3\x1f王芳``): grouped by rep, a group is one
    member's rep; counted by customer, a customer is one member's (new customers from the
    member's own history). Missing reps and blank customers stay so."""
    at = frame[column].astype(str).map(position)
    part = frame.take(np.flatnonzero(at.notna().to_numpy()))
    prefix = at.dropna().astype(int).astype(str).to_numpy(dtype=object) + _SEP
    part = part.copy(deep=False)  # copy-on-write: only columns are replaced
    for key in ("rep", "customer"):  # an empty rep is a group, an empty customer none
        if key in part.columns:
            values = part[key]
            text = values.astype(str).to_numpy(dtype=object)
            named = values.notna().to_numpy() & ((text != "") | (key == "rep"))
            part[key] = np.where(named, prefix + text, values.to_numpy(dtype=object))
    return part


def _to_own_books(frame: pd.DataFrame, column: str, own: Collection[str],
                  levels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with the rows naming a rep of ``own`` (reps with their own book among
    the members) counted for that book, in the members that hand them over
    (:func:`~xlsales.rep_names.hands_over`, by ``levels``): the targets a manager's book
    sets 张伟 are his, a team roll-up's 张伟 is another person."""
    if not own or "rep" not in frame.columns:
        return frame
    rep = frame["rep"].astype(str).str.strip()
    member = frame[column].astype(str)
    handing = {m: hands_over(m, levels) for m in pd.unique(member)}
    theirs = rep.isin(own) & named(frame["rep"]) & member.map(handing).astype(bool)
    if not theirs.any():
        return frame
    return frame.assign(**{column: frame[column].where(~theirs, rep)})


def member_rep_groups(tables: Mapping[str, pd.DataFrame], period: Period,
                      members: Collection[str] | None = None,
                      levels: Mapping[str, str] | None = None
                      ) -> dict[tuple[str, str], dict[str, KpiValue]]:
    """(member, rep) → the rep's KPIs computed within the member (as ``kpis --by rep`` of
    the member's own workbook), for every member of a roll-up's ``tables`` or only those
    in ``members``; members in the order their rows first name them, each member's reps
    in the order ``kpis --by rep`` keys them; a rep's rows in another member's book
    (targets a manager sets) count for the rep's own book when it is a member (an
    individual one where ``levels``, member → level, says) and that member hands them
    over (a manager's book, not a roll-up, where ``levels`` records it). One pass
    over the roll-up: its rows keyed by member (see :func:`_keyed`; a table naming no
    member holds no member's rows)."""
    names = [m for m in members_of(tables) if members is None or m in members]
    position = {m: i for i, m in enumerate(names)}
    own = reps_with_own_book(tables, levels)
    keyed = {}
    for name, frame in tables.items():
        column = member_column(frame)
        if column is not None:
            keyed[name] = _keyed(_to_own_books(frame, column, own, levels), column,
                                 position)
    groups = KpiData(keyed).compute(period, by="rep").groups
    split = {key: key.split(_SEP, 1) for key in groups}
    order = sorted(groups, key=lambda key: (int(split[key][0]), split[key][1]))
    return {(names[int(split[key][0])], split[key][1]): groups[key] for key in order}


def member_rep_rows(tables: Mapping[str, pd.DataFrame], period: Period,
                    rep: str = "rep", member: str = "member",
                    levels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per member and rep of a roll-up's ``tables`` (columns ``rep``, the KPI
    keys, ``member``), members in the order their rows first name them, each member's
    reps as ``kpis --by rep`` lists them; empty for a book whose rows name no member;
    ``levels``: as :func:`member_rep_groups`."""
    groups = member_rep_groups(tables, period, levels=levels)
    return pd.DataFrame([{rep: group, **tidy_kpis(values), member: name}
                         for (name, group), values in groups.items()])
