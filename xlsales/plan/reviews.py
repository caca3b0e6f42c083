"""The previous plan's actions as a plan reads them off the Previous actions sheet: the
text an action is compared by across plans (:func:`action_key`), the ones to carry on
(:func:`unfinished_actions`), the ones left without a status (:func:`unreviewed_note`)
— and, in a quarter's or a year's summary, only each action's latest review
(:func:`latest_reviews`).

A month's unfinished action is carried into the next month's plan and reviewed again
in the next month's book, so a year book put together from twelve month books holds
the same action up to eleven times, each month's review of it: the year's plan goes by
the last one (done in November: not carried on, however often it was "partly done"
before), and carries it on once.
"""

from __future__ import annotations

import re

import pandas as pd

from xlsales.periods import Period
from xlsales.script_variant import script_key
from xlsales.spec import SPEC
from xlsales.values import fold, is_blank

#: What a carried or "continue" action's text starts with, in either language: taken off
#: an action's text before it is carried again ("继续推进（上期 A06 未完成）：继续：…").
CARRY_PREFIX = re.compile(r"^(?:继续推进（[^）]*）：|繼續推進（[^）]*）：|Carry on \([^)]*\): "
                          r"|继续：|繼續：|Continue: )+")


def action_key(what: object) -> str:
    """An action's text as compared across plans: without the prefix of a carried or
    "continue" action (a carried "逐笔跟进逾期回款" is the playbook's "逐笔跟进逾期回款"), in
    either script (``逐筆跟進逾期回款``, as a plan writes it into a Traditional book)."""
    text = script_key(CARRY_PREFIX.sub("", str(what)))
    return "" if is_blank(text) else fold(text)


def _made_in(action_id: object) -> pd.Timestamp | None:
    """The start of the period a summary's action ID is prefixed with (``2026-10/A01``:
    made in October's plan); None for an ID without one (a month's own book)."""
    text = str(action_id)
    if "/" not in text:
        return None
    try:
        return pd.Timestamp(Period.parse(text.split("/", 1)[0]).start)
    except ValueError:
        return None


def latest_reviews(review: pd.DataFrame) -> pd.DataFrame:
    """``review`` with, of the actions a summary holds from several parts' plans (IDs
    prefixed with the period), each text's latest review only; an action of no prefix
    (a month's own book) is kept, as is each of several of one plan with one text."""
    if review.empty or "action_id" not in review or "what" not in review:
        return review
    made = review["action_id"].map(_made_in)
    if made.isna().all():
        return review
    keys = review["what"].map(action_key)
    latest = made.groupby(keys).transform(lambda m: m.dropna().max())
    return review[made.isna() | made.eq(latest)]


def origin_problems(review: pd.DataFrame) -> dict[str, str]:
    """Of a summary's actions (IDs prefixed with the period), the problem each answered as
    the book holds it, by action ID: the one its latest review naming a problem names. A
    month's action carried on is reviewed with no problem (its why names the month's
    ``P002``); the summary's earlier review of it names ``2026-12/P002``. None for a
    month's own book."""
    if review.empty or not {"action_id", "what", "problem_id"} <= set(review.columns):
        return {}
    made = review["action_id"].map(_made_in)
    keys = review["what"].map(action_key)
    named = made.notna() & ~review["problem_id"].map(is_blank)
    latest: dict[str, tuple[pd.Timestamp, str]] = {}
    for i in review.index[named]:
        if keys[i] not in latest or made[i] >= latest[keys[i]][0]:
            latest[keys[i]] = (made[i], str(review.at[i, "problem_id"]))
    return {str(review.at[i, "action_id"]): latest[keys[i]][1]
            for i in review.index[made.notna()] if keys[i] in latest}


def unfinished_actions(review: pd.DataFrame) -> pd.DataFrame:
    """Reviewed actions of the previous plan that are not done (no status counts as
    not done: nothing is dropped silently)."""
    if review.empty:
        return review
    return review[~review["status"].eq("done")]


def unreviewed_note(review: pd.DataFrame) -> tuple[str, str] | None:
    """The plan's note (zh, en) naming the previous plan's actions left without a status
    on the Previous actions sheet, carried on as if not done; None if every one has one."""
    if review.empty:
        return None
    ids = [str(a) for a in review.loc[review["status"].map(is_blank), "action_id"]]
    if not ids:
        return None
    sheet = SPEC.sheet("review").name
    return (f"{'、'.join(ids)} 无完成情况，已作为“未回顾”再次安排：请在“{sheet.zh}”表填写完成情况",
            f"{', '.join(ids)} {'has' if len(ids) == 1 else 'have'} no status: proposed again, "
            f"as not reviewed; mark {'it' if len(ids) == 1 else 'them'} on the {sheet.en} "
            "sheet")
