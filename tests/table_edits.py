"""Editing a built workbook's tables as Excel saves them (test helper)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from xlsales.io.ooxml import read_layout
from xlsales.spec.declarations import SALES


def _letter(index: int) -> str:
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


def with_totals_row(src: Path, dst: Path, below: str = "") -> int:
    """``src`` saved as ``dst`` with the Sales table's totals row turned on as Excel saves
    it: the range one row longer (``totalsRowCount``), a label in its first column and
    ``SUBTOTAL(109, …)`` of the amounts with its cached sum in the totals row; ``below``
    is a row's cells XML typed under the totals row. The totals row's number."""
    with zipfile.ZipFile(src) as zin:
        layout = read_layout(zin)
        info = next(t for t in layout.tables if t.name == "Sales")
        sheet_part = layout.sheet(info.sheet).part
        table = zin.read(info.part).decode()
        start, end = info.ref.split(":")
        last_col, last_row = re.fullmatch(r"([A-Z]+)(\d+)", end).groups()
        totals = int(last_row) + 1
        amount = info.columns.index(SALES.column("amount").label.get(
            "zh" if "金额" in info.columns else "en"))
        table = table.replace(f'ref="{info.ref}" totalsRowShown="0"',
                              f'ref="{start}:{last_col}{totals}" totalsRowCount="1"', 1)
        table = table.replace(f'name="{info.columns[0]}"',
                              f'name="{info.columns[0]}" totalsRowLabel="Total"', 1)
        table = table.replace(f'name="{info.columns[amount]}"',
                              f'name="{info.columns[amount]}" totalsRowFunction="sum"', 1)
        wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
        total = sum(r[amount] for r in wb[info.sheet].iter_rows(
            min_row=int(start[1:]) + 1, max_row=int(last_row), values_only=True)
                    if isinstance(r[amount], (int, float)))
        wb.close()
        col = _letter(amount)
        row = (f'<row r="{totals}"><c r="A{totals}" t="inlineStr"><is><t>Total</t></is></c>'
               f'<c r="{col}{totals}"><f>SUBTOTAL(109,Sales[{info.columns[amount]}])</f>'
               f"<v>{total}</v></c></row>{below}")
        sheet = zin.read(sheet_part).decode()
        assert f'<row r="{totals}"' not in sheet
        sheet = sheet.replace("</sheetData>", row + "</sheetData>", 1)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = {info.part: table.encode(), sheet_part: sheet.encode()}.get(
                    item.filename, zin.read(item.filename))
                zout.writestr(item, data)
    return totals


def saved_on(path: Path, when: str) -> None:
    """Rewrite the last-saved time ``path`` records inside (``dcterms:modified``, as
    Excel does on saving) to ``when`` (``2026-10-30T08:00:00Z``)."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + when.encode() + rb"\g<2>", parts["docProps/core.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def typed_sales(folder: Path, lang: str, typed: dict[str, list[object]],
                name: str = "typed.xlsx") -> Path:
    """A book as `xlsales new --lang LANG --period 2026-10` makes it, saved by openpyxl
    as ``folder/name`` with one won sale per row from row 5 (order ``O0``, ``O1`` …, dated
    2026-10-03, rep Alice/张伟, customer Acme/甲公司, amount 100): ``typed`` gives, by
    column letter, what is typed into that column's cells instead, one per row."""
    from datetime import date

    from click.testing import CliRunner

    from xlsales.cli import main

    made = folder / f"new_{lang}.xlsx"
    args = ["new", "--lang", lang, "--period", "2026-10", "-o", str(made)]
    assert CliRunner().invoke(main, args).exit_code == 0
    wb = openpyxl.load_workbook(made)
    ws = wb["Sales" if lang == "en" else "销售记录"]
    en = lang == "en"
    for i in range(len(next(iter(typed.values())))):
        row = {"A": f"O{i}", "B": date(2026, 10, 3), "C": "Alice" if en else "张伟",
               "E": "Acme" if en else "甲公司", "J": 100, "K": "Won" if en else "成交"}
        row.update({letter: values[i] for letter, values in typed.items()})
        for letter, value in row.items():
            ws[f"{letter}{5 + i}"] = value
    book = folder / name
    wb.save(book)
    return book
