# ruff: noqa: F811  (the fixture imported from the module that defines it)
"""A roll-up written in Traditional (most members' books are) notes on its ranking sheet,
per member, in Traditional too: a member left out says why (已合併 / 未合併：它的全部訂單也在
…), the files and owners it names as they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from opencc import OpenCC
from test_traditional_build import member_folders  # noqa: F401  (a fixture)

from xlsales.cli import main

TO_TW = OpenCC("s2tw").convert


def test_a_traditional_rollups_ranking_notes_are_traditional(member_folders,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "members"
    shutil.copytree(member_folders["tw"], folder)
    first = sorted(folder.iterdir())[0]
    shutil.copy(first, folder / f"copy-{first.name}")  # left out: a copy of a member
    out = tmp_path / "team.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ranking = wb["成員排名"]
    rows = [r for r in ranking.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "銷售額排名")
    at = header.index("狀態"), header.index("文件")
    statuses = {r[at[1]]: r[at[0]] for r in rows[rows.index(header) + 1:] if r[at[0]]}
    files = [p.name for p in folder.iterdir()]
    owner = first.stem
    pair = [first.name, f"copy-{first.name}"]  # one of the two is set aside, naming the other
    left = [f for f in pair if statuses[f].startswith("未合併：")]
    assert len(left) == 1, statuses
    assert ({*pair} - {left[0]}).pop() in statuses[left[0]], statuses
    for status in statuses.values():  # 已合併 for the others
        kept = status
        for name in [*files, owner, TO_TW(owner)]:
            kept = kept.replace(name, "")
        assert TO_TW(kept) == kept, status
