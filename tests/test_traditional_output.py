"""A workbook converted to Traditional Chinese (Taiwan, Hong Kong) gets what xlsales writes
into it in Traditional too: the validation sheet, the KPI report, the plan sheets (names,
headers, labels, messages, the drafted paragraph); the user's own text stays as typed,
also where xlsales' text quotes it; a second run replaces its sheets, never doubles them.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from opencc import OpenCC
from traditional_books import convert_workbook

from xlsales.cli import main
from xlsales.io.reader import read_workbook
from xlsales.script_variant import book_script
from xlsales.spec import SPEC
from xlsales.spec.declarations import KPI_REPORT
from xlsales.spec.traditional import spec_words

#: Text typed in Simplified in the Traditional book: a rep (in the sales records, the
#: targets and the rep list), a problem's description, a rep no list names.
REP, PROBLEM, STRANGER = "陈静", "华南竞品降价 15%", "赵六"
TO_TW = OpenCC("s2tw").convert
_HAN = re.compile(r"[\u3400-\u9fff]")


def _traditional_only(text: str, *users: str) -> bool:
    """Whether ``text`` without the user's strings ``users`` is written in Traditional: it
    holds Chinese and OpenCC finds no Simplified character in it to convert."""
    for user in users:
        text = text.replace(user, "")
    return bool(_HAN.search(text)) and TO_TW(text) == text


@pytest.fixture
def taiwan_book(sample_books, tmp_path: Path) -> Path:
    """The zh sample converted as Excel's 简转繁 with Taiwan phrases does, then typed in
    by people who type Simplified too: rep 陈静 everywhere, problem P02's description,
    the last sale of 陈静's by 赵六, a rep no list names."""
    book = tmp_path / "taiwan.xlsx"
    convert_workbook(sample_books["zh"], book, "s2twp")
    wb = openpyxl.load_workbook(book)
    sales = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == TO_TW(REP):
                    cell.value = REP
                    sales += [cell] if ws.title == TO_TW("销售记录") else []
                elif cell.value == TO_TW(PROBLEM):
                    cell.value = PROBLEM
    sales[-1].value = STRANGER  # a sale of the period (rows are by date)
    wb.save(book)
    return book


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 1), result.output


def _rows(book: Path, sheet: str) -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(book)[sheet].iter_rows(values_only=True)]


def _texts(rows: list[list[object]]) -> list[str]:
    return [v for r in rows for v in r if isinstance(v, str)]


def test_the_script_is_told_by_the_books_sheet_names(sample_books, tmp_path: Path) -> None:
    """Simplified and English books: None; converted ones: the conversion their sheet names
    show (Taiwan phrases 設定, 基礎資訊: s2twp); a user's sheet in Traditional in a
    Simplified book does not make it Traditional."""
    assert read_workbook(sample_books["zh"]).script is None
    assert read_workbook(sample_books["en"]).script is None
    for config, script in (("s2t", "s2tw"), ("s2tw", "s2tw"), ("s2twp", "s2twp"),
                           ("s2hk", "s2tw")):
        book = tmp_path / f"{config}.xlsx"
        convert_workbook(sample_books["zh"], book, config)
        assert read_workbook(book).script == script, config
    names = [s.name.zh for s in SPEC.sheets]
    assert book_script([*names, "臺北客戶"]) is None
    # the sheets an earlier xlsales wrote in Simplified into a converted book do not count
    written = [OpenCC("s2twp").convert(s.name.zh) if s.kind.value in ("input", "settings",
               "instructions") else s.name.zh for s in SPEC.sheets]
    assert book_script(written) == "s2twp"


def test_validate_write_writes_its_sheet_in_traditional(taiwan_book: Path) -> None:
    """The validation sheet of a Traditional book: its name, title, headers, severities
    and messages in Traditional (Taiwan phrases: 欄位); the value a message quotes and the
    sheet it names as typed; a second run refreshes the one sheet."""
    _run("validate", str(taiwan_book), "--write")
    _run("validate", str(taiwan_book), "--write")
    wb = openpyxl.load_workbook(taiwan_book)
    assert [n for n in wb.sheetnames if spec_words(n) == "校验结果"] == ["校驗結果"]
    rows = _rows(taiwan_book, "校驗結果")
    header = next(r for r in rows if r[0] == "級別")
    assert header[:8] == ["級別", "工作表", "單元格", "行", "欄位", "規則", "值", "說明"]
    assert "錯誤" in str(rows[0][0]) and _traditional_only(str(rows[1][0]), "xlsales")
    stranger = next(r for r in rows if r[5] == "unknown_rep")
    assert stranger[0] in ("錯誤", "警告") and stranger[6] == STRANGER
    assert STRANGER in stranger[7] and _traditional_only(stranger[7], STRANGER, stranger[1])
    for row in rows[rows.index(header) + 1:]:
        assert _traditional_only(str(row[7]), str(row[6]), str(row[1])), row


