"""The UDFs as plain Python functions: same numbers as the engine, Excel-like blanks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sheet_values import table_rows

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD
from xlsales.udfs import (
    XS_ATTAINMENT,
    XS_COLLECTION_RATE,
    XS_CONVERSION,
    XS_FORECAST,
    XS_GROWTH,
    XS_KPI,
)


def test_ratios_are_empty_when_the_denominator_is_zero_or_blank():
    assert XS_ATTAINMENT(75, 100) == 0.75 and XS_ATTAINMENT(5, 0) == ""
    assert XS_GROWTH(120, 100) == pytest.approx(0.2) and XS_GROWTH(120, None) == ""
    assert XS_CONVERSION(3, 4) == 0.75 and XS_COLLECTION_RATE(80, "") == ""


def test_forecast_follows_the_trend_of_a_range():
    assert XS_FORECAST([[100], [110], [120], [130]], 2) == pytest.approx(150)
    assert XS_FORECAST([[100, 200]]) == pytest.approx(150)  # two points: their mean
    assert XS_FORECAST([[50], [30], [10]], 5) == 0  # never below zero


def test_kpi_over_the_tables_as_excel_passes_them(sample_books, sample_data):
    """The tables as `Sales[#All]` would arrive: header row (zh labels) then the rows."""
    wb = openpyxl.load_workbook(sample_books["zh"])
    sales, targets = table_rows(wb, "Sales"), table_rows(wb, "Targets")
    activities = table_rows(wb, "Activities")
    engine = compute_kpis(sample_data["zh"].tables, SAMPLE_PERIOD, by="rep")
    for key in ("revenue", "attainment", "customers", "win_rate", "visits", "yoy_growth"):
        assert XS_KPI(key, "2026-10", sales, targets, activities) == pytest.approx(
            engine.kpis[key]), key
    rep = sample_data["zh"].lists["rep"][0]
    assert XS_KPI("revenue", "2026-10", sales, targets, activities, rep) == pytest.approx(
        engine.groups[rep]["revenue"])
    quarter = compute_kpis(sample_data["zh"].tables, Period.parse("2026-Q3")).kpis
    assert XS_KPI("deals", "2026-Q3", sales) == quarter["deals"]
    assert XS_KPI("attainment", "2030-01", sales, targets) == ""
    with pytest.raises(KeyError):
        XS_KPI("no_such_kpi", "2026-10", sales)


# --- as xlwings calls them: the arguments and the result through its converters ----------------

# xlwings makes a converter of each type hint of a UDF (xlwings.udfs on Windows,
# xlwings.pro.udfs_officejs in xlwings Lite: the same rule). Its server-side decorators run on
# Linux (xlwings PRO, PolyForm Noncommercial: the key is for this project's own tests only);
# ``custom_functions_call`` reads the arguments and writes the result as Excel would get them.
UDF_CALLS = r"""
import asyncio, json, os, sys
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # xw.func / xw.arg: xlwings' own, not no-ops
sys.path.insert(0, sys.argv[1])
import xlwings as xw
from xlwings.pro.udfs_officejs import custom_functions_call
import main as lite
import xlsales.udfs as udfs
sales = [["Order ID", "Date", "Amount", "Stage", "Rep"], ["A1", "2026-10-03", 1000, "Won", "Li"],
         ["A2", "2026-10-09", 500, "Won", "Wu"]]
calls = {"XS_ATTAINMENT": [[[80]], [[100]]], "XS_GROWTH": [[[120]], [[0]]],
         "XS_CONVERSION": [[[3]], [[4]]], "XS_COLLECTION_RATE": [[[50]], [[100]]],
         "XS_FORECAST": [[[100], [110], [120]], [[2]]],
         "XS_KPI": [[["revenue"]], [["2026-10"]], sales, None, None, [["Li"]]]}
out = {}
for module in (udfs, lite):
    for name, args in calls.items():
        data = {"func_name": name, "args": args, "version": xw.__version__, "client": "Office.js",
                "runtime": "1.4", "culture_info_name": "en-US", "date_format": "M/d/yyyy"}
        try:
            out[f"{module.__name__}.{name}"] = asyncio.run(custom_functions_call(data, module))
        except Exception as exc:
            out[f"{module.__name__}.{name}"] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


def test_the_xs_formulas_compute_through_xlwings_converters(tmp_path):
    """Each XS_ function as xlwings registers and calls it (its type hints made converters):
    the value in the cell, not "type object 'types.UnionType' has no attribute 'router'"."""
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(repo)}
    proc = subprocess.run([sys.executable, "-c", UDF_CALLS, str(repo / "xlwings_lite")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    for module in ("xlsales.udfs", "main"):
        got = {name.split(".")[-1]: value for name, value in out.items()
               if name.rsplit(".", 1)[0] == module}
        assert got.pop("XS_FORECAST")[0][0] == pytest.approx(140), module
        assert got == {"XS_ATTAINMENT": [[0.8]], "XS_GROWTH": [[""]], "XS_CONVERSION": [[0.75]],
                       "XS_COLLECTION_RATE": [[0.5]], "XS_KPI": [[1000.0]]}, module
