"""Turn the spec's formula templates and KPI definitions into native Excel formulas.

Formulas use fully qualified structured references (``Sales[@[金额]]``): the
shorthand ``[@金额]`` evaluates empty in LibreOffice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from xlsales.spec.kpi_model import (
    Above,
    Aggregate,
    Difference,
    Growth,
    Kpi,
    Product,
    Ratio,
    Total,
    Window,
)
from xlsales.spec.model import Lang, Table, WorkbookSpec

_PLACEHOLDER = re.compile(r"\{(this|col|choice|name):([A-Za-z0-9_.]+)\}")
_SPECIAL = re.compile(r"['\[\]#]")  # escaped with ' in a structured reference


def referenced_columns(template: str) -> list[str]:
    """The column keys a spec formula template reads (its ``{this:…}`` and ``{col:…}``
    placeholders), in order."""
    return [m[2] for m in _PLACEHOLDER.finditer(template) if m[1] in ("this", "col")]


def window_name(window: Window, edge: str) -> str:
    """Defined name of a KPI window's first or last day, e.g. ``kpi_current_start``."""
    return f"kpi_{window}_{edge}"


def quote(text: str) -> str:
    """An Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


#: Column key → the name a table's header gives the column, where it is not the spec's
#: label (a workbook converted to Traditional: ``客戶`` for ``客户``).
Names = Mapping[str, str]


def column_name(table: Table, key: str, lang: Lang, names: Names | None = None) -> str:
    """The name of ``key``'s column in a structured reference: the table's own (``names``)
    or the spec's label, ``'`` before each ``[ ] # '`` in it."""
    name = (names or {}).get(key) or table.column(key).label.get(lang)
    return _SPECIAL.sub(lambda m: "'" + m[0], name)


def column_ref(table: Table, key: str, lang: Lang, names: Names | None = None) -> str:
    """Whole data column of ``key``: ``Sales[金额]``."""
    name = column_name(table, key, lang, names)
    return f"{table.name}[[{name}]]" if "'" in name else f"{table.name}[{name}]"


def this_row_ref(table: Table, key: str, lang: Lang, names: Names | None = None) -> str:
    """The current row's cell of ``key``: ``Sales[@[金额]]``."""
    return f"{table.name}[@[{column_name(table, key, lang, names)}]]"


def render(template: str, table: Table | None, spec: WorkbookSpec, lang: Lang,
           names: Names | None = None) -> str:
    """Expand a spec formula template (see :class:`xlsales.spec.model.Column`); a column
    is named as ``names`` says, else by its label in ``lang``."""
    def expand(m: re.Match[str]) -> str:
        kind, arg = m[1], m[2]
        if kind == "name":
            return arg
        if kind == "choice":
            set_key, choice_key = arg.split(".")
            return quote(spec.choice_set(set_key).label(choice_key, lang))
        if table is None:
            raise ValueError(f"{{{kind}:{arg}}} needs a table")
        ref = this_row_ref if kind == "this" else column_ref
        return ref(table, arg, lang, names)

    return _PLACEHOLDER.sub(expand, template)


def stored_formula(table: Table, key: str, spec: WorkbookSpec, lang: Lang,
                   names: Names | None = None) -> str:
    """The formula of ``table``'s calculated column ``key`` as the template stores it in
    each cell of the column (and as the table's ``calculatedColumnFormula``), its columns
    named as ``names`` says (a table's own headers), else by their labels in ``lang``."""
    from xlsales.build.xlsx import table_column_formula

    template = table.column(key).formula
    if template is None:
        raise ValueError(f"{table.name}.{key} is not a calculated column")
    return table_column_formula(render(template, table, spec, lang, names))


def aggregate_formula(agg: Aggregate, spec: WorkbookSpec, lang: Lang) -> str:
    """SUMIFS/COUNTIFS expression of an :class:`Aggregate` (no leading ``=``)."""
    table = spec.table(agg.table)
    criteria = [
        column_ref(table, agg.date_field, lang), f'">="&{window_name(agg.window, "start")}',
        column_ref(table, agg.date_field, lang), f'"<="&{window_name(agg.window, "end")}',
    ]
    alternatives: list[str] = [""]  # one criteria set per value of a multi-valued condition
    for key, value in agg.where:
        column = table.column(key)
        if isinstance(value, Above):
            criteria += [column_ref(table, key, lang), quote(f">{value.bound:g}")]
            continue
        if isinstance(value, int):
            criteria += [column_ref(table, key, lang), str(value)]
            continue
        assert column.choices is not None, f"{table.name}.{key} is not a choice column"
        values = (value,) if isinstance(value, str) else value
        if len(values) == 1:
            criteria += [column_ref(table, key, lang), quote(column.choices.label(values[0], lang))]
        else:
            alternatives = [f",{column_ref(table, key, lang)},"
                            f"{quote(column.choices.label(v, lang))}" for v in values]
    base = ",".join(criteria)
    if agg.average:
        assert len(alternatives) == 1, "an average over several values is not supported"
        return f'IFERROR(AVERAGEIFS({column_ref(table, agg.field, lang)},{base}),"")'
    if agg.field is None:
        terms = [f"COUNTIFS({base}{alt})" for alt in alternatives]
    else:
        terms = [f"SUMIFS({column_ref(table, agg.field, lang)},{base}{alt})"
                 for alt in alternatives]
    expr = terms[0] if len(terms) == 1 else "(" + "+".join(terms) + ")"
    return f"ROUND({expr},0)" if agg.integer else expr


def kpi_formula(kpi: Kpi, cell_of: Callable[[str], str], spec: WorkbookSpec, lang: Lang) -> str:
    """Native formula of ``kpi``; ``cell_of(key)`` gives the cell holding another KPI.

    A ratio with a zero or empty denominator is the empty string, never an error.
    """
    f = kpi.formula
    if isinstance(f, Aggregate):
        return "=" + aggregate_formula(f, spec, lang)
    if isinstance(f, Ratio):
        num, den = cell_of(f.numerator), cell_of(f.denominator)
        return f'=IF(N({den})=0,"",N({num})/{den})'
    if isinstance(f, Difference):
        expr = f"N({cell_of(f.minuend)})-N({cell_of(f.subtrahend)})"
        if f.floor is not None:
            expr = f"MAX({f.floor:g},{expr})"
        empty = [f'{cell_of(k)}=""' for k in f.requires]
        empty += [f"N({cell_of(k)})=0" for k in f.nonzero]
        if empty:
            expr = f'IF(OR({",".join(empty)}),"",{expr})'
        return "=" + expr
    if isinstance(f, Product):
        left, right = cell_of(f.left), cell_of(f.right)
        plus = f"+N({cell_of(f.plus)})" if f.plus is not None else ""
        return f'=IF(OR({left}="",{right}=""),"",N({left})*N({right}){plus})'
    if isinstance(f, Total):
        return "=" + "+".join(f"N({cell_of(p)})" for p in f.parts)
    if isinstance(f, Growth):
        cur, earlier = cell_of(f.current), cell_of(f.earlier)
        return f'=IF(N({earlier})=0,"",N({cur})/{earlier}-1)'
    raise TypeError(f"unknown KPI formula {f!r}")
