"""Shared fixtures: sample workbooks built once per session and their LibreOffice
recalculation (LibreOffice is this project's real spreadsheet engine in tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from xlsales.build.workbook import build_workbook
from xlsales.libreoffice import recalculate
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.workbook_data import BuildOptions, WorkbookData

REPO = Path(__file__).resolve().parent.parent


def require_libreoffice() -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is required for the golden tests: "
                    "apt-get install libreoffice-calc (.ci/run does this)")


def team_options(lang: str, period=SAMPLE_PERIOD) -> BuildOptions:
    return BuildOptions(lang=lang, period=period, level="team", role="manager",
                        owner=TEAM[lang][0])


@pytest.fixture(scope="session")
def sample_data() -> dict[str, WorkbookData]:
    return {lang: sample_workbook_data(lang) for lang in ("zh", "en")}


@pytest.fixture(scope="session")
def sample_books(tmp_path_factory, sample_data) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample")
    books = {}
    for lang, data in sample_data.items():
        path = out / f"sample_{lang}.xlsx"
        build_workbook(path, team_options(lang), data)
        books[lang] = path
    return books


@pytest.fixture(scope="session")
def recalculated(tmp_path_factory, sample_books) -> dict[str, openpyxl.Workbook]:
    """The sample workbooks after LibreOffice opened, recalculated and saved them."""
    require_libreoffice()
    out = tmp_path_factory.mktemp("recalc")
    return {lang: openpyxl.load_workbook(recalculate(path, out), data_only=True)
            for lang, path in sample_books.items()}
