"""The workbook's buttons (xlsales.excel.macros) through xlwings' own API, on its remote engine.

A real workbook (the sample team, built by the same code as ``xlsales new``/``demo``, cut to
100 sales rows, with a few wrong entries) is read with python-calamine into the payload
Excel's xlwings client sends (``client``, ``version``, ``book``, ``names``, ``sheets`` with
their ``values``, ``tables`` and ``pictures``); ``xw.Book(json=payload)`` runs the real
xlwings API on it and ``book.json()["actions"]`` lists what Excel would apply. The results
are compared with what the CLI computes and writes for the same file.
"""

from __future__ import annotations

import os

# The remote engine is xlwings PRO (PolyForm Noncommercial): this key is for this project's
# own tests only. The buttons' classic route (VBA RunPython, xlwings' BSD part) needs none.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import copy
import json
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import python_calamine
import xlwings as xw
from click.testing import CliRunner
from table_edits import with_totals_row

import xlsales.excel.macros as m
from xlsales.build.workbook import build_workbook
from xlsales.cli import main
from xlsales.excel import book_adapter
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.spec import SPEC
from xlsales.workbook_data import BuildOptions

try:
    xw.engines["remote"]
except (KeyError, xw.LicenseError):  # xlwings was imported before the key was set (by
    # another test module): register the engine now
    from xlwings.pro import _xlremote

    xw.engines.add(xw.main.Engine(impl=_xlremote.engine))

REPO = Path(__file__).resolve().parent.parent
SHADE = "#FFC7CE"
LARGE_ROWS = 100_000
EPOCH = date(1899, 12, 30)


# --- the workbook and its payload ------------------------------------------------------------


def _spread(frame, n: int = 100):
    return frame.iloc[np.linspace(0, len(frame) - 1, n).round().astype(int)].reset_index(drop=True)


def build_small(path: Path, lang: str = "zh") -> Path:
    """The sample team's workbook with 100 sales rows, 4 of them wrong."""
    data = sample_workbook_data(lang)  # type: ignore[arg-type]
    sales = _spread(data.tables["Sales"]).astype(object)
    sales.loc[1, "rep"] = "查无此人"  # unknown rep, in a history row: a warning
    sales.loc[2, "amount"] = -100.0  # below minimum, amount ≠ quantity × price
    sales.loc[3, "quantity"] = "三个"  # not a number
    sales.loc[4, "unit_price"] = "1,200"  # repaired (info), amount ≠ quantity × price;
    # no KPI formula reads a unit price: no "KPI sheet does not count it" warning
    data.tables["Sales"] = sales
    data.tables["Activities"] = _spread(data.tables["Activities"])
    options = BuildOptions(lang=lang, period=SAMPLE_PERIOD, level="team",  # type: ignore[arg-type]
                           role="manager", owner=TEAM[lang][0])
    build_workbook(path, options, data)
    return path


def _client_value(v: object) -> object:
    """A cell as Excel's xlwings client sends it: dates as ISO text (toISOString), whole
    numbers as JSON integers, empty cells as ''."""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, time):  # a time of day: the serial's fraction, on Excel's day 0
        return f"1899-12-30T{v:%H:%M:%S}.000Z"
    if isinstance(v, timedelta):
        return v.total_seconds() / 86400
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return "" if v is None else v


