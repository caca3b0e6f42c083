"""Integrity of the declarative spec: what every reader of it relies on."""

from __future__ import annotations

import re

import pytest

from xlsales.spec import (
    LANGS,
    SPEC,
    Aggregate,
    ColumnType,
    Difference,
    Growth,
    Product,
    Ratio,
    SheetKind,
    Total,
)
from xlsales.values import fold

# characters that would need escaping inside a structured reference
STRUCTURED_REF_SPECIALS = re.compile(r"[\[\]#'\"{}$^&*+=\-<>/,:.\t\n]")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def all_tables():
    return [t for s in SPEC.sheets for t in s.tables]


def test_table_names_are_unique_and_valid_excel_names():
    names = [t.name for t in all_tables()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", n) for n in names)


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_are_unique_and_allowed_by_excel(lang):
    names = [s.name.get(lang) for s in SPEC.sheets]
    assert len(names) == len(set(names))
    assert all(0 < len(n) <= 31 and not SHEET_NAME_FORBIDDEN.search(n) for n in names)


@pytest.mark.parametrize("lang", LANGS)
def test_header_labels_are_unique_per_table_and_safe_in_structured_references(lang):
    for table in all_tables():
        labels = [c.label.get(lang) for c in table.columns]
        assert len(labels) == len(set(labels)), table.name
        bad = [x for x in labels if STRUCTURED_REF_SPECIALS.search(x)]
        assert not bad, f"{table.name}: {bad}"


def test_column_keys_are_unique_identifiers():
    for table in all_tables():
        assert len(table.keys) == len(set(table.keys)), table.name
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in table.keys), table.name


def test_calculated_columns_come_after_input_columns():
    """Required-cell highlighting counts the contiguous block of input columns."""
    for table in all_tables():
        kinds = [c.is_input for c in table.columns]
        assert kinds == sorted(kinds, reverse=True), table.name


def test_list_columns_take_their_values_from_a_declared_settings_list():
    lists = set(SPEC.lists)
    for table in all_tables():
        for c in table.columns:
            if c.type is ColumnType.LIST:
                assert c.list_source in lists, f"{table.name}.{c.key}"


def test_choice_labels_are_unique_and_map_back_to_their_keys():
    for cs in SPEC.choice_sets:
        for lang in LANGS:
            assert len(set(cs.labels(lang))) == len(cs.choices)
        for c in cs.choices:
            assert cs.key_of(c.label.zh) == cs.key_of(c.label.en) == cs.key_of(c.key) == c.key
            assert cs.key_of(" " + c.label.en.upper() + " ") == c.key


def test_kpi_keys_from_the_issue_are_all_declared():
    required = {"revenue", "target", "attainment", "gap", "deals", "customers", "aov",
                "new_customer_revenue_share", "win_rate", "collection_rate", "mom_growth",
                "yoy_growth"}
    keys = [k.key for k in SPEC.kpis]
    assert required <= set(keys)
    assert len(keys) == len(set(keys))


def test_kpi_formulas_reference_declared_kpis_tables_and_columns():
    keys = {k.key for k in SPEC.kpis}
    for kpi in SPEC.kpis:
        f = kpi.formula
        if isinstance(f, Aggregate):
            table = SPEC.table(f.table)
            table.column(f.date_field)
            if f.field:
                table.column(f.field)
            for col, value in f.where:
                column = table.column(col)
                for v in (value,) if isinstance(value, str) else (
                        value if isinstance(value, tuple) else ()):
                    assert column.choices is not None and column.choices.key_of(v) == v
        else:
            refs = {
                Ratio: lambda g: (g.numerator, g.denominator),
                Difference: lambda g: (g.minuend, g.subtrahend, *g.requires, *g.nonzero),
                Product: lambda g: (g.left, g.right),
                Total: lambda g: g.parts,
                Growth: lambda g: (g.current, g.earlier),
            }[type(f)](f)
            assert set(refs) <= keys, kpi.key
        assert kpi.label.zh and kpi.label.en and kpi.definition.zh and kpi.definition.en


def test_every_part_of_the_product_spec_has_its_sheet():
    kinds = {s.key: s.kind for s in SPEC.sheets}
    for key in ("instructions", "info", "sales", "targets", "activities", "problems", "lessons",
                "kpis", "settings"):
        assert key in kinds
    assert [k for k, v in kinds.items() if v is SheetKind.PLAN] == [
        "plan_targets", "plan_actions", "plan_budget", "plan_timeline"]
    problems = SPEC.table("Problems")
    assert problems.column("carry_forward").choices.key_of("是") == "yes"
    for key in ("description", "example", "affected", "impact_amount", "category",
                "controllability", "severity", "owner"):
        problems.column(key)
    sales_keys = set(SPEC.table("Sales").keys)
    assert {"order_id", "date", "rep", "region", "customer", "customer_type", "product",
            "quantity", "unit_price", "amount", "stage", "invoiced", "collected"} <= sales_keys
    actions = SPEC.table("PlanActions")
    assert {"what", "why", "who", "where", "start", "due", "how", "how_much", "problem_id"} <= set(
        actions.keys)


def test_identifying_columns_exist_and_are_required():
    keyed = [t for t in all_tables() if t.id_key]
    assert {t.name for t in keyed} >= {"Sales", "Problems", "Lessons", "PlanActions"}
    for t in keyed:
        assert t.column(t.id_key).required, t.name


def test_what_is_due_by_the_period_end_is_due_with_columns_of_its_own_table():
    later = [(t, c) for t in all_tables() for c in t.columns if c.required_by_period_end]
    assert [(t.name, c.key) for t, c in later] == [("ActionReview", "status")]
    for table, column in later:
        assert column.required and set(column.required_with) <= set(table.keys)


def test_headers_map_to_their_own_column_when_a_label_equals_another_key():
    """PlanTargets: "Period" is the label of period_label, while "period" is the key of
    the column labelled "Period start"; each header reads into its own column."""
    for table in (t for s in SPEC.sheets for t in s.tables):
        index = table.header_index()
        for c in table.columns:
            assert index[fold(c.label.en)] == c.key, (table.name, c.key)
            assert index[fold(c.label.zh)] == c.key, (table.name, c.key)


def test_rollup_sheets_are_result_sheets_whose_kpi_columns_are_the_kpis():
    """The ranking and problem summary ``xlsales consolidate`` writes are declared once, as
    result sheets (never built by ``new``, never read); the ranking's KPI columns take the
    KPI's own label, and their type from its unit."""
    for key, table in (("member_ranking", "MemberRanking"),
                       ("problem_summary", "ProblemSummary")):
        sheet = SPEC.sheet(key)
        assert sheet.kind is SheetKind.RESULT and not sheet.in_every_workbook
        assert [t.name for t in sheet.tables] == [table] and sheet.help is not None
    ranking = SPEC.table("MemberRanking")
    types = {"money": ColumnType.MONEY, "percent": ColumnType.PERCENT,
             "count": ColumnType.INTEGER}
    kpis = {k.key: k for k in SPEC.kpis}
    shown = [c for c in ranking.columns if c.key in kpis]
    assert [c.key for c in shown] == ["revenue", "target", "attainment", "mom_growth",
                                      "yoy_growth", "deals", "customers", "win_rate",
                                      "collection_rate"]
    for c in shown:
        assert c.label is kpis[c.key].label and c.type is types[kpis[c.key].unit], c.key
