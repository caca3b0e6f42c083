"""A roll-up's rep names shared by two members: two people of one name in two teams, or
one person who moved. Figures by rep (``kpis --by rep``, the KPI report's rep ranking,
the export's ``kpis_by_rep``) show such a name once per member, labelled with it;
consolidate names them when it rolls them up, and ``kpis --by rep`` says why the labels.
Two people of one name below one member of a roll-up of roll-ups (a region's 东一组 and
南二组 in a company) are told apart by the members below it that each row counts for
(:func:`row_chains`), labelled down to where they differ: ``张伟（华东南 › 东一组）``."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from xlsales.rollup_member_levels import MemberLevels
from xlsales.rollup_rank import MEMBER_TABLES, member_column, named
from xlsales.spec.declarations import ROLLUP_WITHIN

#: Between the members of a row's chain (:func:`row_chains`): in a roll-up of roll-ups'
#: column of the members below, and in the labels of namesakes (``张伟（华东南 › 东一组）``).
CHAIN_SEP = " › "


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


def reps_with_own_book(tables: Mapping[str, pd.DataFrame],
                       levels: Mapping[str, str] | None = None) -> set[str]:
    """The rep names of a roll-up's tables found in several members, one of which is the
    rep's own book — a member of that name whose rows name that rep alone (张伟's book
    beside the targets his manager's book sets him), an individual book where ``levels``
    (member → level) says — and another of which hands its rows of the rep over to it
    (:func:`hands_over`): one person, whose rows in those books are theirs."""
    members, reps_of = _members_by_rep(tables)
    return {rep for rep, found in members.items()
            if len(found) > 1 and _own_book(rep, reps_of, levels)
            and any(m != rep and hands_over(m, levels) for m in found)}


def counted_member(frame: pd.DataFrame, column: str, own: Collection[str],
                   levels: Mapping[str, str] | None = None) -> pd.Series:
    """The member each row of ``frame`` (a roll-up's table, members named in ``column``)
    counts for: its rep's own book for the rows naming a rep of ``own``
    (:func:`reps_with_own_book`) in the members that hand them over (by ``levels``:
    the targets a manager's book sets 张伟 are his, a team roll-up's 张伟 is another
    person), else its own member."""
    if not own or "rep" not in frame.columns:
        return frame[column]
    rep = frame["rep"].astype(str).str.strip()
    member = frame[column].astype(str)
    handing = {m: hands_over(m, levels) for m in pd.unique(member)}
    theirs = rep.isin(own) & named(frame["rep"]) & member.map(handing).astype(bool)
    return frame[column].where(~theirs, rep) if theirs.any() else frame[column]


def row_chains(tables: Mapping[str, pd.DataFrame], levels: Mapping[str, str] | None = None
               ) -> dict[str, pd.Series]:
    """Of each table of a roll-up's ``tables`` whose rows name their member: the chain
    of members each row counts for — the member here (:func:`counted_member`), then the
    members below it (:data:`~xlsales.spec.declarations.ROLLUP_WITHIN`, written by a
    roll-up of roll-ups), joined by :data:`CHAIN_SEP` (``华东南 › 东一组 › 张伟``); a
    row naming no member has none. Rows of one chain and rep are one person's."""
    own = reps_with_own_book(tables, levels)
    out = {}
    for name, frame in tables.items():
        column = member_column(frame)
        if column is None:
            continue
        member = counted_member(frame, column, own, levels)
        within = ROLLUP_WITHIN.header_in(frame.columns)
        if within is not None:
            below = frame[within]
            deeper = named(member) & named(below)
            if deeper.any():
                member = member.astype(object).where(~deeper, member.astype(str) + CHAIN_SEP
                                                     + below.astype(str).str.strip())
        out[name] = member
    return out


def chain_labels(chains: Collection[str]) -> dict[str, str]:
    """Chain → its shortest head (its member, then the members below as far as needed)
    that no other of ``chains`` (one rep name's) begins with: ``华东南 › 东一组`` beside
    ``华东南 › 张伟``, ``华北`` beside both."""
    parts = {c: c.split(CHAIN_SEP) for c in chains}
    out = {}
    for chain, mine in parts.items():
        depth = next((d for d in range(1, len(mine)) if not any(
            theirs[:d] == mine[:d] for other, theirs in parts.items() if other != chain)),
            len(mine))
        out[chain] = CHAIN_SEP.join(mine[:depth])
    return out


def namesake_chains(tables: Mapping[str, pd.DataFrame],
                    levels: Mapping[str, str] | None = None,
                    chains: Mapping[str, pd.Series] | None = None
                    ) -> dict[str, dict[str, str]]:
    """Rep name → chain → its label (:func:`chain_labels`), for the names whose rows
    (in :data:`~xlsales.rollup_rank.MEMBER_TABLES`) count for several chains of members
    (:func:`row_chains`, made here unless given)."""
    chains = row_chains(tables, levels) if chains is None else chains
    found: dict[str, set[str]] = {}
    for name in MEMBER_TABLES:
        frame, chain = tables.get(name), chains.get(name)
        if frame is None or chain is None or "rep" not in frame.columns:
            continue
        rows = named(frame["rep"]) & named(chain)
        pairs = pd.DataFrame({"rep": frame.loc[rows, "rep"].astype(str).str.strip(),
                              "chain": chain[rows].astype(str)}).drop_duplicates()
        for rep, one in pairs.itertuples(index=False):
            found.setdefault(rep, set()).add(one)
    return {rep: chain_labels(c) for rep, c in sorted(found.items()) if len(c) > 1}


def reps_in_several_members(tables: Mapping[str, pd.DataFrame],
                            levels: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Rep name → where (in a roll-up's tables) its rows count for, for the names counted
    in two members or more — or in two members below one member roll-up, a roll-up of
    roll-ups telling them apart by the members below (:func:`namesake_chains`; labels
    such as ``华东南 › 东一组``) —; empty for a rep's own book. A rep's rows that a member
    hands over to the rep's own book (:func:`reps_with_own_book`, ``levels`` as there)
    are that book's — one person —, but a roll-up's 张伟 beside that book is another
    person: listed."""
    return {rep: sorted(labels.values())
            for rep, labels in namesake_chains(tables, levels).items()}


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
