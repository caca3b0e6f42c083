"""What a roll-up says about its members: the ranking (by revenue, attainment and growth),
the whole's headline KPIs from the members' summed parts (ratios recomputed from the sums,
never averaged), and the problems of all members by category — and the sheets that show
them in the roll-up workbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from xlsales.io.sheetcontent import CellValue, SheetContent
from xlsales.kpis_derived import derived_value
from xlsales.money_text import shown_unit
from xlsales.periods import Period, PeriodType
from xlsales.script_variant import OwnText
from xlsales.spec import SPEC, Lang
from xlsales.spec.declarations import (
    MEMBER_RANKING,
    MEMBER_RANKING_SHEET,
    MEMBER_TABLES,
    PROBLEM_SUMMARY,
    PROBLEM_SUMMARY_SHEET,
    ROLLUP_LEVELS,
    ROLLUP_MEMBER,
    YEAR_KPI_LABELS,
)

#: The column naming each row's member in a roll-up's rows (a custom field the reader
#: keeps), labelled as the ranking's member column; found again by its folded labels.
MEMBER_LABEL = ROLLUP_MEMBER.label


def member_column(frame: pd.DataFrame | Sequence[object]) -> str | None:
    """The column of a roll-up's table (a frame or its column names) naming each row's
    member, if any."""
    return ROLLUP_MEMBER.header_in(frame.columns if isinstance(frame, pd.DataFrame) else frame)

#: Of those, the columns of ids a roll-up makes unique per member, its name in front (P01
#: of two members stays two problems; the problem an action answered is its member's).
#: Order IDs come from one CRM: kept as they are, so an order in two members' books is
#: caught as a duplicate.
PREFIXED_IDS: Mapping[str, tuple[str, ...]] = {
    "Problems": ("problem_id",), "Lessons": ("lesson_id",),
    "ActionReview": ("action_id", "problem_id")}


def named(values: pd.Series) -> pd.Series:
    """Where ``values`` holds a name (not empty)."""
    return values.notna() & values.ne("")


def members_of(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The members named in a roll-up's rows, in order of first appearance."""
    names: dict[str, None] = {}
    for name in MEMBER_TABLES:
        frame = tables.get(name)
        column = member_column(frame) if frame is not None else None
        if column is not None:
            members = frame[column]
            names.update(dict.fromkeys(str(v) for v in pd.unique(members[named(members)])))
    return list(names)


def is_rollup(info: Mapping[str, object], tables: Mapping[str, pd.DataFrame]) -> bool:
    """A team, region or company workbook whose rows name their members."""
    return str(info.get("level") or "") in ROLLUP_LEVELS and bool(members_of(tables))


#: KPIs that add up over members (their rows are disjoint): the whole is their sum.
ADDITIVE = ("revenue", "target", "deals", "lost_deals", "closed_deals", "invoiced",
            "collected", "visits", "visits_target", "revenue_previous", "revenue_year_ago")
#: KPIs of the whole recomputed from the summed parts by their formulas in the spec
#: (ratios, the gap, growth), never averaged over the members.
DERIVED = ("attainment", "win_rate", "collection_rate", "visit_attainment", "gap",
           "mom_growth", "yoy_growth")
#: The key of the whole's figures (:attr:`~xlsales.rollup_result.Rollup.whole`) holding the
#: part of its target typed into the roll-up with no member (a target of the team's own,
#: :mod:`~xlsales.rollup_typed_whole`): absent when none was.
TYPED_TARGET = "target_typed"
#: Tab colour of the roll-up's own sheets (the ranking and the problem summary).
ROLLUP_TAB_COLOR = "#7030A0"


def whole_kpis(member_kpis: Sequence[Mapping[str, object]]) -> dict[str, float | None]:
    """The whole's headline KPIs from its members': sums of the additive ones, ratios,
    gap and growth recomputed from those sums by the spec's formulas (an average of
    ratios would weigh a small member like a big one)."""
    out: dict[str, float | None] = {}
    for key in ADDITIVE:
        values = [k.get(key) for k in member_kpis]
        numbers = [float(v) for v in values if isinstance(v, int | float) and v == v]
        out[key] = sum(numbers) if numbers else None
    for key in DERIVED:  # as the KPI engine computes them over all the rows at once
        out[key] = derived_value(SPEC.kpi(key).formula, out)  # type: ignore[assignment]
    return out


