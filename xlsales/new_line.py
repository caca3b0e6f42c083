"""The line ``xlsales new`` prints naming the workbook it wrote: in the workbook's
language (a Chinese book's in Chinese, with the spec's own labels for its period type,
level and role), and, when ``--lang`` was not given, which language it took and how to
get the other."""

from __future__ import annotations

from pathlib import Path

from xlsales.periods import Period
from xlsales.script_variant import OwnText
from xlsales.spec.declarations import LEVEL, PERIOD_TYPE, ROLE


def book_line(output: Path, lang: str, period: Period, level: str, role: str,
              took: tuple[Path | None, bool] | None, own: OwnText | None = None) -> str:
    """What ``new`` says of ``output``: ``lang``, the period, level and role; ``took``
    (None when ``--lang`` was given): the ``--from`` workbook the language was taken from
    (None: the default, Chinese) and whether it is Traditional. ``own``: how its Chinese
    is written (a Traditional book's in Traditional, its file names as typed)."""
    if lang != "zh":
        return (f"{output}  ({lang}, {period.label} {period.type.value}, {level}, {role}"
                + ("" if took is None else _took_en(took[0])) + ")")
    said = "，".join([
        "中文", f"{period.label} {PERIOD_TYPE.label(period.type.value, 'zh')}",
        LEVEL.label(level, 'zh'), ROLE.label(role, 'zh')])
    line = f"{output}  （{said}" + ("" if took is None else _took_zh(*took)) + "）"
    return (own or OwnText())(line, (output, took[0] if took else None))


def _took_zh(from_book: Path | None, traditional: bool) -> str:
    """Why the book is Chinese, said in Chinese: no ``--lang`` (or its ``--from`` book)."""
    script = "繁体中文" if traditional else "中文"
    if from_book is None:
        return "；英文工作簿请加 --lang en"
    return f"；与 {from_book.name} 一样是{script}，英文工作簿请加 --lang en"


def _took_en(from_book: Path | None) -> str:
    """Why the book is English (its ``--from`` book is), said in English."""
    why = f", as {from_book.name}" if from_book is not None else " workbook"
    return f"; English{why}: --lang zh for Chinese"


def buttons_line(lang: str, interpreter: tuple[str, str] | None,
                 own: OwnText | None = None) -> str:
    """What ``new`` says of an ``.xlsm``'s buttons, in ``lang``: the Python its
    xlwings.conf sheet names (``interpreter``: its path and version), or that none is."""
    if lang != "zh":
        return f"  buttons: {_python_en(interpreter)}; see docs/excel.md"
    said = ("xlwings.conf 工作表上没有填写 Python（请在将要使用此工作簿的 Windows 或 Mac 电脑上"
            "运行本命令），xlwings 会运行 PATH 中的 python" if interpreter is None else
            f"Python {interpreter[1]}（xlwings.conf 工作表上的 {interpreter[0]}）")
    return (own or OwnText())(f"  按钮：{said}；见 docs/excel.md",
                              [interpreter[0]] if interpreter else ())


def _python_en(interpreter: tuple[str, str] | None) -> str:
    """The Python the buttons run, said in English."""
    if interpreter is None:
        return ("no Python filled in on the xlwings.conf sheet (run this on the Windows or Mac "
                "machine that will use the workbook), so xlwings runs `python` from the PATH")
    return f"Python {interpreter[1]} ({interpreter[0]} on the xlwings.conf sheet)"
