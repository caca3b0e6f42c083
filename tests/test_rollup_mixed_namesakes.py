"""A mixed roll-up: a director rolls up 东一组's team roll-up (its reps 张伟 and 李娜) beside
南二组's books — its rep 张伟's own book (another person of that name) and its manager
刘洋's book (a team book, not a roll-up), which sets the southern 张伟's targets.

consolidate keeps the two 张伟 apart on the ranking sheet (the team roll-up's reps are its
own people; only the manager's book hands rows to a rep's own book). Read back, the
ranking's levels cannot tell the manager's team book from the team roll-up, and every
figure by rep of the finished roll-up added the eastern 张伟 to the southern one's own
book: one 张伟 with both people's sales. They stay two here, named as the ranking names
their members, the manager's targets counted for the southern 张伟, the parts adding up to
the whole."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.sample import SAMPLE_PERIOD, sample_members, sample_workbook_data
from xlsales.script_variant import OwnText
from xlsales.validation import validate
from xlsales.workbook_data import BuildOptions, WorkbookData

REP, MANAGER, TEAM = "张伟", "刘洋", "东一组"
EAST, SOUTH = f"{REP}（{TEAM}）", f"{REP}（{REP}）"
#: What the manager's book sets the southern 张伟 above his own book's targets.
ABOVE = 5000.0


def _invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def _book(path, owner: str, data: WorkbookData, tables: dict, level: str = "individual",
          reps: tuple[str, ...] = ()) -> None:
    build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=owner,
                                      level=level,
                                      role="manager" if level != "individual" else "rep"),
                   WorkbookData(info={**data.info, "owner": owner}, tables=tables,
                                lists={**data.lists, "rep": list(reps or (owner,))},
                                assumptions=data.assumptions, budget_caps=data.budget_caps))


def _renamed(data: WorkbookData, rep: str) -> dict[str, pd.DataFrame]:
    return {k: (v.assign(rep=rep) if "rep" in v.columns else v) for k, v in data.tables.items()}


def _weighted(tables: dict[str, pd.DataFrame], **weights: float) -> dict[str, pd.DataFrame]:
    """``tables`` with a rep list giving ``weights`` (rep → split weight)."""
    return {**tables, "ListRep": pd.DataFrame({"value": list(weights),
                                               "weight": list(weights.values())})}


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The region roll-up, the team roll-up and the southern books."""
    root = tmp_path_factory.mktemp("mixed")
    members, team = sample_members("zh"), sample_workbook_data("zh")
    (root / "east").mkdir()
    (root / "south").mkdir()
    for rep, weight in ((REP, 1.0), ("李娜", 2.0)):
        _book(root / "east" / f"{rep}.xlsx", rep, members[rep],
              _weighted(members[rep].tables, **{rep: weight}))
    east = root / f"{TEAM}.xlsx"
    made = _invoke("consolidate", root / "east", "-o", east, "--name", TEAM, "--no-plan")
    assert made.exit_code == 0, made.output
    # the southern 张伟: another person (陈静's sample rows, their orders), his own targets
    _book(root / "south" / f"{REP}.xlsx", REP, members["陈静"],
          _weighted(_renamed(members["陈静"], REP), **{REP: 3.0}))
    targets = team.tables["Targets"]
    theirs = pd.concat([targets[targets["rep"] == MANAGER],
                        targets[targets["rep"] == "陈静"].assign(
                            rep=REP, revenue_target=lambda t: t["revenue_target"] + ABOVE)],
                       ignore_index=True)
    _book(root / "south" / f"{MANAGER}.xlsx", MANAGER, team,
          _weighted({"Sales": members[MANAGER].tables["Sales"], "Targets": theirs},
                    **{MANAGER: 4.0, REP: 3.0}), level="team",
          reps=(MANAGER, REP))
    region = root / "region.xlsx"
    made = _invoke("consolidate", east, root / "south" / f"{REP}.xlsx",
                   root / "south" / f"{MANAGER}.xlsx", "-o", region, "--level", "region",
                   "--name", "华东南", "--no-plan")
    assert made.exit_code == 0, made.output
    return {"region": region, "east": east, "south": root / "south", "report": made.stdout}


