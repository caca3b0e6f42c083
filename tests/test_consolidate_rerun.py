"""A manager re-runs the roll-up every week onto the same ``-o team.xlsx`` (``--force``):
the report says what changed since the roll-up it replaces (a book new, one gone, one
rolled up again after a fix, revenue moved), and what the manager typed into the earlier
roll-up (plan notes, a lesson of the team's own, an edited KPI summary) is copied aside
before it is replaced, never lost without a word."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.consolidate import consolidate, report_lines
from xlsales.rollup_result import Rollup
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.workbook_data import BuildOptions


@pytest.fixture(scope="module")
def reps(tmp_path_factory) -> list[Path]:
    """Four reps' English workbooks of the sample period, in a folder of their own."""
    folder = tmp_path_factory.mktemp("rerun_reps")
    paths = []
    for rep, data in list(sample_members("en").items())[:4]:
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), data)
        paths.append(path)
    return paths


def _folder(tmp_path: Path, paths: list[Path]) -> Path:
    """A members' folder ``team`` holding copies of ``paths``."""
    team = tmp_path / "team"
    team.mkdir()
    for p in paths:
        shutil.copy2(p, team / p.name)
    return team


def _roll(paths: list[Path], out: Path, force: bool = False) -> tuple[Rollup, list[str]]:
    rollup = consolidate(paths, out, "team", "West", force=force, workers=1,
                         progress=lambda _: None)
    return rollup, report_lines(rollup, out)


def _revenue(rollup: Rollup, file: str) -> float:
    ranking = rollup.ranking.set_index("file")
    return float(ranking.loc[file, "revenue"])


def test_rerun_says_which_books_came_and_went_and_whose_revenue_moved(reps, tmp_path):
    team = _folder(tmp_path, reps[:3])
    out = tmp_path / "team.xlsx"
    week1, _ = _roll([team], out)
    gone, new = reps[2].name, reps[3].name
    (team / gone).unlink()  # a rep left: the book is out of the folder
    shutil.copy2(reps[3], team / new)  # another joined
    week2, lines = _roll([team], out, force=True)
    text = "\n".join(lines)
    assert "since the earlier team.xlsx:" in text
    assert f"new: {new} (" in text
    left = f"no longer among the workbooks given: {gone} ("
    assert left in text
    # the leaver's revenue as the earlier roll-up had it, so the drop is explained
    line = next(x for x in lines if left in x)
    assert f"revenue {_revenue(week1, gone):,.0f} before" in line
    old, now = week1.whole["revenue"], week2.whole["revenue"]
    assert f"whole revenue {old:,.0f} → {now:,.0f}" in text
    # the same members again: nothing changed, and it says so
    _, again = _roll([team], out, force=True)
    assert "    the same members and revenue" in again


def test_rerun_in_chinese_names_the_change_in_chinese(tmp_path):
    folder = tmp_path / "zh"
    folder.mkdir()
    paths = []
    for rep, data in list(sample_members("zh").items())[:2]:
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), data)
        paths.append(path)
    out = tmp_path / "团队.xlsx"
    _roll(paths, out)
    _, lines = _roll(paths[:1], out, force=True)
    text = "\n".join(lines)
    assert "与上次的 团队.xlsx 相比：" in text
    assert f"不在本次给出的工作簿中：{paths[1].name}（" in text


def _edit(path: Path) -> None:
    """What a manager types into the roll-up: a note on the plan's first action and a
    lesson of the team's own (no member)."""
    book = openpyxl.load_workbook(path)
    actions = book["Plan Actions"]
    actions.cell(5, 14, "Manager: pair up with the top rep on this")
    lessons = book["Lessons"]
    table = lessons.tables["Lessons"]
    last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    lessons.cell(last + 1, 1, "TEAM-L01")
    lessons.cell(last + 1, 3, "Weekly pipeline review with the whole team")
    table.ref = f"{table.ref.split(':')[0]}:{table.ref.split(':')[1].rstrip('0123456789')}" \
                f"{last + 1}"
    book.save(path)


