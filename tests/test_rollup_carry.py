"""A manager re-runs the roll-up every week (``consolidate … -o team.xlsx --force``) and
types into it between runs: the team's own problems and lessons (rows naming no member)
and notes on the plan. The re-run carries those into the new roll-up — the rows as they
were, the edited plan sheets kept as ``plan`` keeps them — so the typing is not redone
every week; the earlier file is still copied aside, and the report says what was carried
and what was not."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.consolidate import consolidate, report_lines
from xlsales.rollup_result import Rollup
from xlsales.sample import SAMPLE_PERIOD, sample_members
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions


def _books(folder: Path, lang: str, n: int = 2) -> list[Path]:
    folder.mkdir()
    paths = []
    for rep, data in list(sample_members(lang).items())[:n]:
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang=lang, period=SAMPLE_PERIOD, owner=rep), data)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def reps(tmp_path_factory) -> list[Path]:
    """Two reps' English workbooks of the sample period."""
    return _books(tmp_path_factory.mktemp("carry") / "reps", "en")


def _roll(paths: list[Path], out: Path, force: bool = False,
          plan: bool = True) -> tuple[Rollup, list[str]]:
    rollup = consolidate(paths, out, "team", "West", force=force, workers=1,
                         progress=lambda _: None, plan=plan)
    return rollup, report_lines(rollup, out)


def _sheet(table: str, lang: str) -> str:
    return next(s for s in SPEC.sheets if any(t.name == table for t in s.tables)).name.get(lang)


def _type_rows(path: Path, table: str, lang: str, rows: list[dict[str, object]]) -> None:
    """Type ``rows`` (header → value, no member) under ``table``, as Excel extends it."""
    book = openpyxl.load_workbook(path)
    sheet = book[_sheet(table, lang)]
    found = sheet.tables[table]
    first, last = found.ref.split(":")
    top = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    end = int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    header = [c.value for c in sheet[top]]
    for i, row in enumerate(rows, start=end + 1):
        for label, value in row.items():
            sheet.cell(i, header.index(label) + 1, value)
    found.ref = f"{first}:{last.rstrip('0123456789')}{end + len(rows)}"
    book.save(path)


def _table(path: Path, table: str, lang: str) -> list[dict[str, object]]:
    """The rows of ``table`` in the workbook at ``path``, by header."""
    book = openpyxl.load_workbook(path)
    sheet = book[_sheet(table, lang)]
    first, last = sheet.tables[table].ref.split(":")
    grid = [[c.value for c in r] for r in sheet[f"{first}:{last}"]]
    return [dict(zip(grid[0], r, strict=True)) for r in grid[1:]]


def test_the_teams_own_lesson_and_the_edited_plan_are_in_the_new_roll_up(reps, tmp_path):
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    _type_rows(out, "Lessons", "en", [{"Lesson ID": "TEAM-L01", "Type": "Success",
                                       "Description": "Weekly pipeline review"}])
    book = openpyxl.load_workbook(out)
    book["Plan Actions"].cell(5, 14, "Manager: pair up with the top rep on this")
    book.save(out)
    for _ in range(2):  # week after week: carried once, never doubled
        _, lines = _roll(reps, out, force=True)
        lessons = [r for r in _table(out, "Lessons", "en") if r["Lesson ID"] == "TEAM-L01"]
        assert lessons == [{"Lesson ID": "TEAM-L01", "Type": "Success",
                            "Description": "Weekly pipeline review", "Evidence or effect": None,
                            "Cause": None, "Improvement": None, "Best practice": None,
                            "Member": None}]
        plan = openpyxl.load_workbook(out)["Plan Actions"]
        assert plan.cell(5, 14).value == "Manager: pair up with the top rep on this"
        text = "\n".join(lines)
        assert "carried into the new team.xlsx: 1 row with no member on Lessons" in text
        assert "plan sheets kept as edited (Plan Actions)" in text
        assert f"xlsales plan {out} --new-version" in text
    assert len(list(tmp_path.glob("team.backup-*.xlsx"))) == 2  # nothing lost either
    # the kept plan is still the manager's: `plan` does not overwrite it
    result = CliRunner().invoke(main, ["plan", str(out)])
    assert result.exit_code == 2 and "were edited (Plan Actions)" in result.stderr


