"""A table's cells typed per the spec's columns: the typed frame of a table as read
(:func:`_typed_frame`, every value normalised per its column's type), and the finding
for each value normalisation repaired or could not read (:func:`issue_finding`).

pandas is imported only once the values are ready (see :mod:`xlsales.io.reader_frames`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xlsales.date_hints import CELL_ORDER, unread_date_why
from xlsales.findings import Finding, finding
from xlsales.io import fastread
from xlsales.io.reader_a1 import get_column_letter
from xlsales.io.reader_session import ReadSession
from xlsales.normalise import CONVERSIONS, DateOrder, normalise_column
from xlsales.parse_numbers import currency_marked, decimal_comma, parse_number, too_many_digits
from xlsales.slash_dates import shared_order
from xlsales.spec import Column, ColumnType, Lang, Table

if TYPE_CHECKING:
    import pandas as pd


def _typed_frame(session: ReadSession, table: Table, sheet: str, columns: dict[str, int],
                 rows: list[int], cells: dict[int, list[object] | fastread.FastColumn],
                 unreadable: dict[str, set[int]]) -> pd.DataFrame:
    """The typed frame of ``table``'s ``columns`` (key → Excel column) in the Excel
    ``rows``; positions of values that cannot be read go to ``unreadable``."""
    data: dict[str, object] = {}
    errors = session.cell_errors(sheet)
    position = {r: i for i, r in enumerate(rows)} if errors else {}
    lang = session.lang()
    date_order = _table_date_order(table, columns, cells)
    for key, col in columns.items():
        raw = cells[col]
        spec_col = table.column(key) if key in table.key_set else None
        letter = get_column_letter(col)
        for ref, error in errors.items():
            r = int(ref[len(letter):]) if ref.startswith(letter) and ref[
                len(letter):].isdigit() else None
            if r in position and (spec_col is None or spec_col.is_input):
                unreadable.setdefault(key, set()).add(position[r])
                session.findings.append(finding(
                    "error_value", sheet=sheet, cell=ref, row=r, column=key, value=error,
                    table=table.name, label=spec_col.label.get(lang) if spec_col else key))
        fast = raw if isinstance(raw, fastread.FastColumn) else None
        if spec_col is None or not spec_col.is_input:
            # custom fields and formula columns are kept as they are
            data[key] = fast.kept() if fast is not None else raw
            continue
        typed = fast.typed(spec_col, lang) if fast is not None else None
        if typed is not None:  # clean: normalising would change and report nothing
            data[key] = typed
            continue
        values, issues = normalise_column(spec_col, fast.values() if fast is not None
                                          else raw, lang, date_order)
        for i, code, original in issues:
            if code == "invalid":
                unreadable.setdefault(key, set()).add(i)
            session.findings.append(issue_finding(spec_col, code, original, sheet,
                                                   f"{letter}{rows[i]}", rows[i],
                                                   table.name, lang))
        data[key] = values
    import numpy as np
    import pandas as pd  # imported while a large table is still being read (see above)

    for key, values in data.items():  # the frame owns its arrays: writable, not shared
        if isinstance(values, np.ndarray) and not values.flags.writeable:
            data[key] = values.copy()
    # every spec column is present, even if the sheet lacks it: after the others, an
    # object column of None, as ``frame[key] = None`` would add it (at a tenth of the
    # cost: inserting a column into a frame takes 0.2 ms)
    height = len(next(iter(data.values()))) if data else 0
    for key in [c.key for c in table.columns if c.key not in data]:
        data[key] = np.full(height, None, dtype=object)
    # ``data`` holds exactly ``columns`` in order, each a fresh list or array: nothing to
    # reorder or copy (a third of the time of building a small table's frame)
    return pd.DataFrame(data, copy=False)


_DATE_TYPES = (ColumnType.DATE, ColumnType.MONTH)
#: a number and a word beside it (``1,500 Dollars``, ``300 pcs``)
_WORD_AND_NUMBER = re.compile(r"\d.*[^\W\d_]{2}|[^\W\d_]{2}.*\d")


def _table_date_order(table: Table, columns: dict[str, int],
                      cells: dict[int, list[object] | fastread.FastColumn]
                      ) -> DateOrder | None:
    """The order the ``10/20/2026``-style dates of ``table``'s date columns prove, for
    those of its date columns whose own dates prove none (:mod:`xlsales.slash_dates`).

    One table, as one export, is read in one order: such dates are text that Excel did
    not take for dates (what it takes, it stores as dates), so they were pasted from an
    export, and the date columns of one row come from the same one; a column already
    shares its order among its rows, which may have been pasted from several. Each date
    read so is an info finding naming the order, and where two columns prove different
    orders, nothing is borrowed."""
    texts = []
    for key, col in columns.items():
        column = table.column(key) if key in table.key_set else None
        if column is None or not column.is_input or column.type not in _DATE_TYPES:
            continue
        raw = cells[col]
        values = raw.values() if isinstance(raw, fastread.FastColumn) else raw
        if any(type(v) is str for v in values):  # dates alone prove nothing: the fast path
            texts.append(values)
    if len(texts) < 2:
        return None
    order = shared_order(texts)
    return DateOrder(order, "file") if order is not None else None


def _months_of(original: object) -> dict[str, str]:
    """What a month cell typed as a quarter or a year (``2026-Q3``) is told: one row per
    month, naming them; nothing for other text."""
    from xlsales.errors import UsageError
    from xlsales.periods import Period, PeriodType

    try:
        period = Period.parse(str(original)) if isinstance(original, str) else None
    except UsageError:
        period = None
    if period is None or period.type is PeriodType.MONTH:
        return {"per_month_zh": "", "per_month_en": ""}
    months = [m.label for m in period.months_in()]
    shown = months if len(months) <= 3 else [months[0], "…", months[-1]]
    return {"per_month_zh": f"{period.label} 请按月各写一行（{'、'.join(shown)}，"
                            f"共 {len(months)} 行）。",
            "per_month_en": f" For {period.label}, write one row per month ("
                            f"{', '.join(shown)}: {len(months)} rows)."}


def issue_finding(column: Column, code: str, original: object, sheet: str, cell: str,
                   row: int, table: str, lang: Lang, year: int | None = None) -> Finding:
    """The finding for a value of ``column`` normalisation repaired or could not read (a
    date without its year shown in ``year``, the period's; default: this year)."""
    label = column.label.get(lang)
    common = dict(sheet=sheet, cell=cell, row=row, column=column.key, value=original,
                  table=table, label=label)
    if code != "invalid":
        zh, en = CONVERSIONS[code]
        return finding("converted", detail_zh=zh, detail_en=en, **common)
    t = column.type
    if t is ColumnType.MONTH:
        return finding("bad_month", **_months_of(original), **common)
    if t is ColumnType.DATE:
        why = {lang_: unread_date_why(original, lang_, CELL_ORDER, year)
               for lang_ in ("zh", "en")}
        return finding("bad_date", why_zh=why["zh"], why_en=why["en"], **common)
    if t is ColumnType.CHOICE and column.choices is not None:
        from xlsales.validation.list_hint import hint  # a typo's likely meaning: Wonn → Won

        labels = column.choices.labels(lang)
        return finding("not_allowed", allowed=" / ".join(labels), **hint(original, labels),
                       **common)
    if too_many_digits(original):
        if t in (ColumnType.TEXT, ColumnType.LIST) and isinstance(original, int | float):
            # as Excel's General format shows it: the digits quoted otherwise are nowhere
            return finding("id_as_number", shown=f"{float(original):.6G}", **common)
        return finding("number_too_long", **common)
    meant = decimal_comma(original)
    if meant is not None:  # 1.234,56: a European export's decimal comma
        return finding("decimal_comma", meant=meant, **common)
    number = parse_number(original)[0] if t is not ColumnType.MONEY else None
    if isinstance(number, float) and currency_marked(original):  # ¥2,000 as a quantity
        return finding("currency_not_amount", number=f"{number:.15g}", **common)
    if t is ColumnType.MONEY and isinstance(original, str) and _WORD_AND_NUMBER.search(
            original):  # 1,500 Dollars: retyped as 1500 it would count in this currency
        return finding("amount_with_word", **common)
    return finding("bad_number", **common)
