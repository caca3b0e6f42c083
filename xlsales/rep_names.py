"""A roll-up's rep names shared by two members: two people of one name in two teams, or
one person who moved. Figures by rep (``kpis --by rep``, the KPI report's rep ranking,
the export's ``kpis_by_rep``) show such a name once per member, labelled with it;
consolidate names them when it rolls them up, and ``kpis --by rep`` says why the labels."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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


def reps_with_own_book(tables: Mapping[str, pd.DataFrame],
                       levels: Mapping[str, str] | None = None) -> set[str]:
    """The rep names of a roll-up's tables found in several members, one of which is the
    rep's own book — a member of that name whose rows name that rep alone (张伟's book
    beside the targets his manager's book sets him), an individual book where ``levels``
    (member → level) says: one person, whose rows in the other members' books are
    theirs."""
    members, reps_of = _members_by_rep(tables)
    return {rep for rep, m in members.items() if len(m) > 1 and _own_book(rep, reps_of, levels)}


def reps_in_several_members(tables: Mapping[str, pd.DataFrame],
                            levels: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Rep name → the members (in a roll-up's tables) whose rows name it, for the names
    found in two members or more; empty for a rep's own book. A rep with an own book
    among them (:func:`reps_with_own_book`, ``levels`` as there) is one person, not
    listed."""
    members, reps_of = _members_by_rep(tables)
    return {rep: sorted(m) for rep, m in sorted(members.items())
            if len(m) > 1 and not _own_book(rep, reps_of, levels)}


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
