"""A value missing from a settings list names the listed value it was most likely meant
to be (a rep typed the category ``Collections`` where the list has ``Collection``, was
told only that it is not listed, and her plan put "[To complete]" on the action)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sheet_values import table_rows
from traditional_books import convert_workbook

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.validation import validate
from xlsales.validation.list_hint import closest_listed

CATEGORY = "G"  # the Category column of the Problems table, first data row 5


def new_book(tmp_path: Path, lang: str, categories: list[str], name: str = "") -> Path:
    """A book as `xlsales new` makes it, with one problem per category typed in."""
    made = tmp_path / f"new_{lang}.xlsx"
    if not made.exists():
        result = CliRunner().invoke(main, ["new", "--lang", lang, "--period", "2026-10",
                                           "-o", str(made)])
        assert result.exit_code == 0, result.output
    book = tmp_path / (name or f"typed_{lang}.xlsx")
    wb = openpyxl.load_workbook(made)
    ws = wb.worksheets[5]  # Problems / 问题与挑战
    for i, category in enumerate(categories):
        ws[f"A{5 + i}"], ws[f"B{5 + i}"] = f"P{i + 1}", "Slow payment"
        ws[f"{CATEGORY}{5 + i}"] = category
    wb.save(book)
    return book


def listed_findings(book: Path) -> list:
    return [f for f in validate(read_workbook(book)) if f.rule == "not_in_list"]


def test_a_near_miss_names_the_listed_value_an_unrelated_one_does_not(tmp_path):
    book = new_book(tmp_path, "en", ["Collections", "Late payers"])
    near, far = listed_findings(book)
    assert (near.cell, near.value) == ("G5", "Collections")
    assert near.message_en.startswith(
        "'Category' 'Collections' (did you mean 'Collection'?) is not in the list on the "
        "Settings sheet (listed: "), near.message_en
    assert "请选择列表中的值（是否想写 “Collection”？），或把它加入列表。" in near.message_zh
    assert (far.cell, far.value) == ("G6", "Late payers")
    assert "did you mean" not in far.message_en and "是否想写" not in far.message_zh


def test_cli_text_json_and_the_validation_sheet_show_the_hint(tmp_path):
    book = new_book(tmp_path, "en", ["Collections"])
    runner = CliRunner()
    text = runner.invoke(main, ["validate", str(book), "--lang", "en"]).output
    assert "'Collections' (did you mean 'Collection'?)" in text, text
    payload = json.loads(runner.invoke(main, ["validate", str(book), "--json"]).output)
    [f] = [f for f in payload["findings"] if f["rule"] == "not_in_list"]
    assert "(did you mean 'Collection'?)" in f["message_en"]
    assert "（是否想写 “Collection”？）" in f["message_zh"]
    written = shutil.copy(book, tmp_path / "written.xlsx")
    runner.invoke(main, ["validate", str(written), "--write"])
    rows = table_rows(openpyxl.load_workbook(written), "Validation")[1:]
    assert any("(did you mean 'Collection'?)" in str(c) for r in rows for c in r), rows


def test_a_chinese_value_a_character_off_names_the_listed_one(tmp_path):
    [f] = listed_findings(new_book(tmp_path, "zh", ["回款慢"]))
    assert "请选择列表中的值（是否想写 “回款”？），或把它加入列表。" in f.message_zh, f.message_zh


@pytest.mark.parametrize(("typed", "meant"), [
    ("回款慢", "回款太慢"), (" collection ", "Collection"), ("COLLECTIONS", "Collection"),
    ("迴款太慢", "回款太慢"), ("華東區", "华东区"), ("East", None), ("政策", None),
    ("Customer", None)])
def test_closest_listed_folds_case_spaces_and_script(typed, meant):
    listed = ["回款太慢", "Collection", "华东区", "华南区", "West", "Customer churn"]
    assert closest_listed(typed, listed) == meant


def test_a_traditional_book_gets_its_hint_in_traditional(tmp_path):
    source = new_book(tmp_path, "zh", [])
    book = tmp_path / "tw.xlsx"
    convert_workbook(source, book, "s2twp")
    wb = openpyxl.load_workbook(book)
    wb.worksheets[5]["A5"], wb.worksheets[5]["B5"] = "P1", "x"
    wb.worksheets[5]["G5"] = "內部資源問題"
    wb.save(book)
    [f] = listed_findings(book)
    assert "（是否想写 “內部資源”？）" in f.message_zh  # the entry as the list writes it
    text = CliRunner().invoke(main, ["validate", str(book)]).output
    assert "請選擇列表中的值（是否想寫 “內部資源”？），或把它加入列表。" in text, text


@pytest.mark.parametrize(("lang", "typed", "meant"), [("en", "Wonn", "Won"),
                                                       ("en", "Propsal", "Proposal"),
                                                       ("zh", "赢单了", "赢单")])
def test_a_mistyped_choice_names_the_choice_it_was_meant_to_be(tmp_path, lang, typed, meant):
    """A stage typed ``Wonn`` was told only the five allowed stages; it now says which one
    it most likely meant, as a value missing from a settings list does. A stage far from
    every choice (``maybe``) is told no guess."""
    from table_edits import typed_sales

    book = typed_sales(tmp_path, lang, {"K": [typed, "maybe"]})
    stage = {f.cell: f for f in validate(read_workbook(book))
             if f.rule == "not_allowed" and f.column == "stage"}
    assert set(stage) == {"K5", "K6"}
    assert f" is not (did you mean {meant!r}?)." in stage["K5"].message_en
    assert f"（是否想写 “{meant}”？）" in stage["K5"].message_zh
    assert "did you mean" not in stage["K6"].message_en
    assert "是否想写" not in stage["K6"].message_zh
