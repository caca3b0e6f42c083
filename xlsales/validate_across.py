"""What ``xlsales validate`` finds across several workbooks rather than in one: the same
rep's target for the same month set in two books (a manager's and the rep's own), which a
roll-up of both counts once (:mod:`xlsales.rollup_targets`) — said before the books are
consolidated, naming both files, the rep and the months.

Books of one owner (a rep's books of two months, made with ``new --from``) and roll-ups
(which hold their members' targets) are not compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.findings import Finding, finding

if TYPE_CHECKING:
    from xlsales.io.reader import ReadWorkbook
    from xlsales.spec import Lang


@dataclass(frozen=True)
class TargetRow:
    """A row of a book's Targets table naming a rep: the rep, the month (``2026-10``) and
    where it is."""

    rep: str
    month: str
    sheet: str
    cell: str | None
    row: int | None


@dataclass(frozen=True)
class BookTargets:
    """What a book says about the targets it sets: its owner, whether it is a roll-up
    (its rows name their members) and the rows."""

    owner: str
    rollup: bool
    rows: tuple[TargetRow, ...] = ()


def book_targets(book: ReadWorkbook) -> BookTargets:
    """The target rows of ``book`` that name a rep and a month."""
    import pandas as pd

    from xlsales.rollup_rank import named
    from xlsales.validation.extend import is_rollup_book

    owner = str(book.info.get("owner") or "").strip()
    rollup = is_rollup_book(book)
    table = book.tables.get("Targets")
    if rollup or table is None or not {"rep", "period"} <= set(table.columns):
        return BookTargets(owner, rollup)
    frame = table.frame
    dates = pd.to_datetime(frame["period"], errors="coerce")
    rows = [TargetRow(str(rep).strip(), day.strftime("%Y-%m"), table.sheet,
                      table.cell("rep", pos), table.rows[pos])
            for pos, (rep, day, ok) in enumerate(zip(frame["rep"], dates, named(frame["rep"]),
                                                     strict=True))
            if ok and not pd.isna(day)]
    return BookTargets(owner, rollup, tuple(rows))


def across_findings(books: Sequence[tuple[Path, BookTargets | None]]
                    ) -> dict[Path, list[Finding]]:
    """Book → its warnings that another book of ``books`` (given in order) sets the same
    rep's target for the same month: one a rep and pair of books, on the later book's
    first such row, naming the earlier file and the months."""
    from xlsales.rollup_targets import month_runs

    out: dict[Path, list[Finding]] = {}
    for i, (path, later) in enumerate(books):
        if later is None or later.rollup:
            continue
        for other, earlier in books[:i]:
            if earlier is None or earlier.rollup or earlier.owner == later.owner:
                continue
            theirs = {(r.rep, r.month) for r in earlier.rows}
            shared: dict[str, list[TargetRow]] = {}
            for r in later.rows:
                if (r.rep, r.month) in theirs:
                    shared.setdefault(r.rep, []).append(r)
            for rep, rows in shared.items():
                months = sorted({r.month for r in rows})
                first = rows[0]
                out.setdefault(path, []).append(finding(
                    "target_in_two_books", sheet=first.sheet, table="Targets",
                    cell=first.cell, row=first.row, column="rep", value=rep, rep=rep,
                    months_zh="、".join(month_runs(months, "zh")),
                    months_en=", ".join(month_runs(months, "en")), other=other.name))
    return out


def across_lines(found: dict[Path, list[Finding]], lang: Lang) -> list[str]:
    """The text report's block on them (none when nothing was found)."""
    from xlsales.validation.report import SEVERITY_LABEL

    if not found:
        return []
    zh = lang == "zh"
    lines = ["跨工作簿：" if zh else "Across the workbooks:"]
    for path, findings in found.items():
        for f in findings:
            lines.append(f"  {SEVERITY_LABEL[lang][f.severity]:<7} {path.name} "
                         f"{f.sheet}!{f.cell}  {f.rule:<26} "
                         f"{f.message_zh if zh else f.message_en}")
    return lines
