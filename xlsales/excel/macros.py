"""The workbook's buttons: validate, compute the KPIs, generate the plan, start the next period.

Each reads the open workbook through xlwings in bulk, one call per sheet
(:mod:`~xlsales.excel.book_adapter`), runs the same library functions as the CLI and
writes its results back as whole blocks (:mod:`~xlsales.excel.book_writer`). Progress
goes to Excel's status bar; problems reach the user as a message in the workbook's
language (a message box, or the validation sheet's first cell where the engine has none),
never as a Python traceback. On the remote engine (xlwings Lite) a run that fails sends
none of its writes; desktop Excel applies each write as it is made.

From VBA, with xlwings' ``RunPython`` (the book defaults to ``xw.Book.caller()``)::

    RunPython "import xlsales.excel.macros as m; m.validate()"

From xlwings Lite, ``xlwings_lite/main.py`` passes the script's book.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.errors import UsageError, XlsalesError
from xlsales.excel.book_adapter import alert, book_lang, book_path, read_book, show_status
from xlsales.excel.book_writer import put_sheet, shade
from xlsales.findings import Finding, Severity
from xlsales.kpis_write import kpi_report_content, report_anchor
from xlsales.script_variant import OwnText, book_script, own_text, script_key
from xlsales.spec import SPEC, Lang
from xlsales.spec.traditional import same_name
from xlsales.terminal_script import quoted
from xlsales.validation import validate as run_validation
from xlsales.validation.report import SEVERITY_LABEL, severity_counts
from xlsales.validation.write import MAX_ROWS, ORDER, highlight_cells, validation_content

if TYPE_CHECKING:
    import xlwings as xw

    from xlsales.excel.book_adapter import XlwingsCells

TITLE = "xlsales"


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _caller() -> xw.Book:
    import xlwings as xw

    return xw.Book.caller()


def _pending_actions(book: xw.Book) -> list[object] | None:
    """The remote engine's queue of actions (None on desktop Excel, which writes at once)."""
    try:
        actions = book.json()["actions"]
    except Exception:
        return None
    return actions if isinstance(actions, list) else None


def _unexpected(exc: BaseException, lang: Lang) -> str:
    what = f"{type(exc).__name__}: {exc}"
    return _t(lang,
              f"xlsales 遇到意外错误（{what}）。请检查工作簿后重试；如果仍然出错，请把这条"
              "信息发给负责 xlsales 的同事。",
              f"xlsales hit an unexpected error ({what}). Check the workbook and try again; "
              "if it happens again, send this message to whoever looks after xlsales.")


def _message_on_sheet(book: xw.Book, lang: Lang, text: str) -> None:
    """Where no message box can be shown: the message in A1 of the validation sheet."""
    name = SPEC.sheet("validation").name.get(lang)
    names = [s.name for s in book.sheets]
    sheet = (book.sheets[name] if name in names
             else book.sheets.add(name, after=book.sheets[names[-1]]))
    sheet.range("A1").value = "'" + text
    sheet.activate()


def _own_text(book: xw.Book, lang: Lang) -> OwnText:
    """How a button's message about ``book`` is written: in its script (a book converted to
    Traditional: :func:`~xlsales.script_variant.book_script`) when Chinese, its sheet and
    file names as they are."""
    names = [s.name for s in book.sheets]
    own = OwnText(book_script(names) if lang == "zh" else None)
    with suppress(Exception):  # no full name on every engine
        names += [book.name, book.fullname]
    return own.keeping(names)