def test_kpis_write_writes_the_report_in_traditional(taiwan_book: Path) -> None:
    """The KPI report of a Traditional book: its name, headings, table titles, headers,
    KPI names and the drafted paragraph in Traditional; the reps' names as typed (陈静
    in the ranking and in the paragraph); a second run keeps one report and reads its
    own paragraph as unedited (a fresh draft, not "kept")."""
    _run("kpis", str(taiwan_book), "--write")
    second = CliRunner().invoke(main, ["kpis", str(taiwan_book), "--write"])
    assert second.exit_code == 0 and "保留" not in second.output, second.output
    wb = openpyxl.load_workbook(taiwan_book)
    assert [n for n in wb.sheetnames if spec_words(n).upper() == "KPI报告"] == ["KPI報告"]
    rows = _rows(taiwan_book, "KPI報告")
    texts = _texts(rows)
    heading = next(i for i, r in enumerate(rows) if str(r[0]).startswith("摘要"))
    paragraph = str(rows[heading + 1][0])
    assert _traditional_only(str(rows[heading][0])) and "執行" in str(rows[heading][0])
    assert "銷售額" in paragraph and REP in paragraph
    assert _traditional_only(paragraph, REP)
    assert {"銷售人員排名（按銷售額）", "銷售漏斗", "全部 KPI"} <= set(texts)
    headers = {c.label.zh for t in KPI_REPORT.tables for c in t.columns  # a month's report:
               if t.name != "KpiReportQuarters"}  # no quarters
    assert {OpenCC("s2twp").convert(h) for h in headers} <= set(texts)
    assert not {h for h in headers if OpenCC("s2twp").convert(h) != h} & set(texts)
    assert [r[1] for r in rows if r[1] == REP] == [REP]  # the ranking, as typed
    labels = {str(r[1]) for r in rows if r[0] in {k.key for k in SPEC.kpis}}
    assert "銷售額" in labels and all(_traditional_only(t) for t in labels if _HAN.search(t))


def test_plan_writes_its_sheets_in_traditional(taiwan_book: Path) -> None:
    """The plan sheets of a Traditional book: names (計劃-目標 …), titles, headers, metrics
    and actions in Traditional; the reps and the problem's description as typed; run
    again, the untouched plan is made again in the same four sheets, and read back."""
    _run("plan", str(taiwan_book))
    _run("plan", str(taiwan_book))
    wb = openpyxl.load_workbook(taiwan_book)
    plans = [n for n in wb.sheetnames if spec_words(n).startswith("计划-")]
    assert plans == ["計劃-目標", "計劃-行動", "計劃-資源", "計劃-時間線"]
    targets, actions = _rows(taiwan_book, "計劃-目標"), _rows(taiwan_book, "計劃-行動")
    header = next(r for r in targets if r[0] == "目標編號")
    assert header[:6] == ["目標編號", "期間開始", "期間", "責任人", "範圍", "指標"]
    assert {"銷售額", "合計", "分解"} <= set(_texts(targets))
    assert REP in {r[3] for r in targets}
    why = next(str(r[3]) for r in actions if r[1] == "P02")
    assert PROBLEM in why and "影響" in why and _traditional_only(why, PROBLEM)
    what = [str(r[2]) for r in actions[actions.index(next(
        r for r in actions if r[0] == "行動編號")) + 1:] if r[2]]
    assert what and all(_traditional_only(t) for t in what), what
    read = read_workbook(taiwan_book)
    assert {"PlanTargets", "PlanActions", "PlanBudget", "PlanTimeline"} <= set(read.tables)
    assert REP in set(read.frame("PlanTargets")["rep"])


