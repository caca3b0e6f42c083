"""A Taiwan rep's CRM and ERP exports (Big5, Traditional characters) as a QA tester met
them: NT$ amounts and 萬, ROC (Minguo) calendar dates, Taiwan stage and customer-type
words, Taiwan header terms; and no row lost for an optional value that cannot be read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
from conftest import team_options
from test_import import all_sales, run, write_csv
from test_package_append import blank_book

from xlsales.build.workbook import build_workbook
from xlsales.currency import book_currencies
from xlsales.findings import Severity
from xlsales.importer import map_columns
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.spec import SPEC
from xlsales.validation import validate
from xlsales.workbook_data import WorkbookData

#: A Taiwan CRM's header, as the QA tester's export has it
HEADER = ["訂單編號", "客戶名稱", "銷售代表", "成交日期", "金額", "階段"]


def test_roc_calendar_dates_import_as_their_year_plus_1911(tmp_path: Path) -> None:
    """Taiwan ERP exports date rows in the ROC calendar (115 is 2026): the rows import
    with their dates, not skipped as unreadable."""
    dates = ["115/09/03", "115-09-04", "115年9月5日", "民國115年9月6日"]
    rows = [[f"R{i}", "甲", "林志明", d, "1000", "贏單"] for i, d in enumerate(dates)]
    export = write_csv(tmp_path / "roc.csv", HEADER, rows, encoding="big5")
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 4 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["date"].tolist() == [date(2026, 9, d) for d in (3, 4, 5, 6)]
    assert "自动修正" in result.stdout  # said as the other repairs are


def test_an_roc_date_that_could_mean_another_date_is_not_guessed(tmp_path: Path) -> None:
    """Two digits alone (26/09/03: 2026-09-03? 26 September 2003? ROC 26?) stay
    unreadable; the message names the ROC form it reads."""
    rows = [["R1", "甲", "林志明", "26/09/03", "1000", "贏單"]]
    export = write_csv(tmp_path / "roc.csv", HEADER, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert "跳过 1 行" in result.stdout and "民国 115/11/03" in result.stdout, result.output


def test_taiwan_stage_and_customer_type_words(tmp_path: Path) -> None:
    """舊客戶 (old customer) is an existing customer as 老客戶 is; 洽談中 (in talks, no
    quote yet) is follow-up; 失敗 is lost. 結案 (closed) says neither won nor lost: the
    row is skipped (the stage is required) with what to write instead, never guessed."""
    header = [*HEADER, "客戶類型"]
    rows = [["T1", "甲", "林志明", "2026/10/3", "1000", "贏單", "舊客戶"],
            ["T2", "甲", "林志明", "2026/10/3", "1000", "贏單", "舊客户"],
            ["T3", "甲", "林志明", "2026/10/3", "1000", "洽談中", ""],
            ["T4", "甲", "林志明", "2026/10/3", "1000", "失敗", ""],
            ["T5", "甲", "林志明", "2026/10/3", "1000", "結案", ""]]
    export = write_csv(tmp_path / "tw.csv", header, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    assert "导入 4 行，跳过 1 行" in result.stdout, result.output
    assert ("第 6 行：无法读取：阶段 '結案'（只说明已结案，未说明赢单还是输单：请在导入文件中改为"
            "“赢单”或“输单”）") in result.stdout
    got = all_sales(book)
    assert got["customer_type"].tolist()[:2] == ["existing", "existing"]
    assert got["stage"].tolist() == ["won", "won", "follow_up", "lost"]
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    assert "row 6: unreadable: Stage '結案' (closed, but Won or Lost? Say which in the " \
        "export)" in run(export, "--into", english).stdout


def test_an_optional_value_that_cannot_be_read_costs_no_row(tmp_path: Path) -> None:
    """A won order with an unknown customer type, an amount in words or a created date
    that is no date is imported, the cell holding the text as exported (formula-looking
    text stays text), and the report says per column how many rows validation will flag.
    A required field that cannot be read still skips its row."""
    header = [*HEADER, "客戶類型", "創建日期"]
    formula = '=HYPERLINK("http://evil.example","點我")'
    rows = [["K1", "甲", "林志明", "2026/10/3", "一百", "贏單", "VIP", "2026/10/1"],
            ["K2", "甲", "林志明", "2026/10/3", "=1+1", "贏單", formula, "soon"],
            ["K3", "甲", "林志明", "2026/10/3", "1000", "贏單", "新客戶", ""],
            ["K4", "甲", "林志明", "someday", "1000", "贏單", "VIP", ""]]
    export = write_csv(tmp_path / "tw.csv", header, rows)
    book = blank_book(tmp_path / "b.xlsx", lang="zh")
    result = run(export, "--into", book)
    out = result.stdout
    assert "导入 3 行，跳过 1 行" in out, result.output
    assert "第 5 行：无法读取：日期 'someday'" in out  # the date is required
    assert "已导入但校验会标出的行（2 行，按原样保留，请核对）" in out
    assert "第 2 行：无法读取：客户类型 'VIP'（应为：新客户、老客户）、金额 '一百'" in out
    assert ("其中无法读取的可选值已按导入文件原样写入单元格（行未跳过；请在工作簿中改正）："
            "客户类型 2 行，金额 2 行，创建日期 1 行。") in out
    ws = openpyxl.load_workbook(book)["销售记录"]
    cells = {(ws.cell(r, 1).value, ws.cell(4, c).value): ws.cell(r, c)
             for r in range(5, 8) for c in range(1, ws.max_column + 1)}
    for order, label, text in [("K1", "客户类型", "VIP"), ("K1", "金额", "一百"),
                               ("K2", "金额", "=1+1"), ("K2", "客户类型", formula),
                               ("K2", "创建日期", "soon")]:
        cell = cells[(order, label)]
        assert (cell.value, cell.data_type) == (text, "s"), (order, label)
    findings = {(f.rule, f.column, f.value) for f in validate(read_workbook(book))
                if f.severity is Severity.ERROR}
    assert {("not_allowed", "customer_type", "VIP"), ("bad_number", "amount", "一百"),
            ("bad_number", "amount", "=1+1"), ("bad_date", "created", "soon"),
            ("not_allowed", "customer_type", formula)} <= findings
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    assert ("Of these, optional values that cannot be read are written as exported (the "
            "rows are not skipped; correct them in the workbook): Customer type 2 rows, "
            "Amount 2 rows, Created 1 row.") in run(export, "--into", english).stdout


def taiwan_book(path: Path, currency: str | None) -> Path:
    """A Chinese book whose basic information names ``currency`` (None: left empty)."""
    build_workbook(path, replace(team_options("zh"), period=Period.parse("2026-10")),
                   WorkbookData(info={"currency": currency}))
    return path


AMOUNTS = ["NT$61,600", "NT$ 61,600", "TWD 61,600", "61,600 TWD", "NTD 61,600",
           "61,600元", "6.16萬", "HK$61,600", "US$61,600", "¥61,600", "$61,600"]


def test_amounts_with_taiwan_hong_kong_and_us_marks_import_none_is_lost(
        tmp_path: Path) -> None:
    """Every amount as the QA tester's export writes it becomes 61600 and its row is
    imported (it was skipped as unreadable: revenue lost)."""
    rows = [[f"A{i}", "甲", "林志明", "2026/10/3", text, "贏單"]
            for i, text in enumerate(AMOUNTS)]
    export = write_csv(tmp_path / "amounts.csv", HEADER, rows)
    book = taiwan_book(tmp_path / "b.xlsx", "TWD")
    result = run(export, "--into", book)
    assert f"导入 {len(AMOUNTS)} 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["amount"].tolist() == [61600.0] * len(AMOUNTS)


def test_an_amount_in_another_currency_than_the_books_is_said_never_converted(
        tmp_path: Path) -> None:
    """A TWD book takes NT$ and 元 amounts quietly; HK$, US$ and ¥ amounts import as
    their numbers, not converted at any rate, and the report names them with a row each.
    A book in CNY (the template's) is told to switch to TWD when every mark says TWD."""
    rows = [[f"A{i}", "甲", "林志明", "2026/10/3", text, "贏單"]
            for i, text in enumerate(AMOUNTS)]
    export = write_csv(tmp_path / "amounts.csv", HEADER, rows)
    result = run(export, "--into", taiwan_book(tmp_path / "twd.xlsx", "TWD"))
    assert ("金额所标货币与工作簿的币种（TWD）不同，已连同其货币写入单元格、未换算："
            "HKD 1 个（如第 9 行：金额 'HK$61,600'，写为 '61,600 HKD'），"
            "USD 1 个（如第 10 行：金额 'US$61,600'，"
            "写为 '61,600 USD'），CNY/JPY 1 个（如第 11 行：金额 '¥61,600'，写为 '¥61,600'）。"
            "校验会在这些单元格报错、工作簿的 KPI 表不计入，直到换算为 TWD 并只填数值。请核对。"
            ) in result.stdout, result.output
    taiwan = write_csv(tmp_path / "nt.csv", HEADER, rows[:6])
    result = run(taiwan, "--into", taiwan_book(tmp_path / "cny.xlsx", "CNY"))
    assert ("金额所标货币与工作簿的币种（CNY）不同，已连同其货币写入单元格、未换算："
            "TWD 5 个（如第 2 行：金额 'NT$61,600'，写为 '61,600 TWD'）。"
            "校验会在这些单元格报错、工作簿的 KPI 表"
            "不计入，直到换算为 CNY 并只填数值。请核对；若工作簿本就以 TWD 记账，请把“基础信息”"
            "表的币种改为 TWD。"
            ) in result.stdout, result.output
    assert "币种" not in run(taiwan, "--into", taiwan_book(tmp_path / "nt.xlsx", "新台幣"),
                             "--dry-run").stdout
    english = blank_book(tmp_path / "en.xlsx", lang="en")
    assert ("Amounts marked in another currency than the workbook's (CNY), written with "
            "their currency, not converted: TWD 5 (e.g. row 2, Amount 'NT$61,600': written "
            "'61,600 TWD'). Validation flags each cell, and the workbook's KPI sheet leaves "
            "it out, until it is converted to CNY and typed as a number. Check them; if the "
            "workbook is kept in TWD, set Currency on the Info sheet to TWD."
            ) in run(taiwan, "--into", english).stdout
    unnamed = run(taiwan, "--into", taiwan_book(tmp_path / "none.xlsx", None)).stdout
    assert "金额标有货币，但工作簿未注明币种（“基础信息”表的币种）" in unnamed


def test_the_books_currency_as_teams_write_it() -> None:
    """The basic information's currency as a code or a name; RMB is CNY, NTD is TWD."""
    assert book_currencies("CNY") == book_currencies("RMB") == book_currencies("人民币") \
        == frozenset({"CNY"})
    assert book_currencies("twd") == book_currencies("NTD") == book_currencies("新臺幣") \
        == book_currencies("NT$") == frozenset({"TWD"})
    assert book_currencies("JPY") == frozenset({"JPY"})
    assert book_currencies("") is book_currencies(None) is book_currencies("$") is None


def test_taiwan_crm_and_erp_headers_map_themselves(tmp_path: Path) -> None:
    """Taiwan's own words for the fields, not only Traditional characters: 建立日期
    (created: it was left unused, so leads developed and the created pipeline were 0),
    銷貨單號, 訂單日期, 業務, 客戶簡稱, 地區, 品名, 銷售金額, 發票金額, 收款金額."""
    header = ["銷貨單號", "訂單日期", "業務", "客戶簡稱", "地區", "品名", "銷售金額", "階段",
              "建立日期", "發票金額", "收款金額"]
    rows = [["S1", "115/10/03", "林志明", "高雄電子", "華南", "專業版", "NT$12,000", "贏單",
             "115/10/01", "12,000", "6,000"],
            ["S2", "115/10/09", "林志明", "台中精密", "華東", "標準版", "NT$8,000", "洽談中",
             "115/10/02", "", ""]]
    export = write_csv(tmp_path / "erp.csv", header, rows, encoding="big5")
    book = taiwan_book(tmp_path / "b.xlsx", "TWD")
    result = run(export, "--into", book)
    assert "导入 2 行，跳过 0 行" in result.stdout, result.output
    assert "未使用的导入列" not in result.stdout
    got = all_sales(book)
    assert got["order_id"].tolist() == ["S1", "S2"]
    assert got["created"].tolist() == [date(2026, 10, 1), date(2026, 10, 2)]
    assert got["rep"].tolist() == ["林志明"] * 2 and got["customer"].tolist()[0] == "高雄電子"
    assert got["region"].tolist() == ["华南", "华东"]
    assert got["product"].tolist() == ["专业版", "标准版"]
    assert got["amount"].tolist() == [12000.0, 8000.0]
    assert got["invoiced"].tolist()[0] == 12000.0 and got["collected"].tolist()[0] == 6000.0
    read = read_workbook(book)
    kpis = compute_kpis({n: t.frame for n, t in read.tables.items()}, read.period).kpis
    assert kpis["leads_developed"] == 2 and kpis["pipeline_created"] == 20000.0


def test_the_first_listed_crm_name_wins_when_an_export_has_several() -> None:
    """成交日期 (closed) before 預計成交日 (expected), whatever the columns' order; the
    customer's full name before its short name; a customer number is not the customer."""
    headers = ["預計成交日", "訂單日期", "成交日期", "客戶編號", "客戶簡稱", "客戶名稱"]
    got = map_columns(headers, SPEC.table("Sales"), {})
    assert got["date"] == "成交日期" and got["customer"] == "客戶名稱"
    assert map_columns(["預計成交日", "訂單日期"], SPEC.table("Sales"), {})["date"] == "訂單日期"
    assert "客戶編號" not in map_columns(["客戶編號"], SPEC.table("Sales"), {}).values()


# --------------------------------------------------------------------------------------
# Encodings: what Windows writes as "Big5", and Big5 that GB18030 would also decode
# --------------------------------------------------------------------------------------

SALESFORCE = ["Opportunity ID", "Close Date", "Owner", "Account Name", "Amount", "Stage"]


def test_a_cp950_export_with_acer_imports(tmp_path: Path) -> None:
    """Windows' "Big5" is CP950, which adds 碁 (宏碁, Acer), 銹, 裏 … at F9D6–F9FE: such
    an export was refused as of unknown encoding (strict Big5 lacks them)."""
    rows = [["T1", "台積電子", "林志明", "115/10/03", "12,000", "贏單"],
            ["T2", "宏碁科技", "林志明", "115/10/05", "8,000", "贏單"]]
    export = write_csv(tmp_path / "acer.csv", HEADER, rows, encoding="cp950")
    assert b"\xf9\xd6" in export.read_bytes()  # 碁, not in strict Big5
    book = taiwan_book(tmp_path / "b.xlsx", "TWD")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 2 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["customer"].tolist() == ["台積電子", "宏碁科技"]


def test_a_big5_export_with_english_headers_keeps_its_names(tmp_path: Path) -> None:
    """GB18030 also decodes these bytes (華碩電腦 as 地河筿福) and no Chinese header
    tells the readings apart: the characters do (Big5's are common, GB18030's rare)."""
    rows = [["TW101", "2026-10-03", "Kevin Chang", "華碩電腦", "61600", "Closed Won"],
            ["TW102", "2026-10-04", "Kevin Chang", "中華電信", "20000", "Closed Won"]]
    export = write_csv(tmp_path / "sf.csv", SALESFORCE, rows, encoding="cp950")
    export.read_bytes().decode("gb18030")  # the trap: it decodes
    book = taiwan_book(tmp_path / "b.xlsx", "TWD")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 2 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["customer"].tolist() == ["華碩電腦", "中華電信"]


def test_a_hong_kong_export_with_hkscs_characters_imports(tmp_path: Path) -> None:
    """Hong Kong's Big5-HKSCS characters (啲, 嘅 …) are not in CP950: read as HKSCS."""
    rows = [["HK1", "2026-10-03", "陳大文", "啲士多有限公司", "1000", "Closed Won"],
            ["HK2", "2026-10-04", "陳大文", "九龍貿易公司", "2000", "Closed Won"]]
    export = write_csv(tmp_path / "hk.csv", SALESFORCE, rows, encoding="big5hkscs")
    book = taiwan_book(tmp_path / "b.xlsx", "HKD")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 2 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["customer"].tolist() == ["啲士多有限公司", "九龍貿易公司"]


def test_a_short_export_either_encoding_reads_well_is_refused_not_guessed(
        tmp_path: Path) -> None:
    """One GBK row, 胡军 / 联发科技, under English headers: read as Big5 it is 綸濂 /
    薊楷褪撮, as common Big5 characters as the GBK reading's are in GB2312, so nothing
    tells them apart. The file is refused (save it as UTF-8), the book unchanged, rather
    than a name guessed; a Chinese header settles it (the same row imports)."""
    rows = [["X0", "2026-10-01", "胡军", "联发科技", "1000", "Closed Won"]]
    export = write_csv(tmp_path / "one.csv", SALESFORCE, rows, encoding="gbk")
    book = taiwan_book(tmp_path / "b.xlsx", "CNY")
    original = book.read_bytes()
    result = run(export, "--into", book)
    assert result.exit_code == 2, result.output
    assert "one.csv" in result.output and "UTF-8" in result.output
    assert "GBK" in result.output and "Big5" in result.output
    assert book.read_bytes() == original
    header = ["订单编号", "日期", "销售人员", "客户", "金额", "阶段"]
    export = write_csv(tmp_path / "one_zh.csv", header, rows, encoding="gbk")
    result = run(export, "--into", book)
    assert result.exit_code == 0 and "导入 1 行，跳过 0 行" in result.stdout, result.output
    assert all_sales(book)["customer"].tolist() == ["联发科技"]
