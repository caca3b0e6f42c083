"""The vocabulary of the declarative workbook spec.

These frozen dataclasses describe sheets, tables, columns, choice lists,
settings lists (those two in :mod:`xlsales.spec.choice_model`) and KPIs (in
:mod:`xlsales.spec.kpi_model`). The
declarations themselves live in the modules of :mod:`xlsales.spec`, assembled in
:mod:`xlsales.spec.declarations`; everything else (template builder, readers,
validator, KPI engine, plan generator) reads them and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from xlsales.spec.choice_model import Choice as Choice
from xlsales.spec.choice_model import ChoiceSet, SettingsList
from xlsales.spec.traditional import name_key

if TYPE_CHECKING:
    from xlsales.spec.kpi_model import Kpi

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True)
class Label:
    """A user-facing text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def all(self) -> tuple[str, str]:
        return (self.zh, self.en)


def L(zh: str, en: str) -> Label:
    """Shorthand for :class:`Label`."""
    return Label(zh, en)


class ColumnType(str, Enum):
    """How a column's values are typed, validated and formatted."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"
    DATE = "date"
    MONTH = "month"  # a date standing for its month, shown as yyyy-mm
    CHOICE = "choice"  # one of a fixed :class:`ChoiceSet` (logic depends on it)
    LIST = "list"  # one of a team-editable list on the settings sheet
    CALC = "calc"  # helper computed by a formula, shown greyed (any type may have a formula)


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``formula`` (CALC columns only) is an Excel formula template where
    ``{this:KEY}`` is the current row's cell of column KEY, ``{col:KEY}`` the
    whole column KEY of the same table, ``{choice:SET.KEY}`` a choice label as a
    quoted string and ``{name:NAME}`` a defined name.
    """

    key: str
    label: Label
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: ChoiceSet | None = None
    list_source: SettingsList | None = None
    min_value: float | None = None
    max_value: float | None = None
    help: Label | None = None
    width: float = 14
    formula: str | None = None
    default: str | float | None = None  # pre-filled value (form fields, settings)
    # A required column of rows made ready for the owner to fill in during the period (the
    # previous plan's actions to review) is due by the period's end: left empty, it is an
    # error once the period has ended, or earlier once its row has one of ``required_with``.
    required_by_period_end: bool = False
    required_with: tuple[str, ...] = ()
    # An optional column may be absent from a workbook (one an older version wrote): its
    # readers cope without it, so its absence is not reported.
    optional: bool = False
    # A column the table cannot do without, though a row may leave it empty (a sales
    # record's amount: an open deal has none yet, and without the column no revenue can
    # be computed): its absence is an error, as a required column's.
    essential: bool = False
    # ``xlsales kpis --by KEY`` breaks the KPIs down by it (a column of the sales records).
    breakdown: bool = False

    def __post_init__(self) -> None:
        if self.type is ColumnType.CHOICE and self.choices is None:
            raise ValueError(f"column {self.key}: CHOICE needs choices")
        if self.type is ColumnType.LIST and self.list_source is None:
            raise ValueError(f"column {self.key}: LIST needs list_source")
        if self.type is ColumnType.CALC and self.formula is None:
            raise ValueError(f"column {self.key}: CALC columns need a formula")
        if (self.required_by_period_end or self.required_with) and not self.required:
            raise ValueError(f"column {self.key}: only a required column can be due later")

    @property
    def is_input(self) -> bool:
        """People type into it (it has no formula)."""
        return self.formula is None

    def shown(self, value: object) -> object:
        """``value`` as a message shows it: a number of a percent column as a percentage
        (``1.5`` → ``150%``, as the sheet formats it), anything else as it is."""
        if (self.type is ColumnType.PERCENT and isinstance(value, int | float)
                and not isinstance(value, bool) and value == value):
            return f"{value * 100:.6g}%"
        return value

    def header_in(self, headers: Iterable[object]) -> str | None:
        """The first of ``headers`` that is this column's label in either language
        (case, width and spaces aside, Traditional characters as Simplified): where a
        column the spec does not place in a table (a roll-up's member column, kept as a
        custom field) is found."""
        from xlsales.spec.traditional import name_key

        labels = {name_key(self.label.zh), name_key(self.label.en)}
        return next((h for h in headers if isinstance(h, str) and name_key(h) in labels), None)


