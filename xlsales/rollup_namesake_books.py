"""Two members of one name whose order ids are the same but whose deals are not
(:func:`note_namesakes`): 张伟 of 东一组 and 张伟 of 南二组, both numbering their own orders
1, 2, 3 for other customers. Both are rolled up (:mod:`xlsales.rollup_deals` tells them
from one book's two versions); the report and the ranking sheet say so, with the order
numbers they share, so a director sees both were kept and why."""

from __future__ import annotations

from collections.abc import Sequence

from xlsales.rollup_copies import orders_of
from xlsales.rollup_member import Member, canonical

#: How many of the shared order numbers a note shows.
SHOWN = 3


def _numbers(orders: set[object], lang: str) -> str:
    """The first :data:`SHOWN` of ``orders`` in order (2 before 10), ``…`` for more."""
    shown = sorted((canonical(o) for o in orders), key=lambda o: (len(o), o))
    more = "…" if len(shown) > SHOWN else ""
    return ("、" if lang == "zh" else ", ").join(shown[:SHOWN]) + more


def note_namesakes(members: Sequence[Member]) -> None:
    """Give each of ``members`` (named: :func:`~xlsales.rollup_naming.name_members`) that
    shares its owner's name and some order ids with another member — rolled up beside
    it, so not its copy nor its version: other deals numbered alike — a note saying
    they are two people and both are rolled up, in place of the plain namesake note."""
    orders = {id(m): orders_of(m) for m in members if m.note}
    for m in members:
        if not m.note:
            continue
        for other in members:
            shared = orders[id(m)] & orders.get(id(other), set())
            if other is m or other.owner != m.owner or not shared:
                continue
            zh, en = _numbers(shared, "zh"), _numbers(shared, "en")
            m.note = (
                f"与 {other.label} 同名（{m.owner}），订单编号也相同（{zh}），但客户不同："
                "是同名的两个人（如不同团队的同名销售），两者都已合并；"
                f"本成员按文件名称为 {m.name}",
                f"another member, {other.label}, is also named {m.owner} and has the same "
                f"order numbers ({en}) for other customers: two people of one name (in two "
                f"teams?), both rolled up; this one is named {m.name} after its file")
            break