def payload_of(path: Path) -> dict:
    """The payload of ``path`` as Excel's xlwings client would send it."""
    cal = python_calamine.CalamineWorkbook.from_path(str(path))
    wb = openpyxl.load_workbook(path)  # table ranges and defined names
    sheets = []
    for name in wb.sheetnames:
        rows = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
        tables = []
        for tname, ref in wb[name].tables.items():
            first, last = ref.split(":")
            col1, row1 = re.match(r"([A-Z]+)(\d+)", first).groups()
            col2, row2 = re.match(r"([A-Z]+)(\d+)", last).groups()
            totals = bool(wb[name].tables[tname].totalsRowCount)
            body_end = f"{col2}{int(row2) - totals}"
            tables.append({
                "name": tname, "range_address": ref,
                "header_row_range_address": f"{col1}{row1}:{col2}{row1}",
                "data_body_range_address": f"{col1}{int(row1) + 1}:{body_end}",
                "total_row_range_address": f"{col1}{row2}:{last}" if totals else None,
                "show_headers": True, "show_totals": totals,
                "table_style": "TableStyleMedium2", "show_autofilter": True})
        sheets.append({"name": name, "values": [[_client_value(v) for v in r] for r in rows]
                       or [[]], "tables": tables, "pictures": []})
    names = []
    for dn in wb.defined_names.values():
        m_ = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]+)\$?(\d+)", dn.attr_text or "")
        if m_ and m_[1] in wb.sheetnames:
            names.append({"name": dn.name, "sheet_index": wb.sheetnames.index(m_[1]),
                          "address": f"{m_[2]}{m_[3]}", "book_scope": True,
                          "scope_sheet_index": None, "scope_sheet_name": None})
    return json.loads(json.dumps({
        "client": "Microsoft Office", "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names, "sheets": sheets}))


def grown(payload: dict, rows: int) -> dict:
    """``payload`` with its sales table grown to ``rows`` rows, as Excel would send a bigger
    workbook: its clean rows repeated under new order IDs, the table's range extended. The
    new rows hold their unit price as text (read fine, each an info finding), so that the
    validation sheet grows with the rows too; the small book has one already (its one
    warning that the KPI sheet's formulas leave such values out stays one)."""
    out = copy.deepcopy(payload)
    sheet = next(s for s in out["sheets"] if any(t["name"] == "Sales" for t in s["tables"]))
    table = next(t for t in sheet["tables"] if t["name"] == "Sales")
    header = int(re.search(r"(\d+):", table["range_address"])[1])
    head, body = sheet["values"][:header], sheet["values"][header:]
    price = head[-1].index("单价")
    clean = body[10:]  # the wrong entries are on the first rows
    new, k = list(body), 0
    while len(new) < rows:
        for r in clean[:rows - len(new)]:
            row = [f"{r[0]}-{k}", *r[1:]]
            row[price] = str(row[price])
            new.append(row)
        k += 1
    sheet["values"] = head + new
    last = header + rows
    for key in ("range_address", "data_body_range_address"):
        table[key] = re.sub(r"\d+$", str(last), table[key])
    return out


def run_button(payload: dict, button, **kwargs) -> tuple[str, list[dict]]:
    """Click ``button`` on a fresh book of ``payload``; its message and Excel actions."""
    book = xw.Book(json=copy.deepcopy(payload))
    message = button(book, **kwargs)
    return message, book.json()["actions"]


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- reading the actions ---------------------------------------------------------------------


def named(payload: dict, actions: list[dict]) -> list[tuple[str | None, dict]]:
    """Each action with the name of the sheet it addresses, following added/deleted sheets."""
    names = [s["name"] for s in payload["sheets"]]
    out = []
    for a in actions:
        pos = a["sheet_position"]
        out.append((names[pos] if pos is not None and pos < len(names) else None, a))
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        elif a["func"] == "sheetDelete":
            del names[pos]
    return out


def values_written(payload: dict, actions: list[dict], sheet: str) -> list[list[object]]:
    """The block of values set on ``sheet`` (one setValues from A1)."""
    blocks = [a for name, a in named(payload, actions)
              if name == sheet and a["func"] == "setValues"]
    assert len(blocks) == 1 and (blocks[0]["start_row"], blocks[0]["start_column"]) == (0, 0)
    return blocks[0]["values"]


def text_of(v: object) -> object:
    """A written cell as Excel shows it: '…' text without its prefix, links' text."""
    if isinstance(v, str):
        link = re.fullmatch(r'=HYPERLINK\("#.*","(.*)"\)', v)
        if link:
            return link[1].replace('""', '"')
        v = v[1:] if v.startswith("'") else v
        return v or None
    return v


def applied(payload: dict, actions: list[dict]) -> dict:
    """The payload Excel would send after applying ``actions``: sheets added and deleted,
    values set (text without its apostrophe, a link as its text), cells formatted as dates
    sent as ISO dates, tables added. Enough to click a button twice."""
    out = copy.deepcopy(payload)
    sheets = out["sheets"]
    for a in actions:
        func, pos = a["func"], a["sheet_position"]
        if func == "addSheet":
            sheets.insert(a["args"][0], {"name": a["args"][1], "values": [[]], "tables": [],
                                         "pictures": []})
        elif func == "sheetDelete":
            del sheets[pos]
        elif func in ("setValues", "setNumberFormat"):
            rows, cols = a["start_row"] + a["row_count"], a["start_column"] + a["column_count"]
            grid = [r for r in sheets[pos]["values"] if r]
            width = max([cols, *map(len, grid)])
            grid = [r + [""] * (width - len(r)) for r in grid]
            grid += [[""] * width for _ in range(rows - len(grid))]
            sheets[pos]["values"] = grid
            for r in range(a["start_row"], rows):
                for c in range(a["start_column"], cols):
                    if func == "setValues":
                        v = text_of(a["values"][r - a["start_row"]][c - a["start_column"]])
                        grid[r][c] = "" if v is None else v
                    elif "yy" in a["args"][0] and isinstance(grid[r][c], int | float):
                        day = datetime(1899, 12, 30) + timedelta(days=grid[r][c])
                        grid[r][c] = day.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        elif func == "addChart":  # Excel sends a sheet's charts: name, type and geometry
            name, kind, _, _, left, top, width, height = a["args"][:8]
            sheets[pos].setdefault("charts", []).append({
                "name": name, "chart_type": kind, "left": left or 0, "top": top or 0,
                "width": width, "height": height})
        elif func == "addTable":
            ref = a["args"][0].replace("$", "")
            first, last = ref.split(":")
            col1, row1 = re.match(r"([A-Z]+)(\d+)", first).groups()
            sheets[pos]["tables"].append({
                "name": a["args"][3], "range_address": ref,
                "header_row_range_address": f"{first}:{re.match(r'[A-Z]+', last)[0]}{row1}",
                "data_body_range_address": f"{col1}{int(row1) + 1}:{last}",
                "total_row_range_address": None, "show_headers": True, "show_totals": False,
                "table_style": a["args"][2], "show_autofilter": True})
    return json.loads(json.dumps(out))


def cells_of(action: dict) -> set[str]:
    from openpyxl.utils import get_column_letter

    return {f"{get_column_letter(action['start_column'] + 1 + c)}{action['start_row'] + 1 + r}"
            for r in range(action["row_count"]) for c in range(action["column_count"])}


def file_rows(path: Path, sheet: str) -> list[list[object]]:
    """A sheet of a file as the CLI wrote it; dates as Excel serial numbers."""
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        sheet).to_python(skip_empty_area=False)

    def serial(v):
        if isinstance(v, datetime):
            return (v - datetime(1899, 12, 30)).total_seconds() / 86400
        if isinstance(v, date):
            return float((v - EPOCH).days)
        return None if v == "" else v
    return [[serial(v) for v in r] for r in rows]


def same_grid(written: list[list[object]], expected: list[list[object]]) -> bool:
    width = max(len(r) for r in written + expected)
    pad = lambda rows: [list(r) + [None] * (width - len(r)) for r in rows]  # noqa: E731
    a, b = pad([[text_of(v) for v in r] for r in written]), pad(expected)
    while a and all(v is None for v in a[-1]):
        a.pop()
    while b and all(v is None for v in b[-1]):
        b.pop()
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b, strict=True):
        for va, vb in zip(ra, rb, strict=True):
            if isinstance(va, int | float) and isinstance(vb, int | float):
                if abs(float(va) - float(vb)) > 1e-6 * max(1.0, abs(float(vb))):
                    return False
            elif va != vb:
                return False
    return True


def same_json(a: object, b: object) -> bool:
    """Equal, floats to the last few bits (pandas' sums may round differently between runs)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and \
            float(a) == pytest.approx(float(b), rel=1e-12, abs=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    return a == b


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """``small``: 100 sales rows, 4 wrong; ``planned``: the same after ``xlsales plan``;
    ``reported``: the same after ``xlsales kpis --write`` (the CLI's KPI report sheet)."""
    folder = tmp_path_factory.mktemp("excel")
    small = build_small(folder / "team.xlsx")
    planned = folder / "planned" / "team.xlsx"
    planned.parent.mkdir()
    shutil.copy(small, planned)
    result = cli("plan", str(planned))
    assert result.exit_code == 0, result.output
    reported = folder / "reported" / "team.xlsx"
    reported.parent.mkdir()
    shutil.copy(small, reported)
    result = cli("kpis", str(reported), "--write")
    assert result.exit_code == 0, result.output
    return {"small": small, "planned": planned, "reported": reported}


@pytest.fixture(scope="module")
def payloads(books) -> dict[str, dict]:
    return {k: payload_of(p) for k, p in books.items()}


# --- what each button writes -----------------------------------------------------------------


def test_validate_writes_the_cli_findings_and_shades_their_cells(books, payloads):
    message, actions = run_button(payloads["planned"], m.validate)
    report = json.loads(cli("validate", str(books["planned"]), "--json").stdout)
    assert report["counts"] == {"error": 2, "warning": 3, "info": 1}
    assert message.startswith("校验完成：2 错误，3 警告，1 提示")
    rows = values_written(payloads["planned"], actions, "校验结果")
    shown = {(text_of(r[1]), text_of(r[2]), r[3], text_of(r[4]), text_of(r[5]), text_of(r[7]))
             for r in rows[4:]}
    def label(f: dict) -> str:  # the field as the sheet names it, not its key
        if not f["column"]:
            return ""
        return SPEC.table(f["table"]).column(f["column"]).label.zh

    expected = {(f["sheet"], f"{f['sheet']}!{f['cell']}", f["row"], label(f), f["rule"],
                 f["message_zh"]) for f in report["findings"]}
    assert shown == expected
    shaded = [(name, a) for name, a in named(payloads["planned"], actions)
              if a["func"] == "setRangeColor"]
    assert all(a["args"] == [SHADE] for _, a in shaded)
    assert {(name, c) for name, a in shaded for c in cells_of(a)} == {
        (f["sheet"], f["cell"]) for f in report["findings"] if f["severity"] != "info"}
    assert len(shaded) == 4  # C6, H8, J7, J9: one call per contiguous block


REPORT = "KPI报告"
REPORT_TABLES = ["KpiReportReps", "KpiReportTrend", "KpiReportFunnel", "KpiReportValues"]
#: xlwings' chart type (as the remote engine sends it) of each chart of the CLI's file:
#: (barDir, grouping). The CLI draws the monthly target as a line over the columns; xlwings
#: can type a single series only through ``await chart.get_series()`` (Lite) on the remote
#: engine, so the button's target is a second column.
CHART_TYPE = {("bar", "clustered"): "BarClustered", ("col", "clustered"): "ColumnClustered",
              ("col", "stacked"): "ColumnStacked"}


def openpyxl_rows(path: Path, sheet: str) -> list[list[object]]:
    """A sheet of a file read back with openpyxl; dates as Excel serial numbers."""
    ws = openpyxl.load_workbook(path)[sheet]

    def serial(v):
        if isinstance(v, datetime):
            return (v - datetime(1899, 12, 30)).total_seconds() / 86400
        return v
    return [[serial(c.value) for c in row] for row in ws.iter_rows()]


def on_sheet(payload: dict, actions: list[dict], sheet: str, func: str) -> list[dict]:
    return [a for name, a in named(payload, actions) if name == sheet and a["func"] == func]


def test_validate_leaves_a_tables_totals_row_out(books, tmp_path):
    """Excel's Table Design > Total Row: the button reads the table without it, as the
    CLI does (its row is no sale with four required fields blank)."""
    totalled = tmp_path / "totals.xlsx"
    with_totals_row(books["planned"], totalled)
    message, _ = run_button(payload_of(totalled), m.validate)
    report = json.loads(cli("validate", str(totalled), "--json").stdout)
    assert report["counts"] == {"error": 2, "warning": 3, "info": 1}
    assert message.startswith("校验完成：2 错误，3 警告，1 提示")


def test_kpi_button_writes_the_cli_report(books, payloads):
    message, actions = run_button(payloads["small"], m.compute_kpis)
    assert message == "KPI 报告已更新（2026-10）：“KPI报告”表"
    assert not any(a["func"] == "alert" for a in actions)
    cli_file = books["reported"]
    wb = openpyxl.load_workbook(cli_file)
    ws = wb[REPORT]
    # the same place: right after the KPI sheet, as the CLI puts it
    added = [a["args"] for a in actions if a["func"] == "addSheet"]
    assert added == [[wb.sheetnames.index(REPORT), REPORT]]
    assert [s["name"] for s in applied(payloads["small"], actions)["sheets"]] == wb.sheetnames
    # the same values in the same cells: titles, fingerprint, summary, the four tables
    written = values_written(payloads["small"], actions, REPORT)
    assert same_grid(written, openpyxl_rows(cli_file, REPORT))
    assert text_of(written[1][0]).startswith("xlsales kpi report · 2026-10 · ")
    # the same number format on every number
    formats = {c: a["args"][0] for a in on_sheet(payloads["small"], actions, REPORT,
                                                 "setNumberFormat") for c in cells_of(a)}
    numbers = [c for row in ws.iter_rows() for c in row
               if isinstance(c.value, int | float | datetime) and not isinstance(c.value, bool)]
    assert len(numbers) > 100
    assert {c.coordinate: formats.get(c.coordinate, "General") for c in numbers} == {
        c.coordinate: c.number_format for c in numbers}
    # the summary: one cell merged over the CLI's range, wrapped
    merged = [cells_of(a) for a in on_sheet(payloads["small"], actions, REPORT, "rangeMerge")]
    wrapped = [cells_of(a) for a in on_sheet(payloads["small"], actions, REPORT, "setWrapText")]
    expected = [{c.coordinate for row in ws[str(r)] for c in row} for r in ws.merged_cells.ranges]
    assert merged == wrapped == expected and ws["A5"].alignment.wrap_text
    # the four Excel Tables under the spec's names, over the CLI's ranges
    tables = [(a["args"][3], a["args"][0].replace("$", ""))
              for a in on_sheet(payloads["small"], actions, REPORT, "addTable")]
    assert tables == [(n, ws.tables[n].ref) for n in REPORT_TABLES]


def test_kpi_button_adds_four_charts_over_the_report_tables(books, payloads):
    _, actions = run_button(payloads["small"], m.compute_kpis)
    added = on_sheet(payloads["small"], actions, REPORT, "addChart")
    axis = on_sheet(payloads["small"], actions, REPORT, "setChartXAxisValues")
    titles = on_sheet(payloads["small"], actions, REPORT, "setChartTitle")
    legends = on_sheet(payloads["small"], actions, REPORT, "setChartLegend")
    charts = openpyxl.load_workbook(books["reported"])[REPORT]._charts
    assert len(charts) == len(added) == len(axis) == len(titles) == len(legends) == 4
    local = lambda ref: ref.split("!")[1]  # noqa: E731  ('KPI报告'!$C$15 → $C$15)
    for i, chart in enumerate(charts):
        series = [s for part in chart._charts for s in part.series]
        categories = {local((s.cat.numRef or s.cat.strRef).f) for s in series}
        source = f"{local(series[0].tx.strRef.f)}:{local(series[-1].val.numRef.f).split(':')[1]}"
        frm, to = chart.anchor._from, chart.anchor.to
        anchor = f"${openpyxl.utils.get_column_letter(frm.col + 1)}${frm.row + 1}"
        name, kind, sheet, address, _, _, width, height, plot_by, at = added[i]["args"][:10]
        assert (name, kind, sheet, address, plot_by, at) == (
            f"Chart {i + 1}", CHART_TYPE[chart.type, chart.grouping], REPORT, source, "Columns",
            anchor)
        assert (width, height) == ((to.col - frm.col) * 48, (to.row - frm.row) * 15)
        assert axis[i]["args"] == [i, REPORT, *categories]  # one category range for all
        assert titles[i]["args"] == [i, chart.title.tx.rich.p[0].r[0].t]
        assert legends[i]["args"] == ([i, "position", "Bottom"] if len(series) > 1
                                      else [i, "visible", False])
        assert chart.legend is None or len(series) > 1
    assert [a["args"][1] for a in added] == ["BarClustered", "ColumnClustered", "ColumnStacked",
                                             "BarClustered"]


def test_with_xlwings_lites_client_the_summary_is_aligned_at_the_top(payloads):
    """xlwings Lite's client (Office.js) aligns cells; the file's text box is top-aligned.
    (The remote engine refuses alignment from other clients: the button then leaves it.)"""
    payload = copy.deepcopy(payloads["small"])
    payload["client"] = "Office.js"
    _, actions = run_button(payload, m.compute_kpis)
    aligned = on_sheet(payload, actions, REPORT, "setVerticalAlignment")
    merged = on_sheet(payload, actions, REPORT, "rangeMerge")
    assert [(a["args"], cells_of(a)) for a in aligned] == [(["Top"], cells_of(merged[0]))]


def test_a_chart_over_columns_apart_is_refused_before_anything_is_written(payloads):
    from xlsales.errors import WorkbookError
    from xlsales.excel.book_writer import put_sheet
    from xlsales.io.sheetcontent import Block, Chart, Column, SheetContent

    block = Block((Column("a"), Column("b", kind="money"), Column("c"), Column("d")),
                  [["x", 1, "y", 2]], table_name="T")
    content = SheetContent("S", (), blocks=(block,),
                           charts=(Chart("column", "c", 0, 0, (1, 3), anchor="F1"),))
    book = xw.Book(json=copy.deepcopy(payloads["small"]))
    with pytest.raises(WorkbookError, match="adjacent columns") as error:
        put_sheet(book, content)
    assert "相邻的列" in error.value.zh and book.json()["actions"] == []


class _DesktopSeries:
    """STAND-IN for desktop Excel, which cannot run here: one chart series as xlwings
    gives it on Windows (``chart_type``; ``api``: the COM object). Records what is set."""

    def __init__(self) -> None:
        self.chart_type = "bar_clustered"
        self.api = type("SeriesCOM", (), {})()


def test_on_desktop_excel_the_target_is_a_line_and_the_funnel_is_labelled(monkeypatch):
    """What the CLI's file has and only desktop Excel's object model can add to the live
    report: the monthly target drawn as a line over the revenue columns, the funnel's
    values on its bars (Windows), the tab coloured (Windows). Desktop Excel cannot run
    here: the charts and the sheet are thin stand-ins recording what is set; the remote
    engine (above) leaves them out without an error."""
    from xlsales.excel import book_writer
    from xlsales.kpis_write import _charts

    monkeypatch.setattr(book_writer, "WINDOWS_COM", True)
    drawn = {}
    for chart in _charts("en"):
        made = type("DesktopChart", (), {})()
        made.series = [_DesktopSeries() for _ in (*chart.values, *chart.lines)]
        book_writer._desktop_touches(made, chart)
        drawn[chart.title] = [(s.chart_type, getattr(s.api, "HasDataLabels", False))
                              for s in made.series]
    assert drawn == {
        "Revenue and target by rep": [("bar_clustered", False)] * 2,
        "Revenue vs target by month": [("bar_clustered", False), ("line_markers", False)],
        "New vs existing customers": [("bar_clustered", False)] * 2,
        "Sales funnel": [("bar_clustered", True)]}

    sheet = type("DesktopSheet", (), {})()
    sheet.api = type("SheetCOM", (), {})()
    sheet.api.Tab = type("Tab", (), {})()
    book_writer._tab_color(sheet, "FFC00000")
    assert sheet.api.Tab.Color == 0xC0  # Excel's BGR: red C0
    monkeypatch.setattr(book_writer, "WINDOWS_COM", False)  # a Mac: no COM, nothing set
    sheet.api.Tab = type("Tab", (), {})()
    book_writer._tab_color(sheet, "FFC00000")
    assert not hasattr(sheet.api.Tab, "Color")

    # Excel refusing a touch leaves the chart as drawn; the sheet written before stands
    from xlwings import XlwingsError

    class Refusing(_DesktopSeries):
        def __setattr__(self, name, value):
            if name == "chart_type" and value == "line_markers":
                raise XlwingsError("refused")
            super().__setattr__(name, value)

    made = type("DesktopChart", (), {})()
    made.series = [Refusing(), Refusing()]
    trend = next(c for c in _charts("en") if c.lines)
    book_writer._desktop_touches(made, trend)  # no error
    assert [s.chart_type for s in made.series] == ["bar_clustered"] * 2


def test_an_edited_summary_survives_the_next_click(books, payloads):
    # the report as the CLI wrote it, its summary edited (its heading too): kept
    edited = copy.deepcopy(payloads["reported"])
    report = next(s for s in edited["sheets"] if s["name"] == REPORT)
    draft = report["values"][4][0]
    mine = "本月回款偏慢，重点跟进华南大客户。" + draft[:20]
    report["values"][4][0], report["values"][3][0] = mine, "我的总结"
    message, first = run_button(edited, m.compute_kpis)
    assert "保留了您修改过的摘要" in message and "（写于" not in message
    rows = values_written(edited, first, REPORT)
    assert text_of(rows[4][0]) == mine
    assert same_grid(rows[5:], openpyxl_rows(books["reported"], REPORT)[5:])  # tables refreshed
    # the button's own report: kept again on the click after
    after = applied(edited, first)
    message, second = run_button(after, m.compute_kpis)
    assert "保留了您修改过的摘要" in message
    assert values_written(after, second, REPORT) == rows
    assert [a["func"] for a in second] == [a["func"] for a in first]  # the sheet replaced
    # cleared: a fresh draft; untouched: the draft follows the numbers
    cleared = applied(after, second)
    next(s for s in cleared["sheets"] if s["name"] == REPORT)["values"][4][0] = ""
    message, third = run_button(cleared, m.compute_kpis)
    assert "保留" not in message and text_of(values_written(cleared, third, REPORT)[4][0]) == draft
    message, fourth = run_button(applied(cleared, third), m.compute_kpis)
    assert "保留" not in message
    assert values_written(cleared, fourth, REPORT) == values_written(cleared, third, REPORT)


def test_kpi_button_without_a_period_names_the_cells_to_fill(tmp_path):
    path = tmp_path / "no_period.xlsx"
    build_workbook(path, BuildOptions(lang="zh"))
    message, actions = run_button(payload_of(path), m.compute_kpis)
    assert [a["func"] for a in actions] == ["alert"] and actions[0]["args"][3] == "critical"
    result = cli("kpis", str(path), "--write")
    assert result.exit_code == 2
    assert message.endswith("（如 2026-10-01）。") and message[:-1] in result.output
    assert "--period" not in message  # the CLI's option; a button has none
    # one message wherever the period is needed: the plan button and `xlsales plan` too
    assert run_button(payload_of(path), m.generate_plan)[0] == message
    plan = cli("plan", str(path))
    assert plan.exit_code == 2 and message in plan.output


def test_the_kpi_button_never_writes_over_a_sheet_the_user_made(books, tmp_path):
    """Her own 'KPI报告' (no xlsales table on it): the button says so, as the CLI does,
    and changes nothing."""
    path = tmp_path / "own.xlsx"
    wb = openpyxl.load_workbook(books["small"])
    wb.create_sheet("KPI报告")["A1"] = "我自己的KPI报告"
    wb.save(path)
    message, actions = run_button(payload_of(path), m.compute_kpis)
    assert [a["func"] for a in actions] == ["alert"] and actions[0]["args"][3] == "critical"
    assert "已有名为“KPI报告”的工作表，但它不是 xlsales 写的" in message
    assert message.splitlines()[0] in cli("kpis", str(path), "--write").output


def _only_the_error_note(actions: list[dict]) -> bool:
    """No message box but the note that the book has validation errors (the small
    sample has three)."""
    alerts = [a for a in actions if a["func"] == "alert"]
    return all("校验错误" in a["args"][0] and a["args"][3] == "info" for a in alerts)


def test_plan_sheets_equal_what_the_cli_writes(books, payloads):
    message, actions = run_button(payloads["small"], m.generate_plan)
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == ["计划-目标", "计划-行动", "计划-资源", "计划-时间线"]
    for sheet in added:  # titles hold the fingerprint of the rows: equal content, equal title
        assert same_grid(values_written(payloads["small"], actions, sheet),
                         file_rows(books["planned"], sheet)), sheet
    tables = [a["args"][3] for a in actions if a["func"] == "addTable"]
    assert tables == ["PlanTargets", "PlanActions", "PlanBudget", "PlanTimeline"]
    assert _only_the_error_note(actions), message


def test_the_plan_button_shows_the_clis_note_when_a_target_has_no_basis(tmp_path):
    """A book just made by `xlsales new`: no sales, no targets. The button writes the
    plan and tells, in a message box, what `xlsales plan` notes: how to give a target."""
    path = tmp_path / "new.xlsx"
    build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner="张三"))
    message, actions = run_button(payload_of(path), m.generate_plan)
    planned = cli("plan", str(path), "-o", str(tmp_path / "planned.xlsx"))
    assert planned.exit_code == 0
    note = next(line for line in planned.output.splitlines() if "注意：" in line).strip()
    assert "--target" in note and "计划期目标（管理层下达）" in note
    assert note in message
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1 and note in alerts[0]["args"][0] and alerts[0]["args"][3] == "info"
    written = values_written(payload_of(path), actions, "计划-目标")
    assert same_grid(written, file_rows(tmp_path / "planned.xlsx", "计划-目标"))


