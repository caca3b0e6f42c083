"""What a plan says of the actions it cannot simply propose: the action a problem gets
when the playbook has none for it (or all of it was done), and the notes (zh, en) on
problems of an unlisted category and on done actions left out (:mod:`.actions`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from xlsales.periods import Period
from xlsales.plan.period_words import period_words
from xlsales.spec import SPEC
from xlsales.spec.declarations import PROBLEM_CATEGORIES
from xlsales.validation.list_hint import closest_listed
from xlsales.values import fold, is_blank

_PROBLEMS, _SETTINGS = SPEC.sheet("problems").name, SPEC.sheet("settings").name


def category_key(v: object) -> str:
    """A problem category as compared with the playbook's: a default category in
    either language is one (a roll-up holds zh and en members' problems)."""
    v = PROBLEM_CATEGORIES.default_in(v, "en")
    return "" if is_blank(v) else fold(v)


def to_complete(problem: Mapping[str, object], done: list[str], zh: bool,
                listed: list[str] | None, period: Period) -> tuple[str, str]:
    """What and how of the action a problem gets when the playbook has none for it, or
    when every one it has (``done``) was done in the last plan (in ``period``, the one
    under review: a year's says 上一年度（2026） / "last year (2026)"); its category as
    typed is said, and when the settings list (``listed``; None: not known) lacks it,
    which listed one it may be meant for."""
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
        if listed is not None and category_key(category) not in {category_key(v) for v in listed}:
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
    when = period_words(period).done
    if zh:
        return (f"【待完善】{when[0]}已完成“{'”“'.join(done)}”，问题仍在：请制定新措施",
                f"行动手册中此类问题的行动{when[0]}已完成，问题仍在：请负责人补充新做法、预算和跟踪指标")
    return ("[To complete] '" + "', '".join(done) + "' "
            f"{'was' if len(done) == 1 else 'were'} done {when[1]} and the problem "
            "remains: define a new action",
            f"The playbook's actions for this problem were done {when[1]} and it remains: "
            "the owner completes how, budget and KPI")


def unlisted_notes(flagged: pd.DataFrame, listed: list[str] | None) -> list[tuple[str, str]]:
    """Notes (zh, en) on the flagged problems whose category the settings list lacks
    (a typo, ``Late payers`` for ``Collection``): their action is left to complete."""
    if listed is None or flagged.empty:
        return []
    known = {category_key(v) for v in listed}
    by_category: dict[str, list[str]] = {}
    for p in flagged.to_dict("records"):
        if not is_blank(p.get("category")) and category_key(p["category"]) not in known:
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


def not_repeated_notes(skipped: Mapping[str, tuple[str, list[str]]],
                        period: Period) -> list[tuple[str, str]]:
    """Notes (zh, en) on the actions done in the last plan that the playbook offered again
    for a problem of their kind and were left out of the plan on ``period`` (the one under
    review): action ID → (its text, the problems). The plan is named by its period
    (``2027 的计划``): the book's 本期 / "this period" is the one under review, a year's
    read as its December; the last plan as :func:`period_words` says it (a year's
    上一年度（2026） / "last year (2026)")."""
    plan, when = period.next, period_words(period).done
    notes = []
    for action_id, (what, problem_ids) in skipped.items():
        ids = list(dict.fromkeys(problem_ids))
        notes.append((
            f"{when[0]} {action_id}“{what}”已完成，同类问题 {'、'.join(ids)} 再次出现："
            f"{plan.label} 的计划中不再重复安排（如仍需要，请手动加回）",
            f"{action_id} of the last plan, '{what}', was done {when[1]}, and a problem of "
            "its kind is "
            f"flagged again ({', '.join(ids)}): not proposed again in the {plan.label} plan (add "
            "it back by hand if it is still needed)"))
    return notes
