"""The workbook's buttons and formulas in Excel, through xlwings.

* :mod:`xlsales.excel.macros` – the buttons: ``validate``, ``compute_kpis``,
  ``generate_plan``, ``start_next_period`` (VBA ``RunPython``, xlwings Lite ``@script``);
* :mod:`xlsales.excel.book_adapter` – an ``xlwings.Book`` read as the library reads a file;
* :mod:`xlsales.excel.book_writer` – results written into it in blocks, offending cells shaded;
* :mod:`xlsales.excel.udfs` – the ``XS_*`` formulas, for ``UDF_MODULES`` in ``xlwings.conf``.

Importing this package does not import xlwings.
"""
