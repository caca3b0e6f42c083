"""Stable machine-readable tables for finance: ``xlsales export``.

Column names are the spec's English field and KPI keys; dates are ISO dates;
numbers stay numbers; every row says whose it is, for which period and in which
currency (``report_currency``: amounts in two currencies must not be added up). CSV is
written UTF-8 with a byte-order mark (Excel opens it right) and text that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``)
is neutralised with a leading apostrophe; the xlsx export holds the same text as
text. Parquet (pyarrow) carries real types: dates as ``date32``, numbers as
``float64`` (counts as ``int64``), text as strings — kept as typed, since no
spreadsheet runs it. The workbooks are read in parallel, one per worker process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from xlsales.currency import CURRENCY_FIELD, currency_code
from xlsales.errors import UsageError
from xlsales.export_cells import chunks, clean_frame
from xlsales.export_xlsx import write_xlsx
from xlsales.files import apart, atomic_output, command_path, workbooks
from xlsales.findings import counted
from xlsales.io.reader import ReadWorkbook, read_workbook
from xlsales.kpis import compute_kpis, tidy_kpis
from xlsales.rollup_rank import member_column
from xlsales.spec import SPEC, ColumnType, Lang, Table

Format = Literal["csv", "xlsx", "parquet"]
FORMATS = ("csv", "xlsx", "parquet")
#: Export name → spec table it comes from (None: computed).
EXPORTS: dict[str, str | None] = {
    "kpis": None,
    "kpis_by_rep": None,
    "sales": "Sales",
    "targets": "Targets",
    "activities": "Activities",
    "problems": "Problems",
    "lessons": "Lessons",
    "plan_targets": "PlanTargets",
    "actions": "PlanActions",
    "budget": "PlanBudget",
}
DEFAULT_TABLES = ("kpis", "kpis_by_rep", "targets", "plan_targets", "actions", "budget")
IDENTITY = ("source_file", "report_owner", "report_level", "report_period", "report_start",
            "report_end", "report_currency")
#: Tables of the next period's plan: their rows also name the period planned
#: (``plan_period``), the one after ``report_period``.
PLAN_TABLES = frozenset({"PlanTargets", "PlanActions", "PlanBudget"})
#: The column of a roll-up's rows naming their member (``xlsales consolidate``).
MEMBER = "member"
#: Rows per parquet row group, converted to Arrow at a time.
PARQUET_ROWS = 100_000


@dataclass
class ExportResult:
    """Files written and rows per table."""

    files: list[Path]
    rows: dict[str, int]


def _identity(book: ReadWorkbook) -> dict[str, object]:
    period = book.period
    return {  # prefixed so that they never clash with a table's own columns
        "source_file": book.path.name,
        "report_owner": book.info.get("owner"),
        "report_level": book.info.get("level"),
        "report_period": period.label if period else None,
        "report_start": period.start if period else None,
        "report_end": period.end if period else None,
        # the ISO code its basic information names, CNY when it names none
        "report_currency": currency_code(book.info.get(CURRENCY_FIELD)),
    }


def _metrics_named_in(frame: pd.DataFrame, lang: Lang, currency: object) -> pd.DataFrame:
    """Plan targets with their metric and unit named in ``lang`` (by the row's KPI key:
    a zh and an en book's revenue targets read 销售额 / 元 and Revenue / CNY); rows of
    another metric as they are."""
    from xlsales.plan.units import metric_names, money_unit
    from xlsales.spec.declarations import PLAN_METRICS

    if "kpi" not in frame.columns:
        return frame
    known = frame["kpi"].isin(list(PLAN_METRICS))
    if not known.any():
        return frame
    money = money_unit(currency, lang)
    named = {k: metric_names(k, lang, money) for k in PLAN_METRICS}
    metric = frame["kpi"].map(lambda k: named[k][0] if k in named else None)
    unit = frame["kpi"].map(lambda k: named[k][1] if k in named else None)
    out = frame.copy()
    if "metric" in out.columns:
        out["metric"] = metric.where(known, out["metric"])
    if "unit" in out.columns:
        out["unit"] = unit.where(known, out["unit"])
    return out


def _named_in(frame: pd.DataFrame, table: Table, lang: Lang) -> pd.DataFrame:
    """``frame`` of ``table`` with built-in list entries (regions, products, problem and
    budget categories) named in ``lang``; entries a team added as they are."""
    named = {c.key: frame[c.key].map(lambda v, s=c.list_source: s.default_in(v, lang))
             for c in table.builtin_list_columns if c.key in frame.columns}
    return frame.assign(**named) if named else frame


def book_tables(book: ReadWorkbook, names: Sequence[str],
                labels: Lang | None = None) -> dict[str, pd.DataFrame]:
    """The export tables of one workbook, each row tagged with source, owner, period and
    currency; a roll-up's rows also name their member (``member``). With ``labels``,
    built-in regions, products and categories are named in that language."""
    ident = _identity(book)
    frames = {n: t.frame for n, t in book.tables.items()}
    # one computation gives the whole and, when asked for, each rep
    by = "rep" if "kpis_by_rep" in names else None
    result = (compute_kpis(frames, book.period, by=by)
              if book.period and {"kpis", "kpis_by_rep"} & set(names) else None)
    out: dict[str, pd.DataFrame] = {}
    for name in names:
        source = EXPORTS[name]
        if name == "kpis":
            frame = pd.DataFrame([tidy_kpis(result.kpis)]) if result else pd.DataFrame()
        elif name == "kpis_by_rep":
            frame = pd.DataFrame([{"rep": rep, **tidy_kpis(values)} for rep, values in
                                  (result.groups.items() if result else [])])
        else:
            table = SPEC.table(source or "")
            present = book.tables.get(table.name)
            if present is None:
                frame = pd.DataFrame(columns=[c.key for c in table.columns if c.is_input])
            else:
                keep = [c for c in present.frame.columns if c in table.keys
                        and table.column(c).is_input]
                frame = present.frame[keep]
                member = member_column([c for c in present.frame.columns
                                        if c not in table.keys])
                if member is not None:
                    frame = frame.assign(**{MEMBER: present.frame[member]})
                if labels is not None:
                    frame = _named_in(frame, table, labels)
                    if table.name == "PlanTargets":
                        frame = _metrics_named_in(frame, labels, book.info.get(CURRENCY_FIELD))
        for i, (key, value) in enumerate(ident.items()):
            frame.insert(i, key, value)
        if source in PLAN_TABLES:  # the period the plan is for, not the book's
            frame.insert(len(ident), "plan_period",
                         book.period.next.label if book.period else None)
        out[name] = frame
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as CSV (UTF-8 with a byte-order mark, dates as ISO text, formula-like
    text neutralised), cleaned and written a chunk of rows at a time."""
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        for i, chunk in enumerate(chunks(frame)):
            clean_frame(chunk).to_csv(out, index=False, header=i == 0)


# --- parquet ---------------------------------------------------------------------------


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError as exc:
        raise UsageError(
            "导出 parquet 需要 pyarrow，但没有安装。请运行 pip install pyarrow 后重试，"
            "或改用 --format csv / xlsx。",
            "Exporting parquet needs pyarrow, which is not installed. Run "
            "`pip install pyarrow` and try again, or use --format csv or xlsx.",
        ) from exc
    return pa


def _kind(name: str, column: str) -> str:
    """How a column of export ``name`` is typed in parquet: date, float, int or text."""
    if column in ("report_start", "report_end"):
        return "date"
    if column in IDENTITY or column in ("rep", MEMBER):
        return "text"
    if column == "validation_errors":  # a count, as the KPI counts are
        return "int"
    if name in ("kpis", "kpis_by_rep"):
        kpi = next((k for k in SPEC.kpis if k.key == column), None)
        return "int" if kpi is not None and kpi.unit == "count" else "float"
    table = SPEC.table(EXPORTS[name] or "")
    if column not in table.keys:
        return "text"
    t = table.column(column).type
    if t in (ColumnType.DATE, ColumnType.MONTH):
        return "date"
    if t is ColumnType.INTEGER:
        return "int"
    if t in (ColumnType.NUMBER, ColumnType.MONEY, ColumnType.PERCENT):
        return "float"
    return "text"


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime | pd.Timestamp):
        return None if pd.isna(value) else value.date()
    return value if isinstance(value, date) else None


