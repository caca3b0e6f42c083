"""Benchmark: writing a results sheet into a user's workbook, by package editing vs openpyxl.

For workbooks of N sales rows (built with XlsxWriter: a ``Sales`` table with a date,
money and text columns, data validation and conditional formats, plus a ``Summary``
sheet of SUMIFS formulas with cached values) it times, each in a fresh process:

* ``floor``    – open the zip and decompress every part (the I/O floor of any approach
  that reads the workbook);
* ``put``      – :class:`~xlsales.io.package.WorkbookPackage`: open, ``put_sheet`` of a
  200-row results sheet (table + links), save;
* ``put+hl``   – the same plus ``set_highlights`` of 200 cells on the big ``Sales``
  sheet (that sheet is then streamed and recompressed);
* ``openpyxl`` – ``load_workbook`` + ``save`` (no change at all).

Peak memory is how far the child's resident set grows during the operation (imports
done before): the peak RSS is reset through ``/proc/self/clear_refs`` and read from
``VmHWM``; where that is not available, the ``tracemalloc`` peak is reported instead.

    python benchmarks/bench_package_writer.py                 # 1k, 10k
    python benchmarks/bench_package_writer.py --rows 1000 10000 100000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import date, timedelta
from pathlib import Path

STAGES = ["lead", "proposal", "won", "lost"]
REPS = ["Zhang Wei", "Li Na", "Wang Fang", "Liu Yang", "Chen Jie", "Zhao Lei"]


def build(path: Path, rows: int) -> None:
    """A sales workbook of ``rows`` records written with XlsxWriter."""
    import xlsxwriter

    rnd = random.Random(42)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    money = wb.add_format({"num_format": "#,##0.00"})
    day = wb.add_format({"num_format": "yyyy-mm-dd"})
    red = wb.add_format({"bg_color": "#FFC7CE"})
    summary = wb.add_worksheet("Summary")
    ws = wb.add_worksheet("Sales")
    data = []
    start = date(2025, 1, 1)
    for i in range(rows):
        qty = rnd.randint(1, 50)
        price = round(rnd.uniform(10, 500), 2)
        data.append([f"SO-{i + 1:07d}", start + timedelta(days=rnd.randint(0, 660)),
                     rnd.choice(REPS), f"Customer {rnd.randint(1, rows // 10 + 1)}",
                     f"P-{rnd.randint(1, 40):03d}", qty, price, round(qty * price, 2),
                     rnd.choice(STAGES), "" if rnd.random() < 0.9 else "check price"])
    headers = ["order_id", "date", "rep", "customer", "product", "qty", "unit_price",
               "amount", "stage", "notes"]
    last = rows + 1
    ws.add_table(0, 0, rows, len(headers) - 1, {
        "name": "Sales", "data": data,
        "columns": [{"header": h, "format": day if h == "date" else
                     money if h in ("unit_price", "amount") else None} for h in headers]})
    ws.set_column(0, 9, 14)
    ws.data_validation(1, 8, rows, 8, {"validate": "list", "source": STAGES})
    ws.conditional_format(1, 7, rows, 7, {"type": "cell", "criteria": "<", "value": 0,
                                          "format": red})
    ws.freeze_panes(1, 0)
    summary.write_row(0, 0, ["rep", "won amount"])
    for r, rep in enumerate(REPS, 1):
        total = sum(d[7] for d in data if d[2] == rep and d[8] == "won")
        summary.write(r, 0, rep)
        summary.write_formula(r, 1, f'=SUMIFS(Sales!$H$2:$H${last},Sales!$C$2:$C${last},A{r + 1},'
                                    f'Sales!$I$2:$I${last},"won")', money, total)
    wb.close()


def results_content(rows: int):
    """A 200-row validation-results sheet with links into the Sales sheet."""
    from xlsales.io.package import Column, Link, SheetContent

    return SheetContent(
        name="Validation", title="Validation results", table_name="ValidationResults",
        columns=(Column("sheet"), Column("cell", kind="link"), Column("problem", 40),
                 Column("value", kind="money"), Column("found", kind="date")),
        rows=[("Sales", Link(f"H{2 + i * max(rows // 200, 1)}",
                             f"'Sales'!H{2 + i * max(rows // 200, 1)}"),
               "amount does not equal qty × unit price", i * 1.5, date(2026, 10, 1))
              for i in range(200)])


def child(op: str, src: Path, rows: int) -> dict[str, float]:
    """Run one operation on a copy of ``src``; time and peak memory."""
    import openpyxl

    from xlsales.io.package import WorkbookPackage

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    path = work / src.name
    shutil.copyfile(src, path)
    content = results_content(rows)
    cells = [f"H{2 + i * max(rows // 200, 1)}" for i in range(200)]
    exact, base, t0 = _start()
    if op == "floor":
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                zf.read(info)
    elif op in ("put", "put+hl"):
        with WorkbookPackage.open(path) as pkg:
            pkg.put_sheet(content)
            if op == "put+hl":
                pkg.set_highlights("Sales", cells)
            pkg.save()
    elif op == "openpyxl":
        wb = openpyxl.load_workbook(path)
        wb.save(path)
    else:
        raise SystemExit(f"unknown op {op}")
    return _finish(t0, exact, base, work)



def _start() -> tuple[bool, int, float]:
    """Reset the peak-memory counter (or start tracemalloc) and the clock."""
    exact = reset_peak_rss()
    if not exact:
        tracemalloc.start()
    return exact, rss_kb("VmRSS"), time.perf_counter()


def _finish(t0: float, exact: bool, base: int, work: Path) -> dict[str, float]:
    """Seconds since ``t0`` and peak memory (VmHWM growth, or tracemalloc's peak)."""
    seconds = time.perf_counter() - t0
    if exact:
        peak_mb = (rss_kb("VmHWM") - base) / 1024
    else:
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    shutil.rmtree(work)
    return {"seconds": seconds, "peak_mb": peak_mb}

def reset_peak_rss() -> bool:
    """Reset this process's peak RSS (Linux ≥ 4.0: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return rss_kb("VmHWM") >= 0


def rss_kb(field: str) -> int:
    """A memory field of /proc/self/status in kB (-1 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


OPS = ("floor", "put", "put+hl", "openpyxl")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="--import [--book-rows N] [--import-rows N ...] [--import-ops "
               f"{{{','.join(IMPORT_OPS)}}} ...]: time `xlsales import` of IMPORT_ROWS rows "
               "into a BOOK_ROWS-row workbook (default 100,000; 1,000 and 10,000) instead.")
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000],
                        help="sales rows of the workbooks written into (default 1000 10000)")
    parser.add_argument("--ops", nargs="+", default=list(OPS), choices=OPS,
                        help="operations to time (default all)")
    parser.add_argument("--child", nargs=3, metavar=("OP", "FILE", "ROWS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        op, file, rows = args.child
        print(json.dumps(child(op, Path(file), int(rows))))
        return
    out = Path(tempfile.mkdtemp(prefix="bench-books-"))
    table = []
    for rows in args.rows:
        path = out / f"sales_{rows}.xlsx"
        t0 = time.perf_counter()
        build(path, rows)
        print(f"built {rows:,} rows in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr, flush=True)
        result: dict[str, dict[str, float]] = {}
        for op in args.ops:
            proc = subprocess.run([sys.executable, __file__, "--child", op, str(path),
                                   str(rows)], capture_output=True, text=True, check=True)
            result[op] = json.loads(proc.stdout)
            print(f"  {op:9} {result[op]['seconds']:8.3f} s  {result[op]['peak_mb']:7.1f} MB",
                  file=sys.stderr, flush=True)
        table.append((rows, path.stat().st_size / 1e6, result))
    shutil.rmtree(out)

    def cell(result: dict[str, dict[str, float]], op: str, key: str, fmt: str) -> str:
        return format(result[op][key], fmt) if op in result else "-"

    print("| rows | file MB | " + " | ".join(f"{op} s" for op in args.ops) + " | "
          + " | ".join(f"{op} peak MB" for op in args.ops) + " |")
    print("|" + "---:|" * (2 + 2 * len(args.ops)))
    for rows, size, result in table:
        print(f"| {rows:,} | {size:.1f} | "
              + " | ".join(cell(result, op, "seconds", ".3f") for op in args.ops) + " | "
              + " | ".join(cell(result, op, "peak_mb", ".0f") for op in args.ops) + " |")



# --------------------------------------------------------------------------------------
# Import: appending CRM rows to a big xlsales workbook (--import)
# --------------------------------------------------------------------------------------
#
#     python benchmarks/bench_package_writer.py --import                      # 1k, 10k into 100k
#     python benchmarks/bench_package_writer.py --import --book-rows 10000 --import-rows 500
#
# The workbook is a real xlsales workbook (benchmarks/bench_core.py builds it: the Sales
# table with its two calculated columns, KPI sheet, validations); the exports are CSVs of
# new orders. Each operation runs in a fresh process on a fresh copy:
#
# * ``append``   – WorkbookPackage: open, append_table_rows, save (rows prepared before
#   the clock starts);
# * ``import``   – the whole `xlsales import` (read the CSV, read the 100k-row book for
#   its order IDs, normalise, append, save);
# * ``openpyxl`` – load_workbook + ws.append of the same rows (with the calculated
#   columns' formulas) + table range update + save.

IMPORT_OPS = ("append", "import", "openpyxl")


def import_rows(export: Path, lang: str = "en") -> tuple[list[str], list[tuple[object, ...]]]:
    """The export's rows as the book's header names and values (what `import` appends)."""
    from xlsales.importer import book_values, prepare_import, read_table_file
    from xlsales.spec import SPEC

    result = prepare_import(read_table_file(export), {})
    table = SPEC.table("Sales")
    keys = [c.key for c in table.columns if c.key in result.mapping]
    return ([table.column(k).label.get(lang) for k in keys],  # type: ignore[arg-type]
            book_values(result.frame, keys, lang))  # type: ignore[arg-type]


def import_child(op: str, book: Path, export: Path) -> dict[str, float]:
    """Run one import operation on a copy of ``book``; time and peak memory."""
    import openpyxl

    from xlsales.import_run import run_import
    from xlsales.io.package import WorkbookPackage

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    path = work / book.name
    shutil.copyfile(book, path)
    headers, rows = import_rows(export) if op != "import" else ([], [])
    exact, base, t0 = _start()
    if op == "append":
        with WorkbookPackage.open(path) as pkg:
            pkg.append_table_rows("Sales", headers, rows)
            pkg.save()
    elif op == "import":
        report = run_import(export, path, {})
        assert report.imported > 0
    elif op == "openpyxl":
        wb = openpyxl.load_workbook(path)
        ws = next(w for w in wb.worksheets if "Sales" in w.tables)
        table = ws.tables["Sales"]
        first, last = table.ref.split(":")
        end = int("".join(ch for ch in last if ch.isdigit()))
        header_row = int("".join(ch for ch in first if ch.isdigit()))
        names = [c.value for c in ws[header_row]]
        formulas = {i: c.value for i, c in enumerate(ws[end])
                    if isinstance(c.value, str) and c.value.startswith("=")}
        positions = [names.index(h) for h in headers]
        for r, values in enumerate(rows, end + 1):
            for i, value in zip(positions, values, strict=True):
                if value is not None:
                    ws.cell(r, i + 1, value)
            for i, formula in formulas.items():
                ws.cell(r, i + 1, formula)
        table.ref = f"{first}:{''.join(ch for ch in last if ch.isalpha())}{end + len(rows)}"
        table.autoFilter.ref = table.ref
        wb.save(path)
    else:
        raise SystemExit(f"unknown op {op}")
    return _finish(t0, exact, base, work)


def import_benchmark(book_rows: int, sizes: list[int], ops: list[str]) -> None:
    """Build a ``book_rows`` xlsales workbook and CSV exports of ``sizes`` new orders, then
    time each operation; print a markdown table."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_core import build as build_xlsales_book
    from bench_core import synthetic_sales

    out = Path(tempfile.mkdtemp(prefix="bench-import-"))
    t0 = time.perf_counter()
    book = build_xlsales_book(book_rows, out)
    print(f"built an xlsales workbook of {book_rows:,} sales rows in "
          f"{time.perf_counter() - t0:.1f} s ({book.stat().st_size / 1e6:.1f} MB)",
          file=sys.stderr, flush=True)
    table = []
    for n in sizes:
        frame = synthetic_sales(n, seed=7)
        frame["order_id"] = [f"IM{i:07d}" for i in range(n)]
        export = out / f"export_{n}.csv"
        frame.to_csv(export, index=False)
        result: dict[str, dict[str, float]] = {}
        for op in ops:
            proc = subprocess.run([sys.executable, __file__, "--import-child", op, str(book),
                                   str(export)], capture_output=True, text=True, check=True)
            result[op] = json.loads(proc.stdout)
            print(f"  {n:>7,} rows {op:9} {result[op]['seconds']:8.3f} s  "
                  f"{result[op]['peak_mb']:7.1f} MB", file=sys.stderr, flush=True)
        table.append((n, result))
    shutil.rmtree(out)
    print("| book rows | imported rows | " + " | ".join(f"{op} s" for op in ops) + " | "
          + " | ".join(f"{op} peak MB" for op in ops) + " |")
    print("|" + "---:|" * (2 + 2 * len(ops)))
    for n, result in table:
        print(f"| {book_rows:,} | {n:,} | "
              + " | ".join(f"{result[op]['seconds']:.2f}" for op in ops) + " | "
              + " | ".join(f"{result[op]['peak_mb']:.0f}" for op in ops) + " |")


def import_main() -> bool:
    """Handle ``--import`` / ``--import-child``; False when neither is given."""
    parser = argparse.ArgumentParser(add_help=False)  # --help is main()'s, which lists these
    parser.add_argument("--import", dest="run_import", action="store_true")
    parser.add_argument("--book-rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--import-ops", nargs="+", default=list(IMPORT_OPS),
                        choices=IMPORT_OPS)
    parser.add_argument("--import-child", nargs=3, metavar=("OP", "BOOK", "EXPORT"))
    args, _ = parser.parse_known_args()
    if args.import_child:
        op, book, export = args.import_child
        print(json.dumps(import_child(op, Path(book), Path(export))))
        return True
    if args.run_import:
        import_benchmark(args.book_rows, args.import_rows, args.import_ops)
        return True
    return False


if __name__ == "__main__":
    if not import_main():
        main()
