"""Why ``consolidate`` without ``--force`` refuses to replace an earlier roll-up that
holds what was typed into it, and what ``--force`` would do with each thing: the rows of
the team's own and the edited plan sheets, and each cell typed onto a member's row
(sheet, row ID, column, value: the record of the members' values tells them,
:func:`~xlsales.rollup_record.typed_cells`), so the manager knows what a re-run would
carry and what it could lose before she runs it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from xlsales.errors import OutputExistsError
from xlsales.spec import SPEC

if TYPE_CHECKING:
    from xlsales.rollup_earlier import Earlier
    from xlsales.rollup_record import TypedCell

#: How many typed cells the refusal lists (the rest are counted).
LISTED = 20


def _value(cell: TypedCell) -> str:
    """The typed value as the cell shows it (a share as a percentage); ``(empty)`` for
    a value the manager cleared."""
    value = SPEC.table(cell.table).column(cell.column).shown(cell.value)
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return str(value)


def typed_cells_text(cells: Sequence[TypedCell], lang: str) -> str:
    """The cells typed onto members' rows, listed (the first :data:`LISTED`): sheet, row
    ID, column and the value typed."""
    zh = lang == "zh"
    shown = []
    for cell in cells[:LISTED]:
        column = SPEC.table(cell.table).column(cell.column).label.get(lang)  # type: ignore[arg-type]
        sheet = SPEC.sheet_of(cell.table).name.get(lang)  # type: ignore[arg-type]
        value = _value(cell) or ("（清空）" if zh else "(cleared)")
        shown.append(f"{sheet} {cell.row} 的{column}：{value}" if zh else
                     f"{sheet} {cell.row} {column}: {value}")
    more = len(cells) - len(shown)
    if zh:
        return "；".join(shown) + (f"；另有 {more} 个" if more > 0 else "")
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def refused_over_edits(error: OutputExistsError, earlier: Earlier | None) -> OutputExistsError:
    """``error`` (the output exists, no ``--force``) saying what was typed into the
    earlier roll-up — each cell typed onto a member's row listed — and what ``--force``
    does with it, when anything was."""
    if earlier is None or not (earlier.edits or earlier.typed):
        return error
    what_zh = [e.zh for e in earlier.edits]
    what_en = [e.en for e in earlier.edits]
    cells_zh = cells_en = ""
    if earlier.typed:
        n = len(earlier.typed)
        what_zh.append(f"成员的行上填写的 {n} 个单元格：{typed_cells_text(earlier.typed, 'zh')}")
        what_en.append(f"{n} cell{'s' if n > 1 else ''} typed onto members' rows: "
                       f"{typed_cells_text(earlier.typed, 'en')}")
        cells_zh = ("；成员的行上填写的单元格，成员在自己工作簿中没有改动的会带入，"
                    "成员也改了的采用成员的值")
        cells_en = ("; of the cells typed onto members' rows, those the members have not "
                    "changed in their books since are carried, those they changed too take "
                    "the members' values")
    backup = f"{earlier.path.stem}.backup-<时间>{earlier.path.suffix}"
    return OutputExistsError(
        f"{error.zh}其中有手动填写或修改的内容（{'；'.join(what_zh)}）：加 --force 时会先把它"
        f"备份为 {backup}，再写入新的汇总，并把没有填成员的行（同一周期时）和修改过的计划表带入其中"
        f"{cells_zh}（不能带入的内容报告中会列出）。",
        f"{error.en} It holds what was typed into it ({'; '.join(what_en)}): with --force "
        f"it is first copied aside as {backup.replace('<时间>', '<time>')}, "
        "then the new roll-up is written with the rows typed with no member (of the same "
        f"period) and the edited plan sheets carried into it{cells_en} (the report names "
        "what could not be).")
