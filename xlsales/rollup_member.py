"""One member of a roll-up as a worker process reads it (:func:`load_member`): read and
validated, its KPIs for the ranking computed, its merged and settings tables made compact
to cross processes (the big ones sealed) — or left out with the error that says why (an
:class:`~xlsales.errors.XlsalesError` pickles, so it crosses processes as itself).

Workers import this module, not the rest of ``xlsales consolidate``; the reader, the
validation and the KPI engine are imported when a member is read (a forked worker has
them already: :func:`xlsales.rollup_pool.executor`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from xlsales.currency import CURRENCY_FIELD, DEFAULT_CURRENCY, currency_code
from xlsales.errors import WorkbookError, XlsalesError
from xlsales.files import command_path
from xlsales.findings import Severity
from xlsales.periods import Period
from xlsales.rollup_calc import formula_inputs
from xlsales.rollup_frames import CompactFrame, Sealed, coded
from xlsales.rollup_lacks import Lack, lacks_of
from xlsales.rollup_rank import MEMBER_TABLES
from xlsales.script_variant import Script
from xlsales.spec import SPEC, WorkbookSpec
from xlsales.spec.subset import kpi_subset
from xlsales.values import is_blank

#: Tables whose rows the roll-up takes from every member.
MERGED_TABLES = MEMBER_TABLES
#: Tables whose rows are rendered in parallel (the others are small: the main process
#: renders them).
BIG_TABLES = ("Sales", "Activities")
#: Merged tables whose calculated columns the roll-up stores as values
#: (:mod:`xlsales.rollup_calc`).
VALUE_TABLES = frozenset(name for name in MERGED_TABLES
                         if any(not c.is_input for c in SPEC.table(name).columns))
#: Settings tables the roll-up takes from its first member.
SETTINGS_TABLES = ("Playbook", "CustomFields")
#: The rep list with its split weights: every member's reps, with their weights.
REP_LIST = "ListRep"
#: KPIs each member reports for the ranking and the whole's sums.
MEMBER_KPIS = ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "deals",
               "lost_deals", "closed_deals", "customers", "win_rate", "invoiced", "collected",
               "collection_rate", "visits", "visits_target", "revenue_previous",
               "revenue_year_ago")


@dataclass
class Member:
    """One member workbook as read: its content, or why it is left out."""

    path: Path
    owner: str = ""  # as its basic-info sheet names it
    period: Period | None = None
    lang: str = "zh"
    errors: int = 0
    reason: XlsalesError | None = None  # why it is left out (both messages)
    level: str = ""
    kpis: dict[str, float | int | None] = field(default_factory=dict)
    #: Its merged and settings tables, compact to cross processes; the big ones (sales
    #: records, activities) sealed when read by a worker process: the main process hands
    #: them on unread.
    tables: dict[str, CompactFrame | Sealed] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    assumptions: dict[str, object] = field(default_factory=dict)
    budget_caps: CompactFrame | None = None
    #: Its name in the roll-up: its owner, told apart from another member of the same
    #: name by its file (``note`` then says so: zh, en).
    name: str = ""
    note: tuple[str, str] | None = None
    #: A hash of each of its distinct sales order ids (:func:`order_keys`): the main
    #: process finds the orders in more than one member without opening sealed tables.
    order_keys: np.ndarray | None = None
    #: The reps named in its sales rows (found in two members: one name, maybe two people).
    reps: tuple[str, ...] = ()
    #: A fingerprint of the rows it brings (:func:`content_key`), made when needed: two
    #: workbooks of one owner with the same one are copies, with another one versions.
    content: str | None = None
    #: The currency its amounts are in (:func:`~xlsales.currency.currency_code`).
    currency: str = DEFAULT_CURRENCY
    #: The script its workbook is written in (:attr:`ReadWorkbook.script`: None for
    #: Simplified or English; a Traditional one's names are compared with the others' in
    #: :mod:`xlsales.rollup_scripts`, the roll-up is built in it when most are).
    script: Script | None = None
    #: Left out as its rows are in the roll-up through another workbook (a copy, an older
    #: version, one a roll-up given holds, this command's own output): nothing is missing.
    held_elsewhere: bool = False
    #: Set aside as a backup xlsales kept of this workbook (the roll-up's output when the
    #: flag is True, else a book given with it): the backups of one workbook are said in
    #: one row of the ranking sheet (:func:`~xlsales.rollup_kept_report.one_row_for_backups`).
    backup_of: tuple[Path, bool] | None = None
    #: The workbooks it was made without, when it is a roll-up (its ranking sheet lists
    #: them): a roll-up of it lacks them too.
    lacks: tuple[Lack, ...] = ()
    #: Its file as the report shows it (:func:`~xlsales.rollup_naming.label_files`): its
    #: name, with its folder when another member's file has the same name.
    shown: str = ""

    @property
    def traditional(self) -> bool:
        """Its workbook is written in Traditional characters."""
        return self.script is not None

    @property
    def label(self) -> str:
        """Its file as the report and the ranking sheet name it."""
        return self.shown or self.path.name

    @property
    def ok(self) -> bool:
        """Rolled up (not left out)."""
        return self.reason is None

    def rows(self, table: str) -> int:
        """How many rows of ``table`` it brings."""
        part = self.tables.get(table)
        return 0 if part is None else part.length

    def columns(self, table: str) -> list[str] | None:
        """The columns of its ``table`` (None if its workbook has no such table)."""
        part = self.tables.get(table)
        return None if part is None else list(part.columns)

    def compact(self, table: str) -> CompactFrame | None:
        """Its ``table``, opened if sealed (None if its workbook has no such table)."""
        part = self.tables.get(table)
        return part.open() if isinstance(part, Sealed) else part

    def inputs(self, table: str) -> CompactFrame | None:
        """Its columns that ``table``'s calculated columns read, opened if sealed (None
        if its workbook has no such table)."""
        part = self.compact(table)
        return None if part is None else formula_columns(part, table)

    def frame(self, table: str) -> pd.DataFrame | None:
        """The member's rows of ``table`` (None if its workbook has no such table)."""
        part = self.compact(table)
        return None if part is None else part.frame()


