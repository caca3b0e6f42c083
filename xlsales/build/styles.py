"""Cell formats of the template, one set per workbook (XlsxWriter formats are per workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from xlsales.spec.declarations import SINCE_FIRST_RECORD
from xlsales.spec.model import UNIT_TYPES, ColumnType, Lang, Unit
from xlsales.values import is_blank

FONT = {"zh": "Microsoft YaHei", "en": "Calibri"}
MONEY_FORMAT = {"zh": "¥#,##0.00", "en": "#,##0.00"}
DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"
PERCENT_FORMAT = "0.0%"

TABLE_STYLE = "Table Style Medium 2"
CALC_FILL = "#EDEDED"
#: Header cells are formatted explicitly (not only by the table style) so that
#: LibreOffice and WPS, which ignore Excel table styles, show them too.
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True,
          "border": 1, "border_color": "#BFBFBF"}
REQUIRED_FILL = "#FFC7CE"
REQUIRED_FONT = "#9C0006"


@dataclass
class Styles:
    """The formats a built workbook uses, keyed by meaning rather than look."""

    title: Format
    help: Format
    header: Format
    header_required: Format
    text: Format
    wrap: Format
    integer: Format
    number: Format
    money: Format
    percent: Format
    date: Format
    month: Format
    calc: Format
    key: Format
    missing: Format
    since_first: Format  # a date shown as words: the to-date window's start

    @classmethod
    def create(cls, wb: Workbook, lang: Lang, currency: object = None) -> Styles:
        """The formats of a workbook in ``lang`` whose amounts are in ``currency`` (its
        basic information's; CNY when None: :func:`money_number_format`)."""
        font = {"font_name": FONT[lang], "font_size": 10}

        def fmt(**kw: object) -> Format:
            return wb.add_format({**font, "valign": "top", **kw})

        return cls(
            title=fmt(bold=True, font_size=14, font_color="#1F3864"),
            help=fmt(italic=True, font_color="#595959"),
            header=fmt(**HEADER),
            header_required=fmt(**HEADER, underline=1),
            text=fmt(),
            wrap=fmt(text_wrap=True),
            integer=fmt(num_format="#,##0"),
            number=fmt(num_format="#,##0.00"),
            money=fmt(num_format=money_number_format(currency, lang)),
            percent=fmt(num_format=PERCENT_FORMAT),
            date=fmt(num_format=DATE_FORMAT),
            month=fmt(num_format=MONTH_FORMAT),
            calc=fmt(bg_color=CALC_FILL, num_format="0.####"),
            key=fmt(font_color="#7F7F7F"),
            missing=wb.add_format({"bg_color": REQUIRED_FILL, "font_color": REQUIRED_FONT}),
            since_first=fmt(num_format=f'"{SINCE_FIRST_RECORD.get(lang)}"'),
        )

    def for_type(self, column_type: ColumnType) -> Format:
        """Default format of a column of ``column_type``."""
        return {
            ColumnType.INTEGER: self.integer,
            ColumnType.NUMBER: self.number,
            ColumnType.MONEY: self.money,
            ColumnType.PERCENT: self.percent,
            ColumnType.DATE: self.date,
            ColumnType.MONTH: self.month,
            ColumnType.CALC: self.calc,
        }.get(column_type, self.text)

    def for_unit(self, unit: Unit) -> Format:
        """Format of a KPI value of ``unit``."""
        return self.for_type(UNIT_TYPES[unit])


def money_number_format(currency: object, lang: Lang) -> str:
    """The number format of an amount in a workbook kept in ``currency``: the template's
    (``¥#,##0.00`` in a zh book, a bare ``#,##0.00`` in an en one) for the yuan or a book
    naming none; else the amount followed by its currency (``#,##0.00 "SGD"``, as the
    KPI report shows it), never ``¥`` before an SGD or HKD amount."""
    from xlsales.currency import book_currencies, money_unit
    from xlsales.io.sheetcontent import money_format

    if is_blank(currency) or not str(currency).strip() or \
            book_currencies(currency) == frozenset({"CNY"}):
        return MONEY_FORMAT[lang]
    return money_format(money_unit(currency, lang))
