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
from xlsales.rollup_rank import member_column, members_of

_NO_ROWS = np.empty(0, dtype=np.intp)


def member_tables(tables: Mapping[str, pd.DataFrame]
                  ) -> dict[str, dict[str, pd.DataFrame]]:
    """Member → its rows in each of a roll-up's ``tables`` that name their member (found
    in one pass per table); a table naming none is left out (its rows are no member's)."""
    out: dict[str, dict[str, pd.DataFrame]] = {m: {} for m in members_of(tables)}
    for name, frame in tables.items():
        column = member_column(frame)
        if column is None:
            continue
        names = frame[column].astype(str).to_numpy(dtype=object)
        rows = frame[column].groupby(names, sort=False).indices
        for member, parts in out.items():
            parts[name] = frame.take(rows.get(member, _NO_ROWS))
    return out


def member_rep_groups(tables: Mapping[str, pd.DataFrame], period: Period,
                      members: Collection[str] | None = None
                      ) -> dict[tuple[str, str], dict[str, KpiValue]]:
    """(member, rep) → the rep's KPIs computed within the member (as ``kpis --by rep`` of
    the member's own workbook), for every member of a roll-up's ``tables`` or only those
    in ``members``; members in the order their rows first name them, each member's reps
    in the order ``kpis --by rep`` keys them."""
    out: dict[tuple[str, str], dict[str, KpiValue]] = {}
    for name, parts in member_tables(tables).items():
        if members is not None and name not in members:
            continue
        result = KpiData(parts).compute(period, by="rep")
        out.update(((name, group), values) for group, values in result.groups.items())
    return out


def member_rep_rows(tables: Mapping[str, pd.DataFrame], period: Period,
                    rep: str = "rep", member: str = "member") -> pd.DataFrame:
    """One row per member and rep of a roll-up's ``tables`` (columns ``rep``, the KPI
    keys, ``member``), members in the order their rows first name them, each member's
    reps as ``kpis --by rep`` lists them; empty for a book whose rows name no member."""
    return pd.DataFrame([{rep: group, **tidy_kpis(values), member: name}
                         for (name, group), values in member_rep_groups(tables, period).items()])
