"""Inputs and options of plan generation: plain data, no Excel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import pandas as pd

from xlsales.errors import UsageError
from xlsales.periods import Period
from xlsales.plan.workdays import WorkCalendar, calendar_of
from xlsales.roster import Tenure
from xlsales.spec import Lang

Method = Literal["seasonal", "history", "even"]
Split = Literal["share", "equal", "weights"]


@dataclass(frozen=True)
class PlanOptions:
    """How to set and decompose the next period's target (``xlsales plan`` options)."""

    target: float | None = None  # a revenue target given outright
    growth: float | None = None  # or a growth rate over this period's revenue
    method: Method = "seasonal"  # decomposition over time
    split: Split = "share"  # over people: last period's share, equal, or the rep weights
    #: where a ``target`` given outright comes from (zh, en), when not the command line:
    #: the team plan of ``--target-from`` (:mod:`xlsales.plan_assigned`)
    target_basis: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.target is not None and self.growth is not None:
            raise UsageError("--target 和 --growth 只能选一个。",
                             "Give either --target or --growth, not both.")
        if self.target is not None and self.target < 0:
            raise UsageError("目标不能为负数。", "The target cannot be negative.")
        if self.growth is not None and self.growth <= -1:
            raise UsageError("增长率必须大于 -100%。", "The growth rate must be above -100%.")


@dataclass
class PlanInput:
    """What the summary holds that the plan is built from."""

    period: Period  # the period summarised; the plan is for ``period.next``
    lang: Lang
    owner: str
    tables: Mapping[str, pd.DataFrame]  # field keys, choice keys (as the reader gives)
    reps: list[str]
    assumptions: Mapping[str, object] = field(default_factory=dict)
    #: the workbook's currency, as its basic information names it (None: CNY): the unit
    #: of the targets in money
    currency: object = None
    #: the rep list's tenures read (see :func:`~xlsales.plan.rep_tenure.team_roster`),
    #: by the rep list's id, with the list
    rosters: dict[int, tuple[object, dict[str, Tenure]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @property
    def calendar(self) -> WorkCalendar:
        """The working days of the plan: the public holidays (and make-up working days)
        of the book's currency's region, else Monday to Friday."""
        return calendar_of(self.currency)

    def frame(self, name: str) -> pd.DataFrame:
        """The table ``name``'s frame; a table the book lacks as an empty one (a copy of
        one made once: a plan asks for the lacking tables a dozen times, ~0.1 ms each)."""
        frame = self.tables.get(name)
        return frame if frame is not None else _empty(name).copy(deep=False)


@cache
def _empty(name: str) -> pd.DataFrame:
    """An empty frame of the spec's table ``name``'s columns (never handed out itself)."""
    from xlsales.spec import SPEC

    return pd.DataFrame(columns=SPEC.table(name).keys)


@dataclass
class PlanResult:
    """The generated plan tables (spec field keys) and a short account of the basis."""

    period: Period  # the plan's period
    tables: dict[str, pd.DataFrame]
    total_target: float
    basis: tuple[str, str]  # zh, en
    #: what the user must know about the plan, such as a target with no basis (zh, en)
    notes: tuple[tuple[str, str], ...] = ()
    #: the workbook's currency, as :attr:`PlanInput.currency`: what the amounts of the
    #: actions' and budget's sheets say they are in
    currency: object = None

    def __post_init__(self) -> None:
        self.notes = tuple(ended(zh, en) for zh, en in self.notes)

    def note_lines(self, lang: Lang, indent: str = "  ") -> list[str]:
        """The notes as report lines in ``lang`` (the report's language, as validate's
        and kpis'): ``注意：…`` or ``note: …``."""
        return [f"{indent}注意：{zh}" if lang == "zh" else f"{indent}note: {en}"
                for zh, en in self.notes]


#: What a sentence may end with, as it is (zh, en); and what is replaced by a full stop.
_ENDS = ("。！？", ".!?")
_REPLACED = "；，：;,:。."


def ended(zh: str, en: str) -> tuple[str, str]:
    """A note (zh, en) ending as a sentence in each language: ``。`` and ``.`` (a trailing
    comma, colon or semicolon, or the other language's full stop, replaced), so that every
    note of a plan ends alike whichever part of the plan said it."""
    out = []
    for text, ends, stop in ((zh.rstrip(), _ENDS[0], "。"), (en.rstrip(), _ENDS[1], ".")):
        if text and text[-1] not in ends:
            text = (text[:-1] if text[-1] in _REPLACED else text) + stop
        out.append(text)
    return out[0], out[1]
