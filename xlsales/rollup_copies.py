"""Workbooks a roll-up leaves out because they would count twice
(:func:`leave_out_duplicates`): one a roll-up given beside it holds already, a copy of
another, the older of two versions of one owner's workbook. Found by the members' order
hashes (:attr:`~xlsales.rollup_member.Member.order_keys`) and the fingerprints of their
rows (:func:`~xlsales.rollup_member.content_key`), opening only the members that share
an order or have none. Order ids numbered alike by two reps are not the same deals
(:mod:`xlsales.rollup_deals`): only books about the same deals are copies or versions."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from xlsales.errors import WorkbookError
from xlsales.io.backup import BACKUP_TAIL
from xlsales.rollup_deals import (
    Deals,
    deal_rows,
    deals_by_member,
    deals_of,
    mostly_same_deals,
    orders_held,
)
from xlsales.rollup_frames import CompactFrame, coded, in_language
from xlsales.rollup_member import (
    MERGED_TABLES,
    Member,
    canonical,
    content_key,
    order_keys,
)
from xlsales.rollup_rank import PREFIXED_IDS, member_column
from xlsales.rollup_same_sales import same_sales_rows
from xlsales.rollup_saved_times import saved_times, saved_when
from xlsales.rollup_within import WITHIN_KEY
from xlsales.spec.declarations import ROLLUP_LEVELS


def _row_hashes(part: CompactFrame, keys: Sequence[str], rows: np.ndarray | None = None,
                prefixed: tuple[Sequence[str], str] = ((), "")) -> np.ndarray:
    """A hash of each row of ``part`` (those where ``rows`` is true) over the columns
    ``keys``, each value as compared between two workbooks (10000 and 10000.0 alike,
    numbers read as text or as numbers alike: :func:`~xlsales.rollup_member.canonical`),
    sorted; with ``prefixed`` (columns, text), that text taken off the front of those
    columns' values (a roll-up's ``East-P01`` is its member's ``P01``)."""
    hashes = np.zeros(part.length, dtype=np.uint64)
    for key in keys:
        codes, uniques = coded(part, key)
        values = [canonical(v) for v in uniques]
        if key in prefixed[0]:
            values = [v.removeprefix(prefixed[1]) for v in values]
        column = pd.util.hash_array(np.array([*values, ""], dtype=object))[codes]
        with np.errstate(over="ignore"):
            hashes = hashes * np.uint64(1_000_003) ^ column
    return np.sort(hashes if rows is None else hashes[rows])


def _typed(part: CompactFrame) -> list[str]:
    """The columns of a member's ``part`` compared with a holder's rows: not those a
    roll-up writes of its members (the member's member column, the members below each
    row counts for: :mod:`~xlsales.rollup_within`), which its holder names otherwise."""
    return sorted(k for k in part.columns
                  if k not in (member_column(list(part.columns)), WITHIN_KEY))


def held_as_is(member: Member, holder: Member, name: str) -> bool:
    """Whether the rows of ``holder`` (a roll-up) naming its member ``name`` are
    ``member``'s rows value for value (the typed columns ``member`` has; a built-in
    region or product in either language alike): else ``member`` is another version of
    that member — an amount corrected, an order deleted or added since the roll-up."""
    for table in MERGED_TABLES:
        own, theirs = member.compact(table), holder.compact(table)
        column = member_column(list(theirs.columns)) if theirs is not None else None
        if theirs is None or column is None:
            if own is not None and own.length:
                return False
            continue
        who, names = coded(theirs, column)
        code = next((i for i, n in enumerate(names) if str(n) == name), -2)
        rows = who == code
        if own is None or int(rows.sum()) != own.length:
            if own is not None or rows.any():
                return False
            continue
        own, theirs = in_language(own, table, holder.lang), in_language(  # type: ignore[arg-type]
            theirs, table, holder.lang)  # type: ignore[arg-type]
        keys = _typed(own)
        prefixed = (PREFIXED_IDS.get(table, ()), f"{name}-")
        if not np.array_equal(_row_hashes(own, keys),
                              _row_hashes(theirs, keys, rows, prefixed)):
            return False
    return True


def _orders_as_is(member: Member, holder: Member) -> bool:
    """Whether the sales rows of ``holder`` (a roll-up holding ``member`` further down: a
    rep's book in a region) with ``member``'s deals (:func:`~xlsales.rollup_deals.deal_rows`)
    are ``member``'s rows value for value (the typed columns ``member`` has)."""
    own, theirs = member.compact("Sales"), holder.compact("Sales")
    if own is None or theirs is None:
        return own is None
    rows = deal_rows(theirs, deals_of(member))  # not other reps' orders numbered alike
    own, theirs = (in_language(part, "Sales", holder.lang)  # type: ignore[arg-type]
                   for part in (own, theirs))
    keys = _typed(own)
    return bool(np.array_equal(_row_hashes(own, keys), _row_hashes(theirs, keys, rows)))


