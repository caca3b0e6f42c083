"""``workbook.xml`` of a package opened for editing: its sheet entries (find, add, rename,
the sheet-position references that move with them), defined names, the calculation chain,
``calcPr``, the styles part it points to, and free names for new parts.

:class:`WorkbookXml` is a base of :class:`~xlsales.io.package.WorkbookPackage`; it edits
the part as text (see :mod:`~xlsales.io.xmltext`), so everything it does not touch stays
byte for byte.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.partstore import PartStore
from xlsales.io.stylesheet import Styles
from xlsales.io.xmltext import (
    El,
    append_child,
    child_elements,
    esc_attr,
    malformed,
    prefix_for,
    root_element,
    set_attr,
    splice,
)
from xlsales.spec.traditional import same_name

_WORKBOOK_CHILD_ORDER: tuple[str, ...] = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
    "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
    "fileRecoveryPr", "webPublishObjects", "extLst",
)


@dataclass(frozen=True)
class _SheetEntry:
    """A ``<sheet>`` entry of workbook.xml: its name, tab position and relationship id."""

    name: str
    index: int
    rel_id: str


class WorkbookXml(PartStore):
    """The workbook.xml edits of :class:`~xlsales.io.package.WorkbookPackage`."""

    # -- sheet entries, defined names ------------------------------------------------------

    def _sheet_entries(self, text: str) -> tuple[El | None, list[El]]:
        """The ``<sheets>`` element of workbook.xml ``text`` (None if missing) and its
        ``<sheet>`` entries, in tab order."""
        root = root_element(text, self._wb_part)
        sheets = next((el for el in child_elements(text, root, self._wb_part)
                       if el.local == "sheets"), None)
        return sheets, ([] if sheets is None else
                        [el for el in child_elements(text, sheets, self._wb_part)
                         if el.local == "sheet"])

    def _workbook_children(self, text: str, local: str) -> list[El]:
        """The children of every ``local`` element (such as ``definedNames``) of workbook.xml
        ``text``."""
        root = root_element(text, self._wb_part)
        out: list[El] = []
        for el in child_elements(text, root, self._wb_part):
            if el.local == local:
                out.extend(child_elements(text, el, self._wb_part))
        return out

    def _find_sheet(self, name: str) -> _SheetEntry | None:
        """The entry of the sheet named ``name`` (case-insensitive, as in Excel), else of
        the one sheet named so in Traditional characters (``計劃-目標`` for ``计划-目标``:
        Excel's 简转繁 renames sheets too), or None."""
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        names = [el.attrs.get("name", "") for el in sheets]
        i = same_name(name, names)
        if i is None:
            return None
        rel_id = next((v for k, v in sheets[i].attrs.items() if k.endswith(":id")), "")
        return _SheetEntry(names[i], i, rel_id)

    def _worksheet(self, name: str) -> ooxml.SheetInfo:
        """The worksheet named ``name``; a :class:`WorkbookError` if there is none or it
        is a chart sheet."""
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

    def _table(self, name: str) -> ooxml.TableInfo:
        """The Excel Table named ``name``; a :class:`WorkbookError` if there is none."""
        info = self._layout().table(name)
        if info is None:
            raise WorkbookError(f"工作簿中没有名为 “{name}” 的表格（Excel 表）。",
                                f"The workbook has no Excel Table named '{name}'.")
        return info

    @property
    def sheet_names(self) -> list[str]:
        """Names of all sheets (worksheets and chart sheets), in tab order."""
        _, sheets = self._sheet_entries(self._text(self._wb_part))
        return [el.attrs.get("name", "") for el in sheets]

    def _add_sheet_entry(self, name: str, after: str | None, hidden: bool = False) -> str:
        """Add a ``<sheet>`` entry (and its relationship) for a new worksheet ``name``
        after sheet ``after`` (else last), ``hidden`` or not; return the new worksheet's
        part name."""
        layout = self._layout()
        folder = self._part_folder(layout.sheets[0].part if layout.sheets
                                   else posixpath.join(posixpath.dirname(self._wb_part),
                                                       "worksheets/x"))
        part = self._new_part_name(folder, "sheet")
        rel_id = self._add_relationship(self._wb_part, ooxml.REL_WORKSHEET, part)
        text = self._text(self._wb_part)
        container, sheets = self._sheet_entries(text)
        if container is None:
            raise malformed(self._wb_part)
        index = len(sheets)
        if after is not None:
            found = self._find_sheet(after)
            assert found is not None
            index = found.index + 1
        sheet_ids = [int(v) for el in sheets if (v := el.attrs.get("sheetId", "")).isdigit()]
        root = root_element(text, self._wb_part)
        r_prefix = prefix_for(text[root.start:root.tag_end], ooxml.NS_REL)
        rid_attr = (f'{r_prefix}id="{rel_id}"' if r_prefix else
                    f'xmlns:xr_="{ooxml.NS_REL}" xr_:id="{rel_id}"')
        state = ' state="hidden"' if hidden else ""
        element = (f'<{container.prefix}sheet name="{esc_attr(name)}" '
                   f'sheetId="{max(sheet_ids, default=0) + 1}"{state} {rid_attr}/>')
        if index < len(sheets):
            text = self._shift_sheet_indexes(text, index)
            _, sheets = self._sheet_entries(text)
            pos = sheets[index].start
            text = text[:pos] + element + text[pos:]
        else:
            text = append_child(text, container, element)
        self._put_text(self._wb_part, text)
        return part

    def _replace_sheet_entry(self, old: ooxml.SheetInfo, name: str) -> None:
        """Rename the entry of the replaced worksheet ``old`` to ``name`` and drop what
        referred to its old content (autofilter names, calculation-chain entries)."""
        text = self._text(self._wb_part)
        _, sheets = self._sheet_entries(text)
        el = sheets[old.index]
        new = text
        if el.attrs.get("name") != name:
            tag = set_attr(text[el.start:el.tag_end], "name", name)
            new = text[:el.start] + tag + text[el.tag_end:]
        new = self._drop_filter_names(new, old.index)
        if new != text:
            self._put_text(self._wb_part, new)
        self._drop_calc_chain(old.sheet_id)

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
                        new = set_attr(new, attr, str(int(value) + 1))
                if new != tag:
                    edits.append((el.start, el.tag_end, new))
        return splice(text, edits)

    def _drop_filter_names(self, text: str, index: int) -> str:
        """Without the hidden autofilter names of the sheet at ``index`` (its old content)."""
        drop = [el for el in self._workbook_children(text, "definedNames")
                if el.attrs.get("name") == "_xlnm._FilterDatabase"
                and el.attrs.get("localSheetId") == str(index)]
        return splice(text, [(el.start, el.end, "") for el in drop])

    # -- calculation -----------------------------------------------------------------------

    def _drop_calc_chain(self, sheet_id: int) -> None:
        """Remove calculation-chain entries of a sheet whose content is replaced."""
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_CALC_CHAIN and self._exists(r.target)), None)
        if rel is None:
            return
        text = self._text(rel.target)
        root = root_element(text, rel.target)
        kept: list[dict[str, str]] = []
        current = total = 0
        for el in child_elements(text, root, rel.target):
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
        body = "".join(f"<{p}c" + "".join(f' {k}="{esc_attr(v)}"' for k, v in a.items())
                       + "/>" for a in kept)
        self._put_text(rel.target, text[:root.tag_end] + body + text[root.close:])

    def _ensure_full_calc_on_load(self) -> None:
        """``<calcPr fullCalcOnLoad="1">`` in workbook.xml, so Excel recalculates every
        formula when the file opens (LibreOffice ignores it: it computes the formulas
        without a cached result, see :mod:`xlsales.io.staleresults`)."""
        text = self._text(self._wb_part)
        root = root_element(text, self._wb_part)
        kids = child_elements(text, root, self._wb_part)
        calc = next((el for el in kids if el.local == "calcPr"), None)
        if calc is not None:
            if calc.attrs.get("fullCalcOnLoad") in ("1", "true"):
                return
            tag = set_attr(text[calc.start:calc.tag_end], "fullCalcOnLoad", "1")
            text = text[:calc.start] + tag + text[calc.tag_end:]
        else:
            order = _WORKBOOK_CHILD_ORDER
            later = [el for el in kids if el.local in order
                     and order.index(el.local) > order.index("calcPr")]
            pos = later[0].start if later else root.close
            text = text[:pos] + f'<{root.prefix}calcPr fullCalcOnLoad="1"/>' + text[pos:]
        self._put_text(self._wb_part, text)

    # -- the styles part, names of new parts -----------------------------------------------

    def _styles(self) -> Styles:
        """The styles part the workbook refers to, created (with Excel's defaults) if it
        has none."""
        rel = next((r for r in self._rels_of(self._wb_part)
                    if r.type == ooxml.REL_STYLES and self._exists(r.target)), None)
        if rel is not None:
            return Styles(rel.target, self._text(rel.target))
        part = posixpath.join(posixpath.dirname(self._wb_part), "styles.xml")
        self._add_relationship(self._wb_part, ooxml.REL_STYLES, part)
        self._set_override(
            part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        text = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<styleSheet xmlns="{ooxml.NS_MAIN}"></styleSheet>')
        self._put_text(part, text)
        styles = Styles(part, text)
        styles.ensure_defaults()
        return styles

    @staticmethod
    def _part_folder(part: str) -> str:
        """The folder of ``part``."""
        return posixpath.dirname(part)

    def _new_part_name(self, folder: str, stem: str) -> str:
        """The next free ``folder/stemN.xml``; names of parts removed in this session are
        free again (a replaced sheet's new parts take its old parts' names)."""
        pattern = re.compile(rf"{re.escape(folder)}/{stem}(\d+)\.xml", re.IGNORECASE)
        names = self._names()
        taken = {n.lower() for n in names}
        used = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
        n = max(used, default=0) + 1
        while f"{folder}/{stem}{n}.xml".lower() in taken:
            n += 1
        return f"{folder}/{stem}{n}.xml"
