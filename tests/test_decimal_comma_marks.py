"""A number only a decimal comma writes is told one way where an export's decimal mark is
decided (:func:`~xlsales.parse_numbers.decimal_mark`) and where a value is read or
flagged with it (:func:`~xlsales.parse_numbers.decimal_comma`): ``1.234,567`` (dots
between thousands, then a comma) is 1234.567 in both."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from test_import import all_sales, write_csv
from test_import_crm_exports import ZH, _into_new_book

from xlsales.parse_numbers import decimal_comma, decimal_mark
from xlsales.sample import REPS


@given(st.text(alphabet="0123456789.,  -", min_size=1, max_size=12))
@example("1.234,567")
@example("1 234,5678 €")
def test_a_number_said_to_have_a_decimal_comma_is_read_with_one(text: str) -> None:
    """Two pattern sets disagreed: ``1.234,567`` proved an export writes decimal commas,
    yet the same value was not read as one (flagged as unreadable, with no advice)."""
    assert (decimal_mark(text) == ",") == (decimal_comma(text) is not None), text


def test_three_decimals_after_dotted_thousands_are_a_decimal_comma(tmp_path: Path) -> None:
    """``1.234,567`` can only be European (a point-writer never writes a comma after a
    dot): 1234.567. In an export whose other numbers have decimal points it is flagged,
    as any decimal-comma number then is, saying what to type; in an export of decimal
    commas it is read so."""
    assert decimal_comma("1.234,567") == "1234.567"
    assert decimal_comma("1 234,567 €") == "1234.567"
    rep = REPS["zh"][0]
    mixed = write_csv(tmp_path / "mixed.csv", ZH, [
        ["M-1", rep, "标准版", "1,200.50", "赢单", "2026-11-03", "甲"],
        ["M-2", rep, "标准版", "1.234,567", "赢单", "2026-11-04", "乙"]])
    _, result = _into_new_book(mixed)
    assert "若是 1234.567，请在工作簿中改为 1234.567" in result.stdout, result.stdout
    european = write_csv(tmp_path / "eu.csv", ZH, [
        ["E-1", rep, "标准版", "1.234,567", "赢单", "2026-11-03", "甲"]])
    book, result = _into_new_book(european)
    assert result.exit_code == 0, result.output
    assert "数字按逗号作小数点读取" in result.stdout
    assert all_sales(book)["amount"].tolist() == [1234.567]