def _run(book: xw.Book | None, job: Callable[[xw.Book, Lang], tuple[str, bool]]) -> str:
    """Run a button's ``job`` (returning its message and whether it needs a message box)
    and report: the status bar on success, a message box on errors; return the message,
    in a Traditional book in Traditional (the values it quotes as typed)."""
    book = book if book is not None else _caller()
    lang: Lang = "zh"
    with suppress(Exception):
        lang = book_lang(book)
    queue = _pending_actions(book)
    queued = len(queue) if queue is not None else 0
    try:
        text, popup = job(book, lang)
        error = False
    except XlsalesError as exc:
        text, popup, error = exc.zh if lang == "zh" else exc.en, True, True
    except Exception as exc:  # never a traceback dialog: a readable message instead
        text, popup, error = _unexpected(exc, lang), True, True
    with suppress(Exception):
        text = _own_text(book, lang)(text, quoted([text]))
    if error and queue is not None:
        del queue[queued:]  # nothing half-written on the remote engine
    show_status(book, None if error else text)
    if popup and not alert(book, text, TITLE, error):
        with suppress(Exception):  # the last way left to tell the user: never a traceback
            _message_on_sheet(book, lang, text)
    return text


# --- validate -----------------------------------------------------------------------------


def _listed_cells(findings: list[Finding]) -> dict[str, list[str]]:
    """The cells of the errors and warnings listed on the validation sheet."""
    return highlight_cells(sorted(findings, key=lambda f: ORDER[f.severity])[:MAX_ROWS])


def _earlier_cells(cells: XlwingsCells, names: list[str], sheet: str) -> dict[str, list[str]]:
    """The cells an earlier validation sheet listed as errors or warnings (shaded then)."""
    if sheet not in names:
        return {}
    shaded = {script_key(SEVERITY_LABEL[lang][s]) for lang in ("zh", "en")
              for s in (Severity.ERROR, Severity.WARNING)}  # 錯誤 in a Traditional book
    out: dict[str, list[str]] = {}
    for row in cells.rows(sheet):
        where = row[2] if len(row) > 2 else None
        if row and script_key(str(row[0])) in shaded and isinstance(where, str) and "!" in where:
            target, ref = where.rsplit("!", 1)
            out.setdefault(target, []).append(ref)
    return out


def _validate(book: xw.Book, lang: Lang) -> tuple[str, bool]:
    show_status(book, _t(lang, "xlsales：正在读取并校验工作簿…",
                         "xlsales: reading and validating the workbook…"))
    read, cells = read_book(book)
    lang = read.lang
    findings = run_validation(read)
    names = [s.name for s in read.layout.sheets]
    found = same_name(SPEC.sheet("validation").name.get(lang), names)  # or in Traditional
    earlier = _earlier_cells(cells, names, names[found]) if found is not None else {}
    instructions = same_name(SPEC.sheet("instructions").name.get(lang), names)
    show_status(book, _t(lang, "xlsales：正在写入校验结果…", "xlsales: writing the findings…"))
    content = validation_content(read, findings, lang)
    name = content.name
    sheet = put_sheet(book, content,
                      after=names[instructions] if instructions is not None else None)
    left = shade(book, _listed_cells(findings), earlier)
    sheet.activate()
    text = _t(lang, "校验完成：", "Validation done: ") + severity_counts(findings, lang)
    if left:
        text += _t(lang, f"（另有 {left} 处未着色，见“{name}”表）",
                   f" ({left} more blocks listed on '{name}' but not shaded)")
    return text, False


def validate(book: xw.Book | None = None) -> str:
    """Check every entry; refresh the validation sheet and shade the offending cells."""
    return _run(book, _validate)


# --- KPIs ---------------------------------------------------------------------------------


def _compute_kpis(book: xw.Book, lang: Lang) -> tuple[str, bool]:
    show_status(book, _t(lang, "xlsales：正在计算 KPI…", "xlsales: computing the KPIs…"))
    read, cells = read_book(book)
    lang, period = read.lang, read.require_period(option=False)
    read.require_kpi_columns()
    report = kpi_report_content(read, period, lang, cells)  # keeps an edited summary
    put_sheet(book, report.content, after=report_anchor(read, lang)).activate()
    text = _t(lang, f"KPI 报告已更新（{period.label}）：“{report.sheet}”表",
              f"KPI report refreshed ({period.label}) on '{report.sheet}'")
    if report.kept_edit:
        since = report.edited_for
        text += _t(lang, f"；保留了您修改过的摘要{f'（写于 {since}）' if since else ''}，"
                         "清空该单元格可重新生成",
                   f"; kept your edited summary{f' (written for {since})' if since else ''}: "
                   "clear that cell for a fresh draft")
    return text, False


