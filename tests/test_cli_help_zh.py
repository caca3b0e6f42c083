"""``--help`` in Chinese for a Chinese-speaking user: asked for with ``--lang zh``, the
``XLSALES_LANG`` variable or a Chinese terminal locale; Traditional for Taiwan and Hong
Kong; English, as before, otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from tests.fresh_python import last_line
from xlsales.cli import main
from xlsales.cli_help import chinese_option, command_key, option_key
from xlsales.cli_help_lang import help_language, language_named, windows_language
from xlsales.cli_help_zh import COMMANDS, OPTIONS
from xlsales.text_width import display_width

#: No language said anywhere: the variables a test sets start from this.
UNSET = {"XLSALES_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def help_of(*args: str, **env: str):
    result = CliRunner().invoke(main, list(args), env={**UNSET, **env})
    assert result.exit_code == 0, result.output
    return result.output


def commands() -> list[click.Command]:
    return [main, *main.commands.values()]


def test_every_command_and_option_has_its_chinese():
    """A new command or option without its Chinese fails here, not in a user's terminal;
    a translation left for an option that is gone does too."""
    keys = set()
    for command in commands():
        assert command_key(command) in COMMANDS, command.name
        for param in command.params:
            if isinstance(param, click.Option):
                keys.add((command_key(command), option_key(param)))
                assert chinese_option(command, param), (command.name, param.opts)
    assert set(OPTIONS) == keys
    assert set(COMMANDS) == {command_key(c) for c in commands()}


@pytest.mark.parametrize(("args", "env"), [
    (["consolidate", "--help"], {"XLSALES_LANG": "zh"}),
    (["consolidate", "--lang", "zh", "--help"], {}),
    (["--lang", "zh", "consolidate", "--help"], {"LANG": "en_US.UTF-8"}),
    (["consolidate", "--help"], {"LANG": "zh_CN.UTF-8"}),
    (["consolidate", "--help"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"})])
def test_consolidate_help_in_chinese(args, env):
    """A sales director reads what consolidate does, its options and its exit codes."""
    text = help_of(*args, **env)
    assert text.startswith("用法：main consolidate [选项] BOOKS...\n")
    assert "合并汇总" in text and "\n选项：\n" in text
    flat = "".join(text.split())
    assert "退出码0：所有成员都已合并（副本和旧版本已排除）；2：有成员" in flat
    assert "-o,--outputPATH要写出的合并汇总工作簿（.xlsx）。[必填]" in flat
    assert "[默认：team]" in flat and "显示本帮助并退出。" in flat
    assert "Show this message" not in text and "Exit code" not in text


def test_english_help_is_as_before_without_a_chinese_setting():
    """An English terminal, no setting at all, or --lang en on a Chinese terminal: the
    English help, word for word the same."""
    english = help_of("consolidate", "--help", LANG="en_US.UTF-8")
    assert english.startswith("Usage: main consolidate [OPTIONS] BOOKS...\n")
    assert "Exit code 0: every member rolled up" in english
    assert "[required]" in english and "Show this message and exit." in english
    assert help_of("consolidate", "--help") == english
    assert help_of("consolidate", "--help", LANG="C.UTF-8", XLSALES_LANG="") == english
    assert help_of("consolidate", "--lang", "en", "--help", LANG="zh_CN.UTF-8") == english
    assert help_of("consolidate", "--help", XLSALES_LANG="en", LANG="zh_CN.UTF-8") == english
    assert help_of("consolidate", "--help", LC_ALL="en_US.UTF-8", LANG="zh_CN") == english


def test_english_help_says_how_to_get_chinese():
    assert "中文帮助：xlsales --lang zh --help，或设置 XLSALES_LANG=zh。" in help_of("--help")


@pytest.mark.parametrize("env", [{"LANG": "zh_TW.UTF-8"}, {"LANG": "zh_HK.UTF-8"},
                                 {"XLSALES_LANG": "zh-TW"}, {"XLSALES_LANG": "zh-Hant"}])
def test_taiwan_and_hong_kong_read_traditional(env):
    text = help_of("consolidate", "--help", **env)
    assert text.startswith("用法：main consolidate [選項] BOOKS...\n")
    assert "合併彙總" in text and "\n選項：\n" in text and "[預設：team]" in text
    assert "退出碼 0：" in text
    assert not [w for w in ("选项", "合并", "汇总", "默认", "退出码") if w in text]


def test_lang_zh_keeps_a_taiwan_terminal_in_traditional():
    assert "\n選項：\n" in help_of("validate", "--lang", "zh", "--help", LANG="zh_TW.UTF-8")


@pytest.mark.parametrize("lang", [{"LANG": "zh_CN.UTF-8"}, {"LANG": "zh_TW.UTF-8"}])
def test_every_chinese_help_page_fits_the_terminal(lang):
    """A Chinese character takes two columns: click counted one, and its lines ran past
    the window's edge (80 columns). No line starts with a closing mark either."""
    pages = [[], *([name] for name in main.commands)]
    for page in pages:
        text = help_of(*page, "--help", **lang)
        assert "Usage" not in text and "Options" not in text, page
        for line in text.splitlines():
            assert display_width(line) <= 80, (page, line)
            assert not line.strip().startswith(("，", "。", "）", "、", "：", "；")), (page, line)


