"""What a finished roll-up says of its members' levels: its ranking sheet's 层级 / Level
column, one row a member (个人 / 团队 / 区域 …), written by ``consolidate`` from each
member's basic info.

Figures by rep of a roll-up count a rep's rows in other members' books for the rep's own
book when it is a member (:func:`xlsales.rep_names.reps_with_own_book`). Told by names
alone, a team roll-up named exactly like a rep of another team, whose rows name only
that rep, looks like that rep's own book, and two people would be added up as one; the
ranking's levels say which members are individual books.

Nor can a level tell which members hand their rows over: consolidate counts a manager's
book's rows of 张伟 for his own book, but a team roll-up's 张伟 is another person, and
both are 团队. The ranking's status of each member that hands rows over says so
(:data:`SETTER_MARKS`): the rows of the others stay theirs.

Imported by the commands that read a roll-up: nothing heavy at import time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.spec.declarations import MEMBER_RANKING, ROLLUP_LEVELS

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook

#: How the ranking status of a member whose rows of reps with an own book count for
#: those books ends its list of them (zh, en): :func:`~xlsales.rollup_own_reps.setter_note`
#: writes it, :func:`hands_rows_over` finds it.
SETTER_MARKS = ("（计入本人的成员行）", "(counted in their own members' rows)")


class MemberLevels(dict[str, str]):
    """Member → its level key, as a roll-up's ranking sheet records it, and
    :attr:`handing`: the members whose rows of reps with a book of their own count for
    those books (a manager's book), as their status says; None when not known (every
    member's then, as before the statuses were read)."""

    handing: frozenset[str] | None = None

    def hands_over(self, member: str) -> bool:
        """Whether ``member``'s rows of a rep with an own book count for that book."""
        return self.handing is None or member in self.handing


def hands_rows_over(status: object) -> bool:
    """Whether a ranking sheet's ``status`` says its member's rows of reps with an own
    book count in those reps' rows — in Chinese (Simplified or Traditional) or English."""
    from xlsales.spec.traditional import spec_words

    text = spec_words(str(status or ""))
    return any(mark in text for mark in SETTER_MARKS)


def member_levels(book: ReadWorkbook) -> MemberLevels | None:
    """Member → its level key (``individual``, ``team`` …) as ``book``'s ranking sheet
    records it, with the members that hand rows over (:class:`MemberLevels`); None when
    ``book`` is no roll-up, or its ranking sheet cannot be read (figures by rep then go
    by names, as before the levels were read)."""
    from xlsales.io.reader_a1 import range_boundaries
    from xlsales.rollup_lacks import ranking_grid
    from xlsales.spec.traditional import spec_words

    if str(book.info.get("level") or "") not in ROLLUP_LEVELS:
        return None
    found = ranking_grid(book.path, book.layout)
    if found is None:
        return None
    grid, ref = found
    c1, r1, c2, r2 = range_boundaries(ref)
    rows = [list(r[c1 - 1:c2]) + [None] * (c2 - len(r)) for r in grid[r1 - 1:r2]]
    if not rows:
        return None
    header = [spec_words(str(v or "").strip()) for v in rows[0]]  # 成員: a Traditional book
    where = {}
    for key in ("member", "level", "status"):
        label = MEMBER_RANKING.column(key).label
        where[key] = next((i for i, h in enumerate(header) if h in (label.zh, label.en)),
                          None)
    if where["member"] is None or where["level"] is None:
        return None
    choices = MEMBER_RANKING.column("level").choices
    assert choices is not None
    out, handing = MemberLevels(), set()
    for row in rows[1:]:
        member, level = row[where["member"]], row[where["level"]]
        if member is not None and str(member).strip():
            out[str(member).strip()] = choices.key_of(str(level or "")) or ""
            if where["status"] is not None and hands_rows_over(row[where["status"]]):
                handing.add(str(member).strip())
    if where["status"] is not None:
        out.handing = frozenset(handing)
    return out
