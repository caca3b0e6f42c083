"""Click parameter types shared by the commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

#: A file or folder given on the command line. Click checks nothing: a file that cannot
#: be read is reported by the command itself, in both languages, naming the file — and
#: among several workbooks it stops only itself, not the whole run.
PATH = click.Path(path_type=Path, readable=False)


def choice(values: Iterable[str]) -> click.Choice:
    """One of ``values`` (lower case), given in any case: ``--lang EN``, ``--by Rep``
    and ``--format CSV`` reach the command as ``en``, ``rep`` and ``csv``."""
    return click.Choice(list(values), case_sensitive=False)