def member_ranking(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """The members ranked: one row per member (``member``, ``level``, ``file`` and its
    KPIs), ordered by revenue (then name); ranks by revenue, attainment and growth vs
    the previous period (1 = best, ties share a rank; a member without the value, such as
    attainment without a target, has no rank for it)."""
    frame = pd.DataFrame(list(rows)).reindex(columns=MEMBER_RANKING.keys)
    if frame.empty:
        return frame
    for key in ("revenue", "target", "attainment", "mom_growth", "yoy_growth", "deals",
                "customers", "win_rate", "collection_rate"):
        frame[key] = pd.to_numeric(frame[key], errors="coerce")
    total = frame["revenue"].sum(min_count=1)
    frame["revenue_share"] = frame["revenue"] / total if total else None
    for rank, key in (("rank_revenue", "revenue"), ("rank_attainment", "attainment"),
                      ("rank_growth", "mom_growth")):
        ranks = frame[key].rank(ascending=False, method="min")
        frame[rank] = pd.Series([None if r != r else int(r) for r in ranks],  # no value:
                                index=frame.index, dtype=object)          # no rank
    frame = frame.assign(_name=frame["member"].astype(str)).sort_values(
        ["rank_revenue", "_name"], kind="stable").drop(columns="_name")
    return frame.reset_index(drop=True)


def problem_summary(problems: pd.DataFrame, member_key: str | None = None) -> pd.DataFrame:
    """Problems of all members by category: count, impact, share of impact and how many
    members report it; most frequent first, then by impact (the members' problems as
    stacked, built-in categories named in one language)."""
    if problems.empty:
        return pd.DataFrame(columns=PROBLEM_SUMMARY.keys[1:])
    frame = problems.assign(impact=pd.to_numeric(problems["impact_amount"], errors="coerce"),
                            category=problems["category"].fillna("-"))
    members = frame[member_key] if member_key and member_key in frame else None
    grouped = frame.groupby("category", sort=False)
    summary = pd.DataFrame({
        "count": grouped.size(),
        "impact": grouped["impact"].sum(min_count=1).fillna(0.0),
        "members": (members.groupby(frame["category"], sort=False).nunique()
                    if members is not None else grouped.size()),
    })
    total = summary["impact"].sum()
    summary["impact_share"] = summary["impact"] / total if total else None
    summary = summary.sort_values(["count", "impact"], ascending=False, kind="stable")
    return summary[PROBLEM_SUMMARY.keys[1:]]


def _cell(value: object) -> CellValue:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()  # type: ignore[no-any-return, union-attr]
    return value  # type: ignore[return-value]


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:.1%}" if pct else f"{value:,.0f}"


def typed_target_note(whole: Mapping[str, float | None], lang: str) -> str:
    """What follows the whole's target when part of it was typed into the roll-up with
    no member (:data:`TYPED_TARGET`); '' when none was."""
    typed = whole.get(TYPED_TARGET)
    if not typed:
        return ""
    return (f"（其中 {typed:,.0f} 是在汇总表中填写、没有填成员的目标）" if lang == "zh" else
            f" ({typed:,.0f} of it typed into the roll-up with no member)")


def ratios_note(whole: Mapping[str, float | None], lang: str) -> str:
    """What follows the whole's figures, in ``lang``: its ratios are recomputed from the
    members' sums (never averaged), or from the sums when a target typed with no member
    counts in them (:data:`TYPED_TARGET`). The report and the ranking sheet say it so."""
    typed = bool(whole.get(TYPED_TARGET))
    if lang == "zh":
        return f"（比率由{'合计' if typed else '各成员的合计'}重新计算）"
    return "(ratios recomputed from the sums)" if typed else \
        "(ratios recomputed from the members' sums)"


