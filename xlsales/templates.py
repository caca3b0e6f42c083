"""The standard workbook templates committed in ``workbook_templates/``.

``xlsales build-templates`` rebuilds them; the build is reproducible (fixed
document timestamp), and ``tests/test_templates.py`` proves the committed files
equal a fresh build. Each also comes macro-enabled (``.xlsm``, with buttons; the
VBA is built from ``vba/`` and the installed xlwings, ``tests/test_xlsm.py``), with
the Python interpreter left empty in its ``xlwings.conf`` sheet: ``xlsales new``
fills it in for the machine it runs on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.files import atomic_output
from xlsales.periods import PeriodType
from xlsales.spec import LANGS
from xlsales.workbook_data import BuildOptions, WorkbookData

TEMPLATE_TIMESTAMP = datetime(2026, 1, 1)


@dataclass(frozen=True)
class StandardTemplate:
    """One committed template: who it is for and over which period type."""

    period_type: PeriodType
    level: str
    role: str
    lang: str
    macros: bool = False  # a macro-enabled .xlsm with buttons

    @property
    def filename(self) -> str:
        suffix = "xlsm" if self.macros else "xlsx"
        return f"xlsales_{self.period_type.value}_{self.role}_{self.lang}.{suffix}"

    def options(self) -> BuildOptions:
        return BuildOptions(lang=self.lang, level=self.level, role=self.role,  # type: ignore[arg-type]
                            created=TEMPLATE_TIMESTAMP)


STANDARD_TEMPLATES: tuple[StandardTemplate, ...] = tuple(
    StandardTemplate(ptype, level, role, lang)
    for ptype, level, role in (
        (PeriodType.MONTH, "individual", "rep"),
        (PeriodType.QUARTER, "team", "manager"),
        (PeriodType.YEAR, "region", "director"),
    )
    for lang in LANGS
)
#: The same templates, macro-enabled (``.xlsm``).
MACRO_TEMPLATES: tuple[StandardTemplate, ...] = tuple(
    replace(t, macros=True) for t in STANDARD_TEMPLATES)


def build_template(template: StandardTemplate, path: Path) -> None:
    """Build one standard template (period left for the user to fill) at ``path``."""
    data = WorkbookData(info={"period_type": template.period_type.value})
    finish = None
    if template.macros:
        from xlsales.build.macros import macro_finish

        finish = macro_finish(template.options().lang, interpreter=None)
    with atomic_output(path) as tmp:
        build_workbook(tmp, template.options(), data, finish=finish)


def build_standard_templates(out_dir: Path) -> list[Path]:
    """Rebuild every standard template into ``out_dir``; return the files written.
    Without xlwings (whose VBA modules the ``.xlsm`` ones hold) nothing is written."""
    from xlsales.vbaproject.xlwings_modules import xlwings_package_dir

    xlwings_package_dir()  # said before six files are written and the seventh fails
    paths = []
    for template in (*STANDARD_TEMPLATES, *MACRO_TEMPLATES):
        path = out_dir / template.filename
        build_template(template, path)
        paths.append(path)
    return paths
