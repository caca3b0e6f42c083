"""Findings: what reading and validation found, collected rather than raised.

Every finding names the sheet, cell, row, column, rule, value and severity and
carries a message in Chinese and English that a sales rep can act on. The rule
catalogue (:data:`~xlsales.finding_rules.RULES`) is the one place where each rule's
severity and message live.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from xlsales.finding_rules import KPI_SHEET_BLIND, RULES
from xlsales.rule_model import Rule, Severity

__all__ = ["KPI_SHEET_BLIND", "RULES", "Finding", "Rule", "Severity", "count_by_severity",
           "counted", "finding", "money_shown", "percent_typed_bare"]


@dataclass(frozen=True)
class Finding:
    """One thing found in a workbook."""

    rule: str
    severity: Severity
    sheet: str
    cell: str | None
    row: int | None
    column: str | None
    value: object
    message_zh: str
    message_en: str
    table: str | None = None

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict (dates as ISO strings)."""
        value = self.value
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, int | float | str | bool):
            value = str(value)
        return {
            "severity": self.severity.value, "rule": self.rule, "sheet": self.sheet,
            "table": self.table, "cell": self.cell, "row": self.row, "column": self.column,
            "value": value, "message_zh": self.message_zh, "message_en": self.message_en,
        }


class _Shown(str):
    """A number as a message shows it, also where a template asks for ``!r``."""

    def __repr__(self) -> str:
        return str(self)


def percent_typed_bare(value: float, maximum: float | None = None) -> dict[str, str] | None:
    """The hint's fields (``meant``: ``90%``, ``decimal``: ``0.9``) when a percent cell's
    ``value`` reads as a percentage typed without its % (90 for 90%: at least 2, and within
    ``maximum`` once divided by 100); None when it does not (1.5 is 150% as likely as
    1.5%)."""
    if value < 2 or (maximum is not None and value / 100 > maximum):
        return None
    return {"meant": f"{value:g}%", "decimal": f"{value / 100:g}"}


def _readable(value: object) -> object:
    """Numbers as people read them in a message: ``12000`` not ``12000.0``, ``0.15``,
    ``1234.5`` (no thousands separator: the number may be an order ID); everything else
    as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return value
    if float(value).is_integer():
        return _Shown(f"{int(value)}")
    return _Shown(f"{value:.6f}".rstrip("0").rstrip("."))


def money_shown(value: object) -> object:
    """An amount as a message shows it: ``14,000``, ``1,234.5`` (thousands separated, as
    the sheet shows money; :func:`_readable` leaves other numbers without, as they may be
    IDs); anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value):
        return value
    return _Shown(f"{value:,.2f}".rstrip("0").rstrip("."))


def counted(n: object, noun: str) -> str:
    """``1 row``, ``1,200 rows``: a count as an English message says it."""
    shown = f"{n:,}" if isinstance(n, int) else str(n)
    return f"{shown} {noun}" + ("" if n == 1 else "s")


def finding(rule: str, *, sheet: str, cell: str | None = None, row: int | None = None,
            column: str | None = None, value: object = None, table: str | None = None,
            label: str = "", shown: object = None, **fields: object) -> Finding:
    """Build a finding of ``rule`` with its messages filled from ``fields`` (the value
    as ``shown`` when given: ``150%`` for 1.5 in a percent column)."""
    r = RULES[rule]
    if shown is None:
        # a time typed in a date column shows as people write it (14:30), not as Python
        shown = (value.isoformat() if isinstance(value, date | datetime)
                 else _Shown(value.strftime("%H:%M:%S" if value.second else "%H:%M"))
                 if isinstance(value, time) else value)
    params = {k: _readable(v) for k, v in
              {"label": label, "value": shown, "table": table, "row": row, "cell": cell,
               **fields}.items()}
    return Finding(rule, r.severity, sheet, cell, row, column, value,
                   r.zh.format(**params), r.en.format(**params), table)


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Number of findings per severity (all severities present, possibly 0)."""
    counts = Counter(f.severity for f in findings)
    return {s: counts.get(s, 0) for s in Severity}
