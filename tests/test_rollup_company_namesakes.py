"""The mixed region of :mod:`test_rollup_mixed_namesakes` (东一组's team roll-up with its
张伟, beside 南二组's 张伟's own book and his manager 刘洋's book) rolled up again into a
company, beside another region (华北) whose team has a third 张伟.

consolidate replaces a member roll-up's member column by its own: every row of the region
names 华东南, and ``kpis --by rep`` of the company added the eastern and the southern 张伟
into one group (the company's whole was right). Each 张伟 stays one group at every level,
named down to the member that tells him apart (``张伟（华东南 › 东一组）``), with the figures
the region gives him, the parts adding up to the whole."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_rollup_mixed_namesakes import (
    EAST,
    REP,
    SOUTH,
    TEAM,
    _book,
    _invoke,
    _renamed,
    _report_ranking,
    _weighted,
    books,  # noqa: F401 - the region's fixture
)

from xlsales.io.reader import read_workbook
from xlsales.sample import sample_members
from xlsales.validation import validate

REGION, NORTH, NORTH_TEAM = "华东南", "华北", "北一组"
#: The company's groups of the three 张伟, and the region's groups they are.
LABELS = {f"{REP}（{REGION} › {TEAM}）": EAST, f"{REP}（{REGION} › {REP}）": SOUTH}
THIRD = f"{REP}（{NORTH}）"
KEYS = ("revenue", "target", "deals", "customers", "attainment", "visits")


@pytest.fixture(scope="module")
def company(books, tmp_path_factory):  # noqa: F811 - the fixture imported above
    """The company roll-up of the mixed region and 华北 (北一组: a 张伟 and 杨帆), the
    north region, and the company rolled up once more (a group of companies)."""
    root = tmp_path_factory.mktemp("company")
    members = sample_members("zh")
    (root / NORTH_TEAM).mkdir()
    for rep, data in ((REP, members["王芳"]), ("杨帆", members["杨帆"])):
        _book(root / NORTH_TEAM / f"{rep}.xlsx", rep, data,
              _weighted(_renamed(data, rep), **{rep: 2.0}))
    team = root / f"{NORTH_TEAM}.xlsx"
    made = _invoke("consolidate", root / NORTH_TEAM, "-o", team, "--name", NORTH_TEAM,
                   "--no-plan")
    assert made.exit_code == 0, made.output
    north = root / f"{NORTH}.xlsx"
    made = _invoke("consolidate", team, "-o", north, "--level", "region", "--name", NORTH,
                   "--no-plan")
    assert made.exit_code == 0, made.output
    out = root / "company.xlsx"
    made = _invoke("consolidate", books["region"], north, "-o", out, "--level", "company",
                   "--name", "公司", "--no-plan")
    assert made.exit_code == 0, made.output
    group = root / "group.xlsx"
    made = _invoke("consolidate", out, "-o", group, "--level", "company", "--name", "集团",
                   "--no-plan")
    assert made.exit_code == 0, made.output
    mixed = root / "mixed.xlsx"  # the region beside the northern 张伟's and 杨帆's books
    made = _invoke("consolidate", books["region"], *(root / NORTH_TEAM).iterdir(), "-o",
                   mixed, "--level", "company", "--name", "公司", "--no-plan")
    assert made.exit_code == 0, made.output
    return {"company": out, "north": north, "group": group, "region": books["region"],
            "mixed": mixed, "own": root / NORTH_TEAM / f"{REP}.xlsx"}


def _json(*args: object) -> dict:
    result = _invoke("kpis", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_company_kpis_by_rep_keeps_the_three_people_apart(company):
    """The company's 张伟 groups are the region's two and 华北's one, with their figures;
    the groups add up to the company's whole."""
    by = _json(company["company"], "--by", "rep")["by"]
    assert REP not in by, list(by)
    region = _json(company["region"], "--by", "rep")["by"]
    for label, theirs in LABELS.items():
        for key in KEYS:
            assert by[label][key] == pytest.approx(region[theirs][key]), (label, key)
    north = _json(company["north"], "--by", "rep")["by"][REP]
    for key in KEYS:
        assert by[THIRD][key] == pytest.approx(north[key]), key
    whole = _json(company["company"])["kpis"]
    for key in ("revenue", "target", "deals", "visits"):
        assert sum(g[key] or 0 for g in by.values()) == pytest.approx(whole[key]), key


