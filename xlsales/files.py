"""Files in and out: the workbooks a command is given (files, folders, glob patterns:
:func:`workbooks`), and safe output that never leaves a half-written or clobbered file
behind (:func:`atomic_output`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from xlsales.errors import OutputExistsError, UsageError


def check_output(path: Path, force: bool, suffixes: tuple[str, ...] = (".xlsx",), *,
                 sources: Sequence[Path] = (), elsewhere: tuple[str, str] = (
                     "或用 -o 指定其他文件名", "or choose another name with -o")) -> None:
    """Refuse an output path with the wrong extension, that exists without ``force``, or
    that is one of the ``sources`` the command reads (``--force`` or not: what it holds
    would be lost). ``elsewhere`` (zh, en) says how to write somewhere else."""
    if path.suffix.lower() not in suffixes:
        want = " / ".join(suffixes)
        raise UsageError(f"输出文件 {path} 的扩展名应为 {want}。",
                         f"The output file {path} should end in {want}.")
    source = next((s for s in sources if same_file(path, s)), None)
    if source is not None:
        raise UsageError(
            f"输出文件 {path} 就是要读取的工作簿 {source}：写入会覆盖它，其中的内容全部丢失，"
            f"未做任何修改。请{elsewhere[0].removeprefix('或')}。",
            f"The output {path} is the workbook {source} this command reads: writing it "
            f"would replace it and lose what it holds, so nothing was done. Please "
            f"{elsewhere[1].removeprefix('or ')}.")
    if path.is_dir():  # said first: --force would not help
        raise UsageError(f"{path} 是一个文件夹，不是文件，未做任何修改：请指定要写入的文件名，"
                         f"例如 {path / ('output' + suffixes[0])}。",
                         f"{path} is a folder, not a file, and was left untouched: give "
                         f"the name of the file to write, such as "
                         f"{path / ('output' + suffixes[0])}.")
    if path.exists() and not force:
        raise OutputExistsError(
            f"文件 {path} 已存在，未做任何修改。如需覆盖，请加 --force；{elsewhere[0]}。",
            f"{path} already exists and was left untouched. Add --force to overwrite it, "
            f"{elsewhere[1]}.",
        )


#: Characters a shell reads as more than a file name's: a path holding one is quoted.
_SHELL_SPECIAL = frozenset(" \t'\"$`&|;<>()[]{}*?!#")


def command_path(path: Path) -> str:
    """``path`` as the user types it in a command run where this one runs: relative to
    the current folder when the file is under it, else absolute; in double quotes (which
    cmd, PowerShell and POSIX shells all read) when it holds a space or a character a
    shell would read."""
    absolute = Path(os.path.abspath(path))
    try:
        shown = str(absolute.relative_to(os.getcwd()))
    except ValueError:
        shown = str(absolute)
    return f'"{shown}"' if any(c in _SHELL_SPECIAL for c in shown) else shown


def _default_mode() -> int:
    """Permissions a newly created file would get (mkstemp makes it owner-only)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it over ``path`` in
    one step, on failure delete it. ``path`` is never partially written, and never
    replaced when it is read-only or open in an office program."""
    from xlsales.io.writable import check_replaceable

    check_replaceable(path, buttons=False)  # a new output: no buttons do its work
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_outputs(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """:func:`atomic_output` of several files that go together (an export's tables): a
    temporary path beside each; when every one is written they replace ``paths``, and
    when one cannot be replaced (open in Excel, locked) those already replaced are put
    back, so that ``paths`` hold all the new files or all the old ones. The error names
    the file that could not be replaced."""
    from xlsales.io.writable import check_replaceable

    for path in paths:  # read-only or open: said before anything is written
        check_replaceable(path, buttons=False)
    staged: list[Path] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix,
                                        dir=path.parent)
            os.close(fd)
            staged.append(Path(name))
        yield staged
        _replace_all(paths, staged)
    finally:
        for tmp in staged:
            if tmp.exists():
                tmp.unlink()


def _replace_all(paths: Sequence[Path], staged: Sequence[Path]) -> None:
    """Move each of ``staged`` over its path of ``paths``, the old file set aside first;
    on a failure put every old file back (a path that was new is removed) and raise a
    :class:`~xlsales.errors.FileAccessError` naming the file."""
    from xlsales.errors import FileAccessError

    done: list[tuple[Path, Path | None]] = []  # (path, its old file set aside or None)
    try:
        for path, tmp in zip(paths, staged, strict=True):
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
            old = None
            if path.exists():
                fd, name = tempfile.mkstemp(prefix=f".{path.stem}.old.", suffix=path.suffix,
                                            dir=path.parent)
                os.close(fd)
                old = Path(name)
                try:
                    os.replace(path, old)
                except OSError:
                    old.unlink()
                    raise
            done.append((path, old))
            os.replace(tmp, path)
    except OSError as exc:
        failed = path
        kept = [p for p, o in reversed(done) if not _put_back(p, o)]
        why = exc.strerror or exc
        if kept:  # could not be put back: say which hold the new export
            shown = ", ".join(str(p) for p in kept)
            raise FileAccessError(
                f"无法替换 {failed}：{why}。它可能正在 Excel 等程序中打开：请关闭它后重新导出。"
                f"注意：{shown} 已是新内容，其他文件未修改。",
                f"Cannot replace {failed}: {why}. It may be open in Excel or another "
                f"program: close it and export again. Note: {shown} already hold the new "
                "export; the other files were not changed.") from None
        raise FileAccessError(
            f"无法替换 {failed}：{why}。它可能正在 Excel 等程序中打开：请关闭它后重新导出；"
            "所有输出文件均未修改（全部写入或全部不写）。",
            f"Cannot replace {failed}: {why}. It may be open in Excel or another program: "
            "close it and export again; none of the output files was changed (all are "
            "written or none).") from None
    for _, old in done:
        if old is not None:
            old.unlink(missing_ok=True)


def _put_back(path: Path, old: Path | None) -> bool:
    """``path`` as it was before :func:`_replace_all` (its old file back, or no file
    when it was new); whether that worked."""
    try:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            os.replace(old, path)
    except OSError:
        return False
    return True


def _is_pattern(path: Path) -> bool:
    """A glob pattern (a file whose name holds ``[``, ``*`` or ``?`` is that file)."""
    return not path.exists() and any(ch in str(path) for ch in "*?[")


def _matches(pattern: Path) -> list[Path]:
    """Every file ``pattern`` matches but Excel's lock files, in a stable order."""
    found = (Path().glob(str(pattern)) if not pattern.is_absolute()
             else Path(pattern.anchor).glob(str(pattern.relative_to(pattern.anchor))))
    return sorted(q for q in found if not q.name.startswith("~$"))


def _glob(pattern: Path) -> list[Path]:
    """The files ``pattern`` takes. A pattern that does not say the extension
    (``team/*``, ``team/*.xls?``) takes only workbooks (.xlsx/.xlsm), as a folder does:
    not ``Alice.xlsm.bak``; what it leaves that looks like a spreadsheet (an ``.xls``) is
    named by :func:`unread`."""
    named = pattern.suffix and not any(ch in pattern.suffix for ch in "*?[")
    return [q for q in _matches(pattern) if named or _is_book_name(q)]


def expand(paths: Sequence[Path]) -> list[Path]:
    """Files, folders (their .xlsx/.xlsm files) and glob patterns, in a stable order (a
    file whose name holds ``[``, ``*`` or ``?`` is that file, not a pattern)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.iterdir() if _is_book_name(q))
        elif _is_pattern(p):
            out += _glob(p)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _is_book_name(path: Path) -> bool:
    """An .xlsx/.xlsm name that is not Excel's lock file of an open workbook (``~$…``)."""
    return path.suffix.lower() in (".xlsx", ".xlsm") and not path.name.startswith("~$")


#: Files a folder may hold that look like spreadsheets but are not read as workbooks:
#: extension → why (zh, en), and whether it is a workbook in another format.
NOT_READ: dict[str, tuple[str, str, bool]] = {
    ".xls": ("旧版 Excel 97-2003 工作簿（.xls），不会读取：请用 Excel 或 WPS 另存为 .xlsx",
             "an old Excel 97-2003 workbook (.xls), not read: save it as .xlsx in Excel or "
             "WPS", True),
    ".xlsb": ("Excel 二进制工作簿（.xlsb），不会读取：请另存为 .xlsx",
              "an Excel binary workbook (.xlsb), not read: save it as .xlsx", True),
    ".xltx": ("Excel 模板，不会读取：请用它另存一个工作簿（.xlsx）",
              "an Excel template, not read: save a workbook (.xlsx) from it", True),
    ".xltm": ("Excel 模板，不会读取：请用它另存一个工作簿（.xlsx）",
              "an Excel template, not read: save a workbook (.xlsx) from it", True),
    ".ods": ("其他程序的表格（.ods），不会读取：请另存为 .xlsx",
             "another program's spreadsheet (.ods), not read: save it as .xlsx", True),
    ".et": ("WPS 表格文件（.et），不会读取：请在 WPS 中另存为 .xlsx",
            "a WPS spreadsheet (.et), not read: save it as .xlsx in WPS", True),
    ".numbers": ("Numbers 表格，不会读取：请导出为 .xlsx",
                 "a Numbers spreadsheet, not read: export it as .xlsx", True),
    ".csv": ("文本表格（.csv），不是工作簿，不会读取：可用 xlsales import 导入工作簿",
             "a text table (.csv), not a workbook, not read: xlsales import takes it into "
             "one", False),
    ".tsv": ("文本表格（.tsv），不是工作簿，不会读取：可用 xlsales import 导入工作簿",
             "a text table (.tsv), not a workbook, not read: xlsales import takes it into "
             "one", False),
}


@dataclass(frozen=True)
class Unread:
    """What a command is given that yields no workbook (an empty folder, a pattern
    matching nothing), or a file in a folder it is given that is not read (an ``.xls``,
    a ``.csv``): ``given`` as typed or found, why in zh and en, and whether it is a
    workbook in another format (a roll-up lists it among the members left out)."""

    given: Path
    zh: str
    en: str
    workbook: bool = False

    @property
    def text(self) -> str:
        """One line for the user, both languages."""
        return f"{self.given}: {self.zh} / {self.en}"


def unread(paths: Sequence[Path]) -> list[Unread]:
    """Every entry of ``paths`` that yields no workbook, and every file in a folder of
    ``paths`` that looks like a spreadsheet but is not read (:data:`NOT_READ`) — so that
    nothing given is left out without a word."""
    out: list[Unread] = []
    for p in paths:
        if _is_pattern(p):
            matched, taken = _matches(p), set(_glob(p))
            if not matched:
                out.append(Unread(p, "通配符没有匹配到任何文件（拼写有误？）",
                                  "the pattern matches no file (a typo?)"))
            out += _not_read([q for q in matched if q not in taken])
            continue
        if not p.is_dir():
            continue
        try:
            inside = sorted(q for q in p.iterdir() if not q.name.startswith("~$"))
        except OSError as exc:
            out.append(Unread(p, f"无法列出文件夹内容（{exc.strerror}）",
                              f"the folder cannot be listed ({exc.strerror})"))
            continue
        out += _not_read(inside)
        if any(_is_book_name(q) for q in inside):  # its folders of workbooks are not read
            pattern = p / "**" / "*.xlsx"
            out += [Unread(d, "其中的工作簿不会读取：只读取所给文件夹本身的文件（通配符如 "
                              f"\"{pattern}\" 可包含子文件夹）",
                           "its workbooks are not read: only the files of the folder given "
                           f"are (a pattern such as \"{pattern}\" takes in its folders)")
                    for d in _nested(p)]
        else:
            nested, pattern = _nested(p), p / "**" / "*.xlsx"
            out.append(Unread(p, "文件夹中没有工作簿（.xlsx / .xlsm）" + (
                f"，其中的文件夹（{_listed(nested)}）不会读取（通配符如 \"{pattern}\" 可包含它们）"
                if nested else ""),
                "the folder holds no workbook (.xlsx / .xlsm)" + (
                f"; its folders {_listed(nested)} are not read (a pattern such as "
                f"\"{pattern}\" takes them in)" if nested else "")))
    return out


def _not_read(files: Sequence[Path]) -> list[Unread]:
    """Those of ``files`` that look like spreadsheets but are not read (:data:`NOT_READ`)."""
    out = []
    for q in files:
        if q.suffix.lower() in NOT_READ and q.is_file():
            zh, en, workbook = NOT_READ[q.suffix.lower()]
            out.append(Unread(q, zh, en, workbook))
    return out


def _nested(folder: Path) -> list[Path]:
    """The folders right inside ``folder`` that hold workbooks, in them or one folder
    further down (not deeper: a home folder is not walked whole); none if it cannot be
    listed."""
    try:
        return sorted(d for d in folder.iterdir() if d.is_dir() and any(
            _is_book_name(q) for pattern in ("*.xls[xm]", "*/*.xls[xm]")
            for q in d.glob(pattern)))
    except OSError:
        return []


def _listed(folders: Sequence[Path]) -> str:
    return ", ".join(d.name for d in folders[:5]) + (" …" if len(folders) > 5 else "")


def workbooks(paths: Sequence[Path], note: Callable[[str], None] | None = None) -> list[Path]:
    """:func:`expand` of ``paths``; a :class:`UsageError` naming them when that finds no
    workbook (an empty folder, a pattern matching nothing, a folder of ``.xls`` files).
    Else ``note`` is told of each entry that yields none, each file of a folder that is
    not read and each folder of workbooks inside a folder given (:func:`unread`)."""
    found = expand(paths)
    if found:
        for skipped in unread(paths) if note is not None else ():
            note(skipped.text)
        return found
    if not paths:
        raise UsageError("请给出至少一个工作簿（文件、文件夹或通配符，如 team/*.xlsx）。",
                         "Give at least one workbook (files, folders or patterns such as "
                         "team/*.xlsx).")
    where = ", ".join(str(p) for p in paths)
    nested = [(p, inner) for p in paths if p.is_dir() and (inner := _nested(p))]
    if nested:  # a director's folder of team folders
        folder, inner = nested[0]
        names = _listed(inner)
        pattern = folder / "**" / "*.xlsx"
        raise UsageError(
            f"{folder} 本身没有工作簿，但其中的文件夹（{names}）有：请给出这些文件夹，"
            f"或用通配符包含子文件夹，例如 \"{pattern}\"。",
            f"{folder} holds no workbook itself, but its folders ({names}) do: give those "
            f"folders, or a pattern that takes in subfolders, such as \"{pattern}\".")
    files = [u for u in unread(paths) if u.given not in paths]
    raise UsageError(f"在 {where} 中没有找到工作簿（.xlsx / .xlsm）。请检查文件夹或通配符。"
                     + "".join(f"{u.given.name}：{u.zh}。" for u in files),
                     f"No workbooks (.xlsx / .xlsm) were found in {where}. Check the folder "
                     "or the pattern." + "".join(f" {u.given.name}: {u.en}." for u in files))


def same_file(path: Path, other: Path) -> bool:
    """Whether ``path`` and ``other`` are the same existing file."""
    try:
        return path.exists() and other.exists() and path.samefile(other)
    except OSError:
        return False


def apart(files: Sequence[Path], outputs: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``files`` without those that are one of ``outputs`` (what a command writes, found
    among its inputs: an earlier run's output in the folder it reads), and those."""
    own = [f for f in files if any(same_file(f, o) for o in outputs)]
    return [f for f in files if f not in own], own


def default_book_path(period_label: str, who: str, lang: str) -> Path:
    """The file ``xlsales new`` writes when not given ``-o``:
    ``xlsales_<period>_<owner or level>_<lang>.xlsx``."""
    return Path(f"xlsales_{period_label}_{file_part(who)}_{lang}.xlsx")


def file_part(text: str) -> str:
    """``text`` as part of a file name: characters Windows or a path would take otherwise
    (``华东/一组`` would be a folder) become ``_``."""
    return "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip()
