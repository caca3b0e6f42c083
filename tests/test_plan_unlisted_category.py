"""A flagged problem whose category the settings list lacks (a typo, ``Late payers``)
got "[To complete] Define the action for 'Slow payment'" and "No playbook entry for this
category", never saying which category or what to do. Its category is carried into the
action now, with what to correct (and the listed one it may be meant for), and the
plan's notes say so; the Why gives the impact amount in the book's currency."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sheet_values import table_rows

from xlsales.cli import main
from xlsales.spec import SPEC


def flagged_book(tmp_path: Path, lang: str, problems: list[tuple[str, str, float]],
                 currency: str | None = None) -> Path:
    """A book `xlsales new` makes for 2026-10, with ``problems`` (description, category,
    impact amount) typed on the Problems sheet, controllable and carried into the plan."""
    made = tmp_path / f"new_{lang}_{currency}.xlsx"
    args = ["new", "--lang", lang, "--period", "2026-10", "-o", str(made)]
    result = CliRunner().invoke(main, args + (["--currency", currency] if currency else []))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(made)
    ws = wb.worksheets[5]  # Problems / 问题与挑战, header on row 4
    yes, control = ("是", "可控") if lang == "zh" else ("Yes", "Controllable")
    for i, (description, category, amount) in enumerate(problems):
        row = 5 + i
        ws[f"A{row}"], ws[f"B{row}"], ws[f"E{row}"] = f"P{i + 1}", description, amount
        ws[f"G{row}"], ws[f"H{row}"], ws[f"J{row}"] = category, control, yes
        ws[f"K{row}"] = "Bob"
    book = tmp_path / f"typed_{lang}_{currency}.xlsx"
    wb.save(book)
    return book


def planned(book: Path) -> tuple[str, list[dict[str, object]]]:
    """The plan's report, and its actions by field key (what, why, how …)."""
    out = book.with_name("planned_" + book.name)
    result = CliRunner().invoke(main, ["plan", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = table_rows(openpyxl.load_workbook(out), "PlanActions")
    table = SPEC.table("PlanActions")
    keys = {c.label.get(lang): c.key for c in table.columns for lang in ("zh", "en")}
    return result.stdout, [{keys[h]: v for h, v in zip(rows[0], r, strict=True)}
                           for r in rows[1:]]


def test_an_unlisted_category_is_carried_over_with_what_to_do_en(tmp_path):
    book = flagged_book(tmp_path, "en", [("Slow payment", "Collections", 20000),
                                         ("Odd issue", "Late payers", 5000)])
    report, actions = planned(book)
    near, far = actions
    assert near["what"] == ("[To complete] Define the action for 'Slow payment' "
                            "(category 'Collections')")
    assert near["how"].startswith("Category 'Collections' is not in the problem category "
                                  "list on the Settings sheet")
    assert "choose a listed category (did you mean 'Collection'?) on the Problems sheet" \
        in near["how"]
    assert "(category 'Late payers')" in far["what"] and "did you mean" not in far["how"]
    assert ("note: P1: category 'Collections' is not in the problem category list on the "
            "Settings sheet (did you mean 'Collection'?)") in report, report
    assert "note: P2: category 'Late payers'" in report


def test_an_unlisted_category_is_carried_over_with_what_to_do_zh(tmp_path):
    book = flagged_book(tmp_path, "zh", [("回款慢", "回款慢", 20000)])
    report, [action] = planned(book)
    assert action["what"] == "【待完善】针对“回款慢”（类别“回款慢”）制定措施"
    assert "类别“回款慢”不在“设置”表的问题类别列表中" in action["how"]
    assert "改为列表中的类别（是否想写 “回款”？）后重新生成计划" in action["how"]
    assert "注意：P1 的类别“回款慢”不在“设置”表的问题类别列表中（是否想写 “回款”？）" in report


def test_a_listed_category_gets_the_playbook_and_no_note(tmp_path):
    book = flagged_book(tmp_path, "en", [("Slow payment", "Collection", 20000)])
    report, actions = planned(book)
    assert actions and not any(str(a["what"]).startswith("[To complete]") for a in actions)
    assert "problem category list" not in report


@pytest.mark.parametrize(("lang", "currency", "said"), [
    ("en", None, "P1 Slow payment; impact CNY 20,000"),
    ("en", "SGD", "P1 Slow payment; impact SGD 20,000"),
    ("zh", None, "P1 Slow payment，影响 20,000 元"),
    ("zh", "USD", "P1 Slow payment，影响 20,000 USD"),
])
def test_the_why_gives_the_impact_in_the_books_currency(tmp_path, lang, currency, said):
    category = "回款" if lang == "zh" else "Collection"
    book = flagged_book(tmp_path, lang, [("Slow payment", category, 20000)], currency)
    _, actions = planned(book)
    assert {a["why"] for a in actions} == {said}
