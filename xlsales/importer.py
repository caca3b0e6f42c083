"""Read a CRM export (CSV in UTF-8/UTF-8 BOM/GBK/GB18030, or xlsx) as sales records.

Columns map onto the spec's field keys automatically where a header equals a
field's key or label in either language, or as the user says (``--map
field=Column``, ``--mapping FILE``). Values are normalised like the reader does;
rows that cannot become a sales record are skipped with a reason. Rows dated
outside the period are kept: they are history.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.errors import UsageError, WorkbookError
from xlsales.normalise import normalise_column
from xlsales.spec import SPEC, ColumnType, Lang, Table
from xlsales.values import fold, is_blank

if TYPE_CHECKING:
    import pandas as pd

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312
#: ``DataFrame.attrs`` key of the 1-based row (line) of the export's header
HEADER_ROW = "header_row"


@dataclass
class Skipped:
    """A source row left out, and why (in both languages)."""

    row: int  # 1-based line/row in the export, header = 1
    zh: str
    en: str


@dataclass
class ImportResult:
    """Typed sales rows ready to append, and the report of what happened."""

    frame: pd.DataFrame
    mapping: dict[str, str]  # field key → source column
    unmapped: list[str]
    skipped: list[Skipped] = field(default_factory=list)
    source_rows: list[int] = field(default_factory=list)
    conversions: int = 0




def id_key(value: object) -> str | None:
    """The text an order ID is compared by: trimmed, and ``1001.0`` (a number cell) is
    ``"1001"``; None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _headers(raw: list[object]) -> list[str]:
    """Header texts, trimmed, blank ones named by position, duplicates numbered."""
    out: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(raw, 1):
        base = "" if is_blank(value) else str(value).strip()
        base = base or f"Column {i}"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        out.append(name)
    return out


def _frame(rows: list[list[object]], path: Path, header_row: int) -> pd.DataFrame:
    if not rows:
        raise UsageError(f"导入文件 {path.name} 是空的，没有表头和数据。",
                         f"The export {path.name} is empty: no header, no rows.")
    width = len(rows[0])
    body = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows[1:]]
    import pandas as pd  # not at import: the CLI loads this module for every command

    frame = pd.DataFrame(body, columns=_headers(rows[0]), dtype=object)
    frame.attrs[HEADER_ROW] = header_row
    return frame


