"""The breakdowns of ``kpis --by``: the one list of groupings (CLI choice, engine, help
and README all read it) and how a period grouping splits the period computed.

A field grouping (rep, region, customer type, product: the sales columns the spec marks
``breakdown``) splits the rows by a column; the
member grouping splits a roll-up's rows by the member each names (each member computed as
its own book: new customers from its own history); a period grouping (month, quarter)
splits the period into periods of its own, each computed as the KPIs of that period
alone (growth on the one before, attainment against its own targets). No pandas here:
the CLI builds its options from this module.
"""

from __future__ import annotations

from xlsales.errors import UsageError
from xlsales.periods import Period, PeriodType
from xlsales.spec.declarations import SALES

#: Groupings by a column of the sales rows (and of targets and activities that have it):
#: those the spec marks ``breakdown``, in the table's order.
FIELD_GROUPINGS = tuple(c.key for c in SALES.columns if c.breakdown)
#: Groupings by a part of the period: each part a period of its own.
PERIOD_GROUPINGS: dict[str, PeriodType] = {"month": PeriodType.MONTH,
                                           "quarter": PeriodType.QUARTER}
#: The grouping by the member a roll-up's row names (its *Member* / 成员 column): only a
#: roll-up made by ``xlsales consolidate`` has it.
MEMBER_GROUPING = "member"
GROUPINGS = (*FIELD_GROUPINGS, MEMBER_GROUPING, *PERIOD_GROUPINGS)
#: A period grouping's column header in text output, zh and en.
PERIOD_LABELS = {"month": ("月份", "Month"), "quarter": ("季度", "Quarter")}


def groupings_text(sep: str = ", ") -> str:
    """The groupings joined by ``sep`` (``rep|region|…|quarter`` in help and docs)."""
    return sep.join(GROUPINGS)


def period_parts(period: Period, by: str) -> list[Period]:
    """The periods a period grouping splits ``period`` into (a year's four quarters, a
    quarter's three months). A period shorter than the grouping's (a month by quarter)
    holds no whole part: :class:`UsageError`, naming the ``--period`` that does."""
    kind = PERIOD_GROUPINGS[by]
    parts = period.parts_in(kind)
    if parts:
        return parts
    whole, year = period.within(kind).label, period.within(PeriodType.YEAR).label
    zh_kind = {"month": "月", "quarter": "季度"}[by]
    raise UsageError(
        f"--by {by}：周期 {period.label} 比一个{zh_kind}短，拆不出整{zh_kind}。要看它所在的"
        f"{zh_kind}，请加 --period {whole}；要看全年各{zh_kind}，请加 --period {year}。",
        f"--by {by}: the period {period.label} is shorter than a {by}, so it holds no "
        f"whole {by}. For the {by} it is in, add --period {whole}; for each {by} of the "
        f"year, add --period {year}.")


def require_members(members: list[str]) -> None:
    """``--by member`` needs a roll-up: rows naming their member (``members``, as
    :func:`~xlsales.rollup_rank.members_of` finds them). A workbook whose rows name none
    (a rep's or a team's own book) is a :class:`UsageError` pointing to
    ``xlsales consolidate`` and to ``--by rep``."""
    if members:
        return
    raise UsageError(
        "--by member 需要由 xlsales consolidate 合并出的工作簿（每行在“成员”列写明所属成员），"
        "这个工作簿的行没有写明成员。要按销售人员拆分，请用 --by rep；要按成员看，请先用 "
        "xlsales consolidate 合并各成员的工作簿，再对合并出的工作簿运行 kpis --by member。",
        "--by member needs a roll-up made by `xlsales consolidate` (each row naming its "
        "member in a Member column); the rows of this workbook name no member. To break it "
        "down by rep, use --by rep; to see each member, roll the members' workbooks up with "
        "`xlsales consolidate` and run kpis --by member on the roll-up.")
