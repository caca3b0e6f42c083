"""Extending the spec: what a developer adding a column or a KPI relies on
(docs/extending.md). Each test extends the product spec in the test, as a developer
would in ``xlsales/spec/``, and proves the rest follows, or fails loudly naming the one
other place to edit."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import openpyxl
import pytest
from conftest import team_options
from sheet_values import table_rows

from xlsales.build.formulas import stored_formula
from xlsales.build.workbook import build_workbook
from xlsales.kpi_labels import kpi_label
from xlsales.kpis import CALCULATED, calculated_columns, compute_kpis
from xlsales.periods import Period, PeriodType
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC, Aggregate, Column, ColumnType, Kpi, Ratio, WorkbookSpec
from xlsales.spec.assemble import with_column_lists
from xlsales.spec.choice_model import Choice, ChoiceSet, SettingsList
from xlsales.spec.declarations import YEAR_KPI_LABELS
from xlsales.spec.model import L

#: A new choice set, given to a new column only (not listed in SPEC.choice_sets).
CHANNEL = ChoiceSet("channel", (Choice("direct", L("直销", "Direct")),
                                Choice("partner", L("渠道伙伴", "Partner"), ("reseller",)),
                                Choice("online", L("线上", "Online"))))
CHANNEL_COLUMN = Column("channel", L("渠道", "Channel"), ColumnType.CHOICE, choices=CHANNEL,
                        help=L("成交渠道；可不填。", "The sales channel; may be empty."))
#: A calculated column reading the new column's choice by its key.
PARTNER_AMOUNT = Column("partner_amount", L("渠道伙伴金额", "Partner amount"), ColumnType.CALC,
                        formula='=IF({this:channel}={choice:channel.partner},'
                                'N({this:amount}),0)')


def with_sales_columns(*columns: Column, kpis: tuple[Kpi, ...] = ()) -> WorkbookSpec:
    """The product spec with ``columns`` added to the sales records (input columns
    before the calculated ones, as the spec orders them) and ``kpis`` to the catalogue."""
    sales = SPEC.table("Sales")
    inputs = [c for c in sales.columns if c.is_input]
    calculated = [c for c in sales.columns if not c.is_input]
    new_inputs = [c for c in columns if c.is_input]
    new_calculated = [c for c in columns if not c.is_input]
    table = replace(sales, columns=(*inputs, *new_inputs, *calculated, *new_calculated))
    sheets = tuple(replace(s, tables=(table,)) if s.key == "sales" else s for s in SPEC.sheets)
    return replace(SPEC, sheets=sheets, kpis=(*SPEC.kpis, *kpis))


def test_a_calculated_column_reads_a_new_columns_choice_without_listing_its_set(tmp_path):
    """``{choice:channel.partner}`` in a formula names the choice set of the new column
    itself: no second listing in SPEC.choice_sets (it raised KeyError: 'channel')."""
    spec = with_sales_columns(CHANNEL_COLUMN, PARTNER_AMOUNT)
    assert "channel" not in {c.key for c in spec.choice_sets}
    path = tmp_path / "channel.xlsx"
    build_workbook(path, team_options("en"), sample_workbook_data("en"), spec=spec)
    header = table_rows(openpyxl.load_workbook(path), "Sales")[0]
    assert "Channel" in header and header[-1] == "Partner amount"
    sales = spec.table("Sales")
    for lang, partner in (("en", '"Partner"'), ("zh", '"渠道伙伴"')):
        assert partner in stored_formula(sales, "partner_amount", spec, lang)
    ws = openpyxl.load_workbook(path)["Sales"]
    letter = openpyxl.utils.get_column_letter(header.index("Channel") + 1)
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation
             if str(dv.sqref).startswith(letter)]
    assert lists == ['"Direct,Partner,Online"']


def test_an_unknown_choice_set_in_a_formula_says_where_to_declare_it():
    with pytest.raises(KeyError, match="CHOICE column"):
        SPEC.choice_set("no_such_set")


def _partner_kpi() -> Kpi:
    return Kpi("partner_revenue", L("渠道伙伴销售额", "Partner revenue"),
               L("渠道伙伴的赢单金额。", "Won amount of the partner channel."), "money", "higher",
               Aggregate("Sales", "partner_amount", (("stage", "won"),)))


def _sales_with_channel(lang: str = "en"):
    data = sample_workbook_data(lang)
    sales = data.tables["Sales"].copy()
    sales["channel"] = np.random.default_rng(7).choice(
        np.array(["direct", "partner", "online", None], dtype=object), len(sales))
    return data, sales


def test_a_kpi_over_a_calculated_column_without_its_pandas_twin_fails_naming_where_to_add_it():
    """The KPI engine computes calculated columns with pandas: a new one with a formula
    and no pandas counterpart gave the KPI 0 where the workbook's formula counts."""
    assert ("Sales", "partner_amount") not in CALCULATED
    spec = with_sales_columns(CHANNEL_COLUMN, PARTNER_AMOUNT, kpis=(_partner_kpi(),))
    data, sales = _sales_with_channel()
    won_partner = sales[(sales["channel"] == "partner") & (sales["stage"] == "won")]
    assert len(won_partner) > 0  # the workbook's formula would count these
    tables = {**data.tables, "Sales": sales}
    with pytest.raises(NotImplementedError, match=r"Sales\.partner_amount.*kpis_calculated\.py"):
        compute_kpis(tables, SAMPLE_PERIOD, spec=spec)
    # a roll-up stores every calculated column as values: the same message, not a KeyError
    with pytest.raises(NotImplementedError, match=r"CALCULATED in xlsales/kpis_calculated\.py"):
        calculated_columns(sales, SAMPLE_PERIOD, spec=spec)


