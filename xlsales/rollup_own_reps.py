"""A team roll-up of a manager's book beside her reps' own books: one person per rep.

The manager's book (owner 王芳) lists targets for 张伟, 李娜 … — maybe a deal she logged for
one of them — and each of them sends a book of their own (an individual book, owner 张伟).
Her rows naming 张伟 are that rep's, not a second 张伟's: in the member ranking (revenue,
target, attainment …) they count for 张伟's own member, and her row keeps her own; the
ranking's status and the report say whose targets her book set. (Figures by rep of the
roll-up do the same from its rows: :func:`xlsales.rep_names.reps_with_own_book`.)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from xlsales.kpis import compute_kpis
from xlsales.periods import Period
from xlsales.rollup_member import MEMBER_KPIS, Member, member_spec
from xlsales.rollup_member_levels import SETTER_MARKS
from xlsales.rollup_rank import MEMBER_TABLES, member_column, named
from xlsales.rollup_targets import TargetSet, settled_targets, target_notes
from xlsales.spec.subset import kpi_subset

#: The member KPIs the Targets table gives: they follow a target row to its rep's book.
_TARGET_KPIS = ("target", "visits_target")


def _rolled_up(member: Member) -> bool:
    """Whether ``member``'s rows name members: a roll-up, whatever its basic info's level
    says (a team roll-up named 张伟, its level typed over as 个人, is no rep's book)."""
    return any(member_column(member.columns(t) or []) is not None for t in MEMBER_TABLES)


def rolled_up(members: Sequence[Member]) -> frozenset[str]:
    """The members that are roll-ups: their rows' reps are their own people, never moved
    to another member that is a namesake's own book (a team roll-up given beside another
    team's reps' books)."""
    return frozenset(m.name for m in members if _rolled_up(m))


def own_books(members: Sequence[Member]) -> dict[str, str]:
    """Rep name → the member that is that rep's own book: an individual book whose owner
    is the rep, the only such book of that owner, its sales rows naming no other rep —
    never a roll-up (its rows name members, as ``consolidate`` writes them)."""
    books: dict[str, list[Member]] = {}
    for m in members:
        if m.level == "individual" and m.owner and not _rolled_up(m):
            books.setdefault(m.owner.strip(), []).append(m)
    return {owner: found[0].name for owner, found in books.items()
            if len(found) == 1 and set(found[0].reps) <= {owner}}


def _owners(frame: pd.DataFrame, own: Mapping[str, str], member: pd.Series | str,
            fixed: Collection[str] = ()) -> pd.Series:
    """The member each row of ``frame`` counts for: its rep's own book (``own``) when
    the rep has one, else ``member`` (its own member); a row of a member in ``fixed`` (a
    roll-up: its reps are its own people) stays its member's."""
    rep = frame["rep"].astype(str).str.strip().where(named(frame["rep"]), None)
    mine = member if isinstance(member, pd.Series) else pd.Series(member, index=frame.index)
    return rep.map(own).where(rep.isin(own) & ~mine.isin(fixed), mine)


def _setters(members: Sequence[Member], frame: pd.DataFrame | None,
             own: Mapping[str, str], label: str, fixed: Collection[str] = ()
             ) -> tuple[dict[str, list[str]], set[str]]:
    """Member → the reps with an own book its target or sales rows name, and the members
    whose sales rows name such a rep."""
    setters: dict[str, list[str]] = {}
    if frame is not None and "rep" in frame.columns and len(frame):
        member = frame[label].astype(str)
        moved = _owners(frame, own, member, fixed).ne(member)
        for m, r in zip(member[moved], frame["rep"][moved].astype(str).str.strip(),
                        strict=True):
            if r not in setters.setdefault(m, []):
                setters[m].append(r)
    selling = set()
    for m in members:
        for r in m.reps if m.name not in fixed else ():
            if r.strip() in own and own[r.strip()] != m.name:
                selling.add(m.name)
                if r.strip() not in setters.setdefault(m.name, []):
                    setters[m.name].append(r.strip())
    return setters, selling


def attribute_rows(members: Sequence[Member], targets: pd.DataFrame | None,
                   own: Mapping[str, str], label: str, period: Period) -> dict[str, list[str]]:
    """Give each member of ``members`` the KPIs of its reps' rows: a row naming a rep with
    an own book (``own``: :func:`own_books`) counts for that book whichever member's book
    it is in. Targets (the roll-up's Targets ``targets``, members named in ``label``)
    set the members' ``target``, ``visits_target`` and ``attainment``; when a member's
    sales rows name such a rep, the members concerned get all their KPIs again from
    their rows so counted. Returns member → the reps with an own book its rows name
    (empty, and nothing changed, when none does)."""
    if not own:
        return {}
    fixed = rolled_up(members)
    setters, selling = _setters(members, targets, own, label, fixed)
    if not setters:
        return {}
    concerned = set()
    if selling:  # rare: a manager logged a deal for a rep; their members' rows again
        concerned = _recount(members, targets, own, label, period, selling, fixed)
    _give_targets([m for m in members if m.name not in concerned], targets, own, label,
                  period, fixed)
    return setters


def _give_targets(members: Sequence[Member], targets: pd.DataFrame | None,
                  own: Mapping[str, str], label: str, period: Period,
                  fixed: Collection[str] = ()) -> None:
    """Set the target KPIs (and attainment) of ``members`` from the ``targets`` rows
    counted for them (:func:`_owners`)."""
    if not members or targets is None or "rep" not in targets.columns:
        return
    owner = _owners(targets, own, targets[label].astype(str), fixed)
    groups = compute_kpis({"Targets": targets.assign(rep=owner)}, period, by="rep",
                          spec=kpi_subset(_TARGET_KPIS)).groups
    for m in members:
        values = groups.get(m.name, {})
        for key in _TARGET_KPIS:
            m.kpis[key] = values.get(key)
        target, revenue = m.kpis.get("target"), m.kpis.get("revenue")
        m.kpis["attainment"] = (float(revenue or 0) / float(target)) if target else None


def _recount(members: Sequence[Member], targets: pd.DataFrame | None,
             own: Mapping[str, str], label: str, period: Period, selling: set[str],
             fixed: Collection[str] = ()) -> set[str]:
    """The KPIs of the members ``selling`` (whose sales rows name reps with an own book)
    and of those reps' books, from their rows counted for the member they belong to;
    the names of the members so counted again."""
    by_name = {m.name: m for m in members}
    concerned = set(selling) | {own[r.strip()] for n in selling for r in by_name[n].reps
                                if r.strip() in own}
    parts: dict[str, dict[str, list[pd.DataFrame]]] = {}
    for name in concerned:
        m = by_name[name]
        for table in ("Sales", "Activities"):
            frame = m.frame(table)
            if frame is None or not len(frame):
                continue
            owner = _owners(frame, own, name, fixed) if "rep" in frame.columns else \
                pd.Series(name, index=frame.index)
            for who, rows in frame.groupby(owner, sort=False):
                parts.setdefault(str(who), {}).setdefault(table, []).append(rows)
    if targets is not None and len(targets):
        owner = _owners(targets, own, targets[label].astype(str), fixed)
        for who, rows in targets.groupby(owner, sort=False):
            parts.setdefault(str(who), {}).setdefault("Targets", []).append(rows.drop(
                columns=[label]))
    for name in concerned:
        tables = {t: pd.concat(f, ignore_index=True) for t, f in parts.get(name, {}).items()}
        kpis = compute_kpis(tables, period, spec=member_spec()).kpis
        by_name[name].kpis = {k: kpis.get(k) for k in MEMBER_KPIS}
    return concerned


def unbooked_targets(members: Sequence[Member], targets: pd.DataFrame | None,
                     own: Mapping[str, str], setters: Mapping[str, list[str]], label: str
                     ) -> dict[str, list[str]]:
    """Of the members in ``setters`` (a manager's book naming reps with books of their
    own), member → the other reps its Targets rows name who have no book among the
    members: their targets stay in its row, beside its owner's own sales."""
    if not setters or targets is None or "rep" not in targets.columns:
        return {}
    owners = {m.name: m.owner.strip() for m in members}
    rep = targets["rep"].astype(str).str.strip().where(named(targets["rep"]), None)
    member = targets[label].astype(str)
    out: dict[str, list[str]] = {}
    for m, r in zip(member, rep, strict=True):
        if m in setters and r is not None and r not in own and r != owners.get(m):
            if r not in out.setdefault(m, []):
                out[m].append(r)
    return out


def setter_note(reps: Sequence[str] | None, unbooked: Sequence[str] | None,
                lang: str) -> str:
    """The ranking sheet's status of a member whose book holds rows of other members'
    reps (``reps``: read back, :data:`SETTER_MARKS`) and targets of reps with no book
    (``unbooked``); '' when neither."""
    zh, parts = lang == "zh", []
    if reps:
        parts.append(f"写有 {'、'.join(reps)} 的目标或记录{SETTER_MARKS[0]}" if zh else
                     f"holds targets or rows of {', '.join(reps)} {SETTER_MARKS[1]}")
    if unbooked:
        parts.append(f"目标含 {'、'.join(unbooked)} 的（本人没有工作簿）" if zh else
                     f"its target includes {', '.join(unbooked)}'s (no workbook of "
                     "their own)")
    return ("；" if zh else "; ").join(parts)


@dataclass
class OwnReps:
    """What a roll-up made of reps with books of their own (:func:`own_reps`): rep →
    their own member; member → the reps with an own book its rows name (``setters``)
    and the reps without a book whose targets it holds (``unbooked``); the months a
    rep's own target gave way to another member's (``sets``); the members that are
    roll-ups (``fixed``: their reps are their own people, :func:`rolled_up`)."""

    own: dict[str, str] = field(default_factory=dict)
    setters: dict[str, list[str]] = field(default_factory=dict)
    unbooked: dict[str, list[str]] = field(default_factory=dict)
    sets: list[TargetSet] = field(default_factory=list)
    fixed: frozenset[str] = frozenset()

    def note(self, member: str, lang: str) -> str:
        """The ranking sheet's status of ``member`` on them ('' when none)."""
        return setter_note(self.setters.get(member), self.unbooked.get(member), lang)

    def lines(self, lang: str) -> list[str]:
        """The report's lines on them (:func:`~xlsales.rollup_targets.target_notes`)."""
        return target_notes(self.sets, self.setters, lang, self.unbooked)


def own_reps(members: Sequence[Member], tables: MutableMapping[str, pd.DataFrame],
             label: str, period: Period) -> OwnReps:
    """Count the rows of reps with a book of their own among ``members`` for that book:
    the roll-up's Targets (in ``tables``, members named in ``label``) keep one target a
    rep and month (:func:`~xlsales.rollup_targets.settled_targets`), the members' KPIs
    follow their reps' rows (:func:`attribute_rows`); what was done so."""
    own, fixed = own_books(members), rolled_up(members)
    targets, sets = settled_targets(tables.get("Targets"), own, label, fixed)
    if targets is not None:
        tables["Targets"] = targets
    setters = attribute_rows(members, targets, own, label, period)
    return OwnReps(own, setters, unbooked_targets(members, targets, own, setters, label), sets,
                   fixed)