def test_command_list_in_chinese():
    text = help_of("--help", XLSALES_LANG="zh")
    assert "\n命令：\n" in text
    assert "  consolidate      把各成员的工作簿合并汇总为一个，并把下期计划分解到各成员。\n" in text
    assert "English help: xlsales --lang en --help" in text


@pytest.mark.parametrize("command", ["plan", "import", "build-templates"])
def test_lang_asks_for_the_help_of_a_command_without_lang(command):
    """`xlsales plan --lang zh --help`: plan has no --lang, yet the help is asked for in
    Chinese (it said 'No such option: --lang')."""
    assert help_of(command, "--lang", "zh", "--help").startswith(f"用法：main {command} [选项]")


def test_lang_without_help_is_still_unknown_to_plan(tmp_path):
    result = CliRunner().invoke(main, ["plan", str(tmp_path / "x.xlsx"), "--lang", "zh"],
                                env=UNSET)
    assert result.exit_code == 2 and "没有选项 --lang" in result.output


def test_lang_before_the_command_is_its_lang(tmp_path):
    """`xlsales --lang en new …`: the help's --lang given before the command is the
    command's own (an English workbook), not ignored."""
    out = tmp_path / "n.xlsx"
    result = CliRunner().invoke(main, ["--lang", "en", "new", "--period", "2026-10",
                                       "-o", str(out)], env=UNSET)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[1] == "Info"


@pytest.mark.parametrize(("value", "lang"), [
    ("zh_CN.UTF-8", "zh"), ("zh_SG.GB2312", "zh"), ("zh", "zh"), ("zh-Hans", "zh"),
    ("zh_TW.UTF-8", "zh-Hant"), ("zh_HK.Big5", "zh-Hant"), ("zh-MO", "zh-Hant"),
    ("zh-Hant", "zh-Hant"), ("zh_Hant_TW", "zh-Hant"), ("en_US.UTF-8", "en"),
    ("fr_FR", "en"), ("C", None), ("POSIX", None), ("", None)])
def test_locale_names(value, lang):
    assert language_named(value) == lang


@pytest.mark.parametrize(("langid", "lang"), [
    (0x0804, "zh"), (0x1004, "zh"), (0x0004, "zh"), (0x0404, "zh-Hant"),
    (0x0C04, "zh-Hant"), (0x1404, "zh-Hant"), (0x7C04, "zh-Hant"), (0x0409, "en"),
    (0x0411, "en")])
def test_windows_display_languages(langid, lang):
    assert windows_language(langid) == lang


def test_which_setting_wins():
    assert help_language(None, {}) == "en"
    assert help_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert help_language(None, {"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}) == "en"
    assert help_language(None, {"LANG": "zh_CN.UTF-8", "XLSALES_LANG": "en"}) == "en"
    assert help_language("en", {"XLSALES_LANG": "zh"}) == "en"
    assert help_language("zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert help_language("zh", {"LANG": "zh_TW.UTF-8"}) == "zh-Hant"


def test_help_stays_fast():
    """--help imports no pandas, in Chinese and in Traditional alike."""
    code = ("import sys; from xlsales.cli import main\n"
            "for args in (['--help'], ['consolidate', '--help']):\n"
            "    try: main(args)\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))")
    for lang in ("zh_CN.UTF-8", "zh_TW.UTF-8"):
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        assert last_line(code, {**env, "LANG": lang}) == "[]"


def test_readme_shows_the_chinese_help_as_printed():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ XLSALES_LANG=zh xlsales validate --help\n")
    shown = readme[start:readme.index("```", start)].splitlines()[1:]
    result = CliRunner().invoke(main, ["validate", "--help"], prog_name="xlsales",
                                env={**UNSET, "XLSALES_LANG": "zh"},
                                terminal_width=78)  # click's width in an 80-column window
    assert result.output.splitlines() == shown


def test_starting_the_cli_loads_no_importer():
    """`xlsales validate` (any command but import) starts without loading the CRM
    importer's modules: each button click is a fresh Python, and they took 30–60 ms."""
    code = ("import sys; import xlsales.cli\n"
            "print(sorted(m for m in sys.modules if m.startswith(('xlsales.import_run', "
            "'xlsales.importer', 'xlsales.import_mapping'))))")
    assert last_line(code) == "[]"
