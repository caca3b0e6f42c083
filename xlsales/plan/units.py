"""How a plan target's metric and unit are named: by the spec's plan metrics, a target
in money in the workbook's currency."""

from __future__ import annotations

from xlsales.currency import book_currencies
from xlsales.spec import Lang
from xlsales.spec.declarations import MONEY_UNIT, PLAN_METRICS
from xlsales.values import is_blank


def money_unit(currency: object, lang: Lang) -> str:
    """The workbook's currency (its basic information's ``currency``: ``CNY``, ``hkd``,
    ``港币``, ``人民币``; CNY when empty) by its ISO code, the yuan in a zh book ``元``;
    a currency named by no one code (``新加坡元``, ``¥``: the yuan or the yen) as typed."""
    if is_blank(currency) or not str(currency).strip():
        return MONEY_UNIT.get(lang)
    codes = book_currencies(currency) or frozenset()
    if len(codes) != 1:
        return str(currency).strip()
    code = next(iter(codes))
    return MONEY_UNIT.get(lang) if code == "CNY" else code


def metric_names(metric: str, lang: Lang, money: str) -> tuple[str, str]:
    """The name and unit of plan metric ``metric`` (a key of the spec's plan metrics) in
    ``lang``, a metric in money in ``money`` (:func:`money_unit`)."""
    name, unit = PLAN_METRICS[metric]
    return name.get(lang), money if unit is MONEY_UNIT else unit.get(lang)
