"""Benchmark: ``consolidate`` (on 1 core; 1 worker and 2 workers on every core) and
``export`` (csv, parquet, xlsx) on many member workbooks, next to the read floor: fastexcel
reading every sheet of the same files, on 1 core, one after the other and with 2 threads.
The machine may be shared: a first line says how much faster two busy processes run than
one right now (2.00 on idle cores), and a *ceiling* line says how much faster 2 forked
processes read and validate members than one, with nothing crossing processes: the most
2 workers can give on this machine.

"1 core" rows run pinned to one core (``os.sched_setaffinity`` in the child before it
starts: its threads and worker processes inherit it), so consolidate runs as it does
for a user with one core (one worker, since it counts the cores it may use) and the
reader's own threads share that core. "1 worker" rows run unpinned: the reader of the
one worker still reads a member's sheets in threads of its own, on both cores. The
speedup line compares consolidate on 2 cores (2 workers) with 1 core, as issue #7's
target states (at least 1.7×), and 1 worker with 2.

Inputs are generated (deterministic) into a temporary folder, or into ``--cache DIR``
to reuse them between runs. Every measurement runs in a fresh Python process: seconds,
the process's peak memory (VmHWM, reset at start through /proc/self/clear_refs) and the
largest peak of its worker processes (ru_maxrss of the children: a forked worker's peak
counts the pages it shares with its parent), and the CPU seconds of the process and its
workers together.

    python benchmarks/bench_rollup.py                     # 200 small members, 200 × 2,000 rows
    python benchmarks/bench_rollup.py --small 200,1000 --big 200x2000 --export-big \
        --cache ~/.cache/xlsales --repeat 2
    python benchmarks/bench_rollup.py --small 20 --big 20x2000   # a quick look
    python benchmarks/bench_rollup.py --small 200,1000 --no-export --repeat 3   # roll-ups only
    python benchmarks/bench_rollup.py --small "" --big 200x2000 --no-export \
        --cache /tmp/xr/cache --out /tmp/mine --repeat 2   # inputs shared, outputs apart

The consolidate rows end with the phases as the progress lines mark them (read and
validate; merge and skeleton; write, of which the rows' blocks and the plan, made while
the workers render) and the roll-up's size.
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
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from common import compile_and_report
from synthetic import history_start, synthetic_sales

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from xlsales.periods import Period  # noqa: E402

PERIOD = Period.parse("2026-10")
START = history_start(PERIOD)  # 18 months of history: 2025-05-01
SMALL_ROWS = 50
EXPORT_TABLES = "kpis,kpis_by_rep,targets,sales"

HARNESS = """
import json, re, resource, sys, time
from pathlib import Path
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
args = json.loads(sys.argv[1])
marks = {{}}
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
child = usage[1].ru_maxrss / 1024
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(json.dumps({{"seconds": seconds, "peak_mb": peak, "child_mb": child, "cpu": cpu,
                  "marks": marks}}))
"""

SNIPPETS = {
    "consolidate": """
from xlsales.consolidate import consolidate
def progress(line):
    phase = "read" if "read and validated" in line else "rows" if "blocks written" in line \\
        else "write" if "writing" in line else "plan" if "planning" in line \\
        else "planned" if "plan added" in line else None
    if phase:
        marks[phase] = time.perf_counter() - t0
consolidate([Path(args["dir"])], Path(args["out"]), "team", "Bench", force=True,
            workers=args["workers"], progress=progress)
""",
    "export": """
from xlsales.export import export_books
paths = sorted(Path(args["dir"]).glob("*.xlsx"))
export_books(paths, Path(args["out"]), args["format"], args["tables"].split(","),
             progress=lambda _: None, workers=args["workers"])
""",
    "ceiling": """
import os
from xlsales.consolidate import load_member
paths = sorted(Path(args["dir"]).glob("*.xlsx"))[:args["files"]]
load_member(paths[0])  # imports, warm caches
def work(chunk):
    for p in chunk:
        load_member(p)
start = time.perf_counter()
work(paths)
marks["one"] = time.perf_counter() - start
start = time.perf_counter()
pids = []
for half in (paths[::2], paths[1::2]):
    pid = os.fork()
    if pid == 0:
        work(half)
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
marks["two"] = time.perf_counter() - start
""",
    "floor": """