def test_the_plan_button_splits_a_rollup_over_its_members(tmp_path):
    """On a roll-up the button makes the plan `xlsales plan` makes: targets split over
    the members (two teams), not over every rep."""
    from xlsales.consolidate import consolidate

    teams = []
    for team in ("East", "South"):
        member = tmp_path / f"{team}.xlsx"
        data = sample_workbook_data("zh")
        sales = _spread(data.tables["Sales"])
        data.tables["Sales"] = sales.assign(  # two teams' own orders
            order_id=f"{team}-" + sales["order_id"].astype(str))
        data.tables["Activities"] = _spread(data.tables["Activities"])
        build_workbook(member, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=team), data)
        teams.append(tmp_path / f"{team}_rollup.xlsx")
        consolidate([member], teams[-1], "team", team, progress=lambda _: None, plan=False)
    region = tmp_path / "region.xlsx"
    consolidate(teams, region, "region", "Region", progress=lambda _: None, plan=False)
    payload = payload_of(region)
    planned = tmp_path / "planned.xlsx"
    assert cli("plan", str(region), "-o", str(planned)).exit_code == 0
    message, actions = run_button(payload, m.generate_plan)
    assert not any(a["func"] == "alert" for a in actions), message
    written = values_written(payload, actions, "计划-目标")
    assert same_grid(written, file_rows(planned, "计划-目标"))
    assert {"East", "South"} <= {text_of(v) for r in written for v in r}


