"""Benchmark: validate, kpis and plan on 1k/10k/100k-row workbooks, next to the read floor.

The read floor is the time a reader needs just to read the sales sheet of the same
file: python-calamine into Python rows, and fastexcel into Arrow (load + ``to_arrow``).
"x floor" is relative to the faster of the two. Every measurement runs in a fresh
Python process, so peak memory (max RSS) is per operation; "cli" is the `xlsales`
command end to end, start-up included ("cli plan" writes the plan into a copy, with
``-o``). "validate (grid)" is validate with the column-wise read of large tables
switched off (``fast_read=False``, as with ``XLSALES_FAST_READ=off``): every table from
the python-calamine grid. "kpis" is what ``xlsales kpis BOOK`` computes (the whole),
"kpis by rep" adds the breakdown; "kpis compute only" times the computation by rep with
the tables already in memory. "read+validate+kpis+plan" reads once and computes all that
a rep's buttons do, without writing. "(warm)" rows time a second call in the same
process (imports and first-call costs paid before the clock starts): what a button
costs once xlwings' Python is running, comparable to the floors, whose imports are not
timed either. "cold floor" rows time the same reads as a command would: a fresh Python
process, start-up and imports included, from launch to exit; "x cold" compares the
"cli" rows (also fresh processes, launch to exit) with the faster of them. xlsales is
byte-compiled first, as ``pip install`` does.

    python benchmarks/bench_core.py                      # 1k, 10k, 100k rows
    python benchmarks/bench_core.py 1000 10000
    python benchmarks/bench_core.py --cache /tmp/bench   # reuse sales_N.xlsx built before
    python benchmarks/bench_core.py 100000 --cache /tmp/bench --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import compile_and_report
from synthetic import synthetic_sales

from xlsales.build.workbook import build_workbook
from xlsales.periods import Period
from xlsales.sample import REPS
from xlsales.workbook_data import BuildOptions, WorkbookData

PERIOD = Period.parse("2026-10")

# Each snippet runs in a new process and prints {"seconds": ..., "peak_mb": ...}.
# ru_maxrss survives exec (a child reports its parent's peak), so the peak is read from
# /proc/self/status after resetting it through /proc/self/clear_refs.
HARNESS = """
import json, re, sys, time
from pathlib import Path
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
path = Path(sys.argv[1])
{setup}
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak}}))
"""

SNIPPETS = {
    "floor (calamine)": """
python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sales").to_python()
""",
    "floor (fastexcel)": """
fastexcel.read_excel(str(path)).load_sheet_by_name("Sales", header_row=3).to_arrow()
""",
    # As the CLI does it: the reader first (it starts reading a large sheet in the
    # background, and pandas is imported meanwhile), then what needs pandas.
    "validate": """
from xlsales.io.reader import read_workbook
book = read_workbook(path)
from xlsales.validation import validate
findings = validate(book)
""",
    "validate (grid)": """
from xlsales.io.reader import read_workbook
book = read_workbook(path, fast_read=False)
from xlsales.validation import validate
findings = validate(book)
""",
    "kpis": """
from xlsales.io.reader import read_workbook
book = read_workbook(path)
from xlsales.kpis import compute_kpis
compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period)
""",
    "kpis by rep": """
from xlsales.io.reader import read_workbook
book = read_workbook(path)
from xlsales.kpis import compute_kpis
compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period, by="rep")
""",
    "plan": """
from xlsales.io.reader import read_workbook
book = read_workbook(path)
from xlsales.plan import PlanInput, generate_plan
inp = PlanInput(book.period, book.lang, "Bench", {n: t.frame for n, t in book.tables.items()},
                book.lists.get("rep", []), book.assumptions)
generate_plan(inp)
""",
    # one read, then everything a rep's three buttons compute (no writing)
    "read+validate+kpis+plan": """
from xlsales.io.reader import read_workbook
book = read_workbook(path)
from xlsales.kpis import compute_kpis
from xlsales.plan import PlanInput, generate_plan
from xlsales.validation import validate
validate(book)
tables = {n: t.frame for n, t in book.tables.items()}
compute_kpis(tables, book.period)
generate_plan(PlanInput(book.period, book.lang, "Bench", tables, book.lists.get("rep", []),
                        book.assumptions))
""",
    # The second click of a button: xlwings keeps Python running between clicks, so
    # imports and first-call costs are paid once (setup, below); this times the call.
    "validate (warm)": """
findings = validate(read_workbook(path))
""",
    "kpis (warm)": """
