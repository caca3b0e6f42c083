"""Collected amounts imported with no invoiced amount: an export whose ``回款金额``
(collected) column is matched while no column is matched to ``开票金额`` (invoiced) gives
every row it imports with money collected an empty invoiced amount, which validation
warns of row by row (``collected_without_invoiced``) and which makes the collection rate
run high. The import report says it once, up front, with the ``--map invoiced=…`` to
give."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from xlsales.findings import counted
from xlsales.import_suggest import CLOSE_ENOUGH, closeness
from xlsales.spec import SPEC, Lang

if TYPE_CHECKING:
    from xlsales.importer import ImportResult


def uninvoiced_rows(result: ImportResult, book_columns: Collection[str]) -> int:
    """How many imported rows hold a collected amount while no export column is matched
    to invoiced; 0 when one is, or when the book has no column for either (validation
    then checks nothing)."""
    if ("collected" not in result.mapping or "invoiced" in result.mapping
            or not {"collected", "invoiced"} <= set(book_columns)):
        return 0
    import pandas as pd

    collected = pd.to_numeric(result.frame["collected"], errors="coerce")
    return int(collected.gt(0.005).sum())


def uninvoiced_lines(rows: int, unused: Sequence[str], lang: Lang) -> list[str]:
    """The report's note on ``rows`` (:func:`uninvoiced_rows`) imported with a collected
    but no invoiced amount, naming the ``--map invoiced=…`` to give: with the export's
    ``unused`` column closest to invoiced when one is close enough."""
    if not rows:
        return []
    column = SPEC.table("Sales").column("invoiced")
    close = [h for h in unused if closeness(column, h) >= CLOSE_ENOUGH]
    best = max(close, key=lambda h: closeness(column, h), default=None)
    example = f"--map invoiced={best!r}" if best is not None else None
    if lang == "zh":
        hint = f"（例如 {example}）" if example else ""
        return [f"  注意：已导入回款金额（{rows:,} 行有回款），但导入文件中没有列对应开票金额，"
                "这些行的开票金额为空：校验会逐行提示“回款金额但开票金额为空”，回款率（回款 ÷ "
                f"开票）会偏高。若导入文件有开票金额列，请用 --map invoiced=列名 指定{hint}；"
                "否则请在工作簿中填写开票金额，或在 CRM 中把开票金额加入导出。"]
    hint = f" (e.g. {example})" if example else ""
    return [f"  Note: collected amounts are imported ({counted(rows, 'row')} with money "
            "collected) but no column of the export is matched to invoiced, so those rows' "
            "invoiced amounts are empty: validation will warn on each (collected but "
            "invoiced empty) and the collection rate (collected ÷ invoiced) runs high. If "
            f"the export holds invoiced amounts, name the column with --map "
            f"invoiced=COLUMN{hint}; else fill them in in the workbook, or add them to "
            "the CRM's export."]
