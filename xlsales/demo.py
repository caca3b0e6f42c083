"""``xlsales demo``: the whole loop a user runs, on the embedded sample team.

It writes the filled sample summary workbooks (zh and en; with a language given, that
one alone), validates one, computes its KPIs with the Python engine, generates the next
month's plan into it, starts next month's summary from that plan, rolls the reps' own
workbooks up into the team, and writes a blank workbook for the next month — in Chinese,
or all in the language given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.cli_progress import step_text
from xlsales.files import atomic_output, check_output
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.spec import LANGS, SPEC, Lang
from xlsales.workbook_data import BuildOptions


def demo_files(out_dir: Path, period: Period = SAMPLE_PERIOD,
               lang: Lang | None = None) -> dict[str, Path]:
    """Names of the files the demo writes, by purpose: the sample in both languages and
    the loop's in Chinese, or all in ``lang``."""
    loop = lang or "zh"
    files = {f"sample_{x}": out_dir / f"sample_team_{period.label}_{x}.xlsx"
             for x in ([lang] if lang else LANGS)}
    files["blank"] = out_dir / f"blank_{period.next.label}_{loop}.xlsx"
    files["summary"] = out_dir / f"summary_{period.next.label}_{loop}.xlsx"
    files["rollup"] = out_dir / f"team_rollup_{period.label}_{loop}.xlsx"
    return files


def _check_and_measure(path: Path, progress: Callable[[str], None]) -> list[str]:
    """Validate the written workbook and compute its KPIs, as a user's button click would."""
    from xlsales.currency import CURRENCY_FIELD, money_unit
    from xlsales.io.reader import read_workbook
    from xlsales.kpis import compute_kpis
    from xlsales.kpis_report import format_value
    from xlsales.narrative import summary_paragraph
    from xlsales.validation import validate
    from xlsales.validation.report import severity_counts

    progress(step_text("demo", f"正在校验 {path.name} …", f"validating {path.name} ..."))
    book = read_workbook(path)
    lines = [f"validate {path.name}: " + severity_counts(validate(book), "en")]
    progress(step_text("demo", "正在计算 KPI …", "computing KPIs ..."))
    assert book.period is not None
    result = compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period, by="rep")
    shown = ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "customers",
             "new_customer_revenue_share", "win_rate", "collection_rate")
    lines.append(f"KPIs {book.period.label}: " + ", ".join(
        f"{key} {format_value(SPEC.kpi(key), result.kpis[key])}" for key in shown))
    money = money_unit(book.info.get(CURRENCY_FIELD), book.lang)
    lines.append("draft summary: " + summary_paragraph(result, book.lang, money))
    return lines


def _plan(path: Path, progress: Callable[[str], None]) -> list[str]:
    """Generate the next month's plan into the sample workbook, as the plan button would."""
    from xlsales.plan_command import run_plan

    return run_plan(path, None, None, None, "seasonal", "share", new_version=False,
                    replace=False, force=False, progress=progress)


def _next_summary_and_rollup(files: dict[str, Path], out_dir: Path, lang: Lang,
                             progress: Callable[[str], None]) -> list[str]:
    """Start November from October's plan; roll the reps' own workbooks up into the team."""
    from xlsales.carry_over import next_summary
    from xlsales.consolidate import consolidate, report_lines
    from xlsales.io.reader import read_workbook
    from xlsales.sample import sample_members

    progress(step_text("demo", "正在按计划新建下月的总结 …",
                       "starting next month's summary from the plan ..."))
    options, data = next_summary(read_workbook(files[f"sample_{lang}"]))
    following = files["summary"]
    with atomic_output(following) as tmp:
        build_workbook(tmp, options, data)
    lines = [f"wrote {following}  (targets from the plan, "
             f"{len(data.tables['ActionReview'])} actions to review)"]
    members_dir = out_dir / "members"
    for rep, member in sample_members(lang).items():
        path = members_dir / f"{rep}_{SAMPLE_PERIOD.label}.xlsx"
        with atomic_output(path) as tmp:
            build_workbook(tmp, BuildOptions(lang=lang, period=SAMPLE_PERIOD, owner=rep), member)
    rollup_path = files["rollup"]
    rollup = consolidate([members_dir], rollup_path, "team", TEAM[lang][0], force=True,
                         progress=progress, lang=lang)  # its members' language: said so
    return lines + report_lines(rollup, rollup_path)


def run_demo(out_dir: Path, force: bool = False, progress: Callable[[str], None] = print,
             lang: Lang | None = None) -> list[str]:
    """Write the demo workbooks into ``out_dir`` (the loop in Chinese, or all in
    ``lang``); return a report, one line per row."""
    files = demo_files(out_dir, lang=lang)
    loop: Lang = lang or "zh"
    for path in files.values():
        check_output(path, force, elsewhere=("或用 --out 指定其他文件夹",
                                             "or choose another folder with --out"))
    report = []
    for sample in [lang] if lang else LANGS:
        path = files[f"sample_{sample}"]
        progress(step_text("demo", f"正在生成 {sample} 示例团队工作簿 …",
                           f"building the {sample} sample team workbook ..."))
        data = sample_workbook_data(sample)
        options = BuildOptions(lang=sample, period=SAMPLE_PERIOD, level="team", role="manager",
                               owner=TEAM[sample][0])
        with atomic_output(path) as tmp:
            build_workbook(tmp, options, data)
        counts = ", ".join(
            f"{SPEC.sheet_of(name).name.get(sample)} {len(frame):,}"
            for name, frame in data.tables.items()
        )
        report.append(f"wrote {path}  ({SAMPLE_PERIOD.label}; {counts})")
    report += _check_and_measure(files[f"sample_{loop}"], progress)
    report += _plan(files[f"sample_{loop}"], progress)
    report += _next_summary_and_rollup(files, out_dir, loop, progress)
    blank = files["blank"]
    progress(step_text("demo", "正在生成下月的空白工作簿 …",
                       "building a blank workbook for the next month ..."))
    with atomic_output(blank) as tmp:
        build_workbook(tmp, BuildOptions(lang=loop, period=SAMPLE_PERIOD.next, level="team",
                                         role="manager", owner=TEAM[loop][0]))
    report.append(f"wrote {blank}  (ready to fill for {SAMPLE_PERIOD.next.label})")
    which = ("the", "it ends") if lang else ("a", f"the {loop} one ends")
    report.append(f"Open {which[0]} sample workbook in Excel, WPS or LibreOffice: the KPI sheet "
                  f"computes with native formulas, no Python needed; {which[1]} with next "
                  "month's plan sheets.")
    return report
