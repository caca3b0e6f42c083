"""The form tables of a workbook (basic info, assumptions: one row per declared field)
read into typed values, and the period they name.

A field's value that cannot be read is reported at its cell, as a table cell is (a
period type typed ``月份``, a start typed ``12/1/2026``); a period start that is not the
first day of a month is an error: xlsales counts the calendar month while the
workbook's own KPI sheet counts from the date as typed, and the two would differ."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from xlsales.findings import Finding, finding, percent_typed_bare
from xlsales.io.reader_a1 import get_column_letter
from xlsales.io.reader_data import ReadTable
from xlsales.io.reader_frames import issue_finding
from xlsales.normalise import normalise_column
from xlsales.periods import Period, PeriodType
from xlsales.spec import Column, ColumnType, Lang, Table
from xlsales.spec.traditional import name_key


@dataclass
class FormValues:
    """The typed values of a form table, by field key, and the cell of each field."""

    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, tuple[str, int]] = field(default_factory=dict)  # key → (cell, row)
    #: fields holding a value that could not be read (reported at their cells)
    unreadable: set[str] = field(default_factory=set)


def form_values(read: ReadTable, lang: Lang, findings: list[Finding]) -> FormValues:
    """Field key → typed value of a key/item/value form table; a value that cannot be
    read is None and gets a finding at its cell in ``findings``."""
    fields = {f.key: f for f in read.spec.form_fields}
    labels = {}
    for f in read.spec.form_fields:
        labels.update({name_key(f.label.zh): f.key, name_key(f.label.en): f.key})
    import pandas as pd

    out = FormValues()
    frame = read.frame
    n = len(frame)
    letter = get_column_letter(read.columns["value"]) if "value" in read.columns else None
    # cell → the first finding that a value of this sheet was trimmed there: looked up per
    # field, once over the findings (a search per field cost a book with 100k findings
    # 0.2 s); nothing this function adds is one
    converted: dict[str | None, Finding] = {}
    for f in findings:
        if f.rule == "converted" and f.sheet == read.sheet:
            converted.setdefault(f.cell, f)

    def cells(name: str) -> list[object]:  # as Python values, None where missing
        if name not in frame.columns:
            return [None] * n
        values = frame[name].to_numpy(dtype=object)  # no Series of what is missing
        return [None if missing else v
                for v, missing in zip(values.tolist(), pd.isna(values).tolist(), strict=True)]

    for i, (key, item, value) in enumerate(zip(cells("key"), cells("item"), cells("value"),
                                               strict=True)):
        key = key if key in fields else labels.get(name_key(item))
        if key is None:
            continue
        row = read.rows[i]
        if fields[key].formula:
            if letter is not None:
                _explain_error(findings, fields, key, f"{letter}{row}", read, lang)
            continue
        if letter is not None:
            out.cells[key] = (f"{letter}{row}", row)
        values, issues = normalise_column(fields[key], [value], lang)
        invalid = any(code == "invalid" for _, code, _ in issues)
        out.values[key] = None if invalid else values[0]
        if invalid:
            out.unreadable.add(key)
        if invalid and letter is not None:
            findings.append(issue_finding(fields[key], "invalid", value, read.sheet,
                                          f"{letter}{row}", row, read.spec.name, lang))
        elif letter is not None:
            findings += _out_of_range(fields[key], out.values[key], read, f"{letter}{row}",
                                      row, lang)
            cell = f"{letter}{row}"
            trimmed = converted.pop(cell, None)
            if (issues or trimmed is not None) and isinstance(value, str) \
                    and key in formula_fields(read.spec):
                field = fields[key]
                if trimmed is not None:  # "月度 ": trimmed as the value column was read
                    value = findings.pop(next(i for i, f in enumerate(findings)
                                              if f is trimmed)).value
                findings.append(finding(
                    "form_value_not_counted", sheet=read.sheet, cell=cell,
                    row=row, column=key, value=value, table=read.spec.name,
                    label=field.label.get(lang),
                    read_as=field.choices.label(str(values[0]), lang) if field.choices
                    else field.shown(values[0]),
                    how_zh="从下拉列表中选择" if field.choices else "重新输入为日期",
                    how_en="pick it from the drop-down list" if field.choices
                    else "type it again as a date"))
    return out


def _explain_error(findings: list[Finding], fields: dict[str, Column], key: str, cell: str,
                   read: ReadTable, lang: Lang) -> None:
    """The error value of a calculated field (the period end) said as what to check: the
    fields its formula reads, not the formula, which the user is not to touch."""
    inputs = [f for f in formula_fields(read.spec) if f"info_{f}" in (fields[key].formula or "")]
    for i, f in enumerate(findings):
        if f.rule == "error_value" and f.sheet == read.sheet and f.cell == cell and inputs:
            findings[i] = finding(
                "calculated_field_error", sheet=f.sheet, cell=cell, row=f.row, column=key,
                value=f.value, table=read.spec.name, label=fields[key].label.get(lang),
                inputs_zh="、".join(f"“{fields[k].label.zh}”" for k in sorted(inputs)),
                inputs_en=", ".join(f"'{fields[k].label.en}'" for k in sorted(inputs)))


def formula_fields(table: Table) -> frozenset[str]:
    """The fields of a form table that its calculated fields' formulas read (the period's
    start and type, for its end): the workbook's own formulas see them as typed."""
    names = {m for f in table.form_fields if f.formula
             for m in re.findall(r"\{name:info_(\w+)\}", f.formula)}
    return frozenset(f.key for f in table.form_fields if f.key in names)


