"""What a manager types into the weekly roll-up between runs, seen again on the next
``consolidate --force``: a target of the team's own counts toward the whole as ``kpis``
counts it, her reviews of the reps' previous actions stay on their rows (the rep's own
later review wins, and the report names the row), two rows she typed with one ID are
said to share it, and the backups piling up in the members' folder take one row of the
ranking sheet."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.consolidate import consolidate, report_lines
from xlsales.periods import Period, PeriodType
from xlsales.rollup_result import Rollup
from xlsales.sample import sample_members
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions

#: A period not over yet (the clock of these machines: 2026-11): a rep may leave the
#: review of an action for later, as mid-month weekly roll-ups see it.
NOVEMBER = Period(date(2026, 11, 1), PeriodType.MONTH)


def _review(rep: str, status: str | None = None, result: str | None = None) -> pd.DataFrame:
    """Two actions of ``rep``'s previous plan: A01 reviewed, A02 with ``status`` and
    ``result`` (by default not reviewed yet)."""
    end = NOVEMBER.end
    return pd.DataFrame({
        "action_id": ["A01", "A02"], "problem_id": ["P01", None],
        "what": [f"Call back {rep}'s key accounts", f"Tidy {rep}'s quote template"],
        "who": [rep, rep], "due": [end, end], "kpi": [None, None], "kpi_target": [None, None],
        "status": ["done", status], "result": ["12 accounts called", result]})


def _book(folder: Path, lang: str, rep: str, review: pd.DataFrame | None = None) -> Path:
    data = sample_members(lang, NOVEMBER)[rep]
    if review is not None:
        data.tables["ActionReview"] = review
    path = folder / f"{rep}.xlsx"
    build_workbook(path, BuildOptions(lang=lang, period=NOVEMBER, owner=rep), data)
    return path


def _reps(folder: Path, lang: str) -> list[Path]:
    folder.mkdir()
    return [_book(folder, lang, rep, _review(rep))
            for rep in list(sample_members(lang, NOVEMBER))[:2]]


def _roll(paths: list[Path], out: Path, force: bool = False) -> tuple[Rollup, list[str]]:
    rollup = consolidate(paths, out, "team", "West", force=force, workers=1,
                         progress=lambda _: None)
    return rollup, report_lines(rollup, out)


def _sheet(table: str, lang: str) -> str:
    return next(s for s in SPEC.sheets if any(t.name == table for t in s.tables)).name.get(lang)


def _header(sheet, table: str) -> tuple[int, list[object], int]:
    first, last = sheet.tables[table].ref.split(":")
    top = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return top, [c.value for c in sheet[top]], int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _type_rows(path: Path, table: str, lang: str, rows: list[dict[str, object]]) -> None:
    """Type ``rows`` (header → value, no member) under ``table``, as Excel extends it."""
    book = openpyxl.load_workbook(path)
    sheet = book[_sheet(table, lang)]
    _, header, end = _header(sheet, table)
    for i, row in enumerate(rows, start=end + 1):
        for label, value in row.items():
            sheet.cell(i, header.index(label) + 1, value)
    first, last = sheet.tables[table].ref.split(":")
    sheet.tables[table].ref = f"{first}:{last.rstrip('0123456789')}{end + len(rows)}"
    book.save(path)


def _type_onto(path: Path, table: str, lang: str, row_id: str,
               cells: dict[str, object]) -> None:
    """Type ``cells`` (header → value) onto the row of ``table`` whose first cell is
    ``row_id`` (a member's row)."""
    book = openpyxl.load_workbook(path)
    sheet = book[_sheet(table, lang)]
    top, header, end = _header(sheet, table)
    row = next(r for r in range(top + 1, end + 1) if sheet.cell(r, 1).value == row_id)
    for label, value in cells.items():
        sheet.cell(row, header.index(label) + 1, value)
    book.save(path)


def _rows(path: Path, table: str, lang: str) -> dict[object, dict[str, object]]:
    """The rows of ``table`` by their first cell, each by header."""
    sheet = openpyxl.load_workbook(path)[_sheet(table, lang)]
    top, header, end = _header(sheet, table)
    return {r[0]: dict(zip(header, r, strict=False))
            for r in sheet.iter_rows(min_row=top + 1, max_row=end, values_only=True)}


def _cli(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_target_of_the_teams_own_counts_in_the_reports_whole_as_kpis_counts_it(lang,
                                                                                 tmp_path):
    reps = _reps(tmp_path / "reps", lang)
    out = tmp_path / "team.xlsx"
    first, _ = _roll(reps, out)
    header = [c.value for c in openpyxl.load_workbook(out)[_sheet("Targets", lang)][4]]
    rep = first.ranking["member"].iloc[0]
    _type_rows(out, "Targets", lang, [{header[0]: datetime(2026, 11, 1), header[1]: rep,
                                       header[2]: 100_000}])
    again, lines = _roll(reps, out, force=True)
    kpis = json.loads(_cli("kpis", out, "--json"))["kpis"]
    assert kpis["target"] == pytest.approx(first.whole["target"] + 100_000)
    # the report's whole is what kpis says of the written file, and says what was typed
    whole = next(x for x in lines if x.startswith(("  whole (", "  整体（")))
    assert f"{kpis['target']:,.0f}" in whole
    assert f"{kpis['attainment']:.1%}" in whole
    assert ("100,000 of it typed into the roll-up with no member" if lang == "en" else
            "其中 100,000 是在汇总表中填写、没有填成员的目标") in whole
    ranking = openpyxl.load_workbook(out)[_sheet("MemberRanking", lang)]
    assert f"{kpis['target']:,.0f}" in ranking["A2"].value
    assert again.whole["gap"] == pytest.approx(kpis["gap"])


def test_reviews_typed_onto_the_reps_actions_stay_unless_the_rep_reviewed_since(tmp_path):
    """The manager reviews both reps' unreviewed action A02 in the roll-up; Ben then
    reviews his own in his book. The re-run keeps her review of Alice's (still empty in
    Alice's book) and takes Ben's own, naming his row; validate, kpis, plan and export
    of the new roll-up run as before."""
    reps = _reps(tmp_path / "reps", "en")
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    alice, ben = (p.stem for p in reps)
    _type_onto(out, "ActionReview", "en", f"{alice}-A02",
               {"Status": "Partly done", "Result": "template half done"})
    _type_onto(out, "ActionReview", "en", f"{ben}-A02", {"Status": "Not done"})
    _book(reps[1].parent, "en", ben, _review(ben, "done", "new template in use"))
    for week in range(2):  # week after week: kept, never doubled
        _, lines = _roll(reps, out, force=True)
        rows = _rows(out, "ActionReview", "en")
        assert len(rows) == 4
        assert (rows[f"{alice}-A02"]["Status"], rows[f"{alice}-A02"]["Result"]) == (
            "Partly done", "template half done")
        assert (rows[f"{ben}-A02"]["Status"], rows[f"{ben}-A02"]["Result"]) == (
            "Done", "new template in use")
        text = "\n".join(lines)
        assert ("carried into the new team.xlsx: 2 cells typed onto members' rows of "
                "Previous actions (Status, Result, unchanged in the member's book)") in text
        assert "previous actions: 4 (done 3, partly done 1)" in text
        # Ben's own review wins over hers, said once: the next roll-up held his
        said = [x for x in lines if "filled differently" in x]
        assert said == ([
            "    filled differently in the members' books now, the members' values taken "
            f"(the earlier ones are in the backup): Previous actions {ben}-A02 Status: Done "
            "(before: Not done)"] if week == 0 else [])
        assert len(list(tmp_path.glob("team.backup-*.xlsx"))) == week + 1
    _cli("validate", out)
    _cli("kpis", out)
    _cli("plan", out, "--new-version")
    _cli("export", out, "-o", tmp_path / "export")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_typed_rows_of_one_id_are_said_to_share_it_not_blamed_on_a_member(lang,
                                                                              tmp_path):
    reps = _reps(tmp_path / "reps", lang)
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    header = [c.value for c in openpyxl.load_workbook(out)[_sheet("Lessons", lang)][4]]
    _type_rows(out, "Lessons", lang, [{header[0]: "TEAM-L01", header[2]: "Weekly review"},
                                      {header[0]: "TEAM-L01", header[2]: "Pair selling"}])
    _, lines = _roll(reps, out, force=True)
    assert [r for r in _rows(out, "Lessons", lang) if str(r).startswith("TEAM")] == [
        "TEAM-L01", "TEAM-L01-2"]
    line = next(x for x in lines if "TEAM-L01 → TEAM-L01-2" in x)
    assert ("IDs two rows typed with no member share renamed: TEAM-L01 → TEAM-L01-2"
            if lang == "en" else
            "以下编号与前面另一行没有填成员的行相同，已改为：TEAM-L01 → TEAM-L01-2") in line
    assert "member's row" not in line and "成员的行占用" not in line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weekly_backups_in_the_members_folder_take_one_row_of_the_ranking(lang, tmp_path):
    """The roll-up written into the members' folder, a lesson typed into it each week:
    at the fourth re-run the folder holds three backups, set aside in one row of the
    ranking sheet (as in one line of the report), not one row each."""
    folder = tmp_path / "team"
    reps = _reps(folder, lang)
    out = folder / "team.xlsx"
    _roll([folder], out)
    header = [c.value for c in openpyxl.load_workbook(out)[_sheet("Lessons", lang)][4]]
    for week in range(4):
        _type_rows(out, "Lessons", lang, [{header[0]: f"TEAM-L0{week}",
                                           header[2]: "Weekly review"}])
        time.sleep(1.1)  # a backup is named by the second it was made in
        _roll([folder], out, force=True)
    backups = sorted(p.name for p in folder.glob("team.backup-*.xlsx"))
    assert len(backups) == 4
    ranking = openpyxl.load_workbook(out)[_sheet("MemberRanking", lang)]
    top, header, end = _header(ranking, "MemberRanking")
    files = [r[header.index("文件" if lang == "zh" else "File")] for r in
             ranking.iter_rows(min_row=top + 1, max_row=end, values_only=True)]
    assert sorted(files[:2]) == sorted(p.name for p in reps)
    # the two reps, the roll-up itself (the output) and one row for the backups
    assert files[2:] == ["team.xlsx", f"{backups[0]} … {backups[2]}"]  # the fourth: after
    status = ranking.cell(end, len(header)).value
    assert ("left out: 3 backups xlsales kept of team.xlsx before replacing it: they hold "
            "the members already and would count them twice; delete those you no longer need"
            if lang == "en" else
            "未合并：3 个 xlsales 替换 team.xlsx 前保留的备份：它们本身已包含各成员，再合并会重复"
            "计算；不再需要的备份可以删除") == status


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_carried_line_names_only_the_columns_whose_cells_were_carried(lang, tmp_path):
    """The manager types only a status onto a rep's unreviewed action: the report says
    one cell of that column was carried, not the result she left empty too; with a
    result typed onto another rep's row the next week, both columns are named."""
    reps = _reps(tmp_path / "reps", lang)
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    alice, ben = (p.stem for p in reps)
    status, result = (SPEC.table("ActionReview").column(k).label.get(lang)
                      for k in ("status", "result"))
    shown = SPEC.table("ActionReview").column("status").choices.label("partly", lang)
    _type_onto(out, "ActionReview", lang, f"{alice}-A02", {status: shown})
    _, lines = _roll(reps, out, force=True)
    assert _rows(out, "ActionReview", lang)[f"{alice}-A02"][status] == shown
    sheet = _sheet("ActionReview", lang)
    line = next(x for x in lines if x.startswith(("    carried into", "    已带入")))
    assert line.endswith(
        f"1 cell typed onto members' rows of {sheet} ({status}, unchanged in the member's book)"
        if lang == "en" else
        f"{sheet} 中成员的行上填写的 1 个单元格（{status}，成员的工作簿中未改动）")
    assert result not in line
    _type_onto(out, "ActionReview", lang, f"{ben}-A02", {result: "template half done"})
    _, lines = _roll(reps, out, force=True)
    line = next(x for x in lines if x.startswith(("    carried into", "    已带入")))
    assert line.endswith(
        f"2 cells typed onto members' rows of {sheet} ({status}, {result}, unchanged in "
        "the member's book)" if lang == "en" else
        f"{sheet} 中成员的行上填写的 2 个单元格（{status}、{result}，成员的工作簿中未改动）")
