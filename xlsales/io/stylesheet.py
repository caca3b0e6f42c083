"""styles.xml: append fonts / numFmts / cellXfs / dxfs, reusing identical existing ones.

:class:`Styles` edits the part's text; :class:`StyleCache` gives the cell styles xlsales
writes (title, header, link, number and date formats) by purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from xml.etree import ElementTree as ET

from xlsales.io import ooxml
from xlsales.io.sheetcontent import KIND_FORMATS, money_format
from xlsales.io.xmltext import (
    El,
    append_child,
    child_elements,
    esc_attr,
    malformed,
    ns_decls,
    root_element,
    set_attr,
)

_BUILTIN_FORMATS = {"General": 0, "#,##0": 3, "#,##0.00": 4, "0.00%": 10}
_STYLE_FORMATS = KIND_FORMATS  # a number or date style by the kind of its column
#: The style key of amounts in a currency: ``"money SGD"`` (:func:`money_key`).
MONEY_KEY = "money "


def money_key(unit: str | None) -> str:
    """The :class:`StyleCache` key of amounts shown with currency ``unit`` (``money`` for
    none)."""
    return MONEY_KEY + unit if unit else "money"


_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
               "sz", "color", "name", "family", "charset", "scheme")


def _font_rank(local: str) -> int:
    """Position of a font child in the order Excel writes them (unknown ones last)."""
    return _FONT_ORDER.index(local) if local in _FONT_ORDER else len(_FONT_ORDER)


def _canon(el: ET.Element) -> tuple[object, ...]:
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(),
            tuple(_canon(c) for c in el))


@lru_cache(maxsize=4096)
def _canon_wrapped(wrapped: str) -> tuple[object, ...]:
    """:func:`_canon` of the element in ``wrapped`` (``<_w xmlns…>element</_w>``): the
    same fonts and cell formats are compared at every style looked for, sheet after
    sheet."""
    return _canon(ET.fromstring(wrapped)[0])


class Styles:
    """Edits a ``styles.xml`` text; every ``ensure_*`` returns the index of an element
    equal to the one asked for, appending it only if none exists yet."""

    def __init__(self, part: str, text: str) -> None:
        self.part = part
        self.text = text
        self.changed = False
        self._scanned: str | None = None  # the text self._found was found in
        self._found: dict[str, El] = {}
        root = root_element(text, part)
        self._p = root.prefix
        self._wrap_open = "<_w " + " ".join(
            f'{"xmlns:" + k if k else "xmlns"}="{esc_attr(v)}"'
            for k, v in ns_decls(text[root.start:root.tag_end]).items()) + ">"

    def _sections(self) -> dict[str, El]:
        """The stylesheet's sections by name, found again only when its text changed
        (every style asked for looks into several)."""
        if self._scanned is not self.text:
            root = root_element(self.text, self.part)
            self._found = {el.local: el for el in child_elements(self.text, root, self.part)}
            self._scanned = self.text
        return self._found

    def _items(self, section: str) -> list[El]:
        el = self._sections().get(section)
        return [] if el is None else child_elements(self.text, el, self.part)

    def _canon_of(self, snippet: str) -> tuple[object, ...]:
        return _canon_wrapped(self._wrap_open + snippet + "</_w>")

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
            root = root_element(self.text, self.part)
            pos = later[0].start if later else root.close
            if root.self_closing:
                raise malformed(self.part)
            tag = f"{self._p}{section}"
            self.text = self.text[:pos] + f'<{tag} count="0"></{tag}>' + self.text[pos:]
            el = self._sections()[section]
        index = len(child_elements(self.text, el, self.part))
        self.text = append_child(self.text, el, snippet)
        el = self._sections()[section]
        start_tag = set_attr(self.text[el.start:el.tag_end], "count", str(index + 1))
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

    def _numfmts(self) -> list[El]:
        """The number formats: the cells' and the differential formats' (a table column's
        format for its new rows)."""
        found = list(self._items("numFmts"))
        for dxf in self._items("dxfs"):
            found += [c for c in child_elements(self.text, dxf, self.part) if c.local == "numFmt"]
        return found

    def recode_numfmt(self, old: str, new: str) -> bool:
        """Give every number format ``old`` (the cells' and the tables' new rows') the
        code ``new``, so the cells using it show ``new``; whether one had it."""
        done = False
        while old != new:
            el = next((e for e in self._numfmts() if e.attrs.get("formatCode") == old), None)
            if el is None:
                break
            tag = set_attr(self.text[el.start:el.tag_end], "formatCode", new)
            self.text = self.text[:el.start] + tag + self.text[el.tag_end:]
            self.changed = done = True
        return done

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
                     f'<{self._p}numFmt numFmtId="{new_id}" formatCode="{esc_attr(code)}"/>')
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
            attrs = "".join(f' {k}="{esc_attr(v)}"' for k, v in child.attrib.items()
                            if not k.startswith("{"))
            parts.append(f"<{p}{local}{attrs}/>")
        parts.sort(key=lambda part: _font_rank(part[1 + len(p):].split(" ")[0].rstrip("/>")))
        return self._ensure("fonts", f"<{p}font>{''.join(parts)}</{p}font>")

    def ensure_xf(self, numfmt: int, font: int, wrap: bool = False, top: bool = False) -> int:
        """The cell format of number format ``numfmt`` and font ``font`` (``wrap``: text
        wrapped; ``top``: at the top of the cell), added when missing."""
        attrs = f'numFmtId="{numfmt}" fontId="{font}" fillId="0" borderId="0"'
        if self._items("cellStyleXfs"):
            attrs += ' xfId="0"'
        if numfmt:
            attrs += ' applyNumberFormat="1"'
        if font:
            attrs += ' applyFont="1"'
        if not wrap and not top:
            return self._ensure("cellXfs", f"<{self._p}xf {attrs}/>")
        p = self._p
        align = (' vertical="top"' if top else "") + (' wrapText="1"' if wrap else "")
        return self._ensure("cellXfs", f'<{p}xf {attrs} applyAlignment="1"><{p}alignment'
                                       f'{align}/></{p}xf>')

    def xf_with_format(self, xf: int, numfmt: int) -> int:
        """Cell format ``xf`` (a ``cellXfs`` index) with number format ``numfmt`` instead
        of its own, its font, fill, border and alignment kept; added when missing."""
        items = self._items("cellXfs")
        if not 0 <= xf < len(items):
            return self.ensure_xf(numfmt, 0)
        old = self.text[items[xf].start:items[xf].end]
        end = old.index(">")
        head = set_attr(set_attr(old[:end + 1], "numFmtId", str(numfmt)),
                        "applyNumberFormat", "1")
        return self._ensure("cellXfs", head + old[end + 1:])

    def ensure_dxf(self, inner: str) -> int:
        p = self._p
        inner = re.sub(r"<(/?)(\w)", rf"<\1{p}\2", inner) if p else inner
        return self._ensure("dxfs", f"<{p}dxf>{inner}</{p}dxf>")


class StyleCache:
    """Cell style indexes by purpose, created in ``styles.xml`` on first use."""

    def __init__(self, styles: Styles, known: Mapping[str, int] | None = None) -> None:
        """``known``: style indexes a cache over an earlier state of the same styles gave
        (:attr:`known`): still right while nothing but styles added since changed them."""
        self.styles = styles
        self._ids: dict[str, int] = dict(known or {})

    @property
    def known(self) -> dict[str, int]:
        """The style indexes given so far, by purpose."""
        return dict(self._ids)

    def __call__(self, key: str) -> int:
        if key not in self._ids:
            s = self.styles
            s.ensure_defaults()
            if key == "title":
                xf = s.ensure_xf(0, s.ensure_font(bold=True, size=14))
            elif key in ("header", "header_wrap"):
                xf = s.ensure_xf(0, s.ensure_font(bold=True), wrap=key == "header_wrap")
            elif key == "text_box":  # wrapped, at the top of its merged cells
                xf = s.ensure_xf(0, 0, wrap=True, top=True)
            elif key == "wrap":  # a text longer than its column: on more lines
                xf = s.ensure_xf(0, 0, wrap=True)
            elif key == "link":
                xf = s.ensure_xf(0, s.ensure_font(underline=True, rgb="FF0563C1"))
            else:
                fmt = (money_format(key.removeprefix(MONEY_KEY)) if key.startswith(MONEY_KEY)
                       else _STYLE_FORMATS[key])
                xf = s.ensure_xf(s.ensure_numfmt(fmt), 0)
            self._ids[key] = xf
        return self._ids[key]