def test_rerun_keeps_a_copy_of_what_the_manager_typed(reps, tmp_path):
    """What was typed is carried into the new roll-up (tests/test_rollup_carry.py), and
    the earlier file is still copied aside first, as it was."""
    out = tmp_path / "team.xlsx"
    _roll(reps[:2], out)
    _roll(reps[:2], out, force=True)  # untouched: replaced, no copy kept
    assert list(tmp_path.glob("team.backup-*.xlsx")) == []
    _edit(out)
    typed = out.read_bytes()
    _, lines = _roll(reps[:2], out, force=True)
    backups = list(tmp_path.glob("team.backup-*.xlsx"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == typed  # the manager's file, as it was
    line = next(x for x in lines if backups[0].name in x)
    assert "the earlier team.xlsx held what was typed into it" in line
    below = lines[lines.index(line) + 1:]
    assert any("carried into the new team.xlsx: 1 row with no member on Lessons" in x
               for x in below)
    assert any("plan sheets kept as edited (Plan Actions)" in x for x in below)


def test_an_edited_kpi_summary_is_kept_aside_an_untouched_report_is_not(reps, tmp_path):
    out = tmp_path / "team.xlsx"
    _roll(reps[:2], out)
    assert CliRunner().invoke(main, ["kpis", str(out), "--write"]).exit_code == 0
    _, lines = _roll(reps[:2], out, force=True)
    assert list(tmp_path.glob("team.backup-*.xlsx")) == []
    assert any("has no KPI report yet: run xlsales kpis" in x for x in lines)
    assert CliRunner().invoke(main, ["kpis", str(out), "--write"]).exit_code == 0
    book = openpyxl.load_workbook(out)
    book["KPI Report"]["A5"] = "Manager: a strong month; the new rep is ramping up."
    book.save(out)
    _, lines = _roll(reps[:2], out, force=True)
    assert len(list(tmp_path.glob("team.backup-*.xlsx"))) == 1
    assert any("the KPI report's edited summary" in x for x in lines)


def test_a_kept_copy_in_the_members_folder_is_not_rolled_up(reps, tmp_path):
    team = _folder(tmp_path, reps[:2])
    out = team / "team.xlsx"
    first, _ = _roll([team], out)
    # the copy a re-run over edits (or `plan --replace`) keeps beside it, in the folder
    shutil.copy2(out, team / "team.backup-20261101-090000.xlsx")
    rollup, lines = _roll([team], out, force=True)
    # the reps are the members, each once; the copy is set aside as holding them
    assert sorted(rollup.ranking["file"]) == sorted(p.name for p in reps[:2])
    assert rollup.whole["revenue"] == first.whole["revenue"]
    assert rollup.missing == [] and rollup.lacking == []  # exit code 0
    assert any("team.backup-" in x and "backup xlsales kept of team.xlsx" in x for x in lines)


def test_export_of_the_roll_up_beside_its_reps_notes_in_their_language(reps, tmp_path):
    """Month end: finance gets the team's roll-up and the reps' folder; each rep's book
    is set aside (the roll-up holds it), said in the books' English, not in both."""
    from xlsales.export import export_books

    team = _folder(tmp_path, reps[:2])
    out = tmp_path / "team.xlsx"
    _roll([team], out)
    said: list[str] = []
    export_books([out, team], tmp_path / "out", fmt="xlsx",
                 progress=said.append, workers=1)
    notes = [x for x in said if "set aside" in x or "未导出" in x]
    assert len(notes) == 2, said
    assert all(x.startswith("[export] set aside ") and "未导出" not in x for x in notes)


def test_rerun_without_force_says_what_force_would_keep_in_the_books_language(reps,
                                                                             tmp_path):
    """Re-run without --force over a roll-up the manager typed into: refused, untouched,
    English first (the roll-up is English), naming what was typed and the copy --force
    keeps."""
    out = tmp_path / "team.xlsx"
    _roll(reps[:2], out)
    _edit(out)
    typed = out.read_bytes()
    result = CliRunner().invoke(main, ["consolidate", *map(str, reps[:2]), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error / 错误: {out} already exists"), result.stderr
    assert "1 row typed on Lessons with no member" in result.stderr
    assert "copied aside as team.backup-<time>.xlsx" in result.stderr
    assert out.read_bytes() == typed


def test_export_of_a_folder_with_a_roll_up_and_its_backup_takes_the_roll_up(reps, tmp_path):
    """Finance exports the manager's folder: team.xlsx beside the backup a re-run kept.
    The roll-up is exported; the backup (the same rows, named as xlsales names its
    backups) is the one set aside, whichever sorts first."""
    from xlsales.export import export_books

    team = _folder(tmp_path, reps[:2])
    fin = tmp_path / "fin"
    fin.mkdir()
    out = fin / "team.xlsx"
    _roll([team], out)
    shutil.copy2(out, fin / "team.backup-20261101-090000.xlsx")
    said: list[str] = []
    export_books([fin], tmp_path / "out", fmt="csv", tables=["kpis"],
                 progress=said.append, workers=1)
    aside = [x for x in said if "set aside" in x]
    assert len(aside) == 1 and "team.backup-20261101-090000.xlsx" in aside[0], said
    kpis = (tmp_path / "out" / "kpis.csv").read_text(encoding="utf-8-sig")
    assert "team.xlsx" in kpis and "backup" not in kpis