def order_keys(orders: Sequence[object]) -> np.ndarray:
    """A 64-bit hash of each of ``orders`` (distinct order ids), text and numbers alike.
    Hashed as they are: ``hash_array``'s categorizing first finds repeats, which distinct
    ids have none of (the same hashes, a sixth of the time)."""
    return pd.util.hash_array(np.array([str(o) for o in orders], dtype=object),
                              categorize=False)


def canonical(value: object) -> str:
    """``value`` as compared between two workbooks: 10000 and 10000.0 alike, a date by
    its ISO text, an empty cell as ''."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def content_key(tables: Mapping[str, CompactFrame]) -> str:
    """A fingerprint of the rows of ``tables`` (their typed columns, not the calculated
    ones), whatever their order: equal for a workbook and its copy, different as soon as
    one amount, target or row differs."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(tables):
        part = tables[name]
        rows = np.zeros(part.length, dtype=np.uint64)
        for key in sorted(part.columns):
            data = part.columns[key]
            if isinstance(data, np.ndarray):  # numbers: hashed as they are, NaN as one
                column = pd.util.hash_array(np.where(np.isnan(data), np.nan, data))
            else:
                codes, uniques = data
                column = pd.util.hash_array(np.array(
                    [v if type(v) is str else canonical(v) for v in uniques] + [""],
                    dtype=object))[codes]  # code -1: empty
            with np.errstate(over="ignore"):
                rows = rows * np.uint64(1_000_003) ^ column
        digest.update(f"{name}:{','.join(sorted(part.columns))}:".encode())
        digest.update(np.sort(rows).tobytes())
    return digest.hexdigest()


