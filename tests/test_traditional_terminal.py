# ruff: noqa: F811  (the fixtures imported from the modules that define them)
"""What the commands print about a workbook converted to Traditional Chinese is in
Traditional too (a Taipei team reads its terminal as its sheets): ``validate`` (text and
the JSON's ``message_zh``), ``kpis``, ``plan``, ``import`` and ``consolidate``; the
user's text (a rep typed in Simplified, the value a message quotes, an export's
customers and headers) stays exactly as typed. English output and Simplified books print
as they always have (tests/test_cli.py, tests/test_readme.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from opencc import OpenCC
from test_traditional_build import member_folders  # noqa: F401  (a fixture)
from test_traditional_output import REP, STRANGER, taiwan_book  # noqa: F401  (a fixture)

from xlsales.cli import main

TO_TW = OpenCC("s2tw").convert
_HAN = re.compile(r"[\u3400-\u9fff]")


def _simplified(text: str, *users: str) -> list[str]:
    """The lines of ``text`` that, without the user's strings ``users``, still hold a
    character OpenCC would write in Traditional (xlsales' text left in Simplified)."""
    found = []
    for line in text.splitlines():
        kept = line
        for user in users:
            kept = kept.replace(user, "")
        if _HAN.search(kept) and TO_TW(kept) != kept:
            found.append(line)
    return found


def _invoke(*args: str, codes: tuple[int, ...] = (0, 1)):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in codes, result.output
    return result


def test_validate_prints_a_traditional_books_report_in_traditional(taiwan_book: Path) -> None:
    """Counts, severities and messages in Traditional; the rep typed in Simplified that a
    message quotes, as typed."""
    out = _invoke("validate", taiwan_book, "--all").stdout
    assert "錯誤" in out and "名單" in out
    assert STRANGER in out  # quoted as typed, not 趙六
    assert TO_TW(STRANGER) not in out
    assert _simplified(out, STRANGER, "xlsales", "“赢单”", "“新客户”", "“老客户”", "“拜访”",
                       "“电话”") == []


def test_validate_json_gives_message_zh_in_the_books_script(taiwan_book: Path) -> None:
    """The JSON's keys and English as they are; ``message_zh`` as the report prints it."""
    found = json.loads(_invoke("validate", taiwan_book, "--json").stdout)
    stranger = next(f for f in found["findings"] if f["rule"] == "unknown_rep")
    assert list(stranger) == ["severity", "rule", "sheet", "table", "cell", "row", "column",
                              "value", "message_zh", "message_en"]
    assert stranger["value"] == STRANGER and STRANGER in stranger["message_zh"]
    assert _simplified(stranger["message_zh"], STRANGER) == []
    assert not _HAN.search(stranger["message_en"].replace(STRANGER, ""))


def test_kpis_prints_labels_notes_and_summary_in_traditional(taiwan_book: Path) -> None:
    """The KPI labels, the breakdown's header, the drafted paragraph and the notes on
    stderr in Traditional; the reps typed in Simplified as typed."""
    result = _invoke("kpis", taiwan_book, "--by", "rep")
    assert "銷售額" in result.stdout and "目標完成率" in result.stdout
    assert REP in result.stdout and STRANGER in result.stdout
    assert _simplified(result.stdout, REP, STRANGER) == []
    # a rep named in a note (赵六 sold with no target of his own) is as typed too
    assert "注意" in result.stderr and _simplified(result.stderr, "xlsales", REP, STRANGER) == []


def test_plan_prints_its_report_in_traditional(taiwan_book: Path, tmp_path: Path) -> None:
    """The plan's report lines (target, counts, sheets written, notes) in Traditional."""
    out = _invoke("plan", taiwan_book, "-o", tmp_path / "planned.xlsx").stdout
    assert "計劃" in out and "銷售額目標" in out
    assert _simplified(out, "xlsales") == []


def test_import_prints_its_report_in_traditional_keeping_the_exports_text(
        taiwan_book: Path, tmp_path: Path) -> None:
    """The import report in Traditional; the export's own header, an unreadable value it
    holds and a rep no list names, as the export has them."""
    export = tmp_path / "crm.csv"
    export.write_text(
        "订单编号,成交日期,销售人员,客户名称,客户类型,区域,产品,数量,单价,金额,阶段\n"
        "X-1,2026/10/3,陈静,深圳华强电子,新客户,华东,专业版,2,6000,12000,赢单\n"
        "X-2,2026/10/9,赵六,广州贸易,老客户,华南,企业版,一百,,30000,跟进\n",
        encoding="utf-8")
    out = _invoke("import", export, "--into", taiwan_book, "--dry-run").stdout
    assert "匯入 2 行" in out
    assert "客户名称" in out and "'一百'" in out and STRANGER in out
    assert _simplified(out, "客户名称", "一百", STRANGER, "crm.csv") == []


def test_consolidate_prints_a_traditional_rollups_report_in_traditional(
        member_folders, tmp_path: Path) -> None:
    """The report of a roll-up of Traditional members in Traditional; the members' files
    (named in Simplified) as they are."""
    files = [p.name for p in member_folders["tw"].iterdir()]
    out = _invoke("consolidate", member_folders["tw"], "-o", tmp_path / "team.xlsx",
                  codes=(0,)).stdout
    assert "合併了 3 個" in out and "排名" in out
    assert _simplified(out, *files, *(Path(f).stem for f in files)) == []


def test_an_error_about_a_traditional_book_is_said_in_traditional(taiwan_book: Path,
                                                                   tmp_path: Path) -> None:
    """An error found once the book is read (kpis --by member of a rep's own book) says
    its Chinese in the book's script; the same error of a Simplified book as it was."""
    result = _invoke("kpis", taiwan_book, "--by", "member", codes=(2,))
    assert result.stderr.startswith("錯誤 / Error: --by member"), result.stderr
    assert _simplified(result.stderr, "xlsales") == []
    assert "--by member needs a roll-up" in result.stderr  # the English as it is



def test_several_traditional_books_are_summed_up_in_traditional(taiwan_book: Path,
                                                                 tmp_path: Path) -> None:
    """``validate`` of two Traditional books ends on its summary line in Traditional (a
    Taipei manager checking the team's books); one Simplified book among them keeps the
    summary as it is (whose script would it be?)."""
    import shutil

    second = tmp_path / "second.xlsx"
    shutil.copy(taiwan_book, second)
    out = _invoke("validate", taiwan_book, second).stdout
    last = out.strip().splitlines()[-1]
    assert "校驗 2 個工作簿" in last, last
    assert _simplified(last) == []


def test_a_traditional_books_missing_table_is_said_in_traditional(taiwan_book: Path) -> None:
    """A Taipei book lacking a sheet (its 銷售記錄 deleted) or a table (the rep list's, on
    設定): the error, raised before the book is read whole, names the sheets as the book
    does and is written in Traditional like every other line about the book; the file's
    name as typed. Exit 2, no traceback."""
    import openpyxl

    broken = taiwan_book.with_name("台北_缺表.xlsx")
    wb = openpyxl.load_workbook(taiwan_book)
    del wb["銷售記錄"]
    del wb["設定"].tables["ListRep"]
    wb.save(broken)
    for command in ("validate", "kpis", "plan"):
        said = _invoke(command, broken, codes=(2,)).stderr
        assert f"{broken.name} 缺少以下表格：銷售記錄（Sales）、設定（ListRep）。請從" in said, said
        assert "is missing these tables: 銷售記錄 (Sales), 設定 (ListRep)" in said
        assert f"錯誤 / Error: {broken.name}" in said
        assert _simplified(said, broken.name, "xlsales") == [], said
        assert "Traceback" not in said


def test_a_taiwan_books_messages_say_extend_as_taiwan_writes_it(taiwan_book: Path) -> None:
    """Rows typed below the sales table of a Taipei book: the warning tells to extend the
    table (擴展), not OpenCC's 擴充套件 ("extend" read as 擴充 + 套件, a software package)."""
    import openpyxl

    wb = openpyxl.load_workbook(taiwan_book)
    ws = wb["銷售記錄"]
    last = ws.max_row
    for cell in ws[last]:
        ws.cell(last + 1, cell.column, cell.value)
    ws.cell(last + 1, 1, "SO-台北-1")
    wb.save(taiwan_book)
    out = _invoke("validate", taiwan_book).stdout
    below = next(line for line in out.splitlines() if "rows_not_counted" in line)
    assert "的範圍擴展到最後一行" in below and "套件" not in out, below


def _garbled(book: Path, part: str, target: Path) -> Path:
    """``book`` with bytes of ``part``'s compressed data garbled (a bad copy), saved as
    ``target``; the file's list of parts as it was."""
    import zipfile

    data = bytearray(book.read_bytes())
    with zipfile.ZipFile(book) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(10, 40):
        data[start + k] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def test_a_damaged_traditional_book_is_said_in_traditional(taiwan_book: Path) -> None:
    """A Taipei book with a garbled sheet: the damage is found before the book is read,
    yet its list of sheets still tells it is Traditional, so the error is written so
    (錯誤, 檔案 … 已損壞); one whose list of sheets is garbled too stays in Simplified."""
    sheet = _garbled(taiwan_book, "xl/worksheets/sheet3.xml",
                     taiwan_book.with_name("台北_壞.xlsx"))
    said = _invoke("validate", sheet, codes=(2,)).stderr
    assert f"錯誤 / Error: 檔案 {sheet} 已損壞" in said or (
        f"錯誤 / Error: 檔案 {sheet.name} 已損壞" in said), said
    assert _simplified(said, str(sheet), "xlsales") == [], said
    listing = _garbled(taiwan_book, "xl/workbook.xml", taiwan_book.with_name("台北_壞2.xlsx"))
    said = _invoke("validate", listing, codes=(2,)).stderr
    assert "错误 / Error: 文件" in said and "Traceback" not in said, said


def test_a_choice_the_formulas_miss_names_the_spelling_they_count(taiwan_book: Path) -> None:
    """A Taipei book's 贏單 the KPI sheet's formulas do not count (they count the template's
    赢单 until `validate --write` respells them): the report quotes both as they are,
    not 贏單 twice ("'贏單' is not what the formulas count: they count 贏單")."""
    out = _invoke("validate", taiwan_book, "--all").stdout
    stage = next(line for line in out.splitlines()
                 if "choice_not_counted" in line and "'贏單'" in line)
    assert "公式統計的是“赢单”" in stage and "已按“赢单”計算" in stage, stage
    assert "validate --write，工作簿的公式即改為統計本工作簿的繁體寫法" in stage


def test_merge_is_written_as_taiwan_writes_it_wherever_the_word_before_cuts_it() -> None:
    """合并 after 对/只 (对合并汇总表: "for a roll-up") came out 合並, a variant no Taiwan
    reader writes, in the kpis help and in consolidate's, quarter's and export's messages;
    OpenCC writes the word alone 合併."""
    from xlsales.script_variant import SCRIPTS, _convert

    for script in SCRIPTS:
        for text in ("对合并汇总表", "再对合并出的工作簿", "总结只合并同一期", "合并进来的"):
            assert "合併" in _convert(text, script) and "合並" not in _convert(text, script)