def test_a_plans_actions_read_back_in_traditional_match_the_playbooks() -> None:
    """The next summary's review holds the last plan's actions as it wrote them into a
    Traditional book (逐筆跟進逾期回款): the unfinished one is carried once, linked to the
    recurring problem (not a second time as the playbook's own), the done one is not
    proposed again, and a carried action written in Traditional counts as carried."""
    from test_plan import _review, sample_input

    from xlsales.plan import generate_plan
    from xlsales.plan_command import action_counts

    twp = OpenCC("s2twp").convert
    review = _review(("A01", twp("逐笔跟进逾期回款"), "not_done", "客户推迟"),
                     ("A02", twp("新合同约定回款节点并月度对账"), "done", None))
    actions = generate_plan(sample_input("zh", ActionReview=review)).tables["PlanActions"]
    chase = actions[actions["what"].map(twp).str.endswith(twp("逐笔跟进逾期回款"))]
    assert list(chase["what"]) == [f"继续推进（上期 A01 未完成）：{twp('逐笔跟进逾期回款')}"]
    assert chase["problem_id"].iloc[0] == "P03"
    assert not actions["what"].map(twp).str.contains(twp("新合同约定回款节点")).any()
    written = actions.assign(what=actions["what"].map(twp))  # as the Traditional book has it
    problems = sample_input("zh").tables["Problems"]["problem_id"]
    assert action_counts(written, problems)[1] == 1


def test_the_validate_button_writes_traditional_and_clears_what_it_shaded(
        tmp_path: Path) -> None:
    """The Excel button in a Traditional book: its validation sheet is 校驗結果 with
    Traditional headers and severities, and clicked again after a fix it finds that
    sheet's earlier rows (錯誤, 警告) and takes the shading off the fixed cell."""
    from test_excel_macros import (
        applied,
        build_small,
        cells_of,
        named,
        payload_of,
        run_button,
        text_of,
        values_written,
    )

    import xlsales.excel.macros as m

    book = tmp_path / "tw.xlsx"
    convert_workbook(build_small(tmp_path / "team.xlsx"), book, "s2twp")
    payload = payload_of(book)
    _, first = run_button(payload, m.validate)
    written = values_written(payload, first, "校驗結果")
    header = next([text_of(v) for v in r] for r in written if r and text_of(r[0]) == "級別")
    assert header[:5] == ["級別", "工作表", "單元格", "行", "欄位"]
    after = applied(payload, first)
    sales = next(s for s in after["sheets"] if s["name"] == "銷售記錄")
    rep = sales["values"][3].index("銷售人員")
    sales["values"][5][rep] = sales["values"][4][rep]  # C6: the unknown rep fixed
    _, second = run_button(after, m.validate)
    colors = [(name, a["args"][0], cells_of(a)) for name, a in named(after, second)
              if a["func"] == "setRangeColor"]
    assert colors[0] == ("銷售記錄", None, {"C6"})


def test_sheets_an_earlier_version_wrote_in_simplified_are_replaced_not_doubled(
        taiwan_book: Path) -> None:
    """A Traditional book holding the validation, KPI report and plan sheets as xlsales
    wrote them before (in Simplified: 校验结果, KPI报告, 计划-目标 …): the next runs
    replace them, renamed in Traditional, and add no second sheet of any."""
    from dataclasses import replace

    from xlsales.kpis_write import write_kpi_report
    from xlsales.plan import PlanInput, PlanOptions
    from xlsales.plan.write import write_plan
    from xlsales.rollup_plan import workbook_plan
    from xlsales.validation import validate
    from xlsales.validation.write import write_validation

    def as_before():  # the book as xlsales read it before: its script not told
        return replace(read_workbook(taiwan_book), script=None)

    book = as_before()
    write_validation(book, validate(book), "zh")
    write_kpi_report(as_before())
    book = as_before()
    assert book.period is not None
    inp = PlanInput(book.period, "zh", "T", {n: t.frame for n, t in book.tables.items()},
                    book.lists.get("rep", []), book.assumptions)
    write_plan(book, workbook_plan(book.info, inp, PlanOptions()), "zh")
    before = openpyxl.load_workbook(taiwan_book).sheetnames
    simplified = {"校验结果", "KPI报告", "计划-目标", "计划-行动", "计划-资源", "计划-时间线"}
    assert simplified <= set(before), before
    _run("validate", str(taiwan_book), "--write")
    _run("kpis", str(taiwan_book), "--write")
    _run("plan", str(taiwan_book))
    after = openpyxl.load_workbook(taiwan_book).sheetnames
    assert len(after) == len(before) and not simplified & set(after), after
    assert {"校驗結果", "KPI報告", "計劃-目標", "計劃-時間線"} <= set(after)
