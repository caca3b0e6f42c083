"""Traditional Chinese (Taiwan, Hong Kong): headers, choices and list entries written in
Traditional characters read as the spec's Simplified names; people's names and free text
stay as written.

The character table (:mod:`xlsales.spec.traditional`) is checked against an independent
converter, OpenCC (``opencc-python-reimplemented``, Apache-2.0, which roll-ups use too):
every zh name the spec matches what people type against, written in Traditional by
OpenCC, must read back as that name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import team_options
from opencc import OpenCC
from test_import import all_sales, run, write_csv
from test_package_append import blank_book
from test_validate import PERIOD, clean_sales
from traditional_books import convert_workbook

from xlsales.build.workbook import build_workbook
from xlsales.import_currency_column import currency_columns
from xlsales.importer import PLACEHOLDERS, map_columns
from xlsales.io.reader import read_workbook
from xlsales.spec import SPEC
from xlsales.spec.declarations import (
    CONVERTED_WORDS,
    CRM_HEADERS,
    CURRENCY_HEADERS,
    CURRENCY_WORDS,
    REGIONS,
)
from xlsales.spec.traditional import name_key, same_name, simplified, spec_words
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SALES = SPEC.table("Sales")
#: OpenCC's conversions by character and regional variant (Taiwan, Hong Kong), and
#: ``s2twp``, Taiwan phrases (Word's and Excel's choice), which also swaps words (資訊 for
#: 信息, 程式碼 for 代码): the phrase table of :mod:`xlsales.spec.traditional` takes them back.
CONFIGS = ("s2t", "s2tw", "s2hk", "s2twp")


def zh_names() -> set[str]:
    """Every zh name the spec matches what people type or CRMs export against: sheet
    names, column labels, choice labels and aliases, list names and built-in entries,
    what CRMs call the sales fields, and what exports put in an empty field."""
    names = {s.name.zh for s in SPEC.sheets}
    for sheet in SPEC.sheets:
        for table in sheet.tables:
            names |= {c.label.zh for c in (*table.columns, *table.form_fields)}
    for choices in SPEC.choice_sets:
        for c in choices.choices:
            names |= {c.label.zh, *c.aliases}
    for source in SPEC.lists:
        names |= {source.label.zh, *(d.zh for d in source.defaults),
                  *(c.label.zh for c in source.extra)}
    names |= {n for aliases in CRM_HEADERS.values() for n in aliases} | PLACEHOLDERS
    names |= {*CURRENCY_HEADERS, *CURRENCY_WORDS, *CONVERTED_WORDS}
    return {n for n in names if _HAN.search(n)}


@pytest.mark.parametrize("config", CONFIGS)
def test_every_zh_name_written_in_traditional_reads_as_that_name(config: str) -> None:
    """OpenCC writes each name in Traditional; the tables take it back, character for
    character and Taiwan word for word (a name with a character the table lacks fails
    here, naming the pair; one with a word the phrase table lacks, naming the word)."""
    convert = OpenCC(config).convert
    names = zh_names()
    written = {n: convert(n) for n in names}
    assert len(names) > 250 and sum(w != n for n, w in written.items()) > 150
    missing = {n: w for n, w in written.items() if spec_words(w) != spec_words(n)}
    pairs = sorted({t + s for n, w in missing.items() if len(w) == len(n)
                    for t, s in zip(w, n, strict=True) if simplified(t) != s})
    assert not missing, f"add to xlsales/spec/traditional.py: {' '.join(pairs)} ({missing})"
    assert [n for n in names if simplified(n) != n] == []  # the spec's names are Simplified
    # the phrase table changes no name but the Taiwan words CRMs export (机率, 建立日期),
    # and those into another name of the same field (概率, 创建日期)
    field_of = {n: k for k, aliases in CRM_HEADERS.items() for n in aliases}
    for name in (n for n in names if spec_words(n) != n):
        assert name in field_of and spec_words(name) in names, name
        assert name_key(name) in {name_key(n) for n in CRM_HEADERS[field_of[name]]} | {
            name_key(c.label.zh) for c in SALES.columns if c.key == field_of[name]}, name


def _name_groups() -> dict[str, list[list[str]]]:
    """The spec's names that one lookup tells apart, by where: the sheet names; each
    table's column and form labels (each column's zh and en label); each choice set's
    choices (label in either language and aliases); each list's entries; what CRMs call
    each sales field."""
    groups = {"sheets": [[s.name.zh, s.name.en] for s in SPEC.sheets]}
    for sheet in SPEC.sheets:
        for table in sheet.tables:
            groups[table.name] = [[c.label.zh, c.label.en]
                                  for c in (*table.columns, *table.form_fields)]
    for choices in SPEC.choice_sets:
        groups[choices.key] = [[c.label.zh, c.label.en, *c.aliases]
                               for c in choices.choices]
    for source in SPEC.lists:
        groups[source.key] = [[d.zh, d.en] for d in source.defaults]
    groups["CRM_HEADERS"] = [list(aliases) for aliases in CRM_HEADERS.values()]
    return groups


def test_no_two_spec_names_of_one_table_sheet_or_choice_set_share_a_key() -> None:
    """The phrase table (型別 as 类型, 建立 as 创建 …) makes no two names that one lookup
    tells apart compare equal: different columns of a table, choices of a set, entries
    of a list or sheets keep different keys."""
    for where, items in _name_groups().items():
        owner: dict[str, int] = {}
        for i, item in enumerate(items):
            for name in item:
                assert owner.setdefault(name_key(name), i) == i, (where, name, items[owner[
                    name_key(name)]])


@pytest.mark.parametrize("config", CONFIGS)
def test_sheets_renamed_in_traditional_are_found(config: str) -> None:
    """Excel's 简转繁 renames the sheets (基礎資訊, 設定 with Taiwan phrases): each spec
    sheet is found under its converted name, and only there."""
    convert = OpenCC(config).convert
    names = [convert(s.name.zh) for s in SPEC.sheets]
    for i, sheet in enumerate(SPEC.sheets):
        assert same_name(sheet.name.zh, names) == i, (sheet.name.zh, names)
    if config == "s2twp":
        assert {"基礎資訊", "設定"} <= set(names)


@pytest.mark.parametrize("config", CONFIGS)
def test_choices_headers_and_list_entries_in_traditional_take_the_specs_names(
        config: str) -> None:
    """Where they are used: a choice label or alias is its choice, a sales field's label
    or CRM header maps onto the field, a built-in list entry takes the name the list gives
    it (Simplified, or English in an English book)."""
    convert = OpenCC(config).convert
    for choices in SPEC.choice_sets:
        for c in choices.choices:
            for name in (c.label.zh, *c.aliases):
                assert choices.key_of(convert(name)) == c.key, (choices.key, name)
    for column in (c for c in SALES.columns if c.is_input):
        for name in (column.label.zh, *CRM_HEADERS.get(column.key, ())):
            if _HAN.search(name):
                header = convert(name)
                assert map_columns([header], SALES, {}) == {column.key: header}, name
    for name in (n for n in CURRENCY_HEADERS if _HAN.search(n)):  # 幣種, 貨幣, 幣別
        header = convert(name)
        assert currency_columns([header], {"amount": "金額"}) == {"amount": header}, name
    assert currency_columns([convert("成交金额币种"), convert("币种")],
                            {"amount": convert("成交金额")})["amount"] == convert("成交金额币种")
    for source in SPEC.lists:
        for d in source.defaults:
            typed = convert(d.zh)
            if typed != d.zh:
                assert source.listed_name(typed, {d.zh}, "zh") == d.zh
                assert source.listed_name(typed, {d.en}, "en") == d.en


def test_a_list_written_in_traditional_names_its_entries_so() -> None:
    """A team that wrote its region list in Traditional gets its own spelling for an
    entry typed in Simplified or English; a name the list does not hold stays None."""
    listed = {"華東", "華南"}
    assert REGIONS.listed_name("华东", listed, "zh") == "華東"
    assert REGIONS.listed_name("East", listed, "zh") == "華東"
    assert REGIONS.listed_name("華東", listed, "zh") is None  # listed as it is
    assert REGIONS.listed_name("華北", listed, "zh") is None  # not in this list
    assert REGIONS.listed_name("臺北", {"台北"}, "zh") is None  # a team's own entry


def test_a_traditional_export_imports_with_no_map(tmp_path: Path) -> None:
    """A Big5 export from a Taiwan CRM: every header maps on its own, choices, regions and
    products take the book's names, 無 in an optional field is empty; reps, customers and
    notes arrive as written."""
    header = ["訂單編號", "成交日期", "銷售代表", "客戶名稱", "客戶類型", "區域", "產品",
              "數量", "單價", "金額", "階段", "備註"]
    rows = [["TW-1", "2026/10/3", "陳大文", "臺北貿易有限公司", "新客戶", "華東", "專業版",
             "2", "6000", "12000", "贏單", "續約，電話聯絡"],
            ["TW-2", "2026/10/9", "陳大文", "高雄電子", "老客戶", "華南", "企業版",
             "無", "", "30000", "跟進", ""]]
    export = write_csv(tmp_path / "tw.csv", header, rows, encoding="big5")
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 2 行，跳过 0 行" in result.stdout, result.output
    assert "未使用的导入列" not in result.stdout
    got = all_sales(book)
    assert got["region"].tolist() == ["华东", "华南"]
    assert got["product"].tolist() == ["专业版", "企业版"]
    assert got["customer_type"].tolist() == ["new", "existing"]
    assert got["stage"].tolist() == ["won", "follow_up"]
    assert got["rep"].tolist() == ["陳大文", "陳大文"]
    assert got["customer"].tolist() == ["臺北貿易有限公司", "高雄電子"]
    assert got["note"].tolist()[0] == "續約，電話聯絡"
    assert got["quantity"].isna().tolist() == [False, True]
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    assert run(export, "--into", english).exit_code == 0
    assert all_sales(english)["region"].tolist() == ["East", "South"]


def test_a_region_typed_in_traditional_reads_as_the_list_names_it(tmp_path: Path) -> None:
    """華東 typed in a book listing 华东 reads (and counts by region) as 华东, an info
    finding, not a not_in_list error; a rep's name typed in Traditional is not rewritten."""
    rows = clean_sales(3)
    rows[0].update(region="華東", product="專業版")
    rows[1].update(region="华东", rep="陳大文")
    data = WorkbookData(info={"owner": "Team"}, tables={"Sales": pd.DataFrame(rows)},
                        lists={"rep": ["A", "B", "陈大文"], "region": ["华东", "华南"],
                               "product": ["标准版", "专业版"]})
    path = tmp_path / "typed.xlsx"
    build_workbook(path, replace(team_options("zh"), period=PERIOD), data)
    book = read_workbook(path)
    sales = book.frame("Sales")
    assert sales["region"].tolist()[:2] == ["华东", "华东"]
    assert sales["product"].tolist()[0] == "专业版"
    assert sales["rep"].tolist()[1] == "陳大文"
    findings = validate(book)
    assert [f for f in findings if f.rule == "not_in_list"] == []
    assert {(f.column, f.value) for f in findings if f.rule == "converted"} >= {
        ("region", "華東"), ("product", "專業版")}
    assert any(f.rule == "unknown_rep" and f.value == "陳大文" for f in findings)


