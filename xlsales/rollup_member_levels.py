"""What a finished roll-up says of its members' levels: its ranking sheet's 层级 / Level
column, one row a member (个人 / 团队 / 区域 …), written by ``consolidate`` from each
member's basic info.

Figures by rep of a roll-up count a rep's rows in other members' books for the rep's own
book when it is a member (:func:`xlsales.rep_names.reps_with_own_book`). Told by names
alone, a team roll-up named exactly like a rep of another team, whose rows name only
that rep, looks like that rep's own book, and two people would be added up as one; the
ranking's levels say which members are individual books.

Imported by the commands that read a roll-up: nothing heavy at import time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.spec.declarations import MEMBER_RANKING, ROLLUP_LEVELS

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook


def member_levels(book: ReadWorkbook) -> dict[str, str] | None:
    """Member → its level key (``individual``, ``team`` …) as ``book``'s ranking sheet
    records it; None when ``book`` is no roll-up, or its ranking sheet cannot be read
    (figures by rep then go by names, as before the levels were read)."""
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
    for key in ("member", "level"):
        label = MEMBER_RANKING.column(key).label
        where[key] = next((i for i, h in enumerate(header) if h in (label.zh, label.en)),
                          None)
    if where["member"] is None or where["level"] is None:
        return None
    choices = MEMBER_RANKING.column("level").choices
    assert choices is not None
    out = {}
    for row in rows[1:]:
        member, level = row[where["member"]], row[where["level"]]
        if member is not None and str(member).strip():
            out[str(member).strip()] = choices.key_of(str(level or "")) or ""
    return out
