"""``xlsales validate`` of several books warns when two of them set the same rep's target
for the same month (a manager's book and the rep's own), naming both files, the rep and
the months — before a roll-up of both counts it once. Two books of one owner (a rep's
months) and a roll-up (its members' targets) are not compared."""

from __future__ import annotations

import json

from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.workbook_data import BuildOptions, WorkbookData

MANAGER, REP, OTHER = "王芳", "张伟", "李娜"


def _books(folder):
    """张伟's own book with his targets, 李娜's without, and 王芳's (team level) setting
    both reps' targets."""
    members, team = sample_members("zh"), sample_workbook_data("zh")
    for rep, keep in ((REP, True), (OTHER, False)):
        data = members[rep]
        targets = data.tables["Targets"]
        build_workbook(folder / f"{rep}.xlsx",
                       BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep),
                       WorkbookData(info=data.info,
                                    tables={**data.tables,
                                            "Targets": targets if keep else targets.iloc[0:0]},
                                    lists=data.lists, assumptions=data.assumptions,
                                    budget_caps=data.budget_caps))
    targets = team.tables["Targets"]
    build_workbook(folder / f"{MANAGER}.xlsx",
                   BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=MANAGER,
                                level="team", role="manager"),
                   WorkbookData(info={**team.info, "owner": MANAGER},
                                tables={"Sales": members[MANAGER].tables["Sales"],
                                        "Targets": targets[targets["rep"].isin([REP, OTHER])]},
                                lists={**team.lists, "rep": [REP, OTHER, MANAGER]},
                                assumptions=team.assumptions, budget_caps=team.budget_caps))
    return [str(folder / f"{n}.xlsx") for n in (MANAGER, REP, OTHER)]


def test_a_target_two_books_set_is_a_warning_naming_both(tmp_path):
    """The text report names 张伟, his months and both files; 李娜, whose own book sets
    none, is not named; no error, so the exit code stays 0."""
    books = _books(tmp_path)
    result = CliRunner().invoke(main, ["validate", *books])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "target_in_two_books" in line]
    assert len(lines) == 1, result.stdout
    line = lines[0]
    month = SAMPLE_PERIOD.start.strftime("%Y-%m")
    assert f"{REP}.xlsx" in line and f"{MANAGER}.xlsx" in line and f"{REP} 的目标" in line
    assert f"~ {month}）" in line, line
    assert OTHER not in result.stdout.split("跨工作簿")[-1]


def test_the_json_gives_the_warning_to_the_book_at_its_cell(tmp_path):
    """In JSON the warning is 张伟's book's, at a cell of his Targets table, in English too."""
    books = _books(tmp_path)
    result = CliRunner().invoke(main, ["validate", *books, "--json"])
    found = {o["file"]: [f for f in o["findings"] if f["rule"] == "target_in_two_books"]
             for o in json.loads(result.stdout)}
    assert not found[books[0]] and not found[books[2]]
    (warning,) = found[books[1]]
    assert warning["severity"] == "warning" and warning["value"] == REP and warning["cell"]
    assert f"in {MANAGER}.xlsx" in warning["message_en"]
    month = SAMPLE_PERIOD.start.strftime("%Y-%m")
    # a run of months: '~' in Chinese, an en dash in English, as periods are written
    assert f" – {month} is set both" in warning["message_en"], warning["message_en"]
    assert f" ~ {month}）" in warning["message_zh"]


def test_one_owners_books_and_a_rollup_are_not_compared(tmp_path):
    """张伟's book given twice (two months of one owner) and the roll-up of the three
    books beside them: nothing said across them."""
    books = _books(tmp_path)
    out = tmp_path / "team.xlsx"
    made = CliRunner().invoke(main, ["consolidate", *books, "-o", str(out)])
    assert made.exit_code == 0, made.output
    copy = tmp_path / "张伟-2.xlsx"
    copy.write_bytes((tmp_path / f"{REP}.xlsx").read_bytes())
    result = CliRunner().invoke(main, ["validate", books[1], str(copy), str(out)])
    assert "target_in_two_books" not in result.stdout, result.stdout


def test_write_puts_the_warning_in_the_books_validation_sheet(tmp_path):
    """`validate BOOKS --write` printed the warning across the books and left it out of the
    book's validation sheet (written before the others were read): 张伟's sheet lists it
    now, at his Targets cell; the manager's and 李娜's, which it is not on, do not."""
    import openpyxl
    from sheet_values import table_rows

    books = _books(tmp_path)
    result = CliRunner().invoke(main, ["validate", *books, "--write"])
    assert result.exit_code == 0, result.output
    rules = {}
    for book in books:
        rows = table_rows(openpyxl.load_workbook(book), "Validation")
        rules[book] = [r for r in rows[1:] if r[5] == "target_in_two_books"]
    assert not rules[books[0]] and not rules[books[2]]
    (row,) = rules[books[1]]
    assert row[0] == "警告" and row[6] == REP and f"{MANAGER}.xlsx" in row[7], row
