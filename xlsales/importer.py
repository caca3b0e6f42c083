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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from xlsales.errors import UsageError, WorkbookError
from xlsales.normalise import normalise_column
from xlsales.spec import SPEC, Table

ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312


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


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def read_table_file(path: Path) -> pd.DataFrame:
    """All cells of a CSV or of the first sheet of an xlsx, as text/values, header first."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UsageError(f"找不到导入文件 {path}。", f"The export file {path} was not found.")
    if suffix in (".xlsx", ".xlsm"):
        from xlsales.io.cells import open_cell_reader
        from xlsales.io.safety import check_workbook_file

        check_workbook_file(path)
        import zipfile

        from xlsales.io.ooxml import read_layout

        first = read_layout(zipfile.ZipFile(path)).sheets[0].name
        rows = open_cell_reader(path).rows(first)
        return pd.DataFrame(rows[1:], columns=[str(h).strip() for h in rows[0]]) if rows else (
            pd.DataFrame())
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
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        return pd.DataFrame()
    width = len(rows[0])
    body = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows[1:]]
    return pd.DataFrame(body, columns=[h.strip() for h in rows[0]], dtype=object)


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"field": "Column"}`` or a CSV of ``field,column`` lines."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, dict):
            raise UsageError(
                f"{path.name} 应为 JSON 对象，如 {{\"amount\": \"成交金额\"}}。",
                f"{path.name} must be a JSON object like {{\"amount\": \"Deal value\"}}.",
            )
        return {str(k): str(v) for k, v in data.items()}
    return {r[0].strip(): r[1].strip() for r in csv.reader(io.StringIO(text)) if len(r) >= 2
            and r[0].strip() and not r[0].startswith("#")}


def map_columns(headers: list[str], table: Table, explicit: dict[str, str]) -> dict[str, str]:
    """Field key → source header: explicit mappings first, then matching labels/keys."""
    unknown = [k for k in explicit if k not in table.keys]
    if unknown:
        raise UsageError(
            f"未知字段：{', '.join(unknown)}。可用字段：{', '.join(table.keys)}。",
            f"Unknown field(s): {', '.join(unknown)}. Fields: {', '.join(table.keys)}.",
        )
    missing = [v for v in explicit.values() if v not in headers]
    if missing:
        raise UsageError(
            f"导入文件中没有这些列：{', '.join(missing)}。文件的列：{', '.join(headers)}。",
            f"The export has no column(s) {', '.join(missing)}. Its columns: {', '.join(headers)}.",
        )
    mapping = dict(explicit)
    taken = set(explicit.values())
    for column in table.columns:
        if column.key in mapping or not column.is_input:
            continue
        names = {_norm(column.key), _norm(column.label.zh), _norm(column.label.en)}
        for h in headers:
            if h not in taken and _norm(h) in names:
                mapping[column.key] = h
                taken.add(h)
                break
    return mapping


def prepare_import(source: pd.DataFrame, explicit: dict[str, str],
                   existing_ids: set[str] | None = None) -> ImportResult:
    """Typed sales rows from an export: mapped, normalised, with skipped rows explained."""
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
    data: dict[str, list[object]] = {}
    bad: dict[int, list[str]] = {}
    conversions = 0
    for key, header in mapping.items():
        column = table.column(key)
        values, issues = normalise_column(column, source[header].tolist())
        for i, code, _original in issues:
            if code == "invalid":
                bad.setdefault(i, []).append(key)
            else:
                conversions += 1
        data[key] = values
    frame = pd.DataFrame(data)
    result = ImportResult(frame, mapping, [h for h in headers if h not in mapping.values()],
                          conversions=conversions)
    keep = []
    seen = set(existing_ids or ())
    for i in range(len(frame)):
        row_no = i + 2
        row = frame.iloc[i]
        if all(v is None or v != v for v in row):  # v != v: NaN
            continue
        lacking = [c for c in required if row[c.key] is None or row[c.key] != row[c.key]]
        if i in bad or lacking:
            fields = sorted({*(bad.get(i, [])), *(c.key for c in lacking)})
            result.skipped.append(Skipped(row_no, f"无法读取或缺少：{', '.join(fields)}",
                                          f"unreadable or missing: {', '.join(fields)}"))
            continue
        if str(row["order_id"]) in seen:
            result.skipped.append(Skipped(row_no, f"订单编号 {row['order_id']} 已存在",
                                          f"order {row['order_id']} is already in the workbook"))
            continue
        seen.add(str(row["order_id"]))
        keep.append(i)
    result.frame = frame.iloc[keep].reset_index(drop=True)
    result.source_rows = [i + 2 for i in keep]
    return result
