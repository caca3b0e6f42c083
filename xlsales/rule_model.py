"""The model of a finding rule: its :class:`Severity` and its :class:`Rule` (severity and
message templates in Chinese and English), which the rule catalogue
(:data:`~xlsales.finding_rules.RULES`) is made of."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is; ``error`` makes ``xlsales validate`` exit with 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A rule's severity and message templates; ``{label}``, ``{value}`` and rule
    specific fields are filled in per finding."""

    key: str
    severity: Severity
    zh: str
    en: str


def rule(key: str, severity: Severity, zh: str, en: str) -> tuple[str, Rule]:
    """A catalogue entry: ``key`` and its :class:`Rule`."""
    return key, Rule(key, severity, zh, en)


#: Short names of the severities for the catalogue's rule lists.
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741
