"""A weekly roll-up remembers what the members' books held in the cells a manager may type
onto their rows, so the next ``consolidate --force`` tells her typing from the reps' own
changes: a rep who reviews his own action since is no conflict, a problem's severity and
impact she rated stay while the rep leaves them, a rep changing a cell she typed too wins
and is named; and ``consolidate`` without ``--force`` lists what she typed onto members'
rows before refusing. The report and the ranking sheet word the whole's ratios alike."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.test_rollup_rerun_typed import (
    NOVEMBER,
    _reps,
    _review,
    _roll,
    _rows,
    _sheet,
    _type_onto,
)
from xlsales.build.workbook import build_workbook
from xlsales.consolidate import consolidate
from xlsales.errors import OutputExistsError
from xlsales.sample import sample_members
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions


def _rebook(path: Path, lang: str, status: str | None = None, result: str | None = None,
            severity: str | None = None) -> None:
    """The rep's book at ``path`` made again as a rep edits it: his action A02 reviewed
    ``status`` / ``result``, his problem P01's severity ``severity`` (a code) if given."""
    rep = path.stem
    data = sample_members(lang, NOVEMBER)[rep]
    data.tables["ActionReview"] = _review(rep, status, result)
    if severity is not None:
        problems = data.tables["Problems"]
        problems.loc[problems["problem_id"].eq("P01"), "severity"] = severity
    build_workbook(path, BuildOptions(lang=lang, period=NOVEMBER, owner=rep), data)


def _label(table: str, key: str, lang: str = "en") -> str:
    return SPEC.table(table).column(key).label.get(lang)


def test_the_reps_own_changes_are_no_conflict_and_a_rated_problem_stays(tmp_path):
    """Week 1 Ben has not done A02. Week 2 the manager rates Alice's problem P01 (severity
    Low, impact 250,000, where Alice said High, 180,000) and types nothing on Ben's rows;
    Ben marks A02 done in his book. The re-run takes Ben's review without a word, keeps
    her rating and counts it in the problem summary. Week 3 Alice sets P01's severity to
    Medium herself: hers wins and the report names the row, the impact she left stays."""
    folder = tmp_path / "reps"
    reps = _reps(folder, "en")
    alice, ben = (p.stem for p in reps)
    _rebook(reps[1], "en", "not_done")
    out = tmp_path / "team.xlsx"
    _roll(reps, out)
    severity, impact = _label("Problems", "severity"), _label("Problems", "impact_amount")
    _type_onto(out, "Problems", "en", f"{alice}-P01", {severity: "Low", impact: 250_000})
    _rebook(reps[1], "en", "done", "new template in use")

    _, lines = _roll(reps, out, force=True)
    text = "\n".join(lines)
    assert not [x for x in lines if "filled differently" in x], text
    actions = _rows(out, "ActionReview", "en")
    assert (actions[f"{ben}-A02"]["Status"], actions[f"{ben}-A02"]["Result"]) == (
        "Done", "new template in use")
    problem = _rows(out, "Problems", "en")[f"{alice}-P01"]
    assert (problem[severity], problem[impact]) == ("Low", 250_000)
    assert ("2 cells typed onto members' rows of Problems (Impact amount, Severity, "
            "unchanged in the member's book)") in text
    assert "    Customer churn: 1, 250,000" in lines

    _rebook(reps[0], "en", severity="medium")
    _, lines = _roll(reps, out, force=True)
    problem = _rows(out, "Problems", "en")[f"{alice}-P01"]
    assert (problem[severity], problem[impact]) == ("Medium", 250_000)
    said = [x for x in lines if "filled differently" in x]
    assert said == [
        "    filled differently in the members' books now, the members' values taken "
        f"(the earlier ones are in the backup): Problems {alice}-P01 Severity: Medium "
        "(before: Low)"]
    assert ("1 cell typed onto members' rows of Problems (Impact amount, unchanged in "
            "the member's book)") in "\n".join(lines)


