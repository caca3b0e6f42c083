"""A finance analyst mixing SGD and CNY books: each says its currency where amounts are.

A Chinese-language book kept in SGD (`xlsales new --lang zh --currency SGD`) showed
every amount of its KPI sheet and of its sales, targets and problems sheets as `¥…`:
read on the sheet, SGD looked like yuan. And `xlsales kpis --json` named no currency,
so a script pulling SGD and CNY books could not tell which numbers add up. Proved on
books built by the package, read back with openpyxl and through the CLI.
"""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import team_options
from openpyxl.utils.cell import range_boundaries

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import sample_workbook_data


def _book(folder: Path, lang: str, currency: str | None) -> Path:
    data = deepcopy(sample_workbook_data(lang))  # type: ignore[arg-type]
    if currency is not None:
        data.info["currency"] = currency
    path = folder / f"team_{lang}_{currency or 'none'}.xlsx"
    build_workbook(path, team_options(lang), data)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("finance_currency")
    return {"zh_sgd": _book(folder, "zh", "SGD"), "zh_none": _book(folder, "zh", None),
            "en_hkd": _book(folder, "en", "HKD")}


def _money_formats(path: Path) -> dict[str, str]:
    """The number format of the KPI sheet's revenue value and of the sales table's first
    amount cell."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        for name in ("KPIs", "Sales"):
            if name not in ws.tables:
                continue
            c1, r1, c2, _ = range_boundaries(ws.tables[name].ref)
            header = [c.value for c in ws[r1][c1 - 1:c2]]
            if name == "KPIs":
                row = next(r for r in range(r1 + 1, ws.max_row + 1)
                           if ws.cell(r, c1).value == "revenue")
                out[name] = ws.cell(row, c1 + 2).number_format
            else:
                col = header.index("金额" if "金额" in header else "Amount") + c1
                out[name] = ws.cell(r1 + 1, col).number_format
    return out


def test_a_zh_book_kept_in_sgd_shows_no_yuan_sign(books) -> None:
    formats = _money_formats(books["zh_sgd"])
    assert set(formats) == {"KPIs", "Sales"}
    for where, fmt in formats.items():
        assert "¥" not in fmt and "SGD" in fmt, (where, fmt)
    # a zh book naming no currency is in CNY, as `new` writes it: its ¥ stays
    assert set(_money_formats(books["zh_none"]).values()) == {"¥#,##0.00"}
    # an English book in HKD says HKD on its amounts
    assert all("HKD" in f for f in _money_formats(books["en_hkd"]).values())


def test_kpis_json_names_the_books_currency(books) -> None:
    for key, code in (("zh_sgd", "SGD"), ("zh_none", "CNY"), ("en_hkd", "HKD")):
        result = CliRunner().invoke(main, ["kpis", str(books[key]), "--json"])
        assert result.exit_code == 0, result.output
        payload = json.loads(result.stdout)
        assert payload["currency"] == code
        assert list(payload)[:4] == ["period", "start", "end", "currency"]
