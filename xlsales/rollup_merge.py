"""The content of a roll-up from its members' (:func:`merge`): the members of the period
most of them cover, in the currency most of them keep (:mod:`~xlsales.rollup_currency`),
each named apart from the others (:func:`name_members`); their merged tables stacked,
each row naming its member (:func:`stacked`); the settings of the first member; every
member's reps with their split weights; the ranking, the whole's headline KPIs and the
problems by category (:mod:`xlsales.rollup_rank`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, count
from pathlib import Path

import numpy as np
import pandas as pd

from xlsales.currency import CURRENCY_FIELD, DEFAULT_CURRENCY
from xlsales.errors import WorkbookError, XlsalesError
from xlsales.files import Unread
from xlsales.kpis import calculated_columns
from xlsales.periods import Period, told_apart
from xlsales.plan.model import PlanResult
from xlsales.rollup_copies import leave_out_duplicates
from xlsales.rollup_currency import leave_out_other_currencies
from xlsales.rollup_frames import CompactFrame, builtin_in, in_language, stacked_frame
from xlsales.rollup_lacks import Lack, held_status, lacks_note, missing_status
from xlsales.rollup_member import (
    BIG_TABLES,
    MERGED_TABLES,
    REP_LIST,
    SETTINGS_TABLES,
    VALUE_TABLES,
    Member,
)
from xlsales.rollup_namesake_books import note_namesakes
from xlsales.rollup_overlaps import counted_twice, overlap_notes, shared_orders, shared_reps
from xlsales.rollup_own_reps import OwnReps, own_reps
from xlsales.rollup_rank import (
    MEMBER_LABEL,
    PREFIXED_IDS,
    member_column,
    member_ranking,
    problem_summary,
    whole_kpis,
)
from xlsales.rollup_roster import dated_rep_lists, merged_roster, rep_list, rep_weights
from xlsales.rollup_scripts import rollup_language, rollup_script, script_twins
from xlsales.rollup_within import WITHIN_KEY, within_label, within_named
from xlsales.roster import Tenure
from xlsales.script_variant import OwnText, Script
from xlsales.spec import SPEC, Lang
from xlsales.values import is_blank
from xlsales.workbook_data import WorkbookData

ROLE_OF_LEVEL = {"team": "manager", "region": "director", "company": "director"}


@dataclass
class Rollup:
    """What a consolidation did. ``data`` holds the roll-up's content: the merged small
    tables (targets, problems, lessons) with their rows, the big ones (sales records,
    activities) with their columns only — their rows go into the file member by member —
    and the settings."""

    members: list[Member]
    period: Period | None
    data: WorkbookData | None = None
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranking: pd.DataFrame = field(default_factory=pd.DataFrame)
    whole: dict[str, float | None] = field(default_factory=dict)
    lang: str = "zh"
    #: The next period's plan written into the roll-up, or why it was not.
    plan: PlanResult | None = None
    plan_error: XlsalesError | None = None
    #: Sales orders found in more than one member's workbook (each counted in each):
    #: order id → the members' names (:func:`~xlsales.rollup_overlaps.shared_orders`).
    shared: dict[object, list[str]] = field(default_factory=dict)
    #: Of those, the orders of one rep in more than one member's workbook (one workbook
    #: rolled up into two teams): counted twice. (rep, the members' files) → the orders
    #: (:func:`~xlsales.rollup_overlaps.counted_twice`).
    twice: dict[tuple[str, tuple[str, ...]], list[object]] = field(default_factory=dict)
    #: Reps with sales rows in more than one member's workbook: rep → the members' names
    #: (one name for figures by rep: two people, or one who moved).
    shared_reps: dict[str, list[str]] = field(default_factory=dict)
    #: What it was given that yields no workbook and files in its folders not read
    #: (a .csv), beside the workbooks in another format left out among the members.
    not_read: list[Unread] = field(default_factory=list)
    #: Members open in an office program as they were read (a lock file beside them):
    #: rolled up as last saved, which may not be what their owner is typing.
    open_now: list[Path] = field(default_factory=list)
    #: Names spelt in Traditional by a member and in Simplified by another, counted as
    #: two: (Traditional, Simplified) (:func:`~xlsales.rollup_scripts.script_twins`).
    twins: list[tuple[str, str]] = field(default_factory=list)
    #: The script it is written in (:func:`~xlsales.rollup_scripts.rollup_script`): a
    #: Chinese roll-up of mostly Traditional members is built in Traditional.
    script: Script | None = None
    #: The members' rep lists' joining and leaving dates, merged (rep → tenure), and the
    #: reps whose members' books give different ones: rep → (member, its book's tenure)
    #: (:mod:`~xlsales.rollup_roster`).
    roster: dict[str, Tenure] = field(default_factory=dict)
    roster_conflicts: dict[str, list[tuple[str, Tenure]]] = field(default_factory=dict)
    #: The rows of reps with books of their own that other members' books (a
    #: manager's) hold, counted for those books (:mod:`~xlsales.rollup_own_reps`).
    own_reps: OwnReps = field(default_factory=OwnReps)
    #: The report's lines on what changed since the roll-up this one replaced
    #: (:func:`~xlsales.rollup_earlier.since_lines`).
    since: list[str] = field(default_factory=list)

    @property
    def member_label(self) -> str:
        """The header of the column naming each row's member (``成员``, ``成員``)."""
        return member_label(self.lang, self.script)  # type: ignore[arg-type]

    @property
    def included(self) -> list[Member]:
        """Members rolled up."""
        return [m for m in self.members if m.ok]

    @property
    def currency(self) -> str:
        """The currency of the whole's amounts (that of most members)."""
        return str(self.data.info.get(CURRENCY_FIELD) or DEFAULT_CURRENCY
                   if self.data is not None else DEFAULT_CURRENCY)

    @property
    def untargeted(self) -> list[Member]:
        """Members with sales and no target beside members with targets: their revenue
        counts in the whole's attainment against no target, which runs high."""
        return untargeted(self.included)

    def targeted_attainment(self) -> float | None:
        """Attainment of the members that have targets, together (their revenue over
        their targets): what the whole's attainment leaves out of :attr:`untargeted`."""
        members = [m for m in self.included if _has_target(m)]
        target = sum(float(m.kpis["target"] or 0) for m in members)
        return sum(float(m.kpis.get("revenue") or 0) for m in members) / target \
            if target else None

    @property
    def excluded(self) -> list[Member]:
        """Members left out (each with its reason)."""
        return [m for m in self.members if not m.ok]

    @property
    def missing(self) -> list[Member]:
        """Members left out whose rows the roll-up lacks (unreadable, validation errors,
        another period or currency), not copies or versions it holds through another."""
        return [m for m in self.excluded if not m.held_elsewhere]

    @property
    def lacking(self) -> list[tuple[Member, Lack]]:
        """The workbooks members rolled up were made without (a team roll-up that left a
        rep's book out), with those members: the roll-up lacks them too."""
        return [(m, lack) for m in self.included for lack in m.lacks]

    def left_out_rows(self) -> list[tuple[str, str]]:
        """The ranking sheet's rows of workbooks left out: (file, status), each saying
        whether the roll-up lacks its data (:func:`~xlsales.rollup_lacks.missing_status`)
        — left out here, or by a member roll-up — or holds it through another workbook;
        the backups of one workbook in one row."""
        from xlsales.rollup_kept_report import one_row_for_backups

        zh = self.lang == "zh"
        rows = [(m.label, (held_status if m.held_elsewhere else missing_status)(
            m.reason.zh if zh else m.reason.en, self.lang), m.backup_of)
            for m in self.excluded if m.reason]
        return one_row_for_backups(rows, self.lang) + [
            (lack.file, missing_status(lack.reason, self.lang, lack.left_out_of))
            for _, lack in self.lacking]

    @property
    def renamed(self) -> list[Member]:
        """Members named apart from another member of the same name."""
        return [m for m in self.included if m.note]


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


