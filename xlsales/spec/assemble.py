"""What the spec derives from its declarations, so a declaration is made once.

A LIST column names its settings list (:class:`~xlsales.spec.model.SettingsList`): the
list's table on the settings sheet and its place among :attr:`WorkbookSpec.lists` (the
dropdown's defined name ``list_<key>``, the values a workbook's rows are checked
against) follow from the column (:func:`with_column_lists`); :data:`LISTS` orders the
built-in ones.
"""

from __future__ import annotations

from dataclasses import replace

from xlsales.spec.model import SettingsList, Sheet, SheetKind, WorkbookSpec
from xlsales.spec.settings_tables import list_table


def column_lists(spec: WorkbookSpec) -> list[SettingsList]:
    """The settings lists ``spec``'s columns take their values from that its
    :attr:`~WorkbookSpec.lists` leave out, in the order the columns come."""
    known = {s.key for s in spec.lists}
    found: list[SettingsList] = []
    for sheet in spec.sheets:
        for table in sheet.tables:
            for column in (*table.columns, *table.form_fields):
                source = column.list_source
                if source is not None and source.key not in known:
                    known.add(source.key)
                    found.append(source)
    return found


def with_column_lists(spec: WorkbookSpec) -> WorkbookSpec:
    """``spec`` with every list its columns name: those it leaves out after its own
    lists, and their tables on the settings sheet after its list tables."""
    extra = column_lists(spec)
    if not extra:
        return spec
    names = {s.table_name for s in spec.lists}

    def grown(sheet: Sheet) -> Sheet:
        if sheet.kind is not SheetKind.SETTINGS:
            return sheet
        at = max((i + 1 for i, t in enumerate(sheet.tables) if t.name in names), default=0)
        tables = (*sheet.tables[:at], *(list_table(s) for s in extra), *sheet.tables[at:])
        return replace(sheet, tables=tables)

    return replace(spec, sheets=tuple(grown(s) for s in spec.sheets),
                   lists=(*spec.lists, *extra))
