"""How many times a pattern matches in a stretch of a sheet part's content, counted without
holding the GIL where pyarrow is loaded already.

The count of formula cells (:class:`~xlsales.io.formulacells.FormulaTally`) runs in a
background thread beside the reading thread, over every byte of the sheet XML (4.6 MB for
1,000 sales rows written with their formulas). Python's ``re`` holds the GIL while it
searches, so the reading thread stood still meanwhile; pyarrow's regular expressions (RE2)
let it go, and search about twice as fast. The pattern is searched as bytes (RE2 reads a
binary array as Latin-1: one byte, one character), and it must mean the same to both
engines: literal text, character classes spelled out (no ``\\s``, which RE2 reads without
the vertical tab), groups and ``\\d``. Both count the same non-overlapping matches from
left to right.

pyarrow is used only once something else imported it (a sheet read column-wise,
:mod:`xlsales.io.fastread`): a small workbook read as a grid never imports it for this.
"""

from __future__ import annotations

import re
import struct
import sys

#: Below this many bytes the Python search is as quick as handing over to pyarrow.
MIN_ARROW_BYTES = 1 << 15


def count_matches(pattern: re.Pattern[bytes], data: bytes, begin: int, stop: int) -> int:
    """How many non-overlapping matches of ``pattern`` ``data[begin:stop]`` holds
    (``len(pattern.findall(data, begin, stop))``), without holding the GIL for a long
    stretch where pyarrow is loaded."""
    compute = sys.modules.get("pyarrow.compute")
    if compute is None or stop - begin < MIN_ARROW_BYTES:
        return len(pattern.findall(data, begin, stop))
    import pyarrow as pa

    # one binary value, data[begin:stop], over the bytes as they are (no copy)
    value = pa.Array.from_buffers(pa.binary(), 1, [
        None, pa.py_buffer(struct.pack("<ii", begin, stop)), pa.py_buffer(data)])
    return int(compute.count_substring_regex(value, pattern=pattern.pattern.decode("latin-1"))[0]
               .as_py())
