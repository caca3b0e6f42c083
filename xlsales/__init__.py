"""xlsales: sales period summaries and next-period plans in a structured Excel workbook."""

__version__ = "0.1.0"
