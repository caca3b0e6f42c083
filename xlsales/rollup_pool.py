"""Where a roll-up's tasks run: a process pool (forked where that is safe, so that a
worker starts with the reader, the validation and the KPI engine imported) or, with one
worker, this process in order; how many cores there are to use; how often to report
progress. Imports nothing but the standard library until a pool starts."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpu_count() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class _Later(Future):  # type: ignore[type-arg]
    """A task run in this process when its result is asked for."""

    def __init__(self, fn: Callable[..., object], args: tuple[object, ...]) -> None:
        super().__init__()
        self._task = (fn, args)

    def result(self, timeout: float | None = None) -> object:
        if not self.done():
            fn, args = self._task
            self.set_result(fn(*args))
        return super().result(timeout)


class _Inline(Executor):
    """Runs tasks in this process (one worker), in order: no pool, no pickling."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        return _Later(lambda: fn(*args, **kwargs), ())


@contextmanager
def executor(workers: int) -> Iterator[Executor]:
    """A pool of ``workers`` processes (forked on Linux when no other thread runs), or
    this process for one worker. Tasks submitted must be top-level functions."""
    if workers <= 1:
        yield _Inline()
        return
    # imported before the workers start, so that forked workers have them already
    import xlsales.io.reader
    import xlsales.kpis
    import xlsales.validation  # noqa: F401

    # fork where it is safe (Linux, no other thread running): a worker starts in
    # milliseconds with every module above imported, instead of importing pandas and
    # xlsales again (Python 3.14 no longer forks by default)
    safe = sys.platform == "linux" and threading.active_count() == 1
    context = multiprocessing.get_context("fork") if safe else None
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield pool


def results_in_order(workers: int, fn: Callable[..., R], items: Sequence[T],
                     *args: object) -> Iterator[tuple[T, R]]:
    """``fn(item, *args)`` of each of ``items`` in :func:`executor` (``workers``), each
    item with its result, in the order of ``items`` as soon as each is done."""
    with executor(workers) as pool:
        futures = [pool.submit(fn, item, *args) for item in items]
        for item, future in zip(items, futures, strict=True):
            yield item, future.result()


def progress_every(total: int, steps: int = 20) -> Callable[[int], bool]:
    """Whether to report item ``i`` of ``total``: about ``steps`` reports, and the last."""
    step = max(1, total // steps)
    return lambda i: i == total or i % step == 0
