"""``xlsales import`` of CRM exports: what the first round of CRM exports left (owners as
email addresses with ``--rep``, a units row under the header, a decimal-comma amount in
another currency, one weekday settling a column's slashed dates). Real files through the
real command."""

from __future__ import annotations

from pathlib import Path

from test_import import all_sales, run, write_csv
from test_import_crm_exports import ZH, _into_new_book

from xlsales.io.reader import read_workbook
from xlsales.sample import REPS
from xlsales.validation import validate

EN = ["Record ID", "Deal Owner", "Associated Company", "Deal Stage", "Amount", "Close Date"]


def test_rep_named_with_rep_takes_the_owners_exported_as_email_addresses(
        tmp_path: Path) -> None:
    """HubSpot exports owners as ``alice.chen@corp.com``: ``--rep "Alice Chen"`` was
    refused (exit code 2) as a rep no row holds, the addresses being matched to names
    only after the ``--rep`` filter. Alice's rows import, written as ``--rep`` names her;
    the other owner's are counted."""
    export = write_csv(tmp_path / "hubspot.csv", EN, [
        ["H-1", "alice.chen@corp.com", "Co 1", "Closed Won", "100", "2026-11-03"],
        ["H-2", "Wang.Ben@corp.com", "Co 2", "Closed Won", "200", "2026-11-04"],
        ["H-3", "Chen.Alice@corp.com", "Co 3", "Closed Won", "300", "2026-11-05"]])
    book, result = _into_new_book(export, "--rep", "Alice Chen", lang="en")
    assert result.exit_code == 0, result.output
    assert "imported 2 rows, skipped 0" in result.stdout
    assert "1 row of other reps not imported (--rep Alice Chen)." in result.stdout
    got = all_sales(book)
    assert got["order_id"].tolist() == ["H-1", "H-3"]
    assert got["rep"].tolist() == ["Alice Chen", "Alice Chen"]


def test_a_units_row_under_the_header_is_part_of_the_header(tmp_path: Path) -> None:
    """Chinese CRMs and ERPs export a units row under the header (``,,,元,,,``): it was
    skipped as a record lacking every field, exit code 1. It is read with the header:
    ``元`` and ``万元`` as a unit the header gives (万元 multiplies by 10,000); ``CNY`` as
    the amounts' currency, the book's (another is: tests/test_import_units_currency.py),
    so nothing is set aside."""
    rows = [["S-1", REPS["zh"][0], "标准版", "1.2", "赢单", "2026-11-03", "华星"]]
    got = {}
    for unit in ("元", "万元", "CNY"):
        export = tmp_path / f"units-{unit}.csv"
        write_csv(export, ZH, [["", "", "", unit, "", "", ""], *rows])
        book, result = _into_new_book(export)
        assert result.exit_code == 0, result.output
        assert "导入 1 行，跳过 0 行" in result.stdout
        got[unit] = all_sales(book)["amount"].tolist()
        assert "未采用的单位" not in result.stdout
    assert got == {"元": [1.2], "万元": [12000], "CNY": [1.2]}


def test_a_decimal_comma_amount_in_another_currency_is_said_to_be_in_it(
        tmp_path: Path) -> None:
    """``1.234,50 €`` in an export whose other amounts have a decimal point is imported as
    exported and flagged: the import's and validation's message said to type 1234.50,
    nothing of the euro, so the rep typed 1234.50 and it counted as yuan. Both say it is
    in EUR, not the book's CNY, as a typed ``US$`` amount is said; an amount marked with
    the book's own currency (``元``) is not."""
    export = write_csv(tmp_path / "mixed.csv", ZH, [
        ["X-1", REPS["zh"][0], "标准版", "¥1,234.50", "赢单", "2026-11-03", "甲"],
        ["X-2", REPS["zh"][0], "标准版", "1.234,50 €", "赢单", "2026-11-04", "乙"],
        ["X-3", REPS["zh"][0], "标准版", "2.345,50 元", "赢单", "2026-11-05", "丙"]])
    book, result = _into_new_book(export)
    other = "且是 EUR 金额，但本工作簿的币种是 CNY：若是 1234.50 EUR，请换算成 CNY 后"
    said = [line for line in result.stdout.splitlines() if "行：无法读取" in line]
    assert said[0].startswith("    第 3 行：无法读取：金额 '1.234,50 €'（"), said
    assert [other in line for line in said] == [True, False], said
    flagged = [f for f in validate(read_workbook(book)) if f.rule == "decimal_comma"]
    assert [f.value for f in flagged] == ["1.234,50 €", "2.345,50 元"]
    assert [other in f.message_zh for f in flagged] == [True, False], flagged
    assert ("and is in EUR, but this workbook is in CNY: if it is 1234.50 EUR, convert it to "
            "CNY and type the number") in flagged[0].message_en


def _closing_on(path: Path, dates: list[str]) -> Path:
    """A Salesforce export at ``path`` of one won deal closing on each of ``dates``."""
    header = ["Opportunity ID", "Opportunity Owner", "Account Name", "Stage", "Amount",
              "Close Date"]
    return write_csv(path, header, [[f"US-{i}", REPS["en"][0], f"Acme {i}", "Closed Won",
                                     "100", d] for i, d in enumerate(dates)])


def test_one_weekday_settles_the_order_of_its_columns_slashed_dates(tmp_path: Path) -> None:
    """``11/03/2026 Tue`` can only be 3 November, but it settled its own row only: the
    column's other dates (``11/05/2026``) were skipped as 'day or month first?'. The
    weekday settles the column, and the report says so; a date proving the other order
    (``13/05/2026``) settles it as before (the weekday's row is skipped, its day not
    fitting), and ``--date-order dmy`` is refused beside the weekday."""
    dates = ["11/03/2026 Tue", "11/05/2026", "11/06/2026"]
    export = _closing_on(tmp_path / "us.csv", dates)
    book, result = _into_new_book(export, lang="en")
    assert result.exit_code == 0, result.output
    assert "imported 3 rows, skipped 0" in result.stdout
    assert ("Date (Close Date): read as month/day/year: the day of the week beside a date "
            "of this column fits it read month first only") in result.stdout
    assert [d.isoformat() for d in all_sales(book)["date"]] == [
        "2026-11-03", "2026-11-05", "2026-11-06"]
    refused = run(export, "--into", book, "--date-order", "dmy")
    assert refused.exit_code == 2, refused.output
    assert ("--date-order dmy does not fit the export: 11/03/2026 Tue in column 'Close "
            "Date' can only be month first.") in refused.output

    mixed = _closing_on(tmp_path / "mixed.csv", [*dates, "13/05/2026"])
    mixed_book, result = _into_new_book(mixed, lang="en")
    assert result.exit_code == 1, result.output
    assert "row 2: unreadable: Date '11/03/2026 Tue'" in result.stdout
    assert ("read as day/month/year: other dates of this column can only be day first"
            in result.stdout)
    assert [d.isoformat() for d in all_sales(mixed_book)["date"]] == [
        "2026-05-11", "2026-06-11", "2026-05-13"]
