"""A plan's public holidays are kept on disk between commands (xlsales/plan/holiday_cache.py):
the next button click reads them instead of importing the ``holidays`` package's ~250
country modules, and gets the same days."""

from __future__ import annotations

import os
from datetime import date

import holidays
import pytest

from tests.fresh_python import last_line
from xlsales.plan import holiday_cache, workdays


def _library(country: str, year: int) -> tuple[set[date], set[date]]:
    days = holidays.country_holidays(country, years=year)
    return ({d for d in days if d.year == year},
            {d for d in getattr(days, "weekend_workdays", ()) if d.year == year})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    workdays._year.cache_clear()
    yield tmp_path / "xlsales"
    workdays._year.cache_clear()


def test_the_next_command_reads_the_kept_days_without_the_package(cache) -> None:
    """China's 2026 (holidays and make-up working Saturdays): the second fresh Python
    answers from the cache, does not import ``holidays``, and has the library's days."""
    code = ("import sys; from xlsales.plan.workdays import _year; off, worked = "
            "_year('CN', 2026); print(sorted(d.isoformat() for d in off), "
            "sorted(d.isoformat() for d in worked), 'holidays' in sys.modules, sep='|')")
    env = {**os.environ}
    first = last_line(code, env).split("|")
    second = last_line(code, env).split("|")
    off, worked = _library("CN", 2026)
    expected = [str(sorted(d.isoformat() for d in off)),
                str(sorted(d.isoformat() for d in worked))]
    assert first[:2] == expected and second[:2] == expected
    assert worked, "China's 2026 has make-up working days (调休)"
    assert first[2] == "True" and second[2] == "False"
    assert len(list(cache.glob("holidays-*-CN-2026.json"))) == 1


def test_a_damaged_cache_file_is_passed_over_and_written_again(cache) -> None:
    """A cache file cut short (a disk filled mid-write by something else) is not
    believed: the package is asked, and the file is written whole again."""
    version = holiday_cache.holidays_version()
    assert version == holidays.__version__
    cache.mkdir(parents=True)
    path = cache / f"holidays-{version}-HK-2027.json"
    path.write_text('{"off": ["2027-01-01"', encoding="utf-8")
    off, worked = workdays._year("HK", 2027)
    assert (set(off), set(worked)) == _library("HK", 2027)
    assert holiday_cache._load(path) == (off, worked)


def test_a_cache_folder_that_cannot_be_written_still_gives_the_days(tmp_path,
                                                                     monkeypatch) -> None:
    """The cache's place taken by a file (or a read-only home): the plan still gets the
    library's holidays, and nothing is raised."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setenv("LOCALAPPDATA", str(blocked))
    workdays._year.cache_clear()
    try:
        off, worked = workdays._year("JP", 2026)
    finally:
        workdays._year.cache_clear()
    assert (set(off), set(worked)) == _library("JP", 2026)
