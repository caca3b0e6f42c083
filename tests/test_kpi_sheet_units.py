"""The native KPI sheet's Unit column names a TWD, SGD or HKD book's currency for its
money KPIs (金额 / money said nothing of it, beside a KPI report and text saying TWD); a
yuan book's keeps its words, and no KPI's value changes (LibreOffice recalculates both)."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

import openpyxl
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values, table_rows

from xlsales.build.workbook import build_workbook
from xlsales.libreoffice import recalculate
from xlsales.sample import sample_workbook_data
from xlsales.spec import SPEC

MONEY = [k.key for k in SPEC.kpis if k.unit == "money"]
PERCENT = [k.key for k in SPEC.kpis if k.unit == "percent"]


def units(book: Path) -> dict[str, str]:
    """KPI key → what the KPI sheet's Unit column says."""
    return {r[0]: r[3] for r in table_rows(openpyxl.load_workbook(book), "KPIs")[1:]}


def book_in(currency: str | None, lang: str, folder: Path) -> Path:
    data = deepcopy(sample_workbook_data(lang))
    if currency is not None:
        data.info["currency"] = currency
    path = folder / f"{lang}_{currency or 'none'}.xlsx"
    build_workbook(path, team_options(lang), data)
    return path


def test_money_kpis_name_the_books_currency(tmp_path: Path) -> None:
    for currency, lang, shown in (("TWD", "zh", "TWD"), ("SGD", "en", "SGD"),
                                  ("港币", "zh", "HKD")):
        got = units(book_in(currency, lang, tmp_path))
        assert {got[k] for k in MONEY} == {shown}, (currency, lang)
        assert {got[k] for k in PERCENT} == {"%"}
        assert got["deals"] == ("个" if lang == "zh" else "count")
    for currency, lang, word in ((None, "zh", "金额"), ("CNY", "en", "money"),
                                 ("人民币", "zh", "金额")):
        got = units(book_in(currency, lang, tmp_path))
        assert {got[k] for k in MONEY} == {word}, (currency, lang)


def test_the_values_recalculated_are_those_of_a_yuan_book(tmp_path: Path) -> None:
    require_libreoffice()
    twd, cny = (openpyxl.load_workbook(recalculate(book_in(c, "zh", tmp_path), tmp_path / d),
                                       data_only=True) for c, d in (("TWD", "twd"), (None, "cny")))
    assert kpi_values(twd) == kpi_values(cny)
    assert kpi_values(twd)["revenue"]  # computed, not empty
