"""Finance stacks each month's export: a book's history must not count twice.

A book holds its history — the sample's sales go back 18 months, and `new --from` carries
them into next month's book — so October's and November's exports of one team share
every row up to October. Summed after `pd.concat`, the won amounts counted October (and
the months before) twice, and nothing in the files said which rows are the month's own.
`in_report_period` says it, as the KPIs count a row: on a team's October book and its
November book (the same history, one month on), built by the package and exported
through the CLI.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from conftest import team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.periods import Period
from xlsales.sample import sample_workbook_data

NOVEMBER = Period.parse("2026-11")


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> Path:
    """Two months' exports (csv and parquet) of one team: October, then November's book
    holding October's rows as history and November's own sales."""
    folder = tmp_path_factory.mktemp("stack")
    data = sample_workbook_data("en")
    october = folder / "oct" / "team.xlsx"
    october.parent.mkdir()
    build_workbook(october, team_options("en"), data)
    later = deepcopy(data)
    later.info["period_start"] = NOVEMBER.start
    sales = later.tables["Sales"]
    new = sales[sales["date"].map(lambda d: d >= date(2026, 10, 1))].copy()
    new["order_id"] = new["order_id"].str.replace("SO", "NOV", regex=False)
    new["date"] = new["date"].map(lambda d: d.replace(month=11) if d.day <= 30 else
                                  d.replace(month=11, day=30))
    later.tables["Sales"] = pd.concat([sales, new], ignore_index=True)
    targets = later.tables["Targets"]
    nov_targets = targets[targets["period"] == date(2026, 10, 1)].assign(
        period=date(2026, 11, 1))
    later.tables["Targets"] = pd.concat([targets, nov_targets], ignore_index=True)
    november = folder / "nov" / "team.xlsx"
    november.parent.mkdir()
    build_workbook(november, team_options("en", NOVEMBER), later)
    for book in (october, november):
        for fmt in ("csv", "parquet"):
            result = CliRunner().invoke(main, [
                "export", str(book), "--tables", "kpis,sales,targets,activities",
                "--format", fmt, "-o", str(book.parent / fmt)])
            assert result.exit_code == 0, result.output
    return folder


def _stacked(folder: Path, fmt: str, table: str) -> pd.DataFrame:
    read = (lambda p: pq.read_table(p).to_pandas()) if fmt == "parquet" else pd.read_csv
    return pd.concat([read(folder / m / fmt / f"{table}.{fmt}") for m in ("oct", "nov")],
                     ignore_index=True)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_two_months_stack_without_counting_history_twice(months, fmt) -> None:
    kpis = _stacked(months, fmt, "kpis").set_index("report_period")
    sales = _stacked(months, fmt, "sales")
    # the history is in both files: summing every row counts it twice
    assert sales.duplicated(["order_id"]).sum() > 1000
    own = sales[sales["in_report_period"] == "yes"]
    assert not own.duplicated(["order_id"]).any()  # each order once, in its month
    won = own[own["stage"] == "won"].groupby("report_period")["amount"].sum()
    assert won.to_dict() == pytest.approx(kpis["revenue"].to_dict())
    targets = _stacked(months, fmt, "targets")
    month_targets = targets[targets["in_report_period"] == "yes"]
    assert month_targets.groupby("report_period")["revenue_target"].sum().to_dict() == \
        pytest.approx(kpis["target"].to_dict())
    assert set(sales["in_report_period"]) == {"yes", "no"}
    activities = _stacked(months, fmt, "activities")
    assert set(activities["in_report_period"]) == {"yes", "no"}
    # the flag sits before member and the members below, the last columns of every table
    # a roll-up's rows are in
    assert list(sales.columns[-3:]) == ["in_report_period", "member", "member_within"]
