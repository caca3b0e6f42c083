"""Build a VBA project binary (``vbaProject.bin``) from VBA source text, in pure Python.

>>> from xlsales.vbaproject import VbaModule, build_vba_project, xlwings_vba_modules
>>> modules = [VbaModule("ThisWorkbook", "document", ""), *xlwings_vba_modules(),
...            VbaModule("Buttons", "standard", 'Sub Run()\\n    RunPython "import x"\\nEnd Sub')]
>>> data = build_vba_project(modules)  # doctest: +SKIP
"""

from xlsales.vbaproject.cfb import write_compound_file
from xlsales.vbaproject.compression import compress, decompress
from xlsales.vbaproject.errors import CorruptVbaDataError, VbaProjectError, VbaSourceError
from xlsales.vbaproject.module import ModuleKind, VbaModule, read_module_file, stored_source
from xlsales.vbaproject.project import build_vba_project
from xlsales.vbaproject.xlwings_modules import read_vba_modules, xlwings_vba_modules

__all__ = [
    "CorruptVbaDataError",
    "ModuleKind",
    "VbaModule",
    "VbaProjectError",
    "VbaSourceError",
    "build_vba_project",
    "compress",
    "decompress",
    "read_module_file",
    "read_vba_modules",
    "stored_source",
    "write_compound_file",
    "xlwings_vba_modules",
]
