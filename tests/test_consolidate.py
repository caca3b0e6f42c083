"""Roll-ups: exact figures for the whole, the members ranked, bad members reported and left
out, roll-ups of roll-ups equal to the direct roll-up, the plan of a roll-up decomposed over
its members, and the rows written in parallel equal to what the builder would write."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import zipfile
import zlib
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from openpyxl.utils.cell import range_boundaries
from sheet_values import error_cells, kpi_values, table_rows
from table_edits import saved_on

from xlsales import rollup_write as rollup_write_module
from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.consolidate import (
    MEMBER_KPIS,
    Member,
    consolidate,
    load_members,
    member_spec,
    name_members,
    report_lines,
)
from xlsales.errors import WorkbookError
from xlsales.files import command_path
from xlsales.findings import Severity
from xlsales.io.cellxml import inline_string
from xlsales.io.ooxml import read_layout
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import as_opened, recalculate
from xlsales.periods import Period
from xlsales.rollup_crc import crc32_combine
from xlsales.rollup_frames import CompactFrame, Sealed
from xlsales.rollup_layout import CellPlan, LayoutError
from xlsales.rollup_rank import member_ranking, whole_kpis
from xlsales.rollup_read import _chunks
from xlsales.rollup_render import _tail_of, _tails
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions, WorkbookData


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The sample team split into one workbook per rep (the first rep keeps the team's
    lessons)."""
    folder = tmp_path_factory.mktemp("members")
    paths = []
    for i, (rep, member) in enumerate(sample_members("en").items()):
        if i == 0:
            member.tables["Lessons"] = sample_workbook_data("en").tables["Lessons"]
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), member)
        paths.append(path)
    return sample_workbook_data("en"), paths


@pytest.fixture(scope="module")
def regions(team, tmp_path_factory):
    """Two team roll-ups (East: the first three reps, South: the others), the region
    rolled up from them, and the company rolled up from the region."""
    _, paths = team
    out = tmp_path_factory.mktemp("regions")
    runner = CliRunner()
    books = {"east": out / "east.xlsx", "south": out / "south.xlsx",
             "region": out / "region.xlsx", "company": out / "company.xlsx"}
    for key, members, name in (("east", paths[:3], "East"), ("south", paths[3:], "South")):
        result = runner.invoke(main, ["consolidate", *map(str, members), "-o", str(books[key]),
                                      "--name", name])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["consolidate", str(books["east"]), str(books["south"]), "-o",
                                  str(books["region"]), "--level", "region", "--name", "Region"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["consolidate", str(books["region"]), "-o", str(books["company"]),
                                "--level", "company", "--name", "Company"]).exit_code == 0
    return books


def assert_same_kpis(computed, expected):
    """LibreOffice's KPI values equal the engine's (empty where the engine has none)."""
    for key, value in expected.items():
        if value is None:
            assert computed[key] is None, key
        else:
            assert computed[key] == pytest.approx(value, rel=1e-9, abs=1e-6), key


def kpis_of(path):
    book = read_workbook(path)
    return compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period).kpis


def ranking_of(path) -> pd.DataFrame:
    rows = table_rows(openpyxl.load_workbook(path), "MemberRanking")
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_team_rollup_equals_the_kpis_of_all_rows(team, tmp_path):
    data, paths = team
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o", str(out),
                                       "--name", "Team 1", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "6 of 6 workbooks" in result.output
    whole = compute_kpis(data.tables, SAMPLE_PERIOD).kpis
    assert kpis_of(out) == pytest.approx(whole)
    book = read_workbook(out)
    assert book.info["owner"] == "Team 1" and book.info["level"] == "team"
    assert sorted(book.lists["rep"]) == sorted(data.lists["rep"])
    # every row names its member (here the rep whose workbook it came from)
    sales = book.frame("Sales")
    assert (sales["Member"] == sales["rep"]).all() and len(sales) == len(data.tables["Sales"])
    # problems of all members, ids kept apart; counted by category in the report
    assert len(book.frame("Problems")) == 6 and book.frame("Problems")["problem_id"].is_unique
    assert "problems by category" in result.output
    # the whole's headline figures printed are ratios of sums, equal to the exact KPIs
    assert f"revenue {whole['revenue']:,.0f}" in result.output
    assert f"attainment {whole['attainment']:.1%}" in result.output
    # every later command works on a roll-up as on any workbook
    assert CliRunner().invoke(main, ["plan", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_members_are_ranked_by_revenue_attainment_and_growth(team, tmp_path):
    data, paths = team
    out = tmp_path / "team.xlsx"
    rollup = consolidate(paths, out, "team", "Team 1", workers=1, progress=lambda _: None)
    by_rep = compute_kpis(data.tables, SAMPLE_PERIOD, by="rep").groups
    ranking = ranking_of(out)
    assert ranking["Member"].tolist() == rollup.ranking["member"].tolist()
    # complete: every member once, named from its info sheet
    assert sorted(ranking["Member"]) == sorted(data.lists["rep"])
    assert ranking["Status"].eq("included").all()
    # ordered by revenue, ranks 1..n; each member's figures are its own KPIs
    assert ranking["Revenue"].is_monotonic_decreasing
    assert ranking["Rank by revenue"].tolist() == list(range(1, 7))
    for row in ranking.to_dict("records"):
        own = by_rep[row["Member"]]
        assert row["Revenue"] == pytest.approx(own["revenue"])
        assert row["Attainment"] == pytest.approx(own["attainment"])
        assert row["Growth vs previous period"] == pytest.approx(own["mom_growth"])
    for rank, key in (("Rank by attainment", "Attainment"),
                      ("Rank by growth", "Growth vs previous period")):
        assert ranking.sort_values(rank)[key].is_monotonic_decreasing
        assert sorted(ranking[rank]) == list(range(1, 7))
    assert ranking["Share of revenue"].sum() == pytest.approx(1.0)
    # the whole, from the members' sums, equals the KPIs of all rows at once
    whole = compute_kpis(data.tables, SAMPLE_PERIOD).kpis
    for key, value in rollup.whole.items():
        assert value == pytest.approx(whole[key]), key
    title = openpyxl.load_workbook(out)["Member ranking"]["A2"].value
    assert f"revenue {whole['revenue']:,.0f}" in title and f"{whole['attainment']:.1%}" in title


def test_ranking_ties_and_missing_values():
    ranking = member_ranking([
        {"member": "b", "revenue": 10.0, "attainment": None, "mom_growth": 0.1},
        {"member": "a", "revenue": 10.0, "attainment": 0.5, "mom_growth": None},
        {"member": "c", "revenue": 30.0, "attainment": 0.9, "mom_growth": -0.2},
    ])
    assert ranking["member"].tolist() == ["c", "a", "b"]  # ties by name
    assert ranking["rank_revenue"].tolist() == [1, 2, 2]
    assert ranking["rank_attainment"].tolist() == [1, 2, None]  # no value: no rank
    assert ranking["rank_growth"].tolist() == [2, None, 1]
    assert ranking["revenue_share"].tolist() == pytest.approx([0.6, 0.2, 0.2])


def test_whole_ratios_are_recomputed_from_sums_never_averaged():
    whole = whole_kpis([{"revenue": 90.0, "target": 100.0, "revenue_previous": 50.0},
                        {"revenue": 10.0, "target": 100.0, "revenue_previous": 50.0}])
    assert whole["attainment"] == pytest.approx(0.5)  # the average of 90% and 10% is too
    assert whole["mom_growth"] == pytest.approx(0.0)  # the average of +80% and -80% is 0
    assert whole["win_rate"] is None and whole["gap"] == pytest.approx(100.0)
    skewed = whole_kpis([{"revenue": 99.0, "target": 100.0}, {"revenue": 1.0, "target": 10.0}])
    assert skewed["attainment"] == pytest.approx(100 / 110)  # not (99% + 10%) / 2


def test_bad_members_are_reported_and_left_out(team, tmp_path):
    _, paths = team
    folder = tmp_path / "members"
    folder.mkdir()
    for p in paths[:4]:
        shutil.copy(p, folder / p.name)
    (folder / "corrupt.xlsx").write_bytes(paths[4].read_bytes()[:5000])
    other = WorkbookData(info={"owner": "Late"}, tables={}, lists={"rep": ["Late"]})
    build_workbook(folder / "late.xlsx", BuildOptions(lang="en", period=Period.parse("2026-09"),
                                                      owner="Late"), other)
    # another period with validation errors too: the period is the reason that matters
    sales = read_workbook(paths[0]).frame("Sales").head(3).assign(amount=-1.0)
    build_workbook(folder / "late_errors.xlsx",
                   BuildOptions(lang="en", period=Period.parse("2026-09"), owner="Late"),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": [paths[0].stem]}))
    assert any(f.severity.value == "error"
               for f in validate(read_workbook(folder / "late_errors.xlsx")))
    out = tmp_path / "partial.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    # written without them, exit 2 so that a script notices (as export does)
    assert result.exit_code == 2 and out.exists(), result.output
    assert "4 of 7 workbooks" in result.output
    assert "left out corrupt.xlsx" in result.output and "cut off" in result.output
    assert "left out late.xlsx" in result.output and "2026-09" in result.output
    assert "left out late_errors.xlsx: its period 2026-09 differs" in result.output
    members = [p.stem for p in paths[:4]]
    assert sorted(read_workbook(out).frame("Sales")["rep"].unique()) == sorted(members)
    ranking = ranking_of(out)
    assert sorted(ranking["Member"].dropna()) == sorted(members)
    left = ranking[ranking["Status"].str.startswith("left out")]
    assert sorted(left["File"]) == ["corrupt.xlsx", "late.xlsx", "late_errors.xlsx"]
    assert left["Rank by revenue"].isna().all()
    assert left["Status"].str.contains("2026-09").any()


def test_a_folder_of_team_folders_says_how_to_take_them_in(team, tmp_path):
    """A director gives the company folder, whose workbooks sit in team folders: the
    error names those folders and a pattern that takes in subfolders; that pattern rolls
    every team up, leaving out Excel's lock file of a workbook someone has open."""
    _, paths = team
    company = tmp_path / "company"
    for folder, members in (("east", paths[:3]), ("south", paths[3:])):
        (company / folder).mkdir(parents=True)
        for p in members:
            shutil.copy(p, company / folder / p.name)
    (company / "east" / f"~${paths[0].name}").write_bytes(b"\x05Alice" + b"\x00" * 160)
    out = tmp_path / "company.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(company), "-o", str(out)])
    assert result.exit_code == 2
    pattern = str(company / "**" / "*.xlsx")
    assert "holds no workbook itself, but its folders (east, south) do" in result.output
    assert pattern in result.output
    result = CliRunner().invoke(main, ["consolidate", pattern, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} of {len(paths)} workbooks" in result.output
    # the workbook someone has open is rolled up as last saved, and the report says so
    assert (f"  note: {paths[0].name} is open in Excel, WPS or LibreOffice: rolled up as last "
            "saved; if it is being edited, save it and consolidate again") in result.stdout
    assert sum("is open in" in line for line in result.stdout.splitlines()) == 1
    # an output open in Excel is refused before the members are read, not after
    (out.parent / f"~${out.name}").write_bytes(b"\x05Owner" + b"\x00" * 160)
    refused = CliRunner().invoke(main, ["consolidate", pattern, "-o", str(out), "--force"])
    assert refused.exit_code == 2 and "read and validated" not in refused.stderr
    assert "company.xlsx" in refused.output and "buttons" not in refused.output  # none do it
    (out.parent / f"~${out.name}").unlink()
    # a workbook of its own beside the team folders: rolled up, and the folders not read
    # (in both languages, on stderr and in the report: a rep's book may be in one; exit 2)
    shutil.copy(paths[0], company / "hq.xlsx")
    result = CliRunner().invoke(main, ["consolidate", str(company), "-o", str(out), "--force"])
    assert result.exit_code == 2, result.output
    assert "1 of 1 workbooks" in result.output
    for team_folder in ("east", "south"):
        en = ("its workbooks are not read: only the files of the folder given are (a "
              f"pattern such as \"{pattern}\" takes in its folders)")
        assert f"[consolidate] {company / team_folder}: 其中的工作簿不会读取" in result.stderr
        assert f" / {en}" in result.stderr
        assert f"  not read {company / team_folder}: {en}" in result.stdout


def test_inputs_that_yield_no_workbook_are_named_in_the_report(team, tmp_path):
    """A team folder holding an old `.xls` beside the `.xlsx` files, a pattern with a
    typo and an empty folder given beside it: the roll-up is made of the others, and the
    report names each — the `.xls` among the members left out (on the ranking sheet
    too), the pattern and the folder on lines of their own; stderr says so as well."""
    _, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for p in paths[:2]:
        shutil.copy(p, folder / p.name)
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    empty = tmp_path / "empty"
    empty.mkdir()
    typo = tmp_path / "teem" / "*.xlsx"
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), str(typo), str(empty),
                                       "-o", str(out)])
    assert result.exit_code == 2, result.output  # a member left out
    assert "2 of 3 workbooks" in result.output
    assert "left out old.xls: an old Excel 97-2003 workbook (.xls), not read" in result.output
    assert f"not read {typo}: the pattern matches no file (a typo?)" in result.output
    assert f"not read {empty}: the folder holds no workbook (.xlsx / .xlsm)" in result.output
    assert f"[consolidate] {typo}: " in result.output
    assert "old.xls" in set(ranking_of(out)["File"])


def test_a_rollup_written_into_its_members_folder_is_not_rolled_up_again(team, tmp_path):
    """`consolidate team -o team/rollup.xlsx`, run again after a rep's update: the
    earlier output sits in the folder and would count every member twice; it is left
    out with its reason, and the whole stays the members' sum."""
    _, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for p in paths:
        shutil.copy(p, folder / p.name)
    out = folder / "rollup.xlsx"
    first = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert first.exit_code == 0, first.output
    revenue = read_workbook(out).frame("Sales")["amount"].sum()
    again = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--force"])
    assert again.exit_code == 0, again.output
    assert f"{len(paths)} of {len(paths) + 1} workbooks" in again.output
    assert "left out rollup.xlsx: it is the output this roll-up writes" in again.output
    assert read_workbook(out).frame("Sales")["amount"].sum() == pytest.approx(revenue)
    alone = CliRunner().invoke(main, ["consolidate", str(out), "-o", str(out), "--force"])
    assert alone.exit_code == 2 and "would count them twice" in alone.output


def test_a_member_given_beside_a_rollup_holding_it_counts_once(team, regions, tmp_path):
    """A rep's workbook given beside the team roll-up that holds it (same name, every
    order there) would count twice: it is left out with why, and the whole is the team
    roll-up's. A namesake with other orders is another person and stays."""
    _, paths = team
    alice = paths[0]
    out = tmp_path / "mixed.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(regions["east"]), str(alice), "-o",
                                       str(out), "--level", "region"])
    assert result.exit_code == 0, result.output
    assert f"left out {alice.name}: east.xlsx holds it already" in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(kpis_of(regions["east"])["revenue"])

    namesake = tmp_path / "namesake.xlsx"
    sales = read_workbook(alice).frame("Sales").head(5).copy()
    sales["order_id"] = [f"NEW-{i}" for i in range(len(sales))]
    build_workbook(namesake, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   WorkbookData(tables={"Sales": sales}, lists={"rep": [alice.stem]}))
    both = tmp_path / "both.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(regions["east"]), str(namesake), "-o",
                                       str(both), "--level", "region"])
    assert result.exit_code == 0, result.output
    assert "2 of 2 workbooks" in result.output


