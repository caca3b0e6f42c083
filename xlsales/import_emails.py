"""Owners a CRM exports as email addresses (HubSpot's and Salesforce's deal owners:
``alice.chen@corp.com``, a Chinese team's ``zhang.wei@corp.cn``), written as the rep
the address names.

The name before the ``@`` names a rep when, its dots, dashes and underscores aside, it
is the rep's name in either order (``Alice Chen``: ``alice.chen``, ``chen.alice``) or a
Chinese rep's name in pinyin (``张伟``: ``zhang.wei``, ``zhangwei``, ``wei.zhang``;
:func:`~xlsales.person_names.pinyin_spellings`), and one rep alone fits. Where two reps
fit (``张伟`` and ``章伟`` are both ``zhang.wei``) nothing is guessed: the address stays
as exported and the report names the reps it fits. Each address matched by its pinyin
is said in the report (:func:`email_lines`): it is a reading, not a spelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from xlsales.person_names import person_key, pinyin_spellings
from xlsales.spec import Lang
from xlsales.values import is_blank

_SEPARATORS = re.compile(r"[._\-+]")


@dataclass
class EmailMatches:
    """What matching owners' addresses to reps found, for the import's report."""

    #: address (as exported) → the rep its pinyin names
    pinyin: dict[str, str] = field(default_factory=dict)
    #: address (as exported) → the reps it fits, two or more: left as exported
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _local_parts(value: object) -> list[str]:
    """The parts of the name before the ``@`` of an address (``zhang.wei@corp.cn`` →
    ``["zhang", "wei"]``); empty when ``value`` is no address."""
    if not isinstance(value, str) or "@" not in value:
        return []
    return [p for p in _SEPARATORS.split(value.strip().partition("@")[0]) if p]


def _name_keys(listed: Sequence[object]) -> dict[str, set[str]]:
    """Of the reps ``listed``: name key → the names so compared."""
    keys: dict[str, set[str]] = {}
    for name in listed:
        if not is_blank(name):
            keys.setdefault(person_key(name), set()).add(str(name).strip())
    return keys


def _pinyin_names(listed: Sequence[object]) -> dict[str, set[str]]:
    """Of the reps ``listed``: pinyin spelling → the Chinese names spelt so (made only
    for an address no name matches: pypinyin loads in 0.3 s)."""
    pinyin: dict[str, set[str]] = {}
    for name in listed:
        if not is_blank(name) and not str(name).isascii():
            for spelt in pinyin_spellings(name):
                pinyin.setdefault(spelt, set()).add(str(name).strip())
    return pinyin


def by_email(values: list[object], listed: Sequence[object],
             said: EmailMatches | None = None) -> list[int]:
    """Writes each of ``values`` that is an email address as the rep of ``listed`` its
    name before the ``@`` names (see the module), when one rep alone does; the positions
    changed. Other addresses stay as exported (validation flags them as reps not
    listed). ``said`` collects the addresses matched by pinyin and those several reps
    fit (an address found there ambiguous before is not matched now: ``--rep 张伟`` does
    not settle a book listing 章伟 too)."""
    addresses = {i: parts for i, value in enumerate(values) if (parts := _local_parts(value))}
    if not addresses:
        return []
    keys = _name_keys(listed)
    pinyin: dict[str, set[str]] | None = None
    changed = []
    found: dict[str, str | None] = {}  # address → its rep (None: none or several)
    for i, parts in addresses.items():
        address = str(values[i]).strip()
        if address not in found:
            found[address] = _by_name(parts, keys)
            if found[address] is None and (said is None or address not in said.ambiguous):
                if pinyin is None:
                    pinyin = _pinyin_names(listed)
                found[address] = _by_pinyin(address, parts, pinyin, said)
        if (rep := found[address]) is not None:
            values[i] = rep
            changed.append(i)
    return changed


def _by_name(parts: list[str], keys: dict[str, set[str]]) -> str | None:
    """The one rep whose name (``keys``) an address's local ``parts`` spell in either
    order; None when none or several do."""
    names = {n for key in {person_key("".join(parts)), person_key("".join(parts[::-1]))}
             for n in keys.get(key, ())}
    return names.pop() if len(names) == 1 else None


def _by_pinyin(address: str, parts: list[str], pinyin: dict[str, set[str]],
               said: EmailMatches | None) -> str | None:
    """The one Chinese rep ``address`` (its local ``parts``) spells in pinyin (``pinyin``:
    :func:`_pinyin_names`), recorded in ``said``; None when none or several do (several:
    recorded too)."""
    fits = pinyin.get("".join(parts).lower(), set())
    if len(fits) == 1:
        rep = next(iter(fits))
        if said is not None:
            said.pinyin[address] = rep
        return rep
    if len(fits) > 1 and said is not None:
        said.ambiguous[address] = tuple(sorted(fits))
    return None


def email_lines(said: EmailMatches, lang: Lang) -> list[str]:
    """The report's line for each owner's address matched to a rep by its pinyin, and
    for each that several reps fit (left as exported)."""
    zh = lang == "zh"
    lines = [f"  负责人邮箱 {address} 按拼音对应为销售人员 {rep}，请核对。" if zh else
             f"  Owner {address} taken as the rep {rep} (their name in pinyin); check it."
             for address, rep in said.pinyin.items()]
    for address, reps in said.ambiguous.items():
        lines.append(
            f"  负责人邮箱 {address} 的拼音与多名销售人员相符（{'、'.join(reps)}），未作猜测、"
            "按原样导入：请在 CRM 导出中加入负责人姓名并用 --map rep=列名 指定，或在工作簿中改为"
            "其中一人。" if zh else
            f"  Owner {address} fits several reps by pinyin ({', '.join(reps)}): not "
            "guessed, imported as exported. Add the owner's name to the CRM's export and "
            "name its column with --map rep=COLUMN, or correct it in the workbook.")
    return lines
