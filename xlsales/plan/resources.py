"""B3 Resources and time: a budget line per costed action (spread over the months it
runs), checked against the monthly caps, and a timeline of milestones with buffers."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from xlsales.periods import Period, PeriodType
from xlsales.plan.model import PlanInput
from xlsales.plan.rounding import split_exact
from xlsales.plan.targets import Part
from xlsales.spec import Lang
from xlsales.spec.declarations import BUDGET_CATEGORIES


def _months_between(start: date, due: date) -> list[date]:
    first = Period(start.replace(day=1), PeriodType.MONTH)
    months = []
    while first.start <= due:
        months.append(first.start)
        first = first.next
    return months


def _category(value: object, lang: Lang) -> object:
    """A budget category as the plan writes and compares it: a built-in one in the
    plan's language whichever language names it (a roll-up's playbook and caps may come
    from a zh and an en member), any other as it is."""
    return BUDGET_CATEGORIES.default_in(value, lang)


def plan_budget(inp: PlanInput, actions: pd.DataFrame) -> pd.DataFrame:
    """Budget lines by action and month, with each category's monthly cap and whether
    the category's total in that month goes over it."""
    caps_frame = inp.frame("BudgetCaps")
    caps = {str(_category(c, inp.lang)): float(v)
            for c, v in zip(caps_frame.get("category", []), caps_frame.get("monthly_cap", []),
                            strict=True) if v is not None and v == v}
    rows = []
    for _, a in actions.iterrows():
        amount = a.get("how_much")
        if amount is None or amount != amount or amount <= 0:
            continue
        months = _months_between(a["start"], a["due"])
        # whole amounts in whole lines, one with cents to the cent: the lines add up to the
        # action's budget as typed (3,000: 1,000 a month; 99.99 is not 100)
        unit = 1.0 if float(amount).is_integer() else 0.01
        for month, part in zip(months, split_exact(float(amount), [1.0] * len(months), unit),
                               strict=True):
            category = _category(a.get("budget_category"), inp.lang)
            rows.append({"action_id": a["action_id"], "category": category, "month": month,
                         "amount": part, "cap": caps.get(str(category))})
    frame = pd.DataFrame(rows, columns=["action_id", "category", "month", "amount", "cap"])
    if frame.empty:
        frame["over_cap"] = []
        return frame
    totals = frame.groupby(["category", "month"], dropna=False)["amount"].transform("sum")
    over = frame["cap"].notna() & (totals > frame["cap"].fillna(float("inf")))
    frame["over_cap"] = over.map({True: "yes", False: "no"})
    return frame


#: The closing review of a plan's period (zh, en), by its type: the period it closes and
#: the summary written of it (a year's holds its Q4's review, none other being held).
CLOSING_REVIEW: dict[PeriodType, tuple[str, str]] = {
    PeriodType.MONTH: ("{label} 月末复盘与月度总结", "{label} month-end review and summary"),
    PeriodType.QUARTER: ("{label} 季末复盘与季度总结", "{label} quarter-end review and summary"),
    PeriodType.YEAR: ("{label} 年终复盘（含 {q4} 季度复盘）与年度总结",
                      "{label} year-end review (with {q4}'s quarterly review) and summary"),
}


def closing_review(plan: Period) -> tuple[str, str]:
    """The milestone (zh, en) that closes ``plan``'s period, naming it
    (:data:`CLOSING_REVIEW`)."""
    q4 = plan.parts_in(PeriodType.QUARTER)[-1].label if plan.type is PeriodType.YEAR else ""
    zh, en = CLOSING_REVIEW[plan.type]
    return zh.format(label=plan.label, q4=q4), en.format(label=plan.label, q4=q4)


def plan_timeline(inp: PlanInput, parts: list[Part], actions: pd.DataFrame,
                  buffer_days: int) -> pd.DataFrame:
    """Kick-off, a checkpoint at the end of each sub-period, the mid-period review (a
    year's: a review at the end of the first three quarters, the second mid-year), each
    action's deadline (buffer days before it) and the closing review, by date (the
    closing review after everything else due on its day). Checks and reviews are held
    on the last working day on or before their date inside the period (the kick-off of
    a period starting on a weekend or a holiday: its first working day), working days
    as the plan's calendar has them (no public holiday, a make-up working day counts)."""
    zh = inp.lang == "zh"
    nxt = inp.period.next

    def held(d: date) -> date:  # a meeting's day (an action's deadline is one already)
        return inp.calendar.workday(d, nxt.start, nxt.end)

    rows = [
        {"milestone": "计划启动会：分解目标与行动" if zh else "Kick-off: targets and actions",
         "date": held(nxt.start), "owner": inp.owner, "buffer_days": 0, "note": None},
    ]
    if nxt.type is not PeriodType.YEAR:  # a year's mid-period review is its Q2 review
        rows.append({"milestone": "期中复盘：对照目标调整" if zh
                     else "Mid-period review: adjust to targets",
                     "date": held(nxt.start + (nxt.end - nxt.start) / 2), "owner": inp.owner,
                     "buffer_days": 0, "note": None})
    for part in parts:
        rows.append({"milestone": (f"{part.label} 目标检查" if zh else f"{part.label} target "
                                   "check"), "date": held(part.end), "owner": inp.owner,
                     "buffer_days": 0, "note": None})
    if nxt.type is PeriodType.YEAR:  # year → quarter → month (Q4's is the closing review)
        for i, quarter in enumerate(Period(m.start, PeriodType.QUARTER)
                                    for m in nxt.months_in()[:9:3]):
            mid = i == 1
            rows.append({"milestone": (
                f"{quarter.label} 季度复盘" + ("（年中）：对照目标调整" if mid else "")
                if zh else f"{quarter.label} quarterly review"
                + (" (mid-year): adjust to targets" if mid else "")),
                "date": held(quarter.end), "owner": inp.owner, "buffer_days": 0, "note": None})
    for _, a in actions.iterrows():
        latest = held(a["due"] + timedelta(days=buffer_days))  # a working day, as the due
        rows.append({"milestone": (f"完成 {a['action_id']}：{a['what']}" if zh
                                   else f"Done {a['action_id']}: {a['what']}"),
                     "date": a["due"], "owner": a["who"], "buffer_days": buffer_days,
                     "note": f"最晚 {latest}" if zh else f"at the latest {latest}"})
    # last, so that the checks and deadlines of its day come before it
    rows.append({"milestone": closing_review(nxt)[0 if zh else 1],
                 "date": held(nxt.end), "owner": inp.owner, "buffer_days": 0, "note": None})
    frame = pd.DataFrame(rows)
    frame["date"] = [d if isinstance(d, date) else d.date() for d in frame["date"]]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)
