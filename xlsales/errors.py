"""Exceptions a user can act on.

Every error carries a Chinese and an English message; the CLI prints both (that of
``--lang`` first, else the workbook's once read, else Chinese) and exits with
:attr:`XlsalesError.exit_code`, never with a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from xlsales.script_variant import Script


def _restore(cls: type[XlsalesError], args: tuple[Any, ...],
             state: dict[str, Any]) -> XlsalesError:
    """An error as pickled by :meth:`XlsalesError.__reduce__`, without calling its
    ``__init__`` (a subclass may take other arguments)."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class XlsalesError(Exception):
    """Base of every error xlsales raises on purpose.

    Errors pickle (both messages, the type and any attribute set on them), so an error
    raised in a worker process reaches the parent as it was raised."""

    exit_code = 2
    #: The script its Chinese is written in once said as a Traditional book's
    #: (:func:`xlsales.script_errors.in_book_script`); None: the spec's Simplified.
    script: Script | None = None

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own reduction calls ``cls(*args)``: ``cls(en)`` here, which fails
        return _restore, (type(self), self.args, dict(self.__dict__))

    def message(self, lang: str = "zh") -> str:
        """Both messages, ``lang`` first."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return f"{first}\n{second}"


class UsageError(XlsalesError):
    """A command-line option or argument cannot be used as given."""


class OutputExistsError(XlsalesError):
    """The output file exists and ``--force`` was not given."""


class WorkbookError(XlsalesError):
    """A workbook cannot be read or does not follow the template."""


class EngineUnavailableError(XlsalesError):
    """An external engine (LibreOffice) needed for this operation is missing."""


class FileAccessError(XlsalesError):
    """A file could not be read or written (disk full, no permission, held by Excel)."""

    @classmethod
    def of(cls, exc: OSError) -> FileAccessError:
        """The error to show for ``exc``: which file, why, and that it was not changed."""
        name = exc.filename or ""
        why = exc.strerror or exc
        temporary = Path(str(name))
        if temporary.name.startswith(".") and not temporary.exists():
            # the temporary file written beside the target: it is the folder that refused
            folder = temporary.parent
            return cls(f"无法在文件夹 {folder} 中写入：{why}。请检查该文件夹的权限和磁盘空间，"
                       "或写到其他文件夹；原文件未被修改。",
                       f"Cannot write in the folder {folder}: {why}. Check the folder's "
                       "permissions and the disk space, or write to another folder; your "
                       "file was not changed.")
        return cls(f"无法读写文件 {name}：{why}。请检查文件是否被其他程序（如 Excel）占用、"
                   "磁盘空间和权限后重试；原文件未被修改。",
                   f"Cannot read or write {name}: {why}. Check that no other program (such "
                   "as Excel) holds the file, and the disk space and permissions, then try "
                   "again; your file was not changed.")


E = TypeVar("E", bound=XlsalesError)


def naming_file(error: E, path: Path) -> E:
    """``error``, about the file ``path``, naming it: its messages prefixed with the path
    (``crm.csv：…`` / ``crm.csv: …``) unless they name it already, so that a user given
    several files knows which one to fix. The same object: its type and exit code stay."""
    if path.name not in error.zh:
        error.zh = f"{path}：{error.zh}"
    if path.name not in error.en:
        error.en = f"{path}: {error.en}"
    return error
