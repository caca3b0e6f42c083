"""Every command against every kind of bad input (the cases of ``test_bad_inputs_sweep``).

:func:`book_corpus` builds the bad workbooks once (those of :mod:`bad_inputs` and more:
.xlsb, .ods, a CSV, another template's workbook, tables missing, error cells), and
:func:`sweep_cases` lists each command line with the file it must name and leave as it
was. ``python tests/bad_sweep.py FOLDER`` prints the table of what each case gives.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from bad_inputs import BAD_INPUTS, encrypted_xlsx

from xlsales.build.workbook import build_workbook
from xlsales.sample import SAMPLE_PERIOD, TEAM, sample_workbook_data
from xlsales.workbook_data import BuildOptions

#: Bad workbooks the sweep leaves to test_safety's own run (a second run adds nothing
#: but time): those whose refusal is the same check as another's.
_SLOW = {"ratio_bomb", "too_many_members"}


def good_book(folder: Path, name: str = "good_book.xlsx") -> Path:
    """The English sample team's workbook (filled), built in ``folder``."""
    path = folder / name
    if not path.exists():
        if not _BUILT:
            built = Path(tempfile.mkdtemp(prefix="xlsales_good_")) / "good_book.xlsx"
            options = BuildOptions(lang="en", period=SAMPLE_PERIOD, level="team",
                                   role="manager", owner=TEAM["en"][0])
            build_workbook(built, options, sample_workbook_data("en"))
            _BUILT.append(built)
        shutil.copyfile(_BUILT[0], path)
    return path


#: The sample book built once, copied where a case needs one.
_BUILT: list[Path] = []


def good_export(folder: Path) -> Path:
    """A small CRM export (CSV) of one order of the sample team."""
    path = folder / "good_export.csv"
    path.write_text("Order ID,Date,Customer,Rep,Product,Amount,Stage\n"
                    "X-1,2026-10-20,Acme Ltd,Li Wei,Product A,1200,Won\n", encoding="utf-8")
    return path


# -- more bad workbooks ------------------------------------------------------------------


def xlsb_file(folder: Path) -> Path:
    """An Excel binary workbook (.xlsb): a package whose workbook part is binary."""
    ct = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
          b'.org/package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType='
          b'"application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.bin"/></Relationships>')
    path = folder / "binary_book.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("xl/workbook.bin", bytes(range(256)))
    return path


def ods_file(folder: Path) -> Path:
    """An OpenDocument spreadsheet under its own extension."""
    from bad_inputs import ods_renamed

    return ods_renamed(folder).rename(folder / "libre_sheet.ods")


def csv_as_book(folder: Path) -> Path:
    """A CSV file given where a workbook is expected."""
    path = folder / "crm.csv"
    path.write_text("Customer,Amount\nAcme,5000\n", encoding="utf-8")
    return path


def other_template(folder: Path) -> Path:
    """A plain Excel workbook, not made from the template."""
    path = folder / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Score"])
    wb.save(path)
    return path


def missing_tables(folder: Path) -> Path:
    """The sample workbook with its Sales and Problems sheets deleted."""
    path = folder / "missing_tables.xlsx"
    wb = openpyxl.load_workbook(good_book(folder))
    for name in ("Sales", "Problems"):
        if name in wb.sheetnames:
            del wb[name]
    wb.save(path)
    return path


def error_cells(folder: Path) -> Path:
    """The sample workbook with #REF! and #N/A typed in its sales amounts (as a broken
    link leaves them): no unusable file, so its commands run, not refuse."""
    path = folder / "error_cells.xlsx"
    wb = openpyxl.load_workbook(good_book(folder))
    ws = wb["Sales"]
    amount = next(c.column for c in ws[4] if c.value and "Amount" in str(c.value))
    ws.cell(5, amount).value = "#REF!"
    ws.cell(6, amount).value = "#N/A"
    wb.save(path)
    return path


def chinese_path(folder: Path) -> Path:
    """A 0-byte workbook in a folder whose name has spaces and Chinese characters."""
    sub = folder / "华东 销售 2026"
    sub.mkdir(exist_ok=True)
    path = sub / "十月 报表.xlsx"
    path.write_bytes(b"")
    return path


