"""A user's workbook whose Excel Table is gone (renamed, converted to a range): appending
rows to it (``xlsales import``) and restoring its formulas (``validate --write``) stop
with a message naming the table, in Chinese and in English, and leave the file as it was."""

from __future__ import annotations

import pytest
from test_package_append import parts, simple_table_book

from xlsales.errors import WorkbookError
from xlsales.io.package import WorkbookPackage


@pytest.mark.parametrize("edit", [
    lambda pkg: pkg.append_table_rows("Sales", ["id", "value"], [("new", 7)]),
    lambda pkg: pkg.restore_formulas("Sales", {4: "T[[#This Row],[value]]*2"}, [4]),
], ids=["append_table_rows", "restore_formulas"])
def test_a_table_not_there_is_named_and_the_file_untouched(tmp_path, edit) -> None:
    path = simple_table_book(tmp_path / "t.xlsx", data_rows=2, blank_rows=0)
    before = parts(path)
    with WorkbookPackage.open(path) as pkg, pytest.raises(WorkbookError) as caught:
        edit(pkg)
    assert caught.value.zh == "工作簿中没有名为 “Sales” 的表格（Excel 表）。"
    assert caught.value.en == "The workbook has no Excel Table named 'Sales'."
    assert parts(path) == before