def test_a_carried_problem_counts_and_keeps_its_id_unless_a_member_holds_it(reps, tmp_path):
    out = tmp_path / "team.xlsx"
    first, _ = _roll(reps, out)
    member_id = str(first.data.tables["Problems"]["problem_id"].iloc[0])
    typed = {"Description": "Price list out of date", "Impact amount": 5000,
             "Category": "Process", "Controllability": "controllable", "Severity": "low",
             "Carry into next plan": "no"}
    _type_rows(out, "Problems", "en", [{"Problem ID": "TEAM-P01", **typed},
                                       {"Problem ID": member_id, **typed}])
    again, lines = _roll(reps, out, force=True)
    ids = [r["Problem ID"] for r in _table(out, "Problems", "en") if r["Member"] is None]
    assert ids == ["TEAM-P01", f"{member_id}-2"]
    before = first.problems.loc["Process", "count"] if "Process" in first.problems.index else 0
    assert again.problems.loc["Process", "count"] == before + 2
    assert any(f"{member_id} → {member_id}-2" in x for x in lines)
    summary = openpyxl.load_workbook(out)["Problem summary"]
    assert any(r[0] == "Process" and r[1] == before + 2
               for r in summary.iter_rows(values_only=True))


def test_what_cannot_be_carried_is_named_in_chinese(tmp_path):
    """A Chinese roll-up: the team's lesson is carried, a sheet of the manager's own is
    not (the report says so, in Chinese, and where to copy it from); an edited plan is
    kept under --no-plan too (no plan made afresh over it)."""
    reps = _books(tmp_path / "reps", "zh")
    out = tmp_path / "团队.xlsx"
    _roll(reps, out)
    lessons = _sheet("Lessons", "zh")
    header = [c.value for c in openpyxl.load_workbook(out)[lessons][4]]
    _type_rows(out, "Lessons", "zh", [{header[0]: "团队-L01", header[2]: "每周复盘"}])
    book = openpyxl.load_workbook(out)
    book.create_sheet("我的笔记")["A1"] = "下周一开会"
    actions = _sheet("PlanActions", "zh")
    book[actions].cell(5, 14, "经理：重点跟进")
    book[actions].cell(3, 30, "周五前定稿")  # beside the plan table: not carried
    book.save(out)
    _, lines = _roll(reps, out, force=True, plan=False)
    text = "\n".join(lines)
    assert f"已带入新的 团队.xlsx：{lessons} 中没有填成员的 1 行" in text
    assert f"保留了修改过的计划表（{actions}）" in text
    assert ("未带入（请从备份中把需要的内容复制到新的 团队.xlsx）：工作表 我的笔记；"
            f"{actions} 中表格以外填写的内容") in text
    book = openpyxl.load_workbook(out)
    assert book[actions].cell(5, 14).value == "经理：重点跟进"
    assert "我的笔记" not in book.sheetnames
    assert any(r[0] == "团队-L01" for r in book[lessons].iter_rows(values_only=True))


def test_next_months_roll_up_does_not_count_last_months_typed_problem(reps, tmp_path):
    """October's roll-up replaced by November's (the same -o): the problem the manager
    typed for October is no November problem — not in its table nor its summary; the
    report says why and that the backup holds it."""
    from datetime import date

    from xlsales.periods import Period, PeriodType

    november = Period(date(2026, 11, 1), PeriodType.MONTH)
    folder = tmp_path / "november"
    folder.mkdir()
    later = []
    for rep, data in list(sample_members("en", november).items())[:2]:
        later.append(folder / f"{rep}.xlsx")
        build_workbook(later[-1], BuildOptions(lang="en", period=november, owner=rep), data)
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    _type_rows(out, "Problems", "en", [{
        "Problem ID": "TEAM-P01", "Description": "Price list out of date",
        "Impact amount": 5000, "Category": "Process", "Controllability": "Controllable",
        "Severity": "Low", "Carry into next plan": "No"}])
    fresh, _ = _roll(later, tmp_path / "fresh.xlsx")
    again, lines = _roll(later, out, force=True)
    assert [r["Problem ID"] for r in _table(out, "Problems", "en") if r["Member"] is None] == []
    assert again.problems.equals(fresh.problems)
    text = "\n".join(lines)
    assert "carried into" not in text
    # the revenue compared is last month's: said so
    assert "  since the earlier team.xlsx (the roll-up of 2026-10; this one is of 2026-11):" \
        in lines
    assert ("not carried (copy what you need from the backup into the new team.xlsx): the "
            "earlier roll-up is of 2026-10, this one of 2026-11: 1 row typed on Problems "
            "with no member") in text


