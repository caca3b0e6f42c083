"""``xlsales demo``: the whole loop a user runs, on the embedded sample team.

It writes the filled sample summary workbooks (zh and en), validates one,
computes its KPIs with the Python engine, generates the next month's plan into
it, starts next month's summary from that plan, rolls the reps' own workbooks up
into the team, and writes a blank workbook for the next month.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xlsales.build.workbook import build_workbook
from xlsales.files import atomic_output, check_output
from xlsales.periods import Period
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.spec import LANGS, SPEC
from xlsales.workbook_data import BuildOptions


def demo_files(out_dir: Path, period: Period = SAMPLE_PERIOD) -> dict[str, Path]:
    """Names of the files the demo writes, by purpose."""
    files = {
        f"sample_{lang}": out_dir / f"sample_team_{period.label}_{lang}.xlsx" for lang in LANGS
    }
    files["blank_zh"] = out_dir / f"blank_{period.next.label}_zh.xlsx"
    files["summary_zh"] = out_dir / f"summary_{period.next.label}_zh.xlsx"
    files["rollup_zh"] = out_dir / f"team_rollup_{period.label}_zh.xlsx"
    return files


def _check_and_measure(path: Path, progress: Callable[[str], None]) -> list[str]:
    """Validate the written workbook and compute its KPIs, as a user's button click would."""
    from xlsales.io.reader import read_workbook
    from xlsales.kpis import compute_kpis
    from xlsales.kpis_report import format_value
    from xlsales.narrative import summary_paragraph
    from xlsales.validation import validate
    from xlsales.validation.report import severity_counts

    progress(f"[demo] validating {path.name} ...")
    book = read_workbook(path)
    lines = [f"validate {path.name}: " + severity_counts(validate(book), "en")]
    progress("[demo] computing KPIs ...")
    assert book.period is not None
    result = compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period, by="rep")
    shown = ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "customers",
             "new_customer_revenue_share", "win_rate", "collection_rate")
    lines.append(f"KPIs {book.period.label}: " + ", ".join(
        f"{key} {format_value(SPEC.kpi(key), result.kpis[key])}" for key in shown))
    lines.append("draft summary: " + summary_paragraph(result, book.lang))
    return lines


def _plan(path: Path, progress: Callable[[str], None]) -> list[str]:
    """Generate the next month's plan into the sample workbook, as the plan button would."""
    from xlsales.plan_command import run_plan

    return run_plan(path, None, None, None, "seasonal", "share", new_version=False,
                    replace=False, force=False, progress=progress)


def _next_summary_and_rollup(files: dict[str, Path], out_dir: Path,
                             progress: Callable[[str], None]) -> list[str]:
    """Start November from October's plan; roll the reps' own workbooks up into the team."""
    from xlsales.carry_over import next_summary
    from xlsales.consolidate import consolidate, report_lines
    from xlsales.io.reader import read_workbook
    from xlsales.sample import sample_members

    progress("[demo] starting next month's summary from the plan ...")
    options, data = next_summary(read_workbook(files["sample_zh"]))
    following = files["summary_zh"]
    with atomic_output(following) as tmp:
        build_workbook(tmp, options, data)
    lines = [f"wrote {following}  (targets from the plan, "
             f"{len(data.tables['ActionReview'])} actions to review)"]
    members_dir = out_dir / "members"
    for rep, member in sample_members("zh").items():
        path = members_dir / f"{rep}_{SAMPLE_PERIOD.label}.xlsx"
        with atomic_output(path) as tmp:
            build_workbook(tmp, BuildOptions(lang="zh", period=SAMPLE_PERIOD, owner=rep), member)
    rollup_path = files["rollup_zh"]
    rollup = consolidate([members_dir], rollup_path, "team", TEAM["zh"][0], force=True,
                         progress=progress)
    return lines + report_lines(rollup, rollup_path)


def run_demo(
    out_dir: Path, force: bool = False, progress: Callable[[str], None] = print
) -> list[str]:
    """Write the demo workbooks into ``out_dir``; return a report, one line per row."""
    files = demo_files(out_dir)
    for path in files.values():
        check_output(path, force, elsewhere=("或用 --out 指定其他文件夹",
                                             "or choose another folder with --out"))
    report = []
    for lang in LANGS:
        path = files[f"sample_{lang}"]
        progress(f"[demo] building the {lang} sample team workbook ...")
        data = sample_workbook_data(lang)
        options = BuildOptions(lang=lang, period=SAMPLE_PERIOD, level="team", role="manager",
                               owner=TEAM[lang][0])
        with atomic_output(path) as tmp:
            build_workbook(tmp, options, data)
        counts = ", ".join(
            f"{SPEC.sheet_of(name).name.get(lang)} {len(frame):,}"
            for name, frame in data.tables.items()
        )
        report.append(f"wrote {path}  ({SAMPLE_PERIOD.label}; {counts})")
    report += _check_and_measure(files["sample_zh"], progress)
    report += _plan(files["sample_zh"], progress)
    report += _next_summary_and_rollup(files, out_dir, progress)
    blank = files["blank_zh"]
    progress("[demo] building a blank workbook for the next month ...")
    with atomic_output(blank) as tmp:
        build_workbook(tmp, BuildOptions(lang="zh", period=SAMPLE_PERIOD.next, level="team",
                                         role="manager", owner=TEAM["zh"][0]))
    report.append(f"wrote {blank}  (ready to fill for {SAMPLE_PERIOD.next.label})")
    report.append("Open a sample workbook in Excel, WPS or LibreOffice: the KPI sheet computes "
                  "with native formulas, no Python needed; the zh one ends with next month's "
                  "plan sheets.")
    return report
