"""The rule catalogue gathered from the modules of each kind of rule: a key declared in two
of them would leave one rule silently replaced by the other (its severity and message
gone), so every key is declared once, and every rule a set names exists."""

from __future__ import annotations

from collections import Counter

from xlsales.finding_rules import KPI_SHEET_BLIND, RULES
from xlsales.rules_across import ACROSS_RULES
from xlsales.rules_cells import CELL_RULES
from xlsales.rules_kpi_sheet import KPI_SHEET_RULES
from xlsales.rules_reading import READING_RULES

KINDS = (READING_RULES, KPI_SHEET_RULES, CELL_RULES, ACROSS_RULES)


def test_each_rule_is_declared_once_under_its_own_key() -> None:
    declared = Counter(key for kind in KINDS for key in kind)
    assert [key for key, n in declared.items() if n > 1] == []
    assert list(RULES) == [key for kind in KINDS for key in kind]
    assert all(rule.key == key for key, rule in RULES.items())


def test_the_kpi_sheet_blind_rules_are_in_the_catalogue() -> None:
    assert KPI_SHEET_BLIND <= set(RULES)
