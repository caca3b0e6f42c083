"""Write results INTO a user's existing .xlsx/.xlsm by editing its zip package directly.

Loading and saving a workbook with openpyxl re-serialises everything: cached formula
results, shared strings, VML ids of VBA buttons and charts are lost or rewritten, and the
cost grows with the whole workbook. :class:`WorkbookPackage` instead

* reads the package structure with :mod:`xlsales.io.ooxml` (never the sheet data);
* edits only the few small structural parts it must (``[Content_Types].xml``,
  ``workbook.xml`` and its relationships, ``styles.xml``) by splicing text into them, so
  namespace prefixes, ``mc:Ignorable`` lists and unknown extensions survive byte for byte;
* writes new worksheets (inline strings: the shared-strings part is never touched) and
  their table parts;
* changes an existing worksheet only at its tail, after ``</sheetData>`` (one
  conditional-formatting block owned by xlsales): the part is streamed through
  ``zlib``, the cell data itself is never parsed;
* appends rows to an existing Excel Table (:meth:`WorkbookPackage.append_table_rows`):
  one streamed pass over the sheet finds the table's last row with content (one regex
  match per row; only the rows at the end are looked into), and saving streams the
  sheet again, splicing the new rows in as bytes; the table part grows its range;
* copies every other part RAW when saving.

Raw copy
--------
Python's :mod:`zipfile` has no public API to copy a member without decompressing and
recompressing it, so :class:`_ZipWriter` writes the output archive itself. For an
unchanged member it copies the original bytes of the local file header, the compressed
data and, if the member has one (general-purpose flag bit 3, as LibreOffice writes), the
data descriptor, exactly as they are in the source file. Its central-directory record is
the original record, read from the source's central directory by :func:`_raw_central_records`,
with only the 4-byte "offset of local header" field patched to the new position. Extra
fields, timestamps, attributes and flags therefore stay identical. ``zipfile`` is used only
to read (the :class:`zipfile.ZipInfo` offsets and sizes, which are public attributes, and to
stream the decompressed content of the parts that change). Sources the raw path does not
handle (ZIP64, split or prefixed archives) fall back to decompress + recompress, which is
slower but gives the same content.

The output is written to a temporary file in the target's folder and moved over the
target with :func:`os.replace`; on any failure the original file is untouched and the
temporary file is removed. ``[Content_Types].xml`` is written first, the other parts keep
their order, new parts come last.
"""

from __future__ import annotations

import html
import math
import numbers
import os
import posixpath
import re
import stat
import struct
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Literal, cast
from xml.etree import ElementTree as ET

from xlsales.errors import WorkbookError
from xlsales.io import ooxml

__all__ = [
    "COLUMN_KINDS",
    "HIGHLIGHT_FORMULA",
    "CellValue",
    "Column",
    "ColumnKind",
    "Link",
    "SheetContent",
    "WorkbookPackage",
]

ColumnKind = Literal["text", "number", "integer", "money", "percent", "date", "datetime", "link"]
COLUMN_KINDS: tuple[str, ...] = (
    "text", "number", "integer", "money", "percent", "date", "datetime", "link",
)

# The always-true formula that marks the conditional-formatting block owned by xlsales.
HIGHLIGHT_FORMULA = '"xlsales"="xlsales"'
_HIGHLIGHT_DXF = '<fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill>'

_MAX_CELL_CHARS = 32767
_MAX_ROWS = 1048576
_MAX_COLS = 16384
_COMPRESS_LEVEL = 6
_CHUNK = 1 << 20


# --------------------------------------------------------------------------------------
# Public content types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A cell showing ``text`` that jumps to ``target``, an internal location such as
    ``'销售记录'!C12`` (a leading ``#`` is accepted and dropped)."""

    text: str
    target: str

    def __post_init__(self) -> None:
        target = self.target[1:] if self.target.startswith("#") else self.target
        if "://" in target or target.lower().startswith("mailto:") or not target:
            raise ValueError(f"Link target must be an internal location like "
                             f"\"'Sheet'!A1\", not {self.target!r}")
        object.__setattr__(self, "target", target)


CellValue = str | int | float | date | datetime | Link | None


@dataclass(frozen=True)
class Column:
    """A column of a :class:`SheetContent`: header text, width (characters) and kind.

    The kind chooses the number format of numbers and dates in the column: ``money``
    ``#,##0.00``, ``percent`` ``0.00%``, ``integer`` ``#,##0``, ``date`` ``yyyy-mm-dd``,
    ``datetime`` ``yyyy-mm-dd hh:mm``; ``text``, ``number`` and ``link`` use General.
    """

    header: str
    width: float | None = None
    kind: ColumnKind = "text"

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}; use one of {COLUMN_KINDS}")
        if self.width is not None and not 0 < self.width <= 255:
            raise ValueError(f"Column width must be in (0, 255], got {self.width}")


@dataclass(frozen=True)
class SheetContent:
    """A worksheet xlsales writes: optional title lines, a header row and data rows.

    ``rows`` hold ``str``, ``int``, ``float``, ``date``, ``datetime``, :class:`Link` or
    ``None`` (empty cell); text is always stored as text (``"=1+1"`` is not a formula).
    With ``table_name`` the header and rows form an Excel Table with an autofilter.
    """

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[CellValue]] = ()
    title: str | tuple[str, ...] = ()
    table_name: str | None = None
    freeze_header: bool = True
    tab_color: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        title = (self.title,) if isinstance(self.title, str) else tuple(self.title)
        object.__setattr__(self, "title", title)
        _check_sheet_name(self.name)
        if self.table_name is not None:
            _check_table_name(self.table_name)
        if self.tab_color is not None:
            object.__setattr__(self, "tab_color", _argb(self.tab_color))
        if not self.columns:
            raise ValueError("SheetContent needs at least one column")
        if len(self.columns) > _MAX_COLS:
            raise ValueError(f"At most {_MAX_COLS} columns")
        if len(title) + 2 + len(self.rows) > _MAX_ROWS:
            raise WorkbookError(f"工作表 “{self.name}” 的行数超过 Excel 上限 {_MAX_ROWS:,}。",
                                f"Sheet '{self.name}' has more rows than Excel allows "
                                f"({_MAX_ROWS:,}).")
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) > width:
                raise ValueError(f"Row {i} has {len(row)} values for {width} columns")

    @property
    def header_row(self) -> int:
        """1-based row number of the header row."""
        return len(self.title) + 1 + (1 if self.title else 0)


def _check_sheet_name(name: str) -> None:
    bad = sorted(set(name) & set("[]:*?/\\"))
    problem = None
    if not name or len(name) > 31:
        problem = ("长度须为 1–31 个字符", "it must be 1 to 31 characters long")
    elif bad:
        chars = " ".join(bad)
        problem = (f"不能包含 {chars}", f"it must not contain {chars}")
    elif name.startswith("'") or name.endswith("'"):
        problem = ("不能以单引号开头或结尾", "it must not start or end with an apostrophe")
    elif name.casefold() == "history":
        problem = ("“History” 是 Excel 的保留名称", "'History' is reserved by Excel")
    elif _ILLEGAL_XML.search(name) or any(c in name for c in "\t\n\r"):
        problem = ("不能包含控制字符", "it must not contain control characters")
    if problem:
        raise WorkbookError(f"工作表名称 “{name}” 无效：{problem[0]}。",
                            f"Invalid sheet name '{name}': {problem[1]}.")


_CELL_LIKE = re.compile(r"^(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[Rr]|[Cc])$")


def _check_table_name(name: str) -> None:
    ok = (0 < len(name) <= 255
          and (name[0].isalpha() or name[0] in "_\\")
          and all(c.isalnum() or c in "_.\\" for c in name)
          and not _CELL_LIKE.match(name))
    if not ok:
        raise WorkbookError(
            f"表格名称 “{name}” 无效：须以字母或下划线开头，只含字母、数字、下划线和句点，"
            "且不能像单元格地址（如 A1、R1C1）。",
            f"Invalid table name '{name}': it must start with a letter or underscore, "
            "contain only letters, digits, underscores and periods, and not look like a "
            "cell reference (A1, R1C1).")


def _argb(color: str) -> str:
    value = color.lstrip("#").upper()
    if re.fullmatch(r"[0-9A-F]{6}", value):
        return "FF" + value
    if re.fullmatch(r"[0-9A-F]{8}", value):
        return value
    raise WorkbookError(f"无效的颜色 “{color}”：请写成 #RRGGBB。",
                        f"Invalid colour '{color}': write it as #RRGGBB.")