def formula_columns(part: CompactFrame, table: str) -> CompactFrame:
    """The columns of ``part`` (rows of ``table``) that ``table``'s calculated columns
    read (:func:`~xlsales.rollup_calc.formula_inputs`)."""
    return CompactFrame(part.length, {k: part.columns[k] for k in formula_inputs(table)
                                      if k in part.columns})


def member_spec() -> WorkbookSpec:
    """The spec cut down to what :data:`MEMBER_KPIS` need (see
    :func:`~xlsales.spec.subset.kpi_subset`)."""
    return kpi_subset(MEMBER_KPIS)


def load_member(path: Path, seal: bool = True) -> Member:
    """Read and validate one member, and compute its KPIs (runs in a worker process).
    With ``seal`` its big tables are sealed for the main process to hand on unread; read
    in the process that writes the roll-up (one worker), they need not be. A workbook
    that cannot be read gives a member left out with the error."""
    from xlsales.io.reader import read_workbook
    from xlsales.kpis import compute_kpis
    from xlsales.rollup_within import with_chains
    from xlsales.validation import validate

    try:  # the roll-up takes values: a member's cells without formula change nothing
        book = read_workbook(path, count_formulas=False)
    except XlsalesError as exc:
        return Member(path, reason=exc)
    errors = sum(1 for f in validate(book) if f.severity is Severity.ERROR)
    member = Member(path, str(book.info.get("owner") or path.stem), book.period, book.lang,
                    errors, level=str(book.info.get("level") or ""),
                    currency=currency_code(book.info.get(CURRENCY_FIELD)),
                    script=book.script)
    if errors:
        shown = command_path(path)  # a command the user can run where consolidate ran
        member.reason = WorkbookError(
            f"有 {errors} 个校验错误（运行 xlsales validate {shown} 查看）",
            f"{errors} validation {'error' if errors == 1 else 'errors'} (see xlsales "
            f"validate {shown})")
        return member
    if book.period is None:
        member.reason = WorkbookError("基础信息里没有周期", "no period in its basic info")
        return member
    # a roll-up's rows with the members below that each counts for: kept apart above it
    frames = with_chains(book, {n: t.frame for n, t in book.tables.items()})
    if not any(len(frames[n]) for n in MERGED_TABLES if n in frames):
        member.reason = WorkbookError(
            "是空的：销售记录、目标、活动、问题和经验都没有填写（刚新建？）；填写后重新合并",
            "it is empty: no sales, targets, activities, problems or lessons filled in yet "
            "(just made?); fill it in and consolidate again")
        return member
    member.lacks = tuple(lacks_of(book))
    kpis = compute_kpis(frames, book.period, spec=member_spec()).kpis
    member.kpis = {k: kpis.get(k) for k in MEMBER_KPIS}
    for name in (*MERGED_TABLES, *SETTINGS_TABLES, REP_LIST):
        if name in frames:
            # calculated columns are written as formulas: their values need not travel
            calculated = {c.key for c in SPEC.table(name).columns if not c.is_input}
            compact = CompactFrame.of(frames[name], leave=calculated)
            member.tables[name] = (Sealed.of(compact) if seal and name in BIG_TABLES
                                   else compact)
            if name == "Sales":
                member.order_keys = order_keys(coded(compact, "order_id")[1])
                member.reps = tuple(str(r) for r in coded(compact, "rep")[1])
    member.lists = {k: list(v) for k, v in book.lists.items()}
    member.assumptions = dict(book.assumptions)
    if "BudgetCaps" in frames:
        member.budget_caps = CompactFrame.of(frames["BudgetCaps"])
    return member


def load_members(paths: Sequence[Path], seal: bool = True) -> list[Member]:
    """:func:`load_member` of each path (one task of a worker process)."""
    return [load_member(p, seal) for p in paths]
