"""A workbook written in Traditional Chinese as Excel's 简转繁 (Review → Chinese Conversion)
leaves it (test helper): OpenCC converts the text; the references Excel renames with the
headers and sheets they name follow."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from opencc import OpenCC

_BRACKETED = re.compile(r"\[([^\[\]#][^\[\]]*)\]")  # a column of a structured reference
_STRING = re.compile(r'"(?:[^"]|"")*"')


def convert_workbook(source: Path, target: Path, config: str = "s2t") -> None:
    """``source`` with every text cell, table header and sheet name converted by OpenCC's
    ``config``, and, as Excel renames them with the headers and sheets, the column and
    sheet names in formulas, calculated columns and defined names (a formula's string
    literals stay as they are: Excel does not convert formulas)."""
    import openpyxl

    convert = OpenCC(config).convert
    wb = openpyxl.load_workbook(source)
    renamed = {ws.title: convert(ws.title) for ws in wb.worksheets}
    follow = _references(convert, renamed)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value
                    cell.value = follow(text) if text.startswith("=") else convert(text)
                elif hasattr(cell.value, "text") and isinstance(cell.value.text, str):
                    cell.value.text = follow(cell.value.text)  # an array formula
        for table in ws.tables.values():
            for column in table.tableColumns:
                column.name = convert(column.name)
                calc = column.calculatedColumnFormula
                if calc is not None and calc.attr_text:
                    calc.attr_text = follow(calc.attr_text)
    for ws in wb.worksheets:
        ws.title = renamed[ws.title]
    names = [*wb.defined_names.values(), *(n for ws in wb.worksheets
                                           for n in ws.defined_names.values())]
    for name in names:
        if name.attr_text:
            name.attr_text = follow(name.attr_text)
    wb.save(target)


def _references(convert: Callable[[str], str], renamed: dict[str, str]
                ) -> Callable[[str], str]:
    """A formula with the column names of its structured references converted and its
    references to a renamed sheet following it; string literals as they are."""
    def code(text: str) -> str:
        text = _BRACKETED.sub(lambda m: f"[{convert(m[1])}]", text)
        for old, new in renamed.items():
            text = text.replace(f"'{old}'!", f"'{new}'!").replace(f"{old}!", f"{new}!")
        return text

    def follow(formula: str) -> str:
        out, at = [], 0
        for m in _STRING.finditer(formula):
            out += [code(formula[at:m.start()]), m[0]]
            at = m.end()
        return "".join([*out, code(formula[at:])])

    return follow
