"""Cell formats of the template, one set per workbook (XlsxWriter formats are per workbook)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from xlsales.io.sheetcontent import money_format as sheet_money_format
from xlsales.io.sheetxml import text_width
from xlsales.spec.declarations import SINCE_FIRST_RECORD
from xlsales.spec.kpi_model import UNIT_TYPES, Unit
from xlsales.spec.model import ColumnType, Lang

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

    #: characters a money column is widened by for the currency its format shows
    money_extra: float = 0.0

    @classmethod
    def create(cls, wb: Workbook, lang: Lang, money_unit: str | None = None) -> Styles:
        """The formats of a workbook in ``lang``; amounts show ``money_unit`` after the
        number (``#,##0.00 "TWD"``) when given, else the template's (``¥#,##0.00`` in
        Chinese, a bare number in English): see :func:`~xlsales.money_text.shown_unit`."""
        font = {"font_name": FONT[lang], "font_size": 10}
        money_format = MONEY_FORMAT[lang] if not money_unit else \
            sheet_money_format(money_unit)

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
            money=fmt(num_format=money_format),
            percent=fmt(num_format=PERCENT_FORMAT),
            date=fmt(num_format=DATE_FORMAT),
            month=fmt(num_format=MONTH_FORMAT),
            calc=fmt(bg_color=CALC_FILL, num_format="0.####"),
            key=fmt(font_color="#7F7F7F"),
            missing=wb.add_format({"bg_color": REQUIRED_FILL, "font_color": REQUIRED_FONT}),
            since_first=fmt(num_format=f'"{SINCE_FIRST_RECORD.get(lang)}"'),
            money_extra=text_width(money_unit) + 1.0 if money_unit else 0.0,
        )

    def width(self, column_type: ColumnType, width: float | None) -> float | None:
        """The width of a column of ``column_type`` declared ``width`` characters wide:
        an amount's wider by the currency its format shows (``1,234,567.00 TWD``), or its
        longest amounts would show as ``###``."""
        if width is None or column_type is not ColumnType.MONEY:
            return width
        return width + self.money_extra

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

