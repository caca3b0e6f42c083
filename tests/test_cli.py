"""The command line as a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import team_options
from sheet_values import table_rows, with_header_renamed

from xlsales.cli import main


def run(*args: str, cwd=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def info_of(path):
    return {r[0]: r[2] for r in table_rows(openpyxl.load_workbook(path), "Info")[1:]}


def test_new_builds_a_workbook_with_the_options(tmp_path):
    out = tmp_path / "q.xlsx"
    result = run("new", "--lang", "en", "--period", "2026-Q4", "--level", "team",
                 "--role", "manager", "--owner", "Team East", "-o", str(out))
    assert result.exit_code == 0, result.output
    info = info_of(out)
    assert info["period_type"] == "Quarter"
    assert info["period_start"].date() == date(2026, 10, 1)
    assert (info["owner"], info["level"], info["role"]) == ("Team East", "Team", "Sales manager")
    assert openpyxl.load_workbook(out).sheetnames[1] == "Info"
    assert info["currency"] == "CNY"  # unless said otherwise


def test_new_says_which_language_it_took_when_not_given_lang(tmp_path):
    """`new --currency SGD --owner "Dana Tan"` without --lang silently made a Chinese
    workbook for an English-speaking manager: the language is not guessed from a name
    or a currency, but the output line says it, and how to get the other."""
    out = tmp_path / "d.xlsx"
    result = run("new", "--currency", "SGD", "--period", "2026-10", "--owner", "Dana Tan",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == (f"{out}  （中文，2026-10 月度，个人，一线销售；"
                             "英文工作簿请加 --lang en）\n")
    for lang in ("zh", "en"):  # chosen: nothing to point out
        given = run("new", "--lang", lang, "--period", "2026-10", "-o", str(out), "--force")
        assert given.output == (f"{out}  （中文，2026-10 月度，个人，一线销售）\n" if lang == "zh"
                                else f"{out}  (en, 2026-10 month, individual, rep)\n")


def test_new_takes_the_teams_currency(tmp_path, sample_books):
    """A Taiwan team's amounts are in TWD: set once when the book is made (import then
    compares the export's currency marks with it), carried to the next period's book."""
    out = tmp_path / "tw.xlsx"
    result = run("new", "--currency", "twd", "--period", "2026-Q3", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert info_of(out)["currency"] == "TWD"
    bad = run("new", "--currency", "元", "-o", str(tmp_path / "x.xlsx"))  # yuan, NT$ or HK$
    assert bad.exit_code == 2 and "not a currency code" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
    # CYN typed for CNY was a workbook in a currency of its own (validate silent, the
    # plan's unit CYN): refused, with the codes it may be a typo of; RMB is CNY as before
    typo = run("new", "--currency", "cyn", "-o", str(tmp_path / "x.xlsx"))
    assert typo.exit_code == 2 and not (tmp_path / "x.xlsx").exists()
    assert "--currency CYN is no ISO 4217 currency code: did you mean CNY" in typo.output
    assert "是否想写 CNY" in typo.output
    # what the currency cell reads is taken, as its code (RMB and 人民币 were kept as typed
    # or refused, NT$ refused)
    for typed, code in (("RMB", "CNY"), ("人民币", "CNY"), ("NT$", "TWD")):
        assert run("new", "--currency", typed, "-o", str(tmp_path / "r.xlsx"),
                   "--force").exit_code == 0
        assert info_of(tmp_path / "r.xlsx")["currency"] == code
    hk, nxt = tmp_path / "hk.xlsx", tmp_path / "next.xlsx"
    assert run("new", "--currency", "HKD", "--lang", "en", "--period", "2026-10", "-o",
               str(hk)).exit_code == 0
    assert run("plan", str(hk), "--target", "50000").exit_code == 0
    result = run("new", "--from", str(hk), "-o", str(nxt))
    assert result.exit_code == 0, result.output
    assert info_of(nxt)["currency"] == "HKD" and "carried over from" in result.output
    # another currency than the book's, its amounts carried as typed: refused
    planned = tmp_path / "planned.xlsx"
    assert run("plan", str(sample_books["en"]), "-o", str(planned)).exit_code == 0
    result = run("new", "--from", str(planned), "--currency", "HKD", "-o", str(nxt),
                 "--force")
    assert result.exit_code == 2 and "keeps its amounts in CNY" in result.output


def test_new_defaults_to_chinese_and_this_month(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "--owner", "张伟")
    assert result.exit_code == 0, result.output
    today = date.today()
    path = tmp_path / f"xlsales_{today:%Y-%m}_张伟_zh.xlsx"
    info = info_of(path)
    assert info["period_type"] == "月度" and info["period_start"].date() == today.replace(day=1)
    # an owner naming a team with a slash stays one file name, not a folder
    result = run("new", "--owner", "华东/一组", "--period", "2026-11")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xlsales_2026-11_华东_一组_zh.xlsx").is_file()
    assert info_of(tmp_path / "xlsales_2026-11_华东_一组_zh.xlsx")["owner"] == "华东/一组"


def test_new_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"the user's own file")
    result = run("new", "-o", str(out))
    assert result.exit_code == 2
    assert "--force" in result.output and "already exists" in result.output
    assert out.read_bytes() == b"the user's own file"
    assert run("new", "-o", str(out), "--force").exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "说明"


@pytest.mark.parametrize("args,needle", [
    (["--period", "2026-13"], "Cannot read the period"),
    (["-o", "x.csv"], "should end in .xlsx"),
])
def test_bad_options_give_a_message_and_exit_2(tmp_path, args, needle):
    result = run("new", *args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_demo_writes_the_sample_workbooks_and_refuses_to_clobber(tmp_path):
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.xlsx"))
    assert files == ["blank_2026-11_zh.xlsx", "sample_team_2026-10_en.xlsx",
                     "sample_team_2026-10_zh.xlsx", "summary_2026-11_zh.xlsx",
                     "team_rollup_2026-10_zh.xlsx"]
    assert len(list((out / "members").glob("*.xlsx"))) == 6
    assert "6 个工作簿中合并了 6 个" in result.output  # the zh roll-up reports in Chinese
    assert "销售记录 2,863" in result.output
    rows = table_rows(openpyxl.load_workbook(out / "sample_team_2026-10_en.xlsx"), "Sales")
    assert len(rows) == 2864
    again = run("demo", "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.output
    # the way to another place it names is the demo's own option (it said -o, which the
    # demo does not have)
    assert "choose another folder with --out" in again.output and " -o" not in again.output
    assert run("demo", "--out", str(out), "--force").exit_code == 0


def test_demo_in_english_runs_the_loop_in_english(tmp_path):
    """An English-speaking user's first run: ``demo --lang en`` writes the English
    sample alone and runs the whole loop on it — its report, plan, next summary, the
    reps' books and the roll-up all in English, no Chinese on the way."""
    from xlsales.io.reader import read_workbook

    out = tmp_path / "demo"
    result = run("demo", "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.xlsx")) == [
        "blank_2026-11_en.xlsx", "sample_team_2026-10_en.xlsx", "summary_2026-11_en.xlsx",
        "team_rollup_2026-10_en.xlsx"]
    members = sorted(p.name for p in (out / "members").glob("*.xlsx"))
    assert len(members) == 6 and "Alice Chen_2026-10.xlsx" in members
    assert not re.search(r"[\u4e00-\u9fff]", result.output), result.output
    assert "6 of 6 workbooks rolled up for 2026-10" in result.output
    assert "wrote Plan Targets, Plan Actions" in result.output
    for name in ("team_rollup_2026-10_en.xlsx", "summary_2026-11_en.xlsx",
                 "blank_2026-11_en.xlsx"):
        assert read_workbook(out / name).lang == "en", name


