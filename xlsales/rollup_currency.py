"""The currency of a roll-up (:func:`leave_out_other_currencies`): that of most of its
members. Amounts in two currencies do not add up (33,000 CNY and 24,000 HKD are not
57,000 of anything), and no rate is known to convert them, so a member whose basic
information names another currency is left out with why, as one of another period is.
A member naming none counts as in the default currency (CNY), as ``xlsales new`` makes
it (:func:`~xlsales.currency.currency_code`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xlsales.currency import CURRENCY_FIELD
from xlsales.errors import WorkbookError
from xlsales.periods import Period
from xlsales.rollup_member import Member
from xlsales.spec import SPEC


def _where(lang: str) -> str:
    """Where a workbook names its currency: the field on the basic-information sheet."""
    field = next(c for c in SPEC.table("Info").form_fields if c.key == CURRENCY_FIELD)
    sheet = SPEC.sheet("info").name.get(lang)
    return (f"“{sheet}”表的“{field.label.get(lang)}”" if lang == "zh"
            else f"{field.label.get(lang)} on its {sheet} sheet")


def other_currency(currency: str, rollups: str) -> WorkbookError:
    """Why a member in ``currency`` is left out of a roll-up in ``rollups``, and what to
    do: correct its currency if it was named wrong, else roll its currency up apart."""
    return WorkbookError(
        f"币种 {currency} 与合并表的币种 {rollups} 不同（合并表取多数成员的币种，数量相同时取"
        f"最先给出的成员的），不同币种的金额不能相加：若它的金额其实是 {rollups}，请把"
        f"{_where('zh')}改为 {rollups} 后重新合并；否则请把 {currency} 的工作簿单独合并",
        f"its currency {currency} differs from the roll-up's {rollups} (that of most "
        "members, the first given on a tie): amounts in two currencies do not add up. If "
        f"its amounts are in fact in {rollups}, set {_where('en')} to {rollups} and "
        f"consolidate again; else roll up the {currency} workbooks on their own")


def leave_out_other_currencies(members: Sequence[Member], period: Period) -> str:
    """The roll-up's currency: that of most of the members rolled up (of the first given
    on a tie). A member of ``period`` in another currency is left out, one with
    validation errors too (its currency says more: correcting them would not let it in)."""
    currency = Counter(m.currency for m in members if m.ok).most_common(1)[0][0]
    for m in members:
        if (m.ok or m.errors) and m.period == period and m.currency != currency:
            m.reason = other_currency(m.currency, currency)
    return currency