def test_the_note_names_the_members(company):
    """``kpis --by rep`` says why the labels, naming where each 张伟 is."""
    said = _invoke("kpis", company["company"], "--by", "rep")
    assert said.exit_code == 0, said.output
    assert f"{REGION} › {TEAM}" in said.output and f"{REGION} › {REP}" in said.output


def test_a_further_roll_up_keeps_them_apart_too(company):
    """The company rolled up once more: the same three people with the same figures,
    named from the group's member down."""
    by = _json(company["group"], "--by", "rep")["by"]
    below = _json(company["company"], "--by", "rep")["by"]
    assert REP not in by, list(by)
    for label in (*LABELS, THIRD):
        inner = label[len(REP) + 1:-1]
        for key in KEYS:
            assert by[f"{REP}（公司 › {inner}）"][key] == pytest.approx(below[label][key])
    assert _json(company["group"])["kpis"] == _json(company["company"])["kpis"]


def test_a_mixed_company_keeps_them_apart(company):
    """The region beside the northern 张伟's own book: his group is his member's, the
    region's two are named down to their members, each with the figures of before."""
    by = _json(company["mixed"], "--by", "rep")["by"]
    region = _json(company["region"], "--by", "rep")["by"]
    own = _json(company["own"], "--by", "rep")["by"][REP]
    assert {k for k in by if k.startswith(REP)} == {*LABELS, f"{REP}（{REP}）"}, list(by)
    for key in KEYS:
        assert by[f"{REP}（{REP}）"][key] == pytest.approx(own[key]), key
        for label, theirs in LABELS.items():
            assert by[label][key] == pytest.approx(region[theirs][key]), (label, key)
    whole = _json(company["mixed"])["kpis"]
    assert sum(g["revenue"] or 0 for g in by.values()) == pytest.approx(whole["revenue"])


def test_the_kpi_report_ranks_them_apart(company, tmp_path):
    """``kpis --write`` on the company: a row of the KPI report's rep ranking each."""
    rows = _report_ranking(company["company"], tmp_path)
    by = _json(company["company"], "--by", "rep")["by"]
    assert REP not in rows
    for label in (*LABELS, THIRD):
        assert rows[label][2] == pytest.approx(by[label]["revenue"]), label


def test_the_export_keeps_them_apart(company, tmp_path):
    """``export --tables kpis_by_rep`` of the company: a row of each 张伟, its member
    naming where he is; the rows add up to the whole."""
    made = _invoke("export", company["company"], "-o", tmp_path / "x", "--tables",
                   "kpis_by_rep")
    assert made.exit_code == 0, made.output
    rows = pd.read_csv(tmp_path / "x" / "kpis_by_rep.csv")
    mine = rows[rows["rep"] == REP].set_index("member")
    by = _json(company["company"], "--by", "rep")["by"]
    assert sorted(mine.index) == sorted(label[len(REP) + 1:-1] for label in (*LABELS, THIRD))
    for label in (*LABELS, THIRD):
        assert mine.loc[label[len(REP) + 1:-1], "revenue"] == pytest.approx(
            by[label]["revenue"]), label
    assert rows["revenue"].sum() == pytest.approx(_json(company["company"])["kpis"]["revenue"])


def test_plan_split_by_weights_refuses_them(company, tmp_path):
    """The company's rep list holds one weight for 张伟: by weights, 华东南's share would
    count one of its two 张伟. Refused, naming where they are."""
    book = tmp_path / "company.xlsx"
    book.write_bytes(company["company"].read_bytes())
    refused = _invoke("plan", book, "--split", "weights", "--target", "1000000")
    assert refused.exit_code == 2, refused.output
    assert f"{REGION} › {TEAM}" in refused.output, refused.output
    assert _invoke("plan", book, "--target", "1000000").exit_code == 0


def test_the_company_is_exact_and_valid(company):
    """The company's whole is its regions' added up; validate finds no error."""
    whole = _json(company["company"])["kpis"]
    parts = [_json(company[k])["kpis"] for k in ("region", "north")]
    for key in ("revenue", "target", "deals"):
        assert whole[key] == pytest.approx(sum(p[key] or 0 for p in parts)), key
    for key in ("company", "group"):
        errors = [f for f in validate(read_workbook(company[key])) if f.severity == "error"]
        assert not errors, errors
