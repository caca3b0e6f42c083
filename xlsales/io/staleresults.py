"""Cached formula results that an edit makes stale, dropped when the package is saved,
so that every spreadsheet shows current figures on opening.

A formula cell stores its last result (``<c><f>SUM(…)</f><v>650500</v></c>``). Rows
appended to a table, formulas restored, a table's range grown or a sheet replaced change
what some formulas compute, but their cached results stay as they were. Excel recomputes
everything on opening (``<calcPr fullCalcOnLoad="1">``, which xlsales sets); LibreOffice
does not read that attribute at all. With its default setting for xlsx files ("never
recalculate") it shows every cached number as it is and computes only the formula cells
that carry no cached result (``sc/source/filter/oox/formulabuffer.cxx``: a cell without a
value is set dirty and recalculated on load). A book last saved by LibreOffice or Excel has
a cached result in every formula cell, so after an import LibreOffice showed last week's
KPIs. Only dropping the stale ``<v>`` makes LibreOffice (and any reader without a calc
engine, which then sees no value instead of a wrong one) compute them.

Which results are stale is worked out from names, at the level of sheets:

* what was edited: the sheet (its name) and its tables (their names);
* a defined name whose definition mentions one of those names;
* a sheet with a formula that mentions one: every formula cell of that sheet may be
  stale (``=C12/C11`` next to a stale ``C12``), and that sheet's name, its tables and
  the names defined on it join the set, until nothing more is found.

Mentions are found by case-insensitive whole-word search in each formula's text, so a
string literal or a longer name that happens to match only drops one result too many
(computed again on opening), never one too few. On an edited sheet itself only the
formulas that mention one of the names lose their results (the table's calculated
columns), not a value computed from the same row that xlsales or a script reads as the
cell's value (``=B5*C5`` typed as an amount). A sheet of more than :data:`SCAN_LIMIT`
bytes of XML that was not edited is looked into only through its tables' calculated
columns (reading half a gigabyte of XML costs seconds), which is where such a sheet holds
its formulas.

The functions here work on a worksheet's XML as a stream of chunks cut at row ends; no
cell is parsed: regular expressions find the formulas and cut the results after them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from xml.etree import ElementTree as ET

from xlsales.io import ooxml
from xlsales.io.partstore import PartStore
from xlsales.io.sheetstream import ROOT_PREFIX

#: A cell's formula element: group 1 its attributes, group 2 its text (None if empty).
FORMULA = re.compile(rb"<(?:[\w.\-]+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:[\w.\-]+:)?f\s*>)")
_SHARED = re.compile(rb"""\bt\s*=\s*["']shared["']""")
_SHARED_INDEX = re.compile(rb"""\bsi\s*=\s*["'](\d+)["']""")
#: A table's calculated-column formula (group 1: its text).
_COLUMN_FORMULA = re.compile(
    rb"<(?:[\w.\-]+:)?calculatedColumnFormula\b[^>]*>([^<]*)</(?:[\w.\-]+:)?calculatedColumnFormula")
_ROW_END = re.compile(rb"</(?:[\w.\-]+:)?row\s*>")
#: Sheets of more XML than this are not read when they were not edited (see above).
SCAN_LIMIT = 64 * 1024 * 1024

#: Whether a formula's text (unescaped) makes its cached result stale.
Stale = Callable[[str], bool]


def whole_rows(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks`` re-cut so that each piece ends after a ``</row>`` (the last piece: the
    rest), so no cell is split between two pieces."""
    buf = b""
    for chunk in chunks:
        buf += chunk
        end = buf.rfind(b"row>")
        while end >= 0:
            m = _ROW_END.search(buf, max(0, end - 64), end + 4)
            if m is not None and m.end() == end + 4:
                yield buf[:m.end()]
                buf = buf[m.end():]
                break
            end = buf.rfind(b"row>", 0, end)
    if buf:
        yield buf


def formula_texts(chunks: Iterable[bytes]) -> set[str]:
    """The distinct formula texts of a worksheet's XML ``chunks``, unescaped."""
    found: set[bytes] = set()
    for piece in whole_rows(chunks):
        found.update(m[2] for m in FORMULA.finditer(piece) if m[2])
    return {unescape(t) for t in found}


def unescape(text: bytes) -> str:
    """A formula's XML text as the formula reads."""
    return html.unescape(text.decode("utf-8", "replace"))


def mentions(names: Iterable[str]) -> Stale | None:
    """A test: does a formula's text mention one of ``names`` (sheet, table or defined
    names; case-insensitive, as whole words; a sheet name with ``'`` also as written in
    a formula, doubled)? None when ``names`` is empty."""
    words = set()
    for name in names:
        if name:
            words.add(name)
            words.add(name.replace("'", "''"))
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w.])", re.IGNORECASE)
    return lambda text: pattern.search(text) is not None


def _result_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], ...]:
    """For cells in namespace prefix ``prefix`` (``b""`` or ``b"x:"``): a formula with a
    cached result after it (groups: its attributes, its text); the same with the result
    (groups: the formula, its attributes, its text); the end of a formula with the result
    after it (group 1: that end)."""
    p = re.escape(prefix)
    result = rb"<" + p + rb"v\b[^>]*>[^<]+</" + p + rb"v\s*>"  # <v></v> is none
    formula = rb"<" + p + rb"f\b([^>]*?)(?:/>|>([^<]*)</" + p + rb"f\s*>)"
    return (re.compile(formula + rb"<" + p + rb"v\b[^>]*>[^<]"),
            re.compile(rb"(" + formula + rb")" + result),
            re.compile(rb"(</" + p + rb"f\s*>|<" + p + rb"f\b[^>]*/>)" + result))


