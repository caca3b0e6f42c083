"""What a KPI is called for the period it is computed for: a year's previous period is
last year, so on a year its growth on the previous period says so (``环比增长（上年）`` /
"Growth vs previous period (last year)"; see
:data:`~xlsales.spec.declarations.YEAR_KPI_LABELS`). Keys never change."""

from __future__ import annotations

from xlsales.periods import PeriodType
from xlsales.spec import Kpi, Lang
from xlsales.spec.declarations import UNIT_LABELS, YEAR_KPI_LABELS, year_label

#: The KPI whose figure the KPI report's rep ranking shows as its growth column.
RANKING_GROWTH = "mom_growth"


def kpi_label(kpi: Kpi, lang: Lang, period_type: PeriodType | None = None) -> str:
    """``kpi``'s label in ``lang`` for a period of ``period_type``: its year label on a
    year where it has one, else its label."""
    year = year_label(kpi) if period_type is PeriodType.YEAR else None
    return (year or kpi.label).get(lang)


def ranking_growth_label(default: str, lang: Lang, period_type: PeriodType | None) -> str:
    """The header of the KPI report ranking's growth column: ``default`` (its spec label),
    or on a year the year label of the KPI it shows."""
    if period_type is PeriodType.YEAR:
        return YEAR_KPI_LABELS[RANKING_GROWTH].get(lang)
    return default


def unit_label(kpi: Kpi, lang: Lang, money: str | None = None) -> str:
    """What the KPI sheet's Unit column says of ``kpi``: a money KPI's the currency its
    amounts show (``money``: ``TWD``, as :func:`~xlsales.money_text.shown_unit` gives it),
    else — and for the yuan, shown by none — the spec's unit label (``金额`` / ``money``,
    ``%``)."""
    if kpi.unit == "money" and money:
        return money
    return UNIT_LABELS[kpi.unit].get(lang)
