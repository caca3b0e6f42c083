"""A breakdown by quarter or month whose last parts run past the book's own period
(``kpis --period 2026 --by quarter`` on an October book): the note says 2026-Q4 holds
October alone, so its −70 % on Q3 is no fall, and that later months hold nothing yet."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.workbook_data import BuildOptions


@pytest.fixture(scope="module", params=["en", "zh"])
def october(request, tmp_path_factory):
    """The sample team's month book (October 2026), in English and in Chinese."""
    lang = request.param
    path = tmp_path_factory.mktemp("partial") / f"team_{lang}.xlsx"
    build_workbook(path, BuildOptions(lang=lang, period=SAMPLE_PERIOD, level="team",
                                      role="manager", owner="Team"),
                   sample_workbook_data(lang))
    return lang, path


def run(*args: str):
    out = CliRunner().invoke(main, ["kpis", *args])
    assert out.exit_code == 0, out.output
    return out


def notes_of(out, words: str) -> list[str]:
    return [line for line in out.stderr.splitlines() if words in line]


def test_the_last_quarter_holding_october_alone_is_said(october):
    lang, book = october
    for json_flag in ((), ("--json",)):
        out = run(str(book), "--period", "2026", "--by", "quarter", *json_flag)
        said = notes_of(out, "2026-Q4")
        assert len(said) == 1 and "2026-10-31" in said[0], out.stderr
        assert ("只含 2026-10-01 ~ 2026-10-31" if lang == "zh"
                else "holds 2026-10-01 – 2026-10-31 only") in said[0]
        assert not any(q in out.stderr for q in ("2026-Q1", "2026-Q2", "2026-Q3"))
        if json_flag:  # stdout stays the documented JSON; the note is on stderr
            data = json.loads(out.stdout)
            assert set(data) == {"period", "start", "end", "currency", "kpis", "by"}
            assert data["by"]["2026-Q4"]["mom_growth"] < -0.6  # October on all of Q3


def test_months_after_the_books_period_are_said_to_hold_nothing_yet(october):
    _, book = october
    out = run(str(book), "--period", "2026", "--by", "month")
    said = notes_of(out, "2026-11")
    assert len(said) == 1 and "2026-12" in said[0] and "2026-10-31" in said[0]
    assert "2026-10-01 ~" not in out.stderr  # October is a whole month: no part note


def test_parts_inside_the_books_period_get_no_note(october):
    _, book = october
    out = run(str(book), "--period", "2026-Q3", "--by", "month")
    assert "2026-10-31" not in out.stderr
    assert "2026-10-31" not in run(str(book), "--by", "rep").stderr
