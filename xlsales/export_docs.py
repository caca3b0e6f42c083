"""What every exported column holds, in zh and en, from the one place each is declared:
a spec table's column by its ``help`` (then what its type says: the currency of an
amount, a percentage as a fraction, a choice's keys), a KPI by its definition (口径, then
its unit), a column the export adds by :data:`~xlsales.export_schema.EXPORT_MEANINGS`.

The README's column reference (:func:`reference_markdown`), the xlsx export's
``columns`` sheet (:func:`meaning_rows`) and the parquet fields' metadata read it."""

from __future__ import annotations

from pathlib import Path

from xlsales.errors import FileAccessError, UsageError, XlsalesError
from xlsales.export_schema import (
    ARROW_NAMES,
    EXPORT_MEANINGS,
    EXPORTS,
    IDENTITY,
    PLAN_TABLES,
    column_kind,
    export_columns,
    schema_markdown,
)
from xlsales.spec import SPEC, Column, ColumnType
from xlsales.spec.kpi_model import Aggregate, Kpi, Ratio
from xlsales.spec.model import L, Label

#: What an amount's column says of its money, in every table.
MONEY = L("金额为工作簿的币种（report_currency），不换算。",
          "Money in the workbook's currency (report_currency), never converted.")
#: What a percentage's column says of its numbers.
FRACTION = L("小数：0.25 即 25%。", "A fraction: 0.25 is 25 %.")
#: What each type of a spec column adds to its help (choices and lists: below).
TYPE_NOTES: dict[ColumnType, Label] = {
    ColumnType.MONEY: MONEY,
    ColumnType.PERCENT: FRACTION,
    ColumnType.DATE: L("ISO 日期。", "An ISO date."),
    ColumnType.MONTH: L("该月第一天（ISO 日期）。", "The month's first day, as an ISO date."),
}
#: What each KPI unit says of the KPI's numbers.
UNIT_NOTES: dict[str, Label] = {
    "money": MONEY,
    "count": L("个数（整数）。", "A count (a whole number)."),
    "percent": FRACTION,
    "ratio": L("倍数。", "A ratio (times)."),
    "days": L("天数。", "Days."),
    "quantity": L("数量，按销售记录的 quantity。", "Units, as the sales records' quantity."),
}
#: Choices listed by key up to this many; an open list of more (a KPI to watch) is
#: named by its first keys.
KEYS_LISTED = 8


class MissingMeaning(KeyError):
    """An exported column whose meaning is declared nowhere (a programming error: the
    tests find it before a release)."""


def _joined(*parts: Label) -> Label:
    """``parts`` as one text in each language."""
    return L("".join(p.zh for p in parts), " ".join(p.en for p in parts))


def _choice_note(column: Column) -> Label | None:
    """What a choice or list column's values are in the export: the choice's keys, a
    list's entries as the workbook names them."""
    if column.choices is not None:
        keys = [c.key for c in column.choices.choices]
        if column.choices.open:
            shown = ", ".join(keys[:3])
            return L(f"取值为代码（{shown} …，见 KPI 表）或团队自己写的文字。",
                     f"A key ({shown} …: see the KPI table) or text of the team's own.")
        shown = ", ".join(keys[:KEYS_LISTED])
        return L(f"取值为代码：{shown}。", f"Its keys: {shown}.")
    if column.list_source is not None and column.list_source.defaults:
        return L("按工作簿的写法；--labels 把内置项统一为一种语言。",
                 "As the workbook names it; --labels names the built-in entries in one "
                 "language.")
    return None


def spec_column_meaning(column: Column) -> Label:
    """What an exported spec column holds: its ``help``, then what its type says."""
    if column.help is None:
        raise MissingMeaning(f"column {column.key!r} has no help: declare what it holds")
    notes = [n for n in (TYPE_NOTES.get(column.type), _choice_note(column)) if n is not None]
    return _joined(column.help, *notes)


def kpi_meaning(kpi: Kpi) -> Label:
    """What a KPI column holds: its definition (口径), then its unit, and when it is
    empty where the definition does not say."""
    parts = [kpi.definition, UNIT_NOTES[kpi.unit]]
    said = "留空" in kpi.definition.zh
    if isinstance(kpi.formula, Ratio) and not said:
        parts.append(L("除数为 0 时留空。", "Empty when the divisor is 0."))
    elif isinstance(kpi.formula, Aggregate) and kpi.formula.average and not said:
        parts.append(L("没有可平均的值时留空。", "Empty when there is no value to average."))
    return _joined(*parts)


def column_meaning(name: str, column: str) -> Label:
    """What ``column`` of export ``name`` holds, zh and en; a :class:`MissingMeaning`
    when it is declared nowhere."""
    declared = EXPORT_MEANINGS.get((name, column)) or EXPORT_MEANINGS.get(column)
    if declared is not None:
        return declared
    if EXPORTS[name] is None:
        kpi = next((k for k in SPEC.kpis if k.key == column), None)
        if kpi is not None:
            return kpi_meaning(kpi)
    else:
        table = SPEC.table(EXPORTS[name] or "")
        if column in table.key_set:
            return spec_column_meaning(table.column(column))
    raise MissingMeaning(f"export {name}: column {column!r} has no meaning declared")


