"""The tables the KPI engine reads, parsed once per call (:func:`parsed_tables`): every
spec column, dates as date-times, names folded to identity codes, won rows: what does
not depend on the period.

A member of a roll-up is a few thousand rows, so what a call costs is mostly pandas'
fixed cost per operation: the derived columns are added to each table in one
concatenation (inserting them one by one rebuilds the column index each time, ~0.1 ms
apiece), and a name is folded only when a calculated column computed reads it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.groupings import MEMBER_GROUPING
from xlsales.kpis_calculated import IDENTITY_READ, _identity, won_rows
from xlsales.rollup_rank import member_column
from xlsales.spec import ColumnType, WorkbookSpec
from xlsales.spec.subset import kpi_tables


def tables_read(spec: WorkbookSpec) -> set[str]:
    """The tables ``spec``'s KPIs read, and the sales table always (the groups of a
    breakdown are found there)."""
    return {"Sales", *kpi_tables(spec)}


def with_columns(frame: pd.DataFrame, columns: Mapping[str, pd.Series]) -> pd.DataFrame:
    """``frame`` with ``columns`` (on its index) added, or replacing its own of the same
    name, the new ones in one concatenation; ``frame`` itself unchanged (copy-on-write)."""
    new = {k: v for k, v in columns.items() if k not in frame.columns}
    if len(new) < 2:  # one column is inserted faster than concatenated (50 µs, not 100)
        new = {}
    if new:  # by position (.array): the frame's index need not be unique
        added = pd.DataFrame({k: v.array for k, v in new.items()}, index=frame.index)
        out = pd.concat([frame, added], axis=1)
    else:
        out = frame.copy(deep=False)
    for key, values in columns.items():
        if key not in new:
            out[key] = values
    return out


def parsed_tables(tables: Mapping[str, pd.DataFrame], spec: WorkbookSpec,
                  calculated: Collection[tuple[str, str]]) -> dict[str, pd.DataFrame]:
    """Copies of the tables ``spec``'s KPIs read, with every spec column, parsed dates
    (``_date`` …), the won rows (``_won``), a roll-up's member (``member``) and the
    identity codes (``_customer``, ``_product``) the ``calculated`` columns read."""
    identities = {IDENTITY_READ[k] for k in calculated if k in IDENTITY_READ}
    out = {}
    for name in tables_read(spec):
        table = spec.table(name)
        frame = tables.get(name)
        if frame is None:
            frame = pd.DataFrame(columns=table.keys)
        missing = [c.key for c in table.columns if c.key not in frame.columns]
        if missing:  # an older book's table without a column: as empty cells
            frame = with_columns(frame, {k: pd.Series(np.full(len(frame), None, dtype=object),
                                                       index=frame.index) for k in missing})
        derived: dict[str, pd.Series] = {}
        for c in table.columns:
            if c.type in (ColumnType.DATE, ColumnType.MONTH):
                derived["_" + c.key] = parse_dates(frame[c.key])
            if (name, c.key) in identities:  # folded once, not per period
                derived["_" + c.key] = _identity(frame[c.key])
        if name == "Sales":  # won rows, compared once for every period and window
            derived["_won"] = pd.Series(won_rows(frame), index=frame.index)
        member = member_column([c for c in frame.columns if c not in table.key_set])
        if member is not None:  # a roll-up's rows: the member each names (--by member)
            derived[MEMBER_GROUPING] = frame[member]
        out[name] = with_columns(frame, derived)
    return out
