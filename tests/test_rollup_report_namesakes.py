"""consolidate's report on two people of one name inside one member: the company of
:mod:`test_rollup_company_namesakes`, whose region 华东南 holds 东一组's 张伟 and 南二组's.
The report named 张伟 as in two members (华东南, 华北) and said nothing of the two inside
华东南, whom every figure by rep lists apart. It says so once, in the roll-up's language,
naming the labels figures by rep give them."""

from __future__ import annotations

import pytest
from test_rollup_company_namesakes import (  # noqa: F401 - the fixtures
    NORTH,
    REGION,
    REP,
    TEAM,
    _invoke,
    books,
    company,
)

from xlsales.rollup_member import load_member
from xlsales.rollup_report_namesakes import namesakes_within, namesakes_within_lines
from xlsales.rollup_result import Rollup

EAST, SOUTH = f"{REGION} › {TEAM}", f"{REGION} › {REP}"


def _members(*paths):
    members = [load_member(p) for p in paths]
    for m in members:  # as consolidate names them
        m.name = m.owner
    return members


def test_the_region_s_two_namesakes_are_found(company):  # noqa: F811
    """华东南's two 张伟 are found, told apart by the members below; 华北's one 张伟, the
    regions' other reps and a rep's own book give nothing."""
    found = namesakes_within(_members(company["region"], company["north"]))
    assert found == {REGION: {REP: [TEAM, REP]}}
    assert namesakes_within(_members(company["own"], company["north"])) == {}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_line_names_them_in_the_book_s_language(company, lang):  # noqa: F811
    """One line, in the roll-up's language, naming the member, the name, and the labels
    figures by rep show them with."""
    rollup = Rollup(_members(company["region"], company["north"]), None, lang=lang)
    lines = namesakes_within_lines(rollup)
    assert len(lines) == 1, lines
    line = lines[0]
    assert EAST in line and SOUTH in line and REGION in line
    assert (f"{REP}（{EAST}）" if lang == "zh" else f"{REP} ({EAST})") in line
    assert ("同名的不同销售人员" in line) == (lang == "zh")
    assert NORTH not in line


def test_no_line_without_namesakes_inside_a_member(company):  # noqa: F811
    """A roll-up whose members each hold one 张伟 says nothing more."""
    assert namesakes_within_lines(Rollup(_members(company["north"]), None)) == []


def test_consolidate_reports_them_once(company, tmp_path):  # noqa: F811
    """The company's report names the two 张伟 of 华东南, once."""
    made = _invoke("consolidate", company["region"], company["north"], "-o",
                   tmp_path / "company.xlsx", "--level", "company", "--name", "公司",
                   "--no-plan")
    assert made.exit_code == 0, made.output
    said = [line for line in made.stdout.splitlines() if EAST in line]
    assert len(said) == 1 and SOUTH in said[0], made.stdout
