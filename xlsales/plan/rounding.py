"""Split a whole into parts that sum exactly to it after rounding."""

from __future__ import annotations

import math
from collections.abc import Sequence


def rounding_unit(total: float) -> float:
    """Round money targets to 100 from 10,000 up, to 1 below."""
    return 100.0 if abs(total) >= 10_000 else 1.0


def round_money(amount: float) -> float:
    """A computed money target as a round amount: to :func:`rounding_unit`'s unit."""
    unit = rounding_unit(amount)
    return in_units(round(amount / unit), unit)


def given_unit(total: float) -> float:
    """The unit a target someone gave is split in: :func:`rounding_unit` when the target
    is a multiple of it, else a unit that keeps it exact (1,234,567 stays 1,234,567,
    split in whole units; 1,000.50 in cents)."""
    for unit in (rounding_unit(total), 1.0, 0.01):
        if abs(total / unit - round(total / unit)) < 1e-9:
            return unit
    return 0.01


def split_exact(total: float, weights: Sequence[float], unit: float = 1.0) -> list[float]:
    """Parts of ``total`` (rounded to ``unit``) in proportion to ``weights``, each a
    multiple of ``unit``, summing exactly to the rounded total (largest remainder).
    Zero or negative weight sums split evenly."""
    n = len(weights)
    if n == 0:
        return []
    units = round(total / unit)
    w = [max(0.0, float(x)) for x in weights]
    s = sum(w)
    if s <= 0:
        w, s = [1.0] * n, float(n)
    raw = [units * x / s for x in w]
    parts = [math.floor(r) for r in raw]
    short = units - sum(parts)
    order = sorted(range(n), key=lambda i: (raw[i] - parts[i], w[i], -i), reverse=True)
    for i in order[:short]:
        parts[i] += 1
    return [in_units(p, unit) for p in parts]


def in_units(count: int, unit: float) -> float:
    """``count`` units of ``unit`` as a number without floating-point residue (9,999 cents
    are 99.99, not 99.99000000000001)."""
    decimals = max(0, -math.floor(math.log10(unit))) if unit < 1 else 0
    return round(count * unit, decimals)


def split_grid(row_totals: Sequence[float], col_totals: Sequence[float],
               unit: float = 1.0) -> list[list[float]]:
    """A rows × columns table of multiples of ``unit`` whose rows sum exactly to
    ``row_totals`` and columns to ``col_totals`` (both already multiples of ``unit``
    with the same sum): each row is split in proportion to what every column still
    needs, and the last row takes the rest."""
    remaining = [float(c) for c in col_totals]
    grid = []
    for i, total in enumerate(row_totals):
        if i == len(row_totals) - 1:  # the rest, in whole units (no residue of cents)
            row = [in_units(round(r / unit), unit) for r in remaining]
        else:
            row = split_exact(total, remaining, unit)
        grid.append(row)
        remaining = [r - x for r, x in zip(remaining, row, strict=True)]
    return grid
