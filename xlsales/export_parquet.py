"""The parquet export (pyarrow): every column typed by the spec
(:mod:`xlsales.export_schema`) — dates ``date32``, numbers ``float64``, KPI counts
``int64``, text ``string`` — whatever the rows hold, written a row group at a time."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from xlsales.errors import UsageError
from xlsales.export_schema import Kind, column_kind

#: Rows per parquet row group, converted to Arrow at a time.
PARQUET_ROWS = 100_000


def pyarrow_module() -> Any:
    """pyarrow, or a :class:`UsageError` saying how to install it."""
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


def arrow_types(name: str, columns: list[str]) -> dict[str, Any]:
    """The Arrow type of each of ``columns`` of export ``name``, by the spec alone
    (:func:`~xlsales.export_schema.column_kind`): the same for every book and month."""
    pa = pyarrow_module()
    arrow: dict[Kind, Any] = {"date": pa.date32(), "float": pa.float64(), "int": pa.int64(),
                              "text": pa.string()}
    return {c: arrow[column_kind(name, c)] for c in columns}


def arrow_schema(name: str, columns: list[str]) -> Any:
    """The Arrow schema of ``columns`` of export ``name``: each field of its type
    (:func:`arrow_types`) with what it holds in its metadata, ``description`` (en) and
    ``description_zh`` (:func:`~xlsales.export_docs.column_meaning`), so a reader of the
    file finds it there (a column no export table has, none)."""
    from xlsales.export_docs import declared_meaning

    pa = pyarrow_module()
    fields = []
    for column, kind in arrow_types(name, columns).items():
        meaning = declared_meaning(name, column)
        fields.append(pa.field(column, kind, metadata=None if meaning is None else {
            "description": meaning.en, "description_zh": meaning.zh}))
    return pa.schema(fields)


def arrow_table(name: str, frame: pd.DataFrame) -> Any:
    """``frame`` of export ``name`` as an Arrow table of the spec's column types. A
    count (``int64``) holding a fraction is an error, never rounded: the KPI engine gives
    counts whole."""
    pa = pyarrow_module()
    schema = arrow_schema(name, [str(c) for c in frame.columns])
    types = dict(zip(schema.names, schema.types, strict=True))
    arrays = []
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
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(name: str, frame: pd.DataFrame, path: Path) -> None:
    """``frame`` of export ``name`` as parquet, converted and written
    :data:`PARQUET_ROWS` rows (one row group) at a time: memory holds the table, not a
    second copy of it in Arrow."""
    import pyarrow.parquet as pq

    schema = arrow_schema(name, [str(c) for c in frame.columns])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, max(len(frame), 1), PARQUET_ROWS):
            writer.write_table(arrow_table(name, frame.iloc[start:start + PARQUET_ROWS]))
