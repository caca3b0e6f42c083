"""A KPI sheet deleted: the calculated columns' formulas used the names defined on it
(the period's bounds …) and turn to ``#REF!`` once it is gone (LibreOffice saves them so).
``calculated_error``'s advice — clear the cells and ``validate --write`` — cannot work
then: the restored formulas would name what is no longer there. One warning says what
happened, that ``xlsales kpis`` still computes, and how to get the sheet back (a backup, or
a fresh book of the period with the rows copied in); ``validate --write`` does not rebuild
the sheet (the template builder writes it with openpyxl, not through the package writer)."""

from __future__ import annotations

from xlsales.findings import Finding, finding
from xlsales.io.reader import ReadWorkbook
from xlsales.spec import SPEC
from xlsales.spec.traditional import same_name
from xlsales.validation.calculated import calculated_columns, calculated_tables


def kpi_sheet_missing(book: ReadWorkbook, findings: list[Finding]) -> list[Finding]:
    """``findings`` with a ``kpi_sheet_missing`` warning instead of the calculated columns'
    error findings when ``book`` has calculated columns (a roll-up's are not looked at)
    but no KPI sheet; else ``findings`` as they are."""
    tables = [t for t in calculated_tables(book) if calculated_columns(t)]
    if not tables:  # none, or a roll-up's (values by design)
        return findings
    names = [s.name for s in book.layout.sheets]
    kpi = SPEC.sheet("kpis").name
    if any(same_name(kpi.get(lang), names) is not None for lang in ("zh", "en")):
        return findings
    errors = [f for f in findings if f.rule == "calculated_error"]
    first = errors[0] if errors else None
    read = tables[0]
    return [f for f in findings if f.rule != "calculated_error"] + [finding(
        "kpi_sheet_missing", sheet=read.sheet, cell=first.cell if first else None,
        row=first.row if first else None, value=first.value if first else None,
        kpi_sheet=kpi.get(book.lang),
        period=book.period.label if book.period else "PERIOD",
        errors_zh=f"计算列的公式引用它上面定义的名称，现已显示 {first.value}（如 {first.cell}）。"
        if first else "",
        errors_en=f" The calculated columns' formulas used names defined on it and now show "
                  f"{first.value} (e.g. in {first.cell})." if first else "")]
