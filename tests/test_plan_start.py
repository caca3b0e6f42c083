"""`xlsales plan` starts reading the book before it imports pandas: a large sales sheet is
read in the background (fastexcel) while pandas loads, as `validate` and `kpis` do."""

from __future__ import annotations

from tests.fresh_python import last_line


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
    assert last_line(code) == "False"
