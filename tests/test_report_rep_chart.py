"""The KPI report's chart of revenue and target by rep names every rep: a region's 11
reps on a chart of fixed height had every other name left off by LibreOffice (labels
that would overlap are skipped), so the director could not tell whose bar was whose."""

from __future__ import annotations

from datetime import date

import pandas as pd
from click.testing import CliRunner
from conftest import require_libreoffice, team_options

from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.libreoffice import convert, pdf_page_texts
from xlsales.periods import Period
from xlsales.workbook_data import WorkbookData

REPS = [f"Q{i:02d}" for i in range(1, 15)]


def test_every_rep_of_a_large_team_is_named_on_the_chart(tmp_path):
    require_libreoffice()
    month = Period.parse("2026-10")
    sales = pd.DataFrame({
        "order_id": [f"O{i}" for i in range(len(REPS))], "date": [date(2026, 10, 5)] * len(REPS),
        "rep": REPS, "customer": [f"C{i}" for i in range(len(REPS))],
        "stage": ["won"] * len(REPS), "amount": [1000.0 * (i + 1) for i in range(len(REPS))]})
    targets = pd.DataFrame({"period": [date(2026, 10, 1)] * len(REPS), "rep": REPS,
                            "revenue_target": [20000.0] * len(REPS)})
    book = tmp_path / "big_team.xlsx"
    build_workbook(book, team_options("en", month), WorkbookData(
        tables={"Sales": sales, "Targets": targets}, lists={"rep": REPS}))
    result = CliRunner().invoke(main, ["kpis", str(book), "--write"])
    assert result.exit_code == 0, result.output
    pages = pdf_page_texts(convert([book], tmp_path / "pdf", "pdf")[0])
    page = next(p for p in pages if "xlsales kpi report" in p)
    # each name once in the ranking table, once more on the chart's axis
    assert [r for r in REPS if page.count(r) < 2] == []
