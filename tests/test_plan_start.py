"""`xlsales plan` starts reading the book before it imports pandas: a large sales sheet is
read in the background (fastexcel) while pandas loads, as `validate` and `kpis` do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_plan_reads_the_book_before_importing_pandas(sample_books):
    book = sample_books["en"]
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import xlsales.plan_command as command\n"
        "def reading(path, *args, **kwargs):\n"
        "    print('pandas' in sys.modules)\n"
        "    raise SystemExit(0)\n"
        "command.read_workbook = reading\n"
        f"command.run_plan(Path({str(book)!r}), None, None, None, 'seasonal', 'share', False,"
        " False, False, progress=lambda text: None)\n")
    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": root}, check=True)
    assert proc.stdout.splitlines()[-1] == "False", proc.stdout + proc.stderr
