"""Click parameter types shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

#: A file or folder given on the command line. Click checks nothing: a file that cannot
#: be read is reported by the command itself, in both languages, naming the file — and
#: among several workbooks it stops only itself, not the whole run.
PATH = click.Path(path_type=Path, readable=False)
