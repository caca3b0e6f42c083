"""The content of one workbook as plain Python/pandas data, independent of Excel.

Frames use the spec's field keys as column names and choice *keys* (``won``,
``yes``...) in choice columns, whatever the workbook language. Columns that are
not in the spec are custom fields and are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from xlsales.errors import UsageError
from xlsales.periods import Period
from xlsales.spec import SPEC, Lang, WorkbookSpec
from xlsales.spec.declarations import LEVEL, ROLE

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.script_variant import Script


@dataclass
class WorkbookData:
    """Info fields, input tables, settings lists and assumptions of a workbook."""

    info: dict[str, object] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    assumptions: dict[str, object] = field(default_factory=dict)
    budget_caps: pd.DataFrame | None = None
    #: Tables whose calculated columns are stored as values (their frames carry them),
    #: not as formulas: a roll-up's sales records, where formulas comparing every row
    #: with every other would take Excel minutes to compute.
    calculated_values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BuildOptions:
    """What ``xlsales new`` asks for: language, period, level, role and owner."""

    lang: Lang = "zh"
    period: Period | None = None
    level: str = "individual"
    role: str = "rep"
    owner: str = ""
    created: datetime | None = None  # document timestamp; fixed for reproducible templates
    #: The script of a Chinese workbook: None, the spec's Simplified; ``s2tw``/``s2twp``,
    #: xlsales' own text (names, headers, help, lists, formulas' choices) in Traditional,
    #: as Excel's 简转繁 leaves a book (:mod:`xlsales.script_variant`).
    script: Script | None = None

    def __post_init__(self) -> None:
        if self.lang not in ("zh", "en"):
            raise UsageError(f"不支持的语言 “{self.lang}”：请用 zh 或 en。",
                             f"Unsupported language '{self.lang}': use zh or en.")
        for value, choices, what in ((self.level, LEVEL, "level"), (self.role, ROLE, "role")):
            if choices.key_of(value) is None:
                allowed = ", ".join(c.key for c in choices.choices)
                raise UsageError(f"无效的{what} “{value}”：可选 {allowed}。",
                                 f"Invalid {what} '{value}': choose one of {allowed}.")

    @property
    def level_key(self) -> str:
        return LEVEL.key_of(self.level) or self.level

    @property
    def role_key(self) -> str:
        return ROLE.key_of(self.role) or self.role


def default_info(options: BuildOptions) -> dict[str, object]:
    """Info field values implied by the build options."""
    info: dict[str, object] = {
        "owner": options.owner or None, "level": options.level_key, "role": options.role_key
    }
    if options.period is not None:
        info.update(period_type=options.period.type.value, period_start=options.period.start)
    return info


def default_lists(options: BuildOptions, spec: WorkbookSpec = SPEC) -> dict[str, list[str]]:
    """Settings lists pre-filled from ``spec``'s defaults in the workbook language."""
    lists = {s.key: [d.get(options.lang) for d in s.defaults] for s in spec.lists}
    if options.level_key == "individual" and options.owner:
        lists["rep"] = [options.owner]
    return lists