# --------------------------------------------------------------------------------------
# Small XML toolkit: find elements in a text without building a DOM, splice text
# --------------------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")
_QNAME = r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"
_TAG_RE = re.compile(
    rf"<(/?)({_QNAME})((?:\s+[^\s=/<>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR_RE = re.compile(r"([^\s=/<>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _malformed(what: str) -> WorkbookError:
    return WorkbookError(f"工作簿中的 {what} 不是有效的 XML，无法修改。",
                         f"The part {what} of the workbook is not valid XML; cannot edit it.")


def _clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _ILLEGAL_XML.sub("", text)


def _esc_text(text: str) -> str:
    return (_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _esc_attr(text: str) -> str:
    return (_esc_text(text).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


@dataclass
class _El:
    """Position of one element in a text: ``text[start:tag_end]`` is its start tag,
    ``text[tag_end:close]`` its content and ``text[close:end]`` its end tag."""

    qname: str
    start: int
    tag_end: int
    close: int
    end: int
    attrs: dict[str, str]
    self_closing: bool

    @property
    def local(self) -> str:
        return self.qname.rpartition(":")[2]

    @property
    def prefix(self) -> str:
        """Namespace prefix with its colon (``"x:"``), or ``""``."""
        p = self.qname.rpartition(":")[0]
        return p + ":" if p else ""


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR_RE.finditer(text)}


def _tags(text: str, pos: int, end: int, what: str) -> Iterator[re.Match[str]]:
    """Every start/end/empty tag in ``text[pos:end]``, skipping comments, CDATA, PIs."""
    while True:
        i = text.find("<", pos, end)
        if i < 0:
            return
        for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">")):
            if text.startswith(opener, i):
                j = text.find(closer, i + len(opener))
                if j < 0:
                    raise _malformed(what)
                pos = j + len(closer)
                break
        else:
            m = _TAG_RE.match(text, i)
            if m is None:
                raise _malformed(what)
            yield m
            pos = m.end()


def _children(text: str, start: int, end: int, what: str) -> tuple[list[_El], int]:
    """Direct child elements in ``text[start:end]`` and the position where the region
    ends (the parent's end tag, or ``end``)."""
    out: list[_El] = []
    depth = 0
    current: _El | None = None
    for m in _tags(text, start, end, what):
        closing, qname, attr_text, empty = m.group(1) == "/", m.group(2), m.group(3), m.group(4)
        if closing:
            if depth == 0:
                return out, m.start()
            depth -= 1
            if depth == 0 and current is not None:
                current.close, current.end = m.start(), m.end()
                out.append(current)
                current = None
        elif depth == 0:
            el = _El(qname, m.start(), m.end(), m.end(), m.end(), _attrs(attr_text), bool(empty))
            if empty:
                out.append(el)
            else:
                current, depth = el, 1
        elif not empty:
            depth += 1
    if depth:
        raise _malformed(what)
    return out, end


def _root(text: str, what: str) -> _El:
    elements, _ = _children(text, 0, len(text), what)
    if not elements:
        raise _malformed(what)
    return elements[0]


def _kids(text: str, el: _El, what: str) -> list[_El]:
    return [] if el.self_closing else _children(text, el.tag_end, el.close, what)[0]


def _ns_decls(start_tag: str) -> dict[str, str]:
    """``xmlns`` declarations of a start tag: prefix ("" for default) → URI."""
    return {(k.partition(":")[2] if ":" in k else ""): v
            for k, v in _attrs(start_tag).items() if k == "xmlns" or k.startswith("xmlns:")}


def _prefix_for(start_tag: str, uri: str) -> str | None:
    for prefix, value in _ns_decls(start_tag).items():
        if value == uri:
            return prefix + ":" if prefix else ""
    return None


def _set_attr(tag: str, name: str, value: str) -> str:
    """Start tag ``tag`` with attribute ``name`` set to ``value`` (added if missing)."""
    pattern = re.compile(rf"(\s{re.escape(name)}\s*=\s*)(\"[^\"]*\"|'[^']*')")
    new = f'"{_esc_attr(value)}"'
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + new, tag, count=1)
    m = re.search(r"\s*/?>$", tag)
    assert m is not None
    return f"{tag[:m.start()]} {name}={new}{tag[m.start():]}"


def _splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` range replaced (ranges must not overlap)."""
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _append_child(text: str, el: _El, snippet: str) -> str:
    """``text`` with ``snippet`` appended as last content of ``el`` (opens ``<x/>``)."""
    if el.self_closing:
        start_tag = text[el.start:el.tag_end]
        opened = re.sub(r"\s*/>$", ">", start_tag)
        return text[:el.start] + opened + snippet + f"</{el.qname}>" + text[el.end:]
    return text[:el.close] + snippet + text[el.close:]


def _decode(data: bytes, what: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return re.sub(r"""^(<\?xml[^>]*encoding\s*=\s*["'])[^"']*""", r"\1UTF-8", text)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _malformed(what) from exc


def _canon(el: ET.Element) -> tuple[object, ...]:
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(),
            tuple(_canon(c) for c in el))


# --------------------------------------------------------------------------------------
# styles.xml: append fonts / numFmts / cellXfs / dxfs, reusing identical existing ones
# --------------------------------------------------------------------------------------

_BUILTIN_FORMATS = {"General": 0, "#,##0": 3, "#,##0.00": 4, "0.00%": 10}
_STYLE_FORMATS = {
    "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "money": "#,##0.00",
    "percent": "0.00%", "integer": "#,##0",
}


_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
               "sz", "color", "name", "family", "charset", "scheme")


def _font_rank(local: str) -> int:
    """Position of a font child in the order Excel writes them (unknown ones last)."""
    return _FONT_ORDER.index(local) if local in _FONT_ORDER else len(_FONT_ORDER)


class _Styles:
    """Edits a ``styles.xml`` text; every ``ensure_*`` returns the index of an element
    equal to the one asked for, appending it only if none exists yet."""

    def __init__(self, part: str, text: str) -> None:
        self.part = part
        self.text = text
        self.changed = False
        root = _root(text, part)
        self._p = root.prefix
        self._wrap_open = "<_w " + " ".join(
            f'{"xmlns:" + k if k else "xmlns"}="{_esc_attr(v)}"'
            for k, v in _ns_decls(text[root.start:root.tag_end]).items()) + ">"

    def _sections(self) -> dict[str, _El]:
        root = _root(self.text, self.part)
        return {el.local: el for el in _kids(self.text, root, self.part)}

    def _items(self, section: str) -> list[_El]:
        el = self._sections().get(section)
        return [] if el is None else _kids(self.text, el, self.part)

    def _canon_of(self, snippet: str) -> tuple[object, ...]:
        return _canon(ET.fromstring(self._wrap_open + snippet + "</_w>")[0])

    def _find(self, section: str, snippet: str) -> int | None:
        want = self._canon_of(snippet)
        for i, el in enumerate(self._items(section)):
            if self._canon_of(self.text[el.start:el.end]) == want:
                return i
        return None

    def _append(self, section: str, snippet: str) -> int:
        sections = self._sections()
        el = sections.get(section)
        if el is None:
            order = ooxml.STYLESHEET_CHILD_ORDER
            later = [s for s in sections.values()
                     if s.local in order and order.index(s.local) > order.index(section)]
            root = _root(self.text, self.part)
            pos = later[0].start if later else root.close
            if root.self_closing:
                raise _malformed(self.part)
            tag = f"{self._p}{section}"
            self.text = self.text[:pos] + f'<{tag} count="0"></{tag}>' + self.text[pos:]
            el = self._sections()[section]
        index = len(_kids(self.text, el, self.part))
        self.text = _append_child(self.text, el, snippet)
        el = self._sections()[section]
        start_tag = _set_attr(self.text[el.start:el.tag_end], "count", str(index + 1))
        self.text = self.text[:el.start] + start_tag + self.text[el.tag_end:]
        self.changed = True
        return index

    def _ensure(self, section: str, snippet: str) -> int:
        found = self._find(section, snippet)
        return found if found is not None else self._append(section, snippet)

    def ensure_defaults(self) -> None:
        """Make sure font 0, fills 0–1, border 0 and xf 0 exist (our xfs refer to them)."""
        p = self._p
        if not self._items("fonts"):
            self._append("fonts", f'<{p}font><{p}sz val="11"/><{p}name val="Calibri"/></{p}font>')
        if not self._items("fills"):
            self._append("fills", f'<{p}fill><{p}patternFill patternType="none"/></{p}fill>')
            self._append("fills", f'<{p}fill><{p}patternFill patternType="gray125"/></{p}fill>')
        if not self._items("borders"):
            self._append("borders", f"<{p}border><{p}left/><{p}right/><{p}top/><{p}bottom/>"
                                    f"<{p}diagonal/></{p}border>")
        if not self._items("cellXfs"):
            self._append("cellXfs", f'<{p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>')

    def ensure_numfmt(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        ids = []
        for el in self._items("numFmts"):
            if el.attrs.get("formatCode") == code:
                return int(el.attrs.get("numFmtId", "0"))
            ids.append(int(el.attrs.get("numFmtId", "0")))
        new_id = max([163, *ids]) + 1
        self._append("numFmts",
                     f'<{self._p}numFmt numFmtId="{new_id}" formatCode="{_esc_attr(code)}"/>')
        return new_id

    def ensure_font(self, bold: bool = False, size: float | None = None,
                    underline: bool = False, rgb: str | None = None) -> int:
        p = self._p
        fonts = self._items("fonts")
        first = self.text[fonts[0].start:fonts[0].end]
        base = ET.fromstring(self._wrap_open + first + "</_w>")[0]
        drop = {"b", "u"} | ({"sz"} if size else set()) | ({"color"} if rgb else set())
        parts = [f"<{p}b/>"] if bold else []
        parts += [f"<{p}u/>"] if underline else []
        parts += [f'<{p}sz val="{size:g}"/>'] if size else []
        parts += [f'<{p}color rgb="{rgb}"/>'] if rgb else []
        for child in base:
            local = child.tag.rpartition("}")[2]
            if local in drop:
                continue
            attrs = "".join(f' {k}="{_esc_attr(v)}"' for k, v in child.attrib.items()
                            if not k.startswith("{"))
            parts.append(f"<{p}{local}{attrs}/>")
        parts.sort(key=lambda part: _font_rank(part[1 + len(p):].split(" ")[0].rstrip("/>")))
        return self._ensure("fonts", f"<{p}font>{''.join(parts)}</{p}font>")

    def ensure_xf(self, numfmt: int, font: int) -> int:
        attrs = f'numFmtId="{numfmt}" fontId="{font}" fillId="0" borderId="0"'
        if self._items("cellStyleXfs"):
            attrs += ' xfId="0"'
        if numfmt:
            attrs += ' applyNumberFormat="1"'
        if font:
            attrs += ' applyFont="1"'
        return self._ensure("cellXfs", f"<{self._p}xf {attrs}/>")

    def ensure_dxf(self, inner: str) -> int:
        p = self._p
        inner = re.sub(r"<(/?)(\w)", rf"<\1{p}\2", inner) if p else inner
        return self._ensure("dxfs", f"<{p}dxf>{inner}</{p}dxf>")


class _StyleCache:
    """Cell style indexes by purpose, created in ``styles.xml`` on first use."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self._ids: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        if key not in self._ids:
            s = self.styles
            s.ensure_defaults()
            if key == "title":
                xf = s.ensure_xf(0, s.ensure_font(bold=True, size=14))
            elif key == "header":
                xf = s.ensure_xf(0, s.ensure_font(bold=True))
            elif key == "link":
                xf = s.ensure_xf(0, s.ensure_font(underline=True, rgb="FF0563C1"))
            else:
                xf = s.ensure_xf(s.ensure_numfmt(_STYLE_FORMATS[key]), 0)
            self._ids[key] = xf
        return self._ids[key]


# --------------------------------------------------------------------------------------
# Worksheet and table XML for a SheetContent
# --------------------------------------------------------------------------------------

_EPOCH = datetime(1899, 12, 30)


def _col_letter(index: int) -> str:
    """Column letters of a 1-based column index: 1 → A, 28 → AB."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _serial(value: date) -> float | None:
    """Excel serial number of a date or datetime (1900 system), None before 1900."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        serial: float = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    else:
        serial = (value - _EPOCH.date()).days
    if serial < 61:  # Excel counts the non-existent 1900-02-29
        serial -= 1
    return serial if serial >= 1 else None


def _inline(text: str) -> str:
    text = _EXCEL_ESCAPE.sub(r"_x005F\1", _clean(text))[:_MAX_CELL_CHARS]
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{_esc_text(text)}</t></is>"


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_DEFAULT_WIDTH = {"date": 12, "datetime": 18, "money": 14, "percent": 10, "integer": 10}


def _column_widths(content: SheetContent) -> list[float]:
    widths = []
    for i, col in enumerate(content.columns):
        if col.width is not None:
            widths.append(col.width)
            continue
        longest = max([_text_width(ln) for ln in col.header.splitlines()] or [0])
        for row in content.rows[:500]:
            value = row[i] if i < len(row) else None
            if isinstance(value, Link):
                value = value.text
            if isinstance(value, str):
                longest = max(longest, _text_width(value[:100]))
        widths.append(float(min(max(longest + 2, _DEFAULT_WIDTH.get(col.kind, 8)), 60)))
    return widths


def _table_headers(content: SheetContent) -> list[str]:
    """Header texts, made valid and unique (case-insensitively) when they head a table."""
    headers = [_clean(c.header) for c in content.columns]
    if content.table_name is None:
        return headers
    out: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(headers, 1):
        base = " ".join(header.split()) or f"Column{i}"
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}{n}"
        seen.add(name.casefold())
        out.append(name)
    return out


def _cell_xml(ref: str, value: CellValue, kind: str, style: _StyleCache,
              links: list[tuple[str, Link]]) -> str:
    if value is None:
        return ""
    if isinstance(value, Link):
        links.append((ref, value))
        return f'<c r="{ref}" s="{style("link")}" t="inlineStr">{_inline(value.text)}</c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr">{_inline(value)}</c>' if _clean(value) else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, date):
        if value != value:  # NaT
            return ""
        serial = _serial(value)
        if serial is None:
            return f'<c r="{ref}" t="inlineStr">{_inline(value.isoformat())}</c>'
        key = "datetime" if isinstance(value, datetime) and kind != "date" else "date"
        return f'<c r="{ref}" s="{style(key)}"><v>{serial!r}</v></c>'
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if not math.isfinite(number):
            return ""
        text = repr(number)
    else:
        raise TypeError(f"Cannot write a {type(value).__name__} to cell {ref}: {value!r}")
    if kind in ("money", "percent", "integer"):
        return f'<c r="{ref}" s="{style(kind)}"><v>{text}</v></c>'
    return f'<c r="{ref}"><v>{text}</v></c>'


def _sheet_xml(content: SheetContent, style: _StyleCache, table_rel: str | None,
               code_name: str | None = None) -> bytes:
    ncols = len(content.columns)
    last_col = _col_letter(ncols)
    header_row = content.header_row
    last_row = header_row + max(len(content.rows), 1 if content.table_name else 0)
    rows: list[str] = []
    for i, line in enumerate(content.title, 1):
        s = f' s="{style("title")}"' if i == 1 else ""
        cell = f'<c r="A{i}"{s} t="inlineStr">{_inline(line)}</c>' if line else ""
        rows.append(f'<row r="{i}">{cell}</row>')
    head = style("header")
    cells = "".join(f'<c r="{_col_letter(j)}{header_row}" s="{head}" t="inlineStr">'
                    f"{_inline(h)}</c>" for j, h in enumerate(_table_headers(content), 1))
    rows.append(f'<row r="{header_row}">{cells}</row>')
    letters = [_col_letter(j) for j in range(1, ncols + 1)]
    kinds = [c.kind for c in content.columns]
    links: list[tuple[str, Link]] = []
    for r, values in enumerate(content.rows, header_row + 1):
        cells = "".join(_cell_xml(f"{letters[j]}{r}", v, kinds[j], style, links)
                        for j, v in enumerate(values))
        rows.append(f'<row r="{r}">{cells}</row>')
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{ooxml.NS_MAIN}" xmlns:r="{ooxml.NS_REL}">']
    if content.tab_color or code_name:
        code = f' codeName="{_esc_attr(code_name)}"' if code_name else ""
        color = f'<tabColor rgb="{content.tab_color}"/>' if content.tab_color else ""
        out.append(f"<sheetPr{code}>{color}</sheetPr>")
    out.append(f'<dimension ref="A1:{last_col}{max(last_row, header_row)}"/>')
    if content.freeze_header:
        top = f"A{header_row + 1}"
        out.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" '
                   f'topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                   f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
                   "</sheetView></sheetViews>")
    else:
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/><cols>')
    out.extend(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
               for j, w in enumerate(_column_widths(content), 1))
    out.append("</cols><sheetData>")
    out.extend(rows)
    out.append("</sheetData>")
    if links:
        out.append("<hyperlinks>")
        out.extend(f'<hyperlink ref="{ref}" location="{_esc_attr(link.target)}" '
                   f'display="{_esc_attr(link.text[:255])}"/>' for ref, link in links)
        out.append("</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
               'footer="0.3"/>')
    if table_rel:
        out.append(f'<tableParts count="1"><tablePart r:id="{table_rel}"/></tableParts>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def _table_ref(content: SheetContent) -> str:
    header_row = content.header_row
    last_row = header_row + max(len(content.rows), 1)
    return f"A{header_row}:{_col_letter(len(content.columns))}{last_row}"


def _table_xml(content: SheetContent, table_id: int) -> bytes:
    name = _esc_attr(content.table_name or "")
    ref = _table_ref(content)
    columns = "".join(f'<tableColumn id="{i}" name="{_esc_attr(h)}"/>'
                      for i, h in enumerate(_table_headers(content), 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<table xmlns="{ooxml.NS_MAIN}" id="{table_id}" name="{name}" '
            f'displayName="{name}" ref="{ref}" totalsRowShown="0">'
            f'<autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(content.columns)}">{columns}</tableColumns>'
            '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            'showRowStripes="1" showColumnStripes="0"/></table>').encode()


def _rels_xml(rels: Sequence[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{_esc_attr(target)}"/>'
                   for i, t, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ooxml.NS_PKG_REL}">{body}</Relationships>').encode()


# --------------------------------------------------------------------------------------
# Highlights: the xlsales conditional-formatting block at a worksheet's tail
# --------------------------------------------------------------------------------------

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _sqref(cells: Sequence[str]) -> str:
    """Normalised, de-duplicated ``sqref`` of A1 cells (or ranges); vertical runs merge."""
    singles: set[tuple[int, int]] = set()
    ranges: list[str] = []
    for cell in cells:
        parts = str(cell).strip().split(":")
        parsed = [_CELL_REF.match(p) for p in parts]
        ok = len(parts) in (1, 2) and all(parsed)
        coords = [(_col_index(m.group(1)), int(m.group(2))) for m in parsed if m]
        if not ok or any(c > _MAX_COLS or r > _MAX_ROWS for c, r in coords):
            raise WorkbookError(f"无效的单元格地址 “{cell}”：请写成 C12 这样的形式。",
                                f"Invalid cell reference '{cell}': write it like C12.")
        if len(coords) == 1:
            singles.add(coords[0])
        else:
            (c1, r1), (c2, r2) = coords
            ranges.append(f"{_col_letter(min(c1, c2))}{min(r1, r2)}:"
                          f"{_col_letter(max(c1, c2))}{max(r1, r2)}")
    out: list[str] = []
    for col, row in sorted(singles):
        letter = _col_letter(col)
        if out and (col, row - 1) in singles:
            first = out[-1].split(":")[0]
            out[-1] = f"{first}:{letter}{row}"
        else:
            out.append(f"{letter}{row}")
    return " ".join(out + sorted(set(ranges), key=ranges.index))


# Worksheet children that may stand between </sheetData> and (including) the
# conditional formats; the xlsales block goes before the first element not in this set.
_BEFORE_CF = set(ooxml.WORKSHEET_CHILD_ORDER[
    ooxml.WORKSHEET_CHILD_ORDER.index("sheetData") + 1:
    ooxml.WORKSHEET_CHILD_ORDER.index("conditionalFormatting") + 1])


def _is_xlsales_block(block: str) -> bool:
    return HIGHLIGHT_FORMULA in html.unescape(block)


def _highlight_tail(tail: str, prefix: str, part: str, sqref: str,
                    dxf_id: int | None) -> str:
    """The tail of a worksheet (text after ``</sheetData>``) with xlsales' block replaced
    by one for ``sqref`` (removed if ``sqref`` is empty); other content is untouched."""
    kids, stop = _children(tail, 0, len(tail), part)
    ours = [k for k in kids if k.local == "conditionalFormatting" and k.prefix == prefix
            and _is_xlsales_block(tail[k.start:k.end])]
    edits = [(k.start, k.end, "") for k in ours]
    if sqref:
        priorities = [int(m.group(1)) for m in re.finditer(r'\bpriority\s*=\s*["\'](\d+)', tail)
                      if not any(k.start <= m.start() < k.end for k in ours)]
        others = [k for k in kids if k not in ours]
        after = [k for k in others if k.local not in _BEFORE_CF or k.prefix != prefix]
        pos = after[0].start if after else stop
        p = prefix
        block = (f'<{p}conditionalFormatting sqref="{sqref}"><{p}cfRule type="expression" '
                 f'dxfId="{dxf_id}" priority="{max(priorities, default=0) + 1}">'
                 f"<{p}formula>{_esc_text(HIGHLIGHT_FORMULA)}</{p}formula></{p}cfRule>"
                 f"</{p}conditionalFormatting>")
        edits.append((pos, pos, block))
    return _splice(tail, edits)


TailEdit = Callable[[str, str], str]  # (tail text, main namespace prefix) -> new tail

_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.\-]*:)?worksheet[\s>/]")


def _sheet_data_end(prefix: bytes) -> re.Pattern[bytes]:
    p = re.escape(prefix)
    return re.compile(rb"</" + p + rb"sheetData\s*>|<" + p + rb"sheetData\b[^>]*/>")


def _edit_sheet_bytes(data: bytes, edit: TailEdit, part: str) -> bytes:
    m = _ROOT_PREFIX.search(data)
    if m is None:
        raise _malformed(part)
    prefix = m.group(1) or b""
    end = _sheet_data_end(prefix).search(data, m.end())
    if end is None:
        raise _malformed(part)
    tail = _decode(data[end.end():], part)
    return data[:end.end()] + edit(tail, prefix.decode()).encode("utf-8")


def _edit_sheet_stream(chunks: Iterator[bytes], edit: TailEdit, part: str) -> Iterator[bytes]:
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
            m = _ROOT_PREFIX.search(buf)
            if m is None:
                if len(buf) > 8 * _CHUNK:
                    raise _malformed(part)
                continue
            prefix = m.group(1) or b""
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
        raise _malformed(part)
    yield edit(_decode(b"".join(tail), part), prefix.decode()).encode("utf-8")


# --------------------------------------------------------------------------------------
# Appending rows to a table: one streamed scan of the sheet, byte splices when saving
# --------------------------------------------------------------------------------------

#: A byte range ``[start, end)`` of a part's decompressed content and the function that
#: gives its replacement from the original bytes of that range.
Splice = tuple[int, int, Callable[[bytes], Iterable[bytes]]]

_SCAN_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError)
_MAX_HEAD = 64 * _CHUNK
_R_ROW = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
_R_CELL = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?\d+["']""")
_S_ATTR = re.compile(rb"""\ss\s*=\s*["'](\d+)["']""")
_SPANS = re.compile(rb"""\sspans\s*=\s*(?:"[^"]*"|'[^']*')""")
_WORKBOOK_CHILD_ORDER: tuple[str, ...] = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)


def _apply_splices(chunks: Iterable[bytes], splices: Sequence[Splice],
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
        raise _malformed(part)


@dataclass(frozen=True)
class _SheetPatterns:
    """Regular expressions for the elements of a worksheet written with ``prefix``."""

    prefix: str
    sheet_data: re.Pattern[bytes]
    data_end: re.Pattern[bytes]
    row_start: re.Pattern[bytes]
    row: re.Pattern[bytes]
    cell: re.Pattern[bytes]
    formula: re.Pattern[bytes]
    value: re.Pattern[bytes]
    dimension: re.Pattern[bytes]
    col: re.Pattern[bytes]


_PATTERNS: dict[bytes, _SheetPatterns] = {}


def _sheet_patterns(prefix: bytes) -> _SheetPatterns:
    if prefix not in _PATTERNS:
        p = re.escape(prefix)
        _PATTERNS[prefix] = _SheetPatterns(
            prefix.decode(),
            re.compile(rb"<" + p + rb"sheetData(?=[\s/>])[^>]*?(/?)>"),
            re.compile(rb"</" + p + rb"sheetData\s*>"),
            re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*)>"),
            re.compile(rb"<" + p + rb"row(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"row\s*>)",
                       re.S),
            re.compile(rb"<" + p + rb"c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"c\s*>)",
                       re.S),
            re.compile(rb"<" + p + rb"f(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + p + rb"f\s*>)", re.S),
            re.compile(rb"<" + p + rb"[vt](?:\s[^>]*)?>[^<]"),
            re.compile(rb"<" + p + rb"dimension(?=[\s/>])[^>]*>"),
            re.compile(rb"<" + p + rb"col(?=[\s/>])[^>]*>"),
        )
    return _PATTERNS[prefix]


@dataclass
class _RowInfo:
    """A row of the sheet after the table's last row with content."""

    number: int
    start: int  # offsets in the part's decompressed content
    end: int
    in_table: bool
    styles: dict[int, str]
    formulas: dict[int, tuple[bytes, bytes]]


@dataclass
class _RowClass:
    """What a row holds in the table's columns."""

    content_col: int | None  # first table column holding input content (None: blank)
    any_col: int | None  # first table column holding anything, formulas included
    styles: dict[int, str]
    formulas: dict[int, tuple[bytes, bytes]]  # column → (<f> attributes, escaped text)


def _cells(body: bytes, pats: _SheetPatterns) -> Iterator[tuple[int, re.Match[bytes]]]:
    """(1-based column, match) of every cell of a row's XML; cells without ``r`` follow
    the previous one."""
    col = 0
    for m in pats.cell.finditer(body):
        ref = _R_CELL.search(m.group(1))
        col = _col_index(ref.group(1).decode()) if ref else col + 1
        yield col, m


_THIS_ROW = re.compile(rb"\[#This Row\]", re.I)


def _classify_row(body: bytes, pats: _SheetPatterns, c1: int, c2: int,
                  calculated: set[int]) -> _RowClass:
    """What a row holds in columns ``c1``..``c2``. A value or formula is input content,
    except a formula of a calculated column or one computed from its own table row
    (``[#This Row]``, as LibreOffice saves calculated columns without declaring them): a
    table row holding only those is blank."""
    found = _RowClass(None, None, {}, {})
    for col, m in _cells(body, pats):
        if not c1 <= col <= c2:
            continue
        style = _S_ATTR.search(m.group(1))
        if style:
            found.styles[col] = style.group(1).decode()
        inner = m.group(2)
        if not inner:
            continue
        f = pats.formula.search(inner)
        if f is not None:
            found.formulas[col] = (f.group(1), f.group(2) or b"")
            derived = col in calculated or _THIS_ROW.search(f.group(2) or b"") is not None
        else:
            derived = False
            if pats.value.search(inner) is None:
                continue
        if found.any_col is None:
            found.any_col = col
        if found.content_col is None and not derived:
            found.content_col = col
    return found


@dataclass
class _SheetScan:
    """What :func:`_scan_sheet` learns about a worksheet and a table on it."""

    patterns: _SheetPatterns
    dimension: tuple[int, int, str] | None = None  # start tag range and its ref
    col_styles: dict[int, str] = field(default_factory=dict)
    empty_data: tuple[int, int] | None = None  # range of a self-closing <sheetData/>
    data_end: int = -1  # offset of </sheetData>
    last_row: int = 0  # last table row holding content (0: none)
    last_class: _RowClass | None = None  # what that row holds
    trail: list[_RowInfo] = field(default_factory=list)  # rows after last_row
    conflict: tuple[int, int] | None = None  # (row, column) of content below the table


def _scan_head(scan: _SheetScan, head: bytes) -> None:
    pats = scan.patterns
    dim = pats.dimension.search(head)
    if dim:
        ref = _attrs(_decode(dim.group(0), "dimension")).get("ref", "")
        scan.dimension = (dim.start(), dim.end(), ref)
    for m in pats.col.finditer(head):
        attrs = _attrs(_decode(m.group(0), "col"))
        style = attrs.get("style")
        if style and style.isdigit() and attrs.get("min", "").isdigit():
            low = int(attrs["min"])
            high = int(attrs["max"]) if attrs.get("max", "").isdigit() else low
            for col in range(low, min(high, _MAX_COLS) + 1):
                scan.col_styles[col] = style


def _scan_sheet(chunks: Iterable[bytes], part: str, c1: int, c2: int, calculated: set[int],
                header_end: int, table_end: int) -> _SheetScan:
    """Stream a worksheet's content up to ``</sheetData>``: the last row of the table
    (columns ``c1``..``c2``, data rows ``header_end + 1``..``table_end``) that holds
    content, the rows after it, and content below the table. Rows are classified from
    the end of each buffered batch backwards, so a full table costs one regex match per
    row plus a few classified rows."""
    it = iter(chunks)
    buf = b""
    pats: _SheetPatterns | None = None
    start_tag: re.Match[bytes] | None = None
    for chunk in it:
        buf += chunk
        if pats is None:
            root = _ROOT_PREFIX.search(buf)
            if root is None:
                if len(buf) > 8 * _CHUNK:
                    raise _malformed(part)
                continue
            pats = _sheet_patterns(root.group(1) or b"")
        start_tag = pats.sheet_data.search(buf)
        if start_tag is not None or len(buf) > _MAX_HEAD:
            break
    if pats is None or start_tag is None:
        raise _malformed(part)
    scan = _SheetScan(pats)
    _scan_head(scan, buf[:start_tag.start()])
    if start_tag.group(1):
        scan.empty_data = (start_tag.start(), start_tag.end())
        scan.data_end = start_tag.start()
        return scan
    base, pos, previous = 0, start_tag.end(), 0
    while True:
        end = pats.data_end.search(buf, pos)
        limit = end.start() if end else len(buf)
        starts = [(m.start(), m.group(1)) for m in pats.row_start.finditer(buf, pos, limit)]
        complete = len(starts) if end else max(len(starts) - 1, 0)
        batch: list[tuple[int, int, int]] = []
        for k in range(complete):
            at, attrs = starts[k]
            number = _R_ROW.search(attrs)
            previous = int(number.group(1)) if number else previous + 1
            batch.append((previous, at, starts[k + 1][0] if k + 1 < len(starts) else limit))
        _classify_batch(scan, buf, base, batch, c1, c2, calculated, header_end, table_end)
        if end:
            scan.data_end = base + end.start()
            return scan
        keep = starts[-1][0] if starts else pos
        base += keep
        buf = buf[keep:]
        pos = 0
        chunk = next(it, None)
        if chunk is None:
            raise _malformed(part)
        buf += chunk


def _classify_batch(scan: _SheetScan, buf: bytes, base: int, batch: list[tuple[int, int, int]],
                    c1: int, c2: int, calculated: set[int], header_end: int,
                    table_end: int) -> None:
    """Classify the rows of a batch from the last one back to the last table row holding
    content (or the table's header), and move ``scan.trail`` forward."""
    pats = scan.patterns
    infos: list[_RowInfo] = []
    stop = False
    for number, start, end in reversed(batch):
        if number <= header_end:
            stop = True
            break
        found = _classify_row(buf[start:end], pats, c1, c2, calculated)
        if number > table_end:  # below the table anything counts, formulas too
            if found.any_col is not None and (scan.conflict is None
                                              or number < scan.conflict[0]):
                scan.conflict = (number, found.any_col)
            infos.append(_RowInfo(number, base + start, base + end, False, {}, {}))
            continue
        if found.content_col is not None:
            scan.last_row, scan.last_class = number, found
            stop = True
            break
        infos.append(_RowInfo(number, base + start, base + end, True, found.styles,
                              found.formulas))
    infos.reverse()
    scan.trail = infos if stop else scan.trail + infos


_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_QUOTED_SHEET = re.compile(r"'(?:[^']|'')*'")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_ROW_RELATIVE = re.compile(
    r"(?<![\w.$])\$?[A-Za-z]{1,3}(\d{1,7})(?![\w(.!])"  # A5, $A5: the row is not anchored
    r"|(?<![\w.$:])(\d{1,7}):\$?\d{1,7}(?![\w(.])|:(\d{1,7})(?![\w(.])")  # 5:5, $5:6


def _row_formula(attrs: bytes, text: bytes) -> str | None:
    """The escaped text of a row's formula that computes from its own table row
    (``[#This Row]``) and has no row-relative cell reference, so it means the same in
    any row of the column; None for other formulas (shared, array, or relative)."""
    kind = _attrs(_decode(attrs, "formula")).get("t", "normal")
    if kind != "normal" or not text.strip() or _THIS_ROW.search(text) is None:
        return None
    formula = html.unescape(_decode(text, "formula"))
    bare = _QUOTED_SHEET.sub("", _STRING_LITERAL.sub("", formula))
    while True:
        stripped = _BRACKETS.sub("", bare)
        if stripped == bare:
            break
        bare = stripped
    if _ROW_RELATIVE.search(bare):
        return None
    return _esc_text(formula)


def _dimension_ref(old: str, c1: int, c2: int, last_row: int) -> str | None:
    """``old`` widened to columns ``c1``..``c2`` and down to ``last_row``."""
    parts = old.split(":")
    found = [_CELL_REF.match(p) for p in parts]
    if len(parts) not in (1, 2) or not all(found):
        return None
    cols = [_col_index(m.group(1)) for m in found if m] + [c1, c2]
    rows = [int(m.group(2)) for m in found if m] + [last_row]
    return f"{_col_letter(min(cols))}{min(rows)}:{_col_letter(max(cols))}{max(rows)}"


def _number_text(value: object) -> str | None:
    """The ``<v>`` text of a number, or None for NaN/infinite."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return None
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _check_append_value(value: object, where: str) -> None:
    ok = value is None or isinstance(value, str | date | numbers.Real | Decimal)
    if not ok:
        raise TypeError(f"Cannot append a {type(value).__name__} to {where}: {value!r}")


@dataclass(frozen=True)
class _AppendColumn:
    """How the cells of one table column of the appended rows are written."""

    letter: str
    style: str  # ' s="N"' or ""
    date_style: str  # style for dates (the column's, or a date format)
    datetime_style: str
    value_index: int | None  # position in the caller's values
    formula: str | None  # escaped calculated-column formula
    array: bool = False


def _inline_p(text: str, p: str) -> str:
    """:func:`_inline` with the sheet's namespace prefix ``p``."""
    body = _inline(text)
    if p:
        body = re.sub(r"<(/?)(is|t)\b", rf"<\1{p}\2", body)
    return body


def _append_cell(col: _AppendColumn, row: int, values: Sequence[CellValue], p: str) -> str:
    ref = f"{col.letter}{row}"
    if col.formula is not None:
        if col.array:
            return (f'<{p}c r="{ref}"{col.style}><{p}f t="array" ref="{ref}">{col.formula}'
                    f"</{p}f></{p}c>")
        return f'<{p}c r="{ref}"{col.style}><{p}f>{col.formula}</{p}f></{p}c>'
    index = col.value_index
    value = values[index] if index is not None and index < len(values) else None
    if value is None:
        return ""
    if isinstance(value, str):
        if not _clean(value):
            return ""
        return f'<{p}c r="{ref}"{col.style} t="inlineStr">{_inline_p(value, p)}</{p}c>'
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{col.style} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, date):
        if value != value:  # NaT
            return ""
        serial = _serial(value)
        if serial is None:
            return (f'<{p}c r="{ref}"{col.style} t="inlineStr">'
                    f"{_inline_p(value.isoformat(), p)}</{p}c>")
        timed = isinstance(value, datetime) and serial != int(serial)
        style = col.datetime_style if timed else col.date_style
        return f'<{p}c r="{ref}"{style}><{p}v>{_number_text(serial)}</{p}v></{p}c>'
    text = _number_text(value)
    if text is None:
        return ""
    return f'<{p}c r="{ref}"{col.style}><{p}v>{text}</{p}v></{p}c>'


@dataclass(frozen=True)
class _TableShape:
    """The parts of a table definition :meth:`WorkbookPackage.append_table_rows` needs."""

    name: str
    sheet: str
    c1: int
    c2: int
    header_end: int  # last header row (the row before the first data row)
    end: int  # last row of the table's range
    names: tuple[str, ...]
    formulas: dict[int, tuple[str, bool]]  # column → (calculated formula, is array)

    @classmethod
    def read(cls, data: bytes, info: ooxml.TableInfo) -> _TableShape:
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise _malformed(info.part) from exc
        ns = f"{{{ooxml.NS_MAIN}}}"
        parts = root.get("ref", "").split(":")
        found = [_CELL_REF.match(p) for p in parts]
        if len(parts) != 2 or not all(found):
            raise _malformed(info.part)
        (c1, r1), (c2, r2) = [(_col_index(m.group(1)), int(m.group(2))) for m in found if m]
        headers = int(root.get("headerRowCount", "1") or "1")
        if int(root.get("totalsRowCount", "0") or "0") > 0:
            raise WorkbookError(
                f"表格 “{info.name}”（工作表 “{info.sheet}”）有汇总行，无法在末尾追加行。请在 "
                "Excel 中取消“汇总行”（表设计 > 汇总行）后重试。",
                f"The table '{info.name}' (sheet '{info.sheet}') has a totals row, so rows "
                "cannot be appended to it. Turn the totals row off in Excel (Table Design > "
                "Total Row) and try again.")
        names: list[str] = []
        formulas: dict[int, tuple[str, bool]] = {}
        for i, el in enumerate(root.iter(f"{ns}tableColumn")):
            names.append(el.get("name", ""))
            calc = el.find(f"{ns}calculatedColumnFormula")
            if calc is not None and (calc.text or "").strip():
                formulas[c1 + i] = (calc.text or "", calc.get("array") in ("1", "true"))
        if len(names) != c2 - c1 + 1:
            raise _malformed(info.part)
        return cls(info.name, info.sheet, c1, c2, r1 + headers - 1, r2, tuple(names), formulas)

    def value_columns(self, columns: Sequence[str]) -> dict[int, int]:
        """Sheet column → position in ``columns`` (header names, case-insensitive)."""
        index = {n.casefold(): self.c1 + i for i, n in enumerate(self.names)}
        out: dict[int, int] = {}
        for position, name in enumerate(columns):
            col = index.get(str(name).casefold())
            if col is None:
                listed = "、".join(self.names)
                raise WorkbookError(
                    f"表格 “{self.name}” 没有名为 “{name}” 的列。表格的列：{listed}。",
                    f"The table '{self.name}' has no column '{name}'. Its columns: "
                    f"{', '.join(self.names)}.")
            if col in out:
                raise WorkbookError(f"列 “{name}” 重复给出。",
                                    f"The column '{name}' is given twice.")
            if col in self.formulas:
                raise WorkbookError(
                    f"表格 “{self.name}” 的列 “{name}” 是计算列，由公式自动填写，不能导入值。",
                    f"The column '{name}' of table '{self.name}' is calculated by a formula; "
                    "values cannot be written to it.")
            out[col] = position
        return out

    def resized(self, text: str, last_row: int) -> str:
        """The table part ``text`` with its range (and autofilter, sort range) ending on
        ``last_row``."""
        part = f"table {self.name}"
        root = _root(text, part)
        ref = _with_last_row(root.attrs.get("ref", ""), last_row)
        edits = [(root.start, root.tag_end, _set_attr(text[root.start:root.tag_end], "ref", ref))]
        for el in _kids(text, root, part):
            targets = [el] if el.local == "sortState" else []
            if el.local == "autoFilter":
                targets = [el] + [k for k in _kids(text, el, part) if k.local == "sortState"]
            for t in targets:
                old = t.attrs.get("ref")
                if old:
                    new = _with_last_row(old, last_row)
                    edits.append((t.start, t.tag_end,
                                  _set_attr(text[t.start:t.tag_end], "ref", new)))
        return _splice(text, edits)


def _with_last_row(ref: str, last_row: int) -> str:
    """An A1 range ``ref`` with its second corner moved to ``last_row``."""
    first, _, second = ref.partition(":")
    m = _CELL_REF.match(second or first)
    if m is None:
        return ref
    return f"{first}:{m.group(1)}{last_row}"


def _row_rebuilder(pats: _SheetPatterns, region: list[int], first: int, last_new: int,
                   last: int, c1: int, c2: int, columns: list[_AppendColumn],
                   rows: list[tuple[CellValue, ...]]) -> Callable[[bytes], Iterator[bytes]]:
    """The replacement of the sheet rows ``first``..``last``: rows ``first``..``last_new``
    are the new rows (merged with cells of existing rows outside the table's columns),
    later existing rows keep only their cells outside the table's columns. ``region``
    holds the numbers of the existing rows in the range, in order."""
    p = pats.prefix
    active = [c for c in columns if c.formula is not None or c.value_index is not None]

    def rebuild(old: bytes) -> Iterator[bytes]:
        existing: dict[int, tuple[bytes, list[tuple[int, bytes]]]] = {}
        for number, m in zip(region, pats.row.finditer(old), strict=True):
            attrs = _SPANS.sub(b"", m.group(1))
            if not _R_ROW.search(attrs):
                attrs = f' r="{number}"'.encode() + attrs
            kept = []
            for col, cell in _cells(m.group(2) or b"", pats):
                if c1 <= col <= c2:
                    continue
                raw = cell.group(0)
                if not _R_CELL.search(cell.group(1)):
                    cut = len(p) + 2
                    raw = raw[:cut] + f' r="{_col_letter(col)}{number}"'.encode() + raw[cut:]
                kept.append((col, raw))
            existing[number] = (attrs, kept)
        out: list[bytes] = []
        for number in range(first, last + 1):
            new = number <= last_new
            if not new and number not in existing:
                continue
            attrs, kept = existing.get(number, (f' r="{number}"'.encode(), []))
            body = [raw for col, raw in kept if col < c1]
            if new:
                values = rows[number - first]
                body.append("".join(_append_cell(c, number, values, p)
                                    for c in active).encode("utf-8"))
            body += [raw for col, raw in kept if col > c2]
            if not new and not kept and not _R_ROW.sub(b"", attrs).strip():
                continue  # an emptied row with nothing else to keep
            out.append(f"<{p}row".encode() + attrs + b">" + b"".join(body)
                       + f"</{p}row>".encode())
            if len(out) >= 512:
                yield b"".join(out)
                out = []
        yield b"".join(out)

    return rebuild


# --------------------------------------------------------------------------------------
# Zip writing with raw copy of unchanged members
# --------------------------------------------------------------------------------------

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5HLL")
_EOCD = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF


def _raw_central_records(path: Path, zf: zipfile.ZipFile) -> dict[str, bytes] | None:
    """Original central-directory record of every member, or None if the archive is not
    a plain single-disk, non-ZIP64 zip starting at offset 0 (then raw copy is not used)."""
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        tail_len = min(size, _EOCD.size + 0xFFFF)
        f.seek(size - tail_len)
        tail = f.read()
        pos = tail.rfind(b"PK\x05\x06")
        while pos >= 0 and pos + _EOCD.size + struct.unpack(
                "<H", tail[pos + 20:pos + 22])[0] != len(tail):
            pos = tail.rfind(b"PK\x05\x06", 0, pos)
        if pos < 0:
            return None
        _, disk, cd_disk, n_here, n_total, cd_size, cd_offset, _ = _EOCD.unpack_from(tail, pos)
        if (disk or cd_disk or n_here != n_total or n_total == 0xFFFF
                or _LIMIT in (cd_size, cd_offset)
                or cd_offset + cd_size != size - tail_len + pos):
            return None
        f.seek(cd_offset)
        directory = f.read(cd_size)
    infos = zf.infolist()
    if len(infos) != n_total:
        return None
    records: dict[str, bytes] = {}
    at = 0
    for info in infos:
        if directory[at:at + 4] != b"PK\x01\x02":
            return None
        fields = _CENTRAL.unpack_from(directory, at)
        n, m, k = fields[10], fields[11], fields[12]
        offset, csize = fields[16], fields[8]
        if (offset != info.header_offset or csize != info.compress_size or _LIMIT in fields[8:10]
                or info.filename in records):
            return None
        records[info.filename] = directory[at:at + _CENTRAL.size + n + m + k]
        at += _CENTRAL.size + n + m + k
    return records


def _has_zip64_extra(extra: bytes) -> bool:
    at = 0
    while at + 4 <= len(extra):
        header_id, size = struct.unpack_from("<2H", extra, at)
        if header_id == 0x0001:
            return True
        at += 4 + size
    return False


def _dos_time() -> tuple[int, int]:
    t = time.localtime()
    year = max(t.tm_year, 1980)
    return (t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2,
            (year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday)


class _ZipWriter:
    """Writes a zip archive: raw copies of source members and new deflated members."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._central: list[bytes] = []

    def _offset(self) -> int:
        offset = self._out.tell()
        if offset > _LIMIT or len(self._central) >= 0xFFFF:
            raise WorkbookError("结果超过 4 GB 或 65535 个部件（ZIP64），暂不支持。",
                                "The result needs ZIP64 (over 4 GB or 65535 parts); "
                                "not supported.")
        return offset

    def copy_raw(self, src: IO[bytes], info: zipfile.ZipInfo, central: bytes) -> None:
        """Copy local header, compressed data and data descriptor of ``info`` as they are."""
        offset = self._offset()
        src.seek(info.header_offset)
        header = src.read(_LOCAL.size)
        if header[:4] != b"PK\x03\x04":
            raise WorkbookError(f"工作簿已损坏：找不到 {info.filename} 的数据。",
                                f"The workbook is damaged: no local header for {info.filename}.")
        n, m = struct.unpack("<2H", header[26:30])
        length = _LOCAL.size + n + m + info.compress_size
        if info.flag_bits & 0x08:
            extra = src.read(n + m)[n:]
            sizes = 8 if _has_zip64_extra(extra) else 4
            src.seek(info.header_offset + length)
            length += 4 + 2 * sizes + (4 if src.read(4) == b"PK\x07\x08" else 0)
        src.seek(info.header_offset)
        while length:
            block = src.read(min(length, _CHUNK))
            if not block:
                raise WorkbookError(f"工作簿已损坏：{info.filename} 的数据不完整。",
                                    f"The workbook is damaged: {info.filename} is truncated.")
            self._out.write(block)
            length -= len(block)
        self._central.append(central[:42] + struct.pack("<L", offset) + central[46:])

    def write(self, name: str, chunks: Iterable[bytes], like: bytes | None) -> None:
        """Deflate ``chunks`` as member ``name``; attributes (system, permissions) are
        taken from the central record ``like`` when given."""
        offset = self._offset()
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        dos_time, dos_date = _dos_time()
        self._out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, 0, 0, 0,
                                    len(raw_name), 0) + raw_name)
        compressor = zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, -15)
        crc = size = csize = 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            block = compressor.compress(chunk)
            csize += len(block)
            self._out.write(block)
        block = compressor.flush()
        csize += len(block)
        self._out.write(block)
        if max(size, csize, self._out.tell()) > _LIMIT:
            self._offset()
            raise WorkbookError(f"部件 {name} 超过 4 GB（ZIP64），暂不支持。",
                                f"The part {name} is over 4 GB (ZIP64); not supported.")
        end = self._out.tell()
        self._out.seek(offset + 14)
        self._out.write(struct.pack("<3L", crc, csize, size))
        self._out.seek(end)
        made_by, internal, external = 20 | 3 << 8, 0, 0o100644 << 16
        if like is not None:
            made_by, = struct.unpack("<H", like[4:6])
            internal, external = struct.unpack("<HL", like[36:42])
        self._central.append(_CENTRAL.pack(
            b"PK\x01\x02", made_by, 20, flags, 8, dos_time, dos_date, crc, csize, size,
            len(raw_name), 0, 0, 0, internal, external, offset) + raw_name)

    def finish(self, comment: bytes) -> None:
        """Write the central directory and the end record."""
        start = self._offset()
        for record in self._central:
            self._out.write(record)
        size = self._out.tell() - start
        self._out.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(self._central),
                                   len(self._central), size, start, len(comment)) + comment)


# --------------------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------------------


def _is_rels(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


class _View:
    """The package as currently edited, shaped like a ``zipfile.ZipFile`` for
    :mod:`xlsales.io.ooxml` (``read`` and ``NameToInfo``)."""

    def __init__(self, package: WorkbookPackage) -> None:
        self._package = package
        self.NameToInfo: Mapping[str, object] = dict.fromkeys(package._names())

    def read(self, name: str) -> bytes:
        return self._package._read(name)


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    index: int
    rel_id: str


class WorkbookPackage:
    """An .xlsx/.xlsm package opened for editing; see the module docstring.

    Use :meth:`open`, then :meth:`put_sheet` / :meth:`set_highlights` /
    :meth:`append_table_rows`, then :meth:`save`.
    After a successful save the object refers to the saved file and can be edited again.
    """

    def __init__(self, path: Path) -> None:
        """Open ``path``; prefer :meth:`open`."""
        self._load(Path(path))

    @classmethod
    def open(cls, path: Path) -> WorkbookPackage:
        """Open the workbook at ``path`` for editing (only its structure is read)."""
        return cls(Path(path))

    # -- state -----------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        try:
            st = path.stat()
            zf = zipfile.ZipFile(path)
        except FileNotFoundError as exc:
            raise WorkbookError(f"找不到文件 {path}。", f"File not found: {path}.") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(
                f"{path} 不是有效的 xlsx/xlsm 文件（可能已损坏或加了密码）：{exc}",
                f"{path} is not a valid xlsx/xlsm file (damaged or password-protected?): {exc}",
            ) from exc
        self._zf = zf
        self._path = path
        self._stat = (st.st_size, st.st_mtime_ns)
        self._order = [i.filename for i in zf.infolist()]
        self._data: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._created: set[str] = set()
        self._tail_edits: dict[str, TailEdit] = {}
        self._splices: dict[str, list[list[Splice]]] = {}  # per part, applied in order
        try:
            self._raw = _raw_central_records(path, zf)
            layout = ooxml.read_layout(zf)
            self._initial_reachable = ooxml.reachable_parts(zf)
        except (ET.ParseError, KeyError, ValueError) as exc:
            zf.close()
            raise WorkbookError(f"{path} 的结构无法识别：{exc}",
                                f"Cannot read the structure of {path}: {exc}") from exc
        if (ooxml.CONTENT_TYPES_PART not in zf.NameToInfo
                or layout.workbook_part not in zf.NameToInfo):
            zf.close()
            raise WorkbookError(f"{path} 不是 Excel 工作簿（缺少 workbook.xml）。",
                                f"{path} is not an Excel workbook (no workbook part).")
        self._wb_part = layout.workbook_part
        head = zf.read(self._wb_part)[:4096]
        if ooxml.NS_MAIN.encode() not in head:
            zf.close()
            raise WorkbookError(
                f"{path} 是 “Strict Open XML” 格式，暂不支持；请在 Excel 中另存为普通 .xlsx。",
                f"{path} is a Strict Open XML workbook, which is not supported; save it as "
                "a normal .xlsx in Excel.")

    def close(self) -> None:
        """Close the source file; unsaved edits are discarded."""
        self._zf.close()

    def __enter__(self) -> WorkbookPackage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        """The file this package was opened from (or last saved to)."""
        return self._path

    def _names(self) -> list[str]:
        return [n for n in self._order if n not in self._removed]

    def _exists(self, name: str) -> bool:
        return name not in self._removed and (name in self._data or name in self._zf.NameToInfo)

    def _read(self, name: str) -> bytes:
        if name in self._removed:
            raise KeyError(name)
        if name in self._data:
            return self._data[name]
        return self._zf.read(name)

    def _text(self, name: str) -> str:
        return _decode(self._read(name), name)

    def _put(self, name: str, data: bytes) -> None:
        if not self._exists(name):
            self._removed.discard(name)
            if name not in self._order:
                self._order.append(name)
            if name not in self._zf.NameToInfo:
                self._created.add(name)
        self._data[name] = data
        self._splices.pop(name, None)  # pending splices refer to the old content

    def _put_text(self, name: str, text: str) -> None:
        self._put(name, text.encode("utf-8"))

    def _current_chunks(self, name: str) -> Iterator[bytes]:
        """The decompressed content of part ``name`` as edited so far (splices applied,
        tail edits not), streamed."""
        chunks: Iterator[bytes] = self._source_chunks(name)
        for splices in self._splices.get(name, []):
            chunks = _apply_splices(chunks, splices, name)
        return chunks

    def _source_chunks(self, name: str) -> Iterator[bytes]:
        if name in self._data:
            yield self._data[name]
            return
        with self._zf.open(name) as stream:
            yield from iter(lambda: stream.read(_CHUNK), b"")

    def _remove(self, name: str) -> None:
        if not self._exists(name):
            return
        self._removed.add(name)
        self._data.pop(name, None)
        self._tail_edits.pop(name, None)
        self._splices.pop(name, None)
        self._set_override(name, None)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All edits in the block happen, or none: the state is restored on any failure."""
        saved = (list(self._order), dict(self._data), set(self._removed), set(self._created),
                 dict(self._tail_edits), {k: list(v) for k, v in self._splices.items()})
        done = False
        try:
            yield
            done = True
        finally:
            if not done:
                (self._order, self._data, self._removed, self._created,
                 self._tail_edits, self._splices) = saved

    def _layout(self) -> ooxml.PackageLayout:
        return ooxml.read_layout(cast(zipfile.ZipFile, _View(self)))

    # -- [Content_Types].xml and relationships ---------------------------------------------

    def _set_override(self, part: str, content_type: str | None) -> None:
        """Add, change or (``None``) remove the content-type override of ``part``."""
        name = ooxml.CONTENT_TYPES_PART
        text = self._text(name)
        root = _root(text, name)
        key = "/" + part.lower()
        overrides = [el for el in _kids(text, root, name) if el.local == "Override"
                     and el.attrs.get("PartName", "").lower() == key]
        if content_type is None:
            if overrides:
                self._put_text(name, _splice(text, [(el.start, el.end, "") for el in overrides]))
            return
        if overrides and overrides[0].attrs.get("ContentType") == content_type:
            return
        new = (f'<{root.prefix}Override PartName="/{_esc_attr(part)}" '
               f'ContentType="{content_type}"/>')
        if overrides:
            text = _splice(text, [(el.start, el.end, new if i == 0 else "")
                                  for i, el in enumerate(overrides)])
        else:
            text = _append_child(text, root, new)
        self._put_text(name, text)

    def _rels_of(self, part: str) -> list[ooxml.Relationship]:
        rels = ooxml.rels_part(part)
        return ooxml.parse_rels(self._read(rels), part) if self._exists(rels) else []

    def _add_relationship(self, part: str, rel_type: str, target: str) -> str:
        rels = ooxml.rels_part(part)
        existing = {r.id for r in self._rels_of(part)}
        numbers_ = [int(m.group(1)) for i in existing if (m := re.fullmatch(r"rId(\d+)", i))]
        n = max(numbers_, default=0) + 1
        while f"rId{n}" in existing:
            n += 1
        rel_id = f"rId{n}"
        rel = (f'<Relationship Id="{rel_id}" Type="{rel_type}" '
               f'Target="{_esc_attr(ooxml.relative_target(part, target))}"/>')
        if self._exists(rels):
            text = self._text(rels)
            root = _root(text, rels)
            if root.prefix:
                rel = rel.replace("<Relationship", f"<{root.prefix}Relationship")
            self._put_text(rels, _append_child(text, root, rel))
        else:
            self._put(rels, _rels_xml([(rel_id, rel_type,
                                         ooxml.relative_target(part, target))]))
        return rel_id

    def _remove_relationship(self, part: str, rel_id: str) -> None:
        rels = ooxml.rels_part(part)
        text = self._text(rels)
        root = _root(text, rels)
        drop = [el for el in _kids(text, root, rels) if el.attrs.get("Id") == rel_id]
        self._put_text(rels, _splice(text, [(el.start, el.end, "") for el in drop]))

    def _collect_garbage(self) -> None:
        """Remove parts that were reachable (or created by us) and no longer are."""
        reachable = ooxml.reachable_parts(_View(self))
        for name in sorted((self._initial_reachable | self._created) - reachable):
            if self._exists(name) and not _is_rels(name):
                self._remove(name)
                self._remove(ooxml.rels_part(name))

    # -- workbook.xml ----------------------------------------------------------------------

    def _sheet_entries(self, text: str) -> tuple[_El | None, list[_El]]:
        root = _root(text, self._wb_part)
        sheets = next((el for el in _kids(text, root, self._wb_part) if el.local == "sheets"),
                      None)
        return sheets, ([] if sheets is None else
                        [el for el in _kids(text, sheets, self._wb_part) if el.local == "sheet"])

    def _workbook_children(self, text: str, local: str) -> list[_El]:
        root = _root(text, self._wb_part)
        out: list[_El] = []
        for el in _kids(text, root, self._wb_part):
            if el.local == local:
                out.extend(_kids(text, el, self._wb_part))
        return out

    def _find_sheet(self, name: str) -> _SheetEntry | None:
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        for i, el in enumerate(sheets):
            if el.attrs.get("name", "").casefold() == name.casefold():
                rel_id = next((v for k, v in el.attrs.items() if k.endswith(":id")), "")
                return _SheetEntry(el.attrs.get("name", ""), i, rel_id)
        return None

    def _worksheet(self, name: str) -> ooxml.SheetInfo:
        entry = self._find_sheet(name)
        sheet = None
        if entry is not None:
            sheet = next((s for s in self._layout().sheets if s.rel_id == entry.rel_id), None)
            if sheet is None:
                raise WorkbookError(f"“{entry.name}” 不是普通工作表（可能是图表工作表）。",
                                    f"'{entry.name}' is not a worksheet (a chart sheet?).")
        if sheet is None:
            raise WorkbookError(f"工作簿中没有名为 “{name}” 的工作表。",
                                f"The workbook has no sheet named '{name}'.")
        return sheet

    @property
    def sheet_names(self) -> list[str]:
        """Names of all sheets (worksheets and chart sheets), in tab order."""
        _, sheets = self._sheet_entries(self._text(self._wb_part))
        return [el.attrs.get("name", "") for el in sheets]

    def _shift_sheet_indexes(self, text: str, index: int) -> str:
        """Sheet-position references (local names, active/first tab) moved for a sheet
        inserted at ``index``."""
        edits = []
        for local, attrs in (("definedNames", ("localSheetId",)),
                             ("bookViews", ("activeTab", "firstSheet"))):
            for el in self._workbook_children(text, local):
                tag = text[el.start:el.tag_end]
                new = tag
                for attr in attrs:
                    value = el.attrs.get(attr)
                    if value is not None and value.isdigit() and int(value) >= index:
                        new = _set_attr(new, attr, str(int(value) + 1))
                if new != tag:
                    edits.append((el.start, el.tag_end, new))
        return _splice(text, edits)

    def _drop_filter_names(self, text: str, index: int) -> str:
        """Without the hidden autofilter names of the sheet at ``index`` (its old content)."""
        drop = [el for el in self._workbook_children(text, "definedNames")
                if el.attrs.get("name") == "_xlnm._FilterDatabase"
                and el.attrs.get("localSheetId") == str(index)]
        return _splice(text, [(el.start, el.end, "") for el in drop])

    def _drop_calc_chain(self, sheet_id: int) -> None:
        """Remove calculation-chain entries of a sheet whose content is replaced."""
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_CALC_CHAIN and self._exists(r.target)), None)
        if rel is None:
            return
        text = self._text(rel.target)
        root = _root(text, rel.target)
        kept: list[dict[str, str]] = []
        current = total = 0
        for el in _kids(text, root, rel.target):
            if el.local != "c":
                continue
            total += 1
            current = int(el.attrs.get("i", current))
            if current != sheet_id:
                kept.append({**el.attrs, "i": str(current)})
        if len(kept) == total:
            return
        if not kept:
            self._remove_relationship(self._wb_part, rel.id)
            self._remove(rel.target)
            return
        p = root.prefix
        body = "".join(f"<{p}c" + "".join(f' {k}="{_esc_attr(v)}"' for k, v in a.items())
                       + "/>" for a in kept)
        self._put_text(rel.target, text[:root.tag_end] + body + text[root.close:])

    # -- public editing API ----------------------------------------------------------------

    def put_sheet(self, content: SheetContent, *, after: str | None = None) -> None:
        """Add ``content`` as a new worksheet (after sheet ``after``, else last), or replace
        the worksheet of the same name in place, removing every part only it used.

        A sheet name matches case-insensitively, as in Excel; a replaced sheet keeps its
        position, visibility and VBA code name (``after`` is then ignored). Highlights set
        on it before in this session are dropped with its old content.
        """
        with self._transaction():
            self._put_sheet(content, after)

    def _put_sheet(self, content: SheetContent, after: str | None) -> None:
        layout = self._layout()
        existing = self._find_sheet(content.name)
        old: ooxml.SheetInfo | None = None
        if existing is not None:
            old = self._worksheet(existing.name)
        if content.table_name is not None:
            self._check_table_name_free(content.table_name, layout, old)
        if after is not None and existing is None and self._find_sheet(after) is None:
            raise WorkbookError(f"工作簿中没有名为 “{after}” 的工作表。",
                                f"The workbook has no sheet named '{after}'.")
        code_name = None
        if old is not None:
            part = old.part
            code_name = self._code_name(part)
            self._replace_sheet_entry(old, content.name)
            self._tail_edits.pop(part, None)
            rels = ooxml.rels_part(part)
            if self._exists(rels):
                self._remove(rels)
        else:
            part = self._add_sheet_entry(content.name, after)
        styles = self._styles()
        cache = _StyleCache(styles)
        table_rel = None
        if content.table_name is not None:
            table_part = self._new_part_name(
                self._part_folder(layout.tables[0].part if layout.tables else "xl/tables/x"),
                "table")
            table_id = self._next_table_id(layout, old)
            self._put(table_part, _table_xml(content, table_id))
            self._set_override(table_part, ooxml.CT_TABLE)
            table_rel = "rId1"
            self._put(ooxml.rels_part(part), _rels_xml(
                [(table_rel, ooxml.REL_TABLE, ooxml.relative_target(part, table_part))]))
        self._put(part, _sheet_xml(content, cache, table_rel, code_name))
        self._set_override(part, ooxml.CT_WORKSHEET)
        if styles.changed:
            self._put_text(styles.part, styles.text)
        self._collect_garbage()

    def set_highlights(self, sheet_name: str, cells: Sequence[str]) -> None:
        """Give ``cells`` (A1 references such as ``"C12"``) of worksheet ``sheet_name`` a
        light red fill through xlsales' own conditional-formatting block; a new call
        replaces the previous block, an empty list removes it. Other rules stay as they are.
        """
        sheet = self._worksheet(sheet_name)
        sqref = _sqref(cells)
        dxf_id = None
        if sqref:
            with self._transaction():
                styles = self._styles()
                dxf_id = styles.ensure_dxf(_HIGHLIGHT_DXF)
                if styles.changed:
                    self._put_text(styles.part, styles.text)
        part = sheet.part

        def edit(tail: str, prefix: str) -> str:
            return _highlight_tail(tail, prefix, part, sqref, dxf_id)

        self._tail_edits[part] = edit

    def append_table_rows(self, table_name: str, columns: Sequence[str],
                          rows: Sequence[Sequence[CellValue]]) -> None:
        """Append ``rows`` to the Excel Table ``table_name``; ``columns`` are the table's
        header names the values fill, in order (case-insensitive; other columns stay
        empty).

        The rows go right after the table's last row holding content: trailing blank
        rows of the table (a template's placeholder row; calculated-column formulas alone
        count as blank) are reused. Calculated columns get their formula in every new row
        and ``workbook.xml`` asks for a full recalculation on load. New cells take the
        style of the column's cell in the last data row, else the ``<cols>`` style. Text
        is written as text (``"=1+1"`` is not a formula), dates as serial numbers,
        ``None`` as no cell. The table's range, its autofilter and the sheet's dimension
        grow. Content below the table in its columns is refused with a
        :class:`WorkbookError`. The sheet is streamed, never loaded; on any error nothing
        changes.
        """
        with self._transaction():
            self._append_table_rows(table_name, list(columns), rows)

    def _append_table_rows(self, table_name: str, columns: list[str],
                           rows: Sequence[Sequence[CellValue]]) -> None:
        info = self._layout().table(table_name)
        if info is None:
            raise WorkbookError(f"工作簿中没有名为 “{table_name}” 的表格（Excel 表）。",
                                f"The workbook has no Excel Table named '{table_name}'.")
        sheet = self._worksheet(info.sheet)
        table = _TableShape.read(self._read(info.part), info)
        value_cols = table.value_columns(columns)
        width = len(columns)
        checked: list[tuple[CellValue, ...]] = []
        for i, row in enumerate(rows):
            if len(row) > width:
                raise ValueError(f"Row {i} has {len(row)} values for {width} columns")
            for j, value in enumerate(row):
                _check_append_value(value, f"row {i}, column {columns[j]!r}")
            checked.append(tuple(row))
        if not checked:
            return
        try:
            scan = _scan_sheet(self._current_chunks(sheet.part), sheet.part, table.c1,
                               table.c2, set(table.formulas), table.header_end, table.end)
        except _SCAN_FAILURES as exc:
            raise WorkbookError(
                f"工作表 “{sheet.name}” 的数据已损坏，无法读取（{exc}）。",
                f"The data of sheet '{sheet.name}' is damaged and cannot be read ({exc}).",
            ) from exc
        if scan.conflict is not None:
            row, col = scan.conflict
            cell = f"{_col_letter(col)}{row}"
            raise WorkbookError(
                f"工作表 “{sheet.name}” 第 {row} 行（单元格 {cell}）在表格 “{info.name}” 下方的"
                "同一列中有内容，无法在表格末尾追加行。请删除或移走表格下方的这些内容（或把它们"
                "纳入表格）后重试；工作簿未做任何修改。",
                f"Sheet '{sheet.name}' has content in row {row} (cell {cell}) below the "
                f"table '{info.name}', in the table's columns, so rows cannot be appended to "
                "the table. Delete or move what is below the table (or make it part of the "
                "table) and try again; the workbook was not changed.")
        first = max(scan.last_row, table.header_end) + 1
        last_new = first + len(checked) - 1
        if last_new > _MAX_ROWS:
            raise WorkbookError(
                f"追加 {len(checked):,} 行后，工作表 “{sheet.name}” 将超过 Excel 的行数上限 "
                f"{_MAX_ROWS:,}。",
                f"Appending {len(checked):,} rows would take sheet '{sheet.name}' past "
                f"Excel's limit of {_MAX_ROWS:,} rows.")
        last = max(table.end, last_new)
        region = [r for r in scan.trail if r.number <= last]
        targets = self._append_columns(scan, table, value_cols, checked)
        pats = scan.patterns
        rebuild = _row_rebuilder(pats, [r.number for r in region], first, last_new, last,
                                 table.c1, table.c2, targets, checked)
        if scan.empty_data is not None:
            start, end = scan.empty_data
            p = pats.prefix

            def fill(old: bytes) -> Iterator[bytes]:
                yield re.sub(rb"\s*/>$", b">", old)
                yield from rebuild(b"")
                yield f"</{p}sheetData>".encode()

            splices: list[Splice] = [(start, end, fill)]
        else:
            if region:
                start, end = region[0].start, region[-1].end
            else:
                start = end = scan.trail[0].start if scan.trail else scan.data_end
            splices = [(start, end, rebuild)]
        if scan.dimension is not None:
            d_start, d_end, ref = scan.dimension
            new_ref = _dimension_ref(ref, table.c1, table.c2, last_new)
            if new_ref is not None and new_ref != ref:
                def dimension(old: bytes, new_ref: str = new_ref) -> Iterator[bytes]:
                    yield _set_attr(_decode(old, sheet.part), "ref", new_ref).encode("utf-8")

                splices.append((d_start, d_end, dimension))
        self._splices.setdefault(sheet.part, []).append(splices)
        self._put_text(info.part, table.resized(_decode(self._read(info.part), info.part),
                                                last_new))
        written = {col for col, c in enumerate(targets, table.c1) if c.formula is not None}
        if any(r.number > last_new or not set(r.formulas) <= written
               for r in region if r.in_table and r.formulas):
            self._drop_calc_chain(sheet.sheet_id)  # formula cells leave: no stale entries
        if any(c.formula is not None for c in targets):
            self._ensure_full_calc_on_load()

    def _append_columns(self, scan: _SheetScan, table: _TableShape,
                        value_cols: dict[int, int],
                        rows: list[tuple[CellValue, ...]]) -> list[_AppendColumn]:
        """How each table column of the new rows is written (style, value or formula).

        Styles and undeclared calculated formulas come from the last data row (else the
        first blank row of the table, a template's placeholder)."""
        styles: dict[int, str] = {}
        found: dict[int, tuple[bytes, bytes]] = {}
        if scan.last_class is not None:
            styles, found = scan.last_class.styles, scan.last_class.formulas
        else:
            first_blank = next((r for r in scan.trail if r.in_table), None)
            if first_blank is not None:
                styles, found = first_blank.styles, first_blank.formulas
        cache: _StyleCache | None = None
        out = []
        for col in range(table.c1, table.c2 + 1):
            style = styles.get(col) or scan.col_styles.get(col)
            s_attr = f' s="{style}"' if style and style != "0" else ""
            date_s = datetime_s = s_attr
            index = value_cols.get(col)
            if not s_attr and index is not None and any(
                    index < len(r) and isinstance(r[index], date) for r in rows):
                cache = cache or _StyleCache(self._styles())
                date_s, datetime_s = f' s="{cache("date")}"', f' s="{cache("datetime")}"'
            formula: str | None = None
            array = False
            if col in table.formulas:
                text, array = table.formulas[col]
                formula = _esc_text(text)
            elif index is None and col in found:
                formula = _row_formula(*found[col])
            out.append(_AppendColumn(_col_letter(col), s_attr, date_s, datetime_s, index,
                                     formula, array))
        if cache is not None and cache.styles.changed:
            self._put_text(cache.styles.part, cache.styles.text)
        return out

    def _ensure_full_calc_on_load(self) -> None:
        """``<calcPr fullCalcOnLoad="1">`` in workbook.xml, so Excel and LibreOffice compute
        formulas that have no cached result when the file opens."""
        text = self._text(self._wb_part)
        root = _root(text, self._wb_part)
        kids = _kids(text, root, self._wb_part)
        calc = next((el for el in kids if el.local == "calcPr"), None)
        if calc is not None:
            if calc.attrs.get("fullCalcOnLoad") in ("1", "true"):
                return
            tag = _set_attr(text[calc.start:calc.tag_end], "fullCalcOnLoad", "1")
            text = text[:calc.start] + tag + text[calc.tag_end:]
        else:
            order = _WORKBOOK_CHILD_ORDER
            later = [el for el in kids if el.local in order
                     and order.index(el.local) > order.index("calcPr")]
            pos = later[0].start if later else root.close
            text = text[:pos] + f'<{root.prefix}calcPr fullCalcOnLoad="1"/>' + text[pos:]
        self._put_text(self._wb_part, text)

    # -- helpers for put_sheet -------------------------------------------------------------

    def _code_name(self, part: str) -> str | None:
        """``codeName`` of a worksheet (its VBA document module), read from the part's
        head only; a replaced sheet keeps it so the VBA project still matches."""
        if part in self._data:
            head = self._data[part][:_CHUNK]
        else:
            with self._zf.open(part) as stream:
                head = stream.read(_CHUNK)
        m = re.search(rb"<(?:[\w.\-]+:)?sheetPr\b[^>]*?\scodeName\s*=\s*[\"']([^\"']*)", head)
        return html.unescape(m.group(1).decode("utf-8")) if m else None

    def _styles(self) -> _Styles:
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_STYLES and self._exists(r.target)), None)
        if rel is not None:
            return _Styles(rel.target, self._text(rel.target))
        part = posixpath.join(posixpath.dirname(self._wb_part), "styles.xml")
        self._add_relationship(self._wb_part, ooxml.REL_STYLES, part)
        self._set_override(
            part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        text = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<styleSheet xmlns="{ooxml.NS_MAIN}"></styleSheet>')
        self._put_text(part, text)
        styles = _Styles(part, text)
        styles.ensure_defaults()
        return styles

    def _check_table_name_free(self, name: str, layout: ooxml.PackageLayout,
                               replaced: ooxml.SheetInfo | None) -> None:
        clash = next((t for t in layout.tables if name.casefold() in
                      (t.name.casefold(), t.display_name.casefold())
                      and (replaced is None or t.sheet != replaced.name)), None)
        text = self._text(self._wb_part)
        names = {el.attrs.get("name", "").casefold()
                 for el in self._workbook_children(text, "definedNames")}
        if clash is not None or name.casefold() in names:
            where = f"（工作表 “{clash.sheet}”）" if clash else "（已有同名的名称）"
            where_en = f" (sheet '{clash.sheet}')" if clash else " (a defined name)"
            raise WorkbookError(f"表格名称 “{name}” 已被使用{where}；Excel 要求名称唯一。",
                                f"The table name '{name}' is already used{where_en}; Excel "
                                "requires unique names.")

    def _next_table_id(self, layout: ooxml.PackageLayout,
                       replaced: ooxml.SheetInfo | None) -> int:
        ids = []
        for t in layout.tables:
            if replaced is not None and t.sheet == replaced.name:
                continue
            value = _root(self._text(t.part), t.part).attrs.get("id", "0")
            ids.append(int(value) if value.isdigit() else 0)
        return max(ids, default=0) + 1

    @staticmethod
    def _part_folder(part: str) -> str:
        return posixpath.dirname(part)

    def _new_part_name(self, folder: str, stem: str) -> str:
        pattern = re.compile(rf"{re.escape(folder)}/{stem}(\d+)\.xml", re.IGNORECASE)
        taken = {n.lower() for n in self._order}
        used = [int(m.group(1)) for n in self._order if (m := pattern.fullmatch(n))]
        n = max(used, default=0) + 1
        while f"{folder}/{stem}{n}.xml".lower() in taken:
            n += 1
        return f"{folder}/{stem}{n}.xml"

    def _add_sheet_entry(self, name: str, after: str | None) -> str:
        layout = self._layout()
        folder = self._part_folder(layout.sheets[0].part if layout.sheets
                                   else posixpath.join(posixpath.dirname(self._wb_part),
                                                       "worksheets/x"))
        part = self._new_part_name(folder, "sheet")
        rel_id = self._add_relationship(self._wb_part, ooxml.REL_WORKSHEET, part)
        text = self._text(self._wb_part)
        container, sheets = self._sheet_entries(text)
        if container is None:
            raise _malformed(self._wb_part)
        index = len(sheets)
        if after is not None:
            found = self._find_sheet(after)
            assert found is not None
            index = found.index + 1
        sheet_ids = [int(v) for el in sheets if (v := el.attrs.get("sheetId", "")).isdigit()]
        root = _root(text, self._wb_part)
        r_prefix = _prefix_for(text[root.start:root.tag_end], ooxml.NS_REL)
        rid_attr = (f'{r_prefix}id="{rel_id}"' if r_prefix else
                    f'xmlns:xr_="{ooxml.NS_REL}" xr_:id="{rel_id}"')
        element = (f'<{container.prefix}sheet name="{_esc_attr(name)}" '
                   f'sheetId="{max(sheet_ids, default=0) + 1}" {rid_attr}/>')
        if index < len(sheets):
            text = self._shift_sheet_indexes(text, index)
            _, sheets = self._sheet_entries(text)
            pos = sheets[index].start
            text = text[:pos] + element + text[pos:]
        else:
            text = _append_child(text, container, element)
        self._put_text(self._wb_part, text)
        return part

    def _replace_sheet_entry(self, old: ooxml.SheetInfo, name: str) -> None:
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        el = sheets[old.index]
        new = text
        if el.attrs.get("name") != name:
            tag = _set_attr(text[el.start:el.tag_end], "name", name)
            new = text[:el.start] + tag + text[el.tag_end:]
        new = self._drop_filter_names(new, old.index)
        if new != text:
            self._put_text(self._wb_part, new)
        self._drop_calc_chain(old.sheet_id)

    # -- saving ----------------------------------------------------------------------------

    def _output_order(self) -> list[str]:
        names = self._names()
        ct = ooxml.CONTENT_TYPES_PART
        return [ct] + [n for n in names if n != ct]

    def _write_member(self, writer: _ZipWriter, src: IO[bytes], name: str) -> None:
        like = self._raw.get(name) if self._raw is not None else None
        if like is None and self._raw is not None:
            like = self._raw.get(ooxml.CONTENT_TYPES_PART)
        edit = self._tail_edits.get(name)
        if self._splices.get(name):
            chunks = self._current_chunks(name)
            if edit is not None:
                chunks = _edit_sheet_stream(chunks, edit, name)
            writer.write(name, chunks, like)
        elif name in self._data:
            data = self._data[name]
            if edit is not None:
                data = _edit_sheet_bytes(data, edit, name)
            writer.write(name, [data], like)
        elif edit is not None:
            with self._zf.open(name) as stream:
                chunks = iter(lambda: stream.read(_CHUNK), b"")
                writer.write(name, _edit_sheet_stream(chunks, edit, name), like)
        elif self._raw is not None:
            writer.copy_raw(src, self._zf.getinfo(name), self._raw[name])
        else:
            with self._zf.open(name) as stream:
                writer.write(name, iter(lambda: stream.read(_CHUNK), b""), like)

    def save(self, path: Path | None = None) -> None:
        """Write the workbook to ``path`` (default: the file it was opened from), atomically.

        Unchanged parts are copied raw. The target keeps its permission bits (a new
        target gets those of the source). Afterwards this object refers to the saved file.
        """
        target = Path(path) if path is not None else self._path
        if target.is_symlink():
            target = target.resolve()
        st = self._path.stat()
        if (st.st_size, st.st_mtime_ns) != self._stat:
            raise WorkbookError(f"{self._path} 在打开后被其他程序修改过，未保存任何内容。",
                                f"{self._path} was changed by another program after it was "
                                "opened; nothing was saved.")
        mode = stat.S_IMODE((target if target.exists() else self._path).stat().st_mode)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        tmp = Path(tmp_name)
        done = False
        try:
            with os.fdopen(fd, "wb") as out, self._path.open("rb") as src:
                writer = _ZipWriter(out)
                for name in self._output_order():
                    self._write_member(writer, src, name)
                writer.finish(self._zf.comment)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, mode)
            self._zf.close()  # Windows cannot replace a file that is open
            try:
                os.replace(tmp, target)
            except PermissionError as exc:
                raise WorkbookError(
                    f"无法写入 {target}：文件可能正在 Excel/WPS 中打开，请关闭后重试。",
                    f"Cannot write {target}: it may be open in Excel/WPS; close it and "
                    "try again.") from exc
            done = True
        finally:
            if not done:
                tmp.unlink(missing_ok=True)
                if self._zf.fp is None:  # reopen the untouched source, edits are kept
                    self._zf = zipfile.ZipFile(self._path)
        self._load(target)
