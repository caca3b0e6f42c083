"""``xlsales import`` of an export naming each row's currency in a column of its own
(Salesforce's ``Amount Currency``, HubSpot's ``Currency``, 币种, 货币): USD amounts went
into a CNY book as yuan, the column listed as unused. Such a column is read as a mark in
the amount is: imported as the number, never converted, reported when it is not the
book's currency; of an original and a converted amount, the one in the book's currency
is taken."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from test_import import all_sales, run, write_csv
from test_import_taiwan import taiwan_book
from test_package_append import blank_book

from xlsales.sample import REPS

SF = ["Opportunity ID", "Close Date", "Opportunity Owner", "Account Name", "Stage Name",
      "Amount Currency", "Amount", "Amount (converted) Currency", "Amount (converted)"]


def _sf_rows(converted_currency: str = "CNY") -> list[list[str]]:
    rep = REPS["zh"][0]
    return [["CV-1", "2026-10-05", rep, "甲", "Closed Won", "USD", "5000", converted_currency,
             "35500"],
            ["CV-2", "2026-10-06", rep, "乙", "Closed Won", "CNY", "2000", converted_currency,
             "2000"]]


def test_salesforce_converted_amount_in_the_books_currency_is_taken(tmp_path: Path) -> None:
    """Amount (converted) in CNY for a CNY book: its amounts are imported, not the
    original USD ones, and the field mapping says why; nothing is in another currency."""
    export = write_csv(tmp_path / "sf.csv", SF, _sf_rows())
    book = blank_book(tmp_path / "b.xlsx")
    result = run(export, "--into", book)
    out = result.stdout
    assert "导入 2 行，跳过 0 行" in out, result.output
    assert ("金额 ← Amount (converted)（Amount (converted) Currency 注明为工作簿的币种 CNY，"
            "故取此列而非 Amount）") in out
    assert "金额的币种 ← Amount (converted) Currency" in out
    assert "工作簿的币种（CNY）不同" not in out
    assert "未使用的导入列：Amount Currency、Amount\n" in out
    assert all_sales(book)["amount"].tolist() == [35500.0, 2000.0]
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    assert ("Amount ← Amount (converted) (in CNY, the workbook's currency, as Amount "
            "(converted) Currency says; rather than Amount)") in run(export, "--into",
                                                                     english).stdout


def test_a_converted_amount_in_another_currency_is_not_taken_and_said(tmp_path: Path) -> None:
    """Converted into EUR for a CNY book: the original amounts stay, the report says the
    converted column is in EUR, and the USD row is reported as a US$ amount is."""
    export = write_csv(tmp_path / "sf.csv", SF, _sf_rows("EUR"))
    book = blank_book(tmp_path / "b.xlsx")
    out = run(export, "--into", book).stdout
    assert ("  导入文件另有金额列“Amount (converted)”，但其币种（Amount (converted) Currency：EUR）"
            "不是工作簿的币种 CNY，未采用；金额取自“Amount”。") in out, out
    assert ("金额所标货币与工作簿的币种（CNY）不同，已连同其货币写入单元格、未换算："
            "USD 1 个（如第 2 行：金额 '5000'，Amount Currency 'USD'，写为 '5,000 USD'）。"
            "校验会在这些单元格报错、"
            "工作簿的 KPI 表不计入，直到换算为 CNY 并只填数值。请核对；若工作簿本就以 USD 记账，"
            "请把“基础信息”表的币种改为 USD。") in out
    assert all_sales(book)["amount"].tolist() == [5000.0, 2000.0]
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    out = run(export, "--into", english).stdout
    assert ("  The export also has 'Amount (converted)' for Amount, but in EUR (by Amount "
            "(converted) Currency), not the workbook's CNY: not used; Amount is from "
            "'Amount'.") in out
    # the converted amount's currency column decided the choice: not listed as unused
    assert "Export columns not used: Amount (converted)\n" in out, out
    assert ("Amounts marked in another currency than the workbook's (CNY), written with their "
            "currency, not converted: USD 1 (e.g. row 2, Amount '5000', Amount Currency "
            "'USD': written '5,000 USD'). Validation flags each cell, and the workbook's KPI "
            "sheet leaves it out, until it is converted to CNY and typed as a number.") in out


def test_a_chinese_currency_column_names_each_rows_currency(tmp_path: Path) -> None:
    """币种 as names, codes and marks: 美元 and US$ are USD, 人民币 and RMB the book's CNY,
    an empty cell says nothing; every row imports with its number, the USD ones are
    reported with a count and the first row; 货币 is read the same."""
    rep = REPS["zh"][0]
    rows = [[f"Z-{i}", "2026-10-07", rep, "丙", "赢单", named, "1000"]
            for i, named in enumerate(["美元", "人民币", "US$", "RMB", "", "usd"])]
    for header in ("币种", "货币"):
        export = write_csv(tmp_path / f"{header}.csv",
                           ["订单编号", "日期", "销售人员", "客户", "阶段", header, "金额"], rows)
        book = blank_book(tmp_path / f"{header}.xlsx")
        result = run(export, "--into", book)
        out = result.stdout
        assert "导入 6 行，跳过 0 行" in out, result.output
        assert f"金额的币种 ← {header}" in out and "未使用的导入列" not in out
        assert ("工作簿的币种（CNY）不同，已连同其货币写入单元格、未换算：USD 3 个（如第 2 行："
                f"金额 '1000'，{header} '美元'，写为 '1,000 USD'）") in out
        assert all_sales(book)["amount"].tolist() == [1000.0] * 6


def test_hubspot_currency_in_a_usd_book_and_currency_mapped_by_hand(tmp_path: Path) -> None:
    """A book kept in USD takes USD rows quietly and reports the CNY one; a column the
    import does not know names the currency with --map currency=…; --map amount=… keeps
    the amount column asked for, and its currency column is still read."""
    header = ["Deal ID", "Close Date", "Deal owner", "Company", "Deal Stage", "Amount",
              "Currency"]
    rep = REPS["zh"][0]
    rows = [["H-1", "2026-10-05", rep, "A", "closedwon", "1000", "USD"],
            ["H-2", "2026-10-06", rep, "B", "closedwon", "700", "CNY"]]
    export = write_csv(tmp_path / "hs.csv", header, rows)
    out = run(export, "--into", taiwan_book(tmp_path / "usd.xlsx", "USD")).stdout
    assert ("金额所标货币与工作簿的币种（USD）不同，已连同其货币写入单元格、未换算："
            "CNY 1 个（如第 3 行：金额 '700'，Currency 'CNY'，写为 '700 CNY'）") in out, out
    other = write_csv(tmp_path / "de.csv", [*header[:-1], "Währung"], rows)
    out = run(other, "--into", blank_book(tmp_path / "de.xlsx"), "--map",
              "currency=währung").stdout
    assert "金额的币种 ← Währung" in out and "USD 1 个（如第 2 行：金额 '1000'，Währung 'USD'，" \
        in out, out
    sf = write_csv(tmp_path / "sf.csv", SF, _sf_rows())
    book = blank_book(tmp_path / "sf.xlsx")
    out = run(sf, "--into", book, "--map", "amount=Amount").stdout
    assert "金额 ← Amount，" in out, out
    assert "USD 1 个（如第 2 行：金额 '5000'，Amount Currency 'USD'，写为 '5,000 USD'）" in out
    assert all_sales(book)["amount"].tolist() == [5000.0, 2000.0]


def test_an_xlsx_export_with_a_currency_column(tmp_path: Path) -> None:
    """Number cells of an xlsx export: the report shows the amount as exported (1000)."""
    export = tmp_path / "crm.xlsx"
    wb = xlsxwriter.Workbook(str(export))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["订单编号", "日期", "销售人员", "客户", "阶段", "金额", "币别"])
    ws.write_row(1, 0, ["X-1", "2026-10-05", REPS["zh"][0], "甲", "赢单", 1000, "HKD"])
    wb.close()
    out = run(export, "--into", blank_book(tmp_path / "b.xlsx")).stdout
    assert "HKD 1 个（如第 2 行：金额 '1000'，币别 'HKD'，写为 '1,000 HKD'）" in out, out


def test_currency_columns_and_values() -> None:
    """A column named after an amount's column names its currency; a record's currency
    column does not name a converted amount's; $ names no one currency."""
    from xlsales.import_currency_column import currency_columns, named_currency

    headers = ["Amount", "Amount (converted)", "Currency", "Amount (converted) Currency"]
    assert currency_columns(headers, {"amount": "Amount"}) == {"amount": "Currency"}
    assert currency_columns(headers, {"amount": "Amount (converted)"}) == {
        "amount": "Amount (converted) Currency"}
    assert currency_columns(["Amount (converted)", "Currency"],
                            {"amount": "Amount (converted)"}) == {}
    assert currency_columns(["成交金额", "成交金额币种", "币种"], {"amount": "成交金额"}) == {
        "amount": "成交金额币种"}
    assert named_currency("美元") == named_currency("US$") == named_currency(" usd ") == \
        frozenset({"USD"})
    assert named_currency("人民幣") == named_currency("RMB") == frozenset({"CNY"})
    assert named_currency("$") is None and named_currency("") is None
    assert named_currency("Dollars") == frozenset({"Dollars"})