def test_a_newer_version_of_a_member_beside_the_rollup_holding_it_counts_once(
        team, regions, tmp_path):
    """A rep adds an order and sends the book to the director beside the team's roll-up
    holding the older version: both were rolled up (revenue and target of that rep twice,
    exit 0). The rep's book is left out, saying to roll the team up again with it."""
    _, paths = team
    alice = paths[0]
    newer = tmp_path / alice.name
    book = read_workbook(alice)
    sales = book.frame("Sales")
    added = sales.iloc[[0]].assign(order_id="NEW-1")
    member = sample_members("en")[alice.stem]
    member.tables["Sales"] = pd.concat([member.tables["Sales"], added], ignore_index=True)
    build_workbook(newer, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   member)
    out = tmp_path / "region.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(regions["east"]), str(newer), "-o",
                                       str(out), "--level", "region"])
    assert result.exit_code == 2, result.output  # a member left out
    assert (f"left out {newer.name}: member {alice.stem} of east.xlsx is another version of "
            f"this workbook ({len(sales):,} orders in common, 1 more here)") in result.output
    assert "Consolidate the team of east.xlsx again with this file" in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(kpis_of(regions["east"])["revenue"])
    assert kpis_of(out)["target"] == pytest.approx(kpis_of(regions["east"])["target"])


def test_a_second_copy_of_a_reps_workbook_counts_once(team, tmp_path):
    """`Alice.xlsx` and `Alice (1).xlsx` in the team's folder: the copy (the one named as a
    copy, though it sorts first) is left out with why and the whole stays the team's; an
    older version whose orders are all in the newer one is left out too (saved earlier);
    a namesake (same owner) with other orders stays."""
    data, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for p in paths:
        shutil.copy(p, folder / p.name)
    alice = paths[0]
    shutil.copy(alice, folder / f"{alice.stem} (1).xlsx")
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output  # nothing missing: a copy
    assert f"{len(paths)} of {len(paths) + 1} workbooks" in result.output
    # the file named as a copy is the one left out, whatever the order given
    assert f"left out {alice.stem} (1).xlsx: every one of its orders is in {alice.name} too" \
        in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(
        compute_kpis(data.tables, SAMPLE_PERIOD).kpis["revenue"])

    sales = read_workbook(alice).frame("Sales")
    (folder / f"{alice.stem} (1).xlsx").unlink()
    older = folder / "older.xlsx"  # the same rep's file before its last orders
    build_workbook(older, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   WorkbookData(tables={"Sales": sales.head(10)}, lists={"rep": [alice.stem]}))
    saved_on(older, "2023-11-14T22:13:20Z")  # saved before Alice's book (Excel's record)
    os.utime(older, (1_700_000_000, 1_700_000_000))
    namesake = folder / "namesake.xlsx"
    other = sales.head(5).assign(order_id=[f"NEW-{i}" for i in range(5)])
    build_workbook(namesake, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   WorkbookData(tables={"Sales": other}, lists={"rep": [alice.stem]}))
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert f"{len(paths) + 1} of {len(paths) + 2} workbooks" in result.output
    assert (f"left out older.xlsx: two versions of {alice.stem}'s workbook "
            f"({len(sales) - 10:,} orders more there): rolled up the one saved later, "
            f"{alice.name} (") in result.output


@pytest.mark.parametrize("change", ["amount corrected", "order deleted"])
def test_a_corrected_version_of_a_reps_workbook_is_rolled_up_not_left_out_as_a_copy(
        team, tmp_path, change):
    """A rep's book and its newer version (saved later) with an amount corrected (the same
    order ids) or a cancelled order deleted (a subset of them): two versions, not a copy —
    the newer one is rolled up whichever is given first, the older left out saying so."""
    _, paths = team
    alice = paths[0]
    sales = read_workbook(alice).frame("Sales")
    if change == "amount corrected":
        fixed = sales.copy()
        fixed.loc[fixed.index[0], ["quantity", "amount"]] = [
            1.0, float(fixed["unit_price"].iloc[0])]
    else:
        fixed = sales.iloc[1:]
    folder = tmp_path / "team"
    folder.mkdir()
    old = folder / f"{alice.stem}.xlsx"
    new = folder / f"{alice.stem} v2.xlsx"
    shutil.copy(alice, old)
    build_workbook(new, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   WorkbookData(tables={"Sales": fixed}, lists={"rep": [alice.stem]}))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    for order in ([old, new], [new, old]):
        out = tmp_path / "team.xlsx"
        result = CliRunner().invoke(main, ["consolidate", *map(str, order), "-o", str(out),
                                           "--force"])
        assert result.exit_code == 0, result.output
        assert "1 of 2 workbooks" in result.output
        assert (f"left out {old.name}: two versions of {alice.stem}'s workbook") in result.output
        assert f"rolled up the one saved later, {new.name}" in result.output
        kept = read_workbook(out).frame("Sales")
        assert sorted(kept["amount"].dropna()) == sorted(fixed["amount"].dropna())


def test_a_copy_of_a_book_without_orders_counts_once(tmp_path):
    """`Ivy.xlsx` (targets, no orders yet) and its copy `Ivy (1).xlsx`: the copy is left
    out, her target counted once; another book of hers with other targets stays."""
    folder = tmp_path / "team"
    folder.mkdir()
    targets = pd.DataFrame({"period": [SAMPLE_PERIOD.start], "rep": ["Ivy"],
                            "revenue_target": [25000.0]})
    ivy = folder / "Ivy.xlsx"
    build_workbook(ivy, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="Ivy"),
                   WorkbookData(tables={"Targets": targets}, lists={"rep": ["Ivy"]}))
    shutil.copy(ivy, folder / "Ivy (1).xlsx")
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 of 2 workbooks" in result.output
    assert ("left out Ivy (1).xlsx: it holds the very same rows as Ivy.xlsx (the same owner "
            "Ivy, no orders: a copy)") in result.output
    assert kpis_of(out)["target"] == pytest.approx(25000.0)

    (folder / "Ivy (1).xlsx").unlink()
    build_workbook(folder / "other.xlsx", BuildOptions(lang="en", period=SAMPLE_PERIOD,
                                                       owner="Ivy"),
                   WorkbookData(tables={"Targets": targets.assign(revenue_target=5000.0)},
                                lists={"rep": ["Ivy"]}))
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--force"])
    assert result.exit_code == 0 and "2 of 2 workbooks" in result.output, result.output


