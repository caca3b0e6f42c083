"""A roll-up's rep names shared by two members: two people of one name in two teams, or
one person who moved. Figures by rep (``kpis --by rep``, the KPI report's rep ranking,
the export's ``kpis_by_rep``) show such a name once per member, labelled with it;
consolidate names them when it rolls them up, and ``kpis --by rep`` says why the labels."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from xlsales.rollup_member_levels import MemberLevels
from xlsales.rollup_rank import MEMBER_TABLES, member_column, named


def _members_by_rep(tables: Mapping[str, pd.DataFrame]
                    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Rep name → the members whose rows (in a roll-up's tables) name it, and member →
    the reps its rows name."""
    members: dict[str, set[str]] = {}
    reps_of: dict[str, set[str]] = {}
    for name in MEMBER_TABLES:
        frame = tables.get(name)
        if frame is None or "rep" not in frame.columns:
            continue
        column = member_column(frame)
        if column is None:
            continue
        rows = frame[named(frame["rep"]) & named(frame[column])]
        pairs = pd.DataFrame({"rep": rows["rep"].astype(str).str.strip(),
                              "member": rows[column].astype(str).str.strip()})
        for rep, member in pairs.drop_duplicates().itertuples(index=False):
            members.setdefault(rep, set()).add(member)
            reps_of.setdefault(member, set()).add(rep)
    return members, reps_of


def _own_book(rep: str, reps_of: Mapping[str, set[str]],
              levels: Mapping[str, str] | None) -> bool:
    """Whether the member named ``rep`` is that rep's own book: its rows name that rep
    alone and, where the roll-up records its members' levels (``levels``:
    :func:`~xlsales.rollup_member_levels.member_levels`), it is an individual book — a
    team roll-up named like a rep is none."""
    return reps_of.get(rep) == {rep} and (levels is None or levels.get(rep) == "individual")


def hands_over(member: str, levels: Mapping[str, str] | None) -> bool:
    """Whether ``member``'s rows of a rep with an own book count for that book: a
    manager's book's do, a roll-up's are its own people's — as the ranking's statuses
    record it (:class:`~xlsales.rollup_member_levels.MemberLevels`), else any member's."""
    return levels.hands_over(member) if isinstance(levels, MemberLevels) else True


def _counted(tables: Mapping[str, pd.DataFrame], levels: Mapping[str, str] | None
             ) -> tuple[dict[str, set[str]], set[str]]:
    """Rep name → the members its rows count for (a rep's rows in a member that hands
    them over, :func:`hands_over`, count for the rep's own book), and the reps with an
    own book that some other member's rows so count for."""
    members, reps_of = _members_by_rep(tables)
    counted: dict[str, set[str]] = {}
    own = set()
    for rep, found in members.items():
        mine = len(found) > 1 and _own_book(rep, reps_of, levels)
        handed = {m for m in found if mine and m != rep and hands_over(m, levels)}
        counted[rep] = found - handed  # the own book (named ``rep``) stays among them
        if handed:
            own.add(rep)
    return counted, own


def reps_with_own_book(tables: Mapping[str, pd.DataFrame],
                       levels: Mapping[str, str] | None = None) -> set[str]:
    """The rep names of a roll-up's tables found in several members, one of which is the
    rep's own book — a member of that name whose rows name that rep alone (张伟's book
    beside the targets his manager's book sets him), an individual book where ``levels``
    (member → level) says — and another of which hands its rows of the rep over to it
    (:func:`hands_over`): one person, whose rows in those books are theirs."""
    return _counted(tables, levels)[1]


def reps_in_several_members(tables: Mapping[str, pd.DataFrame],
                            levels: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Rep name → the members (in a roll-up's tables) its rows count for, for the names
    counted in two members or more; empty for a rep's own book. A rep's rows that a
    member hands over to the rep's own book (:func:`reps_with_own_book`, ``levels`` as
    there) are that book's — one person —, but a roll-up's 张伟 beside that book is
    another person: listed."""
    counted = _counted(tables, levels)[0]
    return {rep: sorted(m) for rep, m in sorted(counted.items()) if len(m) > 1}


def shared_reps_note(shared: Mapping[str, list[str]], lang: str, prefix: str = "") -> str:
    """What to say of ``shared`` (:func:`reps_in_several_members`) where figures by rep
    are shown; '' when there is none."""
    if not shared:
        return ""
    zh = "；".join(f"{rep}（{'、'.join(m)}）" for rep, m in shared.items())
    en = "; ".join(f"{rep} ({', '.join(m)})" for rep, m in shared.items())
    if lang == "zh":
        return (f"{prefix}注意：以下销售人员的名字出现在多个成员中，按人统计时按成员分开列出"
                f"（名字后括注成员）：{zh}。若其中是同一个人（调过组），其数字为各行之和。")
    return (f"{prefix}note: these rep names are in several members' rows, and figures by rep "
            f"list them apart, once per member (the member named after the rep): {en}. If "
            "one of them is one person who moved, their figures are those rows added up.")
