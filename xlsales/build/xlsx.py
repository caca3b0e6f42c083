"""XlsxWriter's workbook and worksheet with each distinct formula text prepared once.

XlsxWriter prepares a formula (strips ``=``, turns ``@`` into ``[#This Row],``, adds the
``_xlfn.`` prefixes of newer functions: about 30 regular-expression substitutions over
the whole text) and looks for dynamic-array functions in it every time it is written.
An Excel Table's calculated column writes its formula in every data row, so a 2,000-row
sales table prepared the same handful of formulas 16,000 times: about 85 % of building
such a workbook. What that preparation gives depends only on the formula text (and on
whether future functions are expanded), so it is done once per distinct formula. The
written file is the same, byte for byte (``tests/test_build.py`` compares it with plain
XlsxWriter's).

This hooks two internals of XlsxWriter 3.x, ``Worksheet._prepare_formula`` and
``Worksheet._write_formula``. Should a later XlsxWriter rename them, the hooks are never
called and workbooks stay the same, only slower; should it drop the module-level names
the fast path uses, the fast path is off (``tests/test_build.py`` checks both are in use).
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
import xlsxwriter.worksheet as _xw

#: Distinct formulas kept per worksheet; a workbook holds a few hundred, so this is
#: never reached in practice (when it is, the cache starts over).
CACHE_SIZE = 4096
#: XlsxWriter's pattern of dynamic-array functions and its stored formula cell.
_DYNAMIC = getattr(_xw, "re_dynamic_function", None)
_FORMULA_CELL = getattr(_xw, "CellFormulaTuple", None)
FAST_PATH = _DYNAMIC is not None and _FORMULA_CELL is not None


class Worksheet(_xw.Worksheet):
    """A worksheet that prepares each distinct formula text once."""

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, bool], str] = {}
        self._plain: dict[str, bool] = {}  # formula → neither an array nor a dynamic one

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        key = (formula, bool(expand_future_functions or self.use_future_functions))
        prepared = self._prepared.get(key)
        if prepared is None:
            if len(self._prepared) >= CACHE_SIZE:
                self._prepared.clear()
            prepared = super()._prepare_formula(formula, expand_future_functions)
            self._prepared[key] = prepared
        return prepared

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None,
                       value: Any = 0) -> int:
        """XlsxWriter's ``_write_formula``; a plain formula seen before skips the search
        for dynamic-array functions and is stored as XlsxWriter stores it."""
        plain = self._plain.get(formula) if FAST_PATH and formula else False
        if plain is None:
            if len(self._plain) >= CACHE_SIZE:
                self._plain.clear()
            array = formula.startswith("{") and formula.endswith("}")
            plain = self._plain[formula] = not array and not _DYNAMIC.search(formula)  # type: ignore[union-attr]
        if not plain or self.constant_memory or self._check_dimensions(row, col):
            return super()._write_formula(row, col, formula, cell_format, value)  # type: ignore[no-any-return]
        self.table[row][col] = _FORMULA_CELL(self._prepare_formula(formula),  # type: ignore[misc]
                                             cell_format, value)
        return 0


class Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook whose worksheets are :class:`Worksheet`."""

    worksheet_class = Worksheet
