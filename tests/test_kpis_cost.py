"""compute_kpis' fixed cost per call: ``xlsales consolidate`` computes every member's
KPIs (a member is a few thousand rows, so pandas' cost per operation is what counts), and
``kpis --by month``, the report's trend and the plan evaluate a year month by month.

The cost is counted in Python function calls under cProfile: deterministic, unlike
time on a shared machine. Before the per-call work was cut (names folded through Arrow
cell by cell, date windows and stage masks compared in pandas for every calculated
column, derived columns inserted one by one, each month recomputing what does not
depend on it) the sample team book's member KPIs took 14,613 calls, a year by month
422,543 and a month by rep 205,813; the limits leave some room above today's counts."""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable

import pandas as pd
import pytest

from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.rollup_member import member_spec


def _calls(run: Callable[[], object]) -> int:
    run()  # imports and caches of the first call are not the per-call cost
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def frames(sample_books) -> dict[str, pd.DataFrame]:
    book = read_workbook(sample_books["zh"], count_formulas=False)
    return {n: t.frame for n, t in book.tables.items()}


def test_member_kpis_cost(frames):
    period = Period.parse("2026-10")
    calls = _calls(lambda: compute_kpis(frames, period, spec=member_spec()))
    assert calls < MEMBER_CALLS, calls


def test_year_by_month_cost(frames):
    year = Period.parse("2026")
    calls = _calls(lambda: compute_kpis(frames, year, "month"))
    assert calls < BY_MONTH_CALLS, calls


def test_by_rep_cost(frames):
    period = Period.parse("2026-10")
    calls = _calls(lambda: compute_kpis(frames, period, "rep"))
    assert calls < BY_REP_CALLS, calls


MEMBER_CALLS = 12_000
BY_MONTH_CALLS = 200_000
BY_REP_CALLS = 110_000
