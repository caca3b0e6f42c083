"""``kpis --by region`` / ``--by product``: region and product may be left empty, and the
rows without one were in no group, so a finance analyst adding up the regions' revenue
found less than the whole (150 sold, the one region listed 100). They are a group of
their own now — keyed "" in JSON, 未填 / (none) in the text — and the groups add up."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.workbook_data import BuildOptions, WorkbookData

QUARTER = Period.parse("2026-Q3")


def tables() -> dict[str, pd.DataFrame]:
    """2026-Q3 sells 100 in East (Standard) and 50 with no region nor product, 30 of it
    to a customer also won last quarter with no region; a 40 lead has none either."""
    sales = pd.DataFrame([
        ("S1", date(2026, 7, 3), "Li", "East", "Acme", "Standard", 2.0, 100.0, "won"),
        ("S2", date(2026, 8, 9), "Li", None, "Beta", None, 1.0, 20.0, "won"),
        ("S3", date(2026, 9, 9), "Wu", None, "Gamma", None, 1.0, 30.0, "won"),
        ("S4", date(2026, 5, 9), "Wu", None, "Gamma", None, 1.0, 25.0, "won"),
        ("S5", date(2026, 9, 20), "Wu", None, "Delta", None, None, 40.0, "lead"),
    ], columns=["order_id", "date", "rep", "region", "customer", "product", "quantity",
                "amount", "stage"])
    targets = pd.DataFrame({"period": [date(2026, 7, 1)], "rep": ["Li"],
                            "revenue_target": [200.0]})
    return {"Sales": sales, "Targets": targets}


@pytest.mark.parametrize("by", ["region", "product"])
def test_rows_without_a_value_are_a_group_and_the_groups_add_up(by):
    result = compute_kpis(tables(), QUARTER, by=by)
    assert set(result.groups) == {"East" if by == "region" else "Standard", ""}
    blank = result.groups[""]
    assert blank["revenue"] == 50.0 and blank["deals"] == 2 and blank["customers"] == 2
    assert blank["retained_customers"] == 1 and blank["open_pipeline"] == 40.0
    assert blank["target"] is None  # targets name no region: not split, as any group
    for key in ("revenue", "deals", "quantity_won", "open_pipeline", "pipeline_created"):
        assert sum(g[key] for g in result.groups.values()) == result.kpis[key], key


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "q3.xlsx"
    build_workbook(path, BuildOptions(lang="en", period=QUARTER, level="team",
                                      role="manager", owner="T"), WorkbookData(tables=tables()))
    return path


def test_json_keys_the_rows_without_a_region_by_an_empty_name(book):
    out = CliRunner().invoke(main, ["kpis", str(book), "--by", "region", "--json"])
    assert out.exit_code == 0, out.output
    by = json.loads(out.stdout)["by"]
    assert by[""]["revenue"] == 50 and by["East"]["revenue"] == 100


@pytest.mark.parametrize(("lang", "word"), [("en", "(none)"), ("zh", "（未填）")])
def test_text_names_the_group_in_the_books_language(book, lang, word):
    out = CliRunner().invoke(main, ["kpis", str(book), "--by", "product", "--lang", lang])
    assert out.exit_code == 0, out.output
    [line] = [ln for ln in out.stdout.splitlines() if ln.startswith(word)]
    assert line.split()[1] == "50.00", line