@dataclass(frozen=True)
class Table:
    """An Excel Table (ListObject) with a stable name and declared columns."""

    name: str
    columns: tuple[Column, ...]
    help: Label | None = None
    # Form-style tables (basic info, assumptions) hold one row per declared field;
    # the field's key, label, type and help fill the row.
    form_fields: tuple[Column, ...] = ()
    # Optional tables may be absent from a workbook (e.g. built by an older version);
    # readers then use an empty table instead of refusing the file.
    optional: bool = False
    # The column that identifies a row (order ID, problem ID …): unique within the table,
    # kept apart per member in a roll-up.
    id_key: str | None = None
    # In a roll-up (its rows naming their member: :data:`ROLLUP_MEMBER`, key "member"; in a
    # roll-up of roll-ups the members below too: :data:`ROLLUP_WITHIN`, "member_within"),
    # the columns telling apart who holds a row. An id held by two holders is a record
    # each of them has (one order co-sold by two reps: the CRM gives it one id), reported
    # when consolidating and a warning here; repeated by one holder it is a duplicate.
    id_holders: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        column = self._by_key.get(key)
        if column is None:
            raise KeyError(f"table {self.name} has no column {key!r}")
        return column

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        """Key → column (the first of a key), made once per table: every read looks
        columns up by key, many times per workbook."""
        out: dict[str, Column] = {}
        for c in self.columns:
            out.setdefault(c.key, c)
        return out

    @cached_property
    def key_set(self) -> frozenset[str]:
        """The keys of its columns, to test a key against (:attr:`keys` in order)."""
        return frozenset(self._by_key)

    def header_index(self) -> dict[str, str]:
        """Header text as :func:`~xlsales.spec.traditional.name_key` compares it (zh or en
        label, or key) → column key, to match headers: a header retyped in Traditional
        characters (Excel's 简转繁 on a whole workbook) is its column's too.

        Labels win over keys: the en label "Period" of ``period_label`` must not be
        taken for the column whose key is ``period`` (labelled "Period start")."""
        return dict(self._header_index)

    @cached_property
    def _header_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for c in self.columns:
            for text in (c.label.zh, c.label.en):
                index.setdefault(name_key(text), c.key)
        for c in self.columns:
            index.setdefault(name_key(c.key), c.key)
        return index

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def row_markers(self) -> tuple[Column, ...]:
        """The columns every row of the table fills: its input columns required from the
        start (not those due later), but its first and its ID (where a note or a total's
        label is typed). Below the table's range, a row filling none of them is not one of
        its rows (a note, a typed total); empty when the table has no such column (a
        settings list: every row below it is an entry)."""
        first = self.columns[0].key if self.columns else None
        return tuple(c for c in self.columns
                     if c.required and c.is_input and not c.required_by_period_end
                     and not c.required_with and c.key not in (first, self.id_key))

    @property
    def builtin_list_columns(self) -> tuple[Column, ...]:
        """Its list columns whose list has built-in entries (regions, products, problem
        and budget categories), which a workbook names in its language
        (:meth:`SettingsList.default_in`)."""
        return tuple(c for c in self.columns if c.list_source is not None
                     and c.list_source.defaults)


class SheetKind(str, Enum):
    """What a sheet is for; decides protection and whether ``new`` builds it."""

    INSTRUCTIONS = "instructions"
    INPUT = "input"  # people type here; never protected (Tables must grow)
    CALCULATED = "calculated"  # formulas; protected without a password
    SETTINGS = "settings"
    PLAN = "plan"  # generated for the next period by ``xlsales plan``
    RESULT = "result"  # written into the user's workbook by an operation (validation)


@dataclass(frozen=True)
class Sheet:
    """A worksheet: its key, its zh/en names, and the tables it holds."""

    key: str
    name: Label
    kind: SheetKind
    tables: tuple[Table, ...] = ()
    help: Label | None = None

    @property
    def in_every_workbook(self) -> bool:
        """Built into every new workbook; otherwise written only when it has content
        (plan and result sheets, sheets of optional tables)."""
        if self.kind in (SheetKind.PLAN, SheetKind.RESULT):
            return False
        return not (self.tables and all(t.optional for t in self.tables))


@dataclass(frozen=True)
class WorkbookSpec:
    """The whole declarative spec: sheets in workbook order, settings lists, KPIs."""

    sheets: tuple[Sheet, ...]
    lists: tuple[SettingsList, ...]
    kpis: tuple[Kpi, ...]
    choice_sets: tuple[ChoiceSet, ...] = field(default=())

    def __hash__(self) -> int:
        """The hash of its fields, as a frozen dataclass's, computed once: a spec is a
        cache key over and over (its KPI subsets, the tables its KPIs read), and hashing
        the whole tree of sheets, tables and columns takes a fifth of a millisecond."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.sheets, self.lists, self.kpis, self.choice_sets))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict[str, object]:
        # a string's hash differs from one process to the next: never pickle it
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def sheet(self, key: str) -> Sheet:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    def table(self, name: str) -> Table:
        for s in self.sheets:
            for t in s.tables:
                if t.name == name:
                    return t
        raise KeyError(name)

    def sheet_of(self, table_name: str) -> Sheet:
        for s in self.sheets:
            if any(t.name == table_name for t in s.tables):
                return s
        raise KeyError(table_name)

    def choice_set(self, key: str) -> ChoiceSet:
        """The choice set ``key`` (a formula's ``{choice:SET.KEY}``): one of
        :attr:`choice_sets` or of any table's CHOICE column, so a new column's set needs
        no second listing."""
        columns = (c for s in self.sheets for t in s.tables for c in (*t.columns, *t.form_fields))
        sets = (*self.choice_sets, *(c.choices for c in columns if c.choices is not None))
        for choice_set in sets:
            if choice_set.key == key:
                return choice_set
        raise KeyError(f"no choice set {key!r}: give it to a CHOICE column (xlsales/spec/)")

    def kpi(self, key: str) -> Kpi:
        for k in self.kpis:
            if k.key == key:
                return k
        raise KeyError(key)
