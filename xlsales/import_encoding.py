"""The text encoding of a CSV export, chosen on evidence.

UTF-16 (with a BOM) and UTF-8 (with or without one) are unambiguous. Chinese exports
without a BOM are GBK/GB18030 (mainland) or Big5 (Taiwan, Hong Kong), and GB18030 decodes
almost any byte string, so that a file decodes proves nothing. Big5 is read as Microsoft's
CP950 (what Windows and Excel write as "Big5": it adds 碁 銹 裏 … at F9D6–F9FE and the euro
sign), else as Big5-HKSCS (Hong Kong's ~4,700 extra characters at 8740–A0FE, C6A1–C8FE
and FA40–FEFE, which CP950 lacks).

When both GB18030 and a Big5 decoding read the bytes, the evidence is, in order:

1. the header: a decoding whose header row names at least two known columns, more than
   the other decoding's does, wins (``訂單編號`` read as Big5; GB18030 makes it garbage);
2. how common its characters are: the share of CJK characters that are common in that
   decoding's own character set, for GB18030 those in GB2312 level 1 (bytes B0A1–D7F9,
   the 3,755 most used Simplified characters), for Big5 those in its frequent block
   (A440–C67E, 5,401 characters). The wrong decoding of real text scatters over rare
   characters; a decoding wins when its share is at least :data:`MIN_SHARE` and beats
   the other's by at least :data:`MIN_MARGIN`.

Otherwise (a short file whose few characters are common either way) the file is refused
with advice to save it as UTF-8: garbled names are never written into a book.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path

from xlsales.errors import WorkbookError
from xlsales.spec.traditional import name_key

#: Private-use characters: what GB18030 makes of bytes in another encoding (Big5 …)
_PRIVATE_USE = range(0xE000, 0xF900)
#: The Big5 decodings tried, in order: CP950, then Big5-HKSCS for Hong Kong characters
BIG5_CODECS = ("cp950", "big5hkscs")
#: A decoding's share of common CJK characters must be at least this to win …
MIN_SHARE = 0.8
#: … and beat the other decoding's share by at least this much.
MIN_MARGIN = 0.2
#: How many lines are searched for a header row (as import_source does).
HEADER_LINES = 30
#: How many characters of each decoding are weighed (enough; a big file costs no more).
SAMPLE = 200_000
_SPLIT = re.compile(r"[,;\t|]")


def decode_text(raw: bytes, path: Path, known: Collection[str] = ()) -> str:
    """``raw`` decoded (UTF-16 with a BOM, UTF-8 with or without one, GB18030 or CP950 /
    Big5-HKSCS, see the module's doc); ``known`` are header names (as
    :func:`~xlsales.spec.traditional.name_key` gives them) that tell a decoding's header
    row. Refused with advice when no decoding reads it, or when GB18030 and Big5 both do
    and the evidence does not tell them apart."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = _decoded(raw, "utf-16" if utf16 else "utf-8-sig")
    if text is not None:
        return text.removeprefix("\ufeff")
    gb = None if utf16 else _decoded(raw, "gb18030")
    big5 = None if utf16 else next(
        (t for t in (_decoded(raw, e) for e in BIG5_CODECS) if t is not None), None)
    if gb is None or big5 is None:
        sole = gb if gb is not None else big5
        if sole is not None:
            return sole  # the other cannot be: no evidence needed
        raise WorkbookError(
            f"{path.name} 的编码无法识别：请另存为 UTF-8 编码的 CSV 后再导入。",
            f"Cannot tell the text encoding of {path.name}: save it as UTF-8 CSV and import "
            "again.")
    chosen = choose(gb, big5, known)
    if chosen is None:
        raise WorkbookError(
            f"无法确定 {path.name} 是简体（GBK）还是繁体（Big5）编码，为免写入乱码未导入："
            "请另存为 UTF-8 编码的 CSV 后再导入。",
            f"Cannot tell whether {path.name} is Simplified (GBK) or Traditional (Big5) "
            "Chinese text, and nothing was imported rather than garbled text: save it as "
            "UTF-8 CSV and import again.")
    return chosen


def choose(gb: str, big5: str, known: Collection[str] = ()) -> str | None:
    """Of the same bytes read as GB18030 (``gb``) and as Big5 (``big5``), the reading
    the evidence favours (header names in ``known``, then common characters), or None
    when it favours neither."""
    names = set(known)
    gb_head, big5_head = gb[:SAMPLE], big5[:SAMPLE]
    if names:
        gb_hits, big5_hits = header_hits(gb_head, names), header_hits(big5_head, names)
        if max(gb_hits, big5_hits) >= 2 and gb_hits != big5_hits:
            return gb if gb_hits > big5_hits else big5
    gb_share = common_share(gb_head, _gb_common)
    big5_share = common_share(big5_head, _big5_common)
    if gb_share >= MIN_SHARE and gb_share - big5_share >= MIN_MARGIN:
        return gb
    if big5_share >= MIN_SHARE and big5_share - gb_share >= MIN_MARGIN:
        return big5
    return None


def _decoded(raw: bytes, encoding: str) -> str | None:
    """``raw`` in ``encoding``, or None when it does not decode or decodes to private-use
    characters (bytes of another encoding that it maps to unassigned code points)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    if encoding != "utf-16" and any(ord(ch) in _PRIVATE_USE for ch in text):
        return None
    return text


def header_hits(text: str, names: set[str]) -> int:
    """The most cells of one of the first lines of ``text`` that ``names`` holds."""
    best = 0
    for line in text.splitlines()[:HEADER_LINES]:
        cells = {name_key(c.strip().strip('"').strip()) for c in _SPLIT.split(line)}
        best = max(best, len(cells & names))
    return best


def _is_letter(ch: str) -> bool:
    """Whether ``ch`` is a CJK character, or a kana, Greek or Cyrillic letter: what
    either decoding makes of the other's bytes besides CJK characters (Big5's 中 is
    GB2312's い, GBK's 格力电器 is CP950's 跡薯萇ん)."""
    cp = ord(ch)
    return (0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF
            or 0x3040 <= cp <= 0x30FF or 0x0370 <= cp <= 0x04FF)


def _gb_common(ch: str) -> bool:
    """Whether ``ch`` is in GB2312 level 1 (B0A1–D7F9)."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def _big5_common(ch: str) -> bool:
    """Whether ``ch`` is in Big5's frequent-character block (A440–C67E)."""
    try:
        code = ch.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xA440 <= int.from_bytes(code, "big") <= 0xC67E


def common_share(text: str, common: Callable[[str], bool]) -> float:
    """The share of the letters of ``text`` (CJK characters, kana …, counted with
    repeats) that ``common`` calls common; 0 when there are none."""
    counts = Counter(ch for ch in text if _is_letter(ch))
    total = sum(counts.values())
    if not total:
        return 0.0
    return sum(n for ch, n in counts.items() if common(ch)) / total
