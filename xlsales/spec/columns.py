"""Reusable column shapes of the workbook's tables: money, text, the rep, a roll-up's member.

Part of the spec assembled in :mod:`xlsales.spec.declarations`.
"""

from __future__ import annotations

from xlsales.spec.choices import REPS
from xlsales.spec.model import Column, ColumnType, L

T = ColumnType

# --- reusable column shapes ---------------------------------------------------------


def money(key: str, zh: str, en: str, **kw: object) -> Column:
    return Column(key, L(zh, en), T.MONEY, min_value=0, width=14, **kw)  # type: ignore[arg-type]


def text(key: str, zh: str, en: str, width: float = 16, **kw: object) -> Column:
    return Column(key, L(zh, en), T.TEXT, width=width, **kw)  # type: ignore[arg-type]


#: The column a roll-up adds to its members' rows, naming each row's member (also the
#: member column of the member ranking).
ROLLUP_MEMBER = Column("member", L("成员", "Member"), T.TEXT, width=18)
#: The column a roll-up of roll-ups adds beside it: the members below, down to the one
#: each row counts for in its member roll-up (``东一组 › 张伟``), where the member column
#: names the member roll-up alone. Two namesake reps of one member stay apart by it.
ROLLUP_WITHIN = Column("member_within", L("下级成员", "Members below"), T.TEXT, width=18,
                       help=L("该行在成员合并表中所属的下级成员，逐级以 › 分隔。",
                              "The members below the row's member it counts for, "
                              "level by level, separated by ›."))
#: Levels of a roll-up workbook (its basic info), whose rows name their members.
ROLLUP_LEVELS = ("team", "region", "company")
#: The tables of a roll-up whose rows name their member (:data:`ROLLUP_MEMBER`): the
#: rows it takes from every member (the previous plan's actions too: a manager reviews
#: the team's).
MEMBER_TABLES = ("Sales", "Targets", "Activities", "Problems", "Lessons", "ActionReview")


def rep_column(required: bool = True, breakdown: bool = False) -> Column:
    return Column("rep", L("销售人员", "Rep"), T.LIST, required=required, list_source=REPS,
                  width=12, breakdown=breakdown, help=L("销售人员，按设置表的人员名单。",
                                   "The sales rep, as named on the settings sheet's list."))
