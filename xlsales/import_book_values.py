"""Imported sales records as the workbook holds them: list values named as the book's
lists name them (:func:`named_as_in_book`) and rows of values as the package writer
writes them, choices as labels in the book's language (:func:`book_values`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from xlsales.spec import SPEC, Lang
from xlsales.values import is_blank

if TYPE_CHECKING:
    import pandas as pd


def named_as_in_book(frame: pd.DataFrame, lists: Mapping[str, Sequence[str]],
                     lang: Lang) -> tuple[pd.DataFrame, int]:
    """``frame`` with each value of a list column that names a built-in entry of its list
    otherwise (an English CRM's ``East`` in a Chinese workbook) as the workbook's list
    has it (``华东``: :meth:`~xlsales.spec.SettingsList.listed_name`, as the reader does);
    and how many values were renamed."""
    renamed = 0
    for column in SPEC.table("Sales").builtin_list_columns:
        source = column.list_source
        if source is None or column.key not in frame.columns:
            continue
        allowed = set(lists.get(source.key, []))
        values = frame[column.key].tolist()
        named = [v if (t := source.listed_name(v, allowed, lang)) is None else t
                 for v in values]
        changed = sum(a is not b for a, b in zip(values, named, strict=True))
        if changed:
            frame = frame.assign(**{column.key: named})
            renamed += changed
    return frame, renamed


def book_values(frame: pd.DataFrame, keys: list[str], lang: Lang,
                spellings: Mapping[str, str] | None = None) -> list[tuple[object, ...]]:
    """Rows of ``frame``'s ``keys`` as a workbook in ``lang`` shows them: choice keys become
    their labels (stage ``won`` → 赢单; in a workbook whose formulas count Traditional
    ``spellings``, 贏單), blanks become None."""
    table = SPEC.table("Sales")
    spellings = spellings or {}
    columns = []
    for key in keys:
        column = table.column(key) if key in table.keys else None  # else a custom column
        values = frame[key].tolist() if key in frame.columns else [None] * len(frame)
        if column is not None and column.choices is not None:
            labels = {c.key: spellings.get(c.label.get(lang), c.label.get(lang))
                      for c in column.choices.choices}
            values = [None if is_blank(v) else labels.get(v, v) for v in values]
        else:
            values = [None if is_blank(v) else _plain(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True)) if columns else [()] * len(frame)


def _plain(value: object) -> object:
    """Python scalars for the package writer (numpy numbers, pandas timestamps)."""
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else (
            value.to_pydatetime())
    if isinstance(value, date | str):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value
