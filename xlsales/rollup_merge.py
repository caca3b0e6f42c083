"""The content of a roll-up from its members' (:func:`merge`): the members of the period
most of them cover, in the currency most of them keep (:mod:`~xlsales.rollup_currency`),
each named apart from the others (:mod:`~xlsales.rollup_naming`); their merged tables
stacked, each row naming its member (:mod:`~xlsales.rollup_stacked`); the settings of the
first member; every member's reps with their split weights; the ranking, the whole's
headline KPIs and the problems by category (:mod:`xlsales.rollup_rank`), gathered in a
:class:`~xlsales.rollup_result.Rollup`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

import pandas as pd

from xlsales.currency import CURRENCY_FIELD
from xlsales.errors import WorkbookError
from xlsales.periods import told_apart
from xlsales.rollup_copies import leave_out_duplicates
from xlsales.rollup_currency import leave_out_other_currencies
from xlsales.rollup_frames import builtin_in, in_language, stacked_frame
from xlsales.rollup_lacks import lacks_note
from xlsales.rollup_member import (
    BIG_TABLES,
    MERGED_TABLES,
    REP_LIST,
    SETTINGS_TABLES,
    VALUE_TABLES,
    Member,
)
from xlsales.rollup_namesake_books import note_namesakes
from xlsales.rollup_naming import label_files, member_label, name_members
from xlsales.rollup_overlaps import counted_twice, overlap_notes, shared_orders, shared_reps
from xlsales.rollup_own_reps import own_reps
from xlsales.rollup_rank import member_ranking, problem_summary, whole_kpis
from xlsales.rollup_result import NO_TARGET_NOTE, Rollup, untargeted
from xlsales.rollup_roster import dated_rep_lists, merged_roster, rep_list, rep_weights
from xlsales.rollup_scripts import rollup_language, rollup_script, script_twins
from xlsales.rollup_stacked import merged_table, stacked_columns
from xlsales.rollup_within import within_label
from xlsales.spec import SPEC, Lang
from xlsales.workbook_data import WorkbookData

ROLE_OF_LEVEL = {"team": "manager", "region": "director", "company": "director"}


def rollup_assumptions(members: Sequence[Member]) -> dict[str, object]:
    """The roll-up's settings assumptions: the first member's, but for the next-period
    target a member's manager set (the member's own, not the whole's: left empty) and the
    growth assumption, the members' weighted by their revenue (what their own plans
    would add up to), whatever order the members come in."""
    out: dict[str, object] = {**members[0].assumptions, "next_target": None}
    rates = [(float(m.assumptions["growth_rate"]), float(m.kpis.get("revenue") or 0.0))
             for m in members if isinstance(m.assumptions.get("growth_rate"), int | float)]
    if rates:
        revenue = sum(r for _, r in rates)
        out["growth_rate"] = round(sum(g * r for g, r in rates) / revenue, 4) if revenue \
            else round(sum(g for g, _ in rates) / len(rates), 4)
    return out


def _union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(v for values in lists for v in values))


def merge(members: list[Member], level: str, name: str, big_rows: bool = True,
          lang: Lang | None = None) -> Rollup:
    """The roll-up's content from the members that can be used (same period, same
    currency), each named apart from the others, in ``lang`` (default: the language of
    most members; on a tie, as its ``name`` is written:
    :func:`~xlsales.rollup_scripts.rollup_language`). With ``big_rows`` false the big
    tables are left empty (their rows are written apart)."""
    label_files(members)
    usable = [m for m in members if m.ok]
    if not usable:
        return Rollup(members, None)
    # the period of most members; on a tie the latest (this month's books beside last
    # month's), of two ending on the same day the longer (Q3 beside September), whatever
    # order they are given in
    counts = Counter(m.period for m in usable)
    period = max(counts, key=lambda p: (counts[p], p.end if p else date.min,
                                        p.months if p else 0, p.start if p else date.min))
    for m in members:  # another period says more than its validation errors
        if (m.ok or m.errors) and m.period is not None and m.period != period:
            own_zh, whole_zh = told_apart(m.period, period, "zh")
            own_en, whole_en = told_apart(m.period, period, "en")
            m.reason = WorkbookError(
                f"周期 {own_zh} 与合并表的周期 {whole_zh} 不同（合并表取多数成员的周期，"
                f"数量相同时取结束较晚的，再取较长的）：请向发送者要 {whole_zh} 的工作簿，"
                f"或把它和 {own_zh} 的工作簿一起另行合并",
                f"its period {own_en} differs from the roll-up's {whole_en} (that of most "
                f"members; on a tie the one ending later, then the longer): ask its sender "
                f"for the {whole_en} workbook, or roll it up with the other {own_en} workbooks")
    currency = leave_out_other_currencies(members, period)
    leave_out_duplicates([m for m in members if m.ok])
    included = [m for m in members if m.ok]
    name_members(included)
    note_namesakes(included)  # namesakes numbering their orders alike: both kept
    lang = lang or rollup_language(included, name)
    script = rollup_script(included, lang)  # type: ignore[arg-type]
    label = member_label(lang, script)  # type: ignore[arg-type]
    tables: dict[str, pd.DataFrame] = {}
    for table in MERGED_TABLES:
        if table in BIG_TABLES and not big_rows:  # the columns only: rows come apart
            columns = stacked_columns(included, table, label, within_label(lang, script))
            if columns is not None:
                tables[table] = pd.DataFrame(columns=columns)
            continue
        frame = merged_table(included, table, label, period, lang, script)
        if frame is not None:
            tables[table] = frame
    mine = own_reps(included, tables, label, period)  # a manager's targets for her reps
    first = included[0]
    caps = [m.budget_caps for m in included if m.budget_caps is not None]
    budget = (stacked_frame([in_language(c, "BudgetCaps", lang, script) for c in caps])
              .groupby("category", sort=False, as_index=False)["monthly_cap"]
              .sum(min_count=1) if caps else None)
    for extra in SETTINGS_TABLES:
        settings = first.compact(extra)
        if settings is not None:
            tables[extra] = in_language(settings, extra, lang, script).frame()
    lists = {s.key: _union([[builtin_in(s, v, lang, script) for v in m.lists.get(s.key, [])]
                            for m in included]) for s in SPEC.lists}
    tenure, conflicts = merged_roster(dated_rep_lists(included))
    reps_listed = rep_list(lists.get("rep", []), rep_weights(included), tenure)
    if reps_listed is not None:  # the weights and the dates: plan, new --from, validate
        tables[REP_LIST] = reps_listed
    info = {"owner": name, "level": level, "role": ROLE_OF_LEVEL.get(level, "manager"),
            "period_type": period.type.value, "period_start": period.start,
            CURRENCY_FIELD: currency,
            "data_source": ", ".join(m.path.name for m in included)}
    data = WorkbookData(info=info, tables=tables, lists=lists,
                        assumptions=rollup_assumptions(included), budget_caps=budget,
                        calculated_values=VALUE_TABLES)
    problems = tables.get("Problems", pd.DataFrame(columns=["category", "impact_amount", label]))
    orders, reps = shared_orders(included), shared_reps(included, mine.own, mine.fixed)
    overlaps = overlap_notes(orders, reps, lang)  # type: ignore[arg-type]
    no_target = {m.name for m in untargeted(included)}
    ranking = member_ranking([
        {"member": m.name, "level": m.level, "file": m.label,
         "status": ("；" if lang == "zh" else "; ").join(
             n for n in (m.note[0 if lang == "zh" else 1] if m.note else "",
                         overlaps.get(m.name, ""),
                         NO_TARGET_NOTE[0 if lang == "zh" else 1] if m.name in no_target
                         else "", mine.note(m.name, lang),
                         lacks_note(len(m.lacks), lang)) if n) or None, **m.kpis}
        for m in included])
    return Rollup(members, period, data, problem_summary(problems, label), ranking,
                  whole_kpis([m.kpis for m in included]), lang, shared=orders,
                  twice=counted_twice(included, orders),
                  shared_reps=reps, twins=script_twins(included), script=script,
                  roster=tenure, roster_conflicts=conflicts, own_reps=mine)