def test_a_team_rollup_given_beside_the_region_holding_it_counts_once(team, regions,
                                                                      tmp_path):
    """A director's folder holding the region's roll-up and the team roll-ups it was made
    from (and a rep's own file): each team and the rep are held by a roll-up given
    beside them and are left out with why; the whole is the region's."""
    _, paths = team
    folder = tmp_path / "director"
    folder.mkdir()
    for key in ("region", "east", "south"):
        shutil.copy(regions[key], folder / regions[key].name)
    shutil.copy(paths[0], folder / paths[0].name)
    shutil.copy(paths[3], folder / "zz.xlsx")  # a South rep's file, looked at after South
    out = tmp_path / "company.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out),
                                       "--level", "company"])
    assert result.exit_code == 0, result.output
    assert "1 of 5 workbooks" in result.output
    assert "left out east.xlsx: region.xlsx holds it already" in result.output
    assert "left out south.xlsx: region.xlsx holds it already" in result.output
    # the rep's own files: held by the region's roll-up, the one rolled up (not by
    # east.xlsx, itself left out)
    for name in (paths[0].name, "zz.xlsx"):
        assert (f"left out {name}: region.xlsx holds every one of its orders already (it "
                "includes this workbook)") in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(kpis_of(regions["region"])["revenue"])


def test_of_two_versions_of_a_reps_workbook_the_later_saved_is_rolled_up(team, tmp_path):
    """`Alice.xlsx` and `Alice v2.xlsx`: the same owner, most orders in both, each with
    an order the other lacks. Rolling both up would count the shared orders twice; the
    one saved earlier is left out with
    why and what to do, whichever order they are given in."""
    data, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for p in paths:
        shutil.copy(p, folder / p.name)
    alice = folder / paths[0].name
    sales = read_workbook(alice).frame("Sales")
    newer = folder / "v2.xlsx"  # one order dropped, one added
    added = sales.tail(1).assign(order_id="NEW-1", amount=1000.0, quantity=1.0,
                                 unit_price=1000.0)
    build_workbook(newer, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=paths[0].stem),
                   WorkbookData(tables={"Sales": pd.concat([sales.iloc[1:], added])},
                                lists={"rep": [paths[0].stem]}))
    saved_on(alice, "2023-11-14T22:13:20Z")  # saved before v2 (Excel's record)
    os.utime(alice, (1_700_000_000, 1_700_000_000))
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} of {len(paths) + 1} workbooks" in result.output
    assert (f"left out {alice.name}: it shares {len(sales) - 1:,} orders with v2.xlsx "
            "(the same owner") in result.output
    expected = read_workbook(out).frame("Sales")
    assert expected["order_id"].is_unique and "NEW-1" in set(expected["order_id"])
    assert not any(f.severity.value == "error" for f in validate(read_workbook(out)))

    saved_on(newer, "2020-09-13T12:26:40Z")  # now the v2 file is the older one
    os.utime(newer, (1_600_000_000, 1_600_000_000))
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert f"left out v2.xlsx: it shares {len(sales) - 1:,} orders with {alice.name}" \
        in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(
        compute_kpis(data.tables, SAMPLE_PERIOD).kpis["revenue"])


def test_the_same_workbook_under_another_owner_counts_once(team, tmp_path):
    """A rep's workbook saved again under another owner's name (`A. Chen` for Alice
    Chen): every one of its orders is in the other, so it is left out with why — the
    whole stays the team's."""
    data, paths = team
    alice = paths[0]
    renamed = tmp_path / "renamed.xlsx"
    build_workbook(renamed, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="A. Chen"),
                   WorkbookData(tables={"Sales": read_workbook(alice).frame("Sales")},
                                lists={"rep": [alice.stem]}))
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths), str(renamed), "-o",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert (f"left out renamed.xlsx: every one of its orders is in {alice.name} too (there "
            f"under the owner {alice.stem}") in result.output
    assert "more than one member" not in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(
        compute_kpis(data.tables, SAMPLE_PERIOD).kpis["revenue"])

    # a new rep whose only deals Alice's book records too: another person, reported
    junior = tmp_path / "junior.xlsx"
    deals = read_workbook(alice).frame("Sales").head(2).assign(rep="Junior")
    build_workbook(junior, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="Junior"),
                   WorkbookData(tables={"Sales": deals}, lists={"rep": ["Junior"]}))
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths), str(junior), "-o",
                                       str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert f"{len(paths) + 1} of {len(paths) + 1} workbooks" in result.output
    assert "2 orders are in more than one member's workbook" in result.output


@pytest.fixture(scope="module")
def mixed(team, tmp_path_factory):
    """A team of three: Alice's workbook in English (`Customer churn`, `Process`, regions
    and products such as `East`, `Standard`), Zhang Wei's and Wang Fang's in Chinese
    (`客户流失`, `流程`, `回款`, `华东`, `标准版` …), each with its own orders."""
    _, paths = team
    folder = tmp_path_factory.mktemp("mixed")
    members = [paths[0]]
    for rep, member in list(sample_members("zh").items())[:2]:
        sales = member.tables["Sales"]
        member.tables["Sales"] = sales.assign(order_id="ZH-" + sales["order_id"].astype(str))
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), member)
        members.append(path)
    return members


def test_a_zh_and_an_en_members_problems_are_summed_by_category(mixed, tmp_path):
    """The roll-up (Chinese, as most members) counts each default category once, in
    Chinese, and its plan finds the playbook's actions for every one of them, whichever
    language the playbook is in."""
    members = mixed
    rollup = consolidate(members, tmp_path / "mixed.xlsx", "team", "Mixed",
                         progress=lambda _: None)
    assert len(rollup.included) == 3 and rollup.lang == "zh"
    summary = rollup.problems
    assert summary.loc["客户流失", "count"] == 2 and summary.loc["客户流失", "members"] == 2
    assert summary.loc["流程", "count"] == 2 and summary.loc["回款", "count"] == 1
    assert "Customer churn" not in summary.index and summary["count"].sum() == 5
    assert rollup.plan is not None
    actions = rollup.plan.tables["PlanActions"]
    assert len(actions) and not actions["what"].astype(str).str.startswith(
        ("【待完善】", "[To complete]")).any()
    # the budget caps alike: one cap per category, the members' caps summed
    caps = rollup.data.budget_caps.set_index("category")["monthly_cap"]
    assert list(caps.index) == ["客户礼品", "市场活动", "差旅", "培训", "工具"]
    assert caps["客户礼品"] == pytest.approx(3 * 5000.0)
    budget = rollup.plan.tables["PlanBudget"]
    assert len(budget) and budget["cap"].notna().all()
    assert set(budget["category"]) <= set(caps.index)


def test_a_mixed_rollup_names_regions_and_products_in_its_language(mixed, tmp_path):
    """Alice's `East` and `Standard` are Zhang Wei's `华东` and `标准版`: in the roll-up
    (Chinese) every built-in region, product and category is named in Chinese — the
    rows, the lists, the playbook — so its KPIs by region and by product, and the price,
    volume and mix effects (computed per product), equal those of all members' rows
    with the same names, as LibreOffice computes them too."""
    from xlsales.spec.declarations import PRODUCTS, REGIONS

    out = tmp_path / "mixed.xlsx"
    consolidate(mixed, out, "team", "Mixed", progress=lambda _: None)
    book = read_workbook(out)
    assert set(book.frame("Sales")["product"]) <= {d.zh for d in PRODUCTS.defaults}
    assert set(book.frame("Sales")["region"]) <= {d.zh for d in REGIONS.defaults}
    assert "East" not in book.lists["region"] and "Standard" not in book.lists["product"]
    assert "Customer churn" not in set(book.frame("Playbook")["category"])

    def named(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(**{k: frame[k].map(lambda v, s=s: s.default_in(v, "zh"))
                               for k, s in (("region", REGIONS), ("product", PRODUCTS))
                               if k in frame})

    rows = [read_workbook(p) for p in mixed]
    whole = {t: pd.concat([named(b.frame(t)) for b in rows if t in b.tables],
                          ignore_index=True) for t in ("Sales", "Targets", "Activities")}
    frames = {n: t.frame for n, t in book.tables.items()}
    for by in ("product", "region"):
        got = compute_kpis(frames, SAMPLE_PERIOD, by=by)
        expected = compute_kpis(whole, SAMPLE_PERIOD, by=by)
        assert set(got.groups) == set(expected.groups) and len(got.groups) <= 4, by
        for group, kpis in expected.groups.items():
            assert got.groups[group]["revenue"] == pytest.approx(kpis["revenue"]), (by, group)
    got, expected = compute_kpis(frames, SAMPLE_PERIOD), compute_kpis(whole, SAMPLE_PERIOD)
    for key in ("price_effect", "volume_effect", "mix_effect", "revenue"):
        assert got.kpis[key] == pytest.approx(expected.kpis[key]), key
    recalculated = openpyxl.load_workbook(recalculate(out, tmp_path / "lo"), data_only=True)
    assert kpi_values(recalculated)["mix_effect"] == pytest.approx(expected.kpis["mix_effect"])


def test_lang_chooses_the_rollups_language(mixed, tmp_path):
    """Most of the mixed team is Chinese; `--lang en` writes the roll-up in English: its
    sheets, its regions and products, its problem summary."""
    from xlsales.spec.declarations import PRODUCTS

    out = tmp_path / "mixed_en.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, mixed), "-o", str(out),
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Customer churn: 2" in result.output
    book = read_workbook(out)
    assert book.lang == "en" and "Sales" in openpyxl.load_workbook(out).sheetnames
    assert set(book.frame("Sales")["product"]) <= {d.en for d in PRODUCTS.defaults}


def test_a_rep_name_in_two_members_books_is_reported(team, tmp_path):
    """Two teams each have a rep called Alice Chen (王伟 is a common name): figures by rep
    count the name once, so the report says so and what to do; members whose reps are
    apart give no such line."""
    _, paths = team
    books = []
    for team_name, path in (("East", paths[0]), ("South", paths[1])):
        sales = read_workbook(path).frame("Sales").assign(rep=paths[0].stem)
        book = tmp_path / f"{team_name}.xlsx"
        build_workbook(book, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=team_name),
                       WorkbookData(tables={"Sales": sales}, lists={"rep": [paths[0].stem]}))
        books.append(book)
    out = tmp_path / "region.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, books), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (f"1 rep has sales rows in more than one member's workbook ({paths[0].stem} in "
            "East, South): figures by rep list such a name once per member") in result.output
    status = ranking_of(out).set_index("Member")["Status"]
    assert status["East"] == f"included: rep {paths[0].stem} also in South's workbook"
    apart = CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o",
                                      str(tmp_path / "team.xlsx")])
    assert apart.exit_code == 0 and "sales rows in more than one" not in apart.output
    # said again where figures by rep are read later: `kpis --by rep`, which lists the
    # name once per member; the export's kpis_by_rep of a roll-up is keyed by member and
    # rep, the two apart: nothing to say
    said = (f"note: these rep names are in several members' rows, and figures by rep "
            f"list them apart, once per member (the member named after the rep): "
            f"{paths[0].stem} (East, South)")
    by_rep = CliRunner().invoke(main, ["kpis", str(out), "--by", "rep", "--json"])
    assert by_rep.exit_code == 0 and said in by_rep.stderr
    by = json.loads(by_rep.stdout)["by"]  # stdout stays JSON, the two apart by member
    assert {f"{paths[0].stem} (East)", f"{paths[0].stem} (South)"} <= set(by)
    export = CliRunner().invoke(main, ["export", str(out), "-o", str(tmp_path / "x"),
                                       "--tables", "kpis_by_rep"])
    assert export.exit_code == 0 and said not in export.output
    for quiet in (["kpis", str(out)], ["kpis", str(tmp_path / "team.xlsx"), "--by", "rep"]):
        assert "rep names are in several" not in CliRunner().invoke(main, quiet).output


