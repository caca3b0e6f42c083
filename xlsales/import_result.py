"""What an import of a CRM export made of it (:class:`ImportResult`): the typed rows to
append and everything the report says of them, as :func:`~xlsales.importer.prepare_import`
fills it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from xlsales.import_currency import Marked
from xlsales.import_currency_column import AmountChoice
from xlsales.import_decimals import CommaDecimals
from xlsales.import_emails import EmailMatches
from xlsales.import_reasons import Skipped

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class ImportResult:
    """Typed sales rows ready to append, and the report of what happened."""

    frame: pd.DataFrame
    mapping: dict[str, str]  # field key → source column
    unmapped: list[str]
    skipped: list[Skipped] = field(default_factory=list)
    source_rows: list[int] = field(default_factory=list)
    conversions: int = 0  # values repaired in the imported rows
    #: imported rows holding a value outside the spec's range (a negative amount, 150 %):
    #: kept as typed, and said now rather than at the next validation
    flagged: list[Skipped] = field(default_factory=list)
    #: percent fields whose header says its numbers are points of 100 (``Probability
    #: (%)``: :mod:`xlsales.import_percent`) → how many numbers of the imported rows were
    #: divided by 100
    percent_points: dict[str, int] = field(default_factory=dict)
    #: of those, how many numbers were kept because their xlsx cell is formatted as
    #: percent (0.5 shown as 50 %), and the fields whose numbers divided were all 1 or
    #: less (0.5 read as 0.5 %: fractions, more likely)
    percent_formatted: dict[str, int] = field(default_factory=dict)
    percent_small: set[str] = field(default_factory=set)
    #: money fields whose header gives the unit of its numbers (``金额（万元）``:
    #: :mod:`xlsales.import_units`) → (the factor, how many numbers of the imported rows
    #: were multiplied by it)
    unit_scaled: dict[str, tuple[float, int]] = field(default_factory=dict)
    #: optional fields → how many imported rows hold a value of them that cannot be read
    #: (``舊客戶`` before it was an alias, ``一百`` as an amount), written as exported: the row
    #: is not lost for it, validation flags the cell until it is corrected
    as_exported: dict[str, int] = field(default_factory=dict)
    #: imported amounts whose text named a currency (``NT$61,600``), in export order: the
    #: import compares them with the workbook's currency (:mod:`xlsales.import_currency`)
    marked: list[Marked] = field(default_factory=list)
    #: the rows skipped because the workbook already holds their order, as ``frame``'s
    #: rows are (:mod:`xlsales.import_changes` compares them with the workbook's), their
    #: export rows, their orders and their amounts whose text named a currency
    in_book: pd.DataFrame | None = None
    in_book_rows: list[int] = field(default_factory=list)
    in_book_orders: list[str] = field(default_factory=list)
    in_book_marked: list[Marked] = field(default_factory=list)
    #: money field → the export's column naming the currency of its amounts
    currency_columns: dict[str, str] = field(default_factory=dict)
    #: which of two amount columns (original, converted) was taken, and why
    amount_choices: list[AmountChoice] = field(default_factory=list)
    #: rows that are the export's totals or footers (``合计``, Salesforce's ``Total`` and
    #: ``Confidential Information …``), no data: left out, and how many, and the first's
    #: text
    footers: int = 0
    footer_example: str = ""
    #: date field → how its ``11/1/2026``-style dates were read (the conversion code:
    #: ``month_first``, ``day_first_file``, ``month_first_given`` …), one as written and
    #: the date it is: the report says it, the order is never taken silently
    dates_ordered: dict[str, tuple[str, object, date]] = field(default_factory=dict)
    #: rows of reps ``--rep`` did not name: left out, counted only
    other_reps: int = 0
    #: the workbook's custom column → the export's column filling it
    custom: dict[str, str] = field(default_factory=dict)
    #: what says the export writes its numbers with a decimal comma (``1.234,50 €``), so
    #: that they were read so (:mod:`xlsales.import_decimals`); None: with a point
    comma_decimals: CommaDecimals | None = None
    #: (column, first row, last row) of a workbook export's cells merged over rows, whose
    #: value was filled into each row (:mod:`xlsales.import_source`)
    merged: list[tuple[str, int, int]] = field(default_factory=list)
    #: (column, unit) of the units row under the export's header that no header takes
    #: (``CNY`` under ``金额``): read as the header's part, set aside, said in the report
    units_aside: list[tuple[str, str]] = field(default_factory=list)
    #: owners exported as email addresses matched to reps by pinyin, or fitting several
    #: (:mod:`xlsales.import_emails`)
    emails: EmailMatches = field(default_factory=EmailMatches)
