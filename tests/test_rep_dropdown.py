"""The rep drop-down of a book made with ``new --from`` last month's book no longer offers
a rep who left before the new period (离职日期 / Left on): new rows are never theirs. The
rep stays on the list — the history rows naming them validate as before — and a rep who
leaves during the period, or joins, is offered. Proved on the drop-downs' named range as
LibreOffice evaluates it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner
from conftest import require_libreoffice, team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.findings import Severity
from xlsales.io.reader import read_workbook
from xlsales.libreoffice import recalculate_many
from xlsales.sample import sample_workbook_data
from xlsales.validation import validate

LEAVER, LEFT = "杨帆", date(2026, 10, 15)  # leaves mid-October, the sample's period
JOINER, JOINED = "赵六", date(2026, 11, 16)  # joins mid-November, the next period


def _october(folder: Path) -> Path:
    """The sample team's October book with a leaver and a joiner on its roster, planned."""
    data = sample_workbook_data("zh")
    reps = [*data.lists["rep"], JOINER]
    data.lists["rep"] = reps
    data.tables["ListRep"] = pd.DataFrame({
        "value": reps, "joined": [JOINED if r == JOINER else None for r in reps],
        "left": [LEFT if r == LEAVER else None for r in reps]})
    path = folder / "october.xlsx"
    build_workbook(path, team_options("zh"), data)
    done = CliRunner().invoke(main, ["plan", str(path)])
    assert done.exit_code == 0, done.output
    return path


def _both(folder: Path) -> tuple[Path, Path]:
    """The October book and the next period's, made from it with ``new --from``."""
    october, november = _october(folder), folder / "november.xlsx"
    made = CliRunner().invoke(main, ["new", "--from", str(october), "-o", str(november)])
    assert made.exit_code == 0, made.output
    return october, november


def _offered(books: list[Path], folder: Path) -> list[dict[str, object]]:
    """For each book: how many reps its drop-down offers, the first, and whether it offers
    the leaver and the joiner — the named range ``list_rep`` the rep columns' data
    validation lists, evaluated by LibreOffice on a sheet added for the question."""
    probes = []
    for book in books:
        wb = openpyxl.load_workbook(book)
        ws = wb.create_sheet("probe")
        ws["A1"], ws["A2"] = "=ROWS(list_rep)", "=INDEX(list_rep,1)"
        ws["A3"], ws["A4"] = f'=COUNTIF(list_rep,"{LEAVER}")', f'=COUNTIF(list_rep,"{JOINER}")'
        probe = folder / f"probe_{book.name}"
        wb.save(probe)
        probes.append(probe)
    out = []
    for done in recalculate_many(probes, folder / "calc"):
        ws = openpyxl.load_workbook(done, data_only=True)["probe"]
        out.append({"count": ws["A1"].value, "first": ws["A2"].value,
                    "leaver": ws["A3"].value, "joiner": ws["A4"].value})
    return out


def test_a_rep_who_left_before_the_period_is_not_offered(tmp_path):
    require_libreoffice()
    october, november = _both(tmp_path)
    reps = list(read_workbook(november).frame("ListRep")["value"])
    assert LEAVER in reps  # still on the list, for the history rows naming them
    before, after = _offered([october, november], tmp_path)
    # October: 杨帆 leaves during it, still offered; November: gone from the drop-down
    assert (before["count"], before["leaver"], before["joiner"]) == (len(reps), 1, 1)
    assert (after["count"], after["leaver"], after["joiner"]) == (len(reps) - 1, 0, 1)
    assert after["first"] == next(r for r in reps if r != LEAVER)
    findings = validate(read_workbook(november))  # history rows of 杨帆: not flagged
    assert not [f for f in findings if f.severity is not Severity.INFO], findings[:3]


def _type_left(book: Path, rep: str, left: date, out: Path) -> Path:
    """``book`` with ``rep``'s 离职日期 typed on the rep list, as a manager types it."""
    from openpyxl.utils import range_boundaries

    from xlsales.spec import SPEC

    wb = openpyxl.load_workbook(book)
    ws, table = next((ws, ws.tables[name]) for ws in wb.worksheets for name in ws.tables
                     if name == "ListRep")
    c1, r1, c2, r2 = range_boundaries(table.ref)
    header = [ws.cell(r1, c).value for c in range(c1, c2 + 1)]
    left_col = c1 + header.index(SPEC.table("ListRep").column("left").label.zh)
    row = next(r for r in range(r1 + 1, r2 + 1) if ws.cell(r, c1).value == rep)
    ws.cell(row, left_col).value = left
    wb.save(out)
    return out


def test_a_leaving_date_typed_later_down_the_list_hides_no_other_rep(tmp_path):
    """The range skipped as many rows at the top as the list counted leavers anywhere: a
    leaving date typed later for a rep further down hid the first rep still on the team
    from the drop-down, whose check then refused their name in new rows."""
    require_libreoffice()
    _, november = _both(tmp_path)
    reps = list(read_workbook(november).frame("ListRep")["value"])
    staying = [r for r in reps if r != LEAVER]
    late = _type_left(november, staying[-2], date(2026, 10, 25), tmp_path / "late.xlsx")
    [after] = _offered([late], tmp_path)
    assert after["first"] == staying[0]  # the first rep on the team is still offered
    assert (after["count"], after["leaver"], after["joiner"]) == (len(staying), 0, 1)