def test_a_member_without_targets_is_said_to_raise_the_wholes_attainment(team, tmp_path):
    """A rep who filled in no targets: the whole's attainment takes their revenue against
    no target (136.8 % where the reps with targets made 98.4 %). The report says so with
    the attainment of the members that have targets, and the ranking sheet names them."""
    _, paths = team
    bare = tmp_path / "bare.xlsx"
    member = read_workbook(paths[0])
    tables = {n: t.frame for n, t in member.tables.items() if n != "Targets"}
    build_workbook(bare, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=paths[0].stem),
                   WorkbookData(tables=tables, lists=member.lists))
    out = tmp_path / "team.xlsx"
    books = [bare, *paths[1:]]
    result = CliRunner().invoke(main, ["consolidate", *map(str, books), "-o", str(out)])
    assert result.exit_code == 0, result.output
    kpis = [compute_kpis({n: t.frame for n, t in read_workbook(b).tables.items()},
                         SAMPLE_PERIOD).kpis for b in books]
    with_targets = [k for k in kpis if k["target"]]
    part = sum(k["revenue"] for k in with_targets) / sum(k["target"] for k in with_targets)
    whole = sum(k["revenue"] for k in kpis) / sum(k["target"] for k in with_targets)
    assert (f"  note: {paths[0].stem} has no targets: its revenue counts in the whole against "
            f"no target, so the whole's attainment {whole:.1%} runs high; the members with "
            f"targets attain {part:.1%} together.") in result.output
    status = ranking_of(out).set_index("Member")["Status"]
    assert status[paths[0].stem] == "included: no targets: its revenue counts in the whole, " \
        "against no target"
    assert (status.drop(paths[0].stem) == "included").all()
    fine = CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o",
                                     str(tmp_path / "all.xlsx")])
    assert fine.exit_code == 0 and "no targets" not in fine.output


def test_an_order_in_two_reps_workbooks_is_reported(team, tmp_path):
    """Two reps' workbooks both holding an order (the CRM gives it one id): the roll-up
    counts it for each, so the report says which orders and whose, and validating the
    roll-up lists them as warnings naming both members — not errors, so the team is
    rolled up again into the region (team → region equals the region rolled up from the
    reps). Without such orders the report says nothing."""
    _, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for p in paths[2:]:
        shutil.copy(p, folder / p.name)
    alice, bob = (read_workbook(p).frame("Sales") for p in paths[:2])
    taken = alice.head(2).assign(rep=paths[1].stem)  # two of Alice's orders, in Bob's book too
    for path, sales in ((paths[0], alice), (paths[1], pd.concat([bob, taken]))):
        targets = read_workbook(path).frame("Targets")  # kept: no "no targets" note
        build_workbook(folder / path.name,
                       BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=path.stem),
                       WorkbookData(tables={"Sales": sales, "Targets": targets},
                                    lists={"rep": [path.stem]}))
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(paths)} of {len(paths)} workbooks" in result.output
    first = taken["order_id"].iloc[0]
    assert "2 orders are in more than one member's workbook" in result.output
    assert f"{first} in {paths[0].stem}, {paths[1].stem}" in result.output
    findings = validate(read_workbook(out))
    assert not [f for f in findings if f.severity.value == "error"]
    shared = [f for f in findings if f.rule == "shared_id"]
    assert sorted(f.value for f in shared) == sorted(taken["order_id"])
    assert all(f.severity.value == "warning" and f"({paths[0].stem}, {paths[1].stem};"
               in f.message_en for f in shared)
    region = tmp_path / "region.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(out), "-o", str(region),
                                       "--level", "region"])
    assert result.exit_code == 0 and "1 of 1 workbooks" in result.output, result.output
    assert kpis_of(region) == pytest.approx(kpis_of(out))
    assert [f.rule for f in validate(read_workbook(region)) if f.severity.value != "info"] \
        == ["shared_id"] * len(taken)
    status = ranking_of(out).set_index("Member")["Status"]  # the roll-up says so too
    assert status[paths[0].stem] == f"included: 2 orders also in {paths[1].stem}'s workbook"
    assert status[paths[1].stem] == f"included: 2 orders also in {paths[0].stem}'s workbook"
    assert status[paths[2].stem] == "included"

    clean = CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o",
                                      str(tmp_path / "clean.xlsx")])
    assert clean.exit_code == 0 and "more than one member" not in clean.output


def test_an_order_twice_in_one_members_rows_of_a_rollup_is_a_duplicate(team, tmp_path):
    """In a roll-up only an order held by two members (or two reps of one member) is
    each one's: the same order twice in one member's rows stays a duplicate_id error."""
    _, paths = team
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths[:2]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = next(w for w in wb.worksheets if "Sales" in w.tables)
    _, r1, _, _ = range_boundaries(ws.tables["Sales"].ref)
    header = [c.value for c in ws[r1]]
    member, order = header.index("Member"), header.index("Order ID")
    rows = [r for r in ws.iter_rows(min_row=r1 + 1) if r[member].value == paths[1].stem]
    rows[1][order].value = rows[0][order].value
    wb.save(out)
    findings = [f for f in validate(read_workbook(out)) if f.rule in ("duplicate_id",
                                                                       "shared_id")]
    assert [(f.rule, f.row, f.value) for f in findings] == [
        ("duplicate_id", rows[1][order].row, rows[0][order].value)]


#: The roll-up's result sheets as users and finance know them: sheet names, Table names,
#: headers in both languages, number formats and column widths (written down here, not read
#: from the spec, so that moving their declaration cannot change them unnoticed).
ROLLUP_SHEETS = {
    "MemberRanking": {
        "zh": ("成员排名", ["销售额排名", "成员", "层级", "销售额", "销售额占比", "目标",
                        "目标完成率", "完成率排名", "环比增长", "增长排名", "同比增长", "成交单数",
                        "成交客户数", "赢单率", "回款率", "文件", "状态"]),
        "en": ("Member ranking", ["Rank by revenue", "Member", "Level", "Revenue",
                                  "Share of revenue", "Target", "Attainment", "Rank by attainment",
                                  "Growth vs previous period", "Rank by growth",
                                  "Growth vs last year", "Deals won", "Customers won", "Win rate",
                                  "Collection rate", "File", "Status"]),
        "formats": ["#,##0", "General", "General", "#,##0.00", "0.00%", "#,##0.00", "0.00%",
                    "#,##0", "0.00%", "#,##0", "0.00%", "#,##0", "#,##0", "0.00%", "0.00%",
                    "General", "General"],
        "widths": [10, 18, 10, 14, 10, 14, 10, 10, 12, 10, 12, 10, 10, 10, 10, 24, 40],
    },
    "ProblemSummary": {
        "zh": ("问题汇总", ["类别", "问题数", "影响金额", "影响占比", "涉及成员数"]),
        "en": ("Problem summary", ["Category", "Problems", "Impact", "Share of impact",
                                   "Members reporting"]),
        "formats": ["General", "#,##0", "#,##0.00", "0.00%", "#,##0"],
        "widths": [16, 10, 14, 10, 12],
    },
}


def _table_cells(wb: openpyxl.Workbook, table: str) -> tuple[str, list[list[openpyxl.cell.Cell]]]:
    """The sheet holding Excel Table ``table`` and the table's cells, header row first."""
    for ws in wb.worksheets:
        if table in ws.tables:
            ref = ws.tables[table]
            c1, r1, c2, r2 = range_boundaries(ref if isinstance(ref, str) else ref.ref)
            return ws.title, [list(r) for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1,
                                                            max_col=c2)]
    raise KeyError(table)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rollup_sheets_are_the_ones_users_know(lang, tmp_path):
    """The ranking and problem-summary sheets keep their names, Table names, zh/en headers,
    number formats, widths and values; they come after the KPI sheet, only in a roll-up,
    and reading or validating the roll-up ignores them."""
    data = sample_workbook_data(lang)
    paths = []
    for rep, member in sample_members(lang).items():
        path = tmp_path / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang=lang, period=SAMPLE_PERIOD, owner=rep), member)
        paths.append(path)
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out" / "team.xlsx"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths),
                                       str(tmp_path / "broken.xlsx"), "-o", str(out),
                                       "--name", "Team 1"])
    assert result.exit_code == 2, result.output  # a member left out
    wb = openpyxl.load_workbook(out)
    zh = lang == "zh"
    kpi_sheet = "KPI" if zh else "KPIs"
    names = {table: ROLLUP_SHEETS[table][lang][0] for table in ROLLUP_SHEETS}
    at = wb.sheetnames.index(kpi_sheet)
    assert wb.sheetnames[at + 1:at + 3] == [names["MemberRanking"], names["ProblemSummary"]]
    cells = {}
    for table, expected in ROLLUP_SHEETS.items():
        sheet, rows = _table_cells(wb, table)
        assert sheet == names[table]
        assert [c.value for c in rows[0]] == expected[lang][1]
        assert [c.number_format for c in rows[1]] == expected["formats"]
        ws = wb[sheet]
        widths = [ws.column_dimensions[c.column_letter].width for c in rows[0]]
        # English headers' long words widen a column (test_header_widths.py), never narrow it
        assert (widths == expected["widths"] if zh
                else all(w >= e for w, e in zip(widths, expected["widths"], strict=True)))
        assert ws.sheet_properties.tabColor.rgb == "FF7030A0"
        cells[table] = [[c.value for c in r] for r in rows[1:]]
    # the ranking: the members by revenue with their own KPIs, then the file left out
    *members, left_out = cells["MemberRanking"]
    by_rep = compute_kpis(data.tables, SAMPLE_PERIOD, by="rep").groups
    assert [r[0] for r in members] == list(range(1, 7))
    assert sorted(r[1] for r in members) == sorted(data.lists["rep"])
    for _, member, level, revenue, *_, file, status in members:
        assert level == ("个人" if zh else "Individual")
        assert revenue == pytest.approx(by_rep[member]["revenue"])
        assert (file, status) == (f"{member}.xlsx", "已合并" if zh else "included")
    assert sum(r[4] for r in members) == pytest.approx(1.0)
    assert left_out[:15] == [None] * 15 and left_out[15] == "broken.xlsx"
    # its data is missing (not a copy held otherwise): a roll-up of this one says so too
    assert left_out[16].startswith("未合并，本表缺少它的数据：" if zh
                                   else "left out, its data missing here: ")
    # the problems by category: every problem counted once, its impact summed
    problems = data.tables["Problems"]
    summary = cells["ProblemSummary"]
    assert sum(r[1] for r in summary) == len(problems)
    assert sum(r[2] for r in summary) == pytest.approx(problems["impact_amount"].sum())
    assert sum(r[3] for r in summary) == pytest.approx(1.0)
    assert {r[0] for r in summary} == set(problems["category"])
    # result sheets: read and validated as the KPI report is, i.e. not at all — but for
    # the warning that the roll-up lacks the file it left out
    book = read_workbook(out)
    assert not {"MemberRanking", "ProblemSummary"} & set(book.tables)
    assert [(f.rule, f.severity, f.value) for f in validate(book)
            if f.sheet in names.values()] == [
        ("rollup_incomplete", Severity.WARNING, "broken.xlsx")]
    # never part of a new workbook
    fresh = tmp_path / "new.xlsx"
    assert CliRunner().invoke(main, ["new", "--lang", lang, "-o", str(fresh)]).exit_code == 0
    assert not set(names.values()) & set(openpyxl.load_workbook(fresh).sheetnames)


