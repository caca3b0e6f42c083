"""Names written in Traditional characters in one member's workbook and in Simplified in
another's (陳靜 and 陈静, 濟南天元製造 and 济南天元制造): the roll-up counts them as two reps
or two customers — distinct and new customers, churn and figures by rep come out wrong —
and says which, so that they can be written one way in the members' books.

A member is Traditional when its workbook is (a sheet named in Traditional characters:
converted in Excel or WPS with 简转繁, or made in Taiwan or Hong Kong); only then are its
names converted (OpenCC's Traditional → Simplified), so a roll-up of Simplified books
pays nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xlsales.person_names import to_simplified
from xlsales.rollup_frames import coded
from xlsales.rollup_member import Member
from xlsales.script_variant import Script
from xlsales.spec import Lang


def _names(member: Member) -> set[str]:
    """The reps and customers ``member``'s sales rows name."""
    names = {str(r) for r in member.reps}
    part = member.inputs("Sales")
    if part is not None:
        names |= {str(c) for c in coded(part, "customer")[1] if c is not None}
    return {n for n in names if n.strip()}


def script_twins(members: Sequence[Member]) -> list[tuple[str, str]]:
    """(Traditional, Simplified) spellings of one name found in the rows of a Traditional
    member and of a Simplified one among ``members`` (none without both kinds)."""
    traditional = [m for m in members if m.traditional]
    if not traditional or len(traditional) == len(members):
        return []
    others = set().union(*(_names(m) for m in members if not m.traditional))
    twins = {}
    for name in sorted(set().union(*(_names(m) for m in traditional))):
        plain = to_simplified(name)
        if plain != name and plain in others:
            twins[name] = plain
    return sorted(twins.items())


def rollup_language(members: Sequence[Member], name: str) -> Lang:
    """The language of a roll-up of ``members`` named ``name`` when none is asked for:
    that of most members; on a tie, Chinese when ``name`` has Chinese characters (a
    region 华南 of an English team and a Chinese one), else English — not whichever
    member happened to be given first."""
    counts = Counter(m.lang for m in members)
    top = max(counts.values())
    tied = [lang for lang, n in counts.items() if n == top]
    if len(tied) == 1:
        return tied[0]  # type: ignore[no-any-return]
    return "zh" if any("\u3400" <= ch <= "\u9fff" for ch in name) else "en"


def rollup_script(members: Sequence[Member], lang: Lang) -> Script | None:
    """The script a roll-up in ``lang`` of ``members`` is built in: Traditional when most
    of its Chinese members are (on a tie, as the first of them), in the conversion most
    of those use; None (Simplified) else."""
    chinese = [m for m in members if m.lang == "zh"]
    if lang != "zh" or not chinese:
        return None
    if not Counter(m.script is not None for m in chinese).most_common(1)[0][0]:
        return None
    return Counter(m.script for m in chinese if m.script is not None).most_common(1)[0][0]
