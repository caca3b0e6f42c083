"""The order a read makes its tables in.

The spec's order, as a rule: each table's header votes for the workbook's language
(:attr:`~xlsales.io.reader_session.ReadSession.lang_votes`), and a table is read in the
language the votes so far give (its findings' labels, its choices); its findings follow
those of the tables before it. A table read column-wise in the background (a large sales
sheet) is made last instead, after the tables that do not wait for it, so that the
reading thread makes those while fastexcel reads: each table's findings are kept apart
and put back in the spec's order, its error is raised in its turn, and the language each
table was read in is checked against the one the spec's order gives it. Should one
differ (a book whose headers mix languages almost evenly), :func:`read_tables` says so
and the caller reads the book again in the spec's order: the result never depends on
the order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from xlsales.findings import Finding
from xlsales.io.reader_data import ReadTable
from xlsales.io.reader_frames import read_table
from xlsales.io.reader_session import ReadSession
from xlsales.spec import Lang, Sheet, Table

#: (the spec sheet a table is on, the table), in the spec's order
Job = tuple[Sheet, Table]


@dataclass
class _Made:
    """One table as read out of the spec's order, kept apart until put back in it."""

    read: ReadTable | None = None
    findings: list[Finding] = field(default_factory=list)
    zh: int = 0  # the votes its headers gave
    en: int = 0
    lang: Lang = "zh"  # the language it was read in
    error: Exception | None = None


def read_tables(session: ReadSession, jobs: Sequence[Job], reorder: bool = True
                ) -> list[tuple[Job, ReadTable | None, Lang]] | None:
    """Each job's table (None: not in the workbook), with the language the votes give
    once it is read, in the spec's order; its findings and votes added to ``session``.
    ``reorder``: the tables read in the background last, which may return None when
    that would have changed how a table is read (nothing added then: read the workbook
    again, in order)."""
    late = {job[1].name for job in jobs if reorder and session.reading(job[1].name)}
    if not late or {job[1].name for job in jobs[-len(late):]} == late:
        return [(job, read_table(session, job[1]), session.lang()) for job in jobs]
    made = {job[1].name: _made(session, job[1])
            for job in [*(j for j in jobs if j[1].name not in late),
                        *(j for j in jobs if j[1].name in late)]}
    zh, en = session.lang_votes["zh"], session.lang_votes["en"]
    for job in jobs:  # the spec's order: the votes as they would have been
        one = made[job[1].name]
        zh, en = zh - one.zh, en - one.en
    out: list[tuple[Job, ReadTable | None, Lang]] = []
    for job in jobs:
        one = made[job[1].name]
        if one.error is not None:
            raise one.error  # read in order, this is where the read would have stopped
        zh, en = zh + one.zh, en + one.en
        lang: Lang = "en" if en > zh else "zh"
        if lang != one.lang:
            return None
        out.append((job, one.read, lang))
    for job in jobs:
        session.findings += made[job[1].name].findings
    return out


def _made(session: ReadSession, table: Table) -> _Made:
    """``table`` read with its own findings and votes; an error kept, not raised."""
    kept, session.findings = session.findings, []
    zh, en = session.lang_votes["zh"], session.lang_votes["en"]
    one = _Made()
    try:
        one.read = read_table(session, table)
    except Exception as exc:  # raised again in its turn (read_tables)
        one.error = exc
    finally:
        one.findings, session.findings = session.findings, kept
    one.zh, one.en = session.lang_votes["zh"] - zh, session.lang_votes["en"] - en
    one.lang = session.lang()
    return one
