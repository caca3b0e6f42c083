"""A team new during the period under review: its revenue covers part of the period
only, so the next period's target grown from it is grown from the revenue **scaled to a
whole period** (:func:`partial_period`, :func:`scaled_revenue`).

The rule, as a sales director reads it:

- the roster decides first (the settings sheet's rep list, 入职日期 / Joined on):
  a rep's own book whose owner joined inside the period, or a team book whose reps on
  the team in the period all joined inside it, began on that (the earliest) day, and
  its revenue is scaled **by days** (a rep who joined on 16 October, a 31-day month:
  × 31 / 16). A team with one rep who has no joining date, or joined before the period
  began, existed: nothing is scaled (a joiner is the split over reps' business,
  :mod:`xlsales.plan.rep_tenure`);
- without any joining date on the roster, the first sales record: a first sale after
  the period's first month starts the team at that month, scaled **by whole months**
  (a first sale on 12 May in a year: May to December, × 12 / 8; a team's first sale
  comes some days after it began, so its first month counts whole, and a first sale in
  the period's first month is no later start, as :mod:`xlsales.plan.basis_window` says);
- a sale dated before the roster's joining day is a mistake (validation warns,
  ``before_rep_joined``): the days still count from the joining day, the sale's revenue
  is counted as recorded, and the plan's note names the sale, to correct the date (or
  the joining date) and plan again.

The basis says so: ``2026 的 8 个月（2026-05 起）销售额 14,276,070 折算全年 21,414,105
× (1 + 设置表增长假设 12%)`` / "2026's 8 months (from 2026-05), revenue 14,276,070, scaled
to a whole year 21,414,105 × (1 + growth assumption 12% from settings)". ``--growth``
applies to the scaled figure too; ``--target`` and a target given on the settings sheet
are kept as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xlsales.periods import Period, PeriodType
from xlsales.plan.basis_window import first_record
from xlsales.plan.model import PlanInput
from xlsales.plan.period_words import period_words
from xlsales.plan.rep_tenure import team_roster
from xlsales.values import is_blank

#: What the revenue is scaled to, by the period's type (zh, en)
WHOLE: dict[PeriodType, tuple[str, str]] = {
    PeriodType.MONTH: ("整月", "a whole month"),
    PeriodType.QUARTER: ("整季", "a whole quarter"),
    PeriodType.YEAR: ("全年", "a whole year"),
}


@dataclass(frozen=True)
class PartialPeriod:
    """The part of the period under review the team was there: from ``start``,
    ``recorded`` of the period's ``whole`` days (``by_days``) or months."""

    period: Period
    start: date
    recorded: int
    whole: int
    by_days: bool
    #: The first sale, when dated before ``start``, the roster's joining day
    early: date | None = None

    @property
    def short(self) -> bool:
        """Whether less than a third of the period was recorded (fewer than 11 days of a
        month, 4 months of a year): scaled up, its revenue is a rough guide."""
        return self.recorded * 3 < self.whole

    def short_note(self) -> tuple[str, str]:
        """The note (zh, en) of a :attr:`short` record scaled to a whole period."""
        whole_zh, whole_en = WHOLE[self.period.type]
        zh, en = self._part()
        nxt = period_words(self.period).next  # a year's: 下一年度 / next year
        return (f"{self.period.label} 只有 {zh}的销售记录，折算{whole_zh}的销售额只是粗略依据："
                f"请核对{nxt[0]}目标，必要时用 xlsales plan --target 金额 指定。",
                f"{self.period.label} has only {en} of sales records, so its revenue scaled "
                f"to {whole_en} is a rough guide: check {nxt[1]}'s target, and give "
                "one with xlsales plan --target AMOUNT if needed.")

    def early_note(self) -> tuple[str, str] | None:
        """The note (zh, en) of a sale dated before the joining day, None without one."""
        if self.early is None:
            return None
        zh, en = self._part()
        return (f"最早的销售记录（{self.early}）早于入职日期 {self.start}：仍按入职日起的 "
                f"{zh}折算，之前的记录照常计入销售额；若日期有误，请改正（运行 xlsales validate "
                "查看 before_rep_joined 警告）后用 xlsales plan --replace 重做计划。",
                f"the earliest sale, dated {self.early}, is before the joining date "
                f"{self.start}: the revenue is still scaled from the joining day, {en}, and "
                "the sales before it count as recorded; if a date is wrong, correct it "
                "(xlsales validate shows the before_rep_joined warning) and plan again with "
                "xlsales plan --replace.")

    def _part(self) -> tuple[str, str]:
        """The part recorded (zh, en): ``8 个月（2026-05 起）`` / "8 months (from 2026-05)"."""
        since = self.start.isoformat() if self.by_days else self.start.strftime("%Y-%m")
        unit_zh, unit_en = ("天", "day") if self.by_days else ("个月", "month")
        plural = "" if self.recorded == 1 else "s"
        return (f"{self.recorded} {unit_zh}（{since} 起）",
                f"{self.recorded} {unit_en}{plural} (from {since})")

    @property
    def factor(self) -> float:
        """What the recorded revenue is multiplied by to make a whole period's."""
        return self.whole / self.recorded

    def texts(self, revenue: float) -> tuple[str, str]:
        """The start of the basis (zh, en): the part recorded, its revenue and the
        whole period's it is scaled to."""
        scaled = revenue * self.factor
        whole_zh, whole_en = WHOLE[self.period.type]
        (zh, en), label = self._part(), self.period.label
        return (f"{label} 的 {zh}销售额 {revenue:,.0f} 折算{whole_zh} {scaled:,.0f}",
                f"{label}'s {en}, revenue {revenue:,.0f}, scaled to {whole_en} {scaled:,.0f}")