def _out_of_range(column: Column, value: object, read: ReadTable, cell: str, row: int,
                  lang: Lang) -> list[Finding]:
    """A field's number against the spec's bounds (an error), and a percentage over 100%
    (a warning: ``15`` typed for 15% reads as 1500%)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
        return []
    where = {"sheet": read.sheet, "cell": cell, "row": row, "column": column.key,
             "value": value, "table": read.spec.name, "label": column.label.get(lang),
             "shown": column.shown(value)}
    if column.min_value is not None and value < column.min_value:
        return [finding("below_minimum", minimum=column.shown(column.min_value), **where)]
    hint = percent_typed_bare(value, column.max_value) if column.type is ColumnType.PERCENT \
        else None  # 15 typed for 15%: say so
    if column.max_value is not None and value > column.max_value:
        return [finding("percent_above_maximum" if hint else "above_maximum",
                        maximum=column.shown(column.max_value), **(hint or {}), **where)]
    if column.type is ColumnType.INTEGER and not float(value).is_integer():
        return [finding("not_whole", **where)]
    if column.type is ColumnType.PERCENT and value > 1:
        return [finding("percent_over_100", **(hint or {"meant": f"{value:g}%",
                                                         "decimal": f"{value / 100:g}"}),
                        **where)]
    return []


def form_currency(info: FormValues, sheet: str, findings: list[Finding]) -> None:
    """A warning at the currency cell when it names no one currency (``元``: the yuan,
    the New Taiwan or the Hong Kong dollar; ``Dollars``: none): roll-ups and the export
    could not tell the book's currency, nor validation which marks agree with it."""
    from xlsales.currency import CURRENCY_FIELD, book_currencies, unknown_code
    from xlsales.values import is_blank

    value = info.values.get(CURRENCY_FIELD)
    if is_blank(value) or not str(value).strip():
        return  # CNY, as `new` writes it
    codes = book_currencies(value)
    typo = unknown_code(str(value)) if isinstance(value, str) else None
    cell, row = info.cells.get(CURRENCY_FIELD, (None, None))
    if typo is not None:  # CYN for CNY: read as a currency of its own
        near = typo[1]
        findings.append(finding(
            "currency_unknown", sheet=sheet, table="Info", cell=cell, row=row,
            column=CURRENCY_FIELD, value=value,
            near_zh=f"（是否想写 {'、'.join(near)}？）" if near else "",
            near_en=f" (did you mean {' or '.join(near)}?)" if near else ""))
        return
    if codes is not None and len(codes) == 1:
        return
    findings.append(finding("currency_unclear", sheet=sheet, table="Info", cell=cell,
                            row=row, column=CURRENCY_FIELD, value=value))


def form_period(info: FormValues, sheet: str, findings: list[Finding]) -> Period | None:
    """The period the basic info names (the calendar month, quarter or year of its
    start), or None; a start that is not a month's first day gets an error."""
    from xlsales.spec.declarations import PERIOD_TYPE

    start, ptype = info.values.get("period_start"), info.values.get("period_type")
    key = PERIOD_TYPE.key_of(str(ptype)) if ptype else None
    if not isinstance(start, date) or key is None:
        missing = [k for k in ("period_type", "period_start") if info.values.get(k) is None]
        empty = [k for k in missing if k not in info.unreadable]
        if empty:  # an unreadable one has its own error at its cell, saying what to type
            cell, row = info.cells.get(empty[0], (None, None))
            findings.append(finding("period_missing", sheet=sheet, table="Info", cell=cell,
                                    row=row, column=empty[0]))
        return None
    period = Period(start.replace(day=1), PeriodType(key))
    if not period.aligned:  # 2026-08-01 as a quarter: labelled 2026-Q3, counts Aug–Oct
        cell, row = info.cells.get("period_start", (None, None))
        findings.append(unaligned_finding(period, start, sheet, cell, row))
    elif start.day != 1:
        cell, row = info.cells.get("period_start", (None, None))
        first = period.start.isoformat()
        findings.append(finding("period_start_day", sheet=sheet, table="Info", cell=cell,
                                row=row, column="period_start", value=start,
                                first=first, period=period.label, end=period.end.isoformat()))
    return period


def unaligned_finding(period: Period, typed: date, sheet: str, cell: str | None,
                      row: int | None) -> Finding:
    """The error of a quarter or year that does not start on its calendar start (a
    quarter from 1 August): the dates it covers, and the starts to type instead (that
    of the quarter or year it starts in, and of the next)."""
    months = period.months
    first = Period(date(period.start.year, (period.start.month - 1) // months * months + 1,
                        1), period.type)
    options = (first, first.next)
    zh = {"quarter": ("季度", "1 月、4 月、7 月或 10 月 1 日"), "year": ("年度", "1 月 1 日")}
    en = {"quarter": ("quarter", "1 January, April, July or October"),
          "year": ("year", "1 January")}
    kind_zh, starts_zh = zh[period.type.value]
    kind_en, starts_en = en[period.type.value]
    return finding(
        "period_start_unaligned", sheet=sheet, table="Info", cell=cell, row=row,
        column="period_start", value=typed, kind_zh=kind_zh, kind_en=kind_en,
        starts_zh=starts_zh, starts_en=starts_en, label=period.label, dates=period.dates,
        dates_en=period.span("en"),
        fix_zh="或".join(f" {p.start.isoformat()}（{p.label}）" for p in options).strip(),
        fix_en=" or ".join(f"{p.start.isoformat()} ({p.label})" for p in options))
