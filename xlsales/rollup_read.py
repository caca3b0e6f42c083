"""The members of a roll-up read: :func:`read_members` reads and validates them in the
pool (:func:`~xlsales.rollup_member.load_members`), small files a few to a task."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

from xlsales.rollup_member import Member, load_members
from xlsales.rollup_pool import progress_every
from xlsales.said import said
from xlsales.spec import Lang

#: Members read by one task: small files go together (fewer round trips between the
#: processes), a file of this size or more goes alone.
CHUNK_BYTES = 256_000
CHUNK_FILES = 16


def _chunks(files: list[Path], workers: int) -> list[list[Path]]:
    """The files in tasks: consecutive small files together (up to :data:`CHUNK_BYTES`
    and :data:`CHUNK_FILES`, and at least 4 tasks a worker), big ones alone."""
    if workers <= 1:
        return [[p] for p in files]
    limit = min(CHUNK_FILES, max(1, len(files) // (4 * workers)))
    chunks: list[list[Path]] = []
    size = 0
    for p in files:
        try:
            bytes_ = p.stat().st_size
        except OSError:
            bytes_ = 0  # the reader says what is wrong with it
        if not chunks or len(chunks[-1]) >= limit or size + bytes_ > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(p)
        size += bytes_
    return chunks


def read_members(pool: Executor, files: list[Path], workers: int,
                 progress: Callable[[str], None], lang: Lang | None = None) -> list[Member]:
    """Every file read and validated as a member (in the order of ``files``), in tasks of
    the pool's ``workers`` (with one worker, read here: their big tables not sealed, as
    they cross no process); how many so far told to ``progress`` in ``lang`` (both
    languages without one)."""
    chunks = _chunks(files, workers)
    futures = [pool.submit(load_members, chunk, workers > 1) for chunk in chunks]
    members: list[Member] = []
    report = progress_every(len(files))
    for future in futures:
        for member in future.result():
            members.append(member)
            if report(len(members)):
                done = f"{len(members)}/{len(files)}"
                progress("[consolidate] " + said(f"已读取并校验 {done}",
                                                 f"{done} read and validated", lang))
    return members