book = read_workbook(path)
compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period)
""",
    "kpis compute only": """
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
book = read_workbook(path)
tables = {n: t.frame for n, t in book.tables.items()}
t0 = time.perf_counter()
compute_kpis(tables, book.period, by="rep")
""",
}


def build(n: int, folder: Path) -> Path:
    """Build ``sales_N.xlsx`` in ``folder``: a manager's team workbook of ``n`` sales rows
    (seed 1, over the 18 months ending with the benchmark period)."""
    path = folder / f"sales_{n}.xlsx"
    sales = synthetic_sales(n, seed=1, period=PERIOD, reps=REPS["en"])
    data = WorkbookData(info={"owner": "Bench"}, tables={"Sales": sales},
                        lists={"rep": REPS["en"]})
    build_workbook(path, BuildOptions(lang="en", period=PERIOD, level="team", role="manager"),
                   data)
    return path


# Imported before the clock starts: the floors time the reading only (pyarrow alone takes
# ~0.1 s to import); xlsales' own imports are part of what a user waits for.
SETUP = {"floor (calamine)": "import python_calamine",
         "floor (fastexcel)": "import fastexcel, pyarrow",
         "validate (warm)": "from xlsales.io.reader import read_workbook\n"
                            "from xlsales.validation import validate\n"
                            "validate(read_workbook(path))",
         "kpis (warm)": "from xlsales.io.reader import read_workbook\n"
                        "from xlsales.kpis import compute_kpis\n"
                        "book = read_workbook(path)\n"
                        "compute_kpis({n: t.frame for n, t in book.tables.items()}, "
                        "book.period)\n"
                        "del book  # the timed call's peak, not two books at once"}


def run_once(name: str, path: Path) -> dict[str, float] | None:
    """Seconds and peak MB of snippet ``name`` in a fresh process (None if it cannot
    run here, e.g. fastexcel not installed)."""
    code = HARNESS.format(setup=SETUP.get(name, ""), body=SNIPPETS[name].strip())
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cli_once(args: list[str]) -> dict[str, float]:
    """Launch-to-exit seconds of ``xlsales ARGS`` in a fresh process."""
    return wall_once(["-m", "xlsales.cli", *args])


def wall_once(args: list[str]) -> dict[str, float]:
    """Launch-to-exit seconds of ``python ARGS`` in a fresh process."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    return {"seconds": time.perf_counter() - t0, "peak_mb": float("nan")}


def cold_floor_once(name: str, path: Path) -> dict[str, float] | None:
    """Launch-to-exit seconds of a fresh process importing the floor's reader and reading
    the sales sheet: the floor as a command would pay it (None: reader not installed)."""
    setup = SETUP[name]
    if subprocess.run([sys.executable, "-c", setup], capture_output=True,
                      check=False).returncode != 0:
        return None
    return wall_once(["-c", f"{setup}\npath = {str(path)!r}\n{SNIPPETS[name].strip()}"])


def measure_all(path: Path, repeat: int = 3) -> dict[str, dict[str, float] | None]:
    """Median seconds and max peak MB of every snippet and CLI command over ``repeat``
    rounds; each round runs them all once, so a machine getting busier or quieter
    weighs on all of them alike (the ratios to the floor are what matter)."""
    jobs = {name: (lambda name=name: run_once(name, path)) for name in SNIPPETS}
    for name in ("floor (calamine)", "floor (fastexcel)"):
        jobs[f"cold {name}"] = lambda name=name: cold_floor_once(name, path)
    for command in ("validate", "kpis"):
        jobs[f"cli {command}"] = lambda command=command: cli_once([command, str(path)])
    out = path.with_name(path.stem + "_plan.xlsx")  # the user's file stays as it is
    jobs["cli plan"] = lambda: cli_once(["plan", str(path), "-o", str(out), "--force"])
    runs: dict[str, list[dict[str, float]] | None] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            if runs[name] is None:
                continue
            result = job()
            if result is None:
                runs[name] = None
            else:
                runs[name].append(result)  # type: ignore[union-attr]
    return {name: None if r is None else {
        "seconds": float(np.median([x["seconds"] for x in r])),
        "peak_mb": max(x["peak_mb"] for x in r)} for name, r in runs.items()}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main(sizes: list[int], cache: Path | None = None, repeat: int = 3) -> None:
    print(f"machine: {platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {sys.platform}")
    compile_and_report()
    header = (f"{'rows':>8} {'operation':<24} {'seconds':>9} {'peak MB':>9} "
              f"{'x floor':>8} {'x cold':>7}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = cache or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"sales_{n}.xlsx"
            if not path.exists():
                path = build(n, folder)
            results = measure_all(path, repeat)
            floor = min(r["seconds"] for k, r in results.items()
                        if k.startswith("floor") and r)
            cold = min(r["seconds"] for k, r in results.items()
                       if k.startswith("cold floor") and r)
            for name, r in results.items():
                if r is None:
                    print(f"{n:>8} {name:<24} {'n/a':>9}")
                    continue
                floors = name.startswith(("floor", "cold floor"))
                ratio = "" if floors else f"{r['seconds'] / floor:8.2f}"
                against_cold = f"{r['seconds'] / cold:7.2f}" if name.startswith("cli") else ""
                peak = "" if r["peak_mb"] != r["peak_mb"] else f"{r['peak_mb']:9.0f}"
                print(f"{n:>8} {name:<24} {r['seconds']:9.3f} {peak:>9} {ratio:>8} "
                      f"{against_cold:>7}".rstrip())

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--cache", type=Path, help="folder keeping the sales_N.xlsx built "
                        "(reused when present; built otherwise)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median; default 3)")
    args = parser.parse_args()
    main(args.sizes, args.cache, args.repeat)
