"""How a plan target's metric and unit are named: by the spec's plan metrics, a target
in money in the workbook's currency."""

from __future__ import annotations

from xlsales.currency import money_unit
from xlsales.spec import Lang
from xlsales.spec.declarations import MONEY_UNIT, PLAN_METRICS

__all__ = ["metric_names", "money_unit"]


def metric_names(metric: str, lang: Lang, money: str) -> tuple[str, str]:
    """The name and unit of plan metric ``metric`` (a key of the spec's plan metrics) in
    ``lang``, a metric in money in ``money`` (:func:`money_unit`)."""
    name, unit = PLAN_METRICS[metric]
    return name.get(lang), money if unit is MONEY_UNIT else unit.get(lang)
