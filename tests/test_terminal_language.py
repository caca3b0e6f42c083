# ruff: noqa: F811  (the fixtures imported from the modules that define them)
"""The terminal speaks the user's language: `new` names a Chinese workbook in Chinese,
and the progress lines on stderr follow the language the rest of the command speaks —
the book's once it is read (a Traditional book's in Traditional), ``--lang`` where the
command has one, both (Chinese first) before either is known."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from opencc import OpenCC
from test_traditional_output import taiwan_book  # noqa: F401  (a fixture)

from xlsales.cli import main

_HAN = re.compile(r"[\u3400-\u9fff]")
TO_TW = OpenCC("s2tw").convert


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def tagged(text: str, tag: str) -> list[str]:
    """The progress lines of command ``tag`` in ``text``."""
    return [line for line in text.splitlines() if line.startswith(f"[{tag}] ")]


def test_new_names_a_chinese_workbook_in_chinese(tmp_path: Path) -> None:
    """王芳's `new` said `(zh, 2026-11 month, individual, rep; Chinese workbook: …)`:
    in Chinese now, with the spec's labels for the period type, level and role."""
    out = tmp_path / "wang.xlsx"
    zh = run("new", "--owner", "王芳", "--period", "2026-11", "-o", out)
    assert zh.stdout == f"{out}  （中文，2026-11 月度，个人，一线销售；英文工作簿请加 --lang en）\n"
    team = run("new", "--lang", "zh", "--period", "2026-Q4", "--level", "team", "--role",
               "manager", "-o", out, "--force")
    assert team.stdout == f"{out}  （中文，2026-Q4 季度，团队，销售经理）\n"
    en = run("new", "--lang", "en", "--owner", "Dana", "--period", "2026-11", "-o", out,
             "--force")
    assert en.stdout == f"{out}  (en, 2026-11 month, individual, rep)\n"


def test_new_says_a_chinese_xlsms_buttons_in_chinese(tmp_path: Path) -> None:
    """The line on the buttons of a macro-enabled book follows its language too."""
    out = tmp_path / "m.xlsm"
    zh = run("new", "--period", "2026-11", "-o", out).stdout.splitlines()
    assert zh[1].startswith("  按钮：") and zh[1].endswith("；见 docs/excel.md"), zh
    en = run("new", "--lang", "en", "--period", "2026-11", "-o", out, "--force").stdout
    assert en.splitlines()[1].startswith("  buttons: ") and not _HAN.search(en), en


def test_plan_progress_is_in_the_books_language(sample_books, tmp_path: Path) -> None:
    """In the book's language alone, from the line said before it is read (its sheet
    names say which) to the last."""
    for lang in ("zh", "en"):
        book = tmp_path / f"{lang}.xlsx"
        book.write_bytes(sample_books[lang].read_bytes())
        lines = tagged(run("plan", book).stderr, "plan")
        assert lines[0] == (f"[plan] 正在读取 {book.name} …" if lang == "zh"
                            else f"[plan] reading {book.name} ...")
        after = lines[1:]
        assert len(after) == 2, lines
        if lang == "zh":
            assert after == ["[plan] 正在制定 2026-11 的计划 …", "[plan] 正在写入计划工作表 …"]
        else:
            assert after == ["[plan] generating the plan for 2026-11 ...",
                             "[plan] writing the plan sheets ..."]


def test_a_traditional_books_progress_is_in_traditional(taiwan_book: Path) -> None:
    """From the first line, said before the book is read (its sheet names say its
    script), to the last: the Chinese in Traditional, the file's name as typed."""
    lines = tagged(run("plan", taiwan_book).stderr, "plan")
    assert lines[0] == f"[plan] 正在讀取 {taiwan_book.name} …"
    assert all(_HAN.search(line) and TO_TW(line) == line for line in lines[1:]), lines


def test_import_progress_is_in_the_books_language(sample_books, tmp_path: Path) -> None:
    """Reading the export and the book, the rows appended: in the book's language."""
    for lang, appending in (("zh", "[import] 正在向 {book} 追加 1 行 …"),
                            ("en", "[import] appending 1 row to {book} ...")):
        book = tmp_path / f"{lang}.xlsx"
        book.write_bytes(sample_books[lang].read_bytes())
        export = tmp_path / f"{lang}.csv"
        rep = "王芳" if lang == "zh" else "Wang Fang"
        export.write_text("order_id,date,rep,customer,amount,stage\n"
                          f"NEW-1,2026-10-20,{rep},ACME,100,won\n", encoding="utf-8")
        lines = tagged(run("import", export, "--into", book).stderr, "import")
        assert lines[0] == (f"[import] 正在读取 {export} …" if lang == "zh"
                            else f"[import] reading {export} ...")
        assert lines[-1] == appending.format(book=book)
        assert len(lines) == 3 and all(bool(_HAN.search(line)) == (lang == "zh")
                                       for line in lines), lines


def test_demo_progress_is_in_both_languages_without_lang(tmp_path: Path) -> None:
    """`demo` reads no book first: its first lines in both languages, Chinese first;
    with --lang en, in English alone."""
    both = tagged(run("demo", "--out", tmp_path / "both").stderr, "demo")
    assert both[0] == ("[demo] 正在生成 zh 示例团队工作簿 … / building the zh sample team "
                       "workbook ...")
    english = tagged(run("demo", "--out", tmp_path / "en", "--lang", "en").stderr, "demo")
    assert english and not any(_HAN.search(line) for line in english), english


def test_export_progress_follows_lang(sample_books, tmp_path: Path) -> None:
    """`export --lang zh` says its own outputs left out in Chinese alone."""
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(sample_books["zh"].read_bytes())
    args = ["export", folder, "--format", "xlsx", "--tables", "kpis", "-o", folder,
            "--lang", "zh"]
    run(*args)
    again = run(*args)
    assert "[export] 未读取 kpis.xlsx：这是本次导出要写的文件" in again.stderr
    assert "an output of this export" not in again.stderr


def test_consolidate_says_its_steps_in_the_members_language(tmp_path: Path) -> None:
    """王芳's roll-up of Chinese books said `[consolidate] 2/2 read and validated`,
    `writing …`, `planning …`: its steps are in Chinese now (``--lang en``: English)."""
    from xlsales.build.workbook import build_workbook
    from xlsales.sample import SAMPLE_PERIOD, sample_members
    from xlsales.workbook_data import BuildOptions

    paths = []
    for rep, member in list(sample_members("zh").items())[:2]:
        path = tmp_path / f"{rep}.xlsx"
        build_workbook(path, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), member)
        paths.append(path)
    zh = tagged(run("consolidate", *paths, "-o", tmp_path / "team.xlsx").stderr, "consolidate")
    assert any("已读取并校验" in line for line in zh), zh
    assert any("正在写入 team.xlsx" in line for line in zh), zh
    assert any("计划" in line for line in zh), zh
    assert not [line for line in zh if re.search("written|writing|planning|plan added", line)]
    en = tagged(run("consolidate", *paths, "-o", tmp_path / "team_en.xlsx", "--lang", "en")
                .stderr, "consolidate")
    assert any("read and validated" in line for line in en), en
    assert not [line for line in en if _HAN.search(line.replace("team_en", ""))], en