def test_an_untouched_plan_is_regenerated(books, payloads):
    _, actions = run_button(payloads["planned"], m.generate_plan)
    assert [a["func"] for a in actions].count("sheetDelete") == 4
    for sheet in ("计划-目标", "计划-时间线"):
        assert same_grid(values_written(payloads["planned"], actions, sheet),
                         file_rows(books["planned"], sheet))


def test_the_plan_button_says_validation_errors_in_a_message_box(payloads):
    """A plan generated despite validation errors says so where it is seen: a message
    box (it reached only the status bar)."""
    message, actions = run_button(payloads["planned"], m.generate_plan)
    assert "校验错误" in message
    alerts = [a for a in actions if a["func"] == "alert"]
    assert len(alerts) == 1 and "校验错误" in alerts[0]["args"][0]


def test_a_plan_written_by_the_button_is_regenerated_on_the_next_click(payloads):
    _, first = run_button(payloads["small"], m.generate_plan)
    after = applied(payloads["small"], first)
    message, second = run_button(after, m.generate_plan)
    assert _only_the_error_note(second), message
    assert [a["func"] for a in second].count("sheetDelete") == 4
    for sheet in ("计划-目标", "计划-行动"):
        assert values_written(after, second, sheet) == values_written(payloads["small"], first,
                                                                      sheet)


