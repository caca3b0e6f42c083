"""The parts of an .xlsx/.xlsm package opened for editing (base of WorkbookPackage).

:class:`PartStore` opens the zip and reads its structure with :mod:`xlsales.io.ooxml`
(never the sheet data), and keeps the edits made so far: replaced or new parts, removed
parts, tail edits and byte splices of worksheets (applied when saving), with
all-or-nothing transactions. It edits ``[Content_Types].xml`` and relationship parts as
text and removes the parts nothing refers to any more.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast
from xml.etree import ElementTree as ET

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.sheetstream import Splice, TailEdit, apply_splices
from xlsales.io.sheetxml import rels_xml
from xlsales.io.xmltext import (
    append_child,
    child_elements,
    decode_xml,
    esc_attr,
    root_element,
    splice,
)
from xlsales.io.zipraw import CHUNK, raw_central_records

T = TypeVar("T")
#: The largest part, in bytes, :meth:`PartStore._stored` keeps once read.
KEPT_PART_BYTES = 1 << 18


def _is_rels(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


class _View:
    """The package as currently edited, shaped like a ``zipfile.ZipFile`` for
    :mod:`xlsales.io.ooxml` (``read`` and ``NameToInfo``)."""

    def __init__(self, package: PartStore, names: Iterable[str] | None = None) -> None:
        self._package = package
        self.NameToInfo: Mapping[str, object] = dict.fromkeys(
            package._names() if names is None else names)
        self.reads: dict[str, bytes] = {}  # what was read through this view

    def read(self, name: str) -> bytes:
        data = self._package._read(name)
        self.reads[name] = data
        return data


class PartStore:
    """The parts of an opened package and the edits made to them, kept until saved;
    :meth:`_load` opens a file."""

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
        self._kept_parts: tuple[zipfile.ZipFile, dict[str, bytes]] = (zf, {})
        # the styles part as a sheet last left it, and the style indexes it was given
        self._sheet_styles: tuple[bytes, dict[str, int]] | None = None
        # what _derived computed: key → (the parts, the parts it read, the result)
        self._derived_kept: dict[str, tuple[tuple[str, ...], dict[str, bytes], object]] = {}
        self._path = path
        self._stat = (st.st_size, st.st_mtime_ns)
        self._order = [i.filename for i in zf.infolist()]
        self._data: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._created: set[str] = set()
        self._tail_edits: dict[str, TailEdit] = {}
        self._splices: dict[str, list[list[Splice]]] = {}  # per part, applied in order
        # Worksheets whose data was edited, and the sheet and table names whose cells
        # changed: formulas that depend on them lose their cached results when saving.
        self._edited_sheets: set[str] = set()
        self._edited_names: set[str] = set()
        try:
            self._raw = raw_central_records(path, zf)
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
        return self._stored(name)

    def _stored(self, name: str) -> bytes:
        """Part ``name`` as the source file holds it. A small part (workbook.xml, styles,
        tables, relationships: looked into again at every edit) is inflated once per
        opened source; a large one (a worksheet) every time, so as not to be kept."""
        kept = self._kept_parts
        if kept[0] is not self._zf:  # the source reopened since (a save that failed)
            kept = self._kept_parts = (self._zf, {})
        data = kept[1].get(name)
        if data is None:
            data = self._zf.read(name)
            if len(data) <= KEPT_PART_BYTES:
                kept[1][name] = data
        return data

    def _text(self, name: str) -> str:
        return decode_xml(self._read(name), name)

    def _size(self, name: str) -> int:
        """Decompressed bytes of part ``name`` (as stored, or as put)."""
        if name in self._data:
            return len(self._data[name])
        return self._zf.getinfo(name).file_size

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
            chunks = apply_splices(chunks, splices, name)
        return chunks

    def _source_chunks(self, name: str) -> Iterator[bytes]:
        if name in self._data:
            yield self._data[name]
            return
        with self._zf.open(name) as stream:
            yield from iter(lambda: stream.read(CHUNK), b"")

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
                 dict(self._tail_edits), {k: list(v) for k, v in self._splices.items()},
                 set(self._edited_sheets), set(self._edited_names))
        done = False
        try:
            yield
            done = True
        finally:
            if not done:
                (self._order, self._data, self._removed, self._created,
                 self._tail_edits, self._splices, self._edited_sheets,
                 self._edited_names) = saved

    def _mark_edited(self, part: str | None, *names: str) -> None:
        """Record that cells of worksheet ``part`` (None: of no existing sheet) and of the
        sheets and tables ``names`` changed: cached formula results that depend on them
        are dropped when saving (:mod:`xlsales.io.staleresults`)."""
        if part is not None:
            self._edited_sheets.add(part)
        self._edited_names.update(n for n in names if n)

    def _layout(self) -> ooxml.PackageLayout:
        return self._derived("layout", lambda view: ooxml.read_layout(
            cast(zipfile.ZipFile, view)))

    def _derived(self, key: str, compute: Callable[[_View], T]) -> T:
        """``compute`` of the package as edited so far (read through a :class:`_View`),
        computed again only when the list of parts or a part it read changed since: the
        layout and the parts still reachable are looked for at every edit."""
        names = tuple(self._names())
        kept = self._derived_kept.get(key)
        if kept is not None and kept[0] == names and all(
                self._read(name) is data for name, data in kept[1].items()):
            return cast(T, kept[2])
        view = _View(self, names)
        value = compute(view)
        self._derived_kept[key] = (names, view.reads, value)
        return value

    # -- [Content_Types].xml and relationships ---------------------------------------------

    def _set_override(self, part: str, content_type: str | None) -> None:
        """Add, change or (``None``) remove the content-type override of ``part``."""
        name = ooxml.CONTENT_TYPES_PART
        text = self._text(name)
        root = root_element(text, name)
        key = "/" + part.lower()
        overrides = [el for el in child_elements(text, root, name) if el.local == "Override"
                     and el.attrs.get("PartName", "").lower() == key]
        if content_type is None:
            if overrides:
                self._put_text(name, splice(text, [(el.start, el.end, "") for el in overrides]))
            return
        if overrides and overrides[0].attrs.get("ContentType") == content_type:
            return
        new = (f'<{root.prefix}Override PartName="/{esc_attr(part)}" '
               f'ContentType="{content_type}"/>')
        if overrides:
            text = splice(text, [(el.start, el.end, new if i == 0 else "")
                                 for i, el in enumerate(overrides)])
        else:
            text = append_child(text, root, new)
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
               f'Target="{esc_attr(ooxml.relative_target(part, target))}"/>')
        if self._exists(rels):
            text = self._text(rels)
            root = root_element(text, rels)
            if root.prefix:
                rel = rel.replace("<Relationship", f"<{root.prefix}Relationship")
            self._put_text(rels, append_child(text, root, rel))
        else:
            self._put(rels, rels_xml([(rel_id, rel_type,
                                        ooxml.relative_target(part, target))]))
        return rel_id

    def _remove_relationship(self, part: str, rel_id: str) -> None:
        rels = ooxml.rels_part(part)
        text = self._text(rels)
        root = root_element(text, rels)
        drop = [el for el in child_elements(text, root, rels) if el.attrs.get("Id") == rel_id]
        self._put_text(rels, splice(text, [(el.start, el.end, "") for el in drop]))

    def _collect_garbage(self) -> None:
        """Remove parts that were reachable (or created by us) and no longer are."""
        reachable = self._derived("reachable", lambda view: frozenset(
            ooxml.reachable_parts(view)))
        for name in sorted((self._initial_reachable | self._created) - reachable):
            if self._exists(name) and not _is_rels(name):
                self._remove(name)
                self._remove(ooxml.rels_part(name))