def orders_of(member: Member) -> set[object]:
    """A member's sales order ids."""
    sales = member.compact("Sales")
    if sales is None or "order_id" not in sales.columns:
        return set()
    return set(coded(sales, "order_id")[1])


def order_hashes(member: Member) -> np.ndarray:
    """The hashes of a member's distinct order ids (:func:`order_keys`): as its worker
    sent them, else from its rows."""
    if member.order_keys is not None:
        return member.order_keys
    return order_keys(list(orders_of(member)))


def shared_keys(members: Sequence[Member]) -> np.ndarray:
    """The order hashes found in more than one of ``members`` (sorted)."""
    keys = [k for m in members if len(k := order_hashes(m))]
    if len(keys) < 2:
        return np.empty(0, dtype=np.uint64)
    distinct, counts = np.unique(np.concatenate(keys), return_counts=True)
    return distinct[counts > 1]


def _content(member: Member) -> str:
    """The fingerprint of a member's rows (:func:`content_key`), made once when first
    needed (only members of one owner sharing orders, or without orders, are compared)."""
    if member.content is None:
        member.content = content_key({n: part for n in MERGED_TABLES
                                      if (part := member.compact(n)) is not None})
    return member.content


def leave_out_duplicates(members: Sequence[Member]) -> None:
    """Leave out a workbook that would count twice, a rep's or a roll-up's alike: one
    given beside a roll-up that already holds it (its name among the roll-up's members,
    every one of its orders there: a rep's file beside the team's roll-up, a team's
    roll-up beside the region's); a copy (the same owner and the very same rows:
    ``Alice.xlsx`` and ``Alice (1).xlsx``, a book of targets without orders too; or every
    one of its orders in another workbook above it, or the very same orders under another
    owner's name; of two equal ones the first given stays — a rep whose few deals another
    rep's book records too is reported, not left out); and of two versions of a workbook
    (the same owner, orders in common, not the very same rows: an amount corrected, an
    order added or deleted) the one saved earlier. Only members sharing an order with
    another, or without orders, are opened (found by their :attr:`~Member.order_keys`); a
    namesake with no order in common is another person and stays, and so is one whose
    orders are numbered alike but are mostly other deals (other customers: two 张伟 in two
    teams numbering their own orders 1, 2, 3 — :func:`~xlsales.rollup_deals.mostly_same_deals`
    decides, for the roll-ups holding a member as for the books beside each other)."""
    _leave_out_copies_without_orders(members)
    shared = shared_keys(members)
    if not len(shared):
        return
    sharing = [m for m in members if m.ok and np.isin(order_hashes(m), shared).any()]
    owners = {m.owner for m in members}
    holders = [(r, deals_by_member(r, owners)) for r in sharing if is_rollup(r)]
    deals = {id(m): deals_of(m) for m in sharing}
    orders = {id(m): orders_of(m) for m in sharing}
    given = {id(m): rank for rank, m in enumerate(sorted(members, key=_named_as_copy))}

    def later(m: Member, other: Member) -> bool:
        """``m`` was saved after ``other``: by the times the workbooks record inside when
        both do and they differ (a download does not change them), else by the files'
        modification times; on a tie, the one given first."""
        mine, theirs = saved_times(m, other)
        return (mine, -given[id(m)]) > (theirs, -given[id(other)])

    # roll-ups first: a copy of one is left out before a rep's book is found held by it
    for m in sorted(sharing, key=lambda m: not is_rollup(m)):
        mine = orders[id(m)]
        holder = next((r for r, held in holders if r is not m and r.reason is None
                       and mostly_same_deals(deals[id(m)], held.get(m.owner, Deals()))), None)
        if holder is not None:
            held = orders_held(holder, m.owner)
            # the very same rows: held already; else another version (corrected since)
            m.held_elsewhere = mine <= held and held_as_is(m, holder, m.owner)
            m.reason = WorkbookError(
                f"{holder.label} 已包含它（成员 {m.owner} 的全部订单）：再计入会重复计算",
                f"{holder.label} holds it already (member {m.owner}, every one of its "
                "orders): it would count twice") if m.held_elsewhere else \
                _other_version_held(m, holder, mine, held)
            continue
        for other in sharing:
            theirs = orders[id(other)]
            if other is m or other.reason is not None or not mostly_same_deals(
                    deals[id(m)], deals[id(other)]):
                continue  # no order in common, or other deals numbered alike (a namesake's)
            version = other.owner == m.owner and not _includes(other, m) and not (
                mine == theirs and _content(m) == _content(other))
            if mine <= theirs and not version:
                if mine == theirs and given[id(other)] > given[id(m)]:
                    continue  # of two equal copies, the one not named as a copy stays
                if other.owner != m.owner and not _includes(other, m) and (
                        mine != theirs or not same_sales_rows(m, other)):
                    continue  # another rep's deals or order numbers: reported, not a copy
                if is_rollup(other) and _includes(other, m) and not _orders_as_is(m, other):
                    m.reason = _other_version_below(m, other)  # corrected since: exit 2
                else:
                    m.reason, m.held_elsewhere = _copy_of(m, other), True
                break
            if other.owner != m.owner or later(m, other):
                continue  # another person's (reported), or the later version
            m.reason = (_older_version(m, other, mine, theirs)
                        if mine <= theirs or theirs <= mine else WorkbookError(
                f"与 {other.label} 有 {len(mine & theirs)} 个相同订单（同一负责人 "
                f"{m.owner}：同一工作簿的另一个版本？），{other.label} 保存得更晚，合并的是它；"
                "若应合并本文件，请将另一个移出后重新合并",
                f"it shares {len(mine & theirs):,} orders with {other.label} (the same "
                f"owner {m.owner}: another version of the workbook?), which was saved later "
                "and is rolled up; if this one is the right version, move the other out and "
                "consolidate again"))
            m.held_elsewhere = True  # the later version is rolled up
            break