def name_members(members: Sequence[Member]) -> None:
    """Give each member its name in the roll-up: its owner; members sharing an owner are
    told apart by their file names (``Sam (east)``), else by folder and file name
    (``Sam (2026/east)``), else numbered (``Sam (east 2)``) — every name distinct."""
    groups: dict[str, list[Member]] = {}
    for m in members:
        m.name, m.note = m.owner, None
        groups.setdefault(m.owner, []).append(m)
    used = {owner for owner, group in groups.items() if len(group) == 1}
    schemes: tuple[Callable[[Member, int], str], ...] = (
        lambda m, _: m.path.stem, lambda m, _: f"{m.path.parent.name}/{m.path.stem}",
        lambda m, i: f"{m.path.stem} {i}")
    for owner, group in groups.items():
        if len(group) == 1:
            continue
        for scheme in schemes:
            names = [f"{owner} ({scheme(m, i)})" for i, m in enumerate(group, 1)]
            if len(set(names)) == len(names) and not used.intersection(names):
                break
        for m, name in zip(group, names, strict=True):
            m.name = next(n for n in chain([name], (f"{name} {k}" for k in count(2)))
                          if n not in used)
            used.add(m.name)
            m.note = (f"与另一成员同名（{owner}），按文件名称为 {m.name}",
                      f"another member is also named {owner}: named {m.name} after its file")


