"""The tables the KPI engine reads, parsed once per call (:func:`parsed_tables`): every
spec column, dates as date-times, names folded to identity codes, won rows: what does
not depend on the period.

A member of a roll-up is a few thousand rows, so what a call costs is mostly pandas'
fixed cost per operation: the derived columns are set beside each frame (a
:class:`~xlsales.kpis_table.KpiTable`), neither inserted (~0.1 ms apiece) nor concatenated,
the stage is coded once, and a name is folded only when a calculated column computed
reads it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

from xlsales.date_columns import parse_dates
from xlsales.groupings import MEMBER_GROUPING
from xlsales.kpis_arrays import is_in
from xlsales.kpis_calculated import IDENTITY_READ, _identity
from xlsales.kpis_table import KpiTable
from xlsales.kpis_table import with_columns as with_columns
from xlsales.rollup_rank import member_column
from xlsales.spec import ColumnType, WorkbookSpec
from xlsales.spec.subset import kpi_tables


def tables_read(spec: WorkbookSpec) -> set[str]:
    """The tables ``spec``'s KPIs read, and the sales table always (the groups of a
    breakdown are found there)."""
    return {"Sales", *kpi_tables(spec)}


def parsed_tables(tables: Mapping[str, pd.DataFrame], spec: WorkbookSpec,
                  calculated: Collection[tuple[str, str]]) -> dict[str, KpiTable]:
    """The tables ``spec``'s KPIs read, with every spec column, parsed dates
    (``_date`` …), the won rows (``_won``), a roll-up's member (``member``) and the
    identity codes (``_customer``, ``_product``) the ``calculated`` columns read: set
    beside each frame (see :class:`~xlsales.kpis_table.KpiTable`), not concatenated."""
    identities = {IDENTITY_READ[k] for k in calculated if k in IDENTITY_READ}
    out = {}
    for name in tables_read(spec):
        table = spec.table(name)
        frame = tables.get(name)
        if frame is None:
            frame = pd.DataFrame(columns=table.keys)
        parsed = KpiTable(frame)
        for c in table.columns:  # an older book's table without a column: as empty cells
            if c.key not in frame.columns:
                parsed[c.key] = np.full(len(frame), None, dtype=object)
        for c in table.columns:
            if c.type in (ColumnType.DATE, ColumnType.MONTH):
                parsed["_" + c.key] = parse_dates(parsed[c.key])
            if (name, c.key) in identities:  # folded once, not per period
                parsed["_" + c.key] = _identity(parsed[c.key])
        if name == "Sales":  # won rows, compared once for every period and window
            parsed["_won"] = is_in(*parsed.codes("stage"), ("won",))
        member = member_column([c for c in frame.columns if c not in table.key_set])
        if member is not None:  # a roll-up's rows: the member each names (--by member)
            parsed[MEMBER_GROUPING] = frame[member]
        out[name] = parsed
    return out
