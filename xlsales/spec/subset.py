"""The spec cut down to some of its KPIs: those KPIs and the KPIs they are computed
from. The KPI engine computes only the KPIs a spec declares and only the calculated
columns those read (:func:`xlsales.kpis.calculated_for`), so a caller that needs a few
KPIs (the plan's trailing-month ratios, a roll-up member's ranking figures, the report's
monthly trend) skips the rest (churn, baseline value …); the values are those of the
whole spec."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace
from functools import lru_cache

from xlsales.spec.declarations import SPEC
from xlsales.spec.kpi_model import Aggregate
from xlsales.spec.model import WorkbookSpec


def kpi_subset(keys: Iterable[str], spec: WorkbookSpec = SPEC) -> WorkbookSpec:
    """``spec`` with only the KPIs ``keys`` need, in the spec's order; sheets, tables and
    columns stay. Raises KeyError for a key the spec does not declare."""
    return _subset(frozenset(keys), spec)


@lru_cache(maxsize=32)
def _subset(keys: frozenset[str], spec: WorkbookSpec) -> WorkbookSpec:
    declared = {k.key for k in spec.kpis}
    needed: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop()
        if key not in needed:
            needed.add(key)
            formula = spec.kpi(key).formula
            if not isinstance(formula, Aggregate):
                todo += _kpi_refs(formula, declared)
    return replace(spec, kpis=tuple(k for k in spec.kpis if k.key in needed))


def _kpi_refs(formula: object, declared: set[str]) -> set[str]:
    """The other KPIs a KPI formula (ratio, difference …) is computed from."""
    out: set[str] = set()
    for f in fields(formula):  # type: ignore[arg-type]
        value = getattr(formula, f.name)
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, str) and v in declared:
                out.add(v)
    return out


@lru_cache(maxsize=32)
def kpi_tables(spec: WorkbookSpec = SPEC) -> frozenset[str]:
    """The tables the spec's KPIs are computed from (their native formulas read them)."""
    return frozenset().union(*tables_behind(spec).values())


def tables_behind(spec: WorkbookSpec = SPEC) -> dict[str, frozenset[str]]:
    """Each KPI's key → the tables its value is computed from, through the KPIs it is
    computed from (attainment: Sales and Targets)."""
    declared = {k.key for k in spec.kpis}
    out: dict[str, frozenset[str]] = {}
    for kpi in spec.kpis:  # in the spec's order: a KPI's inputs come before it
        f = kpi.formula
        out[kpi.key] = (frozenset((f.table,)) if isinstance(f, Aggregate) else frozenset(
            t for ref in _kpi_refs(f, declared) for t in out.get(ref, ())))
    return out
