"""How a plan's texts name the period under review and its neighbours, by the period's
type (:func:`period_words`), so that each text is worded for its period where it is
written — not by replacing words in finished sentences.

A month's or a quarter's plan says 本期 / "this period" of the period under review (its
revenue, its share, its collection rate), 上期 / "last period" of the one its previous
actions ran in (the period under review, seen from the plan), and 下期 / "the next
period" of the one planned. A year's says 本年度 / "this year" (a director reads "this
period" of a year book as its December), and of the year its previous actions ran in
上一年度（2026） / "last year (2026)": seen from the 2027 plan it is last year, and its
label keeps it from being read as the year before the one under review (the year book's
KPI sheet says 上年 of 2025). A carried action names the plan it comes from the same way:
继续推进（上期 A01 …） in a month's or a quarter's plan, 继续推进（上一年度 A01 …） in a
year's, where 上期 would read as a shorter period (its ID, ``2026-10/A01``, says which
month's plan)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsales.periods import Period, PeriodType


@dataclass(frozen=True)
class PeriodWords:
    """The words (zh, en) of the period under review as a plan's texts say them."""

    this: tuple[str, str]  # 本期 / this period: its revenue, its share
    the: tuple[str, str]  # 本期 / the period: "the period 2026-Q4 ends on …"
    done: tuple[str, str]  # 上期 / last period: when the previous plan's actions ran
    next: tuple[str, str]  # 下期 / the next period: the one planned
    of_done: tuple[str, str]  # 上期 / the last period: "a problem of the last period"
    #: 上期 / the last plan: whose action a carried one is ("继续推进（上期 A01 未完成）");
    #: no brackets, which end the prefix a re-run recognises it by
    carried: tuple[str, str] = ("上期", "the last plan")

    def fields(self, lang_index: int) -> dict[str, str]:
        """The words in one language (0: zh, 1: en), by name, for a template."""
        return {name: getattr(self, name)[lang_index]
                for name in ("this", "the", "done", "next", "of_done", "carried")}


def period_words(period: Period) -> PeriodWords:
    """How a plan on ``period`` (the period under review) names it (see the module)."""
    if period.type is PeriodType.YEAR:
        return PeriodWords(("本年度", "this year"), ("本年度", "the year"),
                           (f"上一年度（{period.label}）", f"last year ({period.label})"),
                           ("下一年度", "next year"),
                           (f"上一年度（{period.label}）", f"last year ({period.label})"),
                           ("上一年度", "the last plan"))
    return PeriodWords(("本期", "this period"), ("本期", "the period"),
                       ("上期", "last period"), ("下期", "the next period"),
                       ("上期", "the last period"))


def worded(period: Period, texts: tuple[str, str]) -> tuple[str, str]:
    """``texts`` (zh, en), templates naming the period by ``{this}``, ``{the}``,
    ``{done}``, ``{next}`` or ``{of_done}``, worded for a plan on ``period``."""
    words = period_words(period)
    return texts[0].format(**words.fields(0)), texts[1].format(**words.fields(1))
