"""A workbook package opened for reading, with the parts the safety check read whole
already at hand.

:func:`xlsales.io.safety.checked_parts` reads the small parts of a package to their end
(their CRC-32 checked): relationships, table parts, small sheets, styles. The reader needs
several of them again (the layout: :func:`xlsales.io.ooxml.read_layout`; the error scan
of each small sheet: :func:`xlsales.io.cells.scan_sheet`); :class:`KeptZip` gives those
from memory instead of inflating them a second time.

The reader imports this module: it imports no more than it needs.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path


class KeptZip(zipfile.ZipFile):
    """The package at ``path``, read only; :meth:`read` gives the ``kept`` parts (name →
    their whole content, checked) without inflating them."""

    def __init__(self, path: Path, kept: Mapping[str, bytes]) -> None:
        super().__init__(path)
        self._kept = kept

    def kept(self, name: str) -> bytes | None:
        """The whole content of part ``name`` if it is kept, else None."""
        return self._kept.get(name)

    def read(self, name: str | zipfile.ZipInfo, pwd: bytes | None = None) -> bytes:
        """The content of part ``name`` (from memory when kept)."""
        if pwd is None and isinstance(name, str):
            data = self._kept.get(name)
            if data is not None:
                return data
        return super().read(name, pwd)