def test_team_region_company_equals_the_direct_rollup(team, regions, tmp_path):
    _, paths = team
    direct = tmp_path / "direct.xlsx"
    assert CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o", str(direct),
                                     "--level", "company"]).exit_code == 0
    company = regions["company"]
    assert kpis_of(company) == pytest.approx(kpis_of(direct))
    assert kpis_of(company)["customers"] == kpis_of(direct)["customers"]
    # a region ranks its teams; their revenues add up to the region's
    ranking = ranking_of(regions["region"])
    assert ranking["Member"].tolist() == sorted(["East", "South"], key=lambda m: -kpis_of(
        regions[m.lower()])["revenue"])
    assert ranking["Level"].tolist() == ["Team", "Team"]
    assert ranking["Revenue"].sum() == pytest.approx(kpis_of(regions["region"])["revenue"])
    # rows name their direct member: teams in the region, the region in the company
    assert set(read_workbook(regions["region"]).frame("Sales")["Member"]) == {"East", "South"}
    assert set(read_workbook(company).frame("Sales")["Member"]) == {"Region"}
    assert read_workbook(company).frame("Problems")["problem_id"].is_unique


def test_plan_of_a_rollup_decomposes_over_its_members(regions, tmp_path):
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["plan", str(regions["region"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    targets = read_workbook(out).frame("PlanTargets")
    revenue = targets[targets["kpi"] == "revenue"]
    total = revenue[(revenue["rep"] == "Region") & revenue["basis"].str.contains("revenue")]
    assert len(total) == 1
    whole = float(total["value"].iloc[0])
    parts = revenue[revenue["rep"] != "Region"]
    assert set(parts["rep"]) == {"East", "South"}  # the members, not the six reps
    assert parts["basis"].str.contains("over members").all()
    assert parts["value"].sum() == whole  # exactly, after rounding
    weeks = revenue[(revenue["rep"] == "Region") & ~revenue.index.isin(total.index)]
    assert weeks["value"].sum() == whole
    for start, week in zip(weeks["period"], weeks["value"], strict=True):
        assert parts[parts["period"] == start]["value"].sum() == week
    # shares follow this period's revenue of each member
    east, south = (kpis_of(regions[m])["revenue"] for m in ("east", "south"))
    share = parts[parts["rep"] == "East"]["value"].sum() / whole
    assert share == pytest.approx(east / (east + south), abs=0.01)
    for metric in ("deals", "visits", "new_customers"):
        rows = targets[targets["kpi"] == metric]
        assert set(rows["rep"]) == {"Region", "East", "South"}
        assert rows[rows["rep"] != "Region"]["value"].sum() == rows[rows["rep"] == "Region"][
            "value"].sum()


def test_plan_of_a_team_workbook_still_splits_over_reps(sample_books, tmp_path):
    out = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["plan", str(sample_books["en"]), "-o",
                                     str(out)]).exit_code == 0
    targets = read_workbook(out).frame("PlanTargets")
    reps = set(targets[targets["kpi"] == "deals"]["rep"]) - {"Sales Team 1"}
    assert len(reps) == 6


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_written_in_parallel_are_the_members_rows(team, tmp_path, workers):
    _, paths = team
    out = tmp_path / "team.xlsx"
    consolidate(paths, out, "team", "Team 1", workers=workers, progress=lambda _: None)
    book = read_workbook(out)
    for table in ("Sales", "Activities"):
        # the calculated columns are the roll-up's own (tested against LibreOffice below)
        calculated = [c.key for c in SPEC.table(table).columns if not c.is_input]
        got = book.frame(table).drop(columns=["Member", *calculated]).reset_index(drop=True)
        members = [read_workbook(p).frame(table) for p in paths]
        want = pd.concat(members, ignore_index=True)[list(got.columns)]
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert not [f for f in book.findings if f.severity.name == "ERROR"]


@pytest.mark.parametrize("workers", [1, 2])
def test_builder_fallback_gives_the_same_rollup(team, tmp_path, monkeypatch, workers):
    """Every merged table rendered apart (sales and activities by the workers; targets,
    problems and lessons by the main process) reads back as the builder writes it."""
    _, paths = team
    fast = tmp_path / "fast.xlsx"
    consolidate(paths, fast, "team", "T", workers=workers, progress=lambda _: None)

    def broken(*_args, **_kwargs):
        raise LayoutError("the builder changed")

    monkeypatch.setattr(rollup_write_module, "table_layout", broken)
    slow = tmp_path / "slow.xlsx"
    consolidate(paths, slow, "team", "T", workers=workers, progress=lambda _: None)
    assert kpis_of(slow) == pytest.approx(kpis_of(fast))
    slow_book, fast_book = read_workbook(slow), read_workbook(fast)
    for table in ("Sales", "Targets", "Activities", "Problems", "Lessons"):
        assert len(fast_book.frame(table)) > 0, table
        pd.testing.assert_frame_equal(slow_book.frame(table), fast_book.frame(table))
    assert ranking_of(slow).equals(ranking_of(fast))
    assert [(f.rule, f.cell) for f in slow_book.findings] == [
        (f.rule, f.cell) for f in fast_book.findings]


def test_members_with_the_same_owner_are_told_apart(team, tmp_path):
    """Two workbooks of one owner name stay two members: named after their files in the
    ranking and in every row, their problems kept apart, and the report says so."""
    data, paths = team
    reps = [p.stem for p in paths]
    members = sample_members("en")
    files = []
    for folder, rep in (("north", reps[0]), ("south", reps[1])):  # both say "Sam"
        member = members[rep]
        member.info = {**member.info, "owner": "Sam"}
        path = tmp_path / folder / "sam.xlsx"
        path.parent.mkdir()
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="Sam"),
                       member)
        files.append(path)
    files += paths[2:]
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, files), "-o", str(out),
                                       "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "6 of 6 workbooks" in result.output
    names = ["Sam (north/sam)", "Sam (south/sam)"]
    for name in names:
        assert f"another member is also named Sam: named {name} after its file" in (
            result.output)
    ranking = ranking_of(out)
    assert sorted(ranking["Member"]) == sorted([*names, *reps[2:]])
    statuses = dict(zip(ranking["Member"], ranking["Status"], strict=True))
    assert statuses[names[0]].startswith("included: another member is also named Sam")
    assert statuses[reps[2]] == "included"
    book = read_workbook(out)
    sales = book.frame("Sales")
    for name, rep in zip(names, reps[:2], strict=True):
        assert (sales.loc[sales["Member"] == name, "rep"] == rep).all()
    assert book.frame("Problems")["problem_id"].is_unique
    assert not [f for f in book.findings if f.severity.name == "ERROR"]
    assert kpis_of(out) == pytest.approx(compute_kpis(data.tables, SAMPLE_PERIOD).kpis)
    # the roll-up's plan splits over six members, Sam's two among them
    plan = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["plan", str(out), "-o", str(plan)]).exit_code == 0
    targets = read_workbook(plan).frame("PlanTargets")
    assert set(names) <= set(targets["rep"])


def test_member_names_are_distinct_whatever_the_files_are_called():
    def member(path, owner):
        return Member(Path(path), owner)

    group = [member("a/x.xlsx", "Sam"), member("b/y.xlsx", "Sam"), member("c/z.xlsx", "Li")]
    name_members(group)
    assert [m.name for m in group] == ["Sam (x)", "Sam (y)", "Li"]
    assert group[2].note is None and group[0].note is not None
    same_files = [member("a/x.xlsx", "Sam"), member("b/x.xlsx", "Sam")]
    name_members(same_files)
    assert [m.name for m in same_files] == ["Sam (a/x)", "Sam (b/x)"]
    same_stems = [member("a/x.xlsx", "Sam"), member("a/x.xlsm", "Sam"),
                  member("q/r.xlsx", "Sam (x 2)")]  # a member already bears one such name
    name_members(same_stems)
    assert [m.name for m in same_stems] == ["Sam (x 1)", "Sam (x 2) 2", "Sam (x 2)"]


def test_member_kpis_from_the_cut_down_spec_equal_the_full_ones():
    """The ranking's KPIs are computed with the spec cut down to what they need (no
    churn, baseline value …): the same values as with the whole spec."""
    spec = member_spec()
    assert len(spec.kpis) < len(SPEC.kpis)
    team = sample_workbook_data("en")
    for tables in (*(m.tables for m in sample_members("en").values()), team.tables):
        full = compute_kpis(tables, SAMPLE_PERIOD).kpis
        cut = compute_kpis(tables, SAMPLE_PERIOD, spec=spec).kpis
        assert {k: cut[k] for k in MEMBER_KPIS} == pytest.approx({k: full[k]
                                                                  for k in MEMBER_KPIS})


TRICKY_TEXTS = ["Customer 1", " lead", "trail ", "a_x0041_b", "A&B <co>", "line\nbreak",
                "tab\tx", "\u3000全角", "中文客户", "x" * 40_000, "emoji 😀", "\x7fdel",
                "a\rb", "nul\x00", "=SUM(A1)", "q\"uote'"]


def test_sealed_rows_open_as_they_were_sealed():
    """A member's rows sealed in a worker (LZ4, or zlib where pyarrow is missing) open
    in the main process as the same compact frame, its length and columns readable
    without opening it."""
    frame = pd.DataFrame({"order_id": ["SO-1", None, "SO-3"], "date": [date(2026, 10, 1)] * 3,
                          "amount": [1.5, float("nan"), 3.0], "note": ["中文", "a&b", None]})
    compact = CompactFrame.of(frame)
    sealed = Sealed.of(compact)
    assert (sealed.length, sealed.columns) == (3, ("order_id", "date", "amount", "note"))
    older = Sealed(zlib.compress(pickle.dumps(compact), 1), 3, sealed.columns)
    for part in (sealed, older):
        pd.testing.assert_frame_equal(part.open().frame(), compact.frame())


def test_date_cells_at_once_are_the_one_by_one_serials():
    """A date column's distinct days rendered at once give the cells the one-by-one path
    gives (Excel's 1900-02-29 counted, no cell before 1900)."""
    plan = CellPlan("B", ' s="7"', "date", "date")
    days = [date(2026, 10, 31), date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1),
            date(1899, 12, 31), date(1, 1, 1), date(9999, 12, 31), date(2025, 5, 1)]
    one_by_one = [_tail_of(plan, "Sales")(d) for d in days]
    assert _tails(plan, "Sales", list(days), numbers=False) == one_by_one
    assert one_by_one[0] == '" s="7"><v>46326</v></c>' and one_by_one[4] is None


