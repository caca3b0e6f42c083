"""Macro-enabled workbooks (.xlsm) on Linux: the VBA of vba/, the buttons, xlwings.conf.

Proved with independent readers and real programs: oletools' olevba reads the VBA, the
installed xlwings package is the reference for its modules and its conf sheet, and
LibreOffice loads each workbook and clicks every button. Excel itself is not available
here; LibreOffice cannot run xlwings' VBA (``Declare PtrSafe``), so for the clicks -- and
only there -- xlwings' modules are replaced by a stub that records each ``RunPython``
command.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath

import olefile
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import REPO, require_libreoffice
from oletools.olevba import VBA_Parser, decompress_stream
from uno_office import require_uno, run_in_office
from workbook_signature import signature

from xlsales.cli import main
from xlsales.spec import SPEC
from xlsales.templates import MACRO_TEMPLATES, build_template
from xlsales.vbaproject import VbaModule, build_vba_project, read_vba_modules
from xlsales.vbaproject.dirstream import dir_modules, parse_dir_stream

VBA = REPO / "vba"
COMMITTED = REPO / "workbook_templates"
XLWINGS = Path(importlib.util.find_spec("xlwings").submodule_search_locations[0])
QUICKSTART = XLWINGS / "quickstart_standalone.xlsm"
BUTTON_MODULE = "XlsalesButtons"
#: What each button macro must run (the issue's entry points; not read from vba/).
EXPECTED = {
    "XlsalesValidate": "import xlsales.excel.macros as m; m.validate()",
    "XlsalesComputeKpis": "import xlsales.excel.macros as m; m.compute_kpis()",
    "XlsalesGeneratePlan": "import xlsales.excel.macros as m; m.generate_plan()",
    "XlsalesStartNextPeriod": "import xlsales.excel.macros as m; m.start_next_period()",
}
CAPTIONS = {
    "zh": {"XlsalesValidate": "校验数据", "XlsalesComputeKpis": "计算 KPI",
           "XlsalesGeneratePlan": "生成下期计划", "XlsalesStartNextPeriod": "开始下一期"},
    "en": {"XlsalesValidate": "Validate", "XlsalesComputeKpis": "Compute KPIs",
           "XlsalesGeneratePlan": "Generate plan", "XlsalesStartNextPeriod": "Start next period"},
}
ALL, VALIDATE = list(EXPECTED), ["XlsalesValidate"]
#: Sheet key -> the button macros on it, left to right (top to bottom on the instructions).
PLACEMENT = {"instructions": ALL, "info": VALIDATE, "sales": VALIDATE, "targets": VALIDATE,
             "activities": VALIDATE, "problems": [*VALIDATE, "XlsalesGeneratePlan"],
             "lessons": VALIDATE, "review": VALIDATE, "kpis": ["XlsalesComputeKpis"]}
UDFS = ("XS_ATTAINMENT", "XS_GROWTH", "XS_CONVERSION", "XS_COLLECTION_RATE", "XS_FORECAST",
        "XS_KPI")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "v": "urn:schemas-microsoft-com:vml", "x": "urn:schemas-microsoft-com:office:excel"}


# ----------------------------------------------------------------------------- helpers

def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def olevba_modules(path: Path | str, data: bytes | None = None) -> dict[str, str]:
    """Module name -> source, as oletools' olevba reads them (LF line endings)."""
    parser = VBA_Parser(str(path), data=data)
    try:
        assert parser.detect_vba_macros(), f"olevba finds no VBA in {path}"
        return {stream.split("/")[-1]: lf(code) for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def exported_text(path: Path) -> str:
    """A vba/ file's code as the VBA editor stores it: a .cls without its VERSION block."""
    text = lf(path.read_bytes().decode("ascii"))
    if text.startswith("VERSION "):
        text = text[text.index("\nEND\n") + len("\nEND\n"):]
    return text


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of a package part."""
    p = PurePosixPath(part)
    name = str(p.parent / "_rels" / (p.name + ".rels"))
    if name not in book.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(book.read(name)).findall("rel:Relationship", NS):
        target = os.path.normpath(str(p.parent / rel.get("Target"))).replace(os.sep, "/")
        out[rel.get("Id")] = (rel.get("Type"), target)
    return out


def sheet_parts(path: Path) -> list[tuple[str, str, str | None]]:
    """(sheet name, part name, code name) of every worksheet, in workbook order."""
    with zipfile.ZipFile(path) as book:
        rels = _rels(book, "xl/workbook.xml")
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        out = []
        for sheet in workbook.find("m:sheets", NS):
            part = rels[sheet.get(f"{{{NS['r']}}}id")][1]
            pr = ET.fromstring(book.read(part)).find("m:sheetPr", NS)
            out.append((sheet.get("name"), part, None if pr is None else pr.get("codeName")))
        return out


def file_buttons(path: Path) -> list[tuple[str, str, str]]:
    """(sheet name, caption, macro) of every form button, read from the sheets' VML."""
    found = []
    with zipfile.ZipFile(path) as book:
        for name, part, _ in sheet_parts(path):
            for kind, target in _rels(book, part).values():
                if not kind.endswith("/vmlDrawing"):
                    continue
                for shape in ET.fromstring(book.read(target)).iter(f"{{{NS['v']}}}shape"):
                    data = shape.find("x:ClientData", NS)
                    if data is None or data.get("ObjectType") != "Button":
                        continue
                    caption = "".join(shape.find("v:textbox", NS).itertext()).strip()
                    macro = data.findtext("x:FmlaMacro", "", NS)
                    found.append((name, caption, macro.removeprefix("[0]!")))
    return found


def subs_and_commands(source: str) -> dict[str, list[str]]:
    """Each ``Sub`` of a module and the ``RunPython`` commands in its body."""
    subs = re.finditer(r"^(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(\s*\)\s*$(.*?)^End Sub\s*$",
                       source, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return {m.group(1): [c.replace('""', '"') for c in re.findall(
        r'^\s*RunPython\s+"((?:[^"]|"")*)"\s*$', m.group(2), re.MULTILINE)] for m in subs}


def book_lang(path: Path) -> str:
    names = {n for n, _, _ in sheet_parts(path)}
    return "zh" if SPEC.sheet("instructions").name.zh in names else "en"


def conf_rows(path: Path, sheet: str) -> tuple[list[tuple[str, object]], str]:
    """The settings block (A1 down to the first empty A) of a conf sheet, and its state."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    rows = []
    for key, value in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key in (None, ""):
            break
        rows.append((key, value))
    return rows, ws.sheet_state


def interpreter_cells(path: Path) -> dict[str, object]:
    rows = dict(conf_rows(path, "xlwings.conf")[0])
    return {k: rows[k] for k in ("Interpreter_Win", "Interpreter_Mac")}


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsm")
    for template in MACRO_TEMPLATES:
        build_template(template, out / template.filename)
    return out


@pytest.fixture(scope="module")
def cli_book(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "team_east.xlsm"
    result = CliRunner().invoke(main, ["new", "--lang", "en", "--period", "2026-Q4", "--level",
                                       "team", "--role", "manager", "--owner", "Team East",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


BOOKS = [*(t.filename for t in MACRO_TEMPLATES), "cli"]


@pytest.fixture(params=BOOKS)
def book(request, cli_book) -> Path:
    return cli_book if request.param == "cli" else COMMITTED / request.param


# ------------------------------------------------------------------------- VBA sources

def test_vba_sources_are_ascii_in_the_vba_editors_export_format():
    files = sorted(p.name for p in VBA.iterdir() if p.suffix in (".bas", ".cls"))
    assert files == ["ThisWorkbook.cls", "XlsalesButtons.bas"]
    for name in files:
        data = (VBA / name).read_bytes()
        data.decode("ascii")  # messages users read come from Python, in their language
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b""), name
        stem = name.rsplit(".", 1)[0]
        assert f'Attribute VB_Name = "{stem}"'.encode() in data


# ------------------------------------------------------------------ what olevba reads

def test_olevba_finds_every_module_of_vba_and_of_xlwings_with_its_source(book):
    found = olevba_modules(book)
    quickstart = olevba_modules(QUICKSTART)
    expected = {p.stem: exported_text(p) for p in VBA.iterdir() if p.suffix in (".bas", ".cls")}
    expected |= {name: quickstart[name] for name in ("xlwings", "Dictionary")}
    code_names = [code for _, _, code in sheet_parts(book)]
    for code in code_names:  # an empty document module per sheet, as Excel writes it
        expected[code] = quickstart["Sheet1"].replace('"Sheet1"', f'"{code}"')
    assert found == expected


def test_sheet_code_names_match_the_document_modules_of_the_project(book):
    with zipfile.ZipFile(book) as package:
        workbook = ET.fromstring(package.read("xl/workbook.xml"))
        project = olefile.OleFileIO(package.read("xl/vbaProject.bin"))
    assert workbook.find("m:workbookPr", NS).get("codeName") == "ThisWorkbook"
    lines = project.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    documents = [line[len("Document="):].split("/")[0] for line in lines
                 if line.startswith("Document=")]
    code_names = [code for _, _, code in sheet_parts(book)]
    assert None not in code_names and len(set(code_names)) == len(code_names)
    assert documents == ["ThisWorkbook", *code_names]


# ----------------------------------------------------------------------------- buttons

def test_buttons_sit_where_people_need_them_with_captions_in_the_workbooks_language(book):
    lang = book_lang(book)
    names = {s.name.get(lang): s.key for s in SPEC.sheets}
    buttons = file_buttons(book)
    expected = [(name, CAPTIONS[lang][macro], macro)
                for name, _, _ in sheet_parts(book)
                for macro in PLACEMENT.get(names.get(name, ""), [])]
    assert buttons == expected
    assert {n for n, _, _ in buttons} >= {SPEC.sheet(k).name.get(lang)
                                          for k in ("instructions", "sales", "kpis", "problems")}


def test_every_button_calls_a_sub_of_the_project(book):
    modules = olevba_modules(book)
    subs = subs_and_commands(modules[BUTTON_MODULE])
    for sheet, caption, macro in file_buttons(book):
        assert macro in subs, f"the button {caption!r} on {sheet} calls {macro}, no Sub of " \
                              f"{BUTTON_MODULE}"
    assert set(subs) == set(EXPECTED)  # every Sub has a button, every button a Sub


def test_every_run_python_command_names_a_python_function_that_exists():
    source = olevba_modules(COMMITTED / MACRO_TEMPLATES[0].filename)[BUTTON_MODULE]
    commands = subs_and_commands(source)
    assert commands == {sub: [command] for sub, command in EXPECTED.items()}
    for sub, [command] in commands.items():
        first, second = ast.parse(command).body
        assert isinstance(first, ast.Import) and len(first.names) == 1
        module_name, alias = first.names[0].name, first.names[0].asname
        call = second.value
        assert isinstance(call, ast.Call) and not call.args and not call.keywords
        assert isinstance(call.func, ast.Attribute) and call.func.value.id == alias
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            pytest.fail(f"{sub} runs `{command}`, but {module_name} cannot be imported: {exc}")
        function = getattr(module, call.func.attr, None)
        if not callable(function):
            pytest.fail(f"{sub} (vba/{BUTTON_MODULE}.bas) runs `{command}`, but {module_name} "
                        f"has no function {call.func.attr}()")
        required = [p for p in inspect.signature(function).parameters.values()
                    if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        assert not required, f"{module_name}.{call.func.attr} needs {required}; RunPython " \
                             "passes no arguments"


# ---------------------------------------------------------------------- xlwings.conf

@pytest.mark.parametrize("name", [t.filename for t in MACRO_TEMPLATES])
def test_conf_sheet_is_the_quickstarts_with_the_udf_module_and_no_interpreter(name):
    book = COMMITTED / name
    quickstart, quickstart_state = conf_rows(QUICKSTART, "_xlwings.conf")
    rows, state = conf_rows(book, "xlwings.conf")  # without "_": xlwings reads it
    assert openpyxl.load_workbook(book).sheetnames[-1] == "xlwings.conf"
    assert state == quickstart_state
    assert [k for k, _ in rows] == [k for k, _ in quickstart]
    changed = {k: v for (k, v), (_, q) in zip(rows, quickstart, strict=True) if v != q}
    assert changed == {"Interpreter_Win": None, "UDF Modules": "xlsales.udfs"}
    assert dict(rows)["Interpreter_Mac"] is None
    udfs = importlib.import_module(dict(rows)["UDF Modules"])
    assert all(callable(getattr(udfs, name)) for name in UDFS)
    machine = {sys.executable, sys.prefix, str(Path.home()), str(REPO)}
    with zipfile.ZipFile(book) as package:
        for part in package.namelist():
            data = package.read(part)
            assert not [m for m in machine if m.encode() in data], part


@pytest.mark.parametrize("platform,key", [("win32", "Interpreter_Win"),
                                          ("darwin", "Interpreter_Mac"), ("linux", None)])
def test_xlsales_new_fills_in_the_interpreter_it_runs_on(tmp_path, monkeypatch, platform, key):
    monkeypatch.setattr(sys, "platform", platform)
    out = tmp_path / "mine.xlsm"
    result = CliRunner().invoke(main, ["new", "--lang", "en", "-o", str(out)],
                                catch_exceptions=False)
    monkeypatch.undo()
    assert result.exit_code == 0, result.output
    cells = interpreter_cells(out)
    assert cells == {k: (sys.executable if k == key else None) for k in cells}
    assert ("no Python filled in" in result.output) == (key is None)
    with zipfile.ZipFile(out) as package:
        types = package.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "xl/vbaProject.bin" in package.namelist()


# ----------------------------------------------------------------------------- builds

def test_macro_templates_are_committed_and_equal_a_fresh_build(fresh):
    for template in MACRO_TEMPLATES:
        committed, built = COMMITTED / template.filename, fresh / template.filename
        stale = f"{template.filename} is stale: run `xlsales build-templates` and commit it"
        assert committed.exists(), stale
        assert signature(committed) == signature(built), stale
        with zipfile.ZipFile(committed) as old, zipfile.ZipFile(built) as new:
            assert old.namelist() == new.namelist(), stale
            for part in old.namelist():
                if part.endswith((".bin", ".vml")) or part.startswith("xl/worksheets/sheet"):
                    assert old.read(part) == new.read(part), f"{stale} ({part})"


FRESH_BUILD = """
import hashlib, sys, tempfile
from pathlib import Path
from xlsales.templates import MACRO_TEMPLATES, build_template
path = Path(tempfile.mkdtemp()) / "t.xlsm"
build_template(MACRO_TEMPLATES[int(sys.argv[1])], path)
print(hashlib.sha256(path.read_bytes()).hexdigest())
"""


def test_a_macro_template_build_is_byte_for_byte_reproducible(fresh, tmp_path):
    again = tmp_path / MACRO_TEMPLATES[1].filename
    build_template(MACRO_TEMPLATES[1], again)
    assert again.read_bytes() == (fresh / again.name).read_bytes()
    digest = subprocess.run([sys.executable, "-c", FRESH_BUILD, "2"], check=True, text=True,
                            capture_output=True, cwd=REPO,
                            env={**os.environ, "PYTHONHASHSEED": "7"}).stdout.strip()
    assert digest == hashlib.sha256(
        (fresh / MACRO_TEMPLATES[2].filename).read_bytes()).hexdigest()


# ------------------------------------------------- the project against Excel's own

def _project(data: bytes) -> tuple[olefile.OleFileIO, list]:
    ole = olefile.OleFileIO(data)
    dir_data = bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read())))
    return ole, parse_dir_stream(dir_data)


def _module_records(records: list) -> dict[str, list[int]]:
    """Module name -> the ids of its dir records."""
    out: dict[str, list[int]] = {}
    name = None
    for record in records:
        if record.id == 0x0019:
            name = record.data.decode("cp1252")
            out[name] = []
        if name is not None:
            out[name].append(record.id)
    return out


def test_the_built_project_has_the_stream_and_record_structure_of_excels():
    with zipfile.ZipFile(QUICKSTART) as package:
        excel, excel_records = _project(package.read("xl/vbaProject.bin"))
    with zipfile.ZipFile(COMMITTED / MACRO_TEMPLATES[0].filename) as package:
        ours, our_records = _project(package.read("xl/vbaProject.bin"))
    excel_modules = {m.name for m in dir_modules(excel_records)}
    our_modules = {m.name for m in dir_modules(our_records)}

    def streams(ole, modules):
        return {"/".join(p) if "/".join(p) not in {f"VBA/{m}" for m in modules} else "module"
                for p in ole.listdir()}

    assert streams(ours, our_modules) == streams(excel, excel_modules) == {
        "PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT", "VBA/dir", "module"}
    assert {f"VBA/{m}" for m in our_modules} <= {"/".join(p) for p in ours.listdir()}
    assert ours.openstream("VBA/_VBA_PROJECT").read() == excel.openstream(
        "VBA/_VBA_PROJECT").read()

    # project records: the same ids in the same order, the same bytes but the module count
    first = next(i for i, r in enumerate(excel_records) if r.id == 0x0019)
    ours_first = next(i for i, r in enumerate(our_records) if r.id == 0x0019)
    head, our_head = excel_records[:first], our_records[:ours_first]
    assert [r.id for r in our_head] == [r.id for r in head]
    for excel_record, our_record in zip(head, our_head, strict=True):
        if excel_record.id not in (0x000F, 0x0013):  # module count; cookie 0xFFFF on write
            assert our_record == excel_record, hex(excel_record.id)
    assert our_records[-1].id == excel_records[-1].id == 0x0010

    # module records: each kind of module has the record sequence Excel wrote for that kind
    excel_kinds, our_kinds = _project_kinds(excel), _project_kinds(ours)
    assert set(our_kinds.values()) == set(excel_kinds.values()) == {"Document", "Module", "Class"}
    excel_by_kind = {excel_kinds[name]: ids for name, ids in _module_records(excel_records).items()
                     if name in ("ThisWorkbook", "xlwings", "Dictionary")}
    for name, ids in _module_records(our_records).items():
        assert ids == excel_by_kind[our_kinds[name]], name
    for name, ids in _module_records(excel_records).items():  # Excel's own are uniform too
        assert ids == excel_by_kind[excel_kinds[name]], name
    wm = ours.openstream("PROJECTwm").read()
    assert all(name.encode("utf-16-le") + b"\0\0" in wm for name in our_modules)


def _project_kinds(ole: olefile.OleFileIO) -> dict[str, str]:
    """Module name -> Document, Module or Class, from the PROJECT stream."""
    kinds = {}
    for line in ole.openstream("PROJECT").read().decode("cp1252").split("\r\n"):
        key, _, value = line.partition("=")
        if key in ("Document", "Module", "Class"):
            kinds[value.split("/")[0]] = key
    return kinds


# -------------------------------------------------------------------- LibreOffice

#: The recording stub for xlwings' VBA module. Not a mock of our code: LibreOffice cannot run
#: xlwings' real module (``Declare PtrSafe`` stops the whole project there), so this stands
#: in for it and appends each RunPython command to the RunPythonLog sheet.
RECORDING_STUB = """Public Function RunPython(PythonCommand As String)
    Dim sheet As Object
    Dim n As Long
    Set sheet = ThisWorkbook.Worksheets("RunPythonLog")
    n = sheet.Range("B1").Value + 1
    sheet.Range("B1").Value = n
    sheet.Cells(n, 1).Value = PythonCommand
End Function
"""

#: Run inside LibreOffice (:mod:`uno_office`): load each workbook, read every form
#: control's bound script from the loaded document, invoke it, read the log.
UNO_CLICKER = r'''
report = {}
for path in args:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0,
                                       (prop("Hidden", True), prop("MacroExecutionMode", 4)))
    sheets = [doc.Sheets.getByIndex(i) for i in range(doc.Sheets.Count)]
    doc.Sheets.insertNewByName("RunPythonLog", doc.Sheets.Count)
    log = doc.Sheets.getByName("RunPythonLog")
    provider = doc.getScriptProvider()
    buttons = []
    for sheet in sheets:
        page = sheet.DrawPage
        for j in range(page.Count):
            shape = page.getByIndex(j)
            if shape.ShapeType != "com.sun.star.drawing.ControlShape":
                continue
            model = shape.Control
            events = []
            for f in range(page.Forms.Count):
                form = page.Forms.getByIndex(f)
                for k in range(form.Count):
                    if form.getByIndex(k) == model:
                        events += [(e.ListenerType, e.EventMethod, e.ScriptType, e.ScriptCode)
                                   for e in form.getScriptEvents(k)]
            log.getCellRangeByName("A1:B100").clearContents(1 | 2 | 4 | 16)
            recorded, error = [], None
            for listener, method, kind, code in events:
                if method == "actionPerformed":
                    try:
                        provider.getScript(code).invoke((), (), ())
                    except Exception as exc:
                        error = str(exc)
            n = int(log.getCellRangeByName("B1").Value)
            recorded = [log.getCellByPosition(0, r).String for r in range(n)]
            buttons.append({"sheet": sheet.Name, "label": model.Label, "events": events,
                            "recorded": recorded, "error": error})
    report[path] = buttons
    doc.close(True)
print(json.dumps(report))
'''

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def require_clickable() -> None:
    require_uno("click the buttons in LibreOffice",
                "python3-uno libreoffice-script-provider-python")


def with_recording_stub(src: Path, dst: Path) -> None:
    """A copy of ``src`` whose xlwings modules are the recording stub; every other part,
    the buttons included, is copied byte for byte."""
    with zipfile.ZipFile(src) as package:
        modules = [m for m in read_vba_modules(package.read("xl/vbaProject.bin"))
                   if m.name not in ("xlwings", "Dictionary")]
        project = build_vba_project([*modules, VbaModule("xlwings", "standard", RECORDING_STUB)])
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
            for info in package.infolist():
                out.writestr(info, project if info.filename == "xl/vbaProject.bin"
                             else package.read(info.filename))


@pytest.mark.libreoffice
def test_clicking_every_button_in_libreoffice_runs_exactly_its_python_command(tmp_path,
                                                                             cli_book):
    require_clickable()
    books = [COMMITTED / t.filename for t in MACRO_TEMPLATES] + [cli_book]
    stubbed = {}
    for i, src in enumerate(books):
        stubbed[src] = tmp_path / f"{i}_{src.name}"
        with_recording_stub(src, stubbed[src])
    out = run_in_office(UNO_CLICKER, [str(p) for p in stubbed.values()], tmp_path, "click",
                        profile_xcu=PROFILE)
    report = json.loads(out)
    clicks = 0
    for src, copy in stubbed.items():
        lang = book_lang(src)
        expected = file_buttons(src)
        seen = report[str(copy)]
        assert [(b["sheet"], b["label"]) for b in seen] == [(s, c) for s, c, _ in expected]
        for button, (sheet, caption, macro) in zip(seen, expected, strict=True):
            url = (f"vnd.sun.star.script:VBAProject.{BUTTON_MODULE}.{macro}"
                   "?language=Basic&location=document")
            assert button["events"] == [["XActionListener", "actionPerformed", "Script", url]]
            assert button["error"] is None, button
            assert caption == CAPTIONS[lang][macro]
            by_caption = {c: m for m, c in CAPTIONS[lang].items()}
            # the button labelled X runs X's command, exactly once
            assert button["recorded"] == [EXPECTED[by_caption[button["label"]]]], (
                src.name, sheet, caption)
            clicks += 1
    assert clicks == sum(len(file_buttons(b)) for b in books) > 7 * 10


# --------------------------------------------------------------------------- docs

def test_docs_render_the_buttons_through_libreoffice(tmp_path):
    require_libreoffice()
    spec = importlib.util.spec_from_file_location("make_screenshots",
                                                  REPO / "docs" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.make_button_screenshots(tmp_path)
    assert [p.name for p in paths] == [name for name, *_ in module.BUTTON_SHOTS]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000
        assert (REPO / "docs" / "img" / p.name).exists()
    docs = (REPO / "docs" / "excel.md").read_text(encoding="utf-8")
    for p in paths:
        assert f"img/{p.name}" in docs
    assert "LibreOffice" in docs and "xlwings_lite/README.md" in docs
    xlwings_source = olevba_modules(COMMITTED / MACRO_TEMPLATES[0].filename)["xlwings"]
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', xlwings_source).group(1)
    assert f"**{version}**" in docs, "docs/excel.md names another xlwings version than the " \
                                     "VBA in the committed templates"
    assert "](docs/excel.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_printable_copy_changes_only_the_buttons_print_flag(tmp_path, cli_book):
    spec = importlib.util.spec_from_file_location("make_screenshots",
                                                  REPO / "docs" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    copy = module.printable_buttons(cli_book, tmp_path / "p.xlsm")
    with zipfile.ZipFile(cli_book) as a, zipfile.ZipFile(copy) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
        assert changed and all(n.endswith(".vml") for n in changed)
        for n in changed:
            assert b"<x:PrintObject>False</x:PrintObject>" in a.read(n)
            assert b"PrintObject" not in b.read(n)
