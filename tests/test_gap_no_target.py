"""A period with revenue and no revenue target has no gap to target: `kpis` showed the
gap as minus the revenue (-20,000 for a rep who sold 20,000 and set no target), in the
text, the JSON and the KPI sheet. It is empty now, with a note saying to fill in the
targets; the KPI sheet's native formulas (recalculated by LibreOffice) agree."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from sheet_values import kpi_values
from test_golden_libreoffice import assert_kpis_match

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import recalculate
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data

CSV = ("Order ID,Rep,Product,Amount,Stage,Date,Customer\n"
       "S-1,Bob,Standard,12000,Won,2026-11-03,Acme\n"
       "S-2,Bob,Standard,8000,Won,2026-11-05,Beta\n")


@pytest.fixture(scope="module")
def no_target_book(tmp_path_factory):
    """A rep's new book for 2026-11 with 20,000 won and no target set."""
    folder = tmp_path_factory.mktemp("gap")
    runner = CliRunner()
    book = folder / "rep.xlsx"
    made = runner.invoke(main, ["new", "--lang", "en", "--period", "2026-11", "-o", str(book)])
    assert made.exit_code == 0, made.output
    export = folder / "crm.csv"
    export.write_text(CSV, encoding="utf-8")
    done = runner.invoke(main, ["import", str(export), "--into", str(book)])
    assert done.exit_code == 0, done.output
    return book


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kpis_text_leaves_the_gap_empty_and_says_why(no_target_book, lang):
    out = CliRunner().invoke(main, ["kpis", str(no_target_book), "--lang", lang])
    assert out.exit_code == 0, out.output
    [gap] = [line for line in out.stdout.splitlines() if line.endswith("  gap")]
    assert "20,000" not in gap and gap.split()[-2] == "–", gap
    note = ("no revenue target (the Targets sheet sets none for its months), so the gap to "
            "target and attainment are left empty" if lang == "en" else
            "没有销售额目标（“目标”表中没有本期各月的目标），差距和目标完成率留空")
    assert note in out.stderr, out.stderr


def test_kpis_json_gives_no_gap(no_target_book):
    out = CliRunner().invoke(main, ["kpis", str(no_target_book), "--json"])
    data = json.loads(out.stdout)["kpis"]
    assert data["revenue"] == 20000 and data["target"] == 0
    assert data["gap"] is None and data["volume_effect"] is None


def test_a_book_with_a_target_keeps_its_gap_and_gets_no_note(tmp_path):
    """The note and the empty gap are for a period without a target only."""
    path = tmp_path / "sample.xlsx"
    build_workbook(path, team_options("en"), sample_workbook_data("en"))
    out = CliRunner().invoke(main, ["kpis", str(path), "--json"])
    data = json.loads(out.stdout)["kpis"]
    assert data["gap"] == pytest.approx(data["target"] - data["revenue"]) and data["gap"] > 0
    assert "no revenue target" not in out.stderr


def test_kpi_sheet_leaves_the_gap_empty_and_agrees_with_the_engine(tmp_path):
    """The sample team's October without its October targets, recalculated by
    LibreOffice: the KPI sheet's gap and volume effect are empty, as the engine's, and
    every other KPI still equals the engine's."""
    require_libreoffice()
    data = sample_workbook_data("en")
    targets = data.tables["Targets"]
    months = pd.to_datetime(targets["period"])
    data.tables["Targets"] = targets[months.dt.strftime("%Y-%m") != SAMPLE_PERIOD.label]
    path = tmp_path / "no_target.xlsx"
    build_workbook(path, team_options("en"), data)
    wb = openpyxl.load_workbook(recalculate(path, tmp_path / "out"), data_only=True)
    shown = kpi_values(wb)
    assert shown["revenue"] > 0 and shown["target"] == 0
    assert shown["gap"] is None and shown["volume_effect"] is None
    assert shown["mix_effect"] is not None  # the split's other parts need no target
    engine = compute_kpis(data.tables, SAMPLE_PERIOD).kpis
    assert engine["gap"] is None
    assert_kpis_match(shown, engine)


def test_a_roll_up_whose_members_set_no_target_has_no_gap():
    """Members with targets of 0: the whole has no gap (not minus its revenue), as each
    member's own KPIs have none; a target set gives the gap as before."""
    from xlsales.rollup_rank import whole_kpis

    members = [{"revenue": 12_000.0, "target": 0.0}, {"revenue": 8_000.0, "target": 0.0}]
    assert whole_kpis(members)["gap"] is None
    assert whole_kpis(members)["attainment"] is None
    members[0]["target"] = 30_000.0
    assert whole_kpis(members)["gap"] == 10_000.0
