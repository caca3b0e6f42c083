"""KPIs by rep within each member of a roll-up: the export's ``kpis_by_rep`` of a roll-up.

Two teams can each have a rep called 王芳. Grouped by rep name alone, a region roll-up
adds them up as one person; keyed by member and rep, they are two rows, each rep's
figures computed within its member — those of the member's own workbook's ``kpis --by
rep`` (new customers from the member's own history, as by member) — so each row joins
back to a team. Namesakes below one member of a roll-up of roll-ups are keyed by the
members below it as well (``华东南 › 东一组``), each computed within those.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from xlsales.kpis import KpiData, KpiValue, tidy_kpis
from xlsales.periods import Period
from xlsales.rep_names import CHAIN_SEP, namesake_chains, row_chains
from xlsales.rollup_rank import members_of, named

#: Between a member's position and a rep's (or customer's) name in the keys of one pass.
_SEP = "\x1f"


def _keyed(frame: pd.DataFrame, units: pd.Series, position: Mapping[str, int]
           ) -> pd.DataFrame:
    """The rows of ``frame`` whose unit (``units``: a member, or a member and some below
    it) is one of ``position`` (unit → its position), their ``rep`` and ``customer``
    keyed by it (``3\x1f王芳``): grouped by rep, a group is one unit's rep; counted by
    customer, a customer is one unit's (new customers from the unit's own history).
    Missing reps and blank customers stay so."""
    at = units.astype(str).map(position).where(named(units))
    part = frame.take(np.flatnonzero(at.notna().to_numpy()))
    prefix = at.dropna().astype(int).astype(str).to_numpy(dtype=object) + _SEP
    part = part.copy(deep=False)  # copy-on-write: only columns are replaced
    for key in ("rep", "customer"):  # an empty rep is a group, an empty customer none
        if key in part.columns:
            values = part[key]
            text = values.astype(str).to_numpy(dtype=object)
            named_ = values.notna().to_numpy() & ((text != "") | (key == "rep"))
            part[key] = np.where(named_, prefix + text, values.to_numpy(dtype=object))
    return part


def _heads(chains: pd.Series, depth: int) -> pd.Series:
    """Each of ``chains`` (:func:`~xlsales.rep_names.row_chains`) cut to its first
    ``depth`` members."""
    cut = {c: CHAIN_SEP.join(c.split(CHAIN_SEP)[:depth])
           for c in pd.unique(chains[named(chains)].astype(str))}
    return chains.astype(str).map(cut).where(named(chains))


def member_rep_groups(tables: Mapping[str, pd.DataFrame], period: Period,
                      members: Collection[str] | None = None,
                      levels: Mapping[str, str] | None = None
                      ) -> dict[tuple[str, str], dict[str, KpiValue]]:
    """(member, rep) → the rep's KPIs computed within the member (as ``kpis --by rep`` of
    the member's own workbook), for every member of a roll-up's ``tables`` or only those
    in ``members``; members in the order their rows first name them, each member's reps
    in the order ``kpis --by rep`` keys them. A rep's rows in another member's book
    (targets a manager sets) count for the rep's own book when it is a member (an
    individual one where ``levels``, member → level, says) and that member hands them
    over (a manager's book, not a roll-up, where ``levels`` records it). A name that two
    people below one member roll-up share (a roll-up of roll-ups:
    :func:`~xlsales.rep_names.namesake_chains`) is one group each, keyed by the member
    and the members below as far as tells them apart (``华东南 › 东一组``), computed
    within those. One pass over the roll-up a depth of members: its rows keyed by them
    (see :func:`_keyed`; a table naming no member holds no member's rows)."""
    names = [m for m in members_of(tables) if members is None or m in members]
    chains = row_chains(tables, levels)
    shared = namesake_chains(tables, levels, chains)
    wanted: dict[int, set[tuple[str, str]]] = {1: set()}  # depth → its groups of namesakes
    for rep, labels in shared.items():
        for label in labels.values():
            wanted.setdefault(label.count(CHAIN_SEP) + 1, set()).add((label, rep))
    found: dict[tuple[str, str], dict[str, KpiValue]] = {}
    for depth, groups_of in sorted(wanted.items()):
        heads = {name: _heads(chain, depth) for name, chain in chains.items()}
        units = [u for u in dict.fromkeys(v for h in heads.values() for v in h.dropna())
                 if u.split(CHAIN_SEP)[0] in names] if depth > 1 else names
        position = {u: i for i, u in enumerate(units)}
        keyed = {name: _keyed(tables[name], heads[name], position) for name in chains}
        for key, values in KpiData(keyed).compute(period, by="rep").groups.items():
            at, rep = key.split(_SEP, 1)
            unit = units[int(at)]
            if ((unit, rep.strip()) in groups_of if rep.strip() in shared
                    else depth == 1):
                found[(unit, rep)] = values
    order = {m: i for i, m in enumerate(names)}
    return {key: found[key] for key in sorted(
        found, key=lambda k: (order.get(k[0].split(CHAIN_SEP)[0], len(order)), k[0], k[1]))}


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
