"""What the benchmark scripts share besides their inputs (those are in ``synthetic.py``)."""

from __future__ import annotations

from pathlib import Path

COMPILED = "xlsales byte-compiled first, as pip install does"
NOT_COMPILED = "xlsales could not be byte-compiled here: its imports include compiling"


def compile_xlsales() -> bool:
    """Byte-compile xlsales as ``pip install`` does for its users; True if done. With
    ``PYTHONDONTWRITEBYTECODE`` set (or an editable install never imported) every
    process would otherwise compile xlsales' sources again, which no user pays."""
    import compileall

    import xlsales

    return bool(compileall.compile_dir(Path(xlsales.__file__).parent, quiet=1))


def compile_and_report() -> bool:
    """:func:`compile_xlsales`, then print the line saying whether it was done (for the
    head of a benchmark's output, since timings in fresh processes depend on it)."""
    compiled = compile_xlsales()
    print(COMPILED if compiled else NOT_COMPILED, flush=True)
    return compiled