def test_installed_entry_point_shows_help():
    proc = subprocess.run([sys.executable, "-m", "xlsales.cli", "--help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0
    for command in ("new", "demo", "build-templates"):
        assert command in proc.stdout


def test_os_errors_are_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = run("new", "-o", str(blocker / "x.xlsx"))
    assert result.exit_code == 2
    assert "Cannot read or write" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["kpis"], ["plan"]])
def test_a_period_start_that_cannot_be_read_is_named_at_its_cell(sample_books, tmp_path,
                                                                  command):
    """Period start typed 2026-13-01: kpis and plan said "has no period: fill in the
    period type and start" of a cell that is filled. Now they name the cell and what is
    wrong with it, as validate does."""
    book = tmp_path / "p.xlsx"
    wb = openpyxl.load_workbook(sample_books["en"])
    wb["Info"]["C6"] = "2026-13-01"
    wb.save(book)
    before = book.read_bytes()
    result = run(*command, str(book))
    assert result.exit_code == 2, result.output
    assert ("p.xlsx: Info!C6: 'Period start' must be a date (e.g. 2026-11-03); '2026-13-01' "
            "cannot be read.") in result.output
    assert "has no period" not in result.output and book.read_bytes() == before


def test_every_output_is_o_and_output(tmp_path, sample_books):
    """export took -o/--out, new and plan -o/--output, demo and build-templates --out only:
    a newcomer's `export --output` or `demo -o` failed with "No such option"."""
    assert run("demo", "-o", str(tmp_path / "d")).exit_code == 0
    result = run("export", str(sample_books["en"]), "--output", str(tmp_path / "e"),
                 "--tables", "kpis")
    assert result.exit_code == 0 and (tmp_path / "e" / "kpis.csv").exists(), result.output
    # the tables listed as words, wherever the help wraps its lines
    assert "sales, targets, activities" in " ".join(run("export", "--help").output.split())


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["kpis", "--by", "foo", "x.xlsx"], "--by 的值 'foo' 无效（可选 'rep', 'region'",
     "Invalid value for '--by': 'foo' is not one of 'rep', 'region'"),
    (["export"], "缺少参数 BOOKS", "Missing argument 'BOOKS...'."),
    (["plan", "x.xlsx", "--bogus"], "没有选项 --bogus", "No such option '--bogus'."),
    (["validat"], "没有命令 validat（是否想用 'validate'？）",
     "No such command 'validat'. Did you mean 'validate'?"),
    (["--verison"], "没有选项 --verison（是否想用 '--version'？）",
     "No such option '--verison'. Did you mean '--version'?"),
    (["consolidate", "rep_*.xlsx"], "缺少选项 -o", "Missing option '-o' / '--output'."),
    (["new", "--lang"], "选项 --lang 需要一个值", "Option '--lang' requires an argument.")])
