"""xlwings' own VBA modules, read at build time from the installed xlwings package.

The ``xlwings`` standard module (``RunPython`` & co.) and the ``Dictionary`` class module
come out of the VBA project inside the package's ``quickstart_standalone.xlsm``, so this
repository never holds a copy of xlwings' VBA. The quickstart's document modules and its
sample module are not taken.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import olefile

from xlsales.vbaproject.compression import decompress
from xlsales.vbaproject.dirstream import dir_modules, parse_dir_stream, project_codepage
from xlsales.vbaproject.errors import VbaProjectError
from xlsales.vbaproject.module import ModuleKind, VbaModule

QUICKSTART = "quickstart_standalone.xlsm"
XLWINGS_MODULES: dict[str, ModuleKind] = {"xlwings": "standard", "Dictionary": "class"}


def xlwings_package_dir() -> Path:
    """The folder of the installed xlwings package (xlwings is not imported)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise VbaProjectError(
            "没有安装 xlwings，无法取得它的 VBA 模块（带按钮的 .xlsm 工作簿需要它）：请在运行 "
            "xlsales 的 Python 环境中运行 pip install xlwings（或在 xlsales 的源代码文件夹中运行 "
            "pip install \".[excel]\"；xlsales 不在 PyPI 上）。",
            "xlwings is not installed, so its VBA modules, which a macro-enabled .xlsm with "
            "buttons needs, cannot be read: run pip install xlwings in the Python environment "
            "that runs xlsales (or pip install \".[excel]\" in xlsales' source folder; xlsales "
            "is not on PyPI).")
    return Path(next(iter(spec.submodule_search_locations)))


def read_vba_modules(vba_project: bytes) -> list[VbaModule]:
    """Every module of a ``vbaProject.bin``, with the source as the project stores it."""
    with olefile.OleFileIO(io.BytesIO(vba_project)) as ole:
        records = parse_dir_stream(decompress(ole.openstream("VBA/dir").read()))
        codec = project_codepage(records)
        kinds = _project_kinds(ole.openstream("PROJECT").read().decode(codec))
        modules = []
        for entry in dir_modules(records):
            stream = ole.openstream(f"VBA/{entry.stream_name}").read()
            source = decompress(stream[entry.text_offset:]).decode(codec)
            kind = kinds.get(entry.name, "standard" if entry.procedural else "class")
            modules.append(VbaModule(entry.name, kind, source))
    return modules


def _project_kinds(project_text: str) -> dict[str, ModuleKind]:
    kinds: dict[str, ModuleKind] = {}
    words: dict[str, ModuleKind] = {"Module": "standard", "Class": "class",
                                    "Document": "document"}
    for line in project_text.splitlines():
        key, _, value = line.partition("=")
        if key in words:
            kinds[value.split("/")[0]] = words[key]
    return kinds


def xlwings_vba_modules() -> list[VbaModule]:
    """xlwings' ``xlwings`` standard module and ``Dictionary`` class module, as installed."""
    path = xlwings_package_dir() / QUICKSTART
    try:
        with zipfile.ZipFile(path) as book:
            vba_project = book.read("xl/vbaProject.bin")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise VbaProjectError(
            f"无法从已安装的 xlwings 读取 VBA 工程（{path}）：{exc}",
            f"cannot read the VBA project of the installed xlwings ({path}): {exc}") from None
    found = {module.name: module for module in read_vba_modules(vba_project)}
    missing = [name for name in XLWINGS_MODULES if name not in found]
    if missing:
        raise VbaProjectError(
            f"已安装的 xlwings 的 {QUICKSTART} 中没有 VBA 模块：{', '.join(missing)}",
            f"the installed xlwings' {QUICKSTART} lacks the VBA modules: {', '.join(missing)}")
    return [VbaModule(name, kind, found[name].source) for name, kind in XLWINGS_MODULES.items()]
