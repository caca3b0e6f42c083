"""The whole's figures with the rows a manager typed into the roll-up (naming no
member): a target of the team's own counts toward the whole's, as ``kpis`` on the
roll-up counts it.

The whole's headline KPIs are summed from the members' (:func:`~xlsales.rollup_rank.
whole_kpis`); a target row the manager typed into the roll-up and a re-run carried
(:mod:`~xlsales.rollup_carry`) is no member's, so the report said a target of
1,261,000 where ``xlsales kpis`` on the same file said 1,361,000. :func:`with_typed`
adds what the typed rows give to the sums and recomputes the ratios; the part of the
target typed so is kept under :data:`~xlsales.rollup_rank.TYPED_TARGET`, for the report
and the ranking sheet to say."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.rollup_rank import ADDITIVE, TYPED_TARGET, whole_kpis


def with_typed(whole: Mapping[str, float | None], typed: Mapping[str, pd.DataFrame],
               period: Period) -> dict[str, float | None]:
    """``whole`` (the members' sums and the ratios from them) with the additive KPIs of
    ``period`` the ``typed`` rows (table → rows naming no member) give — a target row
    of the team's own — added, its ratios recomputed; :data:`TYPED_TARGET` holds the
    target those rows give, when they give one."""
    figures = compute_kpis(dict(typed), period).kpis
    added = {k: float(v) for k in ADDITIVE  # type: ignore[arg-type]
             if isinstance(v := figures.get(k), int | float) and v == v and v != 0}
    if not added:
        return dict(whole)
    out = whole_kpis([{k: whole.get(k) for k in ADDITIVE}, added])
    if added.get("target"):
        out[TYPED_TARGET] = added["target"]
    return out
