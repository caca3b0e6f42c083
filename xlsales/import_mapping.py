"""Which export column holds which sales field: ``--map``/``--mapping`` first, then the
fields' keys and labels in either language (Traditional characters too), then what CRMs
call them (:data:`~xlsales.spec.declarations.CRM_HEADERS`); and the mapping files people
write."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from pathlib import Path

from xlsales.errors import UsageError
from xlsales.import_percent import bare_header, says_percent
from xlsales.import_source import sniff_delimiter
from xlsales.import_units import bare_name
from xlsales.spec import SPEC, Column, Table
from xlsales.spec.declarations import CRM_HEADERS, CURRENCY_HEADERS
from xlsales.spec.traditional import name_key
from xlsales.values import fold


def export_headers(explicit: Mapping[str, str] | None = None) -> set[str]:
    """Header names that mark the header row of an export: the sales fields' keys and
    labels in both languages, and the columns ``explicit`` maps."""
    names = {n for c in SPEC.table("Sales").columns if c.is_input
             for n in (c.key, c.label.zh, c.label.en)}
    crm = {n for aliases in CRM_HEADERS.values() for n in aliases} | set(CURRENCY_HEADERS)
    return names | crm | set((explicit or {}).values())


def parse_maps(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--map field=Column`` options as a dict (the column may contain ``=``)."""
    out = {}
    for item in items:
        key, sep, column = item.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise UsageError(
                f"--map {item!r} 的格式应为 字段=列名，例如 --map amount=成交金额。",
                f"--map {item!r} must be field=Column, e.g. --map amount='Deal value'.")
        out[key.strip()] = column.strip()
    return out


class MappingFile(dict[str, str]):
    """A mapping file's field → column (:func:`load_mapping`), knowing its file: a field
    it names wrongly is said to be in it (``map.json``), not in the export nor ``--map``;
    ``--map`` options added to it (:meth:`dict.update`) are no entries of the file."""

    def __init__(self, entries: Mapping[str, str], path: Path) -> None:
        super().__init__(entries)
        self.path = path
        self.fields = frozenset(entries)