def test_a_kpi_over_a_new_input_column_needs_no_second_edit():
    """A KPI filtering on the new column's choice: the engine follows the spec alone."""
    partner = Kpi("partner_revenue", L("渠道伙伴销售额", "Partner revenue"),
                  L("渠道伙伴的赢单金额。", "Won amount of the partner channel."), "money",
                  "higher",
                  Aggregate("Sales", "amount", (("stage", "won"), ("channel", "partner"))))
    share = Kpi("partner_revenue_share", L("渠道伙伴销售额占比", "Partner revenue share"),
                L("渠道伙伴销售额 ÷ 销售额。", "Partner revenue ÷ revenue."), "percent", "higher",
                Ratio("partner_revenue", "revenue"))
    spec = with_sales_columns(CHANNEL_COLUMN, kpis=(partner, share))
    data, sales = _sales_with_channel()
    kpis = compute_kpis({**data.tables, "Sales": sales}, SAMPLE_PERIOD, spec=spec).kpis
    dates = sales["date"].map(lambda d: SAMPLE_PERIOD.start <= d <= SAMPLE_PERIOD.end)
    won = dates & (sales["stage"] == "won")
    expected = float(sales.loc[won & (sales["channel"] == "partner"), "amount"].sum())
    assert expected > 0
    assert kpis["partner_revenue"] == pytest.approx(expected)
    assert kpis["partner_revenue_share"] == pytest.approx(expected / kpis["revenue"])


def test_every_calculated_column_of_the_product_spec_has_its_pandas_twin():
    spec_calculated = {(t.name, c.key) for s in SPEC.sheets for t in s.tables
                       for c in t.columns if not c.is_input}
    missing = spec_calculated - set(CALCULATED)
    assert not missing, (f"{sorted(missing)}: add a pandas function computing each to "
                         "CALCULATED in xlsales/kpis_calculated.py")


_PREVIOUS_DEALS = Kpi("deals_previous", L("上期成交单数", "Deals won, previous period"),
                      L("上期赢单记录数。", "Won rows of the previous period."), "count", "higher",
                      Aggregate("Sales", None, (("stage", "won"),), window="previous"))


def test_a_new_kpi_of_the_previous_period_says_last_year_on_a_years_book(tmp_path):
    """A year's previous period is last year: a new KPI naming the previous period is
    labelled so on a year's KPI sheet with no second edit (a hand-kept list before)."""
    for lang, label in (("zh", "上期成交单数（上年）"),
                        ("en", "Deals won, previous period (last year)")):
        assert kpi_label(_PREVIOUS_DEALS, lang, PeriodType.YEAR) == label
        plain = _PREVIOUS_DEALS.label.get(lang)
        assert kpi_label(_PREVIOUS_DEALS, lang, PeriodType.MONTH) == plain
    spec = replace(SPEC, kpis=(*SPEC.kpis, _PREVIOUS_DEALS))
    year = Period.parse("2026")
    path = tmp_path / "year.xlsx"
    build_workbook(path, replace(team_options("en"), period=year), sample_workbook_data("en"),
                   spec=spec)
    names = {r[0]: r[1] for r in table_rows(openpyxl.load_workbook(path), "KPIs")[1:]}
    assert names["deals_previous"] == "Deals won, previous period (last year)"
    assert names["deals"] == "Deals won"