def test_without_force_the_refusal_lists_the_cells_typed_onto_members_rows(tmp_path):
    """The manager typed a status onto Alice's action and a severity onto Ben's problem:
    the refusal names each (sheet, row, column, value) in both languages, and that
    --force carries them where the members have not changed them."""
    reps = _reps(tmp_path / "reps", "zh")
    alice, ben = (p.stem for p in reps)
    out = tmp_path / "team.xlsx"
    _, lines = _roll(reps, out)
    whole = next(x for x in lines if x.startswith("  整体（"))
    assert whole.endswith("（比率由各成员的合计重新计算）")
    ranking = openpyxl.load_workbook(out)[_sheet("MemberRanking", "zh")]
    assert ranking["A2"].value.endswith("（比率由各成员的合计重新计算）")
    status, severity = _label("ActionReview", "status", "zh"), _label("Problems", "severity", "zh")
    ben_problem = next(r for r in _rows(out, "Problems", "zh") if str(r).startswith(ben))
    _type_onto(out, "ActionReview", "zh", f"{alice}-A02", {status: "部分完成"})
    _type_onto(out, "Problems", "zh", ben_problem, {severity: "低"})
    with pytest.raises(OutputExistsError) as caught:
        consolidate(reps, out, "team", "West", workers=1, progress=lambda _: None)
    error = caught.value
    actions, problems = _sheet("ActionReview", "zh"), _sheet("Problems", "zh")
    assert f"成员的行上填写的 2 个单元格：{problems} {ben_problem} 的严重程度：低；" \
           f"{actions} {alice}-A02 的完成情况：部分完成" in error.zh or \
           f"成员的行上填写的 2 个单元格：{actions} {alice}-A02 的完成情况：部分完成；" \
           f"{problems} {ben_problem} 的严重程度：低" in error.zh, error.zh
    assert "成员在自己工作簿中没有改动的会带入" in error.zh
    en_actions, en_problems = _sheet("ActionReview", "en"), _sheet("Problems", "en")
    assert f"{en_actions} {alice}-A02 Status: 部分完成" in error.en, error.en
    assert f"{en_problems} {ben_problem} Severity: 低" in error.en
    assert "2 cells typed onto members' rows" in error.en
    # a roll-up nobody typed into is refused as any existing output
    untouched = tmp_path / "again.xlsx"
    _roll(reps, untouched)
    with pytest.raises(OutputExistsError) as plain:
        consolidate(reps, untouched, "team", "West", workers=1, progress=lambda _: None)
    assert "typed onto members' rows" not in plain.value.en


def test_the_record_is_a_hidden_sheet_with_the_members_values(tmp_path):
    """The record is a table on a hidden sheet of its own, the ranking left as the manager
    reads it: one row a filled cell of the carried columns, the member's value as the
    member's book holds it."""
    reps = _reps(tmp_path / "reps", "en")
    alice = reps[0].stem
    out = tmp_path / "team.xlsx"
    _, lines = _roll(reps, out)
    book = openpyxl.load_workbook(out)
    ranking = book[_sheet("MemberRanking", "en")]
    # the report and the ranking sheet say how the whole's ratios are made in one wording
    whole = next(x for x in lines if x.startswith("  whole ("))
    assert whole.endswith(" (ratios recomputed from the members' sums)")
    assert ranking["A2"].value.endswith(" (ratios recomputed from the members' sums)")
    assert list(ranking.tables) == ["MemberRanking"]  # nothing of the record under it
    record = book["xlsales roll-up record"]
    assert record.sheet_state == "hidden"
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "hidden"] == [record.title]
    first, last = record.tables["MemberValues"].ref.split(":")
    top = int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = [r for r in record.iter_rows(min_row=top + 1,
                                        max_row=int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                                        values_only=True)]
    assert ("Problems", alice, None, f"{alice}-P01", "Severity", "High") in [
        tuple(r[:6]) for r in rows]
    assert ("Previous actions", alice, None, f"{alice}-A01", "Status", "Done") in [
        tuple(r[:6]) for r in rows]