def read_table_file(path: Path) -> pd.DataFrame:
    """All cells of a CSV or of the first sheet of an xlsx, as text/values. The header
    is the first row that is not blank; its 1-based row is ``frame.attrs["header_row"]``."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"找不到导入文件 {path}。", f"The export file {path} was not found.")
    with path.open("rb") as f:
        magic = f.read(4)
    if suffix in (".xlsx", ".xlsm", ".xls") or magic in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        # a workbook (a legacy .xls or another binary file is refused with advice)
        from xlsales.io.cells import READ_FAILURES, open_cell_reader
        from xlsales.io.ooxml import read_layout
        from xlsales.io.safety import check_workbook_file

        check_workbook_file(path)
        try:
            with zipfile.ZipFile(path) as zf:
                sheets = read_layout(zf).sheets
            if not sheets:
                raise UsageError(f"{path.name} 中没有工作表。", f"{path.name} has no worksheet.")
            grid = open_cell_reader(path).rows(sheets[0].name)
        except READ_FAILURES as exc:
            raise WorkbookError(f"{path.name} 已损坏，无法读取（{exc}）。",
                                f"{path.name} is damaged and cannot be read ({exc}).") from exc
        rows = [list(r) for r in grid]
        skip = next((i for i, r in enumerate(rows) if any(not is_blank(v) for v in r)), len(rows))
        return _frame(rows[skip:], path, skip + 1)
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError(
            f"{path.name} 的编码无法识别：请另存为 UTF-8 编码的 CSV 后再导入。",
            f"Cannot tell the text encoding of {path.name}: save it as UTF-8 CSV and import again.",
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    skip = next((i for i, r in enumerate(rows) if any(v.strip() for v in r)), len(rows))
    return _frame(rows[skip:], path, skip + 1)  # type: ignore[arg-type]


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"field": "Column"}`` or a CSV of ``field,column`` lines
    (an optional ``field,column`` header line and ``#`` comment lines are skipped)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UsageError(f"找不到映射文件 {path}。",
                         f"The mapping file {path} was not found.") from exc
    except (UnicodeDecodeError, OSError) as exc:
        raise UsageError(f"无法读取映射文件 {path}（请使用 UTF-8 编码）：{exc}",
                         f"Cannot read the mapping file {path} (use UTF-8): {exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path.name} 不是有效的 JSON：{exc}",
                             f"{path.name} is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise UsageError(
                f"{path.name} 应为 JSON 对象，如 {{\"amount\": \"成交金额\"}}。",
                f"{path.name} must be a JSON object like {{\"amount\": \"Deal value\"}}.",
            )
        return {str(k): str(v) for k, v in data.items()}
    out = {}
    for r in csv.reader(io.StringIO(text)):
        if len(r) < 2 or not r[0].strip() or r[0].lstrip().startswith("#"):
            continue
        if not out and (r[0].strip().lower(), r[1].strip().lower()) == ("field", "column"):
            continue
        out[r[0].strip()] = r[1].strip()
    return out


def _resolve_header(name: str, headers: list[str]) -> str | None:
    """``name`` as one of ``headers``: exactly, else ignoring case, width and spaces."""
    if name in headers:
        return name
    return next((h for h in headers if fold(h) == fold(name)), None)


def map_columns(headers: list[str], table: Table, explicit: dict[str, str]) -> dict[str, str]:
    """Field key → source header: explicit mappings first, then matching labels/keys."""
    unknown = [k for k in explicit if k not in table.keys]
    if unknown:
        fields = [c.key for c in table.columns if c.is_input]
        raise UsageError(
            f"未知字段：{', '.join(unknown)}。可用字段：{', '.join(fields)}。",
            f"Unknown field(s): {', '.join(unknown)}. Fields: {', '.join(fields)}.",
        )
    calculated = [k for k in explicit if not table.column(k).is_input]
    if calculated:
        raise UsageError(
            f"字段 {', '.join(calculated)} 由公式自动计算，不能导入。",
            f"The field(s) {', '.join(calculated)} are calculated by formulas and cannot be "
            "imported.",
        )
    resolved = {k: _resolve_header(v, headers) for k, v in explicit.items()}
    missing = [explicit[k] for k, v in resolved.items() if v is None]
    if missing:
        raise UsageError(
            f"导入文件中没有这些列：{', '.join(missing)}。文件的列：{', '.join(headers)}。",
            f"The export has no column(s) {', '.join(missing)}. Its columns: {', '.join(headers)}.",
        )
    mapping = {k: v for k, v in resolved.items() if v is not None}
    taken = set(mapping.values())
    for column in table.columns:
        if column.key in mapping or not column.is_input:
            continue
        names = {fold(column.key), fold(column.label.zh), fold(column.label.en)}
        for h in headers:
            if h not in taken and fold(h) in names:
                mapping[column.key] = h
                taken.add(h)
                break
    return mapping


def _as_text(value: object) -> object:
    """A number read from an xlsx cell of a text field (IDs, names) as its text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def prepare_import(source: pd.DataFrame, explicit: dict[str, str],
                   existing_ids: set[str] | None = None) -> ImportResult:
    """Typed sales rows from an export: mapped, normalised, with skipped rows explained.

    Blank rows are dropped silently; rows with an unreadable value or a missing required
    field, and rows whose order ID is already in the workbook (``existing_ids``) or
    earlier in the export, are skipped with a reason."""
    table = SPEC.table("Sales")
    headers = [str(h) for h in source.columns]
    mapping = map_columns(headers, table, explicit)
    required = [c for c in table.columns if c.required and c.is_input]
    absent = [c for c in required if c.key not in mapping]
    if absent:
        zh = "、".join(f"{c.label.zh}（{c.key}）" for c in absent)
        en = ", ".join(f"{c.label.en} ({c.key})" for c in absent)
        raise UsageError(
            f"无法确定这些必填字段对应的列：{zh}。"
            "请用 --map 字段=列名 指定，例如 --map amount=成交金额。",
            f"Cannot tell which column holds: {en}. Say it with --map field=Column, e.g. "
            "--map amount='Deal value'.",
        )
    first_row = int(source.attrs.get(HEADER_ROW, 1)) + 1
    data: dict[str, list[object]] = {}
    bad: dict[int, list[tuple[str, object]]] = {}
    conversions = 0
    for key, header in mapping.items():
        column = table.column(key)
        raw = source[header].tolist()
        if column.type is ColumnType.TEXT:
            raw = [_as_text(v) for v in raw]
        values, issues = normalise_column(column, raw)
        for i, code, original in issues:
            if code == "invalid":
                bad.setdefault(i, []).append((key, original))
            else:
                conversions += 1
        data[key] = values
    import pandas as pd

    frame = pd.DataFrame(data)
    result = ImportResult(frame, mapping, [h for h in headers if h not in mapping.values()],
                          conversions=conversions)
    keep = []
    seen: dict[str, int | None] = {k: None for v in existing_ids or () if (k := id_key(v))}
    keys = list(data)
    for i, values in enumerate(zip(*(data[k] for k in keys), strict=True)):
        row_no = first_row + i
        row = dict(zip(keys, values, strict=True))
        if all(is_blank(v) for v in values):
            continue
        lacking = [c.key for c in required if is_blank(row[c.key])]
        unreadable = bad.get(i, [])
        if unreadable or lacking:
            result.skipped.append(_unusable(row_no, unreadable, lacking, table))
            continue
        order = id_key(row["order_id"])
        assert order is not None  # order_id is required
        if order in seen:
            first = seen[order]
            if first is None:
                result.skipped.append(Skipped(row_no, f"订单编号 {order} 已在工作簿中",
                                              f"order {order} is already in the workbook"))
            else:
                result.skipped.append(Skipped(
                    row_no, f"订单编号 {order} 在导入文件中重复（第 {first} 行已导入）",
                    f"order {order} appears twice in the export (row {first} is imported)"))
            continue
        seen[order] = row_no
        keep.append(i)
    result.frame = frame.iloc[keep].reset_index(drop=True)
    result.source_rows = [first_row + i for i in keep]
    return result


