"""The backup copy xlsales keeps of a workbook before replacing what was typed into it
(``plan --replace``, ``consolidate --force`` onto an edited roll-up).

A backup is named ``<stem>.backup-<yyyymmdd-hhmmss><suffix>`` beside the workbook. Two
runs within one second (a script, a double click) must not give the second backup the
first one's name: the second copy is of the file the first run already replaced, so
writing over the first backup would lose the only copy of what was typed. The name
taken gets ``-2``, ``-3`` … and the copy is created exclusively, never over a file.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

#: What follows a workbook's stem in the name of a backup of it (for the readers that set
#: backups aside: a backup in the members' folder holds no member of its own).
BACKUP_TAIL = r"\.backup-\d{8}-\d{6}(?:-\d+)?"


def keep_backup(path: Path, now: datetime | None = None) -> Path:
    """Copy the workbook at ``path`` beside it under a backup name no file holds yet
    (see the module) and return that name; ``now`` (default: the clock) stamps it."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    n = 1
    while True:
        tail = stamp if n == 1 else f"{stamp}-{n}"
        backup = path.with_name(f"{path.stem}.backup-{tail}{path.suffix}")
        try:
            with open(path, "rb") as source, open(backup, "xb") as copy:
                try:
                    shutil.copyfileobj(source, copy)
                except OSError:  # a full disk: no half backup left to be taken for one
                    copy.close()
                    backup.unlink(missing_ok=True)
                    raise
        except FileExistsError:
            n += 1
            continue
        shutil.copystat(path, backup)
        return backup