def _months_between(start: date, end: date) -> int:
    """The calendar months from ``start``'s to ``end``'s, both included."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def roster_dated(inp: PlanInput) -> bool:
    """Whether the roster gives any rep a joining date (then it decides, not the first
    sale)."""
    return any(t.joined is not None for t in team_roster(inp).values())


def roster_start(inp: PlanInput) -> date | None:
    """The day the book's owner (a rep's own book) or its team (every rep on it in the
    period) began inside the period by the roster; None when there from the start."""
    period, tenure = inp.period, team_roster(inp)
    owner = tenure.get(inp.owner.strip())
    if owner is not None and owner.joined is not None:  # a rep's own book
        return owner.joined if owner.joined > period.start else None
    listed = inp.tables.get("ListRep")
    names = [str(v).strip() for v in listed["value"] if not is_blank(v)] \
        if listed is not None and "value" in listed else list(inp.reps)
    present = [n for n in names
               if n not in tenure or tenure[n].on_team_during(period.start, period.end)]
    joined = [tenure[n].joined if n in tenure else None for n in present]
    if not joined or any(j is None or j <= period.start for j in joined):
        return None
    return min(j for j in joined if j is not None)


def partial_period(inp: PlanInput) -> PartialPeriod | None:
    """The part of ``inp.period`` the book's owner or team was there, when it began
    after the period did (see the module's rule); None when it was there throughout."""
    period = inp.period
    first = first_record(inp.frame("Sales"))
    if first is not None and first < period.start:
        return None  # sales recorded before the period: the team was there
    if roster_dated(inp):
        start = roster_start(inp)
        if start is None:
            return None
        if start > period.end:
            return None
        early = first if first is not None and first < start else None  # a mistake
        return PartialPeriod(period, start, (period.end - start).days + 1,
                             (period.end - period.start).days + 1, True, early)
    if first is None or first.replace(day=1) == period.start or first > period.end:
        return None
    month = first.replace(day=1)
    return PartialPeriod(period, month, _months_between(month, period.end), period.months,
                         False)


@dataclass(frozen=True)
class Scaled:
    """This period's revenue as the target grows it, the basis's words for it when it
    was scaled to a whole period (zh, en), and a note when that was from a short part."""

    revenue: float
    texts: tuple[str, str] | None = None
    note: tuple[str, str] | None = None


def scaled_revenue(inp: PlanInput, revenue: float) -> Scaled:
    """This period's ``revenue`` scaled to a whole period when the team began during it
    (:class:`Scaled`); else ``revenue`` as it is."""
    part = partial_period(inp)
    if part is None or revenue <= 0:
        return Scaled(revenue)
    notes = [n for n in (part.early_note(), part.short_note() if part.short else None)
             if n is not None]
    note = (" ".join(n[0] for n in notes), " ".join(n[1] for n in notes)) if notes else None
    return Scaled(revenue * part.factor, part.texts(revenue), note)
