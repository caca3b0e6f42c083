"""docs/extending.md, proven end to end: a copy of the package whose spec gains a column
and two KPIs, in the spec's modules only, as a developer edits them; then every command
of the main job on books with the new column, and LibreOffice computing the new KPIs
from the workbook's own formulas."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from conftest import REPO, require_libreoffice
from sheet_values import error_cells, kpi_values, table_rows

from xlsales.libreoffice import recalculate_many

#: The edits of docs/extending.md: (file, the text the new one goes before, the new text);
#: None appends to the file.
EDITS = (
    ("xlsales/spec/choices.py", None, '''
CHANNEL = _choices(
    "channel",
    ("direct", "直销", "Direct"),
    ("partner", "渠道伙伴", "Partner", "reseller", "代理"),
    ("online", "线上", "Online"),
)
INDUSTRIES = SettingsList("industry", L("行业", "Industry"),
                          (L("制造", "Manufacturing"), L("零售", "Retail")))
'''),
    ("xlsales/spec/sales.py", "from xlsales.spec.columns import",
     "from xlsales.spec.choices import CHANNEL, INDUSTRIES\n"),
    ("xlsales/spec/sales.py", '        text("note", "备注", "Note"', '''\
        Column("channel", L("渠道", "Channel"), T.CHOICE, choices=CHANNEL, width=10,
               breakdown=True, help=L("成交渠道：直销、渠道伙伴或线上；可不填。",
                      "The sales channel: direct, partner or online; may be empty.")),
        Column("industry", L("行业", "Industry"), T.LIST, list_source=INDUSTRIES, width=10,
               help=L("客户所在行业，按设置表的行业列表；可不填。",
                      "The customer's industry, from the settings sheet's list; may be "
                      "empty.")),
'''),
    ("xlsales/spec/kpi_catalog.py", '    Kpi("lost_deals",', '''\
    Kpi("partner_revenue", L("渠道伙伴销售额", "Partner revenue"),
        L("本期渠道伙伴的赢单金额合计。", "Sum of amount over partner-channel won rows."),
        "money", "higher",
        Aggregate("Sales", "amount", (("stage", "won"), ("channel", "partner")))),
    Kpi("partner_revenue_share", L("渠道伙伴销售额占比", "Partner revenue share"),
        L("渠道伙伴销售额 ÷ 销售额。", "Partner revenue ÷ revenue."),
        "percent", "higher", Ratio("partner_revenue", "revenue")),
'''),
)

#: Run in the extended copy: two members' books (the sample team's reps split in two),
#: their sales records of July to October with a channel on most rows.
MAKE_BOOKS = '''
import sys
from dataclasses import replace
from pathlib import Path
import numpy as np
from xlsales.build.workbook import build_workbook
from xlsales.sample import SAMPLE_PERIOD, sample_workbook_data
from xlsales.workbook_data import BuildOptions
out = Path(sys.argv[1])
data = sample_workbook_data("zh")
reps = sorted(data.tables["Sales"]["rep"].dropna().unique())
for n, owner in enumerate(("东区", "西区")):
    mine = set(reps[n::2])
    tables = {k: (v[v["rep"].isin(mine)].copy() if "rep" in v else v)
              for k, v in data.tables.items()}
    sales = tables["Sales"] = tables["Sales"][  # recent months only: a faster test
        tables["Sales"]["date"].map(lambda d: d.year * 12 + d.month) >= 2026 * 12 + 7].copy()
    sales["channel"] = np.random.default_rng(n).choice(
        np.array(["direct", "partner", "online", None], dtype=object), len(sales))
    sales["industry"] = np.random.default_rng(n).choice(
        np.array(["制造", "零售", None], dtype=object), len(sales))
    lists = {**data.lists, "rep": [r for r in data.lists.get("rep", reps) if r in mine]}
    book = replace(data, tables=tables, lists=lists, info={**data.info, "owner": owner})
    options = BuildOptions(lang="zh", period=SAMPLE_PERIOD, level="team", role="manager",
                           owner=owner)
    build_workbook(out / f"{owner}.xlsx", options, book)
'''

#: Run in the extended copy: =XS_KPI("partner_revenue", …) over a book's tables.
XS_KPI = '''
import sys
import openpyxl
from xlsales.udfs import XS_KPI
wb = openpyxl.load_workbook(sys.argv[1])
def rows(name):
    ws = next(w for w in wb if name in w.tables)
    return [[c.value for c in r] for r in ws[ws.tables[name].ref]]
print(XS_KPI("partner_revenue", "2026-10", rows("Sales"), rows("Targets"), rows("Activities")))
'''


@pytest.fixture(scope="module")
def extended(tmp_path_factory) -> Path:
    """A copy of the package with the spec edited as docs/extending.md says."""
    root = tmp_path_factory.mktemp("extended")
    shutil.copytree(REPO / "xlsales", root / "xlsales",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name, before, new in EDITS:
        path = root / name
        text = path.read_text(encoding="utf-8")
        if before is None:
            text += new
        else:
            assert text.count(before) == 1, f"{name}: the edit's anchor {before!r} moved"
            text = text.replace(before, new + before)
        path.write_text(text, encoding="utf-8")
    return root


def _run(extended: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(extended), "XLSALES_LANG": "en"}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def _cli(extended: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(extended, "-c", "from xlsales.cli import main; main()", *args, cwd=cwd)


def test_a_column_and_kpis_added_to_the_spec_follow_through_every_command(extended, tmp_path):
    require_libreoffice()
    made = _run(extended, "-c", MAKE_BOOKS, str(tmp_path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    east, west = tmp_path / "东区.xlsx", tmp_path / "西区.xlsx"

    # the template: the column with its dropdown, the KPIs with native formulas
    new = _cli(extended, "new", "--lang", "en", "--period", "2026-10", "-o", "blank.xlsx",
               cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    blank = openpyxl.load_workbook(tmp_path / "blank.xlsx")
    header = table_rows(blank, "Sales")[0]
    assert "Channel" in header
    assert any(dv.formula1 == '"Direct,Partner,Online"'
               for dv in blank["Sales"].data_validations.dataValidation)
    assert "list_industry" in blank.defined_names  # its dropdown's list, on the settings
    assert [r[0] for r in table_rows(blank, "ListIndustry")] == [  # sheet for the team
        "Industry", "Manufacturing", "Retail"]
    kpi_rows = {r[0]: r for r in table_rows(blank, "KPIs")[1:]}
    assert kpi_rows["partner_revenue"][1] == "Partner revenue"
    assert 'Sales[Channel],"Partner"' in kpi_rows["partner_revenue"][2]

    # validation knows the new column's choices and aliases
    assert _cli(extended, "validate", str(east), cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(east)
    sales_ws = book["销售记录"]
    channel_col = table_rows(book, "Sales")[0].index("渠道") + 1
    sales_ws.cell(row=5, column=channel_col, value="零售")
    industry_col = table_rows(book, "Sales")[0].index("行业") + 1
    sales_ws.cell(row=6, column=industry_col, value="采矿")
    book.save(tmp_path / "bad.xlsx")
    bad = _cli(extended, "validate", "bad.xlsx", "--json", cwd=tmp_path)
    assert bad.returncode == 1
    found = {(f["column"], f["value"]) for f in json.loads(bad.stdout)["findings"]}
    assert {("channel", "零售"), ("industry", "采矿")} <= found

    # the KPIs: whole and by rep
    whole = json.loads(_cli(extended, "kpis", str(east), "--json", cwd=tmp_path).stdout)
    partner = whole["kpis"]["partner_revenue"]
    assert partner > 0
    assert whole["kpis"]["partner_revenue_share"] == pytest.approx(
        partner / whole["kpis"]["revenue"])
    by_rep = json.loads(_cli(extended, "kpis", str(east), "--by", "rep", "--json",
                             cwd=tmp_path).stdout)
    assert sum(g["partner_revenue"] for g in by_rep["by"].values()) == pytest.approx(partner)
    by_channel = json.loads(_cli(extended, "kpis", str(east), "--by", "channel", "--json",
                                 cwd=tmp_path).stdout)
    assert by_channel["by"]["partner"]["revenue"] == pytest.approx(partner)
    # the rows left without a channel are a group of their own (keyed ""), so the
    # channels add up to the whole
    assert set(by_channel["by"]) == {"direct", "partner", "online", ""}
    assert sum(g["revenue"] for g in by_channel["by"].values()) == pytest.approx(
        whole["kpis"]["revenue"])
    shown = _cli(extended, "kpis", str(east), "--by", "channel", cwd=tmp_path).stdout
    assert "渠道伙伴" in shown and "渠道" in shown  # the zh book's own words
    written = _cli(extended, "kpis", str(east), "--write", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    report = table_rows(openpyxl.load_workbook(east), "KpiReportValues")[1:]
    assert "partner_revenue" in {r[0] for r in report}

    # finance export: the column and the KPIs, with their meanings
    for fmt in ("csv", "xlsx", "parquet"):
        done = _cli(extended, "export", str(east), str(west), "-o", f"out_{fmt}", "--format",
                    fmt, "--tables", "kpis,sales", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    sales_csv = (tmp_path / "out_csv" / "sales.csv").read_text(encoding="utf-8-sig")
    assert {"channel", "industry"} <= set(sales_csv.splitlines()[0].split(","))
    assert {"partner", "direct", "online"} <= set(sales_csv.replace("\n", ",").split(","))
    meanings = {r[0]: r for r in openpyxl.load_workbook(
        tmp_path / "out_xlsx" / "kpis.xlsx")["columns"].iter_rows(values_only=True)}
    assert "partner" in meanings["partner_revenue"][2].lower()
    schema = pq.read_schema(tmp_path / "out_parquet" / "sales.parquet")
    assert b"channel" in schema.field("channel").metadata[b"description"]

    # the UDF for people's own formulas
    udf = _run(extended, "-c", XS_KPI, str(east), cwd=tmp_path)
    assert udf.returncode == 0, udf.stderr
    assert float(udf.stdout) == pytest.approx(partner)

    # the roll-up keeps the column; LibreOffice computes the new KPIs as xlsales does
    rolled = _cli(extended, "consolidate", str(east), str(west), "-o", "rollup.xlsx",
                  cwd=tmp_path)
    assert rolled.returncode == 0, rolled.stderr
    team = json.loads(_cli(extended, "kpis", "rollup.xlsx", "--json", cwd=tmp_path).stdout)
    west_kpis = json.loads(_cli(extended, "kpis", str(west), "--json", cwd=tmp_path).stdout)
    assert team["kpis"]["partner_revenue"] == pytest.approx(
        partner + west_kpis["kpis"]["partner_revenue"])
    recalculated = recalculate_many([east, tmp_path / "rollup.xlsx"], tmp_path / "lo")
    for path, expected in zip(recalculated, (whole, team), strict=True):
        wb = openpyxl.load_workbook(path, data_only=True)
        shown = kpi_values(wb)
        for key in ("partner_revenue", "partner_revenue_share"):
            assert shown[key] == pytest.approx(expected["kpis"][key]), (path.name, key)
        assert error_cells(wb) == []
