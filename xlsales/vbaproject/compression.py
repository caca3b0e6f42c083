"""MS-OVBA 2.4.1 compression: a CompressedContainer of chunks of 4096 decompressed bytes.

Each chunk holds groups of a flag byte and up to eight tokens: a literal byte, or a
two-byte copy token whose offset/length bit split depends on how far into the chunk the
token starts (MS-OVBA 2.4.1.3.19.1). A chunk whose tokens would not fit in 4096 bytes
is stored raw. MS-OVBA pads a raw chunk to 4096 bytes, which would append NUL bytes to
the data when the last chunk is short; this writer stores a short last raw chunk
unpadded instead, so every input round-trips exactly (only data with no three-byte
repeat in its last 3.6 KB gets there; VBA source never does).
"""

from __future__ import annotations

from xlsales.vbaproject.errors import CorruptVbaDataError

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_MIN_MATCH = 3
_CANDIDATES = 48  # earlier positions tried per match: enough for source text, bounded time
_COMPRESSED_FLAG = 0x8000
_CHUNK_SIGNATURE = 0x3000


def _bit_count(difference: int) -> int:
    """Bits of a copy token's offset when it starts ``difference`` bytes into its chunk."""
    return max((difference - 1).bit_length(), 4)


def _match_length(data: bytes, earlier: int, here: int, limit: int) -> int:
    n = 0
    while n + 16 <= limit and data[earlier + n:earlier + n + 16] == data[here + n:here + n + 16]:
        n += 16
    while n < limit and data[earlier + n] == data[here + n]:
        n += 1
    return n


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = start
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            bits = _bit_count(pos - start)
            limit = min((0xFFFF >> bits) + _MIN_MATCH, end - pos)
            best_len, best_at = 0, 0
            if limit >= _MIN_MATCH:
                for earlier in reversed(seen.get(data[pos:pos + _MIN_MATCH], [])[-_CANDIDATES:]):
                    length = _match_length(data, earlier, pos, limit)
                    if length > best_len:
                        best_len, best_at = length, earlier
                        if length == limit:
                            break
            if best_len >= _MIN_MATCH:
                token = ((pos - best_at - 1) << (16 - bits)) | (best_len - _MIN_MATCH)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, min(pos + step, end - _MIN_MATCH + 1)):
                seen.setdefault(data[p:p + _MIN_MATCH], []).append(p)
            pos += step
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        end = min(start + CHUNK_SIZE, len(data))
        tokens = _compress_chunk(data, start, end)
        if len(tokens) <= CHUNK_SIZE:
            header = _COMPRESSED_FLAG | _CHUNK_SIGNATURE | (len(tokens) + 2 - 3)
            out += header.to_bytes(2, "little") + tokens
        else:
            header = _CHUNK_SIGNATURE | (CHUNK_SIZE + 2 - 3)
            out += header.to_bytes(2, "little") + data[start:end]
    return bytes(out)


def _corrupt(what: str) -> CorruptVbaDataError:
    return CorruptVbaDataError(f"压缩的 VBA 数据已损坏：{what}",
                               f"compressed VBA data is corrupt: {what}")


def _copy(out: bytearray, offset: int, length: int) -> None:
    src = len(out) - offset
    if offset >= length:
        out += out[src:src + length]
    else:  # the copy overlaps what it writes: the last `offset` bytes repeat
        pattern = bytes(out[src:])
        out += (pattern * (length // offset + 1))[:length]


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer."""
    if not container or container[0] != _SIGNATURE:
        raise _corrupt("signature byte is not 0x01")
    out = bytearray()
    pos, total = 1, len(container)
    while pos < total:
        if pos + 2 > total:
            raise _corrupt(f"chunk header cut off at byte {pos}")
        header = int.from_bytes(container[pos:pos + 2], "little")
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise _corrupt(f"bad chunk signature at byte {pos}")
        chunk_end = min(pos + (header & 0x0FFF) + 3, total)
        chunk_start = len(out)
        pos += 2
        if not header & _COMPRESSED_FLAG:
            out += container[pos:pos + CHUNK_SIZE]
            pos += CHUNK_SIZE
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise _corrupt(f"copy token cut off at byte {pos}")
                token = int.from_bytes(container[pos:pos + 2], "little")
                pos += 2
                difference = len(out) - chunk_start
                bits = _bit_count(difference)
                offset = (token >> (16 - bits)) + 1
                if offset > difference:
                    raise _corrupt(f"copy token at byte {pos - 2} points before its chunk")
                _copy(out, offset, (token & (0xFFFF >> bits)) + _MIN_MATCH)
    return bytes(out)
