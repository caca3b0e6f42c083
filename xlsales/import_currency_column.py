"""A column of a CRM export naming each row's currency (``Amount Currency``, 币种).

Many exports keep the currency beside the amount instead of inside it: Salesforce's
``Amount Currency`` (and ``Amount (converted) Currency``), HubSpot's ``Currency``, 币种,
货币, 币别 (:data:`~xlsales.spec.declarations.CURRENCY_HEADERS`; ``--map currency=…``
names any other). Its values (``USD``, ``美元``, ``US$``, ``RMB``) say which currency the
row's amounts are in, as a mark inside the amount does (:mod:`xlsales.import_currency`:
imported as the number, never converted, reported when not the workbook's currency). A
column named after an amount's column (``Amount (converted) Currency``) names that one's
currency; a converted amount's currency is named by no other column.

When an export has two columns for the amount, the original one and one the CRM converted
(Salesforce's ``Amount`` and ``Amount (converted)``), the one in the workbook's currency
is taken: the converted one when its currency column says so in every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from xlsales.currency import book_currencies, currency_name, names_other_currency
from xlsales.errors import UsageError
from xlsales.import_currency import Marked
from xlsales.import_mapping import field_key, map_columns, resolve_header
from xlsales.parse_numbers import CURRENCY_MARKS
from xlsales.spec import SPEC, ColumnType, Lang, Table
from xlsales.spec.declarations import (
    CONVERTED_WORDS,
    CRM_HEADERS,
    CURRENCY_HEADERS,
    CURRENCY_WORDS,
)
from xlsales.spec.traditional import name_key
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd

#: What ``--map`` names the currency column by (its key; 币种, 货币 in Chinese)
CURRENCY_KEY = "currency"
CURRENCY_KEYS = frozenset(name_key(n) for n in (CURRENCY_KEY, "币种", "货币"))
_WORDS = tuple(name_key(w) for w in CURRENCY_WORDS)
_HEADERS = tuple(name_key(h) for h in CURRENCY_HEADERS)
_CONVERTED = tuple(name_key(w) for w in CONVERTED_WORDS)


@dataclass(frozen=True)
class AmountChoice:
    """Of two export columns for one money field, which was taken and why."""

    field: str
    taken: str  # the column whose amounts are imported
    other: str  # the other column for the field
    currency: str  # the currency column of the converted one of the two
    named: str  # the currencies that column names (``CNY``, ``EUR, USD``)
    converted: bool  # True: ``taken`` is the converted one, in the workbook's currency


def split_explicit(explicit: Mapping[str, str],
                   headers: Sequence[str]) -> tuple[dict[str, str], str | None]:
    """``explicit`` (``--map``, ``--mapping``) without the currency column's entry, and
    the export's column it names (refused with advice when the export has none)."""
    fields = {k: v for k, v in explicit.items() if name_key(k) not in CURRENCY_KEYS}
    named = [v for k, v in explicit.items() if name_key(k) in CURRENCY_KEYS]
    if not named:
        return fields, None
    found = resolve_header(named[-1], list(headers))
    if found is None:
        raise UsageError(
            f"导入文件中没有列 {named[-1]}（--map currency=）。文件的列：{', '.join(headers)}。",
            f"The export has no column {named[-1]} (--map currency=). Its columns: "
            f"{', '.join(headers)}.")
    return fields, found


def currency_columns(headers: Sequence[str], mapping: Mapping[str, str],
                     explicit: str | None = None) -> dict[str, str]:
    """Money field → the export column naming the currency of its amounts: ``explicit``
    for every one, else the column named after its column (``Amount Currency``), else
    the first column named as :data:`~xlsales.spec.declarations.CURRENCY_HEADERS` lists
    (not for a converted amount)."""
    table = SPEC.table("Sales")
    free = [h for h in headers if h not in mapping.values()]
    generic = next((h for n in _HEADERS for h in free if name_key(h) == n), None)
    out = {}
    for key, header in mapping.items():
        if table.column(key).type is not ColumnType.MONEY:
            continue
        found = explicit or _paired(header, free) or (
            None if _converted(header) else generic)
        if found is not None:
            out[key] = found
    return out