#: What file managers and people add to a copy's name: ``Alice (1)``, ``Alice - Copy``,
#: ``Alice 副本``, ``Copy of Alice``, ``Alice_copy2``; and xlsales to the backups it keeps
#: (``Alice.backup-20261129-093000``: ``plan --replace``, ``consolidate --force``).
_COPY_NAME = re.compile(
    r"(\(\d+\)|[-_ ]+copy\s*\d*|[-_ ]*(副本|拷贝|复制)\s*\d*|^copy of .*|^副本.*"
    rf"|{BACKUP_TAIL})$", re.IGNORECASE)


def _named_as_copy(member: Member) -> bool:
    """Whether the member's file name says it is a copy (sorting puts the others first,
    so of equal workbooks ``Alice.xlsx`` stays and ``Alice (1).xlsx`` is left out)."""
    return bool(_COPY_NAME.search(member.path.stem.strip()))


def _leave_out_copies_without_orders(members: Sequence[Member]) -> None:
    """Of workbooks without orders (targets, activities, problems only) with the same
    owner, level and rows, the first given stays: the others are copies of it."""
    first: dict[tuple[str, str, str], Member] = {}
    for m in sorted(members, key=_named_as_copy):
        if m.ok and not len(order_hashes(m)):
            kept = first.setdefault((m.owner, m.level, _content(m)), m)
            if kept is not m:
                m.reason = WorkbookError(
                    f"它与 {kept.label} 内容相同（同一负责人 {m.owner}，没有订单：是其副本）："
                    "再计入会重复计算",
                    f"it holds the very same rows as {kept.label} (the same owner "
                    f"{m.owner}, no orders: a copy): it would count twice")
                m.held_elsewhere = True


def _older_version(member: Member, other: Member, mine: set[object],
                   theirs: set[object]) -> WorkbookError:
    """Why ``member`` is left out: ``other``, the same owner's workbook with the same
    orders or some more or fewer, and other rows, was saved later."""
    when_mine, when_theirs = saved_when(*saved_times(member, other))
    if mine == theirs:
        what = ("订单相同，金额等内容不同", "the same orders, other amounts or rows")
    elif mine < theirs:
        n = len(theirs - mine)
        what = (f"那里多 {n} 个订单", f"{n:,} {'order' if n == 1 else 'orders'} more there")
    else:
        n = len(mine - theirs)
        what = (f"那里少 {n} 个订单（已删除？）",
                f"{n:,} {'order' if n == 1 else 'orders'} of this one not there (deleted?)")
    return WorkbookError(
        f"{member.owner} 的工作簿有两个版本（{what[0]}）：合并的是保存得更晚的 "
        f"{other.label}（{when_theirs}），未合并本文件（{when_mine}）；"
        "若应合并本文件，请将另一个移出后重新合并",
        f"two versions of {member.owner}'s workbook ({what[1]}): rolled up the one saved "
        f"later, {other.label} ({when_theirs}), left out this one ({when_mine}); "
        "if this one is the right version, move the other out and consolidate again")


def is_rollup(member: Member) -> bool:
    """A team, region or company workbook whose rows name their members."""
    return member.level in ROLLUP_LEVELS and member_column(member.columns("Sales") or []) \
        is not None