def whole_line(whole: Mapping[str, float | None], lang: Lang, currency: str,
               year: bool = False) -> str:
    """One line: the whole's revenue, target (in ``currency``), attainment and growth (of
    a ``year``, whose previous period is last year, said once: on last year); its ratios
    from the members' sums, or the sums with a target typed with no member."""
    if lang == "zh":
        mom = "" if year else f"环比 {_fmt(whole['mom_growth'], True)}，"
        return (f"整体（{currency}）：销售额 {_fmt(whole['revenue'])}，"
                f"目标 {_fmt(whole['target'])}{typed_target_note(whole, 'zh')}，完成率 "
                f"{_fmt(whole['attainment'], True)}，{mom}"
                f"同比 {_fmt(whole['yoy_growth'], True)}{ratios_note(whole, 'zh')}")
    mom = "" if year else f"growth vs previous period {_fmt(whole['mom_growth'], True)}, "
    return (f"Whole ({currency}): revenue {_fmt(whole['revenue'])}, "
            f"target {_fmt(whole['target'])}{typed_target_note(whole, 'en')}, "
            f"attainment {_fmt(whole['attainment'], True)}, {mom}"
            f"{'growth ' if year else ''}vs last year {_fmt(whole['yoy_growth'], True)} "
            f"{ratios_note(whole, 'en')}")


def ranking_sheet(ranking: pd.DataFrame, left_out: Sequence[tuple[str, str]],
                  whole: Mapping[str, float | None], lang: Lang, title: str,
                  currency: str, stamp: str | None = None, own: OwnText | None = None,
                  period: Period | None = None) -> SheetContent:
    """The ranking sheet: members in rank order (the status says "included", with the
    ranking's ``status`` note if any), then the workbooks left out: (file, status);
    ``stamp``, a title line naming the period its values are computed for
    (:func:`~xlsales.rollup_stamp.stamp_line`). ``own``
    writes the sheet's name, headers, levels and lines in the roll-up's script (the
    title, which names the roll-up, is the caller's). Of a year's ``period`` the growth
    on the previous period is labelled as on last year, as the KPI report labels it."""
    from xlsales.io.results import result_sheet  # the package writer: not in the workers

    keys = MEMBER_RANKING.keys
    levels = MEMBER_RANKING.column("level").choices
    assert levels is not None
    # the members' names and files their notes quote, as typed
    own = (own or OwnText()).keeping([*(v for r in ranking.to_dict("records")
                                        for k, v in r.items() if k != "status"),
                                      *(file for file, _ in left_out)])
    included = own("已合并" if lang == "zh" else "included")
    rows: list[list[CellValue]] = []
    for r in ranking.to_dict("records"):
        level = levels.key_of(str(r.get("level") or ""))
        note = r.get("status")  # e.g. how the member was named apart from a namesake
        noted = isinstance(note, str) and note
        status = (f"{included}：{own(note)}" if lang == "zh" else f"{included}: {note}"
                  ) if noted else included
        r = {**r, "status": status,
             "level": own(levels.label(level, lang)) if level else r.get("level") or None}
        rows.append([_cell(r.get(k)) for k in keys])
    for file, status in left_out:
        row: list[CellValue] = [None] * len(keys)
        row[keys.index("file")] = file
        row[keys.index("status")] = own(status)
        rows.append(row)
    year = period is not None and period.type is PeriodType.YEAR
    content = result_sheet(MEMBER_RANKING_SHEET, lang, rows,
                           title=(title, own(whole_line(whole, lang, currency, year)),
                                  *((own(stamp),) if stamp else ())),
                           tab_color=ROLLUP_TAB_COLOR, own=own,
                           money_unit=shown_unit(currency, lang))
    if not year:
        return content
    at = keys.index("mom_growth")  # 环比增长（上年）: the same figure as 同比 on a year
    label = own(YEAR_KPI_LABELS["mom_growth"].get(lang))
    return replace(content, columns=tuple(replace(c, header=label) if i == at else c
                                          for i, c in enumerate(content.columns)))


def problem_sheet(summary: pd.DataFrame, lang: Lang, title: str,
                  own: OwnText | None = None, currency: str = "") -> SheetContent:
    """Problems of all members by category (count, impact, share, members reporting);
    ``own``: its name and headers in the roll-up's script; impacts in ``currency``
    (shown in their number format unless the yuan, as the members' books show them)."""
    from xlsales.io.results import result_sheet

    values = summary[PROBLEM_SUMMARY.keys[1:]]  # the category is the index
    rows = [[_cell(category), *(_cell(v) for v in row)]
            for category, row in zip(values.index, values.itertuples(index=False), strict=True)]
    return result_sheet(PROBLEM_SUMMARY_SHEET, lang, rows, title=title,
                        tab_color=ROLLUP_TAB_COLOR, own=own,
                        money_unit=shown_unit(currency, lang))
