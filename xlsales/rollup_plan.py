"""``xlsales plan`` on a roll-up: the next period's targets decomposed over the roll-up's
members (the reps of a team roll-up, the teams of a region, the regions of a company)
instead of over every rep of every member.

A roll-up written by ``xlsales consolidate`` names each row's member in its "Member"
column. The plan is the standard one (:func:`xlsales.plan.generate_plan`) computed with
the member in place of the rep: each member's share is its revenue share this period
(or equal, or the sum of its reps' weights on the settings sheet), every per-member part
is rounded so that the parts sum exactly to their whole, per sub-period and per member.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from xlsales.currency import CURRENCY_FIELD
from xlsales.errors import UsageError
from xlsales.plan import PlanInput, PlanOptions, PlanResult, generate_plan
from xlsales.rep_names import reps_in_several_members
from xlsales.rollup_member import BIG_TABLES, Member
from xlsales.rollup_rank import is_rollup, member_column, members_of, named
from xlsales.rollup_result import Rollup
from xlsales.rollup_roster import gone_before, members_roster
from xlsales.rollup_stacked import stacked
from xlsales.roster import roster
from xlsales.values import is_blank

#: Tables whose ``rep`` column becomes the member for the plan.
BY_MEMBER = ("Sales", "Targets", "Activities")
#: How the rep split is worded in the plan's basis, and the member wording (zh, en).
WORDING = (("分到人", "分到各成员"), ("over reps", "over members"))


def _rep_members(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Rep → the member whose rows hold it (the first one, if a rep moved)."""
    out: dict[str, str] = {}
    for name in BY_MEMBER:
        frame = tables.get(name)
        column = member_column(frame) if frame is not None else None
        if column is None or "rep" not in frame.columns:
            continue
        pairs = frame.loc[named(frame["rep"]) & named(frame[column]), ["rep", column]]
        first = pairs.drop_duplicates("rep")  # the first member holding each rep
        for rep, member in zip(first["rep"], first[column], strict=True):
            out.setdefault(str(rep), str(member))
    return out


def by_members(inp: PlanInput) -> PlanInput:
    """``inp`` with each row's member as its rep, the members as the people to split
    over, and a member's weight the sum of its reps' weights. The roll-up's roster
    (:mod:`~xlsales.rollup_roster`) applies: a member that is a rep who left gets no
    target; the rows of a rep who left before the plan's period stay theirs, not their
    member's, so a member's share of this period's figures leaves them out."""
    tables = dict(inp.tables)
    reps = _rep_members(tables)
    tenure = roster(tables.get("ListRep"))
    gone = gone_before(tenure, inp.period.next.start)
    for name in BY_MEMBER:
        frame = tables.get(name)
        column = member_column(frame) if frame is not None else None
        if frame is None or "rep" not in frame.columns:
            continue
        member = (frame[column].astype(object) if column is not None
                  else pd.Series(None, index=frame.index, dtype=object))
        missing = ~named(member)
        if missing.any():  # a row naming no member: its rep's member, else the rep
            member = member.copy()
            member[missing] = frame.loc[missing, "rep"].map(
                lambda r: reps.get(str(r), r) if not is_blank(r) else r)
        if gone:  # a leaver's rows: theirs, out of their member's share
            member = member.where(~frame["rep"].map(lambda r: str(r) in gone), frame["rep"])
        tables[name] = frame.assign(rep=member)
    members = members_of(inp.tables)
    rep_list = tables.get("ListRep")
    listed = members_roster(members, tenure, gone)
    if rep_list is not None and "weight" in rep_list.columns:
        weights = pd.to_numeric(rep_list["weight"], errors="coerce")
        owners = rep_list["value"].map(lambda r: None if str(r) in gone else reps.get(str(r)))
        # a member some of whose reps have no weight has none (not their partial sum):
        # `--split weights` then names it, as it names a rep without one
        summed = weights.groupby(owners).agg(lambda w: w.sum() if w.notna().all() else None)
        summed_list = pd.DataFrame({"value": summed.index, "weight": summed.values})
        listed = summed_list if listed is None else summed_list.merge(
            listed, on="value", how="outer")
    if listed is not None:
        tables["ListRep"] = listed
    return replace(inp, tables=tables, reps=members)


