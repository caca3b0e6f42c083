"""Fast raw deflate for the large parts xlsales writes at a low level (a roll-up's rows).

Where python-isal (Intel's ISA-L) is installed, a low level (1–3) deflates with it: on
the XML xlsales writes it is 6–13× as fast as zlib's level 1, and its output is no
larger (400k roll-up rows' markup: 2.53 MB against zlib's 2.67 MB per 11.7 MB). A
higher level stays with zlib, whose level 6 makes far smaller parts of formula-heavy
sheets than ISA-L's best. Without isal (xlwings Lite, Pyodide) zlib deflates every
level. Either way the stream is plain deflate: any reader inflates it, and blocks ended
with a sync flush can be spliced one after the other.
"""

from __future__ import annotations

import zlib
from typing import Protocol

try:
    from isal import isal_zlib as _isal
except ImportError:  # optional: not under Pyodide
    _isal = None

#: The highest zlib level that ISA-L takes over (with its own level 1).
FAST_MAX_LEVEL = 3


class Compressor(Protocol):
    """A deflate compressor, as ``zlib.compressobj`` returns."""

    def compress(self, data: bytes, /) -> bytes:
        """Deflate ``data``; what is ready of the stream so far."""
        ...

    def flush(self, mode: int = zlib.Z_FINISH, /) -> bytes:
        """The rest of the stream (``Z_FINISH``), or up to a byte boundary
        (``Z_SYNC_FLUSH``)."""
        ...


class Decompressor(Protocol):
    """A raw-deflate decompressor, as ``zlib.decompressobj`` returns."""

    eof: bool

    def decompress(self, data: bytes | memoryview, /) -> bytes:
        """Inflate ``data``; what is ready of the content so far."""
        ...

    def flush(self, /) -> bytes:
        """The rest of the content."""
        ...


def fast_available() -> bool:
    """Whether ISA-L deflates the low levels here."""
    return _isal is not None


def raw_compressor(level: int, fast: bool | None = None) -> Compressor:
    """A raw-deflate compressor (no zlib header: a zip member's data) at zlib ``level``;
    ISA-L for a low level where installed (``fast``: None as available, False zlib)."""
    if _use_fast(level, fast):
        assert _isal is not None
        return _isal.compressobj(1, _isal.DEFLATED, -15)  # type: ignore[no-any-return]
    return zlib.compressobj(level, zlib.DEFLATED, -15)


def compress(data: bytes, level: int, fast: bool | None = None) -> bytes:
    """``data`` deflated in the zlib format (header and checksum: ``zlib.decompress``
    opens it), at zlib ``level``; ISA-L for a low level where installed."""
    if _use_fast(level, fast):
        assert _isal is not None
        return _isal.compress(data, 1)  # type: ignore[no-any-return]
    return zlib.compress(data, level)


def raw_decompressor() -> Decompressor:
    """A raw-deflate decompressor (a zip member's data): ISA-L where installed, twice as
    fast as zlib on a sheet's XML; zlib otherwise. Both inflate any deflate stream."""
    if _isal is not None:
        return _IsalInflate()
    return zlib.decompressobj(-15)


class _IsalInflate:
    """ISA-L's raw inflate, raising ``zlib.error`` on damaged data as zlib does (so the
    readers' damaged-file handling sees one kind of error)."""

    def __init__(self) -> None:
        assert _isal is not None
        self._inflate = _isal.decompressobj(-15)

    @property
    def eof(self) -> bool:
        return bool(self._inflate.eof)

    def decompress(self, data: bytes | memoryview, /) -> bytes:
        try:
            return self._inflate.decompress(data)  # type: ignore[no-any-return]
        except _isal.error as error:  # type: ignore[union-attr]
            raise zlib.error(str(error)) from error

    def flush(self, /) -> bytes:
        try:
            return self._inflate.flush()  # type: ignore[no-any-return]
        except _isal.error as error:  # type: ignore[union-attr]
            raise zlib.error(str(error)) from error


def crc32(data: bytes | memoryview, value: int = 0) -> int:
    """CRC-32 of ``data`` continued from ``value``, as ``zlib.crc32`` gives it (ISA-L's
    is some 9× as fast where installed)."""
    if _isal is not None:
        return _isal.crc32(data, value)  # type: ignore[no-any-return]
    return zlib.crc32(data, value)


def _use_fast(level: int, fast: bool | None) -> bool:
    if fast is False or _isal is None:
        return False
    return 0 < level <= FAST_MAX_LEVEL
