"""The export of a company whose region 华东南 holds two people called 张伟 (东一组's and
南二组's: :mod:`test_rollup_company_namesakes`). Every row of the region names 华东南 in
``member``: ``kpis_by_rep`` told the two apart, but the ``sales`` and ``targets`` rows of
both were (华东南, 张伟) — two targets for one month, one person's sales to finance. The
rows keep the roll-up's members below (``member_within``), so each 张伟's rows are his,
and add up to his ``kpis_by_rep`` row."""

from __future__ import annotations

import pandas as pd
import pytest
from test_rollup_company_namesakes import (  # noqa: F401 - the fixtures
    REGION,
    REP,
    TEAM,
    _invoke,
    books,
    company,
)

from xlsales.export_schema import export_columns

TABLES = ("sales", "targets", "activities", "problems", "lessons")
CHAIN = " › "


@pytest.fixture(scope="module")
def exported(company, tmp_path_factory):  # noqa: F811 - the fixture imported above
    """The company's sales, targets and kpis_by_rep in each format, read back."""
    root = tmp_path_factory.mktemp("export")
    out = {}
    for fmt in ("csv", "parquet", "xlsx"):
        made = _invoke("export", company["company"], "-o", root / fmt, "--format", fmt,
                       "--tables", ",".join(("kpis_by_rep", *TABLES)))
        assert made.exit_code == 0, made.output
        read = {"csv": lambda p: pd.read_csv(p, dtype={"member_within": str}),
                "parquet": pd.read_parquet,
                "xlsx": lambda p: pd.read_excel(p, sheet_name=0, engine="openpyxl")}[fmt]
        out[fmt] = {t: read(root / fmt / f"{t}.{fmt}") for t in ("kpis_by_rep", *TABLES)}
    return out


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_the_region_s_two_namesakes_rows_are_apart(exported, fmt):
    """A target month of each 张伟 of 华东南 is one row per person: (member,
    member_within, rep, period) is unique, and the two have other members below."""
    targets = exported[fmt]["targets"]
    assert list(targets.columns) == export_columns("targets")
    keys = ["member", "member_within", "rep", "period"]
    assert not targets.duplicated(keys).any(), targets[targets.duplicated(keys, keep=False)]
    mine = targets[(targets["member"] == REGION) & (targets["rep"] == REP)]
    assert set(mine["member_within"]) == {f"{TEAM}{CHAIN}{REP}", REP}


def _his(frame: pd.DataFrame, rep: str, head: list[str]) -> pd.Series:
    """The rows of ``frame`` of ``rep`` whose chain of members (member, then the members
    below) begins with ``head``."""
    chain = (frame["member"] + CHAIN + frame["member_within"]).str.split(CHAIN)
    return frame["rep"].eq(rep) & chain.map(lambda c: c[:len(head)] == head)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_each_namesake_s_rows_add_up_to_his_kpis_by_rep_row(exported, fmt):
    """Keyed by member, member_within and rep, each person's won sales and targets of
    the period add up to his kpis_by_rep row (its member: member › as many members
    below as tell the namesakes apart)."""
    tables = exported[fmt]
    sales, targets, by_rep = tables["sales"], tables["targets"], tables["kpis_by_rep"]
    for frame in (sales, targets):
        assert frame["member_within"].notna().all()  # every row of the company's is below
    won = sales[sales["in_report_period"].eq("yes") & sales["stage"].eq("won")]
    due = targets[targets["in_report_period"].eq("yes")]
    for row in by_rep.itertuples():
        head = str(row.member).split(CHAIN)
        assert won.loc[_his(won, row.rep, head), "amount"].sum() == pytest.approx(
            row.revenue), row
        assert due.loc[_his(due, row.rep, head), "revenue_target"].sum() == pytest.approx(
            row.target), row

def test_a_rep_s_book_and_a_team_keep_the_column_empty(company, tmp_path):  # noqa: F811
    """A book whose members are no roll-ups, and a rep's own, have the column too,
    empty: the months and levels stack."""
    for book in (company["own"], company["north"].with_name("北一组.xlsx")):
        made = _invoke("export", book, "-o", tmp_path / book.stem, "--tables", "sales")
        assert made.exit_code == 0, made.output
        sales = pd.read_csv(tmp_path / book.stem / "sales.csv")
        assert list(sales.columns) == export_columns("sales")
        assert sales["member_within"].isna().all()
