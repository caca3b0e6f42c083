"""Saving an edited package: every part written to a temporary file in the target's
folder (``[Content_Types].xml`` first, the other parts in their order, new parts last;
unchanged parts copied raw, edited sheets streamed), which then replaces the target with
:func:`os.replace`. On any failure the target is untouched and the temporary file removed.

:class:`PackageSaver` is a base of :class:`~xlsales.io.package.WorkbookPackage`.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from xlsales.errors import WorkbookError
from xlsales.io import ooxml
from xlsales.io.sheetstream import edit_sheet_bytes, edit_sheet_stream
from xlsales.io.staleresults import Stale, StaleResults, drop_results
from xlsales.io.writable import check_replaceable
from xlsales.io.zipraw import CHUNK, ZipWriter

#: The core properties part, whose ``dcterms:modified`` says when the file was last saved.
CORE_PART = "docProps/core.xml"
_MODIFIED = re.compile(r"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")


def stamped_core(xml: str, when: datetime) -> str | None:
    """``xml`` (the core properties) with its last-saved time set to ``when`` (UTC), as
    Excel, WPS and LibreOffice set it on saving; None when it records none."""
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    new, n = _MODIFIED.subn(lambda m: f"{m[1]}{stamp}{m[2]}", xml, count=1)
    return new if n else None


class PackageSaver(StaleResults):
    """:meth:`save` of :class:`~xlsales.io.package.WorkbookPackage`."""

    def _stamp_saved(self) -> None:
        """Record now as the file's last-saved time, as any program saving it does:
        ``consolidate`` tells a rep's current book from an older copy by it, and a book
        xlsales wrote into (imported rows, a plan) is the newer one."""
        if not self._exists(CORE_PART) or self._read(CORE_PART)[:2] in (b"\xff\xfe",
                                                                        b"\xfe\xff"):
            return  # none, or in UTF-16 (no program writes it so): left as it is
        stamped = stamped_core(self._text(CORE_PART), datetime.now(timezone.utc))
        if stamped is not None:
            self._put_text(CORE_PART, stamped)

    def _output_order(self) -> list[str]:
        """The parts in the order they are written: ``[Content_Types].xml`` first, the
        others in their order, new parts last."""
        names = self._names()
        ct = ooxml.CONTENT_TYPES_PART
        return [ct] + [n for n in names if n != ct]

    def _write_member(self, writer: ZipWriter, src: IO[bytes], name: str,
                      stale: dict[str, Stale | None]) -> None:
        """Write part ``name``: spliced, tail-edited or with stale formula results dropped
        (``stale``, see :mod:`~xlsales.io.staleresults`) as a stream, from memory if it
        was put, else copied raw from ``src`` (the source file)."""
        like = self._raw.get(name) if self._raw is not None else None
        if like is None and self._raw is not None:
            like = self._raw.get(ooxml.CONTENT_TYPES_PART)
        edit = self._tail_edits.get(name)
        drop = name in stale
        if self._splices.get(name):
            chunks = self._current_chunks(name)
            if edit is not None:
                chunks = edit_sheet_stream(chunks, edit, name)
            if drop:
                chunks = drop_results(chunks, stale[name])
            writer.write(name, chunks, like)
        elif name in self._data:
            data = self._data[name]
            if edit is not None:
                data = edit_sheet_bytes(data, edit, name)
            if drop:
                data = b"".join(drop_results([data], stale[name]))
            writer.write(name, [data], like)
        elif edit is not None or drop:
            with self._zf.open(name) as stream:
                chunks = iter(lambda: stream.read(CHUNK), b"")
                if edit is not None:
                    chunks = edit_sheet_stream(chunks, edit, name)
                if drop:
                    chunks = drop_results(chunks, stale[name])
                writer.write(name, chunks, like)
        elif self._raw is not None:
            writer.copy_raw(src, self._zf.getinfo(name), self._raw[name])
        else:
            with self._zf.open(name) as stream:
                writer.write(name, iter(lambda: stream.read(CHUNK), b""), like)

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
        check_replaceable(target)
        self._stamp_saved()
        stale = self._stale_plan()
        mode = stat.S_IMODE((target if target.exists() else self._path).stat().st_mode)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        tmp = Path(tmp_name)
        done = False
        try:
            with os.fdopen(fd, "wb") as out, self._path.open("rb") as src:
                writer = ZipWriter(out)
                for name in self._output_order():
                    self._write_member(writer, src, name, stale)
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