def _unusable(row: int, unreadable: list[tuple[str, object]], lacking: list[str],
              table: Table) -> Skipped:
    """Why a row cannot become a sales record: values that cannot be read, required
    fields left empty."""
    zh, en = [], []
    if unreadable:
        zh.append("无法读取：" + "、".join(f"{table.column(k).label.zh} {v!r}"
                                       for k, v in unreadable))
        en.append("unreadable: " + ", ".join(f"{table.column(k).label.en} {v!r}"
                                             for k, v in unreadable))
    bad_keys = {k for k, _ in unreadable}
    lacking = [k for k in lacking if k not in bad_keys]
    if lacking:
        zh.append("缺少必填项：" + "、".join(table.column(k).label.zh for k in lacking))
        en.append("missing: " + ", ".join(table.column(k).label.en for k in lacking))
    return Skipped(row, "；".join(zh), "; ".join(en))


def named_as_in_book(frame: pd.DataFrame, lists: Mapping[str, Sequence[str]],
                     lang: Lang) -> tuple[pd.DataFrame, int]:
    """``frame`` with each value of a list column that names a built-in entry of its list
    in the other language (an English CRM's ``East`` in a Chinese workbook) as the
    workbook's list has it (``华东``), when the list has it so and not the value itself;
    and how many values were renamed."""
    renamed = 0
    for column in SPEC.table("Sales").builtin_list_columns:
        source = column.list_source
        if source is None or column.key not in frame.columns:
            continue
        allowed = set(lists.get(source.key, []))
        values = frame[column.key].tolist()
        named = [v if v in allowed or (t := source.default_in(v, lang)) not in allowed else t
                 for v in values]
        changed = sum(a is not b for a, b in zip(values, named, strict=True))
        if changed:
            frame = frame.assign(**{column.key: named})
            renamed += changed
    return frame, renamed


def book_values(frame: pd.DataFrame, keys: list[str], lang: Lang) -> list[tuple[object, ...]]:
    """Rows of ``frame``'s ``keys`` as a workbook in ``lang`` shows them: choice keys become
    their labels (stage ``won`` → 赢单), blanks become None."""
    table = SPEC.table("Sales")
    columns = []
    for key in keys:
        column = table.column(key)
        values = frame[key].tolist() if key in frame.columns else [None] * len(frame)
        if column.choices is not None:
            labels = {c.key: c.label.get(lang) for c in column.choices.choices}
            values = [None if is_blank(v) else labels.get(v, v) for v in values]
        else:
            values = [None if is_blank(v) else _plain(v) for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True)) if columns else [()] * len(frame)


def _plain(value: object) -> object:
    """Python scalars for the package writer (numpy numbers, pandas timestamps)."""
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else (
            value.to_pydatetime())
    if isinstance(value, date | str):
        return value
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value
