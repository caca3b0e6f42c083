"""A member's table as it crosses processes in a roll-up: :class:`CompactFrame` (columns as
codes into their distinct values, or float arrays) and :class:`Sealed` (a compact frame
pickled and deflated by the worker that read it, handed on by the main process unread to
the worker that renders it)."""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class CompactFrame:
    """A member's table as it crosses processes: each column as integer codes into its
    distinct values (repeated reps, stages, dates and customers cost nothing), or as a
    float array when it is all numbers. Pickles in a fraction of the time of a data
    frame or of rows of Python objects, and renders each distinct value once."""

    length: int
    columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> CompactFrame:
        """``frame`` made compact (float columns as arrays, the others as codes)."""
        columns: dict[str, tuple[np.ndarray, list[object]] | np.ndarray] = {}
        for key, values in frame.items():
            if values.dtype.kind == "f":
                columns[str(key)] = values.to_numpy(dtype=np.float64, copy=True)
                continue
            codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
            columns[str(key)] = (codes.astype(np.int32), uniques.tolist())
        return cls(len(frame), columns)

    def column(self, key: str) -> list[object]:
        """The values of ``key`` (None where empty)."""
        data = self.columns[key]
        if isinstance(data, np.ndarray):
            values = data.astype(object)
            values[np.isnan(data)] = None
            return values.tolist()
        codes, uniques = data
        lookup = np.empty(len(uniques) + 1, dtype=object)
        lookup[:-1] = uniques
        lookup[-1] = None  # code -1: empty
        return lookup[codes].tolist()

    def frame(self) -> pd.DataFrame:
        """The rows as a data frame again."""
        return pd.DataFrame({k: self.column(k) for k in self.columns}, index=range(self.length))


@dataclass(frozen=True)
class Sealed:
    """A :class:`CompactFrame` pickled and deflated by the worker that read it, with its
    length and columns in the clear: the main process keeps it and hands it on to the
    worker that renders it without opening it (one bytes object, about a sixth of the
    pickle: codes and repeated numbers deflate well)."""

    data: bytes
    length: int
    columns: tuple[str, ...]

    @classmethod
    def of(cls, frame: CompactFrame) -> Sealed:
        """``frame`` sealed."""
        data = zlib.compress(pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL), 1)
        return cls(data, frame.length, tuple(frame.columns))

    def open(self) -> CompactFrame:
        """The compact frame inside."""
        frame = pickle.loads(zlib.decompress(self.data))
        assert isinstance(frame, CompactFrame)
        return frame
