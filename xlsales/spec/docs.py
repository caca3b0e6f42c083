"""Markdown tables of the spec for the README (kept true by ``tests/test_readme.py``)."""

from __future__ import annotations

from xlsales.spec.declarations import UNIT_LABELS
from xlsales.spec.model import WorkbookSpec


def kpi_markdown(spec: WorkbookSpec) -> str:
    """One row per KPI: key, zh/en names, unit and the English definition."""
    lines = ["| key | 指标 | KPI | unit | definition |", "|---|---|---|---|---|"]
    for k in spec.kpis:
        lines.append(f"| `{k.key}` | {k.label.zh} | {k.label.en} | {UNIT_LABELS[k.unit].en} "
                     f"| {k.definition.en} |")
    return "\n".join(lines)


def sheet_markdown(spec: WorkbookSpec) -> str:
    """One row per sheet: zh and en names, its tables and what it is for."""
    lines = ["| 工作表 | Sheet | Tables | Purpose |", "|---|---|---|---|"]
    for s in spec.sheets:
        tables = ", ".join(f"`{t.name}`" for t in s.tables) or "–"
        purpose = s.help.en if s.help else "How to fill the workbook, generated from the spec."
        lines.append(f"| {s.name.zh} | {s.name.en} | {tables} | {purpose} |")
    return "\n".join(lines)


def update_readme(text: str, spec: WorkbookSpec) -> str:
    """``text`` with the generated blocks (between ``<!-- sheets: ... -->`` and
    ``<!-- /sheets -->``, same for ``kpis``) replaced by the spec's current tables."""
    for marker, table in (("sheets", sheet_markdown(spec)), ("kpis", kpi_markdown(spec))):
        start = text.index(f"<!-- {marker}:")
        start = text.index("\n", start) + 1
        end = text.index(f"<!-- /{marker} -->")
        text = text[:start] + table + "\n" + text[end:]
    return text


if __name__ == "__main__":
    import sys
    from pathlib import Path

    from xlsales.spec import SPEC

    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(update_readme(path.read_text(encoding="utf-8"), SPEC), encoding="utf-8")
