"""How a plan's revenue target is split over the reps (:func:`rep_shares`): by this
period's share, equally, or by the weights the manager sets on the settings sheet — and
the note naming reps a split by share gives nothing (:func:`nothing_for`)."""

from __future__ import annotations

import pandas as pd

from xlsales.errors import UsageError
from xlsales.periods import Period
from xlsales.plan.model import PlanInput, PlanOptions
from xlsales.plan.period_words import period_words
from xlsales.plan.rep_tenure import planned_reps

#: How the revenue target was split over the reps, as the plan's basis says it (zh, en;
#: templates naming the period under review, :func:`~xlsales.plan.period_words.worded`)
REP_BASIS = {
    "share": ("按{this}销售额占比分到人", "split over reps by {this}'s share"),
    "target_share": ("按{this}目标占比分到人：{this}没有销售额",
                     "split over reps by {this}'s targets: no revenue {this}"),
    "even_no_revenue": ("平均分到人：{this}没有销售额和目标",
                        "split evenly over reps: no revenue or targets {this}"),
    "equal": ("平均分到人", "split evenly over reps"),
    "weights": ("按设置表中的分配权重分到人", "split over reps by the weights in settings"),
    "owner": ("全部归负责人：没有销售人员名单", "all to the owner: no reps listed"),
}


def rep_shares(inp: PlanInput, opts: PlanOptions,
               by_rep: dict[str, dict]) -> tuple[dict[str, float], str]:
    """Each rep's share of the target and the key of :data:`REP_BASIS` saying how it
    was set: this period's revenue share (without revenue, its target share, else
    equal), equal, or the weights the manager set in the settings sheet's rep list —
    over the reps on the team in the plan's period (:func:`planned_reps`)."""
    reps = planned_reps(inp, list(dict.fromkeys(inp.reps or list(by_rep))))
    if not reps:
        return {inp.owner or "-": 1.0}, "owner"
    if opts.split == "equal":
        return {r: 1.0 for r in reps}, "equal"
    if opts.split == "weights":
        return _set_weights(inp, reps), "weights"
    for kpi, used in (("revenue", "share"), ("target", "target_share")):
        values = {r: float((by_rep.get(r) or {}).get(kpi) or 0.0) for r in reps}
        if sum(values.values()) > 0:
            return values, used
    return {r: 1.0 for r in reps}, "even_no_revenue"


def nothing_for(reps: list[str], totals: dict[str, float], used: str,
                period: Period) -> list[tuple[str, str]]:
    """A note naming the reps whose share of ``period``'s figures (the period under
    review) gives them no target (a new rep, one without a deal yet), with the splits
    that give them one."""
    zero = [r for r in reps if not totals.get(r)]
    if not zero or used not in ("share", "target_share") or len(zero) == len(reps):
        return []
    this = period_words(period).this
    basis = ("销售额", "revenue") if used == "share" else ("目标", "target")
    return [(f"{'、'.join(zero)} 没有{this[0]}{basis[0]}，按份额分到的目标为 0（新同事？）："
             "可在设置表的销售人员名单填写“分配权重”后用 --split weights，"
             "或用 --split equal 平分。",
             f"{', '.join(zero)} {'has' if len(zero) == 1 else 'have'} no {basis[1]} "
             f"{this[1]}, so a split by share gives them a target of 0 (new to the team?): set "
             "weights in the rep list of the settings sheet and use --split weights, or "
             "--split equal.")]


def _set_weights(inp: PlanInput, reps: list[str]) -> dict[str, float]:
    table = inp.frame("ListRep")
    weights = {}
    if "weight" in table.columns:
        for rep, w in zip(table["value"], pd.to_numeric(table["weight"], errors="coerce"),
                          strict=True):
            if isinstance(rep, str) and w == w:
                weights[rep] = float(w)
    if not any(r in weights for r in reps):
        raise UsageError(
            "设置表的销售人员名单里没有填写分配权重：请填写“分配权重”列，或改用 --split share。",
            "No weights are set in the rep list of the settings sheet: fill in its Weight "
            "column, or use --split share.",
        )
    if sum(weights.get(r, 0.0) for r in reps) <= 0:
        raise UsageError(
            "设置表销售人员名单的分配权重都是 0，没有人分到目标：请至少给一人填写大于 0 的权重，"
            "或改用 --split share。",
            "Every weight in the rep list of the settings sheet is 0, so no one would get a "
            "target: give at least one rep a weight above 0, or use --split share.",
        )
    unset = [r for r in reps if r not in weights]
    if unset:  # not 0 by default: the biggest team got nothing, silently
        raise UsageError(
            f"设置表的销售人员名单里 {'、'.join(unset)} 没有可用的分配权重（空白或不是数字；"
            "合并表的成员：其中有销售人员没有权重）：请填写数字（填 0 表示不分配目标），或改用 "
            "--split share。",
            f"No usable weight is set for {', '.join(unset)} in the rep list of the settings "
            "sheet (blank or not a number; a roll-up's member: one of its reps has none): "
            "type a number (0 for no share of the target), or use --split share.",
        )
    return {r: weights[r] for r in reps}
