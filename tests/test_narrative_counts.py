"""The drafted summary paragraph writes its counts as its amounts: with thousands
separators (a region's year read 成交 1829 单 beside 赢单 1,829 个 and 39,535,192)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.workbook_data import WorkbookData


@pytest.mark.parametrize("lang, said", [("zh", "成交 1,200 单、1,200 个客户"),
                                        ("en", "1,200 deals with 1,200 customers")])
def test_a_years_paragraph_counts_deals_with_separators(tmp_path, lang: str, said: str):
    n = 1200
    sales = pd.DataFrame({
        "order_id": [f"O{i}" for i in range(n)],
        "date": [date(2026, 1, 1) + timedelta(days=i % 360) for i in range(n)],
        "rep": ["A"] * n, "customer": [f"C{i}" for i in range(n)],
        "stage": ["won"] * n, "amount": [1000.0] * n})
    book = tmp_path / "year.xlsx"
    build_workbook(book, team_options(lang, Period.parse("2026")),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": ["A"]}))
    result = CliRunner().invoke(main, ["kpis", str(book)])
    assert result.exit_code == 0, result.output
    assert said in result.output
