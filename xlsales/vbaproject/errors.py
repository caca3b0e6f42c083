"""Errors of the VBA project builder (each carries a Chinese and an English message)."""

from __future__ import annotations

from xlsales.errors import XlsalesError


class VbaProjectError(XlsalesError):
    """A VBA project cannot be built or read."""


class VbaSourceError(VbaProjectError, ValueError):
    """A module's name or source text cannot be stored in a VBA project."""


class CorruptVbaDataError(VbaProjectError, ValueError):
    """Compressed VBA data or a ``dir`` stream does not follow MS-OVBA."""
