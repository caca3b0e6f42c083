"""The vocabulary of the values a column allows: fixed choice sets and settings lists.

A :class:`ChoiceSet` is an enumeration the product's logic relies on (stage,
yes/no ...); a :class:`SettingsList` is a list the team edits on the settings
sheet (regions, reps ...). Both read a typed value back to its key or label in
either language; :mod:`xlsales.spec.model` holds the rest of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from xlsales.spec.traditional import name_key, spec_words
from xlsales.values import without_brackets

if TYPE_CHECKING:
    from xlsales.spec.model import Column, Label, Lang


@dataclass(frozen=True)
class Choice:
    """One allowed value of a fixed choice set: a stable key and its labels."""

    key: str
    label: Label
    aliases: tuple[str, ...] = ()  # other spellings people type (新, 老, 成交, Y ...)


@dataclass(frozen=True)
class ChoiceSet:
    """A fixed enumeration the product's logic relies on (stage, yes/no, ...)."""

    key: str
    choices: tuple[Choice, ...]
    #: Other text is allowed and kept as typed (a KPI to watch may be one of the team's
    #: own); a choice is still shown by its label and read back to its key.
    open: bool = False

    def label(self, key: str, lang: Lang) -> str:
        """Label of the choice ``key`` in ``lang``."""
        for c in self.choices:
            if c.key == key:
                return c.label.get(lang)
        raise KeyError(f"{self.key}: no choice {key!r}")

    def labels(self, lang: Lang) -> list[str]:
        return [c.label.get(lang) for c in self.choices]

    def key_of(self, text: str) -> str | None:
        """The key whose key, label (either language) or alias equals ``text``."""
        return self.match(text)[0]

    def match(self, text: str) -> tuple[str | None, bool]:
        """``(key, exact)``: exact when ``text`` is the key or a label, not an alias nor a
        label or alias written in Traditional Chinese (``贏單``, ``新客戶``, Taiwan words
        such as ``專案``: read as :func:`~xlsales.spec.traditional.spec_words` writes them)."""
        t = str(text).strip().lower()
        key, exact = self._match(t)
        if key is None and (s := spec_words(t)) != t:
            key = self._match(s)[0]
        if key is None and (bare := without_brackets(t).strip()) not in ("", t):
            key = self.match(bare)[0]  # 赢单（已签约）: a note added to the choice
        return key, exact and key is not None

    def _match(self, t: str) -> tuple[str | None, bool]:
        for c in self.choices:
            if t in (c.key.lower(), c.label.zh.lower(), c.label.en.lower()):
                return c.key, True
        for c in self.choices:
            if t in (a.lower() for a in c.aliases):
                return c.key, False
        return None, False


@dataclass(frozen=True)
class SettingsList:
    """A team-editable list on the settings sheet (regions, reps, categories...).

    Input columns of type ``LIST`` take their dropdown from it, so a team
    changes the allowed values in the workbook, without code.
    """

    key: str
    label: Label
    defaults: tuple[Label, ...] = ()
    help: Label | None = None
    extra: tuple[Column, ...] = ()  # more columns beside the value (e.g. a rep's weight)

    @property
    def table_name(self) -> str:
        return "List" + "".join(p.capitalize() for p in self.key.split("_"))

    @property
    def range_name(self) -> str:
        """Workbook-level defined name used as the dropdown source."""
        return f"list_{self.key}"

    @cached_property
    def _defaults_by_name(self) -> dict[str, Label]:
        return {name_key(n): d for d in reversed(self.defaults) for n in (d.zh, d.en)}

    def named_default(self, value: object) -> Label | None:
        """The default ``value`` names by its label in either language, case, width, edge
        spaces and Traditional characters aside (``Customer churn``, ``華東``); None when
        it names none."""
        return self._defaults_by_name.get(name_key(value)) if isinstance(value, str) else None

    def default_in(self, value: object, lang: Lang) -> object:
        """``value`` as the label in ``lang`` of the default it names
        (:meth:`named_default`: a zh workbook's ``客户流失`` and an en one's ``Customer
        churn`` are one value); anything else as it is."""
        named = self.named_default(value)
        return value if named is None else named.get(lang)

    def listed_name(self, value: object, listed: Collection[str], lang: Lang) -> str | None:
        """The name a workbook's list ``listed`` (in ``lang``) gives the default ``value``
        names otherwise (:meth:`named_default`: ``华东`` typed in an English book listing
        ``East``, ``華東`` in a Chinese one listing ``华东``; the book's language first, then
        the other, then the list's own spelling of it); None when ``value`` is listed as it
        is or names nothing listed. Only built-in entries are named so: a name the team
        added, or one of a list without defaults (reps), stays as typed."""
        if not isinstance(value, str) or value in listed:
            return None
        named = self.named_default(value)
        if named is None:
            return None
        other: Lang = "en" if lang == "zh" else "zh"
        for name in (named.get(lang), named.get(other)):
            if name in listed:
                return name
        return next((n for n in sorted(n for n in listed if isinstance(n, str))
                     if self.named_default(n) == named), None)