def _json(*args: object) -> dict:
    result = _invoke("kpis", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ranking(path) -> dict[str, dict[str, object]]:
    """Member → its row of the ranking sheet, keyed by header."""
    sheet = next(ws for ws in openpyxl.load_workbook(path, read_only=True).worksheets
                 if ws.title.startswith("成员排名"))
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] is not None]
    header = list(rows[0])
    return {r[header.index("成员")]: dict(zip(header, r, strict=True)) for r in rows[1:]}


def test_kpis_by_rep_keeps_the_two_people_apart(books):
    """The eastern 张伟 as 东一组's own ``kpis --by rep`` gives him; the southern one as the
    ranking gives his member (his sales, the manager's targets); all adding up."""
    by = _json(books["region"], "--by", "rep")["by"]
    assert REP not in by, list(by)
    east = _json(books["east"], "--by", "rep")["by"][REP]
    for key in ("revenue", "target", "deals", "customers", "attainment"):
        assert by[EAST][key] == pytest.approx(east[key]), key
    south = _ranking(books["region"])[REP]
    assert by[SOUTH]["revenue"] == pytest.approx(south["销售额"])
    assert by[SOUTH]["target"] == pytest.approx(south["目标"])
    targets = sample_workbook_data("zh").tables["Targets"]  # the manager's, counted once
    month = targets[(targets["rep"] == "陈静")
                    & (pd.to_datetime(targets["period"]) == pd.Timestamp(SAMPLE_PERIOD.start))]
    assert by[SOUTH]["target"] == pytest.approx(month["revenue_target"].sum() + ABOVE)
    whole = _json(books["region"])["kpis"]
    for key in ("revenue", "target", "deals"):
        assert sum(g[key] or 0 for g in by.values()) == pytest.approx(whole[key]), key


def _report_ranking(path, tmp_path) -> dict[str, tuple]:
    """The KPI report's rep ranking (group → its row) that ``kpis --write`` writes into
    a copy of ``path``."""
    book = tmp_path / path.name
    book.write_bytes(path.read_bytes())
    written = _invoke("kpis", book, "--write")
    assert written.exit_code == 0, written.output
    sheet = openpyxl.load_workbook(book)["KPI报告"]
    return {r[1]: r for r in sheet.iter_rows(values_only=True)
            if isinstance(r[0], int) and isinstance(r[1], str)}


def test_the_kpi_report_ranks_the_two_people_apart(books, tmp_path):
    """``kpis --write``: the KPI report's rep ranking has a row for each 张伟."""
    rows = _report_ranking(books["region"], tmp_path)
    by = _json(books["region"], "--by", "rep")["by"]
    assert REP not in rows
    for label in (EAST, SOUTH):
        assert rows[label][2] == pytest.approx(by[label]["revenue"]), label


def test_the_export_keeps_the_two_people_apart(books, tmp_path):
    """``export --tables kpis_by_rep``: a row of 张伟 in 东一组 and one in his own member."""
    made = _invoke("export", books["region"], "-o", tmp_path / "x", "--tables", "kpis_by_rep")
    assert made.exit_code == 0, made.output
    rows = pd.read_csv(tmp_path / "x" / "kpis_by_rep.csv")
    mine = rows[rows["rep"] == REP].set_index("member")
    by = _json(books["region"], "--by", "rep")["by"]
    assert sorted(mine.index) == sorted([TEAM, REP])
    assert mine.loc[TEAM, "revenue"] == pytest.approx(by[EAST]["revenue"])
    assert mine.loc[REP, "target"] == pytest.approx(by[SOUTH]["target"])
    assert rows["revenue"].sum() == pytest.approx(_json(books["region"])["kpis"]["revenue"])


def test_consolidate_names_the_namesakes(books):
    """The report and the ranking say 张伟 is in 东一组's rows and in his own book's:
    listed apart in figures by rep (nothing said before)."""
    assert f"{REP}（{REP}、{TEAM}）" in books["report"] or \
        f"{REP}（{TEAM}、{REP}）" in books["report"], books["report"]
    ranking = _ranking(books["region"])
    assert f"销售人员 {REP} 也出现在 {REP} 的工作簿中" in ranking[TEAM]["状态"]
    assert f"销售人员 {REP} 也出现在 {TEAM} 的工作簿中" in ranking[REP]["状态"]


def test_a_further_roll_up_counts_each_once(books, tmp_path):
    """The region rolled up again beside nothing else: the same whole; validate finds no
    error in either."""
    company = tmp_path / "company.xlsx"
    made = _invoke("consolidate", books["region"], "-o", company, "--level", "company",
                   "--no-plan")
    assert made.exit_code == 0, made.output
    assert _json(company)["kpis"] == _json(books["region"])["kpis"]
    for path in (books["region"], company):
        errors = [f for f in validate(read_workbook(path)) if f.severity == "error"]
        assert not errors, errors


