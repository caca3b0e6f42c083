"""Size units and the limits beyond which :mod:`xlsales.io.safety` refuses a package
as a possible zip or XML bomb."""

from __future__ import annotations

from dataclasses import dataclass

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class SafetyLimits:
    """Limits beyond which a package is refused as a possible zip or XML bomb."""

    max_total_size: int = 2 * GiB
    """Declared uncompressed size of all members together."""
    max_part_size: int = 1 * GiB
    """Declared uncompressed size of any single member (sheet XML included)."""
    max_ratio: float = 100.0
    """Uncompressed:compressed ratio allowed for a member larger than ``ratio_min_size``
    (real sheet parts compress about 10:1)."""
    ratio_min_size: int = 10 * MiB
    max_members: int = 10_000
    max_structural_size: int = 64 * MiB
    """Parts read whole: content types, relationships, the workbook part."""
    prologue_bytes: int = 4 * KiB
    """How much of each XML part is decompressed to look for a DTD."""
    crc_budget: int = 4 * MiB
    """Uncompressed bytes of non-structural members whose CRC is verified in full."""


DEFAULT_LIMITS = SafetyLimits()
