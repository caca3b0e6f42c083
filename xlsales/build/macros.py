"""Macro-enabled workbooks (``.xlsm``): the VBA of ``vba/``, xlwings' modules, buttons.

The VBA project is built from text at every build (:mod:`xlsales.vbaproject`): the modules
kept in ``vba/`` (``ThisWorkbook`` and the ``XlsalesButtons`` module, one macro per
button, each calling xlwings' ``RunPython``), one empty document module per worksheet
(matching the code names XlsxWriter gives the sheets, as Excel itself keeps them), and
xlwings' ``xlwings`` and ``Dictionary`` modules read from the installed xlwings package.
With the ``xlwings.conf`` sheet the workbook is standalone, like xlwings'
``quickstart_standalone.xlsm``: no add-in needed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xlsales.build.styles import FONT
from xlsales.build.xlwings_conf import write_conf_sheet
from xlsales.script_variant import OwnText, Script
from xlsales.spec import SPEC, Label, Lang, SheetKind
from xlsales.spec.model import L
from xlsales.vbaproject import VbaModule, build_vba_project, read_module_file, xlwings_vba_modules
from xlsales.vbaproject.errors import VbaSourceError


def _vba_dir() -> Path:
    """``vba/`` of the source tree, else the copy installed as ``xlsales.vba_text``."""
    source = Path(__file__).resolve().parents[2] / "vba"
    if source.is_dir():
        return source
    return Path(__file__).resolve().parents[1] / "vba_text"


VBA_DIR = _vba_dir()
WORKBOOK_MODULE = "ThisWorkbook"
BUTTON_MODULE = "XlsalesButtons"
BUTTON_ROW = 2  # the blank row between a sheet's help line and its table header
BUTTON_ROW_HEIGHT = 24  # points
BUTTON_HEIGHT, BUTTON_WIDTH, BUTTON_GAP = 26, 150, 8  # pixels
INSTRUCTIONS_COLUMN = 1  # right of the instructions text
KPI_BUTTON_X = 380  # pixels from column A, right of the owner and period line
NOTE_ROW = 7  # below the instructions sheet's buttons
BUTTON_NOTE = L("按钮通过 xlwings 运行 Python：需要安装 Python 和 xlsales[excel]，并启用宏。",
                "The buttons run Python through xlwings: install Python and xlsales[excel], "
                "and enable macros.")

Finish = Callable[[Workbook, dict[str, Worksheet]], None]


@dataclass(frozen=True)
class Action:
    """A button: the VBA macro it runs and its caption."""

    key: str
    macro: str
    caption: Label


ACTIONS: dict[str, Action] = {a.key: a for a in (
    Action("validate", "XlsalesValidate", L("校验数据", "Validate")),
    Action("compute_kpis", "XlsalesComputeKpis", L("计算 KPI", "Compute KPIs")),
    Action("generate_plan", "XlsalesGeneratePlan", L("生成下期计划", "Generate plan")),
    Action("start_next_period", "XlsalesStartNextPeriod", L("开始下一期", "Start next period")),
)}


def sheet_actions(sheet_key: str) -> tuple[str, ...]:
    """The buttons a sheet gets: all on the instructions, validate on input sheets, …"""
    kind = SPEC.sheet(sheet_key).kind
    if kind is SheetKind.INSTRUCTIONS:
        return tuple(ACTIONS)
    if sheet_key == "problems":
        return ("validate", "generate_plan")
    if kind is SheetKind.INPUT:
        return ("validate",)
    if kind is SheetKind.CALCULATED:
        return ("compute_kpis",)
    return ()


def vba_source_modules(vba_dir: Path = VBA_DIR) -> list[VbaModule]:
    """The modules kept as text in ``vba/`` (``.bas`` and ``.cls``), by file name."""
    files = sorted(p for p in vba_dir.glob("*") if p.suffix.lower() in (".bas", ".cls"))
    if not files:
        raise VbaSourceError(
            f"没有找到 VBA 源文件（{vba_dir}）："
            "带按钮的 .xlsm 需要 xlsales 源代码中的 vba/ 文件夹。",
            f"no VBA source files in {vba_dir}: macro-enabled .xlsm workbooks need the vba/ "
            "folder of the xlsales sources.")
    return [read_module_file(p) for p in files]


def project_modules(sheet_names: list[str], sources: list[VbaModule],
                    xlwings: list[VbaModule]) -> list[VbaModule]:
    """Every module of the project, in the order Excel lists them: workbook, sheets, code."""
    documents = {m.name: m for m in sources if m.kind == "document"}
    if WORKBOOK_MODULE not in documents:
        raise VbaSourceError(f"vba/ 中缺少 {WORKBOOK_MODULE}.cls",
                             f"vba/ lacks {WORKBOOK_MODULE}.cls")
    unknown = set(documents) - {WORKBOOK_MODULE, *sheet_names}
    if unknown:
        raise VbaSourceError(
            f"vba/ 中的文档模块 {', '.join(sorted(unknown))} 不对应任何工作表",
            f"the document modules {', '.join(sorted(unknown))} in vba/ match no worksheet "
            f"(sheet modules are named {sheet_names[0]} … {sheet_names[-1]})")
    sheets = [documents.get(name, VbaModule(name, "document", "")) for name in sheet_names]
    code = [m for m in sources if m.kind != "document"]
    return [documents[WORKBOOK_MODULE], *sheets, *code, *xlwings]


def _insert_buttons(ws: Worksheet, lang: Lang, actions: tuple[str, ...], row: int, col: int,
                    x: int, vertical: bool, own: OwnText) -> None:
    for i, key in enumerate(actions):
        step = i * ((BUTTON_HEIGHT if vertical else BUTTON_WIDTH) + BUTTON_GAP)
        action = ACTIONS[key]
        ws.insert_button(row, col, {
            "macro": action.macro, "caption": own(action.caption.get(lang)),
            "width": BUTTON_WIDTH, "height": BUTTON_HEIGHT,
            "x_offset": x + (0 if vertical else step), "y_offset": 4 + (step if vertical else 0),
        })


def add_buttons(wb: Workbook, sheets: dict[str, Worksheet], lang: Lang,
                own: OwnText | None = None) -> None:
    """Insert each sheet's buttons where people need them, captioned (and the note under
    them written) in the workbook's script by ``own`` (Traditional: 校驗資料)."""
    own = own or OwnText()
    note = wb.add_format({"italic": True, "font_color": "#595959", "font_size": 10,
                          "font_name": FONT[lang]})
    for key, ws in sheets.items():
        actions = sheet_actions(key)
        if not actions:
            continue
        if SPEC.sheet(key).kind is SheetKind.INSTRUCTIONS:
            _insert_buttons(ws, lang, actions, 0, INSTRUCTIONS_COLUMN, 12, True, own)
            ws.write_string(NOTE_ROW, INSTRUCTIONS_COLUMN, own(BUTTON_NOTE.get(lang)), note)
            continue
        ws.set_row(BUTTON_ROW, BUTTON_ROW_HEIGHT)
        x = KPI_BUTTON_X if SPEC.sheet(key).kind is SheetKind.CALCULATED else 4
        _insert_buttons(ws, lang, actions, BUTTON_ROW, 0, x, False, own)