def test_map_names_fields_and_columns_in_either_script() -> None:
    """``--map 金額=Amt`` names the amount field; ``--map amount=金额`` finds the export's
    ``金額`` column."""
    assert map_columns(["Amt"], SALES, {"金額": "Amt"}) == {"amount": "Amt"}
    assert map_columns(["金額"], SALES, {"amount": "金额"}) == {"amount": "金額"}


@pytest.mark.parametrize("config", ["s2t", "s2twp"])
def test_a_workbook_converted_to_traditional_reads_validates_and_plans(
        sample_books, tmp_path: Path, config: str) -> None:
    """A team in Taiwan converts the whole zh workbook to Traditional: its headers,
    form labels and choices are read as the spec's (it was 26 missing columns and no
    period; with Taiwan phrases 基礎資訊, 設定 and 客戶型別 as well), the KPIs are the
    original's, and the plan finds its own sheets under their
    Traditional names: it refuses to overwrite them unasked (the conversion edited them),
    and --replace writes one set of plan sheets, not a second beside them."""
    from click.testing import CliRunner

    from xlsales.cli import main
    from xlsales.kpis import compute_kpis

    runner = CliRunner()
    planned, book = tmp_path / "planned.xlsx", tmp_path / "taiwan.xlsx"
    assert runner.invoke(main, ["plan", str(sample_books["zh"]), "-o", str(planned)]
                         ).exit_code == 0
    convert_workbook(planned, book, config)
    converted = read_workbook(book)
    assert converted.period is not None and converted.lang == "zh"
    assert not [f for f in validate(converted) if f.severity.value == "error"]
    original = read_workbook(sample_books["zh"])
    kpis = [compute_kpis({n: t.frame for n, t in b.tables.items()}, b.period).kpis
            for b in (original, converted)]
    assert converted.period == original.period
    assert kpis[1] == kpis[0]
    refused = runner.invoke(main, ["plan", str(book)])
    assert refused.exit_code == 2 and OpenCC(config).convert("计划-目标") in refused.output
    replaced = runner.invoke(main, ["plan", str(book), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    names = read_workbook(book).layout.sheets
    plan_sheets = [s.name for s in names if spec_words(s.name).startswith("计划-")]
    assert len(plan_sheets) == 4, plan_sheets


@pytest.mark.parametrize("name", ["Validation ", "ＶＡＬＩＤＡＴＩＯＮ"])
def test_a_users_sheet_named_like_xlsales_own_but_for_spaces_or_width_is_kept(
        sample_books, tmp_path: Path, name: str) -> None:
    """Sheets are found under Traditional names, nothing else: a sheet of the user's
    named 'Validation ' (a trailing space) or in full-width letters is not taken for the
    validation sheet and replaced."""
    import openpyxl
    from click.testing import CliRunner

    from xlsales.cli import main

    book = tmp_path / "own.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    wb.create_sheet(name)["A1"] = "my notes"
    wb.save(book)
    assert CliRunner().invoke(main, ["validate", str(book), "--write"]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    assert {"Validation", name} <= set(wb.sheetnames)
    assert wb[name]["A1"].value == "my notes"
