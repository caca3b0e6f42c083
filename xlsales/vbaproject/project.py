"""Build a source-only VBA project (``vbaProject.bin``) from modules' source text.

The project has no compiled code (no performance cache, ``_VBA_PROJECT`` of version
0xFFFF), like the one xlwings ships in its quickstart workbook: Excel compiles the source
when it opens the workbook. Streams: ``PROJECT``, ``PROJECTwm``, ``VBA/_VBA_PROJECT``,
``VBA/dir`` and one compressed stream per module. The same modules give the same bytes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from xlsales.vbaproject.cfb import write_compound_file
from xlsales.vbaproject.compression import compress
from xlsales.vbaproject.dirstream import build_dir_stream
from xlsales.vbaproject.encryption import encrypt
from xlsales.vbaproject.errors import VbaSourceError
from xlsales.vbaproject.module import ENCODING, VbaModule, stored_source
from xlsales.vbaproject.references import DEFAULT_REFERENCES

__all__ = ["VbaModule", "build_vba_project", "project_id"]

# Reserved1 0x61CC, Version 0xFFFF (matches no Excel: the cache is ignored), Reserved2/3
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000100")
VERSION_COMPATIBLE32 = "393222000"
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_ID_NAMESPACE = uuid.UUID("6f1b3c52-8a0e-4d5e-9a57-0d3c1f0b2a61")
_PROJECT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_RESERVED = {"dir", "vba", "excel", "office", "msforms", "stdole"}
_PROTECTION_NONE = bytes(4)  # CMG: no user, host or VBE protection
_NO_PASSWORD = b"\x00"  # DPB
_VISIBLE = b"\xff"  # GC


def project_id(project_name: str, modules: Sequence[VbaModule]) -> str:
    """The project's ``{GUID}``, derived from its name and module names (reproducible)."""
    key = "\n".join([project_name, *(f"{m.kind}:{m.name}" for m in modules)])
    return "{" + str(uuid.uuid5(_ID_NAMESPACE, key)).upper() + "}"


def _check(modules: Sequence[VbaModule], project_name: str) -> None:
    if not _PROJECT_NAME.fullmatch(project_name):
        raise VbaSourceError(
            f"VBA 工程名 {project_name!r} 无效：须以英文字母开头，只含英文字母、数字和 _",
            f"VBA project name {project_name!r} is not valid: it must start with an ASCII "
            "letter and hold only ASCII letters, digits and _ (at most 31 characters)")
    seen: dict[str, str] = {}
    for module in modules:
        if not isinstance(module, VbaModule):
            raise VbaSourceError(f"不是 VBA 模块：{module!r}", f"not a VbaModule: {module!r}")
        key = module.name.lower()
        if key in seen:
            raise VbaSourceError(f"VBA 模块名重复：{seen[key]} 与 {module.name}",
                                 f"two VBA modules have the same name: {seen[key]} and "
                                 f"{module.name}")
        seen[key] = module.name
        if key in _RESERVED or key == project_name.lower():
            raise VbaSourceError(
                f"VBA 模块名 {module.name} 已被占用（工程名、库名或 dir 流）",
                f"VBA module name {module.name} is taken (by the project, a library or the "
                "dir stream)")


def _project_stream(project_name: str, modules: Sequence[VbaModule], pid: str) -> bytes:
    lines = [f'ID="{pid}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        else:
            lines.append(f"{'Module' if module.kind == 'standard' else 'Class'}={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{VERSION_COMPATIBLE32}"',
        f'CMG="{encrypt(_PROTECTION_NONE, pid)}"',
        f'DPB="{encrypt(_NO_PASSWORD, pid)}"',
        f'GC="{encrypt(_VISIBLE, pid)}"',
        "",
        "[Host Extender Info]",
        HOST_EXTENDER,
        "",
        "[Workspace]",
        *(f"{module.name}=0, 0, 0, 0, C" for module in modules),
        "",
    ]
    return "".join(line + "\r\n" for line in lines).encode(ENCODING)


def _projectwm_stream(modules: Sequence[VbaModule]) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode(ENCODING) + b"\0" + module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def build_vba_project(modules: Sequence[VbaModule], project_name: str = "VBAProject") -> bytes:
    """The bytes of a ``vbaProject.bin`` holding ``modules`` as source only."""
    modules = list(modules)
    _check(modules, project_name)
    pid = project_id(project_name, modules)
    streams: dict[str, bytes] = {
        "PROJECT": _project_stream(project_name, modules, pid),
        "PROJECTwm": _projectwm_stream(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(build_dir_stream(project_name, modules, DEFAULT_REFERENCES)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(stored_source(module).encode(ENCODING))
    return write_compound_file(streams)
