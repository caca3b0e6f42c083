"""The README's command examples print what it shows, for a newcomer following it from
the top: each example's `$` commands run in the folder and on the files the README says
how to make (the demo's folder, a CSV or script it prints), and what they print is
compared line by line. (It showed a warning with the `~` English messages no longer
print, and a quarter book from month books it never said how to make.)"""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import textwrap
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import REPO

from xlsales.cli import main
from xlsales.io.reader import read_workbook

README = (REPO / "README.md").read_text(encoding="utf-8")
ENV = {"XLSALES_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def _fence(start: int) -> list[str]:
    """The dedented lines of the fenced block whose opening fence is at or after ``start``."""
    opening = README.index("```", start)
    body = README.index("\n", opening) + 1
    return textwrap.dedent(README[body:README.index("```", body)]).splitlines()


def block_after(marker: str) -> list[str]:
    """The lines of the first fenced block after the README's text ``marker``."""
    return _fence(README.index(marker) + len(marker))


def example(first: str, after: str = "") -> list[tuple[str, list[str]]]:
    """The README's example holding the command line ``$ first`` (the first after the
    text ``after``): each `$` command of its block with the lines shown after it (none
    when another command follows at once)."""
    at = README.index(f"$ {first}\n", README.index(after))
    lines = _fence(README.rindex("```", 0, at))
    steps: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def shown_matches(shown: list[str], printed: list[str]) -> bool:
    """``printed`` is what ``shown`` shows: line for line, where a shown line starting
    with `…` (after its indent) stands for any number of lines."""
    if not shown:
        return not printed
    if shown[0].lstrip().startswith("…"):
        return any(shown_matches(shown[1:], printed[i:]) for i in range(len(printed) + 1))
    return bool(printed) and shown[0] == printed[0] and shown_matches(shown[1:], printed[1:])


def run(command: str) -> list[str]:
    """Run a README command line in the current folder; the lines it prints, stdout and
    stderr as a terminal interleaves them, but the progress lines (`[plan] …`)."""
    words = shlex.split(command)
    env = dict(ENV)
    while "=" in words[0]:
        key, value = words.pop(0).split("=", 1)
        env[key] = value
    assert words[0] == "xlsales", command
    result = CliRunner().invoke(main, words[1:], prog_name="xlsales", env=env,
                                terminal_width=78)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command, result.output)
    return [line for line in result.output.splitlines() if not line.startswith("[")]


def check(first: str, after: str = "", partly_shown: str = "") -> None:
    """Run the README's example holding ``$ first``; each command prints what it shows
    (a command starting ``partly_shown``, whose other lines the README says it does not
    show: the shown lines among others, in order)."""
    for command, shown in example(first, after):
        printed = run(command)
        if partly_shown and command.startswith(partly_shown):
            rest = iter(printed)
            assert all(line in rest for line in shown), (command, printed)
        elif shown:
            assert shown_matches(shown, printed), (command, "\n".join(printed))


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    """What `xlsales demo` leaves in the folder it ran in (run once, copied per test)."""
    where = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", "-o", str(where / "xlsales-demo")], env=ENV)
    assert result.exit_code == 0, result.output
    return where


