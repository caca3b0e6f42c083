"""``xlsales kpis --period P`` on a book whose sales records are dated outside P says so
on stderr: ``--period 2027`` on an October 2026 book printed a page of zeros that read as
a year without sales."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from xlsales.cli import main


def kpis(book, *args: str):
    return CliRunner().invoke(main, ["kpis", str(book), *args])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_period_without_records_is_said_and_a_covered_one_is_not(sample_books, lang):
    book = sample_books[lang]
    result = kpis(book, "--period", "2027", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kpis"]["revenue"] == 0
    said = {"en": "no sales records are dated in 2027: the workbook's records run 2025-05 – "
                  "2026-10, so the KPIs below are 0 or empty; check --period (the "
                  "workbook's period is 2026-10).",
            "zh": "2027 没有销售记录：工作簿中的记录日期在 2025-05 ~ 2026-10，以下 KPI 因此为 0 "
                  "或空。请检查 --period（本工作簿的期间是 2026-10）。"}[lang]
    assert said in result.stderr, result.stderr
    for covered in ("2026-Q4", "2025-05", "2026"):
        result = kpis(book, "--period", covered)
        assert result.exit_code == 0, result.output
        assert "没有销售记录" not in result.stderr
        assert "no sales records" not in result.stderr