def _paired(header: str, candidates: Sequence[str]) -> str | None:
    """The column of ``candidates`` named ``header`` and a currency word."""
    base = name_key(header)
    for h in candidates:
        k = name_key(h)
        if any(k.endswith(w) and k[:-len(w)].strip() == base for w in _WORDS):
            return h
    return None


def _converted(header: str) -> bool:
    return any(w in name_key(header) for w in _CONVERTED)


def named_currency(value: object) -> frozenset[str] | None:
    """The currencies a currency column's cell names (``USD``, ``美元``, ``US$``, ``RMB``);
    its text when it names none known (``Dollars``: said as written); None when empty or
    a mark any currency writes (``$``)."""
    if is_blank(value):
        return None
    text = str(value).strip()
    found = book_currencies(text)
    if found:
        return found
    return None if CURRENCY_MARKS.get(text.lower()) == frozenset() else frozenset({text})


def column_marked(raw: Sequence[object], numbers: Sequence[object],
                  currencies: Sequence[object], key: str, header: str,
                  first_row: int) -> dict[int, Marked]:
    """The amounts of money field ``key`` read as numbers (``numbers``, from ``raw``)
    whose row's currency column ``header`` (values ``currencies``) names a currency, by
    position; ``first_row`` is the export's row of position 0."""
    out = {}
    for i, (text, number, cell) in enumerate(zip(raw, numbers, currencies, strict=True)):
        named = named_currency(cell)
        if isinstance(number, float) and named:
            if isinstance(text, float) and text.is_integer():
                text = int(text)  # a number cell of an xlsx export: 1000, not 1000.0
            out[i] = Marked(first_row + i, key, str(text).strip(), named, header,
                            str(cell).strip())
    return out


