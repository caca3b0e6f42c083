"""What a consolidation did (:class:`Rollup`): its members, those rolled up and those left
out with their reasons, the roll-up's content and figures, and what the report says of
them; the members with revenue and no target (:func:`untargeted`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xlsales.currency import CURRENCY_FIELD, DEFAULT_CURRENCY
from xlsales.errors import XlsalesError
from xlsales.files import Unread
from xlsales.periods import Period
from xlsales.plan.model import PlanResult
from xlsales.rollup_lacks import Lack, held_status, missing_status
from xlsales.rollup_member import Member
from xlsales.rollup_naming import member_label
from xlsales.rollup_own_reps import OwnReps
from xlsales.roster import Tenure
from xlsales.script_variant import Script
from xlsales.workbook_data import WorkbookData


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
    #: What the members' books held in the cells a manager may type onto their rows
    #: (:func:`~xlsales.rollup_record.member_values`), written on a hidden sheet for the
    #: next run; None: not taken (no record is written).
    record: dict[tuple[str, str, str, str], dict[str, str]] | None = None

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
