"""The order an export writes its ``10/20/2026``-style dates in: one for the whole file.

A CRM writes every date of an export the same way, so the order one date column proves
(Salesforce's ``Created Date`` 10/16/2026: month first) holds for a ``Close Date`` column
whose dates all fall on the first 12 days of a month (11/1/2026). The user may name it
(``xlsales import --date-order mdy``); a column that proves the other order refuses the
import, and where nothing decides, the rows are skipped saying why
(:mod:`xlsales.date_hints`). Nothing is guessed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsales.errors import UsageError
from xlsales.normalise import DateOrder
from xlsales.slash_dates import ORDER_OPTIONS, all_slash_dates, column_order, proof, shared_order
from xlsales.spec import ColumnType, Table

if TYPE_CHECKING:
    import pandas as pd

_DATE_TYPES = (ColumnType.DATE, ColumnType.MONTH)
_NAMES = {"month_first": ("月在前", "month first", "mdy"),
          "day_first": ("日在前", "day first", "dmy")}


def export_date_order(source: pd.DataFrame, mapping: dict[str, str], table: Table,
                      given: str | None = None) -> DateOrder | None:
    """The order of the export's ``a/b/yyyy`` dates for its date columns that prove none:
    ``given`` (``mdy``/``dmy``, from ``--date-order``), else the one its date columns
    prove (those mapped to a date field, and any other holding such dates only); None
    when nothing decides. Raises :class:`~xlsales.errors.UsageError` when a column proves
    the other order than ``given``."""
    dated = {h for k, h in mapping.items() if table.column(k).type in _DATE_TYPES}
    columns = {str(h): values for h in source.columns
               if (values := source[h].tolist()) and (h in dated or all_slash_dates(values))}
    if given is None:
        order = shared_order(columns.values())
        return DateOrder(order, "file") if order is not None else None
    order = ORDER_OPTIONS[given]
    for header, values in columns.items():
        found = column_order(values)
        if found is not None and found != order:
            zh, en, option = _NAMES[found]
            shown = proof(values, found)
            raise UsageError(
                f"--date-order {given} 与导出不符：列“{header}”中的 {shown} 只能是{zh}。"
                f"请改用 --date-order {option}，或不加该选项。",
                f"--date-order {given} does not fit the export: {shown} in column "
                f"'{header}' can only be {en}. Give --date-order {option}, or leave the "
                "option out.")
    return DateOrder(order, "given")