def test_validating_again_clears_the_shading_of_fixed_cells(payloads):
    _, first = run_button(payloads["planned"], m.validate)
    after = applied(payloads["planned"], first)
    sales = next(s for s in after["sheets"] if s["name"] == "销售记录")
    rep = sales["values"][3].index("销售人员")
    sales["values"][5][rep] = sales["values"][4][rep]  # C6: the unknown rep fixed
    _, second = run_button(after, m.validate)
    colors = [(name, a["args"][0], cells_of(a)) for name, a in named(after, second)
              if a["func"] == "setRangeColor"]
    assert colors[0] == ("销售记录", None, {"C6"})
    assert {c for _, color, cells in colors[1:] for c in cells if color == SHADE} == {
        "H8", "J7", "J9"}


def test_an_edited_plan_is_refused_in_words_a_button_user_can_act_on(books, payloads,
                                                                       tmp_path):
    """Refused as the CLI refuses it, said as a button's user can act on it: delete the
    sheets, or run the CLI's --new-version (--replace is no option of a button)."""
    edited = copy.deepcopy(payloads["planned"])
    sheet = next(s for s in edited["sheets"] if s["name"] == "计划-目标")
    column = sheet["values"][3].index("目标值") if "目标值" in sheet["values"][3] else 4
    sheet["values"][5][column] = 123456  # a person changed a target
    message, actions = run_button(edited, m.generate_plan)
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][0] == message
    copy_ = tmp_path / "team.xlsx"  # the same edit in a file, for the CLI
    shutil.copy(books["planned"], copy_)
    wb = openpyxl.load_workbook(copy_)
    wb["计划-目标"].cell(6, column + 1).value = 123456
    wb.save(copy_)
    result = cli("plan", str(copy_))
    assert result.exit_code == 2 and "--replace" in result.output
    assert "计划-目标" in message and "删除这些工作表" in message
    assert "--replace" not in message and "xlsales plan team.xlsx --new-version" in message
    _, actions = run_button(edited, m.generate_plan, mode="new_version")
    assert [a["args"][1] for a in actions if a["func"] == "addSheet"] == [
        "计划-目标 v2", "计划-行动 v2", "计划-资源 v2", "计划-时间线 v2"]