def compute_kpis(book: xw.Book | None = None) -> str:
    """Compute the KPIs with the Python engine and write the KPI report sheet, as
    ``xlsales kpis --write`` does (an edited summary is kept)."""
    return _run(book, _compute_kpis)


# --- plan ---------------------------------------------------------------------------------


def _generate_plan(book: xw.Book, lang: Lang, mode: str) -> tuple[str, bool]:
    from xlsales.plan import PlanInput, PlanOptions
    from xlsales.plan.basis_stamp import summary_fingerprint
    from xlsales.plan.running import running_period_note
    from xlsales.plan.write import existing_plan, plan_anchor, plan_contents, plan_version
    from xlsales.rollup_plan import workbook_plan

    if mode not in ("refuse", "new_version"):
        raise UsageError(f"未知的方式 “{mode}”：请用 refuse 或 new_version。",
                         f"Unknown mode '{mode}': use refuse or new_version.")
    show_status(book, _t(lang, "xlsales：正在生成下期计划…", "xlsales: generating the plan…"))
    read, cells = read_book(book)
    period = read.require_period(option=False)
    read.require_columns("Sales", "Targets")
    lang = read.lang
    errors = sum(1 for f in run_validation(read) if f.severity is Severity.ERROR)
    owner = str(read.info.get("owner") or read.path.stem)
    inp = PlanInput(period, lang, owner, {n: t.frame for n, t in read.tables.items()},
                    read.lists.get("rep", []), read.assumptions)
    plan = workbook_plan(read.info, inp, PlanOptions())  # a roll-up: over its members
    existing = existing_plan(read, lang, cells)
    if mode == "refuse" and existing.versions and existing.edited:
        raise _edited_plan(read.path.name, existing.edited)
    version = plan_version(read, existing, mode)  # type: ignore[arg-type]
    after = plan_anchor([s.name for s in read.layout.sheets], lang, existing)
    contents = plan_contents(str(read.info.get("owner") or ""), plan, lang, version,
                             summary_fingerprint(read), own_text(read, lang, user_text=True))
    for content in contents:
        put_sheet(book, content, after=after)
        after = content.name
    book.sheets[contents[0].name].activate()
    text = _t(lang, f"已生成 {plan.period.label} 的计划：", f"Plan for {plan.period.label}: ") \
        + ", ".join(c.name for c in contents)
    if errors:
        text += _t(lang, f"（注意：有 {errors} 个校验错误，修正后请重新生成）",
                   f" (note: {errors} validation errors; fix them and generate again)")
    notes = list(plan.notes)
    running = running_period_note(period, read.frame("Sales"), date.today(), (
        "期末后请再点“生成下期计划”重新生成（计划表若已修改，先删除它们）。",
        "Click Generate plan again once it is over (delete the plan sheets first if you "
        "edited them)."))
    if running:
        notes.append(running)
    for zh, en in notes:  # what `xlsales plan` notes, in a message box
        text += _t(lang, f"\n注意：{zh}", f"\nNote: {en}")
    return text, bool(notes or errors)


def _edited_plan(name: str, edited: list[str]) -> UsageError:
    """Edited plan sheets, said as a button's user can act on it (the CLI's message names
    its --new-version and --replace options)."""
    return UsageError(
        f"计划表已被修改（{'、'.join(edited)}），为避免丢失修改，未做任何改动。要重新生成，"
        "请先复制需要保留的内容并删除这些工作表，再点此按钮；或在终端运行 "
        f"xlsales plan {name} --new-version，在旁边另写一版。",
        f"The plan sheets were edited ({', '.join(edited)}); nothing was changed so that no "
        "edit is lost. To generate the plan again, copy what you want to keep, delete those "
        f"sheets and click again; or run `xlsales plan {name} --new-version` in a terminal to "
        "write a new version beside them.")


def generate_plan(book: xw.Book | None = None, mode: str = "refuse") -> str:
    """Write the next period's plan sheets; edited plan sheets are never overwritten
    (``mode="new_version"`` writes "… v2" sheets beside them)."""
    return _run(book, lambda b, lang: _generate_plan(b, lang, mode))


