"""CRC-32 of concatenated data from the CRC-32s of its parts (zlib's ``crc32_combine``,
which Python does not expose): a roll-up's sheet is written from blocks rendered apart,
each with its own CRC-32 (:mod:`xlsales.rollup_splice`)."""

from __future__ import annotations


def _gf2_times(matrix: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= matrix[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


_ZERO_BYTES: list[list[int]] = []  # [k]: the operator that appends 2**k zero bytes


def _zeros_operator(k: int) -> list[int]:
    while len(_ZERO_BYTES) <= k:
        if _ZERO_BYTES:
            _ZERO_BYTES.append(_gf2_square(_ZERO_BYTES[-1]))
        else:
            bit = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
            _ZERO_BYTES.append(_gf2_square(_gf2_square(_gf2_square(bit))))  # eight bits
    return _ZERO_BYTES[k]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from CRC-32 of A, CRC-32 of B and the length of B."""
    k = 0
    while len2 > 0:
        if len2 & 1:
            crc1 = _gf2_times(_zeros_operator(k), crc1)
        len2 >>= 1
        k += 1
    return crc1 ^ crc2
