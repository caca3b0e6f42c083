"""The workbook's custom columns filled from the export: a column a team added to its
sales table beyond the spec's (``合同类型``, ``Partner``; the reader keeps them) receives
the values of the export's column with the same header (compared as headers are: case,
width, spaces at the ends and Traditional characters aside), when no field took that
column. Values are written as exported: text as text (a text that looks like a formula,
``=1+1``, is written as text, never as a formula), an xlsx export's numbers and dates as
they are; nothing is converted or checked, the workbook's rules do not cover them.
``--map 行业='Industry Code'`` (or ``--mapping``) fills a custom column from an export
column of another header."""

from __future__ import annotations

import numbers
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from xlsales.import_mapping import custom_target, field_key, resolve_header
from xlsales.spec import SPEC
from xlsales.values import is_blank

SALES = SPEC.table("Sales")


def custom_sources(custom: Sequence[str], headers: Sequence[str],
                   used: Collection[str],
                   explicit: Mapping[str, str] | None = None) -> dict[str, str]:
    """Custom column of the workbook → the export's column: the one ``explicit``
    (``--map 行业='Industry Code'``, ``--mapping``) names for it, else the one of the same
    header among ``headers`` not ``used`` by a field (each export column fills one custom
    column)."""
    found: dict[str, str] = {}
    for key, column in (explicit or {}).items():
        name = None if field_key(key, SALES) in SALES.keys else custom_target(key, custom)
        header = resolve_header(column, list(headers))
        if name is not None and header is not None:  # map_columns refused a missing one
            found[name] = header
    for name in custom:
        if name in found:
            continue
        free = [h for h in headers if h not in used and h not in found.values()]
        header = resolve_header(str(name), free)
        if header is not None:
            found[name] = header
    return found


def as_exported(values: Sequence[object]) -> list[object]:
    """A custom column's values as the workbook receives them: text without the spaces
    at its ends, blanks as None, numbers and dates as they are, anything else as its text."""
    return [None if is_blank(v) else v.strip() or None if isinstance(v, str)
            else v if isinstance(v, date | numbers.Real) else str(v) for v in values]
