"""One problem for a quarter or a year where its months each flagged it again
(:func:`merge_repeats`).

A problem a rep still has next month is written again in next month's book: the same
description, category and owner under that month's ID. Put together, the quarter or
year book would hold it three or twelve times, and its plan would give it three or
twelve times the same action. So the summary holds it once:

- as the latest part says it, under that part's ID (``2026-12/P001``), with its
  severity, controllability, "carry into next plan", affected and example: where it
  stands now. The latest, not the first, as the next quarter's first month reviews the
  actions of this quarter's last month, naming its problem (``2026-03/P001``): so that
  the year made of four quarter books relinks them too;
- its impact amount the sum of its parts' (each month's amount is that month's), so
  that the impact by category (the roll-up's problem summary) stays what the parts add
  up to; its impact share, a share and no sum, the latest given;
- the previous actions that named one of its other IDs name the kept one, so that every
  reviewed action still links to a problem of the book.

Two problems of one part with the same words stay two (the first of each part is merged
with the first of the others, the second with the second). A group whose amounts are
not all numbers (a ``一万`` typed in a cell) is left apart, for validation to point at.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd

from xlsales.periods import range_text
from xlsales.spec.declarations import PROBLEM_CATEGORIES
from xlsales.values import fold, is_blank

#: Per merged problem: its kept ID, its description and the labels of its parts.
Merged = tuple[str, str, list[str]]


def _key(row: pd.Series) -> tuple[str, str, str] | None:
    """What makes two parts' problems one: description, category (either language) and
    owner, compared as :func:`~xlsales.values.fold` does; None without a description."""
    if is_blank(row.get("description")):
        return None
    category = row.get("category")
    category = "" if is_blank(category) else fold(PROBLEM_CATEGORIES.default_in(category, "en"))
    owner = "" if is_blank(row.get("owner")) else fold(row["owner"])
    return fold(row["description"]), category, owner


def _part(problem_id: object) -> str:
    """The part a summary's problem ID is prefixed with (``2026-10`` of ``2026-10/P001``)."""
    text = str(problem_id)
    return text.split("/", 1)[0] if "/" in text else ""


def _summed(amounts: pd.Series) -> float | bool | None:
    """The sum of the amounts given (None if none is); False when one is no number."""
    given = amounts[~amounts.map(is_blank)]
    if given.empty:
        return None
    numbers = pd.to_numeric(given, errors="coerce")
    return False if numbers.isna().any() else float(numbers.sum())


def merge_repeats(problems: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[Merged]]:
    """``problems`` (a summary's, IDs prefixed with their part) with each problem that
    several parts flag once (see the module), the IDs left out mapped to the kept one,
    and what was merged."""
    if problems.empty or "description" not in problems:
        return problems, {}, []
    keys = problems.apply(_key, axis=1)
    parts = problems["problem_id"].map(_part)
    nth = pd.Series(0, index=problems.index)
    known = keys.notna()
    nth[known] = problems[known].groupby([parts[known], keys[known]]).cumcount()
    groups: dict[Hashable, list[Hashable]] = {}
    for index in problems.index:
        if keys[index] is not None and parts[index]:
            groups.setdefault((keys[index], nth[index]), []).append(index)
    rows, renamed, merged = [], {}, []
    for index in problems.index:
        group = groups.get((keys[index], nth[index]), [index]) if keys[index] else [index]
        amount = _summed(problems.loc[group, "impact_amount"]) \
            if "impact_amount" in problems else None
        if len(group) == 1 or amount is False:
            rows.append(problems.loc[index])
            continue
        if index != group[0]:
            continue
        row = problems.loc[group[-1]].copy()
        kept = row["problem_id"]
        if "impact_amount" in row:
            row["impact_amount"] = amount
        if "impact_share" in problems:
            shares = problems.loc[group, "impact_share"]
            given = shares[~shares.map(is_blank)]
            row["impact_share"] = given.iloc[-1] if not given.empty else None
        rows.append(row)
        renamed.update({str(problems.at[i, "problem_id"]): str(kept) for i in group[:-1]})
        merged.append((str(kept), str(row["description"]), [str(parts[i]) for i in group]))
    return pd.DataFrame(rows).reset_index(drop=True), renamed, merged


def merged_notes(merged: list[Merged], kind: tuple[str, str]) -> list[tuple[str, str]]:
    """Notes (zh, en) naming each problem merged and the parts it came from, parts of
    the ``kind`` (``("月度", "month")``)."""
    notes = []
    kind_zh, kind_en = kind
    for kept, description, labels in merged:
        span_zh = range_text(labels[0], labels[-1], "zh")
        span_en = range_text(labels[0], labels[-1], "en")
        notes.append((
            f"问题“{description}”在 {len(labels)} 个{kind_zh}工作簿中都有（{span_zh}），已合为一个"
            f"问题 {kept}：影响金额相加，严重程度等按最近的{kind_zh}；上期行动中它的其他编号已改为 "
            f"{kept}。",
            f"The problem '{description}' is in {len(labels)} {kind_en} books ({span_en}): "
            f"one problem now, {kept}, its impact amounts added up, its severity and the "
            f"rest as the latest {kind_en} says; previous actions naming its other IDs "
            f"name {kept}."))
    return notes