EXTRA: tuple[Callable[[Path], Path], ...] = (xlsb_file, ods_file, csv_as_book, other_template,
                                             missing_tables, chinese_path)
#: Books no command refuses: their cells are reported, not the file (any exit code but
#: no traceback, and a command that writes may write).
USABLE: tuple[Callable[[Path], Path], ...] = (error_cells,)


def book_corpus(folder: Path) -> dict[str, Path]:
    """The bad workbooks, by name, each built in its own subfolder of ``folder``."""
    builders = [b.build for b in BAD_INPUTS if b.id not in _SLOW] + list(EXTRA + USABLE)
    corpus = {}
    for build in builders:
        sub = folder / build.__name__
        sub.mkdir()
        corpus[build.__name__] = build(sub)
    return corpus


# -- bad CRM exports --------------------------------------------------------------------


def export_corpus(folder: Path) -> dict[str, Path]:
    """Bad CRM exports, by name."""
    sub = folder / "exports"
    sub.mkdir()
    files = {"empty_csv": ("empty.csv", b""),
             "binary_csv": ("binary.csv", bytes(range(256)) * 8),
             "headers_only_csv": ("headers.csv", b"Order ID,Date,Customer,Rep,Amount\n"),
             "utf16_csv": ("utf16.csv", "Order ID,Date,Customer,Rep\n".encode("utf-16")),
             "blank_lines_csv": ("blank.csv", b"\n\n\n")}
    corpus = {}
    for key, (name, data) in files.items():
        (sub / name).write_bytes(data)
        corpus[key] = sub / name
    folder_export = sub / "export_folder.csv"
    folder_export.mkdir()
    corpus["folder_csv"] = folder_export
    corpus["missing_csv"] = sub / "no_such_export.csv"
    corpus["encrypted_xlsx_export"] = encrypted_xlsx(sub)
    corpus["pdf_as_csv"] = sub / "report.csv"
    corpus["pdf_as_csv"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return corpus


@dataclass(frozen=True)
class Case:
    """One command line, the file its message must name and that must stay as it was,
    and the exit codes it may end with."""

    id: str
    args: tuple[str, ...]
    named: Path
    kept: tuple[Path, ...]
    codes: tuple[int, ...] = (2,)
    #: Words its message must hold (English), beside the file's name.
    hints: tuple[str, ...] = ()


def sweep_cases(folder: Path) -> list[Case]:
    """Every command against every bad input built in ``folder``."""
    good = good_book(folder)
    export = good_export(folder)
    cases = []
    for name, bad in book_corpus(folder).items():
        out = folder / f"out_{name}"
        lines = {"validate": ("validate", str(bad)),
                 "validate-write": ("validate", "--write", str(bad)),
                 "kpis": ("kpis", str(bad)),
                 "kpis-write": ("kpis", "--write", str(bad)),
                 "plan": ("plan", str(bad)),
                 "import-into": ("import", str(export), "--into", str(bad)),
                 "consolidate": ("consolidate", str(good), str(bad), "-o", f"{out}.xlsx"),
                 "export": ("export", str(bad), "-o", str(out)),
                 "new-from": ("new", "--from", str(bad), "-o", f"{out}_new.xlsx")}
        for command, args in lines.items():
            usable = name in {b.__name__ for b in USABLE}
            cases.append(Case(f"{command}-{name}", args, bad,
                              (good, export) if usable else (bad, good, export),
                              (0, 1, 2) if usable else (2,)))
    for name, bad in export_corpus(folder).items():
        cases.append(Case(f"import-{name}", ("import", str(bad), "--into", str(good)),
                          bad, (bad, good)))
    cases += _output_cases(folder, good)
    return cases


def _output_cases(folder: Path, good: Path) -> list[Case]:
    """Outputs that cannot be written: a folder, an input, a missing folder, a file."""
    sub = folder / "outputs"
    sub.mkdir()
    other = good_book(sub, "other_member.xlsx")
    a_folder = sub / "roll.xlsx"
    a_folder.mkdir()
    a_file = sub / "exported.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    existing = sub / "existing.xlsx"
    existing.write_bytes(b"keep me")
    missing = sub / "no_such_folder" / "new.xlsx"
    members = sub / "members"
    members.mkdir()
    good_book(members, "rep.xlsx")
    locked = good_book(sub, "open_in_excel.xlsx")
    (sub / "~$open_in_excel.xlsx").write_bytes(b"\x00" * 165)  # Excel's owner file
    read_only = good_book(sub, "read_only.xlsx")
    read_only.chmod(0o444)  # told by its mode bits, even to root
    export = good_export(folder)
    return [
        Case("consolidate-o-folder", ("consolidate", str(good), str(other), "-o", str(a_folder)),
             a_folder, (good, other), hints=("is a folder",)),
        Case("consolidate-o-folder-force", ("consolidate", str(good), str(other), "-o",
                                            str(a_folder), "--force"), a_folder, (good, other)),
        Case("consolidate-o-member", ("consolidate", str(good), str(other), "-o", str(other),
                                      "--force"), other, (good, other),
             hints=("one of the members",)),
        Case("consolidate-o-member-in-folder", ("consolidate", str(members), "-o",
                                                str(members / "rep.xlsx"), "--force"),
             members / "rep.xlsx", (good, members / "rep.xlsx"),
             hints=("one of the members",)),
        Case("export-o-file", ("export", str(good), "-o", str(a_file)), a_file, (good, a_file)),
        Case("new-o-existing", ("new", "-o", str(existing)), existing, (existing,)),
        Case("new-o-folder", ("new", "-o", str(a_folder)), a_folder, (),
             hints=("is a folder",)),
        Case("plan-o-folder", ("plan", str(good), "-o", str(a_folder)), a_folder, (good,)),
        Case("new-o-missing-folder", ("new", "-o", str(missing)), missing, (), (0,)),
        Case("consolidate-o-missing-folder", ("consolidate", str(good), str(other), "-o",
                                              str(missing.with_name("roll.xlsx"))),
             missing.with_name("roll.xlsx"), (good, other), (0,)),
        Case("validate-write-open-in-excel", ("validate", "--write", str(locked)), locked,
             (locked,), hints=("seems to be open in Excel",)),
        Case("kpis-write-open-in-excel", ("kpis", "--write", str(locked)), locked,
             (locked,), hints=("seems to be open in Excel",)),
        Case("plan-open-in-excel", ("plan", str(locked)), locked,
             (locked,), hints=("seems to be open in Excel",)),
        Case("import-into-open-in-excel", ("import", str(export), "--into", str(locked)),
             locked, (locked,), hints=("seems to be open in Excel",)),
        *(Case(f"{label}-read-only", (*line, str(read_only)), read_only, (read_only,),
               hints=("is read-only",))
          for label, line in (("validate-write", ("validate", "--write")),
                              ("kpis-write", ("kpis", "--write")), ("plan", ("plan",)),
                              ("import-into", ("import", str(export), "--into")))),
    ]


def snapshot(paths: tuple[Path, ...]) -> dict[Path, bytes | None]:
    """The bytes of each of ``paths`` (None: no file there)."""
    return {p: p.read_bytes() if p.is_file() else None for p in paths}


def said(path: Path, output: str) -> bool:
    """Whether ``output``, without its progress lines ("[kpis] reading …"), names the
    file ``path``."""
    return path.name in "\n".join(line for line in output.splitlines()
                                  if not line.startswith("["))


if __name__ == "__main__":  # the table of the report
    import sys

    from click.testing import CliRunner

    from xlsales.cli import main

    root = Path(sys.argv[1])
    root.mkdir(parents=True)
    runner = CliRunner()
    for case in sweep_cases(root):
        before = snapshot(case.kept)
        result = runner.invoke(main, list(case.args))
        text = result.output.strip().splitlines()
        first = text[0][:110] if text else ""
        trace = (result.exception is not None and not isinstance(result.exception, SystemExit))
        kept = "yes" if snapshot(case.kept) == before else "NO"
        named = "yes" if said(case.named, result.output) else "NO"
        print(f"| {case.id} | {result.exit_code} | {first} | {'YES' if trace else 'no'}"
              f" | {kept} | {named} |", flush=True)
