"""Streaming edits of an existing worksheet: its cell data is never parsed.

Two kinds of edit: the tail of a worksheet (the text after ``</sheetData>``, such as the
highlight block) is rewritten as text while the rest streams through, and byte ranges of
a part's decompressed content are spliced while it streams (rows appended to a table).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from xlsales.io.xmltext import decode_xml, malformed
from xlsales.io.zipraw import CHUNK

TailEdit = Callable[[str, str], str]  # (tail text, main namespace prefix) -> new tail

#: The worksheet's root start tag; group 1 is its namespace prefix with colon, if any.
ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.\-]*:)?worksheet[\s>/]")


def _sheet_data_end(prefix: bytes) -> re.Pattern[bytes]:
    p = re.escape(prefix)
    return re.compile(rb"</" + p + rb"sheetData\s*>|<" + p + rb"sheetData\b[^>]*/>")


def edit_sheet_bytes(data: bytes, edit: TailEdit, part: str) -> bytes:
    """A worksheet's bytes ``data`` with its tail edited (the text after ``</sheetData>``)."""
    m = ROOT_PREFIX.search(data)
    if m is None:
        raise malformed(part)
    prefix = m.group(1) or b""
    end = _sheet_data_end(prefix).search(data, m.end())
    if end is None:
        raise malformed(part)
    tail = decode_xml(data[end.end():], part)
    return data[:end.end()] + edit(tail, prefix.decode()).encode("utf-8")


def root_prefix(buf: bytes, part: str) -> bytes | None:
    """The namespace prefix of the worksheet root element (``b""`` or ``b"x:"``) once
    ``buf`` holds its start tag; None while more bytes are needed."""
    m = ROOT_PREFIX.search(buf)
    if m is None:
        if len(buf) > 8 * CHUNK:
            raise malformed(part)
        return None
    return m.group(1) or b""


def edit_sheet_stream(chunks: Iterator[bytes], edit: TailEdit, part: str) -> Iterator[bytes]:
    """Stream a worksheet's bytes with its tail edited; only the tail is kept in memory."""
    buf = b""
    pattern: re.Pattern[bytes] | None = None
    tail: list[bytes] = []
    prefix = b""
    for chunk in chunks:
        if tail:
            tail.append(chunk)
            continue
        buf += chunk
        if pattern is None:
            found_prefix = root_prefix(buf, part)
            if found_prefix is None:
                continue
            prefix = found_prefix
            pattern = _sheet_data_end(prefix)
        found = pattern.search(buf)
        if found:
            yield buf[:found.end()]
            tail.append(buf[found.end():])
            buf = b""
        elif len(buf) > 4096:
            yield buf[:-512]
            buf = buf[-512:]
    if not tail:
        raise malformed(part)
    yield edit(decode_xml(b"".join(tail), part), prefix.decode()).encode("utf-8")


#: A byte range ``[start, end)`` of a part's decompressed content and the function that
#: gives its replacement from the original bytes of that range.
Splice = tuple[int, int, Callable[[bytes], Iterable[bytes]]]


def apply_splices(chunks: Iterable[bytes], splices: Sequence[Splice],
                  part: str) -> Iterator[bytes]:
    """Stream ``chunks`` with every splice applied. Only the bytes of a range being
    replaced are held in memory; the splices must not overlap."""
    pending = sorted(splices, key=lambda s: (s[0], s[1]))
    i = pos = 0
    collected: list[bytes] | None = None
    for chunk in chunks:
        at, n = 0, len(chunk)
        while i < len(pending):
            start, end, replace = pending[i]
            if collected is None:
                if start > pos + n - at:
                    break
                if start > pos:
                    yield chunk[at:at + start - pos]
                    at += start - pos
                    pos = start
                collected = []
            take = min(end - pos, n - at)
            if take:
                collected.append(chunk[at:at + take])
                at += take
                pos += take
            if pos < end:
                break
            yield from replace(b"".join(collected))
            collected = None
            i += 1
        if at < n:
            yield chunk[at:]
            pos += n - at
    while i < len(pending) and collected is None and pending[i][0] == pending[i][1] == pos:
        yield from pending[i][2](b"")
        i += 1
    if collected is not None or i < len(pending):
        raise malformed(part)
