"""``xlsales import`` of exports as Chinese, US and European CRMs give them: dates shown
with their day of the week (钉钉, WPS: ``2026年11月3日 星期二``), a mapping file with a
field misspelt. Real files through the real command."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import Result
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.sample import REPS

ZH = ["订单编号", "销售人员", "产品", "金额", "阶段", "成交日期", "客户名称"]


def _into_new_book(export: Path, *args: str, lang: str = "zh", period: str = "2026-11"
                   ) -> tuple[Path, Result]:
    """A new book for ``period`` in ``lang`` beside ``export`` (``EXPORT-2026-11.xlsx``),
    and what ``xlsales import EXPORT --into BOOK ARGS…`` did."""
    book = blank_book(export.with_name(f"{export.stem}-{period}.xlsx"), lang=lang,
                      period=period)
    return book, run(export, "--into", book, *args)


def test_dates_shown_with_their_day_of_the_week_import_and_a_wrong_day_is_said(
        tmp_path: Path) -> None:
    """Chinese CRMs and WPS export a date with its weekday (``2026年11月3日 星期二``,
    ``2026-11-04（周三）``), English ones before it (``Thu, 5 Nov 2026``): each row was
    skipped as an unreadable date. They import as their dates; a day that is not the
    date's (3 November 2026 is a Tuesday, not a Wednesday) is not guessed: the row is
    skipped saying which day the date is."""
    rep = REPS["zh"][0]
    dates = ["2026年11月3日 星期二", "2026-11-04（周三）", "Thu, 5 Nov 2026",
             "2026/11/6 週五 14:30", "2026年11月3日 星期三"]
    export = write_csv(tmp_path / "dd.csv", ZH, [
        [f"D-{i}", rep, "标准版", "1000", "赢单", d, f"客户{i}"] for i, d in enumerate(dates)])
    book, result = _into_new_book(export)
    assert result.exit_code == 1, result.output
    assert "导入 4 行，跳过 1 行" in result.stdout
    assert ("第 6 行：无法读取：日期 '2026年11月3日 星期三'（2026-11-03 是星期二，不是星期三："
            "请核对日期）") in result.stdout
    got = all_sales(book)
    assert [d.isoformat() for d in got["date"]] == [
        "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]


def test_a_field_misspelt_in_the_mapping_file_is_said_to_be_there_with_the_field_meant(
        tmp_path: Path) -> None:
    """A mapping file naming ``amonut`` was refused as ``crm.csv: Unknown field(s):
    amonut``: the analyst looked for the mistake in the export. The error names the
    mapping file (and ``--map`` for a field misspelt there) and the field meant; a
    column the export lacks is said with the column meant. BOOK is unchanged."""
    rep = REPS["zh"][0]
    export = write_csv(tmp_path / "crm.csv", ZH, [
        ["M-1", rep, "标准版", "1000", "赢单", "2026-11-03", "客户"]])
    book = blank_book(tmp_path / "b.xlsx", period="2026-11")
    before = book.read_bytes()
    mapping = tmp_path / "map.json"
    mapping.write_text('{"amonut": "金额"}', encoding="utf-8")
    result = run(export, "--into", book, "--mapping", mapping, "--map", "custmer=客户名称")
    assert result.exit_code == 2, result.output
    assert ("映射文件 map.json 中的未知字段：amonut（是否为 'amount'？）；--map 中的未知字段："
            "custmer（是否为 'customer'？）。") in result.output
    assert ("Unknown field(s) in the mapping file map.json: amonut ('amount'?); unknown "
            "field(s) in --map: custmer ('customer'?).") in result.output
    assert not [line for line in result.output.splitlines()
                if "crm.csv" in line and "Error" in line]  # the export is not at fault
    result = run(export, "--into", book, "--map", "amount=成交金额")
    assert result.exit_code == 2, result.output
    assert "导入文件中没有映射所指的列：amount=成交金额（是否为 '金额'？）" in result.output
    assert book.read_bytes() == before


def test_a_name_merged_over_a_reps_orders_in_an_xlsx_export_is_every_rows_rep(
        tmp_path: Path) -> None:
    """纷享销客 and 销售易 reports group an owner's orders with the owner's name merged over
    them (B3:B5); the file holds the name in B3 only, and the other rows were skipped
    for lacking their rep. Every row the merge covers imports with the name, and the
    report says which cells were filled; the title merged above the header changes
    nothing, and a merge in another column leaves the cells it does not cover alone."""
    import datetime

    import openpyxl

    rep = REPS["zh"][0]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "商机明细表"
    ws.merge_cells("A1:G1")
    ws.append(["订单编号", "销售负责人", "产品", "商机金额", "阶段", "赢单日期", "客户名称"])
    for i in range(3):
        ws.append([f"G-{i}", rep if i == 0 else None, "标准版", 1000 * (i + 1), "赢单",
                   datetime.datetime(2026, 11, 3 + i), f"客户{i}"])
    ws.append(["G-3", None, "标准版", 500, "赢单", datetime.datetime(2026, 11, 9), "客户3"])
    ws.merge_cells("B3:B5")
    export = tmp_path / "grouped.xlsx"
    wb.save(export)
    book, result = _into_new_book(export)
    assert result.exit_code == 1, result.output  # G-3 has no rep: no merge covers it
    assert "导入 3 行，跳过 1 行" in result.stdout
    assert "第 6 行：缺少必填项：销售人员" in result.stdout
    assert ("合并单元格的值已填入其合并的每一行（导出只在第一行存值）：销售负责人 第 3–5 行。"
            ) in result.stdout
    got = all_sales(book)
    assert got["order_id"].tolist() == ["G-0", "G-1", "G-2"]
    assert got["rep"].tolist() == [rep] * 3
    assert got["amount"].tolist() == [1000, 2000, 3000]


def test_a_european_export_with_decimal_commas_reads_its_amounts(tmp_path: Path) -> None:
    """A European CRM's export (semicolons, ``1.234,50``, ``999,99``, ``12.000``) had every
    amount written as text and flagged unreadable, or read ``1,5`` as 15: the KPIs counted
    no revenue. Its numbers prove a decimal comma (999,99 is written with no other), so
    each is read so, ``12.000`` as 12,000, and the report says it; an export whose other
    numbers have a decimal point (¥1,234.50) reads none so, and the one it cannot read
    says what it looks like."""
    rep = REPS["en"][0]
    header = ["Opportunity ID", "Opportunity Owner", "Account Name", "Stage", "Amount",
              "Close Date", "Quantity"]
    amounts = ["1.234,50", "999,99", "12.000", "(1.200,00)", "2 500,5"]
    export = tmp_path / "eu.csv"
    export.write_text("\n".join([";".join(header), *(
        f"EU-{i};{rep};Kunde {i};Closed Won;{a};2026-11-0{i + 1};1,5"
        for i, a in enumerate(amounts))]) + "\n", encoding="utf-8")
    book, result = _into_new_book(export, lang="en")
    assert result.exit_code == 0, result.output
    assert "imported 5 rows, skipped 0" in result.stdout
    assert ("Numbers read with a decimal comma (as Europe writes them, dots or spaces "
            "between thousands): e.g. '1,5' in 'Quantity'.") in result.stdout
    got = all_sales(book)
    assert got["amount"].tolist() == [1234.5, 999.99, 12000, -1200, 2500.5]
    assert got["quantity"].tolist() == [1.5] * 5

    mixed = write_csv(tmp_path / "mixed.csv", ZH, [
        ["X-1", REPS["zh"][0], "标准版", "¥1,234.50", "赢单", "2026-11-03", "甲"],
        ["X-2", REPS["zh"][0], "标准版", "1.234,50 €", "赢单", "2026-11-04", "乙"]])
    zh_book, result = _into_new_book(mixed)
    assert "数字按逗号作小数点读取" not in result.stdout
    assert ("第 3 行：无法读取：金额 '1.234,50 €'（像是欧洲写法：逗号作小数点、点号分隔千位；"
            "导出中的其他数字用小数点或逗号分隔千位，无法确定它的写法。且是 EUR 金额，但本工作簿"
            "的币种是 CNY：若是 1234.50 EUR，请换算成 CNY 后在工作簿中只填数字（xlsales 从不换算"
            "货币））") in result.stdout
    assert "导入 2 行" in result.stdout  # written as exported, flagged by validation
    assert all_sales(zh_book)["amount"].tolist()[0] == 1234.5

    # one stray 12,00 among amounts with a comma between thousands turns none into cents
    stray = write_csv(tmp_path / "stray.csv", ZH, [
        ["Y-1", REPS["zh"][0], "标准版", "12,000", "赢单", "2026-11-03", "甲"],
        ["Y-2", REPS["zh"][0], "标准版", "12,00", "赢单", "2026-11-04", "乙"]])
    stray_book, result = _into_new_book(stray)
    assert "数字按逗号作小数点读取" not in result.stdout
    assert all_sales(stray_book)["amount"].tolist()[0] == 12000


def test_a_header_on_two_rows_is_one_header(tmp_path: Path) -> None:
    """ERPs and Chinese CRMs head an amount with its parts on a second row (``金额`` merged
    over ``金额`` and ``币种``, the other headers merged down over both rows); that second
    row was taken for a record and skipped as lacking every required field (exit code 1),
    and the currency column went unnamed (``Column 5``). The two rows are one header:
    the currency column is read, no row is skipped."""
    import openpyxl

    rep = REPS["zh"][0]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["订单编号", "销售人员", "产品", "金额", None, "阶段", "成交日期", "客户名称"])
    ws.append([None, None, None, "金额", "币种", None, None, None])
    for col in "ABCFGH":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("D1:E1")
    ws.append(["T-1", rep, "标准版", 1000, "CNY", "赢单", "2026-11-03", "甲"])
    ws.append(["T-2", rep, "标准版", 2000, "USD", "赢单", "2026-11-04", "乙"])
    export = tmp_path / "erp.xlsx"
    wb.save(export)
    _, result = _into_new_book(export)
    assert result.exit_code == 0, result.output
    assert "导入 2 行，跳过 0 行" in result.stdout
    assert "金额的币种 ← 币种" in result.stdout
    assert "Column 5" not in result.stdout
    assert "USD 1 个（如第 4 行：金额 '2000'，币种 'USD'，写为 '2,000 USD'）" in result.stdout


def test_owners_exported_as_email_addresses_are_the_listed_reps_they_name(
        sample_books: dict[str, Path], tmp_path: Path) -> None:
    """HubSpot and Salesforce export a deal's owner as an email address; imported as such,
    ``alice.chen@corp.com`` was a rep the book's list lacks, flagged on every row and
    counted under no rep. An address whose name before the ``@`` names one listed rep
    (``alice.chen``, ``wang.ben``) is that rep; another (``jdoe``) stays as exported and
    the report says how to give the owner's name. Imported again, the rows are duplicates,
    not orders whose rep changed."""
    header = ["Record ID", "Deal Owner", "Associated Company", "Deal Stage", "Amount",
              "Close Date"]
    owners = ["alice.chen@corp.com", "Wang.Ben@corp.com", "jdoe@corp.com"]
    export = write_csv(tmp_path / "hubspot.csv", header, [
        [f"H-{i}", o, f"Co {i}", "Closed Won", "100", "2026-10-03"]
        for i, o in enumerate(owners)])
    book = tmp_path / "team.xlsx"
    shutil.copy(sample_books["en"], book)  # its list of reps: Alice Chen, Ben Wang …
    result = run(export, "--into", book)
    assert result.exit_code == 0, result.output
    assert ("Rep jdoe@corp.com (1 row). Add them to the lists, or correct the export. For "
            "reps exported as email addresses, add the owner's name to the CRM's export and "
            "name its column with --map rep=COLUMN.") in result.stdout
    assert "alice.chen" not in result.stdout
    got = all_sales(book)
    assert got[got["order_id"].str.startswith("H-")]["rep"].tolist() == [
        "Alice Chen", "Ben Wang", "jdoe@corp.com"]
    again = run(export, "--into", book)
    assert again.exit_code == 0, again.output
    assert "changed in the export" not in again.stdout
    assert "imported 0 rows, skipped 3" in again.stdout


def test_dates_written_with_dots_are_day_first(tmp_path: Path) -> None:
    """A German CRM's export dates ``03.11.2026``; every row was skipped as 'day or month
    first?' though no export writes the month first with dots. They import day first,
    and the report says how they were read; ``--date-order mdy`` still reads them month
    first, as the user says."""
    rep = REPS["en"][0]
    header = ["Opportunity ID", "Opportunity Owner", "Account Name", "Stage", "Amount",
              "Close Date"]
    export = write_csv(tmp_path / "de.csv", header, [
        [f"DE-{d}", rep, f"Kunde {d}", "Closed Won", "100", f"0{d}.11.2026"]
        for d in range(3, 6)])
    book, result = _into_new_book(export, lang="en")
    assert result.exit_code == 0, result.output
    assert "imported 3 rows, skipped 0" in result.stdout
    assert ("Date (Close Date): read as day.month.year: dates written with dots are day "
            "first (as Germany, Russia and others write them); e.g. 03.11.2026 is "
            "2026-11-03.") in result.stdout
    assert [d.isoformat() for d in all_sales(book)["date"]] == [
        "2026-11-03", "2026-11-04", "2026-11-05"]
    us_book, result = _into_new_book(export, "--date-order", "mdy", lang="en", period="2026-03")
    assert result.exit_code == 0, result.output
    assert [d.isoformat() for d in all_sales(us_book)["date"]] == [
        "2026-03-11", "2026-04-11", "2026-05-11"]


def test_an_xlsx_export_whose_first_sheet_sums_up_the_records_reads_the_records(
        tmp_path: Path) -> None:
    """A CRM report saved as xlsx with a summary sheet first (汇总: 销售人员, 金额) and the
    records on the next (明细): the summary's two known headers made it the export, and the
    import was refused for lacking the order ID, date, customer and stage, telling the
    analyst to export again. The sheet whose header names the most known columns is
    read."""
    import openpyxl

    rep = REPS["zh"][0]
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["销售人员", "金额"])
    summary.append([rep, 3000])
    records = wb.create_sheet("明细")
    records.append(ZH)
    records.append(["P-1", rep, "标准版", 1000, "赢单", "2026-11-03", "甲"])
    records.append(["P-2", rep, "标准版", 2000, "赢单", "2026-11-04", "乙"])
    export = tmp_path / "report.xlsx"
    wb.save(export)
    book, result = _into_new_book(export)
    assert result.exit_code == 0, result.output
    assert "导入 2 行，跳过 0 行" in result.stdout
    assert all_sales(book)["order_id"].tolist() == ["P-1", "P-2"]


def test_an_order_twice_in_the_export_with_other_values_is_no_repeat(tmp_path: Path) -> None:
    """An export of order lines (销售易's 订单明细) gives order L-1 twice, 标准版 for 1,000
    and 专业版 for 2,000: the second was skipped as 'appears twice' among the
    duplicates, exit code 0, its 2,000 lost without a sign. It is skipped saying what it
    holds otherwise and what to do, and the exit code says rows were left out; a row
    repeated as it is stays a duplicate."""
    rep = REPS["zh"][0]
    export = write_csv(tmp_path / "lines.csv", ZH, [
        ["L-1", rep, "标准版", "1000", "赢单", "2026-11-03", "甲"],
        ["L-1", rep, "专业版", "2000", "赢单", "2026-11-03", "甲"],
        ["L-2", rep, "标准版", "500", "赢单", "2026-11-04", "乙"],
        ["L-2", rep, "标准版", "500", "赢单", "2026-11-04", "乙"]])
    _, result = _into_new_book(export)
    assert result.exit_code == 1, result.output
    assert "导入 2 行，跳过 2 行" in result.stdout
    assert ("第 3 行：订单编号 L-1 在导入文件中出现两次、内容不同（与第 2 行相比："
            "产品 标准版→专业版，金额 1,000→2,000），未导入：若是同一订单的多个产品行，"
            "请在 CRM 中按订单汇总后导出，或在工作簿中以新的订单编号补录这一行") in result.stdout
    assert "第 5 行：订单编号 L-2 在导入文件中重复（第 4 行已导入）" in result.stdout


def test_the_day_of_the_week_beside_a_slashed_date_tells_its_order(tmp_path: Path) -> None:
    """``11/03/2026 Tue`` may be 3 November or 11 March, but only 3 November 2026 is a
    Tuesday: the row was skipped as 'day or month first?' (and the day of the week made
    every other reading fail). The weekday decides; one that fits neither order leaves
    the row skipped, saying which day each reading is."""
    rep = REPS["en"][0]
    header = ["Opportunity ID", "Opportunity Owner", "Account Name", "Stage", "Amount",
              "Close Date"]
    dates = ["11/03/2026 Tue", "Wed, 11/04/2026", "11/05/2026 (Thursday)", "11/06/2026 Mon"]
    export = write_csv(tmp_path / "us.csv", header, [
        [f"US-{i}", rep, f"Acme {i}", "Closed Won", "100", d] for i, d in enumerate(dates)])
    book, result = _into_new_book(export, lang="en")
    assert result.exit_code == 1, result.output
    assert "imported 3 rows, skipped 1" in result.stdout
    assert ("row 5: unreadable: Date '11/06/2026 Mon' (2026-11-06 is a Friday, 2026-06-11 "
            "is a Thursday, neither is a Monday: check the date)") in result.stdout
    assert [d.isoformat() for d in all_sales(book)["date"]] == [
        "2026-11-03", "2026-11-04", "2026-11-05"]
