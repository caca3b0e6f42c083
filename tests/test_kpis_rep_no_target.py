"""A rep without a target row in the period has no target: `kpis --by rep` showed a target
of 0.00 beside an empty attainment (text, JSON, the KPI report's rep ranking, the export's
`kpis_by_rep`). The target is empty / null now; the reps' targets, empty ones counting as
nothing, still add up to the whole's; the whole keeps the KPI sheet's target."""

from __future__ import annotations

import csv
import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import team_options
from sheet_values import table_rows

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data

#: The sample rep whose targets of the sample period are taken out.
UNSET = "Frank Yang"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The sample team's October, one rep's October target rows removed (his sales kept)."""
    data = sample_workbook_data("en")
    targets = data.tables["Targets"]
    months = pd.to_datetime(targets["period"]).dt.strftime("%Y-%m")
    data.tables["Targets"] = targets[~((targets["rep"] == UNSET)
                                       & (months == SAMPLE_PERIOD.label))]
    path = tmp_path_factory.mktemp("rep_no_target") / "team.xlsx"
    build_workbook(path, team_options("en"), data)
    return path


def _json(book, *args):
    out = CliRunner().invoke(main, ["kpis", str(book), "--json", *args])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_json_gives_no_target_for_the_rep_and_the_others_add_up(book):
    data = _json(book, "--by", "rep")
    rep = data["by"][UNSET]
    assert rep["revenue"] > 0
    assert rep["target"] is None and rep["attainment"] is None and rep["gap"] is None
    others = [v["target"] for g, v in data["by"].items() if g != UNSET]
    assert all(t and t > 0 for t in others)
    assert sum(others) == pytest.approx(data["kpis"]["target"])  # empty counts as nothing


def test_text_shows_no_target_for_the_rep(book):
    out = CliRunner().invoke(main, ["kpis", str(book), "--by", "rep", "--lang", "en"])
    assert out.exit_code == 0, out.output
    [line] = [row for row in out.stdout.splitlines() if row.startswith(UNSET)]
    _revenue, target, attainment = line[len(UNSET):].split()[:3]
    assert target == "–" and attainment == "–", line


def test_kpi_report_ranking_leaves_the_target_cell_empty(book, tmp_path):
    copy = tmp_path / book.name
    copy.write_bytes(book.read_bytes())
    out = CliRunner().invoke(main, ["kpis", str(copy), "--write"])
    assert out.exit_code == 0, out.output
    ranking = table_rows(openpyxl.load_workbook(copy), "KpiReportReps")[1:]
    targets = {row[1]: row[3] for row in ranking}
    assert targets[UNSET] is None
    assert all(isinstance(t, int | float) and t > 0 for r, t in targets.items() if r != UNSET)


def test_export_kpis_by_rep_leaves_the_target_empty(book, tmp_path):
    out = CliRunner().invoke(main, ["export", str(book), "--tables", "kpis,kpis_by_rep",
                                    "-o", str(tmp_path)])
    assert out.exit_code == 0, out.output
    with open(tmp_path / "kpis_by_rep.csv", encoding="utf-8-sig") as f:
        rows = {r["rep"]: r for r in csv.DictReader(f)}
    with open(tmp_path / "kpis.csv", encoding="utf-8-sig") as f:
        [whole] = list(csv.DictReader(f))
    assert rows[UNSET]["target"] == "" and rows[UNSET]["attainment"] == ""
    assert sum(float(r["target"] or 0) for r in rows.values()) == pytest.approx(
        float(whole["target"]))


@pytest.mark.parametrize(("lang", "said"), [
    ("en", f"note: {UNSET} has no revenue target in {SAMPLE_PERIOD.label} (no row of theirs "
           "on the Targets sheet"),
    ("zh", f"注意：{UNSET} 在 {SAMPLE_PERIOD.label} 没有销售额目标（“目标”表中没有其本期各月的"
           "目标行）"),
])
def test_stderr_names_the_rep_without_a_target(book, lang, said):
    """Which rep to give a target to: named on stderr, in the language asked for; the
    reps with one are not."""
    out = CliRunner().invoke(main, ["kpis", str(book), "--by", "rep", "--lang", lang])
    assert said in out.stderr, out.stderr
    assert "Alice Chen" not in out.stderr
    whole = CliRunner().invoke(main, ["kpis", str(book), "--lang", lang])
    assert UNSET not in whole.stderr  # not broken down: nothing to say of a rep
