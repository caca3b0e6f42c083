"""The wheel holds every subpackage of xlsales and the VBA text of vba/, so that an
installed xlsales (not only a source checkout) builds macro-enabled workbooks."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "xlsales").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml [tool.setuptools] packages: {found - listed}"


def test_the_wheel_carries_the_vba_text(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("xlsales-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in (ROOT / "vba").glob("*.*s"):
        if source.suffix in (".bas", ".cls"):
            assert f"xlsales/vba_text/{source.name}" in names
            assert zipfile.ZipFile(wheel).read(f"xlsales/vba_text/{source.name}") \
                == source.read_bytes()
    assert "xlsales/vbaproject/project.py" in names and "xlsales/excel/macros.py" in names