# --- next period ---------------------------------------------------------------------------


def _free_path(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def _start_next_period(book: xw.Book, lang: Lang, folder: str | Path | None) -> tuple[str, bool]:
    from xlsales.build.workbook import build_workbook
    from xlsales.carry_over import next_summary
    from xlsales.files import atomic_output
    from xlsales.plan.basis_stamp import summary_changed
    from xlsales.plan.write import read_version
    from xlsales.plan_versions import latest_plan

    here = book_path(book)
    if folder is None and not (here.is_absolute() and here.parent.is_dir()):
        raise UsageError(
            "无法在工作簿旁边创建文件：工作簿尚未保存，或运行在浏览器中（xlwings Lite）。"
            "请先保存工作簿并在桌面版 Excel 中点击此按钮，或运行 xlsales new --from 工作簿.xlsx。",
            "Cannot create a file next to this workbook: it was never saved, or it runs in "
            "the browser (xlwings Lite). Save it and use this button in desktop Excel, or run "
            "`xlsales new --from BOOK.xlsx`.",
        )
    show_status(book, _t(lang, "xlsales：正在创建下期工作簿…",
                         "xlsales: creating the next period's workbook…"))
    read, cells = read_book(book)
    version = latest_plan(read)
    planned = read_version(read, version, lambda spec: read_book(book, spec)[0])
    if any(planned.tables.get(name) is None for name in ("PlanTargets", "PlanActions")):
        raise _no_plan(read.path.name)  # the CLI's message names `xlsales plan`
    options, data = next_summary(read, planned)
    period = options.period
    assert period is not None
    out_dir = Path(folder) if folder is not None else here.parent
    # the CLI's default name; a workbook with buttons (.xlsm) begets one, as `new -o X.xlsm`
    suffix = ".xlsm" if here.suffix.lower() == ".xlsm" else ".xlsx"
    name = f"xlsales_{period.label}_{options.owner or options.level}_{options.lang}{suffix}"
    output = _free_path(out_dir / name)
    finish = None
    if suffix == ".xlsm":
        from xlsales.build.macros import macro_finish
        from xlsales.build.xlwings_conf import this_interpreter

        finish = macro_finish(options.lang, this_interpreter(), script=options.script)
    with atomic_output(output) as tmp:
        build_workbook(tmp, options, data, finish=finish)
    review = len(data.tables["ActionReview"])
    text = _t(lang, f"已创建 {period.label} 的工作簿：\n{output}\n（{review} 项上期行动待回顾）",
              f"Created the workbook for {period.label}:\n{output}\n"
              f"({review} previous actions to review)")
    if summary_changed(read, version, cells):  # the CLI's stale_plan_note, for a button
        text += _t(lang, "\n注意：计划做好之后本期的数据又有改动，新工作簿延续的目标仍按改动前"
                         "的数据制定。若要按现在的数据重做：点击“生成下期计划”（计划表若已修改，先保存"
                         "要保留的内容并删除这些表），再点此按钮。",
                   "\nNote: the summary changed after its plan was made: the targets carried "
                   "into the new workbook follow the figures before the change. To plan from "
                   "the figures as they are now, click Generate plan (if the plan sheets were "
                   "edited, keep what you need and delete them first), then click this button "
                   "again.")
    return text, True


def _no_plan(name: str) -> UsageError:
    """No plan to start from, said as a button's user can act on it: the button to click."""
    return UsageError(
        f"{name} 里还没有下期计划，无法开始下一期：请先点击“生成下期计划”按钮，再点此按钮。",
        f"{name} holds no plan yet, so the next period cannot start from it: click "
        "'Generate plan' first, then this button.")


def start_next_period(book: xw.Book | None = None, folder: str | Path | None = None) -> str:
    """Create the next period's workbook next to this one (or in ``folder``), as
    ``xlsales new --from`` does (with buttons when this one has them), and tell the user
    its path."""
    return _run(book, lambda b, lang: _start_next_period(b, lang, folder))
