"""The English sentence of the draft that splits the gap to target into volume, product
mix and price (the KPIs ``volume_effect``, ``mix_effect``, ``price_effect``, which sum to
revenue − target), worded for a manager to follow in one read: how far revenue is from
the target, then what each effect cost or added, and why, in plain words.

"Revenue vs target -485,270: volume -219,857, mix -273,995, price +8,582" became
"Revenue was SGD 485,270 below target. Volume cost SGD 219,857 (the units sold, at last
period's average price, fall that short of the target), product mix cost SGD 273,995 (more of the
lower-priced products) and prices added SGD 8,582 (above last period's)."
"""

from __future__ import annotations

from xlsales.money_text import amount
from xlsales.periods import PeriodType

#: Each effect: its name, and why it cost (a negative effect) or added (a positive one);
#: ``{last}`` is the period compared with (:func:`_last`).
_EFFECTS = (
    ("Volume", "the units sold, at {last} average price, fall that short of the target",
     "the units sold, at {last} average price, beat the target by that much"),
    ("product mix", "more of the lower-priced products", "more of the higher-priced products"),
    ("prices", "below {last}", "above {last}"),
)


def _last(period: PeriodType | None) -> str:
    """The period the effects compare with, possessive: ``last quarter's`` (``last
    period's`` when the type is not known)."""
    return f"last {period.value if period is not None else 'period'}'s"


def _gap(diff: float, money: str) -> str:
    """Revenue's distance to the target: ``Revenue was SGD 485,270 below target``."""
    if round(diff) == 0:
        return "Revenue was on target"
    return f"Revenue was {amount(abs(diff), money, 'en')} " \
           f"{'below' if diff < 0 else 'above'} target"


def _effect(name: str, value: float, why_less: str, why_more: str, money: str) -> str:
    """One effect: ``product mix cost SGD 273,995 (more of the lower-priced products)``."""
    if round(value) == 0:
        return f"{name} made no difference"
    cost = value < 0
    return (f"{name} {'cost' if cost else 'added'} {amount(abs(value), money, 'en')} "
            f"({why_less if cost else why_more})")


def gap_sentence_en(diff: float, effects: tuple[float, float, float] | None,
                    money: str = "", period: PeriodType | None = None) -> str:
    """The draft's sentence on the gap ``diff`` (revenue − target) and its ``effects``
    (volume, mix, price; None without the previous period's quantities), amounts in
    ``money``, the previous period named after the ``period``'s type (last quarter's
    average price); it starts with a space, as the draft's sentences after the first do."""
    last = _last(period)
    if effects is None:
        before = "last year" if period is PeriodType.YEAR else \
            f"the previous {period.value if period is not None else 'period'}"
        return (f" {_gap(diff, money)}; with no quantities for {before}, the gap "
                "cannot be split into volume, product mix and prices.")
    parts = [_effect(name, value, less.format(last=last), more.format(last=last), money)
             for (name, less, more), value in zip(_EFFECTS, effects, strict=True)]
    return f" {_gap(diff, money)}. {parts[0]}, {parts[1]} and {parts[2]}."
