"""`xlsales --lang en plan BOOK` on a Chinese book: plan has no --lang of its own and
reports in BOOK's language, yet the --lang given before it made its progress lines (and
its errors) English, so one run printed English steps above a Chinese report. The --lang
before a command with no --lang of its own is its help's language only (README:
`xlsales --lang zh COMMAND --help`); before one with a --lang it stays that command's."""

from __future__ import annotations

from click.testing import CliRunner

from xlsales.cli import main

UNSET = {"XLSALES_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def test_lang_before_plan_leaves_it_in_the_books_language(sample_books, tmp_path):
    result = CliRunner().invoke(main, ["--lang", "en", "plan", str(sample_books["zh"]),
                                       "-o", str(tmp_path / "planned.xlsx")], env=UNSET)
    assert result.exit_code == 0, result.output
    assert "计划（" in result.stdout, result.stdout  # the report: Chinese, as BOOK
    steps = [line for line in result.stderr.splitlines() if line.startswith("[plan]")]
    assert steps and all("正在" in line for line in steps), result.stderr
    assert not any("reading" in line for line in steps), result.stderr


def test_lang_before_kpis_is_still_its_own(sample_books):
    result = CliRunner().invoke(main, ["--lang", "en", "kpis", str(sample_books["zh"])],
                                env=UNSET)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Period "), result.stdout


def test_lang_before_plan_still_says_errors_before_the_book_in_it(tmp_path):
    """What goes wrong before BOOK is read (a mistyped option, a missing file) is said in
    the --lang typed: there is no book's language yet."""
    runner = CliRunner()
    bogus = runner.invoke(main, ["--lang", "en", "plan", "--bogus"], env=UNSET)
    missing = runner.invoke(main, ["--lang", "en", "plan", str(tmp_path / "none.xlsx")],
                            env=UNSET)
    for result in (bogus, missing):
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines()[-2].startswith("Error / 错误: "), result.stderr
