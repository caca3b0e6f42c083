"""Periods as an English-speaking director writes them: a month by its name (``Nov 2026``,
as the targets sheet's month column already reads it) and a quarter with a slash
(``2026/Q4``, as a month is read ``2026/11``), read by ``--period`` as the ISO ones."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.errors import UsageError
from xlsales.periods import Period


@pytest.mark.parametrize("text,label", [
    ("Nov 2026", "2026-11"), ("November 2026", "2026-11"), ("nov-2026", "2026-11"),
    ("2026 Nov", "2026-11"), ("Sept 2026", "2026-09"), ("May 2026", "2026-05"),
    ("Feb. 2026", "2026-02"), ("2026/Q4", "2026-Q4"),
])
def test_english_month_names_and_slashed_quarters_read(text, label):
    assert Period.parse(text).label == label


@pytest.mark.parametrize("text", ["Noc 2026", "Novembre 2026", "Nov 26", "2026 Q5"])
def test_a_misspelt_month_is_still_refused(text):
    with pytest.raises(UsageError, match="Cannot read the period"):
        Period.parse(text)


def test_kpis_takes_a_month_by_its_name(tmp_path):
    book = tmp_path / "east.xlsx"
    runner = CliRunner()
    made = runner.invoke(main, ["new", "--lang", "en", "--period", "Nov 2026",
                                "-o", str(book)])
    assert made.exit_code == 0, made.output
    result = runner.invoke(main, ["kpis", str(book), "--period", "November 2026"])
    assert result.exit_code == 0, result.output
    assert "Period 2026-11 (2026-11-01 – 2026-11-30)" in result.output
