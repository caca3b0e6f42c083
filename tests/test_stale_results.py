"""A book last saved by LibreOffice (or Excel) holds a cached result in every formula cell,
and LibreOffice, with its default settings for xlsx files, shows those as they are (it
does not read ``fullCalcOnLoad``). After xlsales changes a table's data, opening the book
in LibreOffice must show the current figures — the ones ``xlsales kpis`` computes — not
last week's. The books are opened as a user opens them: LibreOffice's default settings,
no forced recalculation (:func:`xlsales.libreoffice.as_opened`)."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from conftest import require_libreoffice
from sheet_values import error_cells, kpi_values
from test_import import labels, run, spelled, write_csv
from test_package_append import blank_book

from xlsales.cli import main
from xlsales.io.package import WorkbookPackage
from xlsales.io.reader import read_workbook
from xlsales.io.staleresults import drop_results, mentions
from xlsales.kpis import compute_kpis
from xlsales.libreoffice import as_opened, recalculate_many


def xlsales_kpis(book: Path) -> dict[str, object]:
    """What ``xlsales kpis BOOK`` computes from the rows."""
    read = read_workbook(book)
    return compute_kpis({n: t.frame for n, t in read.tables.items()}, read.period).kpis


def shown(book: Path, folder: Path, errors_allowed: bool = False) -> dict[str, object]:
    """The KPI sheet as LibreOffice shows it on opening ``book`` (default settings)."""
    [opened] = as_opened([book], folder)
    wb = openpyxl.load_workbook(opened, data_only=True)
    assert errors_allowed or error_cells(wb) == []
    return kpi_values(wb)


def assert_same(got: dict[str, object], want: dict[str, object], what: str) -> None:
    wrong = []
    for key, value in want.items():
        seen = got[key]
        if value is None:
            ok = seen is None
        else:
            ok = isinstance(seen, int | float) and math.isclose(seen, value, rel_tol=1e-9,
                                                                 abs_tol=1e-6)
        if not ok:
            wrong.append(f"{key}: LibreOffice shows {seen!r}, xlsales kpis {value!r}")
    assert not wrong, what + "\n" + "\n".join(wrong)


def lo_saved(tmp_path: Path, name: str, book: Path) -> Path:
    """``book`` opened and saved by LibreOffice (it caches every formula's result)."""
    [saved] = recalculate_many([book], tmp_path / name)
    assert b"LibreOffice" in zipfile.ZipFile(saved).read("docProps/app.xml")
    return saved


def test_libreoffice_shows_current_kpis_after_weekly_imports(tmp_path) -> None:
    """The weekly flow: import, save in LibreOffice, import the next week's rows, open."""
    require_libreoffice()
    rows = spelled("zh")
    book = lo_saved(tmp_path, "lo1", blank_book(tmp_path / "book.xlsx"))
    week1 = write_csv(tmp_path / "week1.csv", labels("zh"), rows[:4])
    assert run(week1, "--into", book).exit_code == 0
    first = xlsales_kpis(book)
    assert first["revenue"]
    assert_same(shown(book, tmp_path / "open1"), first, "after the first import")

    book = lo_saved(tmp_path, "lo2", book)  # last week's figures cached in every formula
    week2 = write_csv(tmp_path / "week2.csv", labels("zh"), rows[4:])
    assert run(week2, "--into", book).exit_code == 0
    second = xlsales_kpis(book)
    assert second["revenue"] != first["revenue"]
    assert_same(shown(book, tmp_path / "open2"), second, "after the second import")


def test_libreoffice_shows_current_kpis_after_validate_extends_the_table(tmp_path) -> None:
    """Rows under the table (typed there in LibreOffice, which does not grow a table),
    taken into it by ``validate --write``: the KPI sheet counts them from then on."""
    require_libreoffice()
    book = lo_saved(tmp_path, "lo1", blank_book(tmp_path / "book.xlsx"))
    export = write_csv(tmp_path / "w.csv", labels("zh"), spelled("zh"))
    assert run(export, "--into", book).exit_code == 0
    with WorkbookPackage.open(book) as package:
        info = package._layout().table("Sales")
    assert info is not None
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(cut, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == info.part:  # the table ends three rows higher
                data = re.sub(rb'(ref="[A-Z]+\d+:[A-Z]+)(\d+)"',
                              lambda m: m[1] + str(int(m[2]) - 3).encode() + b'"', data)
            zout.writestr(item, data)
    book = lo_saved(tmp_path, "lo2", cut)  # its cached KPIs leave the three rows out
    expected = xlsales_kpis(book)
    # (the rows' calculated cells are errors outside the table)
    assert shown(book, tmp_path / "open1", True)["revenue"] != expected["revenue"]
    result = CliRunner().invoke(main, ["validate", str(book), "--write"])
    assert "rows_not_counted" in result.output or "表格下方" in result.output, result.output
    assert xlsales_kpis(book) == expected
    assert_same(shown(book, tmp_path / "open2"), expected, "after validate --write")


def test_which_cached_results_go() -> None:
    """On an edited sheet only the formulas that read what changed lose their results; a
    shared formula's cells follow its first cell."""
    sheet = (b'<worksheet xmlns="x"><sheetData><row r="5">'
             b'<c r="J5" t="n"><f>B5*C5</f><v>12</v></c>'
             b'<c r="Q5" t="n"><f>1/COUNTIFS(Sales[Customer],"A")</f><v>0.5</v></c>'
             b'<c r="R5"><f t="shared" ref="R5:R6" si="0">kpi_start+1</f><v>7</v></c>'
             b'<c r="S5" t="str"><f t="shared" ref="S5:S6" si="1">B5&amp;"x"</f><v>ax</v></c>'
             b'</row><row r="6"><c r="R6"><f t="shared" si="0"/><v>7</v></c>'
             b'<c r="S6" t="str"><f t="shared" si="1"/><v>bx</v></c></row></sheetData>'
             b'</worksheet>')
    out = b"".join(drop_results([sheet[:40], sheet[40:]], mentions(["Sales", "kpi_start"])))
    assert out == sheet.replace(b"</f><v>0.5</v>", b"</f>").replace(
        b"kpi_start+1</f><v>7</v>", b"kpi_start+1</f>").replace(b'si="0"/><v>7</v>', b'si="0"/>')
    everything = b"".join(drop_results([sheet], None))
    assert b"<v>" not in everything and everything.count(b"<f") == 6