@pytest.mark.parametrize("texts", [TRICKY_TEXTS, ["plain", "中文", "SO-1"], ["", "x"]])
def test_text_cells_are_escaped_as_one_by_one(texts):
    """Texts rendered at once (a column's distinct values) give the cells the one-by-one
    path gives (inline_string's escaping, nothing for empty text)."""
    plan = CellPlan("C", ' s="3"', "customer", "value")
    one_by_one = [_tail_of(plan, "Sales")(t) for t in texts]
    assert _tails(plan, "Sales", list(texts), numbers=False) == one_by_one
    for text, tail in zip(texts, one_by_one, strict=True):
        assert tail is None if text == "" else tail == (
            f'" s="3" t="inlineStr">{inline_string(text)}</c>')


def test_members_are_read_in_chunks_and_a_bad_one_travels_as_its_error(team, tmp_path):
    _, paths = team
    files = [tmp_path / f"m{i:02d}.xlsx" for i in range(40)]
    for f in files:
        f.write_bytes(b"x" * 100)
    chunks = _chunks(files, 2)
    assert [p for c in chunks for p in c] == files
    assert 4 < len(chunks) < 40  # small files go together
    assert [len(c) for c in _chunks(files[:6], 2)] == [1] * 6  # at least 4 tasks a worker
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    read = load_members([paths[0], bad, paths[1]])
    assert [m.ok for m in read] == [True, False, True]
    assert isinstance(read[1].reason, WorkbookError) and read[1].reason.zh and (
        "bad.xlsx" in read[1].reason.en)
    out = tmp_path / "team.xlsx"
    rollup = consolidate([*paths, bad], out, "team", "T", workers=2, progress=lambda _: None)
    [left] = rollup.excluded
    assert isinstance(left.reason, WorkbookError) and left.reason.en == read[1].reason.en


def test_rollup_of_rollups_computes_in_libreoffice(regions, tmp_path):
    """The spliced rows carry the calculated columns' formulas: LibreOffice computes the
    company roll-up's KPI sheet to the engine's figures, without an error value."""
    require_libreoffice()
    wb = openpyxl.load_workbook(recalculate(regions["company"], tmp_path), data_only=True)
    assert_same_kpis(kpi_values(wb), kpis_of(regions["company"]))
    assert error_cells(wb) == []


def test_rollups_compute_on_opening_in_libreoffice_with_its_default_settings(regions,
                                                                            tmp_path):
    """LibreOffice's default for xlsx files is never to recalculate on load and to show
    each formula's cached result: a roll-up's formulas (the skeleton's) carry none, so
    its KPI sheet shows the engine's figures on opening, not zeros."""
    require_libreoffice()
    books = [regions["east"], regions["company"]]
    for book, opened in zip(books, as_opened(books, tmp_path), strict=True):
        shown = kpi_values(openpyxl.load_workbook(opened, data_only=True))
        assert isinstance(shown["revenue"], int | float) and shown["revenue"] > 0, book.name
        assert_same_kpis(shown, kpis_of(book))


def test_rollup_stores_the_values_its_formulas_would_compute(regions, tmp_path):
    """A roll-up's sales records hold their calculated columns as values (formulas over
    every row would make opening a big roll-up quadratic): the same rows in a workbook
    with the formulas, recalculated by LibreOffice, give the same value in every row."""
    require_libreoffice()
    company = regions["company"]
    calculated = [c.key for c in SPEC.table("Sales").columns if not c.is_input]
    with zipfile.ZipFile(company) as zf:
        layout = read_layout(zf)
        sheet = layout.sheet(layout.table("Sales").sheet)
        assert "<f>" not in zf.read(sheet.part).decode()
        assert "calculatedColumnFormula" not in zf.read(layout.table("Sales").part).decode()
    book = read_workbook(company)
    stored = book.frame("Sales")
    assert stored["customer_weight"].sum() > 0 and stored["baseline_value"].sum() > 0
    inputs = stored[[c.key for c in SPEC.table("Sales").columns if c.is_input]]
    with_formulas = tmp_path / "formulas.xlsx"
    build_workbook(with_formulas, BuildOptions(lang="en", period=book.period),
                   WorkbookData(tables={"Sales": inputs}))
    wb = openpyxl.load_workbook(recalculate(with_formulas, tmp_path / "lo"), data_only=True)
    [header, *rows] = table_rows(wb, "Sales")
    labels = {c.label.en: c.key for c in SPEC.table("Sales").columns}
    computed = pd.DataFrame(rows, columns=[labels[h] for h in header])
    assert len(computed) == len(stored)
    for key in calculated:  # an empty cell reads as "" (the formula's "" too)
        want = pd.to_numeric(computed[key].replace("", None)).to_numpy(float)
        got = pd.to_numeric(stored[key].replace("", None)).to_numpy(float)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9, nan_ok=True), key


def test_next_period_of_a_rollup_keeps_values_for_its_own_period(regions, tmp_path):
    """`xlsales new --from` a planned roll-up: the next workbook carries the rows with
    their calculated columns as values again, computed for the new period (last
    period's customers now churned or retained): LibreOffice's KPI sheet equals the
    engine's."""
    require_libreoffice()
    planned = tmp_path / "region.xlsx"
    shutil.copy(regions["region"], planned)
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(planned)]).exit_code == 0
    following = tmp_path / "next.xlsx"
    result = runner.invoke(main, ["new", "--from", str(planned), "-o", str(following)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(following) as zf:
        layout = read_layout(zf)
        assert "<f>" not in zf.read(layout.sheet(layout.table("Sales").sheet).part).decode()
    # its targets are its members' (East, South): no unknown rep in a book just made
    fresh = read_workbook(following)
    assert set(fresh.frame("Targets")["rep"].dropna()) >= {"East", "South"}
    assert [f.rule for f in validate(fresh) if f.severity is Severity.ERROR] == []
    expected = kpis_of(following)
    assert expected["churned_customers"]  # October's customers, none won in November yet
    wb = openpyxl.load_workbook(recalculate(following, tmp_path / "lo"), data_only=True)
    assert_same_kpis(kpi_values(wb), expected)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_rollup_holds_the_plan_xlsales_plan_would_make(team, tmp_path, workers):
    """consolidate writes the next period's plan over the members, computed from what it
    holds in memory: the same sheets as `xlsales plan` on the roll-up written without."""
    _, paths = team
    planned, bare = tmp_path / "planned.xlsx", tmp_path / "bare.xlsx"
    rollup = consolidate(paths, planned, "team", "T", workers=workers,
                         progress=lambda _: None)
    assert rollup.plan is not None and rollup.plan_error is None
    consolidate(paths, bare, "team", "T", workers=workers, progress=lambda _: None,
                plan=False)
    assert "PlanTargets" not in read_workbook(bare).tables
    result = CliRunner().invoke(main, ["plan", str(bare)])
    assert result.exit_code == 0, result.output
    with_plan, planned_after = read_workbook(planned), read_workbook(bare)
    assert with_plan.layout.sheets == planned_after.layout.sheets
    for table in ("PlanTargets", "PlanActions", "PlanBudget", "PlanTimeline"):
        got = with_plan.frame(table)
        assert len(got) > 0, table
        pd.testing.assert_frame_equal(got, planned_after.frame(table))
    members = set(with_plan.frame("PlanTargets")["rep"].dropna())
    assert members == {"T", *(m.name for m in rollup.included)}  # the whole, each member
    lines = report_lines(rollup, planned)
    assert any(line.startswith(f"  plan {SAMPLE_PERIOD.next.label} (plan sheets)")
               for line in lines)


def test_a_plan_that_cannot_be_made_leaves_the_rollup_standing(team, tmp_path, monkeypatch):
    """The roll-up is written without plan sheets and the report says why and what to
    run; nothing else is lost."""
    import xlsales.consolidate as consolidate_module

    def refuse(*_args, **_kwargs):
        raise WorkbookError("无法生成计划", "the plan cannot be made")

    monkeypatch.setattr(consolidate_module, "consolidated_plan", refuse)
    _, paths = team
    out = tmp_path / "team.xlsx"
    rollup = consolidate(paths, out, "team", "T", workers=1, progress=lambda _: None)
    assert rollup.plan is None and rollup.plan_error is not None
    book = read_workbook(out)
    assert "PlanTargets" not in book.tables and len(book.frame("Sales")) > 0
    # the path as the user types it here (the roll-up is not under the current folder)
    assert ("  plan not written: the plan cannot be made (fix it, then run `xlsales plan "
            f"{command_path(out)}`)") in report_lines(rollup, out)


def test_crc32_of_concatenated_blocks():
    parts = [b"<row r=\"5\">", b"x" * 100_000, b"", "成员".encode()]
    crc, size = 0, 0
    for part in parts:
        crc, size = crc32_combine(crc, zlib.crc32(part), len(part)), size + len(part)
    assert crc == zlib.crc32(b"".join(parts)) and size == len(b"".join(parts))


def test_nothing_usable_is_an_error(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    result = CliRunner().invoke(main, ["consolidate", str(bad), "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 2 and "bad.xlsx" in result.output


def test_reps_split_weights_reach_the_rollup_and_its_plan(tmp_path):
    """A rep's weight on the settings sheet of their own workbook is carried into the
    team roll-up, then into the region's: `plan --split weights` on the region splits
    over its teams by the sums of their reps' weights."""
    members = sample_members("en")
    reps = list(members)
    weights = {rep: float(i + 1) for i, rep in enumerate(reps)}  # 1, 2, … 6
    teams = {"East": reps[:3], "South": reps[3:]}
    team_books = []
    for team_name, team_reps in teams.items():
        paths = []
        for rep in team_reps:
            member = members[rep]
            member.tables["ListRep"] = pd.DataFrame({"value": [rep], "weight": [weights[rep]]})
            path = tmp_path / f"{rep}.xlsx"
            build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep),
                           member)
            paths.append(path)
        out = tmp_path / f"{team_name}.xlsx"
        assert CliRunner().invoke(main, ["consolidate", *map(str, paths), "-o", str(out),
                                         "--name", team_name]).exit_code == 0
        team_books.append(out)
    listed = read_workbook(team_books[0]).frame("ListRep")
    assert dict(zip(listed["value"], listed["weight"], strict=True)) == {
        r: weights[r] for r in teams["East"]}
    region = tmp_path / "region.xlsx"
    assert CliRunner().invoke(main, ["consolidate", *map(str, team_books), "-o", str(region),
                                     "--level", "region", "--name", "Region"]).exit_code == 0
    planned = tmp_path / "planned.xlsx"
    result = CliRunner().invoke(main, ["plan", str(region), "--split", "weights", "--target",
                                       "2100000", "-o", str(planned)])
    assert result.exit_code == 0, result.output
    targets = read_workbook(planned).frame("PlanTargets")
    revenue = targets[(targets["kpi"] == "revenue") & (targets["rep"] != "Region")]
    east, south = (revenue[revenue["rep"] == t]["value"].sum() for t in teams)
    assert east / (east + south) == pytest.approx(6 / 21, abs=0.01)  # (1+2+3) / (1+…+6)


def test_stacked_frames_hold_what_frames_of_the_rows_values_hold():
    """Members' compact tables are stacked column by column without a Python object per
    row; the frame equals one built from the rows' values (types inferred from them): a
    column one member lacks, a number column empty in every row, numbers in one member
    and text in another, dates, whole numbers."""
    from datetime import date

    from xlsales.rollup_frames import CompactFrame, stacked_frame

    a = CompactFrame.of(pd.DataFrame({
        "rep": ["Ann", "Bo", None], "amount": [1.5, float("nan"), 3.0],
        "empty": [float("nan")] * 3, "mixed": [1.0, 2.0, float("nan")],
        "date": [date(2026, 10, 1), None, date(2026, 10, 3)], "only_a": ["x", "y", "x"]}))
    b = CompactFrame.of(pd.DataFrame({
        "rep": ["Cy", "Ann"], "amount": [2.0, 4.0], "empty": [float("nan")] * 2,
        "mixed": ["n/a", None], "date": [date(2026, 9, 30), date(2026, 10, 1)],
        "count": [3, 4]}, dtype=object))
    parts = [a, b, CompactFrame(0, {})]
    keys = dict.fromkeys(k for p in parts for k in p.columns)
    expected = pd.DataFrame({k: [v for p in parts for v in (
        p.column(k) if k in p.columns else [None] * p.length)] for k in keys})
    got = stacked_frame(parts)
    pd.testing.assert_frame_equal(got, expected)
    assert got["mixed"].tolist() == [1.0, 2.0, None, "n/a", None]
    assert got["only_a"].isna().tolist() == [False, False, False, True, True]


def test_an_empty_workbook_is_left_out_and_said(team, tmp_path):
    """A rep's workbook just made with `xlsales new` and not filled in joined the roll-up
    without a word (revenue 0, a share of the plan's target)."""
    data, paths = team
    empty = tmp_path / "new_rep.xlsx"
    build_workbook(empty, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner="New Rep"))
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", *map(str, paths), str(empty), "-o",
                                       str(out)])
    assert result.exit_code == 2, result.output  # a member left out
    assert f"{len(paths)} of {len(paths) + 1} workbooks" in result.output
    assert "left out new_rep.xlsx: it is empty: no sales, targets" in result.output
    assert kpis_of(out)["revenue"] == pytest.approx(
        compute_kpis(data.tables, SAMPLE_PERIOD).kpis["revenue"])