def _one_weight_for_namesakes(tables: Mapping[str, pd.DataFrame],
                              levels: Mapping[str, str] | None = None) -> None:
    """Refuse to split by weights when a rep name with a weight is counted in several
    members (:func:`~xlsales.rep_names.reps_in_several_members`, ``levels`` the roll-up's
    ranking records: two teams' 张伟, or a team roll-up's beside another's own book): the
    roll-up's rep list holds one weight a name, the first member's, and the other
    member's share would silently lack its 张伟."""
    rep_list = tables.get("ListRep")
    if rep_list is None or "weight" not in rep_list.columns:
        return
    weighted = set(rep_list.loc[pd.to_numeric(rep_list["weight"], errors="coerce").notna(),
                                "value"].astype(str).str.strip())
    both = {r: m for r, m in reps_in_several_members(tables, levels).items()
            if r in weighted}
    if not both:
        return
    zh = "；".join(f"{r}（{'、'.join(m)}）" for r, m in both.items())
    en = "; ".join(f"{r} ({', '.join(m)})" for r, m in both.items())
    raise UsageError(
        f"合并表的销售人员名单里每个名字只有一个分配权重，但以下名字出现在多个成员中（同名的不同人，"
        f"或调过组的同一人）：{zh}，无法按权重分到各成员。请改用 --split share 或 --split "
        "equal，或在成员的工作簿中把同名的人写得能区分（如 张伟A）后重新合并。",
        f"The roll-up's rep list holds one weight a name, and these names are in several "
        f"members (two people of one name, or one who moved): {en}; their weights cannot be "
        "split over the members. Use --split share or --split equal, or name them apart in "
        "the members' workbooks (e.g. Sam A) and consolidate again.")


def plan_over_members(inp: PlanInput, options: PlanOptions | None = None,
                      levels: Mapping[str, str] | None = None) -> PlanResult:
    """The plan of a roll-up, its targets decomposed over the members (by weights only
    when each weighted rep name is one member's: :func:`_one_weight_for_namesakes`,
    ``levels`` as there)."""
    if options is not None and options.split == "weights":
        _one_weight_for_namesakes(inp.tables, levels)
    plan = generate_plan(by_members(inp), options)
    targets = plan.tables["PlanTargets"]
    if "basis" in targets.columns:
        basis = targets["basis"].astype(object)
        for old, new in WORDING:
            basis = basis.map(lambda v, o=old, n=new: v.replace(o, n) if isinstance(v, str)
                              else v)
        plan.tables["PlanTargets"] = targets.assign(basis=basis)
    return plan


def workbook_plan(info: Mapping[str, object], inp: PlanInput,
                  options: PlanOptions | None = None,
                  levels: Mapping[str, str] | None = None) -> PlanResult:
    """The plan of a workbook: over its members for a roll-up, else over its reps (what
    ``xlsales plan`` and the plan button both make), its amounts in its currency;
    ``levels``: what a roll-up's ranking records of its members
    (:func:`~xlsales.rollup_member_levels.member_levels`)."""
    if inp.currency is None:
        inp = replace(inp, currency=info.get(CURRENCY_FIELD))
    return (plan_over_members(inp, options, levels) if is_rollup(info, inp.tables)
            else generate_plan(inp, options))


def consolidated_plan(rollup: Rollup, name: str) -> PlanResult:
    """The plan of a roll-up being consolidated, from what :func:`~xlsales.consolidate`
    holds in memory — the same plan ``xlsales plan`` makes of the written roll-up: the
    big tables' rows (kept sealed for writing) are stacked here (without the calculated
    columns' stored values: the KPI engine computes those it reads)."""
    assert rollup.data is not None and rollup.period is not None
    data = rollup.data
    label = rollup.member_label
    tables = dict(data.tables)
    for table in BIG_TABLES:
        frame = stacked(rollup.included, table, label, rollup.lang,  # type: ignore[arg-type]
                        rollup.script)
        if frame is not None:
            tables[table] = frame
    if data.budget_caps is not None:
        tables["BudgetCaps"] = data.budget_caps
    inp = PlanInput(rollup.period, rollup.lang, name, tables,  # type: ignore[arg-type]
                    data.lists.get("rep", []), data.assumptions, data.info.get(CURRENCY_FIELD))
    return plan_over_members(inp)


def plan_part(rollup: Rollup) -> Rollup:
    """What :func:`consolidated_plan` reads of ``rollup``, small to cross processes (a
    worker makes the plan while the main process writes): the merged data and each
    member's name and sealed big tables, not the members left out, their KPIs, order
    keys and formula inputs (9 MB to pickle for 200 members of 2,000 sales rows, not 37)."""
    return replace(rollup, members=[
        Member(m.path, name=m.name, tables={t: m.tables[t] for t in BIG_TABLES
                                            if t in m.tables})
        for m in rollup.included], problems=pd.DataFrame(), ranking=pd.DataFrame(),
        shared={}, twice={}, shared_reps={})