def test_weekly_backups_in_the_members_folder_are_set_aside_in_one_line(reps, tmp_path):
    """The roll-up written into the members' folder, with a lesson typed into it: each
    weekly re-run keeps a backup there. They are never rolled up, and the report names
    them in one line, not one more line every week."""
    import shutil
    import time

    folder = tmp_path / "team"
    folder.mkdir()
    for p in reps:
        shutil.copy2(p, folder / p.name)
    out = folder / "team.xlsx"
    first, _ = _roll([folder], out)
    _type_rows(out, "Lessons", "en", [{"Lesson ID": "TEAM-L01", "Description": "Weekly review"}])
    for week in range(3):
        time.sleep(1.1)  # a backup is named by the second it was made in
        again, lines = _roll([folder], out, force=True)
        backups = sorted(p.name for p in folder.glob("team.backup-*.xlsx"))
        assert len(backups) == week + 1
        assert [m.path.name for m in again.included] == [m.path.name for m in first.included]
        said = [x for x in lines if "backup" in x and x.startswith("  left out")]
        if week < 2:  # the backups there before this run: none, then one
            assert said == [f"  left out {b}: it is the backup xlsales kept of team.xlsx "
                            "before replacing it: it holds the members already and would "
                            "count them twice" for b in backups[:week]]
        else:
            assert said == [f"  left out {week} backups xlsales kept of team.xlsx before "
                            f"replacing it ({backups[0]}, {backups[1]}): they hold the members "
                            "already and would count them twice; delete those you no longer "
                            "need"]


def test_an_edited_plan_made_again_as_a_new_version_is_kept(reps, tmp_path):
    """The manager edits the plan, then runs ``plan --new-version`` for one from newer
    figures: the next weekly re-run keeps both versions — the edited first one is not
    written over by a fresh plan under its name."""
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    book = openpyxl.load_workbook(out)
    book["Plan Actions"].cell(5, 14, "Manager: pair up with the top rep on this")
    book.save(out)
    assert CliRunner().invoke(main, ["plan", str(out), "--new-version"]).exit_code == 0
    _, lines = _roll(reps, out, force=True)
    book = openpyxl.load_workbook(out)
    assert book["Plan Actions"].cell(5, 14).value == "Manager: pair up with the top rep on this"
    assert "Plan Actions v2" in book.sheetnames
    text = "\n".join(lines)
    assert "plan sheets kept as edited (Plan Actions)" in text
    assert "Plan Actions v2" not in text  # kept, not named as lost


def test_a_typed_value_xlsales_cannot_read_is_carried_as_typed(reps, tmp_path):
    """The manager mistypes a list entry ('Succes') and an amount ('about 5k'): the
    re-run carries them as typed — not blanked, the typing lost and `validate` then
    asking for a value the manager did give — and `validate` names them as before."""
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    _type_rows(out, "Lessons", "en", [{"Lesson ID": "TEAM-L01", "Type": "Succes",
                                       "Description": "Weekly pipeline review"}])
    _type_rows(out, "Problems", "en", [{
        "Problem ID": "TEAM-P01", "Description": "Price list out of date",
        "Impact amount": "about 5k", "Category": "Process", "Controllability": "Controllable",
        "Severity": "Low", "Carry into next plan": "No"}])

    def errors() -> list[str]:
        result = CliRunner().invoke(main, ["validate", str(out)])
        return sorted(x.split()[2] + " " + x.split()[1].split("!")[0] for x in
                      result.output.splitlines() if x.strip().startswith("error"))

    before = errors()
    assert before == ["amount_with_word Problems", "not_allowed Lessons"]
    _roll(reps, out, force=True)
    lesson = [r for r in _table(out, "Lessons", "en") if r["Lesson ID"] == "TEAM-L01"]
    assert [r["Type"] for r in lesson] == ["Succes"]
    problem = [r for r in _table(out, "Problems", "en") if r["Problem ID"] == "TEAM-P01"]
    assert [r["Impact amount"] for r in problem] == ["about 5k"]
    assert errors() == before


def test_a_team_roll_ups_backup_beside_it_in_the_regions_folder_is_set_aside(reps, tmp_path):
    """Each team's manager writes the roll-up into the region's folder and re-runs it
    after typing into it: its backup lands there too. The region leaves it out as that
    team's backup — not as "another version" whose advice is to move the team's
    roll-up itself out."""
    teams = tmp_path / "teams"
    teams.mkdir()
    west, east = teams / "west.xlsx", teams / "east.xlsx"
    consolidate(reps[:1], west, "team", "West", workers=1, progress=lambda _: None)
    consolidate(reps[1:], east, "team", "East", workers=1, progress=lambda _: None)
    _type_rows(west, "Lessons", "en", [{"Lesson ID": "TEAM-L01", "Type": "Success",
                                        "Description": "Weekly pipeline review"}])
    consolidate(reps[:1], west, "team", "West", force=True, workers=1, progress=lambda _: None)
    (backup,) = teams.glob("west.backup-*.xlsx")
    region = consolidate([teams], tmp_path / "region.xlsx", "region", "North", workers=1,
                         progress=lambda _: None)
    assert sorted(m.path.name for m in region.included) == ["east.xlsx", "west.xlsx"]
    lines = report_lines(region, tmp_path / "region.xlsx")
    assert f"  left out {backup.name}: it is the backup xlsales kept of west.xlsx before " \
        "replacing it: what it holds is in west.xlsx, given too, and would count twice" in lines
