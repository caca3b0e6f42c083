"""What a plan was made from, stamped on its sheets: a short hash of the summary's
entries (``summary_fingerprint``), written after the plan's own fingerprint on the stamp
line (``xlsales plan · <plan> · <summary>``). ``xlsales new --from`` compares it with the
summary as it is now: a deal added or a figure corrected after the plan was made leaves
the plan's targets on the old figures, and the rep is told (a plan made again with
``plan --replace`` takes the new ones). Plans written before the stamp held it, and
roll-ups' plans, have no such part: nothing is said of them."""

from __future__ import annotations

import hashlib

from xlsales.io.cells import CellReader
from xlsales.io.reader import ReadWorkbook
from xlsales.spec import SPEC, SheetKind

#: Between the parts of a plan sheet's stamp line.
SEPARATOR = " · "
#: Sheets whose entries a plan is made from.
_SOURCES = (SheetKind.INPUT, SheetKind.SETTINGS, SheetKind.INSTRUCTIONS)


def summary_fingerprint(book: ReadWorkbook) -> str:
    """Short hash of what a plan of ``book`` is made from: the input columns of its
    tables (not the plan's, the KPI sheet's or validation's) as read, its settings and
    lists. A value changed or a row added or deleted changes it; the rows sorted, formulas
    restored, a table extended over rows already read, the KPI report refreshed do not."""
    import numpy as np
    import pandas as pd

    kinds = {t.name: s.kind for s in SPEC.sheets for t in s.tables}
    digest = hashlib.sha256()
    for name in sorted(book.tables):
        if kinds.get(name) not in _SOURCES:
            continue
        table = book.tables[name]
        keys = [c.key for c in table.spec.columns if c.is_input and c.key in table.frame]
        digest.update(f"{name}:{len(table.frame)}:{','.join(keys)}\n".encode())
        rows = np.zeros(len(table.frame), dtype=np.uint64)
        for i, key in enumerate(keys):
            column = table.frame[key]
            try:  # numbers, dates and text hash as they are (fast)
                hashed = pd.util.hash_pandas_object(column, index=False).to_numpy()
            except TypeError:  # a column mixing kinds of values: as text
                hashed = pd.util.hash_pandas_object(column.astype(str), index=False).to_numpy()
            rows ^= hashed * np.uint64(2 * i + 1)  # wraps: a hash of each row's cells
        digest.update(np.sort(rows).tobytes())  # rows in any order: sorting changes nothing
    digest.update(repr(sorted((k, str(v)) for k, v in book.assumptions.items())).encode())
    digest.update(repr(sorted((k, list(map(str, v))) for k, v in book.lists.items())).encode())
    return digest.hexdigest()[:12]


def stamped_summary(stamp: object) -> str | None:
    """The summary fingerprint a plan sheet's stamp (after ``xlsales plan · ``) holds
    after the plan's own (None when it holds none: an older plan, a roll-up's)."""
    parts = str(stamp).split(SEPARATOR)
    return parts[1] if len(parts) > 1 and parts[1] else None


def plan_made_from(book: ReadWorkbook, version: int,
                   cells: CellReader | None = None) -> str | None:
    """The summary fingerprint stamped on the targets sheet of plan ``version`` in
    ``book`` (None when it has none); its cells read from ``cells`` (a live workbook's),
    else from ``book``'s file."""
    from xlsales.io.cells import cells_of
    from xlsales.plan.write import FINGERPRINT_PREFIX
    from xlsales.plan_versions import found_versions

    sheets = dict((s.key, name) for s, name in found_versions(book, book.lang).get(version, []))
    name = sheets.get(SPEC.sheet_of("PlanTargets").key)
    if name is None:
        return None
    with cells_of(book.path, cells) as reader:
        rows = reader.rows(name)[:6]
    for row in rows:
        if row and str(row[0]).startswith(FINGERPRINT_PREFIX):
            return stamped_summary(str(row[0])[len(FINGERPRINT_PREFIX):])
    return None


def summary_changed(book: ReadWorkbook, version: int, cells: CellReader | None = None) -> bool:
    """Whether ``book``'s summary changed after plan ``version`` was made from it (its
    stamp says from what): the targets ``new --from`` carries follow the old figures.
    False for a plan that stamps nothing (an older one, a roll-up's)."""
    made_from = plan_made_from(book, version, cells)
    return made_from is not None and made_from != summary_fingerprint(book)
