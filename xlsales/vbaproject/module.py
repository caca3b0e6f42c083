"""A VBA module and its source text as a VBA project stores it.

Source is accepted as the VBA editor exports it (``.bas``/``.cls``): the ``VERSION 1.0
CLASS`` / ``BEGIN`` ... ``END`` block of a ``.cls`` file is dropped, the leading
``Attribute VB_...`` lines are completed to the set the editor itself stores for the
module's kind (in its order), and every line ends with CRLF. Text must be encodable in
code page 1252; user-facing (Chinese) text belongs in Python, not in VBA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from xlsales.vbaproject.errors import VbaSourceError

ModuleKind = Literal["standard", "class", "document"]
KINDS: tuple[ModuleKind, ...] = ("standard", "class", "document")
CODEPAGE = 1252
ENCODING = "cp1252"
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_ATTRIBUTE = re.compile(r"Attribute\s+(VB_\w+)\s*=\s*(.*?)\s*", re.IGNORECASE)
_OBJECT_ATTRIBUTES = ("VB_Base", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId",
                      "VB_Exposed", "VB_TemplateDerived", "VB_Customizable")
_DEFAULTS: dict[str, tuple[str, ...]] = {
    "class": (f'"{CLASS_BASE}"', "False", "False", "False", "False", "False", "False"),
    "document": ("", "False", "False", "True", "True", "False", "True"),
}


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name, kind (standard, class or document) and source text."""

    name: str
    kind: ModuleKind
    source: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.fullmatch(self.name):
            raise VbaSourceError(
                f"VBA 模块名 {self.name!r} 无效：须以英文字母开头，只含英文字母、数字和 _，"
                "最多 31 个字符",
                f"VBA module name {self.name!r} is not valid: it must start with an ASCII "
                "letter and hold only ASCII letters, digits and _ (at most 31 characters)")
        if self.kind not in KINDS:
            raise VbaSourceError(
                f"VBA 模块 {self.name} 的类型 {self.kind!r} 无效"
                "（可用：standard、class、document）",
                f"VBA module {self.name}: kind {self.kind!r} is not one of standard, class, "
                "document")
        stored_source(self)  # refuse bad source when the module is made, not when it is built


def _lines(name: str, source: str) -> list[str]:
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, 1):
        try:
            line.encode(ENCODING)
        except UnicodeEncodeError as exc:
            char = line[exc.start]
            raise VbaSourceError(
                f"VBA 模块 {name} 第 {number} 行含有代码页 1252（西欧）无法保存的字符 "
                f"{char!r}：{line.strip()}。"
                "面向用户的文字（如中文）请放在 Python 里，不要写进 VBA。",
                f"VBA module {name}, line {number}: character {char!r} cannot be stored "
                f"in code page 1252 (Western European): {line.strip()}. Keep user-facing text "
                "(e.g. Chinese) in Python, not in VBA.") from None
    return lines


def _skip_class_header(name: str, lines: list[str]) -> list[str]:
    if not lines or not re.match(r"VERSION\s+\d", lines[0].strip(), re.IGNORECASE):
        return lines
    if len(lines) < 2 or lines[1].strip().upper() != "BEGIN":
        return lines[1:]
    for i, line in enumerate(lines[2:], 2):
        if line.strip().upper() == "END":
            return lines[i + 1:]
    raise VbaSourceError(f"VBA 模块 {name}：.cls 文件头的 BEGIN 没有对应的 END",
                         f"VBA module {name}: the .cls header's BEGIN has no END")


def _split_attributes(name: str, source: str) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The leading ``Attribute`` lines (upper-case key -> (key, raw value)) and the body."""
    lines = _skip_class_header(name, _lines(name, source))
    attributes: dict[str, tuple[str, str]] = {}
    count = 0
    for line in lines:
        match = _ATTRIBUTE.fullmatch(line)
        if match is None:
            break
        attributes[match.group(1).upper()] = (match.group(1), match.group(2))
        count += 1
    return attributes, lines[count:]


def _header(module: VbaModule, attributes: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    header = [("VB_Name", f'"{module.name}"')]
    if module.kind != "standard":
        defaults = list(_DEFAULTS[module.kind])
        if module.kind == "document":
            base = WORKBOOK_BASE if module.name.lower() == "thisworkbook" else WORKSHEET_BASE
            defaults[0] = f'"{base}"'
        for key, default in zip(_OBJECT_ATTRIBUTES, defaults, strict=True):
            header.append((key, attributes.get(key.upper(), (key, default))[1]))
    known = {key.upper() for key, _ in header}
    header += [pair for upper, pair in attributes.items() if upper not in known]
    return header


def stored_source(module: VbaModule) -> str:
    """The module's source as a VBA project stores it: attribute lines first, CRLF endings."""
    attributes, body = _split_attributes(module.name, module.source)
    named = attributes.get("VB_NAME")
    if named is not None and named[1].strip('"').lower() != module.name.lower():
        raise VbaSourceError(
            f"VBA 模块 {module.name} 的源代码声明的模块名是 {named[1]}",
            f"VBA module {module.name}: its source says Attribute VB_Name = {named[1]}")
    lines = [f"Attribute {key} = {value}" for key, value in _header(module, attributes)]
    return "".join(line + "\r\n" for line in [*lines, *body])


def module_docstring(module: VbaModule) -> str:
    """The module's description (its ``VB_Description`` attribute), as the dir stream keeps it."""
    value = _split_attributes(module.name, module.source)[0].get("VB_DESCRIPTION", ("", ""))[1]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('""', '"')
    return value.replace("\\r", "\r").replace("\\n", "\n")


def read_module_file(path: str | Path) -> VbaModule:
    """A module from a ``.bas`` or ``.cls`` file exported by the VBA editor."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".bas", ".cls"):
        raise VbaSourceError(f"{path.name}：只支持 .bas 和 .cls 文件（不支持窗体 .frm）",
                             f"{path.name}: only .bas and .cls files can be read (no .frm forms)")
    raw = path.read_bytes()
    try:  # the VBA editor exports in the ANSI code page; an editor may have saved UTF-8
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode(ENCODING, errors="replace")
    attributes = _split_attributes(path.name, text)[0]
    name = attributes.get("VB_NAME", ("", path.stem))[1].strip('"')
    if suffix == ".bas":
        return VbaModule(name, "standard", text)
    base = attributes.get("VB_BASE", ("", CLASS_BASE))[1].strip('"').upper()
    return VbaModule(name, "class" if base == CLASS_BASE else "document", text)