def load_mapping(path: Path) -> dict[str, str]:
    """A mapping file: JSON ``{"field": "Column"}``, or lines ``field,column`` (comma,
    semicolon or tab between them; an optional header line such as ``field,column`` or
    ``字段,列名`` and ``#`` comment lines are skipped). UTF-8 (with or without BOM) or
    GBK/GB18030."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UsageError(f"找不到映射文件 {path}。",
                         f"The mapping file {path} was not found.") from exc
    except OSError as exc:
        raise UsageError(f"无法读取映射文件 {path}：{exc.strerror}",
                         f"Cannot read the mapping file {path}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise UsageError(f"无法读取映射文件 {path}：请另存为 UTF-8 编码。",
                             f"Cannot read the mapping file {path}: save it as UTF-8.") from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
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
        return MappingFile({str(k): str(v) for k, v in data.items()}, path)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    delimiter = sniff_delimiter("\n".join(lines)) if lines else ","
    out = {}
    for r in csv.reader(lines, delimiter=delimiter):
        if len(r) < 2 or not r[0].strip():
            raise UsageError(
                f"{path.name} 中的这一行不是“字段,列名”：{delimiter.join(r)!r}。每行写一个字段和"
                "导入文件中的列名，用逗号分隔，例如 amount,成交金额。",
                f"This line of {path.name} is not 'field,column': {delimiter.join(r)!r}. "
                "Write one field and the export's column per line, separated by a comma, "
                "e.g. amount,Deal value.")
        if not out and fold(r[0]) in _MAPPING_HEADERS:
            continue
        out[r[0].strip()] = r[1].strip()
    if not out:
        raise UsageError(f"映射文件 {path.name} 是空的。",
                         f"The mapping file {path.name} is empty.")
    return MappingFile(out, path)


#: First cells of a mapping file's optional header line
_MAPPING_HEADERS = frozenset({"field", "fields", "key", "字段", "字段名"})


def resolve_header(name: str, headers: list[str]) -> str | None:
    """``name`` as one of ``headers``: exactly, else ignoring case, width and spaces, else
    also Simplified and Traditional characters (``金额`` for the column ``金額``)."""
    if name in headers:
        return name
    for same in (fold, name_key):
        found = next((h for h in headers if same(h) == same(name)), None)
        if found is not None:
            return found
    return None


def field_key(name: str, table: Table) -> str:
    """The key of the field ``name`` names (its key, or its label in either language,
    compared as :func:`~xlsales.spec.traditional.name_key` does: case, width and
    Traditional characters aside); ``name`` itself when none does."""
    wanted = name_key(name)
    for column in table.columns:
        if wanted in (name_key(column.key), name_key(column.label.zh),
                      name_key(column.label.en)):
            return column.key
    return name.strip()


def custom_target(name: str, custom: Sequence[str]) -> str | None:
    """The workbook's custom column ``name`` names (compared as
    :func:`~xlsales.spec.traditional.name_key` does: ``行業`` names ``行业``), None when
    it names none."""
    wanted = name_key(name)
    return next((c for c in custom if name_key(str(c)) == wanted), None)


def map_columns(headers: list[str], table: Table, explicit: dict[str, str],
                custom: Sequence[str] = ()) -> dict[str, str]:
    """Field key → source header: explicit mappings first, then matching labels/keys,
    then the names CRMs give the fields (:data:`~xlsales.spec.declarations.CRM_HEADERS`,
    the first listed first);
    headers compared as :func:`~xlsales.spec.traditional.name_key` does (``訂單編號`` is
    ``订单编号``), a percent field's also without a ``%`` (``Probability (%)``), a money
    field's also without the unit it gives (``商机金额（万元）``, ``金额（万元）``, ``Amount
    (K)``: :mod:`xlsales.import_units`). An explicit mapping onto one of the workbook's
    ``custom`` columns (``--map 行业='Industry Code'``) is checked here (its column must be
    the export's) and keeps its column from the fields; it is filled by
    :func:`~xlsales.import_custom.custom_sources`."""
    explicit = {field_key(k, table): v for k, v in explicit.items()}
    to_custom = {k: v for k, v in explicit.items()
                 if k not in table.keys and custom_target(k, custom) is not None}
    explicit = {k: v for k, v in explicit.items() if k not in to_custom}
    unknown = [k for k in explicit if k not in table.keys]
    if unknown:
        raise _unknown_fields(unknown, table, custom)
    calculated = [k for k in explicit if not table.column(k).is_input]
    if calculated:
        raise UsageError(
            f"字段 {', '.join(calculated)} 由公式自动计算，不能导入。",
            f"The field(s) {', '.join(calculated)} are calculated by formulas and cannot be "
            "imported.",
        )
    resolved = {k: resolve_header(v, headers) for k, v in explicit.items()}
    missing = [(k, v) for k, v in (*explicit.items(), *to_custom.items())
               if resolve_header(v, headers) is None]
    if missing:
        named = ", ".join(f"{k}={v}{_closest(v, headers)}" for k, v in missing)
        named_zh = "，".join(f"{k}={v}{_closest(v, headers, True)}" for k, v in missing)
        raise UsageError(
            f"导入文件中没有映射所指的列：{named_zh}。文件的列：{', '.join(headers)}。请改正列名"
            "（--map 或映射文件）后重试。",
            f"The export has no column the mapping names: {named}. Its columns: "
            f"{', '.join(headers)}. Correct the column's name (in --map or the mapping file) "
            "and try again.",
        )
    mapping = {k: v for k, v in resolved.items() if v is not None}
    taken = set(mapping.values()) | {resolve_header(v, headers) for v in to_custom.values()}
    # the fields' own names first, then what CRMs call them, in the order listed (成交日期
    # before 预计成交日期 when an export has both); a header matches once
    for crm in (False, True):
        for column in table.columns:
            if column.key in mapping or not column.is_input:
                continue
            names = ([name_key(n) for n in CRM_HEADERS.get(column.key, ())] if crm else
                     [name_key(column.key), name_key(column.label.zh),
                      name_key(column.label.en)])
            keys = {h: _header_keys(h, column) for h in headers if h not in taken}
            found = next((h for n in names for h, k in keys.items() if n in k), None)
            if found is not None:
                mapping[column.key] = found
                taken.add(found)
    return mapping


def _closest(name: str, names: Sequence[str], zh: bool = False) -> str:
    """`` (→ 'amount'?)``, ``（是否为 'amount'？）``: the one of ``names`` closest to
    ``name`` (a misspelt column or field), compared as headers are (case, width,
    Traditional characters aside; of names compared alike, the last given); ``""`` when
    none is close."""
    keys = {name_key(str(n)): str(n) for n in names}
    found = get_close_matches(name_key(name), list(keys), n=1, cutoff=0.6)
    if not found:
        return ""
    return f"（是否为 {keys[found[0]]!r}？）" if zh else f" ({keys[found[0]]!r}?)"


def unknown_fields(explicit: Mapping[str, str], table: Table, custom: Sequence[str],
                   other: Sequence[str] = ()) -> UsageError | None:
    """The error for the entries of ``explicit`` (``--map``, a :class:`MappingFile`)
    naming no field of ``table``, no ``custom`` column of the workbook and none of
    ``other`` (the currency's names), saying where each is written; None when all name
    one."""
    unknown = [k for k in explicit if field_key(k, table) not in table.keys
               and custom_target(k, custom) is None and name_key(k) not in other]
    if not unknown:
        return None
    in_file = getattr(explicit, "fields", frozenset())
    path = getattr(explicit, "path", None)
    by_file = [k for k in unknown if k in in_file]
    by_map = [k for k in unknown if k not in in_file]
    return _unknown_fields(unknown, table, custom, [
        (path.name if path is not None else "", by_file), ("--map", by_map)])


def _unknown_fields(unknown: list[str], table: Table, custom: Sequence[str],
                    where: Sequence[tuple[str, list[str]]] = ()) -> UsageError:
    """The error for ``--map``/``--mapping`` naming no field: the fields, the currency,
    and the workbook's ``custom`` columns it could name; ``where`` (where written:
    ``--map`` or the mapping file's name → the names written there) says where each is,
    with the field each is closest to."""
    inputs = [c for c in table.columns if c.is_input]
    # a key last: it is what is suggested of a field whose label is written alike
    names = [n for c in inputs for n in (c.label.zh, c.label.en, c.key)]
    names += ["currency", *map(str, custom)]
    given = [(w, ks) for w, ks in where if ks] or [("", unknown)]
    zh_where = "；".join(
        ("--map 中" if w == "--map" else f"映射文件 {w} 中" if w else "") + "的未知字段："
        + "，".join(f"{k}{_closest(k, names, True)}" for k in ks) for w, ks in given)
    en_where = "; ".join(
        ("unknown field(s) in --map" if w == "--map" else
         f"unknown field(s) in the mapping file {w}" if w else "unknown field(s)") + ": "
        + ", ".join(f"{k}{_closest(k, names)}" for k in ks) for w, ks in given)
    zh_where = zh_where.removeprefix("的")
    en_where = en_where[:1].upper() + en_where[1:]
    zh_custom = ("；工作簿的自定义列（按列名）：" + "、".join(map(str, custom))) if custom else ""
    en_custom = ("; the workbook's custom columns (by header): "
                 + ", ".join(map(str, custom))) if custom else ""
    return UsageError(
        f"{zh_where}。可用字段（字段名或中文名均可）："
        + "、".join(f"{c.key}（{c.label.zh}）" for c in inputs)
        + "；另有 currency（币种：每行金额的币种，仅供导入）" + zh_custom + "。",
        f"{en_where}. Fields (key or label): "
        + ", ".join(f"{c.key} ({c.label.en})" for c in inputs)
        + "; and currency (each row's currency of its amounts, read by the import)"
        + en_custom + ".",
    )


def _header_keys(header: str, column: Column) -> set[str]:
    """What ``header`` is compared by when matching ``column``: its name, and for a
    percent field also its name without the ``%`` saying its numbers are percent
    (``赢单概率(%)`` names 赢单概率), for a money field without the unit its numbers are
    in (``金额（万元）`` names 金额)."""
    keys = {name_key(header)}
    if says_percent(column, header):
        keys.add(name_key(bare_header(header)))
    if (bare := bare_name(column, header)) is not None:
        keys.add(name_key(bare))
    return keys
