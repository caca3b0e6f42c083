"""B2 Actions: every problem flagged "carry into next plan" becomes at least one action,
linked by its id, in 5W2H form; best practices become "continue" actions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

from xlsales.currency import money_unit
from xlsales.periods import Period, PeriodType
from xlsales.plan.model import PlanInput
from xlsales.plan.reviews import CARRY_PREFIX, action_key, latest_reviews, unfinished_actions
from xlsales.plan.workdays import WorkCalendar
from xlsales.spec import SPEC
from xlsales.spec.declarations import PROBLEM_CATEGORIES
from xlsales.spec.playbook import playbook_frame
from xlsales.validation.list_hint import closest_listed
from xlsales.values import fold, is_blank

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_PROBLEMS, _SETTINGS = SPEC.sheet("problems").name, SPEC.sheet("settings").name



def _norm(v: object) -> str:
    return "" if is_blank(v) else fold(v)


def _category(v: object) -> str:
    """A problem category as compared with the playbook's: a default category in
    either language is one (a roll-up holds zh and en members' problems)."""
    return _norm(PROBLEM_CATEGORIES.default_in(v, "en"))


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
    return _whole_period(quarter.start, max(quarter.start, quarter.end - timedelta(
        days=buffer_days)), calendar)


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
#: as written into a book converted to Traditional (:mod:`xlsales.script_variant`).
_CARRIED = re.compile(r"^(?:继续推进（上期 |繼續推進（上期 |Carry on \()")


def is_carried(what: object) -> bool:
    """Whether a plan action is one of the last plan's, proposed again."""
    return bool(_CARRIED.match(str(what)))


def _why_carried(a: Mapping[str, object], zh: bool) -> str | None:
    """Why a carried action is proposed again: its problem of the last period (whose ID
    may name another problem in this book, so it is not linked) — or, for an action
    carried before, the why it came with — and its result."""
    parts = []
    if not is_blank(a.get("problem_id")):
        parts.append(f"上期问题 {a['problem_id']}" if zh else
                     f"problem {a['problem_id']} of the last period")
    elif not is_blank(a.get("why")):  # carried again: where it came from stays said
        parts.append(str(a["why"]))
    if not is_blank(a.get("result")):
        parts.append(str(a["result"]))
    return ("；" if zh else "; ").join(parts) or None


def carried_actions(inp: PlanInput, team_targets: dict[str, float], last: date) -> list[dict]:
    """The previous plan's unfinished actions, proposed again (not linked to a problem of
    this book: the problem IDs they had were the last period's), each with its ``_key``
    (:func:`~xlsales.plan.reviews.action_key`) and last ``_result`` for
    :func:`plan_actions` to match it with a playbook action of this book's problems; of a
    summary's, each action's latest review only (:func:`latest_reviews`)."""
    zh = inp.lang == "zh"
    nxt = inp.period.next
    rows = []
    for _, a in unfinished_actions(latest_reviews(inp.frame("ActionReview"))).iterrows():
        # a status left blank was not given: not said to be "not done" (the notes name it)
        state, state_en = ("部分完成", "partly done") if a.get("status") == "partly" else \
            ("未回顾", "not reviewed") if is_blank(a.get("status")) else ("未完成", "not done")
        kpi = None if is_blank(a.get("kpi")) else str(a["kpi"])
        what = CARRY_PREFIX.sub("", str(a["what"]))
        rows.append({
            "problem_id": None,
            "what": (f"继续推进（上期 {a['action_id']} {state}）：{what}" if zh
                     else f"Carry on ({a['action_id']} of the last plan, {state_en}): "
                          f"{what}"),
            "why": _why_carried(a, zh),
            "who": a["who"] if not is_blank(a.get("who")) else inp.owner, "where": "",
            **_whole_period(nxt.start, min(last, first_part(nxt).end), inp.calendar), "how": None,
            "how_much": None, "kpi": kpi,
            "kpi_target": team_targets.get(kpi) if kpi else None, "status": "todo",
            "result": None, "budget_category": None,
            "_key": action_key(what), "_id": str(a["action_id"]),
            "_result": None if is_blank(a.get("result"))
            else str(a["result"]),
        })
    return rows


def _to_complete(problem: Mapping[str, object], done: list[str], zh: bool,
                 listed: list[str] | None) -> tuple[str, str]:
    """What and how of the action a problem gets when the playbook has none for it, or
    when every one it has (``done``) was done in the last plan; its category as typed is
    said, and when the settings list (``listed``; None: not known) lacks it, which
    listed one it may be meant for."""
    if not done:
        description = problem.get("description") or ""
        category = problem.get("category")
        if is_blank(category):
            return ((f"【待完善】针对“{description}”制定措施",
                     f"问题未填类别：请在“{_PROBLEMS.zh}”表选择类别后重新生成计划，以得到行动手册中的"
                     "做法；或由负责人补充做法、预算和跟踪指标") if zh else
                    (f"[To complete] Define the action for '{description}'",
                     f"The problem has no category: choose one on the {_PROBLEMS.en} sheet and "
                     "plan again for the playbook's actions, or the owner completes how, "
                     "budget and KPI"))
        what = (f"【待完善】针对“{description}”（类别“{category}”）制定措施" if zh else
                f"[To complete] Define the action for '{description}' (category "
                f"'{category}')")
        if listed is not None and _category(category) not in {_category(v) for v in listed}:
            meant = closest_listed(category, listed)
            hint = "" if meant is None else (f"（是否想写 “{meant}”？）" if zh else
                                             f" (did you mean '{meant}'?)")
            return what, (f"类别“{category}”不在“{_SETTINGS.zh}”表的问题类别列表中，行动手册"
                          f"没有它的行动：请在“{_PROBLEMS.zh}”表改为列表中的类别{hint}后重新生成计划，或由"
                          "负责人补充做法、预算和跟踪指标" if zh else
                          f"Category '{category}' is not in the problem category list on the "
                          f"{_SETTINGS.en} sheet, so the playbook has no action for it: choose "
                          f"a listed category{hint} on the {_PROBLEMS.en} sheet and plan again, "
                          "or the owner completes how, budget and KPI")
        return what, (f"行动手册中没有类别“{category}”的行动：请在“{_SETTINGS.zh}”表的行动手册中"
                      "补充后重新生成计划，或由负责人补充做法、预算和跟踪指标" if zh else
                      f"No playbook entry for category '{category}': add one to the playbook "
                      f"on the {_SETTINGS.en} sheet and plan again, or the owner completes "
                      "how, budget and KPI")
    if zh:
        return (f"【待完善】上期已完成“{'”“'.join(done)}”，问题仍在：请制定新措施",
                "行动手册中此类问题的行动上期已完成，问题仍在：请负责人补充新做法、预算和跟踪指标")
    return ("[To complete] '" + "', '".join(done) + "' "
            f"{'was' if len(done) == 1 else 'were'} done last period and the problem "
            "remains: define a new action",
            "The playbook's actions for this problem were done last period and it remains: "
            "the owner completes how, budget and KPI")


def _unlisted_notes(flagged: pd.DataFrame, listed: list[str] | None) -> list[tuple[str, str]]:
    """Notes (zh, en) on the flagged problems whose category the settings list lacks
    (a typo, ``Late payers`` for ``Collection``): their action is left to complete."""
    if listed is None or flagged.empty:
        return []
    known = {_category(v) for v in listed}
    by_category: dict[str, list[str]] = {}
    for p in flagged.to_dict("records"):
        if not is_blank(p.get("category")) and _category(p["category"]) not in known:
            by_category.setdefault(str(p["category"]), []).append(str(p["problem_id"]))
    notes = []
    for category, ids in by_category.items():
        meant = closest_listed(category, listed)
        hint_zh = "" if meant is None else f"（是否想写 “{meant}”？）"
        hint_en = "" if meant is None else f" (did you mean '{meant}'?)"
        notes.append((
            f"{'、'.join(ids)} 的类别“{category}”不在“{_SETTINGS.zh}”表的问题类别列表中{hint_zh}："
            f"其行动标为【待完善】。请在“{_PROBLEMS.zh}”表改正类别，或把它加入列表并在行动手册中"
            "补充行动，然后重新生成计划",
            f"{', '.join(ids)}: category '{category}' is not in the problem category list on "
            f"the {_SETTINGS.en} sheet{hint_en}, so {'its' if len(ids) == 1 else 'their'} "
            f"action is left [To complete]. Correct the category on the {_PROBLEMS.en} "
            "sheet, or add it to the list and give it playbook actions, then plan again"))
    return notes


def _not_repeated_notes(skipped: Mapping[str, tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """Notes (zh, en) on the actions done in the last plan that the playbook offered again
    for a problem of their kind and were left out: action ID → (its text, the problems)."""
    notes = []
    for action_id, (what, problem_ids) in skipped.items():
        ids = list(dict.fromkeys(problem_ids))
        notes.append((
            f"上期 {action_id}“{what}”已完成，同类问题 {'、'.join(ids)} 再次出现：本期不再重复安排"
            "（如仍需要，请手动加回）",
            f"{action_id} of the last plan, '{what}', was done, and a problem of its kind is "
            f"flagged again ({', '.join(ids)}): not proposed again (add it back by hand if "
            "it is still needed)"))
    return notes


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
    carried = carried_actions(inp, team_targets, last)
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
        plays_of.setdefault(_category(entry.get("category")), []).append(entry)
    for problem in flagged.to_dict("records"):
        category = _category(problem.get("category"))
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
                       **{k: row[k] for k in ("how", "how_much", "budget_category")}}
            rows.append(row)
        if len(rows) == answered:  # no playbook entry, or all of it done last period
            what, how = _to_complete(problem, done, zh, listed)
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
    return frame, _unlisted_notes(flagged, listed) + _not_repeated_notes(skipped)
