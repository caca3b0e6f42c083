"""A KPI that is not an :class:`~xlsales.spec.kpi_model.Aggregate` from the KPIs it is
made of (:func:`derived_value`): the one evaluation of the spec's formula algebra, for
the KPI engine (:func:`xlsales.kpis.evaluate`) and for a roll-up's whole from its
members' summed parts (:func:`xlsales.rollup_rank.whole_kpis`)."""

from __future__ import annotations

from collections.abc import Mapping

from xlsales.spec.kpi_model import Difference, Growth, KpiFormula, Product, Ratio, Total

#: A KPI's value: a number, or None where it cannot be computed (a ratio over 0).
KpiValue = float | int | None


def _n(v: KpiValue) -> float:
    return 0.0 if v is None else v


def derived_value(formula: KpiFormula, values: Mapping[str, KpiValue]) -> KpiValue:
    """A KPI that is not an :class:`Aggregate` from the ``values`` of the KPIs it is
    made of, as its formula in the spec defines it (empty values count as 0; see each
    formula's class): the engine's KPIs, and a roll-up's whole from its summed parts."""
    f = formula
    if isinstance(f, Ratio):
        den = _n(values[f.denominator])
        return None if den == 0 else _n(values[f.numerator]) / den
    if isinstance(f, Difference):
        diff = _n(values[f.minuend]) - _n(values[f.subtrahend])
        if f.floor is not None:
            diff = max(f.floor, diff)
        empty = any(values[k] is None for k in f.requires) or any(
            not _n(values[k]) for k in f.nonzero)
        return None if empty else diff
    if isinstance(f, Product):
        left, right = values[f.left], values[f.right]
        if left is None or right is None:
            return None
        return left * right + (_n(values[f.plus]) if f.plus is not None else 0.0)
    if isinstance(f, Total):
        return sum(_n(values[p]) for p in f.parts)
    if isinstance(f, Growth):
        earlier = _n(values[f.earlier])
        return None if earlier == 0 else _n(values[f.current]) / earlier - 1
    raise TypeError(f"not a derived KPI formula: {f!r}")