def _includes(other: Member, member: Member) -> bool:
    """``other`` is a workbook above ``member`` (a roll-up of reps' books, a region
    above a team), which may hold it."""
    return other.level != member.level or (is_rollup(other) and not is_rollup(member))


def _other_version_held(member: Member, holder: Member, mine: set[object],
                        held: set[object]) -> WorkbookError:
    """Why ``member`` is left out when a roll-up given beside it holds another version of
    it (its owner a member there, orders in common, other rows: an order added or
    deleted, an amount corrected): the roll-up cannot be taken apart, and both would
    count the common orders twice."""
    common, more, fewer = len(mine & held), len(mine - held), len(held - mine)
    if more:
        what = (f"{common:,} 个相同订单，本工作簿另有 {more:,} 个",
                f"{common:,} orders in common, {more:,} more here")
    elif fewer:
        what = (f"{common:,} 个相同订单，那里另有 {fewer:,} 个：本工作簿已删除？",
                f"{common:,} orders in common, {fewer:,} more there: deleted here?")
    else:
        what = ("订单相同，金额等内容不同：本工作簿改正过？",
                "the same orders, other amounts or rows: corrected here?")
    mine_saved, rollup_saved = saved_times(member, holder)
    if mine_saved and rollup_saved and mine_saved < rollup_saved:
        # saved before the roll-up was made: the roll-up may hold a later version of it,
        # and consolidating with this one would undo a correction
        when = saved_when(mine_saved, rollup_saved)
        return WorkbookError(
            f"{holder.label} 中的成员 {member.owner} 是本工作簿的另一个版本（订单或金额不同）："
            f"两者都合并会重复计算。本工作簿保存于 {when[0]}，早于 {holder.label}（{when[1]}），"
            "合并表中的可能是更新的版本：若是，请把本文件移出；若本文件才是对的，请用它重新合并 "
            f"{holder.label} 所在的团队，再合并新的团队汇总",
            f"member {member.owner} of {holder.label} is another version of this workbook "
            f"(other orders or amounts): rolling up both would count twice. This workbook "
            f"was saved {when[0]}, before {holder.label} ({when[1]}), which may hold a later "
            "version: if so, move this file out; if this one is right, consolidate the team "
            f"of {holder.label} again with it, then roll up that new team workbook")
    return WorkbookError(
        f"{holder.label} 中的成员 {member.owner} 是本工作簿的另一个版本（{what[0]}）："
        f"两者都合并会重复计算。请用本文件重新合并 {holder.label} 所在的团队，"
        "再合并新的团队汇总",
        f"member {member.owner} of {holder.label} is another version of this workbook "
        f"({what[1]}): rolling up both would count twice. Consolidate the team of "
        f"{holder.label} again with this file, then roll up that new team workbook")


def _other_version_below(member: Member, holder: Member) -> WorkbookError:
    """Why ``member`` is left out when a roll-up given beside it holds its orders further
    down (a rep's book in a region) with other amounts or rows: another version of it,
    which the roll-up cannot be taken apart to replace."""
    return WorkbookError(
        f"{holder.label} 包含本工作簿的另一个版本（订单相同，金额等内容不同：本工作簿"
        "改正过？）：两者都合并会重复计算。请用本文件重新合并包含它的团队，"
        f"再依次重新合并其上各级汇总（直到 {holder.label}）",
        f"{holder.label} holds another version of this workbook (the same orders, other "
        "amounts or rows: corrected here?): rolling up both would count twice. Consolidate "
        "the team holding it again with this file, then each roll-up above it (up to "
        f"{holder.label})")


def _copy_of(member: Member, other: Member) -> WorkbookError:
    """Why ``member``, every one of whose orders is in ``other``, is left out."""
    if _includes(other, member):
        return WorkbookError(  # held further down (a rep in a team in a region)
            f"{other.label} 已包含它的全部订单（其中包含了本工作簿）：再计入会重复计算",
            f"{other.label} holds every one of its orders already (it includes this "
            "workbook): it would count twice")
    if other.owner == member.owner:
        return WorkbookError(
            f"它的全部订单也在 {other.label} 中（同一负责人 {member.owner}，是其副本）："
            "再计入会重复计算",
            f"every one of its orders is in {other.label} too (the same owner "
            f"{member.owner}: a copy): it would count twice")
    return WorkbookError(
        f"它的全部订单也在 {other.label} 中（那里的负责人是 {other.owner}：同一工作簿"
        "换了名字？）：再计入会重复计算",
        f"every one of its orders is in {other.label} too (there under the owner "
        f"{other.owner}: the same workbook under another name?): it would count twice")
