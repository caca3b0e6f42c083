"""Golden checks: what the workbooks compute, recalculated by LibreOffice, equals the
KPIs computed independently from the same rows with pandas, and equals the
xlsales KPI engine."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import require_libreoffice, team_options
from kpi_reference import reference_kpis
from sheet_values import error_cells, kpi_values, table_rows

from xlsales.build.workbook import build_workbook
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import as_opened, recalculate_many
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.workbook_data import WorkbookData


def assert_kpis_match(computed: dict[str, object], expected: dict[str, object]) -> None:
    assert set(computed) == {k.key for k in SPEC.kpis}
    mismatches = []
    for key, want in expected.items():
        got = computed[key]
        if want is None:
            ok = got is None
        else:
            ok = isinstance(got, int | float) and math.isclose(got, want, rel_tol=1e-9,
                                                                abs_tol=1e-6)
        if not ok:
            mismatches.append(f"{key}: LibreOffice {got!r}, pandas {want!r}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sample_kpis_equal_pandas(recalculated, sample_data, lang):
    data = sample_data[lang]
    expected = reference_kpis(data.tables["Sales"], data.tables["Targets"],
                              SAMPLE_PERIOD.start, 1, data.tables["Activities"])
    computed = kpi_values(recalculated[lang])
    assert_kpis_match(computed, expected)
    assert_kpis_match(computed, compute_kpis(data.tables, SAMPLE_PERIOD).kpis)
    # the sample is rich enough that every KPI has a value (history exists)
    assert all(v is not None for v in computed.values())
    assert 0 < computed["new_customer_revenue"] < computed["revenue"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_cell_evaluates_to_an_error(recalculated, lang):
    assert error_cells(recalculated[lang]) == []


def test_libreoffice_with_its_default_settings_shows_the_computed_kpis(sample_books,
                                                                     recalculated, tmp_path):
    """LibreOffice's default for xlsx files is never to recalculate on load and to show
    each formula's cached result: a built workbook's formulas carry none, so it computes
    them on opening (not a KPI sheet of zeros and a 1899-12-30 period until the user
    presses Ctrl+Shift+F9)."""
    require_libreoffice()
    langs = sorted(sample_books)
    opened = as_opened([sample_books[lang] for lang in langs], tmp_path)
    for lang, path in zip(langs, opened, strict=True):
        wb = openpyxl.load_workbook(path, data_only=True)
        shown = kpi_values(wb)
        assert isinstance(shown["revenue"], int | float) and shown["revenue"] > 0, lang
        assert shown == kpi_values(recalculated[lang]), lang
        window = table_rows(wb, "KpiPeriods")[1]
        assert (window[1].date(), window[2].date()) == (SAMPLE_PERIOD.start, SAMPLE_PERIOD.end)


def test_zh_and_en_samples_compute_the_same_figures(recalculated):
    assert kpi_values(recalculated["zh"]) == kpi_values(recalculated["en"])


def _random_data(seed: int, period: Period) -> WorkbookData:
    """Random rows around ``period``: blank and contradicting customer types, open
    stages, missing invoices; seed 0 has no rows in the period at all."""
    rng = np.random.default_rng(seed)
    n = 0 if seed == 0 else int(rng.integers(30, 300))
    lo = pd.Timestamp(period.start) - pd.DateOffset(months=15)
    days = (pd.Timestamp(period.end) - lo).days
    dates = [(lo + pd.Timedelta(days=int(d))).date() for d in rng.integers(0, days + 1, n)]
    if seed == 0:
        dates = [(lo + pd.Timedelta(days=int(d))).date() for d in rng.integers(0, 200, 40)]
        n = 40
    stage = rng.choice(["lead", "follow_up", "proposal", "won", "lost"], n)
    amount = rng.integers(0, 50, n) * 100.0
    invoiced = np.where(rng.random(n) < 0.8, amount, np.nan)
    sales = pd.DataFrame({
        "order_id": [f"R{i}" for i in range(n)], "date": dates,
        "rep": rng.choice(["A", "B"], n),
        # names that COUNTIFS would read as criteria (=, <, >, wildcards) or fold by case
        "customer": rng.choice([f"C{i}" for i in range(20)]
                               + ["=A", "<b", ">c", "*star", "q?", "~t", "c1", "ACME", "acme"],
                               n),
        "customer_type": rng.choice(np.array(["new", "existing", None], dtype=object), n,
                                    p=[0.1, 0.1, 0.8]),
        "amount": amount, "stage": stage, "invoiced": invoiced,
        "collected": np.floor(invoiced * rng.random(n)),
        # products whose names COUNTIFS would misread, blank products and quantities
        "product": rng.choice(np.array(["P1", "p1", "*P", "P?", "=P", None], dtype=object), n),
        "quantity": np.where(rng.random(n) < 0.85, rng.integers(0, 9, n), np.nan),
        "created": [None if rng.random() < 0.2 else d - pd.Timedelta(days=int(rng.integers(0, 90)))
                    for d in dates],
        "probability": np.where(rng.random(n) < 0.5, rng.integers(0, 21, n) / 20, np.nan),
    })
    # probabilities typed as points of 100 (50 for 50 %) or out of range, which validation
    # flags: the stage default weighs those rows, never 50 times their amount
    sales.loc[sales.index % 7 == 3, "probability"] = 50.0
    sales.loc[sales.index % 11 == 5, "probability"] = -0.2
    activity_dates = [(lo + pd.Timedelta(days=int(d))).date()
                      for d in rng.integers(0, days + 1, n // 2)]
    activities = pd.DataFrame({"date": activity_dates, "rep": "A",
                               "type": rng.choice(["visit", "call", "email", "other"],
                                                  len(activity_dates))})
    months = pd.date_range(lo, period.end, freq="MS")
    targets = pd.DataFrame({"period": [m.date() for m in months], "rep": "A",
                            "revenue_target": rng.integers(0, 3, len(months)) * 1000.0,
                            "new_customers_target": rng.integers(0, 4, len(months)),
                            "collection_rate_target": np.where(
                                rng.random(len(months)) < 0.7, rng.integers(5, 11, len(months))
                                / 10, np.nan),
                            "pipeline_target": rng.integers(0, 5, len(months)) * 500.0})
    return WorkbookData(info={"period_type": period.type.value, "period_start": period.start},
                        tables={"Sales": sales, "Targets": targets, "Activities": activities},
                        lists={"rep": ["A", "B"]})


def test_random_data_and_every_period_type(tmp_path):
    """Random rows for a month, a quarter and a year, plus the sample workbook
    for a quarter and a year: LibreOffice equals pandas in every case."""
    require_libreoffice()
    cases = []
    for seed, text in [(0, "2026-03"), (1, "2026-11"), (2, "2026-Q1"), (3, "2025")]:
        period = Period.parse(text)
        cases.append((f"random{seed}", period, _random_data(seed, period), "en"))
    for text, lang in [("2026-Q3", "zh"), ("2026", "en")]:
        period = Period.parse(text)
        data = sample_workbook_data(lang)
        data.info.update(period_type=period.type.value, period_start=period.start)
        cases.append((f"sample_{period.label}", period, data, lang))
    paths = []
    for name, period, data, lang in cases:
        path = tmp_path / f"{name}.xlsx"
        build_workbook(path, replace(team_options(lang), period=period), data)
        paths.append(path)
    for (name, period, data, _), out in zip(cases, recalculate_many(paths, tmp_path / "out"),
                                           strict=True):
        wb = openpyxl.load_workbook(out, data_only=True)
        assert error_cells(wb) == [], name
        expected = reference_kpis(data.tables["Sales"], data.tables["Targets"], period.start,
                                  period.months, data.tables.get("Activities"))
        assert_kpis_match(kpi_values(wb), expected)
        # the Python engine agrees with LibreOffice's recalculation of the native formulas
        assert_kpis_match(kpi_values(wb), compute_kpis(data.tables, period).kpis)
        if name == "random0":  # nothing in the period: ratios are empty, never errors
            assert expected["revenue"] == 0
            got = kpi_values(wb)
            assert got["aov"] is None and got["win_rate"] is None
            assert got["sales_cycle_days"] is None and got["proposal_to_won_rate"] is None


def test_kpi_windows_follow_the_period(recalculated):
    from sheet_values import table_rows

    from xlsales.date_text import serial_to_date

    rows = table_rows(recalculated["en"], "KpiPeriods")[1:]
    # the to-date window's start is shown as words ("from the first record"): a number
    # format without a date in it, so openpyxl reads the serial, not a date
    got = [tuple(v.date() if hasattr(v, "date") else serial_to_date(v) for v in r[1:3])
           for r in rows]
    assert got == [(date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 9, 1), date(2026, 9, 30)),
                   (date(2025, 10, 1), date(2025, 10, 31)),
                   (date(1901, 1, 1), date(2026, 10, 31))]  # to_date: everything up to the end
