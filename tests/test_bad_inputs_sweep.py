"""Every command against every kind of bad input (:mod:`bad_sweep`): its exit code, no
traceback, a message naming the file, and every file it was given left as it was."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bad_sweep import _BUILT, Case, said, snapshot, sweep_cases
from click.testing import CliRunner

from xlsales.cli import main

_FOLDER: list[Path] = []


def _cases() -> list[Case]:
    """The cases, built once per module in one temporary folder (ids known at
    collection; the files themselves built by the fixture)."""
    import tempfile

    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="xlsales_sweep_")))
    return sweep_cases(_FOLDER[0])


CASES = _cases()


@pytest.fixture(scope="module", autouse=True)
def _remove_corpus() -> Iterator[None]:
    """The corpus folder removed once the module's cases ran."""
    yield
    for folder in (_FOLDER[0], *(p.parent for p in _BUILT)):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_command_on_bad_input(case: Case) -> None:
    before = snapshot(case.kept)
    result = CliRunner().invoke(main, list(case.args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        case.id, result.output, result.exception)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in case.codes, (case.id, result.exit_code, result.output)
    if result.exit_code != 0:
        assert said(case.named, result.output), (case.id, result.output)
    for hint in case.hints:
        assert hint in result.output, (case.id, hint, result.output)
    assert snapshot(case.kept) == before, f"{case.id}: a file it was given was changed"