def test_the_product_kpis_labelled_for_a_year_are_those_naming_the_previous_period():
    assert set(YEAR_KPI_LABELS) == {
        "revenue_previous", "mom_growth", "customers_previous", "quantity_previous",
        "revenue_previous_with_quantity", "previous_avg_price", "revenue_at_previous_mix",
        "revenue_at_previous_prices"}
    assert YEAR_KPI_LABELS["mom_growth"].get("zh") == "环比增长（上年）"



def test_every_kpi_of_the_product_spec_has_an_independent_reference():
    """The golden tests compare LibreOffice's figures with tests/kpi_reference.py, and
    only for the KPIs it computes: a new KPI without one would go unchecked."""
    from kpi_reference import reference_kpis

    data = sample_workbook_data("en")
    reference = reference_kpis(data.tables["Sales"], data.tables["Targets"],
                               SAMPLE_PERIOD.start, 1, data.tables["Activities"])
    missing = [k.key for k in SPEC.kpis if k.key not in reference]
    assert not missing, (f"{missing}: compute each from the rows with pandas, from its "
                         "definition, in tests/kpi_reference.py (the golden tests check "
                         "LibreOffice's figures against it)")


#: A new team-editable list, given to a new column only (not listed in LISTS).
INDUSTRIES = SettingsList("industry", L("行业", "Industry"),
                          (L("制造", "Manufacturing"), L("零售", "Retail")))
INDUSTRY_COLUMN = Column("industry", L("行业", "Industry"), ColumnType.LIST,
                         list_source=INDUSTRIES, help=L("客户行业；可不填。", "May be empty."))


def test_a_new_list_column_brings_its_list_to_the_settings_sheet(tmp_path):
    """A LIST column's new settings list, declared once: its table on the settings sheet
    and the dropdown's defined name follow (the dropdown named a list_industry that did
    not exist, and no list could be edited), and a value off the list is flagged."""
    from xlsales.io.reader import read_workbook
    from xlsales.validation import validate

    spec = with_column_lists(with_sales_columns(INDUSTRY_COLUMN))
    assert [s.key for s in spec.lists][:-1] == [s.key for s in SPEC.lists]
    data = sample_workbook_data("en")
    sales = data.tables["Sales"].copy()
    sales["industry"] = ["Retail", "Mining"] + [None] * (len(sales) - 2)
    path = tmp_path / "industry.xlsx"
    build_workbook(path, team_options("en"), replace(data, tables={**data.tables,
                                                                    "Sales": sales}), spec=spec)
    wb = openpyxl.load_workbook(path)
    assert "list_industry" in wb.defined_names
    assert [r[0] for r in table_rows(wb, "ListIndustry")] == ["Industry", "Manufacturing",
                                                               "Retail"]
    book = read_workbook(path, spec)
    assert book.lists["industry"] == ["Manufacturing", "Retail"]
    flagged = [f for f in validate(book, spec) if f.column == "industry"]
    assert [f.value for f in flagged] == ["Mining"] and "Mining" in flagged[0].message_en


def test_every_list_a_product_column_names_is_on_the_settings_sheet():
    settings = {t.name for t in SPEC.sheet("settings").tables}
    for sheet in SPEC.sheets:
        for table in sheet.tables:
            for column in table.columns:
                if column.list_source is not None:
                    assert column.list_source in SPEC.lists, (table.name, column.key)
                    assert column.list_source.table_name in settings, (table.name, column.key)


def test_the_readme_regenerator_rewrites_the_export_types_table_too():
    """A new column or KPI changes the README's table of each export's columns and
    parquet types: `python -m xlsales.export_docs README.md` regenerates it with the
    meanings (it was left stale, to be pasted by hand)."""
    from conftest import REPO

    from xlsales.export_docs import update_readme
    from xlsales.export_schema import schema_markdown

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sales_row = next(line for line in schema_markdown().splitlines()
                     if line.startswith("| `sales` |"))
    stale = readme.replace(sales_row, sales_row.replace("`note` string, ", ""))
    assert stale != readme
    assert update_readme(stale) == readme