def macro_finish(lang: Lang, interpreter: tuple[str, str] | None = None,
                 xlwings: list[VbaModule] | None = None,
                 vba_dir: Path = VBA_DIR, script: Script | None = None) -> Finish:
    """The last build step of a macro-enabled workbook (for ``build_workbook(finish=...)``):
    the ``xlwings.conf`` sheet, the buttons and the VBA project; ``script``: the workbook's
    (:attr:`~xlsales.workbook_data.BuildOptions.script`), the captions and notes written
    in it. The VBA of ``vba/`` is ASCII (every message comes from Python): the same in
    every script."""
    sources = vba_source_modules(vba_dir)
    own = OwnText(script if lang == "zh" else None)
    xlwings_modules = xlwings if xlwings is not None else xlwings_vba_modules()

    def finish(wb: Workbook, sheets: dict[str, Worksheet]) -> None:
        write_conf_sheet(wb, lang, interpreter, own)
        add_buttons(wb, sheets, lang, own)
        names = []
        for i, ws in enumerate(wb.worksheets(), 1):
            ws.set_vba_name(f"Sheet{i}")
            names.append(f"Sheet{i}")
        wb.set_vba_name(WORKBOOK_MODULE)
        project = build_vba_project(project_modules(names, sources, xlwings_modules))
        wb.add_vba_project(io.BytesIO(project), is_stream=True)  # type: ignore[arg-type]

    return finish