def _two_versions(tmp_path: Path, alice: Path, fixed: pd.DataFrame, old_name: str,
                  new_name: str) -> tuple[Path, Path, Path]:
    """A team folder holding ``alice`` as ``old_name`` and a version of it with the sales
    rows ``fixed`` as ``new_name``."""
    folder = tmp_path / "team"
    folder.mkdir()
    old, new = folder / f"{old_name}.xlsx", folder / f"{new_name}.xlsx"
    shutil.copy(alice, old)
    build_workbook(new, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=alice.stem),
                   WorkbookData(tables={"Sales": fixed}, lists={"rep": [alice.stem]}))
    return folder, old, new


def test_the_version_saved_later_is_told_by_the_workbook_not_by_the_download(team, tmp_path):
    """Two versions mailed to the manager: the corrected one downloaded first has the
    older file time. The time the workbooks record when saved (Excel, WPS, LibreOffice)
    decides, so the corrected version is rolled up."""
    _, paths = team
    alice = paths[0]
    sales = read_workbook(alice).frame("Sales")
    fixed = sales.copy()
    fixed.loc[fixed.index[0], ["quantity", "amount"]] = [1.0, float(fixed["unit_price"].iloc[0])]
    folder, old, new = _two_versions(tmp_path, alice, fixed, "alice_sep", "alice_oct")
    saved_on(old, "2026-09-01T08:00:00Z")
    saved_on(new, "2026-10-30T08:00:00Z")
    os.utime(new, (1_700_000_000, 1_700_000_000))  # downloaded first
    os.utime(old, (1_800_000_000, 1_800_000_000))
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"left out {old.name}: two versions of {alice.stem}'s workbook" in result.output
    assert f"rolled up the one saved later, {new.name} (2026-10-30" in result.output
    kept = read_workbook(out).frame("Sales")
    assert sorted(kept["amount"].dropna()) == sorted(fixed["amount"].dropna())


def test_a_tie_of_periods_takes_the_later_whatever_the_order_given(team, tmp_path):
    """One rep's book of September beside one of October: the roll-up was of whichever
    was given first; it is October's, the later, and September's is left out saying why."""
    _, paths = team
    sep = tmp_path / "sep.xlsx"
    sales = read_workbook(paths[1]).frame("Sales")
    build_workbook(sep, BuildOptions(lang="en", period=Period.parse("2026-09"),
                                     owner="Sep Rep"),
                   WorkbookData(tables={"Sales": sales.head(5)},
                                lists={"rep": [paths[1].stem]}))
    for order in ([sep, paths[0]], [paths[0], sep]):
        out = tmp_path / "r.xlsx"
        result = CliRunner().invoke(main, ["consolidate", *map(str, order), "-o", str(out),
                                           "--force"])
        assert result.exit_code == 2, result.output  # a member left out
        assert "1 of 2 workbooks rolled up for 2026-10" in result.output
        assert ("left out sep.xlsx: its period 2026-09 differs from the roll-up's 2026-10 "
                "(that of most members; on a tie the one ending later, then the longer): ask "
                "its sender for the "
                "2026-10 workbook, or roll it up with the other 2026-09 workbooks"
                ) in result.output


def test_two_versions_saved_in_the_same_minute_show_their_seconds(team, tmp_path):
    """Two versions saved 35 seconds apart were both shown as saved at 08:00: the user
    could not see which one was later. Within one minute the times show their seconds."""
    from datetime import datetime, timezone

    _, paths = team
    alice = paths[0]
    sales = read_workbook(alice).frame("Sales")
    fixed = sales.copy()
    fixed.loc[fixed.index[0], "amount"] = float(fixed["amount"].iloc[0]) + 1
    folder, old, new = _two_versions(tmp_path, alice, fixed, "alice", "alice_edited")
    saved_on(old, "2026-10-30T08:00:05Z")
    saved_on(new, "2026-10-30T08:00:40Z")

    def local(when: str) -> str:
        return datetime.fromisoformat(when).replace(tzinfo=timezone.utc).astimezone() \
            .strftime("%Y-%m-%d %H:%M:%S")

    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o",
                                       str(tmp_path / "team.xlsx")])
    assert result.exit_code == 0, result.output
    assert (f"rolled up the one saved later, {new.name} ({local('2026-10-30T08:00:40')}), "
            f"left out this one ({local('2026-10-30T08:00:05')}); if this one is the right "
            "version") in result.output
    zh = CliRunner().invoke(main, ["consolidate", str(folder), "-o",
                                   str(tmp_path / "team_zh.xlsx"), "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert (f"合并的是保存得更晚的 {new.name}（{local('2026-10-30T08:00:40')}），"
            f"未合并本文件（{local('2026-10-30T08:00:05')}）") in zh.output


def test_the_validate_hint_gives_the_path_the_user_can_run(team, tmp_path, monkeypatch):
    """A member with errors in a folder was hinted as `xlsales validate bad.xlsx`, which
    is not found where consolidate ran: the hint gives the path from the current folder
    (quoted when it holds a space), or the absolute path of a file outside it."""
    import re
    import shlex

    _, paths = team
    work, outside = tmp_path / "work", tmp_path / "elsewhere"
    folder = work / "team A"
    folder.mkdir(parents=True)
    outside.mkdir()
    shutil.copy(paths[0], folder / paths[0].name)
    sales = read_workbook(paths[1]).frame("Sales").head(3).assign(amount=-1.0)
    for where in (folder, outside):
        build_workbook(where / "bad.xlsx", BuildOptions(lang="en", period=SAMPLE_PERIOD,
                                                        owner="Bad"),
                       WorkbookData(tables={"Sales": sales}, lists={"rep": [paths[1].stem]}))
    monkeypatch.chdir(work)
    runner = CliRunner()
    for given, expected in (("team A", '"' + os.path.join("team A", "bad.xlsx") + '"'),
                            (str(outside / "bad.xlsx"), str(outside / "bad.xlsx"))):
        for lang, hint in (("en", r"\(see xlsales validate (.+)\)$"),
                           ("zh", r"（运行 xlsales validate (.+) 查看）$")):
            args = [given, str(paths[2])] if given != "team A" else [given]
            result = runner.invoke(main, ["consolidate", *args, "-o", "rollup.xlsx", "--force",
                                          "--lang", lang])
            assert result.exit_code == 2, result.output  # a member left out
            line = next(x for x in result.output.splitlines() if "bad.xlsx" in x and
                        ("left out" in x or "未合并" in x))
            shown = re.search(hint, line, re.M)
            assert shown is not None and shown[1] == expected, line
            check = runner.invoke(main, ["validate", *shlex.split(shown[1])])
            assert check.exit_code == 1, check.output  # found, with its errors


def _rep_books(folder: Path, currencies: dict[int, str | None]) -> list[Path]:
    """The sample's reps' workbooks, the rep at each index of ``currencies`` keeping its
    amounts in the currency given (None: a book naming none, as older books)."""
    folder.mkdir()
    paths = []
    for i, (rep, member) in enumerate(sample_members("en").items()):
        if i in currencies:
            member.info["currency"] = currencies[i]
            path = folder / f"{rep}.xlsx"
            build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep),
                           member)
            paths.append(path)
    return paths


def test_a_member_in_another_currency_is_left_out_and_said(tmp_path):
    """A CNY and an HKD rep's book were summed (33,000 CNY + 24,000 HKD as 57,000 CNY)
    and ranked side by side. The member in another currency than most is left out with
    why and what to do; a book naming no currency counts as CNY, as `new` makes it."""
    cny, hkd, older = _rep_books(tmp_path / "team", {0: "CNY", 1: "HKD", 2: None})
    assert read_workbook(older).info.get("currency") is None
    for lang, said in (
            ("en", f"left out {hkd.name}: its currency HKD differs from the roll-up's CNY "
                   "(that of most members, the first given on a tie): amounts in two "
                   "currencies do not add up. If its amounts are in fact in CNY, set "
                   "Currency on its Info sheet to CNY and consolidate again; else roll up "
                   "the HKD workbooks on their own"),
            ("zh", f"未合并 {hkd.name}：币种 HKD 与合并表的币种 CNY 不同（合并表取多数成员的币种，"
                   "数量相同时取最先给出的成员的），不同币种的金额不能相加：若它的金额其实是 CNY，"
                   "请把“基础信息”表的“币种”改为 CNY 后重新合并；否则请把 HKD 的工作簿单独合并")):
        out = tmp_path / f"team_{lang}.xlsx"
        result = CliRunner().invoke(main, ["consolidate", str(cny), str(hkd), str(older),
                                           "-o", str(out), "--lang", lang])
        assert result.exit_code == 2, result.output  # a member left out
        assert said in result.output
        assert ("2 of 3 workbooks" if lang == "en" else "3 个工作簿中合并了 2 个") \
            in result.output
        book = read_workbook(out)
        assert book.info["currency"] == "CNY"
        assert kpis_of(out)["revenue"] == pytest.approx(
            kpis_of(cny)["revenue"] + kpis_of(older)["revenue"])
        ranking = ranking_of(out)
        assert set(ranking.iloc[:, 1].dropna()) == {cny.stem, older.stem}  # Member
        assert ranking.iloc[:, -1].astype(str).str.contains("HKD").any()