def test_start_next_period_writes_the_cli_workbook_and_tells_its_path(books, payloads,
                                                                      tmp_path):
    message, actions = run_button(payloads["planned"], m.start_next_period, folder=tmp_path)
    assert [a["func"] for a in actions] == ["alert"]
    made = list(tmp_path.glob("*.xlsx"))
    assert len(made) == 1 and str(made[0]) in message and str(made[0]) in actions[0]["args"][0]
    reference = tmp_path / "cli" / "ref.xlsx"
    assert cli("new", "--from", str(books["planned"]), "-o", str(reference)).exit_code == 0
    assert made[0].name == "xlsales_2026-11_华东销售一组_zh.xlsx"
    sheets = python_calamine.CalamineWorkbook.from_path(str(reference)).sheet_names
    assert python_calamine.CalamineWorkbook.from_path(str(made[0])).sheet_names == sheets
    for sheet in sheets:
        assert file_rows(made[0], sheet) == file_rows(reference, sheet), sheet
    run_button(payloads["planned"], m.start_next_period, folder=tmp_path)
    assert (tmp_path / "xlsales_2026-11_华东销售一组_zh (2).xlsx").exists()  # never overwrites


def test_start_next_period_says_when_the_summary_changed_after_the_plan(payloads, tmp_path):
    """As `new --from` notes on stderr: a deal's amount corrected after the plan was made
    leaves the carried targets on the old figures; the button's message says so."""
    unchanged, _ = run_button(payloads["planned"], m.start_next_period, folder=tmp_path)
    assert "又有改动" not in unchanged
    payload = copy.deepcopy(payloads["planned"])
    sales = next(s for s in payload["sheets"] if s["name"] == "销售记录")
    amount = sales["values"][3].index("金额")
    sales["values"][4][amount] = float(sales["values"][4][amount] or 0) + 1000
    message, actions = run_button(payload, m.start_next_period, folder=tmp_path)
    assert "计划做好之后本期的数据又有改动" in message and "生成下期计划" in message
    assert [a["func"] for a in actions] == ["alert"]


