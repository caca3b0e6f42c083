"""The ``XS_*`` formulas for xlwings' ``UDF_MODULES`` setting (``xlsales.excel.udfs``).

They are the functions of :mod:`xlsales.udfs`, already decorated with ``@xw.func`` there.
The ``.xlsm`` workbooks name ``xlsales.udfs`` itself on their ``xlwings.conf`` sheet; on
Windows the workbook's own ``ImportPythonUDFs`` macro (xlwings' VBA, no add-in) registers
them (docs/excel.md). xlwings Lite registers its own ``@func`` wrappers in
``xlwings_lite/main.py``.
"""

from __future__ import annotations

from xlsales.udfs import (
    XS_ATTAINMENT,
    XS_COLLECTION_RATE,
    XS_CONVERSION,
    XS_FORECAST,
    XS_GROWTH,
    XS_KPI,
)

__all__ = ["XS_ATTAINMENT", "XS_COLLECTION_RATE", "XS_CONVERSION", "XS_FORECAST", "XS_GROWTH",
           "XS_KPI"]
