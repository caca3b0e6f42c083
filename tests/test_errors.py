"""Every error xlsales raises on purpose survives pickling: its type, both messages and
its attributes, so that an error raised in a worker process reaches the parent intact."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from concurrent.futures import ProcessPoolExecutor

import pytest

import xlsales
from xlsales.errors import WorkbookError, XlsalesError


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return list(dict.fromkeys(out))


def _error_classes() -> list[type[XlsalesError]]:
    """XlsalesError and every subclass defined anywhere in the package."""
    for module in pkgutil.walk_packages(xlsales.__path__, "xlsales."):
        try:
            importlib.import_module(module.name)
        except ImportError:  # an optional dependency (xlwings …) is missing
            continue
    return [XlsalesError, *(c for c in _all_subclasses(XlsalesError)
                            if c.__module__.startswith("xlsales"))]


ERRORS = _error_classes()


def test_the_package_defines_the_known_errors():
    names = {c.__name__ for c in ERRORS}
    assert {"UsageError", "OutputExistsError", "WorkbookError", "EngineUnavailableError",
            "VbaProjectError", "VbaSourceError", "CorruptVbaDataError"} <= names


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_every_error_pickles_round_trip(cls):
    error = cls("无法读取文件 “a.xlsx”。", "Cannot read 'a.xlsx'.")
    error.path = "a.xlsx"  # attributes set by whoever raised it travel too
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(error, protocol=protocol))
        assert type(back) is cls
        assert (back.zh, back.en, back.args, str(back)) == (error.zh, error.en, error.args,
                                                            str(error))
        assert back.message("zh") == error.message("zh")
        assert back.message("en") == error.message("en")
        assert back.exit_code == error.exit_code and back.path == "a.xlsx"


def _fail(path: str) -> None:
    raise WorkbookError(f"文件 {path} 已损坏。", f"{path} is damaged.")


def test_an_error_raised_in_a_worker_process_reaches_the_parent():
    with ProcessPoolExecutor(1) as pool, pytest.raises(WorkbookError) as raised:
        pool.submit(_fail, "a.xlsx").result()
    assert raised.value.zh == "文件 a.xlsx 已损坏。"
    assert raised.value.en == "a.xlsx is damaged."
