"""``xlsales import`` of a Chinese team's CRM export whose owners are email addresses
spelling the rep's name in pinyin (``zhang.wei@corp.cn`` for 张伟). Real files through
the real command."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import team_options
from test_import import all_sales, run, write_csv
from test_import_crm_exports import ZH

from xlsales.build.workbook import build_workbook
from xlsales.periods import Period
from xlsales.workbook_data import WorkbookData


def _book(path: Path, reps: list[str]) -> Path:
    """A blank Chinese book for 2026-11 whose settings list the reps ``reps``."""
    build_workbook(path, replace(team_options("zh"), period=Period.parse("2026-11")),
                   WorkbookData(lists={"rep": reps}))
    return path


def _export(path: Path, owners: list[str]) -> Path:
    return write_csv(path, ZH, [
        [f"P-{i}", owner, "标准版", "1000", "赢单", "2026-11-03", f"客户{i}"]
        for i, owner in enumerate(owners)])


def test_an_owner_exported_as_the_reps_pinyin_address_is_that_rep(tmp_path: Path) -> None:
    """A Chinese CRM exports the owner 张伟 as ``zhang.wei@corp.cn``, ``zhangwei@…`` or
    ``wei.zhang@…``: each row was imported under the address, a rep the book does not
    list (flagged on every row, counted under no rep), and the report said to give
    ``--map rep=…``. When one listed rep's name is the address in pinyin (吕 as ``lv`` or
    ``lu`` too), the row is that rep's, and the report says each address so read."""
    owners = ["zhang.wei@corp.cn", "zhangwei@corp.cn", "Wei.Zhang@corp.cn", "lu.fang@corp.cn",
              "jdoe@corp.cn"]
    book = _book(tmp_path / "team.xlsx", ["张伟", "吕方", "王芳"])
    result = run(_export(tmp_path / "crm.csv", owners), "--into", book)
    assert result.exit_code == 0, result.output
    assert all_sales(book)["rep"].tolist() == ["张伟", "张伟", "张伟", "吕方", "jdoe@corp.cn"]
    for address, rep in zip(owners[:4], ["张伟", "张伟", "张伟", "吕方"], strict=True):
        assert f"负责人邮箱 {address} 按拼音对应为销售人员 {rep}，请核对。" in result.stdout
    # jdoe fits no rep: listed as a rep the book lacks, saying how to name the owner
    assert "销售人员 jdoe@corp.cn（1 行）" in result.stdout
    assert "销售人员 zhang.wei@corp.cn" not in result.stdout


def test_an_address_two_listed_reps_spell_alike_is_not_guessed(tmp_path: Path) -> None:
    """张伟 and 章伟 are both ``zhang.wei``: the address stays as exported (no rep is
    guessed, with ``--rep 张伟`` neither), and the report names the reps it fits."""
    book = _book(tmp_path / "team.xlsx", ["张伟", "章伟", "王芳"])
    export = _export(tmp_path / "crm.csv", ["zhang.wei@corp.cn", "wang.fang@corp.cn"])
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert all_sales(book)["rep"].tolist() == ["zhang.wei@corp.cn", "王芳"]
    assert ("负责人邮箱 zhang.wei@corp.cn 的拼音与多名销售人员相符（张伟、章伟），未作猜测"
            in result.stdout)
    only = run(export, "--into", _book(tmp_path / "mine.xlsx", ["张伟", "章伟"]),
               "--rep", "张伟")
    assert only.exit_code == 2, only.output  # no row is 张伟's: refused, as a typo is
    assert "没有 --rep 给出的销售人员：张伟" in only.output


def test_rep_given_in_chinese_takes_the_rows_of_its_pinyin_address(tmp_path: Path) -> None:
    """``--rep 张伟`` into a book whose list does not name him: the rows of
    ``zhang.wei@corp.cn`` were refused as no row of his; they are his."""
    book = _book(tmp_path / "zhang.xlsx", [])
    export = _export(tmp_path / "crm.csv", ["zhang.wei@corp.cn", "li.na@corp.cn"])
    result = run(export, "--into", book, "--rep", "张伟")
    assert result.exit_code == 0, result.output
    assert all_sales(book)["rep"].tolist() == ["张伟"]
    assert "负责人邮箱 zhang.wei@corp.cn 按拼音对应为销售人员 张伟" in result.stdout
