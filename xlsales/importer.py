"""Read a CRM export (CSV in UTF-8/UTF-8 BOM/GBK/GB18030/Big5, or xlsx) as sales records.

Columns map onto the spec's field keys automatically where a header equals a
field's key or label in either language (Chinese in Simplified or Traditional
characters) or what CRMs call it, or as the user says (``--map field=Column``,
``--mapping FILE``): :mod:`xlsales.import_mapping`; a column naming each row's currency
is read too (:mod:`xlsales.import_currency_column`). Values are normalised like the
reader does; rows that cannot become a sales record are skipped with a reason
(:mod:`xlsales.import_reasons`). Rows dated outside the period are kept: they are
history.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.currency import own_currencies
from xlsales.import_changes import row_differences
from xlsales.import_currency import Marked, marked_amounts
from xlsales.import_currency_column import (
    column_marked,
    currency_units,
    map_export,
    units_marked,
)
from xlsales.import_custom import as_exported, custom_sources
from xlsales.import_dates import export_date_order
from xlsales.import_decimals import NUMBER_TYPES, comma_decimals
from xlsales.import_emails import EmailMatches
from xlsales.import_mapping import export_headers
from xlsales.import_mapping import load_mapping as load_mapping
from xlsales.import_mapping import map_columns as map_columns
from xlsales.import_percent import all_fractions, as_fractions, says_percent
from xlsales.import_reasons import (
    Skipped,
    by_row,
    lost_digits,
    out_of_range,
    repeated,
    unusable,
)
from xlsales.import_reps import is_other_rep, rep_column_missing, wanted_rows
from xlsales.import_result import ImportResult as ImportResult
from xlsales.import_source import (
    HEADER_ROW,
    MERGED_FILLED,
    OVERFLOW,
    PERCENT_CELLS,
    SHEET,
    UNITS_ROW,
    read_export,
)
from xlsales.import_suggest import fields_not_found, map_example, refuse_won_without_amount
from xlsales.import_units import scaled, unit_factor
from xlsales.io.reader_notes import is_note_text, is_total_label
from xlsales.normalise import normalise_column
from xlsales.parse_numbers import with_decimal_point
from xlsales.spec import SPEC, ColumnType
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd


#: What exports put in an empty optional field; read as empty, not as an unreadable value
#: that would cost the whole row.
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "–", "n/a", "na", "#n/a", "null", "none",
                          "无", "暂无", "空", "/"})
#: :data:`PLACEHOLDERS` as compared (Traditional 無 and 暫無 too)
_PLACEHOLDER_KEYS = frozenset(name_key(p) for p in PLACEHOLDERS)
_WHOLE_NUMBER_TEXT = re.compile(r"^\d+\.0+$")


def id_key(value: object) -> str | None:
    """The text an order ID is compared by: trimmed, full-width characters as half-width
    (``１００４`` is ``1004``), and ``1001.0`` (a number cell, or a number another program
    wrote as text) is ``"1001"``; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if _WHOLE_NUMBER_TEXT.match(text):
        text = text.split(".", 1)[0]
    return text or None


def read_table_file(path: Path, explicit: Mapping[str, str] | None = None) -> pd.DataFrame:
    """All cells of the export at ``path`` below its header row (see
    :func:`xlsales.import_source.read_export`); the header is found by the sales fields'
    names and the columns ``explicit`` maps."""
    return read_export(path, export_headers(explicit))