def test_a_tie_of_currencies_takes_the_first_members(tmp_path):
    """One HKD and one CNY book: the roll-up is in the currency of the one given first,
    says so in its basic information, and leaves the other out."""
    import re

    cny, hkd = _rep_books(tmp_path / "team", {0: "cny", 1: "港币"})
    for order, kept, left, currency in (([hkd, cny], hkd, cny, "HKD"),
                                        ([cny, hkd], cny, hkd, "CNY")):
        out = tmp_path / "r.xlsx"
        result = CliRunner().invoke(main, ["consolidate", *map(str, order), "-o", str(out),
                                           "--force"])
        assert result.exit_code == 2, result.output  # a member left out
        assert f"left out {left.name}: its currency" in result.output
        assert f"differs from the roll-up's {currency}" in result.output
        assert read_workbook(out).info["currency"] == currency
        assert kpis_of(out)["revenue"] == pytest.approx(kpis_of(kept)["revenue"])
        # the whole's amounts name their currency, in the summary and on the ranking sheet
        assert f"whole ({currency}): revenue" in result.output
        # one member: "over 1 members" was said
        assert re.search(r"revenue target [\d,]+ over 1 member, \d+ actions?\n",
                         result.output), result.output
        assert "1 of 2 workbooks rolled up" in result.output
        sheet = openpyxl.load_workbook(out)["Member ranking"]
        assert any(str(c.value).startswith(f"Whole ({currency}): revenue")
                   for row in sheet.iter_rows(max_row=3) for c in row if c.value)


def test_another_currency_says_more_than_validation_errors():
    """As for another period: a member of the roll-up's period in another currency is
    left out for its currency even when it has validation errors too (correcting them
    would not let it in); one of another period keeps that reason."""
    from xlsales.rollup_currency import leave_out_other_currencies

    period, other = Period.parse("2026-10"), Period.parse("2026-09")
    errors = WorkbookError("有 2 个校验错误", "2 validation errors")
    elsewhere = WorkbookError("周期不同", "another period")
    members = [Member(Path("a.xlsx"), "A", period), Member(Path("b.xlsx"), "B", period),
               Member(Path("c.xlsx"), "C", period, currency="HKD"),
               Member(Path("d.xlsx"), "D", period, errors=2, reason=errors, currency="USD"),
               Member(Path("e.xlsx"), "E", other, errors=1, reason=elsewhere,
                      currency="USD")]
    assert members[0].currency == "CNY"
    assert leave_out_other_currencies(members, period) == "CNY"
    assert [m.ok for m in members[:3]] == [True, True, False]
    assert "its currency HKD differs from the roll-up's CNY" in members[2].reason.en
    assert "its currency USD differs" in members[3].reason.en
    assert members[4].reason is elsewhere


def test_the_rollups_assumptions_do_not_depend_on_which_member_comes_first(tmp_path):
    """A team manager's own next-period target (300,000) became a region's plan target
    because that team was listed first, and the growth assumption was the first team's
    (10 % or 12 % by file order). The roll-up leaves the given target out and takes the
    members' growth assumptions weighted by their revenue."""
    folder = tmp_path / "reps"
    folder.mkdir()
    paths = []
    for i, (rep, member) in enumerate(list(sample_members("en").items())[:2]):
        member.assumptions.update(growth_rate=0.1 if i == 0 else 0.3,
                                  next_target=300_000 if i == 0 else None)
        path = folder / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="en", period=SAMPLE_PERIOD, owner=rep), member)
        paths.append(path)
    revenue = [kpis_of(p)["revenue"] for p in paths]
    weighted = (0.1 * revenue[0] + 0.3 * revenue[1]) / sum(revenue)
    plans = []
    for order in (paths, paths[::-1]):
        out = tmp_path / f"r{len(plans)}.xlsx"
        result = CliRunner().invoke(main, ["consolidate", *map(str, order), "-o", str(out)])
        assert result.exit_code == 0, result.output
        book = read_workbook(out)
        assert book.assumptions.get("next_target") is None
        assert book.assumptions["growth_rate"] == pytest.approx(weighted, abs=1e-4)
        plans.append(book.frame("PlanTargets")["value"].iloc[0])
    assert plans[0] == plans[1] != 300_000


def test_a_member_held_by_a_rollup_names_the_copy_rolled_up_not_the_one_left_out(
        team, regions, tmp_path):
    """A director's inbox holds the team roll-up, its copy "(1)" and one of its reps'
    books: the rep's book was said to be held by the copy, itself left out."""
    _, paths = team
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(paths[0], inbox / "a rep.xlsx")  # read first
    shutil.copy(regions["east"], inbox / "b east (1).xlsx")  # before the original
    shutil.copy(regions["east"], inbox / "c east.xlsx")
    out = tmp_path / "region.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(inbox), "-o", str(out), "--level",
                                       "region"])
    assert result.exit_code == 0, result.output
    assert "left out a rep.xlsx: c east.xlsx holds it already" in result.output
    assert "left out b east (1).xlsx" in result.output


def test_a_member_whose_reps_are_weighted_only_in_part_has_no_weight():
    """On a region roll-up a team whose rep 王芳 had no weight was weighted by its other
    reps' (a partial sum), while the team's own plan refused: it has no weight either."""
    from xlsales.errors import UsageError
    from xlsales.plan import PlanInput, PlanOptions, generate_plan
    from xlsales.rollup_plan import by_members

    sales = pd.DataFrame({"rep": ["A", "B", "C", "D"], "Member": ["East", "East", "South",
                                                                  "South"],
                          "date": [SAMPLE_PERIOD.start] * 4, "stage": ["won"] * 4,
                          "amount": [100.0, 200.0, 300.0, 400.0]})
    weights = pd.DataFrame({"value": ["A", "B", "C", "D"], "weight": [2.0, 1.0, 1.0, None]})
    inp = PlanInput(SAMPLE_PERIOD, "en", "Region", {"Sales": sales, "ListRep": weights},
                    ["A", "B", "C", "D"])
    listed = by_members(inp).tables["ListRep"]
    assert dict(zip(listed["value"], listed["weight"], strict=True))["East"] == 3.0
    with pytest.raises(UsageError) as refused:
        generate_plan(by_members(inp), PlanOptions(target=1000.0, split="weights"))
    assert "No usable weight is set for South" in refused.value.en


def test_names_in_traditional_in_one_member_and_simplified_in_another_are_said(tmp_path):
    """A Taipei member's book converted to Traditional names the customers and the rep a
    Simplified member's book names too (濟南…製造 and 济南…制造): the roll-up counted them as
    two customers and two reps (customers, new customers, churn off) without a word. Now
    the report names them; a roll-up of Simplified books alone says nothing."""
    from traditional_books import convert_workbook

    [(rep, data), (_, other)] = list(sample_members("zh").items())[:2]
    folder = tmp_path / "members"
    folder.mkdir()
    build_workbook(folder / "mainland.xlsx",
                   BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), data)
    moved = data.tables["Sales"].assign(order_id=lambda f: "TW-" + f["order_id"].astype(str))
    taipei = tmp_path / "taipei_simplified.xlsx"
    build_workbook(taipei, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep),
                   WorkbookData(info=data.info, tables={**data.tables, "Sales": moved},
                                lists=data.lists, assumptions=data.assumptions))
    convert_workbook(taipei, folder / "taipei.xlsx", "s2twp")
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out),
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    names = set(moved["customer"].dropna()) | set(moved["rep"].dropna())
    expected = sorted((_traditional_of(n), n) for n in names if _traditional_of(n) != n)
    assert (_traditional_of(rep), rep) in expected and len(expected) > 5
    [line] = [x for x in result.stdout.splitlines() if "written in Traditional" in x]
    shown = ", ".join(f"{a} / {b}" for a, b in expected[:5])
    assert line == (f"  {len(expected)} names written in Traditional characters in some "
                    "members' workbooks and in Simplified in others, counted as different "
                    f"people or customers: {shown}… (customers, new customers, churn and "
                    "figures by rep are off): write them one way in the members' workbooks "
                    "and consolidate again")
    zh = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "--force"])
    assert "个名字在一些成员的工作簿中是繁体、在另一些中是简体" in zh.stdout
    plain = tmp_path / "plain"
    plain.mkdir()
    for name, member in (("a", data), ("b", other)):
        build_workbook(plain / f"{name}.xlsx", BuildOptions(
            lang="zh", period=SAMPLE_PERIOD, owner=name), member)
    alone = CliRunner().invoke(main, ["consolidate", str(plain), "-o", str(tmp_path / "p.xlsx")])
    assert alone.exit_code == 0 and "繁体" not in alone.stdout, alone.output


def _traditional_of(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2twp").convert(text)


def test_an_earlier_export_in_the_members_folder_is_not_a_member(team, tmp_path):
    """Finance exported the team's books into their folder (csv and xlsx): consolidating
    that folder counted kpis.csv as a file not read and took kpis.xlsx for a broken
    workbook, exit 2. Tables xlsales export wrote are named and passed over."""
    _, paths = team
    folder = tmp_path / "team"
    folder.mkdir()
    for path in paths:
        shutil.copy(path, folder / path.name)
    for fmt in ("csv", "xlsx"):
        exported = CliRunner().invoke(main, ["export", str(folder), "-o", str(folder),
                                             "--format", fmt, "--tables", "kpis,targets"])
        assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o",
                                       str(tmp_path / "team.xlsx"), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert f"not read {folder / 'kpis.csv'}: a table xlsales export wrote" in result.output
    assert f"not read {folder / 'kpis.xlsx'}: a table xlsales export wrote" in result.output
    assert f"{len(paths)} of {len(paths)} workbooks rolled up" in result.output
    # said once: not also as any CSV, told to use xlsales import
    assert sum(str(folder / "kpis.csv") in line for line in result.output.splitlines()) == 1
    assert "xlsales import" not in result.output


def test_a_script_reads_and_validates_a_rollup_given_its_path_as_text(regions) -> None:
    """``read_workbook("east.xlsx")`` as a finance script types it: the roll-up's own
    checks name the file (they raised AttributeError on a str path)."""
    book = read_workbook(str(regions["east"]))
    assert book.path == regions["east"]
    assert not [f for f in validate(book) if f.severity == "error"]


@pytest.mark.parametrize(("name", "lang"), [("华南", "zh"), ("South", "en")])
def test_a_tie_of_languages_goes_by_the_rollups_name(mixed, tmp_path, name, lang):
    """A region of one English team and one Chinese one, the English given first, came
    out English even when named 华南: the tie went to whichever member came first. It
    goes by the name: Chinese characters, a Chinese roll-up; else English."""
    members = mixed[:2]  # Alice's English book, then 张伟's Chinese one
    rollup = consolidate(members, tmp_path / "r.xlsx", "region", name,
                         progress=lambda _: None)
    assert len(rollup.included) == 2 and rollup.lang == lang
