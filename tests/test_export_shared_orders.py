"""A finance analyst exports a folder holding one team's records twice — its book in
Chinese and the same book in English (or a copy with another owner): the two books
are no copies of each other (other text, other owner), so both are exported, and every
order counted in each. consolidate says so of its members; export said nothing, and a
sum over the exported books doubled the team's revenue silently."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from xlsales.cli import main


def test_orders_in_two_books_exported_are_said_and_the_way_out(sample_books, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]),
                                       str(sample_books["en"]), "-o", str(out),
                                       "--tables", "kpis,sales", "--lang", "en"])
    assert result.exit_code == 0, result.output
    sales = pd.read_csv(out / "sales.csv", keep_default_na=False)
    shared = set.intersection(*(set(rows["order_id"]) for _, rows in
                                sales.groupby("source_file")))
    assert shared  # the two books hold the same orders
    notes = [line for line in result.stderr.splitlines() if "more than one workbook" in line]
    assert len(notes) == 1, result.stderr
    assert notes[0].startswith(f"[export] note: {len(shared):,} orders are in more than one "
                               "workbook exported (")
    first = sorted(map(str, shared))[0]
    assert f"({first} in {sample_books['zh'].name}, {sample_books['en'].name};" in notes[0]
    assert "export only one" in notes[0]


def test_books_of_other_orders_say_nothing(sample_books, tmp_path):
    """One book alone, or books without an order in common: no note."""
    result = CliRunner().invoke(main, ["export", str(sample_books["zh"]), "-o",
                                       str(tmp_path / "out"), "--tables", "kpis"])
    assert result.exit_code == 0, result.output
    assert "多个导出的工作簿" not in result.stderr and "more than one" not in result.stderr
