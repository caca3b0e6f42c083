"""What a printed page of the sheets xlsales writes shows: numbers in their units' formats
(a rate as a percentage, money with thousands separators, a count as an integer, months
as months), proved on the sample workbooks after ``plan`` and ``kpis --write`` by
LibreOffice's own PDF of them. The cells still hold plain numbers (finance pulls them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import table_rows

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.io.sheetxml import text_width
from xlsales.kpis_write import TITLES, kpi_report_content
from xlsales.libreoffice import convert, pdf_page_texts
from xlsales.spec import SPEC
from xlsales.spec.declarations import KPI_REPORT
from xlsales.text_width import display_width


@pytest.fixture(scope="module")
def printed(tmp_path_factory, sample_books) -> dict[str, tuple[Path, str, Path]]:
    """lang → (the sample book after ``plan`` and ``kpis --write``, the text of its PDF,
    the PDF)."""
    require_libreoffice()
    out = tmp_path_factory.mktemp("printed")
    books = {}
    for lang, source in sample_books.items():
        path = out / f"team_{lang}.xlsx"
        shutil.copyfile(source, path)
        for args in (["plan", str(path)], ["kpis", str(path), "--write"]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, result.output
        books[lang] = path
    pdfs = convert(list(books.values()), out / "pdf", "pdf")
    return {lang: (path, "\n".join(pdf_page_texts(pdf)), pdf)
            for (lang, path), pdf in zip(books.items(), pdfs, strict=True)}


def shown(value: float, unit: str) -> str:
    """``value`` as a printed cell of ``unit`` reads."""
    if unit == "percent":
        return f"{value:.2%}"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def unit_of(key: str) -> str:
    """The unit of a KPI or plan metric (the pipeline to build is money)."""
    return "money" if key == "pipeline" else SPEC.kpi(key).unit


def line_of(text: str, first: str) -> str:
    """The printed row whose first word is ``first``: its line and the indented lines
    below it (where ``pdftotext`` puts the rest of a row with a long text)."""
    found = re.search(rf"^\s*{re.escape(first)}\s.*(?:\n[ \t]+\S.*)*", text, re.M)
    assert found, f"no printed line starts with {first!r}"
    return found.group(0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_targets_and_kpi_targets_print_in_their_units(printed, lang):
    path, text, _pdf = printed[lang]
    wb = openpyxl.load_workbook(path)
    head, *targets = table_rows(wb, "PlanTargets")
    tid, key, value = (head.index(SPEC.table("PlanTargets").column(c).label.get(lang))
                       for c in ("target_id", "kpi", "value"))
    units = set()
    for row in targets:
        assert isinstance(row[value], int | float)  # still a number
        unit = unit_of(row[key])
        units.add(unit)
        assert shown(row[value], unit) in line_of(text, row[tid]), (row, unit)
    assert units == {"money", "count", "percent"}
    head, *actions = table_rows(wb, "PlanActions")
    spec = SPEC.table("PlanActions")
    aid, kpi, target = (head.index(spec.column(c).label.get(lang))
                        for c in ("action_id", "kpi", "kpi_target"))
    by_label = {k.label.get(lang): k.key for k in SPEC.kpis}
    watched = [r for r in actions if r[target] is not None]
    assert {SPEC.kpi(by_label[r[kpi]]).unit for r in watched} >= {"money", "percent"}
    for row in watched:
        assert isinstance(row[target], int | float)
        want = shown(row[target], SPEC.kpi(by_label[row[kpi]]).unit)
        assert want in line_of(text, row[aid]), (row, want)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_kpi_on_the_report_prints_in_its_unit(printed, lang):
    path, text, _pdf = printed[lang]
    wb = openpyxl.load_workbook(path)
    report = wb[KPI_REPORT.name.get(lang)]["A1"].value
    text = text[text.index(report):]  # the report's pages (the KPI sheet is before them)
    # from the table's title on: a line of the summary above may start with a key too
    # ("target of SGD 485,270 …" wrapped)
    text = text[text.index(TITLES["KpiReportValues"][lang == "en"]):]
    rows = table_rows(wb, "KpiReportValues")[1:]
    units = set()
    for key, _name, value, unit in rows:
        if value is None:
            continue
        assert isinstance(value, int | float) and unit == SPEC.kpi(key).unit
        units.add(unit)
        # the KPI sheet's format of the unit: money and other numbers to the cent
        assert shown(value, unit) in line_of(text, key), (key, value, unit)
    assert {"days", "ratio", "quantity"} <= units




@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reports_trend_prints_months_as_months(printed, lang):
    path, text, _pdf = printed[lang]
    wb = openpyxl.load_workbook(path)
    text = text[text.index(wb[KPI_REPORT.name.get(lang)]["A1"].value):]
    months = [r[0] for r in table_rows(wb, "KpiReportTrend")[1:]]
    assert len(months) == 12 and all(m.day == 1 for m in months)  # still dates
    for month in months:  # a printed row starts with the month alone, not 2025-11-01
        assert line_of(text, f"{month:%Y-%m}")


def chart_blocks(pdf: Path, page: int, work: Path, right: float = 0.6) -> list[int]:
    """Heights (pixels, top to bottom) of the runs of non-blank pixel rows in the right
    part of page ``page`` (1-based) of ``pdf`` as poppler renders it: the KPI report's
    charts, right of its tables, each in its frame."""
    stem = work / f"page{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    magic, width, height, _depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    image = np.frombuffer(pixels, np.uint8).reshape(int(height), int(width))
    inked = (image[:, int(right * int(width)):] < 250).any(axis=1)  # frames are light grey
    blocks, run = [], 0
    for row in [*inked, False]:
        if row:
            run += 1
        elif run:
            blocks.append(run)
            run = 0
    return blocks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_chart_of_the_kpi_report_is_cut_by_a_page_break(printed, lang, tmp_path):
    """Printed, each chart lies whole on one page. The report's charts, right of its
    tables, are all as tall: on the rendered pages each is a run of inked pixel rows of
    that height; a chart cut by a page break is two shorter runs on two pages."""
    path, _text, pdf = printed[lang]
    report = kpi_report_content(read_workbook(path))
    pages = pdf_page_texts(pdf)
    first = next(i for i, page in enumerate(pages, 1) if report.content.title[0] in page)
    assert {c.size for c in report.content.charts} == {(9, 16)}
    last_key = SPEC.kpis[-1].key  # the last row of the report's last table
    last = next(i for i, page in enumerate(pages[first - 1:], first)
                if re.search(rf"^\s*{last_key}\s", page, re.M))
    heights = [h for page in range(first, last + 1) for h in chart_blocks(pdf, page, tmp_path)]
    assert len(heights) == len(report.content.charts), heights
    assert max(heights) - min(heights) <= 2, heights


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_long_texts_of_the_plan_print_whole(printed, lang):
    """A plan action's what, why and how are longer than their columns: each is wrapped
    onto more lines in a taller row, so that every word of them prints (they were cut off
    at the next column: "Monitor competitor prices and set a di")."""
    from collections import Counter

    path, _text, pdf = printed[lang]
    wb = openpyxl.load_workbook(path)
    sheet = next(ws for ws in wb.worksheets if "PlanActions" in ws.tables)
    head, *actions = table_rows(wb, "PlanActions")
    columns = [head.index(SPEC.table("PlanActions").column(c).label.get(lang))
               for c in ("what", "why", "how")]
    texts = [row[c] for row in actions for c in columns if isinstance(row[c], str)]
    letter = openpyxl.utils.get_column_letter
    assert any(text_width(row[c]) > sheet.column_dimensions[letter(c + 1)].width
               for row in actions for c in columns if isinstance(row[c], str))

    def words(text: str) -> Counter[str]:  # a CJK character is a word of its own
        return Counter(re.findall(r"[\u4e00-\u9fff]|[^\s\u4e00-\u9fff]+", text))

    page = next(t for t in pdf_page_texts(pdf) if sheet.title in t.split("\n", 3)[0])
    missing = words(" ".join(texts)) - words(page)
    assert not missing, missing
    first = sheet.tables["PlanActions"].ref.split(":")[0]
    tall = [r for r in range(int(first[1:]) + 1, sheet.max_row + 1)
            if (sheet.row_dimensions[r].height or 15) > 15]
    assert tall, "no row of a long text was made taller"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_kpi_sheets_to_date_window_starts_in_words(printed, lang):
    """The "up to period end" window starts on an early date the formulas need (before
    any record); the KPI sheet shows it as words, not as 1901-01-01."""
    from xlsales.spec.declarations import SINCE_FIRST_RECORD, WINDOW_LABELS

    _path, text, _pdf = printed[lang]
    line = line_of(text, WINDOW_LABELS["to_date"].get(lang))
    assert SINCE_FIRST_RECORD.get(lang) in line and "1901-01-01" not in line, line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_instructions_print_whole_on_a_page_wide(printed, lang):
    """The instructions' long lines are wrapped within the page: every character of them
    prints on the first page (a line was cut at the page's edge: "在“目标”和“活动记录”表",
    "year-on-year a")."""
    path, _text, pdf = printed[lang]
    wb = openpyxl.load_workbook(path)
    lines = [v for (v,) in wb.worksheets[0].iter_rows(min_col=1, max_col=1, values_only=True)
             if isinstance(v, str)]
    assert max(display_width(v) for v in lines) > 100  # some wider than the column
    page = re.sub(r"\s+", "", pdf_page_texts(pdf)[0])
    cut = [v for v in lines if re.sub(r"\s+", "", v) not in page]
    assert not cut, cut