def _only(values: pd.Series, kind: type) -> bool:
    """Whether every value of the object column ``values`` that is not empty is exactly
    a ``kind`` (not a subclass): then Arrow converts the column as a whole."""
    if values.dtype != object:
        return False
    return bool(values[values.notna()].map(type).isin([kind]).all())


def _plain(values: pd.Series) -> Any:
    """``values`` as Python objects, None where empty."""
    return values.to_numpy(dtype=object, na_value=None)


def _arrow_types(name: str, frame: pd.DataFrame) -> dict[str, Any]:
    """Each column's Arrow type in export ``name``: dates ``date32``, numbers ``float64``
    (``int64`` for a count or integer field whose values are all whole, over the whole
    column), text ``string``."""
    pa = _pyarrow()
    types = {}
    for column in frame.columns:
        kind = _kind(name, str(column))
        if kind == "int":
            numbers = pd.to_numeric(frame[column], errors="coerce").astype("float64")
            kind = "int" if bool((numbers.dropna() % 1 == 0).all()) else "float"
        types[str(column)] = {"date": pa.date32(), "float": pa.float64(), "int": pa.int64(),
                              "text": pa.string()}[kind]
    return types


def arrow_table(name: str, frame: pd.DataFrame, types: dict[str, Any] | None = None) -> Any:
    """``frame`` of export ``name`` as an Arrow table with real column types (``types``:
    those of the whole table, when ``frame`` is a chunk of it)."""
    pa = _pyarrow()
    types = types if types is not None else _arrow_types(name, frame)
    arrays, fields = [], []
    for column in frame.columns:
        values = frame[column]
        kind = types[str(column)]
        if kind == pa.date32():
            array = (pa.array(_plain(values), type=pa.date32()) if _only(values, date)
                     else pa.array([_as_date(v) for v in values], type=pa.date32()))
        elif kind in (pa.float64(), pa.int64()):
            numbers = pd.to_numeric(values, errors="coerce").astype("float64")
            array = pa.array(numbers, type=pa.float64(), from_pandas=True).cast(kind)
        elif str(values.dtype).startswith("str") or _only(values, str):
            array = pa.array(_plain(values), type=pa.string())
        else:  # numbers or other values in a text column: each as its text
            array = pa.array([None if v is None or (isinstance(v, float) and v != v) else str(v)
                              for v in values], type=pa.string())
        arrays.append(array)
        fields.append(pa.field(str(column), array.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def write_parquet(name: str, frame: pd.DataFrame, path: Path) -> None:
    """``frame`` of export ``name`` as parquet, converted and written
    :data:`PARQUET_ROWS` rows (one row group) at a time: memory holds the table, not a
    second copy of it in Arrow."""
    import pyarrow.parquet as pq

    types = _arrow_types(name, frame)
    schema = _pyarrow().schema([(c, t) for c, t in types.items()])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, max(len(frame), 1), PARQUET_ROWS):
            writer.write_table(arrow_table(name, frame.iloc[start:start + PARQUET_ROWS],
                                           types))


# --- reading in parallel ---------------------------------------------------------------


def _tables_of(path: Path, names: Sequence[str],
               labels: Lang | None) -> tuple[dict[str, pd.DataFrame], int, Lang]:
    """One workbook's export tables, its number of validation errors (also in its
    ``kpis`` row: ``validation_errors``) and its language (an error crosses processes as
    itself: it pickles)."""
    from xlsales.findings import Severity
    from xlsales.validation import validate

    book = read_workbook(path, count_formulas=False)  # values, and errors to count
    errors = sum(1 for f in validate(book) if f.severity is Severity.ERROR)
    tables = book_tables(book, names, labels)
    if "kpis" in tables:
        tables["kpis"] = tables["kpis"].assign(validation_errors=errors)
    return tables, errors, book.lang


def error_note(name: str, errors: int, lang: Lang, path: Path | None = None) -> str:
    """What to say of a book exported with validation errors: its rows are exported as
    read, and its KPIs may leave out or miscount the rows in error (the command to see
    them names ``path`` as the user types it, when given)."""
    typed = command_path(path) if path is not None else name
    if lang == "zh":
        return (f"[export] 注意：{name} 有 {errors} 个校验错误，导出的行原样保留，KPI 可能漏算"
                f"或错算出错的行（kpis 表的 validation_errors 列）；运行 xlsales validate "
                f"{typed} 查看")
    return (f"[export] note: {name} has {counted(errors, 'validation error')}: "
            "its rows are exported as read, and its KPIs may leave out or miscount the rows "
            f"in error (column validation_errors of kpis); run `xlsales validate {typed}` to "
            "see them")


def source_names(paths: Sequence[Path]) -> list[str]:
    """How each book is named in ``source_file``: its file name, or where two books share
    one (``east/rollup.xlsx`` and ``north/rollup.xlsx``) the fewest trailing folders that
    tell them apart."""
    out = [p.name for p in paths]
    for depth in range(2, max((len(p.parts) for p in paths), default=0) + 1):
        seen: dict[str, int] = {}
        for name in out:
            seen[name] = seen.get(name, 0) + 1
        clash = [i for i, name in enumerate(out) if seen[name] > 1]
        if not clash:
            break
        for i in clash:
            out[i] = "/".join(paths[i].parts[-depth:])
    return out


def _read_all(paths: Sequence[Path], names: Sequence[str], workers: int,
              progress: Callable[[str], None],
              labels: Lang | None) -> list[dict[str, pd.DataFrame]]:
    from xlsales.rollup_pool import progress_every, results_in_order

    report = progress_every(len(paths))
    out = []
    done = results_in_order(workers, _tables_of, paths, list(names), labels)
    shown = dict(zip(paths, source_names(paths), strict=True))
    for i, (path, (tables, errors, lang)) in enumerate(done, 1):
        if errors:
            progress(error_note(shown[path], errors, lang, path))
        if shown[path] != path.name:  # two books of one name: which one is which
            tables = {n: f.assign(source_file=shown[path]) if "source_file" in f.columns
                      else f for n, f in tables.items()}
        out.append(tables)
        if report(i):
            progress(f"[export] {i}/{len(paths)} {path.name}")
    return out


def export_books(paths: Sequence[Path], out_dir: Path, fmt: Format = "csv",
                 tables: Sequence[str] = DEFAULT_TABLES,
                 progress: Callable[[str], None] = print,
                 workers: int | None = None, labels: Lang | None = None) -> ExportResult:
    """Read every workbook (files, the workbooks of folders, glob patterns; in parallel)
    and write one file per table (all workbooks' rows together); with ``labels``, the
    built-in regions, products and categories of every book named in that language."""
    from xlsales.rollup_pool import cpu_count

    unknown = [t for t in tables if t not in EXPORTS]
    if unknown:
        raise UsageError(f"未知的表：{', '.join(unknown)}。可选：{', '.join(EXPORTS)}。",
                         f"Unknown table(s): {', '.join(unknown)}. Choose from "
                         f"{', '.join(EXPORTS)}.")
    if fmt not in FORMATS:
        raise UsageError(f"不支持的格式 {fmt}：可选 {', '.join(FORMATS)}。",
                         f"Unsupported format {fmt}: choose {', '.join(FORMATS)}.")
    # the files an earlier export wrote into a folder now being exported are not books
    paths, own = apart(workbooks(paths, note=lambda text: progress(f"[export] {text}")),
                       [out_dir / f"{t}.{fmt}" for t in tables])
    for p in own:
        progress(f"[export] left out {p.name}: an output of this export")
    if not paths:
        raise UsageError("给出的文件都是本次导出的输出文件，没有可导出的工作簿。",
                         "Every file given is an output of this export: no workbook to "
                         "export.")
    if fmt == "parquet":
        _pyarrow()  # before reading anything: say what to install
    workers = max(1, min(len(paths), workers or cpu_count()))
    collected: dict[str, list[pd.DataFrame]] = {t: [] for t in tables}
    for book in _read_all(paths, tables, workers, progress, labels):
        for name, frame in book.items():
            collected[name].append(frame)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"-o 应为文件夹，而 {out_dir} 是一个文件：请给出导出文件要放入的文件夹。",
                         f"-o takes a folder, and {out_dir} is a file: give the folder the "
                         "exported files go to.")
    out_dir.mkdir(parents=True, exist_ok=True)
    files, rows = [], {}
    for name in list(collected):  # each table's parts let go of once stacked
        parts = collected.pop(name)
        parts = [f for f in parts if not f.empty] or parts[:1]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        del parts
        rows[name] = len(frame)
        target = out_dir / f"{name}.{fmt}"
        with atomic_output(target) as tmp:
            if fmt == "parquet":
                write_parquet(name, frame, tmp)
            elif fmt == "csv":
                write_csv(frame, tmp)
            else:
                write_xlsx(frame, tmp, name[:31])
        files.append(target)
    return ExportResult(files, rows)
