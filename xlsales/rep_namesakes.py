"""``kpis --by rep`` of a roll-up with two people of one name: shown apart.

Two teams can each have a rep called 王芳. Grouped by rep name alone, a region roll-up adds
them up as one person, and the drafted summary then names who did worst: a 王芳 who does
not exist. A rep name found in more than one member is shown once per member instead,
labelled with it (``王芳（东一组）`` / ``王芳 (East)``), its figures computed within that
member as the export's ``kpis_by_rep`` rows are (:mod:`xlsales.kpis_member_reps`). A name
found in one member only keeps its group and its figures (over the roll-up's rows, new
customers from the whole roll-up's history).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from xlsales.kpis import KpiResult, KpiValue
from xlsales.kpis_member_reps import member_rep_groups
from xlsales.rep_names import CHAIN_SEP, reps_in_several_members, shared_reps_note
from xlsales.spec import Lang


def namesake_label(rep: str, member: str, lang: Lang) -> str:
    """A rep's group named with its member: ``王芳（东一组）`` in Chinese, ``王芳 (East)``
    in English."""
    return f"{rep}（{member}）" if lang == "zh" else f"{rep} ({member})"


def namesakes_apart(result: KpiResult, tables: Mapping[str, pd.DataFrame],
                    lang: Lang, shared: Mapping[str, list[str]] | None = None,
                    levels: Mapping[str, str] | None = None) -> KpiResult:
    """``result`` (KPIs by rep of a roll-up's ``tables``) with each rep name found in
    several members (``shared``, by default as :func:`reps_in_several_members` finds
    them, with the members' ``levels`` the roll-up records) split into one group per
    member, labelled in ``lang`` (:func:`namesake_label`), in the place of the name's
    group; ``result`` itself when it is not by rep or no name is shared."""
    if result.by != "rep":
        return result
    shared = reps_in_several_members(tables, levels) if shared is None else shared
    if not shared:
        return result
    members = {m.split(CHAIN_SEP)[0] for names in shared.values() for m in names}
    apart: dict[str, dict[str, dict[str, KpiValue]]] = {}
    for (member, rep), values in member_rep_groups(tables, result.period, members,
                                                   levels).items():
        if rep.strip() in shared:
            apart.setdefault(rep.strip(), {})[namesake_label(rep.strip(), member, lang)] = values
    groups: dict[str, dict[str, KpiValue]] = {}
    for group, values in result.groups.items():
        split = apart.get(group.strip())
        groups.update(split if split is not None else {group: values})
    return KpiResult(result.period, result.kpis, result.by, groups)


def reps_apart(result: KpiResult, tables: Mapping[str, pd.DataFrame], lang: Lang,
               label_lang: Lang, levels: Mapping[str, str] | None = None
               ) -> tuple[KpiResult, str]:
    """``result`` by rep with namesakes in several members apart (:func:`namesakes_apart`,
    labelled in ``label_lang``; ``levels``: the members' the roll-up records) and the
    note saying so in ``lang`` ('' when none is)."""
    shared = reps_in_several_members(tables, levels)
    return (namesakes_apart(result, tables, label_lang, shared, levels),
            shared_reps_note(shared, lang) if result.by == "rep" else "")
