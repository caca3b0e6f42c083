"""xlsales replaces only the sheets it wrote. A result sheet (the KPI report, the
validation sheet, a plan sheet) is refreshed in place on each run; a sheet of the same name
that a user made herself (her own ``KPI报告`` for her manager) is not xlsales' and must not be
overwritten. xlsales' own sheet is known by the Excel Table it declares on it
(``KpiReportValues``, ``Validation`` …): a sheet of that name without any of those tables is
refused when the sheet's content is made for the book (:func:`kpi_report_content`,
:func:`validation_content`), before anything is written, for the CLI and the buttons alike.
(A plan sheet has its own check: ``existing_plan``.)"""

from __future__ import annotations

from xlsales.errors import WorkbookError
from xlsales.io.ooxml import PackageLayout
from xlsales.io.sheetcontent import Block, SheetContent
from xlsales.spec.traditional import same_name


def check_own_sheet(layout: PackageLayout, content: SheetContent) -> None:
    """Raise a :class:`WorkbookError` when ``content`` would replace a sheet (of its name or
    one it ``replaces``) that holds none of the Excel Tables ``content`` declares: a sheet
    the user made, not one xlsales wrote before. Content without tables is not checked."""
    tables = {b.table_name.casefold() for b in content.parts
              if isinstance(b, Block) and b.table_name}
    if not tables:
        return
    names = [s.name for s in layout.sheets]
    for wanted in (content.name, *content.replaces):
        i = same_name(wanted, names)
        if i is None:
            continue
        sheet = names[i]
        if any(t.sheet == sheet and t.name.casefold() in tables for t in layout.tables):
            return
        table = next(b.table_name for b in content.parts
                     if isinstance(b, Block) and b.table_name)
        raise WorkbookError(
            f"工作簿中已有名为“{sheet}”的工作表，但它不是 xlsales 写的（上面没有 xlsales 的表格 "
            f"{table}）：为免覆盖其中的内容，没有做任何改动。请把这个工作表改名（例如“{sheet}"
            "（我的）”）后重试。",
            f"The workbook already has a sheet named '{sheet}' that xlsales did not write (it "
            f"holds no xlsales table {table}): nothing was changed, so that its content is "
            f"not overwritten. Rename that sheet (e.g. '{sheet} (mine)') and try again.")
