"""LibreOffice (headless) as a real spreadsheet engine: recalculate and render workbooks.

Used by the tests (golden checks of what the templates compute) and by the
docs' screenshot script. LibreOffice does not recalculate xlsx files on load
by default; a private profile sets ``OOXMLRecalcMode`` to "always". Another private
profile keeps LibreOffice's default settings, as a user's LibreOffice opens a file
(:func:`as_opened`): it shows a formula's cached result as it is and computes only the
formulas that have none.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from xlsales.errors import EngineUnavailableError

_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice_path() -> str:
    """Path of the ``soffice`` binary, or :class:`EngineUnavailableError`."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        raise EngineUnavailableError(
            "未找到 LibreOffice（soffice）。请安装：apt-get install libreoffice-calc",
            "LibreOffice (soffice) was not found. Install it: apt-get install libreoffice-calc",
        )
    return path


def _profile_dir(recalc: bool = True) -> Path:
    """This process's private LibreOffice profile: one that recalculates every formula on
    load (``recalc``), or one with LibreOffice's default settings."""
    # one profile per process: LibreOffice refuses a profile another instance is using
    kind = "profile" if recalc else "default-profile"
    profile = Path(tempfile.gettempdir()) / f"xlsales-lo-{kind}-{os.getpid()}"
    xcu = profile / "user" / "registrymodifications.xcu"
    if recalc and not xcu.exists():
        xcu.parent.mkdir(parents=True, exist_ok=True)
        xcu.write_text(_PROFILE_XCU, encoding="utf-8")
    return profile


def convert(srcs: Sequence[Path], out_dir: Path, target: str, timeout: float = 600,
            recalc: bool = True) -> list[Path]:
    """Open each of ``srcs`` in LibreOffice (recalculating every formula; with
    LibreOffice's default settings when not ``recalc``) and save it as ``target``
    (``xlsx``, ``pdf``, ...) in ``out_dir``, in one LibreOffice run; return the new
    files in the same order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        soffice_path(), f"-env:UserInstallation={_profile_dir(recalc).as_uri()}", "--headless",
        "--norestore", "--convert-to", target, "--outdir", str(out_dir), *map(str, srcs),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    results = [out_dir / f"{src.stem}.{target.split(':')[0]}" for src in srcs]
    missing = [r.name for r in results if not r.exists()]
    if proc.returncode != 0 or missing:
        detail = proc.stderr.strip() or proc.stdout.strip()
        raise EngineUnavailableError(
            f"LibreOffice 转换失败（{', '.join(missing)}）：{detail}",
            f"LibreOffice could not convert {', '.join(missing)}: {detail}",
        )
    return results


def recalculate(src: Path, out_dir: Path) -> Path:
    """A copy of ``src`` recalculated and saved by LibreOffice, for reading values back."""
    return recalculate_many([src], out_dir)[0]


def recalculate_many(srcs: Sequence[Path], out_dir: Path) -> list[Path]:
    """:func:`recalculate` for several files with one LibreOffice start."""
    return convert(srcs, out_dir, "xlsx:Calc MS Excel 2007 XML")


def as_opened(srcs: Sequence[Path], out_dir: Path) -> list[Path]:
    """Copies of ``srcs`` saved by LibreOffice with its default settings, which never
    recalculate an xlsx file on load: the values a user sees on opening each file (a
    cached result as it is, a formula without one computed), for reading back."""
    return convert(srcs, out_dir, "xlsx:Calc MS Excel 2007 XML", recalc=False)


def pdf_page_texts(pdf: Path) -> list[str]:
    """Text of every page of ``pdf`` (poppler's ``pdftotext``), to find a sheet's page."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise EngineUnavailableError("未找到 pdftotext：apt-get install poppler-utils",
                                     "pdftotext was not found: apt-get install poppler-utils")
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


def render_page(pdf: Path, page: int, out_png: Path, dpi: int = 110) -> Path:
    """Render page ``page`` (1-based) of ``pdf`` to ``out_png`` with poppler's ``pdftoppm``."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise EngineUnavailableError("未找到 pdftoppm：apt-get install poppler-utils",
                                     "pdftoppm was not found: apt-get install poppler-utils")
    stem = out_png.with_suffix("")
    subprocess.run([tool, "-f", str(page), "-l", str(page), "-r", str(dpi), "-png",
                    "-singlefile", str(pdf), str(stem)], check=True)
    return out_png