def _as_text(value: object) -> object:
    """A number read from an xlsx cell of a text field (IDs, names) as its text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def prepare_import(source: pd.DataFrame, explicit: dict[str, str],
                   existing_ids: set[str] | None = None,
                   book_currency: object = None, date_order: str | None = None, *,
                   reps: Sequence[str] = (), custom: Sequence[str] = (),
                   year: int | None = None, listed_reps: Sequence[object] = ()
                   ) -> ImportResult:
    """Typed sales rows from an export: mapped, normalised, with skipped rows explained.

    Blank rows are dropped silently; rows with an unreadable value of a required field or
    a missing one, and rows whose order ID is already in the workbook (``existing_ids``)
    or earlier in the export, are skipped with a reason. An optional field's value that
    cannot be read keeps its row: it is imported as exported (text, never a formula) and
    the row is listed with those validation will flag. Amounts whose mark or currency
    column names a currency are listed (``marked``) to compare with the workbook's,
    ``book_currency`` (its basic information's; empty: CNY), which also decides between a
    CRM's original and converted amount columns. ``date_order`` (``mdy``/``dmy``) is the
    order of the export's ``11/1/2026``-style dates where its own dates prove none
    (:mod:`xlsales.import_dates`). With ``reps`` (``--rep``), only the rows of those reps
    are imported, the others counted (:mod:`xlsales.import_reps`); an owner exported as an
    email address naming one of the workbook's ``listed_reps`` (else of ``reps``) is that
    rep before ``reps`` is matched (``--rep "Alice Chen"`` takes ``alice.chen@corp.com``).
    The workbook's ``custom`` columns are filled from the export's columns ``explicit``
    names, or of the
    same header (:mod:`xlsales.import_custom`). A date without its year is said to need it
    with ``year`` (the workbook's period's) as the example."""
    table = SPEC.table("Sales")
    headers = [str(h) for h in source.columns]
    mapping, currency_cols, choices = map_export(source, explicit,
                                                 own_currencies(book_currency), custom)
    required = [c for c in table.columns if c.required and c.is_input]
    absent = [c for c in required if c.key not in mapping]
    if reps and [c.key for c in absent] == ["rep"]:  # --rep: which column names the rep
        raise rep_column_missing(reps, map_example(
            [table.column("rep")], [h for h in headers if h not in mapping.values()]))
    if absent:
        raise fields_not_found(absent, headers, list(mapping.values()))
    # one order for the export's 10/20/2026-style dates: --date-order's, or its columns'
    dates_in = export_date_order(source, mapping, table, date_order)
    # one decimal mark for the export's numbers: a comma, when they prove it (999,99)
    commas = comma_decimals(source, mapping, table)
    first_row = int(source.attrs.get(HEADER_ROW, 1)) + 1
    overflow: dict[int, list[object]] = source.attrs.get(OVERFLOW, {})
    # every value of a CSV is text: reading 1200 or 2026-11-03 from it repairs nothing
    expected_from_text = set() if SHEET in source.attrs else {"number_as_text", "text_date"}
    data: dict[str, list[object]] = {}
    bad: dict[int, list[tuple[str, object]]] = {}  # required fields: the row is skipped
    kept: dict[int, list[tuple[str, object]]] = {}  # optional ones: imported as exported
    marked: dict[tuple[int, str], Marked] = {}  # amounts naming their currency
    repairs: Counter[int] = Counter()  # position → values repaired in that row
    divided: dict[str, set[int]] = {}  # percent field → positions divided by 100
    formatted: dict[str, set[int]] = {}  # percent field → positions formatted as percent
    cell_formats: dict[str, set[int]] = source.attrs.get(PERCENT_CELLS, {})
    read_as: dict[str, list[object]] = {}  # percent field → numbers before dividing
    units: dict[str, tuple[float, set[int]]] = {}  # money field → factor, positions scaled
    dates_ordered: dict[str, tuple[str, object, date]] = {}
    # the units row's currency under a money field's header (CNY, 人民币, USD)
    aside, header_currency = currency_units(source.attrs.get(UNITS_ROW, []), mapping, table)
    for key, header in mapping.items():
        column = table.column(key)
        raw = source[header].tolist()
        lost: dict[int, str] = {}  # an ID whose digits Excel lost: 6.01E+17
        if column.type is ColumnType.TEXT:
            lost = {i: shown for i, v in enumerate(raw) if (shown := lost_digits(v))}
            raw = [_as_text(v) for v in raw]
        exported = raw  # as the report quotes them
        if commas is not None and column.type in NUMBER_TYPES:  # 1.234,50 € is 1234.50 €
            raw = [with_decimal_point(v) for v in raw]
        if not column.required:
            blanked = [None if isinstance(v, str) and name_key(v) in _PLACEHOLDER_KEYS else v
                       for v in raw]
            repairs.update(i for i, (a, b) in enumerate(zip(raw, blanked, strict=True))
                           if a is not b)
            raw = blanked
        values, issues = normalise_column(column, raw, date_order=dates_in)
        if raw is not exported:
            issues = [(i, code, exported[i]) for i, code, _ in issues]
        if lost:
            issues = [x for x in issues if x[0] not in lost] + [
                (i, "invalid", shown) for i, shown in lost.items()]
        if says_percent(column, header):  # Probability (%): 10 is 10 %
            formatted[key] = cell_formats.get(header, set())
            read_as[key] = list(values)
            values, divided[key] = as_fractions(values, raw, formatted[key])
        if (factor := unit_factor(column, header)) is not None:  # 金额（万元）: 1.2 is 12,000
            values, done = scaled(values, raw, factor)
            units[key] = factor, done
        values = list(values)
        if column.type is ColumnType.MONEY:
            found = marked_amounts(exported, values, key, first_row)
            if (beside := currency_cols.get(key)) is not None:  # a mark in the amount wins
                found = column_marked(exported, values, source[beside].tolist(), key, beside,
                                      first_row) | found
            elif (unit := header_currency.get(header)) is not None:  # USD under 金额
                found = units_marked(exported, values, unit, key, header, first_row) | found
            marked.update({(i, key): m for i, m in found.items()})
        for i, code, original in issues:
            if code.startswith(("month_first", "day_first")) and key not in dates_ordered:
                dates_ordered[key] = code, original, values[i]
            if code == "invalid" and column.required:
                bad.setdefault(i, []).append((key, original))
            elif code == "invalid":
                values[i] = original if isinstance(original, str) else _as_text(original)
                kept.setdefault(i, []).append((key, original))
            elif code not in expected_from_text:
                repairs[i] += 1
        data[key] = values
    emails = EmailMatches()  # owners' addresses matched by pinyin, or to several reps
    wanted, named = wanted_rows(reps, data["rep"], mapping["rep"], listed_reps, emails)
    repairs.update(named)
    refuse_won_without_amount(data, mapping, headers, source)
    import pandas as pd

    frame = pd.DataFrame(data)
    # the converted amount's currency column decided which amount was taken: used too
    used = {*mapping.values(), *currency_cols.values(), *(c.currency for c in choices)}
    filled = custom_sources(custom, headers, used, explicit)
    for name, header in filled.items():
        frame[name] = as_exported(source[header].tolist())
    used |= set(filled.values())
    unused = [h for h in headers if h not in used
              and not source[h].map(is_blank).all()]  # an empty column loses nothing
    result = ImportResult(frame, mapping, unused, currency_columns=currency_cols,
                          amount_choices=choices, dates_ordered=dates_ordered,
                          custom=filled, merged=source.attrs.get(MERGED_FILLED, []),
                          units_aside=aside,
                          comma_decimals=commas, emails=emails)
    keep = []
    in_book: list[tuple[int, str]] = []  # (position, order) of rows BOOK already holds
    seen: dict[str, int | None] = {k: None for v in existing_ids or () if (k := id_key(v))}
    keys = list(data)
    complete = [i for i, values in enumerate(zip(*(data[c.key] for c in required),
                                                 strict=True))
                if not any(is_blank(v) for v in values)]
    last_complete = complete[-1] if complete else -1
    for i, values in enumerate(zip(*(data[k] for k in keys), strict=True)):
        row_no = first_row + i
        row = dict(zip(keys, values, strict=True))
        if all(is_blank(v) for v in values):
            continue
        if is_other_rep(row["rep"], wanted):  # --rep: another rep's row, counted only
            result.other_reps += 1
            continue
        if (any(is_blank(row[c.key]) for c in required) and i not in overflow and (
                said := _footer(source.iloc[i].tolist(), i > last_complete))):
            result.footers += 1
            result.footer_example = result.footer_example or said
            continue
        if i in overflow:
            extra = ", ".join(repr(v) for v in overflow[i][:3])
            result.skipped.append(Skipped(
                row_no, f"比表头多出 {len(overflow[i])} 个值（{extra}）：值中的分隔符或引号？",
                f"{len(overflow[i])} more values than the header has columns ({extra}): a "
                "delimiter or quote inside a value?"))
            continue
        lacking = [c.key for c in required if is_blank(row[c.key])]
        unreadable = bad.get(i, [])
        if unreadable or lacking:
            result.skipped.append(unusable(row_no, unreadable, lacking, table, year,
                                           book_currency))
            continue
        order = id_key(row["order_id"])
        assert order is not None  # order_id is required
        if order in seen:
            first = seen[order]
            if first is None:
                result.skipped.append(Skipped(row_no, f"订单编号 {order} 已在工作簿中",
                                              f"order {order} is already in the workbook",
                                              duplicate=True))
                in_book.append((i, order))
            else:  # a repeat, or another line of the order (revenue the row holds)
                result.skipped.append(repeated(row_no, order, first, row_differences(
                    _row_at(data, first - first_row), row)))
            continue
        seen[order] = row_no
        keep.append(i)
    result.frame = frame.iloc[keep].reset_index(drop=True)
    result.source_rows = [first_row + i for i in keep]
    result.in_book = frame.iloc[[i for i, _ in in_book]].reset_index(drop=True)
    result.in_book_rows = [first_row + i for i, _ in in_book]
    result.in_book_orders = [o for _, o in in_book]
    order = {c.key: n for n, c in enumerate(table.columns)}
    unreadable = [unusable(first_row + i, sorted(kept[i], key=lambda kv: order[kv[0]]), [],
                            table, year, book_currency) for i in keep if i in kept]
    result.flagged = by_row(unreadable + out_of_range(result.frame, result.source_rows,
                                                       table))
    for i in keep:
        for key, _ in kept.get(i, ()):
            result.as_exported[key] = result.as_exported.get(key, 0) + 1
    result.as_exported = {c.key: result.as_exported[c.key] for c in table.columns
                          if c.key in result.as_exported}  # in the table's order
    kept_rows = set(keep)
    result.marked = [m for (i, _), m in sorted(marked.items()) if i in kept_rows]
    in_book_at = {i for i, _ in in_book}
    result.in_book_marked = [m for (i, _), m in sorted(marked.items()) if i in in_book_at]
    # what the report counts is what BOOK receives: the imported rows' values only
    result.conversions = sum(repairs[i] for i in keep)
    result.percent_points = {k: len(rows & kept_rows) for k, rows in divided.items()}
    result.percent_formatted = {
        k: sum(1 for i in rows & kept_rows if isinstance(read_as[k][i], float))
        for k, rows in formatted.items()}
    result.percent_small = {k for k, rows in divided.items()
                            if all_fractions(read_as[k], rows & kept_rows)}
    result.unit_scaled = {k: (f, len(rows & kept_rows)) for k, (f, rows) in units.items()}
    return result


def _row_at(data: Mapping[str, list[object]], at: int) -> dict[str, object]:
    """The row at position ``at`` of the export's fields' values ``data``."""
    return {key: values[at] for key, values in data.items()}


def _footer(cells: list[object], trailing: bool) -> str | None:
    """What makes an export's row lacking a required field a total or a footer, not a
    broken row: a total's label (``合计``, ``Total``) or a note (``注：…``) as validate reads
    them below a table (:mod:`xlsales.io.reader_notes`), or, below the last full row
    (``trailing``), one text alone (``Confidential Information - Do Not Distribute``,
    ``Copyright …``); None when it is none of these."""
    filled = [v for v in cells if not is_blank(v)]
    said = next((v for v in filled if is_total_label(v)), None)
    if said is None and filled and is_note_text(filled[0]):
        said = filled[0]
    if said is None and trailing and len(filled) == 1 and isinstance(filled[0], str):
        said = filled[0]
    return None if said is None else str(said).strip()