from concurrent.futures import ThreadPoolExecutor
import fastexcel
def read(path):
    reader = fastexcel.read_excel(str(path))
    return [reader.load_sheet(name, header_row=None) for name in reader.sheet_names]
paths = sorted(Path(args["dir"]).glob("*.xlsx"))
if args["workers"] > 1:
    with ThreadPoolExecutor(args["workers"]) as pool:
        list(pool.map(read, paths))
else:
    for p in paths:
        read(p)
""",
}


# --- inputs ------------------------------------------------------------------------------


def member_data(i: int, rows: int):  # -> WorkbookData
    """One rep's workbook: ``rows`` sales rows over 18 months, monthly targets,
    activities, two problems and a lesson; valid (no validation error)."""
    from xlsales.spec.declarations import PROBLEM_CATEGORIES
    from xlsales.workbook_data import WorkbookData

    rng = np.random.default_rng(1000 + i)  # the sales rows first, then the other tables
    rep = f"Rep {i:04d}"
    days = (PERIOD.end - START).days
    sales = synthetic_sales(rows, seed=rng, period=PERIOD, reps=[rep], customers=3000,
                            order_prefix=f"SO{i:04d}-", order_digits=6, sort_dates=True)
    months = pd.period_range(START, PERIOD.end, freq="M")
    targets = pd.DataFrame({"period": [m.to_timestamp().date() for m in months], "rep": rep,
                            "revenue_target": 1000.0 * rng.integers(20, 60, len(months))
                            * max(1, rows // 100), "visits_target": 16})
    acts = max(5, rows // 10)
    activities = pd.DataFrame({
        "date": sorted(START + timedelta(days=int(d)) for d in rng.integers(0, days + 1, acts)),
        "rep": rep, "customer": [f"Customer {c}" for c in rng.integers(0, 3000, acts)],
        "type": rng.choice(["visit", "call", "email"], acts)})
    categories = [c.get("en") for c in PROBLEM_CATEGORIES.defaults]
    problems = pd.DataFrame([{
        "problem_id": f"P0{k}", "description": f"Problem {k} of {rep}",
        "impact_amount": float(rng.integers(1, 20) * 5000),
        "category": categories[(i + k) % len(categories)], "controllability": "controllable",
        "severity": "medium", "carry_forward": "yes", "owner": rep} for k in (1, 2)])
    lessons = pd.DataFrame([{"lesson_id": "L01", "type": "success",
                             "description": f"What worked for {rep}", "best_practice": "yes"}])
    return WorkbookData(info={"owner": rep, "level": "individual", "role": "rep"},
                        tables={"Sales": sales, "Targets": targets, "Activities": activities,
                                "Problems": problems, "Lessons": lessons},
                        lists={"rep": [rep], "region": ["East", "South", "North"]},
                        assumptions={"growth_rate": 0.1})


def _build_member(job: tuple[int, int, str]) -> None:
    from xlsales.build.workbook import build_workbook
    from xlsales.workbook_data import BuildOptions

    i, rows, folder = job
    path = Path(folder) / f"member_{i:04d}.xlsx"
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    build_workbook(tmp, BuildOptions(lang="en", period=PERIOD, owner=f"Rep {i:04d}"),
                   member_data(i, rows))
    tmp.replace(path)


def members(root: Path, count: int, rows: int) -> Path:
    """A folder of ``count`` member workbooks of ``rows`` sales rows (made once)."""
    folder = root / f"members_{count}x{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(count) if not (folder / f"member_{i:04d}.xlsx").exists()]
    if missing:
        t0 = time.perf_counter()
        print(f"  generating {len(missing)} member workbooks of {rows:,} rows in {folder} ...",
              file=sys.stderr, flush=True)
        with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
            list(pool.map(_build_member, [(i, rows, str(folder)) for i in missing]))
        print(f"  ... {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return folder


# --- measuring ---------------------------------------------------------------------------


def one_core() -> set[int]:
    """The first core this process may run on, as a set for ``os.sched_setaffinity``."""
    return {min(os.sched_getaffinity(0))}


def measure(snippet: str, args: dict[str, object], cores: set[int] | None = None) -> dict:
    """``snippet`` run with ``args`` in a fresh process (pinned to ``cores`` if given:
    its threads and children inherit it): its measurements."""
    code = HARNESS.format(body=SNIPPETS[snippet].strip())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    pin = None if cores is None else (lambda: os.sched_setaffinity(0, cores))
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True,
                          text=True, check=False, cwd=REPO, env=env, preexec_fn=pin)
    if proc.returncode != 0:
        raise RuntimeError(f"{snippet} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fastest(runs: list[dict]) -> dict:
    """The fastest of ``runs`` (the machine may be shared), with their largest peaks."""
    first = min(runs, key=lambda r: r["seconds"])
    return {**first, "peak_mb": max(r["peak_mb"] for r in runs),
            "child_mb": max(r["child_mb"] for r in runs)}


def best(snippet: str, args: dict[str, object], repeat: int,
         cores: set[int] | None = None) -> dict:
    """The fastest of ``repeat`` runs (pinned to ``cores`` if given), largest peaks."""
    return fastest([measure(snippet, args, cores) for _ in range(repeat)])


def cpu_check() -> float:
    """How much faster 2 busy processes finish 2 jobs than 1 process (2.00: idle cores)."""
    code = "s=0\nfor i in range(15_000_000): s+=i*i"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(2)]
    for p in procs:
        p.wait()
    return 2 * one / (time.perf_counter() - t0)


def row(label: str, what: str, r: dict, floor: float | None, extra: str = "") -> str:
    ratio = f"{r['seconds'] / floor:8.2f}" if floor else f"{'':>8}"
    child = f"{r['child_mb']:9.0f}" if r.get("child_mb") else f"{'-':>9}"
    return (f"{label:<14} {what:<27} {r['seconds']:8.2f} {r['cpu']:7.1f} {r['peak_mb']:8.0f} "
            f"{child} {ratio} {extra}")


#: The consolidate runs: (key, label, workers, pinned to one core).
CONSOLIDATE_RUNS = (("core", "consolidate, 1 core", 1, True),
                    (1, "consolidate, 1 worker", 1, False),
                    (2, "consolidate, 2 workers", 2, False))


def phases(r: dict, size: float) -> str:
    """The phases of a consolidate run, as its progress lines mark them, and its size."""
    m = r["marks"]
    read, write = m.get("read", 0.0), m.get("write", 0.0)
    plan = m.get("planned", 0.0) - m.get("plan", 0.0)
    return (f"read {read:.1f} s, merge {write - read:.1f} s, write {r['seconds'] - write:.1f} s"
            f" (rows {m.get('rows', write) - write:.1f} s, plan {plan:.1f} s while the rows "
            f"render), {size:.0f} MB")


def run(sets: list[tuple[int, int]], export_sets: set[tuple[int, int]], root: Path,
        repeat: int, out_dir: Path | None = None) -> None:
    """Measure every set (inputs in ``root``, outputs in ``out_dir``, by default ``root``)
    and print the table."""
    out_dir = out_dir or root
    out_dir.mkdir(parents=True, exist_ok=True)
    core = one_core()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}")
    compile_and_report()  # every measurement below runs in a fresh process
    print(f"cpu check: 2 busy processes run {cpu_check():.2f}× as fast as 1 (2.00 = idle)")
    header = (f"{'members':<14} {'operation':<27} {'seconds':>8} {'cpu s':>7} {'main MB':>8} "
              f"{'worker MB':>9} {'x floor':>8}")
    print(header)
    print("-" * len(header))
    for count, rows in sets:
        folder = members(root, count, rows)
        label = f"{count} x {rows:,}"
        floors = {"core": best("floor", {"dir": str(folder), "workers": 1}, repeat, core)}
        floors.update({w: best("floor", {"dir": str(folder), "workers": w}, repeat)
                       for w in (1, 2)})
        for key, what in (("core", "floor: fastexcel, 1 core"),
                          (1, "floor: fastexcel, 1 thread"), (2, "floor: fastexcel, 2 threads")):
            print(row(label, what, floors[key], None), flush=True)
        runs: dict[object, list[dict]] = {key: [] for key, *_ in CONSOLIDATE_RUNS}
        sizes = {}
        for _ in range(repeat):  # interleaved: every run sees the same noise
            for key, _what, workers, pinned in CONSOLIDATE_RUNS:
                out = out_dir / f"rollup_{count}x{rows}_{key}.xlsx"
                runs[key].append(measure("consolidate", {
                    "dir": str(folder), "out": str(out), "workers": workers},
                    core if pinned else None))
                sizes[key] = out.stat().st_size / 1e6 if out.exists() else 0.0
                out.unlink(missing_ok=True)
        results = {}
        for key, what, _workers, _pinned in CONSOLIDATE_RUNS:
            r = results[key] = fastest(runs[key])
            print(row(label, what, r, floors[key]["seconds"], phases(r, sizes[key])),
                  flush=True)
        ceiling = best("ceiling", {"dir": str(folder), "files": min(count, 60)}, repeat)
        limit = ceiling["marks"]["one"] / ceiling["marks"]["two"]
        print(f"{label:<14} {'ceiling: 2 forked readers':<27} {limit:8.2f}×   (read and "
              f"validate {min(count, 60)} members in 1 process vs 2, nothing crosses processes)",
              flush=True)
        read = {key: max(1e-9, r["marks"].get("read", 0.0)) for key, r in results.items()}
        for a, b, what, target in (("core", 2, "2 cores / 1 core", " (target: 1.70×)"),
                                   (1, 2, "2 workers / 1", "")):
            speedup = results[a]["seconds"] / results[b]["seconds"]
            print(f"{label:<14} {'speedup ' + what:<27} {speedup:8.2f}×   (read and validate "
                  f"phase {read[a] / read[b]:.2f}×){target}", flush=True)
        if (count, rows) not in export_sets:
            continue
        for fmt in ("csv", "parquet", "xlsx"):
            out = out_dir / f"export_{count}x{rows}_{fmt}"
            r = best("export", {"dir": str(folder), "out": str(out), "format": fmt,
                                "tables": EXPORT_TABLES, "workers": 2}, repeat)
            print(row(label, f"export {fmt}, 2 workers", r, floors[2]["seconds"]), flush=True)
    print(f"cpu check at the end: {cpu_check():.2f}×")
    print(f"export tables: {EXPORT_TABLES}; floor: every sheet of every file read by "
          "fastexcel; x floor: against the floor on as many cores or threads as the run has "
          "(1 core: pinned, so are its threads; 1 worker: 1 thread, unpinned); "
          "cpu s: the process's and its workers' CPU seconds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", default="200",
                        help=f"counts of small members ({SMALL_ROWS} rows), comma-separated")
    parser.add_argument("--big", default="200x2000", help="COUNTxROWS sets, comma-separated "
                                                          "(empty: none)")
    parser.add_argument("--cache", type=Path, help="keep the generated inputs here")
    parser.add_argument("--out", type=Path, help="write the roll-ups and exports here "
                                                 "(default: beside the inputs); with "
                                                 "--cache, nothing is written or deleted "
                                                 "in the cache but missing inputs")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best)")
    parser.add_argument("--export-big", action="store_true",
                        help="export the big sets too (the xlsx of 400,000 sales rows is slow)")
    parser.add_argument("--no-export", action="store_true", help="time consolidate only")
    opts = parser.parse_args()
    small = [(int(n), SMALL_ROWS) for n in opts.small.split(",") if n.strip()]
    big = [tuple(int(x) for x in s.split("x")) for s in opts.big.split(",") if s.strip()]
    sets = small + big  # type: ignore[operator]
    export_sets = set() if opts.no_export else (  # type: ignore[var-annotated]
        set(small) | (set(big) if opts.export_big else set()))  # type: ignore[arg-type]
    if opts.cache:
        opts.cache.mkdir(parents=True, exist_ok=True)
        run(sets, export_sets, opts.cache, opts.repeat, opts.out)  # type: ignore[arg-type]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(sets, export_sets, Path(tmp), opts.repeat, opts.out)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
