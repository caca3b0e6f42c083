"""Benchmark: validate, kpis and plan on 1k/10k/100k-row workbooks, next to the read floor.

The read floor is the time the fastest reader available here needs just to read
the sales sheet of the same file (python-calamine, or fastexcel when installed).
Every measurement runs in a fresh Python process, so peak memory (max RSS) is
per operation; "end to end" is the `xlsales` command including start-up.

    python benchmarks/bench_core.py            # 1k, 10k, 100k rows
    python benchmarks/bench_core.py 1000 10000
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

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
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
print(json.dumps({{"seconds": seconds, "peak_mb": peak}}))
"""

SNIPPETS = {
    "floor (calamine)": """
import python_calamine
python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sales").to_python()
""",
    "floor (fastexcel)": """
import fastexcel
fastexcel.read_excel(str(path)).load_sheet_by_name("Sales", header_row=3)
""",
    "validate": """
from xlsales.io.reader import read_workbook
from xlsales.validation import validate
findings = validate(read_workbook(path))
""",
    "kpis": """
from xlsales.io.reader import read_workbook
from xlsales.kpis import compute_kpis
book = read_workbook(path)
compute_kpis({n: t.frame for n, t in book.tables.items()}, book.period, by="rep")
""",
    "plan": """
from xlsales.io.reader import read_workbook
from xlsales.plan import PlanInput, generate_plan
book = read_workbook(path)
inp = PlanInput(book.period, book.lang, "Bench", {n: t.frame for n, t in book.tables.items()},
                book.lists.get("rep", []), book.assumptions)
generate_plan(inp)
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


def synthetic_sales(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` realistic rows over 18 months ending with the benchmark period."""
    rng = np.random.default_rng(seed)
    start = date(2025, 5, 1)
    days = (PERIOD.end - start).days
    qty = rng.integers(1, 10, n).astype(float)
    price = rng.choice([2800.0, 6800.0, 16800.0, 9800.0], n)
    amount = qty * price
    stage = rng.choice(["lead", "follow_up", "proposal", "won", "lost"], n,
                       p=[.05, .05, .05, .5, .35])
    won = stage == "won"
    return pd.DataFrame({
        "order_id": [f"SO{i:07d}" for i in range(n)],
        "date": [start + timedelta(days=int(d)) for d in rng.integers(0, days + 1, n)],
        "rep": rng.choice(REPS["en"], n), "region": rng.choice(["East", "South", "North"], n),
        "customer": [f"Customer {c}" for c in rng.integers(0, max(50, n // 20), n)],
        "product": rng.choice(["Standard", "Professional", "Enterprise", "Services"], n),
        "quantity": qty, "unit_price": price, "amount": amount, "stage": stage,
        "invoiced": np.where(won, amount, np.nan),
        "collected": np.where(won, amount * rng.choice([1.0, 0.5], n), np.nan),
    })


def build(n: int, folder: Path) -> Path:
    path = folder / f"sales_{n}.xlsx"
    data = WorkbookData(info={"owner": "Bench"}, tables={"Sales": synthetic_sales(n)},
                        lists={"rep": REPS["en"]})
    build_workbook(path, BuildOptions(lang="en", period=PERIOD, level="team", role="manager"),
                   data)
    return path


def measure(snippet: str, path: Path, repeat: int = 3) -> dict[str, float] | None:
    """Median seconds and max peak MB over ``repeat`` fresh processes (None if the
    snippet cannot run here, e.g. fastexcel not installed)."""
    code = HARNESS.format(body=snippet.strip())
    runs = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                              text=True, check=False)
        if proc.returncode != 0:
            return None
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {"seconds": float(np.median([r["seconds"] for r in runs])),
            "peak_mb": max(r["peak_mb"] for r in runs)}


def end_to_end(args: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xlsales.cli", *args], capture_output=True,
                       check=False)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main(sizes: list[int]) -> None:
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}, "
          f"Python {platform.python_version()}, {sys.platform}")
    header = (f"{'rows':>8} {'operation':<18} {'seconds':>9} {'peak MB':>9} "
              f"{'x floor':>8}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = build(n, Path(tmp))
            results = {name: measure(code, path) for name, code in SNIPPETS.items()}
            floors = [r["seconds"] for k, r in results.items() if k.startswith("floor") and r]
            floor = min(floors)
            for name, r in results.items():
                if r is None:
                    print(f"{n:>8} {name:<18} {'n/a':>9}")
                    continue
                ratio = "" if name.startswith("floor") else f"{r['seconds'] / floor:8.2f}"
                print(f"{n:>8} {name:<18} {r['seconds']:9.3f} {r['peak_mb']:9.0f} {ratio:>8}")
            for command in (["validate", str(path)], ["kpis", str(path)]):
                seconds = end_to_end(command)
                print(f"{n:>8} {'cli ' + command[0]:<18} {seconds:9.3f} {'':>9} "
                      f"{seconds / floor:8.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
