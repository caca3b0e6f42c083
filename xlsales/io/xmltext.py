"""Small XML toolkit: find elements in a text without building a DOM, splice text.

The structural parts xlsales edits are changed as text, so namespace prefixes,
``mc:Ignorable`` lists and unknown extensions survive byte for byte. Also the escaping
of text and attribute values, and removal of the characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from xlsales.errors import WorkbookError

#: The characters XML 1.0 cannot hold.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_QNAME = r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"
_TAG_RE = re.compile(
    rf"<(/?)({_QNAME})((?:\s+[^\s=/<>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR_RE = re.compile(r"([^\s=/<>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def malformed(what: str) -> WorkbookError:
    """The error for the part ``what``, which is not valid XML and cannot be edited."""
    return WorkbookError(f"工作簿中的 {what} 不是有效的 XML，无法修改。",
                         f"The part {what} of the workbook is not valid XML; cannot edit it.")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return ILLEGAL_XML.sub("", text)


def esc_text(text: str) -> str:
    """``text`` escaped as XML character data (illegal characters dropped)."""
    return (clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def esc_attr(text: str) -> str:
    """``text`` escaped as a double-quoted XML attribute value."""
    return (esc_text(text).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


@dataclass(frozen=True)
class El:
    """Position of one element in a text: ``text[start:tag_end]`` is its start tag,
    ``text[tag_end:close]`` its content and ``text[close:end]`` its end tag. Frozen (its
    ``attrs`` are never changed either): the scans of a text are shared
    (:func:`children_in`)."""

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


def parse_attrs(text: str) -> dict[str, str]:
    """The attributes in ``text`` (a start tag): name → unescaped value."""
    return {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR_RE.finditer(text)}


#: What a tag scan skips, by its opener and closer: comments, CDATA, PIs, declarations.
_SKIPPED = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))
_SKIPPED_STARTS = ("<!", "<?")  # every opener of _SKIPPED starts so


def _tags(text: str, pos: int, end: int, what: str) -> Iterator[re.Match[str]]:
    """Every start/end/empty tag in ``text[pos:end]``, skipping comments, CDATA, PIs."""
    while True:
        i = text.find("<", pos, end)
        if i < 0:
            return
        if text.startswith(_SKIPPED_STARTS, i):  # one of _SKIPPED's openers
            for opener, closer in _SKIPPED:
                if text.startswith(opener, i):
                    j = text.find(closer, i + len(opener))
                    if j < 0:
                        raise malformed(what)
                    pos = j + len(closer)
                    break
        else:
            m = _TAG_RE.match(text, i)
            if m is None:
                raise malformed(what)
            yield m
            pos = m.end()


#: The scans :func:`children_in` keeps: (text, start, end) → its result. The same small
#: parts (workbook.xml, styles.xml, [Content_Types].xml) are looked into again and again
#: while a workbook is edited; a text found again is not scanned again.
_SCANS: dict[tuple[str, int, int], tuple[tuple[El, ...], int]] = {}
#: Texts longer than this (a worksheet's XML) are scanned every time, never kept.
_SCAN_KEPT_CHARS = 1 << 18
#: When the texts kept (counted once per scan) reach this, they are let go.
_SCANS_KEPT_CHARS = 1 << 22
_scans_chars = 0


def children_in(text: str, start: int, end: int, what: str) -> tuple[list[El], int]:
    """Direct child elements in ``text[start:end]`` and the position where the region
    ends (the parent's end tag, or ``end``)."""
    global _scans_chars
    if len(text) > _SCAN_KEPT_CHARS:
        out, stop = _scan_children(text, start, end, what)
        return list(out), stop
    key = (text, start, end)
    found = _SCANS.get(key)
    if found is None:
        found = _scan_children(text, start, end, what)
        if _scans_chars + len(text) > _SCANS_KEPT_CHARS:
            _SCANS.clear()  # the texts of workbooks no longer edited
            _scans_chars = 0
        _SCANS[key] = found
        _scans_chars += len(text)
    return list(found[0]), found[1]


def _scan_children(text: str, start: int, end: int, what: str) -> tuple[tuple[El, ...], int]:
    """:func:`children_in`, scanning ``text``."""
    out: list[El] = []
    depth = 0
    current: tuple[str, int, int, dict[str, str]] | None = None  # an element left open
    for m in _tags(text, start, end, what):
        slash, qname, attr_text, empty = m.groups()
        if slash:
            if depth == 0:
                return tuple(out), m.start()
            depth -= 1
            if depth == 0 and current is not None:
                name, at, tag_end, attrs = current
                out.append(El(name, at, tag_end, m.start(), m.end(), attrs, False))
                current = None
        elif depth == 0:
            if empty:
                out.append(El(qname, m.start(), m.end(), m.end(), m.end(),
                              parse_attrs(attr_text), True))
            else:
                current, depth = (qname, m.start(), m.end(), parse_attrs(attr_text)), 1
        elif not empty:
            depth += 1
    if depth:
        raise malformed(what)
    return tuple(out), end


def root_element(text: str, what: str) -> El:
    """The root element of the XML ``text`` of part ``what``."""
    elements, _ = children_in(text, 0, len(text), what)
    if not elements:
        raise malformed(what)
    return elements[0]


def child_elements(text: str, el: El, what: str) -> list[El]:
    """The direct child elements of ``el`` in ``text``."""
    return [] if el.self_closing else children_in(text, el.tag_end, el.close, what)[0]


def ns_decls(start_tag: str) -> dict[str, str]:
    """``xmlns`` declarations of a start tag: prefix ("" for default) → URI."""
    return {(k.partition(":")[2] if ":" in k else ""): v
            for k, v in parse_attrs(start_tag).items() if k == "xmlns" or k.startswith("xmlns:")}


def prefix_for(start_tag: str, uri: str) -> str | None:
    """The prefix a start tag declares for namespace ``uri`` (with its colon, ``""`` for
    the default namespace), or None."""
    for prefix, value in ns_decls(start_tag).items():
        if value == uri:
            return prefix + ":" if prefix else ""
    return None


def set_attr(tag: str, name: str, value: str) -> str:
    """Start tag ``tag`` with attribute ``name`` set to ``value`` (added if missing)."""
    pattern = re.compile(rf"(\s{re.escape(name)}\s*=\s*)(\"[^\"]*\"|'[^']*')")
    new = f'"{esc_attr(value)}"'
    if pattern.search(tag):
        return pattern.sub(lambda m: m.group(1) + new, tag, count=1)
    m = re.search(r"\s*/?>$", tag)
    assert m is not None
    return f"{tag[:m.start()]} {name}={new}{tag[m.start():]}"


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` range replaced (ranges must not overlap)."""
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def append_child(text: str, el: El, snippet: str) -> str:
    """``text`` with ``snippet`` appended as last content of ``el`` (opens ``<x/>``)."""
    if el.self_closing:
        start_tag = text[el.start:el.tag_end]
        opened = re.sub(r"\s*/>$", ">", start_tag)
        return text[:el.start] + opened + snippet + f"</{el.qname}>" + text[el.end:]
    return text[:el.close] + snippet + text[el.close:]


def decode_xml(data: bytes, what: str) -> str:
    """The text of the XML bytes ``data`` of part ``what``: UTF-8, or UTF-16 with a BOM
    (its declaration then says UTF-8, the encoding it is written back in)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return re.sub(r"""^(<\?xml[^>]*encoding\s*=\s*["'])[^"']*""", r"\1UTF-8", text)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise malformed(what) from exc