def declared_meaning(name: str, column: str) -> Label | None:
    """What ``column`` of export ``name`` holds, or None for a column the table does not
    have (:func:`column_meaning` of every column it has)."""
    if column not in export_columns(name):
        return None
    return column_meaning(name, column)


def meaning_rows(name: str) -> list[tuple[str, str, str, str]]:
    """Each column of export ``name``, in order: its key, parquet type, meaning in en
    and in zh (the xlsx export's ``columns`` sheet)."""
    return [(c, ARROW_NAMES[column_kind(name, c)], *reversed(column_meaning(name, c).all()))
            for c in export_columns(name)]


def _cell(text: str) -> str:
    """Text in a markdown table's cell."""
    return text.replace("|", "\\|")


def _table(rows: list[tuple[str, str, Label]]) -> list[str]:
    """A markdown table of columns: key, parquet type, meaning, 含义."""
    return ["| Column | Type | Meaning | 含义 |", "|---|---|---|---|",
            *(f"| `{c}` | {t} | {_cell(m.en)} | {_cell(m.zh)} |" for c, t, m in rows)]


def reference_markdown() -> str:
    """The README's reference of what every exported column holds: the columns every
    table starts with, the KPI keys (once, for the four KPI tables), then each table's
    other columns."""
    first = "kpis"
    plan = next(n for n in EXPORTS if EXPORTS[n] in PLAN_TABLES)
    lines = ["**Every table** starts with:", "",
             *_table([(c, ARROW_NAMES[column_kind(first, c)], column_meaning(first, c))
                      for c in IDENTITY]
                     + [("plan_period", "string", column_meaning(plan, "plan_period"))]),
             "", "**The KPI keys** — in `kpis` (one row per workbook), `kpis_by_rep`, "
             "`kpis_by_member` and `kpis_by_quarter` (one row per rep, member or quarter); "
             "\"the period\" is the row's: the workbook's report period, or the quarter in "
             "`kpis_by_quarter`:", "",
             *_table([(k.key, ARROW_NAMES[column_kind(first, k.key)], kpi_meaning(k))
                      for k in SPEC.kpis])]
    kpi_keys = {k.key for k in SPEC.kpis}
    for name in EXPORTS:
        own = [c for c in export_columns(name) if c not in (*IDENTITY, "plan_period")
               and not (EXPORTS[name] is None and c in kpi_keys)]
        source = f" (the workbook's `{EXPORTS[name]}` table)" if EXPORTS[name] else ""
        lines += ["", f"**`{name}`**{source}, besides those:", "",
                  *_table([(c, ARROW_NAMES[column_kind(name, c)], column_meaning(name, c))
                           for c in own])]
    return "\n".join(lines)


#: The README's markers around :func:`reference_markdown`.
README_START = "<!-- export-columns: generated by `python -m xlsales.export_docs README.md` -->"
README_END = "<!-- /export-columns -->"


#: The head of the README's table of each export's columns and parquet types
#: (:func:`~xlsales.export_schema.schema_markdown`), which ends at the next blank line.
SCHEMA_HEAD = "| Table | Its own columns, in order (parquet type) |"


def update_readme(text: str) -> str:
    """``text`` (the README) with the block between :data:`README_START` and
    :data:`README_END` replaced by the current :func:`reference_markdown`, and the table
    under :data:`SCHEMA_HEAD`, where there is one, by the current
    :func:`~xlsales.export_schema.schema_markdown`: a new column or KPI of the spec
    regenerates both."""
    start = text.index(README_START) + len(README_START) + 1
    end = text.index(README_END)
    text = text[:start] + reference_markdown() + "\n" + text[end:]
    head = text.find(SCHEMA_HEAD)
    if head >= 0:
        tail = text.find("\n\n", head)
        text = text[:head] + schema_markdown() + (text[tail:] if tail >= 0 else "\n")
    return text


def _rewrite(path: Path) -> None:
    """Rewrite ``path``'s block of exported columns, or raise what keeps it from it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FileAccessError.of(exc) from exc
    if README_START not in text or README_END not in text:
        raise UsageError(
            f"{path} 中没有导出列说明的标记 {README_START} … {README_END}：请先把这两行加进"
            "文件，再运行。",
            f"{path} has no markers {README_START} … {README_END} around the exported "
            "columns' reference: add those two lines to the file, then run again.")
    try:
        path.write_text(update_readme(text), encoding="utf-8")
    except OSError as exc:
        raise FileAccessError.of(exc) from exc


def main(argv: list[str] | None = None) -> int:
    """``python -m xlsales.export_docs README.md...``: rewrite each file's block of
    exported columns; 0 when done, 2 (a bilingual message, no traceback) when a file
    cannot be read or has no such block."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m xlsales.export_docs",
        description="Rewrite the README's reference of exported columns (每个导出列的含义) "
                    f"between its markers: {README_START} ... {README_END}")
    parser.add_argument("files", nargs="+", metavar="README.md",
                        help="the file(s) to rewrite in place")
    for name in parser.parse_args(argv).files:
        try:
            _rewrite(Path(name))
        except XlsalesError as error:
            print(f"错误 / Error: {error.message('zh')}", file=sys.stderr)
            return error.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
