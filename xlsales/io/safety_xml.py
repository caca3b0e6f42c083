"""The XML bomb check of :mod:`xlsales.io.safety`: whether the first bytes of an XML part
declare a document type or entities (``<!DOCTYPE``/``<!ENTITY``), which Excel never
writes and which XML and external-entity bombs need."""

from __future__ import annotations

import codecs

XML_EXTENSIONS = (".xml", ".rels", ".vml")


def has_dtd(head: bytes, size: int) -> bool:
    """Whether the first bytes ``head`` of an XML part of ``size`` bytes declare a
    document type or entities before the root element, or hold no root element at
    all in a part longer than ``head`` (a prologue that long is never legitimate)."""
    text = _prologue_text(head)
    root = _root_start(text)
    before = (text if root < 0 else text[:root]).upper()
    return "<!DOCTYPE" in before or "<!ENTITY" in before or (root < 0 and size > len(head))


def _prologue_text(head: bytes) -> str:
    """The first bytes of an XML part as text (UTF-8 or UTF-16, as OOXML allows)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


def _root_start(text: str) -> int:
    """Index of the root element's ``<`` (the first ``<`` not followed by ``?`` or
    ``!``, skipping comments), or -1 if it is not in ``text``."""
    i = text.find("<")
    while i >= 0:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return -1
            i = text.find("<", end + 3)
            continue
        if i + 1 < len(text) and text[i + 1] not in "?!":
            return i
        if i + 1 >= len(text):
            return -1
        i = text.find("<", i + 1)
    return -1