def test_a_workbook_with_buttons_begets_one_with_buttons(books, payloads, tmp_path):
    payload = copy.deepcopy(payloads["planned"])
    payload["book"]["name"] = "team.xlsm"
    message, _ = run_button(payload, m.start_next_period, folder=tmp_path)
    made = tmp_path / "xlsales_2026-11_华东销售一组_zh.xlsm"
    assert str(made) in message
    reference = tmp_path / "cli" / "ref.xlsm"
    assert cli("new", "--from", str(books["planned"]), "-o", str(reference)).exit_code == 0
    sheets = python_calamine.CalamineWorkbook.from_path(str(reference)).sheet_names
    assert python_calamine.CalamineWorkbook.from_path(str(made)).sheet_names == sheets
    for sheet in sheets:
        assert file_rows(made, sheet) == file_rows(reference, sheet), sheet
    with zipfile.ZipFile(made) as ours, zipfile.ZipFile(reference) as theirs:
        assert ours.read("xl/vbaProject.bin") == theirs.read("xl/vbaProject.bin")


def test_in_the_browser_start_next_period_explains_instead_of_writing(payloads):
    message, actions = run_button(payloads["planned"], m.start_next_period)
    assert [a["func"] for a in actions] == ["alert"] and "xlsales new --from" in message


def test_start_next_period_before_any_plan_says_to_click_generate_plan(payloads, tmp_path):
    """The rep who clicks 开始下一期 first is told which button to click first, in the book's
    language, not a terminal command; nothing is written."""
    message, actions = run_button(payloads["small"], m.start_next_period, folder=tmp_path)
    assert [a["func"] for a in actions] == ["alert"] and list(tmp_path.iterdir()) == []
    assert "“生成下期计划”" in message and "xlsales plan" not in message, message


# --- bulk: the number of calls does not grow with the rows -----------------------------------


@pytest.fixture(scope="module")
def large(payloads) -> dict:
    return grown(payloads["planned"], LARGE_ROWS)


@pytest.mark.parametrize("button", [m.validate, m.compute_kpis, m.generate_plan,
                                    m.start_next_period])
def test_action_counts_are_the_same_for_100_and_100k_rows(payloads, large, button, tmp_path,
                                                          monkeypatch):
    kwargs = {"folder": tmp_path} if button is m.start_next_period else {}
    if button is m.start_next_period:  # building the 100k-row file (minutes) calls no Excel
        monkeypatch.setattr("xlsales.build.workbook.build_workbook",
                            lambda path, *args, **kwargs: Path(path).write_bytes(b""))
    reads: list[int] = []  # cell reads: each a round trip on desktop Excel
    remote = type(xw.Book(json=copy.deepcopy(payloads["small"])).sheets[0].range("A1").impl)
    getter = remote.raw_value.fget
    monkeypatch.setattr(remote, "raw_value", property(
        lambda self: reads.append(1) or getter(self), remote.raw_value.fset))
    small_message, small = run_button(payloads["planned"], button, **kwargs)
    small_reads, reads[:] = len(reads), []
    large_message, big = run_button(large, button, **kwargs)
    print(f"{button.__name__}: {len(small)} actions, {small_reads} reads at 100 rows; "
          f"{len(big)} actions, {len(reads)} reads at {LARGE_ROWS:,}")
    assert len(big) == len(small) and len(reads) == small_reads
    if button is m.validate:  # 99,900 more findings: the validation sheet's 10,000 rows
        assert max(a["row_count"] or 0 for a in big if a["func"] == "setValues") > 10_000
    assert small_reads <= 25  # about one per sheet
    assert [a["func"] for a in big] == [a["func"] for a in small]
    for message, actions in ((small_message, small), (large_message, big)):
        assert not any(a["func"] == "alert" and a["args"][3] == "critical"
                       for a in actions), message


def test_the_large_book_is_read_whole(payloads, large):
    def deals(payload):
        _, actions = run_button(payload, m.compute_kpis)
        rows = values_written(payload, actions, REPORT)
        return next(r[2] for r in rows if text_of(r[0]) == "deals" and text_of(r[3]) == "count")
    small, big = deals(payloads["planned"]), deals(large)
    assert big > small * (LARGE_ROWS / 100) * 0.5  # the 100k rows hold ~1,000 × the deals


# --- errors reach the user as messages -------------------------------------------------------


def test_a_file_that_is_not_an_xlsales_workbook_gets_the_cli_message(tmp_path):
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Amount"])
    wb.save(other)
    message, actions = run_button(payload_of(other), m.validate)
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][3] == "critical"
    result = cli("validate", str(other))
    assert result.exit_code == 2 and message in result.output


