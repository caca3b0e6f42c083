"""Running a script inside LibreOffice through UNO, for the tests that edit or click a
workbook in LibreOffice itself (not only recalculate it): Debian's python3 (with
python3-uno) runs :data:`PRELUDE`, the test's body and :data:`EPILOGUE`. The prelude
starts ``soffice`` headless with a profile of its own and connects to it (``desktop``,
``prop`` and the script's arguments ``args`` are the body's); the epilogue stops it."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import require_libreoffice

UNO_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno

PRELUDE = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

profile, pipe, args = sys.argv[1], sys.argv[2], sys.argv[3:]
office = subprocess.Popen(["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                           "--headless", "--invisible", "--norestore", "--nologo",
                           "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
'''

EPILOGUE = r'''
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    office.terminate()
    office.wait(timeout=60)
'''


def require_uno(what: str, packages: str = "python3-uno") -> None:
    """Fail (not skip: .ci/run installs them) without LibreOffice or Debian's python3-uno;
    ``what`` says what the test needs them for."""
    require_libreoffice()
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True,
                           check=False) if Path(UNO_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        pytest.fail(f"Debian's python3 with UNO is required to {what}: "
                    f"apt-get install {packages} (.ci/run)")


def run_in_office(body: str, args: Sequence[str], work: Path, name: str,
                  profile_xcu: str | None = None, timeout: float = 600) -> str:
    """Run ``body`` (code using ``desktop``, ``prop`` and ``args``) in a LibreOffice
    started for it, with a fresh profile under ``work`` (its registry set to
    ``profile_xcu`` if given); the last line the body prints."""
    profile = work / f"{name}_profile"
    if profile_xcu is not None:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(profile_xcu)
    script = work / f"{name}.py"
    script.write_text(PRELUDE + textwrap.indent(textwrap.dedent(body), "    ") + EPILOGUE)
    proc = subprocess.run([UNO_PYTHON, str(script), str(profile),
                           f"xlsales_{name}_{os.getpid()}", *args],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]
