"""English text gives a period's dates with an en dash (2026-11-01 – 2026-11-30), not the
"~" Chinese writes: `kpis` printed "Period 2026-11 (2026-11-01 ~ 2026-11-30)" to an
English book's reader."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xlsales.cli import main
from xlsales.periods import Period, told_apart


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("dash") / "en.xlsx"
    made = CliRunner().invoke(main, ["new", "--lang", "en", "--period", "2026-Q4",
                                     "-o", str(path)])
    assert made.exit_code == 0, made.output
    return path


@pytest.mark.parametrize(("lang", "head"), [
    ("en", "Period 2026-Q4 (2026-10-01 – 2026-12-31)"),
    ("zh", "周期 2026-Q4 (2026-10-01 ~ 2026-12-31)"),
])
def test_the_kpis_head_writes_the_range_as_its_language_does(book, lang, head):
    out = CliRunner().invoke(main, ["kpis", str(book), "--lang", lang])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0].startswith(head), out.stdout.splitlines()[0]


def test_two_periods_of_one_label_are_told_apart_with_a_dash_in_english():
    typed = Period.parse("2026-Q3")
    shifted = Period(typed.start.replace(month=8), typed.type)
    assert told_apart(shifted, typed, "en")[0] == "2026-Q3 (2026-08-01 – 2026-10-31)"
    assert told_apart(shifted, typed, "zh")[0] == "2026-Q3（2026-08-01 ~ 2026-10-31）"


def test_the_kpi_sheets_head_writes_the_period_as_its_language_does(tmp_path):
    """LibreOffice computes the KPI sheet's head from the basic info: ``Owner · 2026-10-01
    – 2026-10-31`` in an English book, ``负责人　2026-10-01 ~ 2026-10-31`` in a Chinese one."""
    import openpyxl
    from click.testing import CliRunner
    from conftest import require_libreoffice

    from xlsales.build.kpi_sheet import HELP_ROW
    from xlsales.cli import main
    from xlsales.libreoffice import recalculate_many
    from xlsales.spec import SPEC

    require_libreoffice()
    books = []
    for lang in ("en", "zh"):
        book = tmp_path / f"{lang}.xlsx"
        result = CliRunner().invoke(main, ["new", "--lang", lang, "--period", "2026-10",
                                           "--owner", "Ann", "-o", str(book)])
        assert result.exit_code == 0, result.output
        books.append(book)
    heads = {}
    for lang, saved in zip(("en", "zh"), recalculate_many(books, tmp_path / "lo"), strict=True):
        ws = openpyxl.load_workbook(saved, data_only=True)[SPEC.sheet("kpis").name.get(lang)]
        heads[lang] = ws.cell(HELP_ROW + 2, 1).value
    assert heads == {"en": "Ann · 2026-10-01 – 2026-10-31", "zh": "Ann　2026-10-01 ~ 2026-10-31"}
