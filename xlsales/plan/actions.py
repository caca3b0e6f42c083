"""B2 Actions: every problem flagged "carry into next plan" becomes at least one action,
linked by its id, in 5W2H form; best practices become "continue" actions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

from xlsales.currency import money_unit
from xlsales.periods import Period, PeriodType
from xlsales.plan.action_notes import category_key, not_repeated_notes, to_complete, unlisted_notes
from xlsales.plan.model import PlanInput
from xlsales.plan.period_words import period_words
from xlsales.plan.reviews import (
    CARRY_PREFIX,
    action_key,
    latest_reviews,
    origin_problems,
    unfinished_actions,
)
from xlsales.plan.workdays import WorkCalendar
from xlsales.spec.playbook import playbook_frame
from xlsales.values import fold, is_blank

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _norm(v: object) -> str:
    return "" if is_blank(v) else fold(v)


def _why(problem: Mapping[str, object], zh: bool, money: str) -> str:
    """The problem's ID, description and impact, its amount in the book's currency
    ``money`` (``影响 20,000 元``, ``impact CNY 20,000``: a bare 20000 says no currency)."""
    amount, share = problem.get("impact_amount"), problem.get("impact_share")
    figures = []
    if not is_blank(amount):
        number = f"{float(amount):,.0f}"  # type: ignore[arg-type]
        figures.append(f"{number} {money}" if zh else f"{money} {number}")
    if not is_blank(share):
        figures.append(f"{float(share):.0%}")
    impact = ("，影响 " if zh else "; impact ") + " / ".join(figures) if figures else ""
    return f"{problem['problem_id']} {problem.get('description') or ''}{impact}"


def _whole_period(first: date, last: date, calendar: WorkCalendar) -> dict[str, date]:
    """Start and due of an action running through the plan period (a carried or a
    "continue" action), on working days where the period allows."""
    start, due = _schedule(first, (last - first).days + 1, last, calendar)
    return {"start": start, "due": due}


def first_part(period: Period) -> Period:
    """The part of ``period`` a carried action is due in: work left over is finished
    first — the first quarter of a year, the first month of a quarter, a month itself."""
    if period.type is PeriodType.YEAR:
        return Period(period.start, PeriodType.QUARTER)
    return period.months_in()[0]


def _through(part: Period, buffer_days: int, calendar: WorkCalendar) -> dict[str, date]:
    """Start and due of an action running through ``part`` of the plan period, due
    ``buffer_days`` before ``part`` ends (the Timeline's "at the latest" is its end)."""
    return _whole_period(part.start, max(part.start, part.end - timedelta(days=buffer_days)),
                         calendar)


#: The quarter of a year plan by whose end a problem's actions are due, by its severity
#: (none given: as a medium one): the serious ones first, a year's work not all in January.
YEAR_QUARTER = {"high": 0, "medium": 1, "low": 2}


def _year_quarter(problem: Mapping[str, object], nxt: Period, buffer_days: int,
                  calendar: WorkCalendar) -> dict[str, date] | None:
    """Start and due of a problem's action in a year plan (None in a shorter one): it runs
    through the quarter of its severity (:data:`YEAR_QUARTER`), due ``buffer_days``
    before that quarter ends."""
    if nxt.type is not PeriodType.YEAR:
        return None
    quarter = nxt.parts_in(PeriodType.QUARTER)[YEAR_QUARTER.get(str(problem.get("severity")), 1)]
    return _through(quarter, buffer_days, calendar)


def _schedule(start: date, days: int, last: date,
              calendar: WorkCalendar) -> tuple[date, date]:
    """Start and due date of an action needing ``days``, due no later than ``last``; an
    action starts and is due on a working day of ``calendar`` (no weekend, no public
    holiday) where the period allows."""
    start = calendar.workday(start, start, last, later=True)
    due = min(last, start + timedelta(days=max(1, days) - 1))
    due = calendar.workday(max(start, due), start, last)
    return start, due


#: How a carried action's text starts (:func:`carried_actions`), in either language, also
#: as written into a book converted to Traditional (:mod:`xlsales.script_variant`), by
#: a month's or a quarter's plan (上期) or a year's (上一年度; 上期 before it was worded
#: for its period: :class:`~xlsales.plan.period_words.PeriodWords` ``carried``).
_CARRIED = re.compile(r"^(?:(?:继续推进|繼續推進)（(?:上期|上一年度) |Carry on \()")


def is_carried(what: object) -> bool:
    """Whether a plan action is one of the last plan's, proposed again."""
    return bool(_CARRIED.match(str(what)))


#: How a carried action's why names the problem it answered (:func:`_why_carried`), in
#: either language and script, with what follows it.
_ORIGIN = re.compile(r"^(?:(?:上期|上一年度（[^）]*）)(?:问题|問題) [^；]*(?:；|$)"
                     r"|problem \S+ of (?:the last period|last year \([^)]*\))(?:; |$))")


def _why_carried(a: Mapping[str, object], zh: bool, origin: str | None = None,
                 of: tuple[str, str] = ("上期", "the last period")) -> str | None:
    """Why a carried action is proposed again: its problem of the last period (whose ID
    may name another problem in this book, so it is not linked) — or, for an action
    carried before, the why it came with, its problem named as ``origin`` when a
    summary knows it (:func:`~xlsales.plan.reviews.origin_problems`: the month's
    ``P002`` is ``2026-12/P002`` in the year's book) — and its result; the period the
    problem was of said as ``of`` (a year's 上一年度（2026） / "last year (2026)")."""
    parts = []
    problem = a.get("problem_id") if not is_blank(a.get("problem_id")) else origin
    if not is_blank(problem):
        parts.append(f"{of[0]}问题 {problem}" if zh else f"problem {problem} of {of[1]}")
    if is_blank(a.get("problem_id")) and not is_blank(a.get("why")):
        # carried again: where it came from stays said
        came = str(a["why"]) if is_blank(problem) else _ORIGIN.sub("", str(a["why"]))
        if came:
            parts.append(came)
    if not is_blank(a.get("result")):
        parts.append(str(a["result"]))
    return ("；" if zh else "; ").join(parts) or None


def carried_actions(inp: PlanInput, team_targets: dict[str, float],
                    buffer_days: int) -> list[dict]:
    """The previous plan's unfinished actions, proposed again (not linked to a problem of
    this book: the problem IDs they had were the last period's), each with its ``_key``
    (:func:`~xlsales.plan.reviews.action_key`) and last ``_result`` for
    :func:`plan_actions` to match it with a playbook action of this book's problems; of a
    summary's, each action's latest review only (:func:`latest_reviews`). They are due
    first, ``buffer_days`` before the end of the period's first part (:func:`first_part`),
    as a problem's action is before the end of its part."""
    zh = inp.lang == "zh"
    nxt = inp.period.next
    review = inp.frame("ActionReview")
    origins = origin_problems(review)
    words = period_words(inp.period)
    of, plan = words.of_done, words.carried
    rows = []
    for _, a in unfinished_actions(latest_reviews(review)).iterrows():
        # a status left blank was not given: not said to be "not done" (the notes name it)
        state, state_en = ("部分完成", "partly done") if a.get("status") == "partly" else \
            ("未回顾", "not reviewed") if is_blank(a.get("status")) else ("未完成", "not done")
        kpi = None if is_blank(a.get("kpi")) else str(a["kpi"])
        what = CARRY_PREFIX.sub("", str(a["what"]))
        rows.append({
            "problem_id": None,
            "what": (f"继续推进（{plan[0]} {a['action_id']} {state}）：{what}" if zh
                     else f"Carry on ({a['action_id']} of {plan[1]}, {state_en}): {what}"),
            "why": _why_carried(a, zh, origins.get(str(a["action_id"])), of),
            "who": a["who"] if not is_blank(a.get("who")) else inp.owner, "where": "",
            **_through(first_part(nxt), buffer_days, inp.calendar), "how": None,
            "how_much": None, "kpi": kpi,
            "kpi_target": team_targets.get(kpi) if kpi else None, "status": "todo",
            "result": None, "budget_category": None,
            "_key": action_key(what), "_id": str(a["action_id"]),
            "_result": None if is_blank(a.get("result"))
            else str(a["result"]),
        })
    return rows


def plan_actions(inp: PlanInput, team_targets: dict[str, float],
                 buffer_days: int) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Rows of the PlanActions table (with ``budget_category`` for the budget lines), and
    notes (zh, en) on the last plan's done actions not proposed again.

    An action of the last plan is one row however it comes back: unfinished, and the
    playbook's for a flagged problem again, it is carried on linked to that problem;
    done, the playbook's same action is not repeated for a problem of its kind (the
    problem recurs although it was done: the same words again are noise), which the
    notes say — a problem left without any action is marked for its owner to complete.
    In a year plan a problem's actions run through the quarter of its severity
    (:data:`YEAR_QUARTER`), not all in its first weeks."""
    zh = inp.lang == "zh"
    money = money_unit(inp.currency, inp.lang)
    categories = inp.tables.get("ListProblemCategory")  # the settings list (None: unknown)
    listed = None if categories is None or "value" not in categories else [
        str(v) for v in categories["value"] if not is_blank(v)]
    nxt = inp.period.next
    last = max(nxt.start, nxt.end - timedelta(days=buffer_days))
    playbook = inp.tables.get("Playbook")
    if playbook is None or playbook.empty:
        playbook = playbook_frame(inp.lang)
    problems = inp.frame("Problems")
    flagged = problems[problems["carry_forward"].eq("yes")] if not problems.empty else problems
    if not flagged.empty:
        order = flagged["severity"].map(SEVERITY_ORDER).fillna(3)
        flagged = flagged.assign(_o=order).sort_values("_o", kind="stable")
    rows: list[dict[str, object]] = []
    carried = carried_actions(inp, team_targets, buffer_days)
    unfinished: dict[str, dict] = {}  # text → the carried action, the first of each text
    for row in carried:
        unfinished.setdefault(row["_key"], row)
    review = latest_reviews(inp.frame("ActionReview"))
    done_ids = {action_key(a["what"]): str(a["action_id"])
                for a in review[review["status"].eq("done")].to_dict("records")} \
        if not review.empty else {}
    skipped: dict[str, tuple[str, list[str]]] = {}  # done action ID → its text, problems
    plays_of: dict[str, list[dict[str, object]]] = {}  # category → its plays, in order
    for entry in playbook.to_dict("records"):
        plays_of.setdefault(category_key(entry.get("category")), []).append(entry)
    for problem in flagged.to_dict("records"):
        category = category_key(problem.get("category"))
        control = _norm(problem.get("controllability"))
        plays = [e for e in plays_of.get(category, []) if is_blank(e.get("controllability"))
                 or _norm(e.get("controllability")) == control]
        owner = problem.get("owner") if not is_blank(problem.get("owner")) else inp.owner
        where = problem.get("affected") if not is_blank(problem.get("affected")) else ""
        why = _why(problem, zh, money)
        answered = len(rows)
        done: list[str] = []  # this problem's plays done in the last plan
        offset = 0 if problem.get("severity") == "high" else 3
        in_year = _year_quarter(problem, nxt, buffer_days, inp.calendar)
        for play in plays:
            key = action_key(play["action"])
            if key not in unfinished and key in done_ids:
                done.append(str(play["action"]))
                skipped.setdefault(done_ids[key], (str(play["action"]), []))[1].append(
                    str(problem["problem_id"]))
                continue
            days = int(play["days"]) if not is_blank(play.get("days")) else 14
            start, due = (in_year["start"], in_year["due"]) if in_year else _schedule(
                min(last, nxt.start + timedelta(days=offset)), days, last, inp.calendar)
            kpi = None if is_blank(play.get("kpi")) else str(play["kpi"])
            row = {
                "problem_id": problem["problem_id"], "what": play["action"], "why": why,
                "who": owner, "where": where, "start": start, "due": due,
                "how": None if is_blank(play.get("how")) else play["how"],
                "how_much": None if is_blank(play.get("budget")) else float(play["budget"]),
                "kpi": kpi, "kpi_target": team_targets.get(kpi) if kpi else None,
                "status": "todo", "result": None,
                "budget_category": None if is_blank(play.get("budget_category"))
                else play["budget_category"],
            }
            again = unfinished.pop(key, None)
            if again is not None:  # the last plan's unfinished action: one row, carried on
                carried = [r for r in carried if r is not again]  # and linked, with the why
                row = {**again, "problem_id": problem["problem_id"],  # of this problem
                       "why": ("；" if zh else "; ").join(filter(None, (why, again["_result"]))),
                       **{k: row[k] for k in ("how", "how_much", "budget_category")},
                       # the KPI it was given, else the playbook's (none given: none watched)
                       **({} if again["kpi"] else {k: row[k] for k in ("kpi", "kpi_target")})}
            rows.append(row)
        if len(rows) == answered:  # no playbook entry, or all of it done last period
            what, how = to_complete(problem, done, zh, listed, inp.period)
            start, due = (in_year["start"], in_year["due"]) if in_year else _schedule(
                nxt.start, 14, last, inp.calendar)
            asked = [r["_id"] for r in carried if r["_key"] == action_key(what)]
            if asked:  # the last plan asked the same (a quarter's months each did): once
                carried = [r for r in carried if r["_key"] != action_key(what)]
                why += (f"（上期 {'、'.join(asked)} 同样待完善）" if zh else
                        f" (asked in the last plan too: {', '.join(asked)})")
            rows.append({
                "problem_id": problem["problem_id"], "what": what,
                "why": why, "who": owner, "where": where, "start": start, "due": due,
                "how": how, "how_much": None, "kpi": None, "kpi_target": None,
                "status": "todo", "result": None, "budget_category": None,
            })
    rows += carried
    lessons = inp.frame("Lessons")
    best = lessons[lessons["best_practice"].eq("yes")] if not lessons.empty else lessons
    # one "continue" action per practice, however many lessons (a roll-up's members) say it
    if not best.empty:
        keyed = best.assign(_key=best["description"].map(_norm))
        said = keyed["_key"].value_counts()
        for _, lesson in keyed.drop_duplicates("_key").iterrows():
            n = int(said[lesson["_key"]])
            evidence = None if is_blank(lesson.get("evidence")) else str(lesson["evidence"])
            if n > 1:
                evidence = ("；" if zh else "; ").join(filter(None, (
                    evidence, f"{n} 条经验都提到" if zh else f"named in {n} lessons")))
            rows.append({
                "problem_id": None,
                "what": (f"继续：{lesson['description']}" if zh
                         else f"Continue: {lesson['description']}"),
                "why": evidence,
                "who": inp.owner, "where": "", **_whole_period(nxt.start, last, inp.calendar),
                "how": lesson.get("improvement") if not is_blank(lesson.get("improvement"))
                else None,
                "how_much": None, "kpi": None, "kpi_target": None, "status": "todo",
                "result": None, "budget_category": None,
            })
    frame = pd.DataFrame(rows, columns=["problem_id", "what", "why", "who", "where", "start",
                                        "due", "how", "how_much", "kpi", "kpi_target", "status",
                                        "result", "budget_category"])
    frame.insert(0, "action_id", [f"A{i:02d}" for i in range(1, len(frame) + 1)])
    return frame, unlisted_notes(flagged, listed) + not_repeated_notes(skipped, inp.period)
