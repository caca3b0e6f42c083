"""The deflate xlsales writes a roll-up's rows with (ISA-L where installed, else zlib)
is plain deflate: it inflates back, and sync-flushed blocks splice into one stream."""

from __future__ import annotations

import zlib

import pytest

from xlsales.io.deflate import compress, fast_available, raw_compressor

ROWS = b"".join(
    b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>\xe6\x9d\x8e\xe5\xa8\x9c %d</t></is></c>'
    b'<c r="B%d"><v>%d</v></c><c r="I%d"><v>%.2f</v></c></row>'
    % (i, i, i % 37, i, 45000 + i % 500, i, (i * 7919 % 100003) / 3) for i in range(20000))


def test_isal_is_installed_with_xlsales() -> None:
    """pyproject installs python-isal here, so a roll-up's rows get the fast deflate."""
    assert fast_available()


@pytest.mark.parametrize("fast", [None, False])
def test_spliced_blocks_inflate_to_the_rows(fast: bool | None) -> None:
    half = len(ROWS) // 2
    first, second = raw_compressor(1, fast), raw_compressor(1, fast)
    stream = (first.compress(ROWS[:half]) + first.flush(zlib.Z_SYNC_FLUSH)
              + second.compress(ROWS[half:]) + second.flush(zlib.Z_FINISH))
    assert zlib.decompress(stream, -15) == ROWS


def test_fast_deflate_is_isal_and_no_larger_than_zlib() -> None:
    fast, plain = raw_compressor(1), raw_compressor(1, fast=False)
    fast_out = fast.compress(ROWS) + fast.flush()
    plain_out = plain.compress(ROWS) + plain.flush()
    assert fast_out != plain_out  # another engine made it
    assert len(fast_out) <= len(plain_out)


@pytest.mark.parametrize("level", [1, 6])
@pytest.mark.parametrize("fast", [None, False])
def test_compress_opens_with_zlib(level: int, fast: bool | None) -> None:
    assert zlib.decompress(compress(ROWS, level, fast)) == ROWS


def test_high_levels_stay_with_zlib() -> None:
    """Level 6 (the package's other parts) is zlib's: far smaller on formula-heavy XML."""
    assert compress(ROWS, 6) == zlib.compress(ROWS, 6)


@pytest.mark.parametrize("damage", [slice(0, 0), slice(40, 41)])
def test_raw_decompressor_inflates_and_refuses_damage_as_zlib_does(damage: slice) -> None:
    """The reader's inflate (ISA-L where installed) gives zlib's content and CRC-32, and
    raises zlib.error on a damaged stream, which the damaged-file message handles."""
    from xlsales.io.deflate import crc32, raw_decompressor

    plain = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = plain.compress(ROWS) + plain.flush()
    if damage.stop:
        stream = stream[:damage.start] + b"\xff\xff\xff" + stream[damage.stop:]
        with pytest.raises(zlib.error):
            inflate = raw_decompressor()
            inflate.decompress(stream)
            inflate.flush()
        return
    inflate = raw_decompressor()
    out = b"".join(inflate.decompress(stream[i:i + 4096]) for i in range(0, len(stream), 4096))
    out += inflate.flush()
    assert inflate.eof and out == ROWS
    assert crc32(out[1000:2000], crc32(out[:1000])) == zlib.crc32(out[:2000])
