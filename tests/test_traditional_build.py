"""Books xlsales builds for a Traditional team come out in Traditional: ``new --from`` a
book converted with Excel's 简转繁 (Taipei, Hong Kong) and ``consolidate`` of such books
wrote the spec's Simplified (说明, 销售记录, 订单编号, 标准版), so the team converted every
new month's book again, and a roll-up of three Traditional books was all Simplified. The
builder now writes its own text in the book's script, its formulas counting the spelling
its dropdowns offer (贏單), the team's data as it is."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice, team_options
from sheet_values import error_cells, kpi_values, table_rows
from traditional_books import convert_workbook

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.script_variant import book_script
from xlsales.validation import validate


def _kpis(book: Path) -> dict[str, object]:
    result = CliRunner().invoke(main, ["kpis", str(book), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["kpis"]  # type: ignore[no-any-return]


def _next_book(source: Path, out: Path) -> Path:
    """``source``'s plan made, then the next month's book built from it."""
    runner = CliRunner()
    assert runner.invoke(main, ["plan", str(source)]).exit_code == 0
    result = runner.invoke(main, ["new", "--from", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def next_books(sample_books, tmp_path_factory) -> dict[str, Path]:
    """The next month's book of the sample team's book, as it is (``zh``) and converted
    to Traditional with Taiwan's phrases (``tw``), as Excel's 简转繁 leaves it."""
    folder = tmp_path_factory.mktemp("next")
    shutil.copy(sample_books["zh"], folder / "zh.xlsx")
    convert_workbook(sample_books["zh"], folder / "tw.xlsx", "s2twp")
    return {b: _next_book(folder / f"{b}.xlsx", folder / f"{b}_next.xlsx") for b in ("zh", "tw")}


def test_new_from_a_traditional_book_builds_it_in_traditional(next_books) -> None:
    """Sheet names, headers, lists and dropdowns of the next book are in the book's
    script; it reads back as that script, with nothing to warn of, and its KPIs are those
    of the same book kept in Simplified."""
    built = next_books["tw"]
    wb = openpyxl.load_workbook(built)
    assert {"說明", "基礎資訊", "銷售記錄", "設定", "上期行動"} <= set(wb.sheetnames)
    assert not {"说明", "销售记录", "设置"} & set(wb.sheetnames)
    assert book_script(wb.sheetnames) == "s2twp"
    assert read_workbook(built).script == "s2twp"
    assert table_rows(wb, "Sales")[0][:4] == ["訂單編號", "日期", "銷售人員", "區域"]
    assert wb["說明"]["A1"].value == "銷售工作總結與工作計劃"
    sales = wb["銷售記錄"]
    lists = [v.formula1 for v in sales.data_validations.dataValidation if v.type == "list"]
    assert any("贏單" in f for f in lists) and not any("赢单" in f for f in lists)
    found = validate(read_workbook(built))
    assert not [f for f in found if f.severity.value in ("error", "warning")], \
        sorted({(f.rule, f.message_en) for f in found if f.severity.value != "info"})
    assert _kpis(built) == _kpis(next_books["zh"])


def test_the_built_traditional_kpi_sheet_counts_its_own_spelling(next_books) -> None:
    """The native formulas compare with the spelling the dropdowns offer (贏單), never the
    Simplified one a Traditional book's cells do not hold."""
    wb = openpyxl.load_workbook(next_books["tw"])
    formulas = [str(r[2]) for r in table_rows(wb, "KPIs")[1:]]
    assert any('"贏單"' in f for f in formulas)
    assert not [f for f in formulas if '"赢单"' in f or "Sales[金额]" in f]


