"""Amounts an export marks with a currency other than the workbook's.

An amount written ``NT$61,600`` or ``61,600 TWD`` reads as 61600: the mark is read
(:data:`~xlsales.parse_numbers.CURRENCY_MARKS`), never converted at any rate; so is the
row's currency named in a column of its own (``Amount Currency``, 币种:
:mod:`xlsales.import_currency_column`). When the
mark names another currency than the workbook's (its basic information's ``currency``,
CNY unless a team changed it), the import says so, with the rows, and writes the amount
with its currency (:mod:`xlsales.import_marked_cells`), so that nobody adds New Taiwan
dollars to yuan without knowing; else it is written as its number. A mark any currency
writes (``$``) names none; ``¥`` names the yuan or the yen, ``元`` the yuan, the New
Taiwan or the Hong Kong dollar, and agrees with any of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xlsales.currency import (
    CURRENCY_FIELD,
    currency_name,
    names_other_currency,
    own_currencies,
)
from xlsales.parse_numbers import currency_of
from xlsales.spec import SPEC, Lang


@dataclass(frozen=True)
class Marked:
    """An imported amount whose text named its currency."""

    row: int  # the export's row
    field: str  # money field key
    text: str  # as exported
    currencies: frozenset[str]  # what its mark may stand for (ISO codes)
    #: the export's column naming the row's currency, and its value there, when the
    #: currency is said beside the amount rather than by a mark in it
    column: str | None = None
    named: str | None = None
    #: named, as ``named``, by the units row under the export's header (``USD`` under
    #: ``金额``) rather than in the row
    by_header: bool = False

    @property
    def name(self) -> str:
        """The currency as said in the report: ``TWD``, ``CNY/JPY`` for ``¥``."""
        return currency_name(self.currencies)


def marked_amounts(raw: Sequence[object], numbers: Sequence[object], key: str,
                   first_row: int) -> dict[int, Marked]:
    """The amounts of money field ``key`` read as numbers (``numbers``) from text that
    names a currency (``raw``), by position; ``first_row`` is the export's row of
    position 0."""
    out = {}
    for i, (text, number) in enumerate(zip(raw, numbers, strict=True)):
        if isinstance(text, str) and isinstance(number, float):
            currencies = currency_of(text)
            if currencies:
                out[i] = Marked(first_row + i, key, text, currencies)
    return out


def in_other_currency(marked: Sequence[Marked], book: object) -> dict[str, list[Marked]]:
    """The amounts of ``marked`` whose mark cannot name the workbook's currency ``book``
    (every one when ``book`` names none), by the currency they name."""
    own = own_currencies(book)
    out: dict[str, list[Marked]] = {}
    for m in marked:
        if names_other_currency(m.currencies, own):
            out.setdefault(m.name, []).append(m)
    return out


def currency_lines(other: dict[str, list[Marked]], book: object, lang: Lang,
                   written: Mapping[tuple[int, str], str] | None = None) -> list[str]:
    """What the import report says of ``other`` (:func:`in_other_currency`), each
    currency's first amount with the text its cell is ``written`` as (``15,000 USD``:
    :mod:`xlsales.import_marked_cells`), for validation to flag until converted."""
    if not other:
        return []
    written = written or {}
    sales, info = SPEC.table("Sales"), SPEC.sheet("info")
    field = next(c for c in SPEC.table("Info").form_fields if c.key == CURRENCY_FIELD)
    sheet, label = info.name.get(lang), field.label.get(lang)
    named = str(book).strip() if isinstance(book, str) and book.strip() else None
    zh = lang == "zh"
    parts = []
    for name, amounts in other.items():
        first = amounts[0]
        column = sales.column(first.field).label.get(lang)
        beside = "" if first.column is None else (
            (f"，表头下注明 {first.named!r}" if zh else
             f", {first.named!r} under the header") if first.by_header else
            f"，{first.column} {first.named!r}" if zh else
            f", {first.column} {first.named!r}")
        if (text := written.get((first.row, first.field))) is not None:
            beside += f"，写为 {text!r}" if zh else f": written {text!r}"
        parts.append(f"{name} {len(amounts):,} 个（如第 {first.row} 行：{column} {first.text!r}"
                     f"{beside}）" if zh else
                     f"{name} {len(amounts):,} (e.g. row {first.row}, {column} "
                     f"{first.text!r}{beside})")
    only = next(iter(other)) if len(other) == 1 and "/" not in next(iter(other)) else None
    into = named or ("工作簿的币种" if zh else "the workbook's currency")
    if zh:
        head = (f"  金额所标货币与工作簿的币种（{named}）不同" if named else
                f"  金额标有货币，但工作簿未注明币种（“{sheet}”表的{label}）")
        line = (head + "，已连同其货币写入单元格、未换算：" + "，".join(parts)
                + f"。校验会在这些单元格报错、工作簿的 KPI 表不计入，直到换算为 {into} 并"
                  "只填数值。请核对")
        if only:
            line += f"；若工作簿本就以 {only} 记账，请把“{sheet}”表的{label}改为 {only}"
        return [line + "。"]
    head = (f"  Amounts marked in another currency than the workbook's ({named})" if named
            else f"  Amounts marked with a currency, but the workbook names none ({label} "
                 f"on the {sheet} sheet)")
    line = (head + ", written with their currency, not converted: " + ", ".join(parts)
            + f". Validation flags each cell, and the workbook's KPI sheet leaves it out, "
              f"until it is converted to {into} and typed as a number. Check them")
    if only:
        line += f"; if the workbook is kept in {only}, set {label} on the {sheet} sheet to {only}"
    return [line + "."]
