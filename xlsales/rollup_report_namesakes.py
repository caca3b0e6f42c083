"""What consolidate's report says of two people of one name inside one member.

A company rolled up from regions names 华东南 on every row of that region; the region's
two 张伟 — 东一组's and 南二组's own book's — are told apart by the members below
(:mod:`~xlsales.rollup_within`), and every figure by rep lists them apart
(``张伟（华东南 › 东一组）``). The report said so of a name in two members (华东南 and 华北)
but nothing of the two inside 华东南: :func:`namesakes_within` finds them from what the
members bring, :func:`namesakes_within_lines` says it once, in the roll-up's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from xlsales.rep_names import CHAIN_SEP, chain_labels
from xlsales.rep_namesakes import namesake_label
from xlsales.rollup_frames import coded
from xlsales.rollup_rank import MEMBER_TABLES
from xlsales.rollup_within import WITHIN_KEY

if TYPE_CHECKING:
    from xlsales.rollup_member import Member
    from xlsales.rollup_result import Rollup

#: Names shown in the line; the rest are counted (``…``).
SHOWN = 3


def _chains_by_rep(member: Member) -> dict[str, set[str]]:
    """Rep name → the chains of members below ``member`` (a roll-up) that its rows
    count for, over the tables whose rows name a rep; empty for a member that is no
    roll-up (its rows carry no chain)."""
    found: dict[str, set[str]] = {}
    for table in MEMBER_TABLES:
        columns = member.columns(table) or []
        if WITHIN_KEY not in columns or "rep" not in columns:
            continue
        part = member.compact(table)
        assert part is not None  # it has columns
        (reps, rep_names), (chains, chain_names) = coded(part, "rep"), coded(part, WITHIN_KEY)
        both = (reps >= 0) & (chains >= 0)
        for r, c in np.unique(np.stack([reps[both], chains[both]], axis=1), axis=0):
            found.setdefault(str(rep_names[r]).strip(), set()).add(str(chain_names[c]))
    return found


def namesakes_within(members: Sequence[Member]) -> dict[str, dict[str, list[str]]]:
    """Member name → rep name → the members below it (as far as tells them apart:
    :func:`~xlsales.rep_names.chain_labels`) of the people of that name inside it: a
    member roll-up whose rows count one rep name for two chains of members below (a
    region's 张伟 of 东一组 and 张伟's own book: ``东一组``, ``张伟``). Members in the
    order given, names sorted; none when every name is one person inside its member."""
    out: dict[str, dict[str, list[str]]] = {}
    for m in members:
        apart = {rep: sorted(chain_labels(chains).values())
                 for rep, chains in sorted(_chains_by_rep(m).items()) if len(chains) > 1}
        if apart:
            out[m.name] = apart
    return out


def namesakes_within_text(found: Mapping[str, Mapping[str, list[str]]], lang: str
                          ) -> str:
    """The report line on ``found`` (:func:`namesakes_within`) in ``lang``: the names,
    the member each is in and its labels in figures by rep; '' when there is none."""
    pairs = [(member, rep, below) for member, reps in found.items()
             for rep, below in reps.items()]
    if not pairs:
        return ""
    zh = lang == "zh"

    def one(member: str, rep: str, below: list[str]) -> str:
        chains = [f"{member}{CHAIN_SEP}{b}" for b in below]
        return (f"{rep} 在 {member} 中是 {len(below)} 个人（{'、'.join(chains)}）" if zh
                else f"{rep} is {len(below)} people in {member} ({', '.join(chains)})")

    shown = ("；" if zh else "; ").join(one(*p) for p in pairs[:SHOWN])
    more = ("…" if zh else ", …") if len(pairs) > SHOWN else ""
    member, rep, below = pairs[0]
    example = namesake_label(rep, f"{member}{CHAIN_SEP}{below[0]}", "zh" if zh else "en")
    if zh:
        return (f"  同一个成员中有同名的不同销售人员：{shown}{more}：按人统计时分开列出，名字后括注"
                f"成员及其下级成员（如 {example}；kpis --by rep、KPI 报告、导出的 kpis_by_rep；"
                "导出的 sales、targets 等表的行以 member_within 列区分）")
    return (f"  different reps of one name inside one member: {shown}{more}: figures by rep "
            f"list them apart, named with the member and the members below it (e.g. "
            f"{example}; `kpis --by rep`, the KPI report, the export's kpis_by_rep; the "
            "export's sales, targets … rows differ in member_within)")


def namesakes_within_lines(rollup: Rollup) -> list[str]:
    """consolidate's report lines (:func:`~xlsales.consolidate.report_lines`) on the
    people of one name inside one member of ``rollup``, in its language: one line, or
    none."""
    text = namesakes_within_text(namesakes_within(rollup.included), rollup.lang)
    return [text] if text else []
