"""The team's roster: when each rep joined and left, as the settings sheet's rep list says
in its 入职日期 / Joined on and 离职日期 / Left on columns (declared once, with the list:
:data:`~xlsales.spec.choices.REPS`). The plan gives targets only for the days a rep is on
the team (:mod:`xlsales.plan.rep_tenure`), validation flags sales after a rep left and
plan rows a leaver owns (:mod:`xlsales.validation.leavers`). A book without those columns
(an older version's), or a rep whose cells are empty, has the rep on the team throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.values import is_blank


@dataclass(frozen=True)
class Tenure:
    """A rep's days on the team: from ``joined`` (None: always was) to ``left``, the last
    day on it, inclusive (None: still on it) — a rep leaving on 15 March owns the sales of
    1 to 15 March."""

    joined: date | None = None
    left: date | None = None

    def on_team(self, day: date) -> bool:
        """Whether the rep is on the team on ``day``."""
        return (self.joined is None or day >= self.joined) and \
            (self.left is None or day <= self.left)

    def share_of(self, start: date, end: date) -> float:
        """The share of the days ``start`` to ``end`` (inclusive) the rep is on the team:
        1 throughout, 0 when they left before it or join after it."""
        first = max(start, self.joined) if self.joined else start
        last = min(end, self.left) if self.left else end
        if last < first:
            return 0.0
        return ((last - first).days + 1) / ((end - start).days + 1)

    def on_team_during(self, start: date, end: date) -> bool:
        """Whether the rep is on the team on some day of ``start`` to ``end``."""
        return not (self.left_before(start) or self.joins_after(end))

    def left_before(self, day: date) -> bool:
        """Whether the rep left before ``day`` (so is not on the team from it on)."""
        return self.left is not None and self.left < day

    def joins_after(self, day: date) -> bool:
        """Whether the rep joins after ``day`` (so is not on the team on it)."""
        return self.joined is not None and self.joined > day


def _day(value: object) -> date | None:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    return None


def roster(rep_list: pd.DataFrame | None) -> dict[str, Tenure]:
    """Rep → :class:`Tenure`, for the reps of ``rep_list`` (the ListRep table's frame)
    with a joining or leaving date that can be read; the others (and every rep of a book
    without those columns) are on the team throughout. A date that cannot be read is
    validation's to name, not taken."""
    if rep_list is None or rep_list.empty or not ({"joined", "left"} & set(rep_list.columns)):
        return {}
    empty = pd.Series(pd.NaT, index=rep_list.index)
    joined = parse_dates(rep_list["joined"]) if "joined" in rep_list.columns else empty
    left = parse_dates(rep_list["left"]) if "left" in rep_list.columns else empty
    out: dict[str, Tenure] = {}
    for rep, j, lft in zip(rep_list["value"], joined, left, strict=True):
        if is_blank(rep) or (pd.isna(j) and pd.isna(lft)):
            continue
        out.setdefault(str(rep).strip(), Tenure(_day(j), _day(lft)))
    return out
