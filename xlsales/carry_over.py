"""Close the loop: the next period's summary workbook, built from a summary that holds
its plan (``xlsales new --from BOOK``).

The new workbook carries the settings (lists, assumptions, caps, playbook, custom
fields), the history rows (sales, activities, earlier targets, with their custom
columns), the plan's targets as this period's targets, and the plan's actions as a
review list whose status and result the owner fills in.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from xlsales.carry_currency import check_carried_currency
from xlsales.errors import UsageError
from xlsales.files import command_path
from xlsales.io.reader import ReadWorkbook
from xlsales.kpis import calculated_columns
from xlsales.periods import Period
from xlsales.plan.rep_months import rep_month_revenue
from xlsales.plan.rounding import split_exact
from xlsales.rollup_rank import is_rollup
from xlsales.spec import SPEC
from xlsales.spec.declarations import PLAN_METRICS
from xlsales.values import is_blank
from xlsales.workbook_data import BuildOptions, WorkbookData

CARRIED_INFO = ("owner", "level", "role", "scope", "data_source", "author", "currency")
CARRIED_TABLES = ("Sales", "Activities", "CustomFields", "Playbook")

#: The plan metrics spread over the months by revenue: those with a ``<metric>_target``
#: column in the Targets table, but for revenue itself (the weights) and the collection rate
#: (a rate, the same on every row), in the order of :data:`PLAN_METRICS`.
SPREAD_METRICS: tuple[str, ...] = tuple(
    metric for metric in PLAN_METRICS
    if f"{metric}_target" in SPEC.table("Targets").keys
    and metric not in ("revenue", "collection_rate"))


def total_rows(plan_targets: pd.DataFrame, owner: str) -> pd.Series:
    """True on the plan's rows that are a whole, not one person's part of it: as its scope
    column says; in a plan written before that column, the owner's first row of each
    sub-period and metric (a whole comes before its parts, and the owner may be a rep too)."""
    if "scope" in plan_targets.columns and plan_targets["scope"].notna().any():
        return plan_targets["scope"].eq("total")
    owners = plan_targets["rep"].astype(object).eq(owner)
    first = ~plan_targets[owners].duplicated(["period_label", "kpi"], keep="first")
    return first.reindex(plan_targets.index, fill_value=False)


def targets_from_plan(plan_targets: pd.DataFrame, period: Period, owner: str) -> pd.DataFrame:
    """Monthly rows per rep of the Targets table from the plan's targets: revenue from
    the rep's targets (:func:`~xlsales.plan.rep_months.rep_month_revenue`), visits and
    new customers spread over the months by revenue (so is the pipeline to build) — left
    empty where the plan sets none, not 0 — and the team's collection rate on every
    row."""
    t = plan_targets.copy()
    t["value"] = pd.to_numeric(t["value"], errors="coerce").fillna(0.0)
    whole = total_rows(t, owner)
    reps = t[~whole & t["rep"].notna()]
    months = [m.start for m in period.months_in()]
    # the whole period's targets, one per metric (the first, should a row be copied)
    team = t[whole & (t["period_label"] == period.label)].drop_duplicates("kpi").set_index(
        "kpi")["value"]
    collection = float(team["collection_rate"]) if "collection_rate" in team else None
    revenue_totals = t[whole & (t["kpi"] == "revenue")]
    revenue_of = rep_month_revenue(reps[reps["kpi"] == "revenue"], months, dict(zip(
        revenue_totals["period_label"].map(str), revenue_totals["value"], strict=True)))
    for rep in dict.fromkeys(reps["rep"]):  # a rep with targets of other metrics only
        revenue_of.setdefault(rep, [0.0] * len(months))
    rep_names = list(revenue_of)
    # a metric the plan sets only for the whole team is shared out by revenue
    team_only = {metric: split_exact(float(team[metric]), [sum(revenue_of[r]) for r in rep_names])
                 for metric in SPREAD_METRICS
                 if metric in team and not (reps["kpi"] == metric).any()}
    unset = {m for m in SPREAD_METRICS if m not in team and not (reps["kpi"] == m).any()}
    rows = []
    for i_rep, rep in enumerate(rep_names):
        monthly = revenue_of[rep]
        spread: dict[str, list[float] | list[None]] = {}
        for metric in SPREAD_METRICS:
            if metric in unset:
                spread[metric] = [None] * len(months)
                continue
            total = team_only[metric][i_rep] if metric in team_only else float(
                reps[(reps["rep"] == rep) & (reps["kpi"] == metric)]["value"].sum())
            spread[metric] = split_exact(total, monthly)
        for i, m in enumerate(months):
            rows.append({"period": m, "rep": rep, "revenue_target": monthly[i],
                         **{f"{metric}_target": spread[metric][i] for metric in SPREAD_METRICS},
                         "collection_rate_target": collection, "note": None})
    return pd.DataFrame(rows)


def review_from_plan(actions: pd.DataFrame) -> pd.DataFrame:
    """The plan's actions as rows to review: the status and result the owner kept on the
    plan sheet during the period come along (a status still the plan's "not started",
    with no result, is left for the review)."""
    keep = ["action_id", "problem_id", "what", "why", "who", "due", "kpi", "kpi_target"]
    review = actions[[c for c in keep if c in actions.columns]].copy()
    result = (actions["result"].astype(object) if "result" in actions.columns
              else pd.Series(None, index=actions.index, dtype=object))
    status = (actions["status"].astype(object) if "status" in actions.columns
              else pd.Series(None, index=actions.index, dtype=object))
    untouched = status.eq("todo") & result.map(is_blank)
    review["status"] = status.where(~untouched & status.notna(), None)
    review["result"] = result
    return review


#: What the next workbook carries over from BOOK, as ``xlsales new`` options name it
CARRIED_OPTIONS = {"level": ("层级", "level"), "role": ("角色", "role"),
                   "owner": ("负责人", "owner")}


def check_given_options(book_name: str, options: BuildOptions, given: dict[str, str],
                        data: WorkbookData | None = None) -> None:
    """Refuse an ``xlsales new`` option given with ``--from`` that would change what the
    next workbook takes from the book: its period (the one the plan is for), level, role
    or owner; the same value is accepted. A ``currency`` other than the book's is refused
    while ``data``, the next workbook, carries amounts
    (:func:`~xlsales.carry_currency.check_carried_currency`)."""
    if "currency" in given and data is not None:
        check_carried_currency(book_name, data.info.get("currency"), given["currency"], data)
    period = options.period
    assert period is not None
    if "period" in given and Period.parse(given["period"]) != period:
        asked = Period.parse(given["period"])
        other = asked.label
        if asked.type.value == "quarter" and period.type.value == "month":
            raise UsageError(
                f"{book_name} 里是 {period.label} 的计划，不能用 --period 改为 {other}。"
                f"要写 {other} 的季度总结，请给出该季度的三个月度工作簿："
                f"xlsales new --period {other} --from 第一个月.xlsx --from 第二个月.xlsx "
                "--from 第三个月.xlsx。",
                f"{book_name} holds the plan for {period.label}, not {other}. For {other}'s "
                f"summary, give the quarter's three month books: xlsales new --period {other} "
                "--from MONTH1.xlsx --from MONTH2.xlsx --from MONTH3.xlsx.")
        raise UsageError(
            f"{book_name} 里是 {period.label} 的计划，新工作簿就是 {period.label} 的总结，不能用 "
            f"--period 改为 {other}：请去掉 --period；要新建 {other} 的空白工作簿，请不带 --from "
            f"运行 xlsales new --period {other}。",
            f"{book_name} holds the plan for {period.label}, so the new workbook summarises "
            f"{period.label}, not {other}: leave out --period (for a blank {other} workbook, "
            f"run `xlsales new --period {other}` without --from).",
        )
    for key, (zh, en) in CARRIED_OPTIONS.items():
        carried = str(getattr(options, key))
        if key in given and given[key] != carried:
            raise UsageError(
                f"新工作簿沿用 {book_name} 的{zh}“{carried}”，不能用 --{key} 改为“{given[key]}”："
                f"请去掉 --{key}。",
                f"The new workbook keeps the {en} of {book_name}, '{carried}'; --{key} cannot "
                f"change it to '{given[key]}': leave out --{key}.",
            )


def as_typed(book: ReadWorkbook, name: str) -> pd.DataFrame:
    """``name``'s frame with each value that could not be read put back as it was typed
    (``一百`` in an amount, ``11月6日`` in a date, ``VIP`` as a customer type): the next
    workbook keeps it, and its validation says where, instead of an empty cell. An error
    value (``#N/A``) stays empty."""
    table = book.tables[name]
    frame = table.frame
    if not table.unreadable:
        return frame
    typed = {(f.row, f.column): f.value for f in book.findings
             if f.table == name and f.rule != "error_value" and f.value is not None}
    frame = frame.copy()
    for key, positions in table.unreadable.items():
        for pos in positions:
            value = typed.get((table.rows[pos], key))
            if value is not None:
                if frame[key].dtype != object:
                    frame[key] = frame[key].astype(object)
                frame.iat[pos, frame.columns.get_loc(key)] = value
    return frame


def next_summary(book: ReadWorkbook, plan_book: ReadWorkbook | None = None
                 ) -> tuple[BuildOptions, WorkbookData]:
    """Build options and content of the summary workbook for the period after ``book``'s,
    from the plan tables of ``plan_book`` (its latest plan version as
    :func:`~xlsales.plan.write.read_version` reads it; default ``book``'s own)."""
    current = book.require_period(option=False)
    source = plan_book if plan_book is not None else book
    plan_targets = source.tables.get("PlanTargets")
    plan_actions = source.tables.get("PlanActions")
    if plan_targets is None or plan_actions is None:
        raise UsageError(
            f"{book.path.name} 里还没有下期计划：请先运行 xlsales plan {command_path(book.path)}。",
            f"{book.path.name} holds no plan yet: run `xlsales plan {command_path(book.path)}` "
            "first.",
        )
    period = current.next
    owner = str(book.info.get("owner") or "")
    info = {k: book.info.get(k) for k in CARRIED_INFO if book.info.get(k) is not None}
    info.update(period_type=period.type.value, period_start=period.start)
    new_targets = targets_from_plan(plan_targets.frame, period, owner)
    old_targets = as_typed(book, "Targets") if "Targets" in book.tables else book.frame(
        "Targets")
    if not old_targets.empty:
        typed = old_targets["period"]  # dates, and as typed what could not be read
        months = pd.to_datetime(typed.where(typed.map(lambda v: isinstance(v, date)), None),
                                errors="coerce")
        # a month that cannot be read stays, as typed, for the new book's validation
        old_targets = old_targets[(months < pd.Timestamp(period.start)) | months.isna()]
    carried = (*CARRIED_TABLES, *(s.table_name for s in SPEC.lists))
    tables = {n: as_typed(book, n) for n in carried if n in book.tables}
    tables["Targets"] = pd.concat([old_targets, new_targets], ignore_index=True) \
        if not old_targets.empty else new_targets
    tables["ActionReview"] = review_from_plan(plan_actions.frame)
    as_values: frozenset[str] = frozenset()
    if "Sales" in tables and is_rollup(book.info, tables):
        # a roll-up's next workbook stays one: calculated values, now for the new period
        tables["Sales"] = tables["Sales"].assign(**calculated_columns(tables["Sales"], period))
        as_values = frozenset({"Sales"})
    options = BuildOptions(lang=book.lang, period=period,
                           level=str(book.info.get("level") or "individual"),
                           role=str(book.info.get("role") or "rep"), owner=owner,
                           script=book.script)  # a Traditional book's next one is too
    data = WorkbookData(info=info, tables=tables, lists=book.lists,
                        # a target given for this period was used by its plan
                        assumptions={**book.assumptions, "next_target": None},
                        budget_caps=book.tables["BudgetCaps"].frame
                        if "BudgetCaps" in book.tables else None,
                        calculated_values=as_values)
    return options, data