def test_an_unexpected_error_is_a_message_and_nothing_is_half_written(payloads, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(m, "shade", boom)  # fails after the validation sheet was queued
    message, actions = run_button(payloads["planned"], m.validate)
    assert [a["func"] for a in actions] == ["alert"]
    assert "RuntimeError: disk on fire" in message and "Traceback" not in message


def test_without_a_message_box_the_message_goes_on_the_validation_sheet(payloads,
                                                                       monkeypatch):
    monkeypatch.setattr(m, "alert", lambda *args, **kwargs: False)
    message, actions = run_button(payloads["planned"], m.start_next_period)
    written = [(name, a) for name, a in named(payloads["planned"], actions)
               if a["func"] == "setValues"]
    assert [(name, a["values"]) for name, a in written] == [("校验结果", [["'" + message]])]


def test_english_workbooks_get_english_sheets_and_messages(tmp_path):
    payload = payload_of(build_small(tmp_path / "team_en.xlsx", "en"))
    message, actions = run_button(payload, m.compute_kpis)
    assert message == "KPI report refreshed (2026-10) on 'KPI Report'"
    rows = [[text_of(v) for v in r] for r in values_written(payload, actions, "KPI Report")]
    assert rows[0][0].startswith("KPI Report · 2026-10") and rows[3][0].startswith("Summary")
    assert rows[4][0].startswith("Revenue this month (2026-10)")
    assert ["key", "name", "value", "unit"] in [r[:4] for r in rows]
    assert ["Revenue and target by rep", "Revenue vs target by month",
            "New vs existing customers", "Sales funnel"] == [
        a["args"][1] for a in actions if a["func"] == "setChartTitle"]
    message, actions = run_button(payload, m.start_next_period, folder=tmp_path)
    assert [a["func"] for a in actions] == ["alert"] and "holds no plan yet" in message


def test_error_values_are_findings_not_text(payloads):
    payload = copy.deepcopy(payloads["small"])
    sheet = next(s for s in payload["sheets"] if s["name"] == "销售记录")
    amount = sheet["values"][3].index("金额")
    sheet["values"][20][amount] = "#N/A"  # what Excel sends for an error cell
    book = xw.Book(json=copy.deepcopy(payload))
    cells = book_adapter.XlwingsCells(book)
    ref = f"{chr(ord('A') + amount)}21"
    assert cells.rows("销售记录")[20][amount] is None and cells.errors("销售记录") == {
        ref: "#N/A"}
    _, actions = run_button(payload, m.validate)
    rows = values_written(payload, actions, "校验结果")
    assert ("error_value", f"销售记录!{ref}") in {(text_of(r[5]), text_of(r[2])) for r in rows}


# --- xlwings Lite: the same buttons without compiled readers, threads or processes -----------

LITE_RUNNER = r"""
import asyncio, copy, json, os, sys
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # xlwings' server-side @script/@func, as in Lite
ABSENT = ("python_calamine", "fastexcel", "pyarrow", "multiprocessing", "_multiprocessing",
          "concurrent.futures.process")

class Absent:  # what Pyodide lacks cannot be imported
    def find_spec(self, name, path=None, target=None):
        if any(name == a or name.startswith(a + ".") for a in ABSENT):
            raise ImportError(f"{name} is not available in xlwings Lite")
        return None

sys.meta_path.insert(0, Absent())
import threading
def no_threads(self, *args, **kwargs):
    raise RuntimeError("can't start new thread")
threading.Thread.start = no_threads
os.fork = None
sys.path.insert(0, sys.argv[1])
import main
import xlwings as xw
from xlwings.server import custom_functions_meta, custom_scripts_call, custom_scripts_meta
payload = json.load(open(sys.argv[2], encoding="utf-8"))
out = {"actions": {}}
for name in ("validate", "compute_kpis", "generate_plan", "start_next_period"):
    book = xw.Book(json=copy.deepcopy(payload))
    asyncio.run(custom_scripts_call(main, name, typehint_to_value={xw.Book: book}))
    out["actions"][name] = book.json()["actions"]
out["scripts"] = sorted(s["function_name"] for s in custom_scripts_meta(main))
out["functions"] = sorted(f["name"] for f in custom_functions_meta(main)["functions"])
out["attainment"] = main.XS_ATTAINMENT(50, 200)
out["kpi"] = main.XS_KPI("revenue", "2026-10", [["Order ID", "Date", "Amount", "Stage"],
                                                ["A1", "2026-10-03", 1000, "Won"]])
out["loaded"] = sorted(n for n in sys.modules if n.split(".")[0] in ABSENT)
print(json.dumps(out, default=str))
"""


def test_xlwings_lite_scripts_run_the_buttons_without_compiled_readers_or_threads(payloads,
                                                                                tmp_path):
    data = tmp_path / "payload.json"
    data.write_text(json.dumps(payloads["planned"], ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", LITE_RUNNER, str(REPO / "xlwings_lite"),
                           str(data)], capture_output=True, text=True, env=env, cwd=tmp_path,
                          check=False, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["loaded"] == []
    assert out["scripts"] == ["compute_kpis", "generate_plan", "start_next_period", "validate"]
    assert out["functions"] == ["XS_ATTAINMENT", "XS_COLLECTION_RATE", "XS_CONVERSION",
                                "XS_FORECAST", "XS_GROWTH", "XS_KPI"]
    assert out["attainment"] == 0.25 and out["kpi"] == 1000
    for name, lite_actions in out["actions"].items():
        _, actions = run_button(payloads["planned"], getattr(m, name))
        assert same_json(lite_actions, json.loads(json.dumps(actions, default=str))), name
    assert [a["func"] for a in out["actions"]["start_next_period"]] == ["alert"]


def test_the_udf_module_exposes_the_xs_functions():
    import xlsales.excel.udfs as excel_udfs
    import xlsales.udfs as udfs

    assert excel_udfs.__all__ == sorted(n for n in dir(udfs) if n.startswith("XS_"))
    assert all(getattr(excel_udfs, n) is getattr(udfs, n) for n in excel_udfs.__all__)
