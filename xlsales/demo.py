"""``xlsales demo``: the whole loop a user runs, on the embedded sample team.

Today it writes the filled sample summary workbooks (zh and en) and a blank
workbook to fill; later steps (validate, KPIs, plan, next summary, roll-up)
join here as they are built.
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
    return files


def run_demo(
    out_dir: Path, force: bool = False, progress: Callable[[str], None] = print
) -> list[str]:
    """Write the demo workbooks into ``out_dir``; return a report, one line per row."""
    files = demo_files(out_dir)
    for path in files.values():
        check_output(path, force)
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
    blank = files["blank_zh"]
    progress("[demo] building a blank workbook for the next month ...")
    with atomic_output(blank) as tmp:
        build_workbook(tmp, BuildOptions(lang="zh", period=SAMPLE_PERIOD.next, level="team",
                                         role="manager", owner=TEAM["zh"][0]))
    report.append(f"wrote {blank}  (ready to fill for {SAMPLE_PERIOD.next.label})")
    report.append("Open a sample workbook in Excel, WPS or LibreOffice: the KPI sheet computes "
                  "with native formulas, no Python needed.")
    return report
