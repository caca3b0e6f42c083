"""Plan generation: the next period's targets, actions, budget and timeline, pre-filled
from the summary so that the person only reviews and adjusts. Pure pandas, no Excel."""

from __future__ import annotations

from xlsales.plan.actions import plan_actions
from xlsales.plan.model import PlanInput, PlanOptions, PlanResult
from xlsales.plan.rep_tenure import reassign_leavers
from xlsales.plan.resources import plan_budget, plan_timeline
from xlsales.plan.reviews import latest_reviews, unreviewed_note
from xlsales.plan.targets import monthly_revenue, plan_targets, time_parts

DEFAULT_BUFFER_DAYS = 5


def generate_plan(inp: PlanInput, options: PlanOptions | None = None) -> PlanResult:
    """The plan for ``inp.period.next``: PlanTargets, PlanActions, PlanBudget, PlanTimeline."""
    options = options or PlanOptions()
    buffer = inp.assumptions.get("buffer_days")
    buffer_days = int(buffer) if isinstance(buffer, int | float) and buffer == buffer \
        else DEFAULT_BUFFER_DAYS
    monthly = monthly_revenue(inp.frame("Sales"))  # for the total and the months
    targets, basis, team, unbased = plan_targets(inp, options, monthly)
    actions, not_repeated = plan_actions(inp, team, buffer_days)
    actions, reassigned = reassign_leavers(inp, actions)  # an owner who left: the plan's
    parts = time_parts(inp.period.next, options.method, monthly, inp.calendar)
    nxt = inp.period.next
    calendar_note = inp.calendar.note(nxt.start, nxt.end)  # where holidays moved something
    unreviewed = unreviewed_note(latest_reviews(inp.frame("ActionReview")))
    return PlanResult(
        period=inp.period.next,
        tables={
            "PlanTargets": targets,
            "PlanActions": actions.drop(columns="budget_category"),
            "PlanBudget": plan_budget(inp, actions),
            "PlanTimeline": plan_timeline(inp, parts, actions, buffer_days),
        },
        total_target=basis.value,
        basis=(basis.zh, basis.en),
        notes=((basis.note,) if basis.note else ()) + tuple(unbased)
        + tuple(not_repeated) + tuple(reassigned) + ((unreviewed,) if unreviewed else ())
        + ((calendar_note,) if calendar_note else ()),
        currency=inp.currency,
    )


__all__ = ["PlanInput", "PlanOptions", "PlanResult", "generate_plan"]
