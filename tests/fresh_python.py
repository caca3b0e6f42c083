"""Running code in a fresh Python, as each button click or command does (test helper):
what a start-up imports is seen only there."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])


def last_line(code: str, env: Mapping[str, str] | None = None) -> str:
    """The last line ``code`` prints, run by a fresh Python importing this checkout's
    xlsales (``env``: its environment, by default this one's)."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**(os.environ if env is None else env), "PYTHONPATH": ROOT},
                          check=True)
    return proc.stdout.splitlines()[-1]