def test_usage_errors_are_one_bilingual_paragraph(args, zh, en):
    """Click's own usage errors (a mistyped option or command, a missing argument) were
    English only, then a Chinese line labelled Error with the English only after click's
    Usage lines: now, as every xlsales error, Chinese then the same in English, naming
    the --help to run, and nothing after it."""
    result = CliRunner().invoke(main, args, prog_name="xlsales")
    assert result.exit_code == 2 and "Traceback" not in result.output
    command = "xlsales" if args[0] in ("validat", "--verison") else f"xlsales {args[0]}"
    first, second = result.output.splitlines()
    assert first.startswith(f"错误 / Error: {zh}")
    assert first.endswith(f"：运行 {command} --help 查看用法。")
    assert second.startswith(en) and second.endswith(f" Run {command} --help for usage.")
    assert "Usage:" not in result.output and "Try '" not in result.output


def test_choice_options_take_any_case(tmp_path, sample_books):
    """`--lang EN`, `--by Rep`, `--format CSV`, `--level Team` were refused as invalid
    values: every choice of every command is taken in any case, and reaches the command
    as its lower-case key."""
    import click

    from xlsales.cli import main as group

    for name, command in group.commands.items():
        for param in command.params:
            if isinstance(param.type, click.Choice):
                for value in param.type.choices:
                    ctx = click.Context(command)
                    assert param.type.convert(str(value).upper(), param, ctx) == value, (
                        name, param.name)
    out = tmp_path / "en.xlsx"
    result = run("new", "--lang", "EN", "--level", "Team", "--role", "Manager",
                 "--period", "2026-10", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}  (en, 2026-10 month, team, manager")
    assert info_of(out)["level"] == "Team" and openpyxl.load_workbook(out).sheetnames[1] == "Info"
    by_rep = run("kpis", str(sample_books["en"]), "--by", "Rep", "--lang", "ZH")
    assert by_rep.exit_code == 0 and "\n销售人员 " in by_rep.stdout, by_rep.output
    exported = run("export", str(sample_books["en"]), "-o", str(tmp_path / "e"),
                   "--format", "CSV", "--tables", "kpis")
    assert exported.exit_code == 0 and (tmp_path / "e" / "kpis.csv").exists(), exported.output


def test_errors_are_said_in_english_first_for_an_english_user(tmp_path, sample_books):
    """With --lang en, or on an English book, every error began with a Chinese line
    (错误 / Error: <zh>, the English after it): the language asked for, else the
    book's once read, comes first; Chinese first when neither is known."""
    def lines(*args):
        result = CliRunner().invoke(main, list(args), prog_name="xlsales")
        assert result.exit_code == 2, result.output
        return [line for line in result.output.splitlines() if not line.startswith("[")]

    first, second = lines("new", "--lang", "en", "--period", "2026-13")
    assert first.startswith(
        "Error / 错误: Cannot read the period '2026-13': write 2026-11, Nov 2026 ")
    assert second.startswith("无法识别的周期 “2026-13”")
    assert lines("new", "--period", "2026-13")[0].startswith("错误 / Error: 无法识别的周期")
    # a usage error, before click has read --lang
    assert lines("new", "--lang=EN", "--bogus")[0] == \
        "Error / 错误: No such option '--bogus'. Run xlsales new --help for usage."
    assert lines("new", "--lang", "zh", "--bogus")[0].startswith("错误 / Error: 没有选项")
    # plan has no --lang: an error found once the book is read is in the book's language
    out = str(tmp_path / "p.xlsx")
    en = lines("plan", str(sample_books["en"]), "-o", out, "--target", "US$5")
    assert en[0].startswith("Error / 错误: --target 'US$5' is in USD") and "USD 金额" in en[1]
    zh = lines("plan", str(sample_books["zh"]), "-o", out, "--target", "US$5")
    assert zh[0].startswith("错误 / Error: --target 'US$5' 是 USD 金额")
    # --lang wins over the book's
    assert lines("kpis", str(sample_books["en"]), "--lang", "zh", "--period", "2026-13")[0] \
        .startswith("错误 / Error: ")


def test_kpis_refuse_a_book_whose_activities_lack_their_type(sample_books, tmp_path):
    """Activities' 类型 renamed: kpis printed visits 0 (10 visits were typed), exit 0, and
    the export shipped it to finance; the KPIs are refused as for a Sales column."""
    book = tmp_path / "act.xlsx"
    with_header_renamed(sample_books["zh"], book, "Activities", "类型", "活动方式")
    result = run("kpis", str(book))
    assert result.exit_code == 2 and "The KPIs cannot be computed without it" in result.output


def test_an_amount_too_large_for_any_number_is_an_error_not_a_traceback(tmp_path):
    """'1e400' typed as an amount read as infinity: `kpis` printed 销售额 inf and `plan`
    ended in an OverflowError traceback; validate said nothing."""
    from xlsales.build.workbook import build_workbook
    from xlsales.sample import sample_workbook_data
    from xlsales.spec import SPEC

    book = tmp_path / "huge.xlsx"
    build_workbook(book, team_options("zh"), sample_workbook_data("zh"))
    wb = openpyxl.load_workbook(book)
    ws = wb[SPEC.sheet("sales").name.zh]
    amount = 1 + SPEC.table("Sales").keys.index("amount")
    ws.cell(5, amount).value = "1e400"
    wb.save(book)
    found = CliRunner().invoke(main, ["validate", str(book), "--json"])
    cell = f"{openpyxl.utils.get_column_letter(amount)}5"
    assert found.exit_code == 1
    assert any(f["cell"] == cell and f["severity"] == "error"
               for f in json.loads(found.stdout)["findings"])
    for command in (["kpis", str(book)], ["plan", str(book), "-o", str(tmp_path / "p.xlsx")]):
        result = CliRunner().invoke(main, command)
        assert result.exception is None or isinstance(result.exception, SystemExit), command
        assert "inf" not in result.stdout.split(), command


def test_output_cut_by_a_closed_pipe_is_never_a_success(sample_books):
    """`xlsales consolidate … | head` exited 0 now and then: a roll-up missing a member
    passed a `pipefail` script as complete. Output whose reader went away stops quietly
    with 141 (128 + SIGPIPE, as a shell reports it), not 0."""
    import shutil

    command = [shutil.which("xlsales") or "xlsales", "kpis", str(sample_books["zh"]),
               "--by", "month"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # `head` read what it wanted and left before the output came
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141, err.decode()
    assert b"Traceback" not in err