@pytest.fixture
def demo(demo_folder, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the demo's folder, the current folder inside it."""
    shutil.copytree(demo_folder / "xlsales-demo", tmp_path / "xlsales-demo")
    monkeypatch.chdir(tmp_path / "xlsales-demo")
    return tmp_path / "xlsales-demo"


def test_period_error_and_import_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check("xlsales new --period 2026-13")
    make_book = "xlsales new --period 2026-11 --owner 张伟 -o zhang.xlsx"
    assert f"`{make_book}`" in README.replace("\n", " ")
    run(make_book)
    Path("zhang.csv").write_text("\n".join(block_after("and this `zhang.csv`")) + "\n",
                                 encoding="utf-8")
    check("xlsales import zhang.csv --into zhang.xlsx")
    check("xlsales import zhang.csv --into zhang.xlsx", after="Run again, the same export")
    Path("zhang.xlsx").unlink()
    run(make_book)
    Path("team.csv").write_text("\n".join(block_after("and this `team.csv`:")) + "\n",
                                encoding="utf-8")
    check("xlsales import team.csv --into zhang.xlsx --rep 张伟")


def test_validate_examples(demo, monkeypatch):
    shutil.copy(demo / "sample_team_2026-10_en.xlsx", "sales_en.xlsx")
    exec(compile("\n".join(block_after("such as this `add_rows.py`")), "add_rows.py", "exec"),
         {"__name__": "__main__"})
    check("xlsales validate sales_en.xlsx --write")

    monkeypatch.chdir(demo.parent)
    check("xlsales validate xlsales-demo/members --lang en")
    team = demo.parent / "team"
    team.mkdir()
    manager = team / "王芳.xlsx"
    shutil.copy(demo / "sample_team_2026-10_zh.xlsx", manager)
    book = openpyxl.load_workbook(manager)
    sheet = book["基础信息"]
    next(row[2] for row in sheet.iter_rows() if row[0].value == "owner").value = "王芳"
    book.save(manager)
    shutil.copy(demo / "members" / "张伟_2026-10.xlsx", team / "张伟.xlsx")
    check("xlsales validate team/王芳.xlsx team/张伟.xlsx --lang en")


def test_kpis_examples(demo):
    check("xlsales kpis sample_team_2026-10_en.xlsx --period 2026 --by quarter")
    check("xlsales kpis sample_team_2026-10_zh.xlsx --by quarter")
    check("xlsales kpis team_rollup_2026-10_zh.xlsx --by member")
    check("xlsales kpis sample_team_2026-10_en.xlsx --period 2026 --write")


def test_target_from_examples(demo):
    check("xlsales consolidate members/*.xlsx -o team.xlsx --name 华东")
    make_south = ("xlsales consolidate members/陈静_2026-10.xlsx members/刘洋_2026-10.xlsx "
                  "members/杨帆_2026-10.xlsx -o south.xlsx")
    assert f"`{make_south}`" in README.replace("\n", " ")
    run(make_south)
    check("xlsales plan members/张伟_2026-10.xlsx --target-from south.xlsx")


def _roster(path: Path, rows: dict[str, tuple[dt.date | None, dt.date | None]]) -> None:
    """Type joining and leaving dates on the settings sheet's rep list of ``path``, as
    the README's example says (a name not on it typed in the row under it)."""
    book = openpyxl.load_workbook(path)
    sheet = book["设置"]
    top, bottom = sheet.tables["ListRep"].ref.split(":")
    column, last = sheet[top].column, sheet[bottom].row
    names = {sheet.cell(r, column).value: r for r in range(sheet[top].row + 1, last + 1)}
    for name, (joined, left) in rows.items():
        row = names.get(name) or last + 1
        sheet.cell(row, column, name)
        sheet.cell(row, column + 2, joined)
        sheet.cell(row, column + 3, left)
    book.save(path)


def test_leaver_and_joiner_examples(demo):
    assert "with 杨帆's 离职日期 typed as 2026-10-30 and a row\n赵六, 入职日期 2026-11-16" in README
    _roster(demo / "sample_team_2026-10_zh.xlsx",
            {"杨帆": (None, dt.date(2026, 10, 30)), "赵六": (dt.date(2026, 11, 16), None)})
    check("xlsales plan sample_team_2026-10_zh.xlsx")
    _roster(demo / "members" / "杨帆_2026-10.xlsx", {"杨帆": (None, dt.date(2026, 10, 30))})
    check("xlsales consolidate members -o team_rollup_2026-10_zh.xlsx --force",
          partly_shown="xlsales consolidate")


def test_quarter_from_month_books_example(demo):
    """The quarter book's report counts the months' previous actions and those reviewed:
    the README's months leave every status empty, so none is (it said "6 reviewed")."""
    for line in block_after("started\nfrom his plans"):
        run(line)
    check("xlsales new --period 2026-Q4 --from members/张伟_2026-10.xlsx --from "
          "张伟_2026-11.xlsx --from 张伟_2026-12.xlsx -o 张伟_2026-Q4.xlsx")
    actions = read_workbook(demo / "张伟_2026-Q4.xlsx").frame("ActionReview")
    printed = run("xlsales new --period 2026-Q4 --from members/张伟_2026-10.xlsx --from "
                  "张伟_2026-11.xlsx --from 张伟_2026-12.xlsx -o q.xlsx --lang en")
    assert f"{len(actions)} previous actions ({actions['status'].notna().sum()} with a status;" \
        in printed[1]
