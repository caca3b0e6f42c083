"""XlsxWriter's workbook and worksheet with each distinct formula text prepared once,
and formulas written without a cached result.

XlsxWriter prepares a formula (strips ``=``, turns ``@`` into ``[#This Row],``, adds the
``_xlfn.`` prefixes of newer functions: about 30 regular-expression substitutions over
the whole text) and looks for dynamic-array functions in it every time it is written.
An Excel Table's calculated column writes its formula in every data row, so a 2,000-row
sales table prepared the same handful of formulas 16,000 times: about 85 % of building
such a workbook. What that preparation gives depends only on the formula text (and on
whether future functions are expanded), so it is done once per distinct formula. The
written file is otherwise the same, byte for byte (``tests/test_build.py`` compares it
with plain XlsxWriter's).

This hooks three internals of XlsxWriter 3.x, ``Worksheet._prepare_formula``,
``Worksheet._write_formula`` and ``XMLwriter._xml_formula_element``. Should a later
XlsxWriter rename the first two, the hooks are never called and workbooks are written
slower, and with XlsxWriter's cached 0 results (the LibreOffice test fails); should it
rename the third, formula cells carry an empty ``<v></v>``, which LibreOffice treats as
no cached result too. Should it drop the module-level names the fast path uses, the fast
path is off (``tests/test_build.py`` checks both are in use).

One difference from XlsxWriter is intended: a formula written without a result (xlsales
never knows one: the workbook computes it) carries no cached result, ``<c><f>…</f></c>``,
where XlsxWriter writes ``<v>0</v>``. Excel recalculates on load anyway
(``fullCalcOnLoad``), but LibreOffice, with its default setting for xlsx files ("never
recalculate"), shows a cached result as it is: every KPI as 0 until the user presses
Ctrl+Shift+F9. A formula cell without a cached result it computes on load
(``tests/test_golden_libreoffice.py`` opens workbooks with LibreOffice's default
settings). Array and dynamic-array formulas, which LibreOffice computes on load anyway,
are written as XlsxWriter writes them.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
import xlsxwriter.worksheet as _xw
from xlsxwriter.worksheet import convert_cell_args

#: Distinct formulas kept per worksheet; a workbook holds a few hundred, so this is
#: never reached in practice (when it is, the cache starts over).
CACHE_SIZE = 4096
#: XlsxWriter's pattern of dynamic-array functions and its stored formula cell.
_DYNAMIC = getattr(_xw, "re_dynamic_function", None)
_FORMULA_CELL = getattr(_xw, "CellFormulaTuple", None)
FAST_PATH = _DYNAMIC is not None and _FORMULA_CELL is not None
#: The result of a formula written without one: XlsxWriter's "blank result", written
#: as no ``<v>`` at all (see the module's docstring).
NO_RESULT = ""


def _is_array(formula: str) -> bool:
    """``formula`` is one XlsxWriter writes as an array formula (``{=…}`` or dynamic)."""
    if not formula:
        return False
    if formula.startswith("{") and formula.endswith("}"):
        return True
    return _DYNAMIC is not None and _DYNAMIC.search(formula) is not None


class Worksheet(_xw.Worksheet):
    """A worksheet that prepares each distinct formula text once and writes formulas
    without a cached result."""

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

    @convert_cell_args
    def write_formula(self, row: int, col: int, formula: str, cell_format: Any = None,
                      value: Any = NO_RESULT) -> int:
        """XlsxWriter's ``write_formula``, without a cached result unless ``value`` is
        given."""
        return self._write_formula(row, col, formula, cell_format, value)

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None,
                       value: Any = NO_RESULT) -> int:
        """XlsxWriter's ``_write_formula``, without a cached result unless ``value`` is
        given; a plain formula seen before skips the search for dynamic-array functions
        and is stored as XlsxWriter stores it."""
        plain = self._plain.get(formula) if FAST_PATH and formula else False
        if plain is None:
            if len(self._plain) >= CACHE_SIZE:
                self._plain.clear()
            array = formula.startswith("{") and formula.endswith("}")
            plain = self._plain[formula] = not array and not _DYNAMIC.search(formula)  # type: ignore[union-attr]
        if not plain and _is_array(formula) and isinstance(value, str) and value == NO_RESULT:
            value = 0  # an array formula is written as XlsxWriter writes it
        if not plain or self.constant_memory or self._check_dimensions(row, col):
            return super()._write_formula(row, col, formula, cell_format, value)  # type: ignore[no-any-return]
        self.table[row][col] = _FORMULA_CELL(self._prepare_formula(formula),  # type: ignore[misc]
                                             cell_format, value)
        return 0

    def _xml_formula_element(self, formula: str, result: Any,
                             attributes: list[tuple[str, Any]] | None = None) -> None:
        """XlsxWriter's formula cell, ``<c><f>…</f></c>`` without ``<v>`` for a formula
        without a result: LibreOffice computes such a cell on load."""
        if result != NO_RESULT:
            super()._xml_formula_element(formula, result, attributes or [])
            return
        attr = "".join(f' {key}="{self._escape_attributes(value)}"'
                       for key, value in attributes or ())
        self.fh.write(f"<c{attr}><f>{self._escape_data(formula)}</f></c>")


def table_column_formula(formula: str) -> str:
    """A table column's ``formula`` (``=…``, ``Sales[@[Amount]]`` for the current row) as
    XlsxWriter writes it into the column's cells and its ``calculatedColumnFormula``: no
    leading ``=``, ``@`` as ``[#This Row],``, newer functions with their ``_xlfn.``
    prefix."""
    prepared = _xw.Worksheet._prepare_table_formula(formula.lstrip("="))
    return str(Worksheet()._prepare_formula(prepared, True))


class Workbook(xlsxwriter.Workbook):
    """XlsxWriter's workbook whose worksheets are :class:`Worksheet`."""

    worksheet_class = Worksheet