def drop_results(chunks: Iterable[bytes], stale: Stale | None) -> Iterator[bytes]:
    """A worksheet's XML ``chunks`` with the cached result (``<v>``; an empty one, as
    openpyxl writes, is none) of formula cells removed: of every formula cell when
    ``stale`` is None, else of those whose formula text it accepts (a shared formula's
    cells follow the cell that holds its text; a formula without text whose group is not
    known loses its result). The cell keeps its ``t`` attribute, a result's type that no
    longer applies (valid without the result; LibreOffice computes such a cell on load)."""
    decided: dict[bytes, bool] = {}
    shared: dict[bytes, bool] = {}

    def is_stale(attrs: bytes, text: bytes | None) -> bool:
        if stale is None:
            return True
        group = None
        if _SHARED.search(attrs) and (si := _SHARED_INDEX.search(attrs)) is not None:
            group = si[1]
        if not text:
            return shared.get(group, True) if group is not None else True
        verdict = decided.get(text)
        if verdict is None:
            verdict = decided[text] = stale(unescape(text))
        if group is not None:
            shared[group] = verdict
        return verdict

    patterns: tuple[re.Pattern[bytes], ...] | None = None
    marks: tuple[bytes, bytes] = (b"", b"")
    for piece in whole_rows(chunks):
        if patterns is None:
            root = ROOT_PREFIX.search(piece)
            prefix = root.group(1) or b"" if root else b""
            patterns = _result_patterns(prefix)
            marks = (b"f><" + prefix + b"v", b"/><" + prefix + b"v")
        if marks[0] not in piece and marks[1] not in piece:
            yield piece  # no formula with a result here (a book xlsales wrote: none)
            continue
        heads, formula, end = patterns
        verdicts = {True} if stale is None else {
            is_stale(attrs, text) for attrs, text in set(heads.findall(piece))}
        if verdicts == {True}:  # the usual case: one substitution, in C
            yield end.sub(rb"\1", piece)
        elif True not in verdicts:
            yield piece
        else:  # cell by cell, in order: a shared formula's cells follow its first cell
            yield formula.sub(lambda m: m[1] if is_stale(m[2], m[3]) else m[0], piece)

class StaleResults(PartStore):
    """Which worksheets lose which cached results when the package is saved (a base of
    :class:`~xlsales.io.atomicsave.PackageSaver`); see the module docstring."""

    def _stale_plan(self) -> dict[str, Stale | None]:
        """Worksheet part → the test of its formulas whose results go (None: all of them)."""
        if not self._edited_sheets and not self._edited_names:
            return {}
        layout = self._layout()
        sheets = [s for s in layout.sheets if self._exists(s.part)]
        tables = {s.part: [n for t in layout.tables if t.sheet == s.name
                           for n in (t.name, t.display_name)] for s in sheets}
        words = set(self._edited_names)
        for s in sheets:
            if s.part in self._edited_sheets:
                words.update((s.name, *tables[s.part]))
        defined = self._defined_names()
        texts: dict[str, set[str]] = {}
        whole: set[str] = set()  # sheets not edited whose every formula may be stale
        grown = True
        while grown:
            grown = False
            test = mentions(words)
            if test is None:
                return {}
            for name, definition in defined:
                if name not in words and test(definition):
                    words.add(name)
                    test = mentions(words)
                    assert test is not None
            for s in sheets:
                if s.part in self._edited_sheets or s.part in whole:
                    continue
                if s.part not in texts:
                    texts[s.part] = self._formula_texts(s.part, layout.tables, s.name)
                if any(test(t) for t in texts[s.part]):
                    whole.add(s.part)
                    words.update((s.name, *tables[s.part]))
                    grown = True
        final = mentions(words)
        plan: dict[str, Stale | None] = dict.fromkeys(whole)
        for part in self._edited_sheets:
            if self._exists(part):
                plan[part] = final
        return plan

    def _formula_texts(self, part: str, tables: Iterable[ooxml.TableInfo],
                       sheet: str) -> set[str]:
        """The formula texts of worksheet ``part``; of a sheet over :data:`SCAN_LIMIT`
        bytes, those of its tables' calculated columns."""
        if self._size(part) <= SCAN_LIMIT or self._splices.get(part):
            return formula_texts(self._current_chunks(part))
        found = set()
        for t in tables:
            if t.sheet == sheet and self._exists(t.part):
                found.update(unescape(m[1]) for m in _COLUMN_FORMULA.finditer(self._read(t.part)))
        return found

    def _defined_names(self) -> list[tuple[str, str]]:
        """(name, definition) of every defined name of the workbook, local ones too."""
        try:
            root = ET.fromstring(self._read(self._wb_part))
        except ET.ParseError:
            return []
        return [(el.get("name", ""), el.text or "")
                for el in root.iter(f"{{{ooxml.NS_MAIN}}}definedName")]
