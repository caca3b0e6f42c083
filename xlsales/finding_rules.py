"""The rule catalogue: each rule of reading and validation, its severity and its message
templates in Chinese and English (:mod:`~xlsales.rule_model`), declared once in the module
of its kind and gathered here (:data:`RULES`): reading a table
(:mod:`~xlsales.rules_reading`), what the workbook's KPI sheet cannot count
(:mod:`~xlsales.rules_kpi_sheet`), a cell's value (:mod:`~xlsales.rules_cells`), across
fields and sheets (:mod:`~xlsales.rules_across`). A :class:`~xlsales.findings.Finding` is
one of them found at a cell."""

from __future__ import annotations

from xlsales.rule_model import Rule
from xlsales.rules_across import ACROSS_RULES
from xlsales.rules_cells import CELL_RULES
from xlsales.rules_kpi_sheet import KPI_SHEET_RULES
from xlsales.rules_reading import READING_RULES

#: Every rule by its key: reading, what the KPI sheet cannot count, a cell's value,
#: across fields and sheets.
RULES: dict[str, Rule] = {**READING_RULES, **KPI_SHEET_RULES, **CELL_RULES, **ACROSS_RULES}

#: The rules of values and rows xlsales reads but the workbook's own formulas (its KPI
#: sheet) leave out or count otherwise (:mod:`xlsales.validation.formula_blind`, a period
#: start typed as text): where they are found, the figures of ``xlsales kpis`` and the
#: export differ from the book's KPI sheet (the export's ``kpi_sheet_differs``).
KPI_SHEET_BLIND = frozenset({"values_not_counted", "spaces_not_counted", "time_not_counted",
                             "rows_not_counted", "table_not_named", "choice_not_counted",
                             "form_value_not_counted"})
