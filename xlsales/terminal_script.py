"""What the commands print about a book converted to Traditional Chinese, in its script:
``validate``, ``kpis``, ``plan``, ``import`` and ``consolidate`` print xlsales' own Chinese
(finding messages, KPI labels, notes, summary lines) as the sheets they write it, through
the same :class:`~xlsales.script_variant.OwnText`; the user's text (names, customers,
problems, the values a message quotes, file and sheet names) stays as typed. A book that
is not Traditional, or output in English, prints as it always has."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from xlsales.script_variant import OwnText, own_text

if TYPE_CHECKING:
    from xlsales.findings import Finding
    from xlsales.io.reader_data import ReadWorkbook
    from xlsales.rollup_result import Rollup


def terminal_text(book: ReadWorkbook, lang: str) -> OwnText:
    """How the lines printed about ``book`` in ``lang`` are written: in its script when it
    is Traditional and ``lang`` Chinese, keeping what its people typed
    (:func:`~xlsales.script_variant.own_text`) and its file and sheet names."""
    own = own_text(book, "zh" if lang == "zh" else "en", user_text=True)
    if own.script is None:
        return own
    from xlsales.files import command_path

    return own.keeping([book.path.name, str(book.path), command_path(book.path),
                        *(s.name for s in book.layout.sheets)])


def finding_keep(finding: Finding) -> tuple[object, ...]:
    """The text a finding's message quotes as it is: its value, sheet and column (the
    user's), and the spelling the book's formulas count of a choice spelled otherwise
    (``choice_not_counted``: 新客户 where the cell holds 新客戶, else the message would
    say the formulas count what the cell holds)."""
    return (finding.value, finding.sheet, finding.column, *_counted_label(finding))


def _counted_label(finding: Finding) -> tuple[str, ...]:
    """The spec's zh label of the choice ``finding`` (``choice_not_counted``) is about:
    what the formulas of a book not yet respelled count."""
    if finding.rule != "choice_not_counted" or not isinstance(finding.value, str):
        return ()
    from xlsales.spec import SPEC

    try:
        column = SPEC.table(finding.table or "").column(finding.column or "")
    except KeyError:
        return ()
    if column.choices is None:
        return ()
    choice = column.choices.match(finding.value)[0]
    return () if choice is None else (column.choices.label(choice, "zh"),)


def own_lines(lines: Iterable[str], own: OwnText) -> list[str]:
    """``lines`` as :func:`terminal_text` prints them."""
    return [own(line) for line in lines]


def rollup_text(rollup: Rollup, out: Path) -> OwnText:
    """How ``consolidate``'s report on ``rollup`` (written to ``out``) writes xlsales'
    text: in the roll-up's script (Traditional when most members' books are), keeping its
    members' names, files and reps, the names its report quotes and what the members'
    people typed (basic information, list entries)."""
    if rollup.script is None or rollup.lang != "zh":
        return OwnText()
    names: list[object] = [out, out.name]
    for m in rollup.members:
        names += [m.label, m.name, m.owner, m.path, m.path.name, *m.reps]
    for (rep, files), _orders in rollup.twice.items():
        names += [rep, *files]
    names += [n for found in (rollup.shared, rollup.shared_reps) for v in found.values()
              for n in v]
    names += [*rollup.shared_reps, *(n for pair in rollup.twins for n in pair)]
    names += [u.given for u in rollup.not_read]
    if rollup.data is not None:
        names += [v for v in rollup.data.info.values() if isinstance(v, str)]
        names += [v for values in rollup.data.lists.values() for v in values]
    return OwnText(rollup.script).keeping(names)


_QUOTED = re.compile(r"'([^'\n]+)'")


def quoted(texts: Iterable[str]) -> set[str]:
    """The values ``texts`` quote as a message quotes what was typed (``金额 '一百'``):
    kept as typed in a report whose reasons name no finding's value."""
    return {m for text in texts for m in _QUOTED.findall(text)}


def typed_headers(headers: Iterable[str]) -> list[str]:
    """Of an export's ``headers``, those its CRM named in its own words (``客户名称``),
    kept as typed; one that is the spec's label (``金额``, in either script) reads as
    xlsales' own word wherever a line says it, and is written as the book writes it."""
    from xlsales.spec import SPEC
    from xlsales.spec.traditional import spec_words

    labels = {c.label.zh for s in SPEC.sheets for t in s.tables for c in t.columns}
    return [h for h in headers if spec_words(h) not in labels and h not in labels]