@pytest.mark.parametrize("lang,script", [("zh", None), ("zh", "s2tw"), ("zh", "s2twp"),
                                         ("en", None)])
def test_the_setter_note_is_read_back(lang, script):
    """The ranking status consolidate writes of a manager's book is found again, in
    either language and in a Traditional roll-up's script."""
    from xlsales.rollup_member_levels import hands_rows_over
    from xlsales.rollup_own_reps import setter_note

    note = OwnText(script)(setter_note([REP, "李娜"], ["王五"], lang))
    assert hands_rows_over(f"已合并：{note}")
    assert not hands_rows_over("已合并：3 个订单也在 张伟 的工作簿中")


def test_levels_record_the_manager_not_the_team(books):
    """The region's ranking: 刘洋's book hands its 张伟 rows over, 东一组 does not."""
    from xlsales.rollup_member_levels import member_levels

    levels = member_levels(read_workbook(books["region"]))
    assert levels is not None and levels.handing == frozenset({MANAGER})


def test_plan_split_by_weights_refuses_two_namesakes_weights_in_one_name(tmp_path):
    """Two teams' 张伟 (weights 1 and 3) rolled up into a region: its rep list holds one
    weight for the name, the first team's, so ``plan --split weights`` gave the second
    team its other rep's weight alone (3 : 4, not 3 : 7) without a word. It refuses,
    naming 张伟 and the teams, and the other splits still work."""
    members = sample_members("zh")
    teams = {TEAM: {REP: (members[REP], 1.0), "李娜": (members["李娜"], 2.0)},
             "南二组": {REP: (members["陈静"], 3.0), MANAGER: (members[MANAGER], 4.0)}}
    made = []
    for team, reps in teams.items():
        (tmp_path / team).mkdir()
        for rep, (data, weight) in reps.items():
            _book(tmp_path / team / f"{rep}.xlsx", rep, data,
                  _weighted(_renamed(data, rep), **{rep: weight}))
        made.append(tmp_path / f"{team}.xlsx")
        done = _invoke("consolidate", tmp_path / team, "-o", made[-1], "--name", team,
                       "--no-plan")
        assert done.exit_code == 0, done.output
    region = tmp_path / "region.xlsx"
    done = _invoke("consolidate", *made, "-o", region, "--level", "region", "--no-plan")
    assert done.exit_code == 0, done.output
    refused = _invoke("plan", region, "--split", "weights", "--target", "700000")
    assert refused.exit_code == 2, refused.output
    assert f"{REP}（{TEAM}、南二组）" in refused.output, refused.output
    assert "--split share" in refused.output
    assert _invoke("plan", region, "--split", "equal").exit_code == 0


def test_plan_split_by_weights_refuses_the_mixed_roll_ups_namesakes(books, tmp_path):
    """The mixed region's rep list holds one weight for 张伟 (the eastern one's): by
    weights, his own member had none, or — his book given first — 东一组 lacked him.
    Refused, naming the two members as the ranking names them; by share, the plan goes
    to 东一组, 张伟 and 刘洋."""
    first = tmp_path / "south_first.xlsx"
    south = books["south"]
    made = _invoke("consolidate", south / f"{REP}.xlsx", south / f"{MANAGER}.xlsx",
                   books["east"], "-o", first, "--level", "region", "--no-plan")
    assert made.exit_code == 0, made.output
    book = tmp_path / "region.xlsx"
    book.write_bytes(books["region"].read_bytes())
    for path in (first, book):
        refused = _invoke("plan", path, "--split", "weights", "--target", "1000000")
        assert refused.exit_code == 2, refused.output
        assert f"{REP}（{TEAM}、{REP}）" in refused.output, refused.output
    planned = _invoke("plan", book, "--target", "1000000")
    assert planned.exit_code == 0, planned.output
    targets = read_workbook(book).frame("PlanTargets")
    parts = targets[(targets["kpi"] == "revenue") & (targets["scope"] != targets["scope"].iloc[0])]
    assert set(parts["rep"]) == {TEAM, REP, MANAGER}
    assert parts.groupby("period")["value"].sum().max() <= 1000000