def test_libreoffice_computes_a_built_traditional_book_as_xlsales(
        sample_data, next_books, tmp_path: Path) -> None:
    """The golden check: LibreOffice's recalculated KPI sheet of a book built in
    Traditional (the sample team's month, and the next month's book) equals `xlsales
    kpis` of it, won deals and new customers counted."""
    from dataclasses import replace

    from xlsales.build.workbook import build_workbook
    from xlsales.libreoffice import recalculate_many

    require_libreoffice()
    month = tmp_path / "tw_month.xlsx"
    build_workbook(month, replace(team_options("zh"), script="s2tw"), sample_data["zh"])
    assert read_workbook(month).script == "s2tw"
    books = [month, next_books["tw"]]
    for book, recalculated in zip(books, recalculate_many(books, tmp_path / "lo"), strict=True):
        values = openpyxl.load_workbook(recalculated, data_only=True)
        assert not error_cells(values), error_cells(values)[:5]
        shown, computed = kpi_values(values), _kpis(book)
        differ = {k: (shown[k], v) for k, v in computed.items()
                  if not ((shown[k] is None and v is None) or (
                      isinstance(v, int | float) and isinstance(shown[k], int | float)
                      and math.isclose(shown[k], v, rel_tol=1e-9, abs_tol=1e-6)))}
        assert differ == {}, (book.name, differ)
    assert _kpis(month)["deals"] > 0 and _kpis(month)["new_customers"] > 0


@pytest.fixture(scope="module")
def member_folders(tmp_path_factory) -> dict[str, Path]:
    """Three members' books of the sample team as made (``zh``), converted to Traditional
    (``tw``), and two made beside one converted (``mixed``)."""
    from xlsales.build.workbook import build_workbook
    from xlsales.sample import SAMPLE_PERIOD, sample_members
    from xlsales.workbook_data import BuildOptions

    root = tmp_path_factory.mktemp("members")
    folders = {k: root / k for k in ("zh", "tw", "mixed")}
    for folder in folders.values():
        folder.mkdir()
    for i, (rep, data) in enumerate(list(sample_members("zh").items())[:3]):
        made = folders["zh"] / f"{rep}.xlsx"
        build_workbook(made, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), data)
        convert_workbook(made, folders["tw"] / f"{rep}.xlsx", "s2tw")
        if i == 0:
            convert_workbook(made, folders["mixed"] / f"{rep}.xlsx", "s2tw")
        else:
            shutil.copy(made, folders["mixed"] / f"{rep}.xlsx")
    return folders


def _consolidate(folder: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_rollup_of_traditional_members_is_traditional(member_folders, tmp_path) -> None:
    """Three Traditional members give a Traditional roll-up (sheets, headers, the member
    column, built-in list entries, the ranking and plan sheets), which says so, reads
    back as Traditional with nothing to warn of, and has the KPIs of the roll-up of the
    same books in Simplified."""
    team, plain = tmp_path / "team_tw.xlsx", tmp_path / "team_zh.xlsx"
    said = _consolidate(member_folders["tw"], team)
    _consolidate(member_folders["zh"], plain)
    assert "按繁體中文寫出：3 個成員中有 3 個的工作簿是繁體" in said  # said in Traditional too
    wb = openpyxl.load_workbook(team)
    assert {"說明", "銷售記錄", "設置", "成員排名", "問題彙總", "計劃-目標"} <= set(wb.sheetnames)
    assert not {"说明", "销售记录", "设置", "成员排名"} & set(wb.sheetnames)
    header, *rows = table_rows(wb, "Sales")
    assert header[0] == "訂單編號" and header[-1] == "成員"
    products = {r[header.index("產品")] for r in rows}
    assert "標準版" in products and "标准版" not in products
    book = read_workbook(team)
    assert book.script == "s2tw" and book.lists["product"][0] == "標準版"
    found = validate(book)
    assert not [f for f in found if f.severity.value in ("error", "warning")], \
        sorted({(f.rule, f.message_en) for f in found if f.severity.value != "info"})
    assert _kpis(team) == _kpis(plain)


def test_a_rollup_of_mostly_simplified_members_stays_simplified(member_folders, tmp_path):
    """One Traditional member beside two Simplified ones: the roll-up is in Simplified,
    as today, its built-in entries one spelling (标准版)."""
    team = tmp_path / "team.xlsx"
    said = _consolidate(member_folders["mixed"], team)
    assert "按繁体中文写出" not in said
    wb = openpyxl.load_workbook(team)
    assert "销售记录" in wb.sheetnames and read_workbook(team).script is None
    header, *rows = table_rows(wb, "Sales")
    assert {r[header.index("产品")] for r in rows} >= {"标准版"}
    assert "標準版" not in {r[header.index("产品")] for r in rows}
