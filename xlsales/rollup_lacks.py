"""What a roll-up was made without, carried up the levels (team → region → company).

A roll-up lists on its ranking sheet the workbooks it left out, each with its status: a
member whose rows it lacks (unreadable, validation errors, another period or currency)
says so — ``未合并，本表缺少它的数据：…`` / ``left out, its data missing here: …`` —
unlike a copy or an older version, whose rows it holds through another workbook
(``未合并：…`` / ``left out: …``). A roll-up of roll-ups reads those rows from each member
roll-up (:func:`read_lacks`) and lists them again on its own ranking sheet, naming the
roll-up that left each out (:func:`missing_status`), so the company's roll-up still says
that a rep's book was left out of a team two levels down; ``validate`` and ``kpis`` on
such a roll-up warn that its figures are incomplete (:func:`lack_findings`).

Imported by the workers that read members: nothing heavy at import time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.spec.declarations import MEMBER_RANKING, MEMBER_RANKING_SHEET, ROLLUP_LEVELS

if TYPE_CHECKING:
    from xlsales.findings import Finding
    from xlsales.io.ooxml import PackageLayout
    from xlsales.io.reader import ReadWorkbook


@dataclass(frozen=True)
class Lack:
    """A workbook a roll-up was made without (its rows missing from it)."""

    #: The workbook left out, as its ranking sheet names it.
    file: str
    #: The roll-up that left it out (its file name): the one to consolidate again.
    left_out_of: str
    #: Why, as that roll-up recorded it (in its language).
    reason: str


def lacks_note(n: int, lang: str) -> str:
    """The ranking sheet's note on a member roll-up made without ``n`` workbooks (listed
    below the members); '' when none."""
    if not n:
        return ""
    return (f"它合并时缺少 {n} 个工作簿的数据（见下方未合并的行）" if lang == "zh" else
            f"made without {n} {'workbook' if n == 1 else 'workbooks'} (see the rows left "
            "out below)")


def missing_status(reason: str, lang: str, left_out_of: str | None = None) -> str:
    """The ranking sheet's status of a workbook whose rows the roll-up lacks: left out of
    this roll-up, or of ``left_out_of`` (a member roll-up, or one further down)."""
    if lang == "zh":
        via = f"（{left_out_of} 合并时未合并它）" if left_out_of else ""
        return f"未合并，本表缺少它的数据{via}：{reason}"
    via = f" (left out of {left_out_of})" if left_out_of else ""
    return f"left out, its data missing here{via}: {reason}"


def held_status(reason: str, lang: str) -> str:
    """The ranking sheet's status of a workbook left out whose rows the roll-up holds
    through another (a copy, an older version, one a roll-up given beside it holds)."""
    return ("未合并：" if lang == "zh" else "left out: ") + reason


_MISSING = (re.compile(r"未合并，本表缺少它的数据(?:（(?P<via>.+?) 合并时未合并它）)?：(?P<why>.*)",
                       re.DOTALL),
            re.compile(r"left out, its data missing here(?: \(left out of (?P<via>.+?)\))?: "
                       r"(?P<why>.*)", re.DOTALL))


def lack_of(file: str, status: str, own: str) -> Lack | None:
    """The lack a ranking row (``file``, ``status``) of the roll-up named ``own`` records,
    or None when the row is not one of a workbook whose rows the roll-up lacks."""
    for pattern in _MISSING:
        m = pattern.fullmatch(status.strip())
        if m is not None:
            return Lack(file, m["via"] or own, m["why"])
    return None


def ranking_grid(path: Path, layout: PackageLayout) -> tuple[list[list[object]], str] | None:
    """The rows of the roll-up at ``path``'s ranking sheet and its ranking table's range
    (None when it has no such table, or the sheet cannot be read): what it lacks
    (:func:`read_lacks`) and the period of its values
    (:func:`~xlsales.rollup_stamp.stamped_period`) are read from them."""
    from xlsales.io.cells import READ_FAILURES, cells_of

    table = next((t for t in layout.tables if t.name == MEMBER_RANKING.name), None)
    if table is None:
        return None
    try:
        with cells_of(path) as reader:
            return reader.rows(table.sheet), table.ref
    except (OSError, *READ_FAILURES):
        return None


def read_lacks(path: Path, layout: PackageLayout) -> list[Lack]:
    """The workbooks the roll-up at ``path`` was made without, from its ranking sheet
    (none when it has no such sheet, or it cannot be read: a roll-up made before its
    ranking sheet said what it lacks says nothing)."""
    from xlsales.io.reader_a1 import range_boundaries

    found = ranking_grid(path, layout)
    if found is None:
        return []
    grid, ref = found
    labels = {key: {MEMBER_RANKING.column(key).label.zh, MEMBER_RANKING.column(key).label.en}
              for key in ("file", "status")}
    c1, r1, c2, r2 = range_boundaries(ref)
    rows = [list(r[c1 - 1:c2]) + [None] * (c2 - len(r)) for r in grid[r1 - 1:r2]]
    if not rows:
        return []
    header = [str(v or "").strip() for v in rows[0]]
    where = {key: next((i for i, h in enumerate(header) if h in names), None)
             for key, names in labels.items()}
    if None in where.values():
        return []
    out = []
    for row in rows[1:]:
        file, status = row[where["file"]], row[where["status"]]  # type: ignore[index]
        if file and isinstance(status, str):
            lack = lack_of(str(file), status, path.name)
            if lack is not None:
                out.append(lack)
    return out


def lacks_of(book: ReadWorkbook) -> list[Lack]:
    """The workbooks ``book`` (a roll-up) was made without; none for another workbook."""
    if str(book.info.get("level") or "") not in ROLLUP_LEVELS:
        return []
    return read_lacks(book.path, book.layout)


def lack_text(lack: Lack, rollup: str, lang: str) -> tuple[str, str]:
    """What is missing and what to do, for a line of a report or a finding: (why, do) in
    ``lang``; ``rollup`` is the roll-up the lack is found in (its file name)."""
    deeper = lack.left_out_of != rollup
    if lang == "zh":
        via = f"{lack.left_out_of} 合并时未合并它：" if deeper else ""
        above = f" 及其上各级汇总（直到 {rollup}）" if deeper else ""
        return (f"{via}{lack.reason}",
                f"请按原因处理后重新合并 {lack.left_out_of}{above}")
    via = f"left out of {lack.left_out_of}: " if deeper else ""
    above = f" and the roll-ups above it up to {rollup}" if deeper else ""
    return (f"{via}{lack.reason}",
            f"deal with that and consolidate {lack.left_out_of} again{above}")


def lack_findings(book: ReadWorkbook, lacks: Sequence[Lack] | None = None) -> Iterator[Finding]:
    """A warning for each workbook ``book`` (a roll-up) was made without: its figures
    are incomplete."""
    from xlsales.findings import finding

    lacks = lacks_of(book) if lacks is None else lacks
    sheet = MEMBER_RANKING_SHEET.name.get(book.lang)
    for lack in lacks:
        why_zh, do_zh = lack_text(lack, book.path.name, "zh")
        why_en, do_en = lack_text(lack, book.path.name, "en")
        yield finding("rollup_incomplete", sheet=sheet, value=lack.file,
                      table=MEMBER_RANKING.name, why_zh=why_zh, do_zh=do_zh, why_en=why_en,
                      do_en=do_en)