def currency_units(units: Sequence[tuple[str, str]], mapping: Mapping[str, str],
                   table: Table) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Of the units row's units no header takes (``units``: (header, unit)), those set
    aside, and the money fields' headers → the currency the unit names (``CNY``,
    ``人民币``, ``USD`` under ``金额``), read as a currency column naming it in every row
    is (:func:`units_marked`)."""
    money = {h for k, h in mapping.items() if table.column(k).type is ColumnType.MONEY}
    named = {h: u for h, u in units if h in money and book_currencies(u)}
    return [(h, u) for h, u in units if h not in named], named


def units_marked(raw: Sequence[object], numbers: Sequence[object], unit: str, key: str,
                 header: str, first_row: int) -> dict[int, Marked]:
    """The amounts of money field ``key`` (column ``header``, ``numbers`` read from
    ``raw``) in the currency ``unit`` the units row under the header names, by position,
    as :func:`column_marked` reads them (``by_header``: the report says where it is
    named)."""
    return {i: replace(m, by_header=True) for i, m in column_marked(
        raw, numbers, [unit] * len(raw), key, header, first_row).items()}


def prefer_book_currency(source: pd.DataFrame, mapping: dict[str, str],
                         explicit: set[str], own: frozenset[str] | None,
                         ) -> tuple[dict[str, str], list[AmountChoice]]:
    """``mapping`` with each money field not mapped by hand (``explicit``) taken from the
    export's converted column of it when that one's currency column names the workbook's
    currency ``own`` in every row and the column taken does not; and what was chosen so,
    or left because the converted column is in another currency too."""
    table = SPEC.table("Sales")
    headers = [str(h) for h in source.columns]
    mapping, choices = dict(mapping), []
    for key, current in list(mapping.items()):
        column = table.column(key)
        if column.type is not ColumnType.MONEY or key in explicit:
            continue
        names = {name_key(n) for n in (key, column.label.zh, column.label.en,
                                       *CRM_HEADERS.get(key, ()))}
        free = [h for h in headers if h not in mapping.values()]
        own_col = currency_columns(headers, mapping).get(key)
        if own_col is not None and _all_own(source[own_col], own):
            continue
        for other in (h for h in free if name_key(h) in names and _converted(h)):
            its = _paired(other, free)
            if its is None:
                continue
            named = _names(source[its])
            if _all_own(source[its], own):
                mapping[key] = other
                choices.append(AmountChoice(key, other, current, its, named, True))
                break
            choices.append(AmountChoice(key, current, other, its, named, False))
    return mapping, choices


def _all_own(values: pd.Series, own: frozenset[str] | None) -> bool:
    """Whether every value of a currency column names the workbook's currency ``own``
    (and one at least is there)."""
    named = [named_currency(v) for v in values if not is_blank(v)]
    return bool(named) and all(n and not names_other_currency(n, own) for n in named)


def _names(values: pd.Series) -> str:
    found = dict.fromkeys(currency_name(n) for v in values if (n := named_currency(v)))
    return ", ".join(list(found)[:3]) + (" …" if len(found) > 3 else "")


def explicit_fields(explicit: Mapping[str, str]) -> set[str]:
    """The field keys ``explicit`` maps by hand (named by key or label)."""
    table = SPEC.table("Sales")
    return {field_key(k, table) for k in explicit}


def mapping_pairs(mapping: Mapping[str, str], currency: Mapping[str, str],
                  choices: Sequence[AmountChoice], book: str, lang: Lang,
                  shown: set[str]) -> list[str]:
    """The report's field mapping (``金额 ← Amount``) of the fields ``shown``, a converted
    column taken saying why, and the currency columns read (``金额的币种 ← 币种``)."""
    table = SPEC.table("Sales")
    zh = lang == "zh"
    taken = {c.field: c for c in choices if c.converted}
    pairs = []
    for key, header in mapping.items():
        if key not in shown:
            continue
        pair = f"{table.column(key).label.get(lang)} ← {header}"
        if (c := taken.get(key)) is not None:
            pair += (f"（{c.currency} 注明为工作簿的币种 {book}，故取此列而非 {c.other}）"
                     if zh else f" (in {book}, the workbook's currency, as {c.currency} "
                                f"says; rather than {c.other})")
        pairs.append(pair)
    by_column: dict[str, list[str]] = {}
    for key, header in currency.items():
        if key in shown:
            by_column.setdefault(header, []).append(table.column(key).label.get(lang))
    for header, labels in by_column.items():
        pairs.append(f"{'、'.join(labels)}的币种 ← {header}" if zh else
                     f"Currency of {', '.join(labels)} ← {header}")
    return pairs


def choice_lines(choices: Sequence[AmountChoice], book: str, lang: Lang) -> list[str]:
    """What the report says of a converted column left because its currency is another."""
    table = SPEC.table("Sales")
    lines = []
    for c in choices:
        if c.converted:
            continue
        label = table.column(c.field).label.get(lang)
        lines.append(f"  导入文件另有{label}列“{c.other}”，但其币种（{c.currency}：{c.named}）不是"
                     f"工作簿的币种 {book}，未采用；{label}取自“{c.taken}”。" if lang == "zh" else
                     f"  The export also has '{c.other}' for {label}, but in {c.named} (by "
                     f"{c.currency}), not the workbook's {book}: not used; {label} is from "
                     f"'{c.taken}'.")
    return lines


def map_export(source: pd.DataFrame, explicit: Mapping[str, str],
               own: frozenset[str] | None, custom: Sequence[str] = (),
               ) -> tuple[dict[str, str], dict[str, str], list[AmountChoice]]:
    """Field key → the export's column (:func:`~xlsales.import_mapping.map_columns`, a
    converted amount preferred when in the workbook's currency ``own``:
    :func:`prefer_book_currency`); money field → the column naming its currency; and the
    choices between two amount columns made. ``explicit`` may also map the workbook's
    ``custom`` columns (filled by :func:`~xlsales.import_custom.custom_sources`)."""
    headers = [str(h) for h in source.columns]
    fields, currency = split_explicit(explicit, headers)
    mapping = map_columns(headers, SPEC.table("Sales"), fields, custom)
    choices: list[AmountChoice] = []
    if currency is None:  # named by hand: it says the currency of whichever is mapped
        mapping, choices = prefer_book_currency(source, mapping, explicit_fields(fields), own)
    return mapping, currency_columns(headers, mapping, currency), choices
