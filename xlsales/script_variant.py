"""xlsales' own text in the script of the book it writes into: a workbook converted to
Traditional Chinese (Excel's Review → 简转繁, as teams in Taiwan and Hong Kong use it) gets
the labels, headers, messages, summary paragraph and sheet names xlsales writes in
Traditional too, not in the Simplified the spec is written in.

One boundary: the reader tells the book's script once (:func:`book_script`, kept as
:attr:`~xlsales.io.reader_data.ReadWorkbook.script`); the writers pass their own text
through an :class:`OwnText` (:func:`own_text`). The user's text is never converted: what
the book's people typed (reps, customers, problems, list entries, the owner; sheet names,
file names and the values a finding quotes) stays as typed, also inside a message or the
drafted paragraph that quotes it. Table names are ASCII and stay as they are.

Which conversion: OpenCC (``opencc-python-reimplemented``) ``s2tw``, Taiwan's standard
characters, unless the book's sheet names show Taiwan phrases (``設定``, ``基礎資訊``:
Excel's conversion with "convert common terms" on, OpenCC ``s2twp``), which are then
written too. Hong Kong forms (``s2hk``) cannot be told from Taiwan's by the spec's sheet
names (they are the same there), so a Hong Kong book gets Taiwan's characters: the few
that differ (裡/裏, 綫/線) read the same to xlsales and to people."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from xlsales.spec import SPEC, Column, Lang, SheetKind
from xlsales.spec.traditional import spec_words

if TYPE_CHECKING:
    import pandas as pd

    from xlsales.io.reader_data import ReadWorkbook

#: The OpenCC configurations xlsales writes in; None (on a book) is the spec's Simplified.
Script = Literal["s2tw", "s2twp"]
SCRIPTS: tuple[Script, ...] = ("s2tw", "s2twp")  # on a tie, the first
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=4)
def _converter(script: Script) -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC(script).convert  # type: ignore[no-any-return]


#: OpenCC's Taiwan phrases that are no Taiwan word (its 扩展 → 擴充套件, from 扩充 + 套件, a
#: software package), as Taiwan writes them; and 合并 (merge) cut apart by the word before
#: it (对合并, 只合并: 合 + 并 → 合並), which Taiwan writes 合併 as OpenCC does the word.
_MERGE = ("合並", "合併")
_PHRASE_FIXES: dict[Script, tuple[tuple[str, str], ...]] = {
    "s2tw": (_MERGE,), "s2twp": (("擴充套件", "擴展"), _MERGE)}


@lru_cache(maxsize=8192)
def _convert(text: str, script: Script) -> str:
    """``text`` in ``script``, kept: a sheet repeats the same labels and message texts."""
    out = _converter(script)(text)
    for wrong, right in _PHRASE_FIXES.get(script, ()):
        out = out.replace(wrong, right)
    return out


@lru_cache(maxsize=2)
def _sheet_names(script: Script) -> frozenset[str]:
    return frozenset(_convert(s.name.zh, script) for s in SPEC.sheets)


def book_script(sheet_names: Sequence[str]) -> Script | None:
    """The script of a workbook with sheets ``sheet_names``: None when the spec's sheets
    it holds are named mostly as the spec names them (Simplified, or English), else the
    conversion whose names its sheets have (``s2twp`` when they show Taiwan phrases,
    ``設定``; ``s2tw`` otherwise). Only the template's sheets count: not a sheet of the
    user's in Traditional, nor those xlsales writes (plans and results an earlier version
    wrote in Simplified into a converted book)."""
    spec = {s.name.zh for s in SPEC.sheets if s.kind not in (SheetKind.PLAN, SheetKind.RESULT)}
    as_spec = sum(n in spec for n in sheet_names)
    converted = [n for n in sheet_names if n not in spec and spec_words(n) in spec]
    if len(converted) <= as_spec:
        return None
    return max(SCRIPTS, key=lambda s: sum(n in _sheet_names(s) for n in converted))


@dataclass(frozen=True)
class OwnText:
    """Writes xlsales' own text in a book's script (``script`` None: as it is), leaving
    every string of ``keep`` (the user's text) inside it as it is."""

    script: Script | None = None
    keep: frozenset[str] = field(default_factory=frozenset)

    def __call__(self, text: str, keep: Iterable[object] = ()) -> str:
        """``text`` in the book's script; the user's strings in it (:attr:`keep`, and
        ``keep`` given here: the value a message quotes) as they are."""
        if self.script is None or not _HAN.search(text):
            return text
        kept = [k for k in {*self.keep, *(str(k) for k in keep if k is not None)}
                if k and _HAN.search(k) and k in text]
        if not kept:
            return _convert(text, self.script)
        pattern = re.compile("|".join(re.escape(k) for k in sorted(kept, key=len, reverse=True)))
        out, at = [], 0
        for m in pattern.finditer(text):
            out += [_convert(text[at:m.start()], self.script) if m.start() > at else "", m[0]]
            at = m.end()
        return "".join([*out, _convert(text[at:], self.script) if at < len(text) else ""])

    def keeping(self, strings: Iterable[object]) -> OwnText:
        """This conversion keeping ``strings`` too (file names, sheet names, a report's
        quoted values) wherever a text holds them."""
        if self.script is None:
            return self
        more = {str(s) for s in strings if s is not None and _HAN.search(str(s))}
        return OwnText(self.script, self.keep | more) if more - self.keep else self

    def cell(self, value: object) -> object:
        """A cell's value: text as :meth:`__call__` writes it, anything else as it is."""
        return self(value) if isinstance(value, str) else value

    def sheet_name(self, name: str) -> tuple[str, tuple[str, ...]]:
        """The name to write a sheet of xlsales' (the spec's ``name``) under, and the
        names an earlier such sheet may have that it replaces (the spec's own, written
        before the book was converted). Found again on the next run: the reader and the
        package writer take Traditional names as the spec's."""
        written = self(name)
        return written, (() if written == name else (name,))


def own_text(book: ReadWorkbook, lang: Lang, user_text: bool = False) -> OwnText:
    """How xlsales writes its own text into ``book`` in ``lang``: in the book's script
    when that is Traditional and ``lang`` Chinese (English and Simplified as they are).
    ``user_text``: also keep, inside xlsales' text, what the book's people typed (its
    basic information, settings lists, reps, and the text of every table but the sales
    records'), for text that quotes it (a plan's actions, the drafted paragraph)."""
    script = book.script if lang == "zh" else None
    if script is None or not user_text:
        return OwnText(script)
    return OwnText(script, frozenset(_user_strings(book)))


def _user_strings(book: ReadWorkbook) -> set[str]:
    """The strings of ``book`` its people typed that may be quoted in xlsales' text."""
    found = {str(v) for v in book.info.values() if isinstance(v, str)}
    found |= {v for values in book.lists.values() for v in values}
    plans = {t.name for s in SPEC.sheets if s.kind is SheetKind.PLAN for t in s.tables}
    for name, table in book.tables.items():
        if name in plans:  # xlsales wrote them
            continue
        frame = table.frame
        found |= frame_strings(frame, ["rep"] if name == "Sales" else None)
    return {s for s in found if _HAN.search(s)}


def frame_strings(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> set[str]:
    """The text values of ``frame``'s ``columns`` (all by default; those it has), whatever
    the columns' dtype (pandas' own string dtype, or object beside numbers)."""
    found: set[str] = set()
    for column in (c for c in (frame.columns if columns is None else columns)
                   if c in frame.columns):
        found |= {v for v in frame[column].dropna().unique() if isinstance(v, str)}
    return found


def is_script_spelling(column: Column, value: object) -> bool:
    """Whether ``value`` is a label of ``column``'s choices written in Traditional
    characters or Taiwan words (``贏單`` for ``赢单``): in a book converted to Traditional
    the book's own spelling, not an alias repaired (``成交`` for ``赢单`` still is one)."""
    if column.choices is None or not isinstance(value, str):
        return False
    words = spec_words(value.strip().lower())
    return words != value.strip().lower() and column.choices.match(words)[1]


def script_key(text: str) -> str:
    """``text`` as compared whichever script it is written in: xlsales' own text read
    back from a Traditional book (a plan's action, carried into the next summary) and the
    same text in Simplified come to one key (both as OpenCC ``s2twp`` writes them)."""
    return _convert(text, "s2twp") if _HAN.search(text) else text
