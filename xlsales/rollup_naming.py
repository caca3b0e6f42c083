"""How a roll-up names its members: each member apart from the others of the same owner
(:func:`name_members`), each member's file as the report shows it (:func:`label_files`),
and the header of the column naming each row's member (:func:`member_label`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain, count

from xlsales.rollup_member import Member
from xlsales.rollup_rank import MEMBER_LABEL
from xlsales.script_variant import OwnText, Script
from xlsales.spec import Lang


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