def label_files(members: Sequence[Member]) -> None:
    """Name each member's file as the report and the ranking sheet show it: its name, or,
    when another member's file has the same name (``张伟_2026-10.xlsx`` in two team
    folders), with its folder (``东一组/张伟_2026-10.xlsx``), else the path given."""
    def names(shown: Callable[[Member], str]) -> Counter[str]:
        return Counter(shown(m) for m in members)

    by_name = names(lambda m: m.path.name)
    in_folder = names(lambda m: f"{m.path.parent.name}/{m.path.name}")
    for m in members:
        folder = f"{m.path.parent.name}/{m.path.name}"
        m.shown = (m.path.name if by_name[m.path.name] == 1 else
                   folder if in_folder[folder] == 1 else str(m.path))


def member_label(lang: Lang, script: Script | None = None) -> str:
    """The roll-up's member column header in ``lang`` and ``script``."""
    return OwnText(script if lang == "zh" else None)(MEMBER_LABEL.get(lang))


def stacked(members: list[Member], table: str, label: str, lang: Lang,
            script: Script | None = None) -> pd.DataFrame | None:
    """The members' rows of ``table`` one after the other, each naming its member in
    ``label`` (replacing the member column of a member that is itself a roll-up: its
    rows' members below follow, :mod:`~xlsales.rollup_within`), the problem and lesson
    ids prefixed with the member's name (P01 of two members stays two problems), built-in
    list entries named in ``lang`` and ``script`` (:func:`in_language`).
    Stacked column by column from the compact frames."""
    parts = [(m, in_language(part, table, lang, script)) for m in members
             if (part := m.compact(table)) is not None]
    if not parts:
        return None
    olds = [member_column(list(part.columns)) for _, part in parts]
    frame = stacked_frame([  # a roll-up's own member column gives way to the new one
        CompactFrame(part.length, {k: v for k, v in part.columns.items() if k != old})
        for (_, part), old in zip(parts, olds, strict=True)])
    who = np.repeat(np.array([m.name for m, _ in parts], dtype=object),
                    [part.length for _, part in parts])
    for key in PREFIXED_IDS.get(table, ()):
        if key in frame and len(frame):
            frame[key] = [None if is_blank(v) else f"{m}-{v}"
                          for m, v in zip(who, frame[key], strict=True)]
    frame[label] = who
    return within_named(frame, within_label(lang, script))


def merged_table(members: list[Member], table: str, label: str,
                 period: Period, lang: Lang, script: Script | None = None
                 ) -> pd.DataFrame | None:
    """The roll-up's ``table``: the members' rows :func:`stacked`, with the calculated
    columns of :data:`VALUE_TABLES` computed over all of them for ``period``."""
    frame = stacked(members, table, label, lang, script)
    if frame is not None and table in VALUE_TABLES:
        frame = frame.assign(**calculated_columns(frame, period, table))
    return frame


def _columns_of(members: list[Member], table: str, label: str, below: str
                ) -> list[str] | None:
    """The columns :func:`stacked` gives ``table`` (``below``: its header of the members
    below, :func:`~xlsales.rollup_within.within_label`), without stacking its rows."""
    present = [c for m in members if (c := m.columns(table)) is not None]
    if not present:
        return None
    olds = [member_column(c) for c in present]
    columns = dict.fromkeys(c for cols, old in zip(present, olds, strict=True) for c in cols
                            if c != old)
    return [*(c for c in columns if c != WITHIN_KEY), label,
            *([below] if WITHIN_KEY in columns else [])]


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
            columns = _columns_of(included, table, label, within_label(lang, script))
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


def _has_target(member: Member) -> bool:
    """Whether ``member`` has a revenue target for the period."""
    return (member.kpis.get("target") or 0) > 0


def untargeted(members: Sequence[Member]) -> list[Member]:
    """Of ``members``, those with revenue and no target, when another one has a target
    (without any target the whole has no attainment to distort)."""
    if not any(_has_target(m) for m in members):
        return []
    return [m for m in members if (m.kpis.get("revenue") or 0) > 0 and not _has_target(m)]


#: The ranking sheet's note on a member of :func:`untargeted` (zh, en).
NO_TARGET_NOTE = ("没有目标：销售额计入整体，但不计入目标", "no targets: its revenue counts in the "
                  "whole, against no target")
